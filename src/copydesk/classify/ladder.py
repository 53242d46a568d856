"""The extraction ladder for HTML: try the precise method first, relax when it finds too little.

Rungs, in order (the Article's `rung` says which one produced the body):
1. `region`: the best-scored element (see `regions`) and its strong
   siblings, with block rules (`filters`) applied inside it;
2. `region-relaxed`: the same region with only the link and chrome rules
   (when rule 1 left too little text: markup words can mislead);
3. `density`: every block on the page that reads as prose (long enough,
   few links), wherever it sits: pages whose body is spread over elements;
4. `all-text`: every non-link block: tiny pages, last resort.
"""

from __future__ import annotations

from collections.abc import Callable

from copydesk.blocks import HEADING_KINDS, Block
from copydesk.classify.filters import chrome_reason, link_reason, region_path_reason
from copydesk.classify.regions import Region, best_region, in_region
from copydesk.html.segment import NodeInfo

_MIN_BODY_CHARS = 250  # below this a rung "found too little" and the next one runs
_SIBLING_SHARE = 0.2  # Readability.js: siblings scoring >= 20% of the top join it


def _region_roots(region: Region, nodes: list[NodeInfo]) -> list[int]:
    """The root plus siblings that score well enough to be part of the article."""
    root = region.root
    parent = nodes[root].parent
    threshold = max(10.0, region.score * _SIBLING_SHARE)
    roots = [root]
    for node, score in region.scores.items():
        if node != root and nodes[node].parent == parent and parent >= 0 and score >= threshold:
            roots.append(node)
    return roots


def _keep_in_region(blocks: list[Block], nodes: list[NodeInfo], roots: list[int],
                    strict: bool) -> int:
    """Decide every block against the region; return the kept character count."""
    kept_chars = 0
    for block in blocks:
        root = next((r for r in roots if in_region(nodes, block.container, r)), None)
        if root is None:
            block.decide(False, "outside the article region")
            continue
        reason = (region_path_reason(nodes, block.container, root) if strict else None)
        reason = reason or link_reason(block) or chrome_reason(block)
        if reason:
            block.decide(False, reason)
        else:
            block.decide(True, "in the article region")
            kept_chars += len(block.text)
    return kept_chars


def _is_prose(block: Block) -> bool:
    return (block.words >= 10 and block.link_density < 0.3) or (
        block.kind in HEADING_KINDS and block.link_density < 0.5 and block.words >= 2)


def _keep_where(blocks: list[Block], test: Callable[[Block], bool], why: str) -> int:
    kept_chars = 0
    for block in blocks:
        reason = link_reason(block) or chrome_reason(block) or (None if test(block) else why)
        block.decide(reason is None, reason or "prose")
        kept_chars += len(block.text) if reason is None else 0
    return kept_chars


def classify_html(blocks: list[Block], nodes: list[NodeInfo]) -> str:
    """Decide every block (kept, reason) and return the rung that decided."""
    if not blocks:
        return "none"
    region = best_region(blocks, nodes)
    if region is not None:
        roots = _region_roots(region, nodes)
        if _keep_in_region(blocks, nodes, roots, strict=True) >= _MIN_BODY_CHARS:
            return "region"
        if _keep_in_region(blocks, nodes, roots, strict=False) >= _MIN_BODY_CHARS:
            return "region-relaxed"
    if _keep_where(blocks, _is_prose, "not prose") >= _MIN_BODY_CHARS:
        return "density"
    _keep_where(blocks, lambda b: True, "")
    return "all-text"
