"""Segmentation: the fast paths give the same Blocks and element table as the plain ones.

The walk skips junk elements (script, style, noscript...) itself, so the
tree is only stripped of them when metadata will read it; UTF-8 input is
handed to the parser as bytes. Neither may change a Block.
"""

from __future__ import annotations

import gzip
import random
import time
from pathlib import Path

import pytest

from copydesk import extract
from copydesk.blocks import Block
from copydesk.decode import decode_bytes
from copydesk.html import SCRIPTED_NOTE, SWALLOWED_NOTE, parse_and_segment
from copydesk.html.segment import NodeInfo
from copydesk.options import Options

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"

STORY = ("<p>The council approved the budget on Tuesday after a long debate about schools, "
         "roads and the new library, which opens next spring.</p>")


def _segments(html: str, metadata: bool, as_bytes: bool = False) -> tuple[list[tuple], list[tuple]]:
    data = html.encode()
    decoded = decode_bytes(data)
    _, blocks, nodes = parse_and_segment(decoded.text, Options(metadata=metadata), [],
                                         decoded.utf8 if as_bytes else None)
    return [_block_key(b) for b in blocks], [_node_key(n) for n in nodes]


def _block_key(b: Block) -> tuple:
    return (b.text, b.kind, b.index, b.link_chars, b.depth, b.container, b.group, b.list_depth,
            b.markdown)


def _node_key(n: NodeInfo) -> tuple:
    return (n.tag, n.hints, n.words, n.parent, n.is_block, n.flags)


JUNK_PAGES = {
    "noscript div in a cell": "<table><tr><th>Year</th><th>Sales</th></tr><tr><td>2020"
                              "<noscript><div>x</div></noscript></td><td>5</td></tr></table>",
    "script between words": "<p>foo<script>var a = '<p>no</p>';</script>bar <a href=x>link"
                            "<style>p{}</style> text</a></p>",
    "svg and iframe": "<div><p>one<svg><text>svg text</text></svg> two</p><iframe>frame</iframe>"
                      "<select><option>opt</option></select></div>",
    "json-ld in body": '<div><script type="application/ld+json">{"@type": "NewsArticle"}</script>'
                       "<p>after</p></div>",
}


@pytest.mark.parametrize("name", sorted(JUNK_PAGES))
def test_junk_is_skipped_the_same_with_or_without_stripping(name: str) -> None:
    html = f"<html><body><article>{STORY}{JUNK_PAGES[name]}{STORY}</article></body></html>"
    stripped = _segments(html, metadata=True)
    walked = _segments(html, metadata=False)
    assert stripped == walked
    texts = " ".join(b[0] for b in walked[0])
    assert "svg text" not in texts and "var a" not in texts and "opt" not in texts


def test_a_data_table_with_junk_in_a_cell_stays_a_data_table() -> None:
    html = f"<html><body>{STORY}{JUNK_PAGES['noscript div in a cell']}</body></html>"
    blocks, _ = _segments(html, metadata=False)
    assert [b[1] for b in blocks] == ["p", "table"]
    assert blocks[1][0] == "Year | Sales\n2020 | 5"


def test_utf8_bytes_and_text_parse_to_the_same_blocks() -> None:
    html = f"<html><body><h1>Caf\u00e9 \u4e2d\u6587 \U0001f600</h1>{STORY}</body></html>"
    for metadata in (True, False):
        assert _segments(html, metadata, as_bytes=True) == _segments(html, metadata)


def test_metadata_still_reads_a_stripped_tree() -> None:
    html = ("<html><head><title>T</title></head><body><article><h1>Council story</h1>"
            "<p class=byline>By Ann Lee</p><script>document.write('By Nobody')</script>"
            f"{STORY}</article></body></html>")
    article = extract(html.encode())
    assert "Ann Lee" in (article.authors or [])
    assert not any("Nobody" in a for a in article.authors or [])
    assert "Nobody" not in article.text


def _corpus_sample() -> list[bytes]:
    folder = CORPORA / "aeb" / "html"
    if not folder.is_dir():
        return []
    paths = sorted(folder.glob("*.html.gz"))
    return [gzip.decompress(p.read_bytes()) for p in random.Random(3).sample(paths, 15)]


@pytest.mark.skipif(not (CORPORA / "aeb").is_dir(), reason="../shared/corpora/aeb not present")
def test_corpus_pages_segment_the_same_on_every_path() -> None:
    for data in _corpus_sample():
        html = decode_bytes(data).text
        reference = _segments(html, metadata=True)
        assert _segments(html, metadata=False) == reference
        assert _segments(html, metadata=False, as_bytes=True) == reference


@pytest.mark.parametrize("metadata", [True, False])
def test_nested_layout_tables_are_stripped_once(metadata: bool) -> None:
    """Junk is stripped at most once per page: per nested table it was quadratic
    (6,000 nested tables took 14 s with metadata off)."""
    n = 6000
    html = ("<html><body>" + "<table><tr><td>" * n + "<noscript>x</noscript>" + STORY
            + "</td></tr></table>" * n + "</body></html>")
    start = time.process_time()
    article = extract(html.encode(), metadata=metadata)
    assert time.process_time() - start < 5.0
    assert "council approved the budget" in article.text


POST = "I would check out the keyboard first; the local vendor ships it cheaply to you. "


@pytest.mark.parametrize("metadata", [False, True])
def test_a_page_whose_text_is_in_noscript_is_read_from_there(metadata: bool) -> None:
    thread = "".join(f"<div class='post'><p>{POST * 2} ({i})</p></div>" for i in range(4))
    page = (f"<html><body><div id='app'>Loading</div><noscript><h1>Which keyboard?</h1>"
            f"{thread}</noscript></body></html>")
    notes: list[str] = []
    _, blocks, _ = parse_and_segment(page, Options(metadata=metadata), notes)
    assert len(blocks) == 6 and blocks[1].text.startswith("Which keyboard")
    assert notes == ["the page's text is in <noscript>: read from there"]
    assert POST.strip() in (extract(page).text or "")


@pytest.mark.parametrize("metadata", [False, True])
def test_a_page_hidden_until_its_scripts_run_is_read_as_shown(metadata: bool) -> None:
    # An anti-flicker wrapper: the whole page hidden until a script shows it (a React
    # segment with its boundary in the page is moved into place instead, html.streamed).
    story = "".join(f"<p>{POST * 2} ({i})</p>" for i in range(4))
    page = (f"<html><body><div>Loading</div>"
            f"<div hidden id='app'><h1>Which keyboard?</h1>{story}</div></body></html>")
    notes: list[str] = []
    _, blocks, nodes = parse_and_segment(page, Options(metadata=metadata), notes)
    assert [b.text for b in blocks][:2] == ["Loading", "Which keyboard?"] and len(blocks) == 6
    assert notes == ["the page's text is hidden until its scripts run: read as shown"]
    assert not any("copydeskhidden" in n.hints for n in nodes)  # shown, not marked
    assert POST.strip() in (extract(page).text or "")
    small = f"<html><body><p>{POST}</p><div hidden><p>Sign in to comment.</p></div></body></html>"
    notes = []
    assert [b.text for b in parse_and_segment(small, Options(), notes)[1]] == [POST.strip()]
    assert notes == []


def test_noscript_stays_unread_when_the_page_shows_its_text() -> None:
    story = "<p>" + POST * 8 + "</p>"
    page = (f"<html><body>{story}<noscript><p>Please enable JavaScript to view the comments "
            f"and everything else on this page, which needs it.</p></noscript></body></html>")
    notes: list[str] = []
    _, blocks, _ = parse_and_segment(page, Options(), notes)
    assert [b.text for b in blocks] == [(POST * 8).strip()] and notes == []
    small = "<html><body><p>Short.</p><noscript><p>Enable JavaScript.</p></noscript></body></html>"
    assert [b.text for b in parse_and_segment(small, Options())[1]] == ["Short."]


@pytest.mark.skipif(not (CORPORA / "aeb").is_dir(), reason="../shared/corpora/aeb not present")
def test_the_walks_class_strings_serve_every_reader_as_a_plain_table_would() -> None:
    # The walk reads the page's class/id strings once (`html.classes`); a table built
    # otherwise (here a plain list) has them read again: both give the same features.
    from copydesk.classify.blockfeatures import TokenTable, node_arrays
    from copydesk.classify.blockmodel import shipped_model
    from copydesk.html.classes import classes_of, read_classes
    from copydesk.pagetype.features import page_features

    model = shipped_model()
    table = model.tokens if model is not None else TokenTable({"post": 1.0, "menu": -1.0})
    for data in _corpus_sample():
        tree, blocks, nodes = parse_and_segment(decode_bytes(data).text, Options(metadata=False))
        classes = classes_of(nodes)
        assert classes is getattr(nodes, "classes", None)
        assert [classes.values[i] for i in classes.index] == [n.hints for n in nodes]
        assert [classes.flags[i] for i in classes.index] == [n.flags for n in nodes]
        assert [classes.words[i] for i in classes.index] == [n.words for n in nodes]
        assert sum(classes.counts) == len(nodes) and min(classes.counts[1:], default=1) >= 1
        assert classes_of(list(nodes)) == read_classes([n.hints for n in nodes]) == classes
        plain = list(nodes)
        for got, want in zip(node_arrays(plain, table), node_arrays(nodes, table), strict=True):
            assert got.tolist() == want.tolist()
        assert page_features(tree, None, blocks, plain) == page_features(tree, None, blocks, nodes)


@pytest.mark.skipif(not (CORPORA / "aeb").is_dir(), reason="../shared/corpora/aeb not present")
def test_the_walks_word_counts_are_the_blocks_words() -> None:
    # `_flush` hands each Block the word count of the split it collapses spaces with.
    for data in _corpus_sample():
        _, blocks, _ = parse_and_segment(decode_bytes(data).text, Options(metadata=False))
        assert blocks
        assert [b.words for b in blocks] == [len(b.text.split()) for b in blocks]


TABS = ("<main><h1>Oak side table</h1><p class='lead'>A small table in solid oak, oiled by hand "
        "in our workshop, with a drawer that runs on wooden rails.</p>"
        "<div class='tab-panel' hidden><p>Dimensions: 45 cm wide, 40 cm deep, 55 cm high. "
        "Weight 7 kg.</p></div>"
        "<div class='tab-panel' style='display: none'><p>Care: wipe with a dry cloth and oil "
        "once a year.</p></div></main>")


def test_hidden_elements_are_skipped_unless_asked_for() -> None:
    from copydesk.html import with_hidden
    from copydesk.html.vocab import HIDDEN_WORD, class_flags

    options = Options()
    notes: list[str] = []
    page = parse_and_segment(TABS, options, notes)
    shown = [b.text for b in page.blocks]
    assert not any("Dimensions" in t or "Care" in t for t in shown)
    again = with_hidden(page, options, notes)
    texts = [b.text for b in again.blocks]
    assert texts[:2] == shown and any(t.startswith("Dimensions") for t in texts) \
        and any(t.startswith("Care") for t in texts)
    hidden = [b for b in again.blocks if b.text.startswith(("Dimensions", "Care"))]
    for block in hidden:  # their element carries the marker word, a hard boilerplate word
        hints = again.nodes[again.nodes[block.container].parent].hints
        assert hints.endswith(HIDDEN_WORD) and class_flags(hints).marker == HIDDEN_WORD
    assert not any(HIDDEN_WORD in n.hints for n in page.nodes)


def test_hidden_elements_walked_say_how_they_were_hidden_and_whether_a_control_opens_them(
        ) -> None:
    from copydesk.html import with_hidden
    from copydesk.html.vocab import class_flags

    page = ("<html><body><main><p>" + POST * 3 + "</p>"
            "<button aria-controls='specs'>Specifications</button>"
            "<div id='specs' hidden><p>Dimensions: 45 cm wide.</p></div>"
            "<div role='tabpanel' aria-labelledby='tab-care' style='display:none'>"
            "<p>Care: wipe with a dry cloth.</p></div>"
            "<div class='menu' hidden><p>Shop all chairs</p></div>"
            "<div aria-hidden='true'><p>4.5 out of 5 stars</p></div></main></body></html>")
    options = Options()
    notes: list[str] = []
    again = with_hidden(parse_and_segment(page, options, notes), options, notes)
    nodes = again.nodes  # each text is in a <p>; its parent <div> is the hidden one
    marks = {b.text: nodes[nodes[b.container].parent].hints.split()[-2:] for b in again.blocks}
    assert marks["Dimensions: 45 cm wide."] == ["specs", "copydeskcontrolled"]
    assert marks["Care: wipe with a dry cloth."][-1] == "copydeskcontrolled"
    assert marks["Shop all chairs"] == ["menu", "copydeskhidden"]
    assert marks["4.5 out of 5 stars"] == ["copydeskariahidden"]
    hidden = class_flags("copydeskhidden")
    for word in ("copydeskcontrolled", "copydeskariahidden"):  # to the rules, as HIDDEN_WORD
        flags = class_flags(word)
        assert (flags.negative, flags.positive, flags.unlikely, flags.marker) == \
            (hidden.negative, hidden.positive, hidden.unlikely, word)


def _walked(html: str) -> tuple[str, list[str]]:
    notes: list[str] = []
    _, blocks, _ = parse_and_segment(html, Options(), notes)
    return " ".join(b.text for b in blocks), notes


def test_a_main_swallowed_by_an_aside_left_open_is_walked() -> None:
    # The banner's <aside> never closes (its inner tags are misnested), so the
    # parser puts the whole page, <main> included, inside it.
    html = ("<html><body><aside class='announcement-banner'><div><a href='/x'>News"
            f"</div></a><main><article>{STORY * 6}</article></main>"
            "<footer>Copyright</footer></body></html>")
    text, notes = _walked(html)
    assert "council approved the budget" in text
    assert SWALLOWED_NOTE in notes


def test_an_aside_without_a_main_stays_unwalked() -> None:
    # Teasers in a sidebar are <article>s inside an <aside>, which is valid HTML:
    # only a <main> (which may not sit there) says the markup is broken.
    html = f"<html><body><aside><article>{STORY * 6}</article></aside></body></html>"
    text, notes = _walked(html)
    assert "council" not in text and SWALLOWED_NOTE not in notes


def test_a_page_that_shows_its_text_is_not_unwrapped() -> None:
    html = (f"<html><body><div>{STORY * 6}</div><nav><main><p>Menu one</p></main></nav>"
            "</body></html>")
    text, notes = _walked(html)
    assert "council" in text and "Menu one" not in text and SWALLOWED_NOTE not in notes


def test_an_iframe_left_open_in_noscript_does_not_hide_the_page() -> None:
    # `<iframe ... />` does not close (its content is raw text): parsed without
    # scripting, the rest of the page becomes the iframe's text.
    html = ("<html><body><noscript><iframe src='https://tags.example/ns.html' height='0' "
            f"width='0' style='display:none' /></noscript><main><article>{STORY * 6}</article>"
            "</main></body></html>")
    text, notes = _walked(html)
    assert text.count("council approved the budget") == 6
    assert SCRIPTED_NOTE in notes
