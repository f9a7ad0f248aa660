"""Synthetic submissions for the tests and the grading benchmark.

A *correct* submission is the student notebook with every answer cell replaced by the master's
solution cell (taken from otter's autograder notebook, in order). A *blank* one is the student
notebook as handed out. The other kinds start from the correct one and break it in one way.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import nbformat

from defence_course.teach import assignments

SOLUTION_TAG = "otter_assign_solution_cell"
ANSWER_TAG = "otter_answer_cell"


def _tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def correct_notebook(
    assignment: assignments.Assignment, *, root: Path | None = None
) -> nbformat.NotebookNode:
    """The committed student notebook with the solutions filled in."""
    student = nbformat.read(assignment.student_notebook, as_version=4)
    dist = assignment.build_dir(root) / "dist"
    if not (dist / "autograder" / assignment.master.name).exists():
        assignments.load_manifest(assignment, root=root)
    solved = nbformat.read(dist / "autograder" / assignment.master.name, as_version=4)
    solutions = [c for c in solved.cells if c.cell_type == "code" and SOLUTION_TAG in _tags(c)]
    answers = [c for c in student.cells if c.cell_type == "code" and ANSWER_TAG in _tags(c)]
    if len(solutions) != len(answers):
        raise ValueError(
            f"{assignment.name}: {len(answers)} answer cells but {len(solutions)} solution cells"
        )
    for answer, solution in zip(answers, solutions, strict=True):
        answer.source = solution.source
    for cell in student.cells:  # the written answer: a student's own text
        if cell.cell_type == "markdown" and ANSWER_TAG in _tags(cell):
            cell.source = "The data support the claim only in part; see the figures above."
    return student


def blank_notebook(assignment: assignments.Assignment) -> nbformat.NotebookNode:
    return nbformat.read(assignment.student_notebook, as_version=4)


def answer_cells(nb: nbformat.NotebookNode) -> list[Any]:
    return [c for c in nb.cells if c.cell_type == "code" and ANSWER_TAG in _tags(c)]


def partly_wrong(nb: nbformat.NotebookNode, rng: random.Random) -> nbformat.NotebookNode:
    """Wrong answers of the right kind in a random half of the answer cells."""
    nb = copy.deepcopy(nb)
    cells = answer_cells(nb)
    for cell in rng.sample(cells, k=max(1, len(cells) // 2)):
        cell.source += "\n" + _spoil(cell.source)
    return nb


def _spoil(source: str) -> str:
    """A line that keeps the kind of each answer assigned in ``source`` but changes its value."""
    lines = []
    for line in source.splitlines():
        if " = " not in line or line.startswith((" ", "#", "'")):
            continue
        name = line.split(" = ", 1)[0].strip()
        if not name.isidentifier():
            continue
        lines.append(
            f"{name} = ({name} + 1 if isinstance({name}, (int, float)) and not isinstance("
            f"{name}, bool) else not {name} if isinstance({name}, bool) else {name}.head(1) "
            f"if hasattr({name}, 'head') else 'c' if isinstance({name}, str) else {name}[:1] "
            f"if isinstance({name}, list) else {name}.mark_point() if hasattr({name}, "
            f"'mark_point') else {name})"
        )
    return "\n".join(lines)


def broken(nb: nbformat.NotebookNode, kind: str) -> nbformat.NotebookNode:
    """A correct notebook broken in one way: "syntax", "exception" or "loop"."""
    nb = copy.deepcopy(nb)
    cells = answer_cells(nb)
    target = cells[len(cells) // 2]
    if kind == "syntax":
        target.source = target.source + "\nthis is not python ("
    elif kind == "exception":
        target.source = "raise RuntimeError('something went wrong')\n" + target.source
    elif kind == "loop":
        target.source = "while True:\n    pass\n" + target.source
    else:
        raise ValueError(f"unknown kind {kind!r}")
    return nb


def write(nb: nbformat.NotebookNode, path: Path) -> Path:
    path.write_text(nbformat.writes(nb), encoding="utf-8")
    return path


def as_json(nb: nbformat.NotebookNode) -> dict[str, Any]:
    return json.loads(nbformat.writes(nb))
