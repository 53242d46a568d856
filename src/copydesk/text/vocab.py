"""Text-mode vocabularies, loaded once from `copydesk/data/text_*.json`.

Stop words: small hand-written lists for 23 languages, used as one union
set (the feature is the share of function words in a line: prose has many,
menus and bylines few; the union works without knowing the language).
Chrome phrases: words of page furniture common to the web in general
(consent, sharing, subscription), as in the C4 filter of the T5 paper.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from importlib import resources
from typing import Any


@cache
def _load(name: str) -> Any:
    return json.loads(resources.files("copydesk.data").joinpath(name).read_text("utf-8"))


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """All languages' stop words, lower-cased, as one set."""
    data = _load("text_stopwords.json")
    words = {w.lower() for lang, ws in data.items() if not lang.startswith("_") for w in ws}
    # Lines are split on whitespace only (fast), so a stop word may carry a comma or stop.
    return frozenset(words | {w + "," for w in words} | {w + "." for w in words})


def terminal_chars() -> str:
    return str(_load("text_vocab.json")["terminal"])


def closer_chars() -> str:
    return str(_load("text_vocab.json")["closers"])


def separator_chars() -> str:
    return str(_load("text_vocab.json")["separators"])


def chrome_phrases() -> tuple[str, ...]:
    return tuple(_load("text_vocab.json")["chrome_phrases"])


def comment_markers() -> tuple[str, ...]:
    return tuple(_load("text_vocab.json")["comment_markers"])
