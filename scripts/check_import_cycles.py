"""Find import cycles in a package, at module level and between its subpackages.

    python scripts/check_import_cycles.py [src/copydesk]

Reads every module's imports with `ast` (top-level, inside functions, and under
TYPE_CHECKING alike: a late import does not make a cycle go away, it hides it).
An import of `a.b.c` also depends on the packages `a.b` and `a` whose
`__init__` runs first, except the root package itself, which every module
imports implicitly. Cycles are the strongly connected components of more than
one node (Tarjan 1972). Exit status 1 and one line per cycle when any exists.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable
from pathlib import Path


def module_names(root: Path) -> dict[str, Path]:
    """Dotted name -> file of every module under the package folder `root`."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = [root.name, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Known modules that module `name` imports, resolved to module names."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(name, is_package, node.module, node.level)
            subs = {f"{base}.{alias.name}" for alias in node.names}
            found.update(subs)
            if not subs <= known:  # a name defined in `base` itself, not only its submodules
                found.add(base)
    return {m for m in found if m in known and m != name}


def _absolute(name: str, is_package: bool, module: str | None, level: int) -> str:
    if level == 0:
        return module or ""
    parts = name.split(".")
    anchor = parts if is_package else parts[:-1]
    anchor = anchor[: len(anchor) - (level - 1)]
    return ".".join([*anchor, module] if module else anchor)


def with_parents(targets: Iterable[str], root: str, importer: str) -> set[str]:
    """Each target and the subpackages above it (their `__init__` runs on import)."""
    out = set()
    for target in targets:
        parts = target.split(".")
        for end in range(2, len(parts) + 1):
            parent = ".".join(parts[:end])
            if not importer.startswith(parent + ".") or parent == target:
                out.add(parent)
        if target == root:
            out.add(root)
    return out


def graph(root: Path) -> dict[str, set[str]]:
    """Module -> modules it depends on, inside the package at `root`."""
    names = module_names(root)
    known = set(names)
    edges = {}
    for name, path in names.items():
        direct = imports_of(name, path, known)
        edges[name] = {m for m in with_parents(direct, root.name, name) if m in known} - {name}
    return edges


def package_graph(edges: dict[str, set[str]], root: str) -> dict[str, set[str]]:
    """The same graph between first-level subpackages (`root.x`), self-edges dropped."""
    def top(module: str) -> str:
        return ".".join(module.split(".")[:2]) if module != root else root

    out: dict[str, set[str]] = {}
    for src, targets in edges.items():
        out.setdefault(top(src), set()).update(top(t) for t in targets if top(t) != top(src))
    out.pop(root, None)
    for targets in out.values():
        targets.discard(root)
    return out


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[0] if argv else "src/copydesk")
    edges = graph(root)
    problems = [("module", c) for c in cycles(edges)]
    problems += [("package", c) for c in cycles(package_graph(edges, root.name))]
    for level, members in problems:
        print(f"{level} import cycle: {' <-> '.join(members)}")
    if not problems:
        print(f"no import cycles among {len(edges)} modules of {root.name}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
