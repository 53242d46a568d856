"""One HTML page -> classified Blocks: parse and segment (`copydesk.html`), then
the extraction ladder (`ladder.classify_html`).

It lives in `classify`, above `html`, so that the HTML package never reaches
up to the classifier that reads its element table.
"""

from __future__ import annotations

from copydesk.blocks import Page
from copydesk.classify.ladder import classify_html
from copydesk.html import parse_and_segment
from copydesk.options import Options


def extract_blocks(text: str, options: Options, utf8: bytes | None = None) -> Page:
    """Parse, segment and classify one HTML page (`utf8`: see `html.parse.parse_html`)."""
    notes: list[str] = []
    tree, blocks, nodes = parse_and_segment(text, options, notes, utf8)
    if not nodes:
        return Page(blocks=[], rung="none", tree=tree, notes=[*notes, "no <body>"])
    rung = classify_html(blocks, nodes)
    return Page(blocks=blocks, rung=rung, tree=tree, notes=notes)
