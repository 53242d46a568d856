"""Site names and languages: the fault classes of the real-world audit
(copyright sentences as site names, a charset as the language) and the
title's site segment as a source; the text-dump headline kept consistent
with the text classifier."""

from __future__ import annotations

import pytest

import copydesk
from copydesk.blocks import Block
from copydesk.metadata.html_dom import copyright_holder
from copydesk.metadata.reconcile import language_tag_problem
from copydesk.metadata.text_dump import _agree_with_classifier
from copydesk.metadata.title import site_segment

BODY = "<p>" + "Plenty of words in a paragraph of the story itself. " * 12 + "</p>"


@pytest.mark.parametrize(("line", "holder"), [
    ("Copyright Notice MMVIII The Site", "The Site"),
    ("Copyright © MMVIII Example News", "Example News"),
    ("© 2008 All Rights Reserved.", None),
    ("© Copyright 2008 - All Rights Reserved", None),
    ("© This site is owned by or licensed to Example Media Ltd", None),
    ("(c) 2008 www", None),
    ("Copyright © 2008 www.example.com", "example.com"),
    ("© 2020 The Site. All rights reserved.", "The Site"),
    ("Copyright 2007, Acme News Ltd. All Rights Reserved", "Acme News Ltd"),
])
def test_copyright_lines_give_a_holder_never_a_sentence(line: str, holder: str | None) -> None:
    assert copyright_holder(line) == holder


def test_copyright_sentence_is_never_the_site_name() -> None:
    page = (f"<html><head><title>A story about things here</title></head><body>{BODY}"
            "<footer>© 2008 All Rights Reserved.</footer></body></html>").encode()
    assert copydesk.extract(page).site_name is None
    assert copydesk.extract(page, url="https://www.example.com/a").site_name == "example.com"


def test_title_segment_naming_the_host_is_the_site_name() -> None:
    assert site_segment("How to Build a Terrarium | eHow", "https://www.ehow.com/x") == "eHow"
    assert site_segment("How to Build a Terrarium | Gardening", "https://www.ehow.com/x") is None
    assert site_segment("Mozilla - Wikipedia", None) == "Wikipedia"
    assert site_segment("One segment only", None) is None
    page = (b"<html><head><title>How to Build a Terrarium | eHow</title></head><body>"
            + BODY.encode() + b"</body></html>")
    article = copydesk.extract(page, url="https://www.ehow.com/how_to_build_terrarium.html")
    assert article.site_name == "eHow"
    assert article.title == "How to Build a Terrarium"


@pytest.mark.parametrize(("value", "ok"), [
    ("en", True), ("pt-BR", True), ("zh_Hant", True), ("en, fr", True),
    ("utf-8", False), ("UTF8", False), ("iso-8859-1", False), ("windows-1252", False),
    ("text/html", False), ("", False),
])
def test_language_tags_only(value: str, ok: bool) -> None:
    assert (language_tag_problem(value) is None) is ok


def test_content_language_holding_a_charset_is_not_the_language() -> None:
    german = "Dies ist ein deutscher Text über die Stadt und das Land und die Leute. " * 4
    page = ('<html><head><meta http-equiv="Content-Language" content="utf-8"><title>Titel'
            f"</title></head><body><p>{german}</p></body></html>").encode()
    article = copydesk.extract(page, explain=True)
    assert article.language == "de"
    assert article.explanation is not None
    (cand,) = article.explanation.candidates["declared_language"]
    assert cand["rejected"] == "a charset, not a language tag"


def _line(text: str, kind: str = "line", kept: bool = False) -> Block:
    block = Block(text=text, kind=kind)
    block.kept = kept
    return block


def test_dump_headline_is_not_a_body_line_the_classifier_kept() -> None:
    blocks = [_line("Menu"), _line("The real headline of the story", kind="h1"),
              _line("A body sentence that the classifier kept as part of the article.",
                    kept=True), _line("By Jane Doe")]
    assert _agree_with_classifier(blocks, 2) == 1  # the guess was a kept body line
    assert _agree_with_classifier(blocks, None) == 1
    assert _agree_with_classifier(blocks, 0) == 0  # a guess outside the body stands
    plain = [_line("Headline here"), _line("Body.", kept=True)]
    assert _agree_with_classifier(plain, 1) == 1  # nothing marked: the guess stands
