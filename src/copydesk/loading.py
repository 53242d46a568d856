"""One-time loads announced while they happen (compiled kernels, the language model).

A part that loads on first use (`copydesk.preload`) wraps its load in
`loading(part)`. A corpus worker listens and tells its parent, which pauses
the page's deadline meanwhile: the deadline bounds the page's own work, not
a model read or a compilation that the next pages will not pay.

A part that must be compiled first (text mode's kernels, the first time
after an install: tens of seconds) also says so with `compiling(part)`; the
library never prints, so the command line listens (`on_compile`) and prints
one line on a terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Listener = Callable[[str, bool], None]  # (part, started): True before the load, False after

_listeners: list[Listener] = []
_compile_listeners: list[Callable[[str], None]] = []


def listen(listener: Listener) -> None:
    """Call `listener(part, True)` before and `listener(part, False)` after each load."""
    _listeners.append(listener)


@contextmanager
def loading(part: str) -> Iterator[None]:
    """Announce the load of `part` around the block."""
    for listener in _listeners:
        listener(part, True)
    try:
        yield
    finally:
        for listener in _listeners:
            listener(part, False)


def on_compile(listener: Callable[[str], None]) -> None:
    """Call `listener(part)` when a part is about to be compiled (a one-time wait)."""
    if listener not in _compile_listeners:
        _compile_listeners.append(listener)


def compiling(part: str) -> None:
    """Announce that loading `part` compiles it now (inside its `loading(part)`)."""
    for listener in _compile_listeners:
        listener(part)
