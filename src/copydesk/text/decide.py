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

import dataclasses
from collections.abc import Callable
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
_KINDS = ("line", "h2", "h1")  # codes of `kernels.kinds`
_KIND_NOTES = ("", "", "; title-like line above the body")


_RUNGS = ("text:scorer", "text:prose", "text:none")  # codes of `kernels.decisions`


def decide(lines: Lines, x: np.ndarray, logits: np.ndarray, threshold: float,
           full: bool = True) -> tuple[list[Block], str]:
    """Blocks in reading order with decisions, and the rung that produced the body.

    `logits` are the scorer's (`Scorer.logits`). With `full=False` only the
    kept lines become Blocks: building a Block costs ~1 µs and a page has
    ~170 lines, most dropped; callers that read dropped lines (the
    explanation, metadata, site templates) ask for all.
    """
    prob, keep, cents, kinds, rung = kernels.decisions(
        logits, threshold, x, lines.raw[:, kernels.R_WORDS], _PROSE, _TERMINAL, _DIGITS,
        _MIN_PROSE_LINES, _TITLE_LOOKBACK)
    reasons = _reasons(threshold)
    rows = (np.arange(len(prob)) if full else np.flatnonzero(keep)).tolist()
    blocks = [_block(text, _KINDS[kind], i, k, reasons[k][c] + _KIND_NOTES[kind], p)
              for i, text, p, k, c, kind in zip(rows, lines.text_of(rows), prob[rows].tolist(),
                                                keep[rows].tolist(), cents[rows].tolist(),
                                                kinds[rows].tolist(), strict=True)]
    if rung == 1:
        for block in blocks:
            if block.kept:
                block.reason = (f"prose line (>= 15 words, ends a sentence); "
                                f"p={block.score:.2f}")
    return blocks, _RUNGS[rung]


# Blocks are built with positional arguments when Block's fields start as expected
# (half the cost of keywords, ~1 µs a Block); the defaults in between are Block's own.
_FIELDS = dataclasses.fields(Block)
_LEADING = ("text", "kind", "index", "link_chars", "depth", "container", "group", "markdown",
            "list_depth", "kept", "reason", "score")
_DEFAULTS = tuple(f.default for f in _FIELDS[3:9])
_POSITIONAL = tuple(f.name for f in _FIELDS[:len(_LEADING)]) == _LEADING
_MAKE: Callable[..., Block] = Block


def _block(text: str, kind: str, index: int, kept: bool, reason: str, score: float) -> Block:
    if _POSITIONAL:
        return _MAKE(text, kind, index, *_DEFAULTS, kept, reason, score)
    return Block(text, kind=kind, index=index, kept=kept, reason=reason, score=score)


@lru_cache(maxsize=8)
def _reasons(threshold: float) -> tuple[list[str], list[str]]:
    """Reason strings for p = 0.00 .. 1.00, dropped and kept (formatted once, not per line)."""
    return ([f"line scorer p={c / 100:.2f} < {threshold:.2f}" for c in range(101)],
            [f"line scorer p={c / 100:.2f} >= {threshold:.2f}" for c in range(101)])
