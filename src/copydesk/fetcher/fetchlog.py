"""The files beside the WARC that make a fetch resumable and accountable.

- `OUT.queue.jsonl`: every URL queued (seeds, feed and sitemap entries,
  discovered feeds), in order, before it is fetched;
- `OUT.log.jsonl`: one row per URL once it is settled (the outcome, the HTTP
  status, where its records are in the WARC): every URL has exactly one row;
- `OUT.state.json`: the run's fingerprint, where the WARC's records begin,
  and whether the run completed.

Write order per URL: its WARC records, then the entries it queued, then its
log row, each flushed. A kill at any point leaves the log a prefix of what
was archived, so resuming cuts the WARC back to the end of the last logged
URL, drops a half-written last line, and fetches what was queued but not
logged. A URL in flight at the kill is fetched again (it had no row yet).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from copydesk.fetcher.model import Task


def side_path(output: str, suffix: str) -> str:
    return f"{output}.{suffix}"


class ResumeError(Exception):
    """The state beside OUT does not match this run."""


def read_jsonl_prefix(path: str) -> list[dict[str, Any]]:
    """Complete lines of `path`; a torn last line is cut off the file."""
    if not os.path.exists(path):
        return []
    rows: list[dict[str, Any]] = []
    good = 0
    with open(path, "rb") as handle:
        for line in handle:
            if not line.endswith(b"\n"):
                break
            try:
                rows.append(json.loads(line))
            except ValueError:
                break
            good += len(line)
    if good < os.path.getsize(path):
        with open(path, "r+b") as handle:
            handle.truncate(good)
    return rows


@dataclass
class Previous:
    """What an earlier (interrupted) run of the same fetch left."""

    queued: list[dict[str, Any]] = field(default_factory=list)
    logged: list[dict[str, Any]] = field(default_factory=list)
    warc_end: int = 0


class Journal:
    """Appends queue entries and log rows; reads them back for --resume."""

    def __init__(self, output: str) -> None:
        self.output = output
        self.queue_path = side_path(output, "queue.jsonl")
        self.log_path = side_path(output, "log.jsonl")
        self.state_path = side_path(output, "state.json")
        self.queue: IO[str] | None = None
        self.log: IO[str] | None = None

    def exists(self) -> bool:
        return os.path.exists(self.output) or os.path.exists(self.state_path)

    def state(self) -> dict[str, Any]:
        try:
            with open(self.state_path, encoding="utf-8") as handle:
                return dict(json.load(handle))
        except (OSError, ValueError):
            return {}

    def write_state(self, state: dict[str, Any]) -> None:
        tmp = self.state_path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(state, handle, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.state_path)

    def load(self) -> Previous:
        logged = read_jsonl_prefix(self.log_path)
        ends = [row["warc"]["end"] for row in logged if row.get("warc")]
        base = int(self.state().get("warc_base", 0))
        return Previous(queued=read_jsonl_prefix(self.queue_path), logged=logged,
                        warc_end=max([base, *ends]))

    def open(self) -> None:
        self.queue = open(self.queue_path, "a", encoding="utf-8")  # noqa: SIM115
        self.log = open(self.log_path, "a", encoding="utf-8")  # noqa: SIM115

    def queued(self, task: Task) -> None:
        assert self.queue is not None
        row: dict[str, Any] = {"url": task.url, "kind": task.kind, "via": task.via,
                               "depth": task.depth}
        if task.hints:
            row["hints"] = task.hints
        self.queue.write(json.dumps(row, ensure_ascii=False) + "\n")

    def flush_queue(self) -> None:
        if self.queue is not None:
            self.queue.flush()

    def logged(self, row: dict[str, Any]) -> None:
        assert self.log is not None and self.queue is not None
        self.queue.flush()
        self.log.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.log.flush()

    def close(self) -> None:
        for handle in (self.queue, self.log):
            if handle is not None:
                handle.flush()
                os.fsync(handle.fileno())
                handle.close()
        self.queue = self.log = None


def iter_log(path: str) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.endswith("\n"):
                yield json.loads(line)
