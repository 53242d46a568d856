"""What one corpus run is asked to do (`RunConfig`), apart from the engine that runs it,
so the engines (local, Ray) and the site-template passes read it without importing
the engine."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from copydesk.corpus.items import Item, ReadConfig, ReadStats
from copydesk.corpus.pool import MAX_TASKS
from copydesk.corpus.summary import ProgressDisplay, Summary
from copydesk.options import Options


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
    strict: bool = False  # error rows make the outcome STRICT_ERRORS
    # What the caller (commands) wants to hear: notices during the run (an unfinished run
    # discarded), and a progress display built on the run's summary and read counters.
    notify: Callable[[str], None] | None = None
    progress_display: Callable[[Summary, ReadStats], ProgressDisplay] | None = None

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
