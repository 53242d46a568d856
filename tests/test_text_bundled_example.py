"""The bundled text-dump example (`examples/valley-courier-flood-dump.txt`, run by `make demo`).

A short flattened news page written for the demo: seven article paragraphs
between a menu, a byline block, a related list, a most-read list and a
footer. A plain page like this must come out whole, with its metadata.
"""

from __future__ import annotations

from pathlib import Path

import copydesk

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "valley-courier-flood-dump.txt"


def _article() -> copydesk.Article:
    return copydesk.extract(EXAMPLE.read_bytes())


def test_every_article_paragraph_and_nothing_else() -> None:
    article = _article()
    paragraphs = (article.text or "").split("\n\n")
    source = EXAMPLE.read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(source) if line.startswith("The River Ash crested"))
    assert paragraphs == source[start:start + 7]


def test_metadata_from_the_dump() -> None:
    article = _article()
    assert article.title == ("River Ash peaks below flood defences as Millbrook clears up "
                             "after three days of rain")
    assert article.authors == ["Tomas Reyes"]
    assert article.date_published == "2024-04-17T18:40"
    assert article.date_modified == "2024-04-18T07:15"
    assert article.date_crawled == "2024-04-18"
    assert article.site_name == "Valley Courier"
    assert article.section == "Local"
    assert article.language == "en"
