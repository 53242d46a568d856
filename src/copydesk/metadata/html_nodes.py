"""The elements every HTML metadata reader needs, found by one selector query.

Why one query: each CSS query is a walk over the whole tree in C, and the walk
costs about the same whatever the selector (~0.1 ms on an average page, a
few on a large one); the readers that run on every page (head tags, JSON-LD,
microdata, <time>, the h1, the root's language) each ran their own, several
the same one (the first h1 was looked up four times). One query with every
selector returns the union in document order; `collect` splits it into the
lists each reader's own query gave, in the same order, so a reader sees what
it saw before.

Per-node facts several readers ask again (an element's flattened text, its
attribute dict) are memoised here by the node's identity (`mem_id`): the
tree does not change while metadata is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from copydesk.metadata.html_exclude import Exclusions
from copydesk.normalize import collapse_spaces

# Every selector of the readers that run on every page (see `collect`) but <time> and
# <h1>, found by tag walks (`tree.tags`). (<html> and <body> are the tree's root and
# body: not queried; each selector of a list costs a pass of lexbor's matcher over
# every element, ~0.09 M instructions on an average AEB page for a tag selector,
# ~0.2 M for [itemprop], where a tag walk costs ~0.04 M)
_UNION = "meta, link[rel], title, script, [itemprop]"
Attributes = dict[str, str | None]  # an element's attributes, as selectolax gives them
HEAD_TAGS = frozenset({"meta", "title", "script"})  # and link[rel]
TEXT_CHARS = 2000  # characters of an element's text the readers look at


@dataclass(slots=True)
class PageNodes:
    """One page's tree plus the element lists of its always-run readers.

    `head` holds (node, attributes) for every meta, link[rel], title and
    script of the document (parsers move head tags into <body> after a stray
    element, so the whole document); `itemprops` the [itemprop] elements of
    the body (the body itself included, as `body.css` gives it); `times` and
    `h1s` every <time> and <h1>. Readers that run only when a field is still
    missing query `tree` themselves.
    """

    tree: Any
    root: Any | None = None  # the <html> element
    body: Any | None = None
    head: list[tuple[Any, Attributes]] = field(default_factory=list)
    itemprops: list[Any] = field(default_factory=list)
    times: list[Any] = field(default_factory=list)
    h1s: list[Any] = field(default_factory=list)
    excluded: Exclusions = field(default_factory=Exclusions)  # `html_exclude`, memoised per page
    _texts: dict[int, str] = field(default_factory=dict)

    @property
    def h1(self) -> Any | None:
        """The document's first h1 (what `tree.css_first("h1")` returns)."""
        return self.h1s[0] if self.h1s else None

    def text(self, node: Any) -> str:
        """The element's text, spaces collapsed, of its first TEXT_CHARS characters."""
        key = node.mem_id
        found = self._texts.get(key)
        if found is None:
            found = collapse_spaces((node.text(deep=True, separator=" ") or "")[:TEXT_CHARS])
            self._texts[key] = found
        return found


def collect(tree: Any) -> PageNodes:
    """One query over the document, split per reader (document order kept);
    the <time> and <h1> lists by tag walks (each in document order, as the
    query returned them).

    A node matching several selectors of a list is returned once per match
    (lexbor), so repeats are skipped by identity. The body's [itemprop] list
    holds the matches inside the <body> (the body itself included): every
    element but <html>, the head and what the head holds (`in_head`). When
    no <body> was seen (a frameset page), it holds every match.
    """
    body = tree.body
    nodes = PageNodes(tree, body=body)
    root = tree.root
    if root is None:
        return nodes
    nodes.root = root if root.tag == "html" else None
    head = tree.head if body is not None else None
    head_id = head.mem_id if head is not None else None
    seen: set[int] = set()
    for node in tree.css(_UNION):
        key = node.mem_id
        if key in seen:
            continue
        seen.add(key)
        _place(nodes, node, head_id)
    nodes.times = tree.tags("time")
    nodes.h1s = tree.tags("h1")
    return nodes


def in_head(node: Any, head_id: int) -> bool:
    """Whether an element is the head or in it: head elements are children of
    the head or of a <noscript> in it (WHATWG 13.2.6.4.4-5: any other start
    tag ends the head)."""
    if node.mem_id == head_id:
        return True
    parent = node.parent
    if parent is None:
        return False
    if parent.mem_id == head_id:
        return True
    grand = parent.parent if parent.tag == "noscript" else None
    return grand is not None and grand.mem_id == head_id


def _place(nodes: PageNodes, node: Any, head_id: int | None) -> None:
    """Put one matched element in the lists whose selector it matches
    (`head_id`: the <head>'s identity; None when the page has no <body>)."""
    tag = node.tag
    attrs = node.attributes
    if tag in HEAD_TAGS or (tag == "link" and "rel" in attrs):
        nodes.head.append((node, attrs))
    if "itemprop" in attrs and (
        head_id is None or (tag != "html" and not in_head(node, head_id))
    ):
        nodes.itemprops.append(node)
