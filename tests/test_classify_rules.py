"""Unit tests on the block rules and class-word flags of the HTML classifier."""

from __future__ import annotations

import copydesk
from copydesk.blocks import Block
from copydesk.classify.filters import byline_reason, chrome_reason, is_bare_url, link_reason
from copydesk.html.vocab import hint_words, word_flags


def _link_block(text: str, kind: str = "p") -> Block:
    return Block(text=text, kind=kind, link_chars=len(text))


def test_a_bare_url_paragraph_is_content_though_all_link() -> None:
    block = _link_block("http://amzn.to/2iJFhRj")
    assert is_bare_url(block)
    assert link_reason(block) is None


def test_linked_words_are_still_dropped() -> None:
    assert link_reason(_link_block("More from World News")) == "link density 100%"
    assert not is_bare_url(_link_block("see http://example.com for more"))
    assert link_reason(_link_block("http://example.com/story", kind="h3")) is not None


def test_social_embed_is_not_a_share_bar() -> None:
    assert word_flags(hint_words("social-media-embed")).marker == ""
    assert word_flags(hint_words("social-share")).marker == "social"
    assert word_flags(hint_words("social")).marker == "social"
    # the embed word does not clear other markers
    assert word_flags(hint_words("embed related")).marker == "related"


def test_chrome_and_byline_rules() -> None:
    assert chrome_reason(Block(text="Share this article")) == "interface text"
    assert chrome_reason(Block(text="Photo: Getty Images")) == "image credit"
    assert byline_reason(Block(text="By Jane Doe and John Roe")) is not None
    assert byline_reason(Block(text="By the end of the year, prices had doubled.")) is None


def test_embedded_tweet_kept_in_article() -> None:
    prose = " ".join(["The council voted on the budget late on Monday, after a long debate."] * 4)
    html = f"""<html><body><nav><a href="/">Home</a></nav><article>
      <p>{prose}</p>
      <div class="social-media-embed"><blockquote class="twitter-tweet">
        <p>This vote changes everything for the town, and we will be watching.</p>
      </blockquote></div>
      <p>{prose}</p>
      <div class="social-share"><p>Share this on your favourite network today please</p></div>
    </article></body></html>"""
    text = copydesk.extract(html).text or ""
    assert "This vote changes everything" in text
    assert "favourite network" not in text


_STORY = " ".join(["The harbour reopened on Tuesday after weeks of repairs, officials said."] * 3)
_TEASER = " ".join(["An older story about another town, with a long teaser paragraph here."] * 2)


def test_related_heading_labels() -> None:
    from copydesk.classify.sections import is_related_heading

    assert is_related_heading(Block(text="Você pode gostar...", kind="h3"))
    assert is_related_heading(Block(text="Lesen Sie auch:", kind="h2"))
    assert is_related_heading(Block(text="RELATED ARTICLES", kind="h4"))
    assert not is_related_heading(Block(text="Related", kind="p"))  # headings only
    assert not is_related_heading(Block(text="Related parties disagreed on the bill", kind="h2"))


def test_teaser_box_opened_by_a_related_heading_is_dropped() -> None:
    html = f"""<html><body><div class="content">
      <div class="post"><p>{_STORY}</p><p>{_STORY}</p></div>
      <div class="post"><h3>You may also like</h3>
        <div><p>{_TEASER}</p></div><div><p>{_TEASER} Second.</p></div>
        <div><p>{_TEASER} Third.</p></div></div>
    </div></body></html>"""
    text = copydesk.extract(html).text or ""
    assert "harbour reopened" in text
    assert "You may also like" not in text
    assert "older story" not in text


def test_related_heading_inside_the_story_drops_only_itself() -> None:
    html = f"""<html><body><article>
      <p>{_STORY}</p><h3>Read more</h3><p>{_STORY} And then the tide came.</p>
    </article></body></html>"""
    text = copydesk.extract(html).text or ""
    assert "Read more" not in text
    assert "And then the tide came." in text


def test_photo_gallery_inside_the_story_is_dropped() -> None:
    assert word_flags(hint_words("dnd-widget-wrapper type-gallery")).marker == "gallery"
    html = f"""<html><body><article><p>{_STORY}</p><p>{_STORY}</p><p>{_STORY} The end.</p>
      <div class="grid-mod-gallery"><h2>Business news in pictures</h2>
        <p>{_TEASER} A slide caption that reads like prose, one of fifty.</p></div>
    </article></body></html>"""
    text = copydesk.extract(html).text or ""
    assert "The end." in text
    assert "one of fifty" not in text


def test_heading_anchor_ids_are_not_class_words() -> None:
    # Sphinx and Markdown tools turn headings into ids: not a "sharing" box.
    assert hint_words("section sharing-with-a-single-developer") == ("section",)
    assert "share" in hint_words("social-share-buttons-container")
    assert "comments" in hint_words("comments-section")


def test_captioned_table_with_paragraphs_in_cells_is_data() -> None:
    from copydesk.html.parse import parse_html
    from copydesk.html.tables import is_data_table

    data = parse_html("<table><caption>Films</caption><tr><th>Film</th></tr>"
                      "<tr><td>Run<p>A woman runs.</p></td></tr></table>", 10_000)
    layout = parse_html("<table><tr><td><p>Story</p></td><td><ul><li>Menu</li></ul></td>"
                        "</tr></table>", 10_000)
    nested = parse_html("<table><thead><tr><th>x</th></tr></thead><tr><td><table><tr><td>y"
                        "</td></tr></table></td></tr></table>", 10_000)
    assert is_data_table(data.css_first("table"))
    assert not is_data_table(layout.css_first("table"))
    assert not is_data_table(nested.css_first("table"))


def test_caption_ending_in_its_credit() -> None:
    assert chrome_reason(Block(text="Protesters have worn masks (Image: GETTY )")) == "image credit"
    assert chrome_reason(Block(text="The new bridge at dawn (Photo by: Jane Doe/Reuters)")) \
        == "image credit"
    assert chrome_reason(Block(text="He said the image (a photo) was fake.")) is None
    assert chrome_reason(Block(text="DON'T MISS")) == "interface text"


def test_h1_below_the_story_start_is_a_section_heading() -> None:
    html = f"""<html><body><article><h1>The harbour reopens</h1><p>{_STORY}</p>
      <p>{_STORY}</p><h1>What the repairs cost</h1><p>{_STORY} Forty million.</p>
    </article></body></html>"""
    article = copydesk.extract(html)
    text = article.text or ""
    assert "The harbour reopens" not in text  # the headline is the title
    assert article.title == "The harbour reopens"
    assert "What the repairs cost" in text


def test_slideshow_counter_and_author_contact_lines() -> None:
    assert chrome_reason(Block(text="Image 2 of 5")) == "slideshow counter"
    assert chrome_reason(Block(
        text="Email Tariq Malik at tmalik@space.com or follow him @tariqjmalik.")) \
        == "author contact line"
    assert chrome_reason(Block(
        text="Members can join the group, please email group@example.org for more.")) is None


def test_datelines_in_other_languages() -> None:
    for line in ("5. März 2020, 10:12 Uhr", "Publicado el 5 de marzo de 2020",
                 "12 janvier 2019", "2020年3月23日", "23 марта 2020"):
        assert byline_reason(Block(text=line)) == "dateline (reported as dates)", line
    assert byline_reason(Block(text="The 5 best things to do in March")) is None


def test_labelled_bylines() -> None:
    for line in ("Autor: Jan Kowalski", "Текст: Венера Ерофеева", "Reporting: Jane Doe"):
        assert byline_reason(Block(text=line)) == "byline (reported as authors)", line
    assert byline_reason(Block(text="Text messages were sent to every voter")) is None


def test_invisible_blocks_and_latvian_byline() -> None:
    assert chrome_reason(Block(text="\ufeff")) == "invisible characters only"
    assert chrome_reason(Block(text="___")) is None  # a visible separator the author typed
    assert byline_reason(Block(text="Autori: Anna Ūdre")) == "byline (reported as authors)"


def test_javascript_links_are_not_links() -> None:
    html = """<html><body><a href="javascript:"><p>abc</p><p>def</p> ghi</a></body></html>"""
    assert (copydesk.extract(html).text or "").split() == ["abc", "def", "ghi"]
    nav = f"""<html><body><article><p>{_STORY}</p><p>{_STORY}</p><p>{_STORY}</p>
      <p><a href="/world">World news and more from our desk</a></p></article></body></html>"""
    assert "World news" not in (copydesk.extract(nav).text or "")


def test_nested_related_boxes_are_dropped_in_one_pass() -> None:
    from test_pages_adversarial_cases import nested_related_boxes

    article = copydesk.extract(nested_related_boxes(400))
    assert article.status == "ok"
    assert "older story" not in (article.text or "")
    assert (article.text or "").count("The council approved") == 8  # 4 paragraphs, 2 each


def test_credit_contact_and_dateline_rules_behind_their_cheap_tests() -> None:
    """The substring tests that run before the regexes never hide a match: agency
    credits (with case variants the regex folds, such as the long s), trailing
    credits, contact lines and datelines are still found; prose is not."""
    from copydesk.classify.filters import is_credit

    assert is_credit("Crowds gather at the harbour. Getty Images")
    assert is_credit("The bay at dusk. \u017fhutter\u017ftock")  # long s folds to s
    assert is_credit("Protesters in the street (Image: GETTY)")
    assert not is_credit("Protesters gathered in the street on Monday.")
    contact = Block(text="Email Jane Smith at jane@example.com", kind="p")
    assert chrome_reason(contact) == "author contact line"
    assert chrome_reason(Block(text="Email Jane Smith about it", kind="p")) is None
    assert byline_reason(Block(text="March 3, 2024 10:15 am", kind="p")) == \
        "dateline (reported as dates)"
    assert byline_reason(Block(text="Monday morning in town", kind="p")) is None
