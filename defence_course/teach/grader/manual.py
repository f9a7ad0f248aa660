"""Marks given by hand (the written answers), merged into the gradebook and the LMS files.

The teacher keeps a CSV file with one row per mark::

    student_id,question,points,comment
    alice,q6,3,"clear argument, one source missing"
    bob,q6,1.5,

``student_id`` is the id in ``gradebook.csv`` (for a student with several files, the row's id
such as ``frank (frank_v2.ipynb)``, or the student's own id when the duplicate policy chose one
file); ``question`` is a question marked by hand; ``points`` runs from 0 to the question's
points; ``comment`` (optional) goes to the student's feedback. Every problem in the file is
reported with its line, and nothing is written until the file is right.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from defence_course.teach.grader.results import Outcome

REQUIRED_COLUMNS = ("student_id", "question", "points")
OPTIONAL_COLUMNS = ("comment",)


class ManualMarksError(ValueError):
    """The marks file has problems; ``problems`` lists each with its file and line."""

    def __init__(self, path: Path, problems: Sequence[str]):
        self.problems = list(problems)
        listed = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(
            f"{path}: {len(self.problems)} problem(s) in the marks file, nothing "
            f"was written:\n{listed}"
        )


@dataclass(frozen=True)
class ManualMark:
    """One mark given by hand, as read from line ``line`` of the marks file."""

    student_id: str
    question: str
    points: float
    comment: str
    line: int


def read_manual_marks(path: Path, questions: Iterable[dict[str, Any]]) -> list[ManualMark]:
    """Read and check the marks file against the assignment's questions."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"marks file not found: {path}")
    text = path.read_text(encoding="utf-8-sig")  # spreadsheets often save a byte-order mark
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ManualMarksError(
            path,
            [
                f"line 1: the header lacks {', '.join(missing)} (it "
                f"needs {', '.join(REQUIRED_COLUMNS)}; comment is "
                f"optional; found {', '.join(header) or 'nothing'})"
            ],
        )
    unknown = [c for c in header if c not in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)]
    by_name = {q["name"]: q for q in questions}
    manual = sorted(name for name, q in by_name.items() if q["manual"])
    marks: list[ManualMark] = []
    problems = [f"line 1: unknown column(s) {', '.join(unknown)}"] if unknown else []
    seen: dict[tuple[str, str], int] = {}
    for raw in reader:
        index = reader.line_num  # the file's own line (blank lines are skipped by csv)
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(row.values()):
            continue  # a blank line
        mark, problem = _check_row(row, index, by_name, manual)
        if problem:
            problems.append(f"line {index}: {problem}")
            continue
        key = (mark.student_id, mark.question)
        if key in seen:
            problems.append(
                f"line {index}: a second mark for {mark.student_id} on "
                f"{mark.question} (the first is on line {seen[key]})"
            )
            continue
        seen[key] = index
        marks.append(mark)
    if problems:
        raise ManualMarksError(path, problems)
    return marks


def _check_row(
    row: dict[str, str], line: int, questions: dict[str, dict[str, Any]], manual: list[str]
) -> tuple[ManualMark, str]:
    student, question, text = (
        row.get("student_id", ""),
        row.get("question", ""),
        row.get("points", ""),
    )
    empty = ManualMark("", "", 0.0, "", line)
    if not student:
        return empty, "student_id is empty"
    if question not in questions:
        return empty, (
            f"unknown question {question!r}; this assignment's questions marked "
            f"by hand: {', '.join(manual) or 'none'}"
        )
    if question not in manual:
        return empty, (
            f"{question} is autograded; only {', '.join(manual) or 'no question'} is marked by hand"
        )
    try:
        points = float(text)
    except ValueError:
        return empty, f"points {text!r} for {student} on {question} is not a number"
    most = float(questions[question]["points"])
    if not math.isfinite(points) or not 0 <= points <= most:
        return empty, (
            f"points {text} for {student} on {question} are out of range (0 to {most:g})"
        )
    return ManualMark(student, question, points, row.get("comment", ""), line), ""


def check_students(marks: list[ManualMark], ids: Iterable[str], path: Path) -> None:
    """Fail before grading when a mark names a student with no submission at all."""
    known = set(ids)
    problems = [
        f"line {m.line}: no submission for student {m.student_id!r}"
        for m in marks
        if m.student_id not in known
    ]
    if problems:
        raise ManualMarksError(path, problems)


def attach(marks: list[ManualMark], outcomes: list[Outcome], path: Path) -> None:
    """Give each outcome its marks; an id that matches no row (or several) is an error."""
    by_row = {o.student_id: o for o in outcomes}
    by_student: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_student.setdefault(outcome.base_id, []).append(outcome)
    problems, resolved = [], []
    for mark in marks:
        target, problem = _resolve(mark.student_id, by_row, by_student)
        if problem or target is None:  # _resolve gives a problem exactly when no target
            problems.append(f"line {mark.line}: {problem}")
        else:
            resolved.append((target, mark))
    if problems:
        raise ManualMarksError(path, problems)
    for target, mark in resolved:
        target.manual[mark.question] = mark.points
        if mark.comment:
            target.manual_comments[mark.question] = mark.comment


def _resolve(
    student: str, by_row: dict[str, Outcome], by_student: dict[str, list[Outcome]]
) -> tuple[Outcome | None, str]:
    if student in by_row:
        return by_row[student], ""
    rows = by_student.get(student, [])
    counted = [o for o in rows if o.counted]
    if len(rows) > 1 and len(counted) == 1:
        return counted[0], ""
    if len(rows) > 1:
        ids = ", ".join(repr(o.student_id) for o in rows)
        return None, (
            f"{student} has several files and none counts (duplicate policy "
            f"'flag'): give the gradebook's id of the one you marked ({ids})"
        )
    known = sorted(by_row)
    sample = ", ".join(known[:5]) + (" …" if len(known) > 5 else "")
    return None, f"no submission for student {student!r} in this gradebook (ids: {sample})"
