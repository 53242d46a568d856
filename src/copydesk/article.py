"""The two records every part of copydesk speaks: what comes in, what goes out.

`Record` is one input unit (a file, a WARC response, a JSONL line) with what
its source already knows. `Article` is the one output schema of
`docs/architecture.md`; writers serialise it and nothing else. Keeping both here, with
no logic, means every reader, extractor and writer agrees on field names.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from dataclasses import dataclass, field
from typing import Any


class Status(enum.StrEnum):
    """Outcome of one page: every input yields exactly one of these."""

    OK = "ok"
    EMPTY = "empty"  # input was readable but no article was found
    ERROR = "error"  # input could not be processed; `Article.error` says why


@dataclass(slots=True)
class Record:
    """One input unit, before extraction.

    `content` is the raw page (bytes as fetched, or already-decoded str).
    The other fields carry what the container knew: where the page came from,
    its url, the HTTP charset, the crawl date. Readers fill them; `extract()`
    only reads them.
    """

    content: bytes | str
    url: str | None = None
    id: str | None = None
    source: str | None = None
    http_charset: str | None = None
    date_crawled: str | None = None
    input_format: str | None = None  # "html", "text" or None (guess)
    site: str | None = None  # site-template key when known (host, folder, --site)
    # What a feed or sitemap said about the page (`title`, `date_published`,
    # `date_modified`): the Article takes a value only when the page gives none.
    hints: dict[str, str] | None = None


# Output keys, in the order JSONL and Parquet write them (docs/architecture.md, the output schema).
OUTPUT_FIELDS: tuple[str, ...] = (
    "id",
    "source",
    "url",
    "status",
    "error",
    "title",
    "authors",
    "agency",
    "date_published",
    "date_modified",
    "date_crawled",
    "site_name",
    "section",
    "tags",
    "language",
    "description",
    "image",
    "canonical_url",
    "page_type",
    "text",
    "markdown",
    "comments",
    "content_hash",
    "dup_of",
    "input_format",
    "rung",
    "encoding",
    # Container provenance (corpus runs): HTTP status of a WARC response, the WARC
    # record's id, and the WARC file + offset (of its gzip member) it was read from.
    "http_status",
    "warc_record_id",
    "warc_file",
    "warc_offset",
)


@dataclass(slots=True)
class ArticleMetadata:
    """The fields of an Article that metadata readers fill (`copydesk.metadata`):
    one declaration for the Article and for `metadata.model.Metadata`."""

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
    description: str | None = None
    image: str | None = None
    canonical_url: str | None = None


@dataclass(slots=True)
class Article(ArticleMetadata):
    """One output record: the article body and its metadata, plus provenance.

    `rung` names the step of the extraction ladder that produced the body
    (see `copydesk.classify.ladder`); `encoding` the charset used to decode
    bytes. Fields the page does not offer stay None (lists stay empty).
    """

    status: Status = Status.OK
    error: str | None = None
    id: str | None = None
    source: str | None = None
    url: str | None = None
    # article, forum, product, collection, listing, documentation, service or other
    # (`copydesk.pagetype`); None for text dumps.
    page_type: str | None = None
    text: str = ""
    markdown: str | None = None
    # With Options(comments=True): the page's reader comments, each
    # {"text": str, "author": str | None, "date": str | None}; else empty.
    comments: list[dict[str, str | None]] = field(default_factory=list)
    content_hash: str | None = None
    dup_of: str | None = None
    input_format: str | None = None
    rung: str | None = None
    encoding: str | None = None
    http_status: int | None = None
    warc_record_id: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    # Only with explain=True: what the extractor did, block by block.
    explanation: Explanation | None = None

    def to_dict(self) -> dict[str, Any]:
        """The output record as plain JSON types, keys in `OUTPUT_FIELDS` order, plus
        "explanation" when the Article has one (`json.dumps` always works on it)."""
        row = {name: json_safe(getattr(self, name)) for name in OUTPUT_FIELDS}
        if self.explanation is not None:
            row["explanation"] = self.explanation.to_dict()
        return row

    def to_json(self, **dumps: Any) -> str:
        """`to_dict()` as one JSON document (UTF-8 text kept; `dumps` go to json.dumps)."""
        return json.dumps(self.to_dict(), **{"ensure_ascii": False, **dumps})

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> Article:
        """Inverse of `to_dict` (unknown keys are ignored)."""
        names = {f.name for f in dataclasses.fields(cls)} - {"explanation"}
        kwargs = {k: v for k, v in row.items() if k in names}
        kwargs["status"] = Status(kwargs.get("status", "ok"))
        return cls(**kwargs)


@dataclass(slots=True)
class BlockDecision:
    """One Block as the explanation shows it: its text, kept or not, and why."""

    text: str
    kept: bool
    reason: str
    kind: str = "p"


@dataclass(slots=True)
class RungAttempt:
    """One rung the extraction ladder tried, as the explanation shows it.

    `kept_chars` is what it kept, `enough` whether that found the article,
    `chosen` whether its decisions are the body's, `why` (when not enough)
    why it fell short. A page's attempts are in ladder order; a rung that
    could not decide the page at all (no region) is not listed. On an HTML
    page the block model's review (`<rung>+model`, chosen) follows the rules'
    choice it reviewed (enough, not chosen: its decisions are the model's
    features).
    """

    rung: str
    kept_chars: int
    enough: bool
    chosen: bool
    why: str = ""


@dataclass(slots=True)
class Explanation:
    """What `extract(..., explain=True)` adds: the blocks, the rung, the ladder's
    attempts, the candidates.

    `candidates` maps a metadata field to the list of values found, each a
    dict with at least `value`, `source` and `chosen`/`reason` keys.
    """

    blocks: list[BlockDecision] = field(default_factory=list)
    rung: str | None = None
    candidates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    attempts: list[RungAttempt] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types (a candidate value that is not one becomes its str)."""
        return {
            "blocks": [dataclasses.asdict(b) for b in self.blocks],
            "rung": self.rung,
            "candidates": json_safe(self.candidates),
            "notes": list(self.notes),
            "attempts": [dataclasses.asdict(a) for a in self.attempts],
        }


def json_safe(value: Any) -> Any:
    """`value` as JSON types: enums by value, dataclasses and mappings as dicts,
    sequences as lists; anything else that JSON has no type for as its str."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: json_safe(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    return str(value)
