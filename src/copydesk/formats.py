"""HTML, plain-text dump, or not a page at all: the per-page format sniffer.

The last rung of format-by-evidence (an explicit `input_format` and the
container's content type come first; binary is refused by magic bytes in
`decode`). Real pages often start with something other than `<html>`: a
comment, a `<script>` or `<style>` block, an XML declaration, a BOM, blank
lines. Those prefixes are skipped (bounded: at most `_SKIP` characters of
them) before the usual markup hints are looked for, and a page whose start
is such a block is HTML by that alone: a flattened text dump never opens
with `<!--` or `<script>`. Feeds (RSS, Atom, RDF) are recognised by their
root element and are not pages.
"""

from __future__ import annotations

import re

_HTML_HINT = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|br|span|a\s)[\s>/]",
    re.IGNORECASE,
)
# Markup-only starts (`<b><i>...`, `<table>`): enough when the text begins with `<`.
_TAG_START = re.compile(r"<(?:b|i|em|strong|font|u|s|table|tr|td|ul|ol|li|h[1-6]|img|section|"
                        r"main|header|nav|form|center|script|style|noscript|iframe|svg|link|"
                        r"base)[\s>/]",
                        re.IGNORECASE)
# Blocks a page may open with before its first real element.
_PREFIX = re.compile(r"\s*(?:<!--.*?(?:-->|$)|<\?xml[^>]*>|<!doctype[^>]*>|"
                     r"<(script|style|noscript)\b[^>]*>.*?(?:</\1\s*>|$))",
                     re.IGNORECASE | re.DOTALL)
_FEED_ROOT = re.compile(r"<(rss|feed|rdf:RDF)\b[^>]*>", re.IGNORECASE)
_FEED_NAMES = {"rss": "RSS feed", "feed": "Atom feed", "rdf:rdf": "RDF feed"}
_SKIP = 1 << 18
_HEAD = 4096


def sniff_format(text: str) -> str:
    """"html", "text", or "feed: NAME" for an RSS/Atom/RDF document."""
    head = text[:_SKIP]
    start, skipped = _skip_prefixes(head)
    rest = head[start:start + _HEAD].lstrip()
    feed = _FEED_ROOT.match(rest)
    if feed and (feed.group(1).lower() != "feed" or "atom" in feed.group(0).lower()):
        return "feed: " + _FEED_NAMES[feed.group(1).lower()]
    if skipped:
        return "html"
    if rest.startswith("<") and (_HTML_HINT.search(rest[:1024]) or _TAG_START.match(rest)):
        return "html"
    hits = len(_HTML_HINT.findall(rest))
    return "html" if hits >= 3 else "text"


def _skip_prefixes(head: str) -> tuple[int, int]:
    """(where the first real element starts, how many prefix blocks were skipped)."""
    pos, count = 0, 0
    head_start = head[:1].lstrip("\ufeff")
    if head_start != head[:1]:
        pos = 1
    while pos < len(head):
        match = _PREFIX.match(head, pos)
        if match is None or match.end() == pos:
            break
        if match.group(0).strip().lower().startswith(("<!--", "<script", "<style", "<noscript")):
            count += 1
        pos = match.end()
    return pos, count
