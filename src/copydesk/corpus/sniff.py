"""Container format by magic bytes, not by file name.

A file called `.gz` that is not gzip, or a WARC without the extension, is
recognised from its first bytes. The name only breaks ties (a page that
happens to start with `{`).
"""

from __future__ import annotations

import json
import re

# Compression formats we recognise but do not read: a clear file-level error.
_UNSUPPORTED: tuple[tuple[bytes, str], ...] = (
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"PK\x03\x04", "zip"),
)
_OBJECT_START = re.compile(rb'\{\s*"[^"\n]{0,200}"\s*:')
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json", ".jsonl.gz", ".ndjson.gz", ".json.gz")


def unsupported_compression(head: bytes) -> str | None:
    for magic, name in _UNSUPPORTED:
        if head.startswith(magic):
            return name
    return None


def container_of(head: bytes, name: str = "") -> str:
    """"warc", "arc", "jsonl" or "page" for decompressed leading bytes."""
    body = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    if body.startswith(b"WARC/"):
        return "warc"
    if body.startswith(b"filedesc://"):
        return "arc"
    named = name.lower().endswith(_JSONL_SUFFIXES)
    if body.startswith(b"{") and (named or _first_line_is_object(body)):
        return "jsonl"
    return "page"


def _first_line_is_object(body: bytes) -> bool:
    line = body.split(b"\n", 1)[0]
    if len(line) >= len(body) and len(body) >= 65536:
        # A first line longer than the head (a 64 KB page in one JSON object on stdin):
        # an object that opens with a quoted key is JSON; a page never starts so.
        return _OBJECT_START.match(line) is not None
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False
