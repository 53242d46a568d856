"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds -> entry URLs with their title and date.

The title and publication date travel with each entry as hints: when the page
itself gives none, the extracted article takes them (`date_published`,
`title`). Atom's `published` is the publication date; `updated` is used only
when an entry has no `published`, as RSS readers do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from copydesk.fetcher.urls import BadURL, normalize
from copydesk.fetcher.xmlsafe import (
    XmlRefused,
    child_text,
    children,
    iso_date,
    local,
    parse,
    scan_links,
)

Entry = tuple[str, dict[str, str]]  # url, hints


@dataclass
class Parsed:
    """What a feed or sitemap yielded; `error` when it was refused or recovered."""

    pages: list[Entry] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    error: str | None = None
    kind: str | None = None  # "rss", "atom", "rdf", "urlset", "sitemapindex", "text"


def hints_of(title: str | None, date: str | None) -> dict[str, str]:
    hints = {}
    if title:
        hints["title"] = " ".join(title.split())[:1000]
    iso = iso_date(date)
    if iso:
        hints["date_published"] = iso
    return hints


def add_entry(out: Parsed, link: str | None, base: str, hints: dict[str, str]) -> None:
    if not link:
        return
    try:
        out.pages.append((normalize(link, base=base), hints))
    except BadURL:
        return


def _atom_link(entry: Element) -> str | None:
    for link in children(entry, "link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return None


def _rss_items(root: Element, base: str, out: Parsed) -> None:
    for item in root.iter():
        if local(item.tag) != "item":
            continue
        link = child_text(item, "link")
        guid = next(children(item, "guid"), None)
        if not link and guid is not None and guid.get("isPermaLink", "true") != "false":
            link = (guid.text or "").strip()
        link = link or item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
        hints = hints_of(child_text(item, "title"), child_text(item, "pubdate", "date"))
        add_entry(out, link, base, hints)


def _atom_entries(root: Element, base: str, out: Parsed) -> None:
    for entry in children(root, "entry"):
        hints = hints_of(child_text(entry, "title"), child_text(entry, "published", "updated"))
        add_entry(out, _atom_link(entry), base, hints)


def from_root(root: Element, base: str, out: Parsed) -> bool:
    """Feed entries of `root` into `out`; False when `root` is not a feed."""
    name = local(root.tag)
    if name in ("rss", "rdf"):
        out.kind = name
        _rss_items(root, base, out)
    elif name == "feed":
        out.kind = "atom"
        _atom_entries(root, base, out)
    else:
        return False
    return True


def parse_root(data: bytes, base: str, cap: int, out: Parsed, what: str,
               fallback: Callable[[], bool] | None = None) -> Element | None:
    """The XML root of a feed or sitemap (`what`) body; None when there is none, with
    `out` saying why: XML refused (entities, too large), or malformed XML, whose
    links are then recovered by scanning (unless `fallback()` read the body
    another way)."""
    try:
        return parse(data, cap)
    except XmlRefused as exc:
        out.error = f"{what} {exc}"
    except ParseError as exc:
        if fallback is None or not fallback():
            for link in scan_links(data):
                add_entry(out, link, base, {})
            out.error = (f"malformed {what} XML ({exc}); {len(out.pages)} links recovered "
                         "by scanning")
    return None


def parse_feed(data: bytes, base: str, cap: int) -> Parsed:
    """Entries of a feed body (already decoded from Content-Encoding)."""
    out = Parsed()
    root = parse_root(data, base, cap, out, "feed")
    if root is not None and not from_root(root, base, out):
        out.error = f"not a feed: root element <{local(root.tag)}>"
    return out
