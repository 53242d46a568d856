"""Bad text input: clear status and reason, bounded work (sizes kept small for speed)."""

from __future__ import annotations

import copydesk
from copydesk.text.lines import MAX_LINE_CHARS

PROSE = ("The council approved the new budget on Monday after a long debate, and the mayor "
         "said the money would go to schools and the harbour. ")


def test_index_page_without_article_is_empty() -> None:
    headlines = [f"Council approves budget for harbour district {i}" for i in range(30)]
    menu = ["Home", "News", "Sport", "Weather", "Contact us", "Privacy policy"]
    article = copydesk.extract("\n".join(menu + headlines + menu), input_format="text")
    assert article.status == "empty"
    assert article.error
    assert article.rung == "text:none"


def test_only_whitespace_is_empty() -> None:
    for content in ("", "   \n\t\n  \r\n", b"\n\n\n"):
        article = copydesk.extract(content, input_format="text")
        assert article.status == "empty"
        assert article.error


def test_one_huge_line_is_cut_and_bounded() -> None:
    line = PROSE * 20_000  # ~2.6 MB on one line
    article = copydesk.extract(line, input_format="text", explain=True)
    assert article.status in ("ok", "empty")
    assert article.explanation is not None
    assert all(len(b.text) <= MAX_LINE_CHARS for b in article.explanation.blocks)
    assert any("long line" in n for n in article.explanation.notes)


def test_one_huge_line_without_spaces() -> None:
    article = copydesk.extract("x" * 1_000_000, input_format="text")
    assert article.status in ("ok", "empty")


def test_binary_junk_gets_a_status_and_reason() -> None:
    junk = bytes(range(256)) * 2000 + b"\x89PNG\r\n\x1a\n" + b"\x00" * 5000
    article = copydesk.extract(junk, input_format="text")
    assert article.status in ("error", "empty")
    assert article.error


def test_mixed_encodings_decode_and_extract() -> None:
    body = (PROSE * 3).encode("utf-8") + "\nCafé résumé naïve — déjà vu. ".encode("cp1252")
    article = copydesk.extract(b"Home\nNews\n\n" + body + b"\n\n" + (PROSE * 2).encode("utf-8"),
                               input_format="text")
    assert article.status == "ok"
    assert "council approved" in article.text
    article.to_dict()  # serialisable


def test_control_characters_and_many_short_lines() -> None:
    text = "\x00\x01Home\x0b\x0c\u2028" + "\n".join(f"item {i}" for i in range(50_000))
    article = copydesk.extract(text + "\n\n" + PROSE * 3, input_format="text")
    assert article.status in ("ok", "empty")


def test_text_cap_bounds_huge_dumps(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from copydesk.text import lines

    monkeypatch.setattr(lines, "MAX_TEXT_CHARS", 100_000)
    article = copydesk.extract(PROSE * 5_000, input_format="text", explain=True)
    assert article.explanation is not None
    assert any("text cap hit" in n for n in article.explanation.notes)
    assert sum(len(b.text) for b in article.explanation.blocks) <= 100_000
