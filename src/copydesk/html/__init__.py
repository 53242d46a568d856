"""HTML -> Blocks -> classified Blocks."""

from __future__ import annotations

from copydesk.blocks import Page
from copydesk.classify import classify_html
from copydesk.html.parse import parse_html, strip_junk
from copydesk.html.segment import segment
from copydesk.options import Options


def extract_blocks(text: str, url: str | None, options: Options) -> Page:
    """Parse, segment and classify one HTML page.

    Metadata reads the same tree afterwards, so scripts holding JSON-LD are
    kept in the head; only <body> content is stripped before the walk.
    """
    tree = parse_html(text, options.max_nodes)
    body = tree.body
    if body is None:
        return Page(blocks=[], rung="none", tree=tree, notes=["no <body>"])
    for node in body.css("script, style, noscript, template, svg, math, iframe, object, embed, "
                         "canvas, select, textarea, video, audio, map"):
        if node.tag != "script" or node.attributes.get("type") != "application/ld+json":
            node.decompose()
    blocks, nodes = segment(body)
    rung = classify_html(blocks, nodes)
    return Page(blocks=blocks, rung=rung, tree=tree)


__all__ = ["extract_blocks", "parse_html", "strip_junk"]
