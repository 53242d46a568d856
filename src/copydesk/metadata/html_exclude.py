"""Whether an element sits in a container whose dates and names are not the article's.

Comments, related/popular lists, sidebars, navigation and widgets are the
commonest source of wrong dates and of sidebar names taken for authors.
`Exclusions()(node, depth)` answers whether one of the node and its
`depth - 1` nearest ancestors is such a container; the readers ask it of
many nodes of one page, whose ancestor chains overlap, so it memoises per
element the distance to its nearest excluding ancestor: each element's
class/id words are read once per page instead of once per descendant asked
about (tests/test_metadata_exclusions.py checks it against the plain walk).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from copydesk.metadata.ascii_fold import folded_on_first_use

# Containers whose dates and names belong to something else than the article.
# Matched on whole class/id tokens or their -/_ parts ("vcard" is not "card").
_EXCLUDED_RE = re.compile(
    r"(?:^|[-_\s])(?:comments?|related|sidebar|recommend\w*|popular|trending|most-?read|"
    r"promo|teasers?|newsletter|nav|navbar|navigation|menu|footer|outbrain|taboola|more-?stories|"
    r"next-?article|read-?next|rail|aside|also)(?=$|[-_\s\d])"
    # a class word starting with "widget" (a sidebar's "widget widget_recent_entries"),
    # not one of a page builder's that wrap every element ("elementor-widget-container")
    r"|(?:^|\s)widgets?(?=$|[-_\s\d])",
    re.IGNORECASE,
)
# Lighter list for microdata (itemprop inside an aside is still the page's own).
_EXCLUDED_LIGHT_RE = re.compile(
    r"(?:^|[-_\s])(?:comments?|related|recommend\w*|popular|trending|most-?read|teasers?|"
    r"more-?stories|next-?article|read-?next)(?=$|[-_\s\d])",
    re.IGNORECASE,
)
_STOP_TAGS = frozenset({"body", "html", "-undef"})  # the walk ends at the page itself
_EXCLUDED_TAGS = frozenset({"nav", "aside", "footer"})  # (not for the light list)
# CMS class words naming the post's taxonomy, not the element's role: WordPress
# prints `category-<slug>` and `tag-<slug>` of every term on the post's
# <article> ("category-language-courses-recommendation", "tag-related-posts").
_TAXONOMY_PREFIXES = ("category-", "tag-", "post_tag-")
NONE = 1 << 30  # distance when no ancestor up to the page excludes
MAX_WALK = 64  # ancestors walked at most (deeper: answered for depths below it, not kept)


def excludes(node: Any, light: bool) -> bool:
    """Whether this element itself is such a container (by tag or class/id words)."""
    if not light and node.tag in _EXCLUDED_TAGS:
        return True
    attrs = node.attributes
    return _excluding_words(f"{attrs.get('class') or ''} {attrs.get('id') or ''}", light)


@lru_cache(maxsize=1024)  # templates repeat class lists: a page's elements share a few dozen
def _excluding_words(words: str, light: bool) -> bool:
    """Whether class/id words (`words`) name an excluded container."""
    if words.isascii():  # (most class lists) lower-cased, by the case-sensitive forms
        folded = _folded()[light]
        return bool(words.strip() and folded.search(words.lower())
                    and folded.search(_own_words(words).lower()))
    pattern = _EXCLUDED_LIGHT_RE if light else _EXCLUDED_RE
    return bool(words.strip() and pattern.search(words) and pattern.search(_own_words(words)))


_folded = folded_on_first_use(_EXCLUDED_RE, _EXCLUDED_LIGHT_RE)


def _own_words(words: str) -> str:
    """Class/id words without the taxonomy terms (checked only after a match: cheap)."""
    return " ".join(w for w in words.split() if not w.lower().startswith(_TAXONOMY_PREFIXES))


class Exclusions:
    """Whether a node sits in an excluded container, for the nodes of one page,
    memoised by element identity."""

    __slots__ = ("_first",)

    def __init__(self) -> None:
        # per light flag: mem_id -> distance to the nearest excluding ancestor-or-self
        self._first: tuple[dict[int, int], dict[int, int]] = ({}, {})

    def __call__(self, node: Any, depth: int = 12, light: bool = False) -> bool:
        """True when the node or one of its `depth - 1` nearest ancestors (below
        the page's body) is an excluding container (`excludes`)."""
        return self.distance(node, light) < depth

    def distance(self, node: Any, light: bool) -> int:
        """Ancestors between `node` and its nearest excluding one (0: itself;
        NONE: none before the page's body)."""
        memo = self._first[light]
        chain: list[int] = []
        current, found = node, NONE
        while current is not None and current.tag not in _STOP_TAGS:
            key = current.mem_id
            known = memo.get(key)
            if known is not None:
                found = known
                break
            if excludes(current, light):
                memo[key] = found = 0
                break
            chain.append(key)
            if len(chain) >= MAX_WALK:
                return MAX_WALK  # not kept: the chain's distances are unknown
            current = current.parent
        for steps, key in enumerate(reversed(chain), start=1):
            memo[key] = found + steps if found != NONE else NONE
        return memo[node.mem_id] if chain else found
