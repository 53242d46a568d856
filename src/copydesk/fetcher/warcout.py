"""Fetch results -> WARC records (fastwarc's writer), one gzip member per record.

Per exchange: a `request` record and a `response` record (`WARC-Concurrent-To`
links them), with `WARC-Target-URI`, `WARC-Date`, block and payload digests;
every redirect hop and every failed attempt is archived too. A 304 answer to a
conditional re-fetch is a `revisit` record (profile server-not-modified). A
body cut at the cap or by the network says so in `WARC-Truncated`.

The writer appends and reports byte offsets, so the fetch log can say where
each URL's records are and a resumed run can cut the file back to the last
URL the log knows (`truncate_to`).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import uuid
from typing import IO

from fastwarc.warc import WarcRecord, WarcRecordType

from copydesk.fetcher.model import Exchange, Result
from copydesk.version import __version__

NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


def _urn() -> tuple[bytes, str]:
    value = f"uuid:{uuid.uuid4()}"
    return value.encode(), f"<urn:{value}>"


def _path_of(url: str) -> str:
    rest = url.split("://", 1)[-1]
    slash = rest.find("/")
    return rest[slash:] if slash >= 0 else "/"


def _head(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")


def request_block(exchange: Exchange) -> bytes:
    lines = [f"GET {_path_of(exchange.url)} HTTP/1.1"]
    lines += [f"{k}: {v}" for k, v in exchange.request_headers]
    return _head(lines)


def response_head(exchange: Exchange) -> bytes:
    lines = [f"{exchange.http_version} {exchange.status} {exchange.reason}".rstrip()]
    lines += [f"{k}: {v}" for k, v in exchange.response_headers]
    return _head(lines)


class WarcWriter:
    """Append-only WARC file; gzip members when the name ends in `.gz`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.compress = path.endswith(".gz")
        fresh = not os.path.exists(path) or os.path.getsize(path) == 0
        self.handle: IO[bytes] = open(path, "ab")  # noqa: SIM115 (closed in close())
        if fresh:
            self._warcinfo()
            self.handle.flush()

    def tell(self) -> int:
        return self.handle.tell()

    def _emit(self, record: WarcRecord, payload: bytes | None = None) -> int:
        """Write one record; returns its offset."""
        buf = io.BytesIO()
        digest = hashlib.sha1(payload).digest() if payload is not None else None
        record.write(buf, checksum_data=True, payload_digest=digest)
        data = buf.getvalue()
        offset = self.handle.tell()
        self.handle.write(gzip.compress(data, compresslevel=6, mtime=0) if self.compress
                          else data)
        return offset

    def _record(self, kind: WarcRecordType, url: str | None, date: str,
                content_type: str) -> tuple[WarcRecord, str]:
        record = WarcRecord()
        urn, record_id = _urn()
        record.init_headers(kind, urn)
        record.headers["WARC-Date"] = date
        if url is not None:
            record.headers["WARC-Target-URI"] = url
        record.headers["Content-Type"] = content_type
        return record, record_id

    def _warcinfo(self) -> None:
        from copydesk.fetcher.client import iso_now

        record, _ = self._record(WarcRecordType.warcinfo, None, iso_now(),
                                 "application/warc-fields")
        record.headers["WARC-Filename"] = os.path.basename(self.path)
        record.set_bytes_content(f"software: copydesk/{__version__} (copydesk fetch)\r\n"
                                 "format: WARC File Format 1.1\r\n".encode())
        self._emit(record)

    def write_exchange(self, exchange: Exchange, refers_to: dict[str, str] | None) -> int | None:
        """Request and response (or revisit) records; the response's offset, if any."""
        request, request_id = self._record(WarcRecordType.request, exchange.url, exchange.date,
                                           "application/http; msgtype=request")
        request.set_bytes_content(request_block(exchange))
        if exchange.status is None:
            self._emit(request)
            return None
        kind = WarcRecordType.revisit if exchange.status == 304 else WarcRecordType.response
        response, _ = self._record(kind, exchange.url, exchange.date,
                                   "application/http; msgtype=response")
        response.headers["WARC-Concurrent-To"] = request_id
        if exchange.truncated:
            response.headers["WARC-Truncated"] = exchange.truncated
        if kind == WarcRecordType.revisit:
            response.headers["WARC-Profile"] = NOT_MODIFIED_PROFILE
            response.headers["WARC-Refers-To-Target-URI"] = exchange.url
            if refers_to and refers_to.get("date"):
                response.headers["WARC-Refers-To-Date"] = refers_to["date"]
        body = exchange.read_body()
        response.set_bytes_content(response_head(exchange) + body)
        self._emit(request)
        return self._emit(response, body)

    def write_result(self, result: Result) -> tuple[int, int, int | None]:
        """Every exchange of `result`: (start offset, end offset, final response offset)."""
        start = self.tell()
        final: int | None = None
        refers = result.extra.get("refers_to")
        for exchange in result.exchanges:
            final = self.write_exchange(exchange, refers)
        self.handle.flush()
        return start, self.tell(), final

    def close(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()


def read_response(path: str, offset: int) -> tuple[int, list[tuple[str, str]], bytes]:
    """(HTTP status, headers, payload) of the response record at `offset`."""
    from fastwarc.warc import ArchiveIterator

    with open(path, "rb") as handle:
        handle.seek(offset)
        for record in ArchiveIterator(handle, parse_http=True):
            headers = [(str(k), str(v)) for k, v in record.http_headers.items()]
            return int(record.http_headers.status_code or 0), headers, record.reader.read()
    raise OSError(f"no WARC record at offset {offset} of {path}")


def truncate_to(path: str, size: int) -> None:
    """Cut a WARC back to `size` bytes (the end of the last URL the log recorded)."""
    if os.path.exists(path) and os.path.getsize(path) > size:
        with open(path, "r+b") as handle:
            handle.truncate(size)
