"""The `scorer` rung: decide blocks with the shipped gradient-boosted model."""

from __future__ import annotations

from copydesk.blocks import Block
from copydesk.classify.context import NodeContext
from copydesk.classify.features import FEATURES, block_features
from copydesk.classify.ladder import rule_reason
from copydesk.classify.model import shipped_model
from copydesk.classify.regions import Region
from copydesk.html.segment import NodeInfo


def score_blocks(blocks: list[Block], nodes: list[NodeInfo], region: Region,
                 ctx: NodeContext) -> int:
    """Decide every block with the model; return kept characters (0 without a model)."""
    model = shipped_model()
    if model is None or model.features != FEATURES:
        return 0
    probs = model.probability(block_features(blocks, ctx, region))
    kept_chars = 0
    for block, p in zip(blocks, probs, strict=True):
        block.score = float(p)
        if p >= model.threshold:
            block.decide(True, f"scorer {p:.2f}")
            kept_chars += len(block.text)
        else:
            rule = rule_reason(block, ctx, strict=True)
            block.decide(False, f"scorer {p:.2f}" + (f"; {rule}" if rule else ""))
    return kept_chars
