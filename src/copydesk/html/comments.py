"""Reader comments of a page, as a list of {text, author, date} (`Options(comments=True)`).

Comments never enter the body (the ladder drops comment sections); when
asked for, they are read here from the tree on their own. A comment is an
element that the page marks as one:
- a class token that names a comment item ("comment", "comment-item",
  "reply", ...), or an id like "comment-123" / "li-comment-123";
- schema.org microdata (`itemtype` .../Comment or `itemprop="comment"`).
Parts of a comment (its "comment-content", "comment-author", "comment-meta")
are not comments themselves. Inside an item:
- text: the element marked as its content ("comment-content", "comment-body",
  "comment-text", `itemprop="text"`...), else its paragraphs, else its text;
  a reply nested in it is its own comment and is not repeated;
- author: the element marked as the author (class words author, fn,
  username, nickname; `itemprop="author"`), the "says:" suffix removed;
- date: a `<time datetime>` (the machine value), else the text of an
  element marked date/time/timestamp.
The comment form ("Leave a reply") has no item markup and is never read.
"""

from __future__ import annotations

import re
from typing import Any

from copydesk.html.vocab import hint_words

MAX_COMMENTS = 1000  # a page listing more is cut (bounded work per page)
_MAX_AUTHOR_CHARS = 80
_ITEM_TOKENS = frozenset({"comment", "comment-item", "commentitem", "comment-entry",
                          "comment-wrapper", "comment-container", "comment-thread-item",
                          "user-comment", "usercomment", "media-comment",
                          "single-comment", "comment-single", "comments-item", "comment-list-item"})
_ITEM_ID = re.compile(r"^(?:li-|div-)?comment[-_]?\d+$", re.IGNORECASE)
_CONTENT_WORDS = frozenset({"content", "body", "text", "message", "entry"})
_AUTHOR_WORDS = frozenset({"author", "fn", "username", "nickname", "commenter", "user"})
_DATE_WORDS = frozenset({"date", "time", "timestamp", "published", "datetime"})
_PART_WORDS = _AUTHOR_WORDS | _DATE_WORDS
_SAYS = re.compile(r"\s*(?:says|said|wrote|schreibt|a écrit|dice)\s*:?\s*$", re.IGNORECASE)
_CANDIDATES = ("[class*=omment], [id*=omment], "
               "[itemtype*=Comment], [itemprop=comment]")


def is_comment_item(node: Any) -> bool:
    """Does the page mark `node` as one comment (not a part of one, not a list of them)?"""
    attrs = node.attributes
    itemtype = attrs.get("itemtype") or ""
    if itemtype.rstrip("/").endswith(("/Comment", "/Answer")) or attrs.get("itemprop") == "comment":
        return True
    if _ITEM_ID.match(attrs.get("id") or ""):
        return True
    return any(token in _ITEM_TOKENS for token in (attrs.get("class") or "").lower().split())


def _words(node: Any) -> tuple[str, ...]:
    attrs = node.attributes
    value = " ".join(v for v in (attrs.get("class"), attrs.get("itemprop")) if v)
    return hint_words(value) if value else ()


def _owner(node: Any, items: set[int]) -> int | None:
    """The innermost comment item holding `node` (its mem_id), or None."""
    parent = node.parent
    while parent is not None:
        if parent.mem_id in items:
            return int(parent.mem_id)
        parent = parent.parent
    return None


def _clean(text: str) -> str:
    return " ".join(text.split())


def _own(node: Any, item: Any, items: set[int]) -> bool:
    return _owner(node, items) == item.mem_id


def _content_text(item: Any, items: set[int]) -> str:
    """Text of the element marked as the comment's content: the first one that
    holds no author or date (a "comment_content" wrapping name, date and text
    gives way to the "content" inside it), else the item's paragraphs."""
    marked = []
    for node in item.css("[class], [itemprop=text]"):
        if node.mem_id == item.mem_id or not _own(node, item, items):
            continue
        words = set(_words(node))
        if node.attributes.get("itemprop") == "text" or (
                words & _CONTENT_WORDS and not words & (_PART_WORDS | {"meta"})):
            marked.append(node)
    for node in marked:
        if not any(set(_words(d)) & _PART_WORDS for d in node.css("[class]")):
            return _paragraphs(node, items, item)
    return _paragraphs(marked[-1] if marked else item, items, item)


def _paragraphs(node: Any, items: set[int], item: Any) -> str:
    paras = [_clean(p.text(deep=True)) for p in node.css("p, pre, blockquote")
             if _own(p, item, items)]
    paras = [p for p in paras if p]
    return "\n\n".join(paras) if paras else _clean(node.text(deep=True))


def _author(item: Any, items: set[int]) -> str | None:
    for node in item.css("[class], [itemprop=author]"):
        if node.mem_id == item.mem_id or not _own(node, item, items):
            continue
        words = set(_words(node))
        if node.attributes.get("itemprop") == "author" or (words & _AUTHOR_WORDS \
                and not words & (_CONTENT_WORDS | {"avatar", "photo", "image", "img"})):
            name = node.css_first("[itemprop=name], .fn, cite, b, strong, a") or node
            text = _SAYS.sub("", _clean(name.text(deep=True)))
            if 0 < len(text) <= _MAX_AUTHOR_CHARS:
                return text
    return None


def _date(item: Any, items: set[int]) -> str | None:
    for node in item.css("time"):
        if _own(node, item, items):
            value = node.attributes.get("datetime") or _clean(node.text(deep=True))
            if value:
                return value.strip()
    for node in item.css("[class]"):
        if _own(node, item, items) and set(_words(node)) & _DATE_WORDS:
            text = _clean(node.text(deep=True))
            if 0 < len(text) <= 60:
                return text
    return None


def _without_wrappers(found: list[Any]) -> list[Any]:
    """Drop items whose text all sits in items inside them (WordPress wraps each
    comment's `article#div-comment-N` in an `li#comment-N`): the inner ones are
    the comments."""
    ids = {int(n.mem_id) for n in found}
    inner: dict[int, int] = {}
    for node in found:
        owner = _owner(node, ids)
        if owner is not None:
            inner[owner] = inner.get(owner, 0) + len(_clean(node.text(deep=True)))
    return [n for n in found
            if len(_clean(n.text(deep=True))) - inner.get(int(n.mem_id), 0) > _WRAPPER_CHARS]


_WRAPPER_CHARS = 3  # an item with no more text of its own is only a wrapper


def comments_of(tree: Any) -> list[dict[str, str | None]]:
    """The page's comments in document order: {"text", "author", "date"} each."""
    body = tree.body
    if body is None:
        return []
    unique = {int(n.mem_id): n for n in body.css(_CANDIDATES)}  # a node matching two selectors
    found = [n for n in unique.values() if is_comment_item(n)][:MAX_COMMENTS]  # comes twice
    found = _without_wrappers(found)
    items = {int(n.mem_id) for n in found}
    out: list[dict[str, str | None]] = []
    for item in found:
        text = _content_text(item, items)
        if text:
            out.append({"text": text, "author": _author(item, items), "date": _date(item, items)})
    return out
