"""Golden WCXB pages of different types through extract() (the shipped block model).

Each page's word F1 (the WCXB metric) against its gold must stay at or above
a floor set about 0.05 below what the shipped model scored when pinned
(2026-12-02): a forum thread served in <noscript>, a listing the rules
missed, a service page, an article, a documentation page and an article
whose broken markup puts it inside an <aside>, one streamed in React
segments and a service page swallowed by an <iframe> left open in <noscript>.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

import copydesk
from copydesk.classify import blockmodel
from copydesk_lab.bench.wordf1 import score_words

WCXB = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "wcxb"
# id, page type, floor (pinned score - ~0.05), rung prefix. 4354 re-pinned 2026-12-02 04:25
# (0.93 -> 0.76 with the page-type model; WCXB listings out of fold 0.598 -> 0.644).
CASES = [("1976", "forum", 0.85, "region"), ("4354", "listing", 0.71, "all-text"),
         ("0028", "service", 0.9, "region"), ("0001", "article", 0.9, "region"),
         ("0239", "documentation", 0.9, "region"),
         # an <aside> left open swallows the page, <main> included (html.SWALLOWED_NOTE)
         ("4459", "article", 0.95, "region"),
         # the article streamed in hidden React segments (html.streamed); 0.07 before
         ("4503", "article", 0.95, "region"),
         # an <iframe .../> left open in <noscript> swallowed the page (html.SCRIPTED_NOTE)
         ("2838", "service", 0.9, "region")]


@pytest.mark.parametrize(("page_id", "page_type", "floor", "rung"), CASES)
def test_wcxb_page_body(page_id: str, page_type: str, floor: float, rung: str) -> None:
    if not WCXB.is_dir():
        pytest.skip(f"corpus 'wcxb' not found under {WCXB.parent} (needs ../shared/corpora)")
    if blockmodel.shipped_model() is None:
        pytest.skip("no block model shipped")
    truth = json.loads((WCXB / "ground-truth" / f"{page_id}.json").read_text("utf-8"))
    assert truth["_internal"]["page_type"]["primary"] == page_type
    html = gzip.decompress((WCXB / "html" / f"{page_id}.html.gz").read_bytes())
    article = copydesk.extract(html, url=truth["url"] or None, explain=True)
    assert article.rung.startswith(rung) and article.rung.endswith("+model")
    assert score_words(article.text, truth["ground_truth"]["main_content"]).f1 >= floor
    assert article.explanation is not None
    assert all(b.reason.startswith(("model ", "duplicate of")) for b in article.explanation.blocks)
