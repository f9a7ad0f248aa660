"""The package's structure: no module imports another that imports it back (at import time),
and the website's side of an explorer never imports the notebook's widget libraries."""

from __future__ import annotations

import ast
from pathlib import Path

from defence_course import explorers
from defence_course.paths import REPO_ROOT

PACKAGE = REPO_ROOT / "defence_course"
# What only an explorer's notebook version may import: the website build has no kernel.
WIDGET_LIBRARIES = {"ipywidgets", "anywidget", "traitlets"}


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


def outside_imports(path: Path) -> set[str]:
    """The top-level names of what ``path`` imports from outside the package at import time."""
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return found - {"defence_course"}


def package_graph() -> tuple[dict[str, Path], dict[str, set[str]]]:
    """The package's modules by name, and what each imports of the package at import time."""
    paths = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
    return paths, {name: top_level_imports(path, set(paths)) for name, path in paths.items()}


def imported_with(module: str, graph: dict[str, set[str]]) -> set[str]:
    """Every module of the package that importing ``module`` imports: its packages too."""
    parts = module.split(".")
    todo = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in graph and name not in seen:
            seen.add(name)
            todo += graph[name]
    return seen


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
    _, graph = package_graph()
    assert graph["defence_course.explorers.council.notebook"] >= {
        "defence_course.explorers.council",
        "defence_course.explorers.council.website",
    }
    assert not import_cycles(graph)
    # The check finds a ring: a model that imported a figure back.
    graph["defence_course.models.council"] = {"defence_course.figures.constitution"}
    assert import_cycles(graph), "a ring through models.council was not found"


def test_the_website_side_of_an_explorer_imports_no_widgets():
    """The registry, an explorer's shared definition and its website version load without
    ipywidgets (the notebook version alone needs it, and is imported only when asked for)."""
    paths, graph = package_graph()

    def widget_users(module: str) -> list[str]:
        return sorted(
            name
            for name in imported_with(module, graph)
            if outside_imports(paths[name]) & WIDGET_LIBRARIES
        )

    assert explorers.EXPLORERS
    for name in explorers.EXPLORERS:
        website = f"defence_course.explorers.{name}.website"
        assert website in graph, f"explorer {name} has no website.py"
        assert not widget_users(website), f"{website} imports {widget_users(website)}"
        # The check sees the notebook version's widgets.
        assert "defence_course.explorers._notebook" in widget_users(
            f"defence_course.explorers.{name}.notebook"
        )


MAP_START, MAP_END = "<!-- import map: start -->", "<!-- import map: end -->"


def unit_of(module: str) -> str:
    """The part of the package a module belongs to, as ARCHITECTURE.md's import map names it."""
    parts = module.split(".")[1:] or ["__init__"]
    head = parts[0]
    if head in {"models", "figures", "explorers"}:
        return f"{head}/"
    if head == "teach":
        tail = parts[1] if len(parts) > 1 else ""
        if tail == "grader":
            return "teach/grader/"
        if tail in {"cli", "assignments", "variants"}:
            return f"teach/{tail}"
        return "teach/ (student checks)"
    groups = {"sphinx": "sphinx*.py", "notebook": "notebook*.py", "handout": "handout*.py"}
    for prefix, group in groups.items():
        if head.startswith(prefix):
            return group
    return f"{head}.py"


def import_map() -> str:
    """Each part of the package and the parts it imports when it is imported, one per line."""
    _, graph = package_graph()
    parts: dict[str, set[str]] = {}
    for module, imported in graph.items():
        own = unit_of(module)
        parts.setdefault(own, set()).update(unit_of(m) for m in imported if unit_of(m) != own)
    width = max(map(len, parts)) + 2
    return "\n".join(
        f"{part:{width}}-> {', '.join(sorted(parts[part])) or '(nothing of the package)'}"
        for part in sorted(parts)
    )


def drawn_map(text: str) -> str:
    block = text.split(MAP_START, 1)[1].split(MAP_END, 1)[0]
    return block.strip().removeprefix("```").removesuffix("```").strip()


def test_the_import_map_in_architecture_md_is_the_package_s():
    """ARCHITECTURE.md's import map is what the package imports today, and it has no ring."""
    now = import_map()
    drawn = drawn_map((REPO_ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8"))
    assert drawn == now, f"ARCHITECTURE.md's import map is out of date; it is now:\n{now}"
    edges = {
        line.split("->")[0].strip(): {
            p.strip() for p in line.split("->")[1].split(",") if not p.strip().startswith("(")
        }
        for line in now.splitlines()
    }
    assert not import_cycles(edges)
