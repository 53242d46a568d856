"""HTML -> Blocks (not yet classified: `copydesk.classify.page` runs the classifier)."""

from __future__ import annotations

from typing import Any, NamedTuple

from selectolax.lexbor import LexborHTMLParser

from copydesk.blocks import Block
from copydesk.html.parse import parse_html, strip_junk
from copydesk.html.segment import NodeInfo, segment
from copydesk.html.streamed import place_streamed_segments, streams_segments
from copydesk.html.vocab import BOILERPLATE_TAGS
from copydesk.options import Options


class Segmented(NamedTuple):
    """A parsed page cut into Blocks, not yet classified."""

    tree: LexborHTMLParser
    blocks: list[Block]
    nodes: list[NodeInfo]  # the element table (parents, class/id words)


def parse_and_segment(text: str, options: Options, notes: list[str] | None = None,
                      utf8: bytes | None = None) -> Segmented:
    """Parse one page and cut its <body> into Blocks (not yet classified).

    Returns the tree, the Blocks and the element table. With
    `options.metadata` the tree's <body> is stripped of junk (`strip_junk`)
    for the metadata readers (the head is intact and JSON-LD scripts are
    kept); without, it is left as parsed: the walk skips those elements
    anyway, and strips them inside the tables it reads. Parser notes (tags
    dropped from pathological nesting) go to `notes`. `utf8`: see
    `parse.parse_html`.
    """
    tree = parse_html(text, options.max_nodes, notes, utf8)
    body = tree.body
    if body is None:
        return Segmented(tree, [], [])
    if streams_segments(text) and place_streamed_segments(body) and notes is not None:
        notes.append(STREAMED_NOTE)
    if options.metadata:
        strip_junk(body, tree)
    blocks, nodes = segment(body, stripped=options.metadata)
    if _chars(blocks) < _NOSCRIPT_BELOW:
        blocks, nodes = _fallbacks(text, body, options, notes, utf8, blocks, nodes)
    return Segmented(tree, blocks, nodes)


def _fallbacks(text: str, body: Any, options: Options, notes: list[str] | None,
               utf8: bytes | None, blocks: list[Block], nodes: list[NodeInfo]
               ) -> tuple[list[Block], list[NodeInfo]]:
    """A page that shows under `_NOSCRIPT_BELOW` characters, walked again where its
    text may be: in <noscript>, hidden until its scripts run, or swallowed by a
    boilerplate element left open; each kept when it gives at least twice the text
    plus `_NOSCRIPT_GAIN` characters, and said in `notes`."""
    said = notes if notes is not None else []
    if "<noscript" in text:
        again = _noscript_blocks(text, options, utf8)
        if again is not None and _chars(again[0]) >= 2 * _chars(blocks) + _NOSCRIPT_GAIN:
            said.append(NOSCRIPT_NOTE)
            blocks, nodes = again
    if _chars(blocks) < _NOSCRIPT_BELOW and "<noscript" in text:
        scripted = _scripted_blocks(text, options, utf8)
        if scripted is not None and _chars(scripted[0]) >= 2 * _chars(blocks) + _NOSCRIPT_GAIN:
            said.append(SCRIPTED_NOTE)
            blocks, nodes = scripted
    if _chars(blocks) < _NOSCRIPT_BELOW and NOSCRIPT_NOTE not in said:
        shown = segment(body, stripped=options.metadata, reveal=True)
        if _chars(shown[0]) >= 2 * _chars(blocks) + _NOSCRIPT_GAIN:
            said.append(REVEALED_NOTE)
            blocks, nodes = shown
    if _chars(blocks) < _NOSCRIPT_BELOW and _unwrap_swallowing(body):
        opened = segment(body, stripped=options.metadata)
        if _chars(opened[0]) >= 2 * _chars(blocks) + _NOSCRIPT_GAIN:
            said.append(SWALLOWED_NOTE)
            blocks, nodes = opened
    return blocks, nodes


NOSCRIPT_NOTE = "the page's text is in <noscript>: read from there"
STREAMED_NOTE = "streamed segments moved into place, as the page's scripts would (html.streamed)"
# Streaming renderers (React's `<div hidden id="S:0">`, swapped in by a script)
# and anti-flicker wrappers ship a page whose whole text is hidden until its
# scripts run: when what shows is under `_NOSCRIPT_BELOW` characters and the
# hidden elements hold at least twice that plus `_NOSCRIPT_GAIN`, they are
# walked as shown. WCXB: 14 pages (4 of them articles with none of their
# 5,000-15,000 gold characters in any block before); none on AEB, Readability
# or newspaper4k.
REVEALED_NOTE = "the page's text is hidden until its scripts run: read as shown"


# A <main> may not sit inside <aside>, <nav> or <footer> (HTML Living Standard,
# "the main element"), so one found there was put there by broken markup: a
# boilerplate element left open (`<aside class="announcement-banner">` whose
# end tag never comes) swallows the rest of the page, and the walk, which
# skips boilerplate subtrees, finds nothing. When the page shows under
# `_NOSCRIPT_BELOW` characters, such wrappers are unwrapped (their children
# kept in place) and the page is walked again. WCXB: one article (0 -> 14,600
# characters of its gold in blocks); no page of AEB, Readability or newspaper4k.
SWALLOWED_NOTE = "a <main> was inside a boilerplate element left open: unwrapped"


def _unwrap_swallowing(body: Any) -> bool:
    """Unwrap every <aside>/<nav>/<footer>/<menu> around a <main> (or role=main);
    True when one was."""
    changed = False
    for main in body.css("main, [role=main]"):
        node = main.parent
        while node is not None and node.tag != "body":
            above = node.parent
            if node.tag in BOILERPLATE_TAGS:
                node.unwrap()
                changed = True
            node = above
    return changed


def with_hidden(page: Segmented, options: Options, notes: list[str]) -> Segmented:
    """`page` segmented again with its hidden elements walked (`segment(hidden=True)`).

    For page types whose content a page may keep in closed tabs and
    accordions (a product's description and specifications): the page type
    is read from the visible page first, so only its blocks change. A page
    read from <noscript> or already read with its hidden elements shown
    (`REVEALED_NOTE`) or parsed as a scripting browser (`SCRIPTED_NOTE`; see
    `notes`) is left as it is.
    """
    body = page.tree.body
    if body is None or not page.nodes or any(n in notes for n in _OWN_TREE_NOTES):
        return page
    blocks, nodes = segment(body, stripped=options.metadata, hidden=True)
    return Segmented(page.tree, blocks, nodes)


# A page that shows under this many characters may serve its content to
# non-scripting readers in <noscript> (forum software such as Discourse
# renders whole threads there); it is read from there when that gives at
# least twice the text plus this many characters.
_NOSCRIPT_BELOW = 500
_NOSCRIPT_GAIN = 200


def _chars(blocks: list[Block]) -> int:
    return sum(len(b.text) for b in blocks)


# An element left open inside <noscript> (`<iframe ... />`: the slash does not
# close an iframe, whose content is raw text) swallows the rest of the page when
# <noscript> is parsed as markup, as a reader without scripts does; a browser that
# runs scripts reads <noscript> as raw text and shows the page. WCXB: one service
# page (a tag manager's `<noscript><iframe .../></noscript>` at the top of <body>).
SCRIPTED_NOTE = "an element left open in <noscript> hid the page: parsed as a scripting browser"


def _scripted_blocks(text: str, options: Options, utf8: bytes | None
                     ) -> tuple[list[Block], list[NodeInfo]] | None:
    """The page parsed again as a browser that runs scripts, and segmented."""
    tree = parse_html(text, options.max_nodes, None, utf8, scripting=True)
    body = tree.body
    if body is None:
        return None
    if streams_segments(text):
        place_streamed_segments(body)
    return segment(body)


def _noscript_blocks(text: str, options: Options, utf8: bytes | None
                     ) -> tuple[list[Block], list[NodeInfo]] | None:
    """The page segmented again, from a fresh parse, with <noscript> content walked."""
    body = parse_html(text, options.max_nodes, None, utf8).body
    return None if body is None else segment(body, noscript=True)


# Pages whose blocks were read from another parse or walk than the tree's plain one.
_OWN_TREE_NOTES = (NOSCRIPT_NOTE, REVEALED_NOTE, SCRIPTED_NOTE)

__all__ = ["NOSCRIPT_NOTE", "REVEALED_NOTE", "SCRIPTED_NOTE", "STREAMED_NOTE", "SWALLOWED_NOTE",
           "Segmented", "parse_and_segment", "with_hidden"]
