"""Column names of text mode's two feature matrices, in column order.

One place for both the compiled loops (`kernels`, which write each column by
its name's position) and the Python side (`features`, `decide`, `scorer`,
which check the shipped weights against these names on load).
"""

from __future__ import annotations

LINE_FEATURES = (
    "log_chars", "log_words", "terminal", "colon_end", "stop_ratio", "cap_ratio",
    "digit_ratio", "word_char_ratio", "comma_rate", "separators", "chrome", "repeated",
    "gap_before", "gap_after", "position", "short", "upper", "bullet", "url", "no_stop",
    "long_prose", "title_sim", "lower_start", "ellipsis_end", "by_start", "date_like",
    "caption", "mean_word_len", "comment_head",
)

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


def column(names: tuple[str, ...], name: str) -> int:
    """Position of `name` in a feature tuple (ValueError when absent)."""
    return names.index(name)
