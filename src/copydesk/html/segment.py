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

from collections.abc import Iterable
from itertools import repeat
from typing import Any, NamedTuple

from selectolax.lexbor import LexborHTMLParser

from copydesk.blocks import Block
from copydesk.html.classes import PageClasses, read_classes
from copydesk.html.parse import strip_junk
from copydesk.html.tables import is_data_table, table_block
from copydesk.html.vocab import (
    ARIA_HIDDEN_WORD,
    BLOCK_TAGS,
    BOILERPLATE_TAGS,
    CONTROLLED_WORD,
    HIDDEN_WORD,
    KIND_OF_TAG,
    NO_FLAGS,
    SKIP_TAGS,
    WordFlags,
    hint_words,
)


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


class NodeTable(list[NodeInfo]):
    """The element table as the walk leaves it: NodeInfos in element order, and
    the page's class/id strings read once (`html.classes.PageClasses`; None when
    the table was built otherwise: readers then call `classes.classes_of`)."""

    __slots__ = ("classes",)

    def __init__(self, nodes: Iterable[NodeInfo] = (), classes: PageClasses | None = None
                 ) -> None:
        super().__init__(nodes)
        self.classes = classes


_new_node = tuple.__new__  # NodeInfo from a tuple of all its fields, no Python frame


def _is_hidden(attrs: dict[str, Any]) -> bool:
    """Hidden by attribute or inline style: browsers do not show it, neither do we."""
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    return _hidden_by_style(attrs.get("style"))


def _hidden_word(attrs: dict[str, Any], controlled: frozenset[str]) -> str:
    """The marker word of a hidden element walked (`segment(hidden=True)`, `vocab.HIDDEN_WORDS`).

    `CONTROLLED_WORD` when a control names it (`controlled`: see
    `controlled_ids`) or it names its tab (`aria-labelledby`); else
    `ARIA_HIDDEN_WORD` when only `aria-hidden` hides it (it is on screen);
    else `HIDDEN_WORD`.
    """
    if "aria-labelledby" in attrs or attrs.get("id") in controlled:
        return CONTROLLED_WORD
    if "hidden" not in attrs and not _hidden_by_style(attrs.get("style")):
        return ARIA_HIDDEN_WORD
    return HIDDEN_WORD


def _hidden_by_style(style: str | None) -> bool:
    if not style:
        return False
    compact = style.replace(" ", "").lower()
    return "display:none" in compact or "visibility:hidden" in compact


# Attributes by which a tab, a button or a link names the panel it opens.
_CONTROL_SELECTOR = "[aria-controls], [data-target], [data-bs-target], a[href^='#']"


def controlled_ids(body: Any) -> frozenset[str]:
    """Ids that some element of `body` names as what it opens or points to."""
    ids: set[str] = set()
    for element in body.css(_CONTROL_SELECTOR):
        attrs = element.attributes
        ids.update((attrs.get("aria-controls") or "").split())
        for name in ("data-target", "data-bs-target", "href"):
            value = attrs.get(name)
            if value and value.startswith("#") and len(value) > 1:
                ids.add(value[1:])
    return frozenset(ids)


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
# How the kind of the text directly inside an element is found (`_TAG_FACTS`).
_INHERIT, _PARAGRAPH = 0, 1  # the parent's kind; "quote" inside a quote, else "p"


def _tag_facts(tag: str) -> tuple[bool, int | None, str | int]:
    """(block-level?, walk counter or None, kind or how to find it) of a tag."""
    is_block = tag in BLOCK_TAGS
    kind: str | int | None = KIND_OF_TAG.get(tag)
    if kind is None:
        kind = _PARAGRAPH if is_block and tag not in _KIND_TRANSPARENT else _INHERIT
    return is_block, _COUNTER_OF_TAG.get(tag), kind


# Every tag the vocabulary names, looked up once per element; any other tag
# (custom elements, <span>, <b>...) is inline and takes its parent's kind.
_TAG_FACTS = {tag: _tag_facts(tag) for tag in (*BLOCK_TAGS, *KIND_OF_TAG, *_COUNTER_OF_TAG)}
_INLINE = _tag_facts("span")


def _static_tag_names() -> dict[int, str]:
    """lexbor's tag id -> name, for the tags it knows by a fixed id.

    Reading `tag_id` (an int) and looking the name up costs half of reading
    `tag`, which decodes a new string per element. Names lexbor does not
    know (custom elements) get ids per document, so only ids below the
    first such id are kept; any other id is read by `tag` as before.
    """
    names = sorted({*BLOCK_TAGS, *SKIP_TAGS, *BOILERPLATE_TAGS, *KIND_OF_TAG, *_COUNTER_OF_TAG,
                    *_INLINE_NAMES})
    doc = LexborHTMLParser("<body>text<!--c--></body>")
    first_custom = doc.create_node("copydesk-custom").tag_id
    known = {}
    for name in names:
        node = doc.create_node(name)
        if node.tag_id < first_custom and node.tag == name:
            known[node.tag_id] = name
    body = doc.body
    if body is not None and body.first_child is not None:
        for child in (body.first_child, body.first_child.next):
            if child is not None and child.tag is not None:
                known[child.tag_id] = child.tag
    return known


# Inline and other common tags (names beyond these are read by `node.tag`).
_INLINE_NAMES = ("a", "span", "b", "i", "em", "strong", "small", "big", "sup", "sub", "u", "s",
                 "code", "time", "abbr", "cite", "q", "mark", "del", "ins", "font", "kbd", "var",
                 "samp", "dfn", "bdi", "bdo", "data", "wbr", "nobr", "tt", "strike", "ruby", "rt",
                 "rp", "output", "meter", "progress", "col", "colgroup", "area", "track", "param",
                 "html", "head", "body", "main", "search", "slot", "menuitem", "image", "marquee",
                 "blink", "center", "noindex", "listing", "plaintext", "xmp", "frame", "frameset",
                 "noframes", "noembed", "applet", "basefont", "bgsound", "keygen", "acronym")
_TAG_NAMES = _static_tag_names()
_TEXT_ID = LexborHTMLParser("<body>t</body>").body.first_child.tag_id  # type: ignore[union-attr]

_WALK_SKIPS = SKIP_TAGS | BOILERPLATE_TAGS | {"-comment"}
_WALK_SKIPS_NOSCRIPT = _WALK_SKIPS - {"noscript"}


class Segmenter:
    """Walks a parsed <body> and emits Blocks in reading order.

    Per open element the walk keeps, on parallel stacks, what a Block
    started inside it needs: its id (`open`), the kind its text would have
    (`kinds`, decided when it opens from its tag and its parent's) and the
    ids of the open block-level elements (`block_ids`, for `Block.group`).
    So flushing a Block costs the same at any depth. The element table is
    gathered in columns and made into `NodeInfo`s at the end, when the
    class/id strings of the whole page are read together (`classes.read_classes`).
    """

    def __init__(self, stripped: bool = False, noscript: bool = False,
                 hidden: bool = False, controlled: frozenset[str] = frozenset(),
                 reveal: bool = False) -> None:
        self.stripped = stripped  # junk already removed from the tree (`parse.strip_junk`)
        self.noscript = noscript  # walk <noscript> content (see `html.parse_and_segment`)
        self.hidden = hidden  # walk hidden elements, marked (`vocab.HIDDEN_WORDS`, `segment`)
        self.controlled = controlled  # ids that controls open (`controlled_ids`)
        self.reveal = reveal  # walk hidden elements as if shown, unmarked (see `segment`)
        self.root: Any = None
        self.blocks: list[Block] = []
        self.nodes: list[NodeInfo] = []
        # The element table, one column per NodeInfo field but the flags.
        self.tags: list[str] = ["body"]
        self.hints: list[str] = [""]
        self.parents: list[int] = [-1]
        self.is_block: list[bool] = ["body" in BLOCK_TAGS]
        self.open: list[int] = [0]  # ids of the open elements, outermost first
        # block kind of text directly inside each open element
        self.kinds: list[str] = [KIND_OF_TAG.get("body") or "p"]
        self.block_ids: list[int] = [0] if self.is_block[0] else []  # open block-level elements
        self.pieces: list[str] = []
        self.links = 0  # characters inside links since the last flush
        self.counts = [0, 0, 0, 0]  # open <a>, lists, quotes, <pre> (`_LINK`...)
        self.link_counted: list[bool] = []  # per open <a>: does it count as a link?

    def run(self, root: Any) -> list[Block]:  # noqa: C901 - the hot loop, inlined on purpose
        """Walk `root` (the <body> node) and return its Blocks.

        The hot loop of the extractor (it sees every node of the page): text
        nodes are handled inline, and so are opening and closing an element
        (the stacks bound to locals: one method call per element cost a
        tenth of the walk); `_flush` runs only when text is pending.
        """
        self.root = root
        pieces, counts, flush = self.pieces, self.counts, self._flush
        tags, hints, parent_ids, is_blocks = self.tags, self.hints, self.parents, self.is_block
        open_ids, kinds, block_ids, link_counted = (self.open, self.kinds, self.block_ids,
                                                    self.link_counted)
        skip_tags = _WALK_SKIPS_NOSCRIPT if self.noscript else _WALK_SKIPS
        walk_hidden = self.hidden or self.reveal
        mark_hidden = self.hidden
        tag_facts = _TAG_FACTS.get
        tag_name = _TAG_NAMES.get
        # Sibling by sibling through `next` (the DOM's own links): no iterator
        # object per element. `parents` holds the open elements beyond the root.
        parents: list[Any] = []
        closing: list[tuple[bool, int | None, str | int]] = []  # their `_TAG_FACTS`
        node = root.first_child
        while True:
            if node is None:  # the last child of the innermost open element: close it
                if not parents:
                    break
                is_block, counter, _ = closing.pop()
                if is_block:
                    if pieces:
                        flush()
                    block_ids.pop()
                open_ids.pop()
                kinds.pop()
                if counter is not None:
                    counts[counter] -= link_counted.pop() if counter == _LINK else 1
                node = parents.pop().next
                continue
            tag_id = node.tag_id  # an int: `node.tag` decodes a new str for each element
            if tag_id == _TEXT_ID:
                # Whitespace between elements (half the nodes) is dropped when no text
                # is pending, known without decoding it (`is_empty_text_node`, in C).
                if pieces or not node.is_empty_text_node:
                    text = node.text_content
                    if text and (pieces or not text.isspace()):
                        pieces.append(text)
                        if counts[_LINK]:
                            self.links += len(text.strip())
                node = node.next
                continue
            tag = tag_name(tag_id) or node.tag
            if tag in skip_tags:
                node = node.next
                continue
            if tag == "br":
                if pieces:
                    flush()
                node = node.next
                continue
            attrs = node.attributes
            if attrs:
                hidden = ("style" in attrs or "hidden" in attrs or "aria-hidden" in attrs) \
                    and _is_hidden(attrs)
                if hidden and not walk_hidden:
                    node = node.next  # skipped: hidden
                    continue
                hint = attrs.get("class") or ""  # class, id and role joined (`NodeInfo.hints`)
                extra = attrs.get("id")
                if extra:
                    hint = f"{hint} {extra}"
                extra = attrs.get("role")
                if extra:
                    hint = f"{hint} {extra}"
                if hidden and mark_hidden:  # walked, its text marked as hidden
                    mark = _hidden_word(attrs, self.controlled)
                    hint = f"{hint} {mark}" if hint else mark
            else:
                hint = ""
            if tag == "table" and self._table(node):
                node = node.next  # read whole: a data table
                continue
            facts = tag_facts(tag, _INLINE)
            is_block, counter, kind = facts
            if is_block and pieces:
                flush()
            node_id = len(tags)
            tags.append(tag)
            hints.append(hint)
            parent_ids.append(open_ids[-1])
            is_blocks.append(is_block)
            open_ids.append(node_id)
            if counter is not None:
                if counter == _LINK:
                    counted = not _is_script_link(attrs)
                    link_counted.append(counted)
                    counts[_LINK] += counted
                else:
                    counts[counter] += 1
            if kind == _INHERIT:
                kind = kinds[-1]
            elif kind == _PARAGRAPH:
                kind = "quote" if counts[_QUOTE] else "p"
            kinds.append(kind)  # type: ignore[arg-type]  # a str by now
            if is_block:
                block_ids.append(node_id)
            parents.append(node)
            closing.append(facts)
            node = node.first_child
        if pieces:
            flush()
        self._make_nodes()
        return self.blocks

    def _table(self, node: Any) -> bool:
        """A data table becomes one Block (True: its subtree is not walked); False for
        a layout table, walked like a div."""
        if not self._is_data_table(node):
            return False
        self._flush()
        block = table_block(node, self.open[-1])
        if block is not None:
            self._emit(block)
        return True

    def _is_data_table(self, node: Any) -> bool:
        """`tables.is_data_table` once junk is gone (a <noscript><div> in a cell must
        not make it a layout table): the first table strips the whole page, once
        (stripping each table would be quadratic in nested layout tables)."""
        if not self.stripped:
            strip_junk(self.root)
            self.stripped = True
        return is_data_table(node)

    def _make_nodes(self) -> None:
        """The element table as NodeInfos, with the flags of every distinct class/id
        string, and those strings read once for every later reader (`html.classes`)."""
        classes = read_classes(self.hints)
        self.nodes = NodeTable(map(_new_node, repeat(NodeInfo), zip(
            self.tags, self.hints, self.parents, self.is_block,
            map(classes.flags.__getitem__, classes.index), strict=True)), classes)

    def _flush(self) -> None:
        """Turn the text gathered since the last boundary into a Block."""
        pieces = self.pieces
        if not pieces:
            return
        raw = "".join(pieces)
        pieces.clear()
        links, self.links = self.links, 0
        pre = self.counts[_PRE] > 0
        if pre:
            text, words = raw.strip("\n"), -1
        else:  # `collapse_spaces`, keeping its word count (`Block.words`, which every page reads)
            split = raw.split()
            text, words = " ".join(split), len(split)
        if not text or text.isspace():
            return
        block_ids = self.block_ids
        self._emit(Block(text=text, kind="pre" if pre else self.kinds[-1],
                         link_chars=min(links, len(text)), depth=len(self.open),
                         container=self.open[-1],
                         group=block_ids[-2] if len(block_ids) > 1 else -1,
                         list_depth=max(0, self.counts[_LIST] - 1), _words=words))

    def _emit(self, block: Block) -> None:
        block.index = len(self.blocks)
        self.blocks.append(block)


def segment(body: Any, stripped: bool = False, noscript: bool = False, hidden: bool = False,
            reveal: bool = False) -> tuple[list[Block], list[NodeInfo]]:
    """Blocks of a parsed <body> node in reading order, and the element table.

    `stripped`: junk elements are already gone from `body` (`parse.strip_junk`).
    `noscript`: walk the content of <noscript> elements too.
    `hidden`: walk hidden elements too (`_is_hidden`: the closed tabs and
    accordions of a product page hold its description and specifications),
    each with a word of `vocab.HIDDEN_WORDS` added to its class/id words, so
    the rules drop their text as marked boilerplate and the block model,
    which reads the rules and the word's learned weight, decides: the word says how
    it was hidden or whether a control opens it (`_hidden_word`).
    `reveal`: walk hidden elements as if they were shown, unmarked (a page
    that hides its whole content until its scripts run, `html.parse_and_segment`).
    """
    segmenter = Segmenter(stripped, noscript, hidden,
                          controlled_ids(body) if hidden else frozenset(), reveal)
    blocks = segmenter.run(body)
    return blocks, segmenter.nodes

