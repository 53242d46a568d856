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
    from copydesk.pagetype.model import shipped_model  # numpy: on the first page, not at import

    model = shipped_model()
    if model is None or not nodes:
        return "other", 0.0
    probs = model.probabilities(model.vector(page_features(tree, url, blocks, nodes,
                                                           model.split_vocab)))
    best = int(probs.argmax())
    return model.types[best], float(probs[best])


__all__ = ["PAGE_TYPES", "predict"]
