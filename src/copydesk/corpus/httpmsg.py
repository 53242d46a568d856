"""The HTTP response inside a WARC record: status, headers, payload.

Bounded like the WARC layer: the header is at most `MAX_HEADER_BYTES`, the
payload is what the record holds. `Transfer-Encoding: chunked` bodies (some
crawlers store them as sent) are de-chunked; a body that is gzip by its magic
bytes is inflated with a cap on every layer whatever `Content-Encoding`
claims (a false header is common), and `deflate` is honoured when the bytes
are zlib; other encodings (br, zstd) give a clear error.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

from copydesk.errors import InputError
from copydesk.gz import gunzip_capped, is_gzip

MAX_HEADER_BYTES = 4 * 1024 * 1024
_STATUS = re.compile(rb"HTTP/\d(?:\.\d)?\s+(\d{3})(?:[ \t]+([^\r\n]*))?")
_CHUNK_SIZE = re.compile(rb"\s*([0-9a-fA-F]{1,16})[^\r\n]*\r?\n")


@dataclass(slots=True)
class HttpResponse:
    status: int | None
    reason: str
    headers: dict[str, str] = field(default_factory=dict)  # names lower-cased, first wins
    body: bytes = b""

    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def charset(self) -> str | None:
        match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", self.content_type(), re.IGNORECASE)
        return match.group(1) if match else None


def parse_response(block: bytes) -> HttpResponse:
    """Status line, headers and raw body of an HTTP response block."""
    end, sep_len = _header_end(block)
    if end < 0:
        raise InputError("broken HTTP response: no end of header")
    head = block[:end]
    match = _STATUS.match(head)
    if match is None:
        raise InputError("broken HTTP response: no status line")
    status = int(match.group(1))
    reason = (match.group(2) or b"").decode("latin-1").strip()
    headers: dict[str, str] = {}
    for raw in head.split(b"\n")[1:]:
        name, sep, value = raw.decode("latin-1").partition(":")
        if sep:
            headers.setdefault(name.strip().lower(), value.strip())
    return HttpResponse(status, reason, headers, block[end + sep_len:])


def _header_end(block: bytes) -> tuple[int, int]:
    window = block[:MAX_HEADER_BYTES]
    crlf, lf = window.find(b"\r\n\r\n"), window.find(b"\n\n")
    if crlf >= 0 and (lf < 0 or crlf < lf):
        return crlf, 4
    return lf, 2


def payload(resp: HttpResponse, cap: int) -> bytes:
    """The decoded payload: de-chunked, inflated (capped)."""
    body = resp.body
    if "chunked" in resp.headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    encoding = resp.headers.get("content-encoding", "").strip().lower()
    if is_gzip(body):
        return gunzip_capped(body, cap)
    if encoding == "deflate" and body[:1] == b"\x78":
        return _inflate_zlib(body, cap)
    if encoding in ("br", "zstd", "compress"):
        raise InputError(f"unsupported content encoding: {encoding}")
    return body


def _dechunk(body: bytes) -> bytes:
    """Chunked transfer coding; bodies that are not really chunked pass unchanged."""
    out: list[bytes] = []
    pos = 0
    while pos < len(body):
        match = _CHUNK_SIZE.match(body, pos)
        if match is None:
            return body if not out else b"".join(out)
        size = int(match.group(1), 16)
        if size == 0:
            return b"".join(out)
        start = match.end()
        out.append(body[start:start + size])
        pos = start + size + 2
    return b"".join(out)


def _inflate_zlib(body: bytes, cap: int) -> bytes:
    z = zlib.decompressobj()
    try:
        out = z.decompress(body, cap + 1)
    except zlib.error as exc:
        raise InputError(f"corrupt deflate payload: {exc}") from None
    if len(out) > cap:
        raise InputError(f"too large: decompressed size over {cap} bytes")
    return out
