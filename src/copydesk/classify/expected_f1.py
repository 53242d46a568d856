"""Which blocks to keep so that the page's expected word F1 is highest.

A fixed threshold on P(content) keeps the same blocks whatever else the page
holds. But the score is a page's word F1, and the threshold that maximises F1
depends on the page: it is half the best F1 the page allows (Lipton, Elkan and
Naryanaswamy, "Optimal Thresholding of Classifiers to Maximize F1 Measure",
ECML PKDD 2014), so a page
where the model is sure of its content should keep only confident blocks, and a
page of uncertain items (a listing, a forum, a product page) should keep more.

Given each block's probability p_i and its words w_i, the kept set S is the one
of the prefixes of the blocks sorted by p (the optimal set is such a prefix
under the plug-in approximation; Nan Ye et al., "Optimizing F-measures: A Tale
of Two Approaches", ICML 2012) that maximises

    2 * sum_S p_i w_i / (sum_S w_i + sum_all p_i w_i)

(expected true-positive words over expected predicted plus expected gold words,
the ratio of expectations). O(n log n) for n blocks.

Measured (session 12, docs/html.md): on the out-of-fold probabilities of the
trainer's folds, replacing the fixed keep thresholds (0.5; 0.3 on item-like
types) by this rule on every page the article guard does not hold on: WCXB
0.872 -> 0.876, every page type up or level, AEB 0.978 -> 0.978.
"""

from __future__ import annotations

import numpy as np


def expected_f1_keep(probs: np.ndarray, words: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Boolean keep mask over the blocks: the prefix by descending probability that
    maximises the page's expected word F1. `words`: each block's word weight (words
    + 1); `allowed`: blocks that may be kept at all (others count as p = 0). Keeps
    nothing when no allowed block has any probability."""
    q = np.where(allowed, np.clip(probs, 0.0, 1.0), 0.0)
    mass = q * words
    gold = float(mass.sum())
    keep = np.zeros(len(q), dtype=bool)
    if gold <= 0.0:
        return keep
    order = np.argsort(-q, kind="stable")
    f1 = 2.0 * np.cumsum(mass[order]) / (np.cumsum(words[order]) + gold)
    keep[order[: int(np.argmax(f1)) + 1]] = True
    return keep & allowed
