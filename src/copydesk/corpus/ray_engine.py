"""`--engine ray`: the same job on Ray Data, same rows as the local engine.

The driver reads inputs and writes rows exactly as the local engine does
(same readers, same ordered sink, same dedup, same shards and resume); only
extraction (`run_task`: extract + MinHash) runs on the cluster, through
`Dataset.map_batches`, in chunks of `CHUNK` records so the driver's memory
stays bounded. Records and results travel pickled in binary columns.

On a cluster: `ray start --head` on one machine, `ray start --address HEAD:6379`
on the others, then `copydesk extract ... --engine ray --address HEAD:6379`
(or `--address auto` on a cluster node). Inside each Ray task, records run in
the local engine's replaceable worker process (`pool.WorkerPool`, one per Ray
worker, kept warm), so crashes, deadline overruns and memory limits give the
same rows as `--engine local`. Site templates:
`--templates two-pass` works (both passes run on Ray; the learned counters
travel to the cluster inside the `TemplateRole`); `--templates stream` is refused,
since it needs every page of a site in one long-lived process.
"""

from __future__ import annotations

import logging
import pickle
import uuid
from collections.abc import Iterator
from typing import Any

import numpy as np

from copydesk.corpus.config import RunConfig
from copydesk.corpus.items import Item
from copydesk.corpus.outcome import Outcome, RunFailed
from copydesk.corpus.pool import WorkerPool
from copydesk.corpus.sink import RowSink
from copydesk.corpus.templates import TemplateRole
from copydesk.corpus.worker import TaskResult
from copydesk.options import Options

CHUNK = 1024  # records per Ray dataset: bounds driver memory, amortises scheduling
BATCH = 16  # records per map_batches call


# One local pool per Ray worker process, kept across batches (forked once, warm).
_POOLS: dict[tuple[Any, ...], WorkerPool] = {}


def _pool_for(run_token: str, options: Options, want_signature: bool, deadline: float,
              memory_mb: int | None, max_tasks: int, role: TemplateRole | None) -> WorkerPool:
    key = (run_token, want_signature, deadline, memory_mb, max_tasks)
    pool = _POOLS.get(key)
    if pool is None:
        for old in _POOLS.values():  # another run's pool: its options are not ours
            old.close()
        _POOLS.clear()
        pool = WorkerPool(1, options, want_signature=want_signature, deadline=deadline,
                          memory_mb=memory_mb, max_tasks=max_tasks, templates=role)
        _POOLS[key] = pool
    return pool


def extract_batch(batch: dict[str, np.ndarray], options: Options, want_signature: bool,
                  deadline: float, memory_mb: int | None, max_tasks: int,
                  role: TemplateRole | None = None, run_token: str = "") -> dict[str, np.ndarray]:
    """Ray Data UDF: pickled Records in, pickled `TaskResult`s out.

    Each record runs in the local engine's replaceable worker (a process forked by
    this Ray worker), so a native crash or a deadline overrun becomes the same
    `crashed: ...` / `timeout: ...` row as with `--engine local`, and the Ray task
    itself never dies (Ray would retry it instead)."""
    pool = _pool_for(run_token, options, want_signature, deadline, memory_mb, max_tasks, role)
    for seq, blob in zip(batch["seq"], batch["record"], strict=True):
        pool.submit(int(seq), pickle.loads(blob))
    done: dict[int, TaskResult] = {}
    while pool.pending():
        for seq, result in pool.poll(0.5):
            done[seq] = result
    out = np.empty(len(batch["seq"]), dtype=object)
    out[:] = [pickle.dumps(done[int(seq)], protocol=pickle.HIGHEST_PROTOCOL)
              for seq in batch["seq"]]
    return {"seq": batch["seq"], "result": out}


_TOKENS: dict[int, str] = {}


def _token(cfg: RunConfig) -> str:
    """One token per run (per options object), naming the Ray workers' pools."""
    return _TOKENS.setdefault(id(cfg.options), uuid.uuid4().hex)


def run_ray(cfg: RunConfig, items: Iterator[Item], sink: RowSink, start: int,
            stop: Any, role: TemplateRole | None = None) -> None:
    ray = _init(cfg)
    seq = start
    while not stop.signum:
        chunk = list(_pull_chunk(items, stop))
        if not chunk:
            break
        rows = []
        for item in chunk:
            sink.track(seq, item.prov, item.key)
            if item.preset is not None:
                sink.put(seq, item.preset, None)
            else:
                rows.append({"seq": seq, "record": pickle.dumps(item.record)})
            seq += 1
        if rows:
            _run_chunk(ray, rows, cfg, sink, stop, role)


def _pull_chunk(items: Iterator[Item], stop: Any) -> Iterator[Item]:
    """Up to CHUNK items, pulled so that a signal ends a blocking read (see engine._Stop)."""
    for _ in range(CHUNK):
        more, item = stop.pull(items)
        if not more:
            return
        if item is not None:
            yield item


def _init(cfg: RunConfig) -> Any:
    try:
        import ray
    except ImportError as exc:
        raise RunFailed(Outcome.USAGE,
                        "--engine ray needs Ray: pip install 'copydesk[ray]'") from exc
    if not ray.is_initialized():
        kwargs: dict[str, Any] = {"num_cpus": cfg.workers}
        if cfg.address:
            kwargs = {"address": cfg.address}
        ray.init(ignore_reinit_error=True, include_dashboard=False, log_to_driver=False,
                 logging_level=logging.ERROR, **kwargs)
        logging.getLogger("ray.data").setLevel(logging.WARNING)
    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    return ray


def _run_chunk(ray: Any, rows: list[dict[str, Any]], cfg: RunConfig, sink: RowSink,
               stop: Any, role: TemplateRole | None) -> None:
    ds = ray.data.from_items(rows).map_batches(
        extract_batch, batch_size=BATCH, batch_format="numpy",
        fn_kwargs={"options": cfg.options, "want_signature": cfg.dedup, "role": role,
                   "deadline": cfg.timeout, "memory_mb": cfg.memory_mb,
                   "max_tasks": cfg.max_tasks, "run_token": _token(cfg)},
    )
    for batch in ds.iter_batches(batch_size=BATCH, batch_format="numpy"):
        for seq, blob in zip(batch["seq"], batch["result"], strict=True):
            result: TaskResult = pickle.loads(blob)
            sink.put(int(seq), result.article, result.signature, result.page_keys)
        if stop.signum:
            return
