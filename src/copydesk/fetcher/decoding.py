"""Content-Encoding decoders that never produce more than they are asked for.

A gzip bomb (a few KB that inflate to gigabytes) must cost bounded memory, so
every decoder emits about `STEP` bytes per step (zlib exactly, brotli
slightly more) and the caller stops at its
cap. zlib's `max_length` and brotli's `output_buffer_limit` make that exact.
`deflate` is tried as zlib-wrapped first and raw deflate second: servers send
both under that name.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Protocol

import brotli

STEP = 1 << 16


class DecodeError(ValueError):
    """The body does not decode with the encoding its header names."""


class Decoder(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...
    def flush(self) -> Iterator[bytes]: ...


class Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data

    def flush(self) -> Iterator[bytes]:
        return iter(())


class Zlib:
    """gzip (`wbits=31`, every member), zlib or raw deflate, in bounded steps."""

    def __init__(self, wbits: int, fallback_raw: bool = False) -> None:
        self.wbits = wbits
        self.obj = zlib.decompressobj(wbits)
        self.fallback_raw = fallback_raw
        self.started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.obj.eof and not self._next_member(data):
            return  # bytes after the stream: ignored, as browsers do
        while data:
            try:
                out = self.obj.decompress(data, STEP)
            except zlib.error as exc:
                if self.fallback_raw and not self.started:
                    self.obj, self.fallback_raw = zlib.decompressobj(-zlib.MAX_WBITS), False
                    continue
                raise DecodeError(f"corrupt compressed body: {exc}") from None
            self.started = True
            if out:
                yield out
            if self.obj.eof:
                data = self.obj.unused_data
                if not self._next_member(data):
                    return
            else:
                data = self.obj.unconsumed_tail

    def _next_member(self, data: bytes) -> bool:
        """A gzip stream may hold several members: start the next one."""
        if self.wbits == 31 and _is_gzip(data):
            self.obj = zlib.decompressobj(31)
            return True
        return False

    def flush(self) -> Iterator[bytes]:
        if not self.obj.eof and self.started:
            tail = self.obj.flush()
            if tail:
                yield tail[:STEP]


class Brotli:
    def __init__(self) -> None:
        self.obj = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        """brotli's limit is a soft one (it may emit a little more): output is drained
        with empty input until nothing is pending."""
        try:
            out = self.obj.process(data, output_buffer_limit=STEP)
            while out:
                yield out
                if self.obj.is_finished():
                    return
                out = self.obj.process(b"", output_buffer_limit=STEP)
        except brotli.error as exc:
            raise DecodeError(f"corrupt brotli body: {exc}") from None

    def flush(self) -> Iterator[bytes]:
        return iter(())


def _is_gzip(data: bytes) -> bool:
    return data[:2] == b"\x1f\x8b"


def _one(name: str) -> Decoder:
    if name in ("gzip", "x-gzip"):
        return Zlib(31)
    if name == "deflate":
        return Zlib(zlib.MAX_WBITS, fallback_raw=True)
    if name == "br":
        return Brotli()
    if name in ("identity", ""):
        return Identity()
    raise DecodeError(f"unsupported content-encoding: {name[:40]}")


class Chain:
    """Encodings listed in the header are undone in reverse order."""

    def __init__(self, header: str | None) -> None:
        names = [n.strip().lower() for n in (header or "").split(",") if n.strip()]
        self.decoders = [_one(n) for n in reversed(names)] or [Identity()]

    def feed(self, data: bytes) -> Iterator[bytes]:
        yield from self._through(0, data)

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self.decoders):
            yield data
            return
        for piece in self.decoders[index].feed(data):
            yield from self._through(index + 1, piece)

    def flush(self) -> Iterator[bytes]:
        for index, decoder in enumerate(self.decoders):
            for piece in decoder.flush():
                yield from self._through(index + 1, piece)
