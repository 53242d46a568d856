"""Train the text line scorer and report its cross-validated score.

    python -m copydesk_lab.text.train [--out src/copydesk/data/text_scorer.json]

Data: the text-mode dev set (`devset`: AEB, Readability, newspaper4k and
WCXB pages flattened by inscriptis, html-text and resiliparse; line labels from
the gold bodies; each line weighted by its words, `--weight-power`). Model:
stage 1 a logistic regression on line features; then `--stages` context
stages (gradient-boosted trees by default, `--trees/--depth/--rate`;
logistic regressions with `--context linear`, small perceptrons with
`--context mlp`), each on context features built from *out-of-fold* scores
of the stage before (stacking, so a stage learns from scores like those it
will see on new pages).
Evaluation: 5-fold cross-validation with pages grouped by site (all
flatteners of a page, and all pages of a host, share a fold), scored with
the AEB metric per corpus and flattener (WCXB also with its mean page word
F1). About 3 minutes on 2 cores; with `--datasets ...,wcxb` about 50.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from copydesk.text.features import CONTEXT_FEATURES, LINE_FEATURES, context_matrix, line_matrix
from copydesk.text.lines import split_lines
from copydesk.text.scorer import AnyStage, Stage, TreeStage
from copydesk_lab.bench import devset
from copydesk_lab.bench.metric import corpus_score, score_page
from copydesk_lab.bench.wordf1 import score_words
from copydesk_lab.paths import CORPORA_HELP, corpora_dir, product_data

_MLP_ROWS = 60_000  # lines sampled to train the perceptron: ~15 s a fit on one core
_LINEAR_ROWS = 300_000  # lines sampled to fit a logistic regression (2.4 M with WCXB)


@dataclass(slots=True)
class PageData:
    page: devset.TextPage
    lines: list[str]
    x: np.ndarray
    y: np.ndarray
    w: np.ndarray  # training weight of each line (`line_weights`)


def build(corpora: tuple[str, ...], flatteners: tuple[str, ...],
          root: Path | None = None,
          per_corpus: dict[str, tuple[str, ...]] | None = None) -> list[PageData]:
    """Labelled lines of every page; `per_corpus` names other flatteners for some corpora
    (WCXB's 1,476 pages by five flatteners would be 2.1 M lines of the 2.4 M)."""
    out = []
    for corpus in corpora:
        for flattener in (per_corpus or {}).get(corpus, flatteners):
            for page in devset.load(corpus, flattener, root=root):
                lines = split_lines(page.text)
                if not len(lines):
                    continue
                texts = lines.texts
                y = np.array(devset.line_labels(texts, page.gold))
                x = line_matrix(lines)
                out.append(PageData(page, texts, x, y, line_weights(x, corpus)))
    return out


# Line weights in training (`--weight-power`, `--page-power`, `--corpus-weights`):
# - words ** power: the AEB metric counts 4-token shingles, so a mistake on a long
#   line costs more than on a short one (power 0 weighs all lines alike);
# - a page's total weight scaled to (its words) ** page_power: at 1 a page counts by its
#   size, at 0 every page alike. WCXB's listings and shops are long dumps; by size they
#   would outweigh the article pages' lines several times over;
# - a factor per corpus, so one corpus does not set the trade-offs of all the others.
WEIGHTING: dict[str, Any] = {"power": 1.0, "page_power": 1.0, "corpus": {}}


def line_weights(x: np.ndarray, corpus: str) -> np.ndarray:
    """Each line's training weight (see WEIGHTING)."""
    words = np.maximum(np.expm1(x[:, LINE_FEATURES.index("log_words")]), 1.0)
    w = words ** WEIGHTING["power"]
    total = float(w.sum()) or 1.0
    w = w * (float(words.sum()) ** WEIGHTING["page_power"] / total)
    return w * float(WEIGHTING["corpus"].get(corpus, 1.0))


def _fit_linear(x: np.ndarray, y: np.ndarray, w: np.ndarray, names: tuple[str, ...],
                c: float = 1.0) -> Stage:
    from sklearn.linear_model import LogisticRegression

    if len(y) > _LINEAR_ROWS:  # a sample of lines fits ~30 weights as well, in a fraction
        pick = np.random.default_rng(0).permutation(len(y))[:_LINEAR_ROWS]
        x, y, w = x[pick], y[pick], w[pick]
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    model = LogisticRegression(C=c, max_iter=500).fit((x - mean) / scale, y,
                                                      sample_weight=w / w.mean())
    return Stage(names, mean, scale, [(model.coef_.T.copy(), model.intercept_.copy())])


def _fit_mlp(x: np.ndarray, y: np.ndarray, names: tuple[str, ...], hidden: int) -> Stage:
    from sklearn.neural_network import MLPClassifier

    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    pick = np.random.default_rng(0).permutation(len(y))[:_MLP_ROWS]  # bounds training time
    model = MLPClassifier(hidden_layer_sizes=(hidden,), alpha=1e-3, max_iter=40,
                          early_stopping=True, random_state=0)
    model.fit((x[pick] - mean) / scale, y[pick])
    layers = [(w.copy(), b.copy()) for w, b in zip(model.coefs_, model.intercepts_, strict=True)]
    return Stage(names, mean, scale, layers)


def _groups(pages: list[PageData]) -> np.ndarray:
    sites = sorted({f"{p.page.corpus}:{p.page.site}" for p in pages})
    index = {s: i for i, s in enumerate(sites)}
    return np.array([index[f"{p.page.corpus}:{p.page.site}"] for p in pages])


def _folds(groups: np.ndarray, k: int, seed: int = 0) -> list[np.ndarray]:
    """Page indices of each fold; a group's pages share a fold (`seed` draws the
    assignment: deterministic)."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(groups.max() + 1)
    fold_of_group = {g: i % k for i, g in enumerate(order)}
    return [np.flatnonzero([fold_of_group[g] == f for g in groups]) for f in range(k)]


def _stack(pages: list[PageData]) -> tuple[np.ndarray, np.ndarray]:
    return np.vstack([p.x for p in pages]), np.concatenate([p.y for p in pages])


# Size of the context stage's tree ensemble (`--trees`, `--depth`, `--rate`): its
# evaluation (~10% of a page's time) is proportional to trees x depth.
TREES: dict[str, float] = {"trees": 40, "depth": 5, "rate": 0.2, "leaf": 20, "l2": 0.0}


def _fit_trees(x: np.ndarray, y: np.ndarray, w: np.ndarray, names: tuple[str, ...]) -> TreeStage:
    """Gradient-boosted trees (scikit-learn's histogram GBDT), exported to a node table."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    trees, depth = int(TREES["trees"]), int(TREES["depth"])
    model = HistGradientBoostingClassifier(max_iter=trees, max_depth=depth,
                                           learning_rate=TREES["rate"], early_stopping=False,
                                           min_samples_leaf=int(TREES["leaf"]),
                                           l2_regularization=TREES["l2"],
                                           random_state=0).fit(x, y, sample_weight=w / w.mean())
    stage = _export_trees(model, names, depth)
    probe = x[:: max(1, len(x) // 2000)]
    if not np.allclose(walk_trees(stage, probe), model.decision_function(probe), atol=1e-6):
        raise RuntimeError("tree export does not reproduce scikit-learn's predictions")
    return stage


def walk_trees(stage: TreeStage, x: np.ndarray) -> np.ndarray:
    """Logits of the exported trees with their thresholds as trained, by the
    product's own heap and kernel (`TreeStage.exact_heap`, `kernels.tree_logits`).

    Why not `stage.logits`: at load every threshold is raised by `scorer.SPLIT_SLACK`,
    and text features hold values one ulp above a split (a midpoint of two ratios that
    differ in their last bit), so the loaded trees differ from scikit-learn's on ~0.3%
    of lines by design; this check is of the export."""
    from copydesk.text.kernels import tree_logits

    return tree_logits(np.ascontiguousarray(x, dtype=np.float64), stage.base, stage.depth,
                       *stage.exact_heap())


def _export_trees(model: Any, names: tuple[str, ...], depth: int) -> TreeStage:
    # `_predictors` / `nodes` are scikit-learn internals; `_fit_trees` checks the
    # exported trees against `decision_function`, so a change there fails loudly.
    tables = [predictor[0].nodes for predictor in model._predictors]
    width = max(len(t) for t in tables)
    shape = (len(tables), width)
    feature, left, right = (np.zeros(shape, dtype=np.int64) for _ in range(3))
    threshold, value = np.zeros(shape), np.zeros(shape)
    for i, nodes in enumerate(tables):
        idx = np.arange(width)
        left[i], right[i] = idx, idx  # padding and leaves point to themselves
        m = len(nodes)
        leaf = nodes["is_leaf"].astype(bool)
        feature[i, :m] = np.where(leaf, 0, nodes["feature_idx"])
        threshold[i, :m] = np.where(leaf, np.inf, nodes["num_threshold"])
        left[i, :m] = np.where(leaf, np.arange(m), nodes["left"])
        right[i, :m] = np.where(leaf, np.arange(m), nodes["right"])
        value[i, :m] = np.where(leaf, nodes["value"], 0.0)
    base = float(np.ravel(model._baseline_prediction)[0])
    return TreeStage(names, base, depth, feature, threshold, left, right, value)


def _fit_context(x: np.ndarray, y: np.ndarray, w: np.ndarray, context: str,
                 hidden: int) -> AnyStage:
    if context == "linear":
        return _fit_linear(x, y, w, CONTEXT_FEATURES)
    if context == "trees":
        return _fit_trees(x, y, w, CONTEXT_FEATURES)
    return _fit_mlp(x, y, CONTEXT_FEATURES, hidden)


def _out_of_fold(pages: list[PageData], rows: list[np.ndarray], folds: list[np.ndarray],
                 fit_one: Callable[[np.ndarray, np.ndarray, np.ndarray], AnyStage]
                 ) -> list[np.ndarray]:
    """Logits of every page from a stage fitted on the other folds (stacking)."""
    out: list[np.ndarray] = [np.zeros(0)] * len(pages)
    for fold in folds:
        held = set(fold.tolist())
        train = [i for i in range(len(pages)) if i not in held]
        stage = fit_one(np.vstack([rows[i] for i in train]),
                        np.concatenate([pages[i].y for i in train]),
                        np.concatenate([pages[i].w for i in train]))
        for i in fold:
            out[i] = stage.logits(rows[i])
    return out


def fit(pages: list[PageData], context: str, hidden: int, stages: int) -> tuple[
        Stage, list[AnyStage]]:
    """Stage 1 on all pages; each context stage on out-of-fold scores of the previous one."""
    folds = _folds(_groups(pages), 3)
    ys = np.concatenate([p.y for p in pages])
    ws = np.concatenate([p.w for p in pages])
    oof = _out_of_fold(pages, [p.x for p in pages], folds,
                       lambda x, y, w: _fit_linear(x, y, w, LINE_FEATURES))
    line = _fit_linear(np.vstack([p.x for p in pages]), ys, ws, LINE_FEATURES)
    contexts = []
    for level in range(stages):
        rows = [context_matrix(oof[i], p.x) for i, p in enumerate(pages)]
        contexts.append(_fit_context(np.vstack(rows), ys, ws, context, hidden))
        if level < stages - 1:
            oof = _out_of_fold(pages, rows, folds,
                               lambda x, y, w: _fit_context(x, y, w, context, hidden))
    return line, contexts


def predict(line: Stage, contexts: list[AnyStage], page: PageData) -> np.ndarray:
    a = line.logits(page.x)
    for stage in contexts:
        a = stage.logits(context_matrix(a, page.x))
    return 1.0 / (1.0 + np.exp(-a))


def kept_text(page: PageData, prob: np.ndarray, threshold: float) -> str:
    return "\n\n".join(t for t, p in zip(page.lines, prob, strict=True) if p >= threshold)


def cross_validate(pages: list[PageData], context: str, hidden: int, stages: int, k: int = 5,
                   thresholds: tuple[float, ...] = (0.4, 0.5, 0.6)) -> dict[str, dict[str, float]]:
    """Out-of-fold AEB scores per corpus/flattener and threshold."""
    probs: list[np.ndarray | None] = [None] * len(pages)
    for fold in _folds(_groups(pages), k):
        held = set(fold.tolist())
        line, contexts = fit([p for i, p in enumerate(pages) if i not in held], context, hidden,
                             stages)
        for i in fold:
            probs[i] = predict(line, contexts, pages[i])
    report: dict[str, dict[str, float]] = {}
    keys = sorted({(p.page.corpus, p.page.flattener) for p in pages})
    for th in thresholds:
        for corpus, flat in keys:
            scores = [score_page(kept_text(p, probs[i], th), p.page.gold)  # type: ignore[arg-type]
                      for i, p in enumerate(pages)
                      if p.page.corpus == corpus and p.page.flattener == flat]
            s = corpus_score(scores)
            row = {"precision": round(s.precision, 4), "recall": round(s.recall, 4),
                   "f1": round(s.f1, 4), "pages": len(scores)}
            if corpus == "wcxb":  # its own metric too: mean page word F1, per page type
                row.update(word_scores([(kept_text(p, probs[i], th), p)  # type: ignore[arg-type]
                                        for i, p in enumerate(pages)
                                        if p.page.corpus == corpus and p.page.flattener == flat]))
            report[f"{corpus}/{flat}@{th}"] = row
    return report


def mean_word_f1(pairs: list[tuple[str, str]]) -> float:
    """WCXB's metric: the mean over pages of the word F1 (`bench.wordf1`)."""
    return sum(score_words(pred, gold).f1 for pred, gold in pairs) / max(1, len(pairs))


def word_scores(kept: list[tuple[str, PageData]]) -> dict[str, Any]:
    """`word_f1` (WCXB's mean page word F1) and `word_f1_by_type` of kept texts."""
    facts = _wcxb_facts()
    by_type: dict[str, list[float]] = {}
    for text, page in kept:
        kind = getattr(facts.get(page.page.id), "page_type", None) or "other"
        by_type.setdefault(kind, []).append(score_words(text, page.page.gold).f1)
    return {"word_f1": round(mean_word_f1([(t, p.page.gold) for t, p in kept]), 4),
            "word_f1_by_type": {k: round(sum(v) / len(v), 4) for k, v in sorted(by_type.items())}}


@lru_cache(maxsize=1)
def _wcxb_facts() -> dict[str, devset.GoldFacts]:
    try:
        return devset.wcxb_facts(CORPORA_ROOT[0])
    except OSError:
        return {}


CORPORA_ROOT: list[Path | None] = [None]  # `--corpora`, for the WCXB page types


def parse_weights(text: str) -> dict[str, float]:
    """`wcxb=0.5,aeb=2` -> {"wcxb": 0.5, "aeb": 2.0}."""
    pairs = [item.split("=", 1) for item in text.split(",") if item.strip()]
    return {name.strip(): float(value) for name, value in pairs}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(product_data("text_scorer.json")))
    ap.add_argument("--datasets", default=",".join(devset.CORPORA),
                    help="comma list; add wcxb to learn from WCXB too (docs/text.md)")
    ap.add_argument("--corpora", default=None, metavar="DIR",
                    help=CORPORA_HELP)
    ap.add_argument("--flatteners", default=",".join(devset.TRAIN_FLATTENERS))
    ap.add_argument("--corpus-flatteners", default="", metavar="C=F+F,...",
                    help="other flatteners for some corpora, e.g. wcxb=html-text+resiliparse")
    ap.add_argument("--context", choices=["trees", "linear", "mlp"], default="trees")
    ap.add_argument("--hidden", type=int, default=16)
    ap.add_argument("--stages", type=int, default=1, help="context stages (stacked)")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    ap.add_argument("--trees", type=int, default=TREES["trees"])
    ap.add_argument("--depth", type=int, default=TREES["depth"])
    ap.add_argument("--rate", type=float, default=TREES["rate"], help="learning rate")
    ap.add_argument("--leaf", type=int, default=int(TREES["leaf"]), help="min lines a leaf")
    ap.add_argument("--l2", type=float, default=TREES["l2"], help="trees' L2 regularisation")
    ap.add_argument("--weight-power", type=float, default=WEIGHTING["power"],
                    help="train with line weights words ** power (0: unweighted)")
    ap.add_argument("--page-power", type=float, default=WEIGHTING["page_power"],
                    help="a page's total weight is its words ** this (0: pages alike)")
    ap.add_argument("--corpus-weights", default="", metavar="C=W,...",
                    help="a weight factor per corpus, e.g. wcxb=0.5")
    args = ap.parse_args(argv)
    TREES.update(trees=args.trees, depth=args.depth, rate=args.rate, leaf=args.leaf, l2=args.l2)
    WEIGHTING.update(power=args.weight_power, page_power=args.page_power,
                     corpus=parse_weights(args.corpus_weights))
    start = time.time()
    CORPORA_ROOT[0] = corpora_dir(args.corpora)
    per_corpus = {name: tuple(value.split("+")) for name, value in
                  (item.split("=", 1) for item in args.corpus_flatteners.split(",") if item)}
    pages = build(tuple(args.datasets.split(",")), tuple(args.flatteners.split(",")),
                  corpora_dir(args.corpora), per_corpus)
    print(f"{len(pages)} pages, {sum(len(p.y) for p in pages)} lines "
          f"({time.time() - start:.1f}s)", file=sys.stderr)
    info: dict[str, object] = {"trained_on": args.datasets, "flatteners": args.flatteners,
                               "corpus_flatteners": args.corpus_flatteners,
                               "context_model": args.context, "hidden": args.hidden,
                               "context_stages": args.stages, "trees": dict(TREES),
                               "weight_power": WEIGHTING["power"],
                               "page_power": WEIGHTING["page_power"],
                               "corpus_weights": dict(WEIGHTING["corpus"])}
    if not args.no_cv:
        cv = cross_validate(pages, args.context, args.hidden, args.stages)
        for key, row in cv.items():
            word = f" word-F1={row['word_f1']:.3f}" if "word_f1" in row else ""
            print(f"cv {key:40s} P={row['precision']:.3f} R={row['recall']:.3f} "
                  f"F1={row['f1']:.3f}{word} n={row['pages']}", file=sys.stderr)
        info["cv_grouped_by_site_5fold"] = cv
    line, contexts = fit(pages, args.context, args.hidden, args.stages)
    data = {"line": line.to_json(), "contexts": [c.to_json() for c in contexts],
            "threshold": args.threshold,
            "info": info}
    Path(args.out).write_text(json.dumps(data, indent=1) + "\n", "utf-8")
    print(f"wrote {args.out} ({time.time() - start:.1f}s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
