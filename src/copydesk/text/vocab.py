"""Text-mode vocabularies, loaded once from `copydesk/data/text_*.json`.

Stop words: small hand-written lists for 23 languages, used as one union
set (the feature is the share of function words in a line: prose has many,
menus and bylines few; the union works without knowing the language).
Chrome phrases: words of page furniture common to the web in general
(consent, sharing, subscription), as in the C4 filter of the T5 paper.
"""

from __future__ import annotations

import json
import re
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
    return frozenset(w.lower() for lang, words in data.items() if not lang.startswith("_")
                     for w in words)


@lru_cache(maxsize=1)
def chrome_pattern() -> re.Pattern[str]:
    """One regex matching any chrome phrase (lower-cased input)."""
    phrases = sorted(_load("text_vocab.json")["chrome_phrases"], key=len, reverse=True)
    return re.compile("|".join(re.escape(p) for p in phrases))


def terminal_chars() -> str:
    return str(_load("text_vocab.json")["terminal"])


def closer_chars() -> str:
    return str(_load("text_vocab.json")["closers"])


def separator_pattern() -> re.Pattern[str]:
    seps = _load("text_vocab.json")["separators"]
    return re.compile(r"\s[" + re.escape(seps) + r"]\s")
