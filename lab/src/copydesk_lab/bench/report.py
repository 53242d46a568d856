"""Tables of benchmark results: aligned text for the terminal, Markdown for the README."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from copydesk_lab.bench.meta import MetaResult, Overhead
from copydesk_lab.bench.peers import META_FIELDS
from copydesk_lab.bench.runner import TextResult
from copydesk_lab.bench.wordf1 import ALL

TYPE_ORDER = ("article", "forum", "product", "collection", "listing", "documentation",
              "service")

TEXT_HEADER = ("extractor", "version", "precision", "recall", "F1", "accuracy", "pages/s",
               "cpu pages/s", "x trafilatura", "peak MiB", "failures")


def _num(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _pm(value: float, std: float) -> str:
    return f"{value:.3f} ± {std:.3f}" if std else f"{value:.3f}"


def text_rows(results: Sequence[TextResult]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for r in results:
        mem = f"{r.peak_rss_mib:.1f}"
        if r.process_peak_mib is not None:
            mem += f" / {r.process_peak_mib:.0f}"
        if r.tracemalloc_mib is not None:
            mem += f" (py {r.tracemalloc_mib:.1f})"
        rows.append((r.extractor, r.version, _pm(r.precision, r.precision_std),
                     _pm(r.recall, r.recall_std), _pm(r.f1, r.f1_std), _num(r.accuracy),
                     f"{r.pages_per_s:.1f}", f"{r.pages_per_cpu_s:.1f}",
                     "n/a" if r.speed_vs_trafilatura is None else f"{r.speed_vs_trafilatura:.2f}",
                     mem, str(r.failures)))
    return rows


def meta_header() -> tuple[str, ...]:
    return ("extractor", "version", *META_FIELDS, "seconds", "failures")


def meta_rows(results: Sequence[MetaResult]) -> list[tuple[str, ...]]:
    return [(r.extractor, r.version, *(_num(r.fields.get(f)) for f in META_FIELDS),
             f"{r.seconds:.2f}", str(r.failures)) for r in results]


def gold_counts_row(result: MetaResult) -> tuple[str, ...]:
    return ("(gold pages)", "", *(str(result.gold_pages.get(f, 0)) for f in META_FIELDS), "", "")


def aligned(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Plain text table, columns padded to their widest cell."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
             for line in (header, *rows)]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def word_columns(results: Sequence[TextResult]) -> list[str]:
    """`all`, then the page types present, in the corpus README's order, then any others."""
    seen: set[str] = set()
    for r in results:
        if r.word is not None:
            seen.update(r.word.f1)
    seen.discard(ALL)
    return [ALL, *[t for t in TYPE_ORDER if t in seen], *sorted(seen - set(TYPE_ORDER))]


def word_table(results: Sequence[TextResult], as_markdown: bool) -> str:
    """Mean page word F1 per page type and the snippet rates (the WCXB metric)."""
    typed = [r for r in results if r.word is not None]
    if not typed:
        return ""
    columns = word_columns(typed)
    counts = typed[0].word.pages if typed[0].word else {}
    header = ("extractor", *(f"{c} ({counts.get(c, 0)})" for c in columns),
              "must-have found", "must-not leaked")
    rows = []
    for r in typed:
        assert r.word is not None
        rows.append((r.extractor, *(_num(r.word.f1.get(c)) for c in columns),
                     _num(r.word.with_found), _num(r.word.without_leaked)))
    return markdown(header, rows) if as_markdown else aligned(header, rows)


def render_text_section(dataset: str, pages: int, results: Sequence[TextResult],
                        as_markdown: bool) -> str:
    rows = text_rows(results)
    table = markdown(TEXT_HEADER, rows) if as_markdown else aligned(TEXT_HEADER, rows)
    title = f"### {dataset} ({pages} pages)" if as_markdown else f"== {dataset} ({pages} pages)"
    out = f"{title}\n\n{table}\n"
    words = word_table(results, as_markdown)
    if words:
        label = "mean page word F1 by page type (WCXB metric)"
        out += f"\n{'#### ' + label if as_markdown else label}\n\n{words}\n"
    return out


def render_meta_section(dataset: str, pages: int, results: Sequence[MetaResult],
                        overhead: Overhead | None, as_markdown: bool) -> str:
    rows = meta_rows(results)
    if results:
        rows.append(gold_counts_row(results[0]))
    header = meta_header()
    table = markdown(header, rows) if as_markdown else aligned(header, rows)
    title = f"### {dataset} ({pages} pages)" if as_markdown else f"== {dataset} ({pages} pages)"
    out = f"{title}\n\n{table}\n"
    if overhead is not None:
        out += (f"\ncopydesk extract() CPU time, metadata on {overhead.cpu_on:.2f} s vs off "
                f"{overhead.cpu_off:.2f} s (wall {overhead.seconds_on:.2f} vs "
                f"{overhead.seconds_off:.2f} s): metadata overhead {overhead.percent:+.1f}%\n")
    return out


def preamble(info: dict[str, Any], as_markdown: bool) -> str:
    """Date, command, machine and method notes above the tables."""
    lines = [f"date: {info['date']}", f"command: `{info['command']}`",
             f"machine: {info['machine']}"]
    if info.get("memory_note"):
        lines.append(f"memory: {info['memory_note']}")
    if as_markdown:
        return "\n".join(f"- {line}" for line in lines) + "\n"
    return "\n".join(lines).replace("`", "") + "\n"


def write_json(path: Path, results: dict[str, Any]) -> None:
    """Write the results atomically (a temporary file renamed) and say where."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n",
                   encoding="utf-8")
    tmp.replace(path)
    print(f"copydesk bench: results written to {path}", file=sys.stderr)
