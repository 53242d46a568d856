"""Golden tests of text mode: the seed dump (issue 3's bar) and a floor on AEB flattened."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import copydesk
from copydesk_lab.bench.metric import corpus_score, score_page

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "000_243ae2b9009f719b.txt"
CORPORA = SHARED / "corpora"
AEB_TEXT_F1_FLOOR = 0.915  # measured 0.920 (html-text flattener) when pinned; raise, never lower


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


@pytest.mark.corpus
@pytest.mark.skipif(not (CORPORA / "aeb").exists(), reason=f"AEB corpus not found at {CORPORA}")
def test_aeb_flattened_floor() -> None:
    from copydesk_lab.text import devset

    pages = devset.load("aeb", "html-text")
    scores = [score_page(copydesk.extract(p.text, input_format="text", metadata=False).text,
                         p.gold) for p in pages]
    assert corpus_score(scores).f1 >= AEB_TEXT_F1_FLOOR
