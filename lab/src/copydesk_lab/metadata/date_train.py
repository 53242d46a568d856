"""Learn the date chooser's weights (`data/metadata_date_weights.json`).

    python -m copydesk_lab.metadata.date_train [--corpora DIR] [--write]

Pages: the WCXB development pages with a gold publish date, the Readability
and newspaper4k pages with one. Every page is extracted once; each day its
candidates name becomes a row of `date_choice.FEATURES`, labelled by whether
it is the gold day. A pairwise logistic regression (scikit-learn, the `train` extra:
rows of the gold day minus rows of the page's other days) learns weights
that rank days within a page; a page is right when its top-scored day is
the gold day.
Each page is also extracted stripped of its structured metadata
(`bench/strip.py`; `--no-stripped` to leave those copies out), so the
weights rank the visible dates of pages without JSON-LD or OpenGraph too.
Folds are grouped by site (url host, or the page folder when no url), so the
out-of-fold figure is for sites the weights never saw; it is printed first,
the in-sample figure second. Runs in about a minute on 2 cores.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import copydesk
from copydesk.metadata import date_choice
from copydesk_lab.bench import datasets
from copydesk_lab.bench.meta import day_of, gold_fields
from copydesk_lab.bench.strip import strip_structured
from copydesk_lab.paths import CORPORA_HELP, corpora_dir, product_data

WEIGHTS_NAME = "metadata_date_weights.json"
# Each Readability and newspaper4k page (49) weighs as much as this many WCXB
# pages each: their gold is the machine-readable publication date, WCXB's the
# date shown under the headline, and both must hold.
SMALL_SET_WEIGHT = 10.0
STRIPPED_WEIGHT = 0.5  # a stripped copy (see extract_rows) weighs half its page
REGULARISATION = 1.0  # sklearn's C; 0.3-3 give out-of-fold figures within 0.005


def gold_pages(corpora: Path) -> list[tuple[str, str, str | None, bytes, str]]:
    """(dataset, site, url, html bytes, gold day) of every dev page with a gold date."""
    pages: list[tuple[str, str, str | None, bytes, str]] = []
    for name in ("wcxb", "readability", "newspaper4k"):
        for page in datasets.load(name, corpora, need_text=False):
            day = day_of(gold_fields(page).get("date"))
            if day:
                pages.append((name, page.site, page.url, page.html_bytes, day))
    return pages


def page_rows(html: bytes, url: str | None) -> list[tuple[str, list[float]]]:
    """(day, feature row) for each day the page's candidates name."""
    article = copydesk.extract(html, url=url, explain=True)
    candidates = article.explanation.candidates if article.explanation else {}
    days = date_choice.collect(candidates)
    facts = date_choice.page_facts(days)
    return [(day.isoformat(), date_choice.features(ev, facts)) for day, ev in days.items()]


def extract_rows(corpora: Path, stripped: bool = False) -> list[dict[str, Any]]:
    """Every gold page extracted once: its site, gold day, weight and day rows.

    `stripped`: each page a second time without its structured metadata
    (`bench.strip`), as dataset `<name>-stripped` in the same site group (so
    a fold never sees a site's copy either way): pages nobody tuned carry no
    JSON-LD or OpenGraph, and the weights must rank their visible dates too.
    """
    out = []
    for dataset, site, url, html, gold in gold_pages(corpora):
        copies = [(dataset, html)]
        if stripped:
            copies.append((f"{dataset}-stripped", strip_structured(html)))
        out += [{"site": site, "gold": gold, "rows": page_rows(body, url), "url": url,
                 "dataset": name} for name, body in copies]
    return out


def page_weight(dataset: str, small: float, stripped: float) -> float:
    """WCXB pages 1; Readability and newspaper4k `small`; a stripped copy `stripped`
    times that (its gold may be a date the page never prints)."""
    base = 1.0 if dataset.startswith("wcxb") else small
    return base * stripped if dataset.endswith("-stripped") else base


def _load_rows(path: Path) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return pages


def _right(page: dict[str, Any], model: Any) -> bool:
    if not page["rows"]:
        return False
    rows = [(day, row) for day, row in page["rows"] if date_choice.eligible(row)]
    if not rows:
        return False
    scores = model.decision_function([row for _day, row in rows])
    best = max(range(len(scores)), key=lambda k: scores[k])
    return bool(rows[best][0] == page["gold"])


def _by_dataset(pages: list[dict[str, Any]], right: dict[int, bool]) -> str:
    names = sorted({p["dataset"] for p in pages})
    parts = []
    for name in names:
        index = [i for i, p in enumerate(pages) if p["dataset"] == name]
        parts.append(f"{name} {sum(right[i] for i in index) / len(index):.4f} ({len(index)})")
    return ", ".join(parts)


def _fit(pages: list[dict[str, Any]], index: list[int]) -> Any:
    from sklearn.linear_model import LogisticRegression

    # Pairwise: the gold day's row minus each other day's row of the same page
    # (and the reverse), so the weights learn to rank days within a page.
    x: list[list[float]] = []
    y: list[int] = []
    w: list[float] = []
    for i in index:
        rows = pages[i]["rows"]
        gold = [row for day, row in rows if day == pages[i]["gold"]]
        if not gold:
            continue
        for day, row in rows:
            if day != pages[i]["gold"]:
                diff = [a - b for a, b in zip(gold[0], row, strict=True)]
                x.extend((diff, [-v for v in diff]))
                y.extend((1, 0))
                w.extend((pages[i]["weight"],) * 2)
    model = LogisticRegression(C=pages[index[0]]["c"], max_iter=5000, fit_intercept=False)
    return model.fit(x, y, sample_weight=w)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", help=CORPORA_HELP)
    parser.add_argument("--write", action="store_true", help="write the weights JSON")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--dump", type=Path, help="write every page's feature rows as JSON")
    parser.add_argument("--rows", type=Path, help="read the rows of an earlier --dump")
    parser.add_argument("--small-weight", type=float, default=SMALL_SET_WEIGHT,
                        help="weight of a Readability / newspaper4k page")
    parser.add_argument("--c", type=float, default=REGULARISATION, help="sklearn's C")
    parser.add_argument("--no-stripped", action="store_true",
                        help="train on the pages as they are only (no stripped copies)")
    parser.add_argument("--stripped-weight", type=float, default=STRIPPED_WEIGHT,
                        help="weight of a stripped copy relative to its page")
    args = parser.parse_args(argv)
    from sklearn.model_selection import GroupKFold

    pages = (_load_rows(args.rows) if args.rows
             else extract_rows(corpora_dir(args.corpora), not args.no_stripped))
    if args.no_stripped:
        pages = [p for p in pages if not p["dataset"].endswith("-stripped")]
    for page in pages:
        page["weight"] = page_weight(page["dataset"], args.small_weight, args.stripped_weight)
        page["c"] = args.c
    if args.dump:
        args.dump.write_text(json.dumps(pages), encoding="utf-8")
    everything = list(range(len(pages)))
    folds = GroupKFold(n_splits=args.folds).split(everything, groups=[p["site"] for p in pages])
    oof: dict[int, bool] = {}
    for train, test in folds:
        model = _fit(pages, list(train))
        oof.update({i: _right(pages[i], model) for i in test})
    right = sum(oof.values())
    print(f"pages {len(pages)}; reachable (gold day among candidates) "
          f"{sum(any(d == p['gold'] for d, _r in p['rows']) for p in pages) / len(pages):.4f}")
    print(f"out-of-fold accuracy (grouped by site, {args.folds} folds): {right / len(pages):.4f}"
          f"  {_by_dataset(pages, oof)}")
    model = _fit(pages, everything)
    inside = {i: _right(pages[i], model) for i in everything}
    print(f"in-sample accuracy: {sum(inside.values()) / len(pages):.4f}  "
          f"{_by_dataset(pages, inside)}")
    table = dict(zip(date_choice.FEATURES, (round(float(w), 4) for w in model.coef_[0]),
                     strict=True))
    print(f"hand weights (shipped before training): {_hand_accuracy(pages):.4f}")
    if args.write:
        weights_path = product_data(WEIGHTS_NAME)
        weights_path.write_text(json.dumps({
            "note": "learned by python -m copydesk_lab.metadata.date_train --write "
                    "(logistic regression over date_choice.FEATURES)",
            "weights": table,
        }, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {weights_path}")


def _hand_accuracy(pages: list[dict[str, Any]]) -> float:
    table = date_choice.weights()
    right = 0
    for page in pages:
        rows = [item for item in page["rows"] if date_choice.eligible(item[1])]
        if rows:
            best = max(rows, key=lambda item: date_choice.score(item[1], table))
            right += best[0] == page["gold"]
    return right / len(pages)


if __name__ == "__main__":
    main()
