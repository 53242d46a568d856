"""copydesk as a datatrove extractor: a small local pipeline, as FineWeb's would run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("datatrove", reason="datatrove is not installed: pip install -e '.[datatrove]'")

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

import copydesk
from copydesk.adapters.datatrove import Copydesk

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
URL = "https://harbour-news.example/2024/05/14/wind-farm"


def _write_input(folder: Path, docs: list[dict[str, object]]) -> None:
    folder.mkdir()
    with (folder / "part.jsonl").open("w") as out:
        for doc in docs:
            out.write(json.dumps(doc) + "\n")


def _run(tmp_path: Path, step: Copydesk) -> list[dict[str, object]]:
    html = (EXAMPLES / "harbour-wind-farm.html").read_text()
    _write_input(tmp_path / "in", [
        {"id": "a", "text": html, "metadata": {"url": URL}},
        {"id": "b", "text": "<html><body><nav>Home</nav></body></html>", "metadata": {}},
        {"id": "c", "text": "<p>A page that hangs the extractor in the timeout test.</p>",
         "metadata": {}},
    ])
    LocalPipelineExecutor(pipeline=[
        JsonlReader(str(tmp_path / "in")),
        step,
        JsonlWriter(str(tmp_path / "out"), compression=None),
    ], tasks=1, workers=1, logging_dir=str(tmp_path / "logs")).run()
    lines = (tmp_path / "out").glob("*.jsonl")
    return [json.loads(line) for path in lines for line in path.read_text().splitlines()]


def test_a_pipeline_swaps_trafilatura_for_copydesk(tmp_path: Path) -> None:
    rows = _run(tmp_path, Copydesk(timeout=5))
    assert [row["id"] for row in rows] == ["a", "c"]  # b: no article, dropped
    expected = copydesk.extract((EXAMPLES / "harbour-wind-farm.html").read_bytes(), url=URL)
    assert rows[0]["text"] == expected.text
    meta = rows[0]["metadata"]
    assert meta["url"] == URL and meta["copydesk_title"] == expected.title
    assert meta["copydesk_date_published"] == expected.date_published
    assert meta["copydesk_language"] == expected.language


def test_the_per_document_timeout_is_datatroves(tmp_path: Path) -> None:
    """A page that hangs is dropped as a timeout by datatrove's sandbox; the next one runs."""
    step = Copydesk(timeout=1)
    original = step.extract

    def slow_for_c(text: str, url: str | None = None) -> str:
        if "hangs the extractor" in text:
            import time

            time.sleep(30)
        return original(text, url)

    step.extract = slow_for_c  # type: ignore[method-assign]
    rows = _run(tmp_path, step)
    assert [row["id"] for row in rows] == ["a"]
    steps = json.loads((tmp_path / "logs" / "stats.json").read_text())
    stats = next(s["stats"] for s in steps if "copydesk" in s["name"])
    assert stats["timeout"] == 1 and stats["extracted"] == 2 and stats["dropped"] == 1


def test_plain_extract_follows_the_base_contract() -> None:
    step = Copydesk(metadata_fields=())
    html = (EXAMPLES / "harbour-wind-farm.html").read_text()
    body = step.extract(html)
    assert type(body) is str and body == copydesk.extract(html, metadata=False).text
    with pytest.raises(TypeError, match="unknown option"):
        Copydesk(colour="blue")
