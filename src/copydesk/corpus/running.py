"""Extraction of a stream of Items into a RowSink: the local worker pool or Ray, and
the signal flag (`Stop`) both loops check.

Used by the engine (`engine.execute`) and by the site-template learning pass
(`template_runs.learn`), which is why it is a module of its own.
"""

from __future__ import annotations

import signal
import zlib
from collections.abc import Iterator
from typing import Any

from copydesk.corpus.config import RunConfig
from copydesk.corpus.items import Item
from copydesk.corpus.pool import WorkerPool
from copydesk.corpus.sink import RowSink
from copydesk.corpus.summary import cpu_seconds
from copydesk.corpus.templates import TemplateRole

_END = object()


def route_of(item: Item) -> int | None:
    """Which worker a page goes to in streaming mode: crc32 of its site key."""
    site = item.record.site
    return zlib.crc32(site.encode("utf-8", "surrogatepass")) if site else None


class Interrupted(Exception):
    """Raised by the signal handler while the run waits on a read (stdin, a FIFO-like
    slow source): Python restarts an interrupted read, so a flag alone would wait on."""


class Stop:
    """Signal flag: set by SIGINT/SIGTERM, checked by the loops. While `reading` is set
    (the engine is pulling the next input record), the handler also raises
    `Interrupted`, so a blocking read on an open stdin ends at once."""

    def __init__(self) -> None:
        self.signum = 0
        self.reading = False
        self.saved: dict[int, Any] = {}

    def install(self) -> None:
        for sig in (signal.SIGINT, signal.SIGTERM):
            self.saved[sig] = signal.signal(sig, self._handler)
        self.saved[signal.SIGXFSZ] = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    def _handler(self, signum: int, frame: Any) -> None:
        self.signum = signum
        if self.reading:
            self.reading = False
            raise Interrupted

    def pull(self, items: Iterator[Item | None]) -> tuple[bool, Item | None]:
        """(False, None) at the end or when a signal arrived; else (True, the next item,
        which a live source may give as None while nothing is ready)."""
        self.reading = True
        try:
            if self.signum:  # checked after `reading` is set: a signal between the two
                return False, None  # would otherwise leave a read blocking forever
            item = next(items, _END)
        except Interrupted:
            return False, None
        finally:
            self.reading = False
        return (False, None) if item is _END else (True, item)  # type: ignore[return-value]

    def restore(self) -> None:
        for sig, handler in self.saved.items():
            signal.signal(sig, handler)


def run_engine(cfg: RunConfig, items: Iterator[Item | None], sink: RowSink, start: int,
               stop: Stop, role: TemplateRole | None = None) -> None:
    """Extract `items` (numbered from `start`) with the configured engine into `sink`;
    `role`: how workers serve site templates (None: off). A None item: nothing ready yet."""
    if cfg.engine == "ray":
        from copydesk.corpus.ray_engine import run_ray

        run_ray(cfg, (i for i in items if i is not None), sink, start, stop, role)
    else:
        _run_local(cfg, items, sink, start, stop, role)


def _run_local(cfg: RunConfig, items: Iterator[Item | None], sink: RowSink, start: int,
               stop: Stop, role: TemplateRole | None) -> None:
    pool = WorkerPool(cfg.workers, cfg.options, want_signature=cfg.dedup,
                      deadline=cfg.timeout, memory_mb=cfg.memory_mb,
                      max_tasks=cfg.max_tasks, templates=role)
    sink.summary.startup_cpu_s = cpu_seconds()
    window = max(16, cfg.workers * 16)
    routed = role is not None and role.mode == "stream"  # a site's pages to one worker, in order
    seq = start
    try:
        while True:
            more, item = stop.pull(items)
            if not more:
                break
            if item is None:  # a live source with nothing ready yet
                _drain(pool, sink, 0.05)
                continue
            sink.track(seq, item.prov, item.key)
            if item.preset is not None:
                sink.put(seq, item.preset, None)
            else:
                pool.submit(seq, item.record, route_of(item) if routed else None)
            seq += 1
            while seq - sink.next_seq >= window and not stop.signum:
                _drain(pool, sink, 0.5)
        while pool.pending() and not stop.signum:
            _drain(pool, sink, 0.5)
    finally:
        pool.close(kill=bool(stop.signum))
        sink.summary.workers_replaced = pool.replaced


def _drain(pool: WorkerPool, sink: RowSink, timeout: float) -> None:
    for seq, result in pool.poll(timeout):
        sink.put(seq, result.article, result.signature, result.page_keys)
