"""Text-mode vocabularies, loaded once from `copydesk/data/text_*.json`.

Stop words: small hand-written lists for 23 languages, used as one union
set (the feature is the share of function words in a line: prose has many,
menus and bylines few; the union works without knowing the language).
Chrome phrases: words of page furniture common to the web in general
(consent, sharing, subscription), as in the C4 filter of the T5 paper;
caption words, url words and comment markers likewise.

All word lists are matched as whole tokens (runs of letters and digits,
case-folded) through one hashed table (`token_table`, laid out for the
compiled scan by `cuckoo_tables`): a token, or a 2- or 3-token phrase
ending at it, adds to its line's counters, packed in one integer
(`TOKEN_FIELDS`, 12 bits each: a line of at most 4,000 characters has fewer
than 4,096 tokens).
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import numpy as np

from copydesk.text.charclass import combine, hash_token

TOKEN_FIELDS = ("stop", "chrome", "caption", "url", "comment")
TOKEN_FIELD_BITS = 12
_TOKEN = re.compile(r"[^\W_]+")  # runs of letters and digits, as `charclass.ALNUM`


@cache
def _load(name: str) -> Any:
    return json.loads(resources.files("copydesk.data").joinpath(name).read_text("utf-8"))


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """All languages' stop words, lower-cased, as one set."""
    data = _load("text_stopwords.json")
    return frozenset(w.lower() for lang, ws in data.items() if not lang.startswith("_")
                     for w in ws)


def _entries() -> list[tuple[str, str]]:
    """(field, phrase) of every word list."""
    data = _load("text_vocab.json")
    out = [("stop", w) for w in stop_words()]
    for field, key in (("chrome", "chrome_phrases"), ("caption", "caption_words"),
                       ("url", "url_words"), ("comment", "comment_markers")):
        out += [(field, phrase.lower()) for phrase in data[key]]
    return out


COLON_ONLY = 1 << 60  # value bit: the comment field counts only when a colon follows


@lru_cache(maxsize=1)
def token_table() -> dict[int, int]:
    """Hash of every listed token or 2-/3-token phrase -> packed counter increments."""
    table: dict[int, int] = {}
    for field, phrase in _entries():
        tokens = _TOKEN.findall(phrase)
        if not tokens or len(tokens) > 3:
            continue
        if field == "stop" and len(tokens) > 1:  # "don't": not one token
            continue
        key = hash_token(tokens[0])
        for token in tokens[1:]:
            key = combine(key, hash_token(token))
        colon_only = field == "comment" and phrase.endswith(":")
        bit = COLON_ONLY if colon_only else 1 << (TOKEN_FIELDS.index(field) * TOKEN_FIELD_BITS)
        table[key] = table.get(key, 0) | bit
    return table


# Cuckoo hashing (Pagh and Rodler 2004): every key sits in one of two slots,
# found by multiplicative hashing (Knuth, TAOCP vol. 3, 6.4). Most tokens and
# phrases are not listed: a 64 Kbit filter (one bit per hash of the first
# slot function, 8 KB: stays in the L1 cache) rejects them before the tables.
_SLOT_BITS = 11  # 2 x 2,048 slots for ~1,100 keys (load ~27%; cuckoo needs < 50%)
_FILTER_BITS = 16
_MULTIPLIERS = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F)


def _slot(key: int, which: int) -> int:
    return ((key * _MULTIPLIERS[which]) & ((1 << 64) - 1)) >> (64 - _SLOT_BITS)


@lru_cache(maxsize=1)
def _cuckoo() -> tuple[np.ndarray, np.ndarray]:
    """Keys and values of the two slot tables (shape 2 x slots; empty slots hold 0/0)."""
    keys = np.zeros((2, 1 << _SLOT_BITS), dtype=np.uint64)
    values = np.zeros((2, 1 << _SLOT_BITS), dtype=np.uint64)
    for key, value in token_table().items():
        item, which = (key, value), 0
        for _ in range(64):
            slot = _slot(item[0], which)
            old = (int(keys[which, slot]), int(values[which, slot]))
            keys[which, slot], values[which, slot] = item
            if old == (0, 0):
                break
            item, which = old, 1 - which
        else:
            raise RuntimeError("token table: cuckoo insertion failed; raise _SLOT_BITS")
    return keys, values


@lru_cache(maxsize=1)
def _filter() -> np.ndarray:
    bits = np.zeros(1 << (_FILTER_BITS - 6), dtype=np.uint64)
    for key in token_table():
        at = ((key * _MULTIPLIERS[0]) & ((1 << 64) - 1)) >> (64 - _FILTER_BITS)
        bits[at >> 6] |= np.uint64(1 << (at & 63))
    return bits


def cuckoo_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What `kernels.scan_lines` needs to look tokens up: keys, values, multipliers,
    and the filter; the multipliers array ends with the two shifts."""
    keys, values = _cuckoo()
    return keys, values, _MULT_ARRAY, _filter()


_MULT_ARRAY = np.array((*_MULTIPLIERS, 64 - _SLOT_BITS, 64 - _FILTER_BITS), dtype=np.uint64)


@lru_cache(maxsize=1)
def by_hash() -> int:
    """Hash of the token "by" (a byline's first word)."""
    return hash_token("by")
