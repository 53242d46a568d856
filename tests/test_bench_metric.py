"""The AEB metric (copydesk_lab.bench.metric) on small cases computed by hand."""

from __future__ import annotations

import pytest

from copydesk_lab.bench.metric import (
    PageScore,
    corpus_score,
    page_precision,
    page_recall,
    score_page,
    shingles,
    tokenize,
)


def test_tokens_are_word_runs_with_case_kept() -> None:
    assert tokenize("Hello, World! it's 2020-01-02") == ["Hello", "World", "it", "s", "2020",
                                                        "01", "02"]
    assert tokenize("") == []
    assert tokenize("서울 東京 café") == ["서울", "東京", "café"]


def test_shingles_of_four_tokens_and_short_texts() -> None:
    assert shingles([]) == {}
    assert shingles(["a", "b", "c"]) == {("a", "b", "c"): 1}
    assert shingles(["a", "b", "c", "d"]) == {("a", "b", "c", "d"): 1}
    assert shingles(list("abcde")) == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert shingles(list("abcdabcd"))[("a", "b", "c", "d")] == 2


def test_identical_texts_score_one() -> None:
    s = score_page("a b c d e", "a b c d e")
    assert (s.tp, s.fp, s.fn, s.exact) == (1.0, 0.0, 0.0, True)
    assert page_precision(s) == page_recall(s) == 1.0


def test_one_shingle_each_way_is_a_third_each() -> None:
    # pred {abcd, bcde}, gold {abcd, bcdx}: TP 1, FP 1, FN 1, normalised by 3.
    s = score_page("a b c d e", "a b c d x")
    assert s.tp == pytest.approx(1 / 3) and s.fp == pytest.approx(1 / 3)
    assert s.fn == pytest.approx(1 / 3) and not s.exact
    assert page_precision(s) == pytest.approx(0.5) and page_recall(s) == pytest.approx(0.5)


def test_repeated_text_counts_as_a_multiset() -> None:
    # pred shingles: abcd x2, bcda, cdab, dabc (5); gold: abcd (1). TP 1, FP 4, FN 0.
    s = score_page("a b c d a b c d", "a b c d")
    assert (s.tp, s.fp, s.fn) == pytest.approx((0.2, 0.8, 0.0))
    assert page_precision(s) == pytest.approx(0.2) and page_recall(s) == 1.0


def test_short_texts_are_one_shingle_of_all_tokens() -> None:
    assert page_precision(score_page("a b", "a b")) == 1.0
    s = score_page("a b", "a b c")  # ("a","b") vs ("a","b","c"): no overlap at all
    assert (s.tp, s.fp, s.fn) == pytest.approx((0.0, 0.5, 0.5))
    assert page_precision(s) == 0.0 and page_recall(s) == 0.0


def test_empty_prediction_has_no_precision_and_zero_recall() -> None:
    s = score_page("", "a b c d")
    assert (s.tp, s.fp, s.fn) == (0.0, 0.0, 1.0)
    assert page_precision(s) is None  # TP+FP = 0: left out of the corpus mean
    assert page_recall(s) == 0.0


def test_both_empty_is_fp_fn_zero_so_one() -> None:
    s = score_page("", "")
    assert (s.tp, s.fp, s.fn, s.exact) == (0, 0, 0, True)
    assert page_precision(s) == page_recall(s) == 1.0


def test_case_matters_and_punctuation_does_not() -> None:
    assert not score_page("A b c d", "a b c d").exact
    assert score_page("a, b. c; d!", "a b c d").exact


def test_corpus_means_skip_undefined_precision_and_f1_is_from_means() -> None:
    half = score_page("a b c d e", "a b c d x")  # P 0.5, R 0.5
    empty = score_page("", "a b c d")  # P undefined, R 0
    result = corpus_score([half, empty])
    assert result.precision == pytest.approx(0.5)
    assert result.recall == pytest.approx(0.25)
    assert result.f1 == pytest.approx(2 * 0.5 * 0.25 / 0.75)
    assert result.accuracy == 0.0 and result.pages == 2


def test_accuracy_is_share_of_exact_token_matches() -> None:
    pages = [score_page("a b c d", "a b c d"), score_page("x", "a b c d"),
             score_page("a b", "a b"), score_page("", "a")]
    assert corpus_score(pages).accuracy == pytest.approx(0.5)


def test_bootstrap_std_is_zero_for_identical_pages_and_seeded() -> None:
    same = [PageScore(0.5, 0.25, 0.25, False)] * 10
    assert corpus_score(same, bootstrap=50).f1_std == pytest.approx(0.0, abs=1e-12)
    mixed = [score_page("a b c d e", "a b c d x"), score_page("a b c d", "a b c d")] * 5
    first = corpus_score(mixed, bootstrap=200, seed=1)
    again = corpus_score(mixed, bootstrap=200, seed=1)
    assert first.f1_std == again.f1_std > 0.0
    assert first.precision == pytest.approx(0.75)


def test_empty_corpus_is_zero_not_an_error() -> None:
    result = corpus_score([], bootstrap=10)
    assert (result.precision, result.recall, result.f1, result.accuracy) == (0.0, 0.0, 0.0, 0.0)
