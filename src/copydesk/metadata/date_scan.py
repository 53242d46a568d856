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

from copydesk.blocks import Block
from copydesk.metadata import dates
from copydesk.metadata.ascii_fold import folded_on_first_use
from copydesk.metadata.html_nodes import PageNodes
from copydesk.metadata.model import Metadata
from copydesk.metadata.vocab import (
    COMMENT_CONTEXT_RE,
    COPYRIGHT_CONTEXT_RE,
    EVENT_CONTEXT_RE,
    MODIFIED_RE,
    PUBLISHED_RE,
)

MAX_SCAN = 150_000  # characters of visible text read
# The region searched: from this far above the headline to this far below it
# (without a headline: the first SPAN_BELOW characters). Dates further away
# are a sidebar's, a listing's or a comment's, and searching 150 kB of text
# for years cost more than the rest of the metadata together.
SPAN_ABOVE, SPAN_BELOW = 2_000, 8_000
MAX_HITS = 60  # year positions examined
# The foot of a long body: from its last kept block this far on (a dateline or
# an author box printed after the text), at most FOOT_HITS year positions.
FOOT_SPAN, FOOT_HITS = 3_000, 12
BEFORE, AFTER = 40, 32  # window around a year in which a date is read
LABEL_REACH = 48  # characters before a date in which its label is looked for
# 4-digit years 1990-2049, as two patterns that each start with a literal ("20", "199"):
# sre finds a literal prefix by a fast scan, where the alternation "(?:199|20[0-4])"
# tried a match at every "1" and "2" of the text (4x the cost; see `year_positions`).
_YEAR_20_RE = re.compile(r"20[0-4]\d")
_YEAR_199_RE = re.compile(r"199\d")
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
    line: int  # length of its line of text: a dateline is short, a date in prose is not
    count: int = 1
    at: int = 0  # position in the text
    foot: bool = False  # seen just after the body's last kept block


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


def headline_offset(h1: Any, text: str) -> int:
    """Where the page's first h1 (`h1`)'s text starts in `text` (-1 when absent)."""
    if h1 is None:
        return -1
    words = (h1.text(deep=True, separator="\n") or "").strip()[:60]
    return text.find(words) if len(words) >= 4 else -1


def month_first(windows: list[str], declared: str | None, url: str | None = None) -> bool:
    """The page's order for a/b/yyyy dates: settled by the numeric dates on the
    page whose first or second number exceeds 12, or that match the url's day
    one way round; else by the host's country and the declared language (US
    English writes month first; the rest of the world day first)."""
    url_day = dates.date_from_url(url, None)
    day = url_day.day if isinstance(url_day, dates.Parsed) else None
    votes = 0
    for window in windows:
        for match in _NUMERIC_RE.finditer(window):
            a, b = int(match.group(1)), int(match.group(2))
            votes += (b > 12 >= a) - (a > 12 >= b)
            if day is not None and a != b and int(match.group(3)) == day.year:
                votes += ((a, b) == (day.month, day.day)) - ((a, b) == (day.day, day.month))
    if votes:
        return votes > 0
    host = (url or "").split("://", 1)[-1].split("/", 1)[0].lower()
    if host.endswith(_DAY_FIRST_TLDS):
        return False
    return (declared or "").strip().lower() in _MONTH_FIRST_LANGS


# Country domains of English-speaking places that write day first.
_DAY_FIRST_TLDS = (".uk", ".au", ".nz", ".ie", ".in", ".za", ".sg", ".eu")


_NUMERIC_RE = re.compile(r"(?<![\d./-])(\d{1,2})[./-](\d{1,2})[./-]((?:19|20)\d{2})(?!\d)")


def label_of(before: str, after: str) -> str:
    """What the words around a date say it is: published, updated, copyright,
    comment, event, or none. The label nearest the date wins. (ASCII words are
    read lower-cased by the patterns' case-sensitive forms: `ascii_fold`.)"""
    near, tail = before[-LABEL_REACH:], after[:20]
    if near.isascii() and tail.isascii():
        return _label_in(near.lower(), tail.lower(), _folded())
    return _label_in(near, tail, _PLAIN)


_PLAIN = (COPYRIGHT_CONTEXT_RE, PUBLISHED_RE, MODIFIED_RE, COMMENT_CONTEXT_RE, EVENT_CONTEXT_RE)
_folded = folded_on_first_use(*_PLAIN)  # (~4 ms, on the first ASCII window)


def _label_in(near: str, tail: str, patterns: tuple[re.Pattern[str], ...]) -> str:
    copyright_re, published_re, modified_re, comment_re, event_re = patterns
    if copyright_re.search(near[-16:]):
        return "copyright"
    best, at = "none", -1
    for name, pattern in (("published", published_re), ("updated", modified_re)):
        for match in pattern.finditer(near):
            if match.start() > at:
                best, at = name, match.start()
    if best != "none":
        return best
    if comment_re.search(near[-24:]) or comment_re.search(tail):
        return "comment"
    if event_re.search(near[-24:]):
        return "event"
    return "none"


_DAY_BEFORE_RE = re.compile(r"(?<!\d)\d{1,2}(?!\d)\D{1,22}$")
_DAY_AFTER_RE = re.compile(r"^\s+[^\W\d_]{3,9}\.?\s+\d{1,2}(?!\d)")


def _date_around(text: str, at: int) -> bool:
    """Cheap test that the year at `at` can be part of a full date: a separator
    or CJK unit right after it, or a day number shortly before or after it
    (prose years, "© 2024" and "Best of 2024" are skipped without a parse)."""
    if text[at + 4 : at + 5] in ("-", "/", ".", "年", "년") and text[at + 5 : at + 6].isdigit():
        return True
    if text[at + 4 : at + 6].strip() in ("年", "년"):
        return True
    if _DAY_BEFORE_RE.search(text[max(0, at - 24) : at]):
        return True
    return bool(_DAY_AFTER_RE.match(text[at + 4 : at + 20]))


def year_windows(text: str, limit: int = MAX_HITS) -> list[tuple[int, int]]:
    """(start, year position) of the short window around each 4-digit year."""
    spots: list[tuple[int, int]] = []
    for at in year_positions(text):
        if not _date_around(text, at):
            continue
        spots.append((max(0, at - BEFORE), at))
        if len(spots) >= limit:
            break
    return spots


def year_positions(text: str) -> list[int]:
    """Start of every 4-digit year 1990-2049 in `text` not touching another digit,
    in text order. The two patterns' matches are merged: where matches of either
    overlap, each has a digit neighbour (the overlap is digits), so the years kept
    are the ones `(?:199|20[0-4])\\d` finds, whichever way overlaps are resolved."""
    found = [m.start() for m in _YEAR_20_RE.finditer(text)]
    found += [m.start() for m in _YEAR_199_RE.finditer(text)]
    found.sort()
    return [at for at in found
            if not ((at and text[at - 1].isdigit()) or text[at + 4 : at + 5].isdigit())]


def scan(
    text: str, h1_at: int, ref: dt.date, declared: str | None, url: str | None = None,
    foot_at: int = -1, body_at: int = -1,
) -> tuple[list[Sighting], bool]:
    """Every valid date in `text`, one Sighting per (day, label), first seen
    first; and whether the page writes numeric dates month first.

    `body_at`: where the body's first kept block starts (the anchor when the
    page has no h1); `foot_at`: where its last kept block starts. A body
    longer than the search span prints its "Posted on ..." or author box
    after its end: that foot is searched too, with its own budget."""
    anchor = h1_at if h1_at >= 0 else max(body_at, 0)
    begin = max(0, anchor - SPAN_ABOVE)
    end = anchor + SPAN_BELOW
    spots = [(lo + begin, at + begin) for lo, at in year_windows(text[begin:end])]
    foot = (max(end, foot_at), foot_at + FOOT_SPAN) if foot_at >= 0 else (0, 0)
    if foot[1] > foot[0]:
        spots += [(lo + foot[0], at + foot[0])
                  for lo, at in year_windows(text[foot[0] : foot[1]], FOOT_HITS)]
    windows = [text[lo : at + 4 + AFTER] for lo, at in spots]
    first_month = month_first(windows, declared, url)
    found = _sightings(text, h1_at, ref, _merged(spots), first_month)
    for seen in found:
        seen.foot = foot[0] <= seen.at < foot[1]
    return found, first_month


def _merged(spots: list[tuple[int, int]]) -> list[tuple[int, int, list[int]]]:
    """Windows that overlap joined: (start, end, year positions inside)."""
    merged: list[tuple[int, int, list[int]]] = []
    for lo, at in spots:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], at + 4 + AFTER, [*merged[-1][2], at])
        else:
            merged.append((lo, at + 4 + AFTER, [at]))
    return merged


def _sightings(
    text: str,
    h1_at: int,
    ref: dt.date,
    windows: list[tuple[int, int, list[int]]],
    first_month: bool,
) -> list[Sighting]:
    seen: dict[tuple[dt.date, str], Sighting] = {}
    size = max(len(text), 1)
    for lo, hi, years in windows:
        for start, end, parsed in _dates_in(text[lo:hi], ref, first_month):
            at = lo + start
            if not any(at <= year < lo + end for year in years):
                continue
            label = label_of(text[max(0, at - LABEL_REACH) : at], text[lo + end : lo + end + 24])
            key = (parsed.day, label)
            if key in seen:
                seen[key].count += 1
                continue
            offset = at - h1_at if h1_at >= 0 else at
            line = text.find("\n", at) % (size + 1) - text.rfind("\n", 0, at)
            seen[key] = Sighting(parsed.iso, parsed.day, label, offset, at / size, line, at=at)
    return list(seen.values())


def _dates_in(window: str, ref: dt.date, first_month: bool) -> list[tuple[int, int, Any]]:
    """Dates of a (merged) window, read in chunks the parser accepts."""
    found = []
    step = dates.MAX_INPUT - 60
    for begin in range(0, len(window), step):
        for start, end, parsed in dates.find_dates(window[begin : begin + dates.MAX_INPUT],
                                                   ref, first_month):
            if begin and end <= 60:
                continue  # read by the chunk before
            found.append((begin + start, begin + end, parsed))
    return found


def block_offset(text: str, block: Block | None, start: int = 0) -> int:
    """Where a Block's text starts in the page text (-1 when not found): its
    first words, any whitespace between them (inline tags split text nodes)."""
    words = _WORD_RE.findall(block.text[:80])[:6] if block is not None else []
    if len(words) < 2:
        return -1
    # Every match starts with the first word: try the words only where that
    # word stands (a plain find); compiling a pattern of the words per page
    # cost more than the whole search.
    at = text.find(words[0], max(start, 0))
    while at >= 0 and not _words_at(text, at, words):
        at = text.find(words[0], at + 1)
    return at


def _words_at(text: str, at: int, words: list[str]) -> bool:
    """Whether `words` stand at `at`, each pair apart by a run of non-word characters."""
    pos = at
    for i, word in enumerate(words):
        if not text.startswith(word, pos):
            return False
        pos += len(word)
        if i + 1 < len(words):
            gap = _GAP_RE.match(text, pos)
            if gap is None:
                return False
            pos = gap.end()
    return True


_WORD_RE = re.compile(r"\w+")
_GAP_RE = re.compile(r"\W+")


def read_scan(nodes: PageNodes, meta: Metadata, ld_texts: list[str], url: str | None = None,
              blocks: list[Block] | None = None) -> None:
    """Add the page's visible dates as `date_seen` candidates (see `date_choice`)."""
    text = page_text(nodes.tree, ld_texts)
    if not text:
        return
    ref = dates.reference_day(meta.date_crawled)
    html = nodes.root
    declared = html.attributes.get("lang") if html is not None else None
    h1_at = headline_offset(nodes.h1, text)
    kept = [b for b in blocks or () if b.kept]
    body_at = block_offset(text, kept[0] if kept else None)
    foot_at = block_offset(text, kept[-1] if kept else None, max(h1_at, body_at))
    if h1_at < 0:  # no h1: the body's start stands for the headline
        h1_at = body_at
    sightings, first_month = scan(text, h1_at, ref, declared, url, foot_at, body_at)
    meta.add_candidate("date_order", "mdy" if first_month else "dmy", "scan")
    for seen in sightings:
        meta.add_candidate(
            "date_seen",
            seen.iso,
            f"scan:{seen.label}",
            offset=seen.offset,
            share=round(seen.share, 4),
            line=seen.line,
            count=seen.count,
            headline=h1_at >= 0,
            foot=seen.foot,
            parsed=seen.iso,  # valid already (checked against the crawl day)
        )
