"""The page type of a text dump, from its line statistics (`copydesk/data/text_pagetype.json`).

A flattened page carries no markup, so the HTML page-type model
(`copydesk.pagetype`) cannot read it; yet the kind of page decides what the
body is (a listing's body is its items, an article's are its paragraphs, and
the two golds the scorers learn from label the same short lines differently:
docs/text.md). This model reads what a dump does have: the means of its line
features (`features.line_matrix`), how its words split between prose, short
and list-shaped lines, and what the article scorer made of it (the share of
words it keeps, how contiguous they are). A multinomial logistic regression
over those page features gives a probability per type (written by
`python -m copydesk_lab.text.pagetype_train`, cross-validated by site).

Its use (`segment`): a dump that reads as an article keeps the article
scorer's lines; one that does not is rescored by the scorer trained on WCXB's
pages (`text_scorer_web.json`), whose gold keeps a listing's items and a
product's specifications. The switch can be soft (`web_share`, when the
model's `sharpness` > 0): near the route threshold a line's probability is
then a blend of the two scorers', weighted by how far p(article) lies from
it. The shipped model uses a hard switch (sharpness 0): out of fold the
blend measured no better (0.813 against 0.814). The web scorer's threshold
depends on the page type (a listing's items score lower than a product's
paragraphs), one per type, mixed by p(type) (`web_threshold`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from copydesk.text.columns import LINE_FEATURES

# Line columns averaged over the page (the order of the first PAGE_FEATURES).
_MEANS = ("log_chars", "log_words", "terminal", "colon_end", "stop_ratio", "cap_ratio",
          "digit_ratio", "comma_rate", "separators", "chrome", "repeated", "gap_before",
          "short", "upper", "bullet", "url", "no_stop", "long_prose", "title_sim",
          "lower_start", "ellipsis_end", "by_start", "date_like", "caption",
          "mean_word_len", "comment_head")
PAGE_FEATURES: tuple[str, ...] = (
    *(f"mean_{name}" for name in _MEANS),
    "log_lines", "log_page_words", "prose_words", "terminal_words", "short_words",
    "kept_words", "kept_lines", "kept_prose", "kept_span", "mean_p",
)
_MEAN_COLS = np.array([LINE_FEATURES.index(n) for n in _MEANS], dtype=np.int64)
_WORDS = LINE_FEATURES.index("log_words")
_PROSE = LINE_FEATURES.index("long_prose")
_TERMINAL = LINE_FEATURES.index("terminal")
_SHORT = LINE_FEATURES.index("short")
MIN_PROSE_LINES = 1  # lines of >= 15 words ending a sentence (`long_prose`), see `use_web`


def page_features(x: np.ndarray, logits: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """PAGE_FEATURES of one dump: line matrix `x` and the article scorer's `logits`
    (one compiled pass, `kernels.page_statistics`; ~200 µs as numpy calls)."""
    from copydesk.text import kernels

    return kernels.page_statistics(np.ascontiguousarray(x, dtype=np.float64),
                                   np.ascontiguousarray(logits, dtype=np.float64), _MEAN_COLS,
                                   _WORDS, _PROSE, _TERMINAL, _SHORT, float(threshold))


def use_web(article_p: float, x: np.ndarray, route: float) -> bool:
    """A dump goes to the web scorer when it does not read as an article
    (p(article) < `route`) and holds at least MIN_PROSE_LINES sentences.

    Why the sentence: WCXB's gold keeps a listing's items, so its scorer keeps a
    page of bare headlines; a dump with not one sentence between its menus is an
    index, not a page with content to extract, and stays with the article scorer
    (which finds none: status `empty`, the page type still says `listing`).
    Out of fold this costs WCXB 0.004 word F1 (26 pages, mostly collections and
    listings whose gold is their headlines)."""
    return article_p < route and has_sentence(x)


def has_sentence(x: np.ndarray) -> bool:
    """Whether the dump holds MIN_PROSE_LINES lines of >= 15 words ending a sentence."""
    return int((x[:, _PROSE] > 0).sum()) >= MIN_PROSE_LINES


def web_share(article_p: float, x: np.ndarray, route: float, sharpness: float) -> float:
    """The web scorer's weight in a line's probability: 1 - sigmoid(sharpness *
    (logit(p(article)) - logit(route))), so 1/2 at p(article) = route, near 0 for a
    dump that reads as an article, near 1 for one that does not; 0 for a dump without a
    sentence (see `use_web`). Why soft: out of fold, blending near the route threshold
    scored WCXB higher than a hard switch at the same AEB figures (docs/text.md)."""
    if not has_sentence(x):
        return 0.0
    p = min(max(article_p, 1e-9), 1.0 - 1e-9)
    r = min(max(route, 1e-9), 1.0 - 1e-9)
    z = sharpness * (np.log(p / (1.0 - p)) - np.log(r / (1.0 - r)))
    return float(1.0 / (1.0 + np.exp(min(max(z, -50.0), 50.0))))


@dataclass(slots=True)
class PageTypeModel:
    """Standardised multinomial logistic regression over PAGE_FEATURES."""

    types: tuple[str, ...]
    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # (features, types)
    bias: np.ndarray  # (types,)
    route: float  # rescore with the web scorer when p(article) < route
    info: dict[str, Any]
    sharpness: float = 0.0  # of the soft switch (`web_share`); 0: a hard switch at `route`
    web_thresholds: np.ndarray | None = None  # the web scorer's threshold per type

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """p(type) for one page (or a matrix of pages, one row each)."""
        z = (features - self.mean) / self.scale
        if z.ndim == 1:  # one page: a product and a sum, not a BLAS call (~100 µs on a
            s = (z[:, None] * self.weights).sum(axis=0) + self.bias  # loaded machine)
        else:
            s = z @ self.weights + self.bias
        s = s - s.max(axis=-1, keepdims=True)
        e = np.exp(s)
        return np.asarray(e / e.sum(axis=-1, keepdims=True))

    def article_p(self, probabilities: np.ndarray) -> float:
        return float(probabilities[self.types.index("article")])

    def to_web(self, probabilities: np.ndarray, x: np.ndarray) -> bool:
        """Whether the web scorer should read this dump (see `use_web`)."""
        return use_web(self.article_p(probabilities), x, self.route)

    def web_share(self, probabilities: np.ndarray, x: np.ndarray) -> float:
        """The web scorer's weight in this dump's line probabilities (see `web_share`)."""
        if self.sharpness <= 0.0:
            return 1.0 if self.to_web(probabilities, x) else 0.0
        return web_share(self.article_p(probabilities), x, self.route, self.sharpness)

    def web_threshold(self, probabilities: np.ndarray, default: float) -> float:
        """The web scorer's threshold for this dump: the types' thresholds weighted by
        p(type) (chosen per type on the training folds by the trainer)."""
        if self.web_thresholds is None:
            return default
        return float(probabilities @ self.web_thresholds)

    def to_json(self) -> dict[str, Any]:
        return {"types": list(self.types), "names": list(self.names),
                "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "weights": self.weights.tolist(), "bias": self.bias.tolist(),
                "route": self.route, "sharpness": self.sharpness,
                "web_thresholds": (None if self.web_thresholds is None
                                   else self.web_thresholds.tolist()),
                "info": self.info}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageTypeModel:
        model = cls(tuple(data["types"]), tuple(data["names"]), np.array(data["mean"]),
                    np.array(data["scale"]), np.array(data["weights"]),
                    np.array(data["bias"]), float(data["route"]), dict(data.get("info", {})),
                    float(data.get("sharpness", 0.0)),
                    None if data.get("web_thresholds") is None
                    else np.array(data["web_thresholds"], dtype=np.float64))
        if model.names != PAGE_FEATURES:
            raise ValueError(f"text page-type weights expect features {model.names}, "
                             f"code has {PAGE_FEATURES}")
        return model


@lru_cache(maxsize=1)
def shipped() -> PageTypeModel | None:
    """The shipped model (None when the package carries none: every dump is an article)."""
    path = resources.files("copydesk.data").joinpath("text_pagetype.json")
    if not path.is_file():
        return None
    return PageTypeModel.from_json(json.loads(path.read_text("utf-8")))
