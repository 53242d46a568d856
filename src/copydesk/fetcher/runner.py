"""`copydesk fetch` without extraction: set up the WARC and its journal, resume what an
interrupted run left, crawl, stop cleanly on a signal, summarise by outcome.

A run ends with a `FetchResult` (`outcome.py`): how it ended, a message, the
summary. Nothing here prints or picks an exit status; the commands layer
(`commands/fetch_run.py`) does both, with `copydesk extract`'s table
(docs/fetch.md, Resume and exit statuses). A progress display, when the caller
wants one, is handed in (`FetchDisplay`).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
import time
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from copydesk.corpus.outcome import Outcome
from copydesk.fetcher.config import FetchConfig
from copydesk.fetcher.crawl import Crawler, OnResult, outcome_key
from copydesk.fetcher.fetchlog import Journal, iter_log, side_path
from copydesk.fetcher.model import ROBOTS_TXT
from copydesk.fetcher.outcome import (
    FINISHED_WORDS,
    INTERRUPTED_WORD,
    FetchResult,
    FetchSummary,
    finished_outcome,
    nothing_fetched_message,
)
from copydesk.fetcher.warcout import WarcWriter, truncate_to


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


class FetchDisplay(Protocol):
    """What the runner tells a progress display (the command's bar on a terminal)."""

    def start_at(self, settled: int) -> None:
        """A resumed run: this many URLs were settled by the interrupted one."""

    def update(self, known: int, counts: Mapping[str, int]) -> None:
        """One more URL settled; `known` URLs so far, the counts by outcome."""

    def close(self) -> None: ...


class _NoDisplay:
    def start_at(self, settled: int) -> None:
        pass

    def update(self, known: int, counts: Mapping[str, int]) -> None:
        pass

    def close(self) -> None:
        pass


DisplayFactory = Callable[[], FetchDisplay]


class Run:
    """State of one run while it goes: the crawler, the stop signal, the counters."""

    def __init__(self, job: FetchJob, on_result: OnResult | None = None,
                 display: DisplayFactory | None = None) -> None:
        self.job = job
        self.journal = Journal(job.output)
        self.writer: WarcWriter | None = None
        self.crawler: Crawler | None = None
        self.on_result = on_result
        self.make_display = display
        self.signum = 0
        self.resumed = 0
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stopped: asyncio.Event | None = None
        self.started = time.monotonic()
        self.display: FetchDisplay = _NoDisplay()

    def prepare(self) -> FetchResult | None:
        """Open or resume the output; a result when the run must not go on (refused,
        or already complete: then the outcome it finished with)."""
        job, journal = self.job, self.journal
        state = journal.state()
        if job.previous and not os.path.exists(side_path(job.previous, "log.jsonl")):
            return FetchResult(Outcome.USAGE, f"--previous {job.previous}: no fetch log beside "
                                              f"it ({side_path(job.previous, 'log.jsonl')})")
        if journal.exists() and not job.resume:
            return FetchResult(Outcome.USAGE, f"{job.output} exists: add --resume to continue "
                               "that fetch, or choose another -o (--previous OLD re-fetches "
                               "what changed)")
        if job.resume and state:
            if state.get("fingerprint") != json.loads(json.dumps(job.fingerprint())):
                return FetchResult(Outcome.RESUME_ERROR, "cannot resume: the sources or options "
                                                         "differ from the interrupted run")
            if state.get("complete"):
                return self._already_complete(state)
        elif job.resume and os.path.exists(job.output):
            return FetchResult(Outcome.RESUME_ERROR,
                               f"cannot resume: {job.output} has no fetch state beside it")
        return self._open(state)

    def _already_complete(self, state: dict[str, Any]) -> FetchResult:
        """A finished run answers with the outcome it ended with (a run that fetched
        nothing does not turn into a success by being resumed)."""
        word = state.get("outcome", FINISHED_WORDS[Outcome.COMPLETE])
        outcome = next((o for o, w in FINISHED_WORDS.items() if w == word), Outcome.COMPLETE)
        message = f"{self.job.output} is already complete"
        if outcome is not Outcome.COMPLETE:
            message += f" ({word}; reasons in {self.journal.log_path})"
        return FetchResult(outcome, message)

    def _open(self, state: dict[str, Any]) -> FetchResult | None:
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
            return FetchResult(Outcome.OUTPUT_ERROR, f"output error: {exc}")
        if self.make_display is not None:
            self.display = self.make_display()
        self.crawler = Crawler(job.cfg, writer=self.writer, journal=self.journal,
                               on_result=self._settled)
        if prev is not None:
            self._restore(prev.queued, prev.logged)
            self.display.start_at(self.resumed)
        return None

    def _settled(self, result: Any, row: dict[str, Any]) -> None:
        if self.crawler is not None:
            self.display.update(len(self.crawler.seen), self.crawler.counts)
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

    def execute(self) -> FetchResult:
        """Crawl to the end (or a signal); how the run ended."""
        try:
            run_coroutine(self._main)
        except OSError as exc:
            return FetchResult(Outcome.OUTPUT_ERROR, f"output error: {exc}; run again with "
                                                     "--resume")
        finally:
            self.display.close()
            self.journal.close()
            if self.writer is not None:
                self.writer.close()
        return self.finish()

    def outcome(self) -> Outcome:
        """Stopped by a signal, else complete or nothing fetched (from the counts)."""
        assert self.crawler is not None
        if self.signum:
            return Outcome.INTERRUPTED if self.signum == signal.SIGINT else Outcome.TERMINATED
        return finished_outcome(self.crawler.counts)

    def summary(self, outcome: Outcome) -> FetchSummary:
        assert self.crawler is not None
        counts = dict(sorted(self.crawler.counts.items()))
        return FetchSummary(outcome=FINISHED_WORDS.get(outcome, INTERRUPTED_WORD),
                            urls=sum(counts.values()), by_outcome=counts,
                            resumed_rows=self.resumed,
                            seconds=round(time.monotonic() - self.started, 3),
                            warc=self.job.output, log=self.journal.log_path)

    def finish(self) -> FetchResult:
        """Write the summary and, unless stopped, mark the state complete."""
        outcome = self.outcome()
        summary = self.summary(outcome)
        try:
            with open(side_path(self.job.output, "summary.json"), "w", encoding="utf-8") as fh:
                json.dump(summary.to_dict(), fh, indent=1)
            if not self.signum:
                state = self.journal.state()
                state["complete"], state["outcome"] = True, summary.outcome
                self.journal.write_state(state)
        except OSError as exc:
            return FetchResult(Outcome.OUTPUT_ERROR, f"output error: {exc}", summary)
        return FetchResult(outcome, self._closing_message(outcome), summary)

    def _closing_message(self, outcome: Outcome) -> str | None:
        assert self.crawler is not None
        if outcome in (Outcome.INTERRUPTED, Outcome.TERMINATED):
            return "stopped; run the same command with --resume to finish"
        if outcome is Outcome.ALL_ERRORS:
            return nothing_fetched_message(self.crawler.counts, self.journal.log_path)
        return None


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
    return outcome_key(row.get("kind", "page"), row.get("outcome", "?"))


def run_job(job: FetchJob, on_result: OnResult | None = None,
            display: DisplayFactory | None = None) -> FetchResult:
    """Run `job` to completion (or a signal); how it ended."""
    run = Run(job, on_result, display)
    refused = run.prepare()
    if refused is not None:
        return refused
    return run.execute()
