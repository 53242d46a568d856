"""The house's shape: layer contracts (import-linter, pyproject.toml) and no import cycle.

`make test` runs both tools directly; these tests run them under plain pytest too, and
check that the cycle script does find a cycle when one exists.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import check_import_cycles  # noqa: E402


def test_layer_contracts_hold() -> None:
    run = subprocess.run([sys.executable, "-c",
                          "from importlinter.cli import lint_imports_command as c; c()"],
                         cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "broken" in run.stdout and " 0 broken" in run.stdout


def test_cycle_script_finds_a_hidden_cycle(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from pkg.sub.a import f\n")
    (pkg / "sub" / "a.py").write_text("def f():\n    from pkg import b  # late\n")
    (pkg / "b.py").write_text("from pkg.sub import a\n")
    (pkg / "c.py").write_text("import pkg.b\n")
    edges = check_import_cycles.graph(pkg)
    found = check_import_cycles.cycles(edges)
    assert ["pkg.b", "pkg.sub", "pkg.sub.a"] in found
    assert check_import_cycles.main([str(pkg)]) == 1


def test_lab_has_no_import_cycle() -> None:
    assert check_import_cycles.main([str(REPO / "lab" / "src" / "copydesk_lab")]) == 0


def test_product_has_no_import_cycle() -> None:
    assert check_import_cycles.main([str(REPO / "src" / "copydesk")]) == 0
