"""Capped gzip decompression: a 10 GB bomb costs at most `cap` bytes of memory.

One implementation for every place gzip arrives: `extract()` given gzip
bytes, a `.gz` page file, a gzipped WARC payload (the corpus readers).

Every layer is capped (gzip in gzip in gzip): after one layer is inflated,
the result is sniffed again. zlib's `max_length` bounds each step's output, so
memory stays bounded however high the compression ratio.
"""

from __future__ import annotations

import zlib
from typing import Any

from copydesk.errors import InputError, TooLargeError

MAX_LAYERS = 4
_CHUNK = 1 << 16
GZIP_MAGIC = b"\x1f\x8b"


def is_gzip(head: bytes) -> bool:
    return head.startswith(GZIP_MAGIC)


def gunzip_capped(data: bytes, cap: int) -> bytes:
    """Inflate every gzip layer of `data`; TooLargeError past `cap` bytes."""
    layers = 0
    while is_gzip(data):
        layers += 1
        if layers > MAX_LAYERS:
            raise InputError(f"too many compression layers (> {MAX_LAYERS})")
        data = _inflate_members(data, cap)
    return data


def _inflate_members(data: bytes, cap: int) -> bytes:
    """All concatenated gzip members of `data`, at most `cap` bytes in total."""
    out: list[bytes] = []
    size = 0
    rest = data
    while rest:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending = rest
        while pending:
            try:
                chunk = inflater.decompress(pending, cap + 1 - size)
            except zlib.error as exc:
                raise InputError(f"corrupt gzip: {exc}") from None
            size += len(chunk)
            out.append(chunk)
            if size > cap:
                raise TooLargeError(f"too large: decompressed size over {cap} bytes")
            pending = inflater.unconsumed_tail
        if not inflater.eof:
            raise InputError(f"truncated gzip after {size} bytes")
        rest = inflater.unused_data
        if rest and not is_gzip(rest):
            break  # trailing garbage after the last member: ignored, like gzip(1)
    return b"".join(out)


def inflate_until_error(inflater: Any, data: bytes, limit: int, step: int = 64) -> bytes:
    """What `inflater` outputs from `data`, fed `step` bytes at a time, before the
    stream fails (damage) or `limit` bytes are out: the readable part of a broken member."""
    out = b""
    for at in range(0, len(data), step):
        try:
            out += inflater.decompress(data[at:at + step], max(1, limit - len(out)))
        except zlib.error:
            break
        if len(out) >= limit:
            break
    return out
