"""A corpus run as a command: print what the engine reports, return the exit status.

`corpus.engine.execute` returns how the run ended (`corpus.outcome`); this module
is where that becomes words on stderr and a number for the shell (docs/corpus.md,
Exit statuses), for `copydesk extract` and `copydesk fetch --extract` alike.
"""

from __future__ import annotations

import sys

from copydesk.commands.progress import Progress, show_progress
from copydesk.corpus.config import RunConfig
from copydesk.corpus.engine import execute
from copydesk.corpus.outcome import Outcome, RunResult

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_OUTPUT = 3
EXIT_RESUME = 4
EXIT_NO_INPUT = 5  # no input record could be read (every input missing or unreadable)
EXIT_ALL_ERRORS = 6  # every row is an error
EXIT_STRICT = 7  # --strict and at least one error row
EXIT_SIGINT = 130
EXIT_SIGTERM = 143

EXIT_STATUS: dict[Outcome, int] = {
    Outcome.COMPLETE: EXIT_OK,
    Outcome.USAGE: EXIT_USAGE,
    Outcome.OUTPUT_ERROR: EXIT_OUTPUT,
    Outcome.RESUME_ERROR: EXIT_RESUME,
    Outcome.NO_INPUT: EXIT_NO_INPUT,
    Outcome.ALL_ERRORS: EXIT_ALL_ERRORS,
    Outcome.STRICT_ERRORS: EXIT_STRICT,
    Outcome.INTERRUPTED: EXIT_SIGINT,
    Outcome.TERMINATED: EXIT_SIGTERM,
}


def run(cfg: RunConfig) -> int:
    """Run the job with notices and a progress bar on stderr; returns the exit status."""
    if cfg.notify is None:
        cfg.notify = say
    if cfg.progress_display is None and show_progress(cfg.quiet, cfg.progress, cfg.output):
        cfg.progress_display = lambda summary, stats: Progress(summary, True, stats)
    result = execute(cfg)
    report(result, cfg.quiet)
    return EXIT_STATUS[result.outcome]


def report(result: RunResult, quiet: bool) -> None:
    """The summary (unless quiet), then the message; a usage or output problem is
    printed even when quiet."""
    if result.summary is not None and not quiet:
        for line in result.summary.report_lines():
            print(line, file=sys.stderr)
    if result.message and (not quiet or result.summary is None):
        say(result.message)


def say(message: str) -> None:
    print(f"copydesk: {message}", file=sys.stderr)
