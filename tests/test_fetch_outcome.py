"""How a fetch run's end becomes words and an exit status: the runner's typed result
(`fetcher.outcome`), mapped by the command layer (`commands.fetch_run.report`) with
`copydesk extract`'s table. No HTTP here: the results are built by hand."""

from __future__ import annotations

import io
import sys

import pytest

from copydesk.commands.corpus_run import EXIT_STATUS
from copydesk.commands.fetch_run import display_factory, report
from copydesk.commands.progress import FetchProgress
from copydesk.corpus.outcome import Outcome
from copydesk.fetcher.outcome import (
    FetchResult,
    FetchSummary,
    finished_outcome,
    nothing_fetched,
    nothing_fetched_message,
)


def _summary(outcome: str = "complete", **counts: int) -> FetchSummary:
    return FetchSummary(outcome=outcome, urls=sum(counts.values()), by_outcome=counts,
                        resumed_rows=0, seconds=1.25, warc="c.warc.gz", log="c.warc.gz.log.jsonl")


@pytest.mark.parametrize(("counts", "nothing"), [
    ({"fetched": 1, "http_4xx": 9, "robots fetched": 1}, False),
    ({"not_modified": 3}, False),  # unchanged since --previous: came back
    ({"http_4xx": 2, "timeout": 1, "robots fetched": 1}, True),  # robots.txt is not asked for
    ({"feed fetched": 1, "http_4xx": 2}, True),  # the feed came, none of its pages
    ({"feed fetched": 1}, False),  # a feed without entries: the feed is what was asked
    ({"sitemap http_5xx": 1, "robots fetched": 1}, True),
    ({"robots_disallowed": 4, "robots fetched": 1}, True),
    ({}, True),
])
def test_nothing_fetched_judges_what_was_asked_for(counts: dict[str, int], nothing: bool) -> None:
    assert nothing_fetched(counts) is nothing
    assert finished_outcome(counts) is (Outcome.ALL_ERRORS if nothing else Outcome.COMPLETE)


def test_the_message_names_what_failed() -> None:
    assert nothing_fetched_message({"http_4xx": 2, "timeout": 1, "robots fetched": 1}, "L") \
        == "nothing could be fetched: no page came back, 3 failed (reasons in L)"
    assert "no feed or sitemap came back, 1 failed" in \
        nothing_fetched_message({"feed timeout": 1}, "L")


@pytest.mark.parametrize(("outcome", "status"), [
    (Outcome.COMPLETE, 0), (Outcome.USAGE, 2), (Outcome.OUTPUT_ERROR, 3),
    (Outcome.RESUME_ERROR, 4), (Outcome.ALL_ERRORS, 6), (Outcome.INTERRUPTED, 130),
    (Outcome.TERMINATED, 143),
])
def test_each_outcome_maps_to_its_documented_status(outcome: Outcome, status: int,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert report(FetchResult(outcome, "why"), quiet=True) == status
    assert capsys.readouterr().err == "copydesk: why\n"


def test_every_outcome_has_a_status() -> None:
    assert set(EXIT_STATUS) == set(Outcome)


def test_summary_line_unless_quiet_and_the_message_always(
        capsys: pytest.CaptureFixture[str]) -> None:
    done = FetchResult(Outcome.ALL_ERRORS, "nothing could be fetched: ...",
                       _summary("nothing fetched", http_4xx=2))
    assert report(done, quiet=False) == 6
    assert capsys.readouterr().err.splitlines() == [
        "copydesk fetch: nothing fetched: 2 urls (http_4xx 2) in 1.2 s; log c.warc.gz.log.jsonl",
        "copydesk: nothing could be fetched: ..."]
    assert report(done, quiet=True) == 6
    assert capsys.readouterr().err == "copydesk: nothing could be fetched: ...\n"
    ok = FetchResult(Outcome.COMPLETE, None, _summary(fetched=1))
    assert report(ok, quiet=True) == 0 and capsys.readouterr().err == ""
    assert report(ok, quiet=False) == 0
    assert capsys.readouterr().err.startswith("copydesk fetch: complete: 1 urls (fetched 1)")


def test_failed_is_what_the_library_raises_on() -> None:
    assert {o for o in Outcome if FetchResult(o).failed} == {
        Outcome.USAGE, Outcome.OUTPUT_ERROR, Outcome.RESUME_ERROR}


class _Stderr(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize("tty", [False, True])
def test_a_bar_only_when_asked_or_on_a_terminal_and_never_quiet(
        tty: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", _Stderr(tty))
    assert display_factory(quiet=False, progress=True) is FetchProgress
    assert display_factory(quiet=True, progress=True) is None
    assert display_factory(quiet=False, progress=False) is None
    assert display_factory(quiet=False, progress=None) is (FetchProgress if tty else None)
    assert display_factory(quiet=True, progress=None) is None


def test_the_fetch_bar_counts_settled_urls(capsys: pytest.CaptureFixture[str]) -> None:
    bar = FetchProgress(every=0)
    bar.start_at(3)
    bar.update(10, {"fetched": 3, "http_4xx": 1})
    assert (bar.bar.n, bar.bar.total) == (4, 10)
    assert bar.bar.postfix == "fetched 3, http_4xx 1"
    bar.close()
    assert capsys.readouterr().err.startswith("\rfetch:")  # on stderr, never stdout
