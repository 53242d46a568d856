"""Vocabulary of the HTML extractor: tag sets and class/id words, in one place.

Word lists are facts about how sites name their markup, gathered from the
Readability.js `REGEXPS` (unlikelyCandidates, positive, negative), the
boilerpipe and jusText papers, and inspection of the development corpora's
*markup conventions* (never a single site's names). Every tuned weight in
`copydesk.classify` refers back to these sets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Elements whose content is never article text.
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "button", "select", "option", "input", "textarea", "head", "title", "meta",
    "link", "video", "audio", "map", "dialog", "datalist", "picture", "source", "img",
    "form-button", "label",
})

# Elements that start a new block of text.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p",
    "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    "caption", "html", "br", "legend",
})

# Tag -> block kind of the text directly inside it.
KIND_OF_TAG = {
    "p": "p", "h1": "h1", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h5", "h6": "h6",
    "li": "li", "dt": "li", "dd": "li", "blockquote": "quote", "pre": "pre",
    "figcaption": "caption", "caption": "caption",
}

# The class/id word the walk adds to a hidden element when it walks hidden
# elements (`segment.segment(hidden=True)`): no site's markup writes it. It is a
# hard boilerplate word and an unlikely candidate, so the rules drop hidden text
# and it never votes for the region; the block model learns its weight.
HIDDEN_WORD = "copydeskhidden"
# Two more marker words of the same standing (hard boilerplate words and unlikely
# candidates, so the rules treat them as `HIDDEN_WORD`) tell the block model,
# which learns a weight per word (`TokenTable`), how the element was hidden;
# each hidden element walked gets one of the three. `CONTROLLED_WORD`: a panel
# that a tab or button opens (its id named by an `aria-controls`, a
# `data-target`/`data-bs-target` or an in-page link, or itself naming its tab
# with `aria-labelledby`): a tab or an accordion fold, not a menu opened by a
# hover or a dialog opened by a script. `ARIA_HIDDEN_WORD`: hidden only by
# `aria-hidden="true"`, from screen readers but not from the screen
# (decorative graphics, star ratings, a visual copy of a text).
CONTROLLED_WORD = "copydeskcontrolled"
ARIA_HIDDEN_WORD = "copydeskariahidden"
HIDDEN_WORDS = (HIDDEN_WORD, CONTROLLED_WORD, ARIA_HIDDEN_WORD)

# Structural tags that by themselves say "not the article".
BOILERPLATE_TAGS = frozenset({"nav", "footer", "aside", "menu"})

# Class/id/role words (split on non-letters, lower-cased) that mark boilerplate.
# Whole words, not substrings: "ad" must not match "head" or "shadow".
NEGATIVE_WORDS = frozenset({
    "ad", "ads", "adv", "advert", "advertisement", "advertising", "adslot", "adunit",
    "banner", "sponsor", "sponsored", "promo", "promotion", "promoted", "outbrain", "taboola",
    "comment", "comments", "disqus", "respond", "reply", "replies", "discussion",
    "footer", "foot", "masthead", "header", "topbar", "navbar", "nav", "navigation", "menu",
    "breadcrumb", "breadcrumbs", "sidebar", "aside", "widget", "widgets", "rail", "sidecol",
    "share", "sharing", "social", "sociallinks", "follow", "shares", "sharebar", "print",
    "related", "recommended", "recommendations", "recirc", "more", "popular", "trending",
    "mostread", "mostpopular", "newsletter", "subscribe", "subscription", "signup",
    "cookie", "cookies", "consent", "gdpr", "paywall", "modal", "popup", "overlay",
    "tags", "tag", "tagline", "keywords", "categories", "pagination", "pager", "skip",
    "author", "byline", "bio", "contributor", "credit", "credits", "caption", "copyright",
    "meta", "dateline", "timestamp", "date", "published", "toolbar", "tools", "utility",
    "login", "signin", "register", "search", "hidden", "visually", "sr", "screenreader",
    "teaser", "teasers", "readmore", "seealso", "cta", "callout", "inline",
    "partner", "partners", "feedback", "survey", "alert", "notification", "carousel",
    "slider", "gallery", "thumbnail", "thumb", "card", "cards", "listing", "feed",
    *HIDDEN_WORDS,
})

POSITIVE_WORDS = frozenset({
    "article", "articlebody", "body", "content", "entry", "main", "page", "post", "text",
    "blog", "story", "storybody", "richtext", "prose", "copy", "paragraph", "detail",
    "single", "hentry", "permalink", "news",
})

# Words that mark an element that can never be article text even inside the
# article container (Readability's "unlikely candidates" idea, narrowed).
HARD_NEGATIVE_WORDS = frozenset({
    "share", "sharing", "social", "sociallinks", "newsletter", "subscribe", "cookie",
    "cookies", "consent", "gdpr", "comment", "comments", "disqus", "related", "recommended",
    "outbrain", "taboola", "breadcrumb", "breadcrumbs", "sidebar", "advertisement", "ad",
    "ads", "adslot", "adunit", "promo", "popular", "mostread", "mostpopular", "trending",
    "recirc", "footer", "navbar", "navigation", "toolbar", "signup", "skip",
    "screenreader", "sr", "readmore", "seealso", "byline", "author", "bio",
    "caption", "credit", "credits", "tags", "keywords", "pagination", "pager", "modal",
    "popup", "meta", "dateline", "timestamp", "gallery", "cta", *HIDDEN_WORDS,
})

# Headings of "more stories" boxes, compared lower-cased without surrounding
# punctuation: UI labels in the languages of the news sites we read, not any
# one site's wording (see `classify.sections`).
RELATED_HEADINGS = frozenset({
    # English
    "related", "related articles", "related stories", "related posts", "related content",
    "related news", "related links", "related coverage", "related reading", "related topics",
    "you may also like", "you might also like", "you may like", "you might like",
    "you may also be interested in", "you might be interested in", "more stories",
    "more from this section", "more like this", "more on this story", "more on this topic",
    "recommended", "recommended for you", "recommended stories", "recommended reading",
    "most popular", "most read", "most viewed", "popular posts", "popular stories",
    "trending", "trending now", "read next", "what to read next", "read more", "also read",
    "see also", "don't miss", "editor's picks", "top stories", "latest news",
    "latest stories", "more news", "other stories",
    # Portuguese
    "você pode gostar", "você também pode gostar", "veja também", "leia também", "leia mais",
    "notícias relacionadas", "posts relacionados", "artigos relacionados", "mais lidas",
    "mais lidos", "relacionadas", "relacionados",
    # Spanish
    "te puede interesar", "también te puede interesar", "noticias relacionadas",
    "artículos relacionados", "lo más leído", "más leídas", "más leídos", "más noticias",
    "lee también", "te recomendamos", "quizás te interese", "te podría interesar",
    # French
    "à lire aussi", "lire aussi", "sur le même sujet", "articles similaires",
    "vous aimerez aussi", "vous aimerez aussi lire", "les plus lus", "articles liés",
    "à voir aussi", "à lire également",
    # German
    "das könnte sie auch interessieren", "auch interessant", "mehr zum thema",
    "lesen sie auch", "meistgelesen", "ähnliche artikel", "weitere artikel",
    "verwandte artikel", "das könnte dich auch interessieren",
    # Italian
    "leggi anche", "potrebbe interessarti", "articoli correlati", "ti potrebbe interessare",
    "potrebbero interessarti anche", "più letti", "potrebbe interessarti anche",
    # Dutch, Polish, Russian
    "lees ook", "meer nieuws", "gerelateerde artikelen", "czytaj także", "zobacz też",
    "zobacz także", "polecane", "читайте также", "похожие статьи", "другие новости",
    "смотрите также", "популярное",
    # Japanese, Chinese, Korean
    "関連記事", "おすすめ記事", "人気記事", "相关文章", "相关阅读", "推荐阅读", "相關文章",
    "관련기사", "많이 본 뉴스",
})

# Roles and aria landmarks that mean boilerplate.
NEGATIVE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search",
                            "menu", "menubar", "dialog", "alertdialog", "toolbar"})

_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"([a-z])([A-Z])")


# Class/id text read per element: real values are far shorter; a 10 MB class
# attribute would otherwise become a million words checked one by one.
MAX_HINT_CHARS = 1000


# Words that occur in prose but never in a designer's class name: a token
# made of four or more parts with one of them is a heading turned into an
# anchor id ("sharing-with-a-single-developer"), not a description of the box.
_SLUG_WORDS = frozenset({"a", "an", "the", "with", "of", "to", "for", "in", "on", "is", "how",
                         "what", "why", "your", "you", "my", "we", "it", "at", "from", "by"})
_SLUG_MIN_PARTS = 4


def _is_slug(token: str) -> bool:
    parts = _WORD_SPLIT.split(token.lower())
    return len(parts) >= _SLUG_MIN_PARTS and not _SLUG_WORDS.isdisjoint(parts)


_WORD = re.compile(r"[a-z0-9]+")
_CAMEL_GAP = re.compile(r"(?<=[a-z])(?=[A-Z])")  # where _CAMEL inserts its space
# ASCII bytes: [a-z0-9] kept, every other byte a space (`_AS_SPACE`) or,
# whitespace aside, dropped (`_NOT_WORD_NOR_SPACE`), for `hint_words`.
_AS_SPACE = bytes(b if chr(b) in "abcdefghijklmnopqrstuvwxyz0123456789" else 32
                  for b in range(256))
_NOT_WORD_NOR_SPACE = bytes(b for b in range(256) if _AS_SPACE[b] == 32 and not chr(b).isspace())


def _hint_words_any(value: str, lower: str) -> tuple[str, ...]:
    """`hint_words` for any value (non-ASCII, or holding slug tokens), by regex."""
    tokens = value.split()
    if not _SLUG_WORDS.isdisjoint(_WORD_SPLIT.split(lower)):
        tokens = [t for t in tokens if not _is_slug(t)]
        value = " ".join(tokens)
        lower = value.lower()
    words = _WORD.findall(lower if lower == value else _CAMEL_GAP.sub(" ", value).lower())
    seen = set(words)
    for token in lower.split():
        if token not in seen:
            joined = "".join(_WORD.findall(token))
            if joined and joined not in seen:
                words.append(joined)
                seen.add(joined)
    return tuple(words)

# Readability.js `unlikelyCandidates` / `okMaybeItsACandidate`, as whole words:
# an element carrying one of the first and none of the second is not voted for
# and cannot hold the article (comments, menus, sidebars...).
UNLIKELY_WORDS = frozenset({
    "ad", "ads", "banner", "breadcrumb", "breadcrumbs", "combx", "comment", "comments",
    "community", "disqus", "extra", "footer", "gdpr", "header", "legends", "menu", "related",
    "remark", "replies", "rss", "shoutbox", "sidebar", "skyscraper", "social", "sponsor",
    "supplemental", "agegate", "pagination", "pager", "popup", "cookie", "consent",
    "newsletter", "recirc", "outbrain", "taboola", "navbar", "nav", "share", "sharing",
    *HIDDEN_WORDS,
})
MAYBE_CANDIDATE_WORDS = frozenset({"and", "article", "body", "column", "content", "main",
                                   "shadow", "story", "post", "entry", "text"})

# A social-media embed is a post the author quoted in the story (Twitter's
# embed code is a <blockquote class="twitter-tweet">): "social-media-embed"
# is content, though "social" alone marks a share bar.
EMBED_WORDS = frozenset({"embed", "embedded", "tweet"})


@dataclass(frozen=True, slots=True)
class WordFlags:
    """What an element's own class/id words say, computed once per class string.

    - negative / positive: a boilerplate or a content word (region weights);
    - marker: the first hard boilerplate word ("" if none), which drops a
      block inside the article region;
    - unlikely: Readability's unlikely candidate (boilerplate word, no
      maybe-content word).
    """

    negative: bool = False
    positive: bool = False
    marker: str = ""
    unlikely: bool = False


NO_FLAGS = WordFlags()


def word_flags(words: tuple[str, ...]) -> WordFlags:
    """The flags of one element's words (set operations: this runs once per class string)."""
    if _FLAGGING.isdisjoint(words):  # most class strings: no word of any list
        return NO_FLAGS
    present = _FLAGGING.intersection(words)
    # A content word vetoes "unlikely", as okMaybeItsACandidate does in Readability.js.
    maybe = not MAYBE_CANDIDATE_WORDS.isdisjoint(words)
    hard = present & _HARD
    if hard == {"social"} and not EMBED_WORDS.isdisjoint(words):
        hard = frozenset()
    return _interned(not present.isdisjoint(_NEGATIVE), not present.isdisjoint(POSITIVE_WORDS),
                     next((w for w in words if w in hard), "") if hard else "",
                     not maybe and not present.isdisjoint(UNLIKELY_WORDS))


_INTERNED_FLAGS: dict[tuple[bool, bool, str, bool], WordFlags] = {}


_HARD = HARD_NEGATIVE_WORDS | NEGATIVE_ROLES
_NEGATIVE = NEGATIVE_WORDS | NEGATIVE_ROLES
# Words that set a flag (MAYBE_CANDIDATE_WORDS and EMBED_WORDS only veto one).
_FLAGGING = _HARD | _NEGATIVE | POSITIVE_WORDS | UNLIKELY_WORDS


# --- words and flags of the class/id strings of a page, together ----------------------
# A news page has about a hundred distinct class/id strings, mostly new to the
# process (the AEB pages: 11,000 distinct strings in 181 pages), so
# `hint_facts` reads a page's strings joined by NUL (which no attribute value
# holds: the parser turns it into U+FFFD), one byte-table pass for them all,
# and leaves Python only the splitting and merging per string. Results are
# cached in two generations of at most `_CACHE_MAX` each: when the young one
# is full it becomes the old one, and a value found in the old one moves
# back, so the values a site keeps using survive.
_CACHE_MAX = 1024  # x2 generations of words and flags: about 1 MB (4096 held 3.8 MB)
_CACHED_CHARS_MAX = 300  # longer values are computed each time, never kept
_young: dict[str, tuple[tuple[str, ...], WordFlags]] = {}
_old: dict[str, tuple[tuple[str, ...], WordFlags]] = {}
_SEP = "\x00"
# `_AS_SPACE` and `_NOT_WORD_NOR_SPACE` with NUL, the separator, left alone.
_AS_SPACE_SEP = bytes(0 if b == 0 else c for b, c in enumerate(_AS_SPACE))
_NOT_WORD_NOR_SPACE_SEP = _NOT_WORD_NOR_SPACE.replace(b"\x00", b"")
_CAMEL_GAP_BYTES = re.compile(rb"(?<=[a-z])(?=[A-Z])")


def hint_facts(values: Iterable[str]) -> dict[str, tuple[tuple[str, ...], WordFlags]]:
    """`(hint_words(v), word_flags(hint_words(v)))` for each of `values` (cached)."""
    global _young, _old
    young, old = _young, _old
    out: dict[str, tuple[tuple[str, ...], WordFlags]] = {}
    missing: list[str] = []
    for value in values:
        facts = young.get(value)
        if facts is None:
            facts = old.get(value)
            if facts is None:
                missing.append(value)
                continue
            _remember(value, facts)
            young, old = _young, _old
        out[value] = facts
    if missing:
        flags_of, flagging = _listed_word_flags, _FLAGGING
        for value, words in zip(missing, _words_of_all(missing), strict=True):
            # (`word_flags`'s first test, inlined: most values have no listed word)
            out[value] = facts = (words, NO_FLAGS if flagging.isdisjoint(words)
                                  else flags_of(words))
            if len(value) <= _CACHED_CHARS_MAX:  # `_remember`, inlined (once per new value)
                if len(young) >= _CACHE_MAX:
                    _old, _young = young, {}
                    young = _young
                young[value] = facts
    return out


# `word_flags` reads only the words of its lists, and of those only which are there
# and which hard word comes first: the flags of the words are those of that
# subsequence. Pages repeat a few (("header",), ("post", "content")...) across
# thousands of distinct strings, so flags are kept per subsequence (1,735 over
# the 181 AEB pages).
_LISTED = _FLAGGING | MAYBE_CANDIDATE_WORDS | EMBED_WORDS
_is_listed = _LISTED.__contains__
_flags_of_listed: dict[tuple[str, ...], WordFlags] = {}
_LISTED_MAX = 4096  # subsequences kept (then forgotten all at once)


def _listed_word_flags(words: tuple[str, ...]) -> WordFlags:
    """`word_flags(words)`, looked up by the subsequence of listed words."""
    listed = tuple(filter(_is_listed, words))
    flags = _flags_of_listed.get(listed)
    if flags is None:
        if len(_flags_of_listed) >= _LISTED_MAX:
            _flags_of_listed.clear()
        flags = _flags_of_listed[listed] = word_flags(listed)
    return flags


def _remember(value: str, facts: tuple[tuple[str, ...], WordFlags]) -> None:
    global _young, _old
    if len(_young) >= _CACHE_MAX:
        _young, _old = {}, _young
    _young[value] = facts


def hint_words(value: str) -> tuple[str, ...]:
    """Class/id string -> lower-case words ("articleBody share-bar" -> article, body, ...).

    Compound names are also kept whole ("articlebody"), so both the parts and
    the compound can match the word sets. Slug tokens (`_is_slug`) are left
    out. Words come in order: the parts of every token (split at non-letters
    and camelCase humps), then the compounds not already there.
    `tests/test_html_vocab.py` holds the plain definition it must agree with.
    """
    facts = _young.get(value) or _old.get(value)
    return facts[0] if facts is not None else hint_facts((value,))[value][0]


def class_flags(value: str) -> WordFlags:
    """`word_flags(hint_words(value))`, cached by value (bounded memory)."""
    facts = _young.get(value) or _old.get(value)
    return facts[1] if facts is not None else hint_facts((value,))[value][1]


def _words_of_all(values: list[str]) -> list[tuple[str, ...]]:
    """The words of each value (see `hint_words`).

    Written for speed: Python's regex calls cost about a microsecond each,
    so ASCII values (nearly all) are split with byte tables, all at once;
    other values, and those holding slug words, go through `_hint_words_any`.
    """
    cut = [v[:MAX_HINT_CHARS] for v in values]
    ascii_values = [v for v in cut if v.isascii() and _SEP not in v]
    lower = _SEP.join(ascii_values).lower().encode()
    parts = lower.translate(_AS_SPACE_SEP).decode().split(_SEP)
    compounds = lower.translate(None, _NOT_WORD_NOR_SPACE_SEP).decode().split(_SEP)
    # camelCase humps, sought only in the values with a capital (the regex is the slow part)
    humped = [v for v in ascii_values if not v.islower()]
    humps = dict(zip(humped, _CAMEL_GAP_BYTES.sub(b" ", _SEP.join(humped).encode()).lower()
                     .translate(_AS_SPACE_SEP).decode().split(_SEP), strict=True)) if humped else {}
    ascii_words = zip(ascii_values, parts, compounds, strict=True) if ascii_values else iter(())
    out: list[tuple[str, ...]] = []
    for value in cut:
        if not value.isascii() or _SEP in value:
            out.append(_hint_words_any(value, value.lower()))
            continue
        _, plain, whole = next(ascii_words)
        words = plain.split()
        if not _SLUG_WORDS.isdisjoint(words):
            out.append(_hint_words_any(value, value.lower()))
            continue
        humped_words = humps.get(value)
        if humped_words is not None:
            words = humped_words.split()
        # Compounds are all among the parts unless a token holds a separator or a hump.
        if whole != plain or humped_words is not None:
            seen = set(words)
            for compound in whole.split():
                if compound not in seen:
                    words.append(compound)
                    seen.add(compound)
        out.append(tuple(words))
    return out


def _interned(negative: bool, positive: bool, marker: str, unlikely: bool) -> WordFlags:
    key = (negative, positive, marker, unlikely)
    flags = _INTERNED_FLAGS.get(key)
    if flags is None:  # a few dozen combinations: one frozen instance each
        flags = _INTERNED_FLAGS[key] = WordFlags(*key)
    return flags
