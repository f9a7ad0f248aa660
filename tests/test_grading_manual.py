"""Marks given by hand: read and checked line by line, merged into every output of a run."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from defence_course.paths import REPO_ROOT
from defence_course.teach import assignments
from defence_course.teach.grader import gradebook, manual, synthetic
from defence_course.teach.grader.isolation import Isolation
from defence_course.teach.grader.results import Outcome, Report

QUESTIONS = [
    {"name": "q1", "points": 2, "manual": False},
    {"name": "q2", "points": 3, "manual": False},
    {"name": "q6", "points": 4, "manual": True},
]


def _marks(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "marks.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(manual.ManualMarksError) as caught:
        manual.read_manual_marks(_marks(tmp_path, text), QUESTIONS)
    assert "nothing was written" in str(caught.value)
    return caught.value.problems


def test_a_good_file_is_read_with_its_comments(tmp_path):
    path = _marks(
        tmp_path,
        "\ufeffstudent_id,question,points,comment\n"
        'alice,q6,3.5,"clear, one source missing"\n\nbob,q6,0,\n',
    )
    marks = manual.read_manual_marks(path, QUESTIONS)
    assert [(m.student_id, m.question, m.points, m.comment, m.line) for m in marks] == [
        ("alice", "q6", 3.5, "clear, one source missing", 2),
        ("bob", "q6", 0.0, "", 4),
    ]


@pytest.mark.parametrize(
    "row, words",
    [
        ("alice,q9,1", ["line 2", "unknown question 'q9'", "q6"]),
        ("alice,q1,1", ["line 2", "q1 is autograded", "only q6"]),
        ("alice,q6,three", ["line 2", "'three'", "not a number"]),
        ("alice,q6,5", ["line 2", "out of range", "0 to 4"]),
        ("alice,q6,-1", ["line 2", "out of range"]),
        ("alice,q6,nan", ["line 2", "out of range"]),
        (",q6,1", ["line 2", "student_id is empty"]),
    ],
)
def test_each_bad_row_is_named_with_its_line(tmp_path, row, words):
    problems = _problems(tmp_path, f"student_id,question,points\n{row}\n")
    assert len(problems) == 1
    for word in words:
        assert word in problems[0], problems


def test_every_problem_is_reported_at_once_and_a_second_mark_is_refused(tmp_path):
    problems = _problems(
        tmp_path, "student_id,question,points,grade\nalice,q6,2\nalice,q6,3\nbob,q7,1\n"
    )
    assert problems == [
        "line 1: unknown column(s) grade",
        "line 3: a second mark for alice on q6 (the first is on line 2)",
        "line 4: unknown question 'q7'; this assignment's questions marked by hand: q6",
    ]


def test_a_header_without_the_needed_columns_is_refused(tmp_path):
    problems = _problems(tmp_path, "name,mark\nalice,3\n")
    assert "lacks student_id, question, points" in problems[0]
    with pytest.raises(FileNotFoundError, match="marks file not found"):
        manual.read_manual_marks(tmp_path / "missing.csv", QUESTIONS)


def _outcome(
    student: str, file: str, points: dict[str, float], base: str = "", counted: bool = True
) -> Outcome:
    return Outcome(
        student,
        file,
        "0" * 64,
        "graded",
        "all checks ran",
        points=points,
        base_id=base or student,
        counted=counted,
    )


def _report(tmp_path: Path, outcomes: list[Outcome], marks: Path | None) -> Report:
    return Report(
        "demo",
        "Demo assignment",
        QUESTIONS,
        outcomes,
        [],
        tmp_path / "out",
        isolation=Isolation("bubblewrap"),
        marks_file=marks,
    )


def test_ids_resolve_to_rows_and_unknown_or_ambiguous_ids_are_errors(tmp_path):
    path = _marks(
        tmp_path, "student_id,question,points\nalice,q6,3\nfrank,q6,4\nzoe,q6,1\ngus,q6,2\n"
    )
    marks = manual.read_manual_marks(path, QUESTIONS)
    outcomes = [
        _outcome("alice", "alice.ipynb", {"q1": 2, "q2": 3}),
        _outcome("frank (f1.ipynb)", "f1.ipynb", {}, "frank", counted=False),
        _outcome("frank (f2.ipynb)", "f2.ipynb", {}, "frank", counted=True),
        _outcome("gus (g1.ipynb)", "g1.ipynb", {}, "gus", counted=False),
        _outcome("gus (g2.ipynb)", "g2.ipynb", {}, "gus", counted=False),
    ]
    with pytest.raises(manual.ManualMarksError) as caught:
        manual.attach(marks, outcomes, path)
    assert caught.value.problems[0].startswith("line 4: no submission for student 'zoe'")
    assert caught.value.problems[1].startswith("line 5: gus has several files and none counts")
    assert all(not o.manual for o in outcomes), "nothing is attached when a line is wrong"
    with pytest.raises(manual.ManualMarksError, match="line 4: no submission for student"):
        manual.check_students(marks, ["alice", "frank", "gus"], path)
    good = [m for m in marks if m.student_id in ("alice", "frank")]
    manual.attach(good, outcomes, path)
    assert outcomes[0].manual == {"q6": 3.0} and outcomes[2].manual == {"q6": 4.0}
    assert outcomes[1].manual == {}


def test_marks_reach_the_gradebook_feedback_and_lms_files(tmp_path):
    path = _marks(tmp_path, "student_id,question,points,comment\nalice,q6,3.5,Well argued.\n")
    alice = _outcome("alice", "alice.ipynb", {"q1": 2, "q2": 1})
    bob = _outcome("12345", "bob.ipynb", {"q1": 1, "q2": 0})
    manual.attach(manual.read_manual_marks(path, QUESTIONS), [alice, bob], path)
    report = _report(tmp_path, [alice, bob], path)
    files = gradebook.write_all(report)

    rows = {r["student_id"]: r for r in csv.DictReader(io.StringIO(files["gradebook"].read_text()))}
    assert (rows["alice"]["q6"], rows["alice"]["total"], rows["alice"]["max_total"]) == (
        "3.5",
        "6.5",
        "9",
    )
    assert rows["12345"]["q6"] == "" and rows["12345"]["total"] == "1"
    assert "not marked by hand yet: q6" in rows["12345"]["reason"]
    moodle = {r["student_id"]: r for r in csv.DictReader(io.StringIO(files["moodle"].read_text()))}
    assert moodle["alice"]["grade"] == "6.5" and "q6 3.5/4" in moodle["alice"]["feedback"]
    assert "q6 not marked/4" in moodle["12345"]["feedback"]
    canvas = list(csv.reader(io.StringIO(files["canvas"].read_text())))
    assert canvas[0][5] == "Demo assignment (autograded and marked)"
    assert canvas[1][5] == "9" and ["", "12345", "", "", "", "1"] in canvas
    feedback = (report.out_dir / "feedback" / "alice.md").read_text()
    assert "## q6: 3.5 / 4 (marked by your teacher)" in feedback and "Well argued." in feedback
    assert "**6.5 / 9**" in feedback

    # Without a marks file the outputs are the autograded ones, as before.
    plain = gradebook.write_all(
        _report(tmp_path / "plain", [_outcome("alice", "alice.ipynb", {"q1": 2, "q2": 1})], None)
    )
    row = next(csv.DictReader(io.StringIO(plain["gradebook"].read_text())))
    assert (row["q6"], row["total"], row["max_total"]) == ("", "3", "5")


def test_the_command_merges_marks_and_refuses_a_wrong_file(exercise_build, tmp_path):
    """Through the real CLI: a wrong marks file writes nothing; a right one fills the
    first question marked by hand."""
    threat = assignments.get("threat")
    info = assignments.read_master(threat.master)
    marked = next(q for q in info.questions if q.manual)  # the first question marked by hand
    folder = tmp_path / "subs"
    folder.mkdir()
    synthetic.write(synthetic.correct_notebook(threat, root=exercise_build), folder / "alice.ipynb")
    out = tmp_path / "results"
    env = {**os.environ}
    base = [
        sys.executable,
        "-m",
        "defence_course",
        "teach",
        "grade",
        str(folder),
        "--out",
        str(out),
        "--assignment",
        "threat",
        "--build-dir",
        str(exercise_build),
        "--quiet",
        "--jobs",
        "1",
    ]
    name = marked.name
    bad = _marks(tmp_path, f"student_id,question,points\nalice,{name},99\nmallory,{name},1\n")
    done = subprocess.run(
        [*base, "--marks", str(bad)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=600,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "line 2" in done.stderr and "out of range" in done.stderr
    assert not (out / "gradebook.csv").exists()

    good = _marks(tmp_path, f"student_id,question,points\nalice,{name},2\n")
    done = subprocess.run(
        [*base, "--marks", str(good)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "marks given by hand: 1" in done.stdout
    row = next(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text())))
    autograded = sum(q.points for q in info.questions if not q.manual)
    assert row[name] == "2" and float(row["total"]) == autograded + 2
    assert float(row["max_total"]) == sum(q.points for q in info.questions)
    others = [q.name for q in info.questions if q.manual and q.name != name]
    if others:
        assert f"not marked by hand yet: {', '.join(others)}" in row["reason"], row["reason"]
