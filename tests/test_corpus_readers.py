"""Containers and files (ADVERSARIAL.md): every case gives rows with reasons or one
file-level error row, and the rest of the input is still read."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from copydesk.corpus import files
from copydesk.corpus.ids import IdRegistry
from copydesk.corpus.items import Item, ReadConfig
from copydesk.corpus.readers import iter_items
from copydesk.errors import InputError, TooLargeError
from copydesk.gz import gunzip_capped
from copydesk_lab.corpus.warcgen import (
    WarcPage,
    http_block,
    request_record,
    response_record,
    warc_record,
    write_warc,
)
from corpus_helpers import article_html


def items_of(*paths: Path | str, **cfg: object) -> tuple[list[Item], ReadConfig]:
    config = ReadConfig(**cfg)  # type: ignore[arg-type]
    return list(iter_items([str(p) for p in paths], config)), config


def errors(items: list[Item]) -> list[str]:
    return [i.preset.error or "" for i in items if i.preset is not None]


def pages(n: int) -> list[bytes]:
    return [response_record(WarcPage(f"http://example.com/{i}", article_html(i))) for i in range(n)]


# -- gzip ---------------------------------------------------------------------------

def test_gzip_bomb_page_is_capped(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"\0" * 20_000_000))  # ~20 KB on disk
    items, _ = items_of(bomb, max_bytes=1_000_000)
    assert len(items) == 1 and errors(items)[0].startswith("too large")


def test_nested_gzip_cap_applies_to_every_layer() -> None:
    inner = gzip.compress(gzip.compress(b"x" * 5_000_000))
    with pytest.raises(TooLargeError):
        gunzip_capped(gzip.compress(inner), 1_000_000)
    assert gunzip_capped(gzip.compress(gzip.compress(b"<p>ok</p>")), 100) == b"<p>ok</p>"


def test_too_many_layers_is_an_input_error() -> None:
    data = b"<p>x</p>"
    for _ in range(6):
        data = gzip.compress(data)
    with pytest.raises(InputError):
        gunzip_capped(data, 10_000)


def test_truncated_and_corrupt_page_gz(tmp_path: Path) -> None:
    good = gzip.compress(article_html(1) * 50)
    (tmp_path / "a.html.gz").write_bytes(good[:-200])
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0xFF
    (tmp_path / "b.html.gz").write_bytes(bytes(flipped))
    items, _ = items_of(tmp_path / "a.html.gz", tmp_path / "b.html.gz")
    assert len(items) == 2
    assert all("gzip" in e for e in errors(items)), errors(items)


def test_mislabelled_compression_detected_by_magic(tmp_path: Path) -> None:
    fake = tmp_path / "page.html.gz"  # says gzip, is plain HTML
    fake.write_bytes(article_html(3))
    hidden = tmp_path / "page.html"  # says HTML, is gzip
    hidden.write_bytes(gzip.compress(article_html(4)))
    noext = tmp_path / "crawl.bin"  # a WARC without the extension
    write_warc(str(noext), pages(2), compress=True)
    items, _ = items_of(fake, hidden, noext)
    assert [i.preset for i in items] == [None] * 4
    assert items[1].record.content == article_html(4)
    assert items[2].record.url == "http://example.com/0"


def test_unsupported_compression_is_one_file_error(tmp_path: Path) -> None:
    path = tmp_path / "x.html.bz2"
    path.write_bytes(b"BZh91AY&SY" + b"\0" * 50)
    items, cfg = items_of(path)
    assert errors(items) == ["file error: unsupported compression: bzip2"]
    assert cfg.file_errors == 1


# -- WARC ---------------------------------------------------------------------------

def test_warc_fields_png_and_empty(tmp_path: Path) -> None:
    records = [
        *pages(2),
        request_record("http://example.com/0"),
        response_record(WarcPage("http://example.com/img", b"\x89PNG\r\n\x1a\n", "image/png")),
        response_record(WarcPage("http://example.com/empty", b"")),
        warc_record(b"software: test", kind="warcinfo", content_type="application/warc-fields"),
    ]
    write_warc(str(tmp_path / "c.warc.gz"), records, compress=True)
    items, cfg = items_of(tmp_path / "c.warc.gz")
    assert len(items) == 4  # two pages, the PNG and the empty response
    first = items[0].record
    assert first.url == "http://example.com/0" and first.http_charset == "utf-8"
    assert first.date_crawled == "2024-01-01T00:00:00Z"
    assert first.source == f"{tmp_path / 'c.warc.gz'}@0"
    assert errors(items) == ["not a page (content type image/png)"]
    assert items[3].record.content == b"" and items[3].preset is None
    assert cfg.skips == {"WARC request record": 1, "WARC warcinfo record": 1}


@pytest.mark.parametrize("length", ["5", "-5", "abc", "99999999"])
def test_warc_length_lies_later_records_continue(tmp_path: Path, length: str) -> None:
    liar = warc_record(http_block(WarcPage("http://x/lie", b"<p>lie</p>")), url="http://x/lie",
                       length=length)
    path = tmp_path / "lie.warc"
    write_warc(str(path), [liar, *pages(3)], compress=False)
    items, _ = items_of(path)
    urls = [i.record.url for i in items]
    assert urls[-3:] == [f"http://example.com/{i}" for i in range(3)]
    assert len(items) == 4


@pytest.mark.parametrize("compress", [False, True])
def test_truncated_warc_keeps_complete_records(tmp_path: Path, compress: bool) -> None:
    path = tmp_path / "t.warc"
    write_warc(str(path), pages(4), compress=compress)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 300])
    items, _ = items_of(path)
    ok = [i for i in items if i.preset is None]
    assert [i.record.url for i in ok[:3]] == [f"http://example.com/{i}" for i in range(3)]
    assert len(items) <= 5


def test_garbage_between_plain_records_resynchronises(tmp_path: Path) -> None:
    recs = pages(3)
    path = tmp_path / "g.warc"
    path.write_bytes(recs[0] + b"GARBAGE\r\n\x00\x01 junk\r\n" + recs[1] + recs[2])
    items, _ = items_of(path)
    assert [i.record.url for i in items] == [f"http://example.com/{i}" for i in range(3)]


def test_garbage_and_flipped_bytes_in_gzip_warc(tmp_path: Path) -> None:
    members = [gzip.compress(r, mtime=0) for r in pages(4)]
    path = tmp_path / "g.warc.gz"
    path.write_bytes(members[0] + b"JUNK" * 20 + b"".join(members[1:]))
    items, cfg = items_of(path)
    urls = [i.record.url for i in items if i.preset is None]
    assert urls == [f"http://example.com/{i}" for i in range(4)]
    assert len(errors(items)) == 1 and cfg.skips["WARC damage skipped (resynchronised)"] >= 1
    broken = bytearray(b"".join(members))
    broken[len(members[0]) + len(members[1]) // 2] ^= 0xFF
    path.write_bytes(bytes(broken))
    items, _ = items_of(path)
    urls = [i.record.url for i in items if i.preset is None]
    assert urls == ["http://example.com/0", "http://example.com/2", "http://example.com/3"]
    assert len(errors(items)) == 1 and "corrupt gzip member" in errors(items)[0]


def test_gzip_bomb_as_warc_payload(tmp_path: Path) -> None:
    bomb = gzip.compress(b"\0" * 20_000_000)
    rec = response_record(WarcPage("http://example.com/bomb", bomb))
    path = tmp_path / "b.warc.gz"
    write_warc(str(path), [rec, *pages(1)], compress=True)
    items, _ = items_of(path, max_bytes=1_000_000)
    assert errors(items) == [f"too large: decompressed size over {1_000_000} bytes"]
    assert items[1].record.url == "http://example.com/0"


def test_resource_record_and_duplicate_record_ids(tmp_path: Path) -> None:
    page = article_html(9)
    resource = warc_record(page, kind="resource", url="file:///a b.html",
                           content_type="text/html")
    path = tmp_path / "r.warc"
    write_warc(str(path), [resource, resource, resource], compress=False)
    items, _ = items_of(path)
    registry = IdRegistry()
    ids = [registry.claim(i.record.id or "") for i in items]
    assert len(items) == 3 and len(set(ids)) == 3  # unique in the run, by the sink's registry
    assert ids[1:] == [f"{ids[0]}#2", f"{ids[0]}#3"]
    assert [i.record.id for i in items] == [i.record.id for i in items_of(path)[0]]


def test_arc_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "old.arc"
    path.write_bytes(b"filedesc://old.arc 0.0.0.0 20010101000000 text/plain 70\n1 0 Test\n")
    items, _ = items_of(path)
    assert errors(items) == ["file error: ARC (pre-WARC) files are not supported"]


# -- JSONL --------------------------------------------------------------------------

def test_jsonl_faults_give_line_numbered_rows(tmp_path: Path) -> None:
    lines = [
        json.dumps({"content": "<p>one</p>", "url": "http://a/1", "id": "a1"}),
        '{"content": "<p>broken"',
        "[1, 2, 3]",
        '{"content": NaN}',
        json.dumps({"url": "http://a/5"}),
        json.dumps({"content": "<p>nul \u0000 here</p>"}),
        "",
        json.dumps({"content": "<p>last</p>", "id": 7}),
    ]
    path = tmp_path / "x.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode())  # BOM, CRLF, no final \n
    items, cfg = items_of(path)
    assert len(items) == 7 and cfg.skips["blank JSONL line"] == 1
    assert items[0].record.id == "a1" and items[0].record.url == "http://a/1"
    errs = {i.record.source: i.preset.error for i in items if i.preset is not None}
    assert set(errs) == {f"{path}:{n}" for n in (2, 3, 4, 5)}
    assert all(e and e.startswith("broken JSONL line") for e in errs.values())
    assert items[-1].record.id == "7" and items[-1].record.content == "<p>last</p>"


def test_jsonl_custom_fields_and_gz(tmp_path: Path) -> None:
    path = tmp_path / "crawl.jsonl.gz"
    rows = [{"html": f"<p>page {i}</p>", "link": f"http://b/{i}", "key": f"k{i}"} for i in range(3)]
    path.write_bytes(gzip.compress("\n".join(json.dumps(r) for r in rows).encode()))
    items, _ = items_of(path, jsonl_content="html", jsonl_url="link", jsonl_id="key")
    expected = [(f"k{i}", f"http://b/{i}") for i in range(3)]
    assert [(i.record.id, i.record.url) for i in items] == expected


def test_jsonl_huge_line_is_skipped_in_bounded_pieces(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    big = json.dumps({"content": "x" * 3_000_000})
    path.write_text(json.dumps({"content": "<p>a</p>"}) + "\n" + big + "\n"
                    + json.dumps({"content": "<p>b</p>"}) + "\n")
    items, _ = items_of(path, max_line_bytes=100_000)
    assert len(items) == 3 and errors(items)[0].startswith("too large")
    assert items[2].record.content == "<p>b</p>"


def test_truncated_jsonl_gz_keeps_lines_before_damage(tmp_path: Path) -> None:
    rows = "\n".join(json.dumps({"content": f"<p>{i} " + "w" * 500 + "</p>"}) for i in range(200))
    data = gzip.compress(rows.encode())
    path = tmp_path / "t.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items, cfg = items_of(path)
    assert cfg.file_errors == 1 and errors(items)[-1].startswith("file error")
    assert len(items) > 20


# -- file system --------------------------------------------------------------------

def test_file_system_oddities_are_skipped_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "ok.html").write_bytes(article_html(1))
    os.symlink(tmp_path / "loop1.html", tmp_path / "loop2.html")
    os.symlink(tmp_path / "loop2.html", tmp_path / "loop1.html")
    os.mkfifo(tmp_path / "fifo.html")
    os.symlink("/dev/zero", tmp_path / "zero.html")
    os.symlink(tmp_path, tmp_path / "sub.html")  # a folder loop, not followed
    weird = os.fsencode(tmp_path) + b"/caf\xe9.html"
    with open(weird, "wb") as handle:
        handle.write(article_html(2))
    items, _ = items_of(tmp_path)
    by_name = {Path(i.record.source or "").name: i for i in items}
    assert by_name["ok.html"].preset is None
    assert "FIFO" in (by_name["fifo.html"].preset.error or "")
    assert "device" in (by_name["zero.html"].preset.error or "")
    assert "symbolic links" in (by_name["loop1.html"].preset.error or "")
    assert by_name["caf\\xe9.html"].preset is None  # non-UTF-8 name survives as text
    assert len(items) == 6


def test_unreadable_file_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.html"
    path.write_bytes(b"<p>x</p>")
    monkeypatch.setattr(files.os, "access", lambda *_: False)  # root can read anything
    items, cfg = items_of(path)
    assert errors(items) == ["file error: cannot read: permission denied"]
    assert cfg.file_errors == 1


def test_missing_input_and_empty_glob(tmp_path: Path) -> None:
    items, _ = items_of(tmp_path / "nope.html", tmp_path / "*.warc")
    assert errors(items) == ["file error: cannot read: no such file or directory",
                             "file error: no file matches the pattern"]


def test_huge_text_dump_without_newline_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    with open(path, "wb") as handle:
        for _ in range(30):
            handle.write(b"word " * 200_000)  # 30 MB, no newline
    items, _ = items_of(path, max_bytes=5_000_000)
    assert errors(items) == ["too large: over 5000000 bytes"]


def test_folder_walk_is_sorted_and_filtered(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.html").write_bytes(article_html(2))
    (tmp_path / "a.htm").write_bytes(article_html(1))
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden.html").write_bytes(b"x")
    items, _ = items_of(tmp_path)
    assert [Path(i.record.source or "").name for i in items] == ["a.htm", "2.html"]


def test_megabyte_headers_and_unannounced_gzip_payload(tmp_path: Path) -> None:
    big = warc_record(http_block(WarcPage("http://x/big", b"<p>big</p>")), url="http://x/big")
    big = big.replace(b"WARC-Date:", b"X-Junk: " + b"a" * 1_000_000 + b"\r\nWARC-Date:", 1)
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Big: " + b"b" * 1_000_000
            + b"\r\n\r\n<p>hb</p>")
    zipped = warc_record(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
                         + gzip.compress(b"<p>zipped</p>"), url="http://x/gz")
    lying = warc_record(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip"
                        b"\r\n\r\n<p>plain</p>", url="http://x/lies")
    path = tmp_path / "h.warc"
    write_warc(str(path), [big, warc_record(http, url="http://x/bighttp"), zipped, lying],
               compress=False)
    items, _ = items_of(path)
    assert [i.record.content for i in items] == [b"<p>big</p>", b"<p>hb</p>", b"<p>zipped</p>",
                                                 b"<p>plain</p>"]
