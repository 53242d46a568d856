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

from copydesk.blocks import Block, Decision, RungResult
from copydesk.classify.blockmodel import BlockModel, active_model
from copydesk.classify.context import NodeContext
from copydesk.classify.regions import Region
from copydesk.classify.sections import RELATED_REASON
from copydesk.html.segment import NodeInfo
from copydesk.ladder import apply

# Rule drops the model never overrules: the headline is reported as `title`
# (and a page repeating its headline would otherwise repeat it in the body);
# interface strings ("Read more", "Share"); a box that a "Related" heading opens.
FINAL_DROPS = ("headline", "interface text", "invisible characters", RELATED_REASON,
               f"under the {RELATED_REASON}")


def model_keeps(model: BlockModel, probs: np.ndarray, blocks: list[Block], rung: str,
                page_type: str | None) -> np.ndarray:
    """The model's keep mask over Blocks that still carry the rules' decisions
    (`BlockModel.keep`, fed each block's words + 1 for the expected-F1 decision);
    the rules' `FINAL_DROPS` stay dropped. The trainer scores its folds with it."""
    rules_kept = np.array([b.kept for b in blocks], dtype=bool)
    final = np.array([b.reason.startswith(FINAL_DROPS) for b in blocks], dtype=bool)
    words = np.array([b.words + 1 for b in blocks], dtype=np.float64)
    return np.asarray(model.keep(probs, rules_kept, rung, page_type, words, ~final) & ~final)


def model_review(blocks: list[Block], nodes: list[NodeInfo], rung: str,
                 region: Region | None, ctx: NodeContext | None,
                 type_probs: dict[str, float] | None = None,
                 page_type: str | None = None) -> RungResult | None:
    """The active model's decision on every block, as a rung (`<rung>+model`); None
    without a model. The Blocks carry the rules' decisions (the model's features
    read them) and are not changed here.

    The model decides alone on a forum page too: keeping every block the
    rules kept there (the posts, by the page type) cost 0.018 of forum word F1
    out of fold (session 9, docs/html.md), as the rules also keep the thread's
    chrome, and the model reads their decisions among its features. `type_probs`:
    the page type's probabilities, which the model reads among its features;
    `page_type` the predicted type (`BlockModel.keep` reads it for its guard).
    """
    model = active_model()
    if model is None:
        return None
    probs = model.probabilities(blocks, nodes, rung, region, ctx, type_probs)
    keeps = model_keeps(model, probs, blocks, rung, page_type)
    decisions = []
    kept_chars = 0
    for block, p, keep in zip(blocks, probs.tolist(), keeps.tolist(), strict=True):
        rules = block.reason or ("kept" if block.kept else "dropped")
        if keep == block.kept:
            reason = f"model {p:.2f} (rules: {rules})"
        else:
            was = "kept it" if block.kept else "dropped it"
            reason = f"model {p:.2f} overrules the rules, which {was} ({rules})"
        decisions.append(Decision(keep, reason, p))
        kept_chars += len(block.text) if keep else 0
    return RungResult(rung + "+model", tuple(decisions), kept_chars, True)


def decide_with_model(blocks: list[Block], nodes: list[NodeInfo], rung: str,
                      region: Region | None, ctx: NodeContext | None,
                      type_probs: dict[str, float] | None = None,
                      page_type: str | None = None) -> bool:
    """`model_review` applied to the Blocks; False (no change) without a model."""
    review = model_review(blocks, nodes, rung, region, ctx, type_probs, page_type)
    if review is None:
        return False
    apply(blocks, review)
    return True
