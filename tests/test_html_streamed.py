"""React's streamed segments are moved where the page's scripts would move them."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from copydesk.html import STREAMED_NOTE, parse_and_segment
from copydesk.html.streamed import place_streamed_segments, streams_segments
from copydesk.options import Options

STORY = ("<p>The council approved the budget on Tuesday after a long debate about schools, "
         "roads and the new library, which opens next spring.</p>")


def _body(html: str) -> tuple[LexborHTMLParser, object]:
    tree = LexborHTMLParser(html)
    return tree, tree.body


def test_a_boundary_gets_its_segment_and_loses_its_fallback() -> None:
    _, body = _body("<body><div><!--$?--><template id='B:1'></template><p>Loading...</p>"
                       "<!--/$--><p>after</p></div><footer>f</footer>"
                       "<div hidden id='S:1'><main><p>The story.</p></main></div></body>")
    assert place_streamed_segments(body) == 1
    html = body.html
    assert "Loading" not in html and "hidden" not in html and "template" not in html
    assert html.index("The story.") < html.index("after") < html.index("<footer>")


def test_a_placeholder_inside_a_segment_is_filled_by_a_later_segment() -> None:
    _, body = _body("<body><template id='B:0'></template><div hidden id='S:0'><h1>Title</h1>"
                    "<template id='P:2'></template></div><div hidden id='S:2'><p>Late part.</p>"
                    "</div></body>")
    assert place_streamed_segments(body) == 2
    assert body.html == "<body><h1>Title</h1><p>Late part.</p></body>"


def test_without_comments_the_fallback_stays_and_nothing_after_it_is_lost() -> None:
    # Archived pages often lose their comments: no end marker says where the fallback ends.
    _, body = _body("<body><template id='B:2'></template><div>Loading paragraph...</div>"
                    "<template id='B:3'></template><div>Loading...</div>"
                    "<div hidden id='S:2'><p>Two.</p></div><div hidden id='S:3'><p>Three.</p>"
                    "</div></body>")
    assert place_streamed_segments(body) == 2
    html = body.html
    assert html.index("Two.") < html.index("Loading paragraph") < html.index("Three.")


def test_a_segment_with_nothing_to_fill_stays_hidden() -> None:
    _, body = _body("<body><p>Visible.</p><div hidden id='S:7'><p>Orphan.</p></div></body>")
    assert place_streamed_segments(body) == 0
    assert "<div hidden=\"\" id=\"S:7\">" in body.html


def test_parse_and_segment_reads_the_streamed_article() -> None:
    html = ("<html><body><header><a href='/'>Home</a></header><main><!--$?-->"
            "<template id='B:0'></template><div class='skeleton'>Loading...</div><!--/$-->"
            f"</main><p>Contact us</p><div hidden id='S:0'><article>{STORY * 4}"
            "</article></div></body></html>")
    assert streams_segments(html)
    notes: list[str] = []
    _, blocks, _ = parse_and_segment(html, Options(), notes)
    texts = [b.text for b in blocks]
    assert STREAMED_NOTE in notes
    assert sum("council approved" in t for t in texts) == 4
    assert not any("Loading" in t for t in texts)
    assert texts.index(next(t for t in texts if "council" in t)) < texts.index("Contact us")
