"""The words of a gradebook row: the reason a submission got what it got.

Kept apart from :mod:`~defence_course.teach.grader.grading` (which decides what happened) so
that the text a teacher reads lives in one place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from defence_course import paths
from defence_course.teach.grader import submissions as subs
from defence_course.teach.grader.confinement import data_dir
from defence_course.teach.grader.results import Outcome
from defence_course.teach.grader.sandbox import RunResult, describe_exit


def zero_points(questions: list[dict[str, Any]]) -> dict[str, float]:
    return {q["name"]: 0.0 for q in questions if not q["manual"]}


def describe_run(run: RunResult, notebook: subs.Notebook) -> str:
    parts = []

    def number(index: int | None) -> int | str:
        cells = notebook.cell_numbers
        return cells[index] if index is not None and 0 <= index < len(cells) else "?"

    if run.status == "timeout":
        parts.append(
            f"{run.detail} (it was running cell {number(run.last_cell)}); no points "
            "(an endless loop?)"
        )
    elif run.status == "crashed":
        what = run.detail or (
            f"the notebook's process {describe_exit(run.returncode)} while "
            f"running cell {number(run.last_cell)}, before its answers could "
            "be collected"
        )
        parts.append(what + "; no points")
    elif run.status == "error":
        parts.append(run.detail + "; no points")
    if run.errors:
        shown = "; ".join(f"cell {number(i)}: {msg}" for i, msg in run.errors[:4])
        more = f" (and {len(run.errors) - 4} more)" if len(run.errors) > 4 else ""
        parts.append(f"{len(run.errors)} cell(s) failed: {shown}{more}")
    if run.status == "ran" and run.missing:
        parts.append("not defined when the notebook finished: " + ", ".join(run.missing))
    if run.status == "ran" and not parts:
        parts.append(f"all {len(notebook.code_cells)} code cells ran")
    return "; ".join(parts)


def grader_failed(
    sub: subs.Submission, error: BaseException, questions: list[dict[str, Any]]
) -> Outcome:
    return Outcome(
        sub.student_id,
        sub.file,
        sub.sha256,
        "error",
        f"the grader failed on this submission ({type(error).__name__}: {error}); "
        "no points; it is graded again on the next run",
        points=zero_points(questions),
        base_id=sub.base_id,
        cacheable=False,
    )


def tampered(
    sub: subs.Submission, changed: list[Path], questions: list[dict[str, Any]], seconds: float
) -> Outcome:
    names = ", ".join(short_path(p) for p in changed[:5])
    more = f" and {len(changed) - 5} more" if len(changed) > 5 else ""
    return Outcome(
        sub.student_id,
        sub.file,
        sub.sha256,
        "tampered",
        f"the notebook changed files the grading depends on ({names}{more}); they "
        "were put back, and the submission gets no points",
        points=zero_points(questions),
        seconds=seconds,
        base_id=sub.base_id,
    )


def short_path(path: Path) -> str:
    for base in (paths.REPO_ROOT, data_dir().parent):
        try:
            return str(path.relative_to(base))
        except ValueError:
            continue
    return path.name
