"""Run summary: counts by status and grouped reasons; progress only on a terminal."""

from __future__ import annotations

import json

import pytest

from copydesk.article import Article, Status
from copydesk.commands.progress import Progress
from copydesk.corpus.rows import article_row, clean_str
from copydesk.corpus.summary import Summary, reason_of


def test_reasons_are_grouped_by_prefix() -> None:
    summary = Summary()
    for error in ("crashed: worker killed by SIGSEGV", "crashed: worker exited with status 1",
                  "not a page (content type image/png)", None):
        summary.count(Article(status=Status.ERROR if error else Status.OK, error=error))
    data = json.loads(summary.to_json())
    assert data["rows"] == 4 and data["status"] == {"error": 3, "ok": 1}
    assert data["reasons"] == {"error: crashed": 2, "error: not a page": 1}
    assert reason_of(None) == "unknown"
    assert "4 rows: ok 1, empty 0, error 3" in "\n".join(summary.report_lines())


def test_progress_writes_only_when_enabled(capsys: pytest.CaptureFixture[str]) -> None:
    summary = Summary()
    summary.count(Article())
    Progress(summary, enabled=False).tick()
    assert capsys.readouterr().err == ""
    progress = Progress(summary, enabled=True, every=0)
    progress.tick()
    progress.done()
    err = capsys.readouterr()
    assert "1 rows" in err.err and "ok 1, empty 0, error 0" in err.err and err.out == ""


def test_rows_are_valid_utf8() -> None:
    article = Article(id="a\ud800b", source="caf\udce9.html", title="x\x00y", authors=["A\udfff"])
    row = article_row(article)
    json.dumps(row, ensure_ascii=False).encode("utf-8")  # would raise on a lone surrogate
    assert (row["id"], row["title"], row["authors"]) == ("ab", "xy", ["A"])
    assert clean_str("plain") == "plain"
