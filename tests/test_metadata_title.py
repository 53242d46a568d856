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


def test_title_tag_cut_where_the_heading_above_the_body_ends() -> None:
    # no structured headline: the heading repeats the <title>'s first segments;
    # the tail ("Loyola Marymount University") names the site though the host does not say so
    cands = [
        {"value": "Digital Marketing Professional - Loyola Marymount University",
         "source": "title-tag"},
        {"value": "Digital Marketing Professional", "source": "heading", "distance": -1,
         "level": 0},
    ]
    assert choose_title(cands, site_keys([], "https://ce.lmu.edu/x"))[0] == (
        "Digital Marketing Professional")


def test_longest_repeated_run_wins_over_a_book_name_heading() -> None:
    cands = [
        {"value": "Defining Shared Behavior with Traits - The Rust Programming Language",
         "source": "title-tag"},
        {"value": "The Rust Programming Language", "source": "heading", "distance": -2, "level": 0},
        {"value": "Defining Shared Behavior with Traits", "source": "heading", "distance": -1,
         "level": 1},
    ]
    assert choose_title(cands, site_keys([], "https://doc.rust-lang.org/book/ch10"))[0] == (
        "Defining Shared Behavior with Traits")


def test_heading_repeating_the_whole_title_keeps_the_usual_cut() -> None:
    cands = [
        {"value": "Marietta Electricians Costs & Prices - ProMatcher Cost Report",
         "source": "title-tag"},
        {"value": "Marietta Electricians Costs & Prices - ProMatcher Cost Report",
         "source": "heading", "distance": -1, "level": 0},
    ]
    sites = site_keys([], "https://electricians.promatcher.com/cost/marietta")
    assert choose_title(cands, sites)[0] == "Marietta Electricians Costs & Prices"


def test_title_that_is_only_site_names_is_kept_whole() -> None:
    cands = [{"value": "Google - Site Reliability Engineering", "source": "title-tag"},
             {"value": "Monitoring Distributed Systems", "source": "heading", "distance": -1,
              "level": 0}]
    sites = site_keys(["Google", "Site Reliability Engineering"], None)
    assert choose_title(cands, sites)[0] == "Google - Site Reliability Engineering"


def test_dublin_core_title_ranks_above_og_title() -> None:
    cands = [{"value": "A title", "source": "og:og:title"},
             {"value": "Preferred title", "source": "dctitle:dc.title"}]
    assert choose_title(cands, set())[0] == "Preferred title"


def test_html_entities_in_a_jsonld_headline_are_decoded() -> None:
    cands = [{"value": "And finally&#8230; trouble brewing", "source": "jsonld:newsarticle"}]
    assert choose_title(cands, set())[0] == "And finally… trouble brewing"


def test_cut_only_drops_segments_the_page_prints_outside_the_body() -> None:
    from copydesk.metadata.title import visible_span

    heading = [{"value": "Fundamentals of Electrical Work", "source": "heading",
                "distance": -1, "level": 0}]
    title = "Fundamentals of Electrical Work - Capital Electric Education"
    outside = " home courses capital electric education contact "
    assert visible_span(title, heading, set(), outside)[0] == "Fundamentals of Electrical Work"
    assert visible_span(title, heading, set(), " home courses contact ") is None


def test_printed_headline_beats_the_search_engine_title_without_structured_data() -> None:
    """No og:title or JSON-LD: an h1 just above the body that words the <title>'s
    story its own way is the headline; an unrelated h1 (a section) is not."""
    import copydesk

    body = "<p>" + "Dietitians expect these changes to shape what people eat this year. " * 8
    page = ("<html><head><title>7 Major Diet Trends for 2025, According to Nutritionists | Diet"
            " Weekly</title>"
            "</head><body><article><h1>{h1}</h1>" + body + "</p></article></body></html>")
    printed = "The 7 Biggest Diet and Nutrition Trends in 2025, According to Nutritionists"
    assert copydesk.extract(page.format(h1=printed)).title == printed
    assert (copydesk.extract(page.format(h1="Health and Wellness")).title
            == "7 Major Diet Trends for 2025, According to Nutritionists")
    # a <title> without a site segment is the author's own headline: it stands
    bare = page.replace(" | Diet Weekly", "")
    assert (copydesk.extract(bare.format(h1=printed)).title
            == "7 Major Diet Trends for 2025, According to Nutritionists")


def test_rdfa_property_form_beats_its_name_twin() -> None:
    import copydesk

    page = ('<html><head><title>Title Element</title><meta name="DC.title" content="Name form">'
            '<meta property="dc:title" content="Property form"></head><body><p>'
            + "Some words of the article body here. " * 10 + "</p></body></html>")
    assert copydesk.extract(page).title == "Property form"
