"""Peak memory of one extractor in a fresh process (`copydesk bench --memory isolated`).

In one shared process the figures depend a little on the order the tools
run in (allocator state, caches of libraries two tools share). Here each
extractor gets a new interpreter: import it, load the pages, run the first
page once, settle, then run every page and report the RSS high-water mark
growth (`peak_mib`) and the process's whole high-water mark
(`process_peak_mib`: interpreter + imports + loaded pages + work). Not timed.

Usage (internal): python -m copydesk_lab.bench.memprobe CORPORA DATASET EXTRACTOR LIMIT [metadata]
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from copydesk_lab.bench import datasets
from copydesk_lab.bench.memory import PeakMemory, hwm_bytes
from copydesk_lab.bench.peers import Copydesk, Extractor, load_peers

_MIB = 1024 * 1024


def _extractor(name: str, with_metadata: bool) -> Extractor:
    if name == "copydesk":
        own = Copydesk(with_metadata=with_metadata)
        own.setup()
        return own
    ready, notes = load_peers([name])
    if not ready:
        raise SystemExit("; ".join(notes))
    return ready[0]


def probe(corpora: str, dataset: str, name: str, limit: int, with_metadata: bool) -> dict[str, Any]:
    """Run `name` over the dataset in this process and measure it (call in a fresh process)."""
    extractor = _extractor(name, with_metadata)
    pages = datasets.load(dataset, corpora)
    pages = pages[:limit] if limit > 0 else pages
    failures = 0
    try:
        extractor.text(pages[0])
    except Exception:
        failures += 1
    with PeakMemory() as mem:
        for page in pages:
            try:
                extractor.text(page)
            except Exception:
                failures += 1
    return {"peak_mib": mem.result.peak_mib, "process_peak_mib": hwm_bytes() / _MIB,
            "method": f"isolated process, {mem.result.method}"}


def isolated_memory(corpora: Path, dataset: str, name: str, limit: int | None,
                    with_metadata: bool = False) -> dict[str, Any]:
    """Run `probe` in a child interpreter; {} (and a reason) when it fails."""
    cmd = [sys.executable, "-m", "copydesk_lab.bench.memprobe", str(corpora), dataset, name,
           str(limit or 0)] + (["metadata"] if with_metadata else [])
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=3600, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1][:200]}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def main(argv: list[str]) -> int:
    corpora, dataset, name, limit = argv[:4]
    print(json.dumps(probe(corpora, dataset, name, int(limit), "metadata" in argv[4:])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
