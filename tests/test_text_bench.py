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


def test_trainer_line_weights_per_page_and_corpus() -> None:
    import numpy as np

    from copydesk.text.columns import LINE_FEATURES
    from copydesk_lab.text import train

    x = np.zeros((3, len(LINE_FEATURES)))
    x[:, LINE_FEATURES.index("log_words")] = np.log1p([1.0, 4.0, 11.0])  # 16 words
    saved = dict(train.WEIGHTING)
    try:
        train.WEIGHTING.update(power=1.0, page_power=0.5, corpus=train.parse_weights("wcxb=0.2"))
        w = train.line_weights(x, "aeb")
        assert np.isclose(w.sum(), 4.0) and np.allclose(w / w[0], [1, 4, 11])  # 16 ** 0.5
        assert np.allclose(train.line_weights(x, "wcxb"), 0.2 * w)
    finally:
        train.WEIGHTING.update(saved)


def test_wcxb_text_pages_carry_page_types_and_the_cv_table_reads_both() -> None:
    from copydesk_lab.bench import devset
    from copydesk_lab.bench.text_mode import as_bench_pages, cv_table

    page = devset.TextPage("p1", "wcxb", "html-text", "x.org", "Body text here.", "Body text")
    facts = {"p1": devset.GoldFacts("forum", ["Body"], ["Home"])}
    bench_page, = as_bench_pages([page], facts)
    assert (bench_page.page_type, bench_page.must_have, bench_page.must_not) == (
        "forum", ["Body"], ["Home"])
    results = [{"extractor": "copydesk", "f1": 0.8, "word": {"f1": {"all": 0.75}}}]
    table = cv_table({"wcxb/unseen-flattener": {"pages": 1, "results": results}}, False)
    assert "0.800" in table and "0.750" in table and "n/a" in table
