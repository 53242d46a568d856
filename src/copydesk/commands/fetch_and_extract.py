"""`copydesk fetch ... --extract ROWS`: the fetch child and the corpus engine, together.

Exit status: the fetch's when it is not 0 (interrupted, output error), else
the engine's. An interrupted pair resumes with the same command plus
`--resume`: the fetch from its log, the extraction from its shard journal.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys

from copydesk.commands.corpus_run import EXIT_USAGE, run
from copydesk.commands.fetch_extract import FetchChild, live_items
from copydesk.corpus.config import RunConfig
from copydesk.fetcher.fetchlog import side_path
from copydesk.fetcher.runner import FetchJob, Run


def run_with_extract(job: FetchJob, args: argparse.Namespace) -> int:
    if os.path.abspath(args.extract) == os.path.abspath(job.output):
        print("copydesk: --extract ROWS must differ from -o OUT", file=sys.stderr)
        return EXIT_USAGE
    job.progress = False  # the engine's progress line shows the rows
    fetch = Run(job)
    status = fetch.prepare()  # refusals (exists, cannot resume) before anything starts
    if status is not None:
        return status
    child = FetchChild(fetch.execute)
    cfg = RunConfig(inputs=[os.path.abspath(job.output)], output=args.extract,
                    workers=args.workers or (os.cpu_count() or 1), resume=job.resume,
                    live=lambda: live_items(job.output, side_path(job.output, "log.jsonl"),
                                            child.running),
                    progress=False if args.no_progress else None, quiet=args.quiet)
    try:
        extracted = run(cfg)
    finally:
        if child.running():
            child.stop(signal.SIGTERM)
    fetched = child.wait()
    return fetched if fetched != 0 else extracted
