"""How a corpus run ended, as data: the engine returns it, `copydesk extract` (the
commands layer) prints it and turns it into an exit status. The library itself
never prints, exits or picks exit codes."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from copydesk.corpus.summary import Summary


class Outcome(enum.Enum):
    """Why a run ended (docs/corpus.md, Exit statuses, maps each to a status)."""

    COMPLETE = "complete"
    USAGE = "usage"  # the request cannot run as given (flags, a missing extra)
    OUTPUT_ERROR = "output error"
    RESUME_ERROR = "cannot resume"
    NO_INPUT = "no input could be read"
    ALL_ERRORS = "every row is an error"
    STRICT_ERRORS = "error rows with strict"
    INTERRUPTED = "interrupted"  # SIGINT
    TERMINATED = "terminated"  # SIGTERM


class RunFailed(Exception):
    """Raised inside a run that cannot go on (an engine's missing extra); the engine
    turns it into a RunResult."""

    def __init__(self, outcome: Outcome, message: str) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.message = message


@dataclass(slots=True)
class RunResult:
    """A run's end: the outcome, a message for the user when there is one, and the
    summary of a run that got as far as writing its rows (None before that)."""

    outcome: Outcome
    message: str | None = None
    summary: Summary | None = None
