"""SOURCE arguments -> seed URLs: a URL, a file of URLs (one a line, `#` comments), or `-`."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

from copydesk.fetcher.urls import looks_like_url


class SourceError(ValueError):
    """A SOURCE that is neither a URL nor a readable file."""


def _lines(handle: object) -> Iterator[str]:
    for line in handle:  # type: ignore[attr-defined]
        text = line.strip()
        if text and not text.startswith("#"):
            yield text


def read_seeds(specs: list[str], kind: str) -> list[tuple[str, str]]:
    """Every seed `(url, kind)` in order; lines that are not URLs become bad_url rows later."""
    seeds: list[tuple[str, str]] = []
    for spec in specs:
        if spec == "-":
            seeds += [(line, kind) for line in _lines(sys.stdin)]
        elif looks_like_url(spec):
            seeds.append((spec, kind))
        elif os.path.isfile(spec):
            with open(spec, encoding="utf-8", errors="replace") as handle:
                seeds += [(line, kind) for line in _lines(handle)]
        else:
            raise SourceError(f"{spec}: neither an http(s) URL nor a file of URLs")
    return seeds
