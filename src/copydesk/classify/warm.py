"""Whether this process has the block classifier's compiled loops ready.

The block model's feature loops (`classify.kernels`) and its tree walk
(`text.kernels.tree_logits`) are numba functions, compiled on first call and
cached on disk. The first HTML page a process classifies with a model runs
`warm()` first: one small built-in page through the model, announced as the
part "blocks" (`copydesk.loading`), so a corpus worker's page deadline is
paused while the kernels load (about half a second from numba's cache; tens
of seconds the first time after an install, with one line on a terminal).
Without a model nothing here runs and numba is never imported.
"""

from __future__ import annotations

import os
import sys
from typing import Any

NOTICE = ("copydesk: compiling the block classifier's kernels (once after an install, "
          "about 20 s; cached for later runs)")

_state = {"ready": False}

WARM_PAGE = ("<html><body><nav><a href='/'>Home</a></nav><article><h1>Warm up</h1>"
             "<p>This short paragraph, with a comma, warms up the block classifier.</p>"
             "<ul><li><a href='/a'>A link</a></li></ul></article></body></html>")


def ready() -> bool:
    """Whether this process has the block kernels loaded."""
    return _state["ready"]


def warm(model: Any) -> None:
    """Load (or compile) the kernels by classifying one small page with `model`."""
    if _state["ready"]:
        return
    from copydesk.html import parse_and_segment
    from copydesk.loading import loading
    from copydesk.options import Options

    with loading("blocks"):
        _state["ready"] = True
        if not cached() and sys.stderr.isatty():
            print(NOTICE, file=sys.stderr, flush=True)
        _, blocks, nodes = parse_and_segment(WARM_PAGE, Options(metadata=False))
        model.raw_probabilities(blocks, nodes, "region", None, None)


def cached() -> bool:
    """Whether numba's on-disk cache holds the kernels (else the next call compiles)."""
    from copydesk.classify import kernels

    try:
        index = kernels.block_rows._cache._cache_file._index_path  # type: ignore[attr-defined]
    except AttributeError:  # numba absent (plain Python) or a layout we do not know
        return True
    return os.path.exists(index)
