"""Unit tests of headline choice, JSON-LD repair and the text-dump head reader."""

from __future__ import annotations

from copydesk.metadata.jsonld import article_rank, load_blocks, nodes
from copydesk.metadata.title import choose_title, site_keys, strip_site


def test_site_suffix_and_prefix_are_cut() -> None:
    sites = site_keys(["The Independent"], "https://www.independent.co.uk/x")
    assert strip_site("Hotel secrets | The Independent", sites) == "Hotel secrets"
    assert strip_site("Independent - Hotel secrets", sites) == "Hotel secrets"
    assert strip_site("A: colon inside a headline", sites) == "A: colon inside a headline"


def test_host_names_the_site() -> None:
    sites = site_keys([], "https://www.ehow.com/how_123.html")
    assert strip_site("How to Build a Terrarium | eHow", sites) == "How to Build a Terrarium"


def test_most_trusted_source_wins_and_h1_only_votes() -> None:
    cands = [
        {"value": "The SEO headline | Site", "source": "title-tag"},
        {"value": "The headline", "source": "og:og:title"},
        {"value": "Logo", "source": "h1"},
    ]
    title, reason = choose_title(cands, {"site"})
    assert title == "The headline"
    assert "og" in reason


def test_jsonld_name_and_headline_decided_by_agreement() -> None:
    cands = [
        {"value": "constitutional monarchy in Oceania", "source": "jsonld:article"},
        {"value": "New Zealand", "source": "jsonld:article:name"},
        {"value": "New Zealand - Wikipedia", "source": "title-tag"},
    ]
    assert choose_title(cands, {"wikipedia"})[0] == "New Zealand"


def test_glued_suffix_removed_by_h1() -> None:
    cands = [
        {"value": "短缺药品保供稳价 全力保障临床用药需求-新华网", "source": "title-tag"},
        {"value": "短缺药品保供稳价 全力保障临床用药需求", "source": "h1"},
    ]
    assert choose_title(cands, set())[0] == "短缺药品保供稳价 全力保障临床用药需求"


def test_og_title_that_is_the_site_name_is_rejected() -> None:
    cands = [
        {"value": "Daily Example", "source": "og:og:title"},
        {"value": "Storm closes the coastal highway", "source": "title-tag"},
    ]
    assert choose_title(cands, {"dailyexample"})[0] == "Storm closes the coastal highway"


def test_jsonld_graph_and_article_rank() -> None:
    notes: list[str] = []
    values = load_blocks(
        ['{"@graph": [{"@type": "WebPage"}, {"@type": ["NewsArticle"], "headline": "h"}]}'], notes
    )
    found = sorted(nodes(values), key=article_rank)
    assert found[0].get("headline") == "h"
    assert notes == []
