"""The inspector's JSON API, in process (Starlette TestClient)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from copydesk.article import OUTPUT_FIELDS
from copydesk.serve.app import ServeConfig, create_app
from serve_fixtures import PARAGRAPHS, news_page, sample_rows, write_jsonl, write_parquet


def client(**config: object) -> TestClient:
    config.setdefault("allowed_hosts", ["testserver"])
    return TestClient(create_app(ServeConfig(**config)))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def api() -> TestClient:
    return client()


def test_extract_returns_record_blocks_and_candidates(api: TestClient) -> None:
    response = api.post("/api/extract", json={"content": news_page(), "url": "https://example.com/a",
                                              "input_format": "html"})
    assert response.status_code == 200
    body = response.json()
    assert set(OUTPUT_FIELDS) <= set(body)
    assert body["url"] == "https://example.com/a"
    assert isinstance(body["candidates"], dict)
    assert [a["rung"] for a in body["attempts"] if a["chosen"]] == [body["rung"]]
    blocks = body["blocks"]
    assert all(set(b) >= {"text", "kept", "reason"} for b in blocks)
    texts = [b["text"] for b in blocks]
    positions = [texts.index(p) for p in PARAGRAPHS]
    assert positions == sorted(positions), "blocks must come in reading order"
    assert all(b["kept"] for b in blocks if b["text"] in PARAGRAPHS)
    assert all(b["reason"] for b in blocks), "every block says why"
    assert "<script" not in api.get(body["original_url"]).text


def test_extract_text_dump_keeps_every_line_in_order(api: TestClient) -> None:
    dump = "Home\nNews\n\n" + "\n\n".join(PARAGRAPHS) + "\n\nContact us\n"
    body = api.post("/api/extract", json={"content": dump, "url": None,
                                          "input_format": "text"}).json()
    assert body["input_format"] == "text"
    joined = [b["text"] for b in body["blocks"]]
    for paragraph in PARAGRAPHS:
        assert paragraph in joined
    original = api.get(body["original_url"]).text
    assert original.count("<pre") == 1 and "Contact us" in original


@pytest.mark.parametrize("payload, status", [
    ({"url": None}, 400),
    ({"content": 5}, 400),
    ({"content": "x", "input_format": "pdf"}, 400),
    ({"content": "x", "url": 3}, 400),
])
def test_extract_rejects_malformed_bodies(api: TestClient, payload: dict, status: int) -> None:
    response = api.post("/api/extract", json=payload)
    assert response.status_code == status
    assert "error" in response.json()


def test_extract_needs_json_content_type(api: TestClient) -> None:
    response = api.post("/api/extract", content=b'{"content": "x"}',
                        headers={"content-type": "text/plain"})
    assert response.status_code == 415


def test_extract_refuses_cross_origin_posts(api: TestClient) -> None:
    response = api.post("/api/extract", json={"content": "x"},
                        headers={"origin": "https://evil.example"})
    assert response.status_code == 403


def test_upload_bytes_and_gzip(api: TestClient) -> None:
    page = news_page().encode("utf-8")
    for data in (page, gzip.compress(page)):
        response = api.post("/api/upload?name=a.html", content=data,
                            headers={"content-type": "application/octet-stream"})
        assert response.status_code == 200
        assert PARAGRAPHS[0] in response.json()["text"]


def test_records_search_filter_and_paginate(tmp_path: Path) -> None:
    rows = sample_rows(30)
    api = client(outputs=[write_jsonl(tmp_path / "a.jsonl", rows[:15]),
                          write_parquet(tmp_path / "b.parquet", rows[15:])])
    everything = api.get("/api/records").json()
    assert everything["total"] == 30
    found = api.get("/api/records", params={"q": "zebra"}).json()
    assert found["total"] == 1 and found["rows"][0]["id"] == "page-7"
    assert "\ue000" in found["rows"][0]["snippet"]  # the match is marked
    assert api.get("/api/records", params={"q": "zeb*"}).json()["total"] == 1  # prefix
    assert api.get("/api/records", params={"status": "error"}).json()["total"] == 1
    assert api.get("/api/records", params={"site": "news1.example"}).json()["total"] == 10
    page = api.get("/api/records", params={"limit": 10, "offset": 25}).json()
    assert [r["id"] for r in page["rows"]] == [f"page-{n}" for n in range(25, 30)]
    assert page["total"] == 30


def test_records_language_dates_and_duplicates(tmp_path: Path) -> None:
    api = client(outputs=[write_jsonl(tmp_path / "a.jsonl", sample_rows(30))])
    assert api.get("/api/records", params={"language": "de"}).json()["total"] == 15
    dated = api.get("/api/records", params={"date_from": "2024-01-02", "date_to": "2024-01-03"})
    assert {r["id"] for r in dated.json()["rows"]} == {"page-1", "page-2", "page-29"}
    assert api.get("/api/records", params={"dups": "only"}).json()["total"] == 1
    assert api.get("/api/records", params={"dups": "exclude"}).json()["total"] == 29


def test_facets_count_status_and_reason(tmp_path: Path) -> None:
    api = client(outputs=[write_jsonl(tmp_path / "a.jsonl", sample_rows(30))])
    facets = api.get("/api/facets").json()
    assert dict(map(tuple, facets["status"])) == {"ok": 28, "error": 1, "empty": 1}
    assert dict(map(tuple, facets["reason"])) == {"cannot read": 1, "no article found": 1}
    assert facets["duplicates"] == 1


def test_search_words_cannot_inject_fts_syntax(tmp_path: Path) -> None:
    api = client(outputs=[write_jsonl(tmp_path / "a.jsonl", sample_rows(10))])
    for query in ('"', "NEAR(", "title:*", "a OR", "-x", "*", "') OR 1=1 --"):
        response = api.get("/api/records", params={"q": query})
        assert response.status_code == 200, query


def test_broken_jsonl_lines_are_counted_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    write_jsonl(path, sample_rows(3))
    path.write_text(path.read_text() + "{not json\n[1, 2]\n", encoding="utf-8")
    api = client(outputs=[path])
    files = api.get("/api/files").json()["files"]
    assert files == [{"name": "a.jsonl", "rows": 3, "skipped": 2,
                      "problems": ["line 4: not a JSON object", "line 5: not a JSON object"]}]


def test_row_is_re_extracted_from_an_allowed_source(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "0.html").write_text(news_page(), encoding="utf-8")
    row = sample_rows(1)[0] | {"source": str(pages / "0.html")}
    api = client(outputs=[write_jsonl(tmp_path / "a.jsonl", [row])], source_roots=[pages])
    body = api.get("/api/records/1").json()
    assert body["rid"] == 1
    assert any("re-extracted" in n for n in body["notes"])
    assert PARAGRAPHS[0] in [b["text"] for b in body["blocks"]]
    assert "<nav" in api.get(body["original_url"]).text


def test_row_without_allowed_source_shows_stored_record(tmp_path: Path) -> None:
    api = client(outputs=[write_jsonl(tmp_path / "a.jsonl", sample_rows(2))])
    body = api.get("/api/records/2").json()
    assert body["id"] == "page-1" and body["original_url"] is None
    assert any("not among the allowed paths" in n for n in body["notes"])
    assert body["blocks"][0]["text"].startswith("Body of story 1")
    assert api.get("/api/records/99").status_code == 404


def test_preloaded_file(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(news_page(), encoding="utf-8")
    api = client(open_file=page)
    body = api.get("/api/preloaded").json()
    assert PARAGRAPHS[1] in body["text"] and body["source"] == "p.html"
    assert client().get("/api/preloaded").status_code == 404


def test_pages_render(api: TestClient) -> None:
    for path in ("/", "/corpus"):
        response = api.get(path)
        assert response.status_code == 200
        assert "/static/" in response.text and "https://" not in response.text


def test_corrupt_output_file_is_reported_and_others_still_load(tmp_path: Path) -> None:
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 this is not parquet")
    good = write_jsonl(tmp_path / "good.jsonl", sample_rows(5))
    api = client(outputs=[bad, good])
    files = api.get("/api/files").json()["files"]
    assert files[0]["name"] == "bad.parquet" and files[0]["rows"] == 0
    assert "cannot read further" in files[0]["problems"][0]
    assert api.get("/api/records").json()["total"] == 5
    assert api.get("/api/records", params={"q": "zebra"}).json()["total"] == 0


def test_serves_a_real_parquet_output_of_copydesk_extract(tmp_path: Path) -> None:
    from copydesk.cli import main as cli_main

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_text(news_page(), encoding="utf-8")
    (pages / "b.html").write_text(news_page().replace("night bus", "tram"), encoding="utf-8")
    out = tmp_path / "run.parquet"
    assert cli_main(["extract", str(pages), "-o", str(out)]) == 0
    api = client(outputs=[out], source_roots=[pages])
    assert api.get("/api/records").json()["total"] == 2
    found = api.get("/api/records", params={"q": "tram"}).json()
    assert found["total"] == 1
    opened = api.get(f"/api/records/{found['rows'][0]['rid']}").json()
    assert any("re-extracted" in n for n in opened["notes"])


def test_background_loading_answers_at_once_then_serves_rows(tmp_path: Path) -> None:
    import time

    out = write_jsonl(tmp_path / "a.jsonl", sample_rows(30))
    api = TestClient(create_app(ServeConfig(outputs=[out], allowed_hosts=["testserver"]),
                                background=True))
    first = api.get("/api/records").json()
    assert first.get("loading") is True or first["total"] == 30
    assert api.get("/").status_code == 200
    deadline = time.monotonic() + 20
    while api.get("/api/records").json().get("loading") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert api.get("/api/records").json()["total"] == 30
    assert api.get("/api/files").json()["files"][0]["rows"] == 30
