"""What the benchmark's simulated hosts serve, as pure functions of the path, so the
server and the checks agree without talking: latency, transient failures, pages,
feeds and sitemaps with their entries, titles and publication dates."""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

FEED_KINDS = ("rss", "atom", "rdf", "news", "index")
ENTRIES = 3  # entries per feed or sitemap (an index: 2 child sitemaps of ENTRIES each)


def _h(text: str) -> int:
    return zlib.crc32(text.encode())


def latency_ms(path: str) -> int:
    """50-200 ms, fixed per path."""
    return 50 + _h(path) % 151


def failure_of(path: str, rate: float) -> str | None:
    """The transient failure of the first request for `path` (5%: 500, reset, timeout)."""
    if not path.startswith("/f/") or _h(path + "#fail") % 10_000 >= rate * 10_000:
        return None
    return ("500", "reset", "timeout")[_h(path + "#mode") % 3]


def page(path: str, date: str | None) -> bytes:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    words = " ".join(f"word{(_h(path) + i) % 997}" for i in range(60))
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Story {path}</title>"
            f"{meta}</head><body><nav><a href='/'>Home</a></nav><article><h1>Story {path}"
            f"</h1><p>The council met on Tuesday to discuss {path}. {words}.</p><p>Residents "
            f"said the plan for {path} would change the harbour for a generation, and the "
            "port authority promised a decision before the summer.</p></article>"
            "<footer>Copyright</footer></body></html>").encode()


@dataclass(frozen=True)
class Entry:
    path: str
    title: str
    date: str  # the feed's publication date (ISO 8601)
    page_date: str | None  # the page's own date, when it gives one


def entries(n: int, sub: str = "") -> list[Entry]:
    """The pages listed by source `n` (and by its child sitemap `sub` for an index)."""
    base = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=n)
    out = []
    for k in range(ENTRIES):
        when = (base + timedelta(minutes=7 * k)).isoformat()
        page_date = "2020-02-02T02:02:02+00:00" if (n + k) % 3 == 0 else None
        out.append(Entry(f"/a/{n}{sub}/{k}", f"Title {n}{sub} {k}", when, page_date))
    return out


def expected(n: int) -> list[Entry]:
    if FEED_KINDS[n % len(FEED_KINDS)] == "index":
        return entries(n, "x") + entries(n, "y")
    return entries(n)


def page_date_of(path: str) -> str | None:
    """The date the page at `/a/<n><sub>/<k>` carries (same rule as `entries`)."""
    parts = path.strip("/").split("/")
    n, k = int(parts[1].rstrip("xy")), int(parts[2])
    return "2020-02-02T02:02:02+00:00" if (n + k) % 3 == 0 else None


def _rfc822(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%a, %d %b %Y %H:%M:%S +0000")


def feed(n: int) -> tuple[str, bytes]:
    """(content type, body) of source `/s/<n>.xml`."""
    kind = FEED_KINDS[n % len(FEED_KINDS)]
    items = entries(n)
    if kind == "rss":
        body = "".join(f"<item><title>{e.title}</title><link>{e.path}</link>"
                       f"<pubDate>{_rfc822(e.date)}</pubDate></item>" for e in items)
        return "application/rss+xml", f"<rss version='2.0'><channel>{body}</channel></rss>".encode()
    if kind == "atom":
        body = "".join(f"<entry><title>{e.title}</title><link href='{e.path}'/>"
                       f"<published>{e.date}</published></entry>" for e in items)
        return "application/atom+xml", (
            f"<feed xmlns='http://www.w3.org/2005/Atom'>{body}</feed>").encode()
    if kind == "rdf":
        body = "".join(f"<item rdf:about='{e.path}'><title>{e.title}</title><link>{e.path}"
                       f"</link><dc:date>{e.date}</dc:date></item>" for e in items)
        return "application/rdf+xml", (
            "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' "
            "xmlns:dc='http://purl.org/dc/elements/1.1/' xmlns='http://purl.org/rss/1.0/'>"
            f"{body}</rdf:RDF>").encode()
    if kind == "news":
        return "application/xml", news_sitemap(items)
    return "application/xml", (
        "<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        f"<sitemap><loc>/s/{n}x.xml.gz</loc></sitemap><sitemap><loc>/s/{n}y.xml.gz</loc>"
        f"</sitemap><sitemap><loc>/s/{n}.xml</loc></sitemap></sitemapindex>").encode()


def news_sitemap(items: list[Entry]) -> bytes:
    body = "".join(
        f"<url><loc>{e.path}</loc><news:news><news:publication><news:name>B</news:name>"
        f"<news:language>en</news:language></news:publication><news:publication_date>"
        f"{e.date}</news:publication_date><news:title>{e.title}</news:title></news:news></url>"
        for e in items)
    return ("<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9' "
            "xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'>"
            f"{body}</urlset>").encode()


def child_sitemap(name: str) -> bytes:
    """`/s/<n>x.xml.gz`: a gzipped news sitemap (served without Content-Encoding)."""
    n, sub = int(name[:-1]), name[-1]
    return gzip.compress(news_sitemap(entries(n, sub)), mtime=0)
