"""Per-element facts computed once per page, in one pass over the element table.

Parents always have smaller ids than their children (the walk opens them
first), so every array below is filled in a single forward loop instead of
walking each block's ancestors again.
"""

from __future__ import annotations

from dataclasses import dataclass

from copydesk.classify.regions import unlikely_nodes
from copydesk.html.segment import NodeInfo
from copydesk.html.vocab import (
    BOILERPLATE_TAGS,
    HARD_NEGATIVE_WORDS,
    NEGATIVE_ROLES,
    NEGATIVE_WORDS,
    POSITIVE_WORDS,
)

_ARTICLE_TAGS = frozenset({"article", "main"})


@dataclass(slots=True)
class NodeContext:
    """Arrays indexed by element id."""

    region: list[int]  # index of the region root containing the element, -1 outside
    neg_since_root: list[str]  # first boilerplate marker between region root and element
    neg_any: list[bool]  # a boilerplate word anywhere on the path from <body>
    pos_any: list[bool]  # a content word anywhere on the path
    boiler_tag: list[bool]  # inside nav/footer/aside/menu
    in_article: list[bool]  # inside <article> or <main>
    depth: list[int]
    unlikely: list[bool]  # inside a Readability "unlikely candidate" (comments, menus...)


def _marker(info: NodeInfo) -> str:
    """The boilerplate marker an element carries itself, or ""."""
    if info.tag in BOILERPLATE_TAGS:
        return f"inside <{info.tag}>"
    for word in info.words:
        if word in HARD_NEGATIVE_WORDS or word in NEGATIVE_ROLES:
            return f"inside an element marked '{word}'"
    return ""


def node_context(nodes: list[NodeInfo], roots: list[int]) -> NodeContext:
    """Compute the per-element arrays for a page whose region roots are `roots`."""
    n = len(nodes)
    ctx = NodeContext([-1] * n, [""] * n, [False] * n, [False] * n, [False] * n,
                      [False] * n, [0] * n, unlikely_nodes(nodes))
    root_index = {root: i for i, root in enumerate(roots)}
    for i, info in enumerate(nodes):
        parent = info.parent
        words = info.words
        neg = any(w in NEGATIVE_WORDS for w in words) if words else False
        pos = any(w in POSITIVE_WORDS for w in words) if words else False
        if parent < 0:
            ctx.neg_any[i], ctx.pos_any[i] = neg, pos
            ctx.boiler_tag[i] = info.tag in BOILERPLATE_TAGS
            ctx.in_article[i] = info.tag in _ARTICLE_TAGS
        else:
            ctx.neg_any[i] = neg or ctx.neg_any[parent]
            ctx.pos_any[i] = pos or ctx.pos_any[parent]
            ctx.boiler_tag[i] = info.tag in BOILERPLATE_TAGS or ctx.boiler_tag[parent]
            ctx.in_article[i] = info.tag in _ARTICLE_TAGS or ctx.in_article[parent]
            ctx.depth[i] = ctx.depth[parent] + 1
            ctx.region[i] = ctx.region[parent]
            if ctx.region[parent] >= 0:
                ctx.neg_since_root[i] = ctx.neg_since_root[parent] or _marker(info)
        if i in root_index:
            ctx.region[i] = root_index[i]
            ctx.neg_since_root[i] = ""
    return ctx
