"""Write small WARC files: for the benchmark and for tests of the readers.

A minimal WARC/1.0 writer (ISO 28500 record layout: version line, named
fields, blank line, block, two CRLFs), one gzip member per record when
compressed, as Common Crawl does. Kept tiny on purpose: it only needs to
produce valid and deliberately broken files.
"""

from __future__ import annotations

import gzip
import uuid
from dataclasses import dataclass


@dataclass(slots=True)
class WarcPage:
    """One HTTP response to store: url, body bytes, content type."""

    url: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    date: str = "2024-01-01T00:00:00Z"


def http_block(page: WarcPage) -> bytes:
    head = (f"HTTP/1.1 200 OK\r\nContent-Type: {page.content_type}\r\n"
            f"Content-Length: {len(page.body)}\r\n\r\n").encode("latin-1")
    return head + page.body


def warc_record(block: bytes, *, kind: str = "response", url: str = "http://example.com/",
                date: str = "2024-01-01T00:00:00Z", length: str | None = None,
                content_type: str = "application/http; msgtype=response") -> bytes:
    """One uncompressed record; `length` overrides Content-Length (to make it lie)."""
    record_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{kind}:{url}:{len(block)}")
    fields = [
        "WARC/1.0",
        f"WARC-Type: {kind}",
        f"WARC-Record-ID: <urn:uuid:{record_id}>",
        f"WARC-Date: {date}",
        f"WARC-Target-URI: {url}",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(block) if length is None else length}",
    ]
    return ("\r\n".join(fields) + "\r\n\r\n").encode("utf-8") + block + b"\r\n\r\n"


def response_record(page: WarcPage, **kwargs: str) -> bytes:
    return warc_record(http_block(page), url=page.url, date=page.date, **kwargs)


def request_record(url: str) -> bytes:
    block = f"GET / HTTP/1.1\r\nHost: {url}\r\n\r\n".encode()
    return warc_record(block, kind="request", url=url,
                       content_type="application/http; msgtype=request")


def write_warc(path: str, records: list[bytes], *, compress: bool) -> None:
    """Write `records` (uncompressed record bytes) to `path`, one gzip member each."""
    with open(path, "wb") as out:
        for rec in records:
            out.write(gzip.compress(rec, compresslevel=5, mtime=0) if compress else rec)
