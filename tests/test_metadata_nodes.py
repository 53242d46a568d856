"""`html_nodes.collect` (one query) gives each reader the elements its own query gave."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from copydesk.metadata import html_nodes

# Head and body markup, itemprops everywhere, stray elements that end the head.
_PARTS = st.sampled_from([
    '<meta property="og:title" content="T">', '<meta itemprop="name" content="N">',
    '<link rel="canonical" href="/c">', "<link href=x>", "<title>T</title>", "<script>s</script>",
    '<noscript><meta itemprop="a" content="b"><link rel=x></noscript>', "<time>2020</time>",
    '<span itemprop="author">A</span>', "<h1>H</h1>", '<p itemprop="x"><time itemprop="d">',
    "<div>", "</div>", "</head>", "<body itemprop=b>", "<body>", "</body>", "<html itemprop=h>",
    '<template><meta itemprop="t"></template>', "<p>text", "</html>", "<head itemprop=q>",
    "<svg><time>s</time><h1 itemprop=v>v</h1></svg>",
])


@given(st.lists(_PARTS, max_size=12), st.lists(_PARTS, max_size=12))
@settings(max_examples=300, deadline=None)
def test_collect_splits_as_each_readers_own_query(head: list[str], body: list[str]) -> None:
    tree = LexborHTMLParser("<html><head>" + "".join(head) + "</head><body>" + "".join(body))
    nodes = html_nodes.collect(tree)

    def ids(found: list) -> list[int]:
        return [node.mem_id for node in found]

    assert ids([n for n, _ in nodes.head]) == ids(tree.css("meta, link[rel], title, script"))
    scope = tree.body if tree.body is not None else tree.root
    assert ids(nodes.itemprops) == ids(scope.css("[itemprop]"))
    assert ids(nodes.times) == ids(tree.css("time"))
    assert ids(nodes.h1s) == ids(tree.css("h1"))
    assert nodes.root is not None and nodes.root.mem_id == tree.css_first("html").mem_id
