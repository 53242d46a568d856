"""The behaviour record (`copydesk_lab.outputs`): what a refactor is compared on.

A page's record holds its output fields, a hash of the plain call's row and
every block's decision from `explain=True`; `compare` names what changed,
down to the first block whose decision differs."""

from __future__ import annotations

import json
from pathlib import Path

from copydesk_lab import outputs

STORY = ("The council voted on Tuesday to rebuild the old bridge over the river, "
         "and the work will start in the spring once the money arrives. ") * 4
PAGE = f"<html><body><nav><a href='/'>Home</a></nav><article><p>{STORY}</p></article></body></html>"


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return path


def test_records_blocks_and_names_the_first_changed_decision(tmp_path: Path) -> None:
    html = outputs._summary("t", "1", PAGE.encode())
    text = outputs._summary("text/t", "1", "Home\n" + STORY, input_format="text")
    assert html["rung"] and html["page_type"] and html["blocks"]
    assert all(isinstance(kept, bool) and reason for kept, reason in html["blocks"])
    assert text["rung"].startswith("text:") and text["page_type"] == "article"
    before = _write(tmp_path / "a.jsonl", [html, text])
    assert outputs.compare(before, before) == []
    changed = dict(html, blocks=[[not html["blocks"][0][0], "other"], *html["blocks"][1:]])
    after = _write(tmp_path / "b.jsonl", [changed, text])
    (diff,) = outputs.compare(before, after)
    assert diff.startswith("t/1: blocks (block 0:")
