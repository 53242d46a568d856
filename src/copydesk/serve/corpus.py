"""The corpus view's index: filters in memory, full text in embedded SQLite FTS5.

Why SQLite FTS5 for the words: it ships inside Python's `sqlite3` (no
server, no download, works offline) and returns the rows holding a word
straight from its inverted index. DuckDB's `fts` extension, by contrast, is
downloaded on first use, which we cannot do offline.

Why the filters live in numpy arrays rather than in SQL: a query is "rows
matching the words AND the filters, counted by status, reason, site and
language". Over 100,000 rows SQL joins and GROUP BYs cost hundreds of
milliseconds per query; one boolean mask per filter and a `bincount` per
facet cost about a millisecond (see `copydesk_lab.serve.bench`).

The records and the FTS index live in a temporary SQLite file, so a large
corpus sits in the page cache rather than in the process heap; only the
rows of the page shown are read back. Rows are listed in input order (file
order, then line order): deterministic, and what a reader comparing with the
output file expects.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from copydesk.normalize import host_of
from copydesk.serve.loaders import LoadReport, iter_rows
from copydesk.serve.vocab import DEFAULT_LIMIT, MAX_LIMIT

_SCHEMA = """
CREATE TABLE docs (rid INTEGER PRIMARY KEY, title TEXT, text TEXT, row_json TEXT);
CREATE VIRTUAL TABLE fts USING fts5(title, text, content='docs', content_rowid='rid',
  tokenize='unicode61 remove_diacritics 2');
"""
# scheme://[user@]host — the host of an absolute url (RFC 3986 authority), no port.
_WORD = re.compile(r"\w+\*?", re.UNICODE)
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"  # snippet highlight markers (private use)
_LIST_DROP = ("markdown", "explanation")  # bulky fields left out of listings
FACETS = ("status", "reason", "site", "language")
_FACET_TOP = {"status": 10, "reason": 30, "site": 50, "language": 50}
_HIT_CACHE = 16  # recent word queries whose matching rows are kept


@dataclass(slots=True)
class Query:
    """One corpus query: full-text words plus filters, and a page of results."""

    q: str = ""
    status: str = ""
    site: str = ""
    language: str = ""
    date_from: str = ""
    date_to: str = ""
    dups: str = ""  # "", "only" or "exclude"
    reason: str = ""
    limit: int = DEFAULT_LIMIT
    offset: int = 0


@dataclass
class _Column:
    """A categorical column: each distinct value gets a code; missing is -1."""

    values: list[str] = field(default_factory=list)
    codes: dict[str, int] = field(default_factory=dict)
    raw: list[int] = field(default_factory=list)
    array: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))

    def add(self, value: str | None) -> None:
        if value is None:
            self.raw.append(-1)
            return
        code = self.codes.get(value)
        if code is None:
            code = self.codes[value] = len(self.values)
            self.values.append(value)
        self.raw.append(code)

    def freeze(self) -> None:
        self.array = np.concatenate([self.array, np.asarray(self.raw, dtype=np.int32)])
        self.raw = []

    def equals(self, value: str) -> np.ndarray:
        return self.array == self.codes.get(value, -2)

    def counts(self, mask: np.ndarray, top: int) -> list[list[Any]]:
        """[[value, count], ...] among masked rows, most frequent first."""
        picked = self.array[mask]
        tally = np.bincount(picked[picked >= 0], minlength=len(self.values))
        order = np.argsort(-tally, kind="stable")[:top]
        return [[self.values[i], int(tally[i])] for i in order if tally[i] > 0]


def fts_expression(text: str) -> str:
    """User words -> a safe FTS5 query: every word quoted (no operator injection),
    all required; a word typed with a trailing `*` matches as a prefix.

    Prefixes are opt-in because a prefix query merges the posting lists of
    every matching term, several times slower on common words.
    """
    words = _WORD.findall(text)[:16]
    return " ".join(f'"{w.rstrip("*")}"' + ("*" if w.endswith("*") else "") for w in words)


def site_of(row: dict[str, Any]) -> str | None:
    """The row's site: host of its url (without www.), else the site name."""
    for key in ("url", "canonical_url"):
        value = row.get(key)
        host = host_of(value) if isinstance(value, str) else None
        if host:
            return host
    name = row.get("site_name")
    return name if isinstance(name, str) and name else None


def reason_of(row: dict[str, Any]) -> str | None:
    """Group key for a non-ok row: the error up to its first colon."""
    if row.get("status") == "ok":
        return None
    error = str(row.get("error") or row.get("status") or "unknown")
    return error.split(":", 1)[0].strip()[:80]


class CorpusIndex:
    """Loaded output files, searchable and filterable; safe to share across threads."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="copydesk-serve-")
        self._db = sqlite3.connect(Path(self._dir.name) / "corpus.db", check_same_thread=False)
        self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        self._lock = threading.Lock()
        self._columns = {name: _Column() for name in FACETS}
        self._day = np.zeros(0, dtype=np.int32)  # yyyymmdd of date_published, 0 if unknown
        self._dup = np.zeros(0, dtype=bool)
        self._hits: OrderedDict[str, np.ndarray] = OrderedDict()
        self.files: list[LoadReport] = []
        self.ready = threading.Event()  # cleared while `load` runs
        self.ready.set()
        self._reading: LoadReport | None = None

    def rows_read(self) -> int:
        """Rows read so far (progress while loading in the background)."""
        current = self._reading.rows if self._reading is not None else 0
        return sum(f.rows for f in self.files) + current

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()

    def load(self, paths: Iterable[Path]) -> list[LoadReport]:
        """Read every file (once, at start-up) and build the full-text index."""
        self.ready.clear()
        try:
            with self._lock:
                for path in paths:
                    self._reading = report = LoadReport(path=str(path))
                    try:
                        self._insert(iter_rows(path, report))
                    except Exception as exc:  # a bad file must not stop the others
                        report.problems = [*(report.problems or []),
                                           f"cannot read further: {type(exc).__name__}: {exc}"]
                    self.files.append(report)
                    self._reading = None
                self._db.executescript("INSERT INTO fts(fts) VALUES('rebuild');")
                self._db.commit()
                self._hits.clear()
        finally:
            self.ready.set()
        return self.files

    def _insert(self, rows: Iterable[tuple[dict[str, Any], str | None]]) -> None:
        days: list[int] = []
        dups: list[bool] = []

        def docs() -> Iterable[tuple[Any, ...]]:
            for row, raw in rows:
                for name, value in _facet_values(row).items():
                    self._columns[name].add(value)
                days.append(_day_number(row.get("date_published")))
                dups.append(bool(row.get("dup_of")))
                yield (_sqlite_text(_str(row.get("title"))), _sqlite_text(_str(row.get("text"))),
                       _sqlite_text(raw or json.dumps(row, ensure_ascii=False, default=str)))

        try:
            self._db.executemany("INSERT INTO docs VALUES (NULL,?,?,?)", docs())
        finally:  # rows read before a failure stay, columns aligned with them
            for column in self._columns.values():
                column.freeze()
            self._day = np.concatenate([self._day, np.asarray(days, dtype=np.int32)])
            self._dup = np.concatenate([self._dup, np.asarray(dups, dtype=bool)])

    def clear_cache(self) -> None:
        with self._lock:
            self._hits.clear()

    def count(self) -> int:
        return len(self._dup)

    def search(self, query: Query) -> dict[str, Any]:
        """`{"rows": [...], "total": N}` for one page of matches, in input order."""
        limit = max(1, min(int(query.limit), MAX_LIMIT))
        offset = max(0, int(query.offset))
        with self._lock:
            mask = self._mask(query)
            rids = np.flatnonzero(mask)[offset:offset + limit] + 1
            rows = self._rows([int(r) for r in rids], fts_expression(query.q))
        return {"rows": rows, "total": int(mask.sum())}

    def facets(self, query: Query) -> dict[str, Any]:
        """Counts by status, reason, site and language for the filtered rows.

        Standard faceting: a column's counts ignore its own filter, so the
        other values stay visible and selectable.
        """
        out: dict[str, Any] = {}
        with self._lock:
            for name in FACETS:
                unfiltered: dict[str, Any] = {name: ""}
                mask = self._mask(_replace(query, **unfiltered))
                out[name] = self._columns[name].counts(mask, _FACET_TOP[name])
            out["duplicates"] = int((self._mask(query) & self._dup).sum())
        return out

    def get(self, rid: int) -> tuple[dict[str, Any], int] | None:
        """The full stored row (explanation included) and its row number."""
        with self._lock:
            found = self._db.execute("SELECT row_json FROM docs WHERE rid = ?", (rid,)).fetchone()
        if found is None:
            return None
        return json.loads(found[0]), rid

    def _mask(self, query: Query) -> np.ndarray:
        """Rows passing every filter and containing every word (caller holds the lock)."""
        mask = np.ones(len(self._dup), dtype=bool)
        for name in FACETS:
            value = getattr(query, name)
            if value:
                mask &= self._columns[name].equals(value)
        if query.date_from:
            mask &= self._day >= _day_number(query.date_from)
        if query.date_to:
            mask &= (self._day <= _day_number(query.date_to)) & (self._day > 0)
        if query.dups in ("only", "exclude"):
            mask &= self._dup if query.dups == "only" else ~self._dup
        expression = fts_expression(query.q)
        if expression:
            mask &= self._word_hits(expression)
        return mask

    def _word_hits(self, expression: str) -> np.ndarray:
        """Boolean row mask of an FTS5 expression, cached for paging and facets."""
        cached = self._hits.get(expression)
        if cached is None:
            # One string from SQLite, parsed by numpy: ~10x faster than a Python
            # tuple per matching row when a word is in most of the corpus.
            found = self._db.execute("SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?",
                                     (expression,)).fetchone()[0]
            rids = (np.fromstring(found, dtype=np.int64, sep=",") if found
                    else np.zeros(0, dtype=np.int64))
            cached = np.zeros(len(self._dup), dtype=bool)
            cached[rids - 1] = True
            self._hits[expression] = cached
            while len(self._hits) > _HIT_CACHE:
                self._hits.popitem(last=False)
        self._hits.move_to_end(expression)
        return cached

    def _rows(self, rids: list[int], expression: str) -> list[dict[str, Any]]:
        if not rids:
            return []
        marks = ",".join("?" * len(rids))
        stored = dict(self._db.execute(
            f"SELECT rid, row_json FROM docs WHERE rid IN ({marks})", rids).fetchall())
        pattern = highlight_pattern(expression)
        return [_listing(rid, stored[rid], pattern) for rid in rids]


def _replace(query: Query, **changes: Any) -> Query:
    import dataclasses

    return dataclasses.replace(query, **changes)


def _facet_values(row: dict[str, Any]) -> dict[str, str | None]:
    return {"status": _str(row.get("status")), "reason": reason_of(row), "site": site_of(row),
            "language": _str(row.get("language"))}


def _day_number(value: Any) -> int:
    """'2024-01-31...' -> 20240131; anything else -> 0 (unknown)."""
    if not isinstance(value, str) or len(value) < 10:
        return 0
    digits = value[:4] + value[5:7] + value[8:10]
    return int(digits) if digits.isdigit() else 0


def _sqlite_text(value: str | None) -> str | None:
    """SQLite stores UTF-8: a lone surrogate (valid in a JSON escape, invalid as text)
    would fail the whole insert, so it becomes U+FFFD."""
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def highlight_pattern(expression: str) -> re.Pattern[str] | None:
    """Regex finding the query's words (prefix words as prefixes) in a body."""
    terms = re.findall(r'"([^"]+)"(\*?)', expression)
    if not terms:
        return None
    alternatives = [re.escape(word) + (r"\w*" if star else r"\b") for word, star in terms]
    return re.compile(r"\b(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def make_snippet(text: str, pattern: re.Pattern[str] | None, width: int = 240) -> str:
    """About `width` characters of the body around the first match, matches marked.

    Computed here rather than with FTS5's snippet(): for a prefix query
    snippet() re-merges every term sharing the prefix for each row shown.
    """
    first = pattern.search(text) if pattern is not None else None
    if pattern is None or first is None:
        return text[:width]
    start = max(0, first.start() - width // 3)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    window = text[start:start + width]
    marked = pattern.sub(lambda m: MARK_OPEN + m.group(0) + MARK_CLOSE, window)
    return ("…" if start else "") + marked + ("…" if start + width < len(text) else "")


LIST_TEXT_CHARS = 600
LIST_FIELD_CHARS = 2_000


def _listing(rid: int, raw: str, pattern: re.Pattern[str] | None) -> dict[str, Any]:
    row = json.loads(raw)
    for key in _LIST_DROP:
        row.pop(key, None)
    row["rid"] = rid
    text = str(row.pop("text", None) or "")
    row["snippet"] = make_snippet(text, pattern)
    # A listing carries the start of the body, not the body (a page of 8 rows was once
    # 92 MB of JSON): the full row is `GET /api/records/{rid}`.
    row["text"] = text[:LIST_TEXT_CHARS]
    row["text_chars"] = len(text)
    for key, value in list(row.items()):
        if isinstance(value, str) and len(value) > LIST_FIELD_CHARS:
            row[key] = value[:LIST_FIELD_CHARS] + "…"
    return row
