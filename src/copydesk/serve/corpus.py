"""The corpus view's index: output rows in an embedded SQLite database with FTS5.

Why SQLite FTS5: it ships inside Python's `sqlite3` (no server, no download,
works offline), and an FTS5 index answers a word query over 100,000 article
bodies in milliseconds (see `copydesk.serve.bench`). DuckDB's `fts` extension,
by contrast, is downloaded on first use, which we cannot do offline.

The database lives in a temporary file so a large corpus sits in the page
cache rather than in the process heap; it is deleted with the index.
Rows are listed in input order (file order, then line order): deterministic,
and what a reader comparing with the output file expects.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from copydesk.serve.loaders import LoadReport, iter_rows
from copydesk.serve.vocab import DEFAULT_LIMIT, MAX_LIMIT

_SCHEMA = """
CREATE TABLE records (
  rid INTEGER PRIMARY KEY, file_no INTEGER, id TEXT, status TEXT, reason TEXT,
  site TEXT, language TEXT, day TEXT, is_dup INTEGER, title TEXT, text TEXT, row_json TEXT);
CREATE VIRTUAL TABLE fts USING fts5(title, text, content='records', content_rowid='rid',
  tokenize='unicode61 remove_diacritics 2');
"""
_INDEXES = """
CREATE INDEX by_status ON records(status, reason);
CREATE INDEX by_site ON records(site);
CREATE INDEX by_language ON records(language);
CREATE INDEX by_day ON records(day);
"""
_WORD = re.compile(r"\w+", re.UNICODE)
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"  # snippet highlight markers (private use)
_LIST_DROP = ("markdown", "explanation")  # bulky fields left out of listings


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


def fts_expression(text: str) -> str:
    """User words -> a safe FTS5 query: every word quoted (no operator injection),
    all required, the last one also matching as a prefix (search as you type)."""
    words = _WORD.findall(text)[:16]
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def site_of(row: dict[str, Any]) -> str | None:
    """The row's site: host of its url (without www.), else the site name."""
    for key in ("url", "canonical_url"):
        value = row.get(key)
        if isinstance(value, str) and "//" in value:
            host = (urlsplit(value).hostname or "").removeprefix("www.")
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
        self.files: list[LoadReport] = []

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()

    def load(self, paths: Iterable[Path]) -> list[LoadReport]:
        """Read every file (once, at start-up) and build the full-text index."""
        with self._lock:
            for path in paths:
                report = LoadReport(path=str(path))
                self._insert(len(self.files), iter_rows(path, report))
                self.files.append(report)
            self._db.executescript("INSERT INTO fts(fts) VALUES('rebuild');" + _INDEXES)
            self._db.commit()
        return self.files

    def _insert(self, file_no: int, rows: Iterable[dict[str, Any]]) -> None:
        sql = "INSERT INTO records VALUES (NULL,?,?,?,?,?,?,?,?,?,?,?)"
        self._db.executemany(sql, (_as_columns(file_no, row) for row in rows))

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM records").fetchone()[0])

    def search(self, query: Query) -> dict[str, Any]:
        """`{"rows": [...], "total": N}` for one page of matches, in input order."""
        where, params, source = _where(query)
        limit = max(1, min(int(query.limit), MAX_LIMIT))
        offset = max(0, int(query.offset))
        snippet = (f"snippet(fts, 1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', 24)"
                   if source.startswith("fts") else "substr(r.text, 1, 240)")
        with self._lock:
            total = self._db.execute(f"SELECT count(*) FROM {source} WHERE {where}", params)
            count = int(total.fetchone()[0])
            found = self._db.execute(
                f"SELECT r.rid, r.row_json, {snippet} FROM {source} WHERE {where} "
                "ORDER BY r.rid LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
        return {"rows": [_listing(rid, raw, snip) for rid, raw, snip in found], "total": count}

    def facets(self, query: Query) -> dict[str, Any]:
        """Counts by status, reason, site and language for the filtered rows."""
        out: dict[str, Any] = {}
        with self._lock:
            for column, top in (("status", 10), ("reason", 30), ("site", 50), ("language", 50)):
                # Standard faceting: a column's counts ignore its own filter, so the
                # other values stay visible and selectable.
                unfiltered: dict[str, Any] = {column: ""}
                where, params, source = _where(dataclasses.replace(query, **unfiltered))
                sql = (f"SELECT r.{column}, count(*) AS n FROM {source} WHERE {where} "
                       f"AND r.{column} IS NOT NULL GROUP BY r.{column} "
                       f"ORDER BY n DESC LIMIT {top}")
                out[column] = [[v, n] for v, n in self._db.execute(sql, params)]
            where, params, source = _where(query)
            dup_sql = f"SELECT count(*) FROM {source} WHERE {where} AND r.is_dup = 1"
            out["duplicates"] = int(self._db.execute(dup_sql, params).fetchone()[0])
        return out

    def get(self, rid: int) -> tuple[dict[str, Any], int] | None:
        """The full stored row (explanation included) and the number of its file."""
        with self._lock:
            found = self._db.execute(
                "SELECT row_json, file_no FROM records WHERE rid = ?", (rid,)).fetchone()
        if found is None:
            return None
        return json.loads(found[0]), int(found[1])


def _as_columns(file_no: int, row: dict[str, Any]) -> tuple[Any, ...]:
    day = row.get("date_published")
    return (
        file_no, _str(row.get("id")), _str(row.get("status")), reason_of(row), site_of(row),
        _str(row.get("language")), day[:10] if isinstance(day, str) else None,
        1 if row.get("dup_of") else 0, _str(row.get("title")), _str(row.get("text")),
        json.dumps(row, ensure_ascii=False, default=str),
    )


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _where(query: Query) -> tuple[str, list[Any], str]:
    """SQL condition, its parameters, and the FROM clause (FTS join when searching)."""
    clauses: list[str] = ["1=1"]
    params: list[Any] = []
    expression = fts_expression(query.q)
    source = "records AS r"
    if expression:
        source = "fts JOIN records AS r ON r.rid = fts.rowid"
        clauses.append("fts MATCH ?")
        params.append(expression)
    for column, value in (("status", query.status), ("site", query.site),
                          ("language", query.language), ("reason", query.reason)):
        if value:
            clauses.append(f"r.{column} = ?")
            params.append(value)
    if query.date_from:
        clauses.append("r.day >= ?")
        params.append(query.date_from[:10])
    if query.date_to:
        clauses.append("r.day <= ?")
        params.append(query.date_to[:10])
    if query.dups in ("only", "exclude"):
        clauses.append("r.is_dup = ?")
        params.append(1 if query.dups == "only" else 0)
    return " AND ".join(clauses), params, source


def _listing(rid: int, raw: str, snippet: str | None) -> dict[str, Any]:
    row = json.loads(raw)
    for key in _LIST_DROP:
        row.pop(key, None)
    row["rid"] = rid
    row["snippet"] = snippet or ""
    return row
