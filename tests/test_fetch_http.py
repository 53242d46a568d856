"""The fetcher against a local misbehaving server (tests/fetch_server.py, 127.0.0.1 only):
statuses and retries, redirects, timeouts, resets, bombs, huge bodies, content types,
robots.txt, politeness timing, and what lands in the WARC and the fetch log."""

from __future__ import annotations

import itertools
import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastwarc.warc import ArchiveIterator

from copydesk.corpus.outcome import Outcome
from copydesk.fetcher.config import FetchConfig
from copydesk.fetcher.runner import FetchJob, run_job
from fetch_server import Behaviour, Server, bomb

FAST = FetchConfig(delay=0.0, read_timeout=0.6, total_timeout=3.0, retries=2, backoff=0.05,
                   max_bytes=1 << 20)


def crawl(tmp_path: Path, urls: list[str], cfg: FetchConfig = FAST, kind: str = "page",
          name: str = "c.warc.gz", expect: Outcome = Outcome.COMPLETE,
          **job: Any) -> dict[str, dict[str, Any]]:
    """The log rows by URL of one run, which must end with `expect` (ALL_ERRORS: no
    page came back)."""
    out = str(tmp_path / name)
    result = run_job(FetchJob(seeds=[(u, kind) for u in urls], output=out, cfg=cfg,
                              sources=urls, kind=kind, **job))
    assert result.outcome is expect, result.message
    return {row["url"]: row for row in map(json.loads, open(out + ".log.jsonl"))}


def records(path: Path) -> list[Any]:
    with open(path, "rb") as handle:
        return [(str(r.record_type), r.headers.get("WARC-Target-URI"),
                 r.http_headers.status_code if r.is_http and r.http_headers else None,
                 r.headers.get("WARC-Truncated"), r.headers.get("WARC-Payload-Digest"),
                 datetime.fromisoformat(r.headers.get("WARC-Date").replace("Z", "+00:00"))
                 .timestamp())
                for r in ArchiveIterator(handle, parse_http=True)]


@pytest.fixture(scope="module")
def server():
    with Server() as srv:
        yield srv


def test_statuses_retries_and_retry_after(server: Server, tmp_path: Path) -> None:
    b = server.base
    urls = [f"{b}/status/404", f"{b}/status/410", f"{b}/status/500", f"{b}/flaky/a?fail=2",
            f"{b}/flaky/b?fail=1&code=429&ra=1", f"{b}/status/503?ra=9999",
            f"{b}/flaky/c?fail=1&mode=reset"]
    began = time.monotonic()
    rows = crawl(tmp_path, urls)
    got = {u.split(b, 1)[1]: (r["outcome"], r["status"], r["attempts"]) for u, r in rows.items()
           if "robots" not in u}
    assert got == {
        "/status/404": ("http_4xx", 404, 1), "/status/410": ("http_4xx", 410, 1),
        "/status/500": ("http_5xx", 500, 3), "/flaky/a?fail=2": ("fetched", 200, 3),
        "/flaky/b?fail=1&code=429&ra=1": ("fetched", 200, 2),
        "/status/503?ra=9999": ("http_5xx", 503, 1),  # Retry-After over the cap: no wait
        "/flaky/c?fail=1&mode=reset": ("fetched", 200, 2)}
    assert "over the 120 s cap" in rows[f"{b}/status/503?ra=9999"]["error"]
    assert time.monotonic() - began < 10
    recs = records(tmp_path / "c.warc.gz")
    sent = sorted(r[5] for r in recs if r[0] == "request" and "/flaky/b" in r[1])
    assert sent[1] - sent[0] >= 1.0  # Retry-After: 1 honoured (as sent: WARC-Date)
    # every attempt is archived: 3 responses for /status/500
    assert sum(1 for r in recs if r[0] == "response" and r[1].endswith("/status/500")) == 3
    assert all(r[4] for r in recs if r[0] == "response")  # payload digests


def test_redirect_chains_loops_and_caps(server: Server, tmp_path: Path) -> None:
    b = server.base
    rows = crawl(tmp_path, [f"{b}/redirect/4", f"{b}/loop/a", f"{b}/redirect/12"],
                 FAST.replace(per_host=1))
    chain = rows[f"{b}/redirect/4"]
    assert chain["outcome"] == "fetched" and chain["final_url"] == f"{b}/redirect/0"
    assert chain["redirects"] == [f"{b}/redirect/{n}" for n in (4, 3, 2, 1)]
    assert rows[f"{b}/loop/a"]["outcome"] == "redirect_error"
    assert "loop" in rows[f"{b}/loop/a"]["error"]
    assert "more than 10 redirects" in rows[f"{b}/redirect/12"]["error"]
    statuses = [r[2] for r in records(tmp_path / "c.warc.gz")
                if r[0] == "response" and "/redirect/" in r[1]][:5]  # per_host=1: in order
    assert statuses == [302, 301, 302, 301, 200]  # every hop archived, in order


def test_slow_stalled_silent_bodies(server: Server, tmp_path: Path) -> None:
    b = server.base
    cfg = FAST.replace(retries=0)
    rows = crawl(tmp_path, [f"{b}/slow?chunks=4&gap=0.2", f"{b}/stall", f"{b}/silent",
                            f"{b}/slow?chunks=30&gap=0.2"], cfg)
    assert rows[f"{b}/slow?chunks=4&gap=0.2"]["outcome"] == "fetched"
    assert rows[f"{b}/stall"]["outcome"] == "timeout"
    assert rows[f"{b}/stall"]["truncated"] == "time"
    assert rows[f"{b}/silent"]["outcome"] == "timeout"
    # each chunk is within the read timeout, the whole is not within the total one
    assert rows[f"{b}/slow?chunks=30&gap=0.2"]["outcome"] == "timeout"
    assert "total" in rows[f"{b}/slow?chunks=30&gap=0.2"]["error"]


def test_bomb_and_huge_bodies_are_cut_at_the_cap(server: Server, tmp_path: Path) -> None:
    import tracemalloc

    b = server.base
    bomb(64)  # built (and cached) before tracing: the server runs in this process
    tracemalloc.start()
    rows = crawl(tmp_path, [f"{b}/bomb?mb=64", f"{b}/huge?mb=256"],
                 FAST.replace(total_timeout=20), expect=Outcome.ALL_ERRORS)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    for url in (f"{b}/bomb?mb=64", f"{b}/huge?mb=256"):
        assert rows[url]["outcome"] == "too_large" and rows[url]["bytes"] == 1 << 20
        assert rows[url]["truncated"] == "length"
    assert peak < 24 << 20  # a 256 MB body and a 64 MB bomb, never held
    truncated = [r for r in records(tmp_path / "c.warc.gz") if r[0] == "response"]
    assert {r[3] for r in truncated if "robots" not in r[1]} == {"length"}


def test_content_types_and_charsets(server: Server, tmp_path: Path) -> None:
    b = server.base
    rows = crawl(tmp_path, [f"{b}/type/{v}" for v in ("missing", "latin1", "png", "plain",
                                                         "bogus-charset", "gzip-plain")])
    assert rows[f"{b}/type/png"]["outcome"] == "not_html"
    assert rows[f"{b}/type/latin1"]["charset"] == "iso-8859-1"
    for variant in ("missing", "latin1", "plain", "bogus-charset", "gzip-plain"):
        assert rows[f"{b}/type/{variant}"]["outcome"] == "fetched", variant
    assert rows[f"{b}/type/missing"]["content_type"] is None


def test_robots_rules_and_unreachable_robots(tmp_path: Path) -> None:
    rules = "User-agent: copydesk\nDisallow: /page/secret\nCrawl-delay: 0.3\n"
    with Server(behaviour=Behaviour(robots=rules)) as srv:
        b = srv.base
        rows = crawl(tmp_path, [f"{b}/page/a", f"{b}/page/secret", f"{b}/page/b"])
    starts = sorted(r[5] for r in records(tmp_path / "c.warc.gz")  # as sent (WARC-Date)
                    if r[0] == "request" and "/page/" in r[1])
    assert rows[f"{b}/page/secret"]["outcome"] == "robots_disallowed"
    assert rows[f"{b}/robots.txt"]["kind"] == "robots"
    assert len(starts) == 2 and starts[1] - starts[0] >= 0.3 - 1e-6  # Crawl-delay honoured
    with Server(behaviour=Behaviour(robots=None)) as srv:  # 404: everything allowed
        rows = crawl(tmp_path, [f"{srv.base}/private/x"], name="d.warc.gz")
        assert rows[f"{srv.base}/private/x"]["outcome"] == "fetched"


def test_politeness_per_host_and_delay(tmp_path: Path) -> None:
    with Server(("127.0.0.1", "127.0.0.2")) as srv:
        one, two = srv.bases
        urls = [f"{one}/latency/{i}?ms=150" for i in range(8)]
        urls += [f"{two}/page/{i}" for i in range(6)] + [f"{two}/redirect/3"]  # hops wait too
        cfg = FAST.replace(per_host=2, delay=0.1, concurrency=8)
        rows = crawl(tmp_path, urls, cfg)
        hits = list(srv.hits)
    # spacing as sent: the request records' WARC-Date (to the microsecond); the server's
    # clock adds the loop's scheduling jitter on a loaded machine
    sent = [(r[1].split("/")[2], r[5]) for r in records(tmp_path / "c.warc.gz")
            if r[0] == "request"]
    assert all(rows[u]["outcome"] == "fetched" for u in urls)
    for base in srv.bases:
        address = base.split("//")[1]
        mine = [h for h in hits if h.address == address]
        assert max(h.in_flight for h in mine) <= 2
        starts = sorted(t for host, t in sent if host == address)
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        assert len(starts) == len(mine) and min(gaps) >= 0.1 - 1e-6, (address, gaps)
    assert len({(h.address, h.path) for h in hits}) == len(hits)  # nothing fetched twice


def test_blocked_addresses_and_bad_urls(server: Server, tmp_path: Path) -> None:
    rows = crawl(tmp_path, ["http://10.9.9.9/x", "http://example.com/y", "ftp://x/y",
                            f"{server.base}/page/ok"])
    assert rows["http://10.9.9.9/x"]["outcome"] == "blocked"
    assert rows["http://example.com/y"]["outcome"] == "blocked"
    assert rows["ftp://x/y"]["outcome"] == "bad_url"
    assert rows[f"{server.base}/page/ok"]["outcome"] == "fetched"


def test_dedup_by_normal_form(server: Server, tmp_path: Path) -> None:
    b = server.base
    host = b.split("//")[1]
    rows = crawl(tmp_path, [f"{b}/page/same", f"HTTP://{host}/page/./same#x",
                            f"{b}/page/%73ame"])
    assert [u for u in rows if "/page/" in u] == [f"{b}/page/same"]


def test_conditional_refetch_with_previous(server: Server, tmp_path: Path) -> None:
    b = server.base
    urls = [f"{b}/etag/one", f"{b}/page/plain"]
    crawl(tmp_path, urls, name="first.warc.gz")
    rows = crawl(tmp_path, urls, name="second.warc.gz",
                 previous=str(tmp_path / "first.warc.gz"))
    assert rows[f"{b}/etag/one"]["outcome"] == "not_modified"
    assert rows[f"{b}/page/plain"]["outcome"] == "fetched"
    kinds = [(r[0], r[1]) for r in records(tmp_path / "second.warc.gz")]
    assert ("revisit", f"{b}/etag/one") in kinds


def _index(*locs: str) -> bytes:
    body = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return f"<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{body}" \
           "</sitemapindex>".encode()


def test_sitemap_indexes_pointing_at_each_other_end(tmp_path: Path) -> None:
    urlset = (b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
              b"<url><loc>/page/s1</loc></url><url><loc>/page/s2</loc></url></urlset>")
    import gzip as gz

    bodies = {"a.xml": ("application/xml", _index("/bytes/b.xml", "/bytes/a.xml")),
              "b.xml": ("application/xml", _index("/bytes/a.xml", "/bytes/u.xml.gz")),
              "u.xml.gz": ("application/x-gzip", gz.compress(urlset))}
    with Server(behaviour=Behaviour(bodies=bodies)) as srv:
        rows = crawl(tmp_path, [f"{srv.base}/bytes/a.xml"], kind="sitemap")
        paths = srv.paths()
    assert sorted(p for p in paths if p.startswith("/bytes/")) == [
        "/bytes/a.xml", "/bytes/b.xml", "/bytes/u.xml.gz"]  # each once, then it ends
    assert {u.rsplit("/", 1)[1] for u, r in rows.items() if r["kind"] == "page"} == {"s1", "s2"}
    assert rows[f"{srv.base}/bytes/a.xml"]["found"] == {"pages": 0, "sitemaps": 2, "feeds": 0}


def test_discover_robots_sitemaps_and_alternate_feeds(tmp_path: Path) -> None:
    feed = (b"<rss><channel><item><title>T</title><link>/page/from-feed</link></item>"
            b"</channel></rss>")
    home = (b"<html><head><link rel='alternate' type='application/rss+xml' "
            b"href='/bytes/feed.xml'></head><body><p>home</p></body></html>")
    sitemap = (b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
               b"<url><loc>/page/from-sitemap</loc></url></urlset>")
    bodies = {"home": ("text/html", home), "feed.xml": ("application/rss+xml", feed),
              "sm.xml": ("application/xml", sitemap)}
    with Server(behaviour=Behaviour(robots="User-agent: *\nSitemap: /bytes/sm.xml\n",
                                    bodies=bodies)) as srv:
        rows = crawl(tmp_path, [f"{srv.base}/bytes/home"], FAST.replace(discover=True))
    kinds = {u.split(srv.base, 1)[1]: r["kind"] for u, r in rows.items()}
    assert kinds == {"/robots.txt": "robots", "/bytes/home": "page", "/bytes/feed.xml": "feed",
                     "/bytes/sm.xml": "sitemap", "/page/from-feed": "page",
                     "/page/from-sitemap": "page"}
