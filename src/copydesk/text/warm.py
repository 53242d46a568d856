"""Whether this process has text mode's compiled loops ready, and whether readying
them compiles.

The kernels (`text.kernels`, numba) are compiled on their first call and
cached on disk; an HTML page never calls them. The first text dump of a
process runs `text.segment.warm()`: one built-in dump through the text path,
so every kernel is loaded (from the cache, about 1 s) or, the first time
after an install, compiled (tens of seconds), announced by
`copydesk.loading.compiling("text")` (the command line prints one line on a
terminal). This module holds only the flag, so asking costs no numba import.
"""

from __future__ import annotations

import os

from copydesk.loading import compiling

_state = {"ready": False}


def ready() -> bool:
    """Whether this process has its text kernels loaded."""
    return _state["ready"]


def begin() -> None:
    """Mark the kernels as being readied; announce a compilation when numba's cache
    does not hold them (so this call compiles)."""
    _state["ready"] = True
    if not cached():
        compiling("text")


def cached() -> bool:
    """Whether numba's on-disk cache holds the kernels (else the next call compiles).

    Reads numba's own index path; if numba changes how it keeps it, the answer
    is True (no notice) rather than an error.
    """
    from copydesk.text import kernels

    try:
        index = kernels.scan_lines._cache._cache_file._index_path  # type: ignore[attr-defined]
    except AttributeError:  # numba absent (plain Python) or a layout we do not know
        return True
    return os.path.exists(index)
