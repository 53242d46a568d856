"""The sanitiser's invariant, checked on known XSS vectors and on generated pages:
after `sanitize_html`, re-parsing the output (as the browser does) finds only
allowlisted elements and attributes, no handler, no script URL, no remote load."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from copydesk.serve.sanitize import sanitize_html
from copydesk.serve.vocab import FRAME_CSP, KEEP_ATTRS, KEEP_TAGS

_ALLOWED_EXTRA = {"html", "head", "body", "meta", "-text", "-document"}
_DATA_IMAGE = re.compile(r"^data:image/(png|gif|jpe?g|webp|avif);base64,", re.IGNORECASE)

VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" &#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;script:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<svg><a xlink:href=javascript:alert(1)><text>x</text></a></svg>",
    "<form><button formaction=javascript:alert(1)>x</button></form>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    '<object data="javascript:alert(1)"></object><embed src="http://evil.example/x">',
    '<link rel=import href="http://evil.example/x"><base href="http://evil.example/">',
    '<p><meta http-equiv="refresh" content="0;url=http://evil.example/"></p>',
    "<style>@import 'http://evil.example/x.css';</style>",
    '<div style="background:\\75rl(http://evil.example/x)">x</div>',
    '<div style="background-image: URL ( http://evil.example/x )">x</div>',
    '<img srcset="http://evil.example/x 2x"><video poster="http://evil.example/p"></video>',
    '<input type=image src="http://evil.example/x"><table background="http://evil.example/t">',
    '<body background="http://evil.example/b" onload=alert(1)>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    "<template><script>alert(1)</script></template><slot></slot>",
    '<a href="https://example.com/" target="_top" ping="http://evil.example/">ok</a>',
    '<details open ontoggle=alert(1)><summary>x</summary></details>',
    '<x-custom onclick=alert(1)>text</x-custom><custom-el is=x style="x:url(a)">y</custom-el>',
    "<!--><script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<p title="&quot;><script>alert(1)</script>">x</p>',
    "<plaintext><script>alert(1)</script>",
    "<xmp><script>alert(1)</script></xmp><listing><img src=x onerror=alert(1)></listing>",
    '<textarea><img src=x onerror=alert(1)></textarea><title><img src=x onerror=1></title>',
]


def check_inert(page: str) -> None:
    clean = sanitize_html(page)
    tree = LexborHTMLParser(clean)
    root = tree.root
    assert root is not None
    metas = [n for n in tree.css("meta")]
    assert len(metas) == 1 and metas[0].attributes.get("content") == FRAME_CSP
    for node in root.traverse(include_text=False):
        tag = node.tag or ""
        assert not node.is_comment_node
        assert tag in KEEP_TAGS or tag in _ALLOWED_EXTRA, f"element <{tag}> survived"
        if tag == "meta":
            continue
        for name, value in node.attributes.items():
            check_attribute(tag, name.lower(), value or "")
        if tag == "style":
            assert not re.search(r"url\s*\(|@import|\\", node.text() or "", re.IGNORECASE)


def check_attribute(tag: str, name: str, value: str) -> None:
    assert not name.startswith("on"), f"handler {name} on <{tag}>"
    if name == "src":
        assert tag == "img" and _DATA_IMAGE.match(value), value
    elif name == "style":
        assert not re.search(r"url|\\|expression|@import", value, re.IGNORECASE), value
    elif name == "data-href":
        scheme = value.strip().lower()
        assert tag == "a" and not scheme.startswith(("javascript", "data", "vbscript"))
    else:
        assert name in KEEP_ATTRS, f"attribute {name} on <{tag}>"


@pytest.mark.parametrize("vector", VECTORS)
def test_known_vectors_come_out_inert(vector: str) -> None:
    check_inert(vector)
    check_inert(f"<html><head><title>t</title></head><body><div><p>{vector}</p></div></body></html>")


_PIECES = st.sampled_from([
    "<", ">", "/", "=", '"', "'", " ", "script", "img", "svg", "math", "style", "a", "p", "div",
    "noscript", "iframe", "template", "table", "onerror", "onload", "href", "src", "style",
    "javascript:", "url(", "http://evil.example/", "data:image/png;base64,AA", "<!--", "-->",
    "&#106;", "&quot;", "alert(1)", "</", "<p>", "</p>", "<x-y>", "srcdoc", "formaction",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=1, max_size=60).map("".join))
def test_generated_markup_comes_out_inert(page: str) -> None:
    check_inert(page)
