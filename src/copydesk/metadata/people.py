"""People: turn a byline or author value into person names and an agency.

"By JANE DOE and John Roe, Staff Writers | jane@x.com | @jdoe" becomes
["JANE DOE", "John Roe"]; "By Yonhap" becomes no person and agency
"Yonhap"; organisations ("Staff", "BBC News", "Editorial Board") are never
people. Works the same for HTML bylines, meta values and text-dump lines.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from copydesk.metadata.agencies import exact_aliases, match_agency
from copydesk.metadata.ascii_fold import folded_on_first_use
from copydesk.metadata.vocab import (
    BYLINE_PREFIX_RE,
    MONTH_ALT,
    NAME_PARTICLES,
    ORG_WORDS,
    ROLE_WORDS,
)
from copydesk.normalize import collapse_spaces

MAX_BYLINE_CHARS = 1000
MAX_AUTHORS = 20  # a real article rarely credits more; beyond is a list of staff, not a byline

_EMAIL_RE = re.compile(r"\S+@\S+\.\w+|https?://\S+|www\.\S+|(?<!\w)@\w+")
_CUT_RE = re.compile(
    r"(?:\b(?:updated|published|posted|last\s+updated|modified|follow|email|e-mail|read\s+more|"
    r"view\s+all|more\s+from|more\s+stories|see\s+all)\b|\b(?:"
    + MONTH_ALT
    + r")\.?\s+\d|\b\d{1,2}\.?\s+(?:"
    + MONTH_ALT
    + r")\b|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}:\d{2}|\d+\s*(?:min|minutes|hours|h)\b|\||•|\n)",
    re.IGNORECASE,
)
_INNER_BY_RE = re.compile(
    r"\b(?:written|edited|reported|compiled|photos?|photographs|illustrations?|graphics|"
    r"additional\s+reporting)\s+by\b|\bby\b",
    re.IGNORECASE,
)
# Conjunctions are matched in lower case (or AND/And), between spaces, so the
# initial in "Sarah E. Needleman" or "Y. Tanaka" is not a separator.
_SPLIT_RE = re.compile(
    r"\s*(?:,|;|&|\+|、|，|/)\s*"
    r"|\s+(?:and|AND|And|und|et|y|e|og|och|with|avec|mit|con)\s+(?!\.)"
    r"|(?<=[a-z]{2})\.\s+(?=[A-Z])"  # "Finian Cunningham. Sputnik" (not the initial in "Y. Lee")
)
# A domain ("Cleveland.com") or a name starting with an article ("The Water Coolest").
_NOT_A_NAME_RE = re.compile(
    r"\w\.(?:com|net|org|co|io|tv|news|info|uk|de|fr|es|it|jp|kr|cn)\b|^(?:the|la|le|el|die|der|das)\s",
    re.IGNORECASE,
)
_LEADING_AND_RE = re.compile(r"^(?:and|und|et|y|e|og|och|with|avec|mit|con)\s+")
_PAREN_RE = re.compile(r"[(\[][^()\[\]]{0,80}[)\]]")
_EDGE_RE = re.compile(r"^[\W_]+|[\W_]+$")
_HAS_LETTER_RE = re.compile(r"[^\W\d_]")
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_GLUED_DIGITS_RE = re.compile(r"(?<=[a-z])\d+\b")
_KO_REPORTER_RE = re.compile(r"\s*(?:기자|특파원|記者|记者)\s*$")


def _cut_at(text: str) -> int | None:
    """Where `_CUT_RE` first matches in `text` (None: nowhere); an ASCII text is
    searched lower-cased by the pattern's case-sensitive form (`ascii_fold`)."""
    found = _cut_folded()[0].search(text.lower()) if text.isascii() else _CUT_RE.search(text)
    return found.start() if found else None


_cut_folded = folded_on_first_use(_CUT_RE)


@dataclass(slots=True)
class Byline:
    """What one byline yields: people, an agency, and what was dropped and why."""

    authors: list[str] = field(default_factory=list)
    agency: str | None = None
    dropped: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    structured: bool = True
    handle: bool = False


@lru_cache(maxsize=2048)  # readers and the chooser parse the same values; callers never mutate
def parse_byline(raw: str | None, structured: bool = True, handle: bool = False) -> Byline:
    """Split a byline into person names and an agency (never raises).

    `structured` is False for bylines read from page text, where a lone
    word is more often a place or an outlet ("Reuters, Washington") than a
    person: there a Latin-script name needs two words. `handle` is True for
    a field that holds a forum member's user name (a post's `data-author`,
    a forum posting's JSON-LD author): "amondale" or "hayley.p" is then the
    person as the page names them.
    """
    out = Byline(structured=structured, handle=handle)
    if not raw:
        return out
    text = collapse_spaces(html.unescape(raw[:MAX_BYLINE_CHARS]))
    whole = match_agency(BYLINE_PREFIX_RE.sub("", text))
    if whole:
        out.agency = whole
        return out
    text = _PAREN_RE.sub(_parenthetical, _EMAIL_RE.sub(" ", text))
    cut = _cut_at(text)
    if cut:  # (not at 0: a byline that starts with its date keeps it)
        text = text[:cut]
    for chunk in _INNER_BY_RE.split(BYLINE_PREFIX_RE.sub("", text)):
        for piece in _SPLIT_RE.split(chunk):
            _take(piece, out)
            if len(out.authors) >= MAX_AUTHORS:
                out.dropped.append(f"more than {MAX_AUTHORS} names: rest ignored")
                return out
    return out


def _parenthetical(match: re.Match[str]) -> str:
    """'(avec B et C)' lists more people: keep them; '(R.J.)', '(stevenhgm)' are asides: drop."""
    inner = match.group(0)[1:-1]
    return f", {inner}," if _SPLIT_RE.search(inner) else " "


def _take(piece: str, out: Byline) -> None:
    piece = _EDGE_RE.sub("", BYLINE_PREFIX_RE.sub("", _LEADING_AND_RE.sub("", piece.strip())))
    if not piece:
        return
    agency = match_agency(piece)
    if agency:
        out.agency = out.agency or agency
        return
    words = piece.split()
    lead = match_agency(words[0]) if len(words) > 1 and words[0].isupper() else None
    if lead and words[0] in exact_aliases():
        out.agency = out.agency or lead  # "AP National Security Writer"
        return
    name = handle_name(piece) if out.handle else None  # "Pippin06" keeps its digits
    name = name or person_name(piece)
    one_word = name is not None and " " not in name and not _CJK_RE.search(name)
    if one_word and not out.structured and not out.handle:
        out.dropped.append(f"{name} (one word in a text byline)")
        return
    if name is None:
        out.dropped.append(piece[:60])
    elif name.casefold() not in out.seen:
        out.seen.add(name.casefold())
        out.authors.append(name)


def person_name(piece: str) -> str | None:
    """The piece as a person's name, roles stripped; None if it is not a person."""
    piece = _GLUED_DIGITS_RE.sub("", _KO_REPORTER_RE.sub("", piece))
    words = piece.split()
    before = len(words)
    while words and words[-1].casefold().strip(".,") in ROLE_WORDS:
        words.pop()
    if len(words) == 1 < before and not _CJK_RE.search(words[0]):
        return None  # "Security Expert": a job title, not a name
    while words and words[0].casefold().strip(".,") in ROLE_WORDS:
        words.pop(0)
    if not words or len(words) > 5:
        return None
    if any(w.casefold().strip(".,") in ORG_WORDS for w in words) or _NOT_A_NAME_RE.search(piece):
        return None
    if len(words) == 1 and words[0].isupper() and len(words[0]) <= 4 and words[0].isascii():
        return None  # "MS", "RDN", "CNN", "AS": credentials and outlets, not a person
    name = " ".join(words)
    if any(ch.isdigit() for ch in name) or not _HAS_LETTER_RE.search(name):
        return None
    if _CJK_RE.search(name):
        return name if len(name.replace(" ", "")) <= 12 else None
    if not any(w[:1].isupper() and len(w) > 1 for w in words) or len(name) > 60:
        return None
    lower = sum(1 for w in words if _is_lower_word(w))
    if lower * 2 >= len(words):
        return None  # "Syrian defense ministries", "Insights from": a phrase, not a name
    return name


_HANDLE_RE = re.compile(r"[^\W_][\w.\-]{1,39}")


def handle_name(piece: str) -> str | None:
    """A forum user name ("amondale", "Noah_B", "hayley.p"): one token of word
    characters, dots and hyphens with a letter in it, not an organisation word."""
    piece = piece.strip()
    if not _HANDLE_RE.fullmatch(piece) or not _HAS_LETTER_RE.search(piece):
        return None
    if piece.casefold() in ORG_WORDS or piece.casefold() in ROLE_WORDS:
        return None
    return piece


def _is_lower_word(word: str) -> bool:
    return word[:1].isalpha() and not word[:1].isupper() and word.casefold() not in NAME_PARTICLES


MAX_CREDIT_WORDS = 6  # "Contributors to Wikimedia projects"; longer is a phrase
MAX_CREDIT_CHARS = 60
# Values CMS templates leave in an author field when nobody filled it in.
_CREDIT_EDGES = " \t,;:|/-–—·•*»«›‹"
_PLACEHOLDERS = frozenset({"undefined", "null", "none", "unknown", "admin", "administrator"})


def credit_name(raw: str | None) -> str | None:
    """An author field's value as the credit it is when it names no person
    ("BBC News", "Contributors to Wikimedia projects", "Resy Staff", a user
    name): "By" removed, spaces collapsed; None for what credits no one
    (an e-mail, a url, digits, a placeholder such as "undefined", a lone
    "Staff", a phrase longer than MAX_CREDIT_WORDS words)."""
    if not raw:
        return None
    text = collapse_spaces(html.unescape(raw[:MAX_BYLINE_CHARS]))
    # punctuation only: _EDGE_RE would cut the vowel sign ending "မြန်မာ" (a mark, not \w)
    text = BYLINE_PREFIX_RE.sub("", text).strip(_CREDIT_EDGES)
    if not text or len(text) > MAX_CREDIT_CHARS or len(text.split()) > MAX_CREDIT_WORDS:
        return None
    if _EMAIL_RE.search(text) or not _HAS_LETTER_RE.search(text):
        return None
    folded = text.casefold()
    if folded in _PLACEHOLDERS or folded in ORG_WORDS or folded in ROLE_WORDS:
        return None  # a lone "Staff" or "Editor" credits no one in particular
    return text


# Interface words an author element prints before the credit ("Written By",
# "Articles by Juliette", "Read more about The Upwork Team").
_UI_LEAD_RE = re.compile(
    r"^(?:written\s+by|follow(?:\s+author)?|read\s+more(?:\s+about)?|(?:articles?|posts?)\s+by|"
    r"more\s+from|view\s+all|about\s+the\s+author)\b\s*",
    re.IGNORECASE,
)
_WEEKDAY_RE = re.compile(r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?\.?",
                         re.IGNORECASE)


def visible_credit(raw: str | None) -> str | None:
    """`credit_name` of a byline element's text ("Podium Staff", "EDB Team",
    "whova"): cut where a date, "Updated" or a separator starts, interface
    words ahead removed; None for a weekday left before a date ("Sun Dec 17"),
    a phrase ("Personal finance") or what names no one ("Follow Author")."""
    if not raw:
        return None
    text = _EMAIL_RE.sub(" ", collapse_spaces(html.unescape(raw[:MAX_BYLINE_CHARS])))
    text = _UI_LEAD_RE.sub("", text.strip())
    cut = _cut_at(text)
    if cut is not None:
        text = text[:cut]
    name = credit_name(text)
    if name is None or _WEEKDAY_RE.fullmatch(name):
        return None
    words = name.split()
    if len(words) > 1 and sum(1 for w in words if _is_lower_word(w)) * 2 >= len(words):
        return None
    return name

