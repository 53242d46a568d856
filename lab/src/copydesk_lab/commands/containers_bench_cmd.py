"""`copydesk bench-containers`: the bars of issue 13 on a generated mixed corpus.

Builds `copydesk_lab.corpus.mixed` (WARC, WARC.gz, whole-file gzipped WARC,
WET, JSONL, a wget-style mirror, 2% hostile records) and runs `copydesk
extract` on it as a user would (subprocesses): every input exactly once, no
id collision, 404/302 never ok, script-first HTML never read as text; ids
identical between compressed and uncompressed copies; the exit statuses of
the documented scenarios; WET records/s with one worker; five SIGKILLs then
`--resume` against an uninterrupted run; Ray rows against local rows.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from copydesk_lab.corpus import mixed


def register(sub: Any) -> None:
    p = sub.add_parser("bench-containers",
                       help="issue-13 bars on a generated mixed corpus (WARC, WET, JSONL, ...)")
    p.add_argument("--records", type=int, default=10_000, help="input records of the corpus")
    p.add_argument("--wet-records", type=int, default=10_000, help="records of the WET file")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--kills", type=int, default=5)
    p.add_argument("--ray", action="store_true", help="also compare Ray rows with local rows")
    p.add_argument("--workdir", default=None)
    p.add_argument("--json", default=None, metavar="PATH")
    p.set_defaults(func=run)


def _extract(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "copydesk.cli", "extract", *args, "--no-progress"]
    return subprocess.run(cmd, capture_output=True, text=True, env=env)


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def run(args: argparse.Namespace) -> int:
    root = Path(args.workdir or tempfile.mkdtemp(prefix="copydesk-containers-"))
    root.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"records": args.records, "workers": args.workers}
    began = time.monotonic()
    manifest = mixed.build(root, args.records)
    report["build_s"] = round(time.monotonic() - began, 1)
    workers = ["--workers", str(args.workers)]
    out = root / "full.jsonl"
    done = _extract(str(root / "in"), "-o", str(out), *workers)
    report["exit_status"] = done.returncode
    rows = _rows(out)
    report["check"] = mixed.check(rows, manifest)
    report["summary"] = json.loads((root / "full.jsonl.summary.json").read_text())["status"]
    report["compressed_ids"] = _compressed_ids(root)
    report["exit_statuses"] = _exit_scenarios(root, str(out))
    report["wet"] = _wet_speed(root, args.wet_records)
    report["resume"] = _kills(root, rows, args.kills, workers)
    if args.ray:
        ray_out = root / "ray.jsonl"
        _extract(str(root / "in"), "-o", str(ray_out), "--engine", "ray", *workers)
        report["ray_rows_equal"] = _rows(ray_out) == rows
    print(json.dumps(report, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    return 0


def _compressed_ids(root: Path) -> dict[str, Any]:
    """The same 500 records as WARC.gz (per record), WARC, and whole-file gzip."""
    copies = root / "copies"
    copies.mkdir(exist_ok=True)
    buf = io.BytesIO()
    mixed._warc_records("copy", 500, random.Random(1), mixed.Manifest(),
                        mixed._Writer(buf, True), 0)
    (copies / "x.warc.gz").write_bytes(buf.getvalue())
    plain = gzip.decompress(buf.getvalue())
    (copies / "x.warc").write_bytes(plain)
    (copies / "x-whole.warc.gz").write_bytes(gzip.compress(plain))
    ids = {}
    for name in ("x.warc.gz", "x.warc", "x-whole.warc.gz"):
        out = copies / f"{name}.jsonl"
        _extract(str(copies / name), "-o", str(out), "--workers", "1")
        ids[name] = [r["id"] for r in _rows(out)]
    same = ids["x.warc.gz"] == ids["x.warc"] == ids["x-whole.warc.gz"]
    return {"records": len(ids["x.warc"]), "identical": same}


def _exit_scenarios(root: Path, out: str) -> dict[str, Any]:
    bad = root / "bad.jsonl"
    bad.write_text("\n".join(json.dumps({"html": "<p>x</p>"}) for _ in range(20)) + "\n")
    cases = {
        "complete (0)": ([str(root / "in" / "crawl" / "a.warc")], 0),
        "missing input (5)": ([str(root / "nope.html")], 5),
        "every row an error (6)": ([str(bad)], 6),
        "--strict with error rows (7)": ([str(root / "in" / "crawl" / "a.warc"), "--strict"], 7),
        "unknown output extension (2)": ([str(bad), "-o", str(root / "x.csv")], 2),
        "output inside the input folder (2)": ([str(root / "in"), "-o",
                                               str(root / "in" / "o.jsonl")], 2),
    }
    got = {}
    for name, (args, want) in cases.items():
        target = [] if "-o" in args else ["-o", str(root / "scenario.jsonl")]
        code = _extract(*args, *target, "--workers", "1", "-q").returncode
        got[name] = {"exit": code, "as_documented": code == want}
    return got


def _wet_speed(root: Path, records: int) -> dict[str, Any]:
    """The same dumps as one WET file and as text files in a folder, each read by
    `copydesk extract --workers 1`, alternated twice (best run counts): the WET path
    against the text path on files, on the same machine at the same time."""
    rng = random.Random(7)
    path = root / "speed.warc.wet.gz"
    folder = root / "speed-txt"
    folder.mkdir(exist_ok=True)
    with open(path, "wb") as handle:
        w = mixed._Writer(handle, True)
        for i in range(records):
            text = mixed.dump(i, rng)
            w.conversion(f"http://wet.example/{i}", text)
            (folder / f"{i:06d}.txt").write_bytes(text)
    runs: dict[str, list[float]] = {"wet": [], "txt": []}
    statuses: dict[str, Any] = {}
    for _ in range(2):
        for name, source in (("wet", path), ("txt", folder)):
            out = root / f"speed-{name}.jsonl"
            done = _extract(str(source), "-o", str(out), "--workers", "1")
            summary = json.loads((root / f"speed-{name}.jsonl.summary.json").read_text())
            runs[name].append(summary["records_per_second"])
            statuses[name] = {"exit": done.returncode, "status": summary["status"]}
    best = {name: max(values) for name, values in runs.items()}
    return {"records": records, "records_per_second": best, "runs": runs,
            "wet_over_txt": round(best["wet"] / max(best["txt"], 1e-9), 2), "status": statuses}


def _kills(root: Path, expected: list[dict[str, Any]], kills: int,
           workers: list[str]) -> dict[str, Any]:
    out = root / "killed.jsonl"
    rng = random.Random(5)
    cmd = [sys.executable, "-m", "copydesk.cli", "extract", str(root / "in"), "-o", str(out),
           "--shard-records", "200", "--no-progress", "-q", *workers]
    moments = []
    for k in range(kills):
        proc = subprocess.Popen(cmd + (["--resume"] if k else []), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        moment = rng.uniform(4, 12)
        time.sleep(moment)
        moments.append(round(moment, 1))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    final = subprocess.run([*cmd, "--resume"], capture_output=True, text=True)
    rows = _rows(out) if out.exists() else []
    return {"kills_after_s": moments, "final_exit": final.returncode,
            "identical_to_uninterrupted": rows == expected, "rows": len(rows)}
