"""Wire agencies: recognise an agency name or credit, return its canonical name.

The list is data (`copydesk/data/metadata_agencies.txt`): one agency per
line with its spellings. Whole-credit matches only ("By Yonhap", an
Organization author "Associated Press", a body credit "(Reuters)"), never
a substring of a sentence, so "AP" in prose is not an agency.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent.parent / "data" / "metadata_agencies.txt"
_NORMAL_RE = re.compile(r"[\s.\-_/·]+")
# "(Yonhap)", "SEOUL (AP) --", "(Reuters) -": a short parenthesised credit.
_CREDIT_RE = re.compile(r"\(([^()\n]{2,40})\)")


def _normal(text: str) -> str:
    return _NORMAL_RE.sub(" ", text.casefold()).strip()


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(case-folded alias -> name, exact-case alias -> name), loaded once."""
    folded: dict[str, str] = {}
    exact: dict[str, str] = {}
    for line in _DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        names = [n.strip() for n in line.split("|") if n.strip()]
        canonical = names[0]
        for name in names:
            if name.startswith("[") and name.endswith("]"):
                exact[name[1:-1]] = canonical
            else:
                folded[_normal(name)] = canonical
    return folded, exact


def exact_aliases() -> frozenset[str]:
    """The case-sensitive abbreviations (AP, AFP, dpa...)."""
    return frozenset(_tables()[1])


def match_agency(text: str | None) -> str | None:
    """Canonical agency name when `text` as a whole names a wire agency."""
    if not text or len(text) > 80:
        return None
    folded, exact = _tables()
    stripped = text.strip(" \t()[],.;:-–—")
    if stripped in exact:
        return exact[stripped]
    return folded.get(_normal(stripped))


def agency_credit(body: str) -> str | None:
    """An agency credited in the body's dateline or closing credit.

    Looks only at the first 250 and last 120 characters, where wire copy
    puts "SEOUL, March 23 (Yonhap) --" and "... (Yonhap)".
    """
    if not body:
        return None
    for part in (body[:250], body[-120:]):
        for match in _CREDIT_RE.finditer(part):
            name = match_agency(match.group(1).split("/")[0].split(",")[0])
            if name:
                return name
    return None
