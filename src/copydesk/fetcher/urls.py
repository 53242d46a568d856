"""URL normalisation and host keys: so a URL is fetched once, however it is written.

Normalisation (RFC 3986 section 6.2.2 plus the usual crawler habits): scheme
and host lower-cased, the default port dropped, dot segments removed, an empty
path made `/`, the fragment dropped (it never reaches the server), percent
escapes of unreserved characters decoded and the others upper-cased. The query
is kept as written (its order can matter to the server).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
MAX_URL_CHARS = 8192


class BadURL(ValueError):
    """Not an absolute http(s) URL we can fetch."""


def _fix_escape(match: re.Match[str]) -> str:
    char = chr(int(match.group(1), 16))
    return char if char in _UNRESERVED else "%" + match.group(1).upper()


def _remove_dot_segments(path: str) -> str:
    out: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if len(out) > 1:
                out.pop()
        elif segment != ".":
            out.append(segment)
    if path.endswith(("/.", "/..")):
        out.append("")
    return "/".join(out) or "/"


def normalize(url: str, base: str | None = None) -> str:
    """The canonical form of `url` (resolved against `base`); raises BadURL."""
    url = url.strip()
    if base:
        url = urljoin(base, url)
    if len(url) > MAX_URL_CHARS:
        raise BadURL(f"url longer than {MAX_URL_CHARS} characters")
    if any(c in url for c in " \t\r\n\x00"):
        raise BadURL("url contains whitespace or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BadURL(f"malformed url: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise BadURL(f"not an http(s) url: {url[:80]}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise BadURL(f"url without a host: {url[:80]}")
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _ESCAPE.sub(_fix_escape, _remove_dot_segments(parts.path or "/"))
    query = _ESCAPE.sub(_fix_escape, parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


def host_key(url: str) -> str:
    """`scheme://host[:port]` of a normalised url: the unit of politeness and robots.txt."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def looks_like_url(text: str) -> bool:
    """True when `text` is one bare http(s) URL (what `extract` is sometimes given)."""
    stripped = text.strip()
    return (len(stripped) < MAX_URL_CHARS and stripped[:8].lower().startswith(("http://",
            "https://")) and not any(c.isspace() for c in stripped))
