"""MinHash signatures of a body text, vectorised with numpy.

Shingles are runs of `SHINGLE_WORDS` whitespace tokens (Broder, "On the resemblance
and containment of documents", 1997; 5-word shingles as in the near-duplicate
work of Manku et al., WWW 2007, and datatrove's defaults). Tokens are hashed
with CRC32 (stable across processes, unlike Python's `hash`), a shingle hash
is a polynomial over its tokens mixed once by the splitmix64 finaliser
(Steele et al., 2014), and each of `NUM_PERM` permutations is
`x -> a*x + b mod 2^32` on the top 32 bits of the shingle hash, with odd `a`
(a bijection of 32-bit values, i.e. a permutation; multiply-add hashing after
Dietzfelbinger et al., 1997): two 32-bit vector operations per shingle and
permutation (half the memory traffic of 64-bit). The signature keeps each
minimum. Workers compute signatures, so the parent only looks up bands.
"""

from __future__ import annotations

import zlib

import numpy as np

NUM_PERM = 128
SHINGLE_WORDS = 5
_CHUNK = 4096  # shingles hashed at once: bounds the (NUM_PERM x chunk) temporary
_MULT = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime, used as polynomial base
_C1 = np.uint64(0xBF58476D1CE4E5B9)  # splitmix64 constants
_C2 = np.uint64(0x94D049BB133111EB)
_RNG = np.random.default_rng(20240101)
_A = (_RNG.integers(0, 2**31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1))[:, None]
_B = _RNG.integers(0, 2**32, NUM_PERM, dtype=np.uint32)[:, None]


def tokens(text: str) -> list[str]:
    """Case-folded whitespace tokens (punctuation stays attached: the same in every
    copy of a text, and half the cost of a `\\w+` regex)."""
    return text.casefold().split()


def shingle_hashes(text: str) -> np.ndarray:
    """64-bit hashes of the word shingles of `text` (one for a short text). Repeats
    are kept: they cannot change a minimum, and sorting them out costs more."""
    words = tokens(text)
    if not words:
        return np.zeros(0, dtype=np.uint64)
    toks = np.array(list(map(zlib.crc32, map(str.encode, words))), dtype=np.uint64)
    width = min(SHINGLE_WORDS, len(toks))
    count = len(toks) - width + 1
    acc = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(width):
            acc = acc * _MULT + toks[j:j + count]
        acc ^= acc >> np.uint64(30)
        acc *= _C1
        acc ^= acc >> np.uint64(27)
        acc *= _C2
        acc ^= acc >> np.uint64(31)
    return acc


def signature(text: str) -> np.ndarray | None:
    """NUM_PERM uint32 minima, or None for a text without words."""
    hashes = shingle_hashes(text)
    if hashes.size == 0:
        return None
    top = (hashes >> np.uint64(32)).astype(np.uint32)
    best = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for start in range(0, top.size, _CHUNK):
            x = top[None, start:start + _CHUNK] * _A
            x += _B
            np.minimum(best, x.min(axis=1), out=best)
    return best


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures (share of equal minima)."""
    return float(np.count_nonzero(a == b)) / len(a)
