"""Every "Pages" row of ADVERSARIAL.md: `extract()` returns an Article with a
valid status and a reason, keeps the text it can, never raises, never hangs.

Sizes prove the point while keeping the file fast; the full sizes and their
time and memory are measured by `python tests/test_pages_adversarial_cases.py`
(docs/robustness.md). Timeouts below are hang guards, not performance claims.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copydesk import extract
from copydesk.article import Article, Status
from copydesk.html.parse import MAX_BLOCK_DEPTH, block_depth, defuse, parse_html
from copydesk.options import MAX_INPUT_BYTES, MAX_NODES
from test_pages_adversarial_cases import (
    BINARY,
    MB,
    PARAGRAPH,
    SCRIPT_TRICKS,
    article_page,
    deep_mixed_nesting,
    deep_nesting,
    entity_flood,
    formatting_bomb,
    formatting_bomb_distinct,
    huge_attribute,
    huge_colspan,
    huge_text,
    long_class,
    repeated_article_tags,
    repeated_roots,
    unclosed_attribute,
    whitespace_run,
    wide_dom,
)

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
pytestmark = pytest.mark.timeout(60)


def assert_valid(article: Article) -> None:
    """The invariants of every record: a status, a reason unless ok, JSON out."""
    assert isinstance(article, Article)
    assert article.status in (Status.OK, Status.EMPTY, Status.ERROR)
    if article.status is not Status.OK:
        assert article.error
    else:
        assert article.text
    line = json.dumps(article.to_dict(), ensure_ascii=False)
    line.encode("utf-8")


def paragraphs(article: Article) -> list[str]:
    return [p for p in article.text.split("\n\n") if p.strip()]


# --- depth -----------------------------------------------------------------

@pytest.mark.parametrize("depth", [300, 10_000, 90_000])
def test_deep_nesting_keeps_text(depth: int) -> None:
    article = extract(deep_nesting(depth))
    assert_valid(article)
    assert article.text == "x"


def test_deep_nesting_million_is_refused_with_reason() -> None:
    article = extract(deep_nesting(1_000_000))
    assert article.status is Status.ERROR
    assert article.error and article.error.startswith("too large") and "elements" in article.error


def test_deep_mixed_nesting_keeps_text() -> None:
    article = extract(deep_mixed_nesting(20_000))
    assert_valid(article)
    assert PARAGRAPH.strip() in article.text


def test_flattening_drops_tags_not_text() -> None:
    tail = "<section><p>after</p></section>"
    html = "<div class=a>" * 1000 + "deep text" + "</div>" * 1000 + tail
    flat, (blocks, formatting) = defuse(html)
    assert blocks == 2 * (1000 - MAX_BLOCK_DEPTH) and formatting == 0
    assert block_depth(flat) == MAX_BLOCK_DEPTH
    assert "deep text" in flat and flat.endswith(tail)
    notes: list[str] = []
    tree = parse_html(html + "<p>pad</p>" * 4000, MAX_NODES, notes)
    assert tree.body is not None and "deep text" in tree.body.text()
    assert notes and notes[0].startswith("flattened:")


def test_flattening_is_case_insensitive_and_spares_lookalikes() -> None:
    html = "<DIV>" * 300 + "<Divider>" * 300 + "x"
    flat, (blocks, _) = defuse(html)
    assert blocks == 300 - MAX_BLOCK_DEPTH
    assert flat.count("<Divider>") == 300


@pytest.mark.skipif(not CORPORA.is_dir(), reason=f"dev corpora not found at {CORPORA}")
def test_real_pages_are_never_flattened() -> None:
    pages = [gzip.decompress(p.read_bytes()).decode("utf-8", "replace")
             for p in sorted((CORPORA / "aeb" / "html").glob("*.html.gz"))]
    pages += [p.read_text("utf-8", "replace")
              for p in sorted((CORPORA / "readability" / "pages").glob("*/source.html"))]
    for text in pages:
        assert defuse(text)[0] is text  # nothing dropped


# --- formatting elements ------------------------------------------------------

@pytest.mark.parametrize("n", [2_000, 10_000])
def test_formatting_bomb_is_bounded(n: int) -> None:
    article = extract(formatting_bomb(n))
    assert_valid(article)
    assert article.text == "x"


def test_bare_formatting_bomb_is_read_as_html() -> None:
    """The ADVERSARIAL.md form, with no <html> around: markup, not a text dump."""
    n = 5_000
    article = extract("<b>" * n + "<i>" * n + "x" + "</b>" * n)
    assert article.input_format == "html" and article.text == "x"


def test_distinct_formatting_bomb_is_defused() -> None:
    html = formatting_bomb_distinct(10_000)
    _, (_, formatting) = defuse(html)
    assert formatting == 10_000 - 100
    article = extract(html)
    assert_valid(article)
    assert set(paragraphs(article)) == {"x"}


def test_formatting_cap_keeps_end_tags_of_kept_elements() -> None:
    html = "<b>" * 150 + "x" + "</b>" * 150 + "<i>y</i>"
    flat, (_, formatting) = defuse(html)
    assert formatting == 100  # 50 start tags and their 50 end tags
    assert flat == "<b>" * 100 + "x" + "</b>" * 100 + "<i>y</i>"


# --- size caps -------------------------------------------------------------------

@pytest.mark.parametrize("tag", ["p", "option"])
def test_wide_dom_hits_node_cap(tag: str) -> None:
    article = extract(wide_dom(1_000_000, tag))
    assert article.status is Status.ERROR
    assert article.error == f"too large: about 1000002 elements (cap {MAX_NODES})"


def test_wide_dom_under_cap_is_processed() -> None:
    article = extract(wide_dom(20_000))
    assert_valid(article)


@pytest.mark.parametrize("content", [
    pytest.param(lambda: huge_text(100 * MB), id="100 MB text"),
    pytest.param(lambda: huge_attribute(50 * MB), id="50 MB alt"),
    pytest.param(lambda: huge_attribute(50 * MB).encode(), id="50 MB alt bytes"),
])
def test_huge_input_is_refused_before_parsing(content) -> None:  # type: ignore[no-untyped-def]
    article = extract(content())
    assert article.status is Status.ERROR
    assert article.error and article.error.startswith("too large") and "bytes" in article.error
    assert str(MAX_INPUT_BYTES) in article.error


def test_huge_attribute_under_cap_keeps_article() -> None:
    article = extract(huge_attribute(2 * MB))
    assert_valid(article)
    assert "council approved the budget" in article.text
    assert "aaaa" not in article.text


def test_huge_colspan_is_not_expanded() -> None:
    article = extract(huge_colspan())
    assert_valid(article)
    assert "cell" in article.text
    assert len(article.text) < 10_000 and len(article.markdown or "") < 10_000


# --- regex stress ------------------------------------------------------------------

@pytest.mark.parametrize("html", [
    pytest.param(unclosed_attribute(MB), id="unclosed src"),
    pytest.param(entity_flood(MB), id="1 MB &amp;"),
    pytest.param(whitespace_run(MB), id="whitespace runs"),
    pytest.param(long_class(MB), id="1 MB class"),
    pytest.param("<meta charset=" + "a" * MB, id="endless meta"),
    pytest.param("<html><body><p>" + "<" * (MB // 20), id="many <"),
    pytest.param("<html><body><p>photo by " + "x " * MB, id="credit-like run"),
])
def test_regex_stress_finishes(html: str) -> None:
    for content in (html, html.encode("utf-8")):
        assert_valid(extract(content))


def test_entity_flood_text() -> None:
    article = extract(entity_flood(100_000))
    assert article.text == "&" * 20_000


# --- empty, tiny, binary ------------------------------------------------------------

@pytest.mark.parametrize("content", [b"", "", b" ", "\n\t ", b"\x00", b"<", "<", b">", b"\xff"])
def test_empty_and_tiny(content: bytes | str) -> None:
    article = extract(content)
    assert_valid(article)
    assert article.status in (Status.EMPTY, Status.ERROR)
    assert not (article.error or "").startswith("internal error"), article.error


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_is_error_not_html(name: str) -> None:
    article = extract(BINARY[name])
    assert_valid(article)
    assert article.status in (Status.ERROR, Status.EMPTY)
    if name != "random":
        assert article.error and article.error.startswith("not html")


# --- script and style tricks --------------------------------------------------------

@pytest.mark.parametrize("name", sorted(SCRIPT_TRICKS))
def test_no_script_text_in_body(name: str) -> None:
    article = extract(SCRIPT_TRICKS[name])
    assert_valid(article)
    assert "council approved the budget" in article.text
    assert "SCRIPTTEXT" not in article.text
    assert "SCRIPTTEXT" not in (article.markdown or "")


# --- repeated roots -------------------------------------------------------------------

@pytest.mark.parametrize("html", [
    pytest.param(repeated_roots(1000), id="whole page x1000"),
    pytest.param(repeated_article_tags(1000), id="<article> x1000"),
    pytest.param("<html>" * 1000 + "<body>" * 1000 + article_page(3), id="<html><body> x1000"),
])
def test_repeated_roots_give_no_duplicate_paragraphs(html: str) -> None:
    article = extract(html)
    assert_valid(article)
    paras = paragraphs(article)
    assert paras and len(paras) == len(set(paras))
    assert "council approved the budget" in article.text


# --- truncation anywhere --------------------------------------------------------------

def _sample_pages() -> list[bytes]:
    if not CORPORA.is_dir():
        return []
    paths = sorted((CORPORA / "aeb" / "html").glob("*.html.gz"))
    return [gzip.decompress(p.read_bytes()) for p in random.Random(7).sample(paths, 12)]


SAMPLE_PAGES = _sample_pages()


@pytest.mark.skipif(not SAMPLE_PAGES, reason=f"dev corpora not found at {CORPORA}")
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(page=st.integers(min_value=0, max_value=11), cut=st.floats(min_value=0.0, max_value=1.0),
       as_text=st.booleans())
def test_truncated_pages_parse(page: int, cut: float, as_text: bool) -> None:
    """Real pages cut at a random byte (mid-tag, mid-entity, mid-UTF-8 sequence)."""
    data = SAMPLE_PAGES[page]
    data = data[: int(len(data) * cut)]
    content: bytes | str = data.decode("utf-8", "replace") if as_text else data
    assert_valid(extract(content))


@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.binary(max_size=2000) | st.text(max_size=2000))
def test_arbitrary_input_never_raises(content: bytes | str) -> None:
    assert_valid(extract(content))


TAG_SOUP = ["<div>", "</div>", "<p>", "</p>", "<b>", "</b>", "<i>", "<a href=x>", "</a>",
            "<table>", "<td colspan=99999999999>", "<tr>", "<script>", "</script>", "<!--", "-->",
            "<![CDATA[", "]]>", "<plaintext>", "<svg>", "</svg>", "<math>", "<template>",
            "&amp;", "&#0;", "&#xD800;", "\x00", "\ufffe", "text ", "Wörter ", "<br>", "<html>",
            "<body>", "<article>", "<h1>", "<li>", "<pre>", "<select>"]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(TAG_SOUP), max_size=300))
def test_tag_soup_never_raises(parts: list[str]) -> None:
    html = "".join(parts)
    for content in (html, html.encode("utf-8", "surrogatepass")):
        assert_valid(extract(content))
