"""`copydesk fetch --extract`: the corpus engine on the WARC while the fetch grows it.

The fetch runs in a forked child (before the engine forks its workers, so no
process forks while another thread runs); the parent runs the corpus engine
on a live source that follows the fetch log: each page row becomes an Item
(its body read back from the WARC at the offset the row gives, with the
charset and content type of its headers and the feed/sitemap hints), each
failed page a row of its own (`fetch timeout: ...`), so every page URL has
one extracted row, in log order. Feeds, sitemaps and robots.txt give no
article row (they are in the fetch log), nor do pages not modified since
`--previous` (their article is in the earlier run's output).

Resume: the log is append-only and replayed from the start, so the engine's
own resume (skip the rows its journal committed) lines up with it.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

from copydesk.article import Record
from copydesk.corpus.ids import stable_id
from copydesk.corpus.items import Item, error_item
from copydesk.fetcher.client import HTML_TYPES
from copydesk.fetcher.model import FETCHED, NOT_MODIFIED, PAGE
from copydesk.fetcher.warcout import read_response

_WAIT = 0.05


def item_of(row: dict[str, Any], warc: str, name: str) -> Item | None:
    """The Item of one fetch-log row; None for rows that give no article row."""
    if row.get("kind") != PAGE or row.get("outcome") == NOT_MODIFIED:
        return None
    url = row.get("final_url") or row["url"]
    offset = (row.get("warc") or {}).get("response")
    source = f"{name}@{offset}" if offset is not None else f"{name}#{row['url']}"
    if row.get("outcome") != FETCHED or offset is None:
        return error_item(source, f"fetch {row.get('outcome')}: {row.get('error') or ''}".strip(),
                          url=url, date_crawled=row.get("date"))
    try:
        _, _, body = read_response(warc, offset)
    except OSError as exc:
        return error_item(source, f"cannot read the archived response: {exc}", url=url)
    ctype = row.get("content_type")
    record = Record(content=body, url=url, id=stable_id(source), source=source,
                    http_charset=row.get("charset"), date_crawled=row.get("date"),
                    input_format="html" if ctype in HTML_TYPES else None,
                    hints=row.get("hints") or None)
    return Item(record)


class LogFollower:
    """Complete lines appended to the fetch log, as they come."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.pos = 0
        self.partial = b""

    def new_rows(self) -> list[dict[str, Any]]:
        try:
            with open(self.path, "rb") as handle:
                handle.seek(self.pos)
                data = handle.read(1 << 22)
        except FileNotFoundError:
            return []
        self.pos += len(data)
        lines = (self.partial + data).split(b"\n")
        self.partial = lines.pop()
        return [json.loads(line) for line in lines if line.strip()]


def live_items(warc: str, log_path: str, running: Callable[[], bool]) -> Iterator[Item | None]:
    """Items of the fetch log while `running()`, then of what is left; None while waiting."""
    follower = LogFollower(log_path)
    name = os.path.basename(warc)
    while True:
        alive = running()  # read after this check: nothing appended later is missed
        rows = follower.new_rows()
        for row in rows:
            item = item_of(row, warc, name)
            if item is not None:
                yield item
        if not rows:
            if not alive:
                return
            time.sleep(_WAIT)
            yield None


class FetchChild:
    """The forked fetch process; dies with the parent (PR_SET_PDEATHSIG)."""

    def __init__(self, target: Callable[[], int]) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:
            _die_with_parent()
            code = 1
            try:
                code = target()
            finally:
                sys.stderr.flush()
                os._exit(code)
        self.status: int | None = None

    def running(self) -> bool:
        if self.status is None:
            pid, raw = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(raw)
        return self.status is None

    def stop(self, signum: int = signal.SIGTERM) -> None:
        if self.running():
            os.kill(self.pid, signum)

    def wait(self) -> int:
        if self.status is None:
            _, raw = os.waitpid(self.pid, 0)
            self.status = os.waitstatus_to_exitcode(raw)
        code = self.status
        return 128 - code if code < 0 else code  # killed by signal N: 128 + N


def _die_with_parent() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
