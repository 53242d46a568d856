"""The block classifier's feature matrices, computed with whole-array numpy operations.

Why numpy and not compiled loops: every HTML page runs the block model, and
a compiled kernel costs a process numba's import and its cache load (about
1.5 s) or, after an install, a compilation (about 10 s). Vectorised, the
same numbers cost a few dozen numpy calls per page and nothing at start-up.

`block_rows` turns the element table and the Blocks of one page into the
`BLOCK_COLUMNS` matrix; `context_rows` appends the second stage's view (each
block's first-stage logit beside its neighbours', its group's and its
signature's). The element arrays are in document order (a parent before its
children, a subtree contiguous), so what lies on an element's path is found by
pointer jumping (log2(depth) rounds) and what lies under it by a cumulative
sum over its subtree's interval. Every sum that reaches a float feature is
either of integers (exact in any order) or taken in the order a plain loop
would take it (`np.bincount`, `np.cumsum` are sequential), so the matrix is
the same to the last bit as the loops it replaced (`tests/test_block_kernels.py`
keeps those loops, in pure Python, as the reference).
"""

from __future__ import annotations

import numpy as np

from copydesk.classify.columns import BLOCK_COLUMNS, CONTEXT_COLUMNS

_NB = len(BLOCK_COLUMNS)
_NC = len(CONTEXT_COLUMNS)
_LONG = 150  # chars: a long, low-link paragraph anchors the article (boilerpipe's idea)

# Class bits of `punct`, the code-point table `blockfeatures.punct_table` builds from
# `copydesk.vocab` (one vocabulary per concept; the kernel only reads the bits).
COMMA, SENTENCE, CURRENCY, SEPARATOR, TERMINAL = 1, 2, 4, 8, 16
# Path flags (`blockfeatures._flag_bits`, `_TAG_BITS`) in the order of the columns
# path_negative..path_article.
_PATH_BITS = np.array([1, 2, 4, 8, 64, 32])
# Character classes of `_class_table`: counted per block (digit, upper, then the punct
# classes of the rest), the terminal mark (read on the last character), not a space.
_DIGIT, _UPPER, _TERMINAL, _NONSPACE = 1, 2, 64, 128
_COUNTED = np.array([[(code >> k) & 1 for k in range(6)] for code in range(64)],
                    dtype=np.float64)  # class code (6 low bits) -> the six counts it adds to

_tables: dict[int, tuple[np.ndarray, np.ndarray]] = {}
_CODE_POINTS = 0x110000


def _class_table(punct: np.ndarray) -> np.ndarray:
    """Per code point (all of Unicode: one byte each, so a page's text indexes it
    directly): digit, upper, else its comma/sentence/currency/separator bits
    shifted up by two; its terminal bit; whether it is neither a space nor the
    NUL that joins blocks. Past `punct`, a code point is in no class."""
    got = _tables.get(id(punct))
    if got is not None and got[0] is punct:
        return got[1]
    limit = punct.shape[0]
    cps = np.arange(limit)
    digit = (cps >= 48) & (cps <= 57)
    upper = ((cps >= 65) & (cps <= 90)) | ((cps >= 192) & (cps <= 222))
    bits = punct.astype(np.int64)
    low = np.where(digit, _DIGIT, np.where(upper, _UPPER, (bits & 15) << 2))
    low |= np.where(bits & TERMINAL, _TERMINAL, 0)
    low |= np.where((cps != 32) & (cps != 0), _NONSPACE, 0)
    table = np.full(max(_CODE_POINTS, limit), _NONSPACE, dtype=np.uint8)
    table[:limit] = low
    _tables.clear()
    _tables[id(punct)] = (punct, table)
    return table


def _text_stats(cps: np.ndarray, n: int, punct: np.ndarray) -> np.ndarray:
    """Per block (texts joined by NUL): digits, upper, commas, sentence ends, currency,
    separators, and whether the text ends with terminal punctuation (its last
    character that is not a space; none: the NUL's own bits)."""
    table = _class_table(punct)
    codes = table[cps]
    seps = (cps == 0).nonzero()[0]
    segments = seps.shape[0] + 1
    classed = (codes & 63).nonzero()[0]  # the few characters in a counted class
    keys = seps.searchsorted(classed) * 64 + (codes[classed] & 63)
    counts = np.bincount(keys, minlength=segments * 64).reshape(segments, 64)[:n]
    out = np.zeros((n, 7))
    k = counts.shape[0]
    out[:k, :6] = counts.astype(np.float64) @ _COUNTED
    ends = np.append(seps, cps.shape[0])[:n]
    starts = np.empty_like(ends)
    starts[0] = 0
    starts[1:] = seps[: k - 1] + 1
    solid = (codes >= _NONSPACE).nonzero()[0]
    none = bool(table[0] & _TERMINAL)
    if solid.shape[0]:
        at = solid.searchsorted(ends) - 1
        last = solid[np.maximum(at, 0)]
        out[:k, 6] = np.where((at >= 0) & (last >= starts), (codes[last] & _TERMINAL) > 0, none)
    else:
        out[:k, 6] = none
    return out


def _tree_tables(parent: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Per element: the column-wise max of `values` over its path (itself and every
    ancestor) and its last descendant (itself for a leaf), by pointer jumping
    (over a sentinel above the roots; along the last children), and the rounds taken."""
    nn = parent.shape[0]
    anc = np.append(parent, nn)
    anc[anc < 0] = nn
    val = np.empty((nn + 1, values.shape[1]))
    val[:nn] = values
    val[nn] = -np.inf
    rounds = 0
    while anc.min() < nn:
        val = np.maximum(val, val[anc])
        anc = anc[anc]
        rounds += 1
    ids = np.arange(nn + 1)
    last = ids.copy()
    np.maximum.at(last, np.where(parent >= 0, parent, nn), ids[:nn])
    last[nn] = nn
    for _ in range(rounds):  # 2**rounds steps reach beyond the deepest path
        last = last[last]
    return val[:nn], last[:nn], rounds


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den where den > 0, else 0."""
    out = np.zeros(np.broadcast(num, den).shape)
    np.divide(num, den, out=out, where=den > 0)
    return out


def block_rows(parent: np.ndarray, tag: np.ndarray, flags: np.ndarray, weights: np.ndarray,
               sub_chars: np.ndarray, sub_links: np.ndarray, in_region: np.ndarray,
               region_score: np.ndarray, root: int, ints: np.ndarray, cps: np.ndarray,
               sig: np.ndarray, rung: int, punct: np.ndarray,
               type_probs: np.ndarray) -> np.ndarray:
    """The BLOCK_COLUMNS matrix of one page (see `blockfeatures.page_matrix` for the inputs)."""
    n = ints.shape[0]
    x = np.zeros((n, _NB))
    if n == 0:
        return x
    total = max(1.0, float(ints[:, 2].sum()))
    _own_columns(x, ints, cps, punct, tag)
    _page_columns(x, ints, sig, rung, type_probs, total)
    _node_columns(x, ints, parent, flags, weights, sub_chars, sub_links, in_region,
                  region_score, root, total)
    return x


def _own_columns(x: np.ndarray, ints: np.ndarray, cps: np.ndarray, punct: np.ndarray,
                 tag: np.ndarray) -> None:
    """The block's own text: sizes, character rates, kind, tags, its neighbours'."""
    n = ints.shape[0]
    stats = _text_stats(cps, n, punct)
    f = ints.astype(np.float64)
    chars, links = f[:, 2], f[:, 3]
    words = np.maximum(1.0, f[:, 4])
    x[:, 0:2] = np.log1p(f[:, 2:5:2])
    x[:, 2] = _ratio(links, chars)
    den = np.empty((n, 5))
    den[:, 0:2] = np.maximum(chars, 1.0)[:, None]
    den[:, 2:5] = words[:, None]
    x[:, [3, 4, 5, 6, 9]] = stats[:, [0, 1, 2, 3, 5]] / den
    x[:, 7] = stats[:, 6]
    x[:, 8] = np.minimum(stats[:, 4], 5.0)
    x[:, 10] = chars / words
    x[:, 11:13] = f[:, 5:7]
    c = ints[:, 0]
    g = np.where(ints[:, 1] >= 0, ints[:, 1], c)
    tags = np.append(tag, 0)  # -1 (no element) reads the appended 0
    x[:, 13] = tags[c]
    x[:, 14] = tags[g]
    # the neighbours: kept, log chars, link density, kind (none: -1 for the kind)
    mine = np.column_stack((f[:, 7], x[:, 0], x[:, 2], f[:, 5]))
    x[1:, [54, 58, 60, 62]] = mine[:-1]
    x[:-1, [55, 59, 61, 63]] = mine[1:]
    x[0, 62] = x[n - 1, 63] = -1
    x[1:, 68] = ints[:-1, 1] == ints[1:, 1]


# The columns that are one number for the whole page, in the order `_page_columns` lists them.
_PAGE_COLUMNS = [51, 57, 64, 65, 66, 67, 70, 71, 72]


def _page_columns(x: np.ndarray, ints: np.ndarray, sig: np.ndarray, rung: int,
                  type_probs: np.ndarray, total: float) -> None:
    """Where the block sits in the page, its signature's counts, the page's totals."""
    n = ints.shape[0]
    ids = np.arange(n)
    ichars = ints[:, 2]
    kind = ints[:, 5]
    sizes = np.empty((n, 2), dtype=np.int64)  # kept characters, characters
    np.multiply(ichars, ints[:, 7], out=sizes[:, 0])
    sizes[:, 1] = ichars
    csum = np.zeros((n + 1, 2), dtype=np.int64)
    sizes.cumsum(axis=0, out=csum[1:])
    x[:, 15] = ids / n
    x[:, 16] = csum[:n, 1] / total
    _long_columns(x, ichars, ints[:, 3], ids)
    sig_sizes = np.zeros((int(sig.max()) + 1, 3))  # blocks, kept characters, characters
    np.add.at(sig_sizes, sig, np.column_stack((np.ones(n, dtype=np.int64), sizes)))
    mine = sig_sizes.take(sig, axis=0)
    change = np.ones(n, dtype=bool)
    np.not_equal(sig[1:], sig[:-1], out=change[1:])
    run = change.cumsum() - 1
    mine[:, 1] = np.bincount(run).take(run)  # the run of same-signature blocks (count unused)
    logs = np.log1p(mine[:, 0:2])
    x[:, 47] = logs[:, 0]
    x[:, 73] = logs[:, 1]
    x[:, 48] = mine[:, 2] / total
    x[:, 49:51] = ints[:, 7:9]
    window = csum.take(np.minimum(ids + 4, n), axis=0) - csum.take(np.maximum(ids - 3, 0),
                                                                   axis=0) - sizes
    x[:, 56] = _ratio(window[:, 0], window[:, 1])
    by_kind = np.bincount(kind, weights=ichars, minlength=8)
    counts = np.bincount(kind, minlength=8)
    x[:, _PAGE_COLUMNS] = np.array([
        rung, float(csum[n, 0]) / total, np.log1p(float(n)), np.log1p(total),
        float(ints[:, 3].sum()) / total, counts[1] / n, by_kind[6] / total, by_kind[7] / total,
        float(counts[2:5].sum()) / n])
    h1 = (kind == 2).nonzero()[0]
    x[:, 69] = np.minimum(np.maximum(ids - h1[0], -40), 40) if h1.shape[0] else 40.0
    x[:, 76] = (sig_sizes[:, 1] / np.maximum(1.0, sig_sizes[:, 2])).take(sig)
    x[:, 77: 77 + type_probs.shape[0]] = type_probs


def _long_columns(x: np.ndarray, chars: np.ndarray, links: np.ndarray, ids: np.ndarray) -> None:
    """Blocks to the nearest long low-link block (capped at 30), before the first, after
    the last."""
    long = (chars >= _LONG) & (links < 0.3 * chars)
    where = long.nonzero()[0]
    if not where.shape[0]:
        x[:, 17:20] = (30.0, 1.0, 1.0)
        return
    # the nearest long block at or before each block, and at or after it
    after = where[np.minimum(where.searchsorted(ids), where.shape[0] - 1)]
    before = where[np.maximum(where.searchsorted(ids, side="right") - 1, 0)]
    dist = np.minimum(np.where(before <= ids, ids - before, 30), 30)
    x[:, 17] = np.minimum(dist, np.where(after >= ids, after - ids, 30))
    x[:, 18] = ids < where[0]
    x[:, 19] = ids > where[-1]


def _node_columns(x: np.ndarray, ints: np.ndarray, parent: np.ndarray, flags: np.ndarray,
                  weights: np.ndarray, sub_chars: np.ndarray, sub_links: np.ndarray,
                  in_region: np.ndarray, region_score: np.ndarray, root: int,
                  total: float) -> None:
    """What the block's container, group and the group's three ancestors say: depth,
    class/id weights on the path, flags, region sizes, what the rules kept under them."""
    nn = parent.shape[0]
    per = np.zeros((nn + 1, 16))  # per element, in the order of columns 20..33, 52, 53
    per[:nn, 2:4] = weights
    per[:nn, 6] = weights[:, 0]
    per[:nn, 7] = -weights[:, 1]
    per[:nn, 8:14] = (flags[:, None] & _PATH_BITS) > 0
    path, last, _ = _tree_tables(parent, per[:nn, 6:14])
    per[:nn, 6:14] = path
    per[:nn, 7] = -path[:, 7 - 6]
    # depth: how many subtrees [i, last[i]] hold the element, less its own
    closing = np.bincount(last + 1, minlength=nn + 1)[:nn]
    depth = (1 - closing).cumsum() - 1
    root_depth = depth[root] if 0 <= root < nn else 0
    per[:nn, 0] = depth
    per[:nn, 1] = depth - root_depth
    per[:nn, 14] = in_region
    per[:nn, 15] = region_score
    c = ints[:, 0]
    g = np.where(ints[:, 1] >= 0, ints[:, 1], c)
    cn = np.where(c >= 0, c, nn)  # -1 reads the sentinel row of zeros
    gn = np.where(g >= 0, g, nn)
    mine = per[cn]
    x[:, 20:34] = mine[:, :14]
    x[:, 52] = mine[:, 14]
    x[:, 53] = np.where(g >= 0, np.maximum(mine[:, 15], per[gn, 15]), mine[:, 15])
    x[:, 24:26] = per[gn, 2:4]
    region = _region_table(ints, parent, last, sub_chars, sub_links, total)
    up = np.empty((ints.shape[0], 4), dtype=np.int64)
    up[:, 0] = gn
    hop = np.append(np.where(parent >= 0, parent, np.arange(nn)), nn)
    for level in range(1, 4):
        up[:, level] = hop[up[:, level - 1]]
    around = region[up]  # blocks x levels x (log chars, link, log blocks, share, kept)
    x[:, 34:46] = around[:, :, :3].reshape(-1, 12)
    x[:, 46] = around[:, 2, 3]
    x[:, 74] = around[:, 1, 4]
    x[:, 75] = around[:, 3, 4]


def _region_table(ints: np.ndarray, parent: np.ndarray, last: np.ndarray,
                  sub_chars: np.ndarray, sub_links: np.ndarray, total: float) -> np.ndarray:
    """Per element (and a sentinel row of zeros): log chars, link share, log blocks under
    it, its share of the page's characters, the share of its blocks' characters the
    rules kept; subtree sums by cumulative sums over [i, last[i]]."""
    nn = parent.shape[0]
    c = ints[:, 0]
    mine = c >= 0
    cc = c[mine]
    own = np.zeros((nn + 1, 3))
    own[1:, 0] = np.bincount(cc, minlength=nn)
    own[1:, 1] = np.bincount(cc, weights=ints[mine, 2] * ints[mine, 7], minlength=nn)
    own[1:, 2] = np.bincount(cc, weights=ints[mine, 2], minlength=nn)
    csum = own.cumsum(axis=0)  # integer sums: exact in floating point
    under = csum[last + 1] - csum[:nn]
    chars = sub_chars.astype(np.float64)
    out = np.zeros((nn + 1, 5))
    out[:nn, 0] = chars
    out[:nn, 2] = under[:, 0]
    out[:nn, 0:3:2] = np.log1p(out[:nn, 0:3:2])
    out[:nn, 1] = _ratio(sub_links.astype(np.float64), chars)
    out[:nn, 3] = chars / total
    out[:nn, 4] = under[:, 1] / np.maximum(1.0, under[:, 2])
    return out


def _window_sum(values: np.ndarray, radius: int) -> np.ndarray:
    """Sum of `values` over [i - radius, i + radius], added left to right (as a loop would)."""
    n = values.shape[0]
    padded = np.concatenate((np.zeros(radius), values, np.zeros(radius)))
    total = np.zeros(n)
    for k in range(2 * radius + 1):
        total = total + padded[k: k + n]
    return total


def context_rows(x: np.ndarray, logits: np.ndarray, sig: np.ndarray, group: np.ndarray,
                 chars: np.ndarray) -> np.ndarray:
    """[x | CONTEXT_COLUMNS]: the first stage's logits around each block.

    Float sums are taken in block order (as a loop would); the rank in the
    page breaks ties between equal logits by the block's order (a stable sort).
    """
    n = x.shape[0]
    out = np.zeros((n, x.shape[1] + _NC))
    if n == 0:
        return out
    base = x.shape[1]
    out[:, :base] = x
    w = chars + 1.0
    sig_sum = np.bincount(sig, weights=logits)
    sig_n = np.bincount(sig).astype(np.float64)
    total = float(w.cumsum()[-1])
    wl = w * logits
    change = np.ones(n, dtype=bool)
    np.not_equal(group[1:], group[:-1], out=change[1:])
    run = change.cumsum() - 1
    order = np.argsort(logits, kind="stable")
    rank = np.empty(n)
    rank[order] = np.arange(n) / max(1, n - 1)
    out[:, base] = logits
    out[:, base + 1] = -10.0
    out[1:, base + 1] = logits[:-1]
    out[:, base + 2] = -10.0
    out[:-1, base + 2] = logits[1:]
    out[:, base + 3] = _window_sum(wl, 2) / _window_sum(w, 2)
    out[:, base + 4] = _window_sum(wl, 5) / _window_sum(w, 5)
    out[:, base + 5] = (np.bincount(run, weights=logits) / np.bincount(run))[run]
    out[:, base + 6] = sig_sum[sig] / sig_n[sig]
    out[:, base + 7] = float(wl.cumsum()[-1]) / total
    out[:, base + 8] = logits.max()
    out[:, base + 9] = float((w * (logits > 0)).cumsum()[-1]) / total
    out[:, base + 10] = rank
    return out
