"""Dates from every source a page offers, and the faults that break dates in
the wild (copyright years, comment and sidebar dates, relative dates, d/m vs
m/d, future dates, url-only dates). Each page is small and synthetic; the
chooser is the shipped one (learned weights), so these pin its behaviour."""

from __future__ import annotations

import pytest

import copydesk

BODY = (
    "<p>" + "The council voted on the new budget after a long debate about roads and schools. " * 6
    + "</p><p>" + "Residents said the plan was overdue and asked for more detail on costs. " * 6
    + "</p>"
)


def _page(head: str = "", header: str = "", after: str = "", lang: str = "en") -> str:
    return (
        f"<html lang='{lang}'><head><title>Budget vote</title>{head}</head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>Council passes the budget</h1>{header}"
        f"{BODY}</article>{after}<footer>About us</footer></body></html>"
    )


def _dates(html: str, url: str | None = None, crawled: str | None = "2024-06-01") -> tuple:
    article = copydesk.extract(html, url=url, date_crawled=crawled, explain=True)
    return article.date_published, article.date_modified


def _day(value: str | None) -> str | None:
    return value[:10] if value else None


@pytest.mark.parametrize(
    "head",
    [
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x",'
        ' "datePublished": "2024-05-14T10:00:00+02:00"}</script>',
        '<meta property="article:published_time" content="2024-05-14T10:00:00+02:00">',
        '<meta name="sailthru.date" content="2024-05-14 10:00:00">',
        '<meta name="parsely-pub-date" content="2024-05-14T08:00:00Z">',
        '<meta name="DC.date" content="2024-05-14">',
        '<meta name="pubdate" content="20240514">',
        '<meta itemprop="datePublished" content="2024-05-14">',
    ],
)
def test_structured_sources(head: str) -> None:
    assert _day(_dates(_page(head=head))[0]) == "2024-05-14"


def test_time_element_and_microdata() -> None:
    header = '<p class="meta"><time datetime="2024-05-14T09:30:00-04:00">May 14</time></p>'
    published, _ = _dates(_page(header=header))
    assert published == "2024-05-14T09:30:00-04:00"
    header = '<span itemprop="datePublished" content="2024-05-14">14 May</span>'
    assert _day(_dates(_page(header=header))[0]) == "2024-05-14"


@pytest.mark.parametrize(
    "header",
    [
        '<p><time class="u-dt" title="May 14, 2024 at 9:30 AM">2 weeks ago</time></p>',
        '<p><time title="2024-05-14 09:30:23">March</time></p>',
        '<p><span class="post_time" title="5/14/2024 9:30:00 AM">2 weeks ago</span></p>',
    ],
)
def test_date_in_a_tooltip(header: str) -> None:
    # forum software prints "2 weeks ago" and keeps the day in title= (no datetime=)
    assert _day(_dates(_page(header=header), crawled=None)[0]) == "2024-05-14"


def test_tooltip_without_a_date_is_not_read() -> None:
    header = '<p><time title="Posted in 2024">2 weeks ago</time></p>'
    assert _dates(_page(header=header), crawled=None)[0] is None


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://example.com/2024/05/14/council-budget", "2024-05-14"),
        ("https://example.com/news/20240514/council-budget", "2024-05-14"),
        ("https://example.com/blog/2024/may/14/council-budget", "2024-05-14"),
        ("https://example.com/2024/05/council-budget", None),  # no day: not a date
    ],
)
def test_url_only_dates(url: str, day: str | None) -> None:
    assert _day(_dates(_page(), url=url)[0]) == day


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("<p>By Ann Lee | Published May 14, 2024</p>", "en"),
        ("<p>Veröffentlicht am 14. Mai 2024</p>", "de"),
        ("<p>Publié le 14 mai 2024</p>", "fr"),
        ("<p>Publicado el 14 de mayo de 2024</p>", "es"),
        ("<p>Publicado em 14 de maio de 2024</p>", "pt"),
        ("<p>Pubblicato il 14 maggio 2024</p>", "it"),
        ("<p>Gepubliceerd op 14 mei 2024</p>", "nl"),
        ("<p>Опубликовано 14 мая 2024</p>", "ru"),
        ("<p>发布时间：2024年5月14日 10:20</p>", "zh"),
        ("<p>公開日 2024年5月14日</p>", "ja"),
        ("<p>입력 2024.05.14 10:20</p>", "ko"),
        ("<p>نشر في 14 مايو 2024</p>", "ar"),
        ("<p>2007-11-24 16:23:08</p>", "en"),
    ],
)
def test_visible_datelines_in_many_languages(header: str, lang: str) -> None:
    expected = "2007-11-24" if "2007" in header else "2024-05-14"
    assert _day(_dates(_page(header=header, lang=lang))[0]) == expected


def test_published_and_modified_kept_apart() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x",'
        ' "datePublished": "2024-05-14T10:00:00Z", "dateModified": "2024-05-20T08:00:00Z"}'
        "</script>"
    )
    published, modified = _dates(_page(head=head))
    assert _day(published) == "2024-05-14" and _day(modified) == "2024-05-20"


def test_labelled_update_is_the_modified_date() -> None:
    header = "<p>Published May 14, 2024. Updated May 20, 2024</p>"
    published, modified = _dates(_page(header=header))
    assert _day(published) == "2024-05-14"
    assert _day(modified) == "2024-05-20"


def test_copyright_only_page_has_no_day() -> None:
    html = _page().replace("About us", "© 2019 Example Media. All rights reserved.")
    assert _dates(html)[0] is None


def test_comment_dates_lose_to_the_byline_date() -> None:
    comments = "".join(
        f"<div class='comment'><b>reader{i}</b> says: <span>May {20 + i}, 2024 at 9:1{i} am</span>"
        "<p>Great piece.</p></div>"
        for i in range(6)
    )
    html = _page(header="<p class='byline'>By Ann Lee, May 14, 2024</p>",
                 after=f"<section id='comments'>{comments}</section>")
    assert _day(_dates(html)[0]) == "2024-05-14"


def test_sidebar_latest_dates_lose_to_the_headline_date() -> None:
    latest = "".join(
        f"<li><a href='/s{i}'>Story {i}</a> <span>May {25 + i}, 2024</span></li>" for i in range(5)
    )
    html = _page(header="<div class='date'>May 14, 2024</div>",
                 after=f"<aside class='sidebar'><h3>Latest</h3><ul>{latest}</ul></aside>")
    assert _day(_dates(html)[0]) == "2024-05-14"


@pytest.mark.parametrize(
    ("lang", "extra", "day"),
    [
        ("en-US", "", "2024-03-04"),
        ("en-GB", "", "2024-04-03"),
        ("en-US", "<p>Also on 25/12/2023.</p>", "2024-04-03"),  # the page writes day first
    ],
)
def test_numeric_day_month_order(lang: str, extra: str, day: str) -> None:
    html = _page(header=f"<p class='date'>Posted 3/4/2024</p>{extra}", lang=lang)
    assert _day(_dates(html)[0]) == day


def test_future_dates_are_rejected() -> None:
    head = '<meta property="article:published_time" content="2031-01-01T00:00:00Z">'
    html = _page(head=head, header="<p class='date'>May 14, 2024</p>")
    article = copydesk.extract(html, date_crawled="2024-06-01", explain=True)
    assert _day(article.date_published) == "2024-05-14"
    rejected = [c for c in article.explanation.candidates["date_published"] if "rejected" in c]
    assert any("future" in c["rejected"] for c in rejected)


@pytest.mark.parametrize(
    ("text", "crawled", "day"),
    [
        ("18 hours ago", "2024-06-01T06:00:00", "2024-05-31"),
        ("18 hours ago", "2024-06-01T20:00:00", "2024-06-01"),
        ("yesterday", "2024-06-01", "2024-05-31"),
        ("3 days ago", "2024-06-01", "2024-05-29"),
        ("vor 2 Tagen", "2024-06-01", "2024-05-30"),
        ("il y a 3 jours", "2024-06-01", "2024-05-29"),
        ("hace 2 días", "2024-06-01", "2024-05-30"),
        ("3일 전", "2024-06-01", "2024-05-29"),
    ],
)
def test_relative_datelines_against_the_crawl(text: str, crawled: str, day: str) -> None:
    html = _page(header=f"<p class='date'>Posted {text}</p>")
    assert _day(_dates(html, crawled=crawled)[0]) == day


def test_relative_dates_need_a_crawl_date() -> None:
    html = _page(header="<p class='date'>Posted 3 days ago</p>")
    assert _dates(html, crawled=None)[0] is None


def test_the_winner_is_explained() -> None:
    article = copydesk.extract(_page(header="<p>Published May 14, 2024</p>"), explain=True)
    chosen = [c for c in article.explanation.candidates["date_published"] if c.get("chosen")]
    assert chosen and "best-scored day" in chosen[0]["reason"]


def test_video_upload_date() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "VideoObject", "name": "x",'
        ' "uploadDate": "2024-05-14T10:00:00Z"}</script>'
    )
    assert _day(_dates(_page(head=head))[0]) == "2024-05-14"


def test_a_date_in_a_sentence_loses_to_the_structured_one() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x",'
        ' "datePublished": "2024-05-14T10:00:00Z"}</script>'
    )
    caption = (
        "<figure><figcaption>The two founders pose for a photo at a private residence on"
        " June 28, 2019 in Montecito, California, months before the sale was announced to"
        " staff.</figcaption></figure>"
    )
    assert _day(_dates(_page(head=head, header=caption))[0]) == "2024-05-14"


def test_a_dateline_after_a_long_body_is_found() -> None:
    """A post printing "Posted on ..." under its text, beyond the span searched
    below the headline: the foot of the body is searched too."""
    long_body = BODY * 12  # ~18,000 characters
    html = (
        "<html lang='en'><head><title>Budget vote</title></head><body><article>"
        f"<h1>Council passes the budget</h1>{long_body}<p>Posted on May 14, 2024</p>"
        "</article><footer>About us</footer></body></html>"
    )
    assert _day(_dates(html)[0]) == "2024-05-14"


def test_question_asked_date_beats_edits_and_answers() -> None:
    header = ("<div class='post-signature'>edited May 20, 2024 at 7:01</div>"
              "<div class='post-signature'>asked Mar 2, 2024 at 9:28</div>")
    after = "".join(f"<div class='answer'><p>Try this.</p><span>answered Apr {i}, 2024 at"
                    " 9:00</span></div>" for i in range(3, 8))
    assert _day(_dates(_page(header=header, after=after))[0]) == "2024-03-02"


@pytest.mark.parametrize(
    "script",
    [
        'dataLayer.push({"pageType": "article", "publishDate": "2024-05-14", "author": "x"});',
        "var cfg = { networkCategory: 'news', publishdate: \"2024-05-14\" };",
        "ads.push('pubtime=' + (\"2024-05-14T10:52:50\" || ''));",
        'var data_object = {"post_date":"May 14, 2024","post_excerpt":"..."};',
    ],
)
def test_head_script_publication_key(script: str) -> None:
    # no field names a date; the head's analytics script does, by key
    head = f"<script>{script}</script>"
    assert _day(_dates(_page(head=head), crawled=None)[0]) == "2024-05-14"


@pytest.mark.parametrize(
    "script",
    [
        'var page = {"publisher": "2024-05-14", "created": "2024-05-14"};',  # not publication keys
        'var page = {"datePublished": "soon", "modified": "2024-05-14"};',  # no date after the key
    ],
)
def test_head_script_other_keys_are_not_read(script: str) -> None:
    head = f"<script>{script}</script>"
    assert _dates(_page(head=head), crawled=None)[0] is None


def test_head_script_gives_way_to_a_field() -> None:
    head = ('<meta property="article:published_time" content="2024-05-14T10:00:00+02:00">'
            '<script>var cfg = {"publishDate": "2023-01-02"};</script>')
    assert _day(_dates(_page(head=head), crawled=None)[0]) == "2024-05-14"
