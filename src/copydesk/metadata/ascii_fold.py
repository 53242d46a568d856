"""Case-insensitive patterns run as case-sensitive ones on lower-cased ASCII text.

Why: sre cannot skip ahead in an IGNORECASE alternation. Each of its
alternatives starts with a case-folded literal, which sre tries in full at
every position, where a plain literal is rejected by one comparison. The
date scanner's label patterns (`vocab.PUBLISHED_RE`, `MODIFIED_RE`: ~60 words
in a dozen languages) cost about 10 us per 48-character window that way.
Most windows are ASCII. For those, the same pattern without IGNORECASE, run
on the lower-cased window, finds the same matches at the same positions in
about half the time. The same holds for the exclusion words of class lists
(`html_exclude`) and the byline cut (`people._CUT_RE`). Each user compiles
its forms on first use (`folded_on_first_use`), once per process, not at import.

Why it is the same: on an ASCII character, an IGNORECASE literal `x` matches
exactly the characters whose lower case is `x`, and the classes (`\\s`, `\\w`,
`[^\\W\\d_]`, `\\b`) do not depend on case. A non-ASCII literal of the pattern
can still match an ASCII character through sre's case equivalences (the
dotless "ı" matches "i" and "I"). Each such literal is replaced by the
alternation of itself and the lower-cased ASCII characters it matches,
found by trying all 128. `str.lower` keeps an ASCII text's length, so
positions carry over. `tests/test_metadata_fast_paths.py` compares both
forms on generated text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

_ASCII = "".join(chr(code) for code in range(128))
_INLINE_FLAGS_RE = re.compile(r"\(\?[aiLmsux-]")


def ascii_folded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The case-sensitive form of an IGNORECASE `pattern`, for lower-cased ASCII text.

    Raises ValueError for a pattern this rewrite cannot vouch for: a cased
    ASCII letter outside an escape (it would need lower-casing), inline
    flags, or a non-ASCII literal with ASCII equivalents inside a class.
    """
    source = pattern.pattern
    if not pattern.flags & re.IGNORECASE or _INLINE_FLAGS_RE.search(source):
        raise ValueError("needs an IGNORECASE pattern without inline flags")
    out: list[str] = []
    escaped = in_class = False
    for ch in source:
        if escaped:
            out.append(ch)
            escaped = False
            continue
        if ch == "\\":
            escaped = True
        elif ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        elif ch.isascii() and ch != ch.lower():
            raise ValueError(f"upper-case letter {ch!r} in the pattern")
        elif not ch.isascii() and (ch.lower() != ch or ch.upper() != ch):
            same = _ascii_equivalents(ch)
            if same:
                if in_class:
                    raise ValueError(f"{ch!r} has ASCII equivalents inside a class")
                out.append("(?:" + "|".join(map(re.escape, [ch, *same])) + ")")
                continue
        out.append(ch)
    return re.compile("".join(out), pattern.flags & ~re.IGNORECASE)


def folded_on_first_use(*patterns: re.Pattern[str]
                        ) -> Callable[[], tuple[re.Pattern[str], ...]]:
    """A function giving the `ascii_folded` forms of `patterns`, compiled at its first
    call and kept (the compile costs milliseconds: not paid at import, nor twice)."""
    @cache
    def forms() -> tuple[re.Pattern[str], ...]:
        return tuple(ascii_folded(pattern) for pattern in patterns)

    return forms


def _ascii_equivalents(ch: str) -> list[str]:
    """The lower-cased ASCII characters an IGNORECASE literal `ch` matches (one
    C call over all 128). Only cased characters are tried: sre compares an
    uncased literal as it is."""
    return sorted({c.lower() for c in re.compile(re.escape(ch), re.I).findall(_ASCII)})
