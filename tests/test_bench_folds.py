"""The benchmark's out-of-fold row: every page typed and scored by its fold's models.

The page type decides what `extract()` reads (hidden tabs on product-like
pages) and how the block model decides, so the row must type each page with
the page-type model of the fold that did not see its site, as the block
trainer does (`copydesk_lab.classify.train.type_probabilities`).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import copydesk
from copydesk.classify import blockmodel
from copydesk.pagetype import PAGE_TYPES
from copydesk.pagetype import model as pagetype_model
from copydesk_lab.bench.datasets import Page
from copydesk_lab.bench.peers import Copydesk, CopydeskFolds, CopydeskRules
from copydesk_lab.bench.suite import page_type_accuracy
from copydesk_lab.classify import train

STORY = ("The council voted on Tuesday to rebuild the old bridge over the river, "
         "and the work will start in the spring once the money arrives. ") * 4
ARTICLE = (f"<html><head><title>Bridge to be rebuilt</title></head><body>"
           f"<div class='menu'><a href='/'>Home</a> <a href='/n'>News</a></div>"
           f"<article><h1>Bridge to be rebuilt</h1><p>{STORY}</p><p>{STORY}</p></article>"
           f"</body></html>").encode()
# Sites of each fold (`blockmodel.fold_of`), found once.
SITES = {fold_of: site for site in (f"site{i}.example" for i in range(40))
         for fold_of in [blockmodel.fold_of(site)]}


def constant_type_model(kind: str) -> dict[str, object]:
    """A page-type model (shipped JSON format) that calls every page `kind`: one leaf
    per type, the baseline scores doing the work."""
    types = list(PAGE_TYPES[:7])
    n = len(types)
    return {"format": "copydesk-pagetype-trees/1", "types": types, "names": ["n_inputs"],
            "vocab": [], "baseline": [5.0 if t == kind else 0.0 for t in types],
            "roots": list(range(n)), "tree_type": list(range(n)), "depth": 1,
            "nodes": {"feature": [0] * n, "threshold": [1e300] * n, "left": list(range(n)),
                      "right": list(range(n)), "value": [0.0] * n},
            "info": {}}


def fold_dir(tmp_path: Path, kinds: list[str]) -> Path:
    """Fold models: the shipped block model five times, page-type fold k calls pages kinds[k]."""
    shipped = blockmodel.shipped_model()
    assert shipped is not None
    for k, kind in enumerate(kinds):
        (tmp_path / f"fold-{k}.json").write_text(json.dumps(shipped.to_json()))
        (tmp_path / f"pagetype-fold-{k}.json").write_text(json.dumps(constant_type_model(kind)))
    return tmp_path


def test_use_model_swaps_the_page_type_model_for_the_block() -> None:
    shipped = copydesk.extract(ARTICLE).page_type
    assert shipped == "article"
    with pagetype_model.use_model(pagetype_model.TreeModel.from_json(
            constant_type_model("forum"))):
        assert copydesk.extract(ARTICLE).page_type == "forum"
    with pagetype_model.use_model(None):
        assert copydesk.extract(ARTICLE).page_type == "other"
    assert copydesk.extract(ARTICLE).page_type == shipped


def test_the_cv_row_types_each_page_with_its_folds_model(tmp_path: Path) -> None:
    kinds = ["article", "forum", "product", "collection", "listing"]
    row = CopydeskFolds(fold_dir(tmp_path, kinds))
    row.setup()
    pages = [Page(f"p{k}", ARTICLE, f"https://{SITES[k]}/a", STORY, SITES[k], "wcxb",
                  page_type="forum") for k in range(blockmodel.FOLDS)]
    for page in pages:
        assert STORY.strip()[:60] in row.text(page)
    assert [row.page_types["wcxb", p.id] for p in pages] == kinds
    own = Copydesk()
    own.setup()
    for page in pages:
        own.text(page)
    rules = CopydeskRules()
    assert page_type_accuracy([own, row, rules], pages) == {"copydesk": 0.0,
                                                            "copydesk (cv)": 0.2}
    assert page_type_accuracy([row], [Page("x", ARTICLE, None, STORY, "s")]) == {}


def test_the_cv_row_refuses_a_folder_without_page_type_folds(tmp_path: Path) -> None:
    fold_dir(tmp_path, ["article"] * blockmodel.FOLDS)
    (tmp_path / "pagetype-fold-3.json").unlink()
    with pytest.raises(FileNotFoundError, match=r"pagetype-fold-3\.json"):
        CopydeskFolds(tmp_path).setup()


def test_trainer_types_each_row_with_the_fold_model_without_its_site(tmp_path: Path) -> None:
    kinds = ["service", "forum", "product", "documentation", "listing"]
    models = [constant_type_model(kind) for kind in kinds]
    rows = [("wcxb", SITES[k], {"n_inputs": 1.0}) for k in (3, 0, 4)]
    probs = train.type_probabilities(rows, models)
    assert [PAGE_TYPES[int(np.argmax(p))] for p in probs] == ["documentation", "service",
                                                              "listing"]
    assert all(p.sum() == pytest.approx(1.0) for p in probs)
    train.write_type_folds(tmp_path, models)
    loaded = pagetype_model.load(tmp_path / "pagetype-fold-2.json")
    assert loaded.types[int(np.argmax(loaded.probabilities(loaded.vector({}))))] == "product"
