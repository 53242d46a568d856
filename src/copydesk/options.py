"""Options for one extraction: one object instead of keyword arguments copied
across entry points. `extract(content, url, **options)` builds one from its
keywords; corpus engines pass the same object to every worker."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

InputFormat = Literal["html", "text"]

# Caps, checked before parsing. Values chosen to be far above real pages
# (the largest dev-corpus page is ~3 MB with 19,252 `<`) while keeping one
# page under ~7 s and ~500 MB: extraction costs ~0.25 s and ~20 bytes of
# memory per input byte on all-text pages, ~60 us per block on wide DOMs
# (docs/robustness.md, measured by tests/test_pages_adversarial_cases.py).
MAX_INPUT_BYTES = 16 * 1024 * 1024
MAX_NODES = 100_000


@dataclass(frozen=True, slots=True)
class Options:
    """How to extract one page.

    - input_format: "html", "text" or None to guess from the content.
    - explain: attach an `Explanation` (every block with kept/reason, the
      metadata candidates) to the Article.
    - comments: also return the page's reader comments in `Article.comments`
      (they never enter the body either way).
    - markdown: also render the body as Markdown.
    - metadata: fill title, dates, people, site, language (on by default).
    - http_charset: charset from the HTTP header, trusted after a BOM.
    - date_crawled: when the page was fetched (resolves relative dates,
      bounds future dates).
    - site: the site-template key (else the url host); site templates
      themselves are corpus work, handed to `extract_record` as a profile.
    - max_bytes / max_nodes: caps; larger inputs get status error.
    """

    input_format: InputFormat | None = None
    explain: bool = False
    comments: bool = False
    markdown: bool = True
    metadata: bool = True
    http_charset: str | None = None
    date_crawled: str | None = None
    site: str | None = None
    max_bytes: int = MAX_INPUT_BYTES
    max_nodes: int = MAX_NODES

    @classmethod
    def from_kwargs(cls, **kwargs: Any) -> Options:
        """Build from keywords, rejecting unknown ones with a clear message."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(kwargs) - known)
        if unknown:
            raise TypeError(f"unknown option(s): {', '.join(unknown)}; known: {sorted(known)}")
        return cls(**kwargs)

    def replace(self, **changes: Any) -> Options:
        return dataclasses.replace(self, **changes)
