"""HTML tree -> Blocks, in one iterative walk (no recursion, so depth is free).

A Block is the run of text between two block-level boundaries (a <p>, a <div>
start or end, a <br>, ...), like the "text blocks" of boilerpipe
(Kohlschütter et al., WSDM 2010). While walking, every block remembers how
much of it sits in links and the element it sits in (`container`, an id into
the element table, which links every element to its parent and records what
its class/id words say, so regions can be scored bottom-up). Data tables
become one block each (rendered as Markdown); layout tables are walked like
divs.

<nav>, <aside>, <footer> and <menu> subtrees are not walked: they never hold
the article, and on news pages they are about a third of the elements (the
tree keeps them for metadata, which reads breadcrumbs and copyright lines).

The walk is the hot loop of the extractor (about 1,500 nodes per news page):
text nodes are handled inline and `_flush` runs only when text is pending.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from copydesk.blocks import Block
from copydesk.html.tables import is_data_table, table_block
from copydesk.html.vocab import (
    BLOCK_TAGS,
    BOILERPLATE_TAGS,
    KIND_OF_TAG,
    NO_FLAGS,
    SKIP_TAGS,
    WordFlags,
    hint_words,
    word_flags,
)

_WORDS_CACHE: dict[str, tuple[tuple[str, ...], WordFlags]] = {}
_WORDS_CACHE_MAX = 4096  # a page has ~100 distinct class strings; a site repeats its own
_CACHED_CHARS_MAX = 300  # huge class values are not kept: the cache outlives the page
_NO_WORDS: tuple[tuple[str, ...], WordFlags] = ((), NO_FLAGS)
_COUNTERS = {"a": "link", "ul": "list", "ol": "list", "blockquote": "quote", "pre": "pre"}


@dataclass(slots=True)
class NodeInfo:
    """An element the walk opened: what classify needs to reason about regions.

    `flags` are the element's own class/id signals (see `html.vocab.word_flags`),
    computed once per distinct class string.
    """

    tag: str
    words: tuple[str, ...]
    parent: int  # id of the parent element, -1 for the root
    is_block: bool
    flags: WordFlags = NO_FLAGS


def _is_hidden(attrs: dict[str, Any]) -> bool:
    """Hidden by attribute or inline style: browsers do not show it, neither do we."""
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    if style:
        compact = style.replace(" ", "").lower()
        return "display:none" in compact or "visibility:hidden" in compact
    return False


def element_words(attrs: dict[str, Any]) -> tuple[tuple[str, ...], WordFlags]:
    """Class, id and role of an element as hint words and their flags.

    Cached by value: a page repeats a few dozen class strings hundreds of times.
    """
    joined = attrs.get("class") or ""
    for extra in (attrs.get("id"), attrs.get("role")):
        if extra:
            joined = f"{joined} {extra}"
    if not joined:
        return (), NO_FLAGS
    cached = _WORDS_CACHE.get(joined)
    if cached is None:
        words = hint_words(joined)
        cached = (words, word_flags(words))
        if len(joined) <= _CACHED_CHARS_MAX:
            if len(_WORDS_CACHE) >= _WORDS_CACHE_MAX:
                _WORDS_CACHE.clear()  # bounded memory over millions of pages
            _WORDS_CACHE[joined] = cached
    return cached


class Segmenter:
    """Walks a parsed <body> and emits Blocks in reading order."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.nodes: list[NodeInfo] = []
        self.open: list[int] = []  # ids of the open elements, outermost first
        self.pieces: list[str] = []
        self.link_chars = 0
        self.depth = {"link": 0, "list": 0, "quote": 0, "pre": 0}

    def run(self, root: Any) -> list[Block]:
        """Walk `root` (the <body> node) and return its Blocks.

        Element starts and ends are handled inline (this loop sees every node
        of the page); `_flush` runs only when text is pending.
        """
        self._open("body", {})
        stack = [root.iter(include_text=True)]
        closing: list[str] = []  # tag of each element on `stack` beyond the root
        pieces, depth = self.pieces, self.depth
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                if closing:
                    self._close(closing.pop())
                continue
            tag = child.tag
            if tag == "-text":
                text = child.text_content
                if text and (pieces or not text.isspace()):
                    pieces.append(text)
                    if depth["link"]:
                        self.link_chars += len(text.strip())
            elif tag in SKIP_TAGS or tag in BOILERPLATE_TAGS or tag == "-comment":
                continue
            elif tag == "br":
                if pieces:
                    self._flush()
            elif self._enter(child, tag):
                stack.append(child.iter(include_text=True))
                closing.append(tag)
        self._close("body")
        return self.blocks

    def _enter(self, node: Any, tag: str) -> bool:
        """An element starts; False when its subtree is skipped."""
        attrs = node.attributes
        if attrs and ("style" in attrs or "hidden" in attrs or "aria-hidden" in attrs) \
                and _is_hidden(attrs):
            return False
        if tag == "table" and is_data_table(node):
            self._flush()
            block = table_block(node, self.open[-1] if self.open else 0)
            if block is not None:
                self._emit(block)
            return False
        self._open(tag, attrs)
        return True

    def _open(self, tag: str, attrs: dict[str, Any]) -> None:
        is_block = tag in BLOCK_TAGS
        if is_block and self.pieces:
            self._flush()
        open_ids = self.open
        words, flags = element_words(attrs) if attrs else _NO_WORDS
        self.nodes.append(NodeInfo(tag, words, open_ids[-1] if open_ids else -1, is_block, flags))
        open_ids.append(len(self.nodes) - 1)
        counter = _COUNTERS.get(tag)
        if counter:
            self.depth[counter] += 1

    def _close(self, tag: str) -> None:
        if self.pieces and tag in BLOCK_TAGS:
            self._flush()
        self.open.pop()
        counter = _COUNTERS.get(tag)
        if counter:
            self.depth[counter] -= 1

    def _kind(self) -> str:
        """Block kind from the nearest kind-giving ancestor (p, h2, li, blockquote...)."""
        nodes = self.nodes
        for i in reversed(self.open):
            info = nodes[i]
            kind = KIND_OF_TAG.get(info.tag)
            if kind:
                return kind
            if info.is_block and info.tag not in ("div", "span", "section", "article"):
                break
        return "quote" if self.depth["quote"] else "p"

    def _flush(self) -> None:
        """Turn the text gathered since the last boundary into a Block."""
        pieces = self.pieces
        if not pieces:
            return
        raw = "".join(pieces)
        pieces.clear()
        links, self.link_chars = self.link_chars, 0
        pre = self.depth["pre"] > 0
        text = raw.strip("\n") if pre else " ".join(raw.split())
        if not text or text.isspace():
            return
        self._emit(Block(text=text, kind="pre" if pre else self._kind(),
                         link_chars=min(links, len(text)), depth=len(self.open),
                         container=self.open[-1] if self.open else 0, group=self._group(),
                         list_depth=max(0, self.depth["list"] - 1)))

    def _group(self) -> int:
        """Id of the second block-level element up from the text (its holder's holder)."""
        seen_block = False
        for i in reversed(self.open):
            if self.nodes[i].is_block:
                if seen_block:
                    return i
                seen_block = True
        return -1

    def _emit(self, block: Block) -> None:
        block.index = len(self.blocks)
        self.blocks.append(block)


def segment(body: Any) -> tuple[list[Block], list[NodeInfo]]:
    """Blocks of a parsed <body> node in reading order, and the element table."""
    segmenter = Segmenter()
    blocks = segmenter.run(body)
    return blocks, segmenter.nodes

