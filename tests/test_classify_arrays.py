"""`classify.arrays` converts Python values as numpy's own conversion does."""

from __future__ import annotations

import numpy as np
import pytest

from copydesk.classify.arrays import float64s, int64s


@pytest.mark.parametrize("values", [[], [0], [1, -2, 2**62, -(2**63)], [True, False, 3]])
def test_ints_convert_as_numpy_converts_them(values: list[int]) -> None:
    got = int64s(iter(values), len(values))
    want = np.fromiter(values, dtype=np.int64, count=len(values))
    assert got.dtype == want.dtype and np.array_equal(got, want)


@pytest.mark.parametrize("values", [[], [0.1, -0.0, 1e308, 5e-324], [1, 2.5, True], [float("inf")]])
def test_floats_convert_bit_for_bit(values: list[float]) -> None:
    got = float64s(map(float, values), len(values))
    want = np.fromiter(values, dtype=np.float64, count=len(values))
    assert got.tobytes() == want.tobytes()


def test_a_wrong_count_is_an_error_not_a_short_array() -> None:
    with pytest.raises(Exception, match="pack expected 3 items"):
        int64s([1, 2], 3)
