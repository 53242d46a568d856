"""`copydesk bench` end to end through `copydesk.cli.main`, on a few pages."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import pytest

from copydesk.cli import main
from copydesk_lab.bench.peers import installed

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def _need(name: str) -> None:
    if not (CORPORA / name).is_dir():
        pytest.skip(f"corpus {name!r} not found under {CORPORA} (needs ../shared/corpora)")


def test_bench_aeb_three_pages_beside_trafilatura(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    _need("aeb")
    if not installed("trafilatura"):
        pytest.skip("trafilatura not installed (pip install -e ./lab)")
    out = tmp_path / "bench.json"
    code = main(["bench", "--corpora", str(CORPORA), "--dataset", "aeb", "--limit", "3",
                 "--peers", "trafilatura", "--bootstrap", "20", "--json", str(out)])
    assert code == 0
    printed = capsys.readouterr()
    assert "== aeb (3 pages)" in printed.out and "trafilatura" in printed.out
    assert "[aeb] copydesk" in printed.err  # progress goes to stderr
    results = json.loads(out.read_text())
    assert results["mode"] == "html" and "copydesk bench" in results["command"]
    rows = {r["extractor"]: r for r in results["datasets"]["aeb"]["results"]}
    assert set(rows) == {"copydesk", "trafilatura"}
    assert rows["trafilatura"]["speed_vs_trafilatura"] == pytest.approx(1.0)
    for row in rows.values():
        assert row["pages"] == 3 and row["failures"] == 0
        assert 0.5 < row["f1"] <= 1.0 and row["pages_per_s"] > 0
        assert row["peak_rss_mib"] >= 0 and row["memory_method"] in ("VmHWM", "rss-sampling-2ms")


def _fake_aeb(root: Path) -> Path:
    html = root / "aeb" / "html"
    html.mkdir(parents=True)
    first = "The council voted on Tuesday to rebuild the old bridge over the river. " * 8
    second = "Work starts in spring and the ferry will run until the bridge reopens. " * 8
    page = f"<html><body><nav>Home News Sport</nav><article><h1>Bridge</h1><p>{first}</p>" \
           f"<p>{second}</p></article><footer>Contact us</footer></body></html>"
    (html / "p1.html.gz").write_bytes(gzip.compress(page.encode()))
    truth = {"p1": {"articleBody": f"{first}\n\n{second}", "url": "https://example.com/a"}}
    (root / "aeb" / "ground-truth.json").write_text(json.dumps(truth))
    return root


def test_bench_copydesk_only_markdown_on_a_fake_corpus(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    root = _fake_aeb(tmp_path / "corpora")
    per_page = tmp_path / "pages.jsonl"
    code = main(["bench", "--corpora", str(root), "--peers", "none", "--markdown",
                 "--bootstrap", "0", "--pages", str(per_page)])
    assert code == 0
    (row,) = [json.loads(line) for line in per_page.read_text().splitlines()]
    assert row["id"] == "p1" and row["site"] == "example.com" and row["extractor"] == "copydesk"
    assert row["recall"] > 0.9 and row["gold_chars"] > 1000
    out = capsys.readouterr().out
    assert "### aeb (1 pages)" in out
    assert "| extractor | version | precision |" in out
    assert "- command: `copydesk bench --corpora" in out and "- date: " in out


def test_bench_rejects_unknown_dataset_and_missing_corpora(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _fake_aeb(tmp_path / "corpora")
    assert main(["bench", "--corpora", str(root), "--dataset", "nope"]) == 2
    assert "unknown dataset" in capsys.readouterr().err
    assert main(["bench", "--corpora", str(root), "--dataset", "readability"]) == 2
    assert "not found" in capsys.readouterr().err
    assert main(["bench", "--corpora", str(tmp_path / "absent")]) == 2
    assert "corpora folder not found" in capsys.readouterr().err
    assert main(["bench", "--corpora", str(root), "--peers", "nonesuch"]) == 2


def test_mode_text_dispatches_or_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    if importlib.util.find_spec("copydesk_lab.bench.text_mode") is not None:
        pytest.skip("text mode is implemented; its own tests cover it")
    assert main(["bench", "--mode", "text"]) == 2
    assert "--mode text is not available" in capsys.readouterr().err


def test_bench_metadata_smoke(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _need("readability")
    if not installed("htmldate"):
        pytest.skip("htmldate not installed (pip install -e ./lab)")
    out = tmp_path / "meta.json"
    code = main(["bench", "--metadata", "--corpora", str(CORPORA), "--dataset", "readability",
                 "--limit", "4", "--peers", "htmldate", "--json", str(out)])
    assert code == 0
    assert "metadata overhead" in capsys.readouterr().out
    results = json.loads(out.read_text())["datasets"]["readability"]
    rows = {r["extractor"]: r for r in results["results"]}
    assert rows["htmldate"]["fields"]["title"] is None  # not offered: n/a, not 0
    assert rows["copydesk"]["gold_pages"]["title"] == 4
    assert results["overhead"]["seconds_off"] > 0


def test_isolated_memory_probe_runs_in_a_child_process(tmp_path: Path) -> None:
    from copydesk_lab.bench.memprobe import isolated_memory

    root = _fake_aeb(tmp_path / "corpora")
    probe = isolated_memory(root, "aeb", "copydesk", limit=None)
    assert "error" not in probe, probe
    assert probe["peak_mib"] >= 0 and probe["process_peak_mib"] > 10
    assert probe["method"].startswith("isolated process")
    assert "error" in isolated_memory(root, "aeb", "nonesuch", limit=None)


def test_bench_wcxb_prints_word_f1_per_page_type(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    _need("wcxb")
    out = tmp_path / "bench.json"
    per_page = tmp_path / "pages.jsonl"
    code = main(["bench", "--corpora", str(CORPORA), "--dataset", "wcxb", "--limit", "4",
                 "--peers", "none", "--bootstrap", "0", "--json", str(out),
                 "--pages", str(per_page)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "mean page word F1 by page type (WCXB metric)" in printed
    assert "all (4)" in printed and "article (4)" in printed and "must-not leaked" in printed
    (row,) = json.loads(out.read_text())["datasets"]["wcxb"]["results"]
    word = row["word"]
    assert word["pages"] == {"all": 4, "article": 4}
    assert 0.5 < word["f1"]["all"] <= 1.0 and 0.0 <= word["without_leaked"] <= 1.0
    rows = [json.loads(line) for line in per_page.read_text().splitlines()]
    assert [r["page_type"] for r in rows] == ["article"] * 4
    mean = sum(r["word_f1"] for r in rows) / 4
    assert mean == pytest.approx(word["f1"]["all"])
