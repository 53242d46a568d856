"""Sitemaps (sitemaps.org 0.9, Google News sitemaps, plain-text sitemaps), gzipped or not.

A `<urlset>` gives pages; a news sitemap's `<news:title>` and
`<news:publication_date>` travel with each page as hints (a page's `lastmod`
is a modification date, kept as `date_modified` hint only). A
`<sitemapindex>` gives more sitemaps: they are queued one level deeper, up to
`max_sitemap_depth`, and an index pointing at itself or at another index
that points back ends there, because a URL is queued only once.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from copydesk.fetcher.feeds import Parsed, add_entry, from_root, hints_of, parse_root
from copydesk.fetcher.urls import BadURL, looks_like_url, normalize
from copydesk.fetcher.xmlsafe import child_text, children, inflate_capped, iso_date, local


def _news_hints(url: Element) -> dict[str, str]:
    news = next(children(url, "news"), None)
    title = date = None
    if news is not None:
        title, date = child_text(news, "title"), child_text(news, "publication_date")
    hints = hints_of(title, date)
    modified = iso_date(child_text(url, "lastmod"))
    if modified:
        hints["date_modified"] = modified
    return hints


def _urlset(root: Element, base: str, out: Parsed) -> None:
    out.kind = "urlset"
    for url in children(root, "url"):
        add_entry(out, child_text(url, "loc"), base, _news_hints(url))


def _index(root: Element, base: str, out: Parsed) -> None:
    out.kind = "sitemapindex"
    for sitemap in children(root, "sitemap"):
        loc = child_text(sitemap, "loc")
        if loc:
            try:
                out.sitemaps.append(normalize(loc, base=base))
            except BadURL:
                continue


def _plain_text(data: bytes, base: str, out: Parsed) -> bool:
    """A text sitemap: one URL per line (sitemaps.org allows it)."""
    lines = [ln.strip() for ln in data.decode("utf-8", "replace").splitlines() if ln.strip()]
    if not lines or not all(looks_like_url(ln) for ln in lines[:50]):
        return False
    out.kind = "text"
    for line in lines:
        add_entry(out, line, base, {})
    return True


def parse_sitemap(data: bytes, base: str, cap: int) -> Parsed:
    """Pages and child sitemaps of a sitemap body (a feed given as sitemap works too)."""
    out = Parsed()
    if data[:2] == b"\x1f\x8b":
        try:
            data = inflate_capped(data, cap)
        except ValueError as exc:
            out.error = f"sitemap {exc}"
            return out
    root = parse_root(data, base, cap, out, "sitemap", lambda: _plain_text(data, base, out))
    if root is None:
        return out
    name = local(root.tag)
    if name == "urlset":
        _urlset(root, base, out)
    elif name == "sitemapindex":
        _index(root, base, out)
    elif not from_root(root, base, out):
        out.error = f"not a sitemap: root element <{name}>"
    return out
