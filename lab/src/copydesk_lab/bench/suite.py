"""The two benchmark suites behind `copydesk bench`: body text (default) and `--metadata`.

Each returns a JSON-ready dict (also what `--json OUT` writes) and the text
to print. Every dataset's pages are loaded once and given to every extractor
in the same order, in this one process.
"""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from copydesk_lab.bench import datasets, report
from copydesk_lab.bench.memprobe import isolated_memory
from copydesk_lab.bench.meta import gold_fields, metadata_overhead, page_rows, run_metadata
from copydesk_lab.bench.metric import page_precision, page_recall
from copydesk_lab.bench.peers import (
    META_PEERS,
    TEXT_PEERS,
    Copydesk,
    CopydeskFolds,
    CopydeskRules,
    Extractor,
    load_peers,
)
from copydesk_lab.bench.runner import (
    Progress,
    TextResult,
    add_speed_ratios,
    run_text,
    score_pages,
    stderr_progress,
    timing_rounds,
)
from copydesk_lab.bench.strip import strip_structured
from copydesk_lab.bench.wordf1 import score_words

MEMORY_NOTE = ("peak RSS growth over a baseline taken after gc + malloc_trim and one "
               "untimed warm-up page, just before each extractor's timed pass (Linux VmHWM "
               "reset via /proc/self/clear_refs; 2 ms RSS sampling where that is refused); "
               "all tools in one process")
ISOLATED_MEMORY_NOTE = ("peak RSS growth (VmHWM) over one pass of the dataset, each tool in a "
                        "fresh process after import, page loading and one warm-up page; after "
                        "'/' the whole process's peak")
# Defaults of each mode; any name of datasets.DATASETS may be asked for with --dataset.
HTML_DATASETS: tuple[str, ...] = ("aeb", "readability", "newspaper4k", "wcxb")
META_DATASETS: tuple[str, ...] = ("readability", "newspaper4k", "wcxb")


@dataclass(slots=True)
class SuiteOptions:
    """What to run; mirrors the CLI options of `copydesk bench`."""

    corpora: Path
    datasets: list[str]
    peers: list[str] | None  # None: every installed peer of the mode
    command: str
    limit: int | None = None
    repeat: int = 1
    bootstrap: int = 1000
    tracemalloc: bool = False
    copydesk_metadata: bool = False
    memory: str = "inprocess"  # or "isolated": peak memory from a fresh process per tool
    cv_models: Path | None = None  # fold models: adds the out-of-fold and rules-only rows
    strip_structured: bool = False  # --metadata on pages without structured metadata (strip.py)
    pages_out: TextIO | None = None  # per-page scores, one JSON line each (error analysis)
    progress: Progress = stderr_progress
    notes: list[str] = field(default_factory=list)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")),
                       cpu)
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def info(opts: SuiteOptions) -> dict[str, Any]:
    note = ISOLATED_MEMORY_NOTE if opts.memory == "isolated" else MEMORY_NOTE
    return {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "command": opts.command,
            "machine": machine(), "memory_note": note}


def resolve_datasets(requested: str | None, default: Sequence[str], corpora: Path) -> list[str]:
    """Dataset names from a comma list (default: those of `default` that are present).

    Raises ValueError on unknown names, FileNotFoundError on missing folders.
    """
    if not requested:
        present = [n for n in default if (corpora / n).is_dir()]
        if not present:
            raise FileNotFoundError(f"no dataset folder ({', '.join(default)}) under {corpora}")
        return present
    names = [n.strip() for n in requested.split(",") if n.strip()]
    unknown = [n for n in names if n not in datasets.DATASETS]
    if unknown:
        raise ValueError(f"unknown dataset(s) {', '.join(unknown)}; "
                         f"known: {', '.join(datasets.DATASETS)}")
    missing = [n for n in names if not (corpora / n).is_dir()]
    if missing:
        raise FileNotFoundError(f"dataset folder(s) not found under {corpora}: "
                                f"{', '.join(missing)}")
    return names


def _load(name: str, opts: SuiteOptions, need_text: bool) -> list[datasets.Page]:
    pages = datasets.load(name, opts.corpora, need_text=need_text)
    return pages[: opts.limit] if opts.limit else pages


def run_html_suite(opts: SuiteOptions, as_markdown: bool = False) -> tuple[dict[str, Any], str]:
    """Body-text benchmark: copydesk then each peer, per dataset."""
    peers, notes = load_peers(list(TEXT_PEERS) if opts.peers is None else opts.peers)
    notes += [f"{p.name}: skipped, it extracts no body text"
              for p in peers if p.name not in TEXT_PEERS]
    peers = [p for p in peers if p.name in TEXT_PEERS]
    for note in notes:
        opts.progress(note)
    own = Copydesk(with_metadata=opts.copydesk_metadata)
    own.setup()
    extractors: list[Extractor] = [own, *_fold_rows(opts), *peers]
    head = info(opts)
    out: dict[str, Any] = {**head, "mode": "html", "notes": notes + opts.notes, "datasets": {}}
    sections = [report.preamble(head, as_markdown)]
    for name in opts.datasets:
        pages = _load(name, opts, need_text=True)
        if not pages:
            notes.append(f"{name}: no page with a gold body, skipped")
            continue
        results = []
        for ex in extractors:
            opts.progress(f"[{name}] {ex.name}: {len(pages)} pages ...")
            result, predictions = run_text(ex, pages, repeat=1,
                                           bootstrap=opts.bootstrap, trace=opts.tracemalloc)
            if opts.pages_out is not None:
                _write_page_rows(opts.pages_out, ex.name, pages, predictions)
            if opts.memory == "isolated":
                _isolated_memory(result, opts, name)
            opts.progress(f"[{name}] {ex.name}: F1 {result.f1:.3f}, "
                          f"{result.pages_per_s:.1f} pages/s, peak {result.peak_rss_mib:.1f} MiB, "
                          f"{result.failures} failures")
            results.append(result)
        if opts.repeat > 1:
            opts.progress(f"[{name}] {opts.repeat - 1} more timing round(s), tools interleaved")
            timing_rounds(list(zip(results, extractors, strict=True)), pages, opts.repeat - 1)
        add_speed_ratios(results)
        typed = page_type_accuracy(extractors, pages)
        out["datasets"][name] = {"pages": len(pages), "results": [r.to_dict() for r in results],
                                 **({"page_type_accuracy": typed} if typed else {})}
        sections.append(report.render_text_section(name, len(pages), results, as_markdown))
        if typed:
            sections.append(f"page-type accuracy ({sum(bool(p.page_type) for p in pages)} pages "
                            "with a gold type): " + ", ".join(f"{k} {v:.3f}"
                                                              for k, v in typed.items()))
    sections += [f"note: {n}" for n in notes]
    out["notes"] = notes + opts.notes
    return out, "\n".join(sections)


def page_type_accuracy(extractors: Sequence[Extractor], pages: Sequence[datasets.Page]
                       ) -> dict[str, float]:
    """Share of the pages with a gold page type that each copydesk row typed right.

    `copydesk` types with the shipped page-type model (in sample: it saw every
    site); `copydesk (cv)` with the fold model that did not see the page's site
    (out of fold). The rules-only row types as `copydesk` does, so it is left out.
    """
    gold = [p for p in pages if p.page_type]
    if not gold:
        return {}
    return {ex.name: round(sum(ex.page_types.get((p.dataset, p.id)) == p.page_type
                               for p in gold) / len(gold), 4)
            for ex in extractors if isinstance(ex, Copydesk) and not isinstance(ex, CopydeskRules)}


def _fold_rows(opts: SuiteOptions) -> list[Extractor]:
    """With `--cv-models DIR`: copydesk out of fold, and copydesk by its rules alone."""
    if opts.cv_models is None:
        return []
    rows: list[Extractor] = [CopydeskFolds(opts.cv_models, opts.copydesk_metadata),
                             CopydeskRules(with_metadata=opts.copydesk_metadata)]
    for row in rows:
        row.setup()
    return rows


def _write_page_rows(out: TextIO, extractor: str, pages: Sequence[datasets.Page],
                     predictions: Sequence[str]) -> None:
    """One JSON line per page: its scores and sizes, for finding the pages that lose points."""
    for page, pred, score in zip(pages, predictions, score_pages(predictions, pages), strict=True):
        row = {"dataset": page.dataset, "id": page.id, "site": page.site, "url": page.url,
               "extractor": extractor, "precision": page_precision(score),
               "recall": page_recall(score), "exact": score.exact,
               "predicted_chars": len(pred), "gold_chars": len(page.gold_text or "")}
        if page.page_type:
            row["page_type"] = page.page_type
            row["word_f1"] = score_words(pred, page.gold_text).f1
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _isolated_memory(result: TextResult, opts: SuiteOptions, dataset: str) -> None:
    """Replace the in-process peak with one measured in a fresh process."""
    probe = isolated_memory(opts.corpora, dataset, result.extractor, opts.limit,
                            opts.copydesk_metadata and result.extractor == "copydesk")
    if "error" in probe:
        opts.progress(f"[{dataset}] {result.extractor}: isolated memory failed: {probe['error']}")
        return
    result.peak_rss_mib = probe["peak_mib"]
    result.process_peak_mib = probe["process_peak_mib"]
    result.memory_method = probe["method"]


def run_meta_suite(opts: SuiteOptions, as_markdown: bool = False) -> tuple[dict[str, Any], str]:
    """Metadata benchmark: per-field accuracy of copydesk and the metadata peers."""
    peers, notes = load_peers(list(META_PEERS) if opts.peers is None else opts.peers)
    notes += [f"{p.name}: skipped, it extracts no metadata" for p in peers if not p.meta_fields]
    peers = [p for p in peers if p.meta_fields]
    for note in notes:
        opts.progress(note)
    if opts.strip_structured:
        notes.append("pages stripped of JSON-LD, OpenGraph, metadata <meta> tags, microdata, "
                     "RDFa and <time datetime> (bench/strip.py): the visible paths alone")
    own = Copydesk(with_metadata=True)
    own.setup()
    head = {**info(opts), "memory_note": None}  # memory is not measured here
    out: dict[str, Any] = {**head, "mode": "metadata", "notes": notes + opts.notes, "datasets": {}}
    sections = [report.preamble(head, as_markdown)]
    for name in opts.datasets:
        pages = [p for p in _load(name, opts, need_text=False) if gold_fields(p)]
        if opts.strip_structured:
            pages = [replace(p, html_bytes=strip_structured(p.html_bytes)) for p in pages]
        if not pages:
            notes.append(f"{name}: no page with gold metadata, skipped")
            continue
        results = []
        for ex in [own, *peers]:
            opts.progress(f"[{name}] {ex.name} metadata: {len(pages)} pages ...")
            kept: list[dict[str, Any]] | None = [] if opts.pages_out is not None else None
            results.append(run_metadata(ex, pages, keep=kept))
            if opts.pages_out is not None and kept is not None:
                for row in page_rows(ex, pages, kept):
                    opts.pages_out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        opts.progress(f"[{name}] copydesk metadata overhead ...")
        overhead = metadata_overhead(pages, repeat=max(2, opts.repeat))
        out["datasets"][name] = {"pages": len(pages), "results": [r.to_dict() for r in results],
                                 "overhead": overhead.to_dict()}
        sections.append(report.render_meta_section(name, len(pages), results, overhead,
                                                   as_markdown))
    sections += [f"note: {n}" for n in notes]
    out["notes"] = notes + opts.notes
    return out, "\n".join(sections)
