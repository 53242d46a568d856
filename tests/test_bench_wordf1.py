"""The WCXB word metric (copydesk_lab.bench.wordf1) on small cases computed by hand."""

from __future__ import annotations

import pytest

from copydesk_lab.bench.wordf1 import score_words, snippet_hits, word_result, words


def test_words_are_lower_cased_word_runs() -> None:
    assert words("Hello, World! it's Café 2025") == ["hello", "world", "it", "s", "café", "2025"]
    assert words(None) == [] and words("") == []


def test_word_f1_counts_a_multiset_overlap() -> None:
    # predicted: a a b c (4), gold: a b b d d (5); overlap min counts: a 1, b 1 -> 2
    score = score_words("a a b c", "A, b. B d d")
    assert score.precision == pytest.approx(2 / 4)
    assert score.recall == pytest.approx(2 / 5)
    assert score.f1 == pytest.approx(2 * 0.5 * 0.4 / 0.9)


def test_word_f1_on_empty_texts() -> None:
    assert score_words("", "").f1 == 1.0
    assert score_words("x", "").f1 == 0.0
    assert score_words("", "x").f1 == 0.0
    assert score_words("Same words", "same WORDS").f1 == 1.0


def test_snippets_match_whole_token_runs() -> None:
    text = "Welcome home. The homework is due; Login here"
    assert snippet_hits(text, ["Home", "Homework is due", "log in", "", "..."]) == (2, 3)
    assert snippet_hits("", ["a"]) == (0, 1)


def test_word_result_means_per_type_and_pools_snippets() -> None:
    preds = ["a b", "a", "x y"]
    golds = ["a b", "a b", "z"]
    types = ["article", "forum", "forum"]
    result = word_result(preds, golds, types, withs=[["a b"], ["b", "a"], []],
                         withouts=[["menu"], [], ["x"]])
    forum_f1 = (2 * 1.0 * 0.5 / 1.5 + 0.0) / 2
    assert result.f1["article"] == 1.0
    assert result.f1["forum"] == pytest.approx(forum_f1)
    assert result.f1["all"] == pytest.approx((1.0 + 2 / 3 + 0.0) / 3)
    assert result.pages == {"all": 3, "article": 1, "forum": 2}
    assert result.with_found == pytest.approx(2 / 3)  # "a b", "a" found; "b" not in "a"
    assert result.without_leaked == pytest.approx(1 / 2)  # "x" leaked, "menu" not
