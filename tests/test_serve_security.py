"""The inspector's security bars, in process: inert pages, no reads outside the
given paths, size limits with a clear message, loopback by default."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from copydesk.cli import build_parser
from copydesk.serve.app import ServeConfig, create_app
from copydesk.serve.sanitize import sanitize_html
from copydesk.serve.security import PathGuard, same_origin
from serve_fixtures import news_page, sample_rows, write_jsonl

HOSTILE = news_page(
    extra_head=('<meta http-equiv="refresh" content="0;url=https://evil.example/r">'
                '<script>alert(1)</script><script src="https://evil.example/a.js"></script>'
                '<link rel="stylesheet" href="https://evil.example/s.css">'
                '<style>body{background:url(https://evil.example/bg.png)}</style>'
                '<style>@import "https://evil.example/i.css";</style>'
                '<base href="https://evil.example/">'),
    extra_body=('<img src="https://evil.example/p.gif" onerror="alert(2)" alt="pixel">'
                '<a href="javascript:alert(3)" onclick="alert(4)">click</a>'
                '<a href="JaVaScRiPt&colon;alert(5)">encoded</a>'
                '<div onmouseover="alert(6)" style="background-image:url(//evil.example/x)">d</div>'
                '<iframe src="https://evil.example/f"></iframe><object data="x.swf"></object>'
                '<embed src="x.swf"><svg onload="alert(7)"><script>alert(8)</script></svg>'
                '<form action="https://evil.example/post"><input name="q"></form>'
                '<video src="https://evil.example/v.mp4"></video><body onload="alert(9)">'
                '<img srcset="https://evil.example/s.png 2x"><p style="color:red">red</p>'),
)


def test_sanitised_page_has_no_script_handler_or_remote_load() -> None:
    clean = sanitize_html(HOSTILE).lower()
    for needle in ("<script", "onerror", "onclick", "onload", "onmouseover", "javascript",
                   "http-equiv=\"refresh\"", "evil.example/a.js", "<iframe", "<object", "<embed",
                   "<svg", "<link", "<base", "url(", "@import", "<video", "srcset", "<form",
                   "<input", "evil.example/p.gif", "evil.example/f"):
        assert needle not in clean, needle
    # Links are kept as inert text with their target on hover, text survives.
    assert "click" in clean and "encoded" in clean and "pixel" in clean
    assert 'style="color:red"' in clean
    assert "content-security-policy" in clean and "default-src 'none'" in clean


def test_sanitiser_keeps_inline_images_only() -> None:
    clean = sanitize_html('<img src="data:image/png;base64,iVBORw0KGgo=">'
                          '<img src="data:text/html,x">'
                          '<img src="data:image/svg+xml,<svg onload=alert(1)>">')
    assert clean.count('src="data:image/png') == 1
    assert "text/html" not in clean and "svg" not in clean


def test_extract_payload_original_is_sanitised() -> None:
    api = TestClient(create_app(ServeConfig(allowed_hosts=["testserver"])))
    body = api.post("/api/extract", json={"content": HOSTILE, "url": None,
                                          "input_format": "html"}).json()
    response = api.get(body["original_url"])
    assert "<script" not in response.text.lower()
    assert "evil.example/p.gif" not in response.text
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    for guess in ("/api/original/nope", "/api/original/..%2f..%2fetc%2fpasswd",
                  "/api/original/" + body["original_url"].rsplit("/", 1)[1][:-1]):
        assert api.get(guess).status_code == 404


def test_every_response_carries_strict_headers() -> None:
    api = TestClient(create_app(ServeConfig(allowed_hosts=["testserver"])))
    for path in ("/", "/corpus", "/api/records", "/static/app.css", "/nope"):
        headers = api.get(path).headers
        assert "default-src 'none'" in headers["content-security-policy"], path
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"


@pytest.fixture()
def jail(tmp_path: Path) -> dict[str, Path]:
    """An allowed source folder, a secret outside it, and a symlink escaping it."""
    root = tmp_path / "pages"
    root.mkdir()
    (root / "ok.html").write_text(news_page(), encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    os.symlink(secret, root / "link.html")
    return {"root": root, "secret": secret, "tmp": tmp_path}


def test_path_guard_refuses_traversal_and_symlinks(jail: dict[str, Path]) -> None:
    guard = PathGuard([jail["root"]])
    root = jail["root"]
    assert guard.resolve("ok.html", [root]) == (root / "ok.html").resolve()
    for attempt in ("../secret.txt", str(jail["secret"]), "link.html", "/etc/passwd",
                    "ok.html\x00.txt", "../../../../etc/passwd", "",
                    str(root / ".." / "secret.txt")):
        assert guard.resolve(attempt, [root]) is None, attempt


@pytest.mark.parametrize("source", ["../secret.txt", "{secret}", "pages/link.html", "/etc/passwd",
                                    "pages/../secret.txt", "file:///etc/passwd"])
def test_rows_never_read_files_outside_the_roots(jail: dict[str, Path], source: str) -> None:
    source = source.format(secret=jail["secret"])
    row = sample_rows(1)[0] | {"source": source, "text": "stored body"}
    out = write_jsonl(jail["tmp"] / "out.jsonl", [row])
    api = TestClient(create_app(ServeConfig(outputs=[out], source_roots=[jail["root"]],
                                            allowed_hosts=["testserver"])))
    response = api.get("/api/records/1")
    assert response.status_code == 200
    assert "TOP-SECRET" not in response.text and "root:" not in response.text
    assert response.json()["original_url"] is None


@pytest.mark.parametrize("path", [
    "/static/../app.py", "/static/..%2fapp.py", "/static/%2e%2e/app.py", "/static/..%5capp.py",
    "/static/%2e%2e%2f%2e%2e%2fpyproject.toml", "/static//etc/passwd",
    "/static/../../../etc/passwd",
    "/api/records/..%2f..%2fetc%2fpasswd", "/api/records/-1",
])
def test_url_paths_cannot_escape_static(path: str) -> None:
    api = TestClient(create_app(ServeConfig(allowed_hosts=["testserver"])))
    response = api.get(path)
    assert response.status_code in (400, 404), path
    assert "create_app" not in response.text and "root:" not in response.text


def test_oversized_paste_and_upload_get_413_with_a_clear_message() -> None:
    api = TestClient(create_app(ServeConfig(max_bytes=2048, allowed_hosts=["testserver"])))
    big = "x" * 5000
    for response in (
        api.post("/api/extract", json={"content": big}),
        api.post("/api/upload", content=big.encode(),
                 headers={"content-type": "application/octet-stream"}),
    ):
        assert response.status_code == 413
        assert "too large" in response.json()["error"] and "MB" in response.json()["error"]
    # A body just under the cap whose JSON-decoded content is small passes.
    assert api.post("/api/extract", json={"content": "x" * 1000}).status_code == 200


def test_streamed_body_without_length_is_capped() -> None:
    api = TestClient(create_app(ServeConfig(max_bytes=2048, allowed_hosts=["testserver"])))

    def chunks():  # no Content-Length: chunked transfer
        for _ in range(10):
            yield b"y" * 1000

    response = api.post("/api/upload", content=chunks(),
                        headers={"content-type": "application/octet-stream"})
    assert response.status_code == 413


def test_gzip_bomb_upload_is_capped() -> None:
    import gzip

    api = TestClient(create_app(ServeConfig(max_bytes=100_000, allowed_hosts=["testserver"])))
    bomb = gzip.compress(b"a" * 5_000_000)
    response = api.post("/api/upload", content=bomb,
                        headers={"content-type": "application/octet-stream"})
    assert response.status_code == 413 and "too large" in response.json()["error"]


def test_foreign_host_header_is_refused() -> None:
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends Host: evil.example."""
    api = TestClient(create_app(ServeConfig()), base_url="http://evil.example")
    assert api.get("/api/records").status_code == 400
    local = TestClient(create_app(ServeConfig()), base_url="http://127.0.0.1:8765")
    assert local.get("/api/records").status_code == 200


def test_same_origin_rule() -> None:
    assert same_origin(None, "127.0.0.1:8765")
    assert same_origin("http://127.0.0.1:8765", "127.0.0.1:8765")
    assert not same_origin("http://evil.example", "127.0.0.1:8765")
    assert not same_origin("null", "127.0.0.1:8765")


def test_serve_listens_on_loopback_by_default() -> None:
    args = build_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.port == 8765


def test_cap_applies_to_content_not_to_json_escaping() -> None:
    api = TestClient(create_app(ServeConfig(max_bytes=2048, allowed_hosts=["testserver"])))
    quotes = '"' * 1500  # 1,500 bytes of content, ~3,000 bytes once JSON-escaped
    assert api.post("/api/extract", json={"content": quotes}).status_code == 200
    huge = b"z" * (2 * 2048 + 65536 + 1)  # over the transport cap: refused before reading
    response = api.post("/api/upload", content=huge,
                        headers={"content-type": "application/octet-stream"})
    assert response.status_code == 413 and "too large" in response.json()["error"]
