"""The memoised exclusion test (`html_exclude.Exclusions`) answers what a plain
walk up the ancestors answers, for every element of real pages, at every depth
the readers ask and in any order of asking (the memo is filled by earlier nodes)."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser

from copydesk.metadata.html_exclude import Exclusions, excludes

ROOT = Path(__file__).resolve().parents[1]
WCXB = ROOT.parent / "shared" / "corpora" / "wcxb"
_STOP = frozenset({"body", "html", "-undef"})


def _walked(node: Any, depth: int, light: bool) -> bool:
    """The reference: look at the node and up to depth - 1 ancestors, one by one."""
    current = node
    for _ in range(depth):
        if current is None or current.tag in _STOP:
            return False
        if excludes(current, light):
            return True
        current = current.parent
    return False


def _pages() -> list[Path]:
    pages = sorted((ROOT / "examples").glob("*.html"))
    if WCXB.is_dir():
        pages += sorted((WCXB / "html").glob("*.html.gz"))[:12]
    return pages


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.name)
def test_memoised_exclusions_match_the_plain_walk(page: Path) -> None:
    raw = page.read_bytes()
    nodes = list(LexborHTMLParser(gzip.decompress(raw) if page.suffix == ".gz" else raw)
                 .css("*"))
    assert nodes
    for order in (nodes, nodes[::-1]):
        memo = Exclusions()
        for node in order:
            for light in (False, True):
                for depth in (6, 10, 12):
                    assert memo(node, depth, light) == _walked(node, depth, light), node.tag
