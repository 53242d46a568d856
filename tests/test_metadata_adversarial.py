"""Hostile metadata: broken JSON-LD, impossible dates, huge values, 500 names.

No exception may escape; the field is None or a best effort, and the reason
shows in the explanation's candidates.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import copydesk
from copydesk.blocks import Block
from copydesk.metadata import from_text
from copydesk.metadata.dates import parse_date, parse_relative
from copydesk.metadata.jsonld import load_blocks, nodes
from copydesk.metadata.people import parse_byline
from copydesk.options import Options

BODY = (
    "<p>" + "The council met on Tuesday and voted to repair the bridge before winter. " * 8 + "</p>"
)


def _page(head: str, body: str = BODY) -> str:
    return f"<html lang='en'><head>{head}</head><body><h1>Bridge vote</h1>{body}</body></html>"


def _ld(text: str) -> str:
    return f'<script type="application/ld+json">{text}</script>'


def test_jsonld_trailing_commas_comments_entities() -> None:
    broken = """{ // the article
      "@type": "NewsArticle", "headline": "Bridge &amp; tunnel vote",
      /* a comment */ "datePublished": "2020-03-23T11:58:00+09:00",
      "author": [{"@type": "Person", "name": "Jane Doe"},],
    }"""
    article = copydesk.extract(_page(_ld(broken)), explain=True)
    assert article.title == "Bridge & tunnel vote"
    assert article.date_published == "2020-03-23T11:58:00+09:00"
    assert article.authors == ["Jane Doe"]


def test_jsonld_control_characters_and_concatenated_objects() -> None:
    notes: list[str] = []
    values = load_blocks(
        ['{"@type": "Article", "headline": "a\x01b"} {"@type": "WebSite", "name": "S"}'], notes
    )
    assert len(nodes(values)) == 2


def test_jsonld_blocks_that_disagree_keep_the_article_node() -> None:
    head = _ld('{"@type": "WebPage", "name": "Site home", "datePublished": "2001-01-01"}') + _ld(
        '{"@type": "NewsArticle", "headline": "Bridge vote", "datePublished": "2020-03-23"}'
    )
    article = copydesk.extract(_page(head))
    assert article.date_published == "2020-03-23"


def test_unreadable_jsonld_is_noted_not_raised() -> None:
    article = copydesk.extract(_page(_ld("{{{ not json at all")), explain=True)
    assert article.status == "ok"
    assert article.explanation is not None
    assert any(
        "unreadable" in str(c["value"]) for c in article.explanation.candidates.get("notes", [])
    )


def test_impossible_dates_are_rejected_with_reasons() -> None:
    head = (
        '<meta property="article:published_time" content="0000-00-00">'
        '<meta name="date" content="31/02/2020">'
        '<meta name="dc.date" content="20201-05-05">'
        '<meta name="pubdate" content="2019-05-06">'
    )
    article = copydesk.extract(_page(head), explain=True)
    assert article.date_published == "2019-05-06"
    assert article.explanation is not None
    reasons = [c.get("rejected") for c in article.explanation.candidates["date_published"]]
    assert any(r and "impossible" in r for r in reasons)


def test_future_dates_relative_to_crawl_are_rejected() -> None:
    head = '<meta property="article:published_time" content="2021-01-01T00:00:00Z">'
    article = copydesk.extract(_page(head), date_crawled="2020-03-23")
    assert article.date_published is None


def test_epoch_milliseconds_only_in_timestamp_fields() -> None:
    head = '<meta name="parsely-pub-date" content="1584928680000">'
    assert copydesk.extract(_page(head)).date_published == "2020-03-23T01:58:00+00:00"
    head = '<meta name="date" content="1584928680000">'
    assert copydesk.extract(_page(head)).date_published is None


def test_one_megabyte_meta_tag_is_cheap() -> None:
    head = (
        '<meta name="description" content="'
        + "x" * 1_000_000
        + '"><meta name="author" content="'
        + "Ann Lee, " * 100_000
        + '">'
    )
    start = time.perf_counter()
    article = copydesk.extract(_page(head))
    assert time.perf_counter() - start < 10  # generous: a bound, not a benchmark
    assert article.status == "ok"
    assert article.description is not None and len(article.description) <= 2000


def test_byline_of_five_hundred_names() -> None:
    names = ", ".join(f"Jane Doe{i}" for i in range(500))
    article = copydesk.extract(_page(f'<meta name="author" content="{names}">'))
    assert len(article.authors) <= 20


def test_agency_never_in_authors() -> None:
    head = _ld(
        '{"@type": "NewsArticle", "headline": "x y z", "author": [{"@type": "Organization", '
        '"name": "Reuters"}, {"@type": "Person", "name": "Jane Doe"}]}'
    )
    article = copydesk.extract(_page(head))
    assert article.authors == ["Jane Doe"]
    assert article.agency == "Reuters"


def test_dates_in_comments_and_related_lists_are_ignored() -> None:
    body = (
        '<div class="comments"><time datetime="2020-01-05">Jan 5</time></div>'
        '<aside class="related"><time datetime="2020-01-06">Jan 6</time></aside>' + BODY
    )
    assert copydesk.extract(_page("", body)).date_published is None


def test_text_dump_without_article_head() -> None:
    blocks = [
        Block(t, kind="line", index=i) for i, t in enumerate(["Home", "News", "Sports", "© 2020"])
    ]
    meta = from_text(blocks, None, Options())
    assert meta.title is None and meta.date_published is None


_DUMP_HEADS = {
    "english": (
        ["World", "Home", "World", "Storm closes the coastal highway for two days",
         "By Jane Doe and John Roe",
         "Posted: 12 March 2021 08:15  Last updated: 13 March 2021 09:00",
         "The storm closed the highway. " * 5,
         "© 2021 The Daily Example. All rights reserved."],
        "2021-03-14",
        {"title": "Storm closes the coastal highway for two days",
         "authors": ["Jane Doe", "John Roe"], "date_published": "2021-03-12T08:15",
         "date_modified": "2021-03-13T09:00", "section": "World",
         "site_name": "The Daily Example"},
    ),
    "korean": (
        ["정치", "사회", "정치", "국회, 코로나19 추경안 본회의 통과", "홍길동 기자",
         "입력 2020.03.17 11:58 수정 2020.03.17 14:02",
         "국회는 17일 본회의를 열어 추경안을 의결했다. " * 4,
         "ⓒ 한국일보. All rights reserved."],
        "2020-03-18",
        {"title": "국회, 코로나19 추경안 본회의 통과", "authors": ["홍길동"],
         "date_published": "2020-03-17T11:58", "date_modified": "2020-03-17T14:02",
         "section": "정치", "site_name": "한국일보"},
    ),
}


@pytest.mark.parametrize("name", sorted(_DUMP_HEADS))
def test_text_dump_head(name: str) -> None:
    """General patterns of a dump's head: menu, headline, byline, dateline, copyright."""
    lines, crawled, expected = _DUMP_HEADS[name]
    blocks = [Block(t, kind="line", index=i) for i, t in enumerate(lines)]
    meta = from_text(blocks, None, Options(date_crawled=crawled))
    assert {field: getattr(meta, field) for field in expected} == expected


def test_relative_dateline_resolved_against_crawl_date() -> None:
    body = '<div class="post-date">Posted 3 days ago</div>' + BODY
    assert (
        copydesk.extract(_page("", body), date_crawled="2020-03-23").date_published == "2020-03-20"
    )
    assert copydesk.extract(_page("", body)).date_published is None


def test_time_in_article_beats_site_header_date() -> None:
    body = (
        '<header class="masthead"><time datetime="2020-03-23">Today</time></header>'
        '<article><time class="published" datetime="2019-05-06T10:00">May 6</time>'
        + BODY
        + "</article>"
    )
    assert copydesk.extract(_page("", body)).date_published == "2019-05-06T10:00"


def test_jsonld_depth_bomb_and_many_blocks() -> None:
    bomb = _ld("[" * 100_000 + "]" * 100_000)
    many = "".join(
        _ld(f'{{"@type": "NewsArticle", "headline": "Bridge vote {i}"}}') for i in range(500)
    )
    article = copydesk.extract(_page(bomb + many))
    assert article.status == "ok"
    assert article.title == "Bridge vote 0"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_parsers_never_raise(text: str) -> None:
    parse_date(text, None, timestamp_ok=True)
    parse_relative(text, dt.date(2020, 3, 23))
    parse_byline(text)


def test_truncated_real_page_never_raises() -> None:
    page = _page(
        _ld('{"@type": "NewsArticle", "headline": "Bridge vote", "author": {"name": "Jane Doe"}}')
    )
    for cut in range(0, len(page), 7):
        article = copydesk.extract(page[:cut] or " ")
        assert article.status in ("ok", "empty")


def test_hatom_published_title_attribute() -> None:
    body = (
        '<article><abbr class="published" title="2008-06-01T12:00:00+02:00">June 1</abbr>'
        + BODY
        + "</article>"
    )
    assert copydesk.extract(_page("", body)).date_published == "2008-06-01T12:00:00+02:00"
