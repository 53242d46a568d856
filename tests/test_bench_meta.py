"""Comparison rules of the metadata benchmark and the peer-side helpers."""

from __future__ import annotations

from datetime import datetime

import pytest

from copydesk_lab.bench.datasets import Page
from copydesk_lab.bench.meta import (
    FieldScore,
    byline_f1,
    day_of,
    gold_fields,
    normalise_name,
    same_byline,
    same_day,
    same_language,
    same_name,
    score_metadata,
)
from copydesk_lab.bench.peers import decode_for_peer, page_language, resolve_names


def test_titles_match_after_normalising_case_quotes_punctuation_space() -> None:
    assert normalise_name("  “Obama’s”   Gun-Laws: A Test! ") == "obama s gun laws a test"
    assert same_name("'Neutral' Snopes fact-checker", "“Neutral” Snopes Fact Checker")
    assert not same_name("Seven secrets", "Seven secrets | The Independent")
    assert not same_name("", "")  # no gold, never right
    assert same_name("ＡＢＣ", "abc")  # NFKC folds full-width letters


def test_byline_token_f1_threshold() -> None:
    assert byline_f1("By Laura June Topolsky", "Laura June Topolsky") == 1.0  # "by" names no one
    assert byline_f1("Laura Topolsky", "Laura June Topolsky") == pytest.approx(0.8)
    assert same_byline(["Jeremy Herb", "Kara Scannell"], "Jeremy Herb, Kara Scannell")
    # 1 of 4 gold tokens, 1 of 1 predicted: P 1, R 0.25, F1 0.4 < 0.5
    assert not same_byline("Herb", ["Jeremy Herb", "Kara Scannell"])
    assert not same_byline(None, "Someone")
    assert not same_byline([], "Someone")


def test_dates_compare_to_the_day_without_zone_shifts() -> None:
    assert day_of("2015-07-24T05:36:09+01:00") == "2015-07-24"
    assert day_of(datetime(2020, 3, 4, 23, 59)) == "2020-03-04"
    assert day_of("2020-3-4") == "2020-03-04"
    assert day_of("yesterday") is None
    assert same_day("2018-04-05", "2018-04-05T06:00")
    assert not same_day("2018-04-06T00:30:00+02:00", "2018-04-05T22:30:00Z")
    assert not same_day(None, "2018-04-05")


def test_language_compares_primary_subtag() -> None:
    assert same_language("en", "en-US")
    assert same_language("EN_gb", "en")
    assert not same_language("de", "en")
    assert not same_language("en", "")


def _page(dataset: str, meta: dict[str, object]) -> Page:
    return Page(id="p", html_bytes=b"", url=None, gold_text=None, site="s", dataset=dataset,
                gold_meta=meta)


def test_only_fields_with_gold_count() -> None:
    readability = _page("readability", {"title": "T", "byline": None, "siteName": "",
                                        "publishedTime": None, "lang": "en"})
    assert gold_fields(readability) == {"title": "T", "language": "en"}
    news = _page("newspaper4k", {"title": "N", "authors": [], "publish_date": "None",
                                 "language": "ja"})
    assert gold_fields(news) == {"title": "N", "language": "ja"}


def test_score_metadata_counts_right_over_gold_pages() -> None:
    pages = [_page("readability", {"title": "A title", "lang": "en"}),
             _page("readability", {"title": "Other", "byline": "Jane Roe"})]
    predictions = [{"title": "a TITLE!", "language": "fr"},
                   {"title": "Wrong", "authors": ["Jane Roe"]}]
    scores = score_metadata(predictions, pages)
    assert scores["title"] == FieldScore(right=1, pages=2)
    assert scores["authors"] == FieldScore(right=1, pages=1)
    assert scores["language"] == FieldScore(right=0, pages=1)
    assert scores["date"].accuracy is None


def test_decode_for_peer_follows_bom_meta_charset_then_utf8() -> None:
    assert decode_for_peer(b"\xef\xbb\xbf<p>caf\xc3\xa9</p>") == "<p>café</p>"
    latin = b'<meta charset="iso-8859-1"><p>caf\xe9</p>'
    assert decode_for_peer(latin).endswith("café</p>")
    assert decode_for_peer(b"<p>caf\xe9</p>") == "<p>café</p>"  # not UTF-8: cp1252
    assert decode_for_peer(b'<meta charset="bogus"><p>\xc3\xa9</p>').endswith("é</p>")


def test_page_language_reads_html_lang() -> None:
    assert page_language(b'<!doctype html><html class="x" lang="de-AT">') == "de"
    assert page_language(b"<html><body>") is None


def test_peer_names_resolve_aliases_and_reject_unknown() -> None:
    assert resolve_names("readability, goose", ()) == ["readability-lxml", "goose3"]
    assert resolve_names(None, ("trafilatura",)) == ["trafilatura"]
    with pytest.raises(ValueError, match="unknown peer"):
        resolve_names("nonesuch", ())


def test_overhead_percent_prefers_cpu_time() -> None:
    from copydesk_lab.bench.meta import Overhead

    assert Overhead(10, 3.0, 2.0, cpu_on=1.1, cpu_off=1.0).percent == pytest.approx(10.0)
    assert Overhead(10, 3.0, 2.0).percent == pytest.approx(50.0)  # no CPU figures: wall
    assert Overhead(0, 0.0, 0.0).percent == 0.0


def test_wcxb_gold_fields_are_title_author_and_day() -> None:
    page = _page("wcxb", {"title": "T", "author": "Jane Roe", "publish_date": "2025-09-04"})
    assert gold_fields(page) == {"title": "T", "authors": "Jane Roe", "date": "2025-09-04"}
    assert gold_fields(_page("wcxb", {"title": "T", "author": None})) == {"title": "T"}


def test_page_rows_give_gold_prediction_and_verdict_per_field() -> None:
    from copydesk_lab.bench.meta import page_rows
    from copydesk_lab.bench.peers import Htmldate

    page = _page("wcxb", {"title": "T", "publish_date": "2025-09-04"})
    (row,) = page_rows(Htmldate(), [page], [{"date": "2025-09-04"}])
    assert row["fields"] == {"date": {"gold": "2025-09-04", "predicted": "2025-09-04",
                                      "right": True}}  # title not offered by htmldate


def test_byline_dates_and_by_name_no_one() -> None:
    # the gold copies the page's byline with its date; the person is what is compared
    gold = "By GILLIAN MOHNEY\n   March 11, 2015 3:46 PM"
    assert same_byline(["GILLIAN MOHNEY"], gold)
    assert same_byline(["Nathan Willis", "Jonathan Corbet"], "By Nathan Willis March 25, 2015")
    assert not same_byline(["Someone Else"], gold)
    assert not same_byline(["March 11, 2015"], gold)  # a date alone names no one


def test_strip_structured_removes_machine_metadata_and_keeps_the_visible_page() -> None:
    from copydesk_lab.bench.strip import strip_structured

    page = (b'<html><head><meta charset="utf-8"><meta name="description" content="d">'
            b'<meta property="og:title" content="OG"><meta name="author" content="Ann">'
            b'<meta name="DC.date" content="2020-01-01"><meta http-equiv="content-language" '
            b'content="en"><script type="application/ld+json">{"headline": "LD"}</script>'
            b'<title>Visible | Site</title></head><body><article itemscope '
            b'itemtype="https://schema.org/Article"><h1 itemprop="headline">Visible</h1>'
            b'<time datetime="2020-01-02" pubdate>Jan 2, 2020</time><p class="by">By Ann</p>'
            b'</article></body></html>')
    out = strip_structured(page)
    for gone in (b"og:title", b"Ann\"", b"DC.date", b"ld+json", b"itemprop", b"itemscope",
                 b"datetime=", b"pubdate"):
        assert gone not in out
    for kept in (b'charset="utf-8"', b'name="description"', b"http-equiv", b"<title>Visible",
                 b"<h1>Visible</h1>", b"<time>Jan 2, 2020</time>", b'class="by">By Ann'):
        assert kept in out
