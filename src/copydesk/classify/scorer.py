"""The scorer: a shipped gradient-boosted model reviews the rule ladder's decisions.

It reads every block's features (see `features`), the rules' own decision
among them, and keeps a block when its probability reaches the model's
threshold. Without a shipped model (`data/block_model.json`) nothing changes.
"""

from __future__ import annotations

from copydesk.blocks import Block
from copydesk.classify.context import NodeContext
from copydesk.classify.features import FEATURES, block_features
from copydesk.classify.model import shipped_model
from copydesk.classify.regions import Region


def refine_with_scorer(blocks: list[Block], region: Region, ctx: NodeContext) -> bool:
    """Re-decide blocks with the model; False (and no change) without a usable model."""
    model = shipped_model()
    if model is None or model.features != FEATURES:
        return False
    probs = model.probability(block_features(blocks, ctx, region))
    for block, p in zip(blocks, probs, strict=True):
        block.score = float(p)
        keep = bool(p >= model.threshold)
        if keep != block.kept:
            was = "kept" if block.kept else f"dropped ({block.reason})"
            block.decide(keep, f"scorer {p:.2f} overrules the rules, which {was}")
        elif keep:
            block.reason = f"{block.reason}; scorer {p:.2f}"
    return True
