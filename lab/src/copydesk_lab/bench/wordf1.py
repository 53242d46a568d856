"""The WCXB metric: mean per-page word F1, overall and per page type, and snippet rates.

From ../shared/corpora/README.md: tokens are the lower-cased `\\w+` runs; per
page P = overlap / predicted tokens and R = overlap / gold tokens, with the
overlap counted as a multiset; F1 from those; the score is the mean of the
page F1s, overall and per page type. A page where both texts have no token
scores 1 (nothing to find, nothing found); one side empty scores 0.

Snippets: each page lists phrases that must appear in the body (`with`) and
phrases that must not (`without`, typically menu and footer items). A snippet
counts as present when its lower-cased token sequence occurs contiguously in
the prediction's tokens, so "Home" matches a standalone word "home" but not
"homework", and punctuation or spacing differences do not matter. Rates are
pooled over all snippets of the pages scored: `with_found` is the share of
must-have snippets present (higher is better), `without_leaked` the share of
must-not snippets present (lower is better).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

_TOKEN = re.compile(r"\w+", re.UNICODE)
ALL = "all"


def words(text: str | None) -> list[str]:
    """Lower-cased `\\w+` runs of `text`."""
    return _TOKEN.findall((text or "").lower())


@dataclass(slots=True, frozen=True)
class WordScore:
    """Word precision, recall and F1 of one page."""

    precision: float
    recall: float
    f1: float


def score_words(predicted: str | None, gold: str | None) -> WordScore:
    """Multiset word overlap of one page (see the module docstring for empty texts)."""
    pred, ref = Counter(words(predicted)), Counter(words(gold))
    n_pred, n_ref = sum(pred.values()), sum(ref.values())
    if not n_pred and not n_ref:
        return WordScore(1.0, 1.0, 1.0)
    if not n_pred or not n_ref:
        return WordScore(0.0, 0.0, 0.0)
    overlap = sum((pred & ref).values())
    p, r = overlap / n_pred, overlap / n_ref
    return WordScore(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def _contains(tokens: Sequence[str], phrase: Sequence[str]) -> bool:
    """Whether `phrase` occurs as a contiguous run of `tokens`."""
    n = len(phrase)
    if not n or n > len(tokens):
        return False
    first = phrase[0]
    return any(tokens[i] == first and list(tokens[i:i + n]) == list(phrase)
               for i in range(len(tokens) - n + 1))


def snippet_hits(predicted: str | None, snippets: Sequence[str]) -> tuple[int, int]:
    """(present, counted): snippets without any token are not counted."""
    tokens = words(predicted)
    phrases = [words(s) for s in snippets]
    phrases = [p for p in phrases if p]
    return sum(_contains(tokens, p) for p in phrases), len(phrases)


@dataclass(slots=True)
class WordResult:
    """One extractor on a typed dataset: mean word F1 per type (and `all`), snippet rates."""

    f1: dict[str, float] = field(default_factory=dict)
    precision: dict[str, float] = field(default_factory=dict)
    recall: dict[str, float] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)
    with_found: float | None = None
    without_leaked: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def word_result(predictions: Sequence[str], golds: Sequence[str | None],
                types: Sequence[str | None], withs: Sequence[Sequence[str]] = (),
                withouts: Sequence[Sequence[str]] = ()) -> WordResult:
    """Mean page word P/R/F1 overall (`all`) and per page type; pooled snippet rates."""
    scores = [score_words(p, g) for p, g in zip(predictions, golds, strict=True)]
    groups: dict[str, list[WordScore]] = {ALL: scores}
    for score, page_type in zip(scores, types, strict=True):
        if page_type:
            groups.setdefault(page_type, []).append(score)
    result = WordResult()
    for name, group in groups.items():
        result.f1[name] = _mean([s.f1 for s in group])
        result.precision[name] = _mean([s.precision for s in group])
        result.recall[name] = _mean([s.recall for s in group])
        result.pages[name] = len(group)
    result.with_found = _pooled_rate(predictions, withs)
    result.without_leaked = _pooled_rate(predictions, withouts)
    return result


def _pooled_rate(predictions: Sequence[str], snippet_lists: Sequence[Sequence[str]]
                 ) -> float | None:
    if not snippet_lists:
        return None
    present = counted = 0
    for pred, snippets in zip(predictions, snippet_lists, strict=True):
        hit, n = snippet_hits(pred, snippets)
        present, counted = present + hit, counted + n
    return present / counted if counted else None
