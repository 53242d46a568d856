"""The metadata fields one page yields, with the candidates behind each."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from copydesk.article import ArticleMetadata

# The Article fields metadata fills (api.py copies exactly these, plus date_crawled).
FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(ArticleMetadata)
                                if f.name != "date_crawled")


@dataclass(slots=True)
class Metadata(ArticleMetadata):
    """Chosen values plus, per field, every candidate seen (for explain)."""

    declared_language: str | None = None
    # The page's text outside the body (headline.outside_text): which <title>
    # segments the site repeats; set only when headings near the body were read.
    outside_text: str | None = None
    candidates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add_candidate(self, name: str, value: Any, source: str, **extra: Any) -> None:
        """Remember a candidate value for `name` and where it came from."""
        self.candidates.setdefault(name, []).append({"value": value, "source": source, **extra})
