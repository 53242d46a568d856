"""The article-extraction-benchmark (AEB) metric, reproduced exactly.

From ScrapingHub's `evaluate.py` (described in ../shared/corpora/README.md):
tokens are the `\\w+` runs (case kept); a text is the multiset of its
4-token shingles (fewer than 4 tokens: one shingle of all of them; empty:
none). Per page TP/FP/FN are the multiset overlaps, normalised by their sum
so long pages weigh no more; precision = recall = 1 when FP = FN = 0.
Corpus precision and recall are means over pages with a defined
denominator, F1 is computed from those means; accuracy is the share of
pages whose token list equals the gold's.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(r"\w+", re.UNICODE)
_SHINGLE = 4


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(tokens: list[str]) -> Counter[tuple[str, ...]]:
    if not tokens:
        return Counter()
    if len(tokens) < _SHINGLE:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + _SHINGLE]) for i in range(len(tokens) - _SHINGLE + 1))


@dataclass(slots=True)
class PageScore:
    tp: float
    fp: float
    fn: float
    exact: bool


def score_page(predicted: str, gold: str) -> PageScore:
    """Normalised TP/FP/FN of one page, and whether tokens match exactly."""
    pred_tokens, gold_tokens = tokenize(predicted), tokenize(gold)
    pred, ref = shingles(pred_tokens), shingles(gold_tokens)
    tp: float = sum((pred & ref).values())
    fp: float = sum((pred - ref).values())
    fn: float = sum((ref - pred).values())
    total = tp + fp + fn
    if total:
        tp, fp, fn = tp / total, fp / total, fn / total
    return PageScore(tp, fp, fn, pred_tokens == gold_tokens)


def page_precision(s: PageScore) -> float | None:
    if s.fp == 0 and s.fn == 0:
        return 1.0
    return s.tp / (s.tp + s.fp) if s.tp + s.fp > 0 else None


def page_recall(s: PageScore) -> float | None:
    if s.fp == 0 and s.fn == 0:
        return 1.0
    return s.tp / (s.tp + s.fn) if s.tp + s.fn > 0 else None


@dataclass(slots=True)
class CorpusScore:
    precision: float
    recall: float
    f1: float
    accuracy: float
    precision_std: float = 0.0
    recall_std: float = 0.0
    f1_std: float = 0.0
    pages: int = 0


def _mean(values: Sequence[float | None]) -> float:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else 0.0


def f1(p: float, r: float) -> float:
    """Harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * p * r / (p + r) if p + r else 0.0


def bag_f1(predicted: Counter[Any], gold: Counter[Any]) -> tuple[float, float, float]:
    """Precision, recall and F1 of two bags (tokens, words, names): the one token F1
    of the lab, used for bylines and word-level page scores alike."""
    common = sum((predicted & gold).values())
    if not common:
        return 0.0, 0.0, 0.0
    p, r = common / sum(predicted.values()), common / sum(gold.values())
    return p, r, f1(p, r)


def corpus_score(pages: Sequence[PageScore], bootstrap: int = 0, seed: int = 0) -> CorpusScore:
    """Corpus P/R/F1/accuracy; bootstrap standard deviations when `bootstrap` > 0."""
    precisions = [page_precision(s) for s in pages]
    recalls = [page_recall(s) for s in pages]
    p, r = _mean(precisions), _mean(recalls)
    acc = sum(s.exact for s in pages) / len(pages) if pages else 0.0
    result = CorpusScore(p, r, f1(p, r), acc, pages=len(pages))
    if bootstrap and pages:
        rng = random.Random(seed)
        ps, rs, fs = [], [], []
        n = len(pages)
        for _ in range(bootstrap):
            idx = [rng.randrange(n) for _ in range(n)]
            bp, br = _mean([precisions[i] for i in idx]), _mean([recalls[i] for i in idx])
            ps.append(bp)
            rs.append(br)
            fs.append(f1(bp, br))
        result.precision_std, result.recall_std, result.f1_std = _std(ps), _std(rs), _std(fs)
    return result


def _std(values: list[float]) -> float:
    m = sum(values) / len(values)
    return (sum((v - m) ** 2 for v in values) / len(values)) ** 0.5
