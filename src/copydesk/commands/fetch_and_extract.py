"""`copydesk fetch ... --extract ROWS`: the fetch child and the corpus engine, together.

Exit status: the fetch's when it is not 0 (interrupted, output error, nothing
fetched), else the engine's. An interrupted pair resumes with the same command
plus `--resume`: the fetch from its log, the extraction from its shard journal.
A fetch already complete is not run again, but its extraction is finished from
the WARC as it stands (the fetch may have completed while the extraction was
stopped).
"""

from __future__ import annotations

import argparse
import os
import signal
from collections.abc import Callable

from copydesk.commands.corpus_run import EXIT_USAGE, run, say
from copydesk.commands.fetch_extract import FetchChild, live_items
from copydesk.commands.fetch_run import report
from copydesk.corpus.config import RunConfig
from copydesk.fetcher.fetchlog import side_path
from copydesk.fetcher.runner import FetchJob, Run


def run_with_extract(job: FetchJob, args: argparse.Namespace) -> int:
    if os.path.abspath(args.extract) == os.path.abspath(job.output):
        say("--extract ROWS must differ from -o OUT")
        return EXIT_USAGE
    fetch = Run(job)  # no fetch bar: the engine's progress line shows the rows
    ended = fetch.prepare()  # refusals (exists, cannot resume) before anything starts
    if ended is not None:
        fetched = report(ended, args.quiet)
        if ended.failed:
            return fetched
        return _combine(fetched, run(_engine_config(job, args, lambda: False)))
    child = FetchChild(lambda: report(fetch.execute(), args.quiet))
    try:
        extracted = run(_engine_config(job, args, child.running))
    finally:
        if child.running():
            child.stop(signal.SIGTERM)
    return _combine(child.wait(), extracted)


def _engine_config(job: FetchJob, args: argparse.Namespace,
                   running: Callable[[], bool]) -> RunConfig:
    """The corpus run on the WARC, following its fetch log while `running()`."""
    return RunConfig(inputs=[os.path.abspath(job.output)], output=args.extract,
                     workers=args.workers or (os.cpu_count() or 1), resume=job.resume,
                     live=lambda: live_items(job.output, side_path(job.output, "log.jsonl"),
                                             running),
                     progress=False if args.no_progress else None, quiet=args.quiet)


def _combine(fetched: int, extracted: int) -> int:
    return fetched if fetched != 0 else extracted
