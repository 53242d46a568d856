"""How a fetch run ended, as data: the runner returns a `FetchResult`, the commands
layer prints it and turns its `Outcome` into an exit status (the same table as
`copydesk extract`, `commands.corpus_run.EXIT_STATUS`). The library never prints,
exits or picks exit codes.

The outcomes a fetch can end with are the corpus run's (`corpus.outcome.Outcome`),
so one table maps both commands: COMPLETE, USAGE (OUT exists without --resume,
--previous without a log), OUTPUT_ERROR, RESUME_ERROR, INTERRUPTED / TERMINATED,
and ALL_ERRORS when nothing could be fetched (every URL has a row, and every
row is a failure): such a run must not look like a success to a script.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from copydesk.corpus.outcome import Outcome
from copydesk.fetcher import model as m

# The summary's word for a finished run (also kept in the state file, so that
# `--resume` on a finished run answers with the outcome it ended with).
FINISHED_WORDS: dict[Outcome, str] = {Outcome.COMPLETE: "complete",
                                      Outcome.ALL_ERRORS: "nothing fetched"}
INTERRUPTED_WORD = "interrupted"
# Outcomes of a run that could not be done or finished (usage, output, resume).
FAILURES = frozenset({Outcome.USAGE, Outcome.OUTPUT_ERROR, Outcome.RESUME_ERROR})
_CAME_BACK = (m.FETCHED, m.NOT_MODIFIED)


def _asked(counts: Mapping[str, int]) -> tuple[str, dict[str, int]]:
    """What the run was asked for, and its counts by outcome: its pages when it settled
    any, else its feeds and sitemaps (robots.txt is fetched on the crawler's behalf,
    never asked for). Keys are `crawl.outcome_key`s: bare for pages, `"feed fetched"`."""
    pages: dict[str, int] = {}
    listings: dict[str, int] = {}
    for key, n in counts.items():
        kind, _, outcome = key.rpartition(" ")
        if not kind:
            pages[outcome] = pages.get(outcome, 0) + n
        elif kind != m.ROBOTS_TXT:
            listings[outcome] = listings.get(outcome, 0) + n
    return ("page", pages) if pages else ("feed or sitemap", listings)


def nothing_fetched(counts: Mapping[str, int]) -> bool:
    """Whether nothing asked for came back (fetched, or not modified since --previous).

    A feed fetched whose every entry failed gave the caller nothing: pages decide
    when the run settled any; a run that settled no page (feeds or sitemaps without
    entries) is judged by its feeds and sitemaps.
    """
    _, asked = _asked(counts)
    return not any(asked.get(outcome, 0) for outcome in _CAME_BACK)


def nothing_fetched_message(counts: Mapping[str, int], log: str) -> str:
    noun, asked = _asked(counts)
    return f"nothing could be fetched: no {noun} came back, {sum(asked.values())} failed " \
           f"(reasons in {log})"


def finished_outcome(counts: Mapping[str, int]) -> Outcome:
    """The outcome of a run that was not stopped: complete, or nothing fetched."""
    return Outcome.ALL_ERRORS if nothing_fetched(counts) else Outcome.COMPLETE


@dataclass(slots=True)
class FetchSummary:
    """What `OUT.summary.json` holds and the summary line says."""

    outcome: str  # "complete", "nothing fetched" or "interrupted"
    urls: int
    by_outcome: dict[str, int]
    resumed_rows: int
    seconds: float
    warc: str
    log: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def report_line(self) -> str:
        """The one line the command prints on stderr."""
        parts = ", ".join(f"{k} {v}" for k, v in self.by_outcome.items())
        return (f"copydesk fetch: {self.outcome}: {self.urls} urls ({parts}) in "
                f"{self.seconds:.1f} s; log {self.log}")


@dataclass(slots=True)
class FetchResult:
    """A fetch run's end: the outcome, a message for the user when there is one, and
    the summary of a run that crawled (None when it was refused or already complete)."""

    outcome: Outcome
    message: str | None = None
    summary: FetchSummary | None = None

    @property
    def failed(self) -> bool:
        """The run could not be done or finished: a usage, output or resume problem
        (the library raises on these; a stopped run or nothing fetched is no failure
        of the call)."""
        return self.outcome in FAILURES
