"""The metadata fields one page yields, with the candidates behind each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The Article fields metadata fills (api.py copies exactly these, plus date_crawled).
FIELDS: tuple[str, ...] = (
    "title",
    "authors",
    "agency",
    "date_published",
    "date_modified",
    "site_name",
    "section",
    "tags",
    "language",
    "description",
    "image",
    "canonical_url",
)


@dataclass(slots=True)
class Metadata:
    """Chosen values plus, per field, every candidate seen (for explain)."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    agency: str | None = None
    date_published: str | None = None
    date_modified: str | None = None
    date_crawled: str | None = None
    site_name: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    declared_language: str | None = None
    description: str | None = None
    image: str | None = None
    canonical_url: str | None = None
    candidates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add_candidate(self, name: str, value: Any, source: str, **extra: Any) -> None:
        """Remember a candidate value for `name` and where it came from."""
        self.candidates.setdefault(name, []).append({"value": value, "source": source, **extra})
