"""`copydesk.fetch()`: the fetcher from Python, as an iterator.

The crawl (`Crawler`, with a WARC and a log when `output` is given) runs on
its own event loop in a background thread; settled URLs cross to the caller
through a bounded queue (so a slow consumer slows the crawl instead of
filling memory). Leaving the loop early stops the crawl; with `output`, the
stopped run is resumable (`resume=True`).
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from copydesk.api import extract_record
from copydesk.article import Article, Record, Status
from copydesk.errors import OutputError
from copydesk.fetcher import model as m
from copydesk.fetcher.client import HTML_TYPES
from copydesk.fetcher.config import FetchConfig
from copydesk.fetcher.crawl import Crawler
from copydesk.fetcher.runner import FetchJob, Run
from copydesk.options import Options

_END = object()


@dataclass
class FetchedPage:
    """One settled URL: what came back (the final response after redirects) and how it
    ended (`outcome`: see docs/fetch.md)."""

    url: str
    kind: str
    outcome: str
    status: int | None = None
    error: str | None = None
    final_url: str | None = None
    content_type: str | None = None
    charset: str | None = None
    date: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    hints: dict[str, str] = field(default_factory=dict)

    def to_article(self, options: Options | None = None) -> Article:
        """The extracted Article of a fetched page; an error Article for a failed one."""
        url = self.final_url or self.url
        if self.outcome != m.FETCHED:
            return Article(status=Status.ERROR, url=url, date_crawled=self.date,
                           error=f"fetch {self.outcome}: {self.error or ''}".strip())
        record = Record(content=self.body, url=url, http_charset=self.charset,
                        date_crawled=self.date, hints=self.hints or None,
                        input_format="html" if self.content_type in HTML_TYPES else None)
        return extract_record(record, options)


def page_of(result: m.Result, row: dict[str, Any]) -> FetchedPage:
    final = result.final
    return FetchedPage(
        url=row["url"], kind=row["kind"], outcome=row["outcome"], status=row["status"],
        error=row["error"], final_url=row["final_url"], content_type=row["content_type"],
        charset=row["charset"], date=row["date"], hints=dict(result.task.hints),
        headers=list(final.response_headers) if final else [],
        body=result.body() if final is not None and final.status is not None else b"")


class _Background:
    """The crawl thread: its loop, its crawler, the queue of settled URLs."""

    def __init__(self, seeds: list[tuple[str, str]], cfg: FetchConfig, output: str | None,
                 resume: bool) -> None:
        self.results: queue.Queue[Any] = queue.Queue(maxsize=256)
        self.seeds, self.cfg, self.output, self.resume = seeds, cfg, output, resume
        self.stop_now: Any = None  # thread-safe: stops the crawl from the consumer's thread
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self._main, name="copydesk-fetch", daemon=True)

    def on_result(self, result: m.Result, row: dict[str, Any]) -> None:
        self.results.put(page_of(result, row))

    def _main(self) -> None:
        try:
            if self.output is None:
                asyncio.run(self._bare(Crawler(self.cfg, on_result=self.on_result)))
            else:
                self._with_output()
        except BaseException as exc:  # handed to the consumer
            self.failure = exc
        finally:
            self.results.put(_END)

    async def _bare(self, crawler: Crawler) -> None:
        loop = asyncio.get_running_loop()

        def stop() -> None:
            loop.call_soon_threadsafe(lambda: loop.create_task(crawler.stop()))

        self.stop_now = stop
        await crawler.run(self.seeds)

    def _with_output(self) -> None:
        """The crawl with a WARC, a log and a resume state; a run that cannot be done
        (OUT exists without resume, cannot resume, cannot write) raises OutputError."""
        assert self.output is not None
        job = FetchJob(seeds=self.seeds, output=self.output, cfg=self.cfg, resume=self.resume,
                       sources=[u for u, _ in self.seeds])
        run = Run(job, self.on_result)
        result = run.prepare()
        if result is None:  # None: the run goes on (else refused, or already complete)
            self.stop_now = run.request_stop
            result = run.execute()
        if result.failed:
            raise OutputError(result.message or f"fetch failed ({result.outcome.value})")

    def stop(self) -> None:
        if self.stop_now is not None:
            self.stop_now()
        while self.thread.is_alive():  # drain so the crawl thread is never stuck on put()
            try:
                self.results.get(timeout=0.1)
            except queue.Empty:
                continue


def fetch(sources: str | Iterable[str], *, kind: str = m.PAGE, output: str | None = None,
          resume: bool = False, extract: bool = False, options: Options | None = None,
          **config: Any) -> Iterator[Any]:
    """Fetch `sources` (a URL or URLs; `kind` "page", "feed", "sitemap" or "auto").

    Yields a `FetchedPage` per settled URL, or with `extract=True` an `Article`
    per page URL. `config`: fields of `FetchConfig` (delay, per_host, ...).
    With `output`, the WARC, the fetch log and the resume state are written too.
    """
    urls = [sources] if isinstance(sources, str) else list(sources)
    cfg = FetchConfig(**config)
    worker = _Background([(u, kind) for u in urls], cfg, output, resume)
    worker.thread.start()
    try:
        while (item := worker.results.get()) is not _END:
            if not extract:
                yield item
            elif item.kind == m.PAGE and item.outcome != m.NOT_MODIFIED:
                yield item.to_article(options)
        if worker.failure is not None:
            raise worker.failure
    finally:
        if worker.thread.is_alive():
            worker.stop()
