"""A pool of replaceable worker processes with a deadline per page.

Why not `multiprocessing.Pool` or `ProcessPoolExecutor`: the first can hang
after a worker dies, the second fails every pending task when one worker dies
and cannot tell which task killed it. Here each worker has its own pipe and
runs one task at a time, so the parent always knows which record a dead or
stuck worker was holding: that record becomes one error row (`crashed: ...`
or `timeout: ...`), the worker is replaced, and the run goes on.

Workers are forked (cheap to replace, modules and models already loaded) from
a parent that reads and writes files but never parses input HTML.

Routing (site templates): `submit(..., route=k)` puts a task on worker
`k % workers`'s own queue, so every page of a site goes to the same worker,
one at a time, in input order. With streaming templates the pool keeps a
mirror of the counters (`TemplateRole.counts`, fed with the keys each row
reports, before any worker is replaced), and a replacement worker forked
from it continues where its predecessor stopped.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import ForkingPickler
from typing import Any

from copydesk import preload
from copydesk.article import Article, Record, Status
from copydesk.corpus.templates import TemplateRole
from copydesk.corpus.worker import READY, WARMED, WARMING, TaskResult, warm_up, worker_main
from copydesk.options import Options

Result = tuple[int, TaskResult]  # seq, result
# Pages per worker process before it is recycled (a fork from the warm parent
# costs milliseconds); keeps worker memory independent of the input size.
MAX_TASKS = 100
# A worker loading a part once (compiling the text kernels after an install, reading
# the language model) is not held to the page deadline, only to this bound.
WARM_LIMIT = 600.0
_PIPE_SAFE = 32 * 1024  # below Linux's 64 KB pipe buffer, with the length header


@dataclass
class _Slot:
    process: Any
    conn: Connection
    task: tuple[int, Record] | None = None
    # A second small task already sent behind `task` (the worker starts it without
    # waiting for the parent), and the queue it came from (to requeue it if the worker
    # dies); `sync`: `task` was written at once (no sender thread still writing).
    ahead: tuple[int, Record] | None = None
    ahead_from: deque[tuple[int, Record]] | None = None
    sync: bool = False
    started: float = 0.0
    ready: bool = False  # the worker said it warmed up (first page loads models)
    warming: bool = False  # the worker is readying the text kernels before its task
    done: int = 0  # tasks finished by this process
    routed: deque[tuple[int, Record]] = field(default_factory=deque)  # this slot's own tasks


class WorkerPool:
    """Run `extract_record` on Records in `workers` processes; results carry the seq."""

    def __init__(self, workers: int, options: Options, *, want_signature: bool = False,
                 deadline: float = 60.0, memory_mb: int | None = None,
                 max_tasks: int = MAX_TASKS, templates: TemplateRole | None = None) -> None:
        self.ctx = mp.get_context("fork")
        # Load the extractor's modules and models (a ~2 s language model) once here,
        # on a fixed built-in page, so forked workers share them and a replacement
        # worker starts in milliseconds. Input pages are only ever parsed in workers.
        warm_up(options)
        self.args = (options, want_signature, memory_mb, templates)
        self.deadline = deadline
        self.max_tasks = max_tasks
        # Streaming templates: the parent's copy of the counters, inherited by each fork.
        stream = templates is not None and templates.mode == "stream"
        self.mirror = templates.counts if templates is not None and stream else None
        self.queue: deque[tuple[int, Record]] = deque()
        self.slots: list[_Slot] = []
        for _ in range(max(1, workers)):
            self.slots.append(self._start())
        self.replaced = 0

    def _start(self) -> _Slot:
        parent, child = self.ctx.Pipe()
        inherited = [slot.conn for slot in self.slots]
        process = self.ctx.Process(target=worker_main, args=(child, *self.args, inherited),
                                   daemon=True)
        process.start()
        child.close()
        return _Slot(process, parent)

    def submit(self, seq: int, record: Record, route: int | None = None) -> None:
        """Queue a task: for any worker, or (`route`) for worker `route % workers` only."""
        if route is None:
            self.queue.append((seq, record))
        else:
            self.slots[route % len(self.slots)].routed.append((seq, record))

    def pending(self) -> int:
        """Tasks submitted and not yet returned by `poll`."""
        return (len(self.queue) + sum(len(s.routed) for s in self.slots)
                + sum((s.task is not None) + (s.ahead is not None) for s in self.slots))

    def poll(self, timeout: float) -> list[Result]:
        """Dispatch queued tasks, wait up to `timeout` s, return finished results."""
        self._dispatch()
        busy = [s for s in self.slots if s.task is not None]
        starting = [s for s in self.slots if not s.ready]
        if not busy and not starting:
            return []
        now = time.monotonic()
        nearest = min((s.started + self._limit(s) for s in busy), default=now + timeout) - now
        watched = busy + starting
        ready = set(wait([s.conn for s in watched] + [s.process.sentinel for s in watched],
                         timeout=max(0.0, min(timeout, nearest))))
        for slot in starting:
            self._check_started(slot, ready)
        results = [r for s in busy if (r := self._collect(s, ready)) is not None]
        self._dispatch()
        return results

    def _check_started(self, slot: _Slot, ready: set[Any]) -> None:
        """A new worker reports ready once warm; one that died while starting is replaced."""
        if slot.conn in ready:
            try:
                slot.ready = slot.conn.recv() == READY
                return
            except (EOFError, OSError):
                pass
        if slot.process.sentinel in ready:
            slot.process.join()
            self._replace(slot)

    def _inherit(self, loaded: frozenset[str]) -> None:
        """Load what a worker needed (the text kernels from the cache it wrote, the
        language model), so workers forked later start with it; not for a last page."""
        missing = loaded - preload.loaded()
        if missing and self.pending():
            preload.load(missing)

    def _limit(self, slot: _Slot) -> float:
        return max(self.deadline, WARM_LIMIT) if slot.warming else self.deadline

    def _warm_notice(self, slot: _Slot, message: str) -> None:
        """WARMING pauses the slot's deadline; WARMED restarts it for the page itself."""
        slot.warming = message == WARMING
        slot.started = time.monotonic()

    def _collect(self, slot: _Slot, ready: set[Any]) -> Result | None:
        assert slot.task is not None
        seq, record = slot.task
        if slot.conn in ready:
            try:
                message = slot.conn.recv()
                if message in (WARMING, WARMED):
                    self._warm_notice(slot, message)
                    return None
                got_seq, result, fatal = message
                slot.done += 1
                if result.page_keys is not None and self.mirror is not None:
                    self.mirror.observe_keys(*result.page_keys)  # before a retire forks
                self._inherit(result.loaded)
                if fatal or slot.done >= self.max_tasks:
                    slot.task = None
                    self._retire(slot, planned=not fatal)  # the task sent ahead is requeued
                else:  # the task sent ahead (if any) is the one running now
                    slot.task, slot.ahead, slot.ahead_from = slot.ahead, None, None
                    slot.started, slot.warming, slot.sync = time.monotonic(), False, True
                return got_seq, result
            except (EOFError, OSError):
                pass
        elif slot.process.sentinel not in ready:
            limit = self._limit(slot)
            if time.monotonic() - slot.started < limit:
                return None
            slot.process.kill()
            slot.process.join()
            self._requeue_ahead(slot)
            self._replace(slot)
            what = "a one-time load (kernels, model)" if limit > self.deadline else "no result"
            return seq, TaskResult(_error_row(record, f"timeout: {what} within {limit:g} s"))
        slot.process.join(timeout=5)
        reason = _death_reason(slot.process.exitcode)
        self._requeue_ahead(slot)
        self._replace(slot)
        return seq, TaskResult(_error_row(record, f"crashed: {reason}"))

    def _retire(self, slot: _Slot, planned: bool) -> None:
        """Stop a worker that is done (memory limit hit, or `max_tasks` pages: a fresh
        fork bounds the slow creep of a long-lived heap) and start a new one."""
        self._requeue_ahead(slot)  # (a worker that must exit does not run it)
        with contextlib.suppress(BrokenPipeError, OSError):
            slot.conn.send(None)
        slot.process.join(timeout=5)
        if slot.process.is_alive():
            slot.process.kill()
            slot.process.join()
        self._replace(slot)
        if planned:
            self.replaced -= 1  # a recycle is not a failure

    def _requeue_ahead(self, slot: _Slot) -> None:
        """The task sent ahead was not run: back to the front of its queue."""
        task, source = slot.ahead, slot.ahead_from
        if task is not None and source is not None:
            source.appendleft(task)
        slot.ahead, slot.ahead_from = None, None

    def _replace(self, slot: _Slot) -> None:
        fresh = self._start()
        slot.conn.close()
        slot.process, slot.conn, slot.task, slot.ready = fresh.process, fresh.conn, None, False
        slot.done, slot.warming, slot.ahead, slot.ahead_from = 0, False, None, None
        self.replaced += 1

    def _dispatch(self) -> None:
        for slot in self.slots:
            if not slot.ready:
                continue
            queue = slot.routed if slot.routed else self.queue
            if not queue:
                continue
            if slot.task is None:
                self._send_first(slot, queue)
            elif slot.ahead is None and slot.sync and not slot.warming \
                    and slot.done + 2 <= self.max_tasks:
                self._send_ahead(slot, queue)

    def _send_first(self, slot: _Slot, queue: deque[tuple[int, Record]]) -> None:
        task = queue.popleft()
        try:
            slot.sync = _send(slot.conn, task)
        except (BrokenPipeError, OSError):
            queue.appendleft(task)
            self._replace(slot)
            return
        slot.task, slot.started = task, time.monotonic()

    def _send_ahead(self, slot: _Slot, queue: deque[tuple[int, Record]]) -> None:
        """Pipeline one more small task, so the worker never waits for the parent's
        round trip (half of a one-worker run's time on small text pages)."""
        data = ForkingPickler.dumps(queue[0])
        if len(data) > _PIPE_SAFE:
            return  # a big one waits: only small writes can never block the parent
        try:
            slot.conn.send_bytes(data)
        except (BrokenPipeError, OSError):
            return  # the worker is gone: its current task reports that
        slot.ahead, slot.ahead_from = queue.popleft(), queue

    def close(self, kill: bool = False) -> None:
        """Stop the workers: politely, or (on interruption) at once."""
        for slot in self.slots:
            if kill:
                slot.process.kill()
            else:
                with contextlib.suppress(BrokenPipeError, OSError):
                    slot.conn.send(None)
        for slot in self.slots:
            slot.process.join(timeout=None if kill else 10)
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join()
            slot.conn.close()


def _send(conn: Connection, task: tuple[int, Record]) -> bool:
    """Send a task without ever blocking the parent: a message that fits the pipe's
    buffer (the worker is idle, so the pipe is empty) is written at once; a larger one
    is written by a short-lived thread, so a stopped or stuck worker cannot hold the
    parent in `send` (its deadline runs from now and kills it; the thread then ends on
    the broken pipe)."""
    data = ForkingPickler.dumps(task)
    if len(data) <= _PIPE_SAFE:
        conn.send_bytes(data)
        return True
    threading.Thread(target=_send_quietly, args=(conn, data), daemon=True).start()
    return False


def _send_quietly(conn: Connection, data: Any) -> None:
    # The parent closes the connection of a worker it replaced: the write then fails
    # (BrokenPipe, or TypeError once the handle is gone); the task is already a row.
    with contextlib.suppress(BrokenPipeError, OSError, ValueError, TypeError):
        conn.send_bytes(data)


def _death_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"worker killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"worker killed by signal {-exitcode}"
    return f"worker exited with status {exitcode}"


def _error_row(record: Record, reason: str) -> Article:
    return Article(status=Status.ERROR, error=reason, id=record.id, source=record.source,
                   url=record.url, date_crawled=record.date_crawled,
                   input_format=record.input_format)
