"""`copydesk bench-corpus`: the corpus engine's figures, measured on corpus pages.

Each pipeline run is a `copydesk extract` subprocess, so its memory is its
own; figures come from the run summary (records/s, peak RSS of the writing
parent and of the largest worker). Measured:
- exactly one row per input record on a WARC of `records` records that holds
  a PNG and an empty response (plus request records, which are not inputs);
- records/s with 1 and N workers on that WARC, and `extract()` in a loop;
- peak RSS on 1/10 of the input and on all of it;
- exact resume after `kills` SIGKILLs at random moments;
- dedup precision/recall on `benchset.near_duplicate_set`, and its cost
  relative to extraction;
- optionally (`--ray`) Ray rows == local rows on a small WARC.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copydesk.corpus.items import ReadConfig
from copydesk.corpus.readers import iter_items
from copydesk_lab.corpus.benchset import near_duplicate_set, write_throughput_warc
from copydesk_lab.corpus.warcgen import WarcPage, response_record, write_warc


@dataclass
class BenchConfig:
    records: int = 2500
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    corpora: str | None = None
    workdir: str | None = None
    kills: int = 5
    resume_records: int = 1000
    dedup_originals: int = 150
    speed_records: int = 600
    repeats: int = 3
    loop_pages: int | None = None  # None: every corpus page once
    ray: bool = False
    seed: int = 5


def corpus_pages(corpora: str | None) -> list[tuple[str, bytes]]:
    """(url, html) of every dev-corpus page (AEB, Readability, newspaper4k), largest
    first: a tenth of the input then holds the same heaviest pages as all of it, so the
    memory comparison measures growth with input size, not with page mix."""
    from copydesk_lab.bench import datasets

    pages = []
    for name in datasets.available(corpora, datasets.ARTICLE_DATASETS):
        for page in datasets.load(name, corpora, need_text=False):
            pages.append((page.url or f"http://{name}.invalid/{page.id}", page.html_bytes))
    if not pages:
        raise SystemExit("copydesk bench-corpus: no corpus found (use --corpora DIR)")
    return sorted(pages, key=lambda p: -len(p[1]))


def gold_bodies(corpora: str | None, count: int, min_words: int = 150) -> list[tuple[str, str]]:
    from copydesk_lab.bench import datasets

    bodies = [(p.id, p.gold_text or "") for p in datasets.load("aeb", corpora)]
    bodies = [(i, b) for i, b in bodies if len(b.split()) >= min_words]
    return bodies[:count]


def count_inputs(path: str) -> int:
    return sum(1 for _ in iter_items([path], ReadConfig()))


def extract_run(inputs: list[str], out: str, workers: int, *extra: str,
                env: dict[str, str] | None = None) -> dict[str, Any]:
    """One `copydesk extract` subprocess; its summary plus wall time and exit status."""
    args = [sys.executable, "-m", "copydesk.cli", "extract", *inputs, "-o", out,
            "--workers", str(workers), "-q", "--no-progress", *extra]
    started = time.monotonic()
    proc = subprocess.run(args, capture_output=True, text=True, env=env)
    summary_path = Path(out + ".summary.json")
    summary = json.loads(summary_path.read_text()) if summary_path.exists() else {}
    summary["wall_seconds"] = round(time.monotonic() - started, 2)
    summary["exit"] = proc.returncode
    if proc.returncode:
        summary["stderr"] = proc.stderr[-2000:]
    return summary


def read_rows(path: str) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def bench_throughput(cfg: BenchConfig, pages: list[tuple[str, bytes]],
                     work: Path) -> dict[str, Any]:
    """One row per input and memory on the full WARC (N workers) and a tenth of it."""
    big, small = str(work / "bench.warc.gz"), str(work / "bench-tenth.warc.gz")
    write_throughput_warc(big, pages, cfg.records)
    write_throughput_warc(small, pages, max(1, cfg.records // 10))
    inputs = count_inputs(big)
    n_run = extract_run([big], str(work / "n.jsonl"), cfg.workers)
    tenth = extract_run([small], str(work / "tenth.jsonl"), cfg.workers)
    rows = read_rows(str(work / "n.jsonl")) if n_run["exit"] == 0 else []
    status = Counter(r["status"] for r in rows)
    reader_ids = [i.record.id for i in iter_items([big], ReadConfig())]
    return {
        "input_records": inputs, "rows": len(rows), "status": dict(status),
        "one_row_per_input": [r["id"] for r in rows] == reader_ids,
        "png_row": next((r["error"] for r in rows if (r["url"] or "").endswith("logo.png")), None),
        "empty_row": next((r["status"] for r in rows if (r["url"] or "").endswith("/empty")), None),
        f"records_per_s_{cfg.workers}_full": n_run.get("records_per_second"),
        "peak_rss_mb_tenth": tenth.get("peak_rss_mb"),
        "peak_rss_mb_full": n_run.get("peak_rss_mb"),
        "worker_peak_rss_mb_tenth": tenth.get("worker_peak_rss_mb"),
        "worker_peak_rss_mb_full": n_run.get("worker_peak_rss_mb"),
        "rss_growth_10x": _ratio(n_run.get("peak_rss_mb"), tenth.get("peak_rss_mb"), True),
        "worker_rss_growth_10x": _ratio(n_run.get("worker_peak_rss_mb"),
                                        tenth.get("worker_peak_rss_mb"), True),
        "runs": {"n": n_run, "tenth": tenth},
    }


def bench_speedup(cfg: BenchConfig, pages: list[tuple[str, bytes]], work: Path) -> dict[str, Any]:
    """1 vs N workers on the same WARC, alternated `repeats` times; the best run of each
    counts (on a shared machine the best run is the one least slowed by others)."""
    warc = str(work / "speed.warc.gz")
    write_throughput_warc(warc, pages, cfg.speed_records)
    runs: dict[int, list[dict[str, Any]]] = {1: [], cfg.workers: []}
    for _ in range(cfg.repeats):
        for workers in runs:
            runs[workers].append(extract_run([warc], str(work / f"s{workers}.jsonl"), workers))
    best = {w: max(r.get("records_per_second") or 0 for r in rs) for w, rs in runs.items()}
    per_cpu = {w: max(_ratio(r.get("rows_this_run"), _cpu(r)) or 0 for r in rs)
               for w, rs in runs.items()}
    return {"records": cfg.speed_records, "repeats": cfg.repeats,
            "records_per_s_1": best[1], f"records_per_s_{cfg.workers}": best[cfg.workers],
            "speedup": _ratio(best[cfg.workers], best[1]),
            "records_per_cpu_s_1": per_cpu[1],
            f"records_per_cpu_s_{cfg.workers}": per_cpu[cfg.workers],
            "all_records_per_s": {w: [r.get("records_per_second") for r in rs]
                                  for w, rs in runs.items()},
            "load_average_1min": round(os.getloadavg()[0], 2)}


def bench_loop(cfg: BenchConfig, pages: list[tuple[str, bytes]]) -> dict[str, Any]:
    """pages/s of `copydesk.extract()` in a loop, one process (the per-core reference),
    and what dedup (signature + LSH) costs on the same articles."""
    from copydesk.api import extract

    sample = pages[: cfg.loop_pages] if cfg.loop_pages else pages  # same mix as the WARC
    extract(sample[0][1])  # load models outside the timing, as the workers do
    started, cpu = time.perf_counter(), time.process_time()
    articles = [extract(body, url=url) for url, body in sample]
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    cost = _dedup_seconds(articles)
    return {"pages_per_s": round(len(sample) / seconds, 2),
            "pages_per_cpu_s": round(len(sample) / cpu, 2), "extraction_s": round(seconds, 3),
            "dedup_s": round(cost, 3), "dedup_share_of_extraction": round(cost / seconds, 4)}


def _dedup_seconds(articles: list[Any]) -> float:
    from copydesk.corpus.dedup import Deduper
    from copydesk.corpus.minhash import signature

    started = time.perf_counter()
    dedup = Deduper()
    for n, article in enumerate(articles):
        article.id = str(n)
        dedup.mark(article, signature(article.text) if article.text else None)
    return time.perf_counter() - started


def bench_dedup(cfg: BenchConfig, work: Path) -> dict[str, Any]:
    nd = near_duplicate_set(gold_bodies(cfg.corpora, cfg.dedup_originals), seed=cfg.seed)
    warc = str(work / "neardup.warc.gz")
    write_warc(warc, [response_record(WarcPage(u, b)) for u, b in nd.pages], compress=True)
    run = extract_run([warc], str(work / "neardup.jsonl"), cfg.workers, "--dedup")
    rows = read_rows(str(work / "neardup.jsonl"))
    by_id = {r["id"]: r["url"] for r in rows}
    scores = _dedup_scores(rows, by_id, nd.group, nd.role)
    scores["same_topic_pairs_merged"] = _same_topic_merged(rows, nd.same_topic)
    scores.update(_dedup_cost(nd.pages))
    scores["run_exit"] = run["exit"]
    return scores


def _dedup_scores(rows: list[dict[str, Any]], by_id: dict[str, str], group: dict[str, int],
                  role: dict[str, str]) -> dict[str, Any]:
    marked = [r for r in rows if r["dup_of"]]
    correct = [r for r in marked if group[by_id[r["dup_of"]]] == group[r["url"]]
               and role[by_id[r["dup_of"]]] == "original"]
    def found(kind: str) -> float:
        total = [r for r in rows if role[r["url"]] == kind]
        hit = [r for r in correct if role[r["url"]] == kind]
        return round(len(hit) / max(1, len(total)), 4)
    return {
        "originals": sum(1 for v in role.values() if v == "original"),
        "exact_recall": found("exact"),
        "near_recall": found("near"),
        "precision": round(len(correct) / max(1, len(marked)), 4),
        "first_copies_marked": sum(1 for r in marked if role[r["url"]] == "original"),
    }


def _same_topic_merged(rows: list[dict[str, Any]], pairs: list[tuple[str, str]]) -> int:
    dup = {r["url"].rsplit("/", 1)[-1]: r["dup_of"] for r in rows if "orig.example" in r["url"]}
    ids = {r["url"].rsplit("/", 1)[-1]: r["id"] for r in rows if "orig.example" in r["url"]}
    return sum(1 for a, b in pairs if dup.get(a) == ids.get(b) or dup.get(b) == ids.get(a))


def _dedup_cost(pages: list[tuple[str, bytes]]) -> dict[str, Any]:
    """Seconds of extraction vs seconds of signatures + LSH on the near-duplicate pages."""
    from copydesk.api import extract

    extract(pages[0][1])
    started = time.perf_counter()
    articles = [extract(body, url=url) for url, body in pages]
    extraction = time.perf_counter() - started
    cost = _dedup_seconds(articles)
    return {"extraction_s": round(extraction, 3), "dedup_s": round(cost, 3),
            "dedup_share_of_extraction": round(cost / max(extraction, 1e-9), 4)}


def bench_resume(cfg: BenchConfig, pages: list[tuple[str, bytes]], work: Path) -> dict[str, Any]:
    """SIGKILL a run `kills` times, each at a random moment after it committed 1-3 more
    shards (so every kill lands mid-run), then resume to the end and compare ids."""
    warc = str(work / "resume.warc.gz")
    write_throughput_warc(warc, pages, cfg.resume_records)
    out = str(work / "resume.jsonl")
    args = [sys.executable, "-m", "copydesk.cli", "extract", warc, "-o", out, "--workers",
            str(cfg.workers), "-q", "--no-progress", "--shard-records", "20"]
    journal = Path(out + ".parts") / "journal.jsonl"
    rng = random.Random(cfg.seed)
    moments = []
    for attempt in range(cfg.kills):
        proc = subprocess.Popen(args + (["--resume"] if attempt else []))
        started = time.monotonic()
        _wait_for_journal(journal, _journal_lines(journal) + rng.randint(1, 3), proc)
        time.sleep(rng.uniform(0.0, 1.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        moments.append(round(time.monotonic() - started, 2))
    committed = max(0, _journal_lines(journal) - 1)
    final = subprocess.run([*args, "--resume"], capture_output=True, text=True)
    ids = [r["id"] for r in read_rows(out)] if final.returncode == 0 else []
    expected = [i.record.id for i in iter_items([warc], ReadConfig())]
    return {"records": len(expected), "kills_at_s": moments, "shards_before_final": committed,
            "exit": final.returncode, "exact": ids == expected,
            "duplicates": len(ids) - len(set(ids)), "missing": len(set(expected) - set(ids))}


def _journal_lines(journal: Path) -> int:
    return len(journal.read_text().splitlines()) if journal.exists() else 0


def _wait_for_journal(journal: Path, lines: int, proc: subprocess.Popen[bytes]) -> None:
    while _journal_lines(journal) < lines and proc.poll() is None:
        time.sleep(0.05)


def bench_ray(cfg: BenchConfig, pages: list[tuple[str, bytes]], work: Path) -> dict[str, Any]:
    """Ray rows vs local rows, sorted by id. Local runs before and after Ray: in a tree
    that is being edited, a difference between the two local runs means the code
    changed during the benchmark, not that the engines disagree."""
    warc = str(work / "ray.warc.gz")
    write_throughput_warc(warc, pages, 200)
    runs = {}
    for name, extra in (("before", []), ("ray", ["--engine", "ray"]), ("after", [])):
        run = extract_run([warc], str(work / f"{name}.jsonl"), cfg.workers, "--dedup", *extra)
        if run["exit"]:
            return {"error": run.get("stderr")}
        runs[name] = sorted(read_rows(str(work / f"{name}.jsonl")), key=lambda r: r["id"])
        if name == "ray":
            rate = run.get("records_per_second")
    ray_rows = runs["ray"]
    same = {k: sum(1 for x, y in zip(runs[k], ray_rows, strict=False) if x != y)
            for k in ("before", "after")}
    return {"records": len(ray_rows), "rows_equal": min(same.values()) == 0 and
            len(ray_rows) == len(runs["before"]),
            "rows_differing_from_local_before_after": [same["before"], same["after"]],
            "local_runs_equal": runs["before"] == runs["after"], "ray_records_per_s": rate}


def run_bench(cfg: BenchConfig) -> dict[str, Any]:
    pages = corpus_pages(cfg.corpora)
    with tempfile.TemporaryDirectory(dir=cfg.workdir, prefix="copydesk-bench-") as tmp:
        work = Path(tmp)
        result: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                  "corpus_pages": len(pages), "workers": cfg.workers}
        result["throughput"] = bench_throughput(cfg, pages, work)
        result["speed"] = bench_speedup(cfg, pages, work)
        result["extract_loop"] = bench_loop(cfg, pages)
        result["dedup"] = bench_dedup(cfg, work)
        result["resume"] = bench_resume(cfg, pages, work)
        if cfg.ray:
            result["ray"] = bench_ray(cfg, pages, work)
    return result


def _cpu(run: dict[str, Any]) -> float | None:
    """CPU seconds of a run after start-up (imports, model load): parent plus workers."""
    if "parent_cpu_s" not in run:
        return None
    parent = float(run["parent_cpu_s"]) - float(run.get("startup_cpu_s") or 0)
    return parent + float(run.get("workers_cpu_s") or 0)


def _ratio(a: float | None, b: float | None, minus_one: bool = False) -> float | None:
    if not a or not b:
        return None
    return round(a / b - (1 if minus_one else 0), 3)
