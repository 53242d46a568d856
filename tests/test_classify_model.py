"""The portable tree format: what the trainer exports, numpy evaluates identically."""

from __future__ import annotations

import numpy as np
import pytest

from copydesk.classify.features import FEATURES
from copydesk.classify.model import pack
from copydesk_lab.classify.train import export

sklearn_ensemble = pytest.importorskip("sklearn.ensemble", reason="scikit-learn (dev extra)")


def test_exported_trees_match_sklearn_probabilities() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, len(FEATURES))).astype(np.float32)
    y = ((x[:, 0] + 0.5 * x[:, 3] - x[:, 7] * x[:, 1]) > 0).astype(int)
    fitted = sklearn_ensemble.HistGradientBoostingClassifier(max_iter=30, random_state=0)
    fitted.fit(x, y)
    model = pack(export(fitted, cv={}, n_pages=0))
    expected = fitted.predict_proba(x)[:, 1]
    assert np.allclose(model.probability(x), expected, atol=1e-4)
    assert model.features == FEATURES


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown model format"):
        pack({"format": "pickle"})


def test_empty_input_gives_empty_scores() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(100, len(FEATURES))).astype(np.float32)
    fitted = sklearn_ensemble.HistGradientBoostingClassifier(max_iter=5, random_state=0)
    fitted.fit(x, (x[:, 0] > 0).astype(int))
    model = pack(export(fitted, cv={}, n_pages=0))
    assert model.decision(np.zeros((0, len(FEATURES)), dtype=np.float32)).shape == (0,)
