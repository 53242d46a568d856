"""Run extractors over the pages of a dataset, one after the other, and score them.

Timing covers only the extraction calls (`time.perf_counter` around each
call, summed): loading, scoring and memory bookkeeping are outside it. With
`repeat > 1` the pages are run again and the fastest total is kept (the
least disturbed by other work on the machine); predictions come from the
first pass. The suites time the repeats in rounds (`timing_rounds`): every
extractor once per round, one after the other, so a burst of load from
another job slows one pass of each tool rather than all passes of one.
Each extractor first runs once on the first page, untimed and outside the
memory measure, so lazy imports and caches are not charged to the pages
(what that first call added is kept apart as `first_use_mib`). CPU time of
the calling thread (`time.thread_time`) is summed beside wall time: on a
shared, loaded machine it is the steadier figure (it leaves out time spent
waiting for a core).
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from copydesk_lab.bench.datasets import Page
from copydesk_lab.bench.memory import PeakMemory, tracemalloc_peak
from copydesk_lab.bench.metric import PageScore, corpus_score, score_page
from copydesk_lab.bench.peers import Extractor
from copydesk_lab.bench.wordf1 import WordResult, word_result

Progress = Callable[[str], None]


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(slots=True)
class TextResult:
    """One extractor on one dataset: scores, speed, memory, failures."""

    extractor: str
    version: str
    pages: int
    precision: float
    recall: float
    f1: float
    accuracy: float
    precision_std: float
    recall_std: float
    f1_std: float
    seconds: float
    pages_per_s: float
    cpu_seconds: float
    pages_per_cpu_s: float
    peak_rss_mib: float
    first_use_mib: float
    memory_method: str
    failures: int
    tracemalloc_mib: float | None = None
    process_peak_mib: float | None = None  # with --memory isolated: whole-process VmHWM
    speed_vs_trafilatura: float | None = None
    cpu_speed_vs_trafilatura: float | None = None
    failure_examples: list[str] = field(default_factory=list)
    word: WordResult | None = None  # WCXB metric, on datasets whose pages have a page type

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class _Pass:
    predictions: list[str]
    seconds: float
    cpu_seconds: float
    failures: list[str]


def _timed_pass(extractor: Extractor, pages: Sequence[Page]) -> _Pass:
    predictions, failures, total, cpu_total = [], [], 0.0, 0.0
    clock, cpu_clock = time.perf_counter, time.thread_time
    for page in pages:
        start, cpu_start = clock(), cpu_clock()
        try:
            text = extractor.text(page)
        except Exception as exc:
            text = ""
            failures.append(f"{page.id}: {type(exc).__name__}: {str(exc)[:120]}")
        total += clock() - start
        cpu_total += cpu_clock() - cpu_start
        predictions.append(text if isinstance(text, str) else "")
    return _Pass(predictions, total, cpu_total, failures)


def _warm_up(extractor: Extractor, pages: Sequence[Page]) -> None:
    with contextlib.suppress(Exception):
        extractor.text(pages[0])


def run_text(extractor: Extractor, pages: Sequence[Page], *, repeat: int = 1,
             bootstrap: int = 1000, trace: bool = False) -> tuple[TextResult, list[str]]:
    """Run `extractor` over `pages`; returns its result and its predictions."""
    if not pages:
        raise ValueError("no pages to run")
    with PeakMemory() as first_use:
        _warm_up(extractor, pages)
    with PeakMemory() as mem:
        first = _timed_pass(extractor, pages)
        best, best_cpu = first.seconds, first.cpu_seconds
        for _ in range(max(0, repeat - 1)):
            again = _timed_pass(extractor, pages)
            best, best_cpu = min(best, again.seconds), min(best_cpu, again.cpu_seconds)
    traced = tracemalloc_peak(lambda: _timed_pass(extractor, pages)) if trace else None
    scores = score_pages(first.predictions, pages)
    corpus = corpus_score(scores, bootstrap=bootstrap)
    result = TextResult(
        extractor=extractor.name, version=extractor.version(), pages=len(pages),
        precision=corpus.precision, recall=corpus.recall, f1=corpus.f1,
        accuracy=corpus.accuracy, precision_std=corpus.precision_std,
        recall_std=corpus.recall_std, f1_std=corpus.f1_std, seconds=best,
        pages_per_s=_rate(len(pages), best), cpu_seconds=best_cpu,
        pages_per_cpu_s=_rate(len(pages), best_cpu),
        peak_rss_mib=mem.result.peak_mib, first_use_mib=first_use.result.peak_mib,
        memory_method=mem.result.method,
        failures=len(first.failures), tracemalloc_mib=traced,
        failure_examples=first.failures[:5],
        word=typed_word_result(first.predictions, pages),
    )
    return result, first.predictions


def retime(result: TextResult, extractor: Extractor, pages: Sequence[Page]) -> None:
    """One more timed pass; keep it in `result` when it is faster (wall and CPU apart)."""
    again = _timed_pass(extractor, pages)
    if again.seconds < result.seconds:
        result.seconds, result.pages_per_s = again.seconds, _rate(len(pages), again.seconds)
    if again.cpu_seconds < result.cpu_seconds:
        result.cpu_seconds = again.cpu_seconds
        result.pages_per_cpu_s = _rate(len(pages), again.cpu_seconds)


def timing_rounds(runs: Sequence[tuple[TextResult, Extractor]], pages: Sequence[Page],
                  rounds: int) -> None:
    """`rounds` more timed passes of every extractor, interleaved (see the module docstring)."""
    for _ in range(max(0, rounds)):
        for result, extractor in runs:
            retime(result, extractor, pages)


def _rate(pages: int, seconds: float) -> float:
    return pages / seconds if seconds > 0 else float("inf")


def score_pages(predictions: Sequence[str], pages: Sequence[Page]) -> list[PageScore]:
    """AEB page scores of `predictions` against the pages' gold bodies."""
    return [score_page(pred, page.gold_text or "") for pred, page in zip(predictions, pages,
                                                                           strict=True)]


def typed_word_result(predictions: Sequence[str], pages: Sequence[Page]) -> WordResult | None:
    """The WCXB word metric when the pages carry gold page types (else None)."""
    if not any(page.page_type for page in pages):
        return None
    return word_result(predictions, [p.gold_text for p in pages], [p.page_type for p in pages],
                       [p.must_have for p in pages], [p.must_not for p in pages])


def add_speed_ratios(results: list[TextResult], reference: str = "trafilatura") -> None:
    """Fill the speed ratios (pages/s over the reference's, wall and CPU) when it ran."""
    ref = next((r for r in results if r.extractor == reference), None)
    if ref is None or ref.pages_per_s <= 0 or ref.pages_per_cpu_s <= 0:
        return
    for result in results:
        result.speed_vs_trafilatura = result.pages_per_s / ref.pages_per_s
        result.cpu_speed_vs_trafilatura = result.pages_per_cpu_s / ref.pages_per_cpu_s
