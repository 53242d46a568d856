"""The learned block classifier decides after the rules (`blockmodel`), when one is active.

Every block gets the model's probability (`Block.score`) and a reason that
says what the model decided and what the rules had said, so `explain` and
the inspector show both: "model 0.91 (rules: in the article region)" when
they agree, "model 0.12 overrules the rules, which kept it (in the article
region)" when they do not. Without a model (none shipped, or `use_model(None)`)
nothing changes and the rules' decisions stand. Where the model's guard
covers the rung (`BlockModel.guard`), it overrules the rules only when sure.
"""

from __future__ import annotations

import numpy as np

from copydesk.blocks import Block
from copydesk.classify.blockmodel import active_model
from copydesk.classify.context import NodeContext
from copydesk.classify.regions import Region
from copydesk.classify.sections import RELATED_REASON
from copydesk.html.segment import NodeInfo

# Rule drops the model never overrules: the headline is reported as `title`
# (and a page repeating its headline would otherwise repeat it in the body);
# interface strings ("Read more", "Share"); a box that a "Related" heading opens.
FINAL_DROPS = ("headline", "interface text", "invisible characters", RELATED_REASON,
               f"under the {RELATED_REASON}")


def decide_with_model(blocks: list[Block], nodes: list[NodeInfo], rung: str,
                      region: Region | None, ctx: NodeContext | None,
                      keep_rules: bool = False) -> bool:
    """Re-decide every block with the active model; False (no change) without one.

    `keep_rules`: the model may add blocks but not drop those the rules kept
    (a forum thread, whose posts the rules keep by the page type: the model
    was trained without page types).
    """
    model = active_model()
    if model is None:
        return False
    probs = model.probabilities(blocks, nodes, rung, region, ctx)
    rules_kept = np.array([b.kept for b in blocks], dtype=bool)
    keeps = model.keep(probs, rules_kept, rung)
    if keep_rules:
        keeps |= rules_kept
    for i, block in enumerate(blocks):
        if block.reason.startswith(FINAL_DROPS):
            keeps[i] = False
    for block, p, keep in zip(blocks, probs.tolist(), keeps.tolist(), strict=True):
        block.score = p
        rules = block.reason or ("kept" if block.kept else "dropped")
        if keep == block.kept:
            block.reason = f"model {p:.2f} (rules: {rules})"
        else:
            was = "kept it" if block.kept else "dropped it"
            block.decide(keep, f"model {p:.2f} overrules the rules, which {was} ({rules})")
    return True
