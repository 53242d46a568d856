"""The page types, in the order the shipped model scores them (no numpy here, so
`import copydesk` does not load it: the model loads on the first page)."""

from __future__ import annotations

PAGE_TYPES: tuple[str, ...] = ("article", "forum", "product", "collection", "listing",
                               "documentation", "service", "other")
