"""The library never prints, exits or writes to the terminal: only the command layer
(`copydesk/commands/`, `copydesk/cli.py`) does (docs/architecture.md). Read from the
source with `ast`, so a late import or an alias cannot hide a call."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "copydesk"
COMMAND_LAYER = ("commands/", "cli.py")
# Known exceptions, each with its reason; a new one must be argued here.
ALLOWED = {
    # The rows of a run without -o: the output itself, not a message.
    ("corpus/sink.py", "sys.stdout"),
}


def _uses(tree: ast.AST) -> set[str]:
    """print(...), sys.exit / SystemExit / os._exit, sys.stdout / sys.stderr in a module."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("print", "exit", "quit"):
            found.add(node.func.id)
        elif isinstance(node, ast.Name) and node.id == "SystemExit":
            found.add("SystemExit")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            name = f"{node.value.id}.{node.attr}"
            if name in ("sys.exit", "sys.stdout", "sys.stderr", "os._exit"):
                found.add(name)
        elif isinstance(node, ast.ImportFrom) and node.module == "sys":
            found.update(f"sys.{a.name}" for a in node.names
                         if a.name in ("exit", "stdout", "stderr"))
    return found


def test_the_scan_sees_each_kind_of_call() -> None:
    code = ("import sys, os\nfrom sys import stderr\nprint(1)\nsys.exit(2)\n"
            "raise SystemExit(3)\nsys.stdout.write('x')\nos._exit(4)\n")
    assert _uses(ast.parse(code)) == {"print", "sys.exit", "SystemExit", "sys.stdout",
                                      "sys.stderr", "os._exit"}


def test_only_the_command_layer_prints_or_exits() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 100  # the package, not an empty folder
    found = set()
    for path in modules:
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith(COMMAND_LAYER):
            continue
        found |= {(rel, use) for use in _uses(ast.parse(path.read_text(encoding="utf-8")))}
    assert found - ALLOWED == set()
    assert ALLOWED - found == set(), "an exception no longer needed: remove it from ALLOWED"
