"""Units of the fetcher that need no server: URLs, robots.txt, decoders, feeds, sitemaps."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib

import pytest

from copydesk.fetcher import robots
from copydesk.fetcher.client import parse_content_type, retry_after
from copydesk.fetcher.decoding import STEP, Chain, DecodeError
from copydesk.fetcher.feeds import parse_feed
from copydesk.fetcher.guard import BlockedAddress, check_host, parse_networks
from copydesk.fetcher.sitemaps import parse_sitemap
from copydesk.fetcher.urls import BadURL, host_key, normalize

UA = "copydesk/0.1 (test)"
LOCAL = parse_networks("127.0.0.0/8")


@pytest.mark.parametrize("raw, want", [
    ("HTTP://Example.COM:80/a/./b/../c#frag", "http://example.com/a/c"),
    ("https://example.com:443", "https://example.com/"),
    ("http://example.com:8080/%7Euser/%2f?q=%7e", "http://example.com:8080/~user/%2F?q=~"),
    ("http://example.com/a?b=2&a=1", "http://example.com/a?b=2&a=1"),
])
def test_normalize(raw: str, want: str) -> None:
    assert normalize(raw) == want


def test_normalize_relative_and_bad() -> None:
    assert normalize("../x", base="http://h.test/a/b/c") == "http://h.test/a/x"
    assert host_key("http://h.test:81/x") == "http://h.test:81"
    for bad in ("ftp://h/x", "mailto:a@b", "http:///nohost", "http://h/a b", "http://h:99999/"):
        with pytest.raises(BadURL):
            normalize(bad)


def test_robots_longest_match_and_agent_group() -> None:
    text = """
User-agent: *
Disallow: /

User-agent: copydesk
User-agent: other
Disallow: /news/private
Allow: /news/
Disallow: /*.pdf$
Allow: /same
Disallow: /same
Crawl-delay: 2.5
Sitemap: http://h.test/sitemap.xml
"""
    rules = robots.parse(text, UA)
    assert rules.allows("http://h.test/news/story")
    assert not rules.allows("http://h.test/news/private/1")
    assert not rules.allows("http://h.test/files/a.pdf")
    assert rules.allows("http://h.test/files/a.pdf?x=1")  # `$` anchors at the end
    assert rules.allows("http://h.test/same")  # a tie goes to Allow
    assert rules.allows("http://h.test/elsewhere")  # our group has no rule for it
    assert rules.crawl_delay == 2.5
    assert rules.sitemaps == ["http://h.test/sitemap.xml"]
    other = robots.parse(text, "SomeBot/1.0")
    assert not other.allows("http://h.test/news/story")  # the `*` group


def test_robots_unreachable_disallows_everything() -> None:
    rules = robots.unreachable("http 503")
    assert not rules.allows("http://h.test/")
    assert "503" in (rules.disallow_all or "")


def _bomb(mb: int) -> bytes:
    comp = zlib.compressobj(1, zlib.DEFLATED, 31)
    return b"".join(comp.compress(b"\0" * (1 << 20)) for _ in range(mb)) + comp.flush()


def test_gzip_bomb_decodes_in_bounded_steps() -> None:
    bomb = _bomb(64)  # 64 MB of zeros in ~300 KB
    assert len(bomb) < 1 << 20
    chain = Chain("gzip")
    tracemalloc.start()
    total = 0
    for piece in chain.feed(bomb[:65536]):
        assert len(piece) <= STEP  # zlib's max_length is exact
        total += len(piece)
        if total > 4 << 20:
            break
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert total > 4 << 20 and peak < 2 << 20


@pytest.mark.parametrize("encoding, data", [
    ("gzip", gzip.compress(b"hello" * 1000)),
    ("deflate", zlib.compress(b"hello" * 1000)),
    ("deflate", zlib.compress(b"hello" * 1000)[2:-4]),  # raw deflate sent as "deflate"
    ("gzip, identity", gzip.compress(b"hello" * 1000)),
])
def test_decoders(encoding: str, data: bytes) -> None:
    chain = Chain(encoding)
    out = b"".join(chain.feed(data[:100])) + b"".join(chain.feed(data[100:]))
    out += b"".join(chain.flush())
    assert out == b"hello" * 1000


def test_brotli_and_errors() -> None:
    import brotli

    chain = Chain("br")
    assert b"".join(chain.feed(brotli.compress(b"x" * 300_000))) == b"x" * 300_000
    with pytest.raises(DecodeError):
        list(Chain("gzip").feed(b"\x1f\x8b\x08\x00garbage-garbage"))
    with pytest.raises(DecodeError):
        Chain("zstd")


def test_header_helpers() -> None:
    assert parse_content_type('text/html; charset="ISO-8859-1"') == ("text/html", "iso-8859-1")
    assert parse_content_type("text/html") == ("text/html", None)
    assert parse_content_type(None) == (None, None)
    assert retry_after("7") == 7.0
    assert retry_after("Mon, 01 Jan 1990 00:00:00 GMT") == 0.0
    assert retry_after("soon") is None


def test_guard_allows_only_listed_networks() -> None:
    assert LOCAL is not None
    assert check_host("127.0.0.5", LOCAL) == "127.0.0.5"
    assert check_host("localhost", LOCAL) == "127.0.0.1"
    for host in ("10.0.0.1", "8.8.8.8", "example.com", "[::1]"):
        with pytest.raises(BlockedAddress):
            check_host(host, LOCAL)


RSS = b"""<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Feed</title>
<item><title>One</title><link>http://h.test/a</link>
<pubDate>Tue, 14 May 2024 10:00:00 +0900</pubDate></item>
<item><title>Two</title><guid>http://h.test/b</guid><dc:date>2024-05-15T08:00:00Z</dc:date></item>
<item><title>Rel</title><link>/c</link></item>
</channel></rss>"""
ATOM = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
<entry><title>E1</title><link rel="alternate" href="http://h.test/e1"/>
<published>2024-01-02T03:04:05+01:00</published><updated>2024-02-01T00:00:00Z</updated></entry>
<entry><title>E2</title><link href="http://h.test/e2"/><updated>2024-02-01T00:00:00Z</updated></entry>
</feed>"""


def test_rss_and_atom_entries_with_hints() -> None:
    rss = parse_feed(RSS, "http://h.test/feed.xml", 1 << 20)
    assert rss.error is None and rss.kind == "rss"
    assert [u for u, _ in rss.pages] == ["http://h.test/a", "http://h.test/b", "http://h.test/c"]
    assert rss.pages[0][1] == {"title": "One", "date_published": "2024-05-14T10:00:00+09:00"}
    assert rss.pages[1][1]["date_published"] == "2024-05-15T08:00:00+00:00"
    atom = parse_feed(ATOM, "http://h.test/atom", 1 << 20)
    assert [h.get("date_published") for _, h in atom.pages] == [
        "2024-01-02T03:04:05+01:00", "2024-02-01T00:00:00+00:00"]


def test_feed_entity_tricks_are_refused_not_expanded(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    laughs = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;">]>'
              b"<rss><channel><item><title>&c;</title><link>http://h.test/x</link></item>"
              b"</channel></rss>")
    external = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
                '<rss><channel><item><title>&x;</title><link>http://h.test/y</link></item>'
                '</channel></rss>').encode()
    for doc in (laughs, external):
        parsed = parse_feed(doc, "http://h.test/", 1 << 20)
        assert parsed.pages == [] and "refused" in (parsed.error or "")
        assert "TOPSECRET" not in repr(parsed)


def test_broken_feed_is_recovered_by_scanning() -> None:
    broken = b"<rss><channel><item><title>A & B</title><link>http://h.test/z</link></item>"
    parsed = parse_feed(broken, "http://h.test/", 1 << 20)
    assert [u for u, _ in parsed.pages] == ["http://h.test/z"]
    assert "malformed" in (parsed.error or "")
    assert parse_feed(b"<html><body>no</body></html>", "http://h.test/", 99).error


NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>http://h.test/n1</loc><lastmod>2024-03-02</lastmod>
<news:news><news:publication><news:name>H</news:name><news:language>en</news:language>
</news:publication><news:publication_date>2024-03-01T12:00:00+02:00</news:publication_date>
<news:title>Council votes</news:title></news:news></url>
<url><loc>http://h.test/n2</loc></url></urlset>"""


def test_news_sitemap_gzip_and_index() -> None:
    for body in (NEWS, gzip.compress(NEWS)):
        parsed = parse_sitemap(body, "http://h.test/s.xml", 1 << 20)
        assert parsed.kind == "urlset" and parsed.error is None
        assert parsed.pages[0] == ("http://h.test/n1", {
            "title": "Council votes", "date_published": "2024-03-01T12:00:00+02:00",
            "date_modified": "2024-03-02"})
        assert parsed.pages[1] == ("http://h.test/n2", {})
    index = (b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             b"<sitemap><loc>http://h.test/s1.xml</loc></sitemap>"
             b"<sitemap><loc>/s2.xml.gz</loc></sitemap></sitemapindex>")
    parsed = parse_sitemap(index, "http://h.test/index.xml", 1 << 20)
    assert parsed.sitemaps == ["http://h.test/s1.xml", "http://h.test/s2.xml.gz"]
    text = parse_sitemap(b"http://h.test/t1\nhttp://h.test/t2\n", "http://h.test/", 99)
    assert [u for u, _ in text.pages] == ["http://h.test/t1", "http://h.test/t2"]


def test_gzipped_sitemap_bomb_is_capped() -> None:
    parsed = parse_sitemap(_bomb(8), "http://h.test/s.xml.gz", 1 << 20)
    assert parsed.pages == [] and "inflates past" in (parsed.error or "")
