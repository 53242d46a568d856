"""Per-element facts computed once per page, in one pass over the element table.

Parents always have smaller ids than their children (the walk opens them
first), so every array below is filled in a single forward loop instead of
walking each block's ancestors again. The rules need only where the region
is and which markers lie on the way to it; the facts only the block
scorer's features read (`PathFacts`) are computed on first use.
"""

from __future__ import annotations

from dataclasses import dataclass

from copydesk.classify.regions import unlikely_nodes
from copydesk.html.segment import NodeInfo
from copydesk.html.vocab import BOILERPLATE_TAGS

_ARTICLE_TAGS = frozenset({"article", "main"})


@dataclass(slots=True)
class PathFacts:
    """What lies on the path from <body> to each element (scorer features)."""

    neg_any: list[bool]  # a boilerplate word anywhere on the path from <body>
    pos_any: list[bool]  # a content word anywhere on the path
    in_article: list[bool]  # inside <article> or <main>
    depth: list[int]


@dataclass(slots=True)
class NodeContext:
    """Arrays indexed by element id."""

    region: list[int]  # index of the region root containing the element, -1 outside
    neg_since_root: list[str]  # first boilerplate marker between region root and element
    boiler_tag: list[bool]  # inside nav/footer/aside/menu
    unlikely: list[bool]  # inside a Readability "unlikely candidate" (comments, menus...)
    nodes: list[NodeInfo]
    _paths: PathFacts | None = None

    @property
    def paths(self) -> PathFacts:
        if self._paths is None:
            self._paths = path_facts(self.nodes)
        return self._paths


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
    region, neg_since_root, boiler_tag = [-1] * n, [""] * n, [False] * n
    root_index = {root: i for i, root in enumerate(roots)}
    for i, info in enumerate(nodes):
        parent = info.parent
        if parent < 0:
            boiler_tag[i] = info.tag in BOILERPLATE_TAGS
        else:
            boiler_tag[i] = boiler_tag[parent] or info.tag in BOILERPLATE_TAGS
            inherited = region[parent]
            if inherited >= 0:
                region[i] = inherited
                neg_since_root[i] = neg_since_root[parent] or _marker(info)
        if i in root_index:
            region[i] = root_index[i]
            neg_since_root[i] = ""
    return NodeContext(region, neg_since_root, boiler_tag, unlikely or unlikely_nodes(nodes),
                       nodes)


def path_facts(nodes: list[NodeInfo]) -> PathFacts:
    """Content and boilerplate words, <article>/<main> and depth along every element's path."""
    n = len(nodes)
    facts = PathFacts([False] * n, [False] * n, [False] * n, [0] * n)
    neg_any, pos_any, in_article, depth = facts.neg_any, facts.pos_any, facts.in_article, \
        facts.depth
    for i, info in enumerate(nodes):
        parent, flags = info.parent, info.flags
        is_article = info.tag in _ARTICLE_TAGS
        if parent < 0:
            neg_any[i], pos_any[i], in_article[i] = flags.negative, flags.positive, is_article
        else:
            neg_any[i] = flags.negative or neg_any[parent]
            pos_any[i] = flags.positive or pos_any[parent]
            in_article[i] = is_article or in_article[parent]
            depth[i] = depth[parent] + 1
    return facts
