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
