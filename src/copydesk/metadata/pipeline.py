"""Minimal metadata reader (title, language); the metadata issue replaces it."""

from __future__ import annotations

from typing import Any

from copydesk.blocks import Block
from copydesk.metadata.model import Metadata
from copydesk.options import Options


def from_html(tree: Any, url: str | None, options: Options) -> Metadata:
    meta = Metadata()
    node = tree.css_first("title")
    if node is not None:
        meta.title = " ".join(node.text().split()) or None
    html = tree.css_first("html")
    if html is not None:
        lang = html.attributes.get("lang")
        meta.declared_language = (lang or "").split("-")[0].lower() or None
    return meta


def from_text(blocks: list[Block], url: str | None, options: Options) -> Metadata:
    return Metadata(date_crawled=options.date_crawled)


def finish(meta: Metadata, body: str, options: Options) -> Metadata:
    if len(body) >= 40:
        import py3langid

        meta.language = py3langid.classify(body[:2000])[0]
    else:
        meta.language = meta.declared_language
    return meta
