"""Block-level rules inside the article's region.

Each rule returns a reason (str) when the block is boilerplate, or None.
They run in order and the first reason wins, so `explain` shows the rule
that actually decided.
"""

from __future__ import annotations

import re

from copydesk.blocks import HEADING_KINDS, Block
from copydesk.html.segment import NodeInfo
from copydesk.html.vocab import BOILERPLATE_TAGS, HARD_NEGATIVE_WORDS, NEGATIVE_ROLES

# Short lines that are chrome in any article (compared lower-cased, stripped
# of trailing punctuation). Language-general UI strings, not site phrases.
_CHROME_PHRASES = frozenset({
    "advertisement", "advertising", "sponsored", "sponsored content", "share", "share this",
    "share this article", "share this story", "share on facebook", "share on twitter", "tweet",
    "email", "print", "comments", "comment", "read more", "read more here", "more", "related",
    "related articles", "related stories", "related content", "recommended", "you may also like",
    "most popular", "most read", "trending", "trending now", "sign up", "subscribe",
    "subscribe now", "follow us", "click here", "continue reading", "back to top", "top",
    "skip to content", "skip to main content", "menu", "close", "loading", "view comments",
    "show comments", "leave a comment", "previous", "next", "newsletter", "see also",
    "also read", "read also", "watch", "listen", "copy link", "copied", "whatsapp", "facebook",
    "twitter", "linkedin", "reddit", "pinterest", "story continues below advertisement",
    "article continues below", "anzeige", "publicité", "werbung", "publicidad",
})

_CREDIT = re.compile(
    r"^(?:\(?(?:photo|image|picture|foto|photograph|illustration|video|credit|source|"
    r"file photo|pictured)s?\s*(?:by|credit)?\s*[:/|)]|.{0,80}\b(?:getty images|shutterstock|"
    r"ap photo|afp via getty|reuters/|epa-efe|istock)\b)",
    re.IGNORECASE,
)


def region_path_reason(nodes: list[NodeInfo], node: int, root: int) -> str | None:
    """Boilerplate markup between the block and the region root (root excluded)."""
    while node >= 0 and node != root:
        info = nodes[node]
        if info.tag in BOILERPLATE_TAGS:
            return f"inside <{info.tag}>"
        for word in info.words:
            if word in HARD_NEGATIVE_WORDS or word in NEGATIVE_ROLES:
                return f"inside an element marked '{word}'"
        node = info.parent
    return None


def link_reason(block: Block) -> str | None:
    """Mostly links: menus, teasers, tag lists."""
    density = block.link_density
    if block.kind in HEADING_KINDS and density > 0.5:
        return f"heading that is a link ({density:.0%} link text)"
    if density > 0.5 and block.kind != "table":
        return f"link density {density:.0%}"
    return None


def chrome_reason(block: Block) -> str | None:
    """Short UI strings and image credits."""
    text = block.text
    if len(text) > 120:
        return None
    key = text.lower().strip(" .:!?»›>|-–—•·")
    if key in _CHROME_PHRASES:
        return "interface text"
    if _CREDIT.match(text):
        return "image credit"
    return None
