"""Train the page-type model: `python -m copydesk_lab.pagetype.train [--corpora DIR] [--write]`.

1. Every page of WCXB (seven labelled types) and of the article corpora
   (AEB, Readability, newspaper4k: all articles) goes through the same
   decode -> parse -> segment as `extract()`, and `pagetype.features` reads
   its named features.
2. The vocabulary is the features seen on at least `--min-hosts` sites of
   the training pages (url words, class/id words, declared types), so no
   feature names one site.
3. Gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier),
   5 folds grouped by site (url host): every WCXB page is predicted by the
   model that did not see its site. Printed: out-of-fold accuracy on the
   WCXB pages with its confusion matrix, then the in-sample figure.
4. With `--write` the model fitted on all pages is exported as plain JSON
   (`copydesk/data/page_type.json`, see `copydesk.pagetype.model`); the
   export is checked to give sklearn's own probabilities.
Runs in a few minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from copydesk.api import decode_content
from copydesk.errors import CopydeskError
from copydesk.html import parse_and_segment
from copydesk.options import Options
from copydesk.pagetype.features import page_features
from copydesk.pagetype.model import TreeModel
from copydesk_lab.bench.datasets import load
from copydesk_lab.paths import CORPORA_HELP, corpora_dir, product_data

MODEL_PATH = product_data("page_type.json")
TYPES: tuple[str, ...] = ("article", "forum", "product", "collection", "listing",
                          "documentation", "service")
DATASETS = ("wcxb", "aeb", "readability", "newspaper4k")
PARAMS: dict[str, Any] = {"max_iter": 120, "learning_rate": 0.08, "max_bins": 32,
                          "max_leaf_nodes": 8, "max_depth": 4, "min_samples_leaf": 15,
                          "l2_regularization": 1.0,
                          "random_state": 0}


@dataclass(slots=True)
class Row:
    """One page: its dataset, site, type and named features."""

    dataset: str
    site: str
    label: int
    feats: dict[str, float]


def load_rows(root: Path, limit: int | None = None) -> list[Row]:
    """Feature rows of every page of `DATASETS` (the article corpora labelled article)."""
    rows: list[Row] = []
    opts = Options()
    for name in DATASETS:
        if not (root / name).is_dir():
            print(f"skipped {name}: no folder under {root}")
            continue
        for page in load(name, root, need_text=False)[:limit]:
            label = page.page_type or "article"
            try:
                text = decode_content(page.html_bytes, opts).text
                tree, blocks, nodes = parse_and_segment(text, opts)
            except CopydeskError as exc:  # an error row at run time: no type to learn
                print(f"skipped {name}/{page.id}: {exc}")
                continue
            rows.append(Row(name, page.site, TYPES.index(label),
                            page_features(tree, page.url, blocks, nodes)))
    return rows


def cached_rows(cache: str | None, root: Path, limit: int | None) -> list[Row]:
    """`load_rows`, through a JSON cache file when one is named (for tuning runs)."""
    path = Path(cache) if cache else None
    if path is not None and path.is_file():
        return [Row(**r) for r in json.loads(path.read_text(encoding="utf-8"))]
    rows = load_rows(root, limit)
    if path is not None:
        path.write_text(json.dumps([dataclasses.asdict(r) for r in rows]), encoding="utf-8")
    return rows


def vocabulary(rows: list[Row], min_hosts: int) -> list[str]:
    """Feature names present on enough distinct sites, sorted: `min_hosts` for the
    open word families (class/id words, text words), a quarter of it (at least
    5) for the declared and url words, which are fewer and say more per word."""
    hosts: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for name in row.feats:
            hosts[name].add(row.site)
    declared = max(5, min_hosts // 4)
    return sorted(n for n, h in hosts.items()
                  if len(h) >= (min_hosts if n.startswith(_OPEN_FAMILIES) else declared))


_OPEN_FAMILIES = ("cls_", "w_")


def matrix(rows: list[Row], names: list[str]) -> np.ndarray:
    pos = {n: j for j, n in enumerate(names)}
    x = np.zeros((len(rows), len(names)))
    for i, row in enumerate(rows):
        for name, value in row.feats.items():
            j = pos.get(name)
            if j is not None:
                x[i, j] = value
    return x


def folds(rows: list[Row], k: int = 5, seed: int | None = 0) -> list[np.ndarray]:
    """Row indices of each fold; all pages of a site share a fold (deterministic).

    Sites are dealt to folds in a permutation drawn with `seed`; seed None
    takes the block trainer's folds (`blockmodel.fold_of`, a hash of the
    site), which are those the benchmark's cv row scores with."""
    from copydesk.classify.blockmodel import fold_of as hashed

    sites = sorted({r.site for r in rows})
    if seed is None:
        fold_of = {s: hashed(s, k) for s in sites}
    else:
        order = np.random.default_rng(seed).permutation(len(sites))
        fold_of = {sites[j]: i % k for i, j in enumerate(order)}
    return [np.flatnonzero([fold_of[r.site] == f for r in rows]) for f in range(k)]


def fit(rows: list[Row], min_hosts: int) -> tuple[Any, list[str]]:
    """The model fitted on `rows` and its feature names; an article-corpora page
    weighs `CORPORA_WEIGHT` against a WCXB page (`--corpora-weight`)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    names = vocabulary(rows, min_hosts)
    model = HistGradientBoostingClassifier(**PARAMS)
    weight = np.array([1.0 if r.dataset == "wcxb" else CORPORA_WEIGHT[0] for r in rows])
    model.fit(matrix(rows, names), np.array([r.label for r in rows]), sample_weight=weight)
    return model, names


# The weight of an article-corpora page against a WCXB page in the fit
# (`--corpora-weight`; a list so that `main` can set it for `fit`).
CORPORA_WEIGHT = [1.0]


def export(model: Any, names: list[str]) -> dict[str, Any]:
    """The fitted trees as `copydesk.pagetype.model` JSON (leaves point to themselves)."""
    nodes: dict[str, list[Any]] = {k: [] for k in ("feature", "threshold", "left", "right",
                                                    "value")}
    roots, tree_type, depth = [], [], 0
    classes = [int(c) for c in model.classes_]
    for round_trees in model._predictors:
        for k, predictor in enumerate(round_trees):
            base = len(nodes["feature"])
            roots.append(base)
            tree_type.append(k)
            for i, node in enumerate(predictor.nodes):
                leaf = bool(node["is_leaf"])
                depth = max(depth, int(node["depth"]))
                nodes["feature"].append(0 if leaf else int(node["feature_idx"]))
                nodes["threshold"].append(1e300 if leaf else float(node["num_threshold"]))
                nodes["left"].append(base + (i if leaf else int(node["left"])))
                nodes["right"].append(base + (i if leaf else int(node["right"])))
                nodes["value"].append(float(node["value"]) if leaf else 0.0)
    used = [n for n in names if n.startswith(("cls_", "w_"))]
    return {"format": "copydesk-pagetype-trees/1", "types": [TYPES[c] for c in classes],
            "names": names, "vocab": used,
            "baseline": [float(v) for v in np.ravel(model._baseline_prediction)],
            "roots": roots, "tree_type": tree_type, "depth": depth, "nodes": nodes}


def check_export(model: Any, data: dict[str, Any], x: np.ndarray) -> float:
    """Largest difference between the JSON model's probabilities and sklearn's."""
    tree_model = TreeModel.from_json(data)
    ours = np.array([tree_model.probabilities(row) for row in x])
    return float(np.abs(ours - model.predict_proba(x)).max())


def confusion(y: np.ndarray, pred: np.ndarray) -> str:
    lines = ["gold \\ predicted  " + " ".join(f"{t[:5]:>5}" for t in TYPES)]
    for i, t in enumerate(TYPES):
        counts = [int(((y == i) & (pred == j)).sum()) for j in range(len(TYPES))]
        lines.append(f"{t:<17} " + " ".join(f"{c:>5}" for c in counts))
    return "\n".join(lines)


def report(title: str, rows: list[Row], pred: np.ndarray) -> dict[str, Any]:
    y = np.array([r.label for r in rows])
    wcxb = np.array([r.dataset == "wcxb" for r in rows])
    acc = float((pred[wcxb] == y[wcxb]).mean()) if wcxb.any() else float("nan")
    other = float((pred[~wcxb] == y[~wcxb]).mean()) if (~wcxb).any() else float("nan")
    recall = {t: round(float((pred[wcxb & (y == i)] == i).mean()), 3)
              for i, t in enumerate(TYPES) if (wcxb & (y == i)).any()}
    print(f"{title}: WCXB accuracy {acc:.3f} ({int(wcxb.sum())} pages); "
          f"article corpora {other:.3f} ({int((~wcxb).sum())} pages)")
    print("  recall per type: " + ", ".join(f"{t} {v}" for t, v in recall.items()))
    print(confusion(y[wcxb], pred[wcxb]))
    return {"wcxb_accuracy": round(acc, 4), "article_corpora_accuracy": round(other, 4),
            "recall": recall}


def cross_validate(rows: list[Row], min_hosts: int, seed: int | None = 0) -> np.ndarray:
    pred = np.zeros(len(rows), dtype=np.int64)
    for fold in folds(rows, seed=seed):
        held = set(fold.tolist())
        train = [r for i, r in enumerate(rows) if i not in held]
        model, names = fit(train, min_hosts)
        pred[fold] = model.predict(matrix([rows[i] for i in fold], names))
    return pred


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", help=CORPORA_HELP)
    parser.add_argument("--min-hosts", type=int, default=40,
                        help="a class or text word must occur on this many sites, a url, "
                             "title or declared word on a quarter of them (default 40)")
    parser.add_argument("--limit", type=int, help="pages per dataset (quick runs)")
    parser.add_argument("--cache", metavar="FILE",
                        help="feature rows read from FILE when it exists, else written to it")
    parser.add_argument("--params", metavar="JSON", default="{}",
                        help='overrides of the GBDT parameters, e.g. \'{"max_iter": 100}\'')
    parser.add_argument("--fold-seed", default="0",
                        help="seed of the sites' deal to folds, or 'hash' for the block "
                             "trainer's folds (`blockmodel.fold_of`, the benchmark's); "
                             "default 0")
    parser.add_argument("--corpora-weight", type=float, default=1.0,
                        help="weight of an article-corpora page against a WCXB page in the "
                             "fit (default 1)")
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_PATH}")
    parser.add_argument("--no-cv", action="store_true",
                        help="skip the cross-validation (the final fit only)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    PARAMS.update(json.loads(args.params))
    CORPORA_WEIGHT[0] = args.corpora_weight
    rows = cached_rows(args.cache, corpora_dir(args.corpora), args.limit)
    print(f"{len(rows)} pages, features in {time.perf_counter() - start:.0f} s")
    seed = None if args.fold_seed == "hash" else int(args.fold_seed)
    oof = None if args.no_cv else report(
        f"out of fold (5 folds grouped by site, fold seed {args.fold_seed})", rows,
        cross_validate(rows, args.min_hosts, seed))
    model, names = fit(rows, args.min_hosts)
    x = matrix(rows, names)
    insample = report("in-sample", rows, model.predict(x))
    data = export(model, names)
    print(f"export check: max probability difference {check_export(model, data, x):.2e}; "
          f"{len(names)} features, {len(data['roots'])} trees, depth {data['depth']}")
    data["info"] = {"trained_on": list(DATASETS), "pages": len(rows), "min_hosts": args.min_hosts,
                    "params": PARAMS, "corpora_weight": args.corpora_weight,
                    "out_of_fold": oof, "in_sample": insample}
    if args.write:
        MODEL_PATH.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH}")
    print(f"done in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
