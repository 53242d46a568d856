"""Input specs -> Items, whatever the container: page files, .gz, WARC, JSONL, stdin.

The container is decided by magic bytes after peeling gzip layers
(`sniff.container_of`), not by the file name. One page file is one record; a
WARC or JSONL file holds many. A file that cannot be read at all yields one
error row with the reason, and the run goes on with the next file.
"""

from __future__ import annotations

import gzip
import io
import sys
import zlib
from collections.abc import Iterator
from typing import IO

from copydesk.article import Record
from copydesk.corpus.files import STDIN, InputFile, expand_inputs
from copydesk.corpus.ids import canonical_input, position_id
from copydesk.corpus.items import Item, ReadConfig, error_item, file_error_item, resume_key
from copydesk.corpus.jsonl import read_jsonl
from copydesk.corpus.sniff import container_of, unsupported_compression
from copydesk.corpus.warc import read_warc
from copydesk.errors import InputError
from copydesk.gz import MAX_LAYERS, gunzip_capped, inflate_until_error, is_gzip

_HEAD = 1 << 16


def iter_items(specs: list[str], cfg: ReadConfig) -> Iterator[Item]:
    """Every input record of every input, in a stable order."""
    for entry in expand_inputs(specs, cfg.stats, cfg.include):
        if entry.error is not None:
            yield file_error_item(cfg, entry.name, entry.error)
            continue
        try:
            canonical = canonical_input(entry.path)
            for item in _read_input(entry, cfg):
                item.group = item.group or entry.name  # a container's records: its name
                item.key = item.key or resume_key(canonical, item)
                yield item
        except (OSError, EOFError, zlib.error) as exc:
            yield file_error_item(cfg, entry.name, f"cannot read: {exc}")


def _read_input(entry: InputFile, cfg: ReadConfig) -> Iterator[Item]:
    raw: IO[bytes] = sys.stdin.buffer if entry.path == STDIN else open(entry.path, "rb")  # noqa: SIM115
    canonical = canonical_input(entry.path)
    done = cfg.stats.bytes_done
    try:
        for item in _read_opened(raw, entry, canonical, cfg):
            if raw is not sys.stdin.buffer:
                cfg.stats.bytes_done = done + raw.tell()  # for the progress bar
            yield item
    finally:
        if raw is not sys.stdin.buffer:
            raw.close()


def _read_opened(raw: IO[bytes], entry: InputFile, canonical: str,
             cfg: ReadConfig) -> Iterator[Item]:
    raw_head = raw.read(_HEAD)
    head, layers = sniff_head(raw_head)
    kind = unsupported_compression(head)
    if kind:
        yield file_error_item(cfg, entry.name, f"unsupported compression: {kind}")
        return
    container = container_of(head, entry.name)
    stream: IO[bytes] = io.BufferedReader(_Prefixed(raw_head, raw), buffer_size=_HEAD)
    if container == "warc":
        yield from read_warc(stream, layers, entry.name, canonical, cfg)
    elif container == "jsonl":
        yield from read_jsonl(_ungzip(stream, layers), entry.name, canonical, cfg)
    elif container == "arc":
        yield file_error_item(cfg, entry.name, "ARC (pre-WARC) files are not supported")
    else:
        item = _page_item(stream, entry.name, canonical, cfg)
        item.group = entry.folder if entry.path != STDIN else entry.name
        yield item


def sniff_head(raw_head: bytes) -> tuple[bytes, int]:
    """(first decompressed bytes, gzip layers): tolerant of damage further on."""
    head, layers = raw_head, 0
    while is_gzip(head) and layers < MAX_LAYERS:
        head, layers = _inflate_prefix(head), layers + 1
    return head, layers


def _inflate_prefix(data: bytes) -> bytes:
    """As much of `data` as inflates cleanly, at most `_HEAD` bytes: a piece that
    fails (a flipped CRC byte at the end of a small first member) is re-fed in
    small steps from a copy, so the output before the damage is kept."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = b""
    for start in range(0, len(data), 1024):
        saved = inflater.copy()
        try:
            out += inflater.decompress(data[start:start + 1024], _HEAD - len(out))
        except zlib.error:
            piece = data[start:start + 1024]
            return out + inflate_until_error(saved, piece, _HEAD - len(out), step=16)
        if len(out) >= _HEAD or inflater.eof:
            break
    return out


def _ungzip(stream: IO[bytes], layers: int) -> IO[bytes]:
    for _ in range(layers):
        stream = gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[assignment]
    return stream


def _page_item(stream: IO[bytes], name: str, canonical: str, cfg: ReadConfig) -> Item:
    """One page file: capped read, every gzip layer inflated with the cap."""
    try:
        data = stream.read(cfg.max_bytes + 1)
        if len(data) > cfg.max_bytes:
            raise InputError(f"too large: over {cfg.max_bytes} bytes")
        data = gunzip_capped(data, cfg.max_bytes)
    except InputError as exc:
        return error_item(name, str(exc), url=cfg.url, record_id=position_id(canonical))
    except (OSError, EOFError, zlib.error) as exc:
        return error_item(name, f"corrupt gzip: {exc}", url=cfg.url,
                          record_id=position_id(canonical))
    record = Record(content=data, url=cfg.url, id=position_id(canonical), source=name,
                    input_format=cfg.input_format)
    return Item(record)


class _Prefixed(io.RawIOBase):
    """A raw stream that replays `head` and then reads on from `rest`."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self.head = memoryview(head)
        self.rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        data = self.rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
