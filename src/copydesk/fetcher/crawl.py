"""The crawl loop: a frontier of URLs, fetched once each, politely, archived, logged.

`Crawler.run(seeds)` is what `copydesk fetch` and `copydesk.fetch()` drive.
URLs enter through `add` (normalised, deduplicated, journaled), go to their
host's queue (`hosts.py`), are fetched by the host's lanes (`client.py`),
retried when the failure is transient, and settle exactly once in `_settle`:
WARC records, then the URLs a feed or sitemap listed, then the log row.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urljoin

import httpx

from copydesk.fetcher import client as http
from copydesk.fetcher import model as m
from copydesk.fetcher import robots as robots_txt
from copydesk.fetcher.config import FetchConfig
from copydesk.fetcher.discover import feed_links
from copydesk.fetcher.feeds import Parsed, parse_feed
from copydesk.fetcher.fetchlog import Journal
from copydesk.fetcher.guard import networks_from_env, parse_networks, transport
from copydesk.fetcher.hosts import Host, hop, turn
from copydesk.fetcher.sitemaps import parse_sitemap
from copydesk.fetcher.urls import BadURL, host_key, normalize
from copydesk.fetcher.warcout import WarcWriter, read_response

OnResult = Callable[[m.Result, dict[str, Any]], None]


class Crawler:
    """One fetch run. `writer` and `journal` are optional (the library can run without)."""

    def __init__(self, cfg: FetchConfig, *, writer: WarcWriter | None = None,
                 journal: Journal | None = None, on_result: OnResult | None = None) -> None:
        self.cfg = cfg
        self.writer = writer
        self.journal = journal
        self.on_result = on_result
        self.seen: set[str] = set()
        self.hosts: dict[str, Host] = {}
        self.counts: Counter[str] = Counter()
        self.open_tasks = 0
        self.stopping = False
        self.lanes: set[asyncio.Task[None]] = set()
        self.idle = asyncio.Event()
        self.slots = asyncio.Semaphore(cfg.concurrency)
        self.client: httpx.AsyncClient | None = None
        self.known_robots: dict[str, dict[str, Any]] = {}  # host -> its logged robots row
        self.rng = random.Random(12)

    # ---- frontier

    def add(self, url: str, kind: str = m.PAGE, *, hints: dict[str, str] | None = None,
            via: str | None = None, depth: int = 0, journal: bool = True) -> bool:
        """Queue `url` unless it was queued before; False when it was (or is not a URL)."""
        try:
            url = normalize(url)
        except BadURL as exc:
            if journal:
                self._bad_url(url, kind, via, str(exc))
            return False
        if url in self.seen:
            return False
        self.seen.add(url)
        task = m.Task(url=url, kind=kind, hints=dict(hints or {}), via=via, depth=depth)
        if journal and self.journal is not None:
            self.journal.queued(task)
        self._schedule(task)
        return True

    def restore(self, row: dict[str, Any], done: bool) -> None:
        """A URL the interrupted run queued: mark it seen; queue it again unless done."""
        url = row["url"]
        if url in self.seen:
            return
        self.seen.add(url)
        if not done:
            self._schedule(m.Task(url=url, kind=row.get("kind", m.PAGE),
                                  hints=row.get("hints") or {}, via=row.get("via"),
                                  depth=int(row.get("depth") or 0)))

    def _bad_url(self, raw: str, kind: str, via: str | None, error: str) -> None:
        task = m.Task(url=raw[:2000], kind=kind, via=via)
        self.open_tasks += 1
        self._settle(task, m.Result(task=task, outcome=m.BAD_URL, error=error))

    def _schedule(self, task: m.Task) -> None:
        self.open_tasks += 1
        self.idle.clear()
        key = host_key(task.url)
        host = self.hosts.get(key)
        if host is None:
            host = self.hosts[key] = Host(key, self.cfg.delay)
        host.put(task)
        if self.client is not None:  # restored before the loop runs: lanes start in run()
            self._spawn_lanes(host)

    def _spawn_lanes(self, host: Host) -> None:
        while host.lanes < min(self.cfg.per_host, host.pending()) and not self.stopping:
            host.lanes += 1
            lane = asyncio.get_running_loop().create_task(self._lane(host))
            self.lanes.add(lane)
            lane.add_done_callback(self.lanes.discard)

    # ---- lanes

    async def _lane(self, host: Host) -> None:
        try:
            while not self.stopping:
                item = host.take()
                if item is None:
                    break
                if isinstance(item, float):
                    await asyncio.sleep(min(item, 0.5))
                    continue
                await self._process(host, item)
        finally:
            host.lanes -= 1  # the Host stays: its robots rules and clock apply to later URLs

    async def _process(self, host: Host, task: m.Task) -> None:
        rules = await self._robots(host)
        if not rules.allows(task.url):
            why = rules.disallow_all or "robots.txt disallows this url"
            outcome = m.BLOCKED if rules.blocked else m.ROBOTS
            self._settle(task, m.Result(task=task, outcome=outcome, error=why))
            return
        attempt = await self._attempt(host, task)
        task.attempts += 1
        prior = task.exchanges
        prior.extend(attempt.exchanges)
        wait = self._retry_wait(task, attempt)
        if wait is not None:
            if attempt.retry_after:
                host.pause(wait)
            task.not_before = time.monotonic() + wait
            host.put(task)
            return
        self._settle(task, self._result(task, attempt, prior))

    async def _attempt(self, host: Host, task: m.Task) -> http.Attempt:
        started = [await turn(host, self.slots)]  # the first request's start, used once

        async def gate(url: str) -> float:
            return started.pop() if started else await self._hop(url)

        try:
            assert self.client is not None
            return await http.attempt(self.client, task, self.cfg, gate)
        finally:
            host.in_flight -= 1
            self.slots.release()

    async def _hop(self, url: str) -> float:
        """A redirect hop waits for its host's delay too (a new host is created)."""
        key = host_key(url)
        host = self.hosts.get(key)
        if host is None:
            host = self.hosts[key] = Host(key, self.cfg.delay)
        return await hop(host)

    def _retry_wait(self, task: m.Task, attempt: http.Attempt) -> float | None:
        """Seconds before the next attempt, or None when this attempt is final."""
        final = attempt.exchanges[-1] if attempt.exchanges else None
        status = final.status if final is not None else None
        transient = attempt.outcome in m.RETRYABLE or status == 429
        if not transient or task.attempts > self.cfg.retries:
            return None
        if attempt.retry_after is not None:
            if attempt.retry_after > self.cfg.max_retry_after:
                attempt.error = (f"{attempt.error}; Retry-After {attempt.retry_after:g} s is over "
                                 f"the {self.cfg.max_retry_after:g} s cap")
                return None
            return attempt.retry_after
        base = min(self.cfg.max_backoff, self.cfg.backoff * 2 ** (task.attempts - 1))
        return base * (0.75 + 0.5 * self.rng.random())  # jitter: retries do not stampede

    def _result(self, task: m.Task, attempt: http.Attempt,
                exchanges: list[m.Exchange]) -> m.Result:
        result = m.Result(task=task, outcome=attempt.outcome, error=attempt.error,
                          exchanges=exchanges)
        final = result.final
        if final is not None and final.status is not None:
            result.content_type, result.charset = http.parse_content_type(
                final.header("content-type"))
        if attempt.outcome == m.NOT_MODIFIED:
            result.extra["refers_to"] = self.cfg.validators.get(task.url, {})
        return result

    # ---- robots.txt

    async def _robots(self, host: Host) -> robots_txt.Robots:
        if not self.cfg.robots:
            return robots_txt.ALLOW_ALL
        async with host.robots_lock:
            if host.robots is None:
                host.robots = await self._fetch_robots(host)
                delay = host.robots.crawl_delay
                if delay is not None:
                    host.delay = max(self.cfg.delay, min(delay, self.cfg.max_crawl_delay))
            return host.robots

    async def _fetch_robots(self, host: Host) -> robots_txt.Robots:
        url = host.key + "/robots.txt"
        known = self.known_robots.get(host.key)
        if known is not None:
            return self._robots_from_row(known)
        self.seen.add(url)
        task = m.Task(url=url, kind=m.ROBOTS_TXT, via=host.key)
        self.open_tasks += 1
        exchanges: list[m.Exchange] = []
        while True:
            attempt = await self._attempt(host, task)
            task.attempts += 1
            exchanges.extend(attempt.exchanges)
            wait = self._retry_wait(task, attempt)
            if wait is None:
                break
            await asyncio.sleep(min(wait, 10.0))
        result = self._result(task, attempt, exchanges)
        rules = self._robots_rules(result.final, result.outcome, result.error)
        if self.cfg.discover:
            result.extra["sitemaps"] = rules.sitemaps
        self._settle(task, result)
        return rules

    def _robots_rules(self, final: m.Exchange | None, outcome: str,
                      error: str | None) -> robots_txt.Robots:
        status = final.status if final is not None else None
        if status is not None and 200 <= status < 300:
            text = final.read_body().decode("utf-8", "replace") if final else ""
            return robots_txt.parse(text, self.cfg.user_agent)
        if status is not None and 400 <= status < 500 and status != 429:
            return robots_txt.ALLOW_ALL
        return robots_txt.unreachable(error or outcome)

    def _robots_from_row(self, row: dict[str, Any]) -> robots_txt.Robots:
        """robots.txt settled by the interrupted run: re-read from the WARC, not re-fetched."""
        status = row.get("status")
        offset = (row.get("warc") or {}).get("response")
        if status is not None and 200 <= status < 300 and offset is not None and self.writer:
            self.writer.handle.flush()
            _, _, body = read_response(self.writer.path, offset)
            return robots_txt.parse(body.decode("utf-8", "replace"), self.cfg.user_agent)
        if status is not None and 400 <= status < 500 and status != 429:
            return robots_txt.ALLOW_ALL
        return robots_txt.unreachable(row.get("error") or row.get("outcome", "unknown"))

    # ---- settling

    def _settle(self, task: m.Task, result: m.Result) -> None:
        """The one place a URL ends: archive, queue what it listed, log, report."""
        try:
            span = self.writer.write_result(result) if self.writer and result.exchanges else None
            found = self._follow_up(task, result)
            row = log_row(task, result, span, found)
            if self.journal is not None:
                self.journal.logged(row)
            self.counts[outcome_key(task.kind, result.outcome)] += 1
            if self.on_result is not None:
                self.on_result(result, row)
        finally:
            result.close()
            self.open_tasks -= 1
            if self.open_tasks == 0:
                self.idle.set()

    def _follow_up(self, task: m.Task, result: m.Result) -> Parsed | None:
        """Entries of a feed or sitemap, feeds a seed page announces: queued now."""
        if task.kind == m.ROBOTS_TXT:
            return self._queue_sitemaps(task, result)
        if result.outcome != m.FETCHED:
            if task.kind == m.AUTO:
                task.kind = m.PAGE
            return None
        if task.kind == m.AUTO:
            self._resolve_auto(task, result)
        if task.kind in (m.FEED, m.SITEMAP):
            return self._queue_entries(task, result)
        if task.kind == m.PAGE and self.cfg.discover and task.via is None \
                and result.outcome == m.FETCHED:
            base = result.final.url if result.final else task.url
            parsed = Parsed(feeds=feed_links(result.body(), base))
            for url in parsed.feeds:
                self.add(url, m.FEED, via=task.url)
            return parsed
        return None

    def _resolve_auto(self, task: m.Task, result: m.Result) -> None:
        """`--auto`: XML is a feed or sitemap (its root decides which), else a page."""
        if _looks_like_xml(result):
            task.kind = m.SITEMAP  # parse_sitemap reads feeds too; the root refines it
            return
        task.kind = m.PAGE
        if result.content_type and result.content_type not in http.PAGE_TYPES:
            result.outcome, result.error = m.NOT_HTML, f"content type {result.content_type}"

    def _queue_entries(self, task: m.Task, result: m.Result) -> Parsed:
        base = result.final.url if result.final else task.url
        parse = parse_feed if task.kind == m.FEED else parse_sitemap  # (sitemap: any XML)
        parsed = parse(result.body(), base, self.cfg.max_bytes)
        if parsed.kind in ("rss", "atom", "rdf"):
            task.kind = m.FEED
        for url, hints in parsed.pages:
            self.add(url, m.PAGE, hints=hints, via=task.url)
        for url in parsed.sitemaps:
            if task.depth < self.cfg.max_sitemap_depth:
                self.add(url, m.SITEMAP, via=task.url, depth=task.depth + 1)
        if parsed.error:
            result.error = parsed.error
        return parsed

    def _queue_sitemaps(self, task: m.Task, result: m.Result) -> Parsed | None:
        sitemaps = [urljoin(task.url, u) for u in result.extra.get("sitemaps") or []]
        for url in sitemaps:  # (relative Sitemap: lines are resolved, as crawlers do)
            self.add(url, m.SITEMAP, via=task.url, depth=1)
        return Parsed(sitemaps=list(sitemaps)) if sitemaps else None

    # ---- the run

    async def run(self, seeds: Iterable[tuple[str, str]]) -> None:
        """Fetch every seed `(url, kind)` and all they lead to; returns when settled or stopped."""
        allowed = parse_networks(self.cfg.allow_networks) if self.cfg.allow_networks else \
            networks_from_env()
        timeout = httpx.Timeout(connect=self.cfg.connect_timeout, read=self.cfg.read_timeout,
                                write=self.cfg.read_timeout, pool=None)
        async with httpx.AsyncClient(transport=transport(allowed, self.cfg.per_host),
                                     timeout=timeout, follow_redirects=False) as client:
            self.client = client
            for host in self.hosts.values():
                self._spawn_lanes(host)
            for url, kind in seeds:
                self.add(url, kind)
            if self.journal is not None:
                self.journal.flush_queue()
            if self.open_tasks:
                self.idle.clear()
                await self.idle.wait()
            else:
                self.idle.set()

    async def stop(self) -> None:
        """Stop now: lanes are cancelled; URLs in flight have no row and stay queued."""
        self.stopping = True
        for lane in list(self.lanes):
            lane.cancel()
        await asyncio.gather(*self.lanes, return_exceptions=True)
        self.idle.set()


def _looks_like_xml(result: m.Result) -> bool:
    media = result.content_type or ""
    head = result.body()[:512].lstrip()
    return "xml" in media or head.startswith((b"<?xml", b"<rss", b"<feed", b"<urlset",
                                              b"<sitemapindex", b"\x1f\x8b"))


def outcome_key(kind: str, outcome: str) -> str:
    return outcome if kind in (m.PAGE, m.AUTO) else f"{kind} {outcome}"


def log_row(task: m.Task, result: m.Result, span: tuple[int, int, int | None] | None,
            found: Parsed | None) -> dict[str, Any]:
    """The fetch-log row of a settled URL."""
    final = result.final
    row: dict[str, Any] = {
        "url": task.url, "kind": task.kind, "outcome": result.outcome,
        "status": final.status if final else None, "error": result.error,
        "final_url": final.url if final else None,
        "redirects": [e.url for e in result.exchanges[:-1] if e.status in http.REDIRECTS],
        "attempts": task.attempts, "date": final.date if final else http.iso_now(),
        "content_type": result.content_type, "charset": result.charset,
        "bytes": final.body_len if final else 0, "truncated": final.truncated if final else None,
        "etag": final.header("etag") if final else None,
        "last_modified": final.header("last-modified") if final else None,
        "via": task.via,
    }
    if task.hints:
        row["hints"] = task.hints
    if span is not None:
        row["warc"] = {"start": span[0], "end": span[1], "response": span[2]}
    if found is not None:
        row["found"] = {"pages": len(found.pages), "sitemaps": len(found.sitemaps),
                        "feeds": len(found.feeds)}
    return row
