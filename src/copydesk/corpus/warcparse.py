"""WARC records out of a byte stream, each with its own bounds and resynchronisation.

ISO 28500 layout: a `WARC/1.x` line, named fields, a blank line, the block
(`Content-Length` bytes), two CRLFs. Real files break it in every way; each
case costs one record at most:

- a `Content-Length` that lies (too small, too large, negative, not a
  number) or is missing: the record is checked to end at a record boundary
  (CR/LF, then `WARC/` or the end); when it does not, it ends at the next
  `WARC/1.` line instead (searched in bounded pieces);
- a body cut short by the end of the file (writer killed): `truncated record`;
  by the damage of its gzip member: the member's reason;
- bytes between records that are not a record: skipped to the next line that
  starts with `WARC/`, reported once per stretch as `Damage`;
- headers are bounded (`MAX_HEADER_BYTES`), blocks by `cap` (the rest is
  skipped without being kept: `too large`).

A gzip member's end is a record's end (one member per record is what the
standard recommends and Common Crawl does; a whole-file gzip is one member
holding every record), so a lying length never swallows the next member.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Protocol

from copydesk.corpus.gzmembers import Damage

MAX_HEADER_BYTES = 4 * 1024 * 1024
_LINE = 1 << 16
_CHUNK = 1 << 16
_BOUNDARY = b"\nWARC/1."


class Source(Protocol):
    offset: int
    damage: str | None

    def read(self, n: int) -> bytes: ...


class PlainSource:
    """An uncompressed WARC (file or stream) as one source."""

    damage: str | None = None

    def __init__(self, raw: IO[bytes], offset: int = 0) -> None:
        self.raw, self.offset = raw, offset

    def read(self, n: int) -> bytes:
        return self.raw.read(n)


@dataclass(slots=True)
class RawRecord:
    """One record as read: where it starts, its fields, its block (or why not)."""

    offset: int  # file offset of its gzip member (uncompressed file: of the record)
    inner: int  # offset inside the member's decompressed bytes (0: the member starts with it)
    headers: dict[str, str] = field(default_factory=dict)  # names lower-cased, first wins
    block: bytes = b""
    problem: str | None = None  # truncated, too large, corrupt gzip member, ...


class _Buffer:
    """Buffered reads over a source, with push-back; `at` = offset in the source."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.buf = b""
        self.pos = 0
        self.at = 0
        self.eof = False

    def size(self) -> int:
        return len(self.buf) - self.pos

    def fill(self, need: int) -> bool:
        while self.size() < need and not self.eof:
            more = self.source.read(max(_CHUNK, need - self.size()))
            if more:
                self.buf = self.buf[self.pos:] + more
                self.pos = 0
            else:
                self.eof = True
        return self.size() >= need

    def read(self, n: int) -> bytes:
        parts, want = [], n
        while want > 0 and self.fill(1):
            piece = self.buf[self.pos:self.pos + want]
            self.pos += len(piece)
            self.at += len(piece)
            want -= len(piece)
            parts.append(piece)
        return b"".join(parts)

    def readline(self, limit: int) -> bytes:
        """One line with its newline, at most `limit` bytes."""
        while True:
            end = self.buf.find(b"\n", self.pos, self.pos + limit)
            if end >= 0:
                return self.read(end + 1 - self.pos)
            if self.size() >= limit or not self.fill(self.size() + 1):
                return self.read(min(limit, self.size()))

    def skip_newlines(self) -> None:
        while self.fill(1) and self.buf[self.pos] in b"\r\n":
            self.pos += 1
            self.at += 1

    def unread(self, data: bytes) -> None:
        self.buf = data + self.buf[self.pos:]
        self.pos = 0
        self.at -= len(data)

    def at_boundary(self) -> bool:
        """Only CR/LF, then the next record (or the end) follows."""
        self.skip_newlines()
        self.fill(5)
        return self.size() == 0 or self.buf[self.pos:self.pos + 5] == b"WARC/"


def parse_source(source: Source, cap: int, gzipped: bool) -> Iterator[RawRecord | Damage]:
    """Records of one source (a gzip member or an uncompressed file), in order."""
    buf = _Buffer(source)
    records, attributed = 0, False
    while True:
        buf.skip_newlines()
        if not buf.fill(1):
            break
        start = buf.at
        line = buf.readline(_LINE)
        if not line.startswith(b"WARC/"):
            size = len(line) + _skip_to_record(buf)
            if not (buf.eof and source.damage):
                yield Damage(_where(source, start, gzipped), size,
                             f"{size} bytes between records that are not a WARC record")
            continue
        rec = _read_record(buf, source, start, cap, gzipped)
        records += 1
        attributed = rec.problem == source.damage and rec.inner == 0 and records == 1
        yield rec
    if source.damage and not attributed:
        yield Damage(source.offset, 0, f"{source.damage}; the rest of this gzip member is lost")


def _where(source: Source, inner: int, gzipped: bool) -> int:
    return source.offset if gzipped else source.offset + inner


def _skip_to_record(buf: _Buffer) -> int:
    """Skip lines up to the next one that starts with `WARC/`; bytes skipped."""
    skipped = 0
    while buf.fill(1):
        if buf.buf[buf.pos:buf.pos + 5] == b"WARC/":
            break
        skipped += len(buf.readline(_LINE))
    return skipped


def _read_record(buf: _Buffer, source: Source, start: int, cap: int,
                 gzipped: bool) -> RawRecord:
    rec = RawRecord(_where(source, start, gzipped), start if gzipped else 0)
    rec.problem = _read_headers(buf, rec.headers)
    if rec.problem is None:
        rec.block, rec.problem = _read_block(buf, rec.headers.get("content-length"), cap, gzipped)
    if rec.problem is None and buf.eof and source.damage:
        rec.problem = source.damage  # e.g. a CRC mismatch found at the member's end
    elif rec.problem and rec.problem.startswith("truncated") and source.damage:
        rec.problem = source.damage
    return rec


def _read_headers(buf: _Buffer, headers: dict[str, str]) -> str | None:
    budget = MAX_HEADER_BYTES
    last = ""
    while True:
        line = buf.readline(min(_LINE * 16, budget))
        budget -= len(line)
        if not line:
            return "truncated record: the file ends inside its WARC header"
        if line in (b"\r\n", b"\n"):
            return None
        if budget <= 0:
            return f"WARC header over {MAX_HEADER_BYTES} bytes"
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        if text[:1] in (" ", "\t") and last:
            headers[last] += " " + text.strip()
            continue
        name, sep, value = text.partition(":")
        if sep:
            last = name.strip().lower()
            headers.setdefault(last, value.strip())


def _length(value: str | None) -> int | None:
    if value is None:
        return None
    value = value.strip()
    return int(value) if value.isdigit() and len(value) <= 18 else None


def _read_block(buf: _Buffer, declared: str | None, cap: int,
                gzipped: bool) -> tuple[bytes, str | None]:
    length = _length(declared)
    if length is None:
        return _to_boundary(buf, b"", cap, None, gzipped)
    if length > cap:
        return _skip_block(buf, length, cap)
    data = buf.read(length)
    if len(data) == length and buf.at_boundary():
        return data, None
    return _recover(buf, data, cap, length, gzipped)


def _recover(buf: _Buffer, data: bytes, cap: int, length: int,
             gzipped: bool) -> tuple[bytes, str | None]:
    """The length lied: the record ends at the next `WARC/1.` line."""
    hit = data.find(_BOUNDARY)
    if hit >= 0:
        buf.unread(data[hit + 1:])
        return _strip_separator(data[:hit + 1]), None
    if buf.eof or not buf.fill(1):
        if gzipped and len(data) < length:
            return _strip_separator(data), None  # the member's end is the record's end
        return data, f"truncated record: {len(data)} of {length} block bytes"
    return _to_boundary(buf, data, cap, length, gzipped)


def _to_boundary(buf: _Buffer, data: bytes, cap: int, length: int | None,
                 gzipped: bool) -> tuple[bytes, str | None]:
    """Read up to the next `WARC/1.` line (or the end), keeping at most `cap` bytes."""
    kept = [data]
    size = len(data)
    carry = data[-(len(_BOUNDARY) - 1):]
    while buf.fill(1):
        chunk = buf.read(_CHUNK)
        joined = carry + chunk
        hit = joined.find(_BOUNDARY)
        if hit >= 0:
            cut = hit + 1 - len(carry)
            buf.unread(chunk[cut:] if cut >= 0 else chunk)
            if cut < 0:  # the boundary began inside the carried tail
                kept[-1] = kept[-1][:cut]
                size += cut
            else:
                kept.append(chunk[:cut])
                size += cut
            break
        size += len(chunk)
        if size <= cap:
            kept.append(chunk)
        carry = joined[-(len(_BOUNDARY) - 1):]
    if size > cap:
        return b"", f"too large: block over {cap} bytes"
    body = _strip_separator(b"".join(kept))
    if length is not None and not gzipped and buf.eof and len(body) < length:
        return body, f"truncated record: {len(body)} of {length} block bytes"
    return body, None


def _skip_block(buf: _Buffer, length: int, cap: int) -> tuple[bytes, str | None]:
    """Skip a block over the cap without keeping it. Bytes from the first `WARC/1.`
    line inside it are kept (at most `cap`): when the file ends before the declared
    length (a lie, or a cut), reading resumes there, so later records survive."""
    left, carry = length, b""
    replay: list[bytes] = []
    kept = 0
    while left > 0 and buf.fill(1):
        chunk = buf.read(min(left, _CHUNK))
        left -= len(chunk)
        if replay and kept + len(chunk) <= cap:
            replay.append(chunk)
            kept += len(chunk)
        elif not replay:
            joined = carry + chunk
            hit = joined.find(_BOUNDARY)
            if hit >= 0:
                replay, kept = [joined[hit + 1:]], len(joined) - hit - 1
            carry = joined[-(len(_BOUNDARY) - 1):]
    if left > 0:
        if replay:
            buf.unread(b"".join(replay))
        return b"", f"truncated record: {length - left} of {length} block bytes"
    return b"", f"too large: block over {cap} bytes"


def _strip_separator(data: bytes) -> bytes:
    """Drop the record separator (CRLF CRLF) a boundary search leaves on the block."""
    for ending in (b"\r\n\r\n", b"\n\n", b"\r\n", b"\n"):
        if data.endswith(ending):
            return data[: -len(ending)]
    return data
