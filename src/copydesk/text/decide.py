"""Scored lines -> Blocks with kept/reason/kind, along the text ladder.

Rungs (the Page's `rung` names the one that produced the body):
1. `text:scorer`: lines whose second-stage probability reaches the shipped
   threshold;
2. `text:prose`: when rung 1 keeps nothing, lines that read as prose on
   their own (>= 15 words ending a sentence), if there are at least two;
3. `text:none`: nothing reads as an article (an index page, a menu):
   the Article's status becomes `empty`.
Kinds: `line` for body lines, `h2` for a short kept line without final
punctuation between body lines (a subheading), `h1` for the title-like line
just above the body (not kept: the title is metadata, not body).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from copydesk.blocks import Block
from copydesk.text.features import LINE_FEATURES
from copydesk.text.lines import Lines

_MIN_PROSE_LINES = 2  # rung 2 needs this many prose lines; one long line is often a teaser
_TITLE_LOOKBACK = 8  # lines above the first body line searched for the headline


def decide(lines: Lines, x: np.ndarray, prob: np.ndarray, threshold: float) -> tuple[
        list[Block], str]:
    """Blocks in reading order with decisions, and the rung that produced the body."""
    keep = prob >= threshold
    reasons = _reasons(threshold)
    cents = np.floor(prob * 100).astype(np.int64).tolist()  # floor: 0.499 reads "0.49 <"
    blocks = [Block(text, kind="line", index=i, score=p, kept=k, reason=reasons[k][c])
              for i, (text, p, k, c) in enumerate(zip(lines.texts, prob.tolist(), keep.tolist(),
                                                      cents, strict=True))]
    rung = "text:scorer"
    if not keep.any():
        rung = _prose_rung(blocks, x)
    _mark_kinds(blocks, x)
    return blocks, rung


@lru_cache(maxsize=8)
def _reasons(threshold: float) -> tuple[list[str], list[str]]:
    """Reason strings for p = 0.00 .. 1.00, dropped and kept (formatted once, not per line)."""
    return ([f"line scorer p={c / 100:.2f} < {threshold:.2f}" for c in range(101)],
            [f"line scorer p={c / 100:.2f} >= {threshold:.2f}" for c in range(101)])


def _prose_rung(blocks: list[Block], x: np.ndarray) -> str:
    prose = x[:, LINE_FEATURES.index("long_prose")] > 0
    if int(prose.sum()) < _MIN_PROSE_LINES:
        return "text:none"
    for block, is_prose in zip(blocks, prose, strict=True):
        if is_prose:
            block.decide(True, f"prose line (>= 15 words, ends a sentence); p={block.score:.2f}")
    return "text:prose"


def _mark_kinds(blocks: list[Block], x: np.ndarray) -> None:
    kept = [i for i, b in enumerate(blocks) if b.kept]
    if not kept:
        return
    terminal = x[:, LINE_FEATURES.index("terminal")]
    digits = x[:, LINE_FEATURES.index("digit_ratio")]
    first, last = kept[0], kept[-1]
    for i in kept:
        if first < i < last and terminal[i] == 0 and 1 <= blocks[i].words <= 15:
            blocks[i].kind = "h2"
    for i in range(first - 1, max(first - _TITLE_LOOKBACK, 0) - 1, -1):
        block = blocks[i]
        if (4 <= block.words <= 30 and terminal[i] == 0 and digits[i] < 0.05
                and not block.kept):
            block.kind = "h1"
            block.reason += "; title-like line above the body"
            break
