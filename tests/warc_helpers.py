"""WARC files written by warcio (a real, independent WARC writer) for the reader tests."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


@dataclass
class Resp:
    url: str
    body: bytes
    status: str = "200 OK"
    content_type: str = "text/html; charset=utf-8"
    kind: str = "response"
    extra: tuple[tuple[str, str], ...] = ()


def write_warcio(path: Path, records: list[Resp], *, gzip: bool = True) -> list[str]:
    """Write `records` with warcio; returns their WARC-Record-IDs in order."""
    ids = []
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        for r in records:
            rec = _record(writer, r)
            ids.append(rec.rec_headers.get_header("WARC-Record-ID"))
            writer.write_record(rec)
    return ids


def _record(writer: WARCWriter, r: Resp):  # type: ignore[no-untyped-def]
    payload = io.BytesIO(r.body)
    if r.kind == "response":
        http = StatusAndHeaders(r.status, [("Content-Type", r.content_type), *r.extra],
                                protocol="HTTP/1.1")
        return writer.create_warc_record(r.url, "response", payload=payload, http_headers=http)
    return writer.create_warc_record(r.url, r.kind, payload=payload,
                                     warc_content_type=r.content_type)


def page(n: int, prefix: str = "") -> bytes:
    words = " ".join(f"word{(n * 7 + i) % 97}" for i in range(60))
    return (f"{prefix}<html><head><title>Story {n}</title></head><body><article><h1>Story {n}"
            f"</h1><p>Paragraph one of story {n}: {words}.</p><p>Paragraph two of story {n}: "
            f"{words}.</p></article></body></html>").encode()
