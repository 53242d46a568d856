"""Code-point classes and token hashes: the tables the compiled page loops read.

A page is turned into an array of code points once (`codepoints`); the
loops of `kernels` read each character's class bits from `table()` and its
lower-case form from `lower_table()` (the Basic Multilingual Plane; astral
characters read the last row, a letter).

Token hashes: a token is a maximal run of letters/digits, lower-cased
(one-to-one case mappings only), hashed with 64-bit FNV-1a (Fowler, Noll
and Vo; one xor and one multiply per character); a phrase's hash combines
its tokens' hashes (`combine`).
Word lists are hashed here by the same functions the loops use.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from copydesk import vocab

(SPACE, ALNUM, DIGIT, UPPER, TERMINAL, CLOSER, CJK, COMMA, SEPARATOR, BULLET, COLON,
 LOWER, AT, COPYRIGHT, ODD_BREAK) = (1 << i for i in range(15))
ODD_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # line breaks other than \n

# Scripts written without spaces between words (counted ~2 characters a word):
# Hiragana/Katakana, CJK ideographs, Hangul syllables, Thai.
_CJK_RANGES = ((0x3040, 0x30FF), (0x3400, 0x9FFF), (0xAC00, 0xD7AF), (0x0E00, 0x0E7F))
_ASTRAL = 0xFFFF  # code points above the BMP read this row (a non-character: a letter)

P = 0x100000001B3  # FNV-64 prime
OFFSET = 0xCBF29CE484222325  # FNV-64 offset basis
_MOD = (1 << 64) - 1


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
    for chars, flag in ((vocab.SENTENCE_END, TERMINAL), (vocab.CLOSERS, CLOSER),
                        (vocab.COMMAS, COMMA), (vocab.SEPARATORS, SEPARATOR),
                        (vocab.BULLETS, BULLET), (vocab.COLONS, COLON), ("@＠", AT),
                        ("©", COPYRIGHT),
                        (ODD_BREAKS, ODD_BREAK)):
        for c in chars:
            flags[ord(c)] |= flag
    flags[_ASTRAL] = ALNUM
    return flags


@lru_cache(maxsize=1)
def lower_table() -> np.ndarray:
    """Lower-case code point of every BMP code point (itself when not one-to-one)."""
    low = np.arange(0x10000, dtype=np.uint16)
    for i in range(0x10000):
        c = chr(i).lower()
        if len(c) == 1 and ord(c) <= 0xFFFF:
            low[i] = ord(c)
    return low


def codepoints(text: str) -> np.ndarray:
    """The code points of `text` as uint32 (UTF-32 is one unit per character)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def hash_token(token: str) -> int:
    """The hash `kernels.scan_lines` gives `token` (for building word lists)."""
    low = lower_table()
    h = OFFSET
    for c in token:
        h = ((h ^ int(low[min(ord(c), _ASTRAL)])) * P) & _MOD
    return h


K = 0x9E3779B97F4A7C15  # odd multiplier combining token hashes into n-gram hashes


def combine(first: int, second: int) -> int:
    """Hash of the n-gram `first` followed by token `second`."""
    return (first * K + second) & _MOD
