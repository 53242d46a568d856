"""What readers yield: a Record to extract, or a row the reader already decided.

A reader decides a row itself when there is nothing to extract (a PNG
response, an oversized payload, a broken JSONL line, an unreadable file):
the row is an error with a reason, so every input still yields exactly one
row. `skips` counts what is not an input record at all (WARC request and
metadata records): those give no row, only a line in the run summary.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from copydesk.article import Article, Record, Status
from copydesk.corpus.ids import stable_id
from copydesk.options import MAX_INPUT_BYTES


@dataclass(slots=True)
class Item:
    """One input record; `preset` is its row when the reader already decided it.

    `group` is the site-template fallback key of a record without a url: the
    folder of a page file, the name of its container (WARC, JSONL, stdin).
    """

    record: Record
    preset: Article | None = None
    group: str | None = None


@dataclass(slots=True)
class ReadConfig:
    """How readers interpret inputs (CLI flags)."""

    jsonl_content: str = "content"
    jsonl_url: str = "url"
    jsonl_id: str = "id"
    max_bytes: int = MAX_INPUT_BYTES
    max_line_bytes: int = MAX_INPUT_BYTES + 1024 * 1024
    input_format: str | None = None
    url: str | None = None
    skips: Counter[str] = field(default_factory=Counter)
    file_errors: int = 0


def error_item(source: str, reason: str, *, url: str | None = None,
               record_id: str | None = None, date_crawled: str | None = None) -> Item:
    """An Item whose row is an error with `reason` (no extraction)."""
    rid = record_id or stable_id(source)
    record = Record(content=b"", url=url, id=rid, source=source, date_crawled=date_crawled)
    row = Article(status=Status.ERROR, error=reason, id=rid, source=source, url=url,
                  date_crawled=date_crawled)
    return Item(record, row)


def file_error_item(cfg: ReadConfig, source: str, reason: str) -> Item:
    """One row for a file-level failure (the records before it are kept)."""
    cfg.file_errors += 1
    return error_item(source, f"file error: {reason}", record_id=stable_id(source + "#file-error"))
