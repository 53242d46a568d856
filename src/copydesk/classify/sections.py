"""Related-content sections inside the article region.

A news page often closes the story with a box of teasers ("You may also
like...", "Leia também", "Lesen Sie auch") that sits inside the element the
region step picked: the teasers are real prose, so neither link density nor
the vote separates them. Their heading gives them away. When a heading reads
as such a label and opens its own element (it is that element's first
block), the whole element is the teaser box and is dropped; a label heading
in the middle of the story's own element is dropped alone, since the story
may go on after it.
"""

from __future__ import annotations

from copydesk.blocks import HEADING_KINDS, Block, Decision
from copydesk.classify.context import NodeContext
from copydesk.html.segment import NodeInfo
from copydesk.html.vocab import RELATED_HEADINGS
from copydesk.ladder import rule
from copydesk.normalize import collapse_spaces

_STRIP = " .:!?…»›>|-–—•·()[]*#"
_MAX_LABEL_CHARS = 60


RELATED_REASON = "related-content heading"  # prefix of every reason given here


def is_related(reason: str) -> bool:
    """Does a block's `reason` say it was dropped as (part of) a related-content box?
    The region rung's extension step leaves such blocks out."""
    return RELATED_REASON in reason


def is_related_heading(block: Block) -> bool:
    """A short heading whose words are a "more stories" label, in any of our languages."""
    text = block.text
    if block.kind not in HEADING_KINDS or len(text) > _MAX_LABEL_CHARS:
        return False
    return collapse_spaces(text.lower().strip(_STRIP)) in RELATED_HEADINGS


def _inside(nodes: list[NodeInfo], node: int, ancestor: int) -> bool:
    while node > ancestor:
        node = nodes[node].parent
    return node == ancestor


def _opens_element(blocks: list[Block], index: int, element: int, nodes: list[NodeInfo]) -> bool:
    return index == 0 or not _inside(nodes, blocks[index - 1].container, element)


def _is_region_root(element: int, nodes: list[NodeInfo], ctx: NodeContext) -> bool:
    parent = nodes[element].parent
    return parent < 0 or ctx.region[parent] != ctx.region[element]


def _kept_outside(blocks: list[Block], decisions: list[Decision], element: int,
                  nodes: list[NodeInfo]) -> bool:
    return any(d.kept and not _inside(nodes, b.container, element)
               for b, d in zip(blocks, decisions, strict=True))


def drop_related_sections(blocks: list[Block], decisions: list[Decision], nodes: list[NodeInfo],
                          ctx: NodeContext) -> int:
    """Drop related-content boxes from the kept blocks; return the characters removed.

    `decisions` (a rung's own, one per block) is updated in place; the Blocks
    are not touched. A box inside a dropped box is already gone: the walk
    skips past the outer box's blocks, so nested boxes cost one pass, not one
    per box.
    """
    removed = 0
    covered = -1  # index of the last block inside a box already dropped
    for index, block in enumerate(blocks):
        if index <= covered or ctx.region[block.container] < 0 \
                or not is_related_heading(block):
            continue
        reason = f"{RELATED_REASON} '{block.text}'"
        if decisions[index].kept:
            decisions[index] = rule(False, reason)
            removed += len(block.text)
        box = nodes[block.container].parent
        if box < 0 or ctx.region[box] < 0 or not _opens_element(blocks, index, box, nodes):
            continue
        if _is_region_root(box, nodes, ctx) and not _kept_outside(blocks, decisions, box, nodes):
            continue  # the box is all the region found: leave the rest to the ladder
        covered = index
        for later in range(index + 1, len(blocks)):
            if not _inside(nodes, blocks[later].container, box):
                break
            covered += 1
            if decisions[later].kept:
                decisions[later] = rule(False, f"under the {reason}")
                removed += len(blocks[later].text)
    return removed
