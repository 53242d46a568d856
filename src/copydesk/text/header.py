"""Crawler headers at the top of a text dump: read them, take them out of the body.

Dumps written by crawlers often start with a record header such as the
seed's ` date 2020-03-23  Back To Top` (a date key, the crawl date, then the
page's first line on the same line) or `url: https://...` lines. The date is
when the page was fetched, not published: it becomes `Page.date_crawled`
and leaves the body. Only the first few lines are looked at, and only
`key value` shapes with a known key, so an article that starts with the
word "Date" is left alone unless an ISO date follows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Keys a crawler uses for the fetch time (Common Crawl WET: WARC-Date;
# ad-hoc dumps: date / crawl_date / fetched / timestamp).
_DATE_LINE = re.compile(
    r"[ \t]*(?:warc-date|crawl(?:ed)?[ _-]?(?:date|at)|fetch(?:ed)?(?:[ _-]?(?:date|at))?|"
    r"timestamp|date)[ \t]*[:=]?[ \t]*"
    r"(?P<date>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)"
    r"(?![\d:])[ \t]*",
    re.IGNORECASE,
)
_URL_LINE = re.compile(r"[ \t]*(?:warc-target-uri|url|uri|source)[ \t]*[:=]?[ \t]*"
                       r"(?P<url>https?://\S+)[ \t]*(?:\n|$)", re.IGNORECASE)
_HEADER_LINES = 3  # a header longer than this is not a crawler header


@dataclass(slots=True)
class Header:
    """What the header said, and the body that follows it."""

    body: str
    date_crawled: str | None = None
    url: str | None = None
    notes: list[str] = field(default_factory=list)


def split_header(text: str) -> Header:
    """Strip a leading crawler header (date and/or url keys) from `text`."""
    header = Header(body=text)
    pos = 0
    for _ in range(_HEADER_LINES):
        pos = _skip_blank_lines(text, pos)
        date = None if header.date_crawled else _DATE_LINE.match(text, pos)
        if date:
            header.date_crawled = date.group("date").replace(" ", "T")
            header.notes.append(f"crawler header: date {header.date_crawled}")
            pos = date.end()
            continue
        url = None if header.url else _URL_LINE.match(text, pos)
        if url:
            header.url = url.group("url")
            header.notes.append("crawler header: url")
            pos = url.end()
            continue
        break
    header.body = text[pos:] if pos else text
    return header


def _skip_blank_lines(text: str, pos: int) -> int:
    """Position after the blank lines that start at `pos` (spaces kept on the first text line)."""
    while True:
        nl = text.find("\n", pos, pos + 256)
        if nl < 0 or text[pos:nl].strip():
            return pos
        pos = nl + 1
