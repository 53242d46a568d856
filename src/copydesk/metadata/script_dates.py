"""Publication dates that a page's head scripts name by key, for pages without fields.

A page with no JSON-LD, OpenGraph or date `<meta>` often still tells its
analytics and ad scripts when the story was published: a data layer
(`dataLayer.push({"publishDate": "2025-05-27"})`), a page config
(`publishdate: "2025-12-20"`, `'pubtime=' + ("2021-11-01T10:52:50")`), a
CMS's page object (`"post_date": "June 1, 2025"`). These are machine-written
like a meta tag, so a key that names the publication is read as one (source
`script:<key>`, trust between the meta tags and other JSON-LD nodes); the
date chooser weighs it with the rest.

Only the keys that say "published" are read (publish, pubdate, pubtime,
post_date, first_published): "created", "updated" and "date" alone name
drafts, edits, builds and today in too many scripts. The first valid value
per key wins (later ones are related stories); at most `MAX_DATES` keys.

Cost: the head's script texts (capped at `MAX_CHARS`) are searched once for
the key words; the value is read only right after a key.
"""

from __future__ import annotations

import re
from typing import Any

from copydesk.metadata import dates
from copydesk.metadata.model import Metadata

MAX_SCRIPTS = 60
MAX_CHARS = 100_000  # characters of head script read (one regex pass: ~1 ms at most)
MAX_DATES = 4
MAX_KEYS = 40  # key words looked at (a 'published: true' flag repeated per item)
# A key naming the publication, inside a word of a JS/JSON key
# ("articlePublishDate", "page_post_date", "firstPublishedAt").
_KEY_WORD_RE = re.compile(r"publish|pub_?date|pub_?time|post_?date|postdate", re.IGNORECASE)
_KEY_TAIL_RE = re.compile(r"[\w.\-]*")
# After the key: its closing quote, `:` or `=`, an optional `' + (` (a string built
# in code), the value's quote
# (JSON escaped inside a JS string: `\"`).
_VALUE_RE = re.compile(
    r"""\\?["']?\s*[:=]\s*(?:["']?\s*\+\s*)?\(?\s*\\?["']([^"'\\\n]{6,40})\\?["']""")
_NOT_PUBLICATION_RE = re.compile(r"publisher|unpublish|publishing", re.IGNORECASE)


def head_scripts(tree: Any) -> str:
    """The text of the head's scripts other than JSON-LD, bounded."""
    head = tree.head
    if head is None:
        return ""
    parts: list[str] = []
    size = 0
    for node in head.css("script")[:MAX_SCRIPTS]:
        if (node.attributes.get("type") or "").strip().lower() == "application/ld+json":
            continue
        text = node.text(deep=True) or ""
        parts.append(text[: MAX_CHARS - size])
        size += len(parts[-1])
        if size >= MAX_CHARS:
            break
    return "\n".join(parts)


def keyed_dates(text: str) -> list[tuple[str, str]]:
    """(key, value) of the first quoted value after each publication key."""
    found: dict[str, str] = {}
    for seen, word in enumerate(_KEY_WORD_RE.finditer(text)):
        if seen >= MAX_KEYS:
            break
        begin = word.start()
        while begin > word.start() - 40 and begin and _key_char(text[begin - 1]):
            begin -= 1
        stop = _KEY_TAIL_RE.match(text, word.end())
        end = stop.end() if stop else word.end()
        value = _VALUE_RE.match(text, end)
        key = text[begin:end].strip(".-").lower()
        if value is None or _NOT_PUBLICATION_RE.search(key) or key in found:
            continue
        found[key] = value.group(1).strip()
        if len(found) >= MAX_DATES:
            break
    return list(found.items())


def _key_char(char: str) -> bool:
    return char.isalnum() or char in "_.-"


def read_script_dates(tree: Any, meta: Metadata) -> None:
    """Add the head scripts' publication dates as `date_published` candidates."""
    text = head_scripts(tree)
    if not text:
        return
    ref = dates.reference_day(meta.date_crawled)
    for key, value in keyed_dates(text):
        if isinstance(dates.parse_date(value, ref), dates.Parsed):
            meta.add_candidate("date_published", value, f"script:{key[:40]}")
