"""The attribute scan before parsing finds what a regex over every tag finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copydesk.errors import TooLargeError
from copydesk.html import parse

# The plain definition: every tag of 4,000 characters or more, its attributes counted.
_LONG_TAG = re.compile(r"<[a-zA-Z][^<>]{4000,}")


def plain_most_attributes(text: str) -> int:
    return max((len(parse._ATTRIBUTE.findall(m.group(0))) for m in _LONG_TAG.finditer(text)),
               default=0)


_PARTS = st.one_of(
    st.builds(lambda n, c: "<" + c + " a=1" * n, st.integers(0, 1500), st.sampled_from("abZ1/! ")),
    st.builds(lambda n: "x" * n, st.integers(0, 9000)),
    st.builds(lambda n, end: " b=2 " * n + end, st.integers(0, 900),
              st.sampled_from(["<", ">", ""])),
    st.sampled_from(["<", ">", "<p>", "</div>", "\u00e9\u20ac"]),
    st.builds(lambda n: ' data-x="' + "k=v&" * n + '"', st.integers(0, 1200)),  # = in a value
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(_PARTS, max_size=12).map("".join))
def test_most_attributes_matches_its_plain_definition_over_the_cap(text: str) -> None:
    """Exact over the cap (the count the error names); at or under it a bound that
    stays under it (the count of `=`), so the cap is crossed exactly when it is."""
    got, plain = parse._most_attributes(text), plain_most_attributes(text)
    assert got >= plain
    assert (got > parse.MAX_ATTRIBUTES) == (plain > parse.MAX_ATTRIBUTES)
    if plain > parse.MAX_ATTRIBUTES:
        assert got == plain


def test_check_attributes_refuses_only_elements_over_the_cap() -> None:
    parse.check_attributes("<div " + "a=1 " * parse.MAX_ATTRIBUTES + ">x</div>")
    with pytest.raises(TooLargeError):
        parse.check_attributes("<p>" + "x" * 5000 + "<div " + "a=1 " * 1001 + ">")
    # script bodies are not tags
    parse.check_attributes("<script>if (i <n" + " a=1" * 1001 + ")</script><p>x</p>")


# Markup pieces for the junk strip: head-able junk before and after stray elements
# (which end the head), nested junk, JSON-LD, foreign content, misnesting.
_JUNK_PARTS = st.sampled_from([
    "<script>var a = 1 < 2;</script>", '<script type="application/ld+json">{"a": 1}</script>',
    "<style>p {}</style>", "<noscript><style>q {}</style><link rel=x></noscript>",
    "<noscript><p>no js</p></noscript>", "<template><script>t</script><p>t</p></template>",
    "<svg><script>s</script><path d=M0/></svg>", "<math><mi>x</mi></math>", "<iframe src=x>",
    "<object><embed src=y></object>", "<canvas></canvas>", "<select><option>o</select>",
    "<textarea><b>t</b></textarea>", "<video><audio></audio></video>", "<map><area></map>",
    "<meta name=a content=b>", "<title>T</title>", "<p>text", "<div>", "</div>", "</head>",
    "<body>", "</body>", "<table><script>x</script><tr><td>c", "</html>", "<head>",
])


@given(st.lists(_JUNK_PARTS, max_size=14), st.lists(_JUNK_PARTS, max_size=14))
@settings(max_examples=300, deadline=None)
def test_strip_junk_by_tag_walk_removes_what_the_selector_query_removes(
        head: list[str], body: list[str]) -> None:
    text = "<html><head>" + "".join(head) + "</head><body>" + "".join(body)
    by_query = parse.parse_html(text, 10_000)
    by_tags = parse.parse_html(text, 10_000)
    if by_query.body is None:
        return
    parse.strip_junk(by_query.body)
    parse.strip_junk(by_tags.body, by_tags)
    assert by_tags.html == by_query.html


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(["<", "<p>", "x", "\u00e9", "\u201c<\u201d", "\U0001f600", "&lt;",
                                 "\u3c00", "\u013c"]), max_size=40).map("".join))
def test_tags_are_counted_in_the_bytes_as_in_the_text(text: str) -> None:
    # U+3C00 and U+013C hold the byte 0x3C in UTF-16 and in their code point, not in UTF-8
    assert parse._count_lt(text.encode("utf-8")) == text.count("<")


def test_the_node_cap_counts_tags_alike_from_text_and_bytes() -> None:
    text = "<p>\u201cquoted\u201d</p>" * 30
    with pytest.raises(TooLargeError, match="about 60 elements"):
        parse.parse_html(text, 59)
    with pytest.raises(TooLargeError, match="about 60 elements"):
        parse.parse_html(text, 59, utf8=text.encode("utf-8"))
    assert parse.parse_html(text, 60, utf8=text.encode("utf-8")).body is not None
