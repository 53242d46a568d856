"""The metadata readers' fast paths give what the plain code they replaced gave.

Each rewrite for speed (docs/metadata.md, cost) keeps its old form here as the
reference and is compared with it on generated text.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from copydesk.metadata import date_choice, date_scan, html_meta

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


def _old_score(row: list[float], table: dict[str, float]) -> float:
    """date_choice.score before the weight row: each weight looked up by name."""
    return sum(table.get(name, 0.0) * value
               for name, value in zip(date_choice.FEATURES, row, strict=True))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.one_of(st.sampled_from([0.0, 1.0]), st.floats(-1e6, 1e6)),
                min_size=len(date_choice.FEATURES), max_size=len(date_choice.FEATURES)))
def test_score_by_weight_row_is_the_same_float(row: list[float]) -> None:
    assert date_choice.score(row) == _old_score(row, date_choice.weights())


def _old_label_pair(attrs: dict[str, str | None], labels: dict[str, dict[str, str]]) -> None:
    """html_meta._label_pair before the literal test: the regex on every meta name."""
    key = (attrs.get("name") or attrs.get("property") or "").lower()
    match = html_meta._LABEL_KEY_RE.match(key.strip())
    if match is None:
        return
    content = " ".join((attrs.get("content") or "")[:200].split())
    if content:
        labels.setdefault(match.group(2), {})[match.group(1)] = content


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=" \tTtwiterWITER:labdLABD0129x", max_size=24),
       st.sampled_from(["name", "property"]), st.text(max_size=8))
@example("twitter:label1", "name", "Written by")
@example(" Twitter:DATA2 ", "property", "Jane Doe")
@example("twitter:label123", "name", "x")
@example("og:twitter:label1", "name", "x")
def test_label_pair_as_the_regex_on_every_name(name: str, attr: str, content: str) -> None:
    attrs: dict[str, str | None] = {attr: name, "content": content}
    new: dict[str, dict[str, str]] = {}
    old: dict[str, dict[str, str]] = {}
    html_meta._label_pair(attrs, new)
    _old_label_pair(attrs, old)
    assert new == old
    assert html_meta._known_key(name) == html_meta._known_key.__wrapped__(name)
