"""Start-up costs, measured the way a user meets them (issue 14's bars).

    python -m copydesk_lab.startup [--repeat 5] [--page examples/harbour-wind-farm.html]

Each figure is a fresh process, run `--repeat` times; the median wall time
and the median CPU time (user + system of the process and its workers) are
printed, the CPU time being the one to read on a loaded machine.

- `import copydesk`: `python -c "import copydesk"` (and, beside it, a bare
  `python -c pass`, the interpreter's own start);
- first `copydesk extract PAGE` after an install: numba's cache pointed at an
  empty folder (`NUMBA_CACHE_DIR`), so any text-kernel compilation would be
  paid here; with `--cold-bytecode` Python's bytecode cache is empty too
  (`PYTHONPYCACHEPREFIX`), as after an install that compiled none;
- a later one-page `copydesk extract PAGE`: the same command again.
Bars (issue 14): < 0.3 s, < 5 s, < 1.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
DEFAULT_PAGE = REPO / "examples" / "harbour-wind-farm.html"
BARS = {"import copydesk": 0.3, "first extract (empty numba cache)": 5.0,
        "later one-page extract": 1.5}


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float


def timed(argv: list[str], env: dict[str, str] | None = None) -> Timing:
    """Wall and CPU seconds (children's user + system) of one process run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu)


def median(runs: list[Timing]) -> Timing:
    return Timing(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs))


def cli(page: Path) -> list[str]:
    return [sys.executable, "-m", "copydesk.cli", "extract", str(page), "-q", "--no-progress"]


def first_extract(page: Path, cold_bytecode: bool) -> Timing:
    """One run with an empty numba cache (and optionally an empty bytecode cache)."""
    with tempfile.TemporaryDirectory(prefix="copydesk-startup-") as tmp:
        env = {**os.environ, "NUMBA_CACHE_DIR": str(Path(tmp) / "numba")}
        if cold_bytecode:
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pyc")
        return timed(cli(page), env)


def measure(page: Path, repeat: int, cold_bytecode: bool) -> dict[str, Timing]:
    python = [sys.executable, "-c"]
    out = {"python -c pass": median([timed([*python, "pass"]) for _ in range(repeat)]),
           "import copydesk": median([timed([*python, "import copydesk"])
                                      for _ in range(repeat)])}
    out["first extract (empty numba cache)"] = median(
        [first_extract(page, cold_bytecode) for _ in range(repeat)])
    timed(cli(page))  # the caches a later call finds
    out["later one-page extract"] = median([timed(cli(page)) for _ in range(repeat)])
    return out


def report(results: dict[str, Timing], repeat: int) -> str:
    load = os.getloadavg()[0]
    lines = [f"copydesk start-up, median of {repeat} fresh processes (load {load:.1f})",
             f"{'what':<36} {'wall s':>7} {'cpu s':>7} {'bar s':>6}"]
    for name, t in results.items():
        bar = BARS.get(name)
        lines.append(f"{name:<36} {t.wall:>7.3f} {t.cpu:>7.3f} "
                     f"{'' if bar is None else f'{bar:g}':>6}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m copydesk_lab.startup",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", type=Path, default=DEFAULT_PAGE)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cold-bytecode", action="store_true",
                        help="also start the first extract with an empty bytecode cache")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    results = measure(args.page, max(1, args.repeat), args.cold_bytecode)
    if args.json:
        print(json.dumps({k: vars(v) for k, v in results.items()}, indent=1))
    else:
        print(report(results, max(1, args.repeat)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
