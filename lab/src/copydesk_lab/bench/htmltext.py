"""Text of an HTML fragment with a line break at every block boundary.

Used to turn gold HTML (Readability's `expected.html`) and peers that return
HTML (readability-lxml's `summary()`) into text the AEB metric can score.
Block boundaries must separate words ("a</p><p>b" is two tokens) while inline
tags must not ("a<b>b</b>" is one token), which a plain `.text()` gets wrong.
The walk is iterative so deep fragments cannot exhaust the stack.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

# HTML's block-level and line-breaking elements (WHATWG rendering section, 15.3.3).
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd",
    "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html",
    "legend", "li", "listing", "main", "menu", "nav", "ol", "p", "plaintext", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "xmp",
})
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "head", "-comment"})

_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def html_to_text(html: str) -> str:
    """Visible text of `html`, one line per block, blank lines between blocks."""
    if not html or not html.strip():
        return ""
    root = LexborHTMLParser(html).root
    if root is None:
        return ""
    return _join_lines("".join(_pieces(root)))


def _pieces(root: LexborNode) -> list[str]:
    out: list[str] = []
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag or ""
        if closing:
            out.append("\n")
            continue
        if tag == "-text":
            # Line breaks inside a text node are plain whitespace; only blocks break lines.
            out.append((node.text(deep=False) or "").replace("\n", " "))
            continue
        if tag in SKIPPED_TAGS:
            continue
        if tag in BLOCK_TAGS:
            out.append("\n")
            stack.append((node, True))
        children = list(node.iter(include_text=True))
        stack.extend((child, False) for child in reversed(children))
    return out


def _join_lines(raw: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in raw.split("\n"))
    return "\n\n".join(line for line in lines if line)
