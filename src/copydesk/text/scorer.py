"""The shipped two-stage line scorer: weights from `copydesk/data/text_scorer.json`.

Stage 1 scores each line from its own features; each context stage
rescores it from the previous stage's scores of its neighbours and its place relative to the article
mass (see `features`). Each stage is a standardised linear model, a
one-hidden-layer perceptron or gradient-boosted trees; the JSON stores the feature names, the
standardisation, the weights and how the model was trained and scored
(written by `python -m copydesk_lab.text.train`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

# A split of a shipped tree often sits exactly on a value seen in training
# (scikit-learn's histogram bins are quantiles of the data, so 44% of the block
# model's thresholds equal some log1p(count)), and a feature can differ in its
# last bit from one numpy build to another (numpy 2.4 ships its own log1p on
# AVX-512 machines, one ulp from libm's on ~1% of integers). Raising every
# threshold by a relative 2**-30 keeps each training value on the side it was
# trained on and leaves no room for a last-bit difference to flip a split.
SPLIT_SLACK = 2.0 ** -30


def tolerant_thresholds(threshold: np.ndarray) -> np.ndarray:
    """`threshold` raised by `SPLIT_SLACK` of its size (+inf and 0 stay as they are)."""
    return threshold + np.abs(threshold) * SPLIT_SLACK


@dataclass(slots=True)
class Stage:
    """One standardised model: linear (`hidden` empty) or a small MLP (relu)."""

    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    layers: list[tuple[np.ndarray, np.ndarray]]

    def folded(self) -> tuple[np.ndarray, float]:
        """A linear stage's weights and bias with the standardisation folded in
        (w / scale, b - mean . w / scale): one dot product per line."""
        (w, b), = self.layers
        weights = w.reshape(-1) / self.scale
        return weights, float(b.reshape(-1)[0] - self.mean @ weights)

    def logits(self, x: np.ndarray) -> np.ndarray:
        h = (x - self.mean) / self.scale
        for i, (w, b) in enumerate(self.layers):
            h = h @ w + b
            if i < len(self.layers) - 1:
                h = np.maximum(h, 0.0)
        return np.asarray(h).reshape(-1)

    def to_json(self) -> dict[str, Any]:
        return {"names": list(self.names), "mean": self.mean.tolist(),
                "scale": self.scale.tolist(),
                "layers": [{"w": w.tolist(), "b": b.tolist()} for w, b in self.layers]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Stage:
        layers = [(np.array(layer["w"], dtype=np.float64), np.array(layer["b"], dtype=np.float64))
                  for layer in data["layers"]]
        return cls(tuple(data["names"]), np.array(data["mean"]), np.array(data["scale"]), layers)


@dataclass(slots=True)
class TreeStage:
    """Gradient-boosted trees, evaluated for all lines by a compiled loop (`kernels`).

    Trees are padded to one node table (`feature`, `threshold`, `left`,
    `right`, `value`, shape trees x nodes); leaves point to themselves, so
    `depth` rounds of "go left if x[feature] <= threshold" land every line on
    a leaf of every tree. The logit is `base` plus the sum of the leaf values.
    """

    names: tuple[str, ...]
    base: float
    depth: int
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    heap: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def logits(self, x: np.ndarray) -> np.ndarray:
        from copydesk.text.kernels import tree_logits

        feature, threshold, value = self._heap()
        return tree_logits(np.ascontiguousarray(x, dtype=np.float64), self.base, self.depth,
                           feature, threshold, value)

    def _heap(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The trees as complete binary trees in heap order (built once, then kept).

        A leaf above the last level becomes a node that always goes left
        (threshold +inf) to copies of itself, so every walk takes `depth` steps.
        """
        if self.heap is None:
            feature, threshold, value = self.exact_heap()
            self.heap = (feature, tolerant_thresholds(threshold), value)
        return self.heap

    def exact_heap(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`_heap` with the thresholds as trained (no `SPLIT_SLACK`): what the
        trainer checks its export against scikit-learn with."""
        trees, inner = self.feature.shape[0], (1 << self.depth) - 1
        feature = np.zeros((trees, inner), dtype=np.int64)
        threshold = np.full((trees, inner), np.inf)
        value = np.zeros((trees, inner + 1))
        for t in range(trees):
            self._fill(t, 0, 0, 0, feature, threshold, value)
        return feature, threshold, value

    def _fill(self, t: int, node: int, pos: int, level: int, feature: np.ndarray,
              threshold: np.ndarray, value: np.ndarray) -> None:
        if level == self.depth:
            value[t, pos - feature.shape[1]] = self.value[t, node]
            return
        left, right = int(self.left[t, node]), int(self.right[t, node])
        if left != node:  # an internal node (leaves point to themselves)
            feature[t, pos] = self.feature[t, node]
            threshold[t, pos] = self.threshold[t, node]
        self._fill(t, left, 2 * pos + 1, level + 1, feature, threshold, value)
        self._fill(t, right, 2 * pos + 2, level + 1, feature, threshold, value)

    def to_json(self) -> dict[str, Any]:
        return {"kind": "trees", "names": list(self.names), "base": self.base,
                "depth": self.depth, "feature": self.feature.tolist(),
                "threshold": self.threshold.tolist(), "left": self.left.tolist(),
                "right": self.right.tolist(), "value": self.value.tolist()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TreeStage:
        ints = {k: np.array(data[k], dtype=np.int64) for k in ("feature", "left", "right")}
        return cls(tuple(data["names"]), float(data["base"]), int(data["depth"]),
                   ints["feature"], np.array(data["threshold"], dtype=np.float64),
                   ints["left"], ints["right"], np.array(data["value"], dtype=np.float64))


AnyStage = Stage | TreeStage


def stage_from_json(data: dict[str, Any]) -> AnyStage:
    return TreeStage.from_json(data) if data.get("kind") == "trees" else Stage.from_json(data)


@dataclass(slots=True)
class Scorer:
    """Stage 1 (`line`) then each context stage in turn, each reading the previous logits."""

    line: Stage
    contexts: list[AnyStage]
    threshold: float
    info: dict[str, Any]
    fast: Any = None  # the fused path, built on first use (False: not available)

    def logits(self, x: np.ndarray) -> np.ndarray:
        if self.fast is None:
            self.fast = self._fused() or False
        if self.fast:
            return self.fast(x)
        from copydesk.text.features import context_matrix

        a = self.line.logits(x)
        for stage in self.contexts:
            a = stage.logits(context_matrix(a, x))
        return a

    def _fused(self) -> Any:
        """The one-call path (`kernels.page_logits`) for the shipped shape: a linear first
        stage and one tree stage."""
        if len(self.line.layers) != 1 or len(self.contexts) != 1 or not isinstance(
                self.contexts[0], TreeStage):
            return None
        from copydesk.text import kernels
        from copydesk.text.features import context_args

        w, b = self.line.folded()
        trees = self.contexts[0]
        feature, threshold, value = trees._heap()
        layout = context_args()

        def run(x: np.ndarray) -> np.ndarray:
            return kernels.page_logits(np.ascontiguousarray(x, dtype=np.float64), w, b, *layout,
                                       trees.base, trees.depth, feature, threshold, value)
        return run


def check_names(stage: AnyStage, expected: tuple[str, ...]) -> None:
    """Refuse weights trained on another feature layout."""
    if stage.names != expected:
        raise ValueError(f"text scorer weights expect features {stage.names}, code has {expected}")


@lru_cache(maxsize=1)
def shipped() -> Scorer:
    """The scorer shipped in the package (trained on the article corpora)."""
    return _load("text_scorer.json")


@lru_cache(maxsize=1)
def web() -> Scorer:
    """The scorer trained on WCXB's pages (listings, shops, forums, services ...), for dumps
    the page-type model does not read as articles (`text.pagetype`)."""
    return _load("text_scorer_web.json")


def _load(name: str) -> Scorer:
    return from_json(json.loads(resources.files("copydesk.data").joinpath(name).read_text(
        "utf-8")))


def from_json(data: dict[str, Any]) -> Scorer:
    from copydesk.text.features import CONTEXT_FEATURES, LINE_FEATURES

    scorer = Scorer(Stage.from_json(data["line"]),
                    [stage_from_json(c) for c in data["contexts"]],
                    float(data.get("threshold", 0.5)), dict(data.get("info", {})))
    check_names(scorer.line, LINE_FEATURES)
    for stage in scorer.contexts:
        check_names(stage, CONTEXT_FEATURES)
    return scorer
