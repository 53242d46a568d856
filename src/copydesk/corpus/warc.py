"""WARC and WARC.gz -> Items, with fastwarc (a maintained, fast reader).

Response and resource records are input records; each yields one row. Other
record types (request, metadata, warcinfo, revisit, ...) are counted in the
run summary with their type and give no row. A response whose content type is
not a page (an image, a PDF) gets an error row saying so.

Damage: fastwarc's quirks mode resynchronises over garbage between
uncompressed records; a corrupt gzip member stops fastwarc, so we restart it
at the next gzip member (or `WARC/` line) after the damage and count the
skip. A record whose body ends early (truncated file, Content-Length that
lies upwards) gets a `truncated record` error row. Payloads are read with a
cap, and gzip payloads (whatever Content-Encoding claims) are inflated with a
cap on every layer, so a bomb costs bounded memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from fastwarc.warc import ArchiveIterator, WarcRecordType

from copydesk.article import Record
from copydesk.corpus.ids import stable_id
from copydesk.corpus.items import Item, ReadConfig, error_item, file_error_item
from copydesk.errors import InputError
from copydesk.gz import gunzip_capped, is_gzip

_INPUT_TYPES = ("response", "resource")
# Content types extracted as pages; anything else is an error row with its type.
_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml",
               "text/xml", "application/octet-stream", "")
_SCAN_CHUNK = 1 << 20
# Headers above this are damage, not data (real WARC/HTTP headers are a few KB;
# ADVERSARIAL.md asks that 1 MB headers be handled).
MAX_HEADER_BYTES = 4 * 1024 * 1024


def read_warc(path: str | None, stream: IO[bytes] | None, name: str,
              cfg: ReadConfig) -> Iterator[Item]:
    """Items of one WARC file (`path`) or of a non-seekable `stream` (stdin)."""
    base: int | None = 0
    reported = False  # one error row per damaged stretch, however many restarts it takes
    while base is not None:
        state = _Pass(base)
        yield from _one_pass(path, stream, name, cfg, state)
        base = None
        if state.damage is None and not state.truncated:
            return
        if path is not None:
            base = _find_restart(path, state.last + 1)
        reported = reported and state.records == 0
        if state.damage is not None and not reported:
            reported = True
            where = "rest of file lost" if base is None else f"resynchronised at offset {base}"
            reason = f"corrupt WARC after offset {state.last}: {state.damage}; {where}"
            yield file_error_item(cfg, f"{name}@{state.last}", reason)
        if base is not None:
            cfg.skips["WARC damage skipped (resynchronised)"] += 1


class _Pass:
    """Where one fastwarc pass started, got to, and why it stopped."""

    def __init__(self, base: int) -> None:
        self.base = base
        self.last = base
        self.damage: str | None = None
        self.truncated = False
        self.records = 0


def _one_pass(path: str | None, stream: IO[bytes] | None, name: str, cfg: ReadConfig,
              state: _Pass) -> Iterator[Item]:
    handle = open(path, "rb") if path is not None else stream  # noqa: SIM115
    assert handle is not None
    try:
        if path is not None:
            handle.seek(state.base)
        for rec in _iterate(handle):
            state.last = int(rec.stream_pos)  # fastwarc reports absolute offsets (tell())
            state.records += 1
            for item in _record_items(rec, f"{name}@{state.last}", cfg):
                state.truncated = _is_truncated(item)
                yield item
            if state.truncated:
                return
    except OSError as exc:
        state.damage = str(exc) or type(exc).__name__
    finally:
        if path is not None:
            handle.close()


def _is_truncated(item: Item) -> bool:
    return item.preset is not None and (item.preset.error or "").startswith("truncated record")


def _iterate(handle: IO[bytes]) -> Any:
    return ArchiveIterator(handle, record_types=WarcRecordType.any_type, parse_http=True,
                           quirks_mode=True, max_header_len=MAX_HEADER_BYTES)


def _record_items(rec: Any, source: str, cfg: ReadConfig) -> Iterator[Item]:
    kind = str(rec.record_type)
    if kind not in _INPUT_TYPES:
        cfg.skips[f"WARC {kind} record"] += 1
        return
    url = _target_uri(rec)
    date = rec.headers.get("WARC-Date") or None
    content_type = _content_type(rec)
    if content_type.split(";")[0].strip().lower() not in _PAGE_TYPES:
        yield error_item(source, f"not a page: content type {content_type[:80]}",
                         url=url, date_crawled=date)
        return
    try:
        body = _read_body(rec, cfg.max_bytes)
    except InputError as exc:
        yield error_item(source, str(exc), url=url, date_crawled=date)
        return
    charset = rec.http_charset if rec.is_http else None
    yield Item(Record(content=body, url=url, id=stable_id(source), source=source,
                      http_charset=charset or None, date_crawled=date,
                      input_format=cfg.input_format))


def _read_body(rec: Any, cap: int) -> bytes:
    """The payload, capped; gzip payloads inflated (capped, every layer)."""
    expected = int(rec.content_length)
    body = rec.reader.read(cap + 1)
    if len(body) > cap:
        raise InputError(f"too large: payload over {cap} bytes")
    if len(body) < expected:
        raise InputError(f"truncated record: {len(body)} of {expected} payload bytes")
    return gunzip_capped(body, cap) if is_gzip(body) else body


def _target_uri(rec: Any) -> str | None:
    uri = rec.headers.get("WARC-Target-URI")
    return uri.strip().strip("<>") or None if uri else None


def _content_type(rec: Any) -> str:
    if rec.is_http:
        return str(rec.http_content_type or "")
    return str(rec.headers.get("Content-Type") or "")


def _find_restart(path: str, start: int) -> int | None:
    """Offset of the next gzip member or `WARC/` line at or after `start`."""
    with open(path, "rb") as handle:
        handle.seek(start)
        offset = start
        carry = b""
        while chunk := handle.read(_SCAN_CHUNK):
            data = carry + chunk
            hits = [i for i in (data.find(b"\x1f\x8b\x08"), data.find(b"WARC/1.")) if i >= 0]
            if hits:
                return offset - len(carry) + min(hits)
            carry = data[-8:]
            offset += len(chunk)
    return None
