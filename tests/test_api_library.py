"""The library as a caller meets it: JSON forms, gzip bytes, a dump's own url header."""

from __future__ import annotations

import gzip
import json

import pytest

import copydesk
from copydesk import Status, extract

STORY = ("<html><head><title>Harbour budget</title></head><body><article><h1>Harbour budget"
         "</h1><p>The council adopted the harbour budget on Tuesday after a long debate about "
         "the schools and the new library.</p><p>The library will open in the spring, the "
         "mayor said, and the harbour works will start in May.</p></article></body></html>")

DUMP = """Home
News
Sport
Council adopts the harbour budget
The council adopted the harbour budget on Tuesday after a long debate about the schools, \
the new library and the state of the sea wall, which flooded twice last winter.
The library will open in the spring, the mayor said, and the harbour works will start in \
May if the weather allows the divers to inspect the old piers first.
Contact us | Advertise
"""


def test_to_dict_and_to_json_are_json_safe() -> None:
    article = extract(STORY, url="https://example.org/2024/05/14/budget", explain=True)
    assert article.status is Status.OK
    row = json.loads(json.dumps(article.to_dict()))
    assert row["status"] == "ok" and row["title"] == "Harbour budget"
    assert list(row)[: len(copydesk.article.OUTPUT_FIELDS)] == list(
        copydesk.article.OUTPUT_FIELDS)
    assert row["explanation"]["blocks"][0]["reason"]
    assert json.loads(article.to_json()) == row
    plain = extract(STORY)
    assert "explanation" not in plain.to_dict()
    assert copydesk.Article.from_dict(plain.to_dict()) == plain


def test_candidate_values_of_any_type_still_serialise() -> None:
    article = extract(STORY, explain=True)
    assert article.explanation is not None
    article.explanation.candidates["odd"] = [{"value": {1, 2}, "source": object()}]
    json.dumps(article.to_dict())


def test_gzip_bytes_are_inflated_like_the_command_line_does() -> None:
    packed = gzip.compress(STORY.encode("utf-8"))
    article = extract(packed)
    assert article.status is Status.OK and "harbour budget" in article.text
    assert article.content_hash == extract(STORY).content_hash
    twice = gzip.compress(packed)
    assert extract(twice).content_hash == article.content_hash


def test_gzip_bombs_and_corrupt_gzip_are_error_records() -> None:
    bomb = gzip.compress(b"<p>" + b"a" * (2 << 20) + b"</p>")
    article = extract(bomb, max_bytes=1 << 20)
    assert article.status is Status.ERROR and "too large" in (article.error or "")
    broken = gzip.compress(STORY.encode())[:-12]
    article = extract(broken)
    assert article.status is Status.ERROR and "gzip" in (article.error or "")


_URL = "https://www.valleycourier.example/2024/04/18/harbour"


@pytest.mark.parametrize("header", [f"url: {_URL}", f"WARC-Target-URI: {_URL}"])
def test_a_dump_headed_with_its_url_gets_url_site_and_date(header: str) -> None:
    article = extract(f"{header}\n{DUMP}", input_format="text")
    assert article.status is Status.OK
    assert article.url == "https://www.valleycourier.example/2024/04/18/harbour"
    assert article.site_name == "valleycourier.example"
    assert article.date_published == "2024-04-18"
    assert "valleycourier.example" not in article.text


def test_the_records_url_wins_over_the_header() -> None:
    article = extract(f"url: https://a.example/2024/04/18/x\n{DUMP}",
                      url="https://b.example/story", input_format="text")
    assert article.url == "https://b.example/story"
    assert article.site_name == "b.example"
