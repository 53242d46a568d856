"""Plain-text dump -> metadata candidates: headline, byline, agency, dates,
section, site name.

A flattened page reads: menus, section label, headline, byline, dateline,
article, lists, footer. The byline ("By ...") or the labelled dateline
("Published : Mar 23, 2020 - 11:58  Updated : ...") anchors the head of the
article: the headline is the nearest earlier line that reads as one, the
section label the short line just above it when the page repeats it
elsewhere (a menu item). The site name comes from the copyright line,
preferring the publication over its corporate owner when a footer line
says "<publication> by <owner>". The classifier's `kept` flags are not
relied on: they may still be rough when metadata runs.
"""

from __future__ import annotations

import re
from collections import Counter

from copydesk.blocks import Block
from copydesk.metadata.dates import Parsed, parse_date
from copydesk.metadata.html_dom import copyright_holder
from copydesk.metadata.labels import has_label, split_labelled
from copydesk.metadata.model import Metadata
from copydesk.metadata.vocab import BYLINE_LINE_RE, CORPORATE_SUFFIX_RE, MONTH_ALT
from copydesk.vocab import CLAUSE_END, COMMAS, SENTENCE_END

MAX_LINES = 3000  # the article head sits in the first lines; a 1M-line dump costs no more
MAX_LINE = 300  # longer lines are body text, never a headline, byline or dateline
WINDOW_BEFORE, WINDOW_AFTER = 4, 6  # dateline lines looked at around the anchor
_DATE_START_RE = re.compile(
    r"^\W{0,3}(?:\d|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|(?:" + MONTH_ALT + r")\b)",
    re.IGNORECASE,
)
_TERMINAL_RE = re.compile(f"[{re.escape(SENTENCE_END + CLAUSE_END + COMMAS)}]$")
_CREDIT_LINE_RE = re.compile(
    r"^\(?[^()]{1,40}\)$|^(?:photo|image|credit|source|caption)\b|\b(?:credit|photo|getty images|"
    r"reuters/|ap photo|afp via|shutterstock)\b|©|ⓒ",
    re.IGNORECASE,
)
# Share bars and navigation leftovers ("Share Tweet Share", "Get more news").
_SHARE_RE = re.compile(
    r"^(?:share|tweet|email|print|comments?|get more|more from|sign in|subscribe|"
    r"from wikipedia|advertisement|related)\b",
    re.IGNORECASE,
)


def read_dump(blocks: list[Block], meta: Metadata) -> None:
    """Add text-dump candidates to `meta` (never raises on odd input)."""
    lines = [b.text for b in blocks[:MAX_LINES]]
    bylines = [i for i, t in enumerate(lines) if _is_byline(t)]
    datelines = [i for i, t in enumerate(lines) if _dated_pieces(t)]
    anchor = _anchor(bylines, datelines, lines)
    if anchor is not None:
        for i in bylines:
            if abs(i - anchor) <= WINDOW_AFTER:
                meta.add_candidate("authors", lines[i], "text:byline", line=i)
        _add_dates(lines, datelines, anchor, meta)
        headline = _headline(lines, anchor)
    else:
        headline = _headline_before_body(blocks[:MAX_LINES])
    headline = _agree_with_classifier(blocks[:MAX_LINES], headline)
    if headline is not None:
        meta.add_candidate("title", lines[headline], "text:headline", line=headline)
        _add_section(lines, headline, meta)
        if not datelines:
            _add_bare_date(lines, headline, meta)
    _add_site([b.text for b in blocks[-80:]], meta)


def _agree_with_classifier(blocks: list[Block], guess: int | None) -> int | None:
    """The headline line, consistent with the text classifier: a guess that the
    classifier kept as body is a body sentence, not the headline; then (or
    with no guess) the line the classifier marked title-like above the body
    (kind `h1`) is the headline."""
    marked = next((i for i, b in enumerate(blocks) if b.kind == "h1"), None)
    if guess is None or (blocks[guess].kept and marked is not None and marked != guess):
        return marked if marked is not None else guess
    return guess


def _headline_before_body(blocks: list[Block]) -> int | None:
    """No byline or dateline: the headline-like line just before the first
    paragraph of prose (a kept one when the classifier kept only some)."""
    kept_some = any(b.kept for b in blocks) and not all(b.kept for b in blocks)
    for i, block in enumerate(blocks):
        if kept_some and not block.kept:
            continue
        if len(block.text.split()) >= 25 and _TERMINAL_RE.search(block.text[-1:]):
            return _headline([b.text for b in blocks], i)
    return None


def _add_bare_date(lines: list[str], headline: int, meta: Metadata) -> None:
    """A line that is only a date, just below the headline ("March 23, 2020")."""
    for i in range(headline + 1, min(len(lines), headline + 1 + WINDOW_AFTER)):
        text = lines[i]
        if (
            len(text.split()) <= 8
            and _DATE_START_RE.match(text)
            and any(ch.isdigit() for ch in text)
        ):
            meta.add_candidate("date_published", text, "text:bare-date", line=i)
            return


def _is_byline(line: str) -> bool:
    return len(line) <= 120 and len(line.split()) <= 12 and bool(BYLINE_LINE_RE.match(line))


def _dated_pieces(line: str) -> list[tuple[str, str]]:
    """Labelled dates of a short line whose label is followed by a date."""
    if len(line) > MAX_LINE or not has_label(line):
        return []
    pieces = split_labelled(line)
    # "April 28, 2019 at 6:01 am Updated April 29, 2019": the unlabelled date
    # before an update label is the publication.
    if any(f == "date_modified" for f, _p in pieces):
        pieces = [("date_published" if f == "date" else f, p) for f, p in pieces]
    return [(f, p) for f, p in pieces if f != "date" and _DATE_START_RE.match(p)]


def _anchor(bylines: list[int], datelines: list[int], lines: list[str]) -> int | None:
    """Index of the line that starts the article head (byline, else dateline)."""
    for i in bylines:
        if any(abs(i - j) <= WINDOW_AFTER for j in datelines) or _headline(lines, i) is not None:
            return i
    return datelines[0] if datelines else None


def _add_dates(lines: list[str], datelines: list[int], anchor: int, meta: Metadata) -> None:
    for i in datelines:
        if anchor - WINDOW_BEFORE <= i <= anchor + WINDOW_AFTER:
            for field, piece in _dated_pieces(lines[i]):
                meta.add_candidate(field, piece.strip(), "text:dateline", line=i)


def _headline(lines: list[str], anchor: int) -> int | None:
    """Nearest line before the anchor that reads as a headline: not a caption,
    credit, share bar, dateline or byline, 3 to 40 words, not a sentence
    ending in a colon or period after many words (captions do)."""
    for i in range(anchor - 1, max(-1, anchor - 8), -1):
        text = lines[i]
        words = len(text.split())
        if words > 40:
            return None
        if _not_headline(text):
            continue
        if 3 <= words <= 40 and len(text) <= MAX_LINE:
            return i
    return None


def _not_headline(text: str) -> bool:
    if (
        _CREDIT_LINE_RE.search(text)
        or has_label(text)
        or _is_byline(text)
        or _SHARE_RE.search(text)
    ):
        return True
    if text.endswith(":") or (text.endswith(".") and len(text.split()) > 12):
        return True
    return len(text) <= 80 and isinstance(parse_date(text, None, check_future=False), Parsed)


def _add_section(lines: list[str], headline: int, meta: Metadata) -> None:
    """The short line right above the headline, when the page repeats it (a menu item)."""
    if headline == 0:
        return
    label = lines[headline - 1]
    if not (1 <= len(label.split()) <= 4 and len(label) <= 40) or _TERMINAL_RE.search(label):
        return
    if Counter(lines)[label] >= 2:
        meta.add_candidate("section", label, "text:section-label", line=headline - 1)


def _add_site(lines: list[str], meta: Metadata) -> None:
    """Site name from the last copyright line, the publication before its owner."""
    for i in range(len(lines) - 1, max(-1, len(lines) - 60), -1):
        holder = copyright_holder(lines[i]) if len(lines[i]) <= MAX_LINE else None
        if holder:
            meta.add_candidate("site_name", _publication(holder, lines), "copyright", line=i)
            return


def _publication(holder: str, lines: list[str]) -> str:
    """'Herald Corporation' -> 'The Korea Herald' when a line says 'The Korea Herald by
    Herald Corporation'; else the holder without a corporate suffix when one is left."""
    owned_re = re.compile(
        r"^(.{2,60}?)\s+(?:by|from|of|is\s+published\s+by)\s+" + re.escape(holder) + r"\W*$",
        re.IGNORECASE,
    )
    for line in lines[-80:]:
        match = owned_re.match(line)
        if match:
            return match.group(1).strip()
    stripped = CORPORATE_SUFFIX_RE.sub("", holder).strip()
    return stripped or holder
