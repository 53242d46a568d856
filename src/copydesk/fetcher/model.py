"""What one fetch produces: the exchanges (request + response, each redirect hop and
each attempt) and the outcome that the fetch log records for the URL."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from typing import IO, Any

# Outcomes of a URL, as the fetch log and the summary name them.
FETCHED = "fetched"
NOT_MODIFIED = "not_modified"
ROBOTS = "robots_disallowed"
HTTP_3XX = "http_3xx"
HTTP_4XX = "http_4xx"
HTTP_5XX = "http_5xx"
TIMEOUT = "timeout"
TOO_LARGE = "too_large"
NOT_HTML = "not_html"
REDIRECT_ERROR = "redirect_error"
CONNECTION_ERROR = "connection_error"
BLOCKED = "blocked"
BAD_URL = "bad_url"
DECODE_ERROR = "decode_error"
OUTCOMES = (FETCHED, NOT_MODIFIED, ROBOTS, HTTP_3XX, HTTP_4XX, HTTP_5XX, TIMEOUT, TOO_LARGE,
            NOT_HTML, REDIRECT_ERROR, CONNECTION_ERROR, BLOCKED, BAD_URL, DECODE_ERROR)
# Outcomes worth another attempt (the HTTP ones only for 429 and 5xx).
RETRYABLE = frozenset({TIMEOUT, CONNECTION_ERROR, HTTP_5XX})

# What a URL is fetched as: decides what is done with its body.
PAGE, FEED, SITEMAP, ROBOTS_TXT, AUTO = "page", "feed", "sitemap", "robots", "auto"

_SPOOL = 1 << 20  # bodies above 1 MB go to a temporary file, not memory


def new_body() -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=_SPOOL)


@dataclass
class Exchange:
    """One request and what came back (a response, or the error instead of one)."""

    url: str
    date: str  # ISO 8601 UTC, when the request was sent
    request_headers: list[tuple[str, str]]
    status: int | None = None
    reason: str = ""
    http_version: str = "HTTP/1.1"
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    body: IO[bytes] | None = None
    body_len: int = 0
    truncated: str | None = None  # WARC-Truncated reason ("length", "time")
    error: str | None = None  # no (complete) response: why

    def header(self, name: str) -> str | None:
        lower = name.lower()
        for key, value in self.response_headers:
            if key.lower() == lower:
                return value
        return None

    def read_body(self) -> bytes:
        if self.body is None:
            return b""
        self.body.seek(0)
        return self.body.read()

    def close(self) -> None:
        if self.body is not None:
            self.body.close()
            self.body = None


@dataclass
class Task:
    """One URL to fetch, with what its source said about it (feed/sitemap hints)."""

    url: str
    kind: str = PAGE
    hints: dict[str, str] = field(default_factory=dict)
    via: str | None = None  # the seed, feed or sitemap that listed it
    depth: int = 0  # sitemap-index nesting
    attempts: int = 0
    not_before: float = 0.0
    exchanges: list[Exchange] = field(default_factory=list, repr=False)  # earlier attempts


@dataclass
class Result:
    """The final word on one Task: its outcome and every exchange made for it."""

    task: Task
    outcome: str
    exchanges: list[Exchange] = field(default_factory=list)
    error: str | None = None
    content_type: str | None = None
    charset: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def final(self) -> Exchange | None:
        return self.exchanges[-1] if self.exchanges else None

    def body(self) -> bytes:
        final = self.final
        return final.read_body() if final is not None else b""

    def close(self) -> None:
        for exchange in self.exchanges:
            exchange.close()
