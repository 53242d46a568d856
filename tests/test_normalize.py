"""The helpers every layer shares: whitespace and a url's host."""

from __future__ import annotations

import pytest

from copydesk.normalize import collapse_spaces, host_of


@pytest.mark.parametrize(("url", "host"), [
    ("https://www.Example.com/a/b?c=1", "example.com"),
    ("http://user:pw@news.example.org:8080/x", "news.example.org"),
    ("example.com/story", "example.com"),
    ("//cdn.example.net/img.png", "cdn.example.net"),
    ("http://[::1]:8765/", "::1"),
    ("http://[bad", None),
    ("not a url", None),
    ("", None),
    (None, None),
    ("https://www./", None),
])
def test_host_of(url: str | None, host: str | None) -> None:
    assert host_of(url) == host


def test_collapse_spaces_folds_every_kind_of_whitespace() -> None:
    assert collapse_spaces("  a\u00a0b\t\tc\n\u2003d  ") == "a b c d"
    assert collapse_spaces(" \n\t ") == ""
