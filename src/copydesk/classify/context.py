"""Per-element facts computed once per page, in one pass over the element table.

Parents always have smaller ids than their children (the walk opens them
first), so every array below is filled in a single forward loop instead of
walking each block's ancestors again.
"""

from __future__ import annotations

from dataclasses import dataclass

from copydesk.classify.regions import unlikely_nodes
from copydesk.html.segment import NodeInfo
from copydesk.html.vocab import BOILERPLATE_TAGS

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
    word = info.flags.marker
    return f"inside an element marked '{word}'" if word else ""


def node_context(nodes: list[NodeInfo], roots: list[int],
                 unlikely: list[bool] | None = None) -> NodeContext:
    """Compute the per-element arrays for a page whose region roots are `roots`."""
    n = len(nodes)
    ctx = NodeContext([-1] * n, [""] * n, [False] * n, [False] * n, [False] * n,
                      [False] * n, [0] * n, unlikely or unlikely_nodes(nodes))
    root_index = {root: i for i, root in enumerate(roots)}
    region, neg_since_root, neg_any, pos_any = ctx.region, ctx.neg_since_root, ctx.neg_any, \
        ctx.pos_any
    boiler_tag, in_article, depth = ctx.boiler_tag, ctx.in_article, ctx.depth
    for i, info in enumerate(nodes):
        parent = info.parent
        flags = info.flags
        tag = info.tag
        if parent < 0:
            neg_any[i], pos_any[i] = flags.negative, flags.positive
            boiler_tag[i] = tag in BOILERPLATE_TAGS
            in_article[i] = tag in _ARTICLE_TAGS
        else:
            neg_any[i] = flags.negative or neg_any[parent]
            pos_any[i] = flags.positive or pos_any[parent]
            boiler_tag[i] = tag in BOILERPLATE_TAGS or boiler_tag[parent]
            in_article[i] = tag in _ARTICLE_TAGS or in_article[parent]
            depth[i] = depth[parent] + 1
            region[i] = region[parent]
            if region[parent] >= 0:
                neg_since_root[i] = neg_since_root[parent] or _marker(info)
        if i in root_index:
            region[i] = root_index[i]
            neg_since_root[i] = ""
    return ctx
