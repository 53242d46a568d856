"""Golden test of text mode: the seed dump (issue 3's bar). The AEB-flattened floor is
in the quality gate (`tests/quality_floors.json`, section "text")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import copydesk
from copydesk_lab.bench.metric import corpus_score, score_page

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "000_243ae2b9009f719b.txt"
CORPORA = SHARED / "corpora"


@pytest.mark.skipif(not SEED.exists(), reason=f"seed dump not found at {SEED}")
def test_seed_body_f1_and_crawl_header() -> None:
    expected = json.loads(SEED.with_suffix(".expected.json").read_text(encoding="utf-8"))
    article = copydesk.extract(SEED.read_text(encoding="utf-8"), explain=True)
    assert article.input_format == "text"
    assert article.status == "ok"
    assert article.rung == "text:scorer"
    score = corpus_score([score_page(article.text, expected["text"])])
    assert score.f1 >= 0.99, score
    assert article.date_crawled == expected["date_crawled"]
    assert article.explanation is not None
    blocks = article.explanation.blocks
    assert blocks[0].text == "Back To Top"  # header gone, the rest of its line kept as a line
    assert all(b.reason for b in blocks)
    assert not any(b.kept for b in blocks if b.text in ("MOST POPULAR", "National", "By Yonhap"))
