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
from copydesk.vocab import count_commas

_MIN_VOTING_CHARS = 25  # Readability.js: paragraphs under 25 chars do not vote
_VOTE_LEVELS = 5  # Readability.js walks 5 ancestors (its default; 3 in old versions)
_CLASS_WEIGHT = 25.0  # Readability.js `_getClassWeight` step


@dataclass(slots=True)
class Region:
    """The chosen root element and the scores behind the choice.

    `chars` and `link_chars` hold, per element id, the text length of its
    whole subtree and how much of it is link text.
    """

    root: int
    score: float
    scores: dict[int, float]
    chars: list[int]
    link_chars: list[int]


def block_vote(block: Block) -> float:
    """How strongly one block says "my ancestors are the article"."""
    text = block.text
    if len(text) < _MIN_VOTING_CHARS or block.kind in HEADING_KINDS:
        return 0.0
    commas = count_commas(text)
    vote = 1.0 + commas + min(len(text) / 100.0, 3.0)
    return vote * (1.0 - block.link_density) ** 2


def class_weight(info: NodeInfo) -> float:
    """+25 for content-like class/id words, -25 for boilerplate-like ones (both can apply)."""
    flags = info.flags
    return (_CLASS_WEIGHT if flags.positive else 0.0) - (_CLASS_WEIGHT if flags.negative else 0.0)


def ancestors(nodes: list[NodeInfo], node: int) -> list[int]:
    """Block-level ancestors of `node`, nearest first (the node itself included)."""
    out: list[int] = []
    while node >= 0:
        info = nodes[node]
        if info.is_block:
            out.append(node)
        node = info.parent
    return out


def _voting_chain(nodes: list[NodeInfo], node: int, memo: dict[int, list[int]]) -> list[int]:
    """The first `_VOTE_LEVELS + 1` block-level ancestors of `node` (itself included).

    Memoised per element (sibling paragraphs share all but their own
    element); iterative, as pages can nest deeply.
    """
    path: list[int] = []
    while node >= 0 and node not in memo:
        path.append(node)
        node = nodes[node].parent
    chain = memo[node] if node >= 0 else []
    for element in reversed(path):
        if nodes[element].is_block:
            chain = [element, *chain][: _VOTE_LEVELS + 1]
        memo[element] = chain
    return chain


def unlikely_nodes(nodes: list[NodeInfo]) -> list[bool]:
    """Elements inside an unlikely candidate (Readability.js's pre-filter), per id."""
    out = [False] * len(nodes)
    for i, info in enumerate(nodes):
        parent = info.parent
        inherited = parent >= 0 and out[parent]
        out[i] = inherited or (info.flags.unlikely and info.tag not in _NEVER_UNLIKELY)
    return out


_NEVER_UNLIKELY = frozenset({"body", "a", "article", "main"})


def score_regions(blocks: list[Block], nodes: list[NodeInfo],
                  unlikely: list[bool] | None = None) -> dict[int, float]:
    """Vote of all blocks per element, before class weights.

    Blocks inside `unlikely` elements (when given) do not vote.
    """
    scores: dict[int, float] = {}
    chains: dict[int, list[int]] = {}
    for block in blocks:
        vote = block_vote(block)
        if not vote or (unlikely is not None and unlikely[block.container]):
            continue
        chain = _voting_chain(nodes, block.container, chains)
        for level, node in enumerate(chain[1:] if len(chain) > 1 else chain):
            divider = 1.0 if level == 0 else (2.0 if level == 1 else level * 3.0)
            scores[node] = scores.get(node, 0.0) + vote / divider
    return scores


def best_region(blocks: list[Block], nodes: list[NodeInfo],
                unlikely: list[bool] | None = None) -> Region | None:
    """The element that most likely holds the article, or None.

    Readability.js's three steps after voting: scale each candidate by its
    link density; if several near-best candidates (>= 75% of the best) share
    an ancestor, that ancestor is the article (a story split into sections);
    then climb while the parent scores higher, or is the only wrapper.
    """
    raw = score_regions(blocks, nodes, unlikely)
    if not raw:
        return None
    chars, links = subtree_text(blocks, nodes)
    final = {
        node: (score + class_weight(nodes[node])) * (1.0 - links[node] / max(chars[node], 1))
        for node, score in raw.items()
    }
    top = max(final, key=lambda n: (final[n], -n))
    root = _climb(_unify_split_article(top, final, nodes), final, nodes)
    root = _only_child_climb(root, nodes)
    score = max(final.get(root, 0.0), final[top])
    return Region(root=root, score=score, scores=final, chars=chars, link_chars=links)


def _only_child_climb(root: int, nodes: list[NodeInfo]) -> int:
    """Readability.js: while the root is its parent's only element child, use the parent."""
    children = [0] * len(nodes)
    for info in nodes:
        if info.parent >= 0:
            children[info.parent] += 1
    node = root
    while nodes[node].parent > 0 and children[nodes[node].parent] == 1:
        node = nodes[node].parent
    return node


_TOP_CANDIDATES = 5  # Readability.js DEFAULT_N_TOP_CANDIDATES
_MIN_SHARING = 3  # Readability.js MINIMUM_TOPCANDIDATES
_NEAR_BEST = 0.75


def _unify_split_article(root: int, final: dict[int, float], nodes: list[NodeInfo]) -> int:
    top = sorted(final, key=lambda n: (-final[n], n))[:_TOP_CANDIDATES]
    near = [n for n in top if n != root and final[n] >= _NEAR_BEST * final[root]]
    if len(near) < _MIN_SHARING:
        return root
    chains = [set(ancestors(nodes, n)) for n in near]
    node = nodes[root].parent
    while node > 0:  # stop below <body> (id 0)
        if sum(node in chain for chain in chains) >= _MIN_SHARING:
            return node
        node = nodes[node].parent
    return root


def _climb(root: int, final: dict[int, float], nodes: list[NodeInfo]) -> int:
    last = final.get(root, 0.0)
    threshold = last / 3.0
    node = nodes[root].parent
    while node > 0:
        if node in final:
            score = final[node]
            if score < threshold:
                break
            if score > last:
                return node
            last = score
        node = nodes[node].parent
    return root


def subtree_text(blocks: list[Block], nodes: list[NodeInfo]) -> tuple[list[int], list[int]]:
    """Characters and link characters under every element (one backward pass)."""
    chars = [0] * len(nodes)
    links = [0] * len(nodes)
    for block in blocks:
        chars[block.container] += len(block.text)
        links[block.container] += block.link_chars
    for node in range(len(nodes) - 1, 0, -1):
        parent = nodes[node].parent
        if parent >= 0:
            chars[parent] += chars[node]
            links[parent] += links[node]
    return chars, links
