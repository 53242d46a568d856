"""The inspector in real headless Chromium (Debian's chromium driven by Playwright).

Each test starts the server on a free loopback port in a thread. Screenshots
go to a temporary folder, or to $COPYDESK_SCREENSHOTS (e.g. docs/img) when set.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from copydesk.serve.app import ServeConfig, create_app
from copydesk.serve.live import free_port, serve_in_thread
from serve_fixtures import news_page, output_row, sample_rows, write_parquet

from .conftest import SEED

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e


def summary_starts(page: Any, prefix: str) -> None:
    """Wait for the corpus summary line (no eval: the inspector's CSP forbids it)."""
    expect(page.locator("#summary")).to_have_text(re.compile("^" + re.escape(prefix)))


def shot(page: Any, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("COPYDESK_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name))


@pytest.fixture()
def inspector() -> Iterator[str]:
    with serve_in_thread(create_app(ServeConfig())) as url:
        yield url


def squash(text: str) -> str:
    return " ".join(text.split())


def expected_seed() -> dict[str, Any]:
    return json.loads(SEED.with_suffix(".expected.json").read_text(encoding="utf-8"))


def paste(page: Any, base: str, content: str) -> None:
    page.goto(base + "/")
    page.fill("#content", content)
    page.click("#extract-btn")
    page.wait_for_selector("#blocks .block")


def test_seed_paste_shows_headline_and_kept_paragraphs(page: Any, inspector: str,
                                                        seed_text: str, tmp_path: Path) -> None:
    paste(page, inspector, seed_text)
    expected = expected_seed()
    paragraphs = expected["text"].split("\n\n")
    assert len(paragraphs) == 11
    kept = {squash(t) for t in page.locator("#blocks .block.kept .text").all_text_contents()}
    for paragraph in paragraphs:
        assert squash(paragraph) in kept, paragraph[:60]
    shown = {squash(t) for t in page.locator("#blocks .block .text").all_text_contents()}
    assert squash(expected["title"]) in shown
    page.click("#jump-kept")
    shot(page, "inspector-seed.png", tmp_path)
    assert page.inner_text("#headline") == expected["title"]


def test_seed_menu_lines_are_struck(page: Any, inspector: str, seed_text: str) -> None:
    paste(page, inspector, seed_text)
    menu = page.locator("#blocks .block.dropped", has_text="Politics").first
    menu.wait_for()
    assert "line-through" in menu.locator(".text").evaluate(
        "n => getComputedStyle(n).textDecorationLine")
    reason = menu.get_attribute("title") or ""
    assert reason.startswith("dropped: ") and len(reason) > len("dropped: ")
    for line in ("National", "Politics", "Business", "MOST POPULAR"):
        texts = page.locator("#blocks .block.kept .text").all_text_contents()
        assert line not in texts, f"menu line {line!r} kept"
    page.click('button[data-tab="dropped"]')
    assert page.locator("#dropped li").count() >= 50


class Canary:
    """A second local server: any request reaching it means the inspected page loaded something."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"


def hostile_page(canary: Canary) -> str:
    c = canary.url
    return news_page(
        extra_head=(f'<meta http-equiv="refresh" content="0;url={c("refresh")}">'
                    f'<script>fetch("{c("script")}");parent.document.body.dataset.pwned="1"</script>'
                    f'<script src="{c("ext.js")}"></script>'
                    f'<link rel="stylesheet" href="{c("css")}">'
                    f'<style>body{{background:url({c("bg")})}}</style>'),
        extra_body=(f'<img src="{c("img")}" onerror="fetch(\'{c("onerror")}\')" alt="pixel">'
                    f'<a id="js" href="javascript:fetch(\'{c("js")}\')">js link</a>'
                    f'<a id="ext" href="{c("link")}">external link</a>'
                    f'<iframe src="{c("iframe")}"></iframe><object data="{c("object")}"></object>'
                    f'<svg><image href="{c("svg")}"/></svg><video poster="{c("poster")}"></video>'
                    f'<div onmouseover="fetch(\'{c("hover")}\')">hover me</div>'),
    )


def test_hostile_page_runs_and_loads_nothing(page: Any, inspector: str) -> None:
    canary = Canary()
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    paste(page, inspector, hostile_page(canary))
    frame = page.frame_locator("#original")
    frame.locator("text=hover me").hover()
    frame.locator("#js").click()
    frame.locator("#ext").click()
    page.wait_for_timeout(1500)  # time for a meta refresh or a late load to fire
    assert canary.hits == []
    assert [u for u in requests if str(canary.port) in u] == []
    assert dialogs == []
    assert page.url.startswith(inspector)
    assert page.evaluate("document.body.dataset.pwned") is None
    assert page.get_attribute("#original", "sandbox") == ""


def test_sandbox_and_csp_hold_even_without_the_sanitiser(page: Any, inspector: str) -> None:
    """Defence in depth: the raw hostile page in our sandboxed frame still does nothing."""
    canary = Canary()
    paste(page, inspector, news_page())
    page.evaluate("html => { const f = document.getElementById('original'); f.srcdoc = html; }",
                  hostile_page(canary))
    page.wait_for_timeout(1500)
    assert canary.hits == []
    assert page.evaluate("document.body.dataset.pwned") is None


def test_oversized_upload_shows_a_clear_message(page: Any, tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    big.write_bytes(b"<p>" + b"x" * 30_000 + b"</p>")
    with serve_in_thread(create_app(ServeConfig(max_bytes=10_000))) as url:
        page.goto(url + "/")
        page.set_input_files("#file", str(big))
        page.wait_for_selector("#message.error")
        assert "too large" in page.inner_text("#message")
        page.fill("#content", "y" * 20_000)
        page.click("#extract-btn")
        page.wait_for_selector("#message.error")
        assert "too large" in page.inner_text("#message")


def test_parquet_output_search_and_open_row(page: Any, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "bus.html").write_text(news_page(), encoding="utf-8")
    bus = output_row(40, source=str(pages / "bus.html"),
                     title="Night buses reach three new districts",
                     text="The city council voted on Tuesday to extend")
    rows = [*sample_rows(40), bus]
    out = write_parquet(tmp_path / "run.parquet", rows)
    config = ServeConfig(outputs=[out], source_roots=[pages])
    with serve_in_thread(create_app(config)) as url:
        page.goto(url + "/corpus")
        page.wait_for_selector("#rows tbody tr")
        assert "41 matching rows" in page.inner_text("#summary")
        assert page.locator("#rows tbody tr").count() == 41
        page.fill("#q", "zebra")
        page.click("#search-btn")
        summary_starts(page, "1 ")
        assert page.locator("#rows tbody tr").count() == 1
        assert page.inner_text("#rows tbody tr mark").lower() == "zebra"
        page.fill("#q", "council")
        page.click("#search-btn")
        summary_starts(page, "1 ")
        page.select_option("#status", "ok")
        expect(page.locator("#rows tbody tr")).to_have_count(1)
        page.fill("#q", "")
        page.click("#search-btn")
        summary_starts(page, "39 ")
        page.select_option("#status", "error")
        summary_starts(page, "1 ")
        page.select_option("#status", "")
        summary_starts(page, "41 ")
        shot(page, "inspector-corpus-parquet.png", tmp_path)
        page.fill("#q", "council")
        page.click("#search-btn")
        summary_starts(page, "1 ")
        page.click("#rows tbody tr a.title")
        page.wait_for_selector("#blocks .block")
        assert "re-extracted" in page.inner_text("#notes")
        assert page.locator("#original").count() == 1
