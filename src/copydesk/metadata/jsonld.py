"""JSON-LD: tolerant reading of `<script type="application/ld+json">` blocks.

Real pages ship broken JSON-LD: trailing commas, JS comments, HTML
entities, raw control characters, CDATA wrappers, several objects pasted
one after another, blocks that disagree. `load_blocks` repairs what can be
repaired (each repair is named in the notes) and never raises; `nodes`
flattens `@graph`, arrays and nested objects into a list of typed nodes.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from copydesk.normalize import collapse_spaces

MAX_BLOCK_CHARS = 512 * 1024  # a bigger block is cut; JSON-LD of an article is a few KB
MAX_NODES = 2000

# JS comments; `//` only after whitespace or a bracket/comma, so "https://" survives.
_COMMENT_RE = re.compile(
    r"/\*.*?\*/|(?:^|(?<=[\s{,\[]))//[^\n]*$|<!--|-->", re.DOTALL | re.MULTILINE
)
_CDATA_RE = re.compile(r"<!\[CDATA\[|\]\]>")
_TRAILING_COMMA_RE = re.compile(r",\s*([\]}])")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Schema.org types that describe the article itself, best first.
ARTICLE_TYPES: tuple[str, ...] = (
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "askpublicnewsarticle",
    "article",
    "blogposting",
    "liveblogposting",
    "socialmediaposting",
    "discussionforumposting",
    "techarticle",
    "scholarlyarticle",
    "report",
    "review",
    "creativework",
    "webpage",
    "itempage",
    "medicalwebpage",
)
_DECODER = json.JSONDecoder(strict=False)


def load_blocks(texts: list[str], notes: list[str]) -> list[Any]:
    """Parse every block; return the decoded JSON values (repairs noted)."""
    values: list[Any] = []
    for text in texts:
        values.extend(_load_one(text[:MAX_BLOCK_CHARS], notes))
    return values


def _load_one(text: str, notes: list[str]) -> list[Any]:
    if "<![CDATA[" in text or "]]>" in text:  # (a substring search costs less than the regex)
        text = _CDATA_RE.sub("", text)
    text = text.strip()
    if not text:
        return []
    attempts = (
        ("", lambda t: t),
        (
            "removed comments/trailing commas",
            lambda t: _TRAILING_COMMA_RE.sub(r"\1", _COMMENT_RE.sub("", t)),
        ),
        (
            "unescaped HTML entities",
            lambda t: _TRAILING_COMMA_RE.sub(r"\1", _COMMENT_RE.sub("", html.unescape(t))),
        ),
        (
            "removed control characters",
            lambda t: _CONTROL_RE.sub(" ", _TRAILING_COMMA_RE.sub(r"\1", _COMMENT_RE.sub("", t))),
        ),
    )
    for label, repair in attempts:
        values = _decode_all(repair(text))
        if values:
            if label:
                notes.append(f"jsonld: {label}")
            return values
    notes.append("jsonld: unreadable block skipped")
    return []


def _decode_all(text: str) -> list[Any]:
    """Decode one or several concatenated JSON values; [] when the first fails."""
    values: list[Any] = []
    pos, end = 0, len(text)
    while pos < end:
        while pos < end and text[pos] in " \t\r\n;,":
            pos += 1
        if pos >= end:
            break
        try:
            value, pos = _DECODER.raw_decode(text, pos)
        except (ValueError, RecursionError):
            return values
        values.append(value)
    return values


def nodes(values: list[Any]) -> list[dict[str, Any]]:
    """All dict nodes, breadth first, through @graph, lists and nested values."""
    found: list[dict[str, Any]] = []
    queue: list[Any] = list(values)
    while queue and len(found) < MAX_NODES:
        item = queue.pop(0)
        if isinstance(item, list):
            queue.extend(item)
        elif isinstance(item, dict):
            found.append(item)
            queue.extend(v for v in item.values() if isinstance(v, dict | list))
    return found


def types_of(node: dict[str, Any]) -> list[str]:
    """Lower-cased schema.org types of a node (without the schema.org prefix)."""
    raw = node.get("@type", [])
    items = raw if isinstance(raw, list) else [raw]
    return [str(t).rsplit("/", 1)[-1].lower() for t in items if isinstance(t, str)]


def article_rank(node: dict[str, Any]) -> int:
    """Position in ARTICLE_TYPES (lower is better); a large number if none."""
    ranks = [ARTICLE_TYPES.index(t) for t in types_of(node) if t in ARTICLE_TYPES]
    return min(ranks) if ranks else 999


# Posts whose author is a forum member (named by a user name, not a byline).
FORUM_TYPES = frozenset({"discussionforumposting", "question", "answer", "comment"})


def qa_main_entities(all_nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Question a QAPage is about (its `mainEntity`): the thread's opening post.
    Questions elsewhere (an FAQPage's list) are not article nodes."""
    found = []
    for node in all_nodes:
        entity = node.get("mainEntity")
        if "qapage" in types_of(node) and isinstance(entity, dict):
            found.append(entity)
    return found


def text_of(value: Any) -> str | None:
    """A plain string from a JSON-LD value (string, {name}, {@value}, first of a list)."""
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("url")
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = html.unescape(str(value)).strip()
        return collapse_spaces(text)[:2000] or None
    return None


def id_index(all_nodes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """@id -> node, to resolve references such as {"@id": "#author"}."""
    index: dict[str, dict[str, Any]] = {}
    for node in all_nodes:
        key = node.get("@id")
        if isinstance(key, str) and len(node) > 1:
            index.setdefault(key, node)
    return index
