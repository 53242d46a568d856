"""The progress bars of `copydesk extract` and `copydesk fetch` on a terminal (tqdm on
stderr).

Displays, so they live with the commands: the engine only calls `tick()` and
`done()` on what `RunConfig.progress_display` builds (`corpus.summary.ProgressDisplay`),
the fetch runner `update()` and `close()` on what its `display` factory builds
(`fetcher.runner.FetchDisplay`).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from typing import Any

from copydesk.corpus.items import ReadStats
from copydesk.corpus.summary import Summary


class Progress:
    """A tqdm progress bar on stderr: input bytes read (total when known), ETA, records/s
    and rows by status. Only enabled on a terminal, and never when rows go to that same
    terminal (the engine decides)."""

    def __init__(self, summary: Summary, enabled: bool, stats: ReadStats | None = None,
                 every: float = 0.5) -> None:
        self.summary, self.enabled, self.stats, self.every = summary, enabled, stats, every
        self.last = 0.0
        self.bar: Any = None
        if enabled:
            from tqdm import tqdm

            total = stats.bytes_total if stats is not None else None
            self.bar = tqdm(total=total or None, unit="B", unit_scale=True, file=sys.stderr,
                            dynamic_ncols=True, mininterval=every, leave=False,
                            bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} "
                                       "[{elapsed}<{remaining}] {postfix}")

    def tick(self) -> None:
        if self.bar is None:
            return
        now = time.monotonic()
        if now - self.last < self.every:
            return
        self.last = now
        if self.stats is not None:
            self.bar.n = min(self.stats.bytes_done, self.bar.total or self.stats.bytes_done)
        st = self.summary.status
        self.bar.set_postfix_str(f"{self.summary.records} rows, {self.summary.rate():.1f}/s: "
                                 f"ok {st['ok']}, empty {st['empty']}, error {st['error']}",
                                 refresh=True)

    def done(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def show_progress(quiet: bool, progress: bool | None, output: str | None) -> bool:
    """A progress bar only on a terminal, and never when rows go to that same
    terminal (it would be drawn into the articles)."""
    if quiet or progress is False:
        return False
    if progress:
        return True
    return sys.stderr.isatty() and not (output is None and sys.stdout.isatty())


class FetchProgress:
    """A tqdm bar on stderr: URLs settled of URLs known so far (feeds and sitemaps add
    to the total as they are read), with the four commonest outcomes."""

    def __init__(self, every: float = 0.5) -> None:
        from tqdm import tqdm

        self.bar: Any = tqdm(total=0, unit="url", file=sys.stderr, dynamic_ncols=True,
                             desc="fetch", leave=False)
        self.every = every
        self.last = 0.0

    def start_at(self, settled: int) -> None:
        """A resumed run: the rows of the interrupted one count as done."""
        self.bar.total = self.bar.n = settled

    def update(self, known: int, counts: Mapping[str, int]) -> None:
        self.bar.total = known
        self.bar.update(1)
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            top = sorted(counts.items(), key=lambda kv: -kv[1])[:4]
            self.bar.set_postfix_str(", ".join(f"{k} {v}" for k, v in top), refresh=False)

    def close(self) -> None:
        self.bar.close()
