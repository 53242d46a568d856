"""Line features a flattened page allows, and context features over neighbours.

Two stages, both vectorised where it pays (a page has ~250 lines and the
budget is ~1 ms per page):
- `line_matrix`: what one line says on its own: length, words, terminal
  punctuation, share of stop words, capitals, digits, chrome phrases,
  repetition within the page, blank lines around it, position;
- `context_matrix`: the first-stage score of the line and of its
  neighbours (windows of 1, 3, 10 lines), how much article mass lies before
  and after it (a short line between two stretches of prose is a subheading
  or a short paragraph; the same line above all prose is chrome or the
  title), and its similarity to the title-like lines.
Column names are kept beside the matrices: the trained weights are stored
by name and checked on load.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from copydesk.text import charclass, vocab
from copydesk.text.lines import Lines

LINE_FEATURES = (
    "log_chars", "log_words", "terminal", "colon_end", "stop_ratio", "cap_ratio",
    "digit_ratio", "word_char_ratio", "comma_rate", "separators", "chrome", "repeated",
    "gap_before", "gap_after", "position", "short", "upper", "bullet", "url", "no_stop",
    "long_prose", "title_sim", "lower_start", "ellipsis_end", "by_start", "date_like",
    "caption", "mean_word_len", "comment_head",
)

_URL_MARKERS = ("http", "www.", "@", ".com")
# Photo captions and credits, in the languages of the dev corpora' captions.
_CAPTION_MARKERS = ("photo", "image", "credit", "getty", "shutterstock", "/ap", "(ap",
                    "afp", "reuters/", "caption", "foto", "file photo")


def _per_line(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sum of `values` from each line start to the next (blank lines add nothing)."""
    if len(values) == 0:
        return np.zeros(len(starts))
    return np.add.reduceat(values, starts).astype(np.float64)


def _date_marks(cps: np.ndarray, digit: np.ndarray) -> np.ndarray:
    """True where a year (19xx/20xx, not inside a longer number) or a time (h:mm) starts."""
    n = len(cps)
    if n < 5:
        return np.zeros(n, dtype=bool)
    pad = np.concatenate(([False], digit, [False] * 4))
    d = [pad[1 + k: 1 + k + n] for k in range(5)]  # digit at i, i+1, .., i+4
    c = np.concatenate((cps, np.zeros(4, dtype=cps.dtype)))
    century = ((c[:n] == 0x31) & (c[1:n + 1] == 0x39)) | ((c[:n] == 0x32) & (c[1:n + 1] == 0x30))
    year = ~pad[:n] & d[0] & d[1] & d[2] & d[3] & ~d[4] & century
    time = d[0] & (c[1:n + 1] == 0x3A) & d[2] & d[3]
    return year | time


class _Chars:
    """Per-line character counts of a page, computed in one vectorised pass."""

    def __init__(self, lines: Lines) -> None:
        cps = charclass.codepoints(lines.text)
        flags = charclass.flags_of(cps)
        starts = lines.starts
        space = (flags & charclass.SPACE) > 0
        prev_space = np.concatenate(([True], space[:-1]))
        next_space = np.concatenate((space[1:], [True]))
        word_start = ~space & prev_space
        self.word_start_at = np.flatnonzero(word_start)
        self.words = _per_line(word_start.astype(np.int32), starts)
        self.nonspace = _per_line((~space).astype(np.int32), starts)
        self.alnum = _per_line((flags & charclass.ALNUM) > 0, starts)
        self.digits = _per_line((flags & charclass.DIGIT) > 0, starts)
        self.upper = _per_line((flags & charclass.UPPER) > 0, starts)
        self.caps = _per_line(word_start & ((flags & charclass.UPPER) > 0), starts)
        self.cjk = _per_line((flags & charclass.CJK) > 0, starts)
        self.commas = _per_line((flags & charclass.COMMA) > 0, starts)
        self.seps = _per_line(((flags & charclass.SEPARATOR) > 0) & prev_space & next_space,
                              starts)
        self.terminal, self.colon = self._line_end(flags, space, lines)
        first = flags[lines.starts + (self._first_offsets(space, lines))]
        self.bullet = ((first & charclass.BULLET) > 0).astype(np.float64)
        self.lower_start = ((first & charclass.LOWER) > 0).astype(np.float64)
        self.date_like = _per_line(_date_marks(cps, (flags & charclass.DIGIT) > 0), starts) > 0

    @staticmethod
    def _line_end(flags: np.ndarray, space: np.ndarray, lines: Lines) -> tuple[
            np.ndarray, np.ndarray]:
        """Does the line end (closing quotes/brackets skipped) in terminal punctuation / ':'?"""
        idx = np.arange(len(flags))
        body = ~space & ((flags & charclass.CLOSER) == 0)
        last = np.maximum.accumulate(np.where(body, idx, -1))
        at = last[lines.ends - 1]
        valid = at >= lines.starts
        end_flags = flags[np.maximum(at, 0)]
        terminal = valid & ((end_flags & charclass.TERMINAL) > 0)
        colon = valid & ((end_flags & charclass.COLON) > 0)
        return terminal.astype(np.float64), colon.astype(np.float64)

    @staticmethod
    def _first_offsets(space: np.ndarray, lines: Lines) -> np.ndarray:
        """Offset of the first non-space character of each line from its start."""
        idx = np.arange(len(space))
        nxt = np.minimum.accumulate(np.where(~space, idx, len(space))[::-1])[::-1]
        return np.minimum(nxt[lines.starts], lines.ends - 1) - lines.starts


def _stop_counts(lines: Lines, chars: _Chars) -> np.ndarray:
    """Stop words per line: one whitespace split of the lower-cased page."""
    stop = vocab.stop_words()
    low = lines.text.lower()
    words = low.split()
    if len(words) != len(chars.word_start_at):  # lower() changed a character; rare
        return np.array([sum(map(stop.__contains__, t.lower().split())) for t in lines.texts],
                        dtype=np.float64)
    hits = np.fromiter(map(stop.__contains__, words), dtype=bool, count=len(words))
    owner = np.searchsorted(lines.starts, chars.word_start_at, side="right") - 1
    return np.bincount(owner[hits], minlength=len(lines)).astype(np.float64)


def _phrase_lines(low: str, phrases: tuple[str, ...], starts: np.ndarray) -> np.ndarray:
    """1.0 for lines containing one of `phrases` at a word start (str.find: C speed)."""
    hits: list[int] = []
    for phrase in phrases:
        pos = low.find(phrase)
        while pos >= 0:
            if pos == 0 or not low[pos - 1].isalnum():
                hits.append(pos)
            pos = low.find(phrase, pos + 1)
    out = np.zeros(len(starts))
    if hits:
        out[np.searchsorted(starts, np.array(hits), side="right") - 1] = 1.0
    return np.maximum(out, 0.0)


def line_matrix(lines: Lines) -> np.ndarray:
    """One row of LINE_FEATURES per non-empty line."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(LINE_FEATURES)))
    c = _Chars(lines)
    words = np.maximum(c.words, 1.0) + c.cjk / 2.0  # CJK: ~2 characters a word
    chars = c.nonspace + np.maximum(c.words - 1, 0)
    stops = _stop_counts(lines, c)
    low = lines.text.lower()
    if len(low) != len(lines.text):
        low = lines.text
    counts = Counter(lines.texts)
    repeated = np.fromiter((counts[t] > 1 for t in lines.texts), dtype=np.float64, count=n)
    cols = {
        "log_chars": np.log1p(chars), "log_words": np.log1p(words), "terminal": c.terminal,
        "colon_end": c.colon, "stop_ratio": stops / words, "cap_ratio": c.caps / words,
        "digit_ratio": c.digits / chars, "word_char_ratio": c.alnum / chars,
        "comma_rate": c.commas / words, "separators": c.seps,
        "chrome": _phrase_lines(low, vocab.chrome_phrases(), lines.starts),
        "repeated": repeated, "gap_before": lines.gap_before.astype(np.float64),
        "gap_after": lines.gap_after.astype(np.float64),
        "position": np.arange(n) / max(n - 1, 1), "short": (words <= 3).astype(np.float64),
        "upper": ((c.upper == c.alnum - c.digits) & (c.upper >= 4)).astype(np.float64),
        "bullet": c.bullet, "url": _phrase_lines(low, _URL_MARKERS, lines.starts),
        "no_stop": (stops == 0).astype(np.float64),
        "long_prose": ((words >= 15) & (c.terminal > 0)).astype(np.float64),
        "title_sim": title_similarity(lines.texts),
        "lower_start": c.lower_start,
        "ellipsis_end": np.fromiter((t.endswith(("...", "…")) for t in lines.texts),
                                    dtype=np.float64, count=n),
        "by_start": np.fromiter((t[:3].lower() == "by " for t in lines.texts), dtype=np.float64,
                                count=n),
        "date_like": c.date_like.astype(np.float64),
        "caption": _phrase_lines(low, _CAPTION_MARKERS, lines.starts),
        "mean_word_len": np.minimum(c.alnum / words, 20.0),
        "comment_head": _phrase_lines(low, vocab.comment_markers(), lines.starts)
        * (words <= 12),
    }
    return np.stack([cols[name] for name in LINE_FEATURES], axis=1)


_TITLE_SCAN = 100  # the title appears near the top of a dump


def title_similarity(texts: list[str]) -> np.ndarray:
    """Word overlap of each line with the title-like line that repeats near the top.

    A page's headline usually appears twice in a dump (the <title> and the
    <h1>); a line that repeats it is title, not body. Candidates (4..25
    words, first lines) are bucketed by their longest word so only likely
    pairs are compared (linear, not quadratic).
    """
    sims = np.zeros(len(texts))
    best = _repeated_title(texts[:_TITLE_SCAN])
    if not best:
        return sims
    for i, text in enumerate(texts[:_TITLE_SCAN]):
        if text.count(" ") < 40:
            words = set(text.lower().split())
            sims[i] = len(words & best) / len(words | best)
    return sims


def _repeated_title(texts: list[str]) -> frozenset[str]:
    buckets: dict[str, list[frozenset[str]]] = {}
    for text in texts:
        if not 3 <= text.count(" ") <= 24:
            continue
        words = frozenset(text.lower().split())
        key = max(words, key=len)
        for other in buckets.get(key, ()):
            if len(words & other) / len(words | other) >= 0.6:
                return other
        buckets.setdefault(key, []).append(words)
    return frozenset()


CONTEXT_FEATURES = (
    "a", "a_prev", "a_next", "a_prev2", "a_next2", "a_win3", "a_win10",
    "mass_before", "mass_after", "inside", "in_span", "before_span", "after_span",
    "first_strong_dist", "last_strong_dist",
    "nb_terminal", "nb_log_words", "nb_short", "nb_gap", "nb_chrome",
    "run_len", "rel_len", "nb_same_shape", "lower_start", "ellipsis_end", "by_start",
    "date_like", "caption", "comments_before", "comment_head",
    "log_words", "terminal", "short", "title_sim", "position", "chrome", "repeated",
    "cap_ratio", "stop_ratio", "gap_before", "bullet", "separators",
)
_OWN = ("log_words", "terminal", "short", "title_sim", "position", "chrome", "repeated",
        "cap_ratio", "stop_ratio", "gap_before", "bullet", "separators")


def _window_mean(values: np.ndarray, k: int) -> np.ndarray:
    """Mean of values[i-k .. i+k] (clipped at the ends), excluding i."""
    n = len(values)
    csum = np.concatenate(([0.0], np.cumsum(values)))
    idx = np.arange(n)
    lo, hi = np.maximum(idx - k, 0), np.minimum(idx + k + 1, n)
    total = csum[hi] - csum[lo] - values
    return total / np.maximum(hi - lo - 1, 1)


def _shift(values: np.ndarray, k: int) -> np.ndarray:
    """values[i-k] (k > 0) or values[i+|k|] (k < 0), edge-padded."""
    if k > 0:
        return np.concatenate((np.repeat(values[:1], k), values[:-k]))[: len(values)]
    k = -k
    return np.concatenate((values[k:], np.repeat(values[-1:], k)))[-len(values):]


def _run_lengths(gap_before: np.ndarray) -> np.ndarray:
    """log1p of the number of lines in the run (no blank line between) holding each line."""
    run_id = np.cumsum(gap_before > 0)
    sizes = np.bincount(run_id)
    return np.log1p(sizes[run_id].astype(np.float64))


def _same_shape(log_words: np.ndarray, terminal: np.ndarray) -> np.ndarray:
    """Share of the 4 nearest lines with about the same length and ending: list items."""
    total = np.zeros(len(log_words))
    for k in (1, 2, -1, -2):
        other_w, other_t = _shift(log_words, k), _shift(terminal, k)
        total += (np.abs(other_w - log_words) < 0.35) & (other_t == terminal)
    return total / 4.0


def best_span(weights: np.ndarray) -> tuple[int, int]:
    """[start, end) of the contiguous run of lines with the largest weight sum.

    Kadane's maximum-subarray problem, vectorised with a running minimum of
    the prefix sums (Bentley, Programming Pearls, column 8).
    """
    csum = np.concatenate(([0.0], np.cumsum(weights)))
    low = np.minimum.accumulate(csum)
    is_new_low = csum <= low
    low_at = np.maximum.accumulate(np.where(is_new_low, np.arange(len(csum)), 0))
    gain = csum - low
    end = int(np.argmax(gain))
    return int(low_at[end]), end


def context_matrix(a: np.ndarray, lines_x: np.ndarray) -> np.ndarray:
    """CONTEXT_FEATURES from first-stage logits `a` and the line matrix."""
    n = len(a)
    if n == 0:
        return np.zeros((0, len(CONTEXT_FEATURES)))
    col = {name: lines_x[:, i] for i, name in enumerate(LINE_FEATURES)}
    p = 1.0 / (1.0 + np.exp(-a))
    chars = np.expm1(col["log_chars"])
    mass = p * chars * (p > 0.5)
    total = mass.sum() or 1.0
    before = (np.cumsum(mass) - mass) / total
    after = 1.0 - before - mass / total
    start, end = best_span((p - 0.5) * np.sqrt(chars))
    idx = np.arange(n)
    strong = np.flatnonzero(p > 0.8)
    first = strong[0] if len(strong) else n
    last = strong[-1] if len(strong) else -1
    cols = [
        a, _shift(a, 1), _shift(a, -1), _shift(a, 2), _shift(a, -2),
        _window_mean(a, 3), _window_mean(a, 10),
        before, after, np.minimum(before, after),
        ((idx >= start) & (idx < end)).astype(np.float64),
        np.clip((start - idx) / 10.0, 0, 3), np.clip((idx - end + 1) / 10.0, 0, 3),
        np.clip((first - idx) / 10.0, -3, 3), np.clip((idx - last) / 10.0, -3, 3),
        _window_mean(col["terminal"], 3), _window_mean(col["log_words"], 3),
        _window_mean(col["short"], 3), _window_mean(col["gap_before"], 3),
        _window_mean(col["chrome"], 3),
        _run_lengths(col["gap_before"]), col["log_words"] - _window_mean(col["log_words"], 3),
        _same_shape(col["log_words"], col["terminal"]),
        col["lower_start"], col["ellipsis_end"], col["by_start"], col["date_like"],
        col["caption"], np.log1p(np.cumsum(col["comment_head"])), col["comment_head"],
        *(col[name] for name in _OWN),
    ]
    return np.stack(cols, axis=1)
