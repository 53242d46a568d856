"""Block features for the learned classifier: one row of numbers per Block, computed once.

What the boilerplate literature found to matter (boilerpipe: text length,
link density, neighbours; Readability: region score, class/id words;
jusText: the context of short blocks; Web2Text and BoilerNet: the DOM
around a block), plus two signals for pages that are not news articles:

- **the enclosing DOM region**: characters, link share and block count of
  the block's group element and its three parents (a forum post, a product
  card and a list of results are regions of many short blocks);
- **repeated structure**: how many blocks share the block's tag-and-class
  signature (container, group, group's parent) and how much text they hold
  (forum posts, listing items and specifications repeat one template);
- **learned class/id words**: every class/id word has a weight learned from
  the corpora (`TokenTable`, log-odds that text under it is content); the
  block gets the extreme weights of its own elements and of its whole path;
- **what the rules say**: their decision, the reason's category, the rung,
  whether the block is in the rules' region, and the same for neighbours.

Names are listed once in `FEATURES`; a model file records them and is refused
when they differ. The matrix is computed with whole-array numpy
(`classify.kernels`, no numba); Python only gathers the attributes into arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

import numpy as np

from copydesk import vocab
from copydesk.blocks import Block
from copydesk.classify import kernels
from copydesk.classify.arrays import float64s, int64s
from copydesk.classify.columns import BLOCK_COLUMNS, CONTEXT_COLUMNS, TYPE_COLUMNS
from copydesk.classify.context import NodeContext
from copydesk.classify.regions import Region, subtree_text
from copydesk.html.classes import classes_of
from copydesk.html.segment import NodeInfo
from copydesk.html.vocab import BOILERPLATE_TAGS, WordFlags, hint_facts, hint_words

FEATURES: tuple[str, ...] = BLOCK_COLUMNS
CONTEXT_FEATURES: tuple[str, ...] = CONTEXT_COLUMNS

_KIND_CODES = {"p": 0, "li": 1, "h1": 2, "h2": 3, "h3": 3, "h4": 4, "h5": 4, "h6": 4,
               "quote": 5, "pre": 6, "table": 7, "caption": 8, "line": 0}
_TAG_CODES = {tag: i + 1 for i, tag in enumerate((
    "div", "p", "span", "li", "td", "th", "a", "section", "article", "main", "h1", "h2", "h3",
    "h4", "h5", "h6", "blockquote", "pre", "code", "dd", "dt", "strong", "b", "em", "i",
    "figcaption", "figure", "label", "button", "form", "header", "table", "tr", "ul", "ol",
    "small", "time", "address", "font", "center", "body", "option", "select", "summary",
    "details", "dl", "caption", "cite", "sup", "sub", "u", "mark", "abbr", "q", "del", "ins"))}
_RUNG_CODES = {"region": 0, "region-all": 1, "region-relaxed": 2, "density": 3, "all-text": 4,
               "none": 5}
_COMMENT_WORDS = frozenset({"comment", "comments", "disqus", "respond", "reply", "replies"})

# Rule reasons, by prefix, in categories (the reason strings of `filters`, `ladder`, `sections`).
_REASON_PREFIXES = (
    ("in the article region", 1), ("outside the article region", 2), ("inside <", 3),
    ("inside an element marked", 4), ("heading that is a link", 5), ("link density", 5),
    ("image caption", 6), ("image credit", 6), ("slideshow counter", 6),
    ("interface text", 7), ("invisible characters", 7), ("headline", 8), ("byline", 9),
    ("dateline", 9), ("author contact", 9), ("continues the article", 10), ("prose", 11),
    ("not prose", 12),
)


@lru_cache(maxsize=256)
def reason_code(reason: str) -> int:
    """Category of a rule reason (0: none or unknown; comments markers get their own)."""
    if reason.startswith("inside an element marked") and \
            reason.rsplit("'", 2)[-2:-1] and reason.rsplit("'", 2)[-2] in _COMMENT_WORDS:
        return 13
    for prefix, code in _REASON_PREFIXES:
        if reason.startswith(prefix):
            return code
    return 14 if reason else 0  # related boxes and their reasons ("under the ...")


class TokenTable:
    """Learned weight of each class/id word: log-odds that text under it is content.

    Read for all the distinct class/id strings of a page at once (`extremes_of`):
    a page has about a hundred, most of them new to the process.
    """

    def __init__(self, weights: dict[str, float]) -> None:
        self.weights = weights

    def extremes(self, hints: str) -> tuple[float, float]:
        """(highest, lowest) weight among the words of `hints` (0 for unknown words)."""
        values = [self.weights.get(w, 0.0) for w in hint_words(hints)]
        return max(values, default=0.0), min(values, default=0.0)

    def extremes_of(self, values: Sequence[str]) -> np.ndarray:
        """`extremes` of each of `values` (rows of (highest, lowest)), computed together
        (the words of every value from one `hint_facts` call)."""
        facts = hint_facts(values)
        return self.extremes_of_words([facts[v][0] for v in values])

    def extremes_of_words(self, words: Sequence[tuple[str, ...]]) -> np.ndarray:
        """(highest, lowest) weight of each tuple of words (0, 0 for an empty one).

        The weights are looked up by one `map` in C and reduced per tuple by
        numpy, so no Python frame runs per value (a loop per value cost 5 us each).
        """
        counts = int64s(map(len, words), len(words))
        flat = list(chain.from_iterable(words))
        weights = float64s(map(self.weights.get, flat, repeat(0.0)), len(flat))
        out = np.zeros((len(words), 2))
        if flat:
            some = counts > 0  # (reduceat reads an empty segment as its next value)
            starts = (counts.cumsum() - counts)[some]
            out[some, 0] = np.maximum.reduceat(weights, starts)
            out[some, 1] = np.minimum.reduceat(weights, starts)
        return out


_EMPTY_TABLE = TokenTable({})
_NO_TYPE = np.zeros(len(TYPE_COLUMNS))


def type_vector(probs: dict[str, float] | None) -> np.ndarray:
    """The page-type probabilities in `TYPE_COLUMNS` order (zeros for an untyped page)."""
    if not probs:
        return _NO_TYPE
    return np.array([probs.get(name[len("type_"):], 0.0) for name in TYPE_COLUMNS])


@lru_cache(maxsize=1)
def punct_table() -> np.ndarray:
    """Class bits (`kernels.COMMA`, ...) of the BMP code points, from `copydesk.vocab`.

    Bits: 1 comma, 2 sentence end, 4 currency sign, 8 separator, 16 a mark a
    sentence or clause ends with (sentence ends, closing quotes and brackets,
    clause ends), read on a block's last character.
    """
    out = np.zeros(0x10000, dtype=np.uint8)
    for chars, bit in ((vocab.COMMAS, 1), (vocab.SENTENCE_END, 2), (vocab.CURRENCY, 4),
                       (vocab.SEPARATORS, 8),
                       (vocab.SENTENCE_END + vocab.CLOSERS + vocab.CLAUSE_END, 16)):
        for c in chars:
            out[ord(c)] |= bit
    return out


def node_arrays(nodes: Sequence[NodeInfo], table: TokenTable) -> tuple[np.ndarray, ...]:
    """Per element: parent, tag code, flags bitset, token max/min weights.

    What an element contributes depends on its tag and its class/id string
    alone, so each is looked up once per distinct value (a page has a few
    dozen tags and a few hundred strings for thousands of elements: the
    strings as the walk read them, `html.classes`) and spread over the
    elements by `map` and `take` in C: no Python frame per element.
    """
    n = len(nodes)
    classes = classes_of(nodes)
    index = int64s(classes.index, n)
    tags = list(map(_TAG_OF, nodes))
    parent = int64s(map(_PARENT_OF, nodes), n)
    tag = int64s(map(_TAG_CODES.get, tags, repeat(0)), n)
    flag_ids = list(map(id, classes.flags))  # WordFlags are interned: a few objects per page
    bits_of_flags = {key: _flag_bits(f)
                     for key, f in dict(zip(flag_ids, classes.flags, strict=True)).items()}
    flags = int64s(map(bits_of_flags.__getitem__, flag_ids), len(flag_ids)).take(index)
    flags |= int64s(map(_TAG_BITS.get, tags, repeat(0)), n)
    weights = table.extremes_of_words(classes.words).take(index, axis=0)
    return parent, tag, flags, weights


_TAG_OF, _PARENT_OF = itemgetter(0), itemgetter(2)  # NodeInfo fields
# Bits an element's tag sets (`_flag_bits` the bits its class/id flags set).
_TAG_BITS = {**dict.fromkeys(BOILERPLATE_TAGS, 16), "article": 32, "main": 32}


def _flag_bits(f: WordFlags) -> int:
    bits = (1 if f.negative else 0) | (2 if f.positive else 0) | (4 if f.marker else 0) | \
        (8 if f.unlikely else 0)
    if f.marker in _COMMENT_WORDS:
        bits |= 64
    return bits


def block_arrays(blocks: Sequence[Block], nodes: Sequence[NodeInfo]) -> dict[str, np.ndarray]:
    """Per block: integers (container, group, sizes, kind, decision) and the code points.

    Gathered as one list of tuples converted once (a numpy row assignment per
    block cost more than the gathering)."""
    kinds, reasons = _KIND_CODES.get, reason_code
    rows = [(b.container, b.group, len(b.text), b.link_chars, b.words, kinds(b.kind, 0),
             b.list_depth, b.kept, reasons(b.reason)) for b in blocks]
    ints = int64s(chain.from_iterable(rows), 9 * len(rows)).reshape(len(blocks), 9)
    texts = "\x00".join([b.text for b in blocks])
    cps = np.frombuffer(texts.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return {"ints": ints, "cps": cps, "sig": _signatures(blocks, nodes)}


def _signatures(blocks: Sequence[Block], nodes: Sequence[NodeInfo]) -> np.ndarray:
    """Small integer per distinct (container, group, group's parent) tag-and-class signature."""
    ids: dict[tuple[str, ...], int] = {}
    out = []
    for b in blocks:
        c = nodes[b.container] if b.container >= 0 else None
        g = nodes[b.group] if b.group >= 0 else c
        up = nodes[g.parent] if g is not None and g.parent >= 0 else None
        key = (c.tag if c else "", c.hints if c else "", g.tag if g else "",
               g.hints if g else "", up.tag if up else "", up.hints if up else "")
        out.append(ids.setdefault(key, len(ids)))
    return int64s(out, len(out))


@dataclass(slots=True)
class PageFeatures:
    """The feature matrix of one page and what the context stage groups blocks by."""

    x: np.ndarray  # blocks x FEATURES
    sig: np.ndarray  # signature id per block
    group: np.ndarray  # group element id per block
    chars: np.ndarray  # characters per block


def page_matrix(blocks: list[Block], nodes: list[NodeInfo], rung: str,
                region: Region | None, ctx: NodeContext | None,
                table: TokenTable | None = None,
                type_probs: np.ndarray | None = None) -> PageFeatures:
    """Feature matrix (blocks x FEATURES) for one page, after the rules decided.

    `type_probs`: the page-type probabilities (`TYPE_COLUMNS` order; zeros
    when the page was not typed), page-level columns the trees combine with
    the block's own (what a product or a documentation page keeps differs).
    """
    parent, tag, flags, weights = node_arrays(nodes, table or _EMPTY_TABLE)
    arrays = block_arrays(blocks, nodes)
    if region is not None:
        chars, links = region.chars, region.link_chars
        root = region.root
    else:
        chars, links = subtree_text(blocks, nodes)
        root = 0
    in_region = np.zeros(len(nodes), dtype=np.int64)
    region_score = np.zeros(len(nodes), dtype=np.float64)
    if ctx is not None:
        in_region = (int64s(ctx.region, len(ctx.region)) >= 0).astype(np.int64)
    if region is not None and region.score > 0 and region.scores:
        scored = int64s(region.scores.keys(), len(region.scores))
        values = float64s(region.scores.values(), len(region.scores))
        region_score[scored] = values / region.score
    ints = arrays["ints"]
    x = kernels.block_rows(
        parent, tag, flags, weights, int64s(chars, len(chars)),
        int64s(links, len(links)), in_region, region_score, root,
        ints, arrays["cps"], arrays["sig"], _RUNG_CODES.get(rung.split("+")[0], 5),
        punct_table(), _NO_TYPE if type_probs is None else
        np.asarray(type_probs, dtype=np.float64)[: len(TYPE_COLUMNS)])
    return PageFeatures(x, arrays["sig"], ints[:, 1].copy(), ints[:, 2].astype(np.float64))


def context_matrix(page: PageFeatures, logits: np.ndarray) -> np.ndarray:
    """Stage-2 rows: the features plus each block's first-stage logit among its
    neighbours', its group's and its signature's (`kernels.context_rows`)."""
    return kernels.context_rows(page.x, logits, page.sig, page.group, page.chars)


def describe() -> dict[str, Any]:
    """Feature names, for model files and the docs."""
    return {"features": list(FEATURES), "context_features": list(CONTEXT_FEATURES)}
