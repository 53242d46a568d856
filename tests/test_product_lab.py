"""Product and lab apart: what `import copydesk` loads, what the wheel holds,
and what `copydesk bench` says when the lab is not installed."""

from __future__ import annotations

import json
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


@pytest.mark.slow
def test_wheel_holds_no_benchmark_training_or_test_module(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(tmp_path), str(REPO)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("copydesk-*.whl"))
    names = [n for n in zipfile.ZipFile(wheel).namelist() if n.endswith(".py")]
    assert any(n == "copydesk/api.py" for n in names)
    assert not [n for n in names if not n.startswith("copydesk/")]
    assert not [n for n in names if any(w in n for w in LAB_WORDS)]


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
