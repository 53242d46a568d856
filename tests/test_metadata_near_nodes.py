"""`html_dom._near_tagged` (one `*` query, tag ids) gives what the 16-tag selector list
`_NEAR_TAGS` gives, from every element of generated and real pages."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from copydesk.metadata.html_dom import _NEAR_TAG_IDS, _NEAR_TAGS, _near_tagged

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"

_PARTS = st.sampled_from([
    "<div>", "</div>", "<p>text", "</p>", "<span>s</span>", "<a href=x>a</a>", "<b>B</b>",
    "<h3>h</h3>", "<h2>h2</h2>", "<dl><dt>t</dt><dd>d</dd></dl>", "<address>ad</address>",
    "<svg><a>svg link</a><p>in svg</p><span>x</span></svg>", "<math><mi>x</mi><b>m</b></math>",
    "<my-card><div>custom</div></my-card>", "<template><p>t</p></template>", "<!-- c -->",
    "<table><tr><td><em>e</em></td></tr></table>", "<ul><li>one<li>two</ul>", "<small>s",
    "<strong>S</strong>", "<section><article>x</article></section>", "<DIV>upper</DIV>",
    "<h4>4</h4><h5>5</h5><h6>6</h6>", "<noscript><p>n</p></noscript>", "<br><img src=x>",
    "<p>  spaced \n\t words  </p>", "\u00a0nbsp\u2003em", "<textarea>ta</textarea>",
    "<style>.a{}</style>", "<script>var s = 1;</script>", "<pre> p  re </pre>", "x" * 700,
])


def _ids(found: list[Any]) -> list[int]:
    return [node.mem_id for node in found]


def _check_all(tree: Any) -> int:
    elements = tree.css("*")
    for element in elements:
        assert _ids(_near_tagged(element)) == _ids(element.css(_NEAR_TAGS)), element.tag
    return len(elements)


def test_the_tags_have_static_ids() -> None:
    assert _NEAR_TAG_IDS is not None and len(_NEAR_TAG_IDS) == 16


@given(st.lists(_PARTS, max_size=14))
@settings(max_examples=300, deadline=None, derandomize=True)
def test_near_tagged_is_the_selector_list(parts: list[str]) -> None:
    _check_all(LexborHTMLParser("<html><body>" + "".join(parts) + "</body></html>"))


def _corpus_pages() -> list[Path]:
    pages: list[Path] = []
    for name, pattern, step in (("wcxb", "html/*.html.gz", 150), ("aeb", "html/*.html.gz", 30),
                                ("readability", "pages/*/source.html", 20)):
        pages += sorted((CORPORA / name).glob(pattern))[::step]
    return pages


@pytest.mark.parametrize("path", _corpus_pages(), ids=lambda p: p.name)
def test_near_tagged_on_corpus_pages(path: Path) -> None:
    raw = path.read_bytes()
    assert _check_all(LexborHTMLParser(gzip.decompress(raw) if path.suffix == ".gz" else raw))
