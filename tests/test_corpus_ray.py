"""`--engine ray` gives the same rows as the local engine (compared sorted by id)."""

from __future__ import annotations

from pathlib import Path

import pytest

import faults
from copydesk.commands.corpus_run import run
from copydesk.corpus.config import RunConfig
from copydesk_lab.corpus.warcgen import WarcPage, response_record, write_warc
from corpus_helpers import article_html, read_jsonl

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'copydesk[ray]'")


def test_ray_rows_equal_local_rows(tmp_path: Path) -> None:
    pages = [article_html(i) for i in range(12)] + [article_html(3)]
    records = [response_record(WarcPage(f"http://e.com/{i}", p)) for i, p in enumerate(pages)]
    records.append(response_record(WarcPage("http://e.com/png", b"\x89PNG\r\n\x1a\n", "image/png")))
    warc = tmp_path / "r.warc.gz"
    write_warc(str(warc), records, compress=True)
    rows = {}
    try:
        for engine in ("local", "ray"):
            for templates in (None, "two-pass"):  # site templates: learned on Ray too
                out = tmp_path / f"{engine}-{templates}.jsonl"
                cfg = RunConfig(inputs=[str(warc)], output=str(out), workers=2, engine=engine,
                                dedup=True, quiet=True, templates=templates)
                assert run(cfg) == 0
                rows[engine, templates] = sorted(read_jsonl(out), key=lambda r: r["id"])
    finally:
        ray.shutdown()
    assert len(rows["ray", None]) == 14
    assert rows["ray", None] == rows["local", None]
    assert sum(1 for r in rows["ray", None] if r["dup_of"]) == 1
    assert rows["ray", "two-pass"] == rows["local", "two-pass"]


def test_ray_crash_and_deadline_rows_equal_local(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A segfaulting page and a hanging one become `crashed` and `timeout` rows on Ray
    exactly as in the local engine (the deadline is enforced inside the Ray task)."""
    faults.install(monkeypatch)
    markers = {2: "<p>COPYDESK-FAULT:segv</p>", 5: "<p>COPYDESK-FAULT:hang</p>"}
    records = [response_record(WarcPage(f"http://e.com/{i}", article_html(i) if i not in markers
                                        else article_html(i).replace(b"</article>",
                                                                     markers[i].encode()
                                                                     + b"</article>")))
               for i in range(8)]
    warc = tmp_path / "f.warc"
    write_warc(str(warc), records, compress=False)
    rows = {}
    try:
        for engine in ("local", "ray"):
            out = tmp_path / f"{engine}.jsonl"
            cfg = RunConfig(inputs=[str(warc)], output=str(out), workers=2, engine=engine,
                            quiet=True, timeout=3)
            assert run(cfg) == 0
            rows[engine] = read_jsonl(out)
    finally:
        ray.shutdown()
    errors = [r["error"] for r in rows["ray"] if r["status"] == "error"]
    assert errors == ["crashed: worker killed by SIGSEGV", "timeout: no result within 3 s"]
    assert rows["ray"] == rows["local"]
