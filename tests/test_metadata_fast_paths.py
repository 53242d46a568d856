"""The metadata readers' fast paths give what the plain code they replaced gave.

Each rewrite for speed (docs/metadata.md, cost) keeps its old form here as the
reference and is compared with it on generated text.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from copydesk.metadata import date_choice, date_scan, html_exclude, html_meta, people, vocab
from copydesk.metadata.ascii_fold import ascii_folded

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


def _old_label_of(before: str, after: str) -> str:
    """date_scan.label_of before ascii_fold: the IGNORECASE patterns on the text as it is."""
    near = before[-date_scan.LABEL_REACH:]
    if vocab.COPYRIGHT_CONTEXT_RE.search(near[-16:]):
        return "copyright"
    best, at = "none", -1
    for name, pattern in (("published", vocab.PUBLISHED_RE), ("updated", vocab.MODIFIED_RE)):
        for match in pattern.finditer(near):
            if match.start() > at:
                best, at = name, match.start()
    if best != "none":
        return best
    if vocab.COMMENT_CONTEXT_RE.search(near[-24:]) or vocab.COMMENT_CONTEXT_RE.search(after[:20]):
        return "comment"
    if vocab.EVENT_CONTEXT_RE.search(near[-24:]):
        return "event"
    return "none"


# Pieces of the label words in both cases, their neighbours, and the characters
# sre's case equivalences tie to ASCII ones (dotless i, long s, Kelvin sign).
_LABEL_PIECES = st.sampled_from([
    "Published", "POSTED", "posted on", "First published", "Date", "released", "Asked",
    "Updated", "LAST UPDATED", "last modified on", "Revised", "edited", "Yayinlanma",
    "YAYINLANMA TARIHI", "yayınlanma", "gepubliceerd op", "mis à jour", "Mis a jour",
    "(c)", "© ", "Copyright", "copr.", "Replies", "SAID", "comments", "Event", "tickets",
    "until", "jusqu'au", "on", "at", ":", "：", "-", "–", " ", "  ", "\n", "\x1c", "_",
    "x", "3", "ı", "ſ", "\u212a", "İ", "é", "K", "s", "I", "i", "ublished", "pdated",
])
_LABEL_TEXT = st.lists(_LABEL_PIECES, max_size=12).map("".join)


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(_LABEL_TEXT, _LABEL_TEXT)
def test_label_of_as_the_ignorecase_patterns(before: str, after: str) -> None:
    assert date_scan.label_of(before, after) == _old_label_of(before, after)


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(_LABEL_TEXT.filter(str.isascii))
def test_folded_patterns_find_the_same_matches(text: str) -> None:
    for plain in (vocab.PUBLISHED_RE, vocab.MODIFIED_RE, vocab.COMMENT_CONTEXT_RE,
                  vocab.EVENT_CONTEXT_RE, vocab.COPYRIGHT_CONTEXT_RE):
        folded = ascii_folded(plain)
        assert [m.span() for m in folded.finditer(text.lower())] == [
            m.span() for m in plain.finditer(text)]


def test_ascii_folded_examples() -> None:
    assert ascii_folded(re.compile("yayın", re.I)).fullmatch("yayin")  # ı matches i and I
    assert ascii_folded(re.compile("yayın", re.I)).fullmatch("yayın")
    assert ascii_folded(re.compile(r"\bdate\b", re.I)).search("the date:")
    for bad in (re.compile("Date", re.I), re.compile("date"), re.compile("(?-i:d)ate", re.I),
                re.compile("[ı]", re.I)):
        with pytest.raises(ValueError):
            ascii_folded(bad)


_CLASS_PIECES = st.sampled_from([
    "comments", "Comment", "RELATED", "sidebar", "Recommended-x", "popular", "most-read",
    "mostread", "nav", "NAVBAR", "menu", "footer", "widget", "Widgets", "widget_recent",
    "elementor-widget-container", "category-related", "tag-nav", "post_tag-x", "vcard",
    "also", "rail", "aside", "promo", "teaser", "-", "_", " ", "\t", "2", "x", "ı", "ſ",
    "\u212a", "é", "K", "s", "S", "i", "I",
])
_CLASS_TEXT = st.lists(_CLASS_PIECES, max_size=8).map("".join)


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(_CLASS_TEXT, st.booleans())
def test_excluding_words_as_the_ignorecase_patterns(words: str, light: bool) -> None:
    pattern = html_exclude._EXCLUDED_LIGHT_RE if light else html_exclude._EXCLUDED_RE
    old = bool(words.strip() and pattern.search(words)
               and pattern.search(html_exclude._own_words(words)))
    assert html_exclude._excluding_words.__wrapped__(words, light) == old


_BYLINE_PIECES = st.sampled_from([
    "By ", "Jane Doe", "UPDATED", "Published", "posted", "Last  updated", "Follow", "E-mail",
    "read more", "See All", "March", "MARCH", "Sept", "septembre", "Mär", "MÄRZ", "mai",
    "12", "3", ".", " ", "\n", "|", "•", "10:45", "2024-03-01", "5 min", "hours", "h",
    "ı", "ſ", "\u212a", "İ", "K", "S", "s",
])
_BYLINE_TEXT = st.lists(_BYLINE_PIECES, max_size=10).map("".join)


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(_BYLINE_TEXT)
def test_cut_as_the_ignorecase_pattern(text: str) -> None:
    found = people._CUT_RE.search(text)
    assert people._cut_at(text) == (found.start() if found else None)
