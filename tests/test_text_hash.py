"""`api.content_hash`'s fast path (text-mode bodies) equals the plain normalisation."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from copydesk.api import content_hash


def _reference(text: str) -> str:
    return hashlib.sha1(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()


def test_fast_path_cases() -> None:
    for text in ["a\n\nb", " a", "a ", "a  b", "a\tb", "a\xa0b", "a\n\n\nb", "", "ß\n\nX",
                 "a\u2028b", "a\n\n b", "one paragraph.\n\nTwo, here.", "\n\n", "a\u3000b"]:
        assert content_hash(text) == _reference(text), repr(text)


@given(st.text(alphabet=st.sampled_from(list("aB ß\n\t\xa0\u2028\u3000.İ")), max_size=40))
def test_fast_path_equals_reference(text: str) -> None:
    assert content_hash(text) == _reference(text)
