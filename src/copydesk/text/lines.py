"""A text dump -> non-empty lines with their layout, bounded and vectorisable.

The only layout a flattened page keeps is its line breaks and blank lines;
both are features (menus are runs of short lines without blank lines,
article paragraphs are often separated by blank lines). `split_lines`
returns the prepared text (newlines normalised, long lines cut), the span of
every non-empty line in it (so `features` can count characters with numpy
over the whole page at once), the whitespace-normalised line texts and the
blank-line flags.

Bounds: at most `MAX_TEXT_CHARS` characters and `MAX_LINES` lines are
read, and a line longer than `MAX_LINE_CHARS` is cut into pieces at
whitespace (a 10 MB line costs linear time and yields bounded blocks); each
cap hit is noted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

MAX_LINE_CHARS = 5_000  # ~800 words: longer than any paragraph in AEB/Readability
MAX_LINES = 100_000  # far above real pages (AEB flattened: ~250 lines on average)
# Characters read from one dump: ~800x the average AEB page flattened (10 KB);
# bounds the per-character numpy arrays of `features` to ~200 MB.
MAX_TEXT_CHARS = 8_000_000
_ODD_BREAKS = re.compile(r"[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


@dataclass(slots=True)
class Lines:
    """Non-empty lines of a prepared text, in order."""

    text: str  # the prepared text the spans point into
    starts: np.ndarray  # start offset of each non-empty line in `text`
    ends: np.ndarray  # end offset (exclusive)
    texts: list[str]  # whitespace-normalised line texts
    gap_before: np.ndarray  # a blank line (or the start) precedes the line
    gap_after: np.ndarray  # a blank line (or the end) follows the line
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)


def split_lines(text: str) -> Lines:
    """Non-empty lines of `text` with spans, normalised texts and blank-line flags."""
    notes: list[str] = []
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS]
        notes.append(f"text cap hit: only the first {MAX_TEXT_CHARS} characters read")
    if _ODD_BREAKS.search(text):
        text = _ODD_BREAKS.sub("\n", text.replace("\r\n", "\n"))
    raw = text.split("\n")
    if len(raw) > MAX_LINES:
        raw = raw[:MAX_LINES]
        notes.append(f"line cap hit: only the first {MAX_LINES} lines read")
    if raw and max(map(len, raw)) > MAX_LINE_CHARS:
        raw = [piece for line in raw for piece in _pieces(line)]
        notes.append(f"long line(s) cut into pieces of <= {MAX_LINE_CHARS} chars")
    return _index(raw, notes)


def _index(raw: list[str], notes: list[str]) -> Lines:
    lengths = np.fromiter(map(len, raw), dtype=np.int64, count=len(raw))
    starts_all = np.cumsum(lengths + 1) - (lengths + 1)
    normal = [" ".join(line.split()) for line in raw]
    filled = np.fromiter(map(bool, normal), dtype=bool, count=len(raw))
    keep = np.flatnonzero(filled)
    prev_empty = np.concatenate(([True], ~filled[:-1]))
    next_empty = np.concatenate((~filled[1:], [True]))
    return Lines(
        text="\n".join(raw),
        starts=starts_all[keep],
        ends=starts_all[keep] + lengths[keep],
        texts=[normal[i] for i in keep.tolist()],
        gap_before=prev_empty[keep],
        gap_after=next_empty[keep],
        notes=notes,
    )


def _pieces(raw: str) -> list[str]:
    """`raw` itself, or cut at whitespace into pieces of at most MAX_LINE_CHARS."""
    if len(raw) <= MAX_LINE_CHARS:
        return [raw]
    pieces = []
    start = 0
    while start < len(raw):
        end = min(start + MAX_LINE_CHARS, len(raw))
        if end < len(raw):
            cut = raw.rfind(" ", start + MAX_LINE_CHARS // 2, end)
            end = cut + 1 if cut > 0 else end
        pieces.append(raw[start:end])
        start = end
    return pieces
