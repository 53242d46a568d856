"""A pool of replaceable worker processes with a deadline per page.

Why not `multiprocessing.Pool` or `ProcessPoolExecutor`: the first can hang
after a worker dies, the second fails every pending task when one worker dies
and cannot tell which task killed it. Here each worker has its own pipe and
runs one task at a time, so the parent always knows which record a dead or
stuck worker was holding: that record becomes one error row (`crashed: ...`
or `timeout: ...`), the worker is replaced, and the run goes on.

Workers are forked (cheap to replace, modules already imported) from a parent
that reads and writes files but never parses HTML.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import signal
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from copydesk.article import Article, Record, Status
from copydesk.corpus.worker import worker_main
from copydesk.options import Options

Result = tuple[int, Article, Any]


@dataclass
class _Slot:
    process: Any
    conn: Connection
    task: tuple[int, Record] | None = None
    started: float = 0.0


class WorkerPool:
    """Run `extract_record` on Records in `workers` processes; results carry the seq."""

    def __init__(self, workers: int, options: Options, *, want_signature: bool = False,
                 deadline: float = 60.0, memory_mb: int | None = None) -> None:
        self.ctx = mp.get_context("fork")
        self.args = (options, want_signature, memory_mb)
        self.deadline = deadline
        self.queue: deque[tuple[int, Record]] = deque()
        self.slots = [self._start() for _ in range(max(1, workers))]
        self.replaced = 0

    def _start(self) -> _Slot:
        parent, child = self.ctx.Pipe()
        process = self.ctx.Process(target=worker_main, args=(child, *self.args), daemon=True)
        process.start()
        child.close()
        return _Slot(process, parent)

    def submit(self, seq: int, record: Record) -> None:
        self.queue.append((seq, record))

    def pending(self) -> int:
        """Tasks submitted and not yet returned by `poll`."""
        return len(self.queue) + sum(1 for s in self.slots if s.task is not None)

    def poll(self, timeout: float) -> list[Result]:
        """Dispatch queued tasks, wait up to `timeout` s, return finished results."""
        self._dispatch()
        busy = [s for s in self.slots if s.task is not None]
        if not busy:
            return []
        now = time.monotonic()
        nearest = min(s.started + self.deadline for s in busy) - now
        ready = set(wait([s.conn for s in busy] + [s.process.sentinel for s in busy],
                         timeout=max(0.0, min(timeout, nearest))))
        results = [r for s in busy if (r := self._collect(s, ready)) is not None]
        self._dispatch()
        return results

    def _collect(self, slot: _Slot, ready: set[Any]) -> Result | None:
        assert slot.task is not None
        seq, record = slot.task
        if slot.conn in ready:
            try:
                got_seq, article, sig = slot.conn.recv()
                slot.task = None
                return got_seq, article, sig
            except (EOFError, OSError):
                pass
        elif slot.process.sentinel not in ready:
            if time.monotonic() - slot.started < self.deadline:
                return None
            slot.process.kill()
            slot.process.join()
            self._replace(slot)
            return seq, _error_row(record, f"timeout: no result within {self.deadline:g} s"), None
        slot.process.join(timeout=5)
        reason = _death_reason(slot.process.exitcode)
        self._replace(slot)
        return seq, _error_row(record, f"crashed: {reason}"), None

    def _replace(self, slot: _Slot) -> None:
        fresh = self._start()
        slot.conn.close()
        slot.process, slot.conn, slot.task = fresh.process, fresh.conn, None
        self.replaced += 1

    def _dispatch(self) -> None:
        for slot in self.slots:
            if not self.queue:
                return
            if slot.task is not None:
                continue
            if not slot.process.is_alive():  # exited after a fatal task (e.g. out of memory)
                slot.process.join()
                self._replace(slot)
            task = self.queue.popleft()
            try:
                slot.conn.send(task)
            except (BrokenPipeError, OSError):
                self.queue.appendleft(task)
                self._replace(slot)
                continue
            slot.task, slot.started = task, time.monotonic()

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
