"""A text dump -> non-empty lines with their layout, bounded, in one compiled pass.

The only layout a flattened page keeps is its line breaks and blank lines;
both are features (menus are runs of short lines without blank lines,
article paragraphs are often separated by blank lines). `split_lines`
returns the prepared text (newlines normalised, long lines cut), the span
of every non-empty line in it, the blank-line flags, and what
`kernels.scan_lines` counted on each line (`Lines.raw`, `Lines.hashes`), so
a page's characters are visited once. Line texts (whitespace runs
collapsed) are sliced on demand: a line needs `collapse_spaces(line)`
only when it holds runs of spaces or other whitespace inside.

Bounds: at most `MAX_TEXT_CHARS` characters and `MAX_LINES` lines are
read, and a line longer than `MAX_LINE_CHARS` is cut into pieces at
whitespace (a 10 MB line costs linear time and yields bounded blocks); each
cap hit is noted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from copydesk.normalize import collapse_spaces
from copydesk.text import charclass as cc
from copydesk.text import kernels, vocab

# ~650 words: longer than any paragraph in AEB/Readability; below 2**12, the
# width of the packed per-line counters (`charclass`).
MAX_LINE_CHARS = 4_000
MAX_LINES = 100_000  # far above real pages (AEB flattened: ~250 lines on average)
# Characters read from one dump: ~800x the average AEB page flattened (10 KB);
# bounds the per-character numpy arrays of `features` to ~300 MB.
MAX_TEXT_CHARS = 8_000_000
_ODD_BREAKS = re.compile(f"[{cc.ODD_BREAKS}]")


@dataclass(slots=True)
class Lines:
    """Non-empty lines of a prepared text, in order.

    `texts` (whitespace-normalised) are sliced from `text` on first use:
    most callers only need the few lines that become Blocks (`text_of`).
    """

    text: str  # the prepared text the spans point into
    starts: np.ndarray  # start offset of each non-empty line in `text`
    ends: np.ndarray  # end offset (exclusive)
    gap_before: np.ndarray  # a blank line (or the start) precedes the line
    gap_after: np.ndarray  # a blank line (or the end) follows the line
    notes: list[str] = field(default_factory=list)
    raw: np.ndarray = field(default_factory=lambda: np.zeros((0, len(kernels.RAW_COLUMNS)),
                                                             dtype=np.int64))
    hashes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    _texts: list[str] | None = None

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def texts(self) -> list[str]:
        """Every line's text, whitespace runs collapsed to one space."""
        if self._texts is None:
            self._texts = self.text_of(range(len(self.starts)))
        return self._texts

    def text_of(self, rows: Sequence[int]) -> list[str]:
        """The texts of the lines `rows` (first to last non-space character; whitespace
        runs collapsed where the scan saw one: `R_NEEDS`, rare)."""
        sub, text = self.raw[list(rows)], self.text
        stops = (sub[:, kernels.R_LAST] + 1).tolist()
        out = [text[a:b] for a, b in zip(sub[:, kernels.R_FIRST].tolist(), stops, strict=True)]
        for k in np.flatnonzero(sub[:, kernels.R_NEEDS]).tolist():
            out[k] = collapse_spaces(out[k])
        return out


def split_lines(text: str) -> Lines:
    """Non-empty lines of `text` with spans, normalised texts and blank-line flags."""
    notes: list[str] = []
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS]
        notes.append(f"text cap hit: only the first {MAX_TEXT_CHARS} characters read")
    cps = cc.codepoints(text)
    starts, ends, odd_breaks = kernels.line_spans(cps, cc.table())
    if odd_breaks:  # \r, form feeds, U+2028...: rare, so a second pass
        text = _ODD_BREAKS.sub("\n", text.replace("\r\n", "\n"))
        cps = cc.codepoints(text)
        starts, ends, _ = kernels.line_spans(cps, cc.table())
    if len(starts) > MAX_LINES:
        notes.append(f"line cap hit: only the first {MAX_LINES} lines read")
        text = text[: int(ends[MAX_LINES - 1])]
        cps, starts, ends = cps[: len(text)], starts[:MAX_LINES], ends[:MAX_LINES]
    if len(text) > MAX_LINE_CHARS and int((ends - starts).max()) > MAX_LINE_CHARS:
        notes.append(f"long line(s) cut into pieces of <= {MAX_LINE_CHARS} chars")
        text = "\n".join(piece for line in text.split("\n") for piece in _pieces(line))
        cps = cc.codepoints(text)
        starts, ends, _ = kernels.line_spans(cps, cc.table())
    return _index(text, cps, starts, ends, notes)


def _index(text: str, cps: np.ndarray, starts: np.ndarray, ends: np.ndarray,
           notes: list[str]) -> Lines:
    keys, values, mults, bits = vocab.cuckoo_tables()
    raw, hashes, starts, ends, gap_before, gap_after = kernels.scan_lines(
        cps, starts, ends, cc.table(), cc.lower_table(), keys, values, mults, bits,
        np.uint64(vocab.by_hash()))
    return Lines(text=text, starts=starts, ends=ends, gap_before=gap_before,
                 gap_after=gap_after, notes=notes, raw=raw, hashes=hashes)


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
