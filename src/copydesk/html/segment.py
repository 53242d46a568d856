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

from typing import Any, NamedTuple

from copydesk.blocks import Block
from copydesk.html.parse import strip_junk
from copydesk.html.tables import is_data_table, table_block
from copydesk.html.vocab import (
    BLOCK_TAGS,
    BOILERPLATE_TAGS,
    KIND_OF_TAG,
    NO_FLAGS,
    SKIP_TAGS,
    WordFlags,
    class_flags,
    hint_words,
)
from copydesk.normalize import collapse_spaces

_NO_HINTS: tuple[str, WordFlags] = ("", NO_FLAGS)


class NodeInfo(NamedTuple):
    """An element the walk opened: what classify needs to reason about regions.

    `flags` are the element's own class/id signals (see `html.vocab.word_flags`),
    computed once per distinct class string; `hints` its class, id and role
    as written, whose words (`words`) are only split on demand. A tuple:
    the walk makes one per element, and a tuple costs a third of a
    dataclass to make (`_new_node`).
    """

    tag: str
    hints: str
    parent: int  # id of the parent element, -1 for the root
    is_block: bool
    flags: WordFlags = NO_FLAGS

    @property
    def words(self) -> tuple[str, ...]:
        """The element's class/id words (`html.vocab.hint_words`)."""
        return hint_words(self.hints) if self.hints else ()


_new_node = tuple.__new__  # NodeInfo from a tuple of all its fields, no Python frame


def _is_hidden(attrs: dict[str, Any]) -> bool:
    """Hidden by attribute or inline style: browsers do not show it, neither do we."""
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    if style:
        compact = style.replace(" ", "").lower()
        return "display:none" in compact or "visibility:hidden" in compact
    return False


def element_hints(attrs: dict[str, Any]) -> tuple[str, WordFlags]:
    """Class, id and role of an element joined, and the flags of their words."""
    joined = attrs.get("class") or ""
    for extra in (attrs.get("id"), attrs.get("role")):
        if extra:
            joined = f"{joined} {extra}"
    return (joined, class_flags(joined)) if joined else _NO_HINTS


def _is_script_link(attrs: dict[str, Any] | None) -> bool:
    """An <a href="javascript:..."> goes nowhere: a button in a link's clothes.

    Its text is not link text (Readability.js likewise turns such links into
    plain text), so a story wrapped in one is not dropped as a link list.
    """
    href = attrs.get("href") if attrs else None
    return isinstance(href, str) and href.lstrip()[:11].lower() == "javascript:"


# Walk counters, indexes into `Segmenter.counts`: open <a>, lists, quotes, <pre>.
_LINK, _LIST, _QUOTE, _PRE = 0, 1, 2, 3
_COUNTER_OF_TAG = {"a": _LINK, "ul": _LIST, "ol": _LIST, "blockquote": _QUOTE, "pre": _PRE}
# Block-level elements that let the kind of their parent through (a <div> in
# an <li> holds list-item text); any other block-level element without a kind
# of its own stops the search (its text is a plain paragraph).
_KIND_TRANSPARENT = frozenset({"div", "span", "section", "article"})


_WALK_SKIPS = SKIP_TAGS | BOILERPLATE_TAGS | {"-comment"}
_WALK_SKIPS_NOSCRIPT = _WALK_SKIPS - {"noscript"}


class Segmenter:
    """Walks a parsed <body> and emits Blocks in reading order.

    Per open element the walk keeps, on parallel stacks, what a Block
    started inside it needs: its id (`open`), the kind its text would have
    (`kinds`, decided when it opens from its tag and its parent's) and the
    ids of the open block-level elements (`block_ids`, for `Block.group`).
    So flushing a Block costs the same at any depth.
    """

    def __init__(self, stripped: bool = False, noscript: bool = False) -> None:
        self.stripped = stripped  # junk already removed from the tree (`parse.strip_junk`)
        self.noscript = noscript  # walk <noscript> content (see `html.parse_and_segment`)
        self.root: Any = None
        self.blocks: list[Block] = []
        self.nodes: list[NodeInfo] = []
        self.open: list[int] = []  # ids of the open elements, outermost first
        self.kinds: list[str] = []  # block kind of text directly inside each open element
        self.block_ids: list[int] = []  # ids of the open block-level elements
        self.pieces: list[str] = []
        self.links = 0  # characters inside links since the last flush
        self.counts = [0, 0, 0, 0]  # open <a>, lists, quotes, <pre> (`_LINK`...)
        self.link_counted: list[bool] = []  # per open <a>: does it count as a link?

    def run(self, root: Any) -> list[Block]:
        """Walk `root` (the <body> node) and return its Blocks.

        The hot loop of the extractor (it sees every node of the page): text
        nodes are handled inline, `_flush` runs only when text is pending.
        """
        self.root = root
        self._open("body", {})
        pieces, counts, enter, close = self.pieces, self.counts, self._enter, self._close
        skip_tags = _WALK_SKIPS_NOSCRIPT if self.noscript else _WALK_SKIPS
        # Sibling by sibling through `next` (the DOM's own links): no iterator
        # object per element. `parents` holds the open elements beyond the root.
        parents: list[Any] = []
        closing: list[str] = []  # their tags
        node = root.first_child
        while True:
            if node is None:
                if not parents:
                    break
                close(closing.pop())
                node = parents.pop().next
                continue
            tag = node.tag
            if tag == "-text":
                text = node.text_content
                if text and (pieces or not text.isspace()):
                    pieces.append(text)
                    if counts[_LINK]:
                        self.links += len(text.strip())
            elif tag in skip_tags:
                pass
            elif tag == "br":
                if pieces:
                    self._flush()
            elif enter(node, tag):
                parents.append(node)
                closing.append(tag)
                node = node.first_child
                continue
            node = node.next
        if pieces:
            self._flush()
        return self.blocks

    def _enter(self, node: Any, tag: str) -> bool:
        """An element starts; False when its subtree is skipped (hidden, data table)."""
        attrs = node.attributes
        if attrs and ("style" in attrs or "hidden" in attrs or "aria-hidden" in attrs) \
                and _is_hidden(attrs):
            return False
        if tag == "table" and self._is_data_table(node):
            self._flush()
            block = table_block(node, self.open[-1])
            if block is not None:
                self._emit(block)
            return False
        is_block = tag in BLOCK_TAGS
        if is_block and self.pieces:
            self._flush()
        hints, flags = element_hints(attrs) if attrs else _NO_HINTS
        nodes = self.nodes
        node_id = len(nodes)
        nodes.append(_new_node(NodeInfo, (tag, hints, self.open[-1], is_block, flags)))
        self.open.append(node_id)
        counts = self.counts
        counter = _COUNTER_OF_TAG.get(tag)
        if counter is not None:
            if tag == "a":
                counted = not _is_script_link(attrs)
                self.link_counted.append(counted)
                counts[_LINK] += counted
            else:
                counts[counter] += 1
        kind = KIND_OF_TAG.get(tag)
        if kind is None:
            if is_block and tag not in _KIND_TRANSPARENT:
                kind = "quote" if counts[_QUOTE] else "p"
            else:
                kind = self.kinds[-1]
        self.kinds.append(kind)
        if is_block:
            self.block_ids.append(node_id)
        return True

    def _is_data_table(self, node: Any) -> bool:
        """`tables.is_data_table` once junk is gone (a <noscript><div> in a cell must
        not make it a layout table): the first table strips the whole page, once
        (stripping each table would be quadratic in nested layout tables)."""
        if not self.stripped:
            strip_junk(self.root)
            self.stripped = True
        return is_data_table(node)

    def _close(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            if self.pieces:
                self._flush()
            self.block_ids.pop()
        self.open.pop()
        self.kinds.pop()
        counter = _COUNTER_OF_TAG.get(tag)
        if counter is not None:
            self.counts[counter] -= self.link_counted.pop() if tag == "a" else 1

    def _open(self, tag: str, attrs: dict[str, Any]) -> None:
        """Open the root element (`_enter` opens the others the same way)."""
        hints, flags = element_hints(attrs) if attrs else _NO_HINTS
        is_block = tag in BLOCK_TAGS
        self.nodes.append(NodeInfo(tag, hints, -1, is_block, flags))
        self.open.append(len(self.nodes) - 1)
        self.kinds.append(KIND_OF_TAG.get(tag) or "p")
        if is_block:
            self.block_ids.append(len(self.nodes) - 1)

    def _flush(self) -> None:
        """Turn the text gathered since the last boundary into a Block."""
        pieces = self.pieces
        if not pieces:
            return
        raw = "".join(pieces)
        pieces.clear()
        links, self.links = self.links, 0
        pre = self.counts[_PRE] > 0
        text = raw.strip("\n") if pre else collapse_spaces(raw)
        if not text or text.isspace():
            return
        block_ids = self.block_ids
        self._emit(Block(text=text, kind="pre" if pre else self.kinds[-1],
                         link_chars=min(links, len(text)), depth=len(self.open),
                         container=self.open[-1],
                         group=block_ids[-2] if len(block_ids) > 1 else -1,
                         list_depth=max(0, self.counts[_LIST] - 1)))

    def _emit(self, block: Block) -> None:
        block.index = len(self.blocks)
        self.blocks.append(block)


def segment(body: Any, stripped: bool = False, noscript: bool = False
            ) -> tuple[list[Block], list[NodeInfo]]:
    """Blocks of a parsed <body> node in reading order, and the element table.

    `stripped`: junk elements are already gone from `body` (`parse.strip_junk`).
    `noscript`: walk the content of <noscript> elements too.
    """
    segmenter = Segmenter(stripped, noscript)
    blocks = segmenter.run(body)
    return blocks, segmenter.nodes

