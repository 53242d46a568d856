"""`--discover`: feeds a page announces (`<link rel="alternate" type="application/rss+xml">`)
and the sitemaps its robots.txt lists. Only the seed pages are looked at, so
discovery widens a crawl by one step and does not snowball."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from copydesk.fetcher.urls import BadURL, normalize

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
_HEAD_BYTES = 512 * 1024


def feed_links(html: bytes, base: str) -> list[str]:
    """Feed URLs declared in the page's `<link rel=alternate>` elements."""
    tree = LexborHTMLParser(html[:_HEAD_BYTES].decode("utf-8", "replace"))
    found: list[str] = []
    for node in tree.css("link[rel][href]"):
        rel = (node.attributes.get("rel") or "").lower().split()
        kind = (node.attributes.get("type") or "").lower().split(";")[0].strip()
        href = node.attributes.get("href") or ""
        if "alternate" in rel and kind in FEED_TYPES:
            try:
                url = normalize(href, base=base)
            except BadURL:
                continue
            if url not in found:
                found.append(url)
    return found
