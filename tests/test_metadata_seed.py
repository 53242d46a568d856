"""Golden test on the seed text dump: the metadata bar of issues 3 and 4."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import copydesk
from copydesk.blocks import Block
from copydesk.metadata import from_text
from copydesk.options import Options

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "000_243ae2b9009f719b.txt"
FIELDS = ("title", "agency", "date_published", "date_modified", "section", "site_name")

pytestmark = pytest.mark.skipif(not SEED.exists(), reason=f"seed dump not found at {SEED}")


def _expected() -> dict[str, object]:
    return json.loads(SEED.with_suffix(".expected.json").read_text(encoding="utf-8"))


def test_seed_metadata_from_lines() -> None:
    """The metadata reader alone, on every line of the dump (no classifier)."""
    lines = [" ".join(line.split()) for line in SEED.read_text(encoding="utf-8").splitlines()]
    blocks = [Block(text, kind="line", index=i) for i, text in enumerate(t for t in lines if t)]
    meta = from_text(blocks, None, Options(date_crawled="2020-03-23"))
    expected = _expected()
    for field in FIELDS:
        assert getattr(meta, field) == expected[field], field
    assert meta.authors == []


def test_seed_metadata_via_extract() -> None:
    """The whole flow: copydesk.extract on the dump as a user calls it."""
    article = copydesk.extract(SEED.read_text(encoding="utf-8"))
    expected = _expected()
    for field in (*FIELDS, "language"):
        assert getattr(article, field) == expected[field], field
    assert article.authors == []
