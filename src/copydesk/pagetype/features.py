"""Page -> page-type features: what kind of page is this, from cheap signals.

Read once per page, after segmentation and before the ladder (so the block
rules and the block classifier can condition on the type). Every feature is
a structural or declared signal, never a site name:
- what the page declares: schema.org types in JSON-LD and microdata
  (`@type`, `itemtype`), `og:type`;
- url words: path and host words ("forum", "docs", "product", a year...);
- class/id words of the walked elements (counts of elements named "price",
  "post", "code"...), the vocabulary chosen by the trainer;
- counts and shares of structure: forms and inputs, prices and currency,
  code/pre, tables, lists, headings, link density, repeated sibling items
  (cards, posts), dates in the text, text length.
The trainer (`copydesk_lab.pagetype.train`) picks the url and class words
that recur across sites; `names` in the model JSON fixes the vector order.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Any
from urllib.parse import urlsplit

from copydesk.blocks import HEADING_KINDS, Block
from copydesk.html.classes import classes_of
from copydesk.html.segment import NodeInfo

_LD_TYPE = re.compile(r'"@type"\s*:\s*(\[[^\]]*\]|"[^"]*")')
_QUOTED = re.compile(r'"([^"]+)"')
_URL_WORD = re.compile(r"[a-z]+|[0-9]+")
_DATE = re.compile(r"\d\d[-/.]\d\d?[-/.]\d\d")
_MAX_LD_CHARS = 200_000  # JSON-LD read for its types only
_MAX_TEXT_CHARS = 10_000  # the text signals read the page's first 10,000 characters
_MAX_WORDS_CHARS = 5_000  # the words present in the first 5,000 are features (`w_`)
# Substrings (lower case) counted with str.count: a regex alternation costs
# milliseconds on 30,000 characters, str.count microseconds.
_CART_WORDS = ("add to cart", "add to basket", "add to bag", "in stock", "out of stock",
               "buy now", "sku", "free shipping", "quantity", "warenkorb", "price")
_FORUM_WORDS = ("reply", "replies", "posts:", "joined", "quote", "member", "registered",
                "thread", "originally posted", "upvote", "answered", "asked")


def _page_signals(tree: Any) -> tuple[list[str], str, int, list[str], list[str]]:
    """Declared schema.org types, og:type, the count of form controls, the
    class words of <html> and <body> and the words of <title>, from one
    query over the tree."""
    types: list[str] = []
    title: list[str] = []
    og, inputs = "", 0
    seen: set[int] = set()
    for node in tree.css(_SIGNALS):
        if node.mem_id in seen:  # lexbor returns a node once per selector it matches
            continue
        seen.add(node.mem_id)
        tag, attrs = node.tag, node.attributes
        if tag in _CONTROLS:
            inputs += 1
        elif tag == "script":
            text = node.text(deep=True)[:_MAX_LD_CHARS]
            for match in _LD_TYPE.finditer(text):
                types.extend(t.rsplit("/", 1)[-1].lower()
                             for t in _QUOTED.findall(match.group(1)))
        elif tag == "meta":
            og = (attrs.get("content") or "").strip().lower().split(":", 1)[0][:30]
        elif tag == "title" and not title:
            title = _class_tokens(node.text(deep=True)[:_MAX_TITLE_CHARS])
        itemtype = attrs.get("itemtype")
        if itemtype:
            types.extend(t.rstrip("/").rsplit("/", 1)[-1].lower() for t in itemtype.split())
    root_words: list[str] = []
    for node in (tree.root, tree.body):
        cls = node.attributes.get("class") if node is not None else None
        if cls:
            root_words.extend(_class_tokens(cls))
    return types, og, inputs, root_words, title


_SIGNALS = ('script[type="application/ld+json"], [itemtype], meta[property="og:type"], '
            "input, textarea, select, button, title")
_MAX_TITLE_CHARS = 300
_CONTROLS = frozenset({"input", "textarea", "select", "button"})


def declared_types(tree: Any) -> list[str]:
    """schema.org types the page declares (JSON-LD `@type`, microdata `itemtype`), lower case."""
    return _page_signals(tree)[0]


# Class/id strings -> words: lower case, split at anything but a-z and 0-9
# (str.translate: no regex call per element).
_TOKEN_TABLE = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})
# The same map on UTF-8 bytes: str.translate takes a slow path on non-ASCII text
# (2 ms on 5,000 characters against 30 us), and the bytes of a multi-byte
# character are all >= 0x80, which the table leaves alone.
_TOKEN_BYTES = bytes(b if b >= 128 or chr(b).isalnum() else 32 for b in range(256))


def _spaced(value: str, sep: bool = False) -> str:
    """`value` with every ASCII character but letters and digits a space (but NUL,
    with `sep`)."""
    if value.isascii():
        return value.translate(_TOKEN_TABLE_SEP if sep else _TOKEN_TABLE)
    return value.encode("utf-8", "surrogatepass").translate(
        _TOKEN_BYTES_SEP if sep else _TOKEN_BYTES).decode("utf-8", "surrogatepass")


def _class_tokens(value: str) -> list[str]:
    return [w for w in _spaced(value.lower()).split() if not w.isdigit()]


def url_words(url: str | None) -> tuple[list[str], list[str]]:
    """(path words, host words) of a url: lower-case letter runs and digit runs."""
    if not url:
        return [], []
    parts = urlsplit(url.lower())
    host = (parts.hostname or "").removeprefix("www.")
    host_words = host.split(".")[:-1]  # the public suffix says nothing of the page
    return _URL_WORD.findall(parts.path + " " + parts.query), host_words


def _url_shape(url: str | None) -> dict[str, float]:
    if not url:
        return {}
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    last = segments[-1] if segments else ""
    return {
        "url_depth": float(len(segments)),
        "url_last_hyphens": float(last.count("-")),
        "url_last_len": float(len(last)),
        "url_has_query": float(bool(parts.query)),
        "url_year": float(bool(re.search(r"/(?:19|20)\d\d/", parts.path))),
        "url_long_number": float(bool(re.search(r"\d{5,}", parts.path))),
        "url_root": float(not segments),
    }


def _node_stats(nodes: list[NodeInfo], vocab: frozenset[str]) -> dict[str, float]:
    """Tag counts, repeated sibling items and class/id words, from the element table.

    Repeated items are elements of one parent sharing tag and class/id with
    digits removed (cards, product tiles, posts "post-17", "post-18").
    Counted with `Counter` over `map`s of tuple fields, in C (the table has a
    few thousand entries on a heavy page); the distinct class/id strings, as
    the walk found them (`html.classes`), are read together (`_hint_facts`).
    """
    tags = Counter(map(_TAG_OF, nodes))
    classes = classes_of(nodes)
    no_digits, tokens = _hint_facts(classes.values[1:])
    no_digits.insert(0, None)  # no class/id: never an item (an all-digit id still is one)
    items = Counter(zip(map(_PARENT_OF, nodes), map(_TAG_OF, nodes),
                        map(no_digits.__getitem__, classes.index), strict=True))
    total = max(1, len(nodes))
    out = {f"tag_{t}": math.log1p(tags.get(t, 0)) for t in _COUNTED_TAGS}
    out["nodes"] = math.log1p(len(nodes))
    out["share_li"] = tags.get("li", 0) / total
    out["share_a"] = tags.get("a", 0) / total
    sizes = [c for (_, tag, hints), c in items.items()
             if c >= 3 and hints is not None and tag not in _NOT_ITEMS]
    sizes.sort(reverse=True)
    out["rep_max"] = math.log1p(sizes[0]) if sizes else 0.0
    out["rep_groups"] = math.log1p(len(sizes))
    out["rep_items"] = math.log1p(sum(sizes))
    # elements per class word: each element counts each of its words once, so a
    # string's words count as many elements as have the string
    words: dict[str, int] = {}
    get = words.get
    for value_words, count in zip(tokens, classes.counts[1:], strict=True):
        for word in value_words:
            words[word] = get(word, 0) + count
    if vocab:  # the words the model reads, by one set intersection
        wanted = _class_words(vocab).intersection(words)
        out.update({"cls_" + w: math.log1p(words[w]) for w in wanted})
    else:
        out.update({"cls_" + w: math.log1p(n) for w, n in words.items() if not w.isdigit()})
    return out


@lru_cache(maxsize=4)
def _class_words(vocab: frozenset[str]) -> frozenset[str]:
    """The class/id words (`cls_` features) of a model's vocabulary, without the
    prefix, as they can come out of a page (not a number)."""
    return frozenset(n[4:] for n in vocab if n.startswith("cls_") and not n[4:].isdigit())


_TAG_OF, _PARENT_OF = itemgetter(0), itemgetter(2)
_SEP = "\x00"  # between class/id strings read together (an attribute value never holds it)
_TOKEN_TABLE_SEP = {k: v for k, v in _TOKEN_TABLE.items() if k != 0}
_TOKEN_BYTES_SEP = b"\x00" + _TOKEN_BYTES[1:]


def _hint_facts(values: list[str]) -> tuple[list[str | None], list[dict[str, None]]]:
    """Of each distinct class/id string: the string without digits, and its distinct
    words (lower case, split at ASCII non-alphanumerics; numbers among them). All
    strings are joined and lower-cased, mapped and stripped of digits at once (C
    calls over one string, not one per value)."""
    joined = _SEP.join(values)
    if joined.count(_SEP) != len(values) - 1:  # (not from a parsed page) one by one
        return ([_without_digits(v) for v in values],
                [dict.fromkeys(_spaced(v.lower()).split()) for v in values])
    spaced = _spaced(joined.lower(), sep=True).split(_SEP)
    return (list(_without_digits(joined).split(_SEP)),
            list(map(dict.fromkeys, map(str.split, spaced))))


def _without_digits(value: str) -> str:
    return value.encode("utf-8", "surrogatepass").translate(None, b"0123456789").decode(
        "utf-8", "surrogatepass")


_NOT_ITEMS = frozenset({"p", "br", "td", "tr", "a", "span", "b", "i", "em", "strong", "img",
                        "body"})
_COUNTED_TAGS = ("form", "article", "section", "table", "li", "pre", "code", "a", "h1", "h2",
                 "h3", "dl", "main", "time", "blockquote", "figure", "header", "ul", "ol")


def _block_stats(blocks: list[Block]) -> dict[str, float]:
    """Text length, kinds, links and prose of the Blocks, in one pass."""
    by_kind: dict[str, int] = {}
    total = chars = link_chars = linky = short = prose = prose_blocks = longest = 0
    for b in blocks:
        w = b.words
        n = len(b.text)
        total += w
        chars += n
        link_chars += b.link_chars
        kind = b.kind
        by_kind[kind] = by_kind.get(kind, 0) + w
        if b.link_chars * 2 > n:
            linky += 1
        if w <= 3:
            short += 1
        elif w >= 10 and kind == "p" and b.link_chars < 0.3 * n:
            prose += w
            prose_blocks += 1
        longest = max(longest, w)
    n_blocks = max(1, len(blocks))
    words = max(1, total)
    heading = sum(by_kind.get(k, 0) for k in HEADING_KINDS)
    return {
        "words": math.log1p(total), "blocks": math.log1p(len(blocks)),
        "prose_words": math.log1p(prose), "prose_share": prose / words,
        "prose_blocks": math.log1p(prose_blocks), "longest_block": math.log1p(longest),
        "mean_block_words": total / n_blocks, "link_density": link_chars / max(1, chars),
        "linky_blocks": linky / n_blocks, "short_blocks": short / n_blocks,
        "share_h": heading / words,
        **{f"share_{k}": by_kind.get(k, 0) / words for k in ("li", "pre", "table", "quote")},
    }


def _text_signals(blocks: list[Block], vocab: frozenset[str]) -> dict[str, float]:
    """Prices, dates, shop and forum words, code characters in the page's first text."""
    pieces, size = [], 0
    for b in blocks:
        if size >= _MAX_TEXT_CHARS:
            break
        pieces.append(b.text)
        size += len(b.text) + 1
    kinds = Counter(map(_KIND_OF, blocks))
    text = "\n".join(pieces).lower()
    chars = max(1, len(text))
    tokens = _spaced(text[:_MAX_WORDS_CHARS]).split()
    if vocab:  # the words the model reads, by one set intersection
        words = {"w_" + w for w in _text_words(vocab).intersection(tokens)}
    else:
        words = {"w_" + w for w in tokens if len(w) > 2 and not w.isdigit()}
    return {**dict.fromkeys(words, 1.0),
        "prices": math.log1p(sum(map(text.count, "$€£¥₹"))),
        "dates": math.log1p(len(_DATE.findall(text)) + text.count(" ago")),
        "cart_words": math.log1p(sum(map(text.count, _CART_WORDS))),
        "forum_words": math.log1p(sum(map(text.count, _FORUM_WORDS))),
        "code_chars": sum(map(text.count, "{};=<>[]")) / chars,
        "question_marks": math.log1p(text.count("?")),
        "n_pre": math.log1p(kinds.get("pre", 0)), "n_table": math.log1p(kinds.get("table", 0)),
        "n_heading": math.log1p(sum(kinds.get(k, 0) for k in HEADING_KINDS)),
    }


_KIND_OF = attrgetter("kind")


@lru_cache(maxsize=4)
def _text_words(vocab: frozenset[str]) -> frozenset[str]:
    """The text words (`w_` features) of a model's vocabulary, without the prefix,
    as they can come out of the page (longer than two characters, not a number)."""
    return frozenset(n[2:] for n in vocab
                     if n.startswith("w_") and len(n) > 4 and not n[2:].isdigit())


def page_features(tree: Any, url: str | None, blocks: list[Block], nodes: list[NodeInfo],
                  vocab: frozenset[str] = frozenset()) -> dict[str, float]:
    """Named features of one page.

    `vocab`, the model's feature names, limits the open-ended families
    (class words `cls_`, text words `w_`) to those the model reads; empty
    (training) gives them all.
    """
    feats: dict[str, float] = {}
    types, og, inputs, root_words, title = _page_signals(tree)
    for t in types:
        feats["ld_" + t] = 1.0
    if og:
        feats["og_" + og] = 1.0
    for w in root_words:
        feats["root_" + w] = 1.0
    for w in title:
        feats["title_" + w] = 1.0
    path_words, host_words = url_words(url)
    for w in path_words:
        feats["url_" + w] = 1.0
    for w in host_words:
        feats["host_" + w] = 1.0
    feats.update(_url_shape(url))
    feats["n_inputs"] = math.log1p(inputs)
    feats.update(_node_stats(nodes, vocab))
    feats.update(_block_stats(blocks))
    feats.update(_text_signals(blocks, vocab))
    return feats
