"""One corpus run: read inputs, extract in workers, write rows in order, summarise.

`run(config)` is what `copydesk extract` calls. The parent process reads
containers, keeps the order, deduplicates and writes; workers (`pool.py`, or
Ray with `--engine ray`) extract. Reading may run at most `window` records
ahead of writing, so memory is bounded whatever the input size.

Site templates (`--templates`): `template_runs` sets each record's site,
learns counters before the run when needed (two-pass, streaming resume),
and the local engine routes a site's pages to one worker in streaming mode.

Signals: SIGINT and SIGTERM set a flag; the run stops reading, kills the
workers, writes every row completed in order, commits the open shard and
exits (130 / 143) leaving a resumable state. SIGXFSZ (file size limit) is
ignored so a full disk or `ulimit -f` surfaces as a write error (exit 3).
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from copydesk.corpus.dedup import Deduper
from copydesk.corpus.files import expand_inputs
from copydesk.corpus.ids import IdRegistry
from copydesk.corpus.items import Item, ReadConfig
from copydesk.corpus.minhash import signature
from copydesk.corpus.pool import MAX_TASKS, WorkerPool
from copydesk.corpus.readers import iter_items
from copydesk.corpus.shards import ResumeError, ShardedOutput, read_rows, write_atomic
from copydesk.corpus.sink import OrderedSink, Output, RowSink, StreamOutput
from copydesk.corpus.summary import Progress, Summary, cpu_seconds
from copydesk.corpus.template_runs import check, route_of, with_sites, worker_role
from copydesk.corpus.templates import TemplateRole
from copydesk.corpus.writers import output_kind
from copydesk.errors import OutputError
from copydesk.options import Options

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_OUTPUT = 3
EXIT_RESUME = 4
EXIT_NO_INPUT = 5  # no input record could be read (every input missing or unreadable)
EXIT_ALL_ERRORS = 6  # every row is an error
EXIT_STRICT = 7  # --strict and at least one error row
# A write failing anywhere (the output, or a temporary file such as an unpacked
# model) for lack of room: the documented output error, not a traceback.
_WRITE_ERRNOS = (errno.EFBIG, errno.ENOSPC, errno.EDQUOT)
EXIT_SIGINT = 130
EXIT_SIGTERM = 143


@dataclass
class RunConfig:
    """Everything `copydesk extract` was asked to do."""

    inputs: list[str]
    output: str | None = None
    text_format: str | None = None  # "text" / "markdown" instead of rows
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    resume: bool = False
    dedup: bool = False
    engine: str = "local"
    address: str | None = None
    options: Options = field(default_factory=Options)
    read: ReadConfig = field(default_factory=ReadConfig)
    timeout: float = 60.0
    memory_mb: int | None = 4096
    max_tasks: int = MAX_TASKS  # pages per worker process before it is recycled
    shard_records: int = 10_000
    shard_seconds: float = 60.0
    keep_shards: bool = False
    progress: bool | None = None  # None: when stderr is a terminal
    quiet: bool = False
    templates: str | None = None  # site templates: "stream", "two-pass" or None (off)
    site: str | None = None  # one site key for every record (else url host, folder)
    # A live source of Items instead of `inputs` (`copydesk fetch --extract`): it may
    # yield None while nothing is ready, so rows keep being written and signals seen.
    live: Callable[[], Iterator[Item | None]] | None = None
    strict: bool = False  # exit EXIT_STRICT when any row is an error

    def fingerprint(self) -> dict[str, Any]:
        """What must match for --resume to continue a run."""
        paths = [p if p == "-" else os.path.abspath(p) for p in self.inputs]
        r = self.read
        return {"inputs": paths, "text_format": self.text_format, "dedup": self.dedup,
                "input_format": r.input_format, "url": r.url, "max_bytes": r.max_bytes,
                "jsonl": [r.jsonl_content, r.jsonl_url, r.jsonl_id],
                "explain": self.options.explain, **self._template_fingerprint(),
                **self._reader_fingerprint()}

    def _reader_fingerprint(self) -> dict[str, Any]:
        """Reader flags added later: present only when set, so older journals resume."""
        r = self.read
        extra: dict[str, Any] = {}
        if r.keep_status:
            extra["keep_status"] = True
        if r.include:
            extra["include"] = list(r.include)
        if r.jsonl_type:
            extra["jsonl_type"] = r.jsonl_type
        return extra

    def _template_fingerprint(self) -> dict[str, Any]:
        """Template flags change rows, so they must match too (absent when off, so
        journals written before templates existed still resume)."""
        return {"templates": self.templates, "site": self.site} if self.templates else {}


_END = object()


class Interrupted(Exception):
    """Raised by the signal handler while the run waits on a read (stdin, a FIFO-like
    slow source): Python restarts an interrupted read, so a flag alone would wait on."""


class _Stop:
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
        if self.signum:
            return False, None
        self.reading = True
        try:
            item = next(items, _END)
        except Interrupted:
            return False, None
        finally:
            self.reading = False
        return (False, None) if item is _END else (True, item)  # type: ignore[return-value]

    def restore(self) -> None:
        for sig, handler in self.saved.items():
            signal.signal(sig, handler)


def run(cfg: RunConfig) -> int:
    """Run the job; returns the exit status (see docs/corpus.md)."""
    if cfg.output is None and cfg.resume:
        print("copydesk: --resume needs -o OUT", file=sys.stderr)
        return EXIT_USAGE
    if cfg.resume and "-" in cfg.inputs:
        print("copydesk: --resume cannot re-read stdin", file=sys.stderr)
        return EXIT_USAGE
    problem = check(cfg)
    if problem:
        print(f"copydesk: {problem}", file=sys.stderr)
        return EXIT_USAGE
    summary = Summary(engine=cfg.engine, workers=cfg.workers, templates=cfg.templates)
    try:
        output, start = _open_output(cfg)
    except ResumeError as exc:
        print(f"copydesk: cannot resume: {exc}", file=sys.stderr)
        return EXIT_RESUME
    except OSError as exc:
        print(f"copydesk: output error: {exc}", file=sys.stderr)
        return EXIT_OUTPUT
    if start is None:
        print(f"copydesk: {cfg.output} is already complete", file=sys.stderr)
        return EXIT_OK
    dedup = Deduper() if cfg.dedup else None
    ids = IdRegistry()
    committed = None
    if start:
        _rebuild(output, cfg, summary, dedup, ids)
        assert isinstance(output, ShardedOutput)
        committed = output.committed_keys()
    stop = _Stop()
    stop.install()
    try:
        role = _template_role(cfg, start, summary, stop, committed) if cfg.templates else None
        return _execute(cfg, output, _Resume(start, committed, ids), summary, dedup, stop, role)
    finally:
        stop.restore()


@dataclass
class _Resume:
    """Where a run starts: rows already committed, their resume keys, their ids."""

    start: int
    committed: Counter[str] | None
    ids: IdRegistry


def skip_committed(items: Iterator[Item], committed: Counter[str]) -> Iterator[Item]:
    """Items not yet committed, by resume key (each committed key skips one copy)."""
    left = Counter(committed)
    for item in items:
        if item.key is not None and left[item.key] > 0:
            left[item.key] -= 1
            continue
        yield item


def _template_role(cfg: RunConfig, start: int, summary: Summary, stop: _Stop,
                   committed: Counter[str] | None) -> TemplateRole:
    """How the workers serve site templates (counters learned first when the mode needs it)."""
    began = time.monotonic()
    role = worker_role(cfg, start, stop, committed)
    summary.template_learn_s = time.monotonic() - began
    summary.template_pages = role.counts.pages_observed()
    return role


def _open_output(cfg: RunConfig) -> tuple[Output, int | None]:
    if cfg.output is None:
        return StreamOutput(cfg.text_format), 0
    kind = cfg.text_format or output_kind(cfg.output)
    output = ShardedOutput(cfg.output, kind, shard_records=cfg.shard_records,
                           shard_seconds=cfg.shard_seconds, keep_shards=cfg.keep_shards)
    return output, output.open(cfg.fingerprint(), cfg.resume)


def _rebuild(output: Output, cfg: RunConfig, summary: Summary, dedup: Deduper | None,
             ids: IdRegistry) -> None:
    """Recount committed rows, re-claim their ids (and re-index first copies) before
    resuming."""
    assert isinstance(output, ShardedOutput)
    if output.kind in ("text", "markdown"):
        return
    columns = ["id", "status", "error", "content_hash", "dup_of"] + (["text"] if dedup else [])
    for path in output.committed_files():
        for row in read_rows(path, output.kind, columns):
            summary.count_row(row["status"], row["error"])
            summary.resumed += 1
            ids.claim(row["id"] or "")
            if dedup is not None and row["content_hash"]:
                _reindex(dedup, row)


def _reindex(dedup: Deduper, row: dict[str, Any]) -> None:
    if row["dup_of"]:
        dedup.exact.setdefault(row["content_hash"], row["dup_of"])
    else:
        dedup.register(row["id"], row["content_hash"], signature(row["text"] or ""))


def _execute(cfg: RunConfig, output: Output, resume: _Resume, summary: Summary,
             dedup: Deduper | None, stop: _Stop, role: TemplateRole | None) -> int:
    start = resume.start
    progress = Progress(summary, enabled=_show_progress(cfg), stats=cfg.read.stats)
    sink = OrderedSink(output, summary, dedup=dedup, explain=cfg.options.explain,
                       next_seq=start, progress=progress)
    sink.ids = resume.ids
    items: Iterator[Item | None]
    if cfg.live is not None:  # (no templates, no Ray: `copydesk fetch` refuses them)
        items = _skip_items(cfg.live(), start)
    else:
        cfg.read.stats.bytes_total = input_bytes(cfg.inputs)
        read: Iterator[Item] = iter_items(cfg.inputs, cfg.read)
        if resume.committed is not None:
            read = skip_committed(read, resume.committed)
        elif start:
            read = itertools.islice(read, start, None)  # a journal without keys: by count
        items = with_sites(read, cfg.site) if cfg.templates else read
    try:
        run_engine(cfg, items, sink, start, stop, role)
    except (OutputError, OSError) as exc:
        if isinstance(exc, OSError) and exc.errno not in _WRITE_ERRNOS:
            raise
        output.abort()
        progress.done()
        print(f"copydesk: output error: {exc}; committed shards kept for --resume",
              file=sys.stderr)
        return EXIT_OUTPUT
    progress.done()
    return _finish(cfg, output, summary, dedup, stop)


def _skip_items(items: Iterator[Item | None], count: int) -> Iterator[Item | None]:
    """`items` after the first `count` real ones (the committed rows of a resumed run)."""
    for item in items:
        if count and item is not None:
            count -= 1
        elif not count:
            yield item


def run_engine(cfg: RunConfig, items: Iterator[Item | None], sink: RowSink, start: int,
               stop: _Stop, role: TemplateRole | None = None) -> None:
    """Extract `items` (numbered from `start`) with the configured engine into `sink`;
    `role`: how workers serve site templates (None: off). A None item: nothing ready yet."""
    if cfg.engine == "ray":
        from copydesk.corpus.ray_engine import run_ray

        run_ray(cfg, (i for i in items if i is not None), sink, start, stop, role)
    else:
        _run_local(cfg, items, sink, start, stop, role)


def _run_local(cfg: RunConfig, items: Iterator[Item | None], sink: RowSink, start: int,
               stop: _Stop, role: TemplateRole | None) -> None:
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


def _finish(cfg: RunConfig, output: Output, summary: Summary, dedup: Deduper | None,
            stop: _Stop) -> int:
    summary.take_read_stats(cfg.read.stats, cfg.read.jsonl_content)
    summary.strict = cfg.strict
    if dedup is not None:
        summary.exact_dups, summary.near_dups = dedup.exact_dups, dedup.near_dups
    try:
        if stop.signum:
            summary.outcome = "interrupted"
            output.commit()
            if cfg.output:
                write_atomic(cfg.output.rstrip("/") + ".summary.json", summary.to_json())
        else:
            output.finish(summary.to_json())
    except OutputError as exc:
        print(f"copydesk: output error: {exc}", file=sys.stderr)
        return EXIT_OUTPUT
    if not cfg.quiet:
        summary.print()
        if stop.signum and cfg.output:
            print("copydesk: stopped; completed rows are committed: "
                  "run the same command with --resume to finish", file=sys.stderr)
    if stop.signum:
        return EXIT_SIGINT if stop.signum == signal.SIGINT else EXIT_SIGTERM
    return outcome_status(summary, cfg.strict)


def outcome_status(summary: Summary, strict: bool) -> int:
    """The exit status of a complete run (docs/corpus.md, Exit statuses)."""
    rows = sum(summary.status.values())
    errors = summary.status["error"]
    file_errors = summary.reasons.get("error: file error", 0)
    if rows == 0 or (errors == rows and file_errors == rows):
        return EXIT_NO_INPUT
    if errors == rows:
        return EXIT_ALL_ERRORS
    if strict and errors:
        return EXIT_STRICT
    return EXIT_OK


def _show_progress(cfg: RunConfig) -> bool:
    """A progress bar only on a terminal, and never when rows go to that same
    terminal (it would be drawn into the articles)."""
    if cfg.quiet or cfg.progress is False:
        return False
    if cfg.progress:
        return True
    return sys.stderr.isatty() and not (cfg.output is None and sys.stdout.isatty())


def input_bytes(specs: list[str]) -> int | None:
    """Total size of the inputs (the progress total), None when unknown (stdin)."""
    if "-" in specs:
        return None
    total = 0
    for entry in expand_inputs(specs):
        if entry.error is None:
            with contextlib.suppress(OSError):
                total += os.path.getsize(entry.path)
    return total


__all__ = ["EXIT_OK", "EXIT_OUTPUT", "EXIT_RESUME", "ResumeError", "RunConfig", "run"]
