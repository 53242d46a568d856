"""The text-mode baselines (C4 line filter) and the text bench tools on small inputs."""

from __future__ import annotations

from copydesk_lab.bench.datasets import Page
from copydesk_lab.bench.text_baselines import as_paragraph_html, c4_filter, keep_all
from copydesk_lab.bench.text_mode import C4Lines, CopydeskText, KeepAll, load_tools

SENTENCES = [f"This is sentence number {i} of a fairly ordinary article." for i in range(6)]


def test_c4_keeps_terminal_lines_with_three_words() -> None:
    text = "\n".join(["Home", "Too short.", *SENTENCES, "Please enable JavaScript to continue.",
                      "Read our cookie policy and terms of use.", "A headline without a stop"])
    assert c4_filter(text).splitlines() == SENTENCES


def test_c4_drops_pages() -> None:
    assert c4_filter("\n".join(SENTENCES[:4])) == ""  # fewer than 5 sentences
    assert c4_filter("\n".join([*SENTENCES, "function() { return 1; }"])) == ""
    assert c4_filter("\n".join([*SENTENCES, "Lorem ipsum dolor sit amet."])) == ""


def test_keep_all_and_paragraph_html() -> None:
    assert keep_all(" a  b \n\n c ") == "a b\nc"
    assert as_paragraph_html("x < y\nz").count("<p>") == 2
    assert "&lt;" in as_paragraph_html("x < y")


def test_tools_run_on_a_text_page() -> None:
    page = Page(id="1", html_bytes="\n".join(["Home", *SENTENCES]).encode(), url=None,
                gold_text="\n".join(SENTENCES), site="x")
    for tool in (CopydeskText(), KeepAll(), C4Lines()):
        tool.setup()
        assert "sentence number 3" in tool.text(page)
    tools, _ = load_tools([])
    assert [t.name for t in tools] == ["copydesk"]
