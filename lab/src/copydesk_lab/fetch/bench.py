"""`copydesk bench-fetch`: the issue-12 bars, measured on the local simulated web.

Every fetch is a `copydesk fetch` subprocess with `--allow-net 127.0.0.0/8` (and
COPYDESK_FETCH_ALLOW set), so nothing leaves 127.0.0.0/8; a last check sends it
URLs outside that network and verifies they end `blocked` without a connection.

- speed: N URLs over H hosts (latency 50-200 ms), wall time against the ideal
  schedule the limits allow (per host: `per_host` lanes, starts `delay` apart,
  robots.txt first), exactly-once and politeness checked from the server's log;
- memory: peak RSS (VmHWM) of the fetch process for N/10 and N URLs;
- resume: N URLs with 5% transient failures (500, reset, timeout), killed with
  SIGKILL `kills` times (each after a random number of new log rows), resumed;
  every URL one row, one archived 200 response, nothing lost;
- huge: a 1 GB body against a 16 MB cap;
- feeds: F generated feeds and sitemaps (RSS, Atom, RDF, news sitemaps, indexes
  of gzipped sitemaps) fetched with --auto --extract: every entry found, its
  date in `date_published` when the page gives none, the page's date otherwise.
"""

from __future__ import annotations

import collections
import itertools
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastwarc.warc import ArchiveIterator

from copydesk_lab.fetch import sites

ALLOW = "127.0.0.0/8"


@dataclass
class FetchBenchConfig:
    urls: int = 10_000
    hosts: int = 50
    per_host: int = 2
    delay: float = 0.2
    kills: int = 5
    feeds: int = 1000
    huge_mb: int = 1024
    cap_mb: int = 16
    workers: int = 2
    only: tuple[str, ...] = ("speed", "memory", "resume", "huge", "feeds", "guard")
    workdir: str | None = None
    seed: int = 12


def _env() -> dict[str, str]:
    return {**os.environ, "COPYDESK_FETCH_ALLOW": ALLOW}


class LocalWeb:
    """The server process; `hits()` stops it and returns what it saw."""

    def __init__(self, work: Path, hosts: int, fail_rate: float) -> None:
        self.hits_path = work / f"hits-{time.monotonic_ns()}.jsonl"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "copydesk_lab.fetch.server", "--hosts", str(hosts),
             "--fail-rate", str(fail_rate), "--hits", str(self.hits_path)],
            stdout=subprocess.PIPE, text=True, env=_env())
        assert self.proc.stdout is not None
        self.bases: list[str] = json.loads(self.proc.stdout.readline())

    def hits(self) -> list[list[Any]]:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(60)
        with open(self.hits_path) as handle:
            return [json.loads(line) for line in handle]


def fetch_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "copydesk.cli", "fetch", "--allow-net", ALLOW, "-q",
            "--no-progress", *args]


def run_measured(cmd: list[str], kill_after: Any = None) -> dict[str, Any]:
    """Run `cmd`; wall seconds, peak RSS (VmHWM, MB), exit status. `kill_after()`: when
    true, the run is killed with SIGKILL."""
    began = time.monotonic()
    proc = subprocess.Popen(cmd, env=_env(), stderr=subprocess.PIPE, text=True)
    peak, cpu = 0, 0.0
    while proc.poll() is None:
        peak = max(peak, _hwm_kb(proc.pid))
        cpu = max(cpu, _cpu_s(proc.pid))
        if kill_after is not None and kill_after():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            break
        time.sleep(0.05)
    err = proc.stderr.read() if proc.stderr else ""
    return {"status": proc.wait(), "wall_s": round(time.monotonic() - began, 2),
            "peak_rss_mb": round(peak / 1024, 1), "cpu_s": round(cpu, 2),
            "stderr": err[-2000:]}


def _cpu_s(pid: int) -> float:
    """utime + stime of `pid` (sampled while it runs: the last sample is a lower bound)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def log_rows(warc: Path) -> list[dict[str, Any]]:
    with open(str(warc) + ".log.jsonl") as handle:
        return [json.loads(line) for line in handle]


def responses(warc: Path) -> collections.Counter[tuple[str, int]]:
    """(url, HTTP status) of every response record."""
    counts: collections.Counter[tuple[str, int]] = collections.Counter()
    with open(warc, "rb") as handle:
        for rec in ArchiveIterator(handle, parse_http=True):
            if str(rec.record_type) == "response":
                status = rec.http_headers.status_code if rec.http_headers else 0
                counts[(str(rec.headers.get("WARC-Target-URI")), int(status or 0))] += 1
    return counts


def url_list(bases: list[str], count: int, prefix: str) -> list[str]:
    """`count` URLs spread evenly over the hosts, interleaved (as a real list would be)."""
    return [f"{bases[i % len(bases)]}/{prefix}/{i}" for i in range(count)]


def ideal_seconds(urls: list[str], per_host: int, delay: float) -> float:
    """The shortest schedule the limits allow: per host, robots.txt then the pages on
    `per_host` lanes with starts `delay` apart; hosts in parallel."""
    by_host: dict[str, list[float]] = collections.defaultdict(lambda: [0.0])
    for url in urls:
        base, path = url.split("/", 3)[2], "/" + url.split("/", 3)[3]
        by_host[base].append(sites.latency_ms(path) / 1000)
    worst = 0.0
    for lats in by_host.values():
        lanes = [0.0] * per_host
        last = -delay
        for lat in lats:
            lane = min(range(per_host), key=lanes.__getitem__)
            start = max(lanes[lane], last + delay)
            last, lanes[lane] = start, start + lat
        worst = max(worst, max(lanes))
    return worst


def _gaps(by_host: dict[str, list[float]]) -> list[float]:
    return [b - a for times in by_host.values() for a, b in itertools.pairwise(sorted(times))]


def request_starts(warc: Path) -> dict[str, list[float]]:
    """Per host, when each request started (the request records' WARC-Date, to the us)."""
    from datetime import datetime

    by_host: dict[str, list[float]] = collections.defaultdict(list)
    with open(warc, "rb") as handle:
        for rec in ArchiveIterator(handle, parse_http=False):
            if str(rec.record_type) == "request":
                url = str(rec.headers.get("WARC-Target-URI"))
                when = datetime.fromisoformat(str(rec.headers.get("WARC-Date")).replace(
                    "Z", "+00:00"))
                by_host[url.split("/")[2]].append(when.timestamp())
    return by_host


def politeness(hits: list[list[Any]], warc: Path,
               delay: float) -> dict[str, Any]:
    """Concurrency as the server saw it; spacing as the client sent (the request records)
    and as the server received (which adds the scheduling jitter of a loaded machine)."""
    received: dict[str, list[float]] = collections.defaultdict(list)
    for at, address, *_rest in hits:
        received[address].append(at)
    sent, seen = _gaps(request_starts(warc)), _gaps(received)
    return {"max_in_flight_per_host": max(h[3] for h in hits),
            "min_gap_sent_s": round(min(sent), 4) if sent else None,
            "gaps_sent_under_delay": sum(1 for g in sent if g < delay - 0.001),
            "min_gap_received_s": round(min(seen), 4) if seen else None,
            "gaps_received_under_delay_minus_10ms": sum(1 for g in seen if g < delay - 0.010)}


def bench_speed(cfg: FetchBenchConfig, work: Path) -> dict[str, Any]:
    web = LocalWeb(work, cfg.hosts, 0.0)
    urls = url_list(web.bases, cfg.urls, "p")
    (work / "speed.txt").write_text("\n".join(urls) + "\n")
    warc = work / "speed.warc.gz"
    run = run_measured(fetch_cmd(str(work / "speed.txt"), "-o", str(warc), "--per-host",
                                 str(cfg.per_host), "--delay", str(cfg.delay), "--concurrency",
                                 str(cfg.hosts * cfg.per_host)))
    hits = web.hits()
    summary = json.loads(Path(str(warc) + ".summary.json").read_text())
    ideal = ideal_seconds(urls, cfg.per_host, cfg.delay)
    rows = [r for r in log_rows(warc) if r["kind"] == "page"]
    served = collections.Counter((h[1], h[2]) for h in hits if h[2] != "/robots.txt")
    return {"urls": len(urls), "hosts": cfg.hosts, "per_host": cfg.per_host,
            "delay_s": cfg.delay, "status": run["status"], "wall_s": run["wall_s"],
            "fetch_s": summary["seconds"], "ideal_s": round(ideal, 2), "cpu_s": run["cpu_s"],
            "ratio_to_ideal": round(summary["seconds"] / ideal, 3),
            "rows": len(rows), "distinct_rows": len({r["url"] for r in rows}),
            "fetched": sum(1 for r in rows if r["outcome"] == "fetched"),
            "requests_served": sum(served.values()), "served_twice": sum(
                1 for n in served.values() if n > 1),
            "peak_rss_mb": run["peak_rss_mb"], **politeness(hits, warc, cfg.delay)}


def bench_memory(cfg: FetchBenchConfig, work: Path, big: dict[str, Any] | None) -> dict[str, Any]:
    small_n = max(1, cfg.urls // 10)
    figures = {}
    for n in ([small_n] if big else [small_n, cfg.urls]):
        web = LocalWeb(work, cfg.hosts, 0.0)
        urls = url_list(web.bases, n, "p")
        (work / f"mem{n}.txt").write_text("\n".join(urls) + "\n")
        run = run_measured(fetch_cmd(str(work / f"mem{n}.txt"), "-o", str(work / f"mem{n}.warc.gz"),
                                     "--per-host", str(cfg.per_host), "--delay", str(cfg.delay),
                                     "--concurrency", str(cfg.hosts * cfg.per_host)))
        web.hits()
        figures[n] = run["peak_rss_mb"]
    if big:
        figures[cfg.urls] = big["peak_rss_mb"]
    small, large = figures[small_n], figures[cfg.urls]
    return {"peak_rss_mb": figures, "growth": round(large / small - 1, 3) if small else None}


def bench_resume(cfg: FetchBenchConfig, work: Path) -> dict[str, Any]:
    web = LocalWeb(work, cfg.hosts, 0.05)
    urls = url_list(web.bases, cfg.urls, "f")
    (work / "resume.txt").write_text("\n".join(urls) + "\n")
    warc = work / "resume.warc.gz"
    cmd = fetch_cmd(str(work / "resume.txt"), "-o", str(warc), "--per-host", str(cfg.per_host),
                    "--delay", str(cfg.delay), "--concurrency", str(cfg.hosts * cfg.per_host),
                    "--read-timeout", "2", "--backoff", "0.5")
    rng = random.Random(cfg.seed)
    kills = []
    for i in range(cfg.kills):  # each kill lands after a random number of new rows
        before, more = _logged(warc), rng.randint(cfg.urls // 40, cfg.urls // 8)
        run = run_measured(cmd + (["--resume"] if i else []),
                           kill_after=lambda b=before, n=more: _logged(warc) >= b + n)
        kills.append({"after_new_rows": more, "status": run["status"],
                      "rows_so_far": _logged(warc), "wall_s": run["wall_s"]})
    final = run_measured([*cmd, "--resume"])
    hits = web.hits()
    rows = [r for r in log_rows(warc) if r["kind"] == "page"]
    by_url = collections.Counter(r["url"] for r in rows)
    archived = responses(warc)
    ok_archived = collections.Counter(u for (u, s), n in archived.items() for _ in range(n)
                                      if s == 200 and "/f/" in u)
    first_failures = sum(1 for u in urls if sites.failure_of("/" + u.split("/", 3)[3], 0.05))
    served_ok = collections.Counter((h[1], h[2]) for h in hits
                                    if h[2].startswith("/f/") and h[4] == 200)
    return {"urls": len(urls), "kills": kills, "final_status": final["status"],
            "rows": len(rows), "urls_with_one_row": sum(1 for u in urls if by_url[u] == 1),
            "lost": sum(1 for u in urls if by_url[u] == 0),
            "duplicated_rows": sum(1 for n in by_url.values() if n > 1),
            "outcomes": dict(collections.Counter(r["outcome"] for r in rows)),
            "retried": sum(1 for r in rows if r["attempts"] > 1),
            "transient_first_failures": first_failures,
            "archived_200_per_url": dict(collections.Counter(ok_archived[u] for u in urls)),
            "urls_served_200_twice": sum(1 for n in served_ok.values() if n > 1)}


def _logged(warc: Path) -> int:
    try:
        with open(str(warc) + ".log.jsonl", "rb") as handle:
            return sum(1 for _ in handle)
    except FileNotFoundError:
        return 0


def bench_huge(cfg: FetchBenchConfig, work: Path) -> dict[str, Any]:
    web = LocalWeb(work, 1, 0.0)
    warc = work / "huge.warc.gz"
    run = run_measured(fetch_cmd(f"{web.bases[0]}/huge?mb={cfg.huge_mb}", "-o", str(warc),
                                 "--max-bytes", str(cfg.cap_mb << 20)))
    web.hits()
    row = next(r for r in log_rows(warc) if r["kind"] == "page")
    return {"body_mb": cfg.huge_mb, "cap_mb": cfg.cap_mb, "outcome": row["outcome"],
            "bytes_kept": row["bytes"], "truncated": row["truncated"],
            "wall_s": run["wall_s"], "peak_rss_mb": run["peak_rss_mb"]}


def bench_feeds(cfg: FetchBenchConfig, work: Path) -> dict[str, Any]:
    web = LocalWeb(work, min(cfg.hosts, 10), 0.0)
    sources = [f"{web.bases[n % len(web.bases)]}/s/{n}.xml" for n in range(cfg.feeds)]
    (work / "feeds.txt").write_text("\n".join(sources) + "\n")
    warc, rows_path = work / "feeds.warc.gz", work / "feeds.jsonl"
    run = run_measured(fetch_cmd("--auto", str(work / "feeds.txt"), "-o", str(warc), "--extract",
                                 str(rows_path), "--workers", str(cfg.workers), "--delay", "0",
                                 "--per-host", "4", "--concurrency", "40"))
    web.hits()
    logged = {r["url"]: r for r in log_rows(warc)}
    with open(rows_path) as handle:
        articles = {r["url"]: r for r in map(json.loads, handle)}
    want = [(web.bases[n % len(web.bases)], e) for n in range(cfg.feeds) for e in sites.expected(n)]
    found = sum(1 for base, e in want if base + e.path in logged)
    dated = [(e, articles.get(base + e.path)) for base, e in want]
    from_feed = [(e, a) for e, a in dated if e.page_date is None]
    from_page = [(e, a) for e, a in dated if e.page_date is not None]
    return {"sources": cfg.feeds, "entries_expected": len(want), "entries_found": found,
            "status": run["status"], "wall_s": run["wall_s"],
            "extracted_rows": len(articles),
            "date_from_feed_ok": sum(1 for e, a in from_feed if a and _same_instant(
                a.get("date_published"), e.date)),
            "date_from_feed_n": len(from_feed),
            "page_date_kept": sum(1 for e, a in from_page if a and _same_instant(
                a.get("date_published"), e.page_date)),
            "page_date_n": len(from_page),
            "source_kinds": dict(collections.Counter(r["kind"] for r in logged.values()))}


def _same_instant(got: str | None, want: str | None) -> bool:
    from datetime import datetime

    if not got or not want:
        return False
    try:
        return datetime.fromisoformat(got) == datetime.fromisoformat(want)
    except ValueError:
        return False


def bench_guard(work: Path) -> dict[str, Any]:
    warc = work / "guard.warc"
    outside = ["http://192.0.2.1/x", "http://198.51.100.7:8080/y", "http://example.com/z",
               "http://[2001:db8::1]/w"]
    run = run_measured(fetch_cmd(*outside, "-o", str(warc), "--timeout", "5"))
    rows = [r for r in log_rows(warc) if r["kind"] == "page"]
    return {"urls_outside": len(outside), "status": run["status"],
            "blocked": sum(1 for r in rows if r["outcome"] == "blocked")}


def run_bench(cfg: FetchBenchConfig) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(dir=cfg.workdir) as tmp:
        work = Path(tmp)
        out: dict[str, Any] = {"config": {k: v for k, v in vars(cfg).items() if k != "only"}}
        steps = {"speed": lambda: bench_speed(cfg, work),
                 "memory": lambda: bench_memory(cfg, work, out.get("speed")),
                 "resume": lambda: bench_resume(cfg, work),
                 "huge": lambda: bench_huge(cfg, work),
                 "feeds": lambda: bench_feeds(cfg, work),
                 "guard": lambda: bench_guard(work)}
        for name, step in steps.items():
            if name in cfg.only:
                began = time.monotonic()
                out[name] = step()
                out[name]["bench_step_s"] = round(time.monotonic() - began, 1)
                print(f"bench-fetch {name}: {json.dumps(out[name])}", file=sys.stderr)
        return out
