"""Sharded, atomic, resumable output.

Rows go to shard files in `OUT.parts/`. A shard is written under a temporary
name, closed (gzip trailer, Parquet footer), fsynced and renamed; only then is
a line appended to `OUT.parts/journal.jsonl` naming it and how many input
records it holds. The journal is the truth: after a SIGKILL at any moment,
`--resume` keeps the shards it lists, deletes anything else, and restarts
reading after the last committed record, so the final output holds every
input record exactly once. When the run ends, the shards are merged into OUT
(concatenation for JSONL and gzip members, row-group copy for Parquet) under a
temporary name and renamed, or, with `--shards`, the folder becomes OUT.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from copydesk.corpus.writers import RowWriter, open_writer, parquet_schema, pyarrow_modules
from copydesk.errors import CopydeskError, OutputError

JOURNAL = "journal.jsonl"
_SUFFIX = {"jsonl": ".jsonl", "jsonl.gz": ".jsonl.gz", "parquet": ".parquet",
           "text": ".txt", "markdown": ".md"}


class ResumeError(CopydeskError):
    """`--resume` cannot continue: different inputs/options, or a committed shard is gone."""


class ShardedOutput:
    """Write rows into atomically committed shards; merge them at the end."""

    def __init__(self, out: str, kind: str, *, shard_records: int = 10_000,
                 shard_seconds: float = 60.0, keep_shards: bool = False,
                 notify: Callable[[str], None] | None = None) -> None:
        self.notify = notify or (lambda message: None)
        self.out = out.rstrip("/") or out
        self.kind = kind
        self.parts = self.out + ".parts"
        self.shard_records, self.shard_seconds = shard_records, shard_seconds
        self.keep_shards = keep_shards
        self.shards: list[dict[str, Any]] = []
        self.writer: RowWriter | None = None
        self.tmp: str | None = None
        self.rows_in_shard = 0
        self.opened_at = 0.0
        self.keys: list[str] = []  # resume keys of the open shard's rows

    # -- start -------------------------------------------------------------
    def open(self, fingerprint: dict[str, Any], resume: bool) -> int | None:
        """Committed record count to skip (0 on a fresh run), None if already complete."""
        journal = os.path.join(self.parts, JOURNAL)
        if resume and not os.path.exists(journal):
            # No journal: either the run finished (the journal goes first when the
            # shards are cleaned up) or it was killed before committing anything.
            if os.path.exists(self.out):
                shutil.rmtree(self.parts, ignore_errors=True)
                return None
            resume = False
        if resume:
            return self._reopen(journal, fingerprint)
        if os.path.exists(self.parts):
            self.notify(f"discarding the unfinished run in {self.parts} "
                        "(use --resume to continue one)")
            shutil.rmtree(self.parts)
        os.makedirs(self.parts)
        self._append({"copydesk_journal": 1, "fingerprint": fingerprint})
        return 0

    def _reopen(self, journal: str, fingerprint: dict[str, Any]) -> int:
        lines = _read_journal(journal)
        if not lines or lines[0].get("fingerprint") != fingerprint:
            raise ResumeError("inputs or options differ from the interrupted run; "
                              f"run without --resume (or delete {self.parts})")
        self.shards = [entry for entry in lines[1:] if "shard" in entry]
        keep = {JOURNAL} | {entry["shard"] for entry in self.shards}
        keep |= {entry["keys"] for entry in self.shards if entry.get("keys")}
        for name in os.listdir(self.parts):
            if name not in keep:  # uncommitted temp or renamed-but-unjournaled shard
                os.unlink(os.path.join(self.parts, name))
        missing = [s["shard"] for s in self.shards if not os.path.exists(self._path(s["shard"]))]
        if missing:
            raise ResumeError(f"committed shard(s) missing: {', '.join(missing)}")
        # Rewrite the journal without a torn last line, so later appends stay readable.
        write_atomic(journal, "".join(json.dumps(e) + "\n" for e in lines[:1] + self.shards))
        return sum(int(s["records"]) for s in self.shards)

    def committed_files(self) -> list[str]:
        return [self._path(s["shard"]) for s in self.shards]

    def committed_keys(self) -> Counter[str] | None:
        """Resume keys of every committed row (None for a journal written before keys
        existed: resume then skips by count)."""
        keys: Counter[str] = Counter()
        for entry in self.shards:
            if not entry.get("keys"):
                return None
            with open(self._path(entry["keys"]), encoding="ascii") as handle:
                keys.update(line.strip() for line in handle if line.strip())
        return keys

    # -- rows --------------------------------------------------------------
    def write(self, row: dict[str, Any], key: str | None = None) -> None:
        if self.writer is None:
            self._new_shard()
        assert self.writer is not None
        try:
            self.writer.write(row)
        except OSError as exc:
            raise OutputError(f"cannot write {self.tmp}: {exc.strerror or exc}") from exc
        self.keys.append(key or "-")
        self.rows_in_shard += 1
        if (self.rows_in_shard >= self.shard_records
                or time.monotonic() - self.opened_at >= self.shard_seconds):
            self.commit()

    def _new_shard(self) -> None:
        name = f"part-{len(self.shards):05d}{_SUFFIX[self.kind]}"
        self.tmp = os.path.join(self.parts, f".{name}.tmp")
        text_field = self.kind if self.kind in ("text", "markdown") else None
        self.writer = open_writer(self.tmp, self.kind, text_field)
        self.rows_in_shard, self.opened_at = 0, time.monotonic()
        self.keys = []

    def commit(self) -> None:
        """Close the open shard, rename it into place, then journal it."""
        if self.writer is None or self.tmp is None:
            return
        name = f"part-{len(self.shards):05d}{_SUFFIX[self.kind]}"
        keys = f"part-{len(self.shards):05d}.keys"
        try:
            self.writer.close()
            _write_synced(self._path(keys), "".join(k + "\n" for k in self.keys))
            os.replace(self.tmp, self._path(name))
            _fsync_dir(self.parts)
            entry = {"shard": name, "records": self.rows_in_shard, "keys": keys}
            self._append(entry)
        except OSError as exc:
            self.abort()
            raise OutputError(f"cannot write shard {name}: {exc.strerror or exc}") from exc
        self.shards.append(entry)
        self.writer, self.tmp = None, None

    def abort(self) -> None:
        """Drop the open (uncommitted) shard; committed ones stay for --resume."""
        if self.writer is not None:
            self.writer.abort()
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)
        self.writer, self.tmp = None, None

    # -- end ---------------------------------------------------------------
    def finish(self, summary_json: str) -> None:
        """Merge the committed shards into OUT atomically, then drop the parts folder."""
        self.commit()
        try:
            if self.keep_shards:
                self._promote_folder(summary_json)
            else:
                self._merge()
                write_atomic(self.out + ".summary.json", summary_json)
                # The journal goes first: a kill during the cleanup then leaves a
                # folder that --resume recognises as finished, never a journal
                # naming deleted shards.
                os.unlink(os.path.join(self.parts, JOURNAL))
                shutil.rmtree(self.parts)
        except OSError as exc:
            raise OutputError(f"cannot write {self.out}: {exc.strerror or exc}") from exc

    def _merge(self) -> None:
        tmp = os.path.join(os.path.dirname(os.path.abspath(self.out)),
                           f".{os.path.basename(self.out)}.merging")
        try:
            if self.kind == "parquet":
                _merge_parquet(self.committed_files(), tmp)
            else:
                _concatenate(self.committed_files(), tmp)
            os.replace(tmp, self.out)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)

    def _promote_folder(self, summary_json: str) -> None:
        write_atomic(os.path.join(self.parts, "summary.json"), summary_json)
        if os.path.isdir(self.out):
            shutil.rmtree(self.out)
        elif os.path.exists(self.out):
            os.unlink(self.out)
        os.replace(self.parts, self.out)

    def _append(self, entry: dict[str, Any]) -> None:
        with open(os.path.join(self.parts, JOURNAL), "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def _path(self, name: str) -> str:
        return os.path.join(self.parts, name)


def _read_journal(path: str) -> list[dict[str, Any]]:
    """Journal lines; a torn last line (killed mid-append) is ignored."""
    entries = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            try:
                entries.append(json.loads(line))
            except ValueError:
                break
    return entries


def _concatenate(files: list[str], target: str) -> None:
    """JSONL, text and gzip (members concatenate into one valid stream)."""
    with open(target, "wb") as out:
        for path in files:
            with open(path, "rb") as part:
                shutil.copyfileobj(part, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())


def _merge_parquet(files: list[str], target: str) -> None:
    """Copy row groups one at a time: memory bounded by one row group."""
    _, pq = pyarrow_modules()
    schema = parquet_schema()
    with pq.ParquetWriter(target, schema, compression="zstd") as writer:
        for path in files:
            part = pq.ParquetFile(path)
            for index in range(part.num_row_groups):
                writer.write_table(part.read_row_group(index))
        if not files:
            writer.write_table(schema.empty_table())


def write_atomic(path: str, text: str) -> None:
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def _write_synced(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_rows(path: str, kind: str, columns: list[str]) -> Iterator[dict[str, Any]]:
    """Rows of one committed shard (only `columns`), to rebuild state on resume."""
    if kind == "parquet":
        _, pq = pyarrow_modules()
        part = pq.ParquetFile(path)
        for batch in part.iter_batches(columns=columns, batch_size=1000):
            yield from batch.to_pylist()
        return
    import gzip

    opener: Any = gzip.open if kind == "jsonl.gz" else open
    with opener(path, "rb") as handle:
        for line in handle:
            row = json.loads(line)
            yield {key: row.get(key) for key in columns}
