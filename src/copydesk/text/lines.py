"""A text dump -> lines with their layout (blank lines around them), bounded.

The only layout a flattened page keeps is its line breaks and blank lines;
both are features (menus are runs of short lines without blank lines,
article paragraphs are often separated by blank lines). Lines are
whitespace-normalised. Bounds: a line longer than `MAX_LINE_CHARS` is cut
into pieces at whitespace (so a 10 MB line costs linear time and yields
bounded blocks), and at most `MAX_LINES` lines are read.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_LINE_CHARS = 5_000  # ~800 words: longer than any real paragraph in AEB/Readability
MAX_LINES = 100_000  # far above real pages (AEB flattened: ~250 lines on average)


@dataclass(slots=True)
class Line:
    """One non-empty line: its text and whether a blank line precedes/follows it."""

    text: str
    gap_before: bool
    gap_after: bool = False


def split_lines(text: str) -> tuple[list[Line], list[str]]:
    """Non-empty, whitespace-normalised lines and notes about caps that were hit."""
    out: list[Line] = []
    notes: list[str] = []
    gap = True
    for raw in text.splitlines():
        if len(out) >= MAX_LINES:
            notes.append(f"line cap hit: only the first {MAX_LINES} lines read")
            break
        for piece in _pieces(raw):
            clean = " ".join(piece.split())
            if not clean:
                gap = True
                if out:
                    out[-1].gap_after = True
                continue
            out.append(Line(clean, gap))
            gap = False
        if len(raw) > MAX_LINE_CHARS and not any("long line" in n for n in notes):
            notes.append(f"long line cut into pieces of <= {MAX_LINE_CHARS} chars")
    if out:
        out[-1].gap_after = True
    return out, notes


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
