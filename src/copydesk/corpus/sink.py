"""Results arrive in any order; rows leave in input order, deduplicated and counted.

The sink holds results that finished ahead of an earlier record. The engine
bounds how far reading may run ahead of writing (`window`), so this buffer
stays small whatever the input size.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Protocol

import numpy as np

from copydesk.article import Article
from copydesk.corpus.dedup import Deduper
from copydesk.corpus.ids import IdRegistry
from copydesk.corpus.items import Provenance
from copydesk.corpus.rows import article_row, text_block
from copydesk.corpus.summary import ProgressDisplay, Summary
from copydesk.site_profile import PageKeys


class Output(Protocol):
    def write(self, row: dict[str, Any], key: str | None = None) -> None: ...
    def commit(self) -> None: ...
    def finish(self, summary_json: str) -> None: ...
    def abort(self) -> None: ...


class StreamOutput:
    """Rows to stdout as they come (no shards, no resume)."""

    def __init__(self, text_field: str | None) -> None:
        self.text_field = text_field
        self.out = sys.stdout.buffer
        self.held: dict[str, Any] | None = None  # text mode: the first article, until a second
        self.count = 0

    def write(self, row: dict[str, Any], key: str | None = None) -> None:
        if self.text_field is None:
            self._emit(json.dumps(row, ensure_ascii=False) + "\n")
            return
        self.count += 1
        if self.count == 1:  # one article alone is printed bare; several get headers
            self.held = row
            return
        if self.held is not None:
            self._emit(text_block(self.held, self.text_field, header=True))
            self.held = None
        self._emit(text_block(row, self.text_field, header=True))

    def _emit(self, data: str) -> None:
        self.out.write(data.encode("utf-8"))
        self.out.flush()

    def commit(self) -> None:
        self.out.flush()

    def finish(self, summary_json: str) -> None:
        if self.held is not None:
            self._emit(text_block(self.held, self.text_field or "text", header=False))
            self.held = None
        self.out.flush()

    def abort(self) -> None:
        return None


class RowSink(Protocol):
    """What the engines feed: results by sequence number (`OrderedSink`, or the
    template learner of `template_runs`, which keeps only the keys)."""

    next_seq: int
    summary: Summary

    def put(self, seq: int, article: Article, sig: np.ndarray | None,
            keys: PageKeys | None = None) -> None: ...

    def track(self, seq: int, prov: Provenance | None, key: str | None) -> None: ...


class OrderedSink:
    """Write results in sequence order; dedup and count each row as it is written."""

    def __init__(self, output: Output, summary: Summary, *, dedup: Deduper | None,
                 explain: bool, next_seq: int, progress: ProgressDisplay) -> None:
        self.output, self.summary, self.dedup = output, summary, dedup
        self.explain, self.next_seq, self.progress = explain, next_seq, progress
        self.buffer: dict[int, tuple[Article, np.ndarray | None]] = {}
        self.tracked: dict[int, tuple[Provenance | None, str | None]] = {}
        self.ids = IdRegistry()

    def track(self, seq: int, prov: Provenance | None, key: str | None) -> None:
        """What the reader knew of record `seq` beyond the page (stamped when written)."""
        if prov is not None or key is not None:
            self.tracked[seq] = (prov, key)

    def put(self, seq: int, article: Article, sig: np.ndarray | None,
            keys: PageKeys | None = None) -> None:
        self.buffer[seq] = (article, sig)
        while self.next_seq in self.buffer:
            self._write(*self.buffer.pop(self.next_seq), *self.tracked.pop(self.next_seq,
                                                                           (None, None)))
            self.next_seq += 1

    def _write(self, article: Article, sig: np.ndarray | None, prov: Provenance | None,
               key: str | None) -> None:
        article.id = self.ids.claim(article.id or "")
        if prov is not None:
            prov.stamp(article)
        if self.dedup is not None:
            self.dedup.mark(article, sig)
        self.output.write(article_row(article, explain=self.explain), key)
        self.summary.count(article)
        self.progress.tick()
