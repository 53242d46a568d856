"""`extract()` as callers see it on bad input: always an Article, the
encoding it used and what it declared, notes on what was dropped."""

from __future__ import annotations

import codecs
import json

import pytest

from copydesk import extract
from copydesk.api import extract_record
from copydesk.article import Record, Status

STORY = ("<html><head><title>Budget</title>{meta}</head><body><article><h1>Budget</h1>"
         "<p>Le conseil a adopté le budget mardi après un long débat sur les écoles.</p>"
         "<p>La nouvelle bibliothèque ouvrira au printemps, a précisé la maire.</p>"
         "</article></body></html>")


def test_encoding_used_and_declared_are_recorded() -> None:
    html = STORY.format(meta='<meta charset="utf-8">')
    article = extract(html.encode("cp1252"), explain=True)
    assert article.status is Status.OK and "adopté" in article.text
    assert article.encoding == "windows-1252"
    assert article.explanation is not None
    notes = article.explanation.notes
    assert "encoding: windows-1252" in notes and "declared=utf-8" in notes
    assert "declared-charset-wrong" in notes


def test_http_charset_option_and_record_field() -> None:
    html = STORY.format(meta="").replace("Budget</h1>", "Бюджет</h1>")
    data = html.replace("é", "e").replace("è", "e").encode("koi8-r")
    koi8 = codecs.lookup("koi8-r").name
    article = extract(data, http_charset="KOI8-R")
    assert article.encoding is not None and codecs.lookup(article.encoding).name == koi8
    assert "Бюджет" in article.text
    article = extract_record(Record(content=data, http_charset="koi8-r"))
    assert "Бюджет" in article.text


def test_bom_wins_and_is_noted() -> None:
    data = codecs.BOM_UTF16_LE + STORY.format(meta='<meta charset="utf-8">').encode("utf-16-le")
    article = extract(data, explain=True)
    assert article.encoding == "utf-16le" and "adopté" in article.text
    assert article.explanation is not None and "bom" in article.explanation.notes


def test_flattening_is_noted() -> None:
    article = extract("<div>" * 5000 + STORY.format(meta=""), explain=True)
    assert article.status is Status.OK and "adopté" in article.text
    assert article.explanation is not None
    assert any(n.startswith("flattened:") for n in article.explanation.notes)


@pytest.mark.parametrize("content", [None, 42, ["<p>x</p>"], bytearray(b"<p>x</p>"),
                                     memoryview(b"<p>x</p>")])
def test_wrong_content_types_are_a_type_error_naming_what_is_accepted(content: object) -> None:
    """The one documented exception besides unknown options: a programming error,
    not a bad page, so it is raised rather than returned as an error row."""
    with pytest.raises(TypeError, match=r"content must be bytes .* or str .*, not "):
        extract(content)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=type(content).__name__):
        extract_record(Record(content=content))  # type: ignore[arg-type]


def test_unknown_option_is_a_programmer_error() -> None:
    with pytest.raises(TypeError, match="unknown option"):
        extract("<p>x</p>", no_such_option=True)


def test_lone_surrogates_in_str_input_and_url() -> None:
    html = STORY.format(meta="").replace("mardi", "mardi \ud800\udfff")
    article = extract(html, url="https://example.org/\ud800")
    json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")
    assert "\ud800" not in article.text


def test_nasty_record_writes_to_jsonl_and_parquet(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    nasty = "a\x00b\x01c\ufffed\uffffe\ud800f"
    html = (f"<html><head><title>T{nasty}</title><meta name=author content='{nasty}'></head>"
            f"<body><article><h1>H{nasty}</h1><p>{nasty} " + "Le conseil a adopté le budget. " * 5
            + "</p></article></body></html>")
    rows = [extract(html, url=f"https://x.org/{nasty}").to_dict(),
            extract(html.encode("utf-8", "surrogatepass")).to_dict()]
    (tmp_path / "out.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "out.parquet")
    back = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [r["text"] for r in back] == [r["text"] for r in rows]
    assert "adopté" in back[0]["text"]
