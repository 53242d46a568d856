"""The metadata readers' fast paths give what the plain code they replaced gave.

Each rewrite for speed (docs/metadata.md, cost) keeps its old form here as the
reference and is compared with it on generated text.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.metadata import date_scan

# Digits (ASCII and others), the years' letters, separators: dense in year-like runs.
_YEARISH = st.text(alphabet="0123456789١٢٠٩ /-.年x", max_size=120)


def _old_year_positions(text: str) -> list[int]:
    """What year_windows walked before: one alternation, digit neighbours skipped."""
    found = []
    for year in re.finditer(r"(?:199|20[0-4])\d", text):
        at = year.start()
        if (at and text[at - 1].isdigit()) or text[at + 4 : at + 5].isdigit():
            continue
        found.append(at)
    return found


@settings(max_examples=500, deadline=None, derandomize=True)
@given(_YEARISH)
def test_year_positions_as_the_alternation(text: str) -> None:
    assert date_scan.year_positions(text) == _old_year_positions(text)


def test_year_positions_examples() -> None:
    text = "2019 x 1999-2003 20202 19990 ٢٠٢٠ 2050 2049/"
    assert date_scan.year_positions(text) == _old_year_positions(text) == [0, 7, 12, 39]
