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
from copydesk.text import kernels
from copydesk.text.features import LINE_FEATURES
from copydesk.text.lines import Lines

_MIN_PROSE_LINES = 2  # rung 2 needs this many prose lines; one long line is often a teaser
_TITLE_LOOKBACK = 8  # lines above the first body line searched for the headline
_PROSE = LINE_FEATURES.index("long_prose")
_TERMINAL = LINE_FEATURES.index("terminal")
_DIGITS = LINE_FEATURES.index("digit_ratio")


def decide(lines: Lines, x: np.ndarray, prob: np.ndarray, threshold: float,
           full: bool = True) -> tuple[list[Block], str]:
    """Blocks in reading order with decisions, and the rung that produced the body.

    With `full=False` only the kept lines become Blocks: building a Block
    costs ~1 µs and a page has ~170 lines, most dropped; callers that read
    dropped lines (the explanation, metadata, site templates) ask for all.
    """
    keep = prob >= threshold
    rung = "text:scorer"
    prose = None
    if not keep.any():
        prose = x[:, _PROSE] > 0
        if int(prose.sum()) >= _MIN_PROSE_LINES:
            keep, rung = prose, "text:prose"
        else:
            rung, prose = "text:none", None
    reasons = _reasons(threshold)
    cents = np.floor(prob * 100).astype(np.int64)  # floor: 0.499 reads "0.49 <"
    rows = np.arange(len(prob)) if full else np.flatnonzero(keep)
    texts = lines.texts
    blocks = [Block(texts[i], kind="line", index=i, score=p, kept=k, reason=reasons[k][c])
              for i, p, k, c in zip(rows.tolist(), prob[rows].tolist(), keep[rows].tolist(),
                                    cents[rows].tolist(), strict=True)]
    if prose is not None:
        for block in blocks:
            if block.kept:
                block.reason = (f"prose line (>= 15 words, ends a sentence); "
                                f"p={block.score:.2f}")
    _mark_kinds(blocks, rows, keep, lines.raw[:, kernels.R_WORDS], x)
    return blocks, rung


@lru_cache(maxsize=8)
def _reasons(threshold: float) -> tuple[list[str], list[str]]:
    """Reason strings for p = 0.00 .. 1.00, dropped and kept (formatted once, not per line)."""
    return ([f"line scorer p={c / 100:.2f} < {threshold:.2f}" for c in range(101)],
            [f"line scorer p={c / 100:.2f} >= {threshold:.2f}" for c in range(101)])


def _mark_kinds(blocks: list[Block], rows: np.ndarray, keep: np.ndarray, words: np.ndarray,
                x: np.ndarray) -> None:
    """h2 for short unpunctuated kept lines inside the body; h1 for the title-like line
    just above it (when dropped lines are Blocks too)."""
    kept = np.flatnonzero(keep)
    if not len(kept):
        return
    first, last = int(kept[0]), int(kept[-1])
    position = {int(r): b for r, b in zip(rows.tolist(), blocks, strict=True)}
    terminal, digits = x[:, _TERMINAL], x[:, _DIGITS]
    heads = kept[(kept > first) & (kept < last) & (terminal[kept] == 0) & (words[kept] >= 1)
                 & (words[kept] <= 15)]
    for i in heads.tolist():
        position[i].kind = "h2"
    for i in range(first - 1, max(first - _TITLE_LOOKBACK, 0) - 1, -1):
        if (4 <= words[i] <= 30 and terminal[i] == 0 and digits[i] < 0.05 and not keep[i]):
            block = position.get(i)
            if block is not None:
                block.kind = "h1"
                block.reason += "; title-like line above the body"
            break
