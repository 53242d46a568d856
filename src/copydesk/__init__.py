"""copydesk: scraped news and web pages in, clean structured articles out.

    >>> import copydesk
    >>> article = copydesk.extract(html_bytes, url="https://example.com/a")
    >>> article.text, article.title, article.date_published

Public surface: `extract`, `extract_many`, `extract_record`, `fetch` (URLs,
feeds, sitemaps: docs/fetch.md), `Article`, `Record`, `Options`, `Status`
and the errors in `copydesk.errors`.
"""

from typing import TYPE_CHECKING, Any

from copydesk.article import Article, Explanation, Record, Status
from copydesk.errors import CopydeskError, ExtractionTimeout, InputError, OutputError, TooLargeError
from copydesk.options import Options
from copydesk.version import __version__ as __version__

if TYPE_CHECKING:
    from copydesk.api import extract, extract_record
    from copydesk.corpus.many import extract_many


def __getattr__(name: str) -> Any:
    """The entry points are imported on first use: `import copydesk` costs the core
    types only (about 0.05 s), not the per-page path (parser, classifier, metadata
    readers, numpy: about 0.3 s, paid by the first `extract`), nor httpx
    (`fetch`) nor the worker pool (`extract_many`)."""
    if name in ("extract", "extract_record"):
        from copydesk import api

        value = getattr(api, name)
        globals()[name] = value  # later lookups skip this function
        return value
    if name == "extract_many":
        from copydesk.corpus.many import extract_many

        return extract_many
    if name == "fetch":
        try:
            from copydesk.fetcher.api import fetch
        except ImportError as exc:  # the `fetch` extra is not installed
            raise ImportError(f"copydesk.fetch needs {exc.name}, an optional dependency: "
                              "pip install 'copydesk[fetch]'") from exc
        return fetch
    raise AttributeError(f"module 'copydesk' has no attribute {name!r}")


__all__ = [
    "Article",
    "CopydeskError",
    "Explanation",
    "ExtractionTimeout",
    "InputError",
    "Options",
    "OutputError",
    "Record",
    "Status",
    "TooLargeError",
    "extract",
    "extract_many",  # resolved by __getattr__
    "extract_record",
    "fetch",  # resolved by __getattr__
]
