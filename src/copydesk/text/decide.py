"""Scored lines -> Blocks with kept/reason/kind, along the text ladder.

Rungs (the Page's `rung` names the one that produced the body), climbed by
the ladder HTML climbs too (`copydesk.ladder.climb`):
1. `text:scorer`: lines whose second-stage probability reaches the shipped
   threshold (enough when it keeps any);
2. `text:prose`: lines that read as prose on their own (>= 15 words ending
   a sentence), enough when there are at least two;
3. `text:none`: nothing reads as an article (an index page, a menu):
   the Article's status becomes `empty`.
Each rung is a pure function of the page's `TextFeatures`, returning a
`RungResult` whose decisions are over lines; the chosen rung's lines become
Blocks once. Kinds: `line` for body lines, `h2` for a short kept line without
final punctuation between body lines (a subheading), `h1` for the title-like
line just above the body (not kept: the title is metadata, not body).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import overload

import numpy as np

from copydesk.blocks import Block, Decision, RungResult
from copydesk.ladder import Rung, climb
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


@dataclass(frozen=True, slots=True)
class TextFeatures:
    """What the text rungs read: the lines, their feature rows (`features.line_matrix`),
    the scorer's probabilities (with hundredths floored, for the reasons) and
    each line's characters."""

    lines: Lines
    x: np.ndarray
    prob: np.ndarray
    cents: np.ndarray
    chars: np.ndarray
    threshold: float


def text_features(lines: Lines, x: np.ndarray, logits: np.ndarray,
                  threshold: float) -> TextFeatures:
    """The features of one dump, from the scorer's logits (`Scorer.logits`)."""
    raw = lines.raw
    prob, cents, chars = kernels.line_probabilities(logits, raw[:, kernels.R_FIRST],
                                                    raw[:, kernels.R_LAST])
    return TextFeatures(lines, x, prob, cents, chars, threshold)


class LineDecisions(Sequence[Decision]):
    """A text rung's decisions, one per line, kept as arrays: a dump has ~170 lines
    and most rungs' decisions are never read one by one (a Decision is built on
    access). `prose` marks the prose rung, whose kept lines say so."""

    __slots__ = ("features", "keep", "prose")

    def __init__(self, keep: np.ndarray, features: TextFeatures, prose: bool = False) -> None:
        self.keep = keep
        self.features = features
        self.prose = prose

    def __len__(self) -> int:
        return len(self.keep)

    @overload
    def __getitem__(self, i: int) -> Decision: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Decision]: ...
    def __getitem__(self, i: int | slice) -> Decision | Sequence[Decision]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        kept, p = bool(self.keep[i]), float(self.features.prob[i])
        return Decision(kept, self.reason(kept, int(self.features.cents[i]), p), p)

    def __iter__(self) -> Iterator[Decision]:
        return (self[i] for i in range(len(self)))

    def reason(self, kept: bool, cents: int, p: float) -> str:
        if kept and self.prose:
            return f"prose line (>= 15 words, ends a sentence); p={p:.2f}"
        return _reasons(self.features.threshold)[kept][cents]


def scorer_rung(features: TextFeatures) -> RungResult:
    """Lines the scorer keeps: enough when it keeps any."""
    keep = features.prob >= features.threshold
    count, chars = kernels.kept_count(keep, features.chars)
    why = "" if count else f"no line reached p >= {features.threshold:.2f}"
    return RungResult("text:scorer", LineDecisions(keep, features), chars, count > 0, why)


def prose_rung(features: TextFeatures) -> RungResult:
    """Lines that read as prose on their own, when there are `_MIN_PROSE_LINES`."""
    keep = features.x[:, _PROSE] > 0
    count, chars = kernels.kept_count(keep, features.chars)
    found = count >= _MIN_PROSE_LINES
    why = "" if found else f"{count} prose line(s), under {_MIN_PROSE_LINES}"
    return RungResult("text:prose", LineDecisions(keep, features, prose=True), chars, found,
                      why)


def none_rung(features: TextFeatures) -> RungResult:
    """Nothing kept: the last resort (the Article comes out empty)."""
    keep = np.zeros(len(features.prob), dtype=np.bool_)
    return RungResult("text:none", LineDecisions(keep, features), 0, True)


_TEXT_RUNGS = (scorer_rung, prose_rung, none_rung)


def text_rungs(features: TextFeatures) -> Iterator[Rung]:
    """The text rungs in ladder order, bound to one dump (each when the climb reaches it)."""
    return (Rung(partial(rung, features)) for rung in _TEXT_RUNGS)


def decide(lines: Lines, x: np.ndarray, logits: np.ndarray, threshold: float,
           full: bool = True) -> tuple[list[Block], str, tuple[RungResult, ...]]:
    """Blocks in reading order with decisions, the rung that produced the body, and
    every rung attempted.

    `logits` are the scorer's (`Scorer.logits`). With `full=False` only the
    kept lines become Blocks: building a Block costs ~1 µs and a page has
    ~170 lines, most dropped; callers that read dropped lines (the
    explanation, metadata, site templates) ask for all.
    """
    features = text_features(lines, x, logits, threshold)
    chosen = climb(text_rungs(features))
    assert chosen is not None  # text:none always decides
    return to_blocks(chosen.chosen, full), chosen.chosen.rung, chosen.attempts


def to_blocks(result: RungResult, full: bool = True) -> list[Block]:
    """The chosen rung's lines as Blocks (only the kept ones unless `full`), with kinds."""
    decisions = result.decisions
    assert isinstance(decisions, LineDecisions)  # the text rungs' own
    features, keep = decisions.features, decisions.keep
    kinds = kernels.kinds(keep, features.lines.raw[:, kernels.R_WORDS], features.x[:, _TERMINAL],
                          features.x[:, _DIGITS], _TITLE_LOOKBACK)
    reasons = _reasons(features.threshold)
    rows = (np.arange(len(keep)) if full else np.flatnonzero(keep)).tolist()
    blocks = [_block(text, _KINDS[kind], i, k, reasons[k][c] + _KIND_NOTES[kind], p)
              for i, text, p, k, c, kind in zip(rows, features.lines.text_of(rows),
                                                features.prob[rows].tolist(),
                                                keep[rows].tolist(),
                                                features.cents[rows].tolist(),
                                                kinds[rows].tolist(), strict=True)]
    if decisions.prose:
        for block in blocks:
            if block.kept:
                block.reason = decisions.reason(True, 0, block.score)
    return blocks


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


@lru_cache(maxsize=64)  # thresholds in hundredths (`segment.route` rounds them)
def _reasons(threshold: float) -> tuple[list[str], list[str]]:
    """Reason strings for p = 0.00 .. 1.00, dropped and kept (formatted once, not per line)."""
    return ([f"line scorer p={c / 100:.2f} < {threshold:.2f}" for c in range(101)],
            [f"line scorer p={c / 100:.2f} >= {threshold:.2f}" for c in range(101)])
