"""Line features a flattened page allows, and context features over neighbours.

Two stages, each computed for all lines of a page in one compiled loop
(`kernels`; a page has ~170 non-empty lines and the budget is ~1 ms):
- `line_matrix`: what one line says on its own: length, words, terminal
  punctuation, share of stop words, capitals, digits, chrome phrases,
  repetition within the page, blank lines around it, position, similarity
  to the headline (the line that repeats near the top). Word lists are
  matched as hashed tokens and 2-/3-token phrases (`vocab`);
- `context_matrix`: the first-stage score of the line and of its
  neighbours (1, 2, 3, 10 lines), how much article mass lies before and
  after it (a short line between two stretches of prose is a subheading or
  a short paragraph; the same line above all prose is chrome or the title),
  whether it lies in the best-scoring contiguous span, its run of lines,
  list-shaped neighbours, and comment headers above it.
Column names are kept beside the matrices: the trained weights are stored
by name and checked on load.
"""

from __future__ import annotations

import numpy as np

from copydesk.text import kernels
from copydesk.text.columns import CONTEXT_FEATURES, LINE_FEATURES
from copydesk.text.lines import Lines, split_lines

__all__ = ["CONTEXT_FEATURES", "LINE_FEATURES", "context_matrix", "line_matrix"]

_COL = {name: i for i, name in enumerate(LINE_FEATURES)}
_TITLE_SCAN = 100  # the title appears near the top of a dump


def line_matrix(lines: Lines) -> np.ndarray:
    """One row of LINE_FEATURES per non-empty line."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(LINE_FEATURES)))
    return kernels.line_matrix(lines.raw, lines.hashes, lines.gap_before, lines.gap_after,
                               _TITLE_SCAN)


def title_similarity(texts: list[str]) -> np.ndarray:
    """Similarity of each line to the title-like line that repeats near the top."""
    return line_matrix(split_lines("\n".join(texts)))[:, _COL["title_sim"]]


_OWN = ("lower_start", "ellipsis_end", "by_start", "date_like", "caption", "log_words",
        "terminal", "short", "title_sim", "position", "chrome", "repeated", "cap_ratio",
        "stop_ratio", "gap_before", "bullet", "separators")
_CTX = {name: i for i, name in enumerate(CONTEXT_FEATURES)}
_COPY_FROM = np.array([_COL[name] for name in _OWN], dtype=np.int64)
_COPY_TO = np.array([_CTX[name] for name in _OWN], dtype=np.int64)
_COLS = np.array([_COL[name] for name in ("log_chars", "log_words", "terminal", "gap_before",
                                           "comment_head")], dtype=np.int64)
# Averaged over +-3 neighbours (the line itself excluded): nb_terminal .. nb_chrome.
_NB = np.array([_COL[name] for name in ("terminal", "log_words", "short", "gap_before",
                                         "chrome")], dtype=np.int64)


def best_span(weights: np.ndarray) -> tuple[int, int]:
    """[start, end) of the contiguous run of lines with the largest weight sum."""
    start, end = kernels.best_span(np.asarray(weights, dtype=np.float64))
    return int(start), int(end)


def context_args() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """The column layout `kernels.context_rows` reads."""
    return _COLS, _NB, _COPY_FROM, _COPY_TO, len(CONTEXT_FEATURES)


def context_matrix(a: np.ndarray, lines_x: np.ndarray) -> np.ndarray:
    """CONTEXT_FEATURES from first-stage logits `a` and the line matrix."""
    return kernels.context_rows(np.ascontiguousarray(a, dtype=np.float64),
                                np.ascontiguousarray(lines_x, dtype=np.float64), _COLS, _NB,
                                _COPY_FROM, _COPY_TO, len(CONTEXT_FEATURES))
