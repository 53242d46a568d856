"""`extract_many`: many pages through the corpus engine's workers, Articles in input order.

The library's batch call. Each page is extracted in a worker process of
`pool.WorkerPool`, the engine `copydesk extract` uses: a page that crashes
its worker or runs past the deadline becomes one error Article (`crashed:
...`, `timeout: ...`) and the run goes on; a worker's memory is capped. At
most `16 x workers` pages are in flight, so an endless input streams in
bounded memory. Stopping early (breaking out of the loop, closing the
generator) stops the workers.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from copydesk.api import check_content
from copydesk.article import Article, Record
from copydesk.corpus.pool import WorkerPool
from copydesk.options import Options

Input = bytes | str | Record
WINDOW_PER_WORKER = 16  # pages in flight per worker: keeps workers busy, memory bounded


def extract_many(inputs: Iterable[Input], workers: int | None = None, *,
                 timeout: float = 60.0, memory_mb: int | None = 4096,
                 **options: Any) -> Iterator[Article]:
    """Extract every input in worker processes; yield one Article per input, in order.

    `inputs`: page contents (bytes or str, as `extract` takes them) or
    `Record`s (with a url, an id, a charset...). `workers`: processes
    (default: the number of cores). `timeout`: seconds a page may take before
    it is an error Article. `memory_mb`: memory a worker may add (None: no
    cap). Keyword options are those of `copydesk.Options`; an unknown one is
    a TypeError here, content that is neither bytes, str nor a Record a
    TypeError when it is reached.
    """
    opts = Options.from_kwargs(**options)
    if timeout <= 0:
        raise ValueError(f"timeout must be > 0 seconds, not {timeout!r}")
    count = max(1, workers or os.cpu_count() or 1)
    return _run(iter(inputs), count, opts, timeout, memory_mb)


def as_record(item: object) -> Record:
    """A Record for one input (TypeError naming what is accepted otherwise)."""
    record = item if isinstance(item, Record) else Record(content=item)  # type: ignore[arg-type]
    check_content(record.content)
    return record


def _run(inputs: Iterator[Input], workers: int, opts: Options, timeout: float,
         memory_mb: int | None) -> Iterator[Article]:
    pool = WorkerPool(workers, opts, deadline=timeout, memory_mb=memory_mb)
    finished = False
    try:
        yield from _ordered(pool, inputs, workers * WINDOW_PER_WORKER)
        finished = True
    finally:
        pool.close(kill=not finished)


def _ordered(pool: WorkerPool, inputs: Iterator[Input], window: int) -> Iterator[Article]:
    """Keep up to `window` pages in flight; yield results in input order."""
    done: dict[int, Article] = {}
    submitted = yielded = 0
    exhausted = False
    while not exhausted or yielded < submitted:
        while not exhausted and submitted - yielded < window:
            item = next(inputs, None)
            if item is None:
                exhausted = True
                break
            pool.submit(submitted, as_record(item))
            submitted += 1
        while yielded not in done and yielded < submitted:
            for seq, result in pool.poll(0.5):
                done[seq] = result.article
        while yielded in done:
            yield done.pop(yielded)
            yielded += 1
