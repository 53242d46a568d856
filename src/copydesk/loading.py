"""One-time loads announced while they happen (compiled kernels, the language model).

A part that loads on first use (`copydesk.preload`) wraps its load in
`loading(part)`. A corpus worker listens and tells its parent, which pauses
the page's deadline meanwhile: the deadline bounds the page's own work, not
a model read or a compilation that the next pages will not pay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Listener = Callable[[str, bool], None]  # (part, started): True before the load, False after

_listeners: list[Listener] = []


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
