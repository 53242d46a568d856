"""Parts of the extractor that load on first use, so a process pays only for what
its pages need.

- "text": text mode's compiled kernels (`text.segment.warm`): about 1 s from numba's
  cache, tens of seconds the first time after an install; an HTML page never
  needs them.
- "language": py3langid's model (`metadata.language`): about 0.7 s; a page
  whose declared language its body confirms never needs it.

A corpus parent forks its workers from itself: when a worker reports that it
needed a part (`loaded()` travels with each result), the parent loads it too,
so workers forked later (recycled, replaced) start with it.
"""

from __future__ import annotations

from collections.abc import Iterable

from copydesk.metadata import language
from copydesk.text import warm as text_warm

PARTS: tuple[str, ...] = ("text", "language")


def loaded() -> frozenset[str]:
    """The parts this process holds."""
    held = (("text", text_warm.ready()), ("language", language.model_loaded()))
    return frozenset(name for name, ready in held if ready)


def load(parts: Iterable[str]) -> None:
    """Load these parts now (a no-op for those already held)."""
    for part in parts:
        if part == "text":
            from copydesk.text.segment import warm  # brings numba: only when asked

            warm()
        elif part == "language":
            language.preload()
        else:
            raise ValueError(f"unknown part {part!r}; known: {', '.join(PARTS)}")
