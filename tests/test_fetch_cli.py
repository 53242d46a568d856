"""`copydesk fetch` end to end (subprocesses against the local server): feeds with their
dates carried to the extracted rows, kill -9 and resume, exit statuses, and the pointers
from `copydesk extract URL` / `copydesk.extract(url)` to the fetcher."""

from __future__ import annotations

import collections
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastwarc.warc import ArchiveIterator

import copydesk
from copydesk.cli import main
from fetch_server import Behaviour, Server

FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>First story</title><link>/page/f1</link>
<pubDate>Tue, 14 May 2024 10:00:00 GMT</pubDate></item>
<item><title>Second</title><link>/page/f2?date=1</link>
<pubDate>Wed, 15 May 2024 10:00:00 +0200</pubDate></item>
<item><title>Gone</title><link>/status/404</link></item>
</channel></rss>"""
FAST = ["--delay", "0", "--read-timeout", "2", "--timeout", "5", "--backoff", "0.05", "-q"]


def copydesk_cli(*args: str, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "copydesk.cli", *args], capture_output=True,
                          text=True, timeout=120, env=os.environ.copy(), **kw)


def log_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in open(str(path) + ".log.jsonl")]


def test_feed_fetch_and_extract_carries_dates(tmp_path: Path) -> None:
    with Server(behaviour=Behaviour(bodies={"feed.xml": ("application/rss+xml", FEED)})) as srv:
        out, rows = tmp_path / "c.warc.gz", tmp_path / "rows.jsonl"
        done = copydesk_cli("fetch", "--feed", f"{srv.base}/bytes/feed.xml", "-o", str(out),
                            "--extract", str(rows), "--workers", "1", *FAST)
    assert done.returncode == 0, done.stderr
    lines = rows.read_text().splitlines()
    articles = {r["url"].rsplit("/", 1)[1]: r for r in map(json.loads, lines)}
    assert set(articles) == {"f1", "f2?date=1", "404"}
    assert articles["f1"]["status"] == "ok"
    assert articles["f1"]["date_published"] == "2024-05-14T10:00:00+00:00"  # from the feed
    assert articles["f2?date=1"]["date_published"] == "2021-03-04T05:06:07+00:00"  # the page's
    assert articles["404"]["status"] == "error" and "http_4xx" in articles["404"]["error"]
    kinds = collections.Counter(r["kind"] for r in log_rows(out))
    assert kinds == {"feed": 1, "page": 3, "robots": 1}
    again = copydesk_cli("fetch", "--feed", f"{srv.base}/bytes/feed.xml", "-o", str(out), *FAST)
    assert again.returncode == 2 and "--resume" in again.stderr


def _logged(out: Path) -> int:
    try:
        return sum(1 for _ in open(str(out) + ".log.jsonl", "rb"))
    except FileNotFoundError:
        return 0


def _wait_for(condition, limit: float = 60.0) -> None:
    end = time.monotonic() + limit
    while not condition() and time.monotonic() < end:
        time.sleep(0.01)


def _responses(warc: Path) -> collections.Counter[str]:
    with open(warc, "rb") as handle:
        return collections.Counter(r.headers.get("WARC-Target-URI") for r in
                                   ArchiveIterator(handle) if str(r.record_type) == "response")


def test_kill_9_and_resume_fetches_each_url_once(tmp_path: Path) -> None:
    with Server(("127.0.0.1", "127.0.0.2", "127.0.0.3")) as srv:
        urls = [f"{base}/latency/{i}?ms=40" for base in srv.bases for i in range(120)]
        seeds = tmp_path / "urls.txt"
        seeds.write_text("\n".join(urls) + "\n")
        out = tmp_path / "c.warc.gz"
        args = ["fetch", str(seeds), "-o", str(out), "--per-host", "3", *FAST]
        for more in (40, 60):  # kill -9 once `more` further URLs have been logged
            before = _logged(out)
            proc = subprocess.Popen([sys.executable, "-m", "copydesk.cli", *args,
                                     *(["--resume"] if out.exists() else [])],
                                    env=os.environ.copy(), stderr=subprocess.DEVNULL)
            _wait_for(lambda p=proc, n=before + more: _logged(out) >= n or p.poll() is not None)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        partial = len(log_rows(out))
        done = copydesk_cli(*args, "--resume")
        assert done.returncode == 0, done.stderr
        finished = copydesk_cli(*args, "--resume")
        assert finished.returncode == 0 and "already complete" in finished.stderr
    rows = [r for r in log_rows(out) if r["kind"] == "page"]
    assert 0 < partial < len(urls) + 3
    assert sorted(r["url"] for r in rows) == sorted(urls)  # every URL once, none lost
    assert all(r["outcome"] == "fetched" for r in rows)
    responses = _responses(out)
    assert all(responses[u] == 1 for u in urls) and len(responses) == len(urls) + 3


def test_resume_refuses_other_sources(tmp_path: Path) -> None:
    with Server() as srv:
        out = tmp_path / "c.warc"
        first = copydesk_cli("fetch", f"{srv.base}/page/a", "-o", str(out), *FAST)
        assert first.returncode == 0
        other = copydesk_cli("fetch", f"{srv.base}/page/b", "-o", str(out), "--resume", *FAST)
    assert other.returncode == 4 and "differ" in other.stderr


def test_sigterm_stops_cleanly_with_143(tmp_path: Path) -> None:
    with Server() as srv:
        out = tmp_path / "c.warc.gz"
        proc = subprocess.Popen([sys.executable, "-m", "copydesk.cli", "fetch",
                                 f"{srv.base}/silent", "-o", str(out), "-q"],
                                env=os.environ.copy(), stderr=subprocess.PIPE, text=True)
        _wait_for(lambda: any(h.path == "/silent" for h in srv.hits))
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 143 and "--resume" in err
    state = json.loads(Path(str(out) + ".state.json").read_text())
    assert state["complete"] is False


def test_extract_url_points_to_fetch(capsys) -> None:
    assert main(["extract", "https://example.com/story"]) == 2
    assert "copydesk fetch https://example.com/story" in capsys.readouterr().err
    article = copydesk.extract("https://example.com/story")
    assert article.status == "error" and "URL, not a page" in (article.error or "")
    assert article.text == ""


@pytest.mark.parametrize("bad", [["--delay", "-1"], ["--timeout", "nan"], ["--per-host", "0"]])
def test_bad_option_values_are_usage_errors(bad: list[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["fetch", "http://127.0.0.1:9/x", "-o", str(tmp_path / "c.warc"), *bad])
    assert stop.value.code == 2


def test_previous_without_a_log_is_a_usage_error(tmp_path: Path, capsys) -> None:
    args = ["fetch", "http://127.0.0.1:9/x", "-o", str(tmp_path / "c.warc"), "--previous",
            str(tmp_path / "old.warc.gz")]
    assert main(args) == 2
    assert "no fetch log" in capsys.readouterr().err
    assert not (tmp_path / "c.warc").exists()


def test_missing_source_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert main(["fetch", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "c.warc")]) == 2
    assert "neither" in capsys.readouterr().err


def test_nothing_fetched_is_not_a_success_even_when_resumed(tmp_path: Path) -> None:
    with Server() as srv:
        out = tmp_path / "c.warc.gz"
        args = ["fetch", f"{srv.base}/status/404", f"{srv.base}/status/410", "-o", str(out),
                *FAST[:-1]]
        done = copydesk_cli(*args)
        again = copydesk_cli(*args, "--resume")
    assert done.returncode == 6, done.stderr
    assert "copydesk fetch: nothing fetched: 3 urls (http_4xx 2, robots fetched 1)" in done.stderr
    assert "nothing could be fetched: no page came back, 2 failed" in done.stderr
    summary = json.loads(Path(str(out) + ".summary.json").read_text())
    assert summary["outcome"] == "nothing fetched" and summary["by_outcome"]["http_4xx"] == 2
    assert again.returncode == 6 and "already complete (nothing fetched" in again.stderr


def test_extract_resumed_after_the_fetch_completed_finishes_the_rows(tmp_path: Path) -> None:
    with Server() as srv:
        out, rows = tmp_path / "c.warc.gz", tmp_path / "rows.jsonl"
        urls = [f"{srv.base}/page/a", f"{srv.base}/page/b"]
        first = copydesk_cli("fetch", *urls, "-o", str(out), *FAST)  # the fetch completes
        assert first.returncode == 0, first.stderr
        done = copydesk_cli("fetch", *urls, "-o", str(out), "--extract", str(rows), "--resume",
                            "--workers", "1", *FAST)
    assert done.returncode == 0, done.stderr
    assert "already complete" in done.stderr
    assert sorted(json.loads(line)["status"] for line in rows.read_text().splitlines()) == \
        ["ok", "ok"]
