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

# Every selector of the readers that run on every page (see `collect`).
_UNION = "html, body, meta, link[rel], title, script, [itemprop], time, h1"
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
    """One query over the document, split per reader (document order kept).

    A node matching several selectors of a list is returned once per match
    (lexbor), so repeats are skipped by identity. The body's [itemprop] list
    starts at the <body> element: in an HTML document every element after it
    lies inside it. When no <body> was seen (a frameset page), the list comes
    from the reader's own scope instead.
    """
    body = tree.body
    nodes = PageNodes(tree, body=body)
    if tree.root is None:
        return nodes
    body_id = body.mem_id if body is not None else None
    in_body = body is None  # no body: microdata is read over the whole document
    seen: set[int] = set()
    for node in tree.css(_UNION):
        key = node.mem_id
        if key in seen:
            continue
        seen.add(key)
        in_body = in_body or key == body_id
        _place(nodes, node, in_body)
    if body is not None and body_id not in seen:
        nodes.itemprops = list(body.css("[itemprop]"))
    return nodes


def _place(nodes: PageNodes, node: Any, in_body: bool) -> None:
    """Put one matched element in the lists whose selector it matches."""
    tag = node.tag
    attrs = node.attributes
    if tag in HEAD_TAGS or (tag == "link" and "rel" in attrs):
        nodes.head.append((node, attrs))
    elif tag == "time":
        nodes.times.append(node)
    elif tag == "h1":
        nodes.h1s.append(node)
    elif tag == "html" and nodes.root is None:
        nodes.root = node
    if in_body and "itemprop" in attrs:
        nodes.itemprops.append(node)
