"""The visible headline of a page that names none in its structured data.

Without og:title, JSON-LD or another machine-written headline, the page's
`<title>` is all there is, and it carries the site name, section labels or
a tagline beside the headline, in an order and with separators each site
chooses ("Using promises - JavaScript | MDN", "News | National Student
Support Accelerator", "Headline - Soccer - Sport - Breaking News").
Stripping by a fixed rule (the last segment, Readability's) keeps some of
them; matching the site name catches only the names the page spells out.

The page's own layout says where the headline ends: it prints the headline
as a heading just above the body. So the `<title>` is cut at its
separators into segments, and the heading nearest the start of the body
whose text is a run of consecutive segments tells which run is the
headline; the rest is the site's. A heading that names the site (a logo
h1 in the header, "The Rust Programming Language" above every chapter) or
that the page repeats as a link (a menu item, a section label) is never
the headline. With no such heading the `<title>` is cut as before.

Measured on the pages without a structured headline (WCXB 227, Readability
55): see docs/metadata.md.
"""

from __future__ import annotations

import re
from typing import Any

from copydesk.blocks import Block

# Headings read: h1-h3 within this many blocks before the body's first kept
# block (a headline sits just above the body; a logo h1 far above it) and a
# few after (layouts that print the headline inside the kept region).
BEFORE_BODY = 25
AFTER_BODY = 4
MAX_HEADINGS = 8
_LEVELS = {"h1": 0, "h2": 1, "h3": 2}
# Permalink marks printed after a heading ("Quickstart ¶", "Usage #").
_ANCHOR_MARK_RE = re.compile(r"\s*[¶#§🔗]+\s*$")
_WORD_RE = re.compile(r"\w+")


def outside_text(blocks: list[Block], limit: int = 400) -> str:
    """The page's text outside the body (header, menus, footer), case-folded,
    words separated by single spaces: where a site repeats its own name."""
    parts = [b.text for b in blocks[:limit] if not b.kept and len(b.text) <= 300]
    parts += [b.text for b in blocks[-60:] if not b.kept and len(b.text) <= 300]
    return " " + " ".join(" ".join(_WORD_RE.findall(" | ".join(parts).casefold())).split()) + " "



def repeated(segment: str, outside: str) -> bool:
    """True when every word run of `segment` is printed outside the body."""
    words = " ".join(_WORD_RE.findall(segment.casefold()))
    return bool(words) and f" {words} " in outside


def headings_near_body(blocks: list[Block]) -> list[dict[str, Any]]:
    """Heading blocks around the start of the body, as (text, level, distance).

    `distance` is the number of blocks between the heading and the body's
    first kept block (negative: above it). Sorted by how close the heading
    sits above the body (`_remoteness`).
    """
    start = next((b.index for b in blocks if b.kept and b.kind not in _LEVELS), None)
    if start is None:
        start = next((b.index for b in blocks if b.kept), None)
    if start is None:
        return []
    found = []
    for block in blocks:
        if block.kind not in _LEVELS:
            continue
        distance = block.index - start
        if -BEFORE_BODY <= distance <= AFTER_BODY:
            text = _ANCHOR_MARK_RE.sub("", block.text).strip()
            if text and len(text) <= 300:
                found.append({"text": text, "level": _LEVELS[block.kind], "distance": distance})
    found.sort(key=_remoteness)
    return found[:MAX_HEADINGS]


LEVEL_BLOCKS = 4  # an h2 counts as 4 blocks further than an h1 (an author's name in an h2)


def _remoteness(heading: dict[str, Any]) -> int:
    """Blocks from the body, headings inside the body counted as further away
    than those above it, and lower levels as further."""
    distance = heading["distance"]
    return (-distance if distance <= 0 else 2 * AFTER_BODY + distance) + (
        LEVEL_BLOCKS * heading["level"]
    )
