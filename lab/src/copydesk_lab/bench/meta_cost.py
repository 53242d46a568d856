"""What metadata costs per page, in one process: `python -m copydesk_lab.bench.meta_cost`.

The same measurement as `copydesk bench --metadata`'s overhead line
(`meta.metadata_overhead`: extract() with metadata on and off, alternating,
best of N passes, thread CPU time), without the peers and the scoring, so a
before/after of a metadata change is one command of a few seconds per set.
Prints, per set, ms/page with and without metadata and the overhead share.
`--profile` adds the metadata functions that cost most (cProfile over one
pass with metadata on), to find what to make cheaper.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from collections.abc import Sequence

from copydesk_lab.bench import datasets
from copydesk_lab.bench.meta import Overhead, metadata_overhead
from copydesk_lab.bench.peers import Copydesk


def measure(name: str, repeat: int, limit: int | None, corpora: str | None) -> Overhead:
    """Best-of-`repeat` overhead of metadata on one dataset's pages."""
    pages = datasets.load(name, corpora, need_text=False)[: limit or None]
    return metadata_overhead(pages, repeat=repeat)


def line(name: str, result: Overhead) -> str:
    on = 1000 * result.cpu_on / max(result.pages, 1)
    off = 1000 * result.cpu_off / max(result.pages, 1)
    return (f"{name:12s} {result.pages:5d} pages  metadata on {on:6.2f} ms/page  "
            f"off {off:6.2f} ms/page  overhead {result.percent:+6.1f}%")


def profile(name: str, limit: int | None, corpora: str | None, top: int) -> None:
    """cProfile of one metadata-on pass, restricted to the metadata package."""
    pages = datasets.load(name, corpora, need_text=False)[: limit or None]
    own = Copydesk(with_metadata=True)
    own.setup()
    for page in pages[:5]:
        own.text(page)  # warm caches outside the profile
    prof = cProfile.Profile()
    prof.enable()
    for page in pages:
        own.text(page)
    prof.disable()
    stats = pstats.Stats(prof, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(r"copydesk/metadata", top)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="aeb,readability,newspaper4k,wcxb")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--corpora", default=None)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    for name in args.sets.split(","):
        if args.profile:
            profile(name, args.limit, args.corpora, args.top)
        else:
            print(line(name, measure(name, args.repeat, args.limit, args.corpora)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
