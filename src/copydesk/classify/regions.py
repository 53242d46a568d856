"""Find the article's region: the element whose subtree holds the body.

Readability's idea (Arc90, 2009; Readability.js `_grabArticle`), on Blocks:
every paragraph-like block votes for its ancestors with a weight that grows
with its length and commas and shrinks with its link density; the parent gets
the full vote, the grandparent half, higher ancestors a third per level.
Each element's class/id words then add or remove a fixed weight. The best
element is the article's root.
"""

from __future__ import annotations

from dataclasses import dataclass

from copydesk.blocks import HEADING_KINDS, Block
from copydesk.html.segment import NodeInfo
from copydesk.html.vocab import NEGATIVE_ROLES, NEGATIVE_WORDS, POSITIVE_WORDS

_MIN_VOTING_CHARS = 25  # Readability.js: paragraphs under 25 chars do not vote
_VOTE_LEVELS = 5  # Readability.js walks 5 ancestors (its default; 3 in old versions)
_CLASS_WEIGHT = 25.0  # Readability.js `_getClassWeight` step


@dataclass(slots=True)
class Region:
    """The chosen root element and the scores behind the choice."""

    root: int
    score: float
    scores: dict[int, float]


def block_vote(block: Block) -> float:
    """How strongly one block says "my ancestors are the article"."""
    text = block.text
    if len(text) < _MIN_VOTING_CHARS or block.kind in HEADING_KINDS:
        return 0.0
    commas = text.count(",") + text.count("，") + text.count("、") + text.count("،")
    vote = 1.0 + commas + min(len(text) / 100.0, 3.0)
    return vote * (1.0 - block.link_density) ** 2


def class_weight(info: NodeInfo) -> float:
    """+25 for content-like class/id words, -25 for boilerplate-like ones."""
    weight = 0.0
    words = info.words
    if not words:
        return weight
    if any(w in NEGATIVE_WORDS or w in NEGATIVE_ROLES for w in words):
        weight -= _CLASS_WEIGHT
    if any(w in POSITIVE_WORDS for w in words):
        weight += _CLASS_WEIGHT
    return weight


def ancestors(nodes: list[NodeInfo], node: int) -> list[int]:
    """Block-level ancestors of `node`, nearest first (the node itself included)."""
    out: list[int] = []
    while node >= 0:
        info = nodes[node]
        if info.is_block:
            out.append(node)
        node = info.parent
    return out


def score_regions(blocks: list[Block], nodes: list[NodeInfo]) -> dict[int, float]:
    """Vote of all blocks per element, before class weights."""
    scores: dict[int, float] = {}
    for block in blocks:
        vote = block_vote(block)
        if not vote:
            continue
        chain = ancestors(nodes, block.container)[: _VOTE_LEVELS + 1]
        for level, node in enumerate(chain[1:] if len(chain) > 1 else chain):
            divider = 1.0 if level == 0 else (2.0 if level == 1 else level * 3.0)
            scores[node] = scores.get(node, 0.0) + vote / divider
    return scores


def best_region(blocks: list[Block], nodes: list[NodeInfo]) -> Region | None:
    """The element that most likely holds the article, or None."""
    raw = score_regions(blocks, nodes)
    if not raw:
        return None
    final = {node: score + class_weight(nodes[node]) for node, score in raw.items()}
    root = max(final, key=lambda n: (final[n], -n))
    return Region(root=root, score=final[root], scores=final)


def in_region(nodes: list[NodeInfo], node: int, root: int) -> bool:
    """True when `node` lies inside the subtree of `root`."""
    while node >= 0:
        if node == root:
            return True
        node = nodes[node].parent
    return False
