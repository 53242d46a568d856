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
The trainer (`copydesk_lab.pagetype_train`) picks the url and class words
that recur across sites; `names` in the model JSON fixes the vector order.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from operator import itemgetter
from typing import Any
from urllib.parse import urlsplit

from copydesk.blocks import HEADING_KINDS, Block
from copydesk.html.segment import NodeInfo
from copydesk.html.vocab import hint_words

_LD_TYPE = re.compile(r'"@type"\s*:\s*(\[[^\]]*\]|"[^"]*")')
_QUOTED = re.compile(r'"([^"]+)"')
_URL_WORD = re.compile(r"[a-z]+|[0-9]+")
_PRICE = re.compile(r"[$€£¥₹]\s?\d|\d\s?(?:[$€£¥₹]|usd\b|eur\b|gbp\b)")
_DATE = re.compile(r"(?:19|20)\d\d[-/.][01]?\d|[0-3]?\d[-/.](?:19|20)\d\d")
_CODE_CHARS = re.compile(r"[{};=<>\[\]]")
_MAX_LD_CHARS = 200_000  # JSON-LD read for its types only
_MAX_TEXT_CHARS = 30_000  # the text signals read the page's first 30,000 characters
# Substrings (lower case) counted with str.count: a regex alternation costs
# milliseconds on 30,000 characters, str.count microseconds.
_CART_WORDS = ("add to cart", "add to basket", "add to bag", "in stock", "out of stock",
               "buy now", "sku", "free shipping", "quantity", "warenkorb", "price")
_FORUM_WORDS = ("reply", "replies", "posts:", "joined", "quote", "member", "registered",
                "thread", "originally posted", "upvote", "answered", "asked")


def declared_types(tree: Any) -> list[str]:
    """schema.org types the page declares (JSON-LD `@type`, microdata `itemtype`), lower case."""
    types: list[str] = []
    for script in tree.css('script[type="application/ld+json"]'):
        text = script.text(deep=True)[:_MAX_LD_CHARS]
        for match in _LD_TYPE.finditer(text):
            types.extend(t.rsplit("/", 1)[-1].lower() for t in _QUOTED.findall(match.group(1)))
    for node in tree.css("[itemtype]"):
        value = node.attributes.get("itemtype") or ""
        types.extend(t.rstrip("/").rsplit("/", 1)[-1].lower() for t in value.split())
    return types


def og_type(tree: Any) -> str:
    node = tree.css_first('meta[property="og:type"]')
    value = (node.attributes.get("content") or "") if node is not None else ""
    return value.strip().lower().split(":", 1)[0][:30]


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

    Repeated items are elements of one parent sharing tag and class (cards,
    posts, product tiles). Counted with `Counter` over tuple fields (C speed):
    the table has a few thousand entries on a heavy page.
    """
    sigs = Counter(map(_SIG_OF, nodes))
    tags: Counter[str] = Counter()
    per_hints: Counter[str] = Counter()
    for (_, tag, hints), count in sigs.items():
        tags[tag] += count
        per_hints[hints] += count
    total = max(1, len(nodes))
    out = {f"tag_{t}": math.log1p(tags.get(t, 0)) for t in _COUNTED_TAGS}
    out["nodes"] = math.log1p(len(nodes))
    out["share_li"] = tags.get("li", 0) / total
    out["share_a"] = tags.get("a", 0) / total
    sizes = sorted((c for (_, tag, hints), c in sigs.items()
                    if c >= 3 and hints and tag not in _NOT_ITEMS), reverse=True)
    out["rep_max"] = math.log1p(sizes[0]) if sizes else 0.0
    out["rep_groups"] = math.log1p(len(sizes))
    out["rep_items"] = math.log1p(sum(sizes))
    words: Counter[str] = Counter()
    for hints, count in per_hints.items():
        if hints:
            for word in set(hint_words(hints)):
                if not vocab or word in vocab:
                    words[word] += count
    out.update({"cls_" + k: math.log1p(v) for k, v in words.items()})
    return out


_SIG_OF = itemgetter(2, 0, 1)  # parent, tag, hints
_NOT_ITEMS = frozenset({"p", "br", "td", "tr", "a", "span", "b", "i", "em", "strong", "img"})
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


def _text_signals(blocks: list[Block]) -> dict[str, float]:
    """Prices, dates, shop and forum words, code characters in the page's first text."""
    pieces, size = [], 0
    kinds: Counter[str] = Counter()
    for b in blocks:
        kinds[b.kind] += 1
        if size < _MAX_TEXT_CHARS:
            pieces.append(b.text)
            size += len(b.text) + 1
    text = "\n".join(pieces).lower()
    chars = max(1, len(text))
    return {
        "prices": math.log1p(len(_PRICE.findall(text))),
        "dates": math.log1p(len(_DATE.findall(text)) + text.count(" ago")),
        "cart_words": math.log1p(sum(map(text.count, _CART_WORDS))),
        "forum_words": math.log1p(sum(map(text.count, _FORUM_WORDS))),
        "code_chars": len(_CODE_CHARS.findall(text)) / chars,
        "question_marks": math.log1p(text.count("?")),
        "n_pre": math.log1p(kinds.get("pre", 0)), "n_table": math.log1p(kinds.get("table", 0)),
        "n_heading": math.log1p(sum(kinds.get(k, 0) for k in HEADING_KINDS)),
    }


def page_features(tree: Any, url: str | None, blocks: list[Block], nodes: list[NodeInfo],
                  vocab: frozenset[str] = frozenset()) -> dict[str, float]:
    """Named features of one page; `vocab` limits the class words (empty: all, for training)."""
    feats: dict[str, float] = {}
    for t in declared_types(tree):
        feats["ld_" + t] = 1.0
    og = og_type(tree)
    if og:
        feats["og_" + og] = 1.0
    path_words, host_words = url_words(url)
    for w in path_words:
        feats["url_" + w] = 1.0
    for w in host_words:
        feats["host_" + w] = 1.0
    feats.update(_url_shape(url))
    feats["n_inputs"] = math.log1p(len(tree.css("input, textarea, select, button")))
    feats.update(_node_stats(nodes, vocab))
    feats.update(_block_stats(blocks))
    feats.update(_text_signals(blocks))
    return feats
