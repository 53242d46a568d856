"""Row writers for one file: JSONL, JSONL.gz, Parquet, plain text or Markdown.

Each writer writes to the path it is given (a temporary name; the caller
renames it once `close()` returned). `close()` finishes the format properly
(gzip trailer, Parquet footer); `abort()` just releases the file.
Parquet uses the schema below (OUTPUT_FIELDS with list columns for authors
and tags) and row groups of at most `ROW_GROUP_ROWS` rows or
`ROW_GROUP_BYTES` of text, whichever comes first, so readers can stream it.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
from typing import IO, Any

from copydesk.article import OUTPUT_FIELDS
from copydesk.corpus.rows import text_block
from copydesk.errors import OutputError

PARQUET_HINT = "Parquet needs pyarrow, an optional dependency: pip install 'copydesk[parquet]'"


def pyarrow_modules() -> tuple[Any, Any]:
    """`pyarrow` and `pyarrow.parquet`, or an OutputError saying how to install them.

    pyarrow is an extra (about 150 MB): `extract()` and JSONL outputs never load it.
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise OutputError(PARQUET_HINT) from exc
    return pa, pq

ROW_GROUP_ROWS = 2_000
ROW_GROUP_BYTES = 64 * 1024 * 1024
_LIST_FIELDS = frozenset({"authors", "tags"})
_INT_FIELDS = {"http_status": "int32", "warc_offset": "int64"}


def output_kind(path: str) -> str:
    """"parquet", "jsonl.gz" or "jsonl", from the output's extension."""
    low = path.lower().rstrip("/")
    if low.endswith((".parquet", ".pq")):
        return "parquet"
    if low.endswith(".gz"):
        return "jsonl.gz"
    return "jsonl"


def parquet_schema() -> Any:
    pa, _ = pyarrow_modules()

    def kind(name: str) -> Any:
        if name == "comments":  # [{text, author, date}]
            return pa.list_(pa.struct([("text", pa.string()), ("author", pa.string()),
                                       ("date", pa.string())]))
        if name in _LIST_FIELDS:
            return pa.list_(pa.string())
        if name in _INT_FIELDS:
            return getattr(pa, _INT_FIELDS[name])()
        return pa.string()

    return pa.schema([pa.field(name, kind(name)) for name in OUTPUT_FIELDS])


class JsonlWriter:
    """One JSON object per line, UTF-8; gzip when `compress`."""

    def __init__(self, path: str, compress: bool = False) -> None:
        self.raw = open(path, "wb")  # noqa: SIM115 - closed in close()/abort()
        self.out: IO[bytes] = self.raw
        if compress:
            self.out = gzip.GzipFile(fileobj=self.raw, mode="wb", mtime=0)  # type: ignore[assignment]

    def write(self, row: dict[str, Any]) -> None:
        self.out.write(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")

    def close(self) -> None:
        if self.out is not self.raw:
            self.out.close()  # gzip trailer; leaves `raw` open
        self.raw.flush()
        os.fsync(self.raw.fileno())
        self.raw.close()

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self.raw.close()


class TextWriter(JsonlWriter):
    """The body only (`text` or `markdown`), articles separated by a blank line."""

    def __init__(self, path: str, field: str = "text") -> None:
        super().__init__(path)
        self.field = field

    def write(self, row: dict[str, Any]) -> None:
        self.out.write(text_block(row, self.field, header=True).encode("utf-8"))


class ParquetWriter:
    """Rows buffered into row groups; the footer is written by `close()`."""

    def __init__(self, path: str) -> None:
        _, pq = pyarrow_modules()
        self.schema = parquet_schema()
        self.writer = pq.ParquetWriter(path, self.schema, compression="zstd")
        self.rows: list[dict[str, Any]] = []
        self.bytes = 0

    def write(self, row: dict[str, Any]) -> None:
        self.rows.append({name: row.get(name) for name in OUTPUT_FIELDS})
        self.bytes += len(row.get("text") or "") + len(row.get("markdown") or "")
        if len(self.rows) >= ROW_GROUP_ROWS or self.bytes >= ROW_GROUP_BYTES:
            self._flush()

    def _flush(self) -> None:
        pa, _ = pyarrow_modules()
        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
        self.rows, self.bytes = [], 0

    def close(self) -> None:
        self._flush()
        self.writer.close()

    def abort(self) -> None:
        with contextlib.suppress(Exception):  # aborting: the file is deleted anyway
            self.writer.close()


RowWriter = JsonlWriter | ParquetWriter


def open_writer(path: str, kind: str, text_field: str | None = None) -> RowWriter:
    """A writer of `kind` ("jsonl", "jsonl.gz", "parquet", or text via `text_field`)."""
    if text_field is not None:
        return TextWriter(path, text_field)
    if kind == "parquet":
        return ParquetWriter(path)
    return JsonlWriter(path, compress=kind == "jsonl.gz")
