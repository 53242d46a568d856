"""Read the rows of `copydesk extract` outputs (JSONL or Parquet) for the corpus view.

Both formats carry the same columns (`copydesk.article.OUTPUT_FIELDS`, plus
`explanation` when the run used `--explain`). A JSONL line that is not a JSON
object is counted and skipped, not fatal: the inspector must open the output
of a run that was cut short.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

PARQUET_SUFFIXES = (".parquet", ".pq")


@dataclass(slots=True)
class LoadReport:
    """What one output file gave: rows read, lines skipped and why (first few)."""

    path: str
    rows: int = 0
    skipped: int = 0
    problems: list[str] | None = None


def iter_rows(path: Path, report: LoadReport) -> Iterator[tuple[dict[str, Any], str | None]]:
    """(row, its JSON text when the file already holds it) for one output file,
    in file order; keeping the JSONL line saves re-serialising every row."""
    if path.name.lower().endswith(PARQUET_SUFFIXES):
        yield from _parquet_rows(path, report)
    else:
        yield from _jsonl_rows(path, report)


def _parquet_rows(path: Path, report: LoadReport) -> Iterator[tuple[dict[str, Any], str | None]]:
    import pyarrow.parquet as pq

    for batch in pq.ParquetFile(path).iter_batches(batch_size=4096):
        for row in batch.to_pylist():
            report.rows += 1
            yield row, None


def _open_text(path: Path) -> IO[str]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return path.open("r", encoding="utf-8", errors="replace")


def _jsonl_rows(path: Path, report: LoadReport) -> Iterator[tuple[dict[str, Any], str | None]]:
    with _open_text(path) as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            row = _parse_line(line)
            if row is None:
                _note(report, f"line {number}: not a JSON object")
                continue
            report.rows += 1
            yield row, line.strip()


def _parse_line(line: str) -> dict[str, Any] | None:
    try:
        row = json.loads(line)
    except ValueError:
        return None
    return row if isinstance(row, dict) else None


def _note(report: LoadReport, problem: str) -> None:
    report.skipped += 1
    report.problems = report.problems or []
    if len(report.problems) < 5:
        report.problems.append(problem)
