"""Train the block scorer: `python -m copydesk_lab.classify.train [--corpora DIR]`.

1. Every corpus page (AEB, Readability test pages, newspaper4k pages with a
   gold body) goes through the same decode -> parse -> segment -> region
   analysis as `extract()`, giving one feature row per Block.
2. A Block's label is 1 when at least half of its 4-token shingles (or, for
   blocks under 4 tokens, its whole token run) occur in the page's gold body.
3. Cross-validation with pages grouped by site (url host; one group per
   page where the host is unknown), 5 folds: each held-out page's text is
   rebuilt from the blocks the fold's model keeps and scored with the AEB
   metric. Those are the figures we report as cross-validated.
4. With `--write`, the final model is fitted on all pages and written as
   JSON (`src/copydesk/data/block_model.json`): no pickle, no sklearn at
   run time; `extract()` then lets it review the rules' decisions.
The rule ladder's own score on the same pages is printed first: ship the
model only when its cross-validated score beats it (on 2026-11-26 it did
not: see the README). Runs in a few minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from copydesk.api import decode_content
from copydesk.blocks import Block
from copydesk.classify.features import FEATURES, block_features
from copydesk.classify.ladder import decide_by_rules
from copydesk.classify.model import FORMAT
from copydesk.html import parse_and_segment
from copydesk.normalize import host_of
from copydesk.options import Options
from copydesk.render import unique_blocks
from copydesk_lab.bench.metric import corpus_score, score_page, shingles, tokenize
from copydesk_lab.paths import CORPORA_HELP, corpora_dir, product_data

MODEL_PATH = product_data("block_model.json")


@dataclass
class TrainPage:
    dataset: str
    group: str
    blocks: list[Block]
    x: np.ndarray
    y: np.ndarray
    w: np.ndarray
    gold: str


def _html_text(html: str) -> str:
    from selectolax.lexbor import LexborHTMLParser

    body = LexborHTMLParser(html).body
    return body.text(separator="\n") if body is not None else ""


def load_raw(corpora: Path) -> list[tuple[str, str, bytes, str]]:
    """(dataset, group, page bytes, gold text) for every usable corpus page."""
    pages: list[tuple[str, str, bytes, str]] = []
    aeb = corpora / "aeb"
    truth = json.loads((aeb / "ground-truth.json").read_text("utf-8"))
    for key, item in sorted(truth.items()):
        data = gzip.decompress((aeb / "html" / f"{key}.html.gz").read_bytes())
        pages.append(("aeb", host_of(item["url"]) or key, data, item["articleBody"]))
    for page in sorted((corpora / "readability" / "pages").iterdir()):
        source, expected = page / "source.html", page / "expected.html"
        if source.exists() and expected.exists():
            gold = _html_text(expected.read_text("utf-8", "replace"))
            pages.append(("readability", "r:" + page.name, source.read_bytes(), gold))
    n4k = corpora / "newspaper4k"
    for txt in sorted((n4k / "txt").glob("*.txt")):
        html = n4k / "html" / (txt.stem + ".html")
        if html.exists():
            gold = txt.read_text("utf-8")
            pages.append(("newspaper4k", "n:" + txt.stem, html.read_bytes(), gold))
    return pages


def label_blocks(blocks: list[Block], gold: str) -> np.ndarray:
    """1 for blocks whose text is (mostly) in the gold body."""
    gold_tokens = tokenize(gold)
    gold_shingles = shingles(gold_tokens)
    gold_line = " " + " ".join(gold_tokens) + " "
    labels = np.zeros(len(blocks), dtype=np.int8)
    for i, block in enumerate(blocks):
        tokens = tokenize(block.text)
        if not tokens:
            continue
        if len(tokens) < 4:
            labels[i] = (" " + " ".join(tokens) + " ") in gold_line
            continue
        own = shingles(tokens)
        hit = sum(min(c, gold_shingles.get(s, 0)) for s, c in own.items())
        labels[i] = hit >= 0.5 * sum(own.values())
    return labels


def featurise(raw: list[tuple[str, str, bytes, str]]) -> list[TrainPage]:
    options = Options()
    out: list[TrainPage] = []
    for dataset, group, data, gold in raw:
        text = decode_content(data, options).text
        _, blocks, nodes = parse_and_segment(text, options)
        if not blocks:
            continue
        decision = decide_by_rules(blocks, nodes)
        region, ctx = decision.region, decision.ctx
        if region is None or ctx is None:
            continue
        x = block_features(blocks, ctx, region)
        y = label_blocks(blocks, gold)
        tokens = np.array([len(tokenize(b.text)) for b in blocks], dtype=np.float64)
        w = (tokens + 3.0) / (tokens.sum() + 3.0 * len(blocks)) * len(blocks)
        out.append(TrainPage(dataset, group, blocks, x, y, w, gold))
    return out


def _fit(pages: list[TrainPage], seed: int = 0) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = np.vstack([p.x for p in pages])
    y = np.concatenate([p.y for p in pages])
    w = np.concatenate([p.w for p in pages])
    model = HistGradientBoostingClassifier(
        max_iter=250, learning_rate=0.08, max_leaf_nodes=15, min_samples_leaf=20,
        l2_regularization=1.0, random_state=seed,
    )
    model.fit(x, y, sample_weight=w)
    return model


def _page_text(page: TrainPage, keep: np.ndarray) -> str:
    for block, k in zip(page.blocks, keep, strict=True):
        block.decide(bool(k), "")
    return "\n\n".join(b.text for b in unique_blocks(page.blocks))


def cross_validate(pages: list[TrainPage], folds: int = 5) -> dict[str, dict[str, float]]:
    """Grouped K-fold: no site is in both the training and the held-out pages."""
    groups = sorted({p.group for p in pages})
    # crc32, not hash(): str hashes change per process, the folds must not
    fold_of = {g: i % folds for i, g in enumerate(sorted(groups, key=_stable_key))}
    scores: dict[str, list[Any]] = {}
    for fold in range(folds):
        train = [p for p in pages if fold_of[p.group] != fold]
        held = [p for p in pages if fold_of[p.group] == fold]
        model = _fit(train)
        for page in held:
            keep = model.predict_proba(page.x)[:, 1] >= 0.5
            predicted = _page_text(page, keep)
            scores.setdefault(page.dataset, []).append(score_page(predicted, page.gold))
    return {dataset: _rounded(corpus_score(page_scores))
            for dataset, page_scores in sorted(scores.items())}


def _stable_key(group: str) -> tuple[int, str]:
    return zlib.crc32(group.encode("utf-8")), group


def rules_score(pages: list[TrainPage]) -> dict[str, dict[str, float]]:
    """The rule ladder alone on the same pages: what the scorer must beat."""
    column = FEATURES.index("rule_keep")
    scores: dict[str, list[Any]] = {}
    for page in pages:
        predicted = _page_text(page, page.x[:, column] > 0.5)
        scores.setdefault(page.dataset, []).append(score_page(predicted, page.gold))
    return {dataset: _rounded(corpus_score(page_scores))
            for dataset, page_scores in sorted(scores.items())}


def _rounded(score: Any) -> dict[str, float]:
    return {"precision": round(score.precision, 4), "recall": round(score.recall, 4),
            "f1": round(score.f1, 4), "pages": score.pages}


def export(model: Any, cv: dict[str, dict[str, float]], n_pages: int) -> dict[str, Any]:
    """sklearn HistGradientBoosting -> the portable JSON format of `classify.model`."""
    trees = []
    for (predictor,) in model._predictors:  # one predictor per iteration (binary task)
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append({
            "feature": [int(f) for f in nodes["feature_idx"]],
            "threshold": [float(t) for t in nodes["num_threshold"]],
            "left": [-1 if lf else int(c) for c, lf in zip(nodes["left"], leaf, strict=True)],
            "right": [-1 if lf else int(c) for c, lf in zip(nodes["right"], leaf, strict=True)],
            "value": [round(float(v), 6) for v in nodes["value"]],
            "depth": int(nodes["depth"].max()),
        })
    return {
        "format": FORMAT, "features": list(FEATURES),
        "init": float(np.ravel(model._baseline_prediction)[0]), "learning_rate": 1.0,
        "threshold": 0.5, "trees": trees,
        "info": {"trained_on_pages": n_pages, "cross_validation": cv,
                 "trainer": "copydesk_lab.classify.train (sklearn HistGradientBoostingClassifier)"},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=None,
                        help=CORPORA_HELP)
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    parser.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    parser.add_argument("--write", action="store_true",
                        help="write the model (it is then used by extract(): ship it only "
                             "when its cross-validated score beats the rules)")
    args = parser.parse_args(argv)
    started = time.time()
    pages = featurise(load_raw(corpora_dir(args.corpora)))
    print(f"{len(pages)} pages, {sum(len(p.blocks) for p in pages)} blocks, "
          f"{Counter(p.dataset for p in pages)}", file=sys.stderr)
    for dataset, s in rules_score(pages).items():
        print(f"rules {dataset}: {s}", file=sys.stderr)
    cv = {} if args.no_cv else cross_validate(pages)
    for dataset, s in cv.items():
        print(f"scorer cv {dataset}: {s}", file=sys.stderr)
    if not args.write:
        print("not written (--write to ship the model)", file=sys.stderr)
        return 0
    data = export(_fit(pages), cv, len(pages))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(data, separators=(",", ":")), "utf-8")
    print(f"wrote {args.output} in {time.time() - started:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
