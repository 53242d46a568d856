"""Quality gate: copydesk's scores on the dev corpora must not fall below pinned floors.

Same loaders, same adapter and same AEB metric as `copydesk bench`, copydesk
only (no peers), so a number here is the number the benchmark prints.
Floors live in `tests/quality_floors.json`: raise them when copydesk
improves, never lower them silently (say why in the commit).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from copydesk_lab.bench import datasets
from copydesk_lab.bench.meta import gold_fields, score_metadata
from copydesk_lab.bench.metric import corpus_score, score_page
from copydesk_lab.bench.peers import Copydesk
from copydesk_lab.bench.runner import score_pages

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
FLOORS: dict[str, Any] = json.loads(
    (Path(__file__).with_name("quality_floors.json")).read_text(encoding="utf-8"))

pytestmark = pytest.mark.corpus
TEXT_FLATTENER = "html-text"


def _need(dataset: str) -> None:
    if not (CORPORA / dataset).is_dir():
        pytest.skip(f"corpus {dataset!r} not found under {CORPORA} (needs ../shared/corpora)")


@cache
def _extractor() -> Copydesk:
    extractor = Copydesk(with_metadata=False)
    extractor.setup()
    return extractor


@cache
def _text_scores(dataset: str) -> dict[str, float]:
    pages = datasets.load(dataset, CORPORA)
    predictions = [_extractor().text(page) for page in pages]
    score = corpus_score(score_pages(predictions, pages))
    return {"precision": score.precision, "recall": score.recall, "f1": score.f1,
            "accuracy": score.accuracy}


def _floor_cases(section: str) -> list[tuple[str, str, float]]:
    return [(dataset, name, float(value))
            for dataset, floors in sorted(FLOORS.get(section, {}).items())
            for name, value in sorted(floors.items())]


def test_floor_file_is_well_formed() -> None:
    assert "note" in FLOORS
    for section in ("html", "text", "metadata"):
        for dataset, floors in FLOORS.get(section, {}).items():
            assert dataset in datasets.DATASETS, dataset
            assert all(0.0 <= float(v) <= 1.0 for v in floors.values()), floors


@pytest.mark.parametrize(("dataset", "measure", "floor"), _floor_cases("html"))
def test_body_text_floor(dataset: str, measure: str, floor: float) -> None:
    _need(dataset)
    got = _text_scores(dataset)[measure]
    assert got >= floor, (f"{dataset} {measure} fell to {got:.4f}, below the floor {floor:.4f} "
                          "(tests/quality_floors.json)")


@cache
def _meta_predictions(dataset: str) -> tuple[list[datasets.Page], list[dict[str, Any]]]:
    pages = [p for p in datasets.load(dataset, CORPORA, need_text=False) if gold_fields(p)]
    extractor = _extractor()
    return pages, [extractor.metadata(page) for page in pages]


@cache
def _meta_scores(dataset: str) -> dict[str, float | None]:
    pages, predictions = _meta_predictions(dataset)
    scores = score_metadata(predictions, pages)
    return {name: s.accuracy for name, s in scores.items()}


@pytest.mark.parametrize("dataset", sorted(FLOORS.get("metadata", {})))
def test_no_agency_among_authors(dataset: str) -> None:
    """A wire agency goes to `agency`, never to `authors`, on every page of the
    metadata datasets (the same extraction the floors use)."""
    from copydesk.metadata.agencies import match_agency

    _need(dataset)
    pages, predictions = _meta_predictions(dataset)
    wrong = [(page.id, person) for page, pred in zip(pages, predictions, strict=True)
             for person in pred.get("people", []) if match_agency(person)]
    assert not wrong, f"{dataset}: agencies listed as authors: {wrong[:5]}"


@pytest.mark.parametrize(("dataset", "field", "floor"), _floor_cases("metadata"))
def test_metadata_floor(dataset: str, field: str, floor: float) -> None:
    _need(dataset)
    got = _meta_scores(dataset)[field]
    assert got is not None, f"no gold for {dataset} {field}"
    assert got >= floor, (f"{dataset} metadata {field} fell to {got:.4f}, below the floor "
                          f"{floor:.4f} (tests/quality_floors.json)")


@cache
def _dump_scores(dataset: str) -> dict[str, float]:
    """The dataset's pages flattened by html-text, extracted as text dumps."""
    import copydesk
    from copydesk_lab.bench import devset

    pages = devset.load(dataset, TEXT_FLATTENER, root=CORPORA)
    scores = [score_page(copydesk.extract(p.text, input_format="text", metadata=False).text,
                         p.gold) for p in pages]
    score = corpus_score(scores)
    return {"precision": score.precision, "recall": score.recall, "f1": score.f1}


@pytest.mark.parametrize(("dataset", "measure", "floor"), _floor_cases("text"))
def test_text_dump_floor(dataset: str, measure: str, floor: float) -> None:
    _need(dataset)
    got = _dump_scores(dataset)[measure]
    assert got >= floor, (f"{dataset} (flattened by {TEXT_FLATTENER}) {measure} fell to "
                          f"{got:.4f}, below the floor {floor:.4f} (tests/quality_floors.json)")
