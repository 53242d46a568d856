"""The shipped page-type model: gradient-boosted trees in plain JSON, evaluated with numpy.

`copydesk/data/page_type.json` (written by the lab's `pagetype_train`) holds
the types, the feature names (the vector order), the class/id words the
features count, a baseline score per type and the trees of every boosting
round, flattened into node arrays. A leaf points to itself, so evaluating
every tree at once is `depth` vectorised steps: `idx = left or right of idx`
by `x[feature[idx]] <= threshold[idx]`. Scores are summed per type and
turned into probabilities with a softmax.

`use_model(model)` swaps the model for the current context (as
`classify.blockmodel.use_model` does for the block model): the benchmark's
out-of-fold row types each page with the fold model that did not see its
site, as the block trainer does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np

from copydesk.text.scorer import tolerant_thresholds


@dataclass(slots=True)
class TreeModel:
    """Boosted trees over named features; one tree per (round, type)."""

    types: tuple[str, ...]
    names: tuple[str, ...]
    vocab: frozenset[str]  # the open-ended feature names it reads (`cls_`, `w_`)
    baseline: np.ndarray  # (types,)
    roots: np.ndarray  # (trees,) node index of each tree's root
    tree_type: np.ndarray  # (trees,) the type each tree scores
    feature: np.ndarray  # (nodes,) feature index; leaves: 0
    threshold: np.ndarray  # (nodes,) go left when x <= threshold; leaves: +inf
    left: np.ndarray  # (nodes,) leaves point to themselves
    right: np.ndarray
    value: np.ndarray  # (nodes,) leaf values
    depth: int
    info: dict[str, Any]
    position: dict[str, int] = field(default_factory=dict)  # name -> index in `names`
    # The part of `vocab` some tree splits on: the words worth reading from a page
    # (a quarter of them; the others cannot change a score).
    split_vocab: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.position = {n: i for i, n in enumerate(self.names)}
        internal = self.left != np.arange(len(self.left))  # leaves point to themselves
        split_on = {self.names[i] for i in np.unique(self.feature[internal]).tolist()}
        self.split_vocab = self.vocab & split_on

    def vector(self, feats: dict[str, float]) -> np.ndarray:
        """The page's features in `names` order (0 where absent): a page has a few
        hundred of the model's thousands, so it walks the page's, not the model's.

        Positions are looked up by one `map` in C; a name the model does not read
        goes to a spare slot past the end, dropped (no Python frame per feature)."""
        n = len(self.names)
        x = np.zeros(n + 1)
        if feats:
            x[list(map(self.position.get, feats, repeat(n)))] = list(feats.values())
        return x[:n]

    def scores(self, x: np.ndarray) -> np.ndarray:
        """Raw per-type scores of one feature vector."""
        idx = self.roots
        for _ in range(self.depth):  # (`take`: the gathers of `[idx]`, without its checks)
            go_left = x.take(self.feature.take(idx)) <= self.threshold.take(idx)
            idx = np.where(go_left, self.left.take(idx), self.right.take(idx))
        return self.baseline + np.bincount(self.tree_type, weights=self.value.take(idx),
                                           minlength=len(self.types))

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        s = self.scores(x)
        e = np.exp(s - s.max())
        return np.asarray(e / e.sum())

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TreeModel:
        nodes = data["nodes"]
        return cls(
            types=tuple(data["types"]), names=tuple(data["names"]),
            vocab=frozenset(data["vocab"]), baseline=np.array(data["baseline"], dtype=np.float64),
            roots=np.array(data["roots"], dtype=np.int64),
            tree_type=np.array(data["tree_type"], dtype=np.int64),
            feature=np.array(nodes["feature"], dtype=np.int64),
            threshold=tolerant_thresholds(np.array(nodes["threshold"], dtype=np.float64)),
            left=np.array(nodes["left"], dtype=np.int64),
            right=np.array(nodes["right"], dtype=np.int64),
            value=np.array(nodes["value"], dtype=np.float64),
            depth=int(data["depth"]), info=dict(data.get("info", {})),
        )


@lru_cache(maxsize=1)
def shipped_model() -> TreeModel | None:
    """The packaged model, or None when the package ships none."""
    try:
        raw = resources.files("copydesk.data").joinpath("page_type.json").read_text("utf-8")
    except FileNotFoundError:
        return None
    return TreeModel.from_json(json.loads(raw))


def load(path: Path | str) -> TreeModel:
    """A page-type model from a JSON file (the shipped format)."""
    return TreeModel.from_json(json.loads(Path(path).read_text("utf-8")))


_OVERRIDE: ContextVar[tuple[TreeModel | None] | None] = ContextVar("page_type_model",
                                                                   default=None)


@contextmanager
def use_model(model: TreeModel | None) -> Iterator[None]:
    """Type pages with `model` (None: no model, every page "other") inside the block."""
    token = _OVERRIDE.set((model,))
    try:
        yield
    finally:
        _OVERRIDE.reset(token)


def active_model() -> TreeModel | None:
    """The model `extract()` types pages with now: an override, else the shipped one."""
    override = _OVERRIDE.get()
    return override[0] if override is not None else shipped_model()
