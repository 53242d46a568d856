# mypy: ignore-errors
"""Compiled per-page loops of the block classifier (numba, as `copydesk.text.kernels`).

(mypy skips this module, as it skips text mode's kernels: numba-typed code
mixes numpy scalars and Python ints in ways the numpy stubs cannot express.)

`block_rows` turns the element table and the Blocks of one page into the
feature matrix in two passes over the elements (forward: depth and what lies
on each path; backward: text and blocks under each element) and one over
the blocks. `context_rows` adds the second stage's view: each block's
first-stage logit beside its neighbours', its group's and its signature's.
Without numba the same functions run as plain Python (correct, slower).
"""

from __future__ import annotations

import math

import numpy as np

from copydesk.classify.columns import BLOCK_COLUMNS, CONTEXT_COLUMNS
from copydesk.text.kernels import jit

_NB = len(BLOCK_COLUMNS)
_NC = len(CONTEXT_COLUMNS)
_LONG = 150  # chars: a long, low-link paragraph anchors the article (boilerpipe's idea)


@jit
def _node_passes(parent, flags, weights, own_blocks):
    """Forward: depth, path min/max token weight, OR of flags. Backward: blocks under."""
    n = parent.shape[0]
    depth = np.zeros(n, dtype=np.int64)
    pmax = np.zeros(n)
    pmin = np.zeros(n)
    pflags = np.zeros(n, dtype=np.int64)
    for i in range(n):
        p = parent[i]
        if p >= 0:
            depth[i] = depth[p] + 1
            pmax[i] = max(pmax[p], weights[i, 0])
            pmin[i] = min(pmin[p], weights[i, 1])
            pflags[i] = pflags[p] | flags[i]
        else:
            pmax[i] = weights[i, 0]
            pmin[i] = weights[i, 1]
            pflags[i] = flags[i]
    blocks_under = own_blocks.copy()
    for i in range(n - 1, 0, -1):
        p = parent[i]
        if p >= 0:
            blocks_under[p] += blocks_under[i]
    return depth, pmax, pmin, pflags, blocks_under


# Class bits of `punct`, the code-point table `blockfeatures.punct_table` builds from
# `copydesk.vocab` (one vocabulary per concept; the kernel only reads the bits).
COMMA, SENTENCE, CURRENCY, SEPARATOR, TERMINAL = 1, 2, 4, 8, 16


@jit
def _text_stats(cps, n, punct):
    """Per block (texts joined by NUL): digits, upper, commas, sentence ends, currency,
    separators, and whether the text ends with terminal punctuation."""
    out = np.zeros((n, 7))
    b = 0
    last = 0
    limit = punct.shape[0]
    for k in range(cps.shape[0]):
        c = cps[k]
        if c == 0:
            out[b, 6] = 1.0 if last < limit and punct[last] & TERMINAL else 0.0
            b += 1
            last = 0
            continue
        if 48 <= c <= 57:
            out[b, 0] += 1
        elif 65 <= c <= 90 or 192 <= c <= 222:
            out[b, 1] += 1
        elif c < limit:
            bits = punct[c]
            if bits & COMMA:
                out[b, 2] += 1
            if bits & SENTENCE:
                out[b, 3] += 1
            if bits & CURRENCY:
                out[b, 4] += 1
            if bits & SEPARATOR:
                out[b, 5] += 1
        if c != 32:
            last = c
    if b < n:
        out[b, 6] = 1.0 if last < limit and punct[last] & TERMINAL else 0.0
    return out


@jit
def _up(parent, node, levels):
    for _ in range(levels):
        if node < 0 or parent[node] < 0:
            return node
        node = parent[node]
    return node


@jit
def _region_cols(row, col, node, sub_chars, sub_links, blocks_under):
    ch = sub_chars[node]
    row[col] = math.log1p(ch)
    row[col + 1] = sub_links[node] / ch if ch > 0 else 0.0
    row[col + 2] = math.log1p(blocks_under[node])


@jit
def _distance_to_long(chars, links):
    n = chars.shape[0]
    dist = np.full(n, 30.0)
    last = -1
    first = n
    final = -1
    for i in range(n):
        if chars[i] >= _LONG and links[i] < 0.3 * chars[i]:
            last = i
            first = min(first, i)
            final = i
        if last >= 0:
            dist[i] = min(30.0, i - last)
    nxt = -1
    for i in range(n - 1, -1, -1):
        if chars[i] >= _LONG and links[i] < 0.3 * chars[i]:
            nxt = i
        if nxt >= 0:
            dist[i] = min(dist[i], float(nxt - i))
    return dist, first, final


@jit
def block_rows(parent, tag, flags, weights, sub_chars, sub_links, in_region, region_score,  # noqa: C901 - one compiled pass
               root, ints, cps, sig, rung, punct, type_probs):
    """The BLOCK_COLUMNS matrix of one page (see `features.page_matrix` for the inputs)."""
    n = ints.shape[0]
    n_nodes = parent.shape[0]
    x = np.zeros((n, _NB))
    if n == 0:
        return x
    own_blocks = np.zeros(n_nodes, dtype=np.int64)
    for i in range(n):
        if ints[i, 0] >= 0:
            own_blocks[ints[i, 0]] += 1
    depth, pmax, pmin, pflags, blocks_under = _node_passes(parent, flags, weights, own_blocks)
    kept_under = _kept_under(parent, ints)
    stats = _text_stats(cps, n, punct)
    chars = ints[:, 2].astype(np.float64)
    links = ints[:, 3].astype(np.float64)
    total = max(1.0, chars.sum())
    kept_chars = 0.0
    li = 0.0
    n_sig = sig.max() + 1
    sig_count = np.zeros(n_sig)
    sig_chars = np.zeros(n_sig)
    sig_kept = np.zeros(n_sig)
    first_h1 = -1
    pre = 0.0
    table = 0.0
    headings = 0.0
    for i in range(n):
        sig_count[sig[i]] += 1
        sig_chars[sig[i]] += chars[i]
        sig_kept[sig[i]] += chars[i] * ints[i, 7]
        kept_chars += chars[i] * ints[i, 7]
        kind = ints[i, 5]
        li += kind == 1
        if kind == 2 and first_h1 < 0:
            first_h1 = i
        pre += chars[i] if kind == 6 else 0.0
        table += chars[i] if kind == 7 else 0.0
        headings += 1.0 if 2 <= kind <= 4 else 0.0
    runs = _sig_runs(sig)
    dist, first_long, last_long = _distance_to_long(chars, links)
    root_depth = depth[root] if 0 <= root < n_nodes else 0
    before = 0.0
    for i in range(n):
        row = x[i]
        c = ints[i, 0]
        g = ints[i, 1] if ints[i, 1] >= 0 else c
        ch = chars[i]
        words = max(1.0, float(ints[i, 4]))
        row[0] = math.log1p(ch)
        row[1] = math.log1p(ints[i, 4])
        row[2] = links[i] / ch if ch > 0 else 0.0
        row[3] = stats[i, 0] / max(ch, 1.0)
        row[4] = stats[i, 1] / max(ch, 1.0)
        row[5] = stats[i, 2] / words
        row[6] = stats[i, 3] / words
        row[7] = stats[i, 6]
        row[8] = min(stats[i, 4], 5.0)
        row[9] = stats[i, 5] / words
        row[10] = ch / words
        row[11] = ints[i, 5]
        row[12] = ints[i, 6]
        row[13] = tag[c] if c >= 0 else 0
        row[14] = tag[g] if g >= 0 else 0
        row[15] = i / n
        row[16] = before / total
        before += ch
        row[17] = dist[i]
        row[18] = 1.0 if i < first_long else 0.0
        row[19] = 1.0 if i > last_long else 0.0
        if c >= 0:
            row[20] = depth[c]
            row[21] = depth[c] - root_depth
            row[22] = weights[c, 0]
            row[23] = weights[c, 1]
            row[26] = pmax[c]
            row[27] = pmin[c]
            f = pflags[c]
            row[28] = (f & 1) > 0
            row[29] = (f & 2) > 0
            row[30] = (f & 4) > 0
            row[31] = (f & 8) > 0
            row[32] = (f & 64) > 0
            row[33] = (f & 32) > 0
            row[52] = in_region[c]
            row[53] = region_score[c]
        if g >= 0:
            row[24] = weights[g, 0]
            row[25] = weights[g, 1]
            for level in range(4):
                node = _up(parent, g, level)
                _region_cols(row, 34 + 3 * level, node, sub_chars, sub_links, blocks_under)
            row[46] = sub_chars[_up(parent, g, 2)] / total
            row[53] = max(row[53], region_score[g])
        row[47] = math.log1p(sig_count[sig[i]])
        row[48] = sig_chars[sig[i]] / total
        row[49] = ints[i, 7]
        row[50] = ints[i, 8]
        row[51] = rung
        lo = max(0, i - 3)
        hi = min(n, i + 4)
        num = 0.0
        den = 0.0
        for j in range(lo, hi):
            if j != i:
                num += chars[j] * ints[j, 7]
                den += chars[j]
        row[56] = num / den if den > 0 else 0.0
        row[57] = kept_chars / total
        if i > 0:
            row[54] = ints[i - 1, 7]
            row[58] = math.log1p(chars[i - 1])
            row[60] = links[i - 1] / chars[i - 1] if chars[i - 1] > 0 else 0.0
            row[62] = ints[i - 1, 5]
            row[68] = 1.0 if ints[i - 1, 1] == ints[i, 1] else 0.0
        else:
            row[62] = -1
        if i + 1 < n:
            row[55] = ints[i + 1, 7]
            row[59] = math.log1p(chars[i + 1])
            row[61] = links[i + 1] / chars[i + 1] if chars[i + 1] > 0 else 0.0
            row[63] = ints[i + 1, 5]
        else:
            row[63] = -1
        row[64] = math.log1p(n)
        row[65] = math.log1p(total)
        row[66] = links.sum() / total
        row[67] = li / n
        row[69] = min(40.0, max(-40.0, float(i - first_h1))) if first_h1 >= 0 else 40.0
        row[70] = pre / total
        row[71] = table / total
        row[72] = headings / n
        row[73] = math.log1p(runs[i])
        if g >= 0:
            up1 = _up(parent, g, 1)
            up3 = _up(parent, g, 3)
            row[74] = kept_under[up1, 0] / max(1.0, kept_under[up1, 1])
            row[75] = kept_under[up3, 0] / max(1.0, kept_under[up3, 1])
        row[76] = sig_kept[sig[i]] / max(1.0, sig_chars[sig[i]])
        for t in range(type_probs.shape[0]):
            row[77 + t] = type_probs[t]
    return x


@jit
def _kept_under(parent, ints):
    """Per element: characters of the blocks under it that the rules kept, and all."""
    out = np.zeros((parent.shape[0], 2))
    for i in range(ints.shape[0]):
        c = ints[i, 0]
        if c >= 0:
            out[c, 0] += ints[i, 2] * ints[i, 7]
            out[c, 1] += ints[i, 2]
    for i in range(parent.shape[0] - 1, 0, -1):
        p = parent[i]
        if p >= 0:
            out[p, 0] += out[i, 0]
            out[p, 1] += out[i, 1]
    return out


@jit
def _sig_runs(sig):
    """Per block: the length of the run of consecutive blocks sharing its signature."""
    n = sig.shape[0]
    out = np.ones(n)
    i = 0
    while i < n:
        j = i
        while j < n and sig[j] == sig[i]:
            j += 1
        for k in range(i, j):
            out[k] = j - i
        i = j
    return out


@jit
def context_rows(x, logits, sig, group, chars):
    """[x | CONTEXT_COLUMNS]: the first stage's logits around each block."""
    n = x.shape[0]
    out = np.zeros((n, x.shape[1] + _NC))
    if n == 0:
        return out
    out[:, : x.shape[1]] = x
    n_sig = sig.max() + 1
    sig_sum = np.zeros(n_sig)
    sig_n = np.zeros(n_sig)
    total = 0.0
    wsum = 0.0
    kept = 0.0
    top = -1e9
    for i in range(n):
        sig_sum[sig[i]] += logits[i]
        sig_n[sig[i]] += 1
        w = chars[i] + 1.0
        total += w
        wsum += w * logits[i]
        kept += w * (logits[i] > 0)
        top = max(top, logits[i])
    order = np.argsort(logits)
    rank = np.zeros(n)
    for k in range(n):
        rank[order[k]] = k / max(1, n - 1)
    base = x.shape[1]
    i = 0
    while i < n:
        # a run of blocks with the same group: their mean logit
        j = i
        s = 0.0
        while j < n and group[j] == group[i]:
            s += logits[j]
            j += 1
        for k in range(i, j):
            out[k, base + 5] = s / (j - i)
        i = j
    for i in range(n):
        row = out[i]
        row[base] = logits[i]
        row[base + 1] = logits[i - 1] if i > 0 else -10.0
        row[base + 2] = logits[i + 1] if i + 1 < n else -10.0
        row[base + 3] = _window_mean(logits, chars, i, 2)
        row[base + 4] = _window_mean(logits, chars, i, 5)
        row[base + 6] = sig_sum[sig[i]] / sig_n[sig[i]]
        row[base + 7] = wsum / total
        row[base + 8] = top
        row[base + 9] = kept / total
        row[base + 10] = rank[i]
    return out


@jit
def _window_mean(logits, chars, i, k):
    n = logits.shape[0]
    num = 0.0
    den = 0.0
    for j in range(max(0, i - k), min(n, i + k + 1)):
        w = chars[j] + 1.0
        num += w * logits[j]
        den += w
    return num / den
