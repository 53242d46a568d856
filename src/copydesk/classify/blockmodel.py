"""The learned block classifier: gradient-boosted trees over `blockfeatures`, from JSON.

The model file (`data/block_model.json`, written by the lab's
`python -m copydesk_lab.classify.train --write`) holds plain arrays: the
learned class/id word weights, the first stage's trees (block features),
optionally a second stage's trees (the same features plus the first stage's
logits around each block), and the keep threshold. Trees are evaluated with
whole-array numpy (`classify.trees.Forest`, built once per model), the
features too (`classify.kernels`): an HTML page never imports numba. No
pickle, no training library at run time.

`use_model(model)` swaps the model for the current context: the benchmark
scores each page with the fold model that did not see its site
(`fold_of`), which is how the cross-validated figures are produced.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from copydesk.blocks import Block
from copydesk.classify.blockfeatures import (
    CONTEXT_FEATURES,
    FEATURES,
    TokenTable,
    context_matrix,
    page_matrix,
    type_vector,
)
from copydesk.classify.context import NodeContext
from copydesk.classify.expected_f1 import expected_f1_keep
from copydesk.classify.regions import Region
from copydesk.classify.trees import Forest
from copydesk.html.segment import NodeInfo
from copydesk.text.scorer import TreeStage

FORMAT = "copydesk-blocks-2"
FOLDS = 5
DECISIONS = ("threshold", "expected-f1")


def fold_of(site: str, folds: int = FOLDS) -> int:
    """The cross-validation fold of a site: a stable hash (crc32), not Python's hash()."""
    return zlib.crc32(site.encode("utf-8")) % folds


@dataclass(slots=True)
class BlockModel:
    """Word weights, one or two tree stages, the keep threshold and the rules' guard.

    `guard` maps a rung to (low, high): on a page that rung decided, a block
    the rules kept stays unless its probability is under `low`, and a block
    they dropped is taken only at `high` or more. The strict `region` rung
    is right on most article pages, and the corpora disagree on conventions
    the model cannot see (AEB's gold leaves out what WCXB's keeps), so there
    the model overrules the rules only when it is sure; on the fallback rungs,
    where the rules are guessing, `threshold` decides alone. `guard_types`:
    the predicted page types the guard holds on (empty: every type); the
    region rules were written for articles, and on a product, listing or
    service page the model is the better judge even where `region` decided.
    `type_thresholds`: the keep threshold of a predicted page type where no
    guard holds (else `threshold`): a forum, a listing, a collection or a
    service page is many short items, each of which the model is less sure
    of than of an article's paragraphs, and a missed item costs more words
    than a stray one. `decision`: "threshold" (those thresholds) or
    "expected-f1": where no guard holds, the blocks that maximise the page's
    expected word F1 given the probabilities (`classify.expected_f1`), which
    adapts the threshold to the page instead of to its type.
    """

    tokens: TokenTable
    stage1: TreeStage
    stage2: TreeStage | None
    threshold: float
    info: dict[str, Any] = field(default_factory=dict)
    guard: dict[str, tuple[float, float]] = field(default_factory=dict)
    guard_types: frozenset[str] = frozenset()
    type_thresholds: dict[str, float] = field(default_factory=dict)
    decision: str = "threshold"
    # the stages' trees as flat tables (`trees.Forest`), derived from stage1/stage2
    forests: tuple[Forest, Forest | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.forests = (Forest(self.stage1),
                        Forest(self.stage2) if self.stage2 is not None else None)

    def keep(self, probs: np.ndarray, rules_kept: np.ndarray, rung: str,
             page_type: str | None = None, words: np.ndarray | None = None,
             allowed: np.ndarray | None = None) -> np.ndarray:
        """Which blocks to keep, given the probabilities and the rules' decisions.

        `page_type`: the page's predicted type (the guard may hold on some
        types only). `words` (each block's words + 1) and `allowed` (blocks
        the model may keep) are what the expected-F1 decision reads; without
        `words` the thresholds decide. When the model would keep nothing where
        the rules kept something (a tiny page, a page unlike any it learned
        from), the rules' decisions stand.
        """
        bounds = self.guard.get(rung)
        if self.guard_types and page_type not in self.guard_types:
            bounds = None
        if bounds is None and self.decision == "expected-f1" and words is not None:
            may = np.ones(len(probs), dtype=bool) if allowed is None else allowed
            keep = expected_f1_keep(probs, words, may)
        elif bounds is None:
            keep = np.asarray(probs >= self.type_thresholds.get(page_type or "", self.threshold))
        else:
            keep = np.asarray(np.where(rules_kept, probs >= bounds[0], probs >= bounds[1]))
        return keep if keep.any() or not rules_kept.any() else np.asarray(rules_kept)

    def probabilities(self, blocks: list[Block], nodes: list[NodeInfo], rung: str,
                      region: Region | None, ctx: NodeContext | None,
                      type_probs: dict[str, float] | None = None) -> np.ndarray:
        """P(content) of every block, after the rules decided (their decision is a feature).

        `type_probs`: the page type's probabilities (`copydesk.pagetype`).
        """
        return self.raw_probabilities(blocks, nodes, rung, region, ctx, type_vector(type_probs))

    def raw_probabilities(self, blocks: list[Block], nodes: list[NodeInfo], rung: str,
                          region: Region | None, ctx: NodeContext | None,
                          types: np.ndarray | None = None) -> np.ndarray:
        page = page_matrix(blocks, nodes, rung, region, ctx, self.tokens, types)
        first, second = self.forests
        logits = first.logits(page.x)
        if second is not None:
            logits = second.logits(context_matrix(page, logits))
        return np.asarray(1.0 / (1.0 + np.exp(-logits)))

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "features": list(FEATURES),
                "context_features": list(CONTEXT_FEATURES), "threshold": self.threshold,
                "guard": {rung: list(b) for rung, b in self.guard.items()},
                "guard_types": sorted(self.guard_types),
                "type_thresholds": self.type_thresholds, "decision": self.decision,
                "tokens": self.tokens.weights, "stage1": self.stage1.to_json(),
                "stage2": self.stage2.to_json() if self.stage2 is not None else None,
                "info": self.info}


def from_json(data: dict[str, Any]) -> BlockModel:
    """A BlockModel from its JSON form; refuses another format or other features."""
    if data.get("format") != FORMAT:
        raise ValueError(f"unknown block model format {data.get('format')!r}")
    if tuple(data.get("features", ())) != FEATURES:
        raise ValueError("block model features differ from this copydesk's; retrain it")
    stage2 = data.get("stage2")
    if stage2 is not None and tuple(data.get("context_features", ())) != CONTEXT_FEATURES:
        raise ValueError("block model context features differ from this copydesk's; retrain it")
    return BlockModel(TokenTable({str(k): float(v) for k, v in data["tokens"].items()}),
                      TreeStage.from_json(data["stage1"]),
                      TreeStage.from_json(stage2) if stage2 is not None else None,
                      float(data["threshold"]), dict(data.get("info", {})),
                      {str(r): (float(b[0]), float(b[1]))
                       for r, b in (data.get("guard") or {}).items()},
                      frozenset(str(t) for t in data.get("guard_types") or ()),
                      {str(t): float(v) for t, v in (data.get("type_thresholds") or {}).items()},
                      _decision(data.get("decision", "threshold")))


def _decision(name: object) -> str:
    if name not in DECISIONS:
        raise ValueError(f"unknown block model decision {name!r}; known: {', '.join(DECISIONS)}")
    return str(name)


def load(path: Path | str) -> BlockModel:
    return from_json(json.loads(Path(path).read_text("utf-8")))


@lru_cache(maxsize=1)
def shipped_model() -> BlockModel | None:
    """The model shipped in the package, or None when it is absent."""
    try:
        text = resources.files("copydesk").joinpath("data/block_model.json").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    return from_json(json.loads(text))


_OVERRIDE: ContextVar[tuple[BlockModel | None] | None] = ContextVar("block_model", default=None)


@contextmanager
def use_model(model: BlockModel | None) -> Iterator[None]:
    """Classify with `model` (None: the rules alone) inside the block."""
    token = _OVERRIDE.set((model,))
    try:
        yield
    finally:
        _OVERRIDE.reset(token)


def active_model() -> BlockModel | None:
    """The model `extract()` uses now: an override, else the shipped one."""
    override = _OVERRIDE.get()
    return override[0] if override is not None else shipped_model()
