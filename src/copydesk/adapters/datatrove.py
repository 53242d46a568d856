"""copydesk as a datatrove extractor step (`pip install 'copydesk[datatrove]'`).

A FineWeb-style pipeline swaps trafilatura for copydesk in one line:

    from copydesk.adapters.datatrove import Copydesk

    pipeline = [
        WarcReader("s3://commoncrawl/...", glob_pattern="*/warc/*"),
        URLFilter(),
        Copydesk(),               # was: Trafilatura(favour_precision=True)
        LanguageFilter(), ...
    ]

`Copydesk` follows datatrove's `BaseExtractor` contract: `extract(text)`
returns the body text, and the base class's `run` drives it through
datatrove's `ExtractorSandbox`, so its per-document `timeout` (a worker
process killed and replaced when a page runs over), its statistics
(extracted, timeout, broken_process, dropped) and its handling of empty
results hold unchanged. Two additions, both through that same sandbox: the
document's `metadata["url"]` is passed to copydesk (the url helps dates and
the site name), and the fields named in `metadata_fields` (title, authors,
dates, language, ...) are written into `doc.metadata` under `copydesk_*`.

The parts copydesk loads on first use (the language model; the text-mode
kernels unless `input_format="html"`) are loaded before the sandbox forks its
worker, so a page's timeout never pays for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.extractors.base import BaseExtractor

from copydesk import preload
from copydesk.api import extract_record
from copydesk.article import Record
from copydesk.options import Options

DEFAULT_FIELDS: tuple[str, ...] = ("title", "authors", "date_published", "language", "site_name")
PREFIX = "copydesk_"


class ExtractedText(str):
    """The body text, carrying the chosen metadata across the sandbox's pipe."""

    metadata: dict[str, Any]

    def __new__(cls, text: str, metadata: dict[str, Any]) -> ExtractedText:
        value = super().__new__(cls, text)
        value.metadata = metadata
        return value

    def __reduce__(self) -> tuple[Any, ...]:
        return ExtractedText, (str(self), self.metadata)


class Copydesk(BaseExtractor):
    """copydesk's extraction as a datatrove step (see the module docstring).

    - timeout: seconds per document (datatrove's sandbox; default 1 s as
      trafilatura's step);
    - metadata_fields: Article fields copied into `doc.metadata` with the
      `copydesk_` prefix (empty: none, and metadata is not read);
    - options: those of `copydesk.Options` (`input_format="text"` for WET
      records, for example); an unknown one is a TypeError here.
    """

    name = "📰 copydesk"

    def __init__(self, timeout: float = 1, metadata_fields: tuple[str, ...] = DEFAULT_FIELDS,
                 **options: Any) -> None:
        super().__init__(timeout)
        self.metadata_fields = tuple(metadata_fields)
        options.setdefault("metadata", bool(self.metadata_fields))
        options.setdefault("markdown", False)
        self.options = Options.from_kwargs(**options)

    def extract(self, text: str, url: str | None = None) -> str:
        """The body of one page (HTML or a text dump), "" when none is found."""
        article = extract_record(Record(text, url=url), self.options)
        if not self.metadata_fields:
            return article.text
        row = article.to_dict()
        return ExtractedText(article.text, {PREFIX + name: row[name]
                                            for name in self.metadata_fields})

    def run(self, data: DocumentsPipeline, rank: int = 0,
            world_size: int = 1) -> DocumentsPipeline:
        """The base class's run (sandbox, timeout, stats), fed (html, url) pairs."""
        preload.load(self._parts())
        for doc in super().run(_with_urls(data), rank, world_size):
            if isinstance(doc.text, ExtractedText):
                doc.metadata.update(doc.text.metadata)
                doc.text = str(doc.text)
            yield doc

    def _parts(self) -> list[str]:
        """What to load before the sandbox forks (see the module docstring)."""
        parts = ["language"] if self.options.metadata else []
        return parts if self.options.input_format == "html" else [*parts, "text"]


def _with_urls(data: DocumentsPipeline) -> Iterator[Document]:
    """Each document with `text` = (text, url): the sandbox passes a tuple on as arguments."""
    for doc in data or ():
        if isinstance(doc.text, str):
            doc.text = (doc.text, doc.metadata.get("url"))  # type: ignore[assignment,unused-ignore]
        yield doc
