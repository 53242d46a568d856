"""Reader comments: never in the body; with comments=True, a `comments` field."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

import copydesk
from copydesk.corpus.rows import article_row

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"

_STORY = " ".join(["The council approved the new bridge after a long debate on its cost."] * 4)
_WORDPRESS = f"""<html><body><article class="post"><h1>Bridge approved</h1>
<div class="entry-content"><p>{_STORY}</p><p>{_STORY}</p><p>{_STORY}</p></div></article>
<div id="comments" class="comments-area"><h2>3 thoughts on "Bridge approved"</h2>
<ol class="comment-list">
<li id="comment-11" class="comment even depth-1"><article id="div-comment-11" class="comment-body">
 <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Ann Lee</b>
 <span class="says">says:</span></div><div class="comment-metadata"><a href="#comment-11">
 <time datetime="2025-03-02T10:15:00+00:00">March 2, 2025 at 10:15 am</time></a></div></footer>
 <div class="comment-content"><p>Finally! The old one was falling apart.</p></div>
 <div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></article>
 <ol class="children"><li id="comment-12" class="comment odd depth-2">
  <article id="div-comment-12" class="comment-body"><footer class="comment-meta">
  <div class="comment-author vcard"><b class="fn">Bo Chen</b> <span class="says">says:</span></div>
  <div class="comment-metadata"><time datetime="2025-03-02T11:00:00+00:00">11:00</time></div>
  </footer><div class="comment-content"><p>It was safe, just ugly.</p></div></article></li></ol>
</li>
<li id="comment-13" class="comment even depth-1"><article id="div-comment-13" class="comment-body">
 <div class="comment-content"><p>Who pays for it?</p><p>Not me, I hope.</p></div></article></li>
</ol>
<div id="respond" class="comment-respond"><h3>Leave a Reply</h3><form><p>Your email address
will not be published.</p><textarea></textarea></form></div></div></body></html>"""


def test_comments_never_in_text_and_returned_when_asked() -> None:
    plain = copydesk.extract(_WORDPRESS)
    assert "council approved" in plain.text and plain.comments == []
    for words in ("falling apart", "just ugly", "Who pays", "Leave a Reply"):
        assert words not in plain.text
    article = copydesk.extract(_WORDPRESS, comments=True)
    assert article.text == plain.text
    assert article.comments == [
        {"text": "Finally! The old one was falling apart.", "author": "Ann Lee",
         "date": "2025-03-02T10:15:00+00:00"},
        {"text": "It was safe, just ugly.", "author": "Bo Chen",
         "date": "2025-03-02T11:00:00+00:00"},
        {"text": "Who pays for it?\n\nNot me, I hope.", "author": None, "date": None},
    ]


def test_microdata_comments_and_pages_without_any() -> None:
    html = f"""<html><body><p>{_STORY}</p><div itemscope itemtype="https://schema.org/Comment">
    <span itemprop="author">Kim</span><div itemprop="text">Great piece.</div></div></body></html>"""
    assert copydesk.extract(html, comments=True).comments == [
        {"text": "Great piece.", "author": "Kim", "date": None}]
    assert copydesk.extract(f"<p>{_STORY}</p>", comments=True).comments == []
    assert copydesk.extract("a dump\n\nwith lines", input_format="text",
                            comments=True).comments == []


def test_comments_in_jsonl_and_parquet_rows(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    from copydesk.corpus.writers import ParquetWriter, parquet_schema

    row = article_row(copydesk.extract(_WORDPRESS, comments=True))
    assert json.loads(json.dumps(row))["comments"][1]["author"] == "Bo Chen"
    path = tmp_path / "out.parquet"
    writer = ParquetWriter(str(path))
    writer.write(row)
    writer.close()
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    assert table.schema == parquet_schema()
    assert table.column("comments").to_pylist()[0][2]["text"].startswith("Who pays")
    assert isinstance(table.schema.field("comments").type, pa.ListType)


def test_cli_comments_flag(tmp_path: Path) -> None:
    from copydesk.cli import main

    page = tmp_path / "page.html"
    page.write_text(_WORDPRESS, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(page), "-o", str(out), "--comments"]) == 0
    row = json.loads(out.read_text(encoding="utf-8"))
    assert [c["author"] for c in row["comments"]] == ["Ann Lee", "Bo Chen", None]
    assert "falling apart" not in row["text"]


# AEB pages with reader comment sections (WordPress lists; a "comment_content" layout).
_AEB_WITH_COMMENTS = {
    "8e3efab59f48fd29a1e1e7aa135880c4251a9f090f94999668cdbaec59d30b5a": 34,
    "232a43fb15abde807427b2a7bf4f772e27b8760554370956d8291df4e8166dbf": 10,
}


@pytest.mark.corpus
@pytest.mark.parametrize(("page_id", "count"), sorted(_AEB_WITH_COMMENTS.items()))
def test_real_comment_sections(page_id: str, count: int) -> None:
    path = CORPORA / "aeb" / "html" / f"{page_id}.html.gz"
    if not path.is_file():
        pytest.skip(f"AEB page not found under {CORPORA} (needs ../shared/corpora)")
    article = copydesk.extract(gzip.decompress(path.read_bytes()), comments=True)
    assert len(article.comments) == count
    assert all(c["text"] and c["author"] and c["date"] for c in article.comments)
    for comment in article.comments:
        assert comment["text"] not in article.text
        assert not comment["text"].startswith(comment["author"] or "\0")
