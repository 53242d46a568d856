"""Start-up costs: an HTML page never touches the text kernels; they load lazily,
outside the page deadline, with a notice on a terminal when they must compile."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from copydesk import cli, loading
from copydesk.text import warm

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "examples" / "harbour-wind-farm.html"
DUMP = ROOT / "examples" / "valley-courier-flood-dump.txt"


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    env.update(extra)
    return env


def _python_out(code: str, *args: str, timeout: float | None = None) -> str:
    """The standard output of `python -c code args` in a fresh interpreter (this tree
    first on the path): what a new process imports is only visible from outside it."""
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, env=_env(), check=True, timeout=timeout).stdout


_HTML_PAGE_LOADS = ("import sys, copydesk; from copydesk.classify import blockmodel; "
                    "m = None if sys.argv[2] == 'rules' else blockmodel.shipped_model(); "
                    "ctx = blockmodel.use_model(m); ctx.__enter__(); "
                    "a = copydesk.extract(open(sys.argv[1], 'rb').read()); "
                    "from copydesk import preload; assert a.status == 'ok', a.error; "
                    "print(sorted(m for m in ('numba', 'starlette') if m in sys.modules), "
                    "sorted(preload.loaded()))")


def test_an_html_page_by_the_rules_imports_neither_numba_nor_the_language_model() -> None:
    out = _python_out(_HTML_PAGE_LOADS, str(HTML), "rules")
    assert out.split() == ["[]", "[]"]  # (the example declares a language its body confirms)


def test_an_html_page_by_the_block_model_imports_no_numba() -> None:
    """The block model's features and trees are numpy (`classify.kernels`,
    `classify.trees`): nothing to compile, nothing announced as loading."""
    from copydesk.classify import blockmodel

    if blockmodel.shipped_model() is None:
        pytest.skip("no block model shipped (src/copydesk/data/block_model.json)")
    out = _python_out(_HTML_PAGE_LOADS, str(HTML), "model", timeout=600)
    assert out.split() == ["[]", "[]"]  # no numba, no text kernels, no language model


@pytest.mark.slow
def test_the_cli_on_an_html_page_compiles_no_text_kernel(tmp_path: Path) -> None:
    """With an empty numba cache (a fresh install), the command compiles no text-mode
    kernel (the block classifier's, when a model is shipped, only)."""
    cache = tmp_path / "numba-cache"
    cache.mkdir()
    run = subprocess.run([sys.executable, "-m", "copydesk.cli", "extract", str(HTML), "-q"],
                         capture_output=True, text=True, env=_env(NUMBA_CACHE_DIR=str(cache)),
                         check=True, timeout=900)
    assert json.loads(run.stdout)["status"] == "ok"
    compiled = [p.name for p in cache.rglob("*.nbi")]
    assert not [n for n in compiled if "scan_lines" in n or "line_matrix" in n], compiled


@pytest.mark.slow
def test_readying_the_kernels_is_outside_the_page_deadline() -> None:
    """A fresh worker loads the kernels (about a second) before its first dump; a page
    deadline shorter than that still gives the page its own time."""
    run = subprocess.run([sys.executable, "-m", "copydesk.cli", "extract", str(DUMP), "-q",
                          "--timeout", "0.5", "--workers", "1"], capture_output=True, text=True,
                         env=_env(), check=True, timeout=600)
    row = json.loads(run.stdout)
    assert row["status"] == "ok", row["error"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_kernels_announce_a_compilation_only_when_they_compile(
        monkeypatch: pytest.MonkeyPatch) -> None:
    heard: list[str] = []
    monkeypatch.setattr(loading, "_compile_listeners", [heard.append])
    monkeypatch.setattr(warm, "_state", {"ready": False})
    monkeypatch.setattr(warm, "cached", lambda: False)
    warm.begin()
    assert heard == ["text"] and warm.ready()
    monkeypatch.setattr(warm, "_state", {"ready": False})
    monkeypatch.setattr(warm, "cached", lambda: True)
    warm.begin()
    assert heard == ["text"]  # cached: nothing to announce


def test_the_command_line_prints_the_compile_notice_on_a_terminal_only() -> None:
    term, pipe = _Terminal(), io.StringIO()
    cli.compile_notice("text", term)
    cli.compile_notice("text", pipe)
    assert term.getvalue() == cli.COMPILE_NOTICES["text"] + "\n" and pipe.getvalue() == ""


def test_the_language_model_loads_in_memory_like_py3langids_own_loader() -> None:
    from py3langid import langid

    from copydesk.metadata import language

    mine = language._load_in_memory(langid)
    theirs = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE)
    for text in ("The council adopted the budget on Tuesday after a long debate.",
                 "Der Rat hat den Haushalt am Dienstag nach langer Debatte beschlossen."):
        assert mine.rank(text) == theirs.rank(text)


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    """Building the parser (every command registered) loads no web client, no numba,
    no web framework, no Parquet: each command loads its own when it runs."""
    code = ("import sys; from copydesk.cli import build_parser; build_parser(); "
            "print(sorted(m for m in ('httpx', 'numba', 'starlette', 'pyarrow', 'ray') "
            "if m in sys.modules))")
    out = _python_out(code)
    assert out.strip() == "[]"


def test_import_copydesk_loads_the_core_types_and_the_per_page_path_on_first_use() -> None:
    code = ("import sys, copydesk; print(sorted(m for m in ('numpy', 'numba', 'httpx', "
            "'multiprocessing', 'copydesk.corpus.pool', 'py3langid', 'copydesk.api', "
            "'selectolax') if m in sys.modules)); "
            "from copydesk import extract_many; print(extract_many.__module__); "
            "copydesk.extract('<p>A short paragraph, with a comma.</p>'); "
            "print(sorted(m for m in ('copydesk.api', 'numba') if m in sys.modules))")
    out = _python_out(code).split("\n")
    assert out[:3] == ["[]", "copydesk.corpus.many", "['copydesk.api']"]


def test_a_command_registers_only_itself() -> None:
    """`copydesk extract` imports neither the other commands nor the lab's (about half a
    second of a one-page call); `copydesk --help` and an unknown command still see all."""
    code = ("import sys; from copydesk import cli; p = cli.build_parser(cli.command_of("
            "['extract', 'x.html'])); print(sorted(p._subparsers._group_actions[0].choices), "
            "sorted(m for m in ('copydesk_lab', 'copydesk.commands.fetch_cmd', "
            "'copydesk.commands.serve_cmd') if m in sys.modules)); "
            "print(len(cli.build_parser(cli.command_of(['--help']))._subparsers"
            "._group_actions[0].choices) > 3)")
    out = _python_out(code).split("\n")
    assert out[:2] == ["['extract'] []", "True"]
