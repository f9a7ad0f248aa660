"""The package's structure: no module imports another that imports it back (at import time)."""

from __future__ import annotations

import ast
from pathlib import Path

from defence_course.paths import REPO_ROOT

PACKAGE = REPO_ROOT / "defence_course"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top_level_imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that ``path`` imports when it is imported (not inside functions)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found |= {
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            }
    return {module for module in found if module in modules and module != name}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other in a ring (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph.get(module, ())):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            ring = []
            while not ring or ring[-1] != module:
                ring.append(stack.pop())
            if len(ring) > 1:
                cycles.append(sorted(ring))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return cycles


def test_no_module_imports_itself_back():
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(path) for path in paths}
    graph = {module_name(path): top_level_imports(path, modules) for path in paths}
    assert graph["defence_course.widgets.council"] >= {"defence_course.explorers.council"}
    assert not import_cycles(graph)
    # The check finds a ring: a model that imported a figure back.
    graph["defence_course.models.council"] = {"defence_course.figures.constitution"}
    assert import_cycles(graph), "a ring through models.council was not found"
