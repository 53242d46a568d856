"""What readers yield: a Record to extract, or a row the reader already decided.

A reader decides a row itself when there is nothing to extract (a PNG
response, an HTTP 404, an oversized payload, a broken JSONL line, an
unreadable file): the row is an error with a reason, so every input still
yields exactly one row. `ReadStats.skips` counts what is not an input record
at all (WARC request and metadata records, files the folder walk passed
over): those give no row, only a line in the run summary.

`Provenance` is what the container says about a record beyond the page
itself (HTTP status, WARC record id, file and offset). It travels beside the
Record, not through the per-page path: the sink stamps it on the row.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from copydesk.article import Article, Record, Status
from copydesk.corpus.ids import stable_id
from copydesk.options import MAX_INPUT_BYTES


@dataclass(slots=True)
class Provenance:
    """Container facts stamped on the row (`http_status`, `warc_*` columns)."""

    http_status: int | None = None
    warc_record_id: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None

    def stamp(self, article: Article) -> None:
        article.http_status = self.http_status
        article.warc_record_id = self.warc_record_id
        article.warc_file = self.warc_file
        article.warc_offset = self.warc_offset


@dataclass(slots=True)
class Item:
    """One input record; `preset` is its row when the reader already decided it.

    `group` is the site-template fallback key of a record without a url: the
    folder of a page file, the name of its container (WARC, JSONL, stdin).
    `key` identifies the record for `--resume` (what was read, not where).
    """

    record: Record
    preset: Article | None = None
    group: str | None = None
    prov: Provenance | None = None
    key: str | None = None


def resume_key(canonical: str, item: Item) -> str:
    """What identifies a record for `--resume`: its input and its own bytes (not its
    position), so files added or removed and lines inserted do not shift it."""
    digest = hashlib.sha1(canonical.encode("utf-8", "surrogatepass"))
    rec = item.record
    if item.prov is not None and item.prov.warc_record_id:
        digest.update(b"\0id:" + item.prov.warc_record_id.encode("utf-8", "surrogatepass"))
    if item.preset is not None:
        text = f"\0err:{rec.source}\0{item.preset.error}"
        digest.update(text.encode("utf-8", "surrogatepass"))
    else:
        digest.update(f"\0url:{rec.url}\0".encode("utf-8", "surrogatepass"))
        content = rec.content
        digest.update(content if isinstance(content, bytes)
                      else content.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:24]


@dataclass
class ReadStats:
    """What the readers counted on the way (for the summary)."""

    skips: Counter[str] = field(default_factory=Counter)
    file_errors: int = 0
    unreadable: list[str] = field(default_factory=list)  # first files that could not be read
    jsonl_missing: dict[str, tuple[int, int, list[str]]] = field(default_factory=dict)
    bytes_total: int | None = 0  # input bytes to read (None: unknown, e.g. stdin)
    bytes_done: int = 0

    def note_unreadable(self, name: str, reason: str) -> None:
        self.file_errors += 1
        if len(self.unreadable) < 20:
            self.unreadable.append(f"{name}: {reason}")


@dataclass(slots=True)
class ReadConfig:
    """How readers interpret inputs (CLI flags), and what they counted (`stats`)."""

    jsonl_content: str = "content"
    jsonl_url: str = "url"
    jsonl_id: str = "id"
    jsonl_type: str | None = None  # JSONL field holding the content type (None: probe)
    max_bytes: int = MAX_INPUT_BYTES
    max_line_bytes: int = MAX_INPUT_BYTES + 1024 * 1024
    input_format: str | None = None
    url: str | None = None
    keep_status: bool = False  # extract non-2xx HTTP responses instead of error rows
    include: tuple[str, ...] = ()  # folder walk: globs of extra files to take
    stats: ReadStats = field(default_factory=ReadStats)

    @property
    def skips(self) -> Counter[str]:
        return self.stats.skips

    @property
    def file_errors(self) -> int:
        return self.stats.file_errors


def error_item(source: str, reason: str, *, url: str | None = None,
               record_id: str | None = None, date_crawled: str | None = None,
               prov: Provenance | None = None) -> Item:
    """An Item whose row is an error with `reason` (no extraction)."""
    rid = record_id or stable_id(source)
    record = Record(content=b"", url=url, id=rid, source=source, date_crawled=date_crawled)
    row = Article(status=Status.ERROR, error=reason, id=rid, source=source, url=url,
                  date_crawled=date_crawled)
    return Item(record, row, prov=prov)


def file_error_item(cfg: ReadConfig, source: str, reason: str) -> Item:
    """One row for a file-level failure (the records before it are kept)."""
    cfg.stats.note_unreadable(source, reason)
    return error_item(source, f"file error: {reason}", record_id=stable_id(source + "#file-error"))
