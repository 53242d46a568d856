"""The text dev set reads WCXB pages (text mode learns from the same data)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from copydesk_lab.bench import devset


def _corpus(tmp_path: Path) -> Path:
    base = tmp_path / "wcxb"
    (base / "html").mkdir(parents=True)
    (base / "ground-truth").mkdir()
    pages = {"0001": {"page_type": "forum", "host": "www.example.org"},
             "0002": {"page_type": "article", "host": None}}
    (base / "pages.json").write_text(json.dumps(pages), encoding="utf-8")
    for pid, gold in (("0001", "First post.\nSecond post."), ("0002", "")):
        (base / "html" / f"{pid}.html.gz").write_bytes(
            gzip.compress(b"<html><body><p>First post.</p><p>Second post.</p></body></html>"))
        truth = {"url": "https://news.example.net/a", "ground_truth": {"main_content": gold}}
        (base / "ground-truth" / f"{pid}.json").write_text(json.dumps(truth), encoding="utf-8")
    return tmp_path


def test_wcxb_pages_flattened_with_site_and_gold(tmp_path: Path) -> None:
    pages = devset.load("wcxb", "html-text", cache=False, root=_corpus(tmp_path))
    assert [(p.id, p.site, p.gold) for p in pages] == [
        ("0001", "example.org", "First post.\nSecond post.")]  # no gold body: not a dev page
    assert "First post." in pages[0].text and pages[0].corpus == "wcxb"
    assert "wcxb" in devset.TRAIN_CORPORA and "wcxb" not in devset.CORPORA
