"""The compiled text-mode loops: same results as their pure-Python form, exact
trees, hashes that match the word lists, and the line layout they report."""

from __future__ import annotations

import numpy as np
import pytest

from copydesk.text import charclass as cc
from copydesk.text import kernels, vocab
from copydesk.text.features import CONTEXT_FEATURES, LINE_FEATURES, context_matrix, line_matrix
from copydesk.text.lines import split_lines
from copydesk.text.scorer import TreeStage, shipped

PAGE = "\n".join([
    "  Home | News | Sport  ",
    "",
    "Ministry backs cooperation with the North | Herald",
    "Ministry backs cooperation with the North",
    "By John Smith, Reuters",
    "Published : Mar 23, 2020 - 11:58",
    "The council approved the new budget on Monday after a long debate, and the mayor said",
    "the money would go to schools\tand  the harbour. «Il a dit que le projet était prêt.»",
    "北京时间周一，政府宣布了新的预算计划。",
    "Photo: Getty Images",
    "Jane says:",
    "Privacy Policy · Terms of Use © 2024 Example News ...",
    "Home | News | Sport",
])


def _py(kernel: object) -> object:
    """The pure-Python form of a compiled kernel (the fallback without numba)."""
    return getattr(kernel, "py_func", kernel)


def _scan_args(text: str) -> tuple:  # type: ignore[type-arg]
    cps = cc.codepoints(text)
    starts, ends, _ = kernels.line_spans(cps, cc.table())
    keys, values, mults, bits = vocab.cuckoo_tables()
    return (cps, starts, ends, cc.table(), cc.lower_table(), keys, values, mults, bits,
            np.uint64(vocab.by_hash()))


def test_scan_matches_its_pure_python_form() -> None:
    args = _scan_args(PAGE)
    with np.errstate(over="ignore"):
        pure = _py(kernels.scan_lines)(*args)  # type: ignore[operator]
    compiled = kernels.scan_lines(*args)
    assert len(pure) == len(compiled) == 6
    for a, b in zip(compiled, pure, strict=True):
        assert np.array_equal(a, b)


def test_context_and_trees_match_their_pure_python_form() -> None:
    lines = split_lines(PAGE)
    x = line_matrix(lines)
    a = np.linspace(-3, 3, len(x))
    compiled = context_matrix(a, x)
    from copydesk.text import features

    pure = _py(kernels.context_rows)(a, x, features._COLS, features._NB,  # type: ignore[operator]
                                     features._COPY_FROM, features._COPY_TO,
                                     len(CONTEXT_FEATURES))
    assert np.allclose(compiled, pure)
    stage = shipped().contexts[0]
    assert isinstance(stage, TreeStage)
    feature, threshold, value = stage._heap()
    args = (compiled, stage.base, stage.depth, feature, threshold, value)
    assert np.allclose(kernels.tree_logits(*args), _py(kernels.tree_logits)(*args))


def _walk(stage: TreeStage, x: np.ndarray) -> np.ndarray:
    """Reference: follow left/right pointers node by node."""
    out = np.full(len(x), stage.base)
    for i in range(len(x)):
        for t in range(stage.feature.shape[0]):
            node = 0
            for _ in range(stage.depth):
                go_left = x[i, stage.feature[t, node]] <= stage.threshold[t, node]
                node = stage.left[t, node] if go_left else stage.right[t, node]
            out[i] += stage.value[t, node]
    return out


@pytest.mark.parametrize("rows", [1, 3, 4, 7, 40])
def test_heap_trees_equal_the_pointer_walk(rows: int) -> None:
    stage = shipped().contexts[0]
    assert isinstance(stage, TreeStage)
    x = np.random.default_rng(rows).normal(scale=2.0, size=(rows, len(CONTEXT_FEATURES)))
    assert np.allclose(stage.logits(x), _walk(stage, x))


def test_word_lists_hash_like_the_scan() -> None:
    lines = split_lines("Cookie policy\nSUBSCRIBE\nterms of use\nDie Kommentare\n")
    x = line_matrix(lines)
    assert x[:, LINE_FEATURES.index("chrome")].tolist() == [1, 1, 1, 0]
    assert x[:, LINE_FEATURES.index("comment_head")].tolist() == [0, 0, 0, 1]
    tokens = ["cookie", "policy", "subscribe", "terms", "of", "use", "die", "kommentare"]
    assert lines.hashes.tolist() == [cc.hash_token(t) for t in tokens]


def test_line_layout_from_the_scan() -> None:
    lines = split_lines(PAGE)
    raw = lines.raw
    assert lines.texts[0] == "Home | News | Sport"
    assert lines.texts[5].endswith("mayor said")
    assert "schools and the harbour" in lines.texts[6]  # tab and double space collapsed
    col = {name: i for i, name in enumerate(kernels.RAW_COLUMNS)}
    assert raw[0, col["separators"]] == 2
    assert raw[3, col["by_start"]] == 1 and raw[4, col["date_like"]] == 1
    assert raw[6, col["terminal"]] == 1  # closing guillemet skipped
    assert raw[7, col["cjk"]] > 10
    assert raw[8, col["caption"]] >= 1 and raw[9, col["comment"]] == 1
    assert raw[10, col["chrome"]] >= 2 and raw[10, col["copyright"]] == 1
    assert raw[10, col["ellipsis_end"]] == 1
    x = line_matrix(lines)
    assert x[0, LINE_FEATURES.index("repeated")] == 1 and x[-1, LINE_FEATURES.index("repeated")]
    assert x[2, LINE_FEATURES.index("title_sim")] > 0.7


def test_other_line_breaks_split_lines() -> None:
    lines = split_lines("first line\r\nsecond line\rthird\u2028fourth")
    assert lines.texts == ["first line", "second line", "third", "fourth"]
