"""The block classifier's numpy kernels against plain loops, bit for bit.

`classify.kernels` computes the feature matrices with whole-array numpy and
`classify.trees` walks the trees level by level; the loops below are the
definitions they must reproduce (they were numba kernels before; kept here,
plain Python, as the reference). Compared exactly (`array_equal` on the
bits): a last-digit difference could flip a tree's threshold.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from copydesk.classify import blockfeatures, blockmodel, kernels
from copydesk.classify.ladder import decide_by_rules
from copydesk.classify.trees import Forest
from copydesk.html import parse_and_segment
from copydesk.options import Options

ROOT = Path(__file__).resolve().parents[1]
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def _pages() -> list[bytes]:
    """The example pages and, when the corpora are there, a dozen of AEB and of WCXB."""
    pages = [p.read_bytes() for p in sorted((ROOT / "examples").glob("*.html"))]
    for name in ("aeb", "wcxb"):
        for path in sorted((CORPORA / name / "html").glob("*.html*"))[:12]:
            data = path.read_bytes()
            pages.append(gzip.decompress(data) if path.suffix == ".gz" else data)
    return pages


def _up(parent: list[int], node: int, levels: int) -> int:
    for _ in range(levels):
        if node < 0 or parent[node] < 0:
            return node
        node = parent[node]
    return node


def _subtree_sums(parent: list[int], own: list[list[float]]) -> list[list[float]]:
    out = [list(row) for row in own]
    for i in range(len(parent) - 1, 0, -1):
        if parent[i] >= 0:
            for k, v in enumerate(out[i]):
                out[parent[i]][k] += v
    return out


def _text_stats(cps: list[int], n: int, punct: list[int]) -> list[list[float]]:
    out = [[0.0] * 7 for _ in range(n)]
    b, last, limit = 0, 0, len(punct)
    for c in [*cps, 0]:
        if c == 0:
            if b < n:
                out[b][6] = 1.0 if last < limit and punct[last] & 16 else 0.0
            b, last = b + 1, 0
            continue
        if 48 <= c <= 57:
            out[b][0] += 1
        elif 65 <= c <= 90 or 192 <= c <= 222:
            out[b][1] += 1
        elif c < limit:
            for k, bit in enumerate((1, 2, 4, 8)):
                out[b][2 + k] += 1 if punct[c] & bit else 0
        if c != 32:
            last = c
    return out


def reference_rows(parent: Any, tag: Any, flags: Any, weights: Any, sub_chars: Any,  # noqa: C901
                   sub_links: Any, in_region: Any, region_score: Any, root: int, ints: Any,
                   cps: Any, sig: Any, rung: int, punct: Any, type_probs: Any) -> np.ndarray:
    """BLOCK_COLUMNS, one block and one element at a time."""
    par, w, fl, rows = parent.tolist(), weights.tolist(), flags.tolist(), ints.tolist()
    sub_c, sub_l = sub_chars.tolist(), sub_links.tolist()
    n, nn = len(rows), len(par)
    x = np.zeros((n, len(blockfeatures.FEATURES)))
    depth, pmax, pmin, pfl = [0] * nn, [0.0] * nn, [0.0] * nn, [0] * nn
    for i, p in enumerate(par):
        if p >= 0:
            depth[i], pfl[i] = depth[p] + 1, pfl[p] | fl[i]
            pmax[i], pmin[i] = max(pmax[p], w[i][0]), min(pmin[p], w[i][1])
        else:
            pmax[i], pmin[i], pfl[i] = w[i][0], w[i][1], fl[i]
    own = [[0.0, 0.0, 0.0] for _ in range(nn)]
    for r in rows:
        if r[0] >= 0:
            own[r[0]][0] += 1
            own[r[0]][1] += r[2] * r[7]
            own[r[0]][2] += r[2]
    under = _subtree_sums(par, own)
    stats = _text_stats(cps.tolist(), n, punct.tolist())
    chars = [float(r[2]) for r in rows]
    links = [float(r[3]) for r in rows]
    total = max(1.0, sum(chars))
    sig_l = sig.tolist()
    sig_n: dict[int, float] = {}
    sig_c: dict[int, float] = {}
    sig_k: dict[int, float] = {}
    for s, r in zip(sig_l, rows, strict=True):
        sig_n[s] = sig_n.get(s, 0.0) + 1
        sig_c[s] = sig_c.get(s, 0.0) + r[2]
        sig_k[s] = sig_k.get(s, 0.0) + r[2] * r[7]
    kinds = [r[5] for r in rows]
    first_h1 = kinds.index(2) if 2 in kinds else -1
    longs = [i for i in range(n) if chars[i] >= 150 and links[i] < 0.3 * chars[i]]
    root_depth = depth[root] if 0 <= root < nn else 0
    before = 0.0
    for i, r in enumerate(rows):
        row = x[i]
        c = r[0]
        g = r[1] if r[1] >= 0 else c
        ch, words = chars[i], max(1.0, float(r[4]))
        row[0:3] = _log1p(ch), _log1p(r[4]), links[i] / ch if ch > 0 else 0.0
        row[3:7] = (stats[i][0] / max(ch, 1.0), stats[i][1] / max(ch, 1.0),
                    stats[i][2] / words, stats[i][3] / words)
        row[7:11] = stats[i][6], min(stats[i][4], 5.0), stats[i][5] / words, ch / words
        row[11:15] = r[5], r[6], tag[c] if c >= 0 else 0, tag[g] if g >= 0 else 0
        row[15], row[16] = i / n, before / total
        before += ch
        dist = [min(30.0, abs(i - j)) for j in longs]
        row[17] = min(dist, default=30.0)
        row[18] = 1.0 if not longs or i < longs[0] else 0.0
        row[19] = 1.0 if not longs or i > longs[-1] else 0.0
        if c >= 0:
            row[20:24] = depth[c], depth[c] - root_depth, w[c][0], w[c][1]
            row[26:28] = pmax[c], pmin[c]
            row[28:34] = [(pfl[c] & bit) > 0 for bit in (1, 2, 4, 8, 64, 32)]
            row[52:54] = in_region[c], region_score[c]
        if g >= 0:
            row[24:26] = w[g][0], w[g][1]
            for level in range(4):
                node = _up(par, g, level)
                sc = sub_c[node]
                row[34 + 3 * level: 37 + 3 * level] = (
                    _log1p(sc), sub_l[node] / sc if sc > 0 else 0.0,
                    _log1p(under[node][0]))
            row[46] = sub_c[_up(par, g, 2)] / total
            row[53] = max(row[53], region_score[g])
            up1, up3 = under[_up(par, g, 1)], under[_up(par, g, 3)]
            row[74], row[75] = up1[1] / max(1.0, up1[2]), up3[1] / max(1.0, up3[2])
        s = sig_l[i]
        row[47:52] = _log1p(sig_n[s]), sig_c[s] / total, r[7], r[8], rung
        near = [j for j in range(max(0, i - 3), min(n, i + 4)) if j != i]
        den = sum(chars[j] for j in near)
        row[56] = sum(chars[j] * rows[j][7] for j in near) / den if den > 0 else 0.0
        row[57] = sum(c_ * r_[7] for c_, r_ in zip(chars, rows, strict=True)) / total
        row[62] = row[63] = -1
        if i > 0:
            p = rows[i - 1]
            row[54], row[58], row[62] = p[7], _log1p(chars[i - 1]), p[5]
            row[60] = links[i - 1] / chars[i - 1] if chars[i - 1] > 0 else 0.0
            row[68] = 1.0 if p[1] == r[1] else 0.0
        if i + 1 < n:
            q = rows[i + 1]
            row[55], row[59], row[63] = q[7], _log1p(chars[i + 1]), q[5]
            row[61] = links[i + 1] / chars[i + 1] if chars[i + 1] > 0 else 0.0
        row[64:68] = (_log1p(n), _log1p(total), sum(links) / total,
                      kinds.count(1) / n)
        row[69] = min(40.0, max(-40.0, float(i - first_h1))) if first_h1 >= 0 else 40.0
        row[70] = sum(chars[j] for j in range(n) if kinds[j] == 6) / total
        row[71] = sum(chars[j] for j in range(n) if kinds[j] == 7) / total
        row[72] = sum(1 for k in kinds if 2 <= k <= 4) / n
        lo = hi = i
        while lo > 0 and sig_l[lo - 1] == s:
            lo -= 1
        while hi + 1 < n and sig_l[hi + 1] == s:
            hi += 1
        row[73] = _log1p(hi - lo + 1)
        row[76] = sig_k[s] / max(1.0, sig_c[s])
        row[77: 77 + len(type_probs)] = type_probs
    return x


def _inputs(html: bytes, model: blockmodel.BlockModel) -> tuple[Any, ...]:
    """The arguments `page_matrix` hands `kernels.block_rows` for one page."""
    text = html.decode("utf-8", "replace")
    _, blocks, nodes = parse_and_segment(text, Options(metadata=False))
    decision = decide_by_rules(blocks, nodes)
    captured: list[tuple[Any, ...]] = []
    real = kernels.block_rows

    def spy(*args: Any) -> np.ndarray:
        captured.append(args)
        return real(*args)

    kernels.block_rows = spy
    try:
        blockfeatures.page_matrix(blocks, nodes, decision.rung, decision.region, decision.ctx,
                                  model.tokens, blockfeatures.type_vector({"article": 0.7}))
    finally:
        kernels.block_rows = real
    return captured[0]


def _log1p(value: float) -> float:
    """numpy's log1p, the one the kernels call: libm's can differ in the last
    bit (numpy 2.4 ships its own on AVX-512 machines), and the test is about
    the kernels' arithmetic, not about which log1p the platform has."""
    return float(np.log1p(np.float64(value)))


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and np.array_equal(a.view(np.uint64), b.view(np.uint64))


@pytest.fixture(scope="module")
def model() -> blockmodel.BlockModel:
    found = blockmodel.shipped_model()
    if found is None:
        pytest.skip("no block model shipped")
    return found


def test_the_feature_matrix_is_the_loops_bit_for_bit(model: blockmodel.BlockModel) -> None:
    pages = _pages()
    assert len(pages) >= 2
    for html in pages:
        args = _inputs(html, model)
        assert args[9].shape[0] > 0
        assert _same_bits(kernels.block_rows(*args), reference_rows(*args))


def test_text_counts_read_nul_joined_blocks_and_trailing_spaces() -> None:
    punct = blockfeatures.punct_table()
    texts = ["Hello, World 42.  ", "", "   ", "£5 – «quoted»", "日本語。"]
    cps = np.frombuffer("\x00".join(texts).encode("utf-32-le"), dtype=np.uint32)
    got = kernels._text_stats(cps, len(texts), punct)
    want = np.array(_text_stats(cps.tolist(), len(texts), punct.tolist()))
    assert _same_bits(got, want)
    assert got[0, :2].tolist() == [2.0, 2.0] and got[0, 6] == 1.0  # "42." ends the text


def _walk(stage: Any, row: np.ndarray) -> list[float]:
    """Each tree's leaf, following the exported node tables (not the heap)."""
    leaves = []
    for t in range(stage.feature.shape[0]):
        node = 0
        while stage.left[t, node] != node:
            go_left = row[stage.feature[t, node]] <= stage.threshold[t, node]
            node = stage.left[t, node] if go_left else stage.right[t, node]
        leaves.append(float(stage.value[t, node]))
    return leaves


def test_the_forest_adds_the_leaves_of_every_tree(model: blockmodel.BlockModel) -> None:
    stage = model.stage1
    args = _inputs(_pages()[0], model)
    x = kernels.block_rows(*args)
    x[0, :] = np.nan  # a missing value goes right, as in the exported trees
    got = Forest(stage).logits(x)
    for i in range(x.shape[0]):
        leaves = _walk(stage, x[i])
        total = 0.0
        for k in range(0, len(leaves) - len(leaves) % 4, 4):  # the compiled walk's order
            total += leaves[k] + leaves[k + 1] + leaves[k + 2] + leaves[k + 3]
        for v in leaves[len(leaves) - len(leaves) % 4:]:
            total += v
        assert got[i] == stage.base + total


def test_a_last_bit_difference_in_a_feature_flips_no_split(model: blockmodel.BlockModel) -> None:
    """44% of the shipped thresholds sit exactly on a log1p(count): with the
    thresholds as trained, a feature one ulp higher (another numpy's log1p) would
    take the other branch; `tolerant_thresholds` leaves no such split. Zeros stay:
    a count of nothing is exactly 0 on every platform."""
    forest = Forest(model.stage1)
    for html in _pages():
        x = kernels.block_rows(*_inputs(html, model))
        want = forest.logits(x)
        for direction in (np.inf, -np.inf):
            nudged = np.where(x != 0.0, np.nextafter(x, direction), x)
            assert np.array_equal(forest.logits(nudged), want)
