"""The expected-F1 keep decision: which blocks maximise a page's expected word F1."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.classify import blockmodel
from copydesk.classify.blockfeatures import FEATURES, TokenTable
from copydesk.classify.expected_f1 import expected_f1_keep
from copydesk.text.scorer import TreeStage


def _objective(keep: np.ndarray, probs: np.ndarray, words: np.ndarray) -> float:
    gold = float((probs * words).sum())
    return 2 * float((probs * words)[keep].sum()) / (float(words[keep].sum()) + gold)


def test_a_sure_page_keeps_only_its_sure_blocks() -> None:
    probs = np.array([0.95, 0.9, 0.35, 0.35, 0.35])
    words = np.array([100.0, 80.0, 10.0, 10.0, 10.0])
    assert expected_f1_keep(probs, words, np.ones(5, bool)).tolist() == [True, True] + [False] * 3


def test_a_page_of_unsure_items_keeps_them() -> None:
    """Items at 0.35 are dropped by a 0.5 threshold; keeping them is worth more F1."""
    probs = np.array([0.35] * 6 + [0.05])
    words = np.array([20.0] * 6 + [40.0])
    assert expected_f1_keep(probs, words, np.ones(7, bool)).tolist() == [True] * 6 + [False]


def test_blocks_not_allowed_are_never_kept_and_nothing_is_kept_without_mass() -> None:
    probs = np.array([0.99, 0.8, 0.7])
    words = np.array([10.0, 10.0, 10.0])
    allowed = np.array([False, True, True])
    assert expected_f1_keep(probs, words, allowed).tolist() == [False, True, True]
    assert not expected_f1_keep(np.zeros(3), words, np.ones(3, bool)).any()
    assert not expected_f1_keep(probs, words, np.zeros(3, bool)).any()
    assert expected_f1_keep(np.zeros(0), np.zeros(0), np.zeros(0, bool)).tolist() == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(1, 300)), min_size=1, max_size=8))
def test_the_prefix_is_the_best_of_all_subsets(rows: list[tuple[float, int]]) -> None:
    """The plug-in objective's optimum is a prefix by probability (every block above
    half the optimum is in it), so the O(n log n) scan finds the best subset."""
    probs = np.array([p for p, _ in rows])
    words = np.array([float(w) for _, w in rows])
    if probs.sum() == 0:
        return
    keep = expected_f1_keep(probs, words, np.ones(len(rows), bool))
    best = max(_objective(np.array(mask, bool), probs, words)
               for mask in itertools.product((False, True), repeat=len(rows)) if any(mask))
    assert _objective(keep, probs, words) >= best - 1e-9


def _model(decision: str) -> blockmodel.BlockModel:
    col = FEATURES.index("rule_kept")
    stage = TreeStage(FEATURES, 0.0, 1, np.array([[col, 0, 0]]), np.array([[0.5, 0.0, 0.0]]),
                      np.array([[1, 1, 2]]), np.array([[2, 1, 2]]), np.array([[0.0, -3.0, 3.0]]))
    return blockmodel.BlockModel(TokenTable({}), stage, None, 0.5, {}, {"region": (0.3, 0.7)},
                                 frozenset({"article"}), {}, decision)


def test_the_model_decides_by_expected_f1_where_no_guard_holds() -> None:
    model = _model("expected-f1")
    probs = np.array([0.35] * 4 + [0.05])
    rules = np.zeros(5, dtype=bool)
    words = np.full(5, 20.0)
    assert model.keep(probs, rules, "density", "listing", words).tolist() == [True] * 4 + [False]
    # without words the thresholds decide (0.5 here): nothing kept, so the rules stand
    assert model.keep(probs, rules, "density", "listing").tolist() == [False] * 5
    # the article guard still decides where it holds
    guarded = model.keep(probs, np.array([True, False, False, False, False]), "region",
                         "article", words)
    assert guarded.tolist() == [True, False, False, False, False]
    assert _model("threshold").keep(probs, rules, "density", "listing", words).tolist() \
        == [False] * 5


def test_the_decision_round_trips_and_an_unknown_one_is_refused() -> None:
    data = _model("expected-f1").to_json()
    assert blockmodel.from_json(json.loads(json.dumps(data))).decision == "expected-f1"
    del data["decision"]
    assert blockmodel.from_json(data).decision == "threshold"  # older model files
    data["decision"] = "vote"
    with pytest.raises(ValueError, match="unknown block model decision 'vote'"):
        blockmodel.from_json(data)


def test_the_shipped_model_decides_by_expected_f1() -> None:
    model = blockmodel.shipped_model()
    assert model is not None and model.decision == "expected-f1"
