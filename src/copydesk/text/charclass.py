"""Code-point classes as bit flags, for counting characters per line with numpy.

A page is turned into an array of code points once (`codepoints`); one
table lookup gives every character its classes, and per-line counts are
`np.add.reduceat` over line starts. This replaces a Python loop over
characters and words, which cost ~50 µs per line: the text-mode budget is
~1 ms per page of ~250 lines.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from copydesk.text import vocab

(SPACE, ALNUM, DIGIT, UPPER, TERMINAL, CLOSER, CJK, COMMA, SEPARATOR, BULLET, COLON,
 LOWER) = (1 << i for i in range(12))

# Scripts written without spaces between words (counted ~2 characters a word):
# Hiragana/Katakana, CJK ideographs, Hangul syllables, Thai.
_CJK_RANGES = ((0x3040, 0x30FF), (0x3400, 0x9FFF), (0xAC00, 0xD7AF), (0x0E00, 0x0E7F))
_BULLETS = "-*•·▪►◦‣–—"
_COMMAS = ",，、"


@lru_cache(maxsize=1)
def table() -> np.ndarray:
    """Flags of every BMP code point (built once, ~40 ms)."""
    flags = np.zeros(0x10000, dtype=np.uint16)
    for i in range(0x10000):
        c = chr(i)
        f = 0
        if c.isspace():
            f |= SPACE
        elif c.isalnum():
            f |= ALNUM | (DIGIT if c.isdigit() else 0) | (UPPER if c.isupper() else 0)
            f |= LOWER if c.islower() else 0
        flags[i] = f
    for lo, hi in _CJK_RANGES:
        flags[lo:hi + 1] |= CJK
    for chars, flag in ((vocab.terminal_chars(), TERMINAL), (vocab.closer_chars(), CLOSER),
                        (_COMMAS, COMMA), (vocab.separator_chars(), SEPARATOR),
                        (_BULLETS, BULLET), (":：", COLON)):
        for c in chars:
            flags[ord(c)] |= flag
    return flags


def codepoints(text: str) -> np.ndarray:
    """The code points of `text` as uint32 (UTF-32 is one unit per character)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def flags_of(cps: np.ndarray) -> np.ndarray:
    """Class flags per code point; astral characters count as letters."""
    flags = table()[np.minimum(cps, 0xFFFF)]
    flags[cps > 0xFFFF] = ALNUM
    return flags
