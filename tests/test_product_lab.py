"""Product and lab apart: what `import copydesk` loads, what the wheel holds,
and what `copydesk bench` says when the lab is not installed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from copydesk import cli

REPO = Path(__file__).resolve().parents[1]
LAB_WORDS = ("bench", "train", "devset", "warcgen", "test")


def _modules_after(statement: str) -> list[str]:
    code = f"import json, sys; {statement}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return list(json.loads(out.stdout))


def test_import_copydesk_loads_no_lab_module() -> None:
    mods = _modules_after("import copydesk")
    assert not [m for m in mods if m.startswith("copydesk_lab")]
    ours = [m for m in mods if m.startswith("copydesk.")]
    assert ours, "copydesk's own modules should be listed"
    assert not [m for m in ours if any(w in m for w in LAB_WORDS)]


def test_extract_loads_no_serve_or_parquet_dependency() -> None:
    mods = _modules_after("import copydesk; copydesk.extract(b'<p>Hello there, reader.</p>')")
    heavy = ("starlette", "uvicorn", "jinja2", "pyarrow", "ray", "sklearn", "copydesk_lab")
    assert not [m for m in mods if m.split(".")[0] in heavy]


def test_lab_command_without_lab_says_how_to_install(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli, "entry_points", lambda group: [])
    assert cli.main(["bench", "--dataset", "aeb"]) == 2
    err = capsys.readouterr().err
    assert "pip install -e ./lab" in err and "copydesk bench" in err


def test_lab_commands_come_through_the_entry_point_group() -> None:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    names = set(sub.choices)  # type: ignore[attr-defined]
    assert {"extract", "serve"} <= names
    assert set(cli.LAB_COMMANDS) <= names


# Modules the issue named as lab code inside the product (issue 14), and neighbours.
KNOWN_LAB = ["copydesk/bench/text_mode.py", "copydesk/corpus/bench.py",
             "copydesk/corpus/benchset.py", "copydesk/corpus/template_bench.py",
             "copydesk/corpus/warcgen.py", "copydesk/text/devset.py", "copydesk/text/train.py",
             "copydesk/classify/train.py", "copydesk/serve/bench.py",
             "copydesk/tests/test_api.py", "copydesk/testing.py"]
# Data the wheel carries besides modules: the shipped models and the inspector's files.
DATA_DIRS = ("copydesk/data/", "copydesk/serve/templates/", "copydesk/serve/static/")


def _lab_modules(names: list[str]) -> list[str]:
    """The entries whose path names benchmark, training, data-generation or test code."""
    return [n for n in names if any(w in part for part in Path(n).with_suffix("").parts
                                    for w in LAB_WORDS)]


def test_the_wheel_check_flags_lab_modules() -> None:
    assert _lab_modules(KNOWN_LAB) == KNOWN_LAB
    assert _lab_modules(["copydesk/api.py", "copydesk/metadata/labels.py"]) == []


def _tracked_checkout(into: Path) -> list[str]:
    """The files a wheel is built from (pyproject, README, LICENSE, src/) as a commit
    of this working tree would hold them (tracked or new, not ignored, not deleted),
    copied into `into`: a clean checkout, so a stale `build/` cannot reach the wheel."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard", "--", "pyproject.toml", "README.md",
                             "LICENSE", "src"], cwd=REPO, capture_output=True, check=True)
    tracked = sorted({p for p in listed.stdout.decode().split("\0")
                      if p and (REPO / p).is_file()})
    assert "src/copydesk/api.py" in tracked and "pyproject.toml" in tracked
    for rel in tracked:
        target = into / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / rel, target)
    return tracked


@pytest.mark.slow
def test_wheel_holds_the_product_and_no_benchmark_training_or_test_module(
        tmp_path: Path) -> None:
    tracked = _tracked_checkout(tmp_path / "checkout")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(tmp_path), str(tmp_path / "checkout")],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("copydesk-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    modules = sorted(n for n in names if n.endswith(".py"))
    # Every product module, and nothing else: the wheel is the product, whole.
    assert modules == sorted(p.removeprefix("src/") for p in tracked
                             if p.startswith("src/copydesk/") and p.endswith(".py"))
    assert len(modules) > 100
    assert not _lab_modules(modules)
    outside = [n for n in names if not n.startswith(("copydesk/", "copydesk-"))]
    assert outside == []
    data = [n for n in names if n.startswith("copydesk/") and not n.endswith(".py")]
    assert data and all(n.startswith(DATA_DIRS) for n in data), data


def test_serve_without_its_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from copydesk.commands import serve_cmd

    monkeypatch.setattr(serve_cmd, "find_spec", lambda name: None)
    assert cli.main(["serve", "--no-browser"]) == 2
    assert "pip install 'copydesk[serve]'" in capsys.readouterr().err


def test_parquet_without_pyarrow_is_a_clear_output_error(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    from copydesk.corpus import writers
    from copydesk.errors import OutputError

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now raises ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(OutputError, match=r"copydesk\[parquet\]"):
        writers.ParquetWriter(str(tmp_path / "out.parquet"))


def test_fetch_without_its_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from copydesk.commands import fetch_cmd

    monkeypatch.setattr(fetch_cmd, "find_spec", lambda name: None)
    assert cli.main(["fetch", "https://example.com/", "-o", "out.warc.gz"]) == 2
    assert "pip install 'copydesk[fetch]'" in capsys.readouterr().err


def test_cli_start_imports_neither_the_crawler_nor_the_inspector() -> None:
    mods = _modules_after("from copydesk import cli; cli.build_parser()")
    heavy = ("httpx", "starlette", "uvicorn", "pyarrow", "numba")  # the lab may register
    assert not [m for m in mods if m.split(".")[0] in heavy]
