"""Dev corpora with gold answers, loaded into one shape: `Page`.

`load(name, corpora_dir)` returns the pages of one dataset in a stable order
(sorted ids), so every extractor sees the same pages and `--limit N` always
picks the same N. Layouts are described in `../shared/corpora/README.md`.
`Page.site` is the grouping key for cross-validation (url host, or the page
folder when the url is unknown).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from copydesk.normalize import host_of
from copydesk_lab import paths
from copydesk_lab.bench.htmltext import html_to_text

DATASETS: tuple[str, ...] = ("aeb", "readability", "newspaper4k", "wcxb")
ARTICLE_DATASETS: tuple[str, ...] = ("aeb", "readability", "newspaper4k")
"""The three news/blog article sets (the corpus benchmark and the quality floors use these)."""
WCXB_TYPES: tuple[str, ...] = ("article", "forum", "product", "collection", "listing",
                               "documentation", "service")


@dataclass(slots=True)
class Page:
    """One corpus page: the raw bytes, what is known of it, and its gold answers.

    `gold_text` is the gold article body; `gold_meta` the gold metadata as
    the corpus gives it (field names of the corpus, values untouched).
    """

    id: str
    html_bytes: bytes
    url: str | None
    gold_text: str | None
    site: str
    dataset: str = ""
    gold_meta: dict[str, Any] = field(default_factory=dict)
    page_type: str | None = None  # WCXB: article, forum, product, ... (None elsewhere)
    must_have: list[str] = field(default_factory=list)  # WCXB `with`: snippets of the body
    must_not: list[str] = field(default_factory=list)  # WCXB `without`: never in the body


def load(name: str, corpora_dir: Path | str | None = None, *, need_text: bool = True) -> list[Page]:
    """Pages of dataset `name`, sorted by id.

    `need_text=True` keeps only pages that have a gold body (what the text
    benchmark scores); `False` keeps every page (the metadata benchmark).
    Raises FileNotFoundError when the dataset folder is absent.
    """
    loader = _LOADERS.get(name)
    if loader is None:
        raise ValueError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}")
    root = paths.corpora_dir(corpora_dir)
    folder = root / name
    if not folder.is_dir():
        raise FileNotFoundError(f"dataset folder not found: {folder}")
    pages = loader(folder)
    for page in pages:
        page.dataset = name
    if need_text:
        pages = [p for p in pages if p.gold_text is not None]
    return pages


def available(corpora_dir: Path | str | None = None,
              names: tuple[str, ...] = DATASETS) -> list[str]:
    """Those of `names` (default: every dataset) whose folder exists under `corpora_dir`."""
    root = paths.corpora_dir(corpora_dir)
    return [name for name in names if (root / name).is_dir()]


def _load_aeb(folder: Path) -> list[Page]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        path = folder / "html" / f"{page_id}.html.gz"
        if not path.is_file():
            continue
        entry = truth[page_id]
        url = entry.get("url")
        pages.append(Page(id=page_id, html_bytes=gzip.decompress(path.read_bytes()), url=url,
                          gold_text=entry.get("articleBody") or "", site=host_of(url) or page_id))
    return pages


def _load_readability(folder: Path) -> list[Page]:
    pages = []
    for page_dir in sorted(p for p in (folder / "pages").iterdir() if p.is_dir()):
        source = page_dir / "source.html"
        if not source.is_file():
            continue
        expected = page_dir / "expected.html"
        gold_text = None
        if expected.is_file():
            gold_text = html_to_text(expected.read_text(encoding="utf-8", errors="replace"))
        meta_path = page_dir / "expected-metadata.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        pages.append(Page(id=page_dir.name, html_bytes=source.read_bytes(), url=None,
                          gold_text=gold_text, site=page_dir.name, gold_meta=meta))
    return pages


def _load_newspaper4k(folder: Path) -> list[Page]:
    pages = []
    for html in sorted((folder / "html").glob("*.html")):
        name = html.stem
        txt = folder / "txt" / f"{name}.txt"
        meta_path = folder / "metadata" / f"{name}.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
        url = meta.get("url") or None
        gold_text = txt.read_text(encoding="utf-8", errors="replace") if txt.is_file() else None
        pages.append(Page(id=name, html_bytes=html.read_bytes(), url=url, gold_text=gold_text,
                          site=host_of(url) or name, gold_meta=meta))
    return pages


def _load_wcxb(folder: Path) -> list[Page]:
    """WCXB development split: gzipped pages, one gold JSON each (body, title, author, date).

    `gold_meta` is the `ground_truth` object (minus the long body and snippets,
    which are `gold_text`, `must_have` and `must_not`). An empty gold body (19
    pages: the reviewers found no main content) stays "" and is scored: the
    right answer there is nothing; a missing one (2 pages) is None;
    `site` is the url host without "www." (from `pages.json` when the gold
    has no url), the key for grouping folds by site.
    """
    index_path = folder / "pages.json"
    index = json.loads(index_path.read_text(encoding="utf-8")) if index_path.is_file() else {}
    pages = []
    for truth_path in sorted((folder / "ground-truth").glob("*.json")):
        page_id = truth_path.stem
        html = folder / "html" / f"{page_id}.html.gz"
        if not html.is_file():
            continue
        entry = json.loads(truth_path.read_text(encoding="utf-8"))
        truth = entry.get("ground_truth") or {}
        url = entry.get("url") or None
        kind = ((entry.get("_internal") or {}).get("page_type") or {}).get("primary")
        meta = {k: v for k, v in truth.items() if k not in ("main_content", "with", "without")}
        pages.append(Page(id=page_id, html_bytes=gzip.decompress(html.read_bytes()), url=url,
                          gold_text=truth.get("main_content"),
                          site=host_of(url) or _index_host(index, page_id),
                          gold_meta=meta, page_type=kind,
                          must_have=list(truth.get("with") or []),
                          must_not=list(truth.get("without") or [])))
    return pages


def _index_host(index: dict[str, Any], page_id: str) -> str:
    host = str((index.get(page_id) or {}).get("host") or "")
    return host.removeprefix("www.") or page_id


_LOADERS: dict[str, Callable[[Path], list[Page]]] = {
    "aeb": _load_aeb,
    "readability": _load_readability,
    "newspaper4k": _load_newspaper4k,
    "wcxb": _load_wcxb,
}
