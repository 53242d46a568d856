"""Page types: the features a page yields, the shipped model, the field on every output."""

from __future__ import annotations

import json

import numpy as np
import pytest

import copydesk
from copydesk.article import OUTPUT_FIELDS
from copydesk.html import parse_and_segment
from copydesk.options import Options
from copydesk.pagetype import PAGE_TYPES, predict
from copydesk.pagetype.features import declared_types, page_features, url_words
from copydesk.pagetype.model import TreeModel, shipped_model

_PRODUCT = """<html><head><meta property="og:type" content="product">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product",
 "name": "Trail shoe", "offers": {"@type": "Offer", "price": "89.00"}}</script></head>
<body><div class="product-detail"><h1>Trail shoe</h1><p class="price">$89.00</p>
<p class="stock">In stock</p>
<form><input name="qty"><button>Add to cart</button></form>
<p>A light trail shoe with a grippy sole, for long days on rough ground and wet rock.</p>
<table><tr><th>Weight</th><td>280 g</td></tr><tr><th>Drop</th><td>6 mm</td></tr></table>
</div></body></html>"""

_FORUM = "".join(
    [f"""<div class="post message" id="post-{i}"><div class="username">user{i}</div>
<div class="date">2025-03-0{i}</div><div class="content"><p>Reply {i}: I had the same problem
with my router after the update; resetting it twice fixed it for me.</p></div></div>"""
     for i in range(1, 8)])


def _features(html: str, url: str | None) -> dict[str, float]:
    tree, blocks, nodes = parse_and_segment(html, Options())
    return page_features(tree, url, blocks, nodes)


def test_declared_types_read_json_ld_and_microdata() -> None:
    tree, _, _ = parse_and_segment(_PRODUCT.replace(
        "<body>", '<body><div itemscope itemtype="https://schema.org/BreadcrumbList"></div>'),
        Options())
    assert declared_types(tree) == ["product", "offer", "breadcrumblist"]


def test_url_words_split_path_and_host() -> None:
    path, host = url_words("https://forum.example.co.uk/threads/router-drops-123/?page=2")
    assert path == ["threads", "router", "drops", "123", "page", "2"]
    assert host == ["forum", "example", "co"]
    assert url_words(None) == ([], [])


def test_features_of_a_product_page() -> None:
    f = _features(_PRODUCT, "https://shop.example.com/products/trail-shoe")
    assert f["ld_product"] == 1.0 and f["og_product"] == 1.0
    assert f["url_products"] == 1.0 and f["host_shop"] == 1.0
    assert f["prices"] > 0 and f["cart_words"] > 0 and f["n_inputs"] > 0
    assert f["tag_form"] > 0 and "cls_price" in f


def test_features_count_repeated_items() -> None:
    f = _features(f"<html><body>{_FORUM}</body></html>", "https://example.com/t/router/42")
    assert f["rep_max"] == pytest.approx(np.log1p(7))
    assert f["dates"] > 0 and f["forum_words"] > 0
    assert f["cls_post"] == pytest.approx(np.log1p(7))


def test_tree_model_evaluates_like_its_definition() -> None:
    # one round, two types; tree 0: x0 <= 0.5 ? 1.0 : -1.0 ; tree 1: leaf 0.25
    data = {"types": ["article", "forum"], "names": ["a"], "vocab": [], "baseline": [0.0, 0.1],
            "roots": [0, 3], "tree_type": [0, 1], "depth": 1,
            "nodes": {"feature": [0, 0, 0, 0], "threshold": [0.5, 1e300, 1e300, 1e300],
                      "left": [1, 1, 2, 3], "right": [2, 1, 2, 3],
                      "value": [0.0, 1.0, -1.0, 0.25]}}
    model = TreeModel.from_json(data)
    assert model.scores(np.array([0.0])).tolist() == pytest.approx([1.0, 0.35])
    assert model.scores(np.array([1.0])).tolist() == pytest.approx([-1.0, 0.35])
    assert model.probabilities(np.array([0.0])).sum() == pytest.approx(1.0)


def test_shipped_model_is_plain_json_and_known_types() -> None:
    model = shipped_model()
    assert model is not None, "copydesk/data/page_type.json is missing"
    assert set(model.types) <= set(PAGE_TYPES)
    assert len(model.names) == len(set(model.names))
    assert model.info["params"]["max_depth"] == model.depth


@pytest.mark.parametrize(("html", "url", "expected"), [
    (_PRODUCT, "https://shop.example.com/products/trail-shoe", "product"),
    ("<html><head><title>Router drops every night - Community Forum</title>"
     '<script type="application/ld+json">{"@type": "DiscussionForumPosting"}</script></head>'
     f"<body><h1>Router drops every night</h1>{_FORUM}</body></html>",
     "https://community.example.com/threads/router-drops-every-night.42/", "forum"),
])
def test_clear_pages_get_their_type(html: str, url: str, expected: str) -> None:
    tree, blocks, nodes = parse_and_segment(html, Options())
    page_type, confidence = predict(tree, url, blocks, nodes)
    assert page_type == expected and 0.0 < confidence <= 1.0


def test_page_type_on_every_output() -> None:
    assert "page_type" in OUTPUT_FIELDS and "comments" in OUTPUT_FIELDS
    article = copydesk.extract(_PRODUCT, url="https://shop.example.com/products/trail-shoe")
    assert article.page_type in PAGE_TYPES
    row = json.loads(article.to_json())
    assert row["page_type"] == article.page_type
    assert any(n.startswith("page type: ") for n in
               copydesk.extract(_PRODUCT, explain=True).explanation.notes)  # type: ignore[union-attr]


def test_text_dump_page_type_comes_from_the_text_model() -> None:
    from copydesk.text import pagetype as text_pagetype

    model = text_pagetype.shipped()
    assert model is not None
    dump = copydesk.extract("Title\n\nSome text of a dump.\n", input_format="text")
    assert dump.page_type in model.types  # read from the dump's lines (docs/text.md)


_THREAD = "".join(
    f"""<li class="comment" id="comment-{i}"><div class="comment-author">user{i}</div>
<div class="comment-content"><p>Post {i}: the firmware update broke the wifi on my router
again, and rolling back to the previous version is the only thing that fixed it.</p></div></li>"""
    for i in range(1, 6))
_OPENING = ("I updated my router last night and since then the wifi drops every hour or so; "
            "the lights stay on, but no device can connect until I restart it. ")
_THREAD_PAGE = f"""<html><body><div class="thread"><h1>Router drops after update</h1>
<div class="post-body"><p>{_OPENING * 2}</p><p>{_OPENING}</p></div>
<ol class="comment-list">{_THREAD}</ol></div></body></html>"""


@pytest.mark.parametrize(("page_type", "posts_kept"), [("forum", 5), ("article", 0)])
def test_forum_posts_marked_as_comments_are_the_content(page_type: str, posts_kept: int) -> None:
    # The rule ladder (the block model that may review it reads its decisions).
    from copydesk.classify.ladder import decide_by_rules

    _, blocks, nodes = parse_and_segment(_THREAD_PAGE, Options())
    decide_by_rules(blocks, nodes, page_type)
    kept = [b.text for b in blocks if b.kept and b.text.startswith("Post ")]
    assert len(kept) == posts_kept
