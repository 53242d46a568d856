"""Fault injection for the corpus tests, installed through the workers' page hook.

`corpus.worker` calls the function named by `$COPYDESK_PAGE_HOOK` ("module:function")
with each Record before extracting it; the runtime has no fault code of its own.
`install(monkeypatch)` names `inject` below (and puts this folder on PYTHONPATH, for
workers of subprocesses and of Ray): a page whose content holds `COPYDESK-FAULT:segv`,
`:oom`, `:hang` or `:slow` makes its worker crash, allocate without bound, hang, or
take 50 ms, so tests can prove a dying worker costs one row.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from copydesk.article import Record
from copydesk.corpus.worker import HOOK_ENV

MARK = b"COPYDESK-FAULT:"
HOOK = "faults:inject"


def install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Enable the faults for workers started after this call."""
    here = str(Path(__file__).resolve().parent)
    monkeypatch.setenv(HOOK_ENV, HOOK)
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", here + (os.pathsep + path if path else ""))


def inject(record: Record) -> None:
    content = record.content if isinstance(record.content, bytes) else record.content.encode()
    at = content.find(MARK)
    if at < 0:
        return
    kind = content[at + len(MARK):at + len(MARK) + 4]
    if kind == b"segv":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif kind.startswith(b"oom"):
        # bytes(n) is calloc'ed: fresh zero pages, reserved but not touched, so the
        # worker reaches its limit (RLIMIT_DATA counts what is reserved) at once,
        # however loaded the machine; touching 400 MB took seconds of the page's
        # deadline under load.
        hog = []
        while True:
            hog.append(bytes(64 * 1024 * 1024))
    elif kind == b"hang":
        time.sleep(3600)
    elif kind == b"slow":
        time.sleep(0.05)
