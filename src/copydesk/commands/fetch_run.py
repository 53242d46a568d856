"""A fetch run as a command: print what the runner reports, return the exit status.

`fetcher.runner` returns how the run ended (`fetcher.outcome.FetchResult`); this
module is where that becomes words on stderr and a number for the shell, with
the table `copydesk extract` uses (`corpus_run.EXIT_STATUS`; docs/fetch.md).
Imported when `copydesk fetch` runs (the runner brings httpx).
"""

from __future__ import annotations

import sys

from copydesk.commands.corpus_run import EXIT_STATUS, say
from copydesk.commands.progress import FetchProgress
from copydesk.fetcher.outcome import FetchResult
from copydesk.fetcher.runner import DisplayFactory, FetchJob, run_job


def run_fetch(job: FetchJob, quiet: bool = False, progress: bool | None = None) -> int:
    """Run the job with a progress bar on a terminal; report; the exit status."""
    return report(run_job(job, display=display_factory(quiet, progress)), quiet)


def display_factory(quiet: bool, progress: bool | None) -> DisplayFactory | None:
    """A bar when stderr is a terminal (or `progress` says so), never when quiet."""
    show = sys.stderr.isatty() if progress is None else progress
    return FetchProgress if show and not quiet else None


def report(result: FetchResult, quiet: bool) -> int:
    """The summary line (unless quiet), then the message (always: why the run stopped,
    was refused or fetched nothing); returns the exit status."""
    if result.summary is not None and not quiet:
        print(result.summary.report_line(), file=sys.stderr)
    if result.message:
        say(result.message)
    return EXIT_STATUS[result.outcome]
