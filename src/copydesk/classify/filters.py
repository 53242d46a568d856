"""Block-level rules.

Each rule returns a reason (str) when the block is boilerplate, or None.
They run in order and the first reason wins, so `explain` shows the rule
that actually decided.
"""

from __future__ import annotations

import re

from copydesk.blocks import HEADING_KINDS, Block
from copydesk.metadata.vocab import MONTH_ALT

# Short lines that are chrome in any article (compared lower-cased, stripped
# of surrounding punctuation). Language-general UI strings, not site phrases.
CHROME_PHRASES = frozenset({
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
    "article continues below", "anzeige", "publicité", "werbung", "publicidad", "text size",
    "font size", "save", "bookmark", "image", "photo", "video", "play", "pause", "mute",
    "log in", "login", "sign in", "register", "search", "home", "more stories", "don't miss",
    "advert", "this slideshow requires javascript", "javascript is disabled",
    # the same interface strings in the other languages of the news we read
    "teilen", "drucken", "kommentare", "kommentieren", "weiterlesen", "mehr lesen",
    "artikel teilen", "zum artikel", "partager", "imprimer", "commentaires", "lire la suite",
    "lire plus", "publicidade", "compartir", "imprimir", "comentarios", "comentários",
    "leer más", "seguir leyendo", "compartilhar", "partilhar", "leia mais", "ler mais",
    "condividi", "stampa", "commenti", "pubblicità", "leggi tutto", "continua a leggere",
    "delen", "reacties", "lees meer", "advertentie", "udostępnij", "komentarze", "reklama",
    "czytaj więcej", "поделиться", "комментарии", "реклама", "читать далее", "подробнее",
    "シェア", "広告", "続きを読む", "分享", "广告", "评论", "阅读全文", "공유", "광고", "댓글",
})

# A credit line: "Photo: ...", "(Image by ...)" at the start, or an agency's name
# within its first 80 characters (two patterns: the agencies are looked for
# only when the lower-cased text holds a piece of one, `_AGENCY_PIECES`).
_CREDIT_LEAD = re.compile(
    r"^\(?(?:photo|image|picture|foto|photograph|illustration|video|credit|source|"
    r"file photo|pictured)s?\s*(?:by|credit)?\s*[:/|)]",
    re.IGNORECASE,
)
_CREDIT_AGENCY = re.compile(
    r"^.{0,80}\b(?:getty images|shutterstock|ap photo|afp via getty|reuters/|epa-efe|istock)\b",
    re.IGNORECASE,
)
# A piece of each agency name above, of letters that match under IGNORECASE only
# characters that lower-case to them (no i, k or s, which also match ı, K, ſ).
_AGENCY_PIECES = ("getty", "hutter", "ap photo", "reuter", "epa-efe", "toc")
# A caption that closes with its credit: "Protesters in the street (Image: GETTY)".
_TRAILING_CREDIT = re.compile(
    r"\((?:image|photo|picture|pic|foto|photograph|credit|video|source)s?\s*(?:by|credit)?\s*:"
    r"[^()]{1,60}\)\s*$",
    re.IGNORECASE,
)
# "Image 2 of 5", "Slide 3/10": the counter of a slideshow.
_SLIDE_COUNTER = re.compile(
    r"^(?:image|photo|picture|slide|foto|bild)\s*\d+\s*(?:of|/|von|de|sur)\s*\d+$", re.IGNORECASE)
# "Email Jane at jane@site.com or follow her @jane": the author's contact line.
# A person is named or pointed at ("follow her", "email Tariq Malik"): a plain
# "please email info@example.org" sentence is the story's own.
_CONTACT = re.compile(r"\b(?i:follow|email|e-mail|contact|reach)\s+(?:(?i:him|her|them|me|us)\b"
                      r"|[A-Z]\w+\s+[A-Z]\w+).{0,120}(?:\S+@\S+\.[a-z]{2,}|\s@\w{2,})")
_CONTACT_MAX_CHARS = 300
_CHROME_STRIP = " .:!?»›>|-–—•·()[]"

# Bylines and datelines: reported as `authors` and dates, not body. Short
# lines only, so a paragraph that starts with "By the end of..." survives.
_BYLINE = re.compile(
    r"^(?:(?:by|posted by|written by|words by|story by|von|par|por|di|door|av|af)\s+\S|"
    r"(?:author|authors|autor|autora|autores|auteur|autori|autors|texto|text|текст|автор|"
    r"redakcja|reporter|reporting)\s*:\s*\S)",
    re.IGNORECASE,
)
_DATELINE_START = re.compile(
    r"^(?:published|posted|updated|last updated|last modified|first published|"
    r"veröffentlicht|aktualisiert|publié|mis à jour|publicado|actualizado)\b",
    re.IGNORECASE,
)
# Month names: the metadata date parser's table (en, de, fr, es, pt, it), plus
# stems a dateline may carry that it does not parse (Polish, Russian, "fév").
_MONTHS = (f"(?:{MONTH_ALT}|fév|stycz|lut|kwi|maj|czer|lip|sier|wrze|paź|lis|gru|"
           "янв|фев|мар|апр|ма[йя]|июн|июл|авг|сен|окт|ноя|дек)")
_DATE_LIKE = re.compile(
    r"\b(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?|"
    rf"{_MONTHS}\w*\.?\s+\d{{1,2}},?\s+\d{{4}}|"
    rf"\d{{1,2}}\.?\s+(?:de\s+)?{_MONTHS}\w*\.?\s+(?:de\s+)?\d{{4}}|"
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}\s*년\s*\d{1,2}\s*월\s*\d{1,2}\s*일)",
    re.IGNORECASE,
)
# Every form `_DATE_LIKE` reads holds a digit: one charset scan rules most lines out
# before the alternation is tried at every position.
_DIGIT = re.compile(r"\d")
_BYLINE_MAX_CHARS = 120
_DATELINE_MAX_WORDS = 10


def is_chrome_phrase(text: str) -> bool:
    return len(text) <= 60 and text.lower().strip(_CHROME_STRIP) in CHROME_PHRASES


# Zero-width and byte-order marks: a block of only these shows nothing.
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\u00ad\u180e "
_INVISIBLE_MAX_CHARS = 16


def is_credit(text: str) -> bool:
    """A photo credit line. The cheap tests run first: a substring test costs a
    tenth of a regex tried at every position (a trailing credit holds "(")."""
    if len(text) > 300:
        return False
    if _CREDIT_LEAD.match(text) is not None:
        return True
    if _has_agency_piece(text.lower()) and _CREDIT_AGENCY.match(text) is not None:
        return True
    return "(" in text and _TRAILING_CREDIT.search(text) is not None


def _has_agency_piece(lower: str) -> bool:
    return any(piece in lower for piece in _AGENCY_PIECES)


def link_reason(block: Block) -> str | None:
    """Mostly links: menus, teasers, tag lists."""
    density = block.link_density
    if block.kind in HEADING_KINDS and density > 0.5:
        return f"heading that is a link ({density:.0%} link text)"
    limit = _SENTENCE_LINK_LIMIT if _is_sentence(block) else 0.5
    if density > limit and block.kind != "table" and not is_bare_url(block):
        return f"link density {density:.0%}"
    return None


_SENTENCE_LINK_LIMIT = 0.8  # a real sentence may be mostly anchor text ("X said in a statement")


_BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)


def is_bare_url(block: Block) -> bool:
    """A paragraph that is one visible URL: the author wrote the address out, so it is content.

    Menus and teasers link words ("World", "Read more"), never a raw address.
    """
    return block.kind == "p" and len(block.text) <= 300 and _BARE_URL.match(block.text) is not None


def _is_sentence(block: Block) -> bool:
    return block.kind in ("p", "li", "quote") and block.words >= 10 and block.text[-1:] in ".!?"


def chrome_reason(block: Block) -> str | None:
    """Short UI strings, image captions and credits, slideshow counters, contact lines."""
    if block.kind == "caption" and block.link_density < 0.5:
        return "image caption"
    if len(block.text) <= _INVISIBLE_MAX_CHARS and not block.text.strip(_INVISIBLE):
        return "invisible characters only"
    if is_chrome_phrase(block.text):
        return "interface text"
    if is_credit(block.text):
        return "image credit"
    if _SLIDE_COUNTER.match(block.text):
        return "slideshow counter"
    if len(block.text) <= _CONTACT_MAX_CHARS and "@" in block.text \
            and _CONTACT.search(block.text):  # (a contact line holds "@": looked for first)
        return "author contact line"
    return None


def headline_reason(block: Block) -> str | None:
    """The page headline is the `title` field, not part of the body."""
    return "headline (reported as title)" if block.kind == "h1" else None


def byline_reason(block: Block) -> str | None:
    """A byline or dateline line: its facts go to `authors` and the dates."""
    text = block.text
    if len(text) > _BYLINE_MAX_CHARS or block.kind not in ("p", "line", "caption"):
        return None
    if _BYLINE.match(text) and text[-1:] not in ".!?" :
        return "byline (reported as authors)"
    if _DATELINE_START.match(text) or (
            len(text.split()) <= _DATELINE_MAX_WORDS and not text.endswith(".")
            and _DIGIT.search(text) and _DATE_LIKE.search(text)):
        return "dateline (reported as dates)"
    return None
