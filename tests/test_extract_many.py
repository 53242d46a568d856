"""`copydesk.extract_many`: worker isolation and deadlines under the library call."""

from __future__ import annotations

from pathlib import Path

import pytest

import copydesk
import faults
from copydesk import Record, Status

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _pages() -> list[bytes | str | Record]:
    html = (EXAMPLES / "harbour-wind-farm.html").read_bytes()
    dump = (EXAMPLES / "valley-courier-flood-dump.txt").read_text()
    blog = Record((EXAMPLES / "field-notes-blog.html").read_bytes(),
                  url="https://field-notes.example/2024/03/02/post", id="blog")
    return [html, dump, b"", blog, "<p>too short</p>"] * 3


def test_articles_come_in_input_order_and_equal_extract_record() -> None:
    pages = _pages()
    many = list(copydesk.extract_many(iter(pages), workers=2))
    one = [copydesk.extract_record(p if isinstance(p, Record) else Record(p)) for p in pages]
    assert [a.to_dict() for a in many] == [a.to_dict() for a in one]
    assert [a.status for a in many[:5]] == [Status.OK, Status.OK, Status.EMPTY, Status.OK,
                                            Status.OK]
    assert many[3].id == "blog" and many[3].url == "https://field-notes.example/2024/03/02/post"


def test_options_apply_and_are_checked_before_any_work() -> None:
    articles = list(copydesk.extract_many([_pages()[0]], workers=1, markdown=False))
    assert articles[0].markdown is None and articles[0].text
    with pytest.raises(TypeError, match="unknown option"):
        copydesk.extract_many([], colour="blue")
    with pytest.raises(ValueError, match="timeout"):
        copydesk.extract_many([], timeout=0)


def test_content_of_the_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="content must be bytes"):
        list(copydesk.extract_many(["<p>fine</p>", 42], workers=1))  # type: ignore[list-item]


def test_a_hanging_or_crashing_page_costs_one_error_article(
        monkeypatch: pytest.MonkeyPatch) -> None:
    faults.install(monkeypatch)  # the workers' page hook (tests/faults.py)
    good = _pages()[0]
    pages = [good, b"<p>COPYDESK-FAULT:hang</p>", good, b"<p>COPYDESK-FAULT:segv</p>", good]
    articles = list(copydesk.extract_many(pages, workers=2, timeout=3))
    assert [a.status for a in articles] == [Status.OK, Status.ERROR, Status.OK, Status.ERROR,
                                            Status.OK]
    assert (articles[1].error or "").startswith("timeout:")
    assert (articles[3].error or "").startswith("crashed:")


def test_stopping_early_stops_the_workers() -> None:
    stream = copydesk.extract_many((_pages()[0] for _ in range(1000)), workers=2)
    first = next(stream)
    assert first.status is Status.OK
    stream.close()  # a consumer that breaks out of its loop: no worker is left behind
    import multiprocessing

    assert not multiprocessing.active_children()
