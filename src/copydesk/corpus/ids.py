"""Stable, unique record ids and printable source names.

An id is a pure function of what identifies the record, never of how the
input was spelled or packed:

- a WARC record: its `WARC-Record-ID` (unique by the standard);
- else the canonical input (`canonical_input`: the real absolute path,
  symlinks and `./` resolved, a compression suffix `.gz` dropped) plus the
  record's position in it (record ordinal in a WARC, line number in JSONL;
  a page file is its own position), so `two`, `./two/` and `/abs/two` give
  the same ids, and so do `x.warc` and `x.warc.gz`;
- a JSONL line's own id field when it has one (JSON `true` is `true`, not
  `True`).

Ids are then made unique per run by `IdRegistry` (the sink claims each id;
a repeat, such as a JSONL `id` given twice, or the same WARC in two inputs,
becomes `ID#2`, `ID#3`, in input order), so no two rows share an id.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

_COMPRESSED = (".gz", ".gzip")


def stable_id(source: str) -> str:
    """20 hex chars of sha1(source): short, stable across runs and machines."""
    return hashlib.sha1(source.encode("utf-8", "backslashreplace")).hexdigest()[:20]


def canonical_input(path: str) -> str:
    """The input's identity: real absolute path without a compression suffix."""
    if path == "-":
        return "<stdin>"
    real = display_path(os.path.realpath(path))
    low = real.lower()
    for suffix in _COMPRESSED:
        if low.endswith(suffix):
            return real[: -len(suffix)]
    return real


def position_id(canonical: str, position: int | str | None = None) -> str:
    """The id of a record without an id of its own."""
    return stable_id(canonical if position is None else f"{canonical}#{position}")


def warc_id(record_id: str) -> str:
    return stable_id("warc:" + record_id.strip())


def given_id(value: Any) -> str | None:
    """A JSONL id field as text: strings as they are, other scalars in JSON spelling."""
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, str):
        return value or None
    return json.dumps(value)


class IdRegistry:
    """Makes ids unique in one run: the first claim keeps the id, repeats get `#n`.

    Memory: one Python str per row (about 70 bytes for a 20-char id), so ~0.7 GB
    for 10 million rows; `--resume` rebuilds it from the committed rows."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.repeats: dict[str, int] = {}

    def claim(self, rid: str) -> str:
        if rid not in self.seen:
            self.seen.add(rid)
            return rid
        n = self.repeats.get(rid, 1)
        while True:
            n += 1
            candidate = f"{rid}#{n}"
            if candidate not in self.seen:
                self.repeats[rid] = n
                self.seen.add(candidate)
                return candidate


def display_path(path: str | bytes) -> str:
    """A path as valid UTF-8 text: undecodable bytes of a file name become `\\xNN`."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace")
