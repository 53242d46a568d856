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
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from copydesk.corpus.config import RunConfig
from copydesk.corpus.dedup import Deduper
from copydesk.corpus.files import expand_inputs
from copydesk.corpus.ids import IdRegistry
from copydesk.corpus.items import Item
from copydesk.corpus.minhash import signature
from copydesk.corpus.outcome import Outcome, RunFailed, RunResult
from copydesk.corpus.readers import iter_items
from copydesk.corpus.running import Stop, run_engine
from copydesk.corpus.shards import ResumeError, ShardedOutput, read_rows, write_atomic
from copydesk.corpus.sink import OrderedSink, Output, StreamOutput
from copydesk.corpus.summary import NO_PROGRESS, Summary
from copydesk.corpus.template_runs import check, with_sites, worker_role
from copydesk.corpus.templates import TemplateRole
from copydesk.corpus.writers import output_kind
from copydesk.errors import OutputError

# A write failing anywhere (the output, or a temporary file such as an unpacked
# model) for lack of room: the documented output error, not a traceback.
_WRITE_ERRNOS = (errno.EFBIG, errno.ENOSPC, errno.EDQUOT)


def execute(cfg: RunConfig) -> RunResult:
    """Run the job; how it ended comes back as a RunResult (nothing is printed)."""
    problem = _usage_problem(cfg)
    if problem:
        return RunResult(Outcome.USAGE, problem)
    summary = Summary(engine=cfg.engine, workers=cfg.workers, templates=cfg.templates)
    try:
        output, start = _open_output(cfg)
    except ResumeError as exc:
        return RunResult(Outcome.RESUME_ERROR, f"cannot resume: {exc}")
    except OSError as exc:
        return RunResult(Outcome.OUTPUT_ERROR, f"output error: {exc}")
    if start is None:
        return _already_complete(cfg)
    dedup = Deduper() if cfg.dedup else None
    ids = IdRegistry()
    committed = None
    if start:
        _rebuild(output, cfg, summary, dedup, ids)
        assert isinstance(output, ShardedOutput)
        committed = output.committed_keys()
    stop = Stop()
    stop.install()
    try:
        role = _template_role(cfg, start, summary, stop, committed) if cfg.templates else None
        return _execute(cfg, output, _Resume(start, committed, ids), summary, dedup, stop, role)
    except RunFailed as exc:
        output.abort()
        return RunResult(exc.outcome, exc.message)
    finally:
        stop.restore()


def _already_complete(cfg: RunConfig) -> RunResult:
    """A finished OUT answers with the outcome it ended with, from its saved summary
    (a run whose every row was an error does not become a success by being resumed)."""
    assert cfg.output is not None
    path = (os.path.join(cfg.output, "summary.json") if cfg.keep_shards
            else cfg.output.rstrip("/") + ".summary.json")
    message = f"{cfg.output} is already complete"
    saved = Summary.load(path)
    if saved is None:
        return RunResult(Outcome.COMPLETE, message)
    saved.strict = cfg.strict
    outcome = outcome_of(saved, cfg.strict)
    if outcome is not Outcome.COMPLETE:
        message += f" ({saved.verdict()})"
    return RunResult(outcome, message)


def _usage_problem(cfg: RunConfig) -> str | None:
    if cfg.output is None and cfg.resume:
        return "--resume needs -o OUT"
    if cfg.resume and "-" in cfg.inputs:
        return "--resume cannot re-read stdin"
    return check(cfg)


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


def _template_role(cfg: RunConfig, start: int, summary: Summary, stop: Stop,
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
                           shard_seconds=cfg.shard_seconds, keep_shards=cfg.keep_shards,
                           notify=cfg.notify)
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
             dedup: Deduper | None, stop: Stop, role: TemplateRole | None) -> RunResult:
    start = resume.start
    progress = (cfg.progress_display(summary, cfg.read.stats) if cfg.progress_display
                else NO_PROGRESS)
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
        return RunResult(Outcome.OUTPUT_ERROR,
                         f"output error: {exc}; committed shards kept for --resume")
    progress.done()
    return _finish(cfg, output, summary, dedup, stop)


def _skip_items(items: Iterator[Item | None], count: int) -> Iterator[Item | None]:
    """`items` after the first `count` real ones (the committed rows of a resumed run)."""
    for item in items:
        if count and item is not None:
            count -= 1
        elif not count:
            yield item


def _finish(cfg: RunConfig, output: Output, summary: Summary, dedup: Deduper | None,
            stop: Stop) -> RunResult:
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
        return RunResult(Outcome.OUTPUT_ERROR, f"output error: {exc}")
    if stop.signum:
        stopped = Outcome.INTERRUPTED if stop.signum == signal.SIGINT else Outcome.TERMINATED
        note = ("stopped; completed rows are committed: run the same command with --resume "
                "to finish") if cfg.output else None
        return RunResult(stopped, note, summary)
    return RunResult(outcome_of(summary, cfg.strict), None, summary)


def outcome_of(summary: Summary, strict: bool) -> Outcome:
    """How a complete run ended (docs/corpus.md, Exit statuses)."""
    rows = sum(summary.status.values())
    errors = summary.status["error"]
    file_errors = summary.reasons.get("error: file error", 0)
    if rows == 0 or (errors == rows and file_errors == rows):
        return Outcome.NO_INPUT
    if errors == rows:
        return Outcome.ALL_ERRORS
    if strict and errors:
        return Outcome.STRICT_ERRORS
    return Outcome.COMPLETE


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


__all__ = ["ResumeError", "RunConfig", "execute", "outcome_of"]
