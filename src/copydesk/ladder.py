"""The ladder both inputs climb: run rungs in order, keep every attempt, choose one,
apply it once.

A rung is a pure function of the Blocks (or a text dump's lines) and the
input's features, returning a `blocks.RungResult`: one `Decision` per block,
the characters it keeps, whether that is enough, and why not. Nothing is
decided on the Blocks while rungs are tried, so no rung has to be run again
to restore its decisions, and every attempt stays available to `explain`.
The rungs themselves and their features are input-specific: HTML's in
`classify.ladder` (regions, rules; `HtmlFeatures`), a text dump's in
`text.decide` (the line scorer; `TextFeatures`). What is shared is here: the
order of the climb, the choice, and applying the chosen decisions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from copydesk.blocks import Block, Decision, RungResult

# A rung not yet run: it returns None when it cannot decide this page (HTML's
# region rungs when no element gets a vote). `fallback` rungs run only when no
# precise attempt so far kept `settle_chars` (see `climb`).
RungFn = Callable[[], RungResult | None]


@dataclass(frozen=True, slots=True)
class Rung:
    """A rung of a ladder: its function (inputs bound) and whether it is a fallback."""

    run: RungFn
    fallback: bool = False


@dataclass(frozen=True, slots=True)
class Climb:
    """The rung chosen and every attempt made, in order (the chosen one included)."""

    chosen: RungResult
    attempts: tuple[RungResult, ...]


def climb(rungs: Iterable[Rung], settle_chars: int = 0) -> Climb | None:
    """Run `rungs` in order until one is `enough`; None when none could decide.

    When none is enough, the first precise attempt (`RungResult.precise`)
    that kept at least `settle_chars` characters is chosen before any
    fallback rung runs (Readability.js also falls back to an earlier
    attempt, though it picks its longest). When no fallback rung is enough
    either, the last attempt is chosen (a ladder's last rung is its last resort).
    """
    attempts: list[RungResult] = []
    for rung in rungs:
        if rung.fallback:
            settled = _first_settled(attempts, settle_chars)
            if settled is not None:
                return Climb(settled, tuple(attempts))
        result = rung.run()
        if result is None:
            continue
        attempts.append(result)
        if result.enough:
            return Climb(result, tuple(attempts))
    if not attempts:
        return None
    settled = _first_settled(attempts, settle_chars)
    return Climb(settled or attempts[-1], tuple(attempts))


def _first_settled(attempts: Sequence[RungResult], settle_chars: int) -> RungResult | None:
    for attempt in attempts:
        if attempt.precise and attempt.kept_chars >= settle_chars:
            return attempt
    return None


def apply(blocks: Sequence[Block], result: RungResult) -> None:
    """Write the chosen rung's decisions onto the Blocks: the one place they change."""
    for block, decision in zip(blocks, result.decisions, strict=True):
        block.kept = decision.kept
        block.reason = decision.reason
        if decision.score is not None:
            block.score = decision.score


_RULE_DECISIONS: dict[tuple[bool, str], Decision] = {}
_MAX_CACHED = 4096


def rule(kept: bool, reason: str) -> Decision:
    """The Decision of a rule (no score), shared between blocks and pages: rules give
    the same few reasons again and again, and a lookup is cheaper than a new object."""
    key = (kept, reason)
    decision = _RULE_DECISIONS.get(key)
    if decision is None:
        if len(_RULE_DECISIONS) >= _MAX_CACHED:
            _RULE_DECISIONS.clear()
        decision = _RULE_DECISIONS[key] = Decision(kept, reason)
    return decision


def kept_chars(blocks: Sequence[Block], decisions: Sequence[Decision]) -> int:
    """Characters of the blocks `decisions` keeps."""
    return sum(len(b.text) for b, d in zip(blocks, decisions, strict=True) if d.kept)
