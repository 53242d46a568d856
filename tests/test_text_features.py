"""Unit tests of text-mode pieces: header, lines, features, scorer layout, ladder."""

from __future__ import annotations

import numpy as np

import copydesk
from copydesk.options import Options
from copydesk.text.features import (
    CONTEXT_FEATURES,
    LINE_FEATURES,
    best_span,
    line_matrix,
    title_similarity,
)
from copydesk.text.header import split_header
from copydesk.text.lines import MAX_LINE_CHARS, split_lines
from copydesk.text.scorer import shipped
from copydesk.text.segment import extract_blocks

PROSE = ("The council approved the new budget on Monday after a long debate, and the mayor "
         "said the money would go to schools and the harbour. ")


def _col(x: np.ndarray, name: str) -> np.ndarray:
    return x[:, LINE_FEATURES.index(name)]


def test_header_date_on_the_first_line_with_content() -> None:
    header = split_header(" date 2020-03-23  Back To Top\nNational\n")
    assert header.date_crawled == "2020-03-23"
    assert header.body.startswith("Back To Top\n")


def test_header_variants_and_non_headers() -> None:
    h = split_header("url: https://example.com/a\nWARC-Date: 2021-05-01T10:00:00Z\nHello\n")
    assert (h.url, h.date_crawled, h.body) == ("https://example.com/a", "2021-05-01T10:00:00Z",
                                               "Hello\n")
    assert split_header("Date night ideas for 2020\n").date_crawled is None
    assert split_header("Dated 2020-03-23: a report\n").date_crawled is None


def test_lines_layout_and_long_line_pieces() -> None:
    lines = split_lines("a b\n\n  c   d \ne\n")
    assert lines.texts == ["a b", "c d", "e"]
    assert lines.gap_before.tolist() == [True, True, False]
    assert lines.gap_after.tolist() == [True, False, True]
    long = split_lines(("word " * 5000).strip())
    assert all(len(t) <= MAX_LINE_CHARS for t in long.texts)
    assert " ".join(long.texts) == ("word " * 5000).strip()
    assert long.notes


def test_line_features_separate_prose_from_menu() -> None:
    quote = "«Il a dit que le projet était prêt.»"
    lines = split_lines(f"Home\nPolitics | World | Sports\n{PROSE}\n{quote}\n")
    x = line_matrix(lines)
    assert x.shape == (4, len(LINE_FEATURES))
    assert _col(x, "terminal").tolist() == [0, 0, 1, 1]  # closing quotes skipped
    assert _col(x, "separators")[1] == 2
    assert _col(x, "stop_ratio")[2] > 0.3 > _col(x, "stop_ratio")[0]
    assert _col(x, "long_prose").tolist() == [0, 0, 1, 0]
    assert _col(x, "short")[0] == 1


def test_cjk_lines_count_words_by_characters() -> None:
    sentence = "北京时间周一，政府宣布了新的预算计划，将用于学校和医院的建设。"
    x = line_matrix(split_lines(f"首页\n{sentence}\n"))
    assert _col(x, "log_words")[1] > _col(x, "log_words")[0] + 1
    assert _col(x, "terminal").tolist() == [0, 1]


def test_chrome_phrases_need_a_word_start() -> None:
    x = line_matrix(split_lines("Subscribe to our newsletter\nResearch shows the opposite.\n"))
    assert _col(x, "chrome").tolist() == [1, 0]  # "search" inside "Research" is no menu


def test_repeated_and_title_similarity() -> None:
    texts = ["Ministry backs cooperation with the North | Herald", "Home", "Home",
             "Ministry backs cooperation with the North", PROSE]
    x = line_matrix(split_lines("\n".join(texts)))
    assert _col(x, "repeated").tolist() == [0, 1, 1, 0, 0]
    sims = title_similarity(texts)
    assert sims[3] > 0.7 and sims[4] < 0.3


def test_best_span_is_the_maximum_subarray() -> None:
    assert best_span(np.array([-1, 2, 3, -10, 4, -1, 5.0, -2])) == (4, 7)
    assert best_span(np.array([-1.0, -2.0])) == (0, 0)


def test_shipped_scorer_matches_the_feature_layout() -> None:
    scorer = shipped()
    assert scorer.line.names == LINE_FEATURES
    assert scorer.contexts and all(c.names == CONTEXT_FEATURES for c in scorer.contexts)
    assert 0 < scorer.threshold < 1


def test_article_between_menus_keeps_subheading_drops_menus() -> None:
    menu = "\n".join(["Home", "News", "Politics", "Sports", "Business", "Opinion"])
    body = "\n\n".join([PROSE * 2, PROSE.replace("council", "board") * 2, "What happens next",
                        PROSE.replace("mayor", "governor") * 2, PROSE.replace("Monday", "Friday")])
    footer = "\n".join(["MOST POPULAR", "Contact us", "Privacy policy", "© 2024 Example News"])
    page = extract_blocks(f"{menu}\n\n{body}\n\n{footer}\n{menu}", None, Options())
    kept = [b.text for b in page.blocks if b.kept]
    assert "What happens next" in kept
    assert not set(kept) & {"Home", "MOST POPULAR", "Contact us", "© 2024 Example News"}
    heading = next(b for b in page.blocks if b.text == "What happens next")
    assert heading.kind == "h2"
    assert all(b.reason for b in page.blocks)


def test_input_format_override_and_sniffing() -> None:
    text = f"Home\n{PROSE}\n{PROSE}\n"
    assert copydesk.extract(text).input_format == "text"
    assert copydesk.extract(f"<p>{PROSE}</p>", input_format="text").input_format == "text"


def test_devset_labels_follow_the_gold_stream() -> None:
    from copydesk_lab.bench.devset import drop_blank_lines, line_labels

    gold = f"{PROSE}\nWhat happens next\n{PROSE.replace('council', 'board')}"
    lines = ["Home", PROSE.strip(), "What happens next", PROSE.replace("council", "board").strip(),
             "Contact", "What happens next"]
    assert line_labels(lines, gold) == [0, 1, 1, 1, 0, 0]  # the footer copy is not body
    assert drop_blank_lines("a\n\n \nb\n") == "a\nb"
