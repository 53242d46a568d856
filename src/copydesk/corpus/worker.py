"""The worker process: Records in through a pipe, (seq, TaskResult) out.

Runs `copydesk.api.extract_page` (a pure function of Record, Options and a
read-only site profile) and, when dedup is on, the MinHash signature of the
body, so the parent never parses HTML nor hashes text. With site templates
on (`templates.TemplateRole`), the result also carries the page's template
keys for the parent's counters, and a streaming worker counts them itself.
A memory limit (RLIMIT_DATA) turns runaway allocation into a MemoryError row
instead of a machine-wide OOM; after one, the worker exits so the parent
starts a fresh one.

Page hook: when `$COPYDESK_PAGE_HOOK` names a function ("module:function"), the
worker calls it with each Record before extracting it. The tests install their
fault injection this way (tests/faults.py: crash, runaway allocation, hang), to
prove a dying worker costs one row; the runtime carries no fault code.
"""

from __future__ import annotations

import contextlib
import faulthandler
import importlib
import os
import resource
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, NamedTuple

from copydesk import loading, preload
from copydesk.article import Article, Record, Status
from copydesk.corpus.templates import TemplateRole
from copydesk.options import Options
from copydesk.site_profile import PageKeys

if TYPE_CHECKING:
    import numpy as np

HOOK_ENV = "COPYDESK_PAGE_HOOK"
PageHook = Callable[[Record], None]
READY = "ready"
WARMING, WARMED = "warming", "warmed"  # around a one-time load (`copydesk.loading`)
# Declared English that its body confirms: warming up loads no language model.
_WARM_PAGE = (b"<html lang='en'><head><title>Warm up</title></head><body><article><p>This is a "
              b"short paragraph that warms up the parser and the classifier of a new worker, and "
              b"it is there so that the first of the pages it will be given is not slow for "
              b"it.</p></article></body></html>")


class TaskResult(NamedTuple):
    """One page's result: the row, its MinHash signature (dedup), its template keys,
    and the lazily loaded parts the worker holds after it (`copydesk.preload`)."""

    article: Article
    signature: np.ndarray | None = None
    page_keys: PageKeys | None = None
    loaded: frozenset[str] = frozenset()


def worker_main(conn: Connection, options: Options, want_signature: bool,
                memory_mb: int | None, role: TemplateRole | None = None,
                inherited: list[Connection] | None = None) -> None:
    """Serve tasks until the parent closes the pipe or sends None.

    `inherited` are the parent's ends of the other workers' pipes, copied by
    fork: closed here, or a dead parent would never give this worker EOF.
    """
    for other in inherited or []:
        other.close()
    _die_with_parent()
    faulthandler.disable()  # a crash is reported by the parent as a row, not a dump
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides how to stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if memory_mb:
        _limit_memory(memory_mb)
    hook = page_hook()
    warm_up(options)
    # Text kernels and the language model load on a page's first need: the parent
    # pauses that page's deadline meanwhile.
    loading.listen(lambda part, started: conn.send(WARMING if started else WARMED))
    conn.send(READY)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        seq, record = task
        result, fatal = run_task(record, options, want_signature, role, hook)
        conn.send((seq, result, fatal))
        if fatal:
            return


def _limit_memory(memory_mb: int) -> None:
    """Allow `memory_mb` MB of data on top of what the fork inherited.

    RLIMIT_DATA (Linux >= 4.7) counts private writable memory, including arenas
    that libraries reserve in the parent (pyarrow reserves ~1 GB), hence the
    inherited size is added rather than the limit being absolute.
    """
    inherited = _vm_kb("VmData") * 1024
    limit = inherited + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    _ALLOWANCE[:] = [_vm_kb("VmSize") * 1024, memory_mb * 1024 * 1024]


# [virtual size at start, bytes allowed on top]: to recognise, after a native library
# failed an allocation and raised something else (selectolax: "Can't parse CSS
# selector"), that the worker had in fact reached its memory limit.
_ALLOWANCE: list[int] = []


def _vm_kb(field: str) -> int:
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def hit_memory_limit() -> bool:
    """Did this worker's peak virtual size reach 90% of its allowance?"""
    if not _ALLOWANCE:
        return False
    start, allowed = _ALLOWANCE
    return _vm_kb("VmPeak") * 1024 - start >= 0.9 * allowed


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this worker when its parent dies (prctl PR_SET_PDEATHSIG),
    so a SIGKILLed run leaves no orphan workers behind."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def warm_up(options: Options, parts: tuple[str, ...] = ()) -> None:
    """Load what the first HTML page would load (parser, classifier) before the
    deadline clock runs, and the lazily loaded `parts` (`copydesk.preload`) asked for;
    the others load when a page needs them."""
    from copydesk.api import extract_record

    extract_record(Record(content=_WARM_PAGE), options.replace(explain=False))
    preload.load(parts)


def run_task(record: Record, options: Options, want_signature: bool,
             role: TemplateRole | None = None,
             hook: PageHook | None = None) -> tuple[TaskResult, bool]:
    """(result, worker_must_exit) for one record; a page that ran out of memory
    is not learned."""
    from copydesk.api import extract_page
    from copydesk.corpus.minhash import signature

    try:
        if hook is not None:
            hook(record)
        profile, want_keys = (role.profile(), role.want_keys) if role else (None, False)
        page = extract_page(record, options, profile, want_keys=want_keys)
        if _failed(page.article) and hit_memory_limit():
            return TaskResult(_oom_row(record)), True  # a half-processed page is not learned
        if role is not None:
            role.learned(page.page_keys)
        text = page.article.text
        sig = signature(text) if want_signature and text else None
        return TaskResult(page.article, sig, page.page_keys, preload.loaded()), False
    except MemoryError:
        return TaskResult(_oom_row(record)), True


def _failed(article: Article) -> bool:
    return (article.error or "").startswith(("internal error", "out of memory"))


def _oom_row(record: Record) -> Article:
    return Article(status=Status.ERROR, error="out of memory: worker memory limit reached",
                   id=record.id, source=record.source, url=record.url,
                   date_crawled=record.date_crawled)


def page_hook() -> PageHook | None:
    """The function `$COPYDESK_PAGE_HOOK` names ("module:function"), or None."""
    spec = os.environ.get(HOOK_ENV)
    if not spec:
        return None
    module, _, name = spec.partition(":")
    hook: PageHook = getattr(importlib.import_module(module), name)
    return hook
