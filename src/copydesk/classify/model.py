"""Gradient-boosted trees in a portable JSON file, evaluated with numpy.

The shipped model (`data/block_model.json`) is written by
`python -m copydesk_lab.classify.train`. The format is plain arrays per tree
(feature, threshold, left, right, value; sklearn's convention: go left when
x[feature] <= threshold; a leaf has left == -1), so no pickle and no
training library is needed at run time. All trees are packed into flat
arrays and walked level by level for all blocks at once: one page costs a
handful of vectorised steps, not a Python loop per tree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

FORMAT = "copydesk-gbdt-1"


@dataclass(slots=True)
class TreeModel:
    """Packed trees: node arrays are global; `roots` index each tree's first node."""

    features: tuple[str, ...]
    init: float
    learning_rate: float
    threshold: float
    feature: np.ndarray
    split: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    roots: np.ndarray
    depth: int
    info: dict[str, Any]

    def decision(self, x: np.ndarray) -> np.ndarray:
        """Raw scores (log-odds) for the rows of `x`."""
        n = x.shape[0]
        if n == 0:
            return np.zeros(0)
        node = np.broadcast_to(self.roots, (n, self.roots.size)).copy()
        rows = np.arange(n)[:, None]
        for _ in range(self.depth):
            leaf = self.left[node] < 0
            if leaf.all():
                break
            go_left = x[rows, self.feature[node]] <= self.split[node]
            step = np.where(go_left, self.left[node], self.right[node])
            node = np.where(leaf, node, step)
        return self.init + self.learning_rate * self.value[node].sum(axis=1)

    def probability(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.decision(x)))


def pack(data: dict[str, Any]) -> TreeModel:
    """Build a TreeModel from the JSON structure written by the trainer."""
    if data.get("format") != FORMAT:
        raise ValueError(f"unknown model format {data.get('format')!r}")
    feature: list[int] = []
    left: list[int] = []
    right: list[int] = []
    roots: list[int] = []
    split: list[float] = []
    value: list[float] = []
    depth = 0
    for tree in data["trees"]:
        offset = len(feature)
        roots.append(offset)
        feature += [max(f, 0) for f in tree["feature"]]
        split += tree["threshold"]
        left += [c + offset if c >= 0 else -1 for c in tree["left"]]
        right += [c + offset if c >= 0 else -1 for c in tree["right"]]
        value += tree["value"]
        depth = max(depth, tree.get("depth", 8))
    return TreeModel(
        features=tuple(data["features"]), init=float(data["init"]),
        learning_rate=float(data["learning_rate"]), threshold=float(data["threshold"]),
        feature=np.asarray(feature, dtype=np.int64), split=np.asarray(split, dtype=np.float64),
        left=np.asarray(left, dtype=np.int64), right=np.asarray(right, dtype=np.int64),
        value=np.asarray(value, dtype=np.float64), roots=np.asarray(roots, dtype=np.int64),
        depth=depth + 1, info=data.get("info", {}),
    )


@lru_cache(maxsize=1)
def shipped_model() -> TreeModel | None:
    """The model shipped in the package, or None when it is absent."""
    try:
        text = resources.files("copydesk").joinpath("data/block_model.json").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    return pack(json.loads(text))
