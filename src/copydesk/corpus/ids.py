"""Stable record ids and printable source names.

An id is the input's own id when it gives one, else a hash of the source
string (path plus position: WARC offset, JSONL line), so the same input gives
the same id on every run and two records of one file never collide.
"""

from __future__ import annotations

import hashlib
import os


def stable_id(source: str) -> str:
    """20 hex chars of sha1(source): short, stable across runs and machines."""
    return hashlib.sha1(source.encode("utf-8", "backslashreplace")).hexdigest()[:20]


def display_path(path: str | bytes) -> str:
    """A path as valid UTF-8 text: undecodable bytes of a file name become `\\xNN`."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace")
