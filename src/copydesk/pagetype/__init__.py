"""Page types: what kind of page this is (article, forum, product, ...), predicted per page.

`predict(tree, url, blocks, nodes)` reads the page's features (`features`)
and scores them with the shipped model (`model`). It runs after
segmentation and before the ladder, so block decisions can depend on the
type. Types and what each keeps: docs/page-types.md.
"""

from __future__ import annotations

from typing import Any

from copydesk.blocks import Block
from copydesk.html.segment import NodeInfo
from copydesk.pagetype.features import page_features
from copydesk.pagetype.types import PAGE_TYPES


def predict(tree: Any, url: str | None, blocks: list[Block],
            nodes: list[NodeInfo]) -> tuple[str, float]:
    """(page type, its probability) of one parsed page; ("other", 0.0) without a model."""
    return best_type(probabilities(tree, url, blocks, nodes))


def probabilities(tree: Any, url: str | None, blocks: list[Block],
                  nodes: list[NodeInfo]) -> dict[str, float]:
    """Every type's probability for one parsed page; {} without a model (the block
    model reads them all: a page half forum, half article is not a forum page)."""
    from copydesk.pagetype.model import active_model  # numpy: on the first page, not at import

    model = active_model()
    if model is None or not nodes:
        return {}
    probs = model.probabilities(model.vector(page_features(tree, url, blocks, nodes,
                                                           model.split_vocab)))
    return dict(zip(model.types, probs.tolist(), strict=True))


def best_type(probs: dict[str, float]) -> tuple[str, float]:
    """The most probable type and its probability; ("other", 0.0) for no probabilities."""
    if not probs:
        return "other", 0.0
    best = max(probs, key=probs.__getitem__)
    return best, probs[best]


__all__ = ["PAGE_TYPES", "best_type", "predict", "probabilities"]
