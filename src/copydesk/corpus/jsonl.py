"""JSONL (and JSONL.gz) crawler exports -> Items, one per line.

Field names are configurable (`--jsonl-content`, `--jsonl-url`,
`--jsonl-id`). A broken line (bad JSON, not an object, no content field,
longer than the cap) becomes an error row naming its line number; the rest of
the file is read. Lines are read with a length cap so a 500 MB line never
sits in memory whole. BOM, CRLF and a missing final newline are tolerated.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterator
from typing import IO, Any

from copydesk.article import Record
from copydesk.corpus.ids import given_id, stable_id
from copydesk.corpus.items import Item, ReadConfig, error_item, file_error_item
from copydesk.corpus.warc import format_of_type
from copydesk.errors import InputError

_TYPE_FIELDS = ("content_type", "content-type", "contentType", "mime", "mime_type", "mimetype")


def read_jsonl(stream: IO[bytes], name: str, canonical: str,
               cfg: ReadConfig) -> Iterator[Item]:
    """Items of one JSONL stream; `name` is the printed source, `canonical` its identity."""
    number = 0
    fields = _FieldsSeen(name, cfg)
    while True:
        number += 1
        source = f"{name}:{number}"
        try:
            line, complete = _read_line(stream, cfg.max_line_bytes)
        except (OSError, EOFError, ValueError, zlib.error) as exc:
            yield file_error_item(cfg, source, f"read failed: {exc}")
            return
        if not line and complete is None:
            fields.finish()
            return
        if complete is False:
            yield error_item(source, f"too large: line longer than {cfg.max_line_bytes} bytes",
                             record_id=stable_id(f"{canonical}:{number}"))
            continue
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if not line.strip():
            cfg.skips["blank JSONL line"] += 1
            continue
        item = _line_item(line, source, f"{canonical}:{number}", cfg, fields)
        item.key = hashlib.sha1(canonical.encode("utf-8", "surrogatepass") + b"\0"
                                + line.rstrip(b"\r\n")).hexdigest()[:24]
        yield item


def _read_line(stream: IO[bytes], cap: int) -> tuple[bytes, bool | None]:
    """(line, complete): complete is None at EOF, False if the line was over `cap`
    (the rest of it is skipped without being kept)."""
    line = stream.readline(cap + 1)
    if not line:
        return b"", None
    if len(line) <= cap or line.endswith(b"\n"):
        return line, True
    while True:  # drain the over-long line in bounded pieces
        more = stream.readline(1 << 20)
        if not more or more.endswith(b"\n"):
            return b"", False


class _FieldsSeen:
    """Counts lines without the content field and the field names seen, so the
    summary can say `every line misses 'content'; fields seen: html, url`."""

    def __init__(self, name: str, cfg: ReadConfig) -> None:
        self.name, self.cfg = name, cfg
        self.objects = self.missing = 0
        self.names: dict[str, None] = {}

    def saw(self, obj: dict[str, Any], has_content: bool) -> None:
        self.objects += 1
        if not has_content:
            self.missing += 1
            for key in list(obj)[:40]:
                if len(self.names) < 40:
                    self.names.setdefault(str(key)[:60], None)

    def finish(self) -> None:
        if self.objects and self.missing == self.objects:
            self.cfg.stats.jsonl_missing[self.name] = (self.missing, self.objects,
                                                       list(self.names))


def _line_item(line: bytes, source: str, position: str, cfg: ReadConfig,
               fields: _FieldsSeen) -> Item:
    try:
        obj = json.loads(line, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        return error_item(source, f"broken JSONL line: {_short(exc)}",
                          record_id=stable_id(position))
    if not isinstance(obj, dict):
        return error_item(source, f"broken JSONL line: not an object ({type(obj).__name__})",
                          record_id=stable_id(position))
    url = _as_str(obj.get(cfg.jsonl_url))
    rid = given_id(obj.get(cfg.jsonl_id)) or stable_id(position)
    content = obj.get(cfg.jsonl_content)
    fields.saw(obj, content is not None)
    if not isinstance(content, str):
        reason = "missing" if content is None else f"not a string ({type(content).__name__})"
        return error_item(source, f"broken JSONL line: field {cfg.jsonl_content!r} {reason}",
                          url=url, record_id=rid)
    try:
        fmt = _format_of(obj, cfg)
    except InputError as exc:
        return error_item(source, str(exc), url=url, record_id=rid)
    record = Record(content=content, url=url, id=rid, source=source,
                    input_format=cfg.input_format or fmt,
                    date_crawled=_as_str(obj.get("date_crawled")))
    return Item(record)


def _format_of(obj: dict[str, Any], cfg: ReadConfig) -> str | None:
    """The format a content-type field gives (`--jsonl-type`, else a usual name)."""
    names = (cfg.jsonl_type,) if cfg.jsonl_type else _TYPE_FIELDS
    for name in names:
        value = obj.get(name)
        if isinstance(value, str) and value.strip():
            return format_of_type(value)
    return None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _as_str(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value)


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200]
