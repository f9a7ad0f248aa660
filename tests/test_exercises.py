"""The graded assignments: masters, student versions, public checks, full and zero marks."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
import yaml

from defence_course.paths import REPO_ROOT
from defence_course.teach import assignments
from defence_course.teach.grader import gradebook, leaks, synthetic
from defence_course.teach.grader.grading import grade_folder
from defence_course.teach.grader.sandbox import Limits

ALL = list(assignments.ASSIGNMENTS.values())
IDS = [a.name for a in ALL]
REBUILD = "python -m defence_course teach build"


@pytest.mark.parametrize("assignment", ALL, ids=IDS)
def test_committed_student_notebook_is_what_otter_assign_makes(assignment, exercise_build):
    built = (exercise_build / assignment.name / "student.ipynb").read_text(encoding="utf-8")
    committed = assignment.student_notebook
    assert committed.exists(), f"{committed} is missing: run `{REBUILD}`"
    assert committed.read_text(encoding="utf-8") == built, (
        f"{committed} differs from what `otter assign` makes of the master: run `{REBUILD}` "
        "and commit the result"
    )


@pytest.mark.parametrize("assignment", ALL, ids=IDS)
def test_master_is_committed_without_outputs(assignment):
    nb = nbformat.read(assignment.master, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, (
                f"{assignment.master.name}: clear the outputs before committing"
            )


@pytest.mark.parametrize("assignment", ALL, ids=IDS)
def test_assignment_mixes_the_required_kinds_of_question(assignment, exercise_build):
    manifest = json.loads((exercise_build / assignment.name / "grading.json").read_text())
    questions = manifest["questions"]
    assert len(questions) >= 5
    assert any(q["manual"] for q in questions), "a free-response question is required"
    calls: set[str] = set()
    for name, source in manifest["tests"].items():
        assert "hidden=True" in source and "hidden=False" in source, (
            f"{assignment.name} {name}: needs public and hidden tests"
        )
        for node in ast.walk(ast.parse(source)):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "checks"
            ):
                calls.add(node.attr)
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert "OK_FORMAT = True" not in node.value
        assert "OK_FORMAT = False" in source  # exception-based (assertion-style) tests
    for needed in ("number", "choice", "dataframe", "chart", "filtered_rows"):
        assert needed in calls, f"{assignment.name}: no question uses checks.{needed}"


@pytest.mark.parametrize("assignment", ALL, ids=IDS)
def test_hidden_tests_compute_their_answers_from_the_data(assignment, exercise_build):
    manifest = json.loads((exercise_build / assignment.name / "grading.json").read_text())
    for name, source in manifest["tests"].items():
        hidden = [part for part in source.split("@test_case(")[1:] if "hidden=True" in part]
        for part in hidden:
            assert "load_dataset(" in part, (
                f"{assignment.name} {name}: a hidden test does "
                "not read the data (answers must be computed from data/)"
            )


# ---------------------------------------------------------------------------------------------
# What each question assesses: its chapter's objectives, and code or reasoning

MIN_REASONING_SHARE = 0.40
OBJECTIVES_BOX = re.compile(
    r"^:::\{admonition\} Learning objectives\n(?P<body>.*?)^:::", re.S | re.M
)


def chapter_number(chapter: str) -> int:
    """``"chapters/05_constitutional_limits"`` → 5."""
    return int(Path(chapter).name.split("_")[0])


def chapter_objectives(chapter: str, text: str | None = None) -> list[str]:
    """The ids ("1.3": chapter 1, objective 3) of a chapter's learning objectives, in order."""
    if text is None:
        text = (REPO_ROOT / f"{chapter}.md").read_text(encoding="utf-8")
    box = OBJECTIVES_BOX.search(text)
    assert box, f"{chapter}.md has no 'Learning objectives' box"
    count = len(re.findall(r"^\d+\.\s", box["body"], re.M))
    return [f"{chapter_number(chapter)}.{k}" for k in range(1, count + 1)]


def question_configs(master: Path) -> list[dict]:
    """The config of every `# BEGIN QUESTION` cell of a master, exactly as written."""
    configs = []
    for cell in nbformat.read(master, as_version=4).cells:
        first, _, rest = cell.source.strip().partition("\n")
        if cell.cell_type == "raw" and first.strip().upper() == "# BEGIN QUESTION":
            configs.append(yaml.safe_load(rest) or {})
    return configs


def tagging_problems(
    configs: list[dict], own: list[str], known: set[str], *, capstone: bool = False
) -> list[str]:
    """What is wrong with the `objectives` and `skill` tags of one assignment's questions.

    ``own`` are the objectives of the assignment's chapter (each must be assessed), ``known``
    every objective of the course (only a capstone may name another chapter's).
    """
    problems = []
    total = reasoning = 0.0
    for conf in configs:
        name, points = conf.get("name", "?"), float(conf.get("points", 1))
        total += points
        skill = conf.get("skill")
        if skill not in assignments.SKILLS:
            problems.append(
                f"{name}: skill is {skill!r}; write `skill: reasoning` or `skill: code`"
            )
        elif skill == "reasoning":
            reasoning += points
        objectives = conf.get("objectives")
        if not isinstance(objectives, list) or not objectives:
            problems.append(f'{name}: no objectives; write e.g. `objectives: ["1.2"]`')
            continue
        for oid in objectives:
            if not isinstance(oid, str):
                problems.append(f'{name}: objective {oid!r} is not a quoted string such as "1.2"')
            elif oid not in known:
                problems.append(f"{name}: objective {oid} does not exist")
            elif oid not in own and not capstone:
                problems.append(f"{name}: objective {oid} belongs to another chapter")
    if total and reasoning / total < MIN_REASONING_SHARE:
        problems.append(
            f"reasoning is {reasoning:g} of {total:g} points "
            f"({reasoning / total:.0%}); at least {MIN_REASONING_SHARE:.0%} needed"
        )
    if not capstone:
        named = {o for conf in configs for o in conf.get("objectives") or []}
        problems += [
            f"objective {oid} is assessed by no question" for oid in own if oid not in named
        ]
    return problems


def all_objectives() -> set[str]:
    chapters = sorted(
        p.with_suffix("").relative_to(REPO_ROOT).as_posix()
        for p in (REPO_ROOT / "chapters").glob("0*_*.md")
    )
    return {oid for chapter in chapters for oid in chapter_objectives(chapter)}


@pytest.mark.parametrize("assignment", ALL, ids=IDS)
def test_questions_assess_their_chapter_with_enough_reasoning(assignment):
    problems = tagging_problems(
        question_configs(assignment.master),
        chapter_objectives(assignment.chapter),
        all_objectives(),
        capstone=getattr(assignment, "capstone", False),
    )
    assert not problems, f"{assignment.master.name}:\n" + "\n".join(problems)


def test_a_wrong_tag_is_caught():
    threat = assignments.get("threat")
    own, known = chapter_objectives(threat.chapter), all_objectives()
    configs = question_configs(threat.master)
    assert not tagging_problems(configs, own, known)
    broken = [dict(c) for c in configs]
    del broken[0]["skill"]
    broken[1]["objectives"] = ["2.1"]
    broken[2]["objectives"] = [1.1]
    assert tagging_problems(broken, own, known) == [
        f"{broken[0]['name']}: skill is None; write `skill: reasoning` or `skill: code`",
        f"{broken[1]['name']}: objective 2.1 belongs to another chapter",
        f'{broken[2]["name"]}: objective 1.1 is not a quoted string such as "1.2"',
    ]
    as_code = [{**c, "skill": "code"} for c in configs]
    assert tagging_problems(as_code, own, known)[-1].endswith("at least 40% needed")
    untagged = [
        {**c, "objectives": [o for o in c["objectives"] if o != "1.3"] or ["1.1"]} for c in configs
    ]
    assert tagging_problems(untagged, own, known) == ["objective 1.3 is assessed by no question"]


LEVEL = re.compile(r"\*\*(\d+(?:\.\d+)?|½|¼)\*\*")
FRACTIONS = {"½": 0.5, "¼": 0.25}


def guide_rubrics(guide: str, number: int) -> dict[str, tuple[float, list[list[str]]]]:
    """The rubrics of "### Assignment N: …" in the teacher guide: for each written question,
    the points its heading states and its table rows (criterion, then one cell per level)."""
    start = guide.index(f"\n### Assignment {number}:")
    end = guide.find("\n### ", start + 1)
    section = guide[start : end if end > 0 else None]
    found = {}
    heading = re.compile(r"^\*\*(q\d+), .*?\((\d+(?:\.\d+)?) points?\)\.\*\*", re.M)
    matches = list(heading.finditer(section))
    for k, match in enumerate(matches):
        body = section[match.end() : matches[k + 1].start() if k + 1 < len(matches) else None]
        rows = [
            [cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in body.splitlines()
            if line.startswith("| ") and not line.startswith(("| criterion", "| ---"))
        ]
        found[match[1]] = (float(match[2]), rows)
    return found


CHAPTER_ASSIGNMENTS = [a for a in ALL if re.match(r"Assignment \d+:", a.title)]


@pytest.mark.parametrize(
    "assignment", CHAPTER_ASSIGNMENTS, ids=[a.name for a in CHAPTER_ASSIGNMENTS]
)
def test_every_written_question_has_an_analytic_rubric_in_the_guide(assignment):
    """Each written question's rubric: several criteria, each with three or four levels that
    say what an answer looks like; the best levels add up to the question's points."""
    guide = (REPO_ROOT / "teacher_guide.md").read_text(encoding="utf-8")
    number = int(assignment.title.split()[1].rstrip(":"))
    rubrics = guide_rubrics(guide, number)
    written = [q for q in assignments.read_master(assignment.master).questions if q.manual]
    assert written, f"{assignment.name} has no written question"
    for q in written:
        assert q.name in rubrics, f"{assignment.name} {q.name}: no rubric in teacher_guide.md"
        stated, rows = rubrics[q.name]
        assert stated == q.points, f"{q.name}: the guide says {stated:g} points"
        assert len(rows) >= 2, f"{q.name}: an analytic rubric has several criteria"
        best = 0.0
        for row in rows:
            assert 4 <= len(row) <= 5 and all(row), f"{q.name}: {row[0]!r} needs 3-4 levels"
            points = [LEVEL.match(cell) for cell in row[1:]]
            assert all(points), f"{q.name}: {row[0]!r}: each level starts with its points"
            values = [FRACTIONS.get(m[1]) or float(m[1]) for m in points]
            assert values == sorted(values, reverse=True) and values[-1] == 0, (q.name, row[0])
            best += values[0]
        assert best == pytest.approx(q.points), f"{q.name}: the levels add up to {best:g}"


# ---------------------------------------------------------------------------------------------
# Leaks


def test_no_solution_or_hidden_test_in_the_student_notebooks(exercise_build):
    snippets = leaks.all_snippets()
    assert len(snippets) > 100
    found = leaks.scan(REPO_ROOT / "exercises", snippets)
    found = [leak for leak in found if "student" in leak.path.parts]
    assert not found, "\n".join(map(str, found))
    for assignment in ALL:
        built = exercise_build / assignment.name / "student.ipynb"
        assert not leaks.scan(built, snippets)
        for notebook in (exercise_build / assignment.name / "dist" / "student").glob("*.ipynb"):
            assert not leaks.scan(notebook, snippets)


def test_the_leak_scan_finds_what_it_looks_for(exercise_build, tmp_path):
    snippets = leaks.all_snippets()
    autograder = exercise_build / "threat" / "dist" / "autograder"
    kinds = {leak.snippet.kind for leak in leaks.scan(autograder, snippets)}
    assert kinds == {"solution", "model answer", "hidden test"}
    hidden = next(s for s in snippets if s.kind == "hidden test" and s.assignment == "threat")
    page = tmp_path / "page.html"
    words = hidden.text.replace('"', "&quot;").split(" ")
    page.write_text(
        "<html><body><pre><span>" + "</span> <span>".join(words) + "</span></pre></body></html>"
    )
    assert leaks.scan(tmp_path, [hidden]), "a snippet split by HTML tags must still be found"


@pytest.mark.book
def test_no_solution_or_hidden_test_in_the_built_site(site_dir):
    found = leaks.scan(site_dir, leaks.all_snippets())
    assert not found, "\n".join(map(str, found))


# ---------------------------------------------------------------------------------------------
# What students see when they run grader.check


WRONG_KINDS = {
    "None": None,
    "placeholder": ...,
    "text": "12",
    "NaN": float("nan"),
    "list": [1, 2, 3],
    "dict": {"a": 1},
    "Series": pd.Series([1.0, 2.0]),
    "DataFrame": pd.DataFrame({"x": [1]}),
    "numpy array": np.array([1, 2]),
    "bool": False,
    "object": object(),
}


@pytest.mark.parametrize("assignment", ALL, ids=IDS)
def test_public_checks_answer_wrong_kinds_in_plain_words(assignment):
    from otter.test_files.exception_test import ExceptionTestFile

    nb = nbformat.read(assignment.student_notebook, as_version=4)
    tests = nb.metadata["otter"]["tests"]
    assert tests, "the student notebook carries its public tests"
    for name, source in tests.items():
        assert "hidden=True" not in source, f"{name}: a hidden test reached the student"
        test_file = ExceptionTestFile.from_string(source, path=f"{name}.py")
        params = set()
        for case in test_file.test_cases:
            params |= set(case.body._get_func_params())
        for label, value in WRONG_KINDS.items():
            test_file.run({p: value for p in params})
            summary = test_file.summary()
            assert not test_file.passed_all, f"{name} accepted {label}"
            assert "Traceback" not in summary
            assert "AnswerError" in summary, (
                f"{assignment.name} {name} with {label}: not a plain-words message:\n{summary}"
            )


def test_grader_check_in_the_student_notebook_gives_plain_feedback(tmp_path, monkeypatch):
    import otter

    assignment = assignments.get("eu_nato")
    shutil.copy(assignment.student_notebook, tmp_path / assignment.student_notebook.name)
    monkeypatch.chdir(tmp_path)
    grader = otter.Notebook(assignment.student_notebook.name)
    result = grader.check("q1", global_env={"n_eu_not_nato": "4"})
    text = repr(result)
    assert "Remove the quotes" in text and "Traceback" not in text
    result = grader.check("q1", global_env={"n_eu_not_nato": 4})
    assert result.passed_all


# ---------------------------------------------------------------------------------------------
# Grading: full marks, zero, and the files the teacher imports


@pytest.mark.parametrize("assignment", ALL, ids=IDS)
def test_correct_submission_scores_full_marks_and_blank_scores_zero(
    assignment, exercise_build, tmp_path
):
    folder = tmp_path / "submissions"
    folder.mkdir()
    synthetic.write(
        synthetic.correct_notebook(assignment, root=exercise_build), folder / "correct.ipynb"
    )
    synthetic.write(synthetic.blank_notebook(assignment), folder / "blank.ipynb")
    report = grade_folder(
        folder,
        tmp_path / "results",
        jobs=2,
        progress=False,
        build_root=exercise_build,
        protect=[],
        limits=Limits(timeout=60, cell_timeout=30),
    )
    assert report.assignment == assignment.name  # read from the notebooks' metadata
    rows = report.by_id()
    auto = [q for q in report.questions if not q["manual"]]
    full = sum(q["points"] for q in auto)
    correct, blank = rows["correct"], rows["blank"]
    assert correct.status == "graded", correct.reason
    for q in auto:
        assert correct.points[q["name"]] == pytest.approx(q["points"]), (q, correct.cases)
        assert blank.points[q["name"]] == 0, (q, blank.cases)
    assert correct.total == report.max_total == pytest.approx(full)

    book = pd.read_csv(report.files["gradebook"], dtype={"student_id": str})
    questions = [q["name"] for q in report.questions]
    assert list(book.columns) == [
        "student_id",
        "file",
        "status",
        *questions,
        "total",
        "max_total",
        "reason",
        "sha256",
    ]
    manual = [q["name"] for q in report.questions if q["manual"]]
    assert book[manual].isna().all().all(), "hand-marked questions are left empty"
    assert dict(zip(book["student_id"], book["total"], strict=True)) == {
        "blank": 0,
        "correct": full,
    }
    moodle = pd.read_csv(report.files["moodle"])
    assert list(moodle.columns) == ["student_id", "grade", "feedback"]
    canvas = pd.read_csv(report.files["canvas"])
    assert list(canvas.columns)[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas.iloc[0, 0] == "Points Possible" and canvas.iloc[0, 5] == pytest.approx(full)
    feedback = (report.out_dir / gradebook.FEEDBACK_DIR / "blank.md").read_text()
    assert "still `...`" in feedback


def test_command_line_help(capsys):
    from defence_course.teach import cli

    for args in (
        ["--help"],
        ["teach", "--help"],
        ["teach", "build", "--help"],
        ["teach", "grade", "--help"],
        ["teach", "scan", "--help"],
    ):
        with pytest.raises(SystemExit) as done:
            cli.main(args)
        assert done.value.code == 0
        assert "usage:" in capsys.readouterr().out
    assert cli.main(["teach", "scan", str(REPO_ROOT / "exercises" / "threat" / "student")]) == 0
    assert "0 leak(s)" in capsys.readouterr().out


def test_python_dash_m_entry_point():
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "defence_course", "teach", "list"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert all(name in done.stdout for name in IDS)


def test_the_grader_reads_the_answers_the_tests_take_not_their_helpers_arguments():
    # A helper inside a test (q2's `bars(rows)`) takes its own argument: a grader that asked
    # the notebook for `rows` would report every submission as incomplete.
    tests = {
        "q2": "def test_chart(chart, ratio):\n"
        "    def bars(rows):\n        return rows\n"
        "    assert bars(chart)\n"
        "test_chart(chart, ratio)\n"
    }
    assert assignments.answer_names(tests) == ["chart", "ratio"]
    with pytest.raises(ValueError, match="must not take `env`"):
        assignments.answer_names({"q1": "def test_all(env):\n    pass\n"})
