"""JSONL (and JSONL.gz) crawler exports -> Items, one per line.

Field names are configurable (`--jsonl-content`, `--jsonl-url`,
`--jsonl-id`). A broken line (bad JSON, not an object, no content field,
longer than the cap) becomes an error row naming its line number; the rest of
the file is read. Lines are read with a length cap so a 500 MB line never
sits in memory whole. BOM, CRLF and a missing final newline are tolerated.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from typing import IO, Any

from copydesk.article import Record
from copydesk.corpus.ids import stable_id
from copydesk.corpus.items import Item, ReadConfig, error_item, file_error_item


def read_jsonl(stream: IO[bytes], name: str, cfg: ReadConfig) -> Iterator[Item]:
    """Items of one JSONL stream; `name` is the printed source."""
    number = 0
    while True:
        number += 1
        source = f"{name}:{number}"
        try:
            line, complete = _read_line(stream, cfg.max_line_bytes)
        except (OSError, EOFError, ValueError, zlib.error) as exc:
            yield file_error_item(cfg, source, f"read failed: {exc}")
            return
        if not line and complete is None:
            return
        if complete is False:
            yield error_item(source, f"too large: line longer than {cfg.max_line_bytes} bytes")
            continue
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if not line.strip():
            cfg.skips["blank JSONL line"] += 1
            continue
        yield _line_item(line, source, cfg)


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


def _line_item(line: bytes, source: str, cfg: ReadConfig) -> Item:
    try:
        obj = json.loads(line, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        return error_item(source, f"broken JSONL line: {_short(exc)}")
    if not isinstance(obj, dict):
        return error_item(source, f"broken JSONL line: not an object ({type(obj).__name__})")
    url = _as_str(obj.get(cfg.jsonl_url))
    given = _as_str(obj.get(cfg.jsonl_id))
    rid = given or stable_id(source)
    content = obj.get(cfg.jsonl_content)
    if not isinstance(content, str):
        reason = "missing" if content is None else f"not a string ({type(content).__name__})"
        return error_item(source, f"broken JSONL line: field {cfg.jsonl_content!r} {reason}",
                          url=url, record_id=rid)
    record = Record(content=content, url=url, id=rid, source=source,
                    input_format=cfg.input_format, date_crawled=_as_str(obj.get("date_crawled")))
    return Item(record)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _as_str(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value)


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200]
