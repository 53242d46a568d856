"""Parse HTML with lexbor (selectolax), within caps checked before parsing.

lexbor is an HTML5-conformant parser in C: it builds the tree browsers build
(misnested tags, unclosed elements, repeated roots) and does not recurse, so
deep nesting cannot overflow the stack. Caps keep one page's time and memory
bounded:
- the byte cap is in `Options` (checked by `api.decode_content`);
- the node cap is estimated from the count of `<` before parsing, so a
  million siblings are refused up front;
- two quadratic paths of the HTML5 tree builder are defused before parsing
  (`defuse`), by dropping tags, never text:
  * block depth: each block start tag (`<div>`, `<ul>`, ...) looks for an
    open `<p>` down the whole stack of open elements ("has a p element in
    button scope", WHATWG 13.2.6.4.7), so N nested divs cost N^2/2 steps:
    30,000 take 7 s in lexbor, 100,000 three minutes. Browsers cap the tree
    depth (Chromium: 512); we drop block tags nested deeper than 256;
  * open formatting elements: each `<b>`, `<font>`... is compared with every
    entry of the list of active formatting elements ("Noah's Ark" clause,
    WHATWG 13.2.4.3); with distinct attributes the list grows without bound
    and 8,000 unclosed `<b class=cN>` take 1.5 s. We drop formatting start
    tags while 100 are open (and their end tags).
  The Page is flagged with a "flattened: ..." note.
"""

from __future__ import annotations

import re
from typing import Any

from selectolax.lexbor import LexborDocumentOptions, LexborHTMLParser

from copydesk.errors import TooLargeError

# Real pages nest blocks a few dozen deep (the deepest of the 341 dev-corpus
# pages: 83, by `block_depth`). At 256 the scope check costs at most 256
# steps per start tag.
MAX_BLOCK_DEPTH = 256
# Unclosed formatting elements a page may pile up (old sites leave dozens of
# <font> open); beyond, their tags are dropped.
MAX_OPEN_FORMATTING = 100

# Pages with fewer `<` are parsed as they are: their worst case (4,000 nested
# divs, or 4,000 distinct unclosed <b>) costs lexbor under 0.6 s. 96% of the
# dev-corpus pages are below (median 1,472) and pay nothing for the scan,
# which costs about 80% of a parse (Python regex over every `<`).
SCAN_ABOVE_TAGS = 4000

# Start tags that close an open <p> (WHATWG "in body" insertion mode) and can
# nest in themselves. <p>, <li>, <dd>, <dt> and headings close their own kind
# instead of nesting, and <table> is a scope boundary, so they are left out.
_BLOCK_NAMES = ("div", "section", "article", "aside", "nav", "header", "footer", "main", "ul",
                "ol", "dl", "menu", "dir", "blockquote", "center", "details", "dialog",
                "fieldset", "figure", "figcaption", "form", "hgroup", "summary", "search",
                "address", "pre", "listing")
# Formatting elements (WHATWG 13.2.4.3) except <a>, which closes an open <a>.
_FORMATTING_NAMES = ("b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike",
                     "strong", "tt", "u")


def _case_free(name: str) -> str:
    """"div" -> "[dD][iI][vV]": faster than re.IGNORECASE on long pages."""
    return "".join(f"[{c}{c.upper()}]" for c in name)


def _alternation(names: tuple[str, ...]) -> str:
    """Names grouped by first letter (measured 2x faster than a flat alternation)."""
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(name[0], []).append(name[1:])
    alternatives = []
    for first, rests in groups.items():
        rest = "|".join(_case_free(r) for r in sorted(rests, key=len, reverse=True))
        alternatives.append(f"{_case_free(first)}(?:{rest})")
    return "|".join(alternatives)


# Groups: 1 "/" of an end tag, 2 a block name, 3 a formatting name.
_TAG = re.compile(rf"<(/?)(?:({_alternation(_BLOCK_NAMES)})|({_alternation(_FORMATTING_NAMES)}))"
                  r"(?=[\s/>])")


# lexbor's DOM mutation callbacks serve what the tree is not used for here
# (stylesheets of <style> elements, <selectedcontent> mirroring the chosen
# <option> of a <select>, which the walk skips); without them parsing takes
# a quarter less time and builds the same tree (all dev-corpus pages).
_PARSER_OPTIONS = LexborDocumentOptions.WO_EVENTS


def parse_html(text: str, max_nodes: int, notes: list[str] | None = None,
               utf8: bytes | None = None, scripting: bool = False) -> LexborHTMLParser:
    """Parse `text`; raise TooLargeError when it would exceed `max_nodes` elements.

    Pathological nesting is defused first (`defuse`); what was dropped is
    appended to `notes` when given. `utf8`, when given, must be exactly
    `text` encoded as UTF-8 (`decode.Decoded.utf8`): lexbor reads it as it
    is, which saves encoding the text again. `scripting`: parse as a browser that
    runs scripts does, `<noscript>` content as raw text (WHATWG 13.2.6.4.4).
    """
    tags = text.count("<") if utf8 is None else _count_lt(utf8)
    if tags > max_nodes:
        raise TooLargeError(f"too large: about {tags} elements (cap {max_nodes})")
    check_attributes(text)
    if tags > SCAN_ABOVE_TAGS:
        defused, dropped = defuse(text)
        if defused is not text:
            text, utf8 = defused, None
        if notes is not None and any(dropped):
            notes.append(f"flattened: {dropped[0]} block tags deeper than {MAX_BLOCK_DEPTH} and "
                         f"{dropped[1]} formatting tags beyond {MAX_OPEN_FORMATTING} open dropped")
    return LexborHTMLParser(text if utf8 is None else utf8, options=_PARSER_OPTIONS,
                            scripting=scripting)


def _count_lt(utf8: bytes) -> int:
    """`text.count("<")`, counted in the text's UTF-8 bytes (the byte 0x3C is only
    ever "<") by a vectorised compare.

    `str.count` and `bytes.count` of one character are scalar loops of about four
    instructions a character (nine AEB pages in ten are UCS-2 strings, which
    have no faster path either): a million instructions on a 190 KB page under
    callgrind, a fortieth of them with numpy. (numpy is loaded by then: the
    page-type and block models of every HTML page use it.)
    """
    import numpy as np

    return int(np.count_nonzero(np.frombuffer(utf8, dtype=np.uint8) == _LT))


_LT = ord("<")


# lexbor inserts attributes in time quadratic in their number on one element (60,000
# attributes: 27 s; 20,000: 8 s on the dev machine); real elements carry a few dozen.
MAX_ATTRIBUTES = 1_000
_LONG_TAG_CHARS = 4000  # a tag this long may hold MAX_ATTRIBUTES (each takes " a=")
_LONG_TAG = re.compile(rf"<[a-zA-Z][^<>]{{{_LONG_TAG_CHARS},}}")
_ATTRIBUTE = re.compile(r"[\s\"'/][^\s\"'/=<>]+\s*=")
# Script and style bodies are raw text to the parser (no tags, no attributes), but
# code such as `i < n; a = b` reads like a long tag to the scan above.
_RAW_TEXT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
# The text is looked at in slices of half a long tag: a long tag (no `<` in it
# after the first character) covers at least one whole slice with no `<`.
_SLICE = _LONG_TAG_CHARS // 2


def check_attributes(text: str) -> None:
    """TooLargeError when one element has more than MAX_ATTRIBUTES attributes,
    checked before parsing, in linear time (a tag ends at `<` or `>`); script and
    style bodies are not tags."""
    if _most_attributes(text) <= MAX_ATTRIBUTES:
        return
    count = _most_attributes(_RAW_TEXT.sub(" ", text))  # only when the first scan found one
    if count > MAX_ATTRIBUTES:
        raise TooLargeError(f"too large: an element with {count} attributes "
                            f"(cap {MAX_ATTRIBUTES})")


def _most_attributes(text: str) -> int:
    """The largest attribute count of one long tag in `text` (0 when none is long).

    Long tags are sought only behind slices of the text that hold no `<` (one
    `str.find` per 2,000 characters, in C): a regex scan of every tag cost
    more than parsing the page. Every long tag starts at the last `<` before
    such a slice, and is matched there.
    """
    most, clear_until = 0, -1
    find, rfind = text.find, text.rfind
    for start in range(_SLICE, len(text), _SLICE):  # (a long tag starts before its slice)
        if find("<", start, start + _SLICE) >= 0:
            continue
        if start == clear_until:  # the run of the slice before: its tag is read
            clear_until += _SLICE
            continue
        clear_until = start + _SLICE
        begin = rfind("<", 0, start)  # within the slice before, which holds a `<`
        match = _LONG_TAG.match(text, begin) if begin >= 0 else None
        if match is not None:
            most = max(most, _attribute_count(match.group(0)))
    return most


def _attribute_count(tag: str) -> int:
    """The attributes of one long tag, exactly when there may be more than
    `MAX_ATTRIBUTES`; else a bound that does not exceed it.

    Each attribute match ends at its own `=`, so the count of `=` (one C
    call) bounds the matches: a regex scan of a tag holding a 100 KB JSON
    value cost milliseconds, and is left for tags with more `=` than the cap.
    """
    equals = tag.count("=")
    return equals if equals <= MAX_ATTRIBUTES else len(_ATTRIBUTE.findall(tag))


# Never article text (the walk skips them too: `vocab.SKIP_TAGS`); JSON-LD
# scripts are kept for the metadata readers.
JUNK_SELECTOR = ("script, style, noscript, template, svg, math, iframe, object, embed, canvas, "
                 "select, textarea, video, audio, map")


JUNK_TAGS = tuple(JUNK_SELECTOR.split(", "))
# The junk tags that may stand in a document's <head>: any other start tag there
# ends the head (WHATWG 13.2.6.4.4), and head elements are children of the head
# or of a <noscript> in it ("in head noscript", 13.2.6.4.5).
_HEAD_JUNK_TAGS = frozenset({"script", "style", "noscript", "template"})


def strip_junk(node: Any, tree: LexborHTMLParser | None = None) -> None:
    """Remove junk elements under `node` (and `node` itself if it is one), in C.

    `tree`: the document whose <body> `node` is. Its junk is then found by
    tag name (`tree.tags`, lexbor's plain tag walk), less the head's: a CSS
    query runs every selector of the list on every element (15 here, ~1 M
    instructions on an average AEB page), a tag walk compares one name.
    Every element of a parsed document lies in its head or its body, so the
    two find the same elements; removing one only unlinks it, so the order
    does not matter.
    """
    if tree is None or tree.body is None or node.mem_id != tree.body.mem_id:
        for junk in node.css(JUNK_SELECTOR):
            if junk.tag != "script" or junk.attributes.get("type") != "application/ld+json":
                junk.decompose()
        return
    head = tree.head
    head_id = head.mem_id if head is not None else None
    for tag in JUNK_TAGS:
        for junk in tree.tags(tag):
            if tag in _HEAD_JUNK_TAGS and head_id is not None and _in_head(junk, head_id):
                continue
            if tag != "script" or junk.attributes.get("type") != "application/ld+json":
                junk.decompose()


def _in_head(node: Any, head_id: int) -> bool:
    """Whether a head-able element (`_HEAD_JUNK_TAGS`) sits in the head."""
    parent = node.parent
    if parent is None:
        return False
    if parent.mem_id == head_id:
        return True
    grand = parent.parent if parent.tag == "noscript" else None
    return grand is not None and grand.mem_id == head_id


def block_depth(text: str) -> int:
    """Deepest nesting of block tags, counted from start and end tags alone."""
    depth = deepest = 0
    for match in _TAG.finditer(text):
        if not match.group(2):
            continue
        if match.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


class _Defuser:
    """Decides, tag by tag, which block and formatting tags to drop.

    Block end tags close the innermost open block whatever their name (how
    well-formed markup behaves; misnesting only moves where dropping
    starts). A formatting end tag first cancels a dropped start tag of its
    name, so kept elements keep their own end tags.
    """

    def __init__(self) -> None:
        self.blocks_kept: list[bool] = []  # one entry per open block
        self.depth_kept = 0
        self.open_formatting = 0
        self.formatting_kept: dict[str, int] = {}
        self.formatting_dropped: dict[str, int] = {}
        self.dropped = [0, 0]

    def keep(self, match: re.Match[str]) -> bool:
        if match.group(2):
            keep = self._block(bool(match.group(1)))
            self.dropped[0] += not keep
        else:
            keep = self._formatting(bool(match.group(1)), match.group(3).lower())
            self.dropped[1] += not keep
        return keep

    def _block(self, closing: bool) -> bool:
        if closing:
            if not self.blocks_kept:
                return True
            kept = self.blocks_kept.pop()
            self.depth_kept -= kept
            return kept
        kept = self.depth_kept < MAX_BLOCK_DEPTH
        self.blocks_kept.append(kept)
        self.depth_kept += kept
        return kept

    def _formatting(self, closing: bool, name: str) -> bool:
        if closing:
            if self.formatting_dropped.get(name):
                self.formatting_dropped[name] -= 1
                return False
            if self.formatting_kept.get(name):
                self.formatting_kept[name] -= 1
                self.open_formatting -= 1
            return True
        if self.open_formatting >= MAX_OPEN_FORMATTING:
            self.formatting_dropped[name] = self.formatting_dropped.get(name, 0) + 1
            return False
        self.formatting_kept[name] = self.formatting_kept.get(name, 0) + 1
        self.open_formatting += 1
        return True


def defuse(text: str) -> tuple[str, tuple[int, int]]:
    """Drop block tags nested deeper than `MAX_BLOCK_DEPTH` and formatting
    tags opened while `MAX_OPEN_FORMATTING` are open; keep all text.

    Linear: one regex scan, one stack. Returns the text (the same object
    when nothing is dropped) and the counts of dropped block and formatting
    tags.
    """
    defuser = _Defuser()
    pieces: list[str] = []
    last = 0
    for match in _TAG.finditer(text):
        if defuser.keep(match):
            continue
        end = text.find(">", match.end())
        end = len(text) if end < 0 else end + 1
        pieces.append(text[last:match.start()])
        last = end
    if not pieces:
        return text, (0, 0)
    pieces.append(text[last:])
    return "".join(pieces), (defuser.dropped[0], defuser.dropped[1])

