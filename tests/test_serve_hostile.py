"""Issue 13, the inspector's hostile-audit classes: odd rows and queries never a 500,
listings trimmed, the original frame bounded, nested JSON refused, slow clients cut."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from copydesk.serve.app import ServeConfig, create_app
from serve_fixtures import sample_rows


def client(**config: object) -> TestClient:
    config.setdefault("allowed_hosts", ["testserver"])
    return TestClient(create_app(ServeConfig(**config)))  # type: ignore[arg-type]


def _wait_loaded(api: TestClient) -> None:
    for _ in range(200):
        if not api.get("/api/records").json().get("loading"):
            return
        time.sleep(0.05)


def test_rows_with_nan_and_lone_surrogates_do_not_break_the_corpus_view(tmp_path: Path
                                                                        ) -> None:
    rows = sample_rows(8)
    path = tmp_path / "odd.jsonl"
    lines = [json.dumps(r) for r in rows]
    lines[1] = lines[1].replace('"title": "Story number 1"', '"title": "bad \\ud800 title"')
    lines[2] = lines[2].replace('"language": "de"', '"language": NaN')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    api = client(outputs=[path])
    _wait_loaded(api)
    listing = api.get("/api/records")
    assert listing.status_code == 200 and listing.json()["total"] == 8
    assert api.get("/api/facets").status_code == 200
    for rid in (2, 3):
        assert api.get(f"/api/records/{rid}").status_code == 200


@pytest.mark.parametrize("value", ["²", "-1", "1e9", "99999999999999999999", "", "٣"])
def test_odd_query_values_are_not_500(tmp_path: Path, value: str) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in sample_rows(8)))
    api = client(outputs=[path])
    _wait_loaded(api)
    for name in ("limit", "offset"):
        response = api.get("/api/records", params={name: value})
        assert response.status_code == 200, (name, value)


def test_listings_are_trimmed_not_full_texts(tmp_path: Path) -> None:
    rows = sample_rows(8)
    for row in rows:
        row["text"] = "word " * 2_000_000  # 10 MB each
    path = tmp_path / "big.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    api = client(outputs=[path])
    _wait_loaded(api)
    response = api.get("/api/records")
    assert response.status_code == 200 and len(response.content) < 200_000
    row = response.json()["rows"][0]
    assert row["text_chars"] == 10_000_000 and len(row["text"]) <= 600


def test_nested_json_posted_to_extract_is_a_400() -> None:
    api = client()
    body = '{"content": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = api.post("/api/extract", content=body,
                        headers={"content-type": "application/json"})
    assert response.status_code == 400


def test_huge_page_original_frame_is_bounded() -> None:
    from copydesk.serve.pageview import original_html

    page = "<html><body>" + "<div>x</div>" * 99_000 + "</body></html>"
    began = time.monotonic()
    html = original_html(page, "html", "utf-8")
    assert time.monotonic() - began < 10
    assert "source is shown as text" in html and "<div>x</div>" not in html


def test_slow_headers_are_cut_by_the_server() -> None:
    import uvicorn

    from copydesk.serve.timeouts import TimedH11Protocol

    TimedH11Protocol.header_timeout = 1.0
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(ServeConfig(allowed_hosts=["127.0.0.1"]))
    config = uvicorn.Config(app, http=TimedH11Protocol, log_level="error")
    server = uvicorn.Server(config)

    async def scenario() -> bytes:
        serve = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:
            await asyncio.sleep(0.05)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never finishes its headers
        await writer.drain()
        try:
            data = await asyncio.wait_for(reader.read(), 10)
        finally:
            server.should_exit = True
            await serve
        return data

    try:
        assert asyncio.run(scenario()) == b""  # closed by the server, well before 10 s
    finally:
        TimedH11Protocol.header_timeout = 10.0
