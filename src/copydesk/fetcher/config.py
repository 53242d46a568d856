"""Everything a fetch run is told: politeness, limits, identity. One object, shared by
the CLI (`copydesk fetch`) and the library (`copydesk.fetch`)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from copydesk.options import MAX_INPUT_BYTES
from copydesk.version import __version__

USER_AGENT = (f"copydesk/{__version__} (news article fetcher; "
              "+https://pypi.org/project/copydesk/)")
# Bodies of redirects and error responses are archived up to this size only.
ERROR_BODY_CAP = 64 * 1024


@dataclass(frozen=True)
class FetchConfig:
    """How to fetch.

    Politeness is per host (`scheme://host:port`): at most `per_host`
    requests in flight and `delay` seconds between two request starts
    (robots.txt's Crawl-delay when larger, up to `max_crawl_delay`);
    `concurrency` requests in flight overall. Timeouts: `connect` and `read`
    (between two chunks) per request, `total` for a whole attempt with its
    redirects. `retries` extra attempts on 429, 5xx, timeouts and connection
    errors, `backoff * 2**n` seconds apart, or Retry-After when the server
    says so (up to `max_retry_after`). Bodies are cut at `max_bytes`
    decoded bytes.
    """

    user_agent: str = USER_AGENT
    concurrency: int = 16
    per_host: int = 2
    delay: float = 1.0
    max_crawl_delay: float = 30.0
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 60.0
    max_retry_after: float = 120.0
    max_redirects: int = 10
    max_bytes: int = MAX_INPUT_BYTES
    robots: bool = True
    discover: bool = False
    max_sitemap_depth: int = 5
    allow_networks: tuple[str, ...] | None = None  # None: COPYDESK_FETCH_ALLOW, else any
    validators: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)

    def replace(self, **changes: Any) -> FetchConfig:
        return dataclasses.replace(self, **changes)
