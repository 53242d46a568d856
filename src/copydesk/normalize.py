"""Normal forms every layer needs: of whitespace, of a url's host.

Written once so that the site a page belongs to, the site name read from its
url and the inspector's site facet agree, and so that every reader collapses
whitespace the same way.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def collapse_spaces(text: str) -> str:
    """Runs of whitespace (any Unicode space, tabs, line breaks) as one space; ends trimmed."""
    return " ".join(text.split())


def host_of(url: str | None) -> str | None:
    """Lower-case host of a url, without port, user or a leading "www."; None without one.

    A url without a scheme ("example.com/a") is read as host and path;
    a malformed one ("http://[bad") has no host.
    """
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host or any(c.isspace() for c in host):
        return None
    return host.removeprefix("www.") or None
