"""Train text mode's page-type model and the WCXB scorer it routes to; score the pair.

    python -m copydesk_lab.text.pagetype_train [--route 0.4]   # ~10 min on 2 cores

Why two scorers: the article corpora's gold (AEB, Readability, newspaper4k)
drops an article's subheadings, list items and the headline lists around it;
WCXB's gold keeps a listing's items, a shop's specifications, a forum's posts
(docs/text.md). One scorer trained on both learns neither convention (AEB
out of fold -0.009). So the shipped article scorer (`text_scorer.json`,
`python -m copydesk_lab.text.train`) stays as it is, a second scorer
(`text_scorer_web.json`) learns WCXB's pages (html-text flattener) alone, and
a page-type model over the dump's line statistics (`copydesk.text.pagetype`)
sends a dump that does not read as an article (p(article) < `--route`, and
at least one sentence: `pagetype.use_web`) to the second one.

Everything is scored out of fold, 5 folds grouped by site: the article
scorer's line scores on the article corpora come from its own
cross-validation (the shipped one never saw WCXB, so on WCXB pages it is
unseen); the web scorer's on WCXB from its cross-validation (it never saw the
article corpora); the page-type model's from its. The routed pair's scores,
AEB metric per corpus/flattener and WCXB's mean page word F1 per type, go
into `text_pagetype.json` (`info.cv_grouped_by_site_5fold`), which the text
benchmark prints as copydesk's out-of-fold figures.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from copydesk.text.pagetype import PAGE_FEATURES, PageTypeModel, page_features, use_web, web_share
from copydesk.text.scorer import shipped
from copydesk.text.segment import SKIP_SHARE
from copydesk_lab.bench import devset
from copydesk_lab.bench.metric import corpus_score, score_page
from copydesk_lab.bench.wordf1 import score_words
from copydesk_lab.paths import CORPORA_HELP, corpora_dir, product_data
from copydesk_lab.text import train as scorer_train
from copydesk_lab.text.train import PageData

# The article corpora's pages' weight in the page-type fit (they come by five flatteners,
# WCXB by one): higher keeps more article dumps with the article scorer (0.2 and 0.5
# scored lower on newspaper4k out of fold; docs/text.md).
ARTICLE_PAGE_WEIGHT = [1.0]
_WEB_FLATTENER = "html-text"


def _oof_probs(pages: list[PageData], k: int = 5) -> list[np.ndarray]:
    """Each page's line probabilities from a scorer fitted on the other folds (by site)."""
    probs: list[np.ndarray] = [np.zeros(0)] * len(pages)
    for fold in scorer_train._folds(scorer_train._groups(pages), k):
        held = set(fold.tolist())
        line, contexts = scorer_train.fit([p for i, p in enumerate(pages) if i not in held],
                                          "trees", 16, 1)
        for i in fold:
            probs[i] = scorer_train.predict(line, contexts, pages[i])
    return probs


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return np.asarray(np.log(p / (1 - p)))


def fit_types(x: np.ndarray, y: np.ndarray, w: np.ndarray, types: tuple[str, ...],
              c: float) -> PageTypeModel:
    """A standardised multinomial logistic regression (classes in `types` order)."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    model = LogisticRegression(C=c, max_iter=3000).fit((x - mean) / scale, y, sample_weight=w)
    order = [list(model.classes_).index(t) for t in types]
    return PageTypeModel(types, PAGE_FEATURES, mean, scale, model.coef_.T[:, order].copy(),
                         model.intercept_[order].copy(), 0.5, {})


def _type_oof(pages: list[PageData], x: np.ndarray, y: np.ndarray, w: np.ndarray,
              types: tuple[str, ...], c: float) -> np.ndarray:
    out = np.zeros((len(pages), len(types)))
    for fold in scorer_train._folds(scorer_train._groups(pages), 5):
        train = np.setdiff1d(np.arange(len(pages)), fold)
        out[fold] = fit_types(x[train], y[train], w[train], types, c).probabilities(x[fold])
    return out


def routed_scores(pages: list[PageData], article: list[np.ndarray], web: list[np.ndarray],
                  share: np.ndarray, web_thresholds: np.ndarray | None = None,
                  threshold: float = 0.5) -> dict[str, dict[str, Any]]:
    """AEB-metric F1 per corpus/flattener (WCXB: its mean page word F1 too) of the lines
    kept from the blend of both scorers' probabilities, the web scorer's weighing `share`
    (1: it alone), against the blend of the thresholds (the web scorer's per page:
    `web_thresholds`, default `threshold`). `to_web`: the mean share."""
    report: dict[str, dict[str, Any]] = {}
    web_th = np.full(len(pages), threshold) if web_thresholds is None else web_thresholds
    for corpus, flat in sorted({(p.page.corpus, p.page.flattener) for p in pages}):
        idx = [i for i, p in enumerate(pages)
               if (p.page.corpus, p.page.flattener) == (corpus, flat)]
        kept = [(_kept(pages[i], article[i], web[i], float(share[i]), float(web_th[i]),
                       threshold), pages[i]) for i in idx]
        s = corpus_score([score_page(text, page.page.gold) for text, page in kept])
        row: dict[str, Any] = {"precision": round(s.precision, 4), "recall": round(s.recall, 4),
                               "f1": round(s.f1, 4), "pages": len(idx),
                               "to_web": round(float(np.mean(share[idx])), 4)}
        if corpus == "wcxb":
            row.update(scorer_train.word_scores(kept))
        report[f"{corpus}/{flat}@{threshold}"] = row
    return report


def _kept(page: PageData, article: np.ndarray, web: np.ndarray, share: float,
          web_threshold: float, threshold: float) -> str:
    """The kept text as `segment.route` decides it (blend, threshold in hundredths)."""
    if share < SKIP_SHARE:
        return scorer_train.kept_text(page, article, threshold)
    t = round(share * web_threshold + (1.0 - share) * threshold, 2)
    if share > 1.0 - SKIP_SHARE:
        return scorer_train.kept_text(page, web, t)
    return scorer_train.kept_text(page, share * web + (1.0 - share) * article, t)


# The web scorer's threshold per page type is chosen among these on the training folds.
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


def _threshold_table(web: list[PageData], probs: list[np.ndarray]) -> np.ndarray:
    """Each WCXB page's word F1 at each of THRESHOLDS (the web scorer's lines alone)."""
    return np.array([[score_words(scorer_train.kept_text(p, pr, t), p.page.gold).f1
                      for t in THRESHOLDS] for p, pr in zip(web, probs, strict=True)])


def choose_thresholds(table: np.ndarray, kinds: np.ndarray,
                      types: tuple[str, ...]) -> np.ndarray:
    """Per type, the threshold with the best mean page word F1 on these pages (0.5 for a
    type without pages)."""
    out = np.full(len(types), 0.5)
    for j, kind in enumerate(types):
        rows = table[kinds == kind]
        if len(rows):
            out[j] = THRESHOLDS[int(np.argmax(rows.mean(axis=0)))]
    return out


def _inner_thresholds(pages: list[PageData], n_art: int, table: np.ndarray,
                      kinds: np.ndarray, probs: np.ndarray,
                      types: tuple[str, ...]) -> np.ndarray:
    """Each page's web threshold from per-type thresholds chosen without its fold (the
    folds of the page-type model): p(type) @ thresholds."""
    out = np.zeros(len(pages))
    for fold in scorer_train._folds(scorer_train._groups(pages), 5):
        train = np.setdiff1d(np.arange(n_art, len(pages)), fold) - n_art
        out[fold] = probs[fold] @ choose_thresholds(table[train], kinds[train], types)
    return out


def _scorers(art: list[PageData], web: list[PageData], cache: str | None,
             say: Callable[[str], None]) -> Any:
    """Both scorers' out-of-fold line probabilities, the web scorer fitted on all of WCXB
    and its probabilities on the article corpora (which it never saw). `cache`: a lab
    scratch file keeping them between runs that only change the page-type model."""
    if cache and Path(cache).exists():
        with open(cache, "rb") as fh:
            return pickle.load(fh)
    art_oof = _oof_probs(art)
    say("article scorer out of fold")
    web_oof = _oof_probs(web)
    say("web scorer out of fold")
    line, contexts = scorer_train.fit(web, "trees", 16, 1)
    web_on_art = [scorer_train.predict(line, contexts, p) for p in art]
    say("web scorer fitted")
    out = (art_oof, web_oof, (line, contexts), web_on_art)
    if cache:
        with open(cache, "wb") as fh:
            pickle.dump(out, fh)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", default=None, metavar="DIR", help=CORPORA_HELP)
    ap.add_argument("--route", type=float, default=0.5,
                    help="the web scorer's share is 1/2 at p(article) = this")
    ap.add_argument("--sharpness", type=float, default=0.0,
                    help="of the soft switch (pagetype.web_share); 0 (shipped): a hard "
                         "switch (8 measured 0.813 against 0.814 out of fold)")
    ap.add_argument("--article-weight", type=float, default=ARTICLE_PAGE_WEIGHT[0],
                    help="weight of an article-corpus page in the page-type fit")
    ap.add_argument("--c", type=float, default=1.0, help="the page-type model's inverse L2")
    ap.add_argument("--cache", default=None, metavar="FILE",
                    help="keep the scorers' out-of-fold scores here between runs (scratch)")
    ap.add_argument("--out", default=str(product_data("text_pagetype.json")))
    ap.add_argument("--web-out", default=str(product_data("text_scorer_web.json")))
    args = ap.parse_args(argv)
    ARTICLE_PAGE_WEIGHT[0] = args.article_weight
    start = time.time()
    root = corpora_dir(args.corpora)
    scorer_train.CORPORA_ROOT[0] = root

    def say(msg: str) -> None:
        print(f"[{time.time() - start:6.0f}s] {msg}", file=sys.stderr, flush=True)

    art = scorer_train.build(devset.CORPORA, devset.TRAIN_FLATTENERS, root)
    web = scorer_train.build(("wcxb",), (_WEB_FLATTENER,), root)
    facts = devset.wcxb_facts(root)
    say(f"{len(art)} article-corpus pages, {len(web)} WCXB pages")
    art_oof, web_oof, (line, contexts), web_on_art = _scorers(art, web, args.cache, say)
    article_scorer = shipped()  # never saw WCXB
    art_on_web = [1.0 / (1.0 + np.exp(-article_scorer.logits(p.x))) for p in web]

    pages = art + web
    x = np.array([page_features(p.x, _logit(pr)) for p, pr in
                  zip(pages, art_oof + art_on_web, strict=True)])
    y = np.array(["article"] * len(art)
                 + [getattr(facts.get(p.page.id), "page_type", None) or "other" for p in web])
    w = np.array([ARTICLE_PAGE_WEIGHT[0]] * len(art) + [1.0] * len(web))
    types = tuple(sorted(set(y.tolist()), key=lambda t: (t != "article", t)))
    probs = _type_oof(pages, x, y, w, types, args.c)
    table = _threshold_table(web, web_oof)
    say("page types and web thresholds out of fold")
    web_th = _inner_thresholds(pages, len(art), table, y[len(art):], probs, types)
    info = _type_info(probs, y, types, len(art), args.c)
    for route, sharpness, per_type in _variants(args.route, args.sharpness):
        share = _shares(probs[:, types.index("article")], pages, route, sharpness)
        scores = routed_scores(pages, art_oof + art_on_web, web_on_art + web_oof, share,
                               web_th if per_type else None)
        name = f"route {route} sharpness {sharpness} {'type' if per_type else '0.5'}"
        for key, row in scores.items():
            if "nogaps" not in key:
                word = f" word-F1={row['word_f1']:.3f}" if "word_f1" in row else ""
                say(f"{name} cv {key:30s} F1={row['f1']:.3f}{word} web={row['to_web']:.2f}")
        if (route, sharpness, per_type) == (args.route, args.sharpness, True):
            info["cv_grouped_by_site_5fold"] = scores
    say(f"page type accuracy (WCXB, out of fold) {info['page_type_accuracy_wcxb_oof']:.3f}")
    model = fit_types(x, y, w, types, args.c)
    model.route, model.sharpness, model.info = args.route, args.sharpness, info
    model.web_thresholds = choose_thresholds(table, y[len(art):], types)
    Path(args.out).write_text(json.dumps(model.to_json(), indent=1) + "\n", "utf-8")
    _write_web(args.web_out, web, web_oof, line, contexts)
    say(f"wrote {args.out} and {args.web_out}; web thresholds {model.web_thresholds.tolist()}")
    return 0


def _variants(route: float, sharpness: float) -> list[tuple[float, float, bool]]:
    """The shipped routing, then the hard switch of before and a neighbour for comparison."""
    return [(0.4, 0.0, False), (route, 0.0, True), (route, sharpness, False),
            (route, sharpness, True)]


def _shares(p_article: np.ndarray, pages: list[PageData], route: float,
            sharpness: float) -> np.ndarray:
    """The web scorer's share per page (`pagetype.web_share`; a hard switch at 0)."""
    if sharpness <= 0.0:
        return np.array([float(use_web(float(pa), p.x, route))
                         for pa, p in zip(p_article, pages, strict=True)])
    return np.array([web_share(float(pa), p.x, route, sharpness)
                     for pa, p in zip(p_article, pages, strict=True)])


def _type_info(probs: np.ndarray, y: np.ndarray, types: tuple[str, ...], n_art: int,
               c: float) -> dict[str, Any]:
    predicted = np.array(types)[probs.argmax(axis=1)]
    return {"trained_on": f"article corpora (as 'article', page weight "
                          f"{ARTICLE_PAGE_WEIGHT[0]}) and wcxb/{_WEB_FLATTENER}", "c": c,
            "page_type_accuracy_wcxb_oof": round(float(np.mean(predicted[n_art:] == y[n_art:])),
                                                 4),
            "article_corpora_read_as_article_oof": round(
                float(np.mean(predicted[:n_art] == "article")), 4)}


def _write_web(path: str, web: list[PageData], web_oof: list[np.ndarray], line: Any,
               contexts: Any) -> None:
    web_cv = routed_scores(web, web_oof, web_oof, np.ones(len(web)))
    data = {"line": line.to_json(), "contexts": [c.to_json() for c in contexts],
            "threshold": 0.5,
            "info": {"trained_on": "wcxb", "flatteners": _WEB_FLATTENER,
                     "trees": dict(scorer_train.TREES), "cv_grouped_by_site_5fold": web_cv}}
    Path(path).write_text(json.dumps(data, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    sys.exit(main())
