"""Python ints and floats -> numpy arrays, for half of what numpy's own conversion costs.

The block matrix starts from Python values: per element of the page (parent,
tag, flags, class/id weights), per block (sizes, kind, decision) and per
scored region. `np.array` and `np.fromiter` convert element by element
through numpy's generic machinery (dtype discovery, then a setitem per value:
about 250-300 instructions each under callgrind), while `struct.pack` packs
the same values into native bytes in one C loop (about 150, its format
string included) and `np.frombuffer` views them without a copy. A page
converts a few thousand values, so this was a sixth of the matrix's cost.

The arrays hold the same numbers: struct's native "q" and "d" are numpy's
int64 and float64 (Python ints, bools and floats convert exactly as numpy
converts them). They are read-only views of the packed bytes: callers that
write build a new array (`a | b`, `take`) rather than writing in place.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

import numpy as np


def int64s(values: Iterable[int], count: int) -> np.ndarray:
    """`np.fromiter(values, np.int64, count)`: `count` must be the number of values."""
    return np.frombuffer(struct.pack(f"{count}q", *values), dtype=np.int64)


def float64s(values: Iterable[float], count: int) -> np.ndarray:
    """`np.fromiter(values, np.float64, count)`: `count` must be the number of values."""
    return np.frombuffer(struct.pack(f"{count}d", *values), dtype=np.float64)
