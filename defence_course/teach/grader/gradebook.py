"""The files a grading run writes: gradebook, feedback, LMS imports, answers.

In ``RESULTS_DIR``:

``gradebook.csv``
    one row per submitted file, sorted by student id, with the columns ``student_id``, ``file``,
    ``status``, one column per question (``q1`` …; autograded points, or empty for questions
    marked by hand), ``total`` (autograded points), ``max_total`` (autograded points possible),
    ``reason`` and ``sha256`` (of the submitted file). With a marks file (``--marks``), the
    columns of the questions marked by hand hold the teacher's marks, and ``total`` and
    ``max_total`` count every question; a row without a mark says so in its ``reason``. A run
    without isolation (``--unsafe``) starts the file with a line ``# UNSAFE: …`` above the
    header, so that such marks are never mistaken for trusted ones.
``feedback/<student_id>.md``
    per student: status, points per question and, for each failed check, its message in plain
    words (hidden checks give their message but never their code).
``moodle_import.csv``
    for Moodle's *Grades → Import → CSV file*: ``student_id``, ``grade`` (the autograded
    total), ``feedback`` (status and points per question, one line). Map ``student_id`` to the
    Moodle user field that holds it (ID number, username or email).
``canvas_import.csv``
    for Canvas's *Grades → Import*: ``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``,
    ``Section`` and one column named after the assignment, with a first row ``Points Possible``.
    A numeric student id (the Canvas user id that Canvas puts in downloaded file names) goes in
    ``ID``, any other id in ``SIS Login ID``.

    Both LMS files hold one row per student: for a student with several files, the one the
    duplicate policy chose, under the student's own id, or none when the policy is ``flag``.
``answers/<student_id>.json``
    the answers the notebook produced, as the JSON the evaluator received.
``summary.json``
    counts by status, the isolation used, the students with several files, the questions and the
    output files.

Feedback and answers files are named after the student id; two ids that would give the same
file name (ids differing only in case or punctuation) get a short hash of their file name
added, so no file ever overwrites another. Re-running on the same submissions writes the same
files byte for byte.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from defence_course.teach.grader.results import Outcome, Report

GRADEBOOK = "gradebook.csv"
MOODLE = "moodle_import.csv"
CANVAS = "canvas_import.csv"
FEEDBACK_DIR = "feedback"
ANSWERS_DIR = "answers"
SUMMARY = "summary.json"


def number(value: float | None) -> str:
    """Points as written in CSV files: ``2``, ``1.5``, ``0.33``; empty for ``None``."""
    if value is None:
        return ""
    rounded = round(float(value), 2)
    return f"{rounded:g}" if rounded != int(rounded) else str(int(rounded))


def safe_name(student_id: str) -> str:
    return re.sub(r"[^\w.@+-]+", "_", student_id).strip("._")[:150] or "unnamed"


def output_stems(report: Report) -> dict[str, str]:
    """File name (without suffix) of each submission's feedback and answers, all distinct."""
    stems: dict[str, str] = {}
    taken: set[str] = set()
    for outcome in report.outcomes:
        stem = safe_name(outcome.student_id)
        if stem.lower() in taken:
            stem = f"{stem}-{hashlib.sha256(outcome.file.encode()).hexdigest()[:8]}"
        counter = 1
        base = stem
        while stem.lower() in taken:
            counter += 1
            stem = f"{base}-{counter}"
        taken.add(stem.lower())
        stems[outcome.file] = stem
    return stems


def unsafe_banner(report: Report) -> str:
    return (
        f"# UNSAFE: graded with --unsafe, without isolation ({report.isolation.detail}): "
        "student code ran as the teacher's user and could read or change files on this "
        "computer; do not use these marks for work that counts\n"
    )


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def gradebook_rows(report: Report) -> tuple[list[str], list[list[str]]]:
    questions = [q["name"] for q in report.questions]
    manual = {q["name"] for q in report.questions if q["manual"]}
    header = ["student_id", "file", "status", *questions, "total", "max_total", "reason", "sha256"]
    rows = []
    for o in report.outcomes:
        points = [
            (number(o.manual.get(q)) if q in manual else number(o.points.get(q, 0.0)))
            for q in questions
        ]
        rows.append(
            [
                o.student_id,
                o.file,
                o.status,
                *points,
                number(report.final_total(o)),
                number(report.final_max()),
                _reason(report, o),
                o.sha256,
            ]
        )
    return header, rows


def _reason(report: Report, outcome: Outcome) -> str:
    unmarked = report.unmarked(outcome)
    if not unmarked:
        return outcome.full_reason
    return f"{outcome.full_reason}; not marked by hand yet: {', '.join(unmarked)}"


def feedback_text(report: Report, outcome: Outcome) -> str:
    lines = [
        f"# {report.title}: feedback for {outcome.student_id}",
        "",
        f"- File: `{outcome.file}`",
        f"- Status: **{outcome.status}** ({outcome.full_reason})",
        f"- Autograded points: **{number(outcome.total)} / {number(report.max_total)}**",
    ]
    manual = [q for q in report.questions if q["manual"]]
    if report.marks_file:
        lines.append(
            f"- Total with the marks your teacher gave: "
            f"**{number(report.final_total(outcome))} / {number(report.final_max())}**"
        )
    elif manual:
        names = ", ".join(f"{q['name']} ({number(q['points'])} points)" for q in manual)
        lines.append(f"- Marked by your teacher: {names}")
    lines.append("")
    for question in report.questions:
        name = question["name"]
        if question["manual"]:
            if report.marks_file:
                lines.extend(_manual_feedback(question, outcome))
            continue
        got = outcome.points.get(name, 0.0)
        lines.append(f"## {name}: {number(got)} / {number(question['points'])}")
        lines.append("")
        cases = outcome.cases.get(name)
        if cases is None:
            lines.append(
                f"Not checked: the notebook did not produce its answers ({outcome.status})."
            )
        elif all(c["passed"] for c in cases):
            lines.append("All checks passed.")
        else:
            shown: set[str] = set()
            for case in cases:
                message = " ".join(str(case["message"]).split())
                if case["passed"] or message in shown:
                    continue
                shown.add(message)
                kind = "A hidden check" if case["hidden"] else "A check you could run"
                lines.append(f"- {kind} did not pass: {message}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _manual_feedback(question: dict[str, Any], outcome: Outcome) -> list[str]:
    name = question["name"]
    if name not in outcome.manual:
        return [
            f"## {name}: not marked yet (marked by your teacher, "
            f"{number(question['points'])} points)",
            "",
        ]
    lines = [
        f"## {name}: {number(outcome.manual[name])} / {number(question['points'])} "
        "(marked by your teacher)",
        "",
    ]
    if outcome.manual_comments.get(name):
        lines += [" ".join(outcome.manual_comments[name].split()), ""]
    return lines


def counted(report: Report) -> list[Outcome]:
    """The rows that go to the LMS files: one per student (see the duplicate policy)."""
    return [o for o in report.outcomes if o.counted]


def moodle_rows(report: Report) -> tuple[list[str], list[list[str]]]:
    header = ["student_id", "grade", "feedback"]
    rows = []
    shown = report.questions if report.marks_file else report.autograded
    for o in counted(report):
        parts = [f"{q['name']} {_points_text(q, o)}/{number(q['points'])}" for q in shown]
        rows.append([o.base_id, number(report.final_total(o)), f"{o.status}: " + ", ".join(parts)])
    return header, rows


def _points_text(question: dict[str, Any], outcome: Outcome) -> str:
    if question["manual"]:
        return (
            number(outcome.manual[question["name"]])
            if question["name"] in outcome.manual
            else "not marked"
        )
    return number(outcome.points.get(question["name"], 0.0))


def canvas_rows(report: Report) -> tuple[list[str], list[list[str]]]:
    kind = "autograded and marked" if report.marks_file else "autograded"
    column = f"{report.title} ({kind})"
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column]
    rows = [["Points Possible", "", "", "", "", number(report.final_max())]]
    for o in counted(report):
        numeric = o.base_id.isdigit()
        rows.append(
            [
                "",
                o.base_id if numeric else "",
                "",
                "" if numeric else o.base_id,
                "",
                number(report.final_total(o)),
            ]
        )
    return header, rows


def _answers_text(outcome: Outcome) -> str:
    payload: dict[str, Any] = {
        "student_id": outcome.student_id,
        "status": outcome.status,
        "answers": outcome.answers,
    }
    return json.dumps(payload, indent=1, sort_keys=True) + "\n"


def write_all(report: Report) -> dict[str, Path]:
    """Write every output file of ``report`` into its ``out_dir``; return their paths."""
    out = Path(report.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}

    header, rows = gradebook_rows(report)
    banner = unsafe_banner(report) if report.unsafe else ""
    files["gradebook"] = _write(out / GRADEBOOK, banner + _csv_text(header, rows))
    header, rows = moodle_rows(report)
    files["moodle"] = _write(out / MOODLE, _csv_text(header, rows))
    header, rows = canvas_rows(report)
    files["canvas"] = _write(out / CANVAS, _csv_text(header, rows))

    for folder in (FEEDBACK_DIR, ANSWERS_DIR):
        if (out / folder).exists():
            shutil.rmtree(out / folder)
        (out / folder).mkdir()
    stems = output_stems(report)
    for outcome in report.outcomes:
        stem = stems[outcome.file]
        _write(out / FEEDBACK_DIR / f"{stem}.md", feedback_text(report, outcome))
        _write(out / ANSWERS_DIR / f"{stem}.json", _answers_text(outcome))
    files["feedback"] = out / FEEDBACK_DIR
    files["answers"] = out / ANSWERS_DIR

    counts: dict[str, int] = {}
    for outcome in report.outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    summary = {
        "assignment": report.assignment,
        "title": report.title,
        "submissions": len(report.outcomes),
        "by_status": dict(sorted(counts.items())),
        "isolation": {
            "mechanism": report.isolation.mechanism,
            "description": report.isolation.describe(),
            "unsafe": report.unsafe,
        },
        "duplicates": {
            "policy": report.duplicate_policy,
            "students": [
                {"student_id": g.student_id, "files": g.files, "counted": g.counted}
                for g in report.duplicates
            ],
        },
        "ignored_files": report.ignored,
        "questions": report.questions,
        "max_total": report.max_total,
        "manual_marks": None
        if not report.marks_file
        else {
            "file": str(report.marks_file),
            "marks": sum(len(o.manual) for o in report.outcomes),
            "not_marked": {
                o.student_id: report.unmarked(o) for o in report.outcomes if report.unmarked(o)
            },
        },
        "files": {k: p.name for k, p in sorted(files.items())},
    }
    files["summary"] = _write(out / SUMMARY, json.dumps(summary, indent=1, sort_keys=True) + "\n")
    return files


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
