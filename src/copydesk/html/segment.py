"""HTML tree -> Blocks, in one iterative walk (no recursion, so depth is free).

A Block is the run of text between two block-level boundaries (a <p>, a <div>
start or end, a <br>, ...), like the "text blocks" of boilerpipe
(Kohlschütter et al., WSDM 2010). While walking, every block remembers the
features the classifier reads: tag path, class/id words of its ancestors,
how much of it sits in links, the container it belongs to. Data tables
become one block each (rendered as Markdown); layout tables are walked like
divs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from copydesk.blocks import Block
from copydesk.html.tables import is_data_table, table_block
from copydesk.html.vocab import BLOCK_TAGS, KIND_OF_TAG, SKIP_TAGS, hint_words

_MAX_HINT_DEPTH = 12  # ancestors whose class/id words a block remembers


@dataclass(slots=True)
class _Frame:
    """One open element during the walk; `node` is its id in `Segmenter.nodes`."""

    tag: str
    words: tuple[str, ...]
    container: int
    is_block: bool
    node: int = 0


@dataclass(slots=True)
class NodeInfo:
    """An element the walk opened: what classify needs to reason about regions."""

    tag: str
    words: tuple[str, ...]
    parent: int  # id of the parent element, -1 for the root
    is_block: bool


@dataclass(slots=True)
class _State:
    blocks: list[Block] = field(default_factory=list)
    frames: list[_Frame] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)
    link_chars: int = 0
    link_depth: int = 0
    list_depth: int = 0
    quote_depth: int = 0
    pre_depth: int = 0
    nodes: list[NodeInfo] = field(default_factory=list)


def _is_hidden(attrs: dict[str, Any]) -> bool:
    """Hidden by attribute or inline style: browsers do not show it, neither do we."""
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    if style:
        compact = style.replace(" ", "").lower()
        return "display:none" in compact or "visibility:hidden" in compact
    return False


def _element_words(attrs: dict[str, Any]) -> tuple[str, ...]:
    parts = [attrs.get("class") or "", attrs.get("id") or "", attrs.get("role") or "",
             attrs.get("itemprop") or ""]
    joined = " ".join(p for p in parts if p)
    return hint_words(joined) if joined else ()


class Segmenter:
    """Walks a parsed <body> and emits Blocks in reading order."""

    def __init__(self) -> None:
        self.state = _State()

    def run(self, root: Any) -> list[Block]:
        """Walk `root` (the <body> node) and return its Blocks."""
        st = self.state
        self._open(root)
        stack = [(root, root.iter(include_text=True))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                self._close(node)
                continue
            tag = child.tag
            if tag == "-text":
                self._text(child.text_content or "")
            elif tag == "-comment" or tag in SKIP_TAGS:
                continue
            elif tag == "br":
                self._flush()
            elif self._enter(child, tag):
                stack.append((child, child.iter(include_text=True)))
        self._flush()
        return st.blocks

    def _enter(self, node: Any, tag: str) -> bool:
        """Handle an element's start; False when its subtree is skipped."""
        attrs = node.attributes
        if attrs and _is_hidden(attrs):
            return False
        if tag == "table" and is_data_table(node):
            self._flush()
            block = table_block(node, self._context())
            if block is not None:
                self._emit(block)
            return False
        self._open(node, tag, attrs)
        return True

    def _open(self, node: Any, tag: str | None = None, attrs: dict[str, Any] | None = None) -> None:
        st = self.state
        tag = tag or node.tag
        is_block = tag in BLOCK_TAGS
        words = _element_words(attrs) if attrs else ()
        if is_block:
            self._flush()
        node_id = len(st.nodes)
        parent = st.frames[-1].node if st.frames else -1
        st.nodes.append(NodeInfo(tag, words, parent, is_block))
        container = node_id if is_block else (st.frames[-1].container if st.frames else 0)
        st.frames.append(_Frame(tag, words, container, is_block, node_id))
        if tag == "a":
            st.link_depth += 1
        elif tag in ("ul", "ol"):
            st.list_depth += 1
        elif tag == "blockquote":
            st.quote_depth += 1
        elif tag == "pre":
            st.pre_depth += 1

    def _close(self, node: Any) -> None:
        st = self.state
        frame = st.frames.pop()
        if frame.is_block:
            st.frames.append(frame)  # flush while the block's frame is still open
            self._flush()
            st.frames.pop()
        tag = frame.tag
        if tag == "a":
            st.link_depth -= 1
        elif tag in ("ul", "ol"):
            st.list_depth -= 1
        elif tag == "blockquote":
            st.quote_depth -= 1
        elif tag == "pre":
            st.pre_depth -= 1

    def _text(self, text: str) -> None:
        st = self.state
        if not text:
            return
        st.pieces.append(text)
        if st.link_depth:
            st.link_chars += len(text.strip())

    def _context(self) -> tuple[str, tuple[str, ...], int]:
        """(tag path, hint words nearest first, innermost element id) of the position."""
        frames = self.state.frames
        path = ">".join(f.tag for f in frames[-8:])
        words: list[str] = []
        for frame in reversed(frames[-_MAX_HINT_DEPTH:]):
            words.extend(frame.words)
        node = frames[-1].node if frames else 0
        return path, tuple(words), node

    def _kind(self) -> str:
        for frame in reversed(self.state.frames):
            kind = KIND_OF_TAG.get(frame.tag)
            if kind:
                return kind
            if frame.is_block and frame.tag not in ("div", "span", "section", "article"):
                break
        st = self.state
        if st.quote_depth:
            return "quote"
        return "p"

    def _flush(self) -> None:
        """Turn the text gathered since the last boundary into a Block."""
        st = self.state
        if not st.pieces:
            return
        raw = "".join(st.pieces)
        st.pieces.clear()
        links, st.link_chars = st.link_chars, 0
        text = raw.strip("\n") if st.pre_depth else " ".join(raw.split())
        if not text.strip():
            return
        path, words, node = self._context()
        kind = "pre" if st.pre_depth else self._kind()
        block = Block(text=text, kind=kind, path=path, hints=words,
                      link_chars=min(links, len(text)), depth=len(st.frames),
                      container=node, list_depth=max(0, st.list_depth - 1))
        self._emit(block)

    def _emit(self, block: Block) -> None:
        block.index = len(self.state.blocks)
        self.state.blocks.append(block)


def segment(body: Any) -> tuple[list[Block], list[NodeInfo]]:
    """Blocks of a parsed <body> node in reading order, and the element table.

    Each Block's `container` is the id (index into the table) of the
    innermost element around its text; the table links every element to its
    parent, so regions can be scored bottom-up.
    """
    segmenter = Segmenter()
    blocks = segmenter.run(body)
    return blocks, segmenter.state.nodes
