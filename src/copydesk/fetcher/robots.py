"""robots.txt as RFC 9309 reads it: the group for our product token (else `*`), the
longest matching rule wins, Allow wins a tie, `*` and `$` are wildcards.

The stdlib parser applies the first matching rule instead of the longest one,
which gets `Disallow: /` + `Allow: /news/` wrong, hence this small one. Also
read: `Crawl-delay` (not in the RFC, honoured by most crawlers) and `Sitemap`
lines (for `--discover`). Fetch failures follow the RFC: a 4xx means no rules,
a 5xx or an unreachable server means "disallow everything" for now.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309 2.5: at least 500 KiB must be parsed


@dataclass
class _Group:
    agents: list[str] = field(default_factory=list)
    rules: list[tuple[bool, str]] = field(default_factory=list)  # (allow, pattern)
    delay: float | None = None


@dataclass
class Robots:
    """The rules that apply to us on one host."""

    rules: list[tuple[bool, re.Pattern[str], int]] = field(default_factory=list)
    crawl_delay: float | None = None
    sitemaps: list[str] = field(default_factory=list)
    disallow_all: str | None = None  # why everything is refused (robots.txt unreachable)
    blocked: bool = False  # robots.txt was not fetched because the address is not allowed

    def allows(self, url: str) -> bool:
        if self.disallow_all:
            return False
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        path = unquote(path)
        best: tuple[int, bool] | None = None
        for allow, pattern, length in self.rules:
            if pattern.match(path) and (best is None or (length, allow) > best):
                best = (length, allow)
        return True if best is None else best[1]


ALLOW_ALL = Robots()


def _compile(pattern: str) -> re.Pattern[str]:
    anchored = pattern.endswith("$")
    body = unquote(pattern[:-1] if anchored else pattern)
    regex = ".*".join(re.escape(part) for part in body.split("*"))
    return re.compile(regex + ("$" if anchored else ""), re.DOTALL)


def _groups(text: str) -> tuple[list[_Group], list[str]]:
    groups: list[_Group] = []
    sitemaps: list[str] = []
    current: _Group | None = None
    in_agents = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (s.strip() for s in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            if current is None or not in_agents:
                current = _Group()
                groups.append(current)
            current.agents.append(value.lower())
            in_agents = True
            continue
        in_agents = False
        if key == "sitemap" and value:
            sitemaps.append(value)
        elif current is not None:
            _add_line(current, key, value)
    return groups, sitemaps


def _add_line(group: _Group, key: str, value: str) -> None:
    if key in ("allow", "disallow") and value:
        group.rules.append((key == "allow", value))
    elif key == "crawl-delay":
        with contextlib.suppress(ValueError):
            group.delay = max(0.0, float(value))


def parse(text: str, user_agent: str) -> Robots:
    """The rules of `text` for the product token of `user_agent` (`copydesk/0.1 ...`)."""
    token = re.split(r"[/\s]", user_agent.strip(), maxsplit=1)[0].lower()
    groups, sitemaps = _groups(text[:MAX_ROBOTS_BYTES])
    mine = [g for g in groups if token in g.agents] or [g for g in groups if "*" in g.agents]
    rules = [(allow, _compile(p), len(p)) for g in mine for allow, p in g.rules]
    delays = [g.delay for g in mine if g.delay is not None]
    return Robots(rules=rules, crawl_delay=max(delays) if delays else None, sitemaps=sitemaps)


def unreachable(reason: str) -> Robots:
    if reason.startswith("blocked:"):
        return Robots(disallow_all=reason, blocked=True)
    return Robots(disallow_all=f"robots.txt unreachable ({reason}): the host is not crawled")
