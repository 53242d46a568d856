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

import math
import re
from collections import Counter

import numpy as np

from copydesk.text import vocab
from copydesk.text.lines import Line

LINE_FEATURES = (
    "log_chars", "log_words", "terminal", "colon_end", "stop_ratio", "cap_ratio",
    "digit_ratio", "word_char_ratio", "comma_rate", "separators", "chrome", "repeated",
    "gap_before", "gap_after", "position", "short", "upper", "bullet", "url", "no_stop",
    "long_prose", "title_sim",
)

_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
_BULLET = re.compile(r"^(?:[-*•·▪►>]|\d{1,2}[.)])\s")
_URLISH = re.compile(r"https?://|www\.|\S@\S|\.com\b")


def _is_terminal(text: str, terminal: str, closers: str) -> float:
    end = text.rstrip(closers)
    return 1.0 if end and end[-1] in terminal else 0.0


def line_row(line: Line, stop: frozenset[str], repeat: int, pos: float) -> list[float]:
    """The LINE_FEATURES of one line (title_sim is filled in later)."""
    text = line.text
    tokens = _WORD.findall(text)
    cjk = len(_CJK.findall(text)) if not text.isascii() else 0
    words = max(len(tokens), 1) + cjk / 2.0  # CJK: ~2 characters a word
    n = len(text)
    stops = sum(1 for t in tokens if t.lower() in stop)
    caps = sum(1 for t in tokens if t[0].isupper())
    word_chars = sum(len(t) for t in tokens)
    terminal = _is_terminal(text, vocab.terminal_chars(), vocab.closer_chars())
    low = text.lower()
    return [
        math.log1p(n),
        math.log1p(words),
        terminal,
        1.0 if text.endswith(":") else 0.0,
        stops / words,
        caps / max(len(tokens), 1),
        len(_DIGIT.findall(text)) / n,
        word_chars / n,
        (text.count(",") + text.count("，") + text.count("、")) / words,
        float(len(vocab.separator_pattern().findall(text))),
        1.0 if vocab.chrome_pattern().search(low) else 0.0,
        1.0 if repeat > 1 else 0.0,
        float(line.gap_before),
        float(line.gap_after),
        pos,
        1.0 if words <= 3 else 0.0,
        1.0 if text.isupper() else 0.0,
        1.0 if _BULLET.match(text) else 0.0,
        1.0 if _URLISH.search(low) else 0.0,
        1.0 if stops == 0 else 0.0,
        1.0 if words >= 15 and terminal else 0.0,
        0.0,
    ]


def line_matrix(lines: list[Line]) -> np.ndarray:
    """One row of LINE_FEATURES per line."""
    stop = vocab.stop_words()
    counts = Counter(line.text for line in lines)
    n = max(len(lines) - 1, 1)
    rows = [line_row(line, stop, counts[line.text], i / n) for i, line in enumerate(lines)]
    matrix = np.array(rows, dtype=np.float64).reshape(len(lines), len(LINE_FEATURES))
    matrix[:, LINE_FEATURES.index("title_sim")] = title_similarity(lines)
    return matrix


def title_similarity(lines: list[Line]) -> np.ndarray:
    """Word overlap of each line with the best title-like line repeated elsewhere.

    A page's headline usually appears twice in a dump (the <title> and the
    <h1>) and its words recur in the lead; a line that repeats it is title,
    not body. Cheap: only lines of 4..25 words are compared.
    """
    sims = np.zeros(len(lines))
    cand = [(i, frozenset(w.lower() for w in _WORD.findall(ln.text)))
            for i, ln in enumerate(lines[:200]) if 4 <= ln.text.count(" ") + 1 <= 25]
    best: frozenset[str] = frozenset()
    for j, (_, a) in enumerate(cand):
        for _, b in cand[j + 1: j + 40]:
            if a and b and len(a & b) / len(a | b) >= 0.6:
                best = a
                break
        if best:
            break
    if not best:
        return sims
    for i, ln in enumerate(lines):
        if ln.text.count(" ") < 40:
            words = {w.lower() for w in _WORD.findall(ln.text)}
            if words:
                sims[i] = len(words & best) / len(words | best)
    return sims


CONTEXT_FEATURES = (
    "a", "a_prev", "a_next", "a_prev2", "a_next2", "a_win3", "a_win10",
    "mass_before", "mass_after", "inside", "in_span", "before_span", "after_span",
    "first_strong_dist", "last_strong_dist",
    "nb_terminal", "nb_log_words", "nb_short", "nb_gap", "nb_chrome",
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
        *(col[name] for name in _OWN),
    ]
    return np.stack(cols, axis=1)
