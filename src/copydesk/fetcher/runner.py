"""`copydesk fetch` without extraction: set up the WARC and its journal, resume what an
interrupted run left, crawl, stop cleanly on a signal, summarise by outcome.

Exit statuses follow `copydesk extract` (docs/corpus.md): 0 complete, 2 usage,
3 output error, 4 resume impossible, 130/143 interrupted (resumable).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import asdict, dataclass, field
from typing import Any

from copydesk.fetcher.config import FetchConfig
from copydesk.fetcher.crawl import Crawler, OnResult
from copydesk.fetcher.fetchlog import Journal, iter_log, side_path
from copydesk.fetcher.model import ROBOTS_TXT
from copydesk.fetcher.warcout import WarcWriter, truncate_to

EXIT_OK, EXIT_USAGE, EXIT_OUTPUT, EXIT_RESUME = 0, 2, 3, 4
EXIT_SIGINT, EXIT_SIGTERM = 130, 143


@dataclass
class FetchJob:
    """One `copydesk fetch` invocation."""

    seeds: list[tuple[str, str]]
    output: str
    cfg: FetchConfig = field(default_factory=FetchConfig)
    resume: bool = False
    previous: str | None = None  # an earlier crawl: conditional re-fetch of its URLs
    sources: list[str] = field(default_factory=list)
    kind: str = "page"
    quiet: bool = False
    progress: bool | None = None

    def fingerprint(self) -> dict[str, Any]:
        cfg = asdict(self.cfg)
        cfg.pop("validators", None)
        srcs = [s if s == "-" or "://" in s else os.path.abspath(s) for s in self.sources]
        return {"sources": srcs, "kind": self.kind, "config": cfg,
                "previous": os.path.abspath(self.previous) if self.previous else None}


def validators_of(previous: str) -> dict[str, dict[str, str]]:
    """ETag / Last-Modified of every URL an earlier crawl fetched (from its log)."""
    path = side_path(previous, "log.jsonl")
    known: dict[str, dict[str, str]] = {}
    for row in iter_log(path):
        if row.get("outcome") in ("fetched", "not_modified") and (row.get("etag")
                                                                   or row.get("last_modified")):
            known[row["url"]] = {k: row[k] for k in ("etag", "last_modified", "date") if row.get(k)}
    return known


class FetchProgress:
    """A tqdm bar on stderr (a terminal only): URLs settled of URLs known so far (feeds
    and sitemaps add to the total as they are read), with the outcome counts."""

    def __init__(self, enabled: bool) -> None:
        self.bar: Any = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=0, unit="url", file=sys.stderr, dynamic_ncols=True,
                            desc="fetch", leave=False)
        self.last = 0.0

    def update(self, crawler: Crawler, row: dict[str, Any]) -> None:
        if self.bar is None:
            return
        self.bar.total = len(crawler.seen)
        self.bar.update(1)
        now = time.monotonic()
        if now - self.last >= 0.5:
            self.last = now
            top = crawler.counts.most_common(4)
            self.bar.set_postfix_str(", ".join(f"{k} {v}" for k, v in top), refresh=False)

    def start_at(self, settled: int) -> None:
        """A resumed run: the rows of the interrupted one count as done."""
        if self.bar is not None:
            self.bar.total = self.bar.n = settled

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class Run:
    """State of one run while it goes: the crawler, the stop signal, the counters."""

    def __init__(self, job: FetchJob, on_result: OnResult | None = None) -> None:
        self.job = job
        self.journal = Journal(job.output)
        self.writer: WarcWriter | None = None
        self.crawler: Crawler | None = None
        self.on_result = on_result
        self.signum = 0
        self.resumed = 0
        self.problem: str | None = None  # why prepare() refused, for the library
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stopped: asyncio.Event | None = None
        self.started = time.monotonic()
        self.progress = FetchProgress(enabled=False)

    def _refuse(self, message: str, status: int) -> int:
        self.problem = message
        _say(message)
        return status

    def prepare(self) -> int | None:
        """Open or resume the output; an exit status when the run must not go on."""
        job, journal = self.job, self.journal
        state = journal.state()
        if job.previous and not os.path.exists(side_path(job.previous, "log.jsonl")):
            return self._refuse(f"--previous {job.previous}: no fetch log beside it "
                                f"({side_path(job.previous, 'log.jsonl')})", EXIT_USAGE)
        if journal.exists() and not job.resume:
            return self._refuse(f"{job.output} exists: add --resume to continue that fetch, or "
                                "choose another -o (--previous OLD re-fetches what changed)",
                                EXIT_USAGE)
        if job.resume and state:
            if state.get("fingerprint") != json.loads(json.dumps(job.fingerprint())):
                return self._refuse("cannot resume: the sources or options differ from the "
                                    "interrupted run", EXIT_RESUME)
            if state.get("complete"):
                _say(f"{job.output} is already complete")
                return EXIT_OK
        elif job.resume and os.path.exists(job.output):
            return self._refuse(f"cannot resume: {job.output} has no fetch state beside it",
                                EXIT_RESUME)
        return self._open(state)

    def _open(self, state: dict[str, Any]) -> int | None:
        job = self.job
        try:
            if job.previous:
                cfg = job.cfg.replace(validators=validators_of(job.previous))
                job.cfg = cfg
            prev = self.journal.load() if state else None
            if prev is not None:
                truncate_to(job.output, prev.warc_end)
            os.makedirs(os.path.dirname(os.path.abspath(job.output)), exist_ok=True)
            self.writer = WarcWriter(job.output)
            if not state:
                self.journal.write_state({"fingerprint": job.fingerprint(),
                                          "warc_base": self.writer.tell(), "complete": False})
            self.journal.open()
        except OSError as exc:
            return self._refuse(f"output error: {exc}", EXIT_OUTPUT)
        show = sys.stderr.isatty() if job.progress is None else job.progress
        self.progress = FetchProgress(enabled=show and not job.quiet)
        self.crawler = Crawler(job.cfg, writer=self.writer, journal=self.journal,
                               on_result=self._settled)
        if prev is not None:
            self._restore(prev.queued, prev.logged)
            self.progress.start_at(self.resumed)
        return None

    def _settled(self, result: Any, row: dict[str, Any]) -> None:
        if self.crawler is not None:
            self.progress.update(self.crawler, row)
        if self.on_result is not None:
            self.on_result(result, row)

    def _restore(self, queued: list[dict[str, Any]], logged: list[dict[str, Any]]) -> None:
        assert self.crawler is not None
        done = {row["url"] for row in logged}
        for row in logged:
            self.crawler.counts[_key(row)] += 1
            if row.get("kind") == ROBOTS_TXT:
                self.crawler.known_robots[row["url"].rsplit("/robots.txt", 1)[0]] = row
            self.crawler.seen.add(row["url"])
        for row in queued:
            self.crawler.restore(row, row["url"] in done)
        self.resumed = len(logged)

    async def _main(self) -> None:
        assert self.crawler is not None
        loop = self.loop = asyncio.get_running_loop()
        stopped = self.stopped = asyncio.Event()
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, self._on_signal, sig)
        crawl = asyncio.create_task(self.crawler.run(self.job.seeds))
        halt = asyncio.create_task(stopped.wait())
        await asyncio.wait({crawl, halt}, return_when=asyncio.FIRST_COMPLETED)
        if self.signum:
            await self.crawler.stop()
            crawl.cancel()
        halt.cancel()
        await asyncio.gather(crawl, halt, return_exceptions=True)
        if crawl.done() and not crawl.cancelled() and crawl.exception():
            raise crawl.exception()  # type: ignore[misc]

    def _on_signal(self, signum: int) -> None:
        self.signum = signum
        if self.stopped is not None:
            self.stopped.set()

    def request_stop(self) -> None:
        """Stop from another thread (the library's consumer left its loop): as SIGINT."""
        if self.loop is not None and self.loop.is_running():
            self.loop.call_soon_threadsafe(self._on_signal, signal.SIGINT)

    def execute(self) -> int:
        try:
            run_coroutine(self._main)
        except OSError as exc:
            _say(f"output error: {exc}; run again with --resume")
            return EXIT_OUTPUT
        finally:
            self.progress.close()
            self.journal.close()
            if self.writer is not None:
                self.writer.close()
        return self.finish()

    def summary(self) -> dict[str, Any]:
        assert self.crawler is not None
        counts = dict(sorted(self.crawler.counts.items()))
        return {"outcome": "interrupted" if self.signum else "complete",
                "urls": sum(counts.values()), "by_outcome": counts,
                "resumed_rows": self.resumed,
                "seconds": round(time.monotonic() - self.started, 3),
                "warc": self.job.output, "log": self.journal.log_path}

    def finish(self) -> int:
        summary = self.summary()
        try:
            with open(side_path(self.job.output, "summary.json"), "w", encoding="utf-8") as fh:
                json.dump(summary, fh, indent=1)
            if not self.signum:
                state = self.journal.state()
                state["complete"] = True
                self.journal.write_state(state)
        except OSError as exc:
            _say(f"output error: {exc}")
            return EXIT_OUTPUT
        if not self.job.quiet:
            print_summary(summary)
        if self.signum:
            _say("stopped; run the same command with --resume to finish")
            return EXIT_SIGINT if self.signum == signal.SIGINT else EXIT_SIGTERM
        return EXIT_OK


def run_coroutine(make: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """asyncio.run, or the same in a thread when this thread already runs a loop
    (a notebook, an async caller of the library)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(make())
        return
    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(make())
        except BaseException as exc:  # handed to the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=target, name="copydesk-fetch")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def _key(row: dict[str, Any]) -> str:
    from copydesk.fetcher.crawl import outcome_key

    return outcome_key(row.get("kind", "page"), row.get("outcome", "?"))


def _say(message: str) -> None:
    print(f"copydesk: {message}", file=sys.stderr)


def print_summary(summary: dict[str, Any]) -> None:
    parts = ", ".join(f"{k} {v}" for k, v in summary["by_outcome"].items())
    print(f"copydesk fetch: {summary['outcome']}: {summary['urls']} urls ({parts}) in "
          f"{summary['seconds']:.1f} s; log {summary['log']}", file=sys.stderr)


def run_job(job: FetchJob, on_result: Callable[..., None] | None = None) -> int:
    """Run `job` to completion (or a signal); returns the exit status."""
    run = Run(job, on_result)
    status = run.prepare()
    if status is not None:
        return status
    return run.execute()
