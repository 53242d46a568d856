"""Block features for the learned scorer: one row of numbers per Block.

Features are those the boilerplate-detection literature found to matter
(boilerpipe: text length, link density, neighbours; Readability: region
score, class/id words; jusText: context of short blocks), plus what the
region rules decided, so the scorer learns when to trust them. Names are
listed once in `FEATURES`; the model file records them and refuses to load
if they differ.
"""

from __future__ import annotations

import math

import numpy as np

from copydesk import vocab
from copydesk.blocks import Block
from copydesk.classify.context import NodeContext
from copydesk.classify.filters import is_chrome_phrase, is_credit
from copydesk.classify.regions import Region

FEATURES: tuple[str, ...] = (
    "in_region", "neg_since_root", "neg_any", "pos_any", "boiler_tag", "in_article",
    "link_density", "log_chars", "words", "terminal_punct", "comma_rate", "digit_rate",
    "upper_rate", "kind_p", "kind_h1", "kind_h", "kind_li", "kind_quote", "kind_pre",
    "kind_table", "kind_caption", "rel_pos", "region_rel_pos", "dist_long", "after_last_long",
    "before_first_long", "prev_chars", "next_chars", "prev_link", "next_link", "rule_keep",
    "prev_rule_keep", "next_rule_keep", "chrome", "credit", "container_score", "rel_depth",
    "repeated", "list_depth", "region_share",
)
_LONG = 150  # chars: a "long paragraph" anchors the article (boilerpipe uses word counts)
_TERMINAL = frozenset(vocab.SENTENCE_END + vocab.CLOSERS + vocab.CLAUSE_END)
_KINDS = ("p", "h1", "h", "li", "quote", "pre", "table", "caption")


def _kind_index(kind: str) -> int:
    if kind.startswith("h") and len(kind) == 2 and kind != "h1":
        return 2
    return _KINDS.index(kind) if kind in _KINDS else 0


def _text_stats(text: str) -> tuple[float, float, float, float]:
    n = len(text) or 1
    digits = sum(c.isdigit() for c in text) / n
    upper = sum(c.isupper() for c in text) / n
    words = len(text.split()) or 1
    commas = vocab.count_commas(text) / words
    terminal = 1.0 if text[-1:] in _TERMINAL else 0.0
    return terminal, commas, digits, upper


def block_features(blocks: list[Block], ctx: NodeContext, region: Region) -> np.ndarray:
    """Feature matrix (blocks x FEATURES) for one page."""
    n = len(blocks)
    rules = [b.kept for b in blocks]  # the rule ladder's decisions
    long_idx = [i for i, b in enumerate(blocks) if len(b.text) >= _LONG and b.link_density < 0.3]
    first_long = long_idx[0] if long_idx else n
    last_long = long_idx[-1] if long_idx else -1
    dist = _distance_to(long_idx, n)
    in_region = [ctx.region[b.container] >= 0 for b in blocks]
    region_idx = [i for i, r in enumerate(in_region) if r]
    r_lo, r_hi = (region_idx[0], region_idx[-1]) if region_idx else (0, n - 1)
    counts: dict[str, int] = {}
    for b in blocks:
        counts[b.text] = counts.get(b.text, 0) + 1
    region_chars = sum(len(b.text) for b, r in zip(blocks, in_region, strict=True) if r) or 1
    best = region.score or 1.0
    paths = ctx.paths
    rows = np.zeros((n, len(FEATURES)), dtype=np.float32)
    for i, b in enumerate(blocks):
        node = b.container
        prev_b = blocks[i - 1] if i else None
        next_b = blocks[i + 1] if i + 1 < n else None
        terminal, commas, digits, upper = _text_stats(b.text)
        kind = [0.0] * len(_KINDS)
        kind[_kind_index(b.kind)] = 1.0
        rows[i] = (
            in_region[i], bool(ctx.neg_since_root[node]), paths.neg_any[node],
            paths.pos_any[node], ctx.boiler_tag[node], paths.in_article[node], b.link_density,
            math.log1p(len(b.text)), min(b.words, 300), terminal, commas, digits, upper,
            *kind,
            i / n, (i - r_lo) / max(1, r_hi - r_lo), min(dist[i], 30), i > last_long,
            i < first_long,
            math.log1p(len(prev_b.text)) if prev_b else 0.0,
            math.log1p(len(next_b.text)) if next_b else 0.0,
            prev_b.link_density if prev_b else 0.0, next_b.link_density if next_b else 0.0,
            rules[i], rules[i - 1] if i else 0.0, rules[i + 1] if i + 1 < n else 0.0,
            is_chrome_phrase(b.text), is_credit(b.text),
            region.scores.get(node, 0.0) / best, paths.depth[node] - _root_depth(ctx, region),
            counts[b.text] > 1, b.list_depth,
            len(b.text) / region_chars if in_region[i] else 0.0,
        )
    return rows


def _root_depth(ctx: NodeContext, region: Region) -> int:
    return ctx.paths.depth[region.root]


def _distance_to(anchors: list[int], n: int) -> list[int]:
    """Distance in blocks from each block to the nearest anchor block."""
    dist = [n] * n
    prev = -(10**9)
    anchor_set = set(anchors)
    for i in range(n):
        if i in anchor_set:
            prev = i
        dist[i] = i - prev
    nxt = 10**9
    for i in range(n - 1, -1, -1):
        if i in anchor_set:
            nxt = i
        dist[i] = min(dist[i], nxt - i)
    return dist
