"""The learned block classifier: its features, its JSON model, and how extract() uses it."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import copydesk
from copydesk.classify import blockmodel
from copydesk.classify.blockfeatures import (
    CONTEXT_FEATURES,
    FEATURES,
    TokenTable,
    context_matrix,
    page_matrix,
    punct_table,
    reason_code,
    type_vector,
)
from copydesk.classify.columns import TYPE_COLUMNS
from copydesk.classify.ladder import decide_by_rules
from copydesk.html import parse_and_segment
from copydesk.options import Options
from copydesk.text.scorer import TreeStage

STORY = ("The council voted on Tuesday to rebuild the old bridge over the river, "
         "and the work will start in the spring once the money arrives. ") * 3
PAGE = (f"<html><body><div class='menu'><a href='/'>Home</a> <a href='/n'>News</a></div>"
        f"<article class='post-body'><h1>Bridge</h1><p>{STORY}</p><p>{STORY}</p>"
        f"<p>Price: $12.50, 3 items</p></article>"
        f"<div class='related'><a href='/x'>Another story about a bridge</a></div>"
        f"</body></html>")


def _page() -> tuple[list, list, object]:
    _, blocks, nodes = parse_and_segment(PAGE, Options())
    return blocks, nodes, decide_by_rules(blocks, nodes)


def _stage(names: tuple[str, ...], feature: str, split: float, low: float, high: float
           ) -> TreeStage:
    """One tree of depth 1: x[feature] <= split -> low, else high."""
    col = names.index(feature)
    return TreeStage(names, 0.0, 1, np.array([[col, 0, 0]]), np.array([[split, 0.0, 0.0]]),
                     np.array([[1, 1, 2]]), np.array([[2, 1, 2]]),
                     np.array([[0.0, low, high]]))


def _rules_model(threshold: float = 0.5) -> blockmodel.BlockModel:
    """A model that agrees with the rules: +3 when they kept the block, -3 otherwise."""
    return blockmodel.BlockModel(TokenTable({"post": 1.5}),
                                 _stage(FEATURES, "rule_kept", 0.5, -3.0, 3.0), None, threshold)


def test_features_of_a_small_page() -> None:
    blocks, nodes, decision = _page()
    page = page_matrix(blocks, nodes, decision.rung, decision.region, decision.ctx,
                       TokenTable({"post": 1.5, "menu": -2.0}))
    x = page.x
    assert x.shape == (len(blocks), len(FEATURES)) and np.isfinite(x).all()
    col = {name: i for i, name in enumerate(FEATURES)}
    texts = [b.text for b in blocks]
    story, home, price = texts.index(STORY.strip()), texts.index("Home News"), \
        texts.index("Price: $12.50, 3 items")
    assert x[story, col["log_chars"]] == pytest.approx(math.log1p(len(STORY.strip())))
    assert x[home, col["link_density"]] == pytest.approx(8 / 9)
    assert x[story, col["rule_kept"]] == 1 and x[home, col["rule_kept"]] == 0
    assert x[story, col["token_max_path"]] == 1.5 and x[home, col["token_min_path"]] == -2.0
    assert x[price, col["currency"]] == 1 and x[price, col["digit_rate"]] > 0.2
    assert x[story, col["terminal"]] == 1 and x[home, col["terminal"]] == 0
    assert x[story, col["path_article"]] == 1 and x[home, col["path_article"]] == 0
    assert x[story, col["sig_log_count"]] == pytest.approx(math.log1p(3))  # three <p> alike
    assert x[story, col["h1_dist"]] == 1 and x[home, col["h1_dist"]] == -1  # the <h1> is next
    assert x[story, col["sig_rule_kept"]] == 1 and x[home, col["sig_rule_kept"]] == 0
    assert (x[:, col["type_article"]:] == 0).all()  # an untyped page
    ctx = context_matrix(page, np.arange(len(blocks), dtype=np.float64))
    assert ctx.shape == (len(blocks), len(FEATURES) + len(CONTEXT_FEATURES))
    assert ctx[1, len(FEATURES) + 1] == 0.0  # the previous block's logit


def test_page_type_probabilities_are_page_columns() -> None:
    blocks, nodes, decision = _page()
    types = type_vector({"article": 0.25, "product": 0.75, "other": 0.0})
    x = page_matrix(blocks, nodes, decision.rung, decision.region, decision.ctx, None, types).x
    first = FEATURES.index(TYPE_COLUMNS[0])
    assert x[:, first:first + len(TYPE_COLUMNS)].tolist() == [types.tolist()] * len(blocks)
    assert types.tolist() == [0.25, 0.0, 0.75, 0.0, 0.0, 0.0, 0.0]
    assert not type_vector(None).any() and not type_vector({}).any()


def test_punctuation_classes_come_from_the_shared_vocabulary() -> None:
    from copydesk import vocab

    table = punct_table()
    assert all(table[ord(c)] & 1 for c in vocab.COMMAS)
    assert all(table[ord(c)] & 2 for c in vocab.SENTENCE_END)
    assert all(table[ord(c)] & 4 for c in vocab.CURRENCY)
    assert all(table[ord(c)] & 8 for c in vocab.SEPARATORS)
    assert all(table[ord(c)] & 16 for c in vocab.SENTENCE_END + vocab.CLOSERS + vocab.CLAUSE_END)
    assert table[ord("a")] == 0 and table[ord(" ")] == 0


def test_reason_codes_group_the_rules_reasons() -> None:
    assert reason_code("in the article region") == 1
    assert reason_code("inside an element marked 'comments'") == 13
    assert reason_code("inside an element marked 'share'") == 4
    assert reason_code("link density 80%") == reason_code("heading that is a link (90% link text)")
    assert reason_code("") == 0


def test_model_json_round_trip_and_refusals(tmp_path: Path) -> None:
    model = _rules_model()
    path = tmp_path / "m.json"
    path.write_text(json.dumps(model.to_json()))
    again = blockmodel.load(path)
    blocks, nodes, decision = _page()
    args = (blocks, nodes, decision.rung, decision.region, decision.ctx)
    assert np.allclose(again.probabilities(*args), model.probabilities(*args))
    with pytest.raises(ValueError, match="unknown block model format"):
        blockmodel.from_json({"format": "pickle"})
    data = model.to_json()
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="features differ"):
        blockmodel.from_json(data)


def test_extract_uses_the_active_model_and_keeps_reasons() -> None:
    with blockmodel.use_model(None):
        rules = copydesk.extract(PAGE, explain=True)
    with blockmodel.use_model(_rules_model()):
        agree = copydesk.extract(PAGE, explain=True)
    with blockmodel.use_model(_rules_model(threshold=0.99)):  # would keep nothing
        none = copydesk.extract(PAGE, explain=True)
    assert not rules.rung.endswith("+model") and agree.rung == rules.rung + "+model"
    assert agree.text == rules.text and STORY.strip() in agree.text
    assert all(b.reason.startswith("model 0.") for b in agree.explanation.blocks)
    assert "(rules: in the article region)" in agree.explanation.blocks[2].reason
    assert none.text == rules.text  # a model keeping nothing leaves the rules' decisions
    assert not any("overrules" in b.reason for b in none.explanation.blocks)


def test_folds_are_a_stable_hash_of_the_site() -> None:
    assert blockmodel.fold_of("example.com") == 0  # zlib.crc32(b"example.com") % 5
    assert {blockmodel.fold_of(f"s{i}.example") for i in range(50)} == set(range(5))


def test_the_guard_lets_the_model_overrule_the_rules_only_when_sure() -> None:
    model = _rules_model()
    model.guard = {"region": (0.1, 0.9)}
    probs = np.array([0.05, 0.5, 0.5, 0.95])
    rules = np.array([True, True, False, False])
    assert model.keep(probs, rules, "region").tolist() == [False, True, False, True]
    assert model.keep(probs, rules, "density").tolist() == [False, True, True, True]
    assert model.keep(np.zeros(4), rules, "density").tolist() == rules.tolist()
    assert model.keep(np.zeros(2), np.zeros(2, dtype=bool), "density").tolist() == [False] * 2
    again = blockmodel.from_json(json.loads(json.dumps(model.to_json())))
    assert again.guard == {"region": (0.1, 0.9)}
    assert again.guard_types == frozenset()


def test_the_guard_holds_only_on_its_page_types() -> None:
    model = _rules_model()
    model.guard = {"region": (0.1, 0.9)}
    model.guard_types = frozenset({"article"})
    probs = np.array([0.05, 0.5, 0.5, 0.95])
    rules = np.array([True, True, False, False])
    assert model.keep(probs, rules, "region", "article").tolist() == [False, True, False, True]
    assert model.keep(probs, rules, "region", "product").tolist() == [False, True, True, True]
    assert model.keep(probs, rules, "region").tolist() == [False, True, True, True]
    again = blockmodel.from_json(json.loads(json.dumps(model.to_json())))
    assert again.guard_types == frozenset({"article"})


def test_a_page_type_can_have_its_own_threshold() -> None:
    model = _rules_model()
    model.guard = {"region": (0.1, 0.9)}
    model.guard_types = frozenset({"article"})
    model.type_thresholds = {"listing": 0.3}
    probs = np.array([0.2, 0.35, 0.6])
    rules = np.array([False, False, True])
    assert model.keep(probs, rules, "region", "listing").tolist() == [False, True, True]
    assert model.keep(probs, rules, "region", "product").tolist() == [False, False, True]
    assert model.keep(probs, rules, "density", "article").tolist() == [False, False, True]
    again = blockmodel.from_json(json.loads(json.dumps(model.to_json())))
    assert again.type_thresholds == {"listing": 0.3}


def test_token_extremes_of_many_values_match_one_at_a_time() -> None:
    """The page-wide reduction gives each value's (highest, lowest) weight, including
    values without words, all-negative values and a value longer than the cache limit."""
    table = TokenTable({"post": 1.5, "menu": -2.0, "share": -0.5, "body": 0.25})
    values = ["", "post-body", "menu share", "plain", "share", "-- --", "Post menu",
              "post " * 400]
    got = table.extremes_of(values)
    assert got.shape == (len(values), 2)
    for value, row in zip(values, got.tolist(), strict=True):
        assert tuple(row) == table.extremes(value)
    assert got[2].tolist() == [-0.5, -2.0]
