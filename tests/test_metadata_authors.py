"""Author sources beyond JSON-LD and meta names: forum posts, SEO label pairs,
author-page links; and the fault classes seen on the 2025 pages (user names
dropped as "not a name", a related story's author taken)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

import copydesk
from copydesk.metadata.people import handle_name, parse_byline

BODY = "<p>" + "Plenty of words in a paragraph of the story itself. " * 12 + "</p>"


def _page(head: str = "", body: str = "") -> bytes:
    return (f"<html><head><title>A thread title</title>{head}</head>"
            f"<body>{body}{BODY}</body></html>").encode()


def test_user_names_are_people_only_where_the_field_holds_one() -> None:
    assert handle_name("amondale") == "amondale"
    assert handle_name("hayley.p") == "hayley.p"
    assert handle_name("Noah_B") == "Noah_B"
    assert handle_name("staff") is None  # an organisation word
    assert handle_name("two words") is None
    assert handle_name("___") is None
    assert parse_byline("amondale").authors == []  # a byline: lower case is not a name
    assert parse_byline("amondale", handle=True).authors == ["amondale"]
    assert parse_byline("user3080392", structured=False, handle=True).authors == ["user3080392"]


def test_forum_posting_jsonld_author_is_a_user_name() -> None:
    ld = {"@context": "https://schema.org", "@type": "DiscussionForumPosting",
          "headline": "Confusing resolver structure", "author": {"@type": "Person",
                                                                 "name": "amondale"}}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    article = copydesk.extract(_page(head))
    assert article.authors == ["amondale"]
    assert article.title == "Confusing resolver structure"


def test_qapage_question_is_the_post_but_faq_questions_are_not() -> None:
    qa = {"@type": "QAPage", "mainEntity": {"@type": "Question", "name": "How to X?",
                                            "author": {"@type": "Person", "name": "drat"}}}
    head = f'<script type="application/ld+json">{json.dumps(qa)}</script>'
    assert copydesk.extract(_page(head)).authors == ["drat"]
    faq = {"@type": "FAQPage", "mainEntity": [{"@type": "Question", "name": "Is it free?"}]}
    head = f'<script type="application/ld+json">{json.dumps(faq)}</script>'
    assert copydesk.extract(_page(head)).title == "A thread title"


def test_first_post_data_author_is_the_thread_starter() -> None:
    body = ('<article class="message" data-author="TissueBox"><p>first post</p></article>'
            '<article class="message" data-author="Replier"><p>reply</p></article>')
    assert copydesk.extract(_page(body=body)).authors == ["TissueBox"]
    inside_comments = ('<div class="comments"><div data-author="Commenter">c</div></div>')
    assert copydesk.extract(_page(body=inside_comments)).authors == []


def test_twitter_label_pair_names_the_writer() -> None:
    head = ('<meta name="twitter:label1" content="Written by">'
            '<meta name="twitter:data1" content="Erin Spain">'
            '<meta name="twitter:label2" content="Est. reading time">'
            '<meta name="twitter:data2" content="1 minute">')
    article = copydesk.extract(_page(head))
    assert article.authors == ["Erin Spain"]


def test_author_page_links_one_byline_not_the_related_cards() -> None:
    body = ('<div class="post-head"><span>By <a href="/author/jane-doe/">Jane Doe</a> and '
            '<a href="/author/john-roe/">John Roe</a></span></div>'
            '<div class="cards"><div><a href="/author/other-person/">Other Person</a></div></div>')
    assert copydesk.extract(_page(body=body)).authors == ["Jane Doe", "John Roe"]
    sidebar = '<aside><a href="/author/side-bar/">Side Bar</a></aside>'
    assert copydesk.extract(_page(body=sidebar)).authors == []


def test_visible_byline_near_the_headline() -> None:
    body = ('<div class="head"><h1>The headline of it</h1><p class="x">Apr 17, 2025</p>'
            '<p class="text-with-icon">By <span>Jerry Chu</span></p></div>')
    assert copydesk.extract(_page(body=body)).authors == ["Jerry Chu"]
    labelled = ('<div><h1>The headline of it</h1><div><p>Written by</p><p>Edzel Tabing</p>'
                '</div></div>')
    assert copydesk.extract(_page(body=labelled)).authors == ["Edzel Tabing"]
    far = ('<div><h1>The headline of it</h1></div>' + BODY +
           '<div class="card"><p>By Someone Else</p></div>')
    assert copydesk.extract(_page(body=far)).authors == []


def test_interface_phrases_and_job_titles_are_not_names() -> None:
    assert parse_byline("Insights from").authors == []
    assert parse_byline("Personal finance").authors == []
    assert parse_byline("Human in the Loop").authors == []
    assert parse_byline("Brett Cruz, Security Expert").authors == ["Brett Cruz"]
    assert parse_byline("Liza Burke Marketing Director").authors == ["Liza Burke"]
    assert parse_byline("Ludwig van Beethoven").authors == ["Ludwig van Beethoven"]


def test_author_naming_the_site_gives_way_to_a_person() -> None:
    head = '<meta name="author" content="Five Books"><meta property="og:site_name" content="x">'
    body = '<div><h1>Best novels</h1><p>By Sylvia Bishop</p></div>'
    article = copydesk.extract(_page(head, body), url="https://fivebooks.com/best/")
    assert article.authors == ["Sylvia Bishop"]
    alone = copydesk.extract(_page('<meta name="author" content="Erin Spain">'),
                             url="https://www.erinspain.com/post/")
    assert alone.authors == ["Erin Spain"]  # a blog named after its author: nobody else named


def test_rel_author_in_an_article_aside_column() -> None:
    body = ('<article><aside class="meta"><address><a rel="author" href="/profile/adam">'
            'Adam Roberts</a></address></aside><h1>Best books</h1></article>')
    assert copydesk.extract(_page(body=body)).authors == ["Adam Roberts"]


def test_one_token_meta_author_is_a_user_name() -> None:
    article = copydesk.extract(_page('<meta name="author" content="sara.r.peter">'))
    assert article.authors == ["sara.r.peter"]
    assert copydesk.extract(_page('<meta name="author" content="staff">')).authors == []


def test_question_author_not_the_answers_authors() -> None:
    body = ('<div itemscope itemtype="https://schema.org/Question"><h1>How to X?</h1>'
            '<div><div><div itemprop="author" itemscope itemtype="https://schema.org/Person">'
            '<meta itemprop="name" content="drat"></div></div></div>'
            '<div itemprop="suggestedAnswer" itemscope itemtype="https://schema.org/Answer">'
            '<span itemprop="author" itemscope><span itemprop="name">GregD</span></span>'
            '</div></div>')
    assert copydesk.extract(_page(body=body)).authors == ["drat"]


def test_counter_beside_the_name_is_not_a_byline() -> None:
    import copydesk

    page = (b'<html><head><title>T</title><meta name="author" content="Jane Blog (janeb)">'
            b'<meta property="og:site_name" content="Jane Blog"></head><body><h1>Post</h1>'
            b'<p class="author">Jane Blog <span class="author-views">Views( 23925 )</span></p>'
            b'<p>' + b"Body text of the post, long enough to be kept as the article. " * 8
            + b'</p></body></html>')
    article = copydesk.extract(page)
    assert "Views" not in " ".join(article.authors)


def test_taxonomy_and_page_builder_classes_do_not_hide_the_byline() -> None:
    """WordPress prints every category of the post as a class of its <article>
    ("category-...-recommendation"), page builders wrap every element in a
    "...-widget-container": neither is a related box or a sidebar."""
    body = ('<article class="post category-reading-recommendation tag-related-posts"><h1>The '
            'headline of it</h1><div class="elementor-widget-container"><span class="author-name'
            '">Christian Roth</span></div></article>')
    assert copydesk.extract(_page(body=body)).authors == ["Christian Roth"]
    sidebar = ('<h1>The headline of it</h1><div class="widget widget_recent_entries"><span '
               'class="author-name">Someone Else</span></div>')
    assert copydesk.extract(_page(body=sidebar)).authors == []


def test_author_box_name_is_a_byline_but_its_bio_is_not() -> None:
    body = ('<h1>The headline of it</h1><div class="author-box"><span class="author-box__name">'
            'Andrew King</span><p class="author-box__bio">Andrew writes about gardens.</p></div>')
    assert copydesk.extract(_page(body=body)).authors == ["Andrew King"]


def test_dated_byline_right_after_the_headline_in_a_long_article() -> None:
    body = ('<article><h1>The headline of it</h1><div class="x">October 11, 2023 by Autumn '
            'Huerter</div>' + BODY * 4 + '</article>')
    assert copydesk.extract(_page(body=body)).authors == ["Autumn Huerter"]


def test_organisation_author_is_the_credit_only_when_nobody_is_named() -> None:
    org = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x y z", '
           '"author": {"@type": "Organization", "name": "Our Foreign Staff"}}</script>')
    assert copydesk.extract(_page(org)).authors == ["Our Foreign Staff"]
    byline = '<p class="byline">By Jane Roe</p>'
    assert copydesk.extract(_page(org, byline)).authors == ["Jane Roe"]
    placeholder = org.replace('"Organization", "name": "Our Foreign Staff"',
                              '"Person", "name": "undefined"')
    assert copydesk.extract(_page(placeholder)).authors == []  # what a template left unfilled


def test_byline_element_credit_when_no_field_names_anyone() -> None:
    body = '<div class="blog-author">EDB Team</div>'
    assert copydesk.extract(_page(body=body)).authors == ["EDB Team"]
    # "Written by ..." in plain text (no byline element): read, but not a credit
    text_only = '<h1>A thread title here</h1><p>Written by Acme Team</p>'
    assert copydesk.extract(_page(body=text_only)).authors == []


_HREFS = st.lists(st.sampled_from(
    ["/author/", "/authors/", "/autor/", "/auteur/", "/autore/", "/AUTHOR/", "/aut", "/auth",
     "jane", "/", "x"]), max_size=5).map("".join)


@given(st.lists(st.tuples(_HREFS, st.sampled_from(["a", "span", "A"])), max_size=8))
@settings(max_examples=200, deadline=None)
def test_author_links_are_what_the_five_selector_list_finds(links: list[tuple[str, str]]) -> None:
    from selectolax.lexbor import LexborHTMLParser

    from copydesk.metadata import html_dom

    page = "".join(f'<{tag} href="{href}">{i}</{tag}>' for i, (href, tag) in enumerate(links))
    tree = LexborHTMLParser(f"<body><div>{page}</div></body>")
    listed = ", ".join(f'a[href*="{part}"]' for part in html_dom.AUTHOR_LINK_PARTS)
    assert [n.mem_id for n in html_dom.author_links(tree)] == [n.mem_id for n in tree.css(listed)]
