"""Dataset loaders and the block-aware HTML-to-text used for gold bodies."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from copydesk_lab.bench import datasets
from copydesk_lab.bench.htmltext import html_to_text

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def _need(name: str) -> None:
    if not (CORPORA / name).is_dir():
        pytest.skip(f"corpus {name!r} not found under {CORPORA} (needs ../shared/corpora)")


def test_block_tags_break_words_inline_tags_do_not() -> None:
    html = ("<div><h1>Title</h1><p>a<b>b</b>c</p><p>next<br>line</p><ul><li>one</li>"
            "<li>two &amp; three</li></ul><script>var x = 1;</script><!-- hidden -->"
            "<style>p{}</style><table><tr><td>x</td><td>y</td></tr></table></div>")
    assert html_to_text(html) == "Title\n\nabc\n\nnext\n\nline\n\none\n\ntwo & three\n\nx\n\ny"


def test_html_to_text_collapses_whitespace_and_handles_empty_input() -> None:
    assert html_to_text("<p>  a \n  b\u00a0c </p>") == "a b c"
    assert html_to_text("") == ""
    assert html_to_text("   ") == ""


def test_html_to_text_survives_deep_nesting() -> None:
    deep = "<div>" * 5000 + "deep" + "</div>" * 5000
    assert html_to_text(deep) == "deep"


def test_host_of_drops_www() -> None:
    assert datasets.host_of("https://www.example.com/a?b") == "example.com"
    assert datasets.host_of("http://news.example.org") == "news.example.org"
    assert datasets.host_of(None) is None


def test_unknown_and_missing_datasets_raise(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown dataset"):
        datasets.load("nope", tmp_path)
    with pytest.raises(FileNotFoundError):
        datasets.load("aeb", tmp_path)
    assert datasets.available(tmp_path) == []


def _fake_corpora(root: Path) -> Path:
    """A two-page AEB folder, a one-page Readability folder, a newspaper4k folder."""
    aeb = root / "aeb" / "html"
    aeb.mkdir(parents=True)
    truth = {}
    for page_id in ("b2", "a1"):
        (aeb / f"{page_id}.html.gz").write_bytes(gzip.compress(b"<p>hello</p>"))
        truth[page_id] = {"articleBody": f"body {page_id}", "url": f"https://www.{page_id}.com/x"}
    (root / "aeb" / "ground-truth.json").write_text(json.dumps(truth))
    page = root / "readability" / "pages" / "site-1"
    page.mkdir(parents=True)
    (page / "source.html").write_bytes(b"<html><p>src</p></html>")
    (page / "expected.html").write_text("<div><p>one</p><p>two</p></div>")
    (page / "expected-metadata.json").write_text(json.dumps({"title": "T", "lang": "en"}))
    for sub in ("html", "txt", "metadata"):
        (root / "newspaper4k" / sub).mkdir(parents=True)
    (root / "newspaper4k" / "html" / "with.html").write_bytes(b"<p>x</p>")
    (root / "newspaper4k" / "html" / "without.html").write_bytes(b"<p>y</p>")
    (root / "newspaper4k" / "txt" / "with.txt").write_text("gold")
    (root / "newspaper4k" / "metadata" / "with.json").write_text(
        json.dumps({"url": "https://www.news.example/a", "title": "N"}))
    return root


def test_loaders_on_a_small_fake_corpus(tmp_path: Path) -> None:
    root = _fake_corpora(tmp_path)
    assert datasets.available(root) == ["aeb", "readability", "newspaper4k"]
    aeb = datasets.load("aeb", root)
    assert [p.id for p in aeb] == ["a1", "b2"]
    assert aeb[0].html_bytes == b"<p>hello</p>" and aeb[0].gold_text == "body a1"
    assert aeb[0].url == "https://www.a1.com/x" and aeb[0].site == "a1.com"
    assert aeb[0].dataset == "aeb"
    (page,) = datasets.load("readability", root)
    assert page.gold_text == "one\n\ntwo" and page.site == "site-1" and page.url is None
    assert page.gold_meta["title"] == "T"
    news = datasets.load("newspaper4k", root)
    assert [p.id for p in news] == ["with"]
    assert news[0].site == "news.example" and news[0].gold_meta["title"] == "N"
    assert len(datasets.load("newspaper4k", root, need_text=False)) == 2


def test_real_aeb_pages() -> None:
    _need("aeb")
    pages = datasets.load("aeb", CORPORA)
    assert len(pages) == 181
    assert all(p.url and p.gold_text and p.html_bytes for p in pages)
    assert len({p.site for p in pages}) >= 100  # 126 sites per the corpus README
    assert pages == sorted(pages, key=lambda p: p.id)


def test_real_readability_pages() -> None:
    _need("readability")
    pages = datasets.load("readability", CORPORA)
    assert len(pages) == 130
    assert all(p.gold_text and p.site == p.id for p in pages)
    first = pages[0]
    assert "<p>" not in first.gold_text and "\n\n" in first.gold_text


def test_real_newspaper4k_pages() -> None:
    _need("newspaper4k")
    scored = datasets.load("newspaper4k", CORPORA)
    every = datasets.load("newspaper4k", CORPORA, need_text=False)
    assert len(every) == 30 and len(scored) == 23
    assert all(p.gold_text for p in scored)


def test_wcxb_loader_on_a_fake_page(tmp_path: Path) -> None:
    folder = tmp_path / "wcxb"
    (folder / "html").mkdir(parents=True)
    (folder / "ground-truth").mkdir()
    (folder / "html" / "0002.html.gz").write_bytes(gzip.compress(b"<h1>Hi</h1>"))
    truth = {"url": "https://www.shop.example/p/1", "_internal": {"page_type": {"primary":
             "product"}}, "ground_truth": {"title": "Hi", "author": None, "publish_date":
             "2025-01-02", "main_content": "Hi\n\nbody", "with": ["body"], "without": []}}
    (folder / "ground-truth" / "0002.json").write_text(json.dumps(truth))
    (folder / "ground-truth" / "0001.json").write_text(json.dumps(truth))  # no html: skipped
    (page,) = datasets.load("wcxb", tmp_path)
    assert (page.id, page.site, page.page_type, page.dataset) == ("0002", "shop.example",
                                                                  "product", "wcxb")
    assert page.gold_text == "Hi\n\nbody" and page.html_bytes == b"<h1>Hi</h1>"
    assert page.gold_meta == {"title": "Hi", "author": None, "publish_date": "2025-01-02"}


def _fake_wcxb(root: Path) -> Path:
    """WCXB pages: with a body, without one, with an empty one, and a gold without html."""
    (root / "wcxb" / "html").mkdir(parents=True)
    (root / "wcxb" / "ground-truth").mkdir(parents=True)
    for page_id, body in (("0002", "Some body"), ("0001", None), ("0003", "orphan"),
                          ("0004", "")):
        truth = {"url": f"https://www.s{page_id}.example/p",
                 "_internal": {"page_type": {"primary": "forum"}},
                 "ground_truth": {"main_content": body, "title": "T", "author": "A",
                                  "publish_date": "2025-01-02", "with": ["Some"],
                                  "without": ["Home"]}}
        if body is None:
            del truth["ground_truth"]["main_content"]
        (root / "wcxb" / "ground-truth" / f"{page_id}.json").write_text(json.dumps(truth))
        if page_id != "0003":
            (root / "wcxb" / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(b"<p>x</p>"))
    return root


def test_wcxb_snippets_and_empty_gold(tmp_path: Path) -> None:
    root = _fake_wcxb(tmp_path)
    every = datasets.load("wcxb", root, need_text=False)
    assert [p.id for p in every] == ["0001", "0002", "0004"]  # 0003 has no html
    page, empty = datasets.load("wcxb", root)  # 0001 has no gold text; 0004 an empty one
    assert empty.id == "0004" and empty.gold_text == ""
    assert page.id == "0002" and page.gold_text == "Some body" and page.page_type == "forum"
    assert page.must_have == ["Some"] and page.must_not == ["Home"]
    assert datasets.available(root) == ["wcxb"]
    assert datasets.available(root, datasets.ARTICLE_DATASETS) == []


def test_real_wcxb_pages() -> None:
    _need("wcxb")
    pages = datasets.load("wcxb", CORPORA, need_text=False)
    assert len(pages) == 1497
    assert sum(bool(p.gold_meta.get("title")) for p in pages) == 1497
    assert sum(bool(p.gold_meta.get("author")) for p in pages) == 739
    assert sum(bool(p.gold_meta.get("publish_date")) for p in pages) == 782
    assert sum(p.page_type == "article" for p in pages) == 793
    assert all(p.site and p.html_bytes for p in pages)
    assert sum(p.url is None for p in pages) <= 10  # a few gold files lack the url
    assert len({p.site for p in pages}) >= 1200  # ~1,300 sites per the corpus README
    assert sum(p.gold_text is not None for p in pages) == 1495
    assert sum(p.gold_text == "" for p in pages) == 19
    assert {p.page_type for p in pages} == set(datasets.WCXB_TYPES)
    assert sum(len(p.must_have) for p in pages) == 6659
