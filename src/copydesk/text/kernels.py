# mypy: ignore-errors
"""Compiled per-page loops of text mode (numba), with a pure-Python fallback.

(mypy skips this module: numba-compiled code mixes numpy scalars and Python
ints in ways numba types exactly but the numpy stubs cannot express.)

Text mode's budget is ~1 ms for a page of ~250 lines (~9,000 characters).
With numpy each page costs ~100 calls of 5-20 µs each, however small the
arrays; these loops instead visit every character, line and tree node once
in compiled code (numba's `njit`, compiled on first use and cached on disk).
Without numba the same functions run as plain Python: correct, ~100x slower.

- `line_spans`: the raw lines (split at \\n) and other line breaks;
- `scan_lines`: one pass over the code points of a page; per non-empty line
  its first/last non-space offsets, character-class counts, words, tokens
  (hashed, looked up with their 2- and 3-token phrases in the word lists),
  dates, how the line starts and ends (`RAW_COLUMNS`), and its blank lines;
- `line_matrix`: the headline repeated near the top (`title_line`), each
  line's token overlap with it, repeated lines, then `line_features`;
- `page_logits`: the linear first stage, the context features
  (`context_rows`) and the gradient-boosted trees (`tree_logits`);
- `line_probabilities`: the lines' probabilities (the text rungs decide on them,
  `text.decide`); `kinds`: headings and the title-like line of the chosen body.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

try:  # pragma: no cover - depends on the environment
    from numba import njit as _njit

    def jit(fn: Callable[..., Any]) -> Callable[..., Any]:
        return _njit(cache=True, nogil=True)(fn)  # type: ignore[no-any-return]

    def inline(fn: Callable[..., Any]) -> Callable[..., Any]:
        """A helper inlined into its callers: a compiled call passing arrays costs
        reference-count updates (~80 ns), more than the helper's work."""
        return _njit(cache=True, nogil=True, inline="always")(fn)  # type: ignore[no-any-return]
except ImportError:  # pragma: no cover
    import functools

    def jit(fn: Callable[..., Any]) -> Callable[..., Any]:
        """Plain Python; hashes wrap modulo 2**64 as in compiled code (no warnings)."""
        @functools.wraps(fn)
        def run(*args: Any) -> Any:
            with np.errstate(over="ignore"):
                return fn(*args)
        run.py_func = fn  # type: ignore[attr-defined]
        return run

    inline = jit

from copydesk.text import charclass as cc
from copydesk.text import vocab
from copydesk.text.columns import CONTEXT_FEATURES, LINE_FEATURES, column

RAW_COLUMNS = (
    "first", "last", "words", "nonspace", "alnum", "digit", "upper", "cjk", "comma", "at",
    "copyright", "needs_collapse", "separators", "caps", "stop", "chrome", "caption", "url",
    "comment", "by_start", "date_like", "terminal", "colon_end", "bullet", "lower_start",
    "ellipsis_end", "tok_lo", "tok_hi", "line_hash",
)
(R_FIRST, R_LAST, R_WORDS, R_NONSPACE, R_ALNUM, R_DIGIT, R_UPPER, R_CJK, R_COMMA, R_AT,
 R_COPYRIGHT, R_NEEDS, R_SEPS, R_CAPS, R_STOP, R_CHROME, R_CAPTION, R_URL, R_COMMENT, R_BY,
 R_DATE, R_TERMINAL, R_COLON, R_BULLET, R_LOWER_START, R_ELLIPSIS, R_TOK_LO,
 R_TOK_HI, R_LINE_HASH) = range(len(RAW_COLUMNS))
_VOCAB_FIELDS = len(vocab.TOKEN_FIELDS)  # in the order of R_STOP..R_COMMENT
_VOCAB_BITS = vocab.TOKEN_FIELD_BITS
_COLON_ONLY = np.uint64(vocab.COLON_ONLY)

# Feature columns by name (`columns`), so reordering a tuple cannot misplace a value.
N_LINE_FEATURES = len(LINE_FEATURES)
L_LOG_CHARS = column(LINE_FEATURES, "log_chars")
L_LOG_WORDS = column(LINE_FEATURES, "log_words")
L_TERMINAL = column(LINE_FEATURES, "terminal")
L_COLON_END = column(LINE_FEATURES, "colon_end")
L_STOP_RATIO = column(LINE_FEATURES, "stop_ratio")
L_CAP_RATIO = column(LINE_FEATURES, "cap_ratio")
L_DIGIT_RATIO = column(LINE_FEATURES, "digit_ratio")
L_WORD_CHAR_RATIO = column(LINE_FEATURES, "word_char_ratio")
L_COMMA_RATE = column(LINE_FEATURES, "comma_rate")
L_SEPARATORS = column(LINE_FEATURES, "separators")
L_CHROME = column(LINE_FEATURES, "chrome")
L_REPEATED = column(LINE_FEATURES, "repeated")
L_GAP_BEFORE = column(LINE_FEATURES, "gap_before")
L_GAP_AFTER = column(LINE_FEATURES, "gap_after")
L_POSITION = column(LINE_FEATURES, "position")
L_SHORT = column(LINE_FEATURES, "short")
L_UPPER = column(LINE_FEATURES, "upper")
L_BULLET = column(LINE_FEATURES, "bullet")
L_URL = column(LINE_FEATURES, "url")
L_NO_STOP = column(LINE_FEATURES, "no_stop")
L_LONG_PROSE = column(LINE_FEATURES, "long_prose")
L_TITLE_SIM = column(LINE_FEATURES, "title_sim")
L_LOWER_START = column(LINE_FEATURES, "lower_start")
L_ELLIPSIS_END = column(LINE_FEATURES, "ellipsis_end")
L_BY_START = column(LINE_FEATURES, "by_start")
L_DATE_LIKE = column(LINE_FEATURES, "date_like")
L_CAPTION = column(LINE_FEATURES, "caption")
L_MEAN_WORD_LEN = column(LINE_FEATURES, "mean_word_len")
L_COMMENT_HEAD = column(LINE_FEATURES, "comment_head")
C_A = column(CONTEXT_FEATURES, "a")
C_A_PREV = column(CONTEXT_FEATURES, "a_prev")
C_A_NEXT = column(CONTEXT_FEATURES, "a_next")
C_A_PREV2 = column(CONTEXT_FEATURES, "a_prev2")
C_A_NEXT2 = column(CONTEXT_FEATURES, "a_next2")
C_A_WIN3 = column(CONTEXT_FEATURES, "a_win3")
C_A_WIN10 = column(CONTEXT_FEATURES, "a_win10")
C_MASS_BEFORE = column(CONTEXT_FEATURES, "mass_before")
C_MASS_AFTER = column(CONTEXT_FEATURES, "mass_after")
C_INSIDE = column(CONTEXT_FEATURES, "inside")
C_IN_SPAN = column(CONTEXT_FEATURES, "in_span")
C_BEFORE_SPAN = column(CONTEXT_FEATURES, "before_span")
C_AFTER_SPAN = column(CONTEXT_FEATURES, "after_span")
C_FIRST_STRONG_DIST = column(CONTEXT_FEATURES, "first_strong_dist")
C_LAST_STRONG_DIST = column(CONTEXT_FEATURES, "last_strong_dist")
C_NB_TERMINAL = column(CONTEXT_FEATURES, "nb_terminal")
C_RUN_LEN = column(CONTEXT_FEATURES, "run_len")
C_REL_LEN = column(CONTEXT_FEATURES, "rel_len")
C_NB_SAME_SHAPE = column(CONTEXT_FEATURES, "nb_same_shape")
C_COMMENTS_BEFORE = column(CONTEXT_FEATURES, "comments_before")
C_COMMENT_HEAD = column(CONTEXT_FEATURES, "comment_head")
C_NB_LOG_WORDS = column(CONTEXT_FEATURES, "nb_log_words")
# The +-3-line means nb_terminal .. nb_chrome fill consecutive columns from C_NB_TERMINAL,
# in the order of the `nb` columns `features` passes.
C_NB_COLUMNS = column(CONTEXT_FEATURES, "nb_chrome") - C_NB_TERMINAL + 1

_SPACE, _ALNUM, _DIGIT, _UPPER = np.uint16(cc.SPACE), np.uint16(cc.ALNUM), \
    np.uint16(cc.DIGIT), np.uint16(cc.UPPER)
_TERMINAL, _CLOSER, _CJK, _COMMA = np.uint16(cc.TERMINAL), np.uint16(cc.CLOSER), \
    np.uint16(cc.CJK), np.uint16(cc.COMMA)
_SEPARATOR, _BULLET, _COLON, _LOWER = np.uint16(cc.SEPARATOR), np.uint16(cc.BULLET), \
    np.uint16(cc.COLON), np.uint16(cc.LOWER)
_AT, _COPYRIGHT, _ODD_BREAK = np.uint16(cc.AT), np.uint16(cc.COPYRIGHT), \
    np.uint16(cc.ODD_BREAK)
_P = np.uint64(cc.P)
_OFFSET = np.uint64(cc.OFFSET)
_K = np.uint64(cc.K)


@jit
def scan_lines(  # noqa: C901 - one compiled pass; helpers would cost a call per character
        cps: np.ndarray, starts: np.ndarray, ends: np.ndarray, flags_table: np.ndarray,
        lower: np.ndarray, keys: np.ndarray, values: np.ndarray, mults: np.ndarray,
        bits: np.ndarray, by_hash: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                                 np.ndarray, np.ndarray]:
    """RAW_COLUMNS of the non-empty lines among the raw lines [starts[i], ends[i]), the
    hash of every token, and the non-empty lines' spans and whether a blank line (or
    the start/end of the text) comes before/after each."""
    n_raw = len(starts)
    out = np.zeros((n_raw, len(RAW_COLUMNS)), dtype=np.int64)
    lo, hi = np.empty(n_raw, dtype=np.int64), np.empty(n_raw, dtype=np.int64)
    gap_before, gap_after = np.empty(n_raw, dtype=np.bool_), np.empty(n_raw, dtype=np.bool_)
    hashes = np.empty(len(cps) // 2 + 1, dtype=np.uint64)
    ntok = 0
    kept = 0
    prev_empty = True  # the start of the text counts as a blank line
    m0, m1, slot_shift, filter_shift = mults[0], mults[1], mults[2], mults[3]
    for i in range(len(starts)):
        tok_lo = ntok
        first = last = -1
        words = nonspace = alnums = digits = uppers = cjk = commas = ats = copyrights = 0
        needs = seps = caps = comment_colon = by = date = 0
        packed = np.uint64(0)  # vocab counters of the line, 12-bit fields
        prev_space, in_token = True, False
        pending = 0
        h, prev1, prev2 = _OFFSET, np.uint64(0), np.uint64(0)
        line_hash = _OFFSET  # the line's tokens in order: equal lines, equal hashes
        line_tokens, tok_start, tok_digits = 0, 0, 0
        start, end = starts[i], ends[i]
        for j in range(start, end + 1):
            c = np.int64(cps[j]) if j < end else 10
            f = flags_table[c if c <= 0xFFFF else 0xFFFF]
            alnum = (f & _ALNUM) != 0
            if in_token and not alnum:  # a token ends at j
                in_token = False
                hashes[ntok] = h
                ntok += 1
                line_tokens += 1
                key = h
                for gram in range(3):  # the token, then the 2- and 3-token phrases ending at it
                    if gram == 1:
                        key = prev1 * _K + h
                    elif gram == 2:
                        key = (prev2 * _K + prev1) * _K + h
                    if gram >= line_tokens:
                        break
                    # Filtered cuckoo lookup (`vocab.cuckoo_tables`), written out here:
                    # a compiled call per token would cost more than the lookup.
                    mixed = key * m0
                    at = mixed >> filter_shift
                    if not (bits[at >> np.uint64(6)] >> (at & np.uint64(63))) & np.uint64(1):
                        continue
                    value = np.uint64(0)
                    slot = mixed >> slot_shift
                    if keys[0, slot] == key:
                        value = values[0, slot]
                    else:
                        slot = (key * m1) >> slot_shift
                        if keys[1, slot] == key:
                            value = values[1, slot]
                    if value & _COLON_ONLY:
                        value ^= _COLON_ONLY
                        if c == 58:
                            comment_colon += 1
                    packed += value
                if line_tokens == 1 and h == by_hash:
                    by = 1
                if j - tok_start == 4 and tok_digits == 4:
                    head = np.int64(cps[tok_start]) * 100 + np.int64(cps[tok_start + 1])
                    if head == 4957 or head == 5048:  # "19", "20"
                        date = 1
                prev2, prev1 = prev1, h
                line_hash = line_hash * _K + h
            if j == end:
                break
            if f & _SPACE:
                if first >= 0 and (c != 32 or prev_space):
                    pending += 1
                prev_space = True
                continue
            nonspace += 1
            if first < 0:
                first = j
            needs += pending
            pending = 0
            last = j
            if prev_space:
                words += 1
            prev_space = False
            if alnum:
                alnums += 1
                if f & _DIGIT:
                    digits += 1
                    tok_digits += 1
                if f & _UPPER:
                    uppers += 1
                if f & _CJK:
                    cjk += 1
                if not in_token:
                    in_token = True
                    h, tok_start, tok_digits = _OFFSET, j, \
                        (1 if f & _DIGIT else 0)
                    if f & _UPPER:
                        caps += 1
                h = (h ^ np.uint64(lower[c if c <= 0xFFFF else 0xFFFF])) * _P  # FNV-1a
                continue
            if f & _COMMA:
                commas += 1
            elif f & _AT:
                ats += 1
            elif f & _COPYRIGHT:
                copyrights += 1
            elif f & _SEPARATOR and (
                    j == start or flags_table[min(np.int64(cps[j - 1]), 0xFFFF)] & _SPACE) \
                    and (j + 1 >= end or flags_table[min(np.int64(cps[j + 1]), 0xFFFF)] & _SPACE):
                seps += 1
            if c == 58 and j > start and j + 2 < end and (  # a time, h:mm
                    flags_table[min(np.int64(cps[j - 1]), 0xFFFF)]
                    & flags_table[min(np.int64(cps[j + 1]), 0xFFFF)]
                    & flags_table[min(np.int64(cps[j + 2]), 0xFFFF)] & _DIGIT):
                date = 1
        if first < 0:  # a blank line
            if kept:
                gap_after[kept - 1] = True
            prev_empty = True
            continue
        k = kept
        kept += 1
        lo[k], hi[k] = start, end
        gap_before[k], gap_after[k] = prev_empty, False
        prev_empty = False
        out[k, R_FIRST], out[k, R_LAST], out[k, R_WORDS] = first, last, words
        out[k, R_NONSPACE], out[k, R_ALNUM], out[k, R_DIGIT] = nonspace, alnums, digits
        out[k, R_UPPER], out[k, R_CJK], out[k, R_COMMA], out[k, R_AT] = uppers, cjk, commas, ats
        out[k, R_COPYRIGHT], out[k, R_NEEDS], out[k, R_SEPS] = copyrights, needs, seps
        out[k, R_CAPS], out[k, R_BY], out[k, R_DATE] = caps, by, date
        for v in range(_VOCAB_FIELDS):
            out[k, R_STOP + v] = np.int64((packed >> np.uint64(v * _VOCAB_BITS))
                                          & np.uint64((1 << _VOCAB_BITS) - 1))
        out[k, R_COMMENT] += comment_colon
        out[k, R_TOK_LO], out[k, R_TOK_HI] = tok_lo, ntok
        out[k, R_LINE_HASH] = np.int64((line_hash * _K + np.uint64(line_tokens)) >> np.uint64(1))
        # How the line ends (up to 3 closing quotes/brackets skipped) and starts.
        at = last
        for _ in range(3):
            if flags_table[min(np.int64(cps[at]), 0xFFFF)] & (_CLOSER | _SPACE) and at > first:
                at -= 1
        end_flags = flags_table[min(np.int64(cps[at]), 0xFFFF)]
        if not end_flags & (_CLOSER | _SPACE):
            out[k, R_TERMINAL] = 1 if end_flags & _TERMINAL else 0
            out[k, R_COLON] = 1 if end_flags & _COLON else 0
        first_flags = flags_table[min(np.int64(cps[first]), 0xFFFF)]
        out[k, R_BULLET] = 1 if first_flags & _BULLET else 0
        out[k, R_LOWER_START] = 1 if first_flags & _LOWER else 0
        if cps[last] == 0x2026 or (last - 2 >= first and cps[last] == 46 and cps[last - 1] == 46
                                   and cps[last - 2] == 46):
            out[k, R_ELLIPSIS] = 1
    if kept:
        gap_after[kept - 1] = True  # the end of the text
    return (out[:kept], hashes[:ntok], lo[:kept], hi[:kept], gap_before[:kept],
            gap_after[:kept])


@inline
def _unique_sorted(values: np.ndarray) -> np.ndarray:
    s = np.sort(values)
    keep = np.ones(len(s), dtype=np.bool_)
    for i in range(1, len(s)):
        keep[i] = s[i] != s[i - 1]
    return s[keep]


@inline
def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted arrays of unique values."""
    i = j = common = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            common += 1
            i += 1
            j += 1
        elif a[i] < b[j]:
            i += 1
        else:
            j += 1
    union = len(a) + len(b) - common
    return common / union if union else 0.0


@jit
def title_line(hashes: np.ndarray, tok_lo: np.ndarray, tok_hi: np.ndarray, words: np.ndarray,
               scan: int) -> int:
    """First line of the top `scan` lines (4..25 words) that a later one repeats
    (token Jaccard >= 0.6), or -1.

    A page's headline usually appears twice in a dump (the <title> and the
    <h1>); a line that repeats it is title, not body.
    """
    n = min(scan, len(tok_lo))
    flat = np.empty(max(tok_hi[n - 1] - tok_lo[0], 1) if n else 1, dtype=np.uint64)
    seg_lo = np.empty(n, dtype=np.int64)
    seg_hi = np.empty(n, dtype=np.int64)
    index = np.empty(n, dtype=np.int64)
    count = used = 0
    for i in range(n):
        if words[i] < 4 or words[i] > 25 or tok_hi[i] == tok_lo[i]:
            continue
        # The line's distinct token hashes, sorted, appended to one buffer.
        size = tok_hi[i] - tok_lo[i]
        mine = flat[used:used + size]
        mine[:] = hashes[tok_lo[i]:tok_hi[i]]
        mine.sort()
        unique = 1
        for k in range(1, size):
            if mine[k] != mine[unique - 1]:
                mine[unique] = mine[k]
                unique += 1
        mine = mine[:unique]
        for k in range(count):
            if _jaccard(mine, flat[seg_lo[k]:seg_hi[k]]) >= 0.6:
                return index[k]
        seg_lo[count], seg_hi[count], index[count] = used, used + unique, i
        count += 1
        used += unique
    return -1


@jit
def title_overlap(hashes: np.ndarray, tok_lo: np.ndarray, tok_hi: np.ndarray,
                  words: np.ndarray, title: int, scan: int) -> np.ndarray:
    """Token overlap (Jaccard, counting repeats) of each top line with the title line."""
    sims = np.zeros(len(tok_lo))
    if title < 0:
        return sims
    tokens = _unique_sorted(hashes[tok_lo[title]:tok_hi[title]])
    for i in range(min(scan, len(tok_lo))):
        if words[i] >= 40:
            continue
        hits = 0
        for t in range(tok_lo[i], tok_hi[i]):
            at = np.searchsorted(tokens, hashes[t])
            if at < len(tokens) and tokens[at] == hashes[t]:
                hits += 1
        size = tok_hi[i] - tok_lo[i]
        sims[i] = hits / max(size + len(tokens) - hits, 1)
    return sims


@jit
def repeated_lines(keys: np.ndarray) -> np.ndarray:
    """1.0 for lines whose tokens (hashed in order) occur as another line's too."""
    order = np.argsort(keys)
    out = np.zeros(len(keys))
    for k in range(1, len(order)):
        if keys[order[k]] == keys[order[k - 1]]:
            out[order[k]] = 1.0
            out[order[k - 1]] = 1.0
    return out


@jit
def tree_logits(x: np.ndarray, base: float, depth: int, feature: np.ndarray,
                threshold: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Logits of gradient-boosted trees stored as complete binary trees in heap order.

    Node k's children are 2k+1 (x[feature] <= threshold) and 2k+2; the
    2**depth leaves follow the internal nodes. Each line walks four trees at
    once (independent walks the processor overlaps), branch-free, with its
    feature row and the small tree tables in the L1 cache.
    """
    n, trees = x.shape[0], feature.shape[0]
    out = np.full(n, base)
    inner = (1 << depth) - 1
    for i in range(n):
        row = x[i]
        total = 0.0
        t = 0
        while t + 3 < trees:
            p0 = p1 = p2 = p3 = 0
            for _ in range(depth):
                p0 = 2 * p0 + 2 - np.int64(row[feature[t, p0]] <= threshold[t, p0])
                p1 = 2 * p1 + 2 - np.int64(row[feature[t + 1, p1]] <= threshold[t + 1, p1])
                p2 = 2 * p2 + 2 - np.int64(row[feature[t + 2, p2]] <= threshold[t + 2, p2])
                p3 = 2 * p3 + 2 - np.int64(row[feature[t + 3, p3]] <= threshold[t + 3, p3])
            total += (value[t, p0 - inner] + value[t + 1, p1 - inner]
                      + value[t + 2, p2 - inner] + value[t + 3, p3 - inner])
            t += 4
        while t < trees:
            pos = 0
            for _ in range(depth):
                pos = 2 * pos + 2 - np.int64(row[feature[t, pos]] <= threshold[t, pos])
            total += value[t, pos - inner]
            t += 1
        out[i] += total
    return out


@jit
def line_spans(cps: np.ndarray, flags_table: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Start and end offsets of the raw lines (split at \\n), and how many other line breaks
    (\\r, U+2028, ...) the text holds."""
    breaks = odd = 0
    for j in range(len(cps)):
        if cps[j] == 10:
            breaks += 1
        elif cps[j] <= 0xFFFF and flags_table[cps[j]] & _ODD_BREAK:
            odd += 1
    starts = np.empty(breaks + 1, dtype=np.int64)
    ends = np.empty(breaks + 1, dtype=np.int64)
    starts[0] = 0
    k = 0
    for j in range(len(cps)):
        if cps[j] == 10:
            ends[k] = j
            k += 1
            starts[k] = j + 1
    ends[k] = len(cps)
    return starts, ends, odd


@jit
def line_features(raw: np.ndarray, gap_before: np.ndarray, gap_after: np.ndarray,
                  repeated: np.ndarray, title_sim: np.ndarray) -> np.ndarray:
    """`features.LINE_FEATURES` of each kept line from its RAW_COLUMNS row."""
    n = raw.shape[0]
    x = np.zeros((n, N_LINE_FEATURES))
    for i in range(n):
        r = raw[i]
        words = max(r[R_WORDS], 1) + r[R_CJK] / 2.0  # CJK: ~2 characters a word
        chars = r[R_NONSPACE] + max(r[R_WORDS] - 1, 0)
        row = x[i]
        row[L_LOG_CHARS] = np.log1p(chars)
        row[L_LOG_WORDS] = np.log1p(words)
        row[L_TERMINAL] = r[R_TERMINAL]
        row[L_COLON_END] = r[R_COLON]
        row[L_STOP_RATIO] = r[R_STOP] / words
        row[L_CAP_RATIO] = r[R_CAPS] / words
        row[L_DIGIT_RATIO] = r[R_DIGIT] / chars
        row[L_WORD_CHAR_RATIO] = r[R_ALNUM] / chars
        row[L_COMMA_RATE] = r[R_COMMA] / words
        row[L_SEPARATORS] = r[R_SEPS]
        row[L_CHROME] = min(r[R_CHROME] + r[R_COPYRIGHT], 1)
        row[L_REPEATED] = repeated[i]
        row[L_GAP_BEFORE] = gap_before[i]
        row[L_GAP_AFTER] = gap_after[i]
        row[L_POSITION] = i / max(n - 1, 1)
        row[L_SHORT] = words <= 3
        row[L_UPPER] = r[R_UPPER] == r[R_ALNUM] - r[R_DIGIT] and r[R_UPPER] >= 4
        row[L_BULLET] = r[R_BULLET]
        row[L_URL] = r[R_URL] + r[R_AT] > 0
        row[L_NO_STOP] = r[R_STOP] == 0
        row[L_LONG_PROSE] = words >= 15 and r[R_TERMINAL] > 0
        row[L_TITLE_SIM] = title_sim[i]
        row[L_LOWER_START] = r[R_LOWER_START]
        row[L_ELLIPSIS_END] = r[R_ELLIPSIS]
        row[L_BY_START] = r[R_BY] if r[R_TOK_HI] - r[R_TOK_LO] >= 2 else 0
        row[L_DATE_LIKE] = r[R_DATE]
        row[L_CAPTION] = min(r[R_CAPTION], 1)
        row[L_MEAN_WORD_LEN] = min(r[R_ALNUM] / words, 20.0)
        row[L_COMMENT_HEAD] = r[R_COMMENT] > 0 and words <= 12
    return x


@jit
def best_span(weights: np.ndarray) -> tuple[int, int]:
    """[start, end) of the contiguous run of lines with the largest weight sum.

    Kadane's maximum-subarray problem (Bentley, Programming Pearls, column 8):
    the best end is where the prefix sum rises most above its running minimum.
    """
    csum = 0.0
    low, low_at = 0.0, 0
    best, best_start, best_end = 0.0, 0, 0
    for i in range(len(weights)):
        csum += weights[i]
        if csum <= low:
            low, low_at = csum, i + 1
        if csum - low > best:
            best, best_start, best_end = csum - low, low_at, i + 1
    return best_start, best_end


@inline
def _window_mean(values: np.ndarray, k: int, out: np.ndarray) -> None:
    """out[i] = mean of values[i-k .. i+k] (clipped at the ends), excluding values[i]."""
    n = len(values)
    csum = np.zeros(n + 1)
    for i in range(n):
        csum[i + 1] = csum[i] + values[i]
    for i in range(n):
        lo, hi = max(i - k, 0), min(i + k + 1, n)
        out[i] = (csum[hi] - csum[lo] - values[i]) / max(hi - lo - 1, 1)


@jit
def context_rows(  # noqa: C901 - one compiled pass over the lines
        a: np.ndarray, x: np.ndarray, cols: np.ndarray, nb: np.ndarray,
        copy_from: np.ndarray, copy_to: np.ndarray, width: int) -> np.ndarray:
    """`features.CONTEXT_FEATURES` from first-stage logits `a` and the line matrix `x`.

    `cols` holds the line-matrix columns of log_chars, log_words, terminal,
    gap_before, comment_head; `nb` the five columns averaged over +-3 lines
    (output columns nb_terminal .. nb_chrome); `copy_from` -> `copy_to` the columns copied as
    they are.
    """
    n = len(a)
    out = np.zeros((n, width))
    if n == 0:
        return out
    log_chars, log_words, terminal = x[:, cols[0]], x[:, cols[1]], x[:, cols[2]]
    p = 1.0 / (1.0 + np.exp(-a))
    chars = np.expm1(log_chars)
    mass = p * chars * (p > 0.5)
    total = mass.sum()
    if total == 0.0:
        total = 1.0
    start, end = best_span((p - 0.5) * np.sqrt(chars))
    first, last = n, -1
    for i in range(n):
        if p[i] > 0.8:
            last = i
            if first == n:
                first = i
    running = 0.0
    comments = 0.0
    run = np.zeros(n, dtype=np.int64)
    for i in range(1, n):
        run[i] = run[i - 1] + (1 if x[i, cols[3]] > 0 else 0)
    if x[0, cols[3]] > 0:
        run += 1
    sizes = np.bincount(run)
    for i in range(n):
        row = out[i]
        row[C_A] = a[i]
        row[C_A_PREV] = a[max(i - 1, 0)]
        row[C_A_NEXT] = a[min(i + 1, n - 1)]
        row[C_A_PREV2] = a[max(i - 2, 0)]
        row[C_A_NEXT2] = a[min(i + 2, n - 1)]
        before = running / total
        running += mass[i]
        row[C_MASS_BEFORE] = before
        row[C_MASS_AFTER] = 1.0 - before - mass[i] / total
        row[C_INSIDE] = min(row[C_MASS_BEFORE], row[C_MASS_AFTER])
        row[C_IN_SPAN] = start <= i < end
        row[C_BEFORE_SPAN] = min(max((start - i) / 10.0, 0.0), 3.0)
        row[C_AFTER_SPAN] = min(max((i - end + 1) / 10.0, 0.0), 3.0)
        row[C_FIRST_STRONG_DIST] = min(max((first - i) / 10.0, -3.0), 3.0)
        row[C_LAST_STRONG_DIST] = min(max((i - last) / 10.0, -3.0), 3.0)
        row[C_RUN_LEN] = np.log1p(sizes[run[i]])
        same = 0.0
        for k in (i - 1, i - 2, i + 1, i + 2):
            o = min(max(k, 0), n - 1)
            if abs(log_words[o] - log_words[i]) < 0.35 and terminal[o] == terminal[i]:
                same += 1.0
        row[C_NB_SAME_SHAPE] = same / 4.0
        comments += x[i, cols[4]]
        row[C_COMMENTS_BEFORE] = np.log1p(comments)
        row[C_COMMENT_HEAD] = x[i, cols[4]]
        for k in range(len(copy_from)):
            row[copy_to[k]] = x[i, copy_from[k]]
    _window_mean(a, 3, out[:, C_A_WIN3])
    _window_mean(a, 10, out[:, C_A_WIN10])
    for k in range(C_NB_COLUMNS):
        _window_mean(x[:, nb[k]], 3, out[:, C_NB_TERMINAL + k])
    out[:, C_REL_LEN] = log_words - out[:, C_NB_LOG_WORDS]
    return out


@jit
def line_matrix(raw: np.ndarray, hashes: np.ndarray, gap_before: np.ndarray,
                gap_after: np.ndarray, scan: int) -> np.ndarray:
    """`features.LINE_FEATURES` of a page's lines."""
    tok_lo, tok_hi, words = raw[:, R_TOK_LO], raw[:, R_TOK_HI], raw[:, R_WORDS]
    title = title_line(hashes, tok_lo, tok_hi, words, scan)
    sims = title_overlap(hashes, tok_lo, tok_hi, words, title, scan)
    repeated = repeated_lines(raw[:, R_LINE_HASH].copy())
    return line_features(raw, gap_before, gap_after, repeated, sims)


@jit
def page_logits(x: np.ndarray, w: np.ndarray, b: float, cols: np.ndarray, nb: np.ndarray,
                copy_from: np.ndarray, copy_to: np.ndarray, width: int, base: float,
                depth: int, feature: np.ndarray, threshold: np.ndarray,
                value: np.ndarray) -> np.ndarray:
    """Both scoring stages in one call: a linear first stage (weights folded with the
    standardisation), its context features, then the trees."""
    n = x.shape[0]
    a = np.full(n, b)
    for i in range(n):
        for k in range(x.shape[1]):
            a[i] += x[i, k] * w[k]
    return tree_logits(context_rows(a, x, cols, nb, copy_from, copy_to, width), base, depth,
                       feature, threshold, value)


@jit
def kinds(keep: np.ndarray, words: np.ndarray, terminal: np.ndarray, digits: np.ndarray,
          lookback: int) -> np.ndarray:
    """1 (h2) for a short kept line without final punctuation inside the body, 2 (h1)
    for the title-like dropped line just above the body, else 0."""
    n = len(keep)
    out = np.zeros(n, dtype=np.int8)
    first, last = -1, -1
    for i in range(n):
        if keep[i]:
            last = i
            if first < 0:
                first = i
    if first < 0:
        return out
    for i in range(first + 1, last):
        if keep[i] and terminal[i] == 0 and 1 <= words[i] <= 15:
            out[i] = 1
    for i in range(first - 1, max(first - lookback, 0) - 1, -1):
        if 4 <= words[i] <= 30 and terminal[i] == 0 and digits[i] < 0.05 and not keep[i]:
            out[i] = 2
            break
    return out


@jit
def line_probabilities(logits: np.ndarray, first: np.ndarray,
                       last: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each line's probability, its score in hundredths (floored, for the reasons) and
    its length (`first`..`last`, the raw columns `R_FIRST`, `R_LAST`)."""
    n = len(logits)
    prob = 1.0 / (1.0 + np.exp(-logits))
    cents = np.empty(n, dtype=np.int64)
    chars = np.empty(n, dtype=np.int64)
    for i in range(n):
        cents[i] = int(np.floor(prob[i] * 100))  # floor: 0.499 reads "0.49 <"
        chars[i] = last[i] - first[i] + 1
    return prob, cents, chars


@jit
def kept_count(keep: np.ndarray, chars: np.ndarray) -> tuple[int, int]:
    """How many lines `keep` keeps and their characters (a text rung's figures)."""
    count, total = 0, 0
    for i in range(len(keep)):
        if keep[i]:
            count += 1
            total += chars[i]
    return count, total


@jit
def page_statistics(x: np.ndarray, logits: np.ndarray, mean_cols: np.ndarray, words_col: int,
                    prose_col: int, terminal_col: int, short_col: int,
                    threshold: float) -> np.ndarray:
    """`text.pagetype.PAGE_FEATURES` of one dump in one pass over its lines: the means of
    the `mean_cols` line columns, then log lines, log words, the share of words in prose,
    terminal and short lines, the share of words the scorer keeps (p >= `threshold`), log
    kept lines, the prose share of the kept words, kept lines over their span, mean p."""
    n, m = x.shape[0], len(mean_cols)
    out = np.zeros(m + 10)
    if n == 0:
        return out
    total = prose = terminal = short = kept_words = kept_prose = p_sum = 0.0
    kept, first, last = 0, -1, -1
    for i in range(n):
        for k in range(m):
            out[k] += x[i, mean_cols[k]]
        words = max(np.expm1(x[i, words_col]), 1.0)
        total += words
        is_prose = x[i, prose_col] > 0
        if is_prose:
            prose += words
        if x[i, terminal_col] > 0:
            terminal += words
        if x[i, short_col] > 0:
            short += words
        p = 1.0 / (1.0 + np.exp(-logits[i]))
        p_sum += p
        if p >= threshold:
            kept += 1
            kept_words += words
            if is_prose:
                kept_prose += words
            if first < 0:
                first = i
            last = i
    for k in range(m):
        out[k] /= n
    span = last - first + 1 if kept else 0
    out[m:] = (np.log1p(n), np.log1p(total), prose / total, terminal / total, short / total,
               kept_words / total, np.log1p(kept), kept_prose / max(kept_words, 1.0),
               kept / max(span, 1), p_sum / n)
    return out
