"""A gzip file as a sequence of members, resynchronising past damage with a bound.

Common Crawl writes one gzip member per WARC record; other tools gzip the whole
file as one member. Either way, damage (a truncated member, a flipped CRC
byte, bytes between members, bytes that merely look like the gzip magic)
must cost the damaged stretch only. `members()` yields one `Member` per gzip
member and one `Damage` per stretch it had to skip:

- a member that fails to inflate (bad data, bad CRC, cut short) ends with
  `Member.damage` set; whatever it decompressed before is still returned;
- after damage or garbage, the next member is found by scanning for the magic
  `1f 8b 08` and *validating* the candidate: a few hundred bytes must inflate
  and the output must pass `valid_start` (for WARC: begin with `WARC/`).
  Fake magic bytes therefore cost one failed inflate of at most `_PROBE`
  bytes each, and the scan is linear: 600 KB of fake magic takes about a
  second, not minutes;
- compressed bytes of the current member are kept in a window of at most
  `_WINDOW` bytes, so a damaged member can be rescanned from its start + 1
  without seeking (stdin works too) and memory stays bounded.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from copydesk.gz import inflate_until_error

MAGIC = b"\x1f\x8b\x08"
_CHUNK = 1 << 16
_WINDOW = 1 << 20
_PROBE = 1024


@dataclass(slots=True)
class Damage:
    """A stretch of the file that held no readable member."""

    offset: int
    size: int
    reason: str
    follows_damage: bool = False  # the rest of a damaged member (already reported by it)


def warc_start(out: bytes) -> bool:
    """Does decompressed output look like the start of a WARC record?"""
    return out.lstrip(b"\r\n")[:5] == b"WARC/"


class _Input:
    """Compressed bytes with their file offsets. `buf[pos:]` is unread; taking bytes
    moves `pos` (no copy), so scanning fake magic bytes one by one stays linear."""

    def __init__(self, raw: IO[bytes], base: int = 0) -> None:
        self.raw = raw
        self.buf = b""
        self.pos = 0
        self.at = base  # file offset of buf[pos]
        self.eof = False

    def size(self) -> int:
        return len(self.buf) - self.pos

    def fill(self, need: int = 1) -> bool:
        """Make the unread part hold at least `need` bytes when the file has them."""
        while self.size() < need and not self.eof:
            more = self.raw.read(max(_CHUNK, need - self.size()))
            if not more:
                self.eof = True
            else:
                self.buf = self.buf[self.pos:] + more
                self.pos = 0
        return self.size() >= need

    def peek(self, n: int) -> bytes:
        return self.buf[self.pos:self.pos + n]

    def find(self, needle: bytes) -> int:
        at = self.buf.find(needle, self.pos)
        return -1 if at < 0 else at - self.pos

    def take(self, n: int) -> bytes:
        n = max(0, min(n, self.size()))
        data = self.buf[self.pos:self.pos + n]
        self.pos += n
        self.at += n
        return data

    def push_front(self, data: bytes) -> None:
        self.buf = data + self.buf[self.pos:]
        self.pos = 0
        self.at -= len(data)


class Member:
    """One gzip member's decompressed bytes, read in pieces; `damage` set if it broke."""

    def __init__(self, source: _Input, window: bytearray) -> None:
        self.source = source
        self.offset = source.at
        self.window = window  # compressed bytes consumed by this member (bounded)
        self.window_at = source.at
        self.z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self.damage: str | None = None
        self.done = False
        self.tail = b""  # unconsumed compressed input of the last step

    def read(self, n: int) -> bytes:
        """Up to `n` decompressed bytes; b"" at the member's end (or its damage)."""
        while not self.done:
            if not self.tail:
                if not self.source.fill():
                    self._fail("truncated gzip member")
                    return b""
                self.tail = self.source.take(_CHUNK)
                self._keep(self.tail)
            saved = self.z.copy()
            try:
                out = self.z.decompress(self.tail, n)
            except zlib.error as exc:
                out = inflate_until_error(saved, self.tail, n)  # the bytes before the damage
                self._fail(f"corrupt gzip member: {exc}")
                return out
            self.tail = self.z.unconsumed_tail
            if self.z.eof:
                self._finish()
            if out:
                return out
        return b""

    def _keep(self, data: bytes) -> None:
        self.window += data
        if len(self.window) > _WINDOW:
            drop = len(self.window) - _WINDOW
            del self.window[:drop]
            self.window_at += drop

    def _finish(self) -> None:
        """Member ended cleanly: give the bytes after it back to the input."""
        rest = self.z.unused_data + self.tail
        self.source.push_front(rest)
        if rest:
            del self.window[len(self.window) - len(rest):]
        self.tail = b""
        self.done = True

    def _fail(self, reason: str) -> None:
        """Damaged: put back the window (from offset + 1) for the resync scan."""
        self.damage = reason
        self.done = True
        start = max(self.offset + 1, self.window_at)
        replay = bytes(self.window[start - self.window_at:])  # the unconsumed tail included
        self.tail = b""
        self.source.push_front(replay)


def _probe(candidate: bytes, valid_start: Callable[[bytes], bool]) -> bool:
    """Does a gzip member really start here (it inflates, and its output is valid)?"""
    if len(candidate) < 10 or candidate[3] & 0xE0:
        return False
    z = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = z.decompress(candidate, 64)
    except zlib.error:
        return False
    return valid_start(out) if out else z.eof


def _scan(source: _Input, valid_start: Callable[[bytes], bool]) -> int:
    """Skip to the next valid member; returns the number of bytes skipped."""
    skipped = 0
    while source.fill(len(MAGIC)):
        hit = source.find(MAGIC)
        if hit < 0:
            skipped += len(source.take(source.size() - len(MAGIC) + 1))
            if not source.fill(len(MAGIC)):
                break
            continue
        skipped += len(source.take(hit))
        source.fill(_PROBE)
        if _probe(source.peek(_PROBE), valid_start):
            return skipped
        skipped += len(source.take(1))
    return skipped + len(source.take(source.size()))


def members(raw: IO[bytes], valid_start: Callable[[bytes], bool] = warc_start,
            base: int = 0) -> Iterator[Member | Damage]:
    """Members of the gzip stream `raw` (positioned at file offset `base`), in order,
    with a `Damage` for every stretch skipped between them."""
    source = _Input(raw, base)
    first, broken = True, False
    while source.fill(1):
        at = source.at
        starts = source.peek(3) == MAGIC and (first or _probe_at(source, valid_start))
        if not starts:
            skipped = _scan(source, valid_start)
            if skipped:
                yield Damage(at, skipped, f"{skipped} bytes that are not a gzip member",
                             follows_damage=broken)
            broken = False
            continue
        first = False
        member = Member(source, bytearray())
        yield member
        while not member.done:  # the consumer may stop early: drain what it left
            if not member.read(_CHUNK):
                break
        broken = member.damage is not None


def _probe_at(source: _Input, valid_start: Callable[[bytes], bool]) -> bool:
    source.fill(_PROBE)
    return _probe(source.peek(_PROBE), valid_start)
