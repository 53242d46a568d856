"""Measure a line-level stacker in the route's unsure zone (an experiment; not shipped).

    python -m copydesk_lab.text.stack_probe --cache FILE [--seeds 0,1] [--rules 0:0.5,0.2:0.5]

Why: routed text mode loses most of its WCXB gap to pages the page type keeps
with the article scorer at p(article) 0.5-0.9, and every page-level lever that
sends them to the web scorer costs the article corpora (docs/text.md). This
asks whether a decision per line can do better there: gradient-boosted trees
over both scorers' out-of-fold logits (and their neighbours'), the line's own
features and shape in context, p(type), the web threshold and how much each
scorer keeps of the page, trained on the zone's pages of both corpora (WCXB's
lines weighted by `--wcxb-weight`) and scored out of fold, folds grouped by
site (`--seeds`: the fold draws). A rule `drop:add` keeps a line the article
scorer keeps when the stacker's p >= drop and one it drops when p >= add
(`0.5:0.5`: the stacker alone). Everything outside the zone is routed as
shipped. FILE is `pagetype_train`'s scorer cache (written there if absent).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np

from copydesk.text.columns import CONTEXT_FEATURES, LINE_FEATURES
from copydesk.text.features import context_matrix
from copydesk.text.pagetype import has_sentence, page_features
from copydesk.text.scorer import shipped
from copydesk_lab.bench import devset
from copydesk_lab.bench.metric import corpus_score, score_page
from copydesk_lab.paths import CORPORA_HELP, corpora_dir
from copydesk_lab.text import pagetype_train as pt
from copydesk_lab.text import train as scorer_train

_ART_CONTEXT = ("nb_same_shape", "run_len", "rel_len", "in_span", "mass_before", "mass_after",
                "nb_short", "nb_terminal")
_WEB_CONTEXT = ("in_span", "mass_before", "mass_after")
_WORDS = LINE_FEATURES.index("log_words")


class Data:
    """Both scorers' out-of-fold line probabilities on every page, the page types' out-of-fold
    probabilities and each page's web threshold, as `pagetype_train` scores the route."""

    def __init__(self, root: Path, cache: str) -> None:
        art = scorer_train.build(devset.CORPORA, devset.TRAIN_FLATTENERS, root)
        web = scorer_train.build(("wcxb",), ("html-text",), root)
        facts = devset.wcxb_facts(root)
        art_oof, web_oof, _, web_on_art = pt._scorers(art, web, cache, lambda _: None)
        article_scorer = shipped()
        art_on_web = [1.0 / (1.0 + np.exp(-article_scorer.logits(p.x))) for p in web]
        self.pages, self.n_art = art + web, len(art)
        self.art, self.web = art_oof + art_on_web, web_on_art + web_oof
        x = np.array([page_features(p.x, pt._logit(pr))
                      for p, pr in zip(self.pages, self.art, strict=True)])
        y = np.array(["article"] * len(art) + [
            getattr(facts.get(p.page.id), "page_type", None) or "other" for p in web])
        self.types = tuple(sorted(set(y.tolist()), key=lambda t: (t != "article", t)))
        self.probs = pt._type_oof(self.pages, x, y, np.ones(len(y)), self.types, 1.0)
        table = pt._threshold_table(web, web_oof)
        self.web_th = pt._inner_thresholds(self.pages, len(art), table, y[len(art):],
                                           self.probs, self.types)
        self.sentence = np.array([has_sentence(p.x) for p in self.pages])

    def routed(self, i: int) -> str:
        """Page i's kept text as the shipped route decides it (hard switch at 0.5)."""
        if self.sentence[i] and self.probs[i, 0] < 0.5:
            return scorer_train.kept_text(self.pages[i], self.web[i], round(self.web_th[i], 2))
        return scorer_train.kept_text(self.pages[i], self.art[i], 0.5)


def _window(v: np.ndarray, k: int) -> np.ndarray:
    """Mean of v over the k lines either side, the line itself excluded."""
    c = np.concatenate([[0.0], np.cumsum(v)])
    i = np.arange(len(v))
    lo, hi = np.maximum(0, i - k), np.minimum(len(v), i + k + 1)
    return np.asarray((c[hi] - c[lo] - v) / np.maximum(hi - lo - 1, 1))


def line_columns(d: Data, i: int) -> np.ndarray:
    """The stacker's inputs for page i's lines (see the module docstring)."""
    page = d.pages[i]
    la, lw = pt._logit(d.art[i]), pt._logit(d.web[i])
    n, th = len(la), float(d.web_th[i])
    words = np.maximum(np.expm1(page.x[:, _WORDS]), 1.0)
    keep_a, keep_w = d.art[i] >= 0.5, d.web[i] >= th
    shares = [(words * m).sum() / words.sum()
              for m in (keep_a, keep_w, keep_w & ~keep_a, keep_a & ~keep_w)]
    page_cols = [float(v) for v in (*d.probs[i], th, *shares)]
    cols = [la, lw, lw - float(pt._logit(np.array([th]))[0]), la - lw, _window(la, 1),
            _window(lw, 1), _window(la, 3), _window(lw, 3), _window(lw, 10),
            *(np.full(n, v) for v in page_cols)]
    ctx_a = context_matrix(la, page.x)[:, [CONTEXT_FEATURES.index(c) for c in _ART_CONTEXT]]
    ctx_w = context_matrix(lw, page.x)[:, [CONTEXT_FEATURES.index(c) for c in _WEB_CONTEXT]]
    return np.column_stack([*cols, page.x, ctx_a, ctx_w])


def stacked(d: Data, zone: np.ndarray, cols: dict[int, np.ndarray], wcxb_weight: float,
            seed: int) -> dict[int, np.ndarray]:
    """Out-of-fold stacker probabilities of the zone's lines (40 trees of depth 4)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    out: dict[int, np.ndarray] = {}
    for fold in scorer_train._folds(scorer_train._groups(d.pages), 5, seed):
        train = np.setdiff1d(np.flatnonzero(zone), fold)
        w = np.concatenate([d.pages[i].w * (wcxb_weight if i >= d.n_art else 1.0)
                            for i in train])
        model = HistGradientBoostingClassifier(
            max_iter=40, max_depth=4, learning_rate=0.2, early_stopping=False,
            min_samples_leaf=40, random_state=seed).fit(
            np.vstack([cols[i] for i in train]),
            np.concatenate([d.pages[i].y for i in train]), sample_weight=w / w.mean())
        for i in fold[zone[fold]]:
            out[int(i)] = model.predict_proba(cols[int(i)])[:, 1]
    return out


def scores(d: Data, texts: list[str]) -> dict[str, Any]:
    """AEB-metric F1 per article corpus/flattener; WCXB's mean page word F1 by type."""
    out: dict[str, Any] = {}
    for corpus, flat in sorted({(p.page.corpus, p.page.flattener) for p in d.pages}):
        idx = [i for i, p in enumerate(d.pages) if (p.page.corpus, p.page.flattener) ==
               (corpus, flat)]
        if corpus == "wcxb":
            out["wcxb"] = scorer_train.word_scores([(texts[i], d.pages[i]) for i in idx])
        elif "nogaps" not in flat:
            s = corpus_score([score_page(texts[i], d.pages[i].page.gold) for i in idx])
            out[f"{corpus}/{flat}"] = round(s.f1, 4)
    return out


def apply_rule(d: Data, probs: dict[int, np.ndarray], drop: float, add: float) -> list[str]:
    """Kept texts: routed outside the zone, the stacker's rule `drop:add` inside it."""
    texts = [d.routed(i) for i in range(len(d.pages))]
    for i, s in probs.items():
        a = d.art[i] >= 0.5
        keep = (a & (s >= drop)) | (~a & (s >= add))
        texts[i] = "\n\n".join(t for t, k in zip(d.pages[i].lines, keep, strict=True) if k)
    return texts


def _say(name: str, row: dict[str, Any]) -> None:
    wcxb = row.pop("wcxb")
    others = " ".join(f"{k}={v:.3f}" for k, v in row.items())
    print(f"{name}: WCXB {wcxb['word_f1']:.4f} {wcxb['word_f1_by_type']} | {others}",
          flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", default=None, metavar="DIR", help=CORPORA_HELP)
    ap.add_argument("--cache", required=True, metavar="FILE",
                    help="pagetype_train's scorer cache (written if absent)")
    ap.add_argument("--zone", default="0.5:0.9", help="p(article) range of the stacked pages")
    ap.add_argument("--wcxb-weight", type=float, default=0.5)
    ap.add_argument("--seeds", default="0")
    ap.add_argument("--rules", default="0.5:0.5,0.2:0.5,0:0.6")
    args = ap.parse_args(argv)
    root = corpora_dir(args.corpora)
    scorer_train.CORPORA_ROOT[0] = root
    d = Data(root, args.cache)
    lo, hi = map(float, args.zone.split(":"))
    pa = d.probs[:, 0]
    zone = d.sentence & (pa >= lo) & (pa < hi)
    print(f"zone: {zone[:d.n_art].sum()} of {d.n_art} article-corpus dumps, "
          f"{zone[d.n_art:].sum()} of {len(d.pages) - d.n_art} WCXB pages", flush=True)
    _say("routed (shipped)", scores(d, [d.routed(i) for i in range(len(d.pages))]))
    cols = {int(i): line_columns(d, int(i)) for i in np.flatnonzero(zone)}
    for seed in (int(s) for s in args.seeds.split(",")):
        probs = stacked(d, zone, cols, args.wcxb_weight, seed)
        for rule in args.rules.split(","):
            drop, add = map(float, rule.split(":"))
            _say(f"seed {seed} rule {rule}", scores(d, apply_rule(d, probs, drop, add)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
