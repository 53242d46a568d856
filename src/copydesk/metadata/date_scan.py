"""Extensive search: every date written in the page's visible text, with where
it sits and what labels it.

Structured fields (JSON-LD, meta tags) are often missing, stale or wrong
(a template's date, a migration's date); the date a reader sees sits in the
visible text, usually just under the headline, beside the byline, after a
"Published" or "Updated" label. Other visible dates belong to something
else: a copyright line, a comment, a sidebar's latest posts, an event, the
site header's today. This reader finds them all in one bounded pass and
records, per day, the features the date chooser (`date_choice.py`) scores:
the label before it, its distance to the headline in characters, its share
of the page's text before it, how often the day recurs.

Cost: one C call for the text, one regex for 4-digit years over at most
`MAX_SCAN` characters, then the date formats on a short window around each
year (at most `MAX_HITS` of them), so a 1 MB page costs what a 150 kB one
costs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from copydesk.metadata import dates
from copydesk.metadata.model import Metadata
from copydesk.metadata.vocab import (
    COMMENT_CONTEXT_RE,
    COPYRIGHT_CONTEXT_RE,
    EVENT_CONTEXT_RE,
    MODIFIED_RE,
    PUBLISHED_RE,
)

MAX_SCAN = 150_000  # characters of visible text searched
MAX_HITS = 160  # year positions examined
BEFORE, AFTER = 40, 32  # window around a year in which a date is read
LABEL_REACH = 48  # characters before a date in which its label is looked for
_YEAR_RE = re.compile(r"(?<!\d)(?:199\d|20[0-4]\d)(?!\d)")
# m/d vs d/m: an English page of the US (or with no region) writes month first.
_MONTH_FIRST_LANGS = frozenset({"en", "en-us", "en_us", "es-us", "en-ph", "fil"})


@dataclass(slots=True)
class Sighting:
    """One day seen in the text: its first form, label, where, how often."""

    iso: str
    day: dt.date
    label: str
    offset: int  # characters from the headline's start (negative: above it)
    share: float  # share of the page text before it
    count: int = 1


def page_text(tree: Any, ld_texts: list[str]) -> str:
    """The body's visible text (JSON-LD script texts removed), bounded."""
    body = tree.body if tree.body is not None else tree.root
    if body is None:
        return ""
    text = body.text(deep=True, separator="\n") or ""
    for ld in ld_texts[:10]:
        if ld and len(ld) > 20:
            text = text.replace(ld, "\n")
    return text[:MAX_SCAN]


def headline_offset(tree: Any, text: str) -> int:
    """Where the first h1's text starts in `text` (-1 when absent)."""
    h1 = tree.css_first("h1")
    if h1 is None:
        return -1
    words = (h1.text(deep=True, separator="\n") or "").strip()[:60]
    return text.find(words) if len(words) >= 4 else -1


def month_first(text: str, declared: str | None, ref: dt.date) -> bool:
    """The page's order for a/b/yyyy dates: settled by any numeric date on the
    page whose first or second number exceeds 12, else by the declared language
    (US English writes month first; the rest of the world day first)."""
    votes = 0
    for match in _NUMERIC_RE.finditer(text[:MAX_SCAN]):
        a, b = int(match.group(1)), int(match.group(2))
        votes += (b > 12 >= a) - (a > 12 >= b)
    if votes:
        return votes > 0
    return (declared or "").strip().lower() in _MONTH_FIRST_LANGS


_NUMERIC_RE = re.compile(r"(?<![\d./-])(\d{1,2})[./-](\d{1,2})[./-](?:19|20)\d{2}(?!\d)")


def label_of(before: str, after: str) -> str:
    """What the words around a date say it is: published, updated, copyright,
    comment, event, or none. The label nearest the date wins."""
    near = before[-LABEL_REACH:]
    if COPYRIGHT_CONTEXT_RE.search(near[-16:]):
        return "copyright"
    best, at = "none", -1
    for name, pattern in (("published", PUBLISHED_RE), ("updated", MODIFIED_RE)):
        for match in pattern.finditer(near):
            if match.start() > at:
                best, at = name, match.start()
    if best != "none":
        return best
    if COMMENT_CONTEXT_RE.search(near[-24:]) or COMMENT_CONTEXT_RE.search(after[:20]):
        return "comment"
    if EVENT_CONTEXT_RE.search(near[-24:]):
        return "event"
    return "none"


def scan(text: str, h1_at: int, ref: dt.date, first_month: bool) -> list[Sighting]:
    """Every valid date in `text`, one Sighting per (day, label), first seen first."""
    seen: dict[tuple[dt.date, str], Sighting] = {}
    starts: set[int] = set()
    size = max(len(text), 1)
    for hits, year in enumerate(_YEAR_RE.finditer(text)):
        if hits >= MAX_HITS:
            break
        lo = max(0, year.start() - BEFORE)
        for start, end, parsed in dates.find_dates(text[lo : year.end() + AFTER], ref, first_month):
            at = lo + start
            if at in starts or not (at <= year.start() < lo + end):
                continue
            starts.add(at)
            label = label_of(text[max(0, at - LABEL_REACH) : at], text[lo + end : lo + end + 24])
            key = (parsed.day, label)
            if key in seen:
                seen[key].count += 1
                continue
            offset = at - h1_at if h1_at >= 0 else at
            seen[key] = Sighting(parsed.iso, parsed.day, label, offset, at / size)
    return list(seen.values())


def read_scan(tree: Any, meta: Metadata, ld_texts: list[str]) -> None:
    """Add the page's visible dates as `date_seen` candidates (see `date_choice`)."""
    text = page_text(tree, ld_texts)
    if not text:
        return
    ref = dates.reference_day(meta.date_crawled)
    html = tree.css_first("html")
    declared = html.attributes.get("lang") if html is not None else None
    first_month = month_first(text, declared, ref)
    meta.add_candidate("date_order", "mdy" if first_month else "dmy", "scan")
    h1_at = headline_offset(tree, text)
    for seen in scan(text, h1_at, ref, first_month):
        meta.add_candidate(
            "date_seen",
            seen.iso,
            f"scan:{seen.label}",
            offset=seen.offset,
            share=round(seen.share, 4),
            count=seen.count,
            headline=h1_at >= 0,
        )
