"""`copydesk.fetch()` from Python: responses, Articles with feed hints, early exit, the WARC."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

import copydesk
from copydesk.errors import OutputError
from fetch_server import Behaviour, Server

FEED = b"""<rss version="2.0"><channel><item><title>Feed title</title><link>/page/x</link>
<pubDate>Tue, 14 May 2024 10:00:00 GMT</pubDate></item>
<item><title>Other</title><link>/status/404</link></item></channel></rss>"""
QUICK = {"delay": 0.0, "read_timeout": 2.0, "retries": 0}


@pytest.fixture(scope="module")
def server():
    with Server(behaviour=Behaviour(bodies={"f.xml": ("application/rss+xml", FEED)})) as srv:
        yield srv


def test_fetch_yields_one_page_per_url(server: Server) -> None:
    urls = [f"{server.base}/page/a", f"{server.base}/status/410", f"{server.base}/page/a#x"]
    pages = list(copydesk.fetch(urls, **QUICK))
    by_url = {p.url: p for p in pages if p.kind == "page"}
    assert set(by_url) == {f"{server.base}/page/a", f"{server.base}/status/410"}
    ok = by_url[f"{server.base}/page/a"]
    assert ok.outcome == "fetched" and ok.status == 200 and b"Harbour council" in ok.body
    assert ok.content_type == "text/html" and ok.charset == "utf-8"
    assert by_url[f"{server.base}/status/410"].outcome == "http_4xx"
    assert any(p.kind == "robots" for p in pages)


def test_fetch_extract_takes_feed_hints(server: Server) -> None:
    articles = list(copydesk.fetch(f"{server.base}/bytes/f.xml", kind="feed", extract=True,
                                   **QUICK))
    by_url = {a.url.rsplit("/", 1)[1]: a for a in articles}
    assert set(by_url) == {"x", "404"}
    assert by_url["x"].status == "ok"
    assert by_url["x"].date_published == "2024-05-14T10:00:00+00:00"
    assert by_url["404"].status == "error" and "http_4xx" in by_url["404"].error


def test_leaving_the_loop_stops_the_crawl(server: Server) -> None:
    urls = [f"{server.base}/latency/{i}?ms=100" for i in range(50)]
    before = threading.active_count()
    for _page in copydesk.fetch(urls, **QUICK):
        break
    assert threading.active_count() <= before  # the crawl thread ended


def test_fetch_with_output_writes_the_warc_and_refuses_to_overwrite(server: Server,
                                                                    tmp_path: Path) -> None:
    out = str(tmp_path / "c.warc.gz")
    pages = list(copydesk.fetch(f"{server.base}/page/w", output=out, **QUICK))
    assert [p.outcome for p in pages if p.kind == "page"] == ["fetched"]
    assert Path(out).stat().st_size > 0 and Path(out + ".log.jsonl").exists()
    with pytest.raises(OutputError, match="exists"):
        list(copydesk.fetch(f"{server.base}/page/w", output=out, **QUICK))


def test_import_copydesk_does_not_import_httpx() -> None:
    code = "import copydesk, sys; print('httpx' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False"
