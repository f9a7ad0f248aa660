"""Grade a folder of good and hostile submissions: every one gets a fair row, none stops the rest.

The folder holds three good submissions (correct, partly wrong, blank) and one submission for
each way a notebook can break or attack the grader from inside its own process. The good ones
are also graded alone, in a clean folder: their rows must be identical in both runs. The course
data the notebooks read is a temporary copy (``DEFENCE_COURSE_DATA``), so the submission that
vandalises it cannot touch the repository even if the grader failed to protect it.

Grading is isolated (bubblewrap), so the vandal finds the course read-only; the last test grades
it without isolation (``unsafe=True``) to check the second line of defence, the guard that finds
and undoes changes to the course's files. Attacks on the machine and on the grader's processes
are in ``tests/test_grading_redteam.py``.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import nbformat
import pytest

from defence_course.paths import DATA_DIR
from defence_course.teach import assignments
from defence_course.teach.grader import leaks, synthetic
from defence_course.teach.grader.grading import grade_folder
from defence_course.teach.grader.sandbox import Limits

ASSIGNMENT = assignments.get("threat")
# The autograded questions, in the order of their answer cells in the notebook, and their points.
AUTOGRADED = [q for q in assignments.read_master(ASSIGNMENT.master).questions if not q.manual]
POINTS = [q.points for q in AUTOGRADED]
FULL = sum(POINTS)
LAST = len(POINTS) - 1  # the last answer cell: code added after it runs once all are answered
# The whole-notebook limit leaves room for a loaded 2-core machine: a notebook whose loop
# the cell limit stops must still finish its other cells in time.
LIMITS = Limits(timeout=20, cell_timeout=4, memory_mb=3072, max_file_mb=20)
GOOD = ["good_blank", "good_correct", "good_partial"]


def _insert_after_answer(nb, answer_index: int, source: str):
    """A copy of ``nb`` with a code cell added after its ``answer_index``-th answer cell."""
    nb = nbformat.from_dict(json.loads(nbformat.writes(nb)))
    answers = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and synthetic.ANSWER_TAG in c.metadata.get("tags", [])
    ]
    nb.cells.insert(answers[answer_index] + 1, nbformat.v4.new_code_cell(source))
    return nb


def _replace_answer(nb, answer_index: int, source: str):
    nb = nbformat.from_dict(json.loads(nbformat.writes(nb)))
    synthetic.answer_cells(nb)[answer_index].source = source
    return nb


def _drop_answers(nb, indexes: list[int]):
    nb = nbformat.from_dict(json.loads(nbformat.writes(nb)))
    drop = [id(c) for i, c in enumerate(synthetic.answer_cells(nb)) if i in indexes]
    nb.cells = [c for c in nb.cells if id(c) not in drop]
    return nb


VANDAL = """
import glob, os, pathlib, shutil
from defence_course import paths
for name in glob.glob("*") + glob.glob(".*"):
    try:
        shutil.rmtree(name, ignore_errors=True) if os.path.isdir(name) else os.remove(name)
    except OSError:
        pass
pathlib.Path("results.json").write_text('{"score": 100}')
pathlib.Path(os.path.expanduser("~/gradebook.csv")).write_text("vandal,100\\n")
target = paths.DATA_DIR / "incidents.csv"
lines = target.read_text().splitlines(keepends=True)
target.write_text("".join(lines[:-3]))
(paths.DATA_DIR / "planted.py").write_text("print('hello')\\n")
"""

READER = """
import glob, json, os, pathlib, sys
found = []
for root in {os.getcwd(), os.path.expanduser("~"), os.environ.get("TMPDIR", "/nonexistent")}:
    for path in glob.glob(os.path.join(root, "**", "*"), recursive=True):
        if os.path.isfile(path):
            try:
                found.append(pathlib.Path(path).read_text(errors="ignore")[:5000])
            except OSError:
                pass
found.append(json.dumps(dict(os.environ)))
found.append(pathlib.Path("/proc/self/cmdline").read_bytes().decode(errors="ignore"))
import otter
found.append(repr(vars(otter)))
found.append(repr(sys.argv))
print("\\n".join(found))
consultation_provision = "\\n".join(found)[:50000]
"""

PATCHER = """
import json
import numpy as np
import otter
import pandas as pd
from defence_course.teach import checks

class Anything:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __bool__(self): return True
    def __float__(self): return 6.0
    def __int__(self): return 6

for name in ("number", "close_to", "dataframe", "same_table", "chart", "choice", "fail"):
    setattr(checks, name, lambda *args, **kwargs: None)
otter.Notebook.check = lambda *args, **kwargs: "All tests passed!"
pd.DataFrame.equals = lambda *args, **kwargs: True
np.isclose = lambda *args, **kwargs: True
by_attribution = drone_chart = consultation_provision = Anything()
exchange_ratio = drone_interceptor_ratio = Anything()
"""

FAKE_OUTPUT = """
import json, pathlib
from IPython.display import HTML, display
for q in ["q1", "q2", "q3", "q4", "q5"]:
    print(f"{q} results: All test cases passed!")
print("Total Score: 10.000 / 10.000 (100.000%)")
display(HTML("<p><strong>All tests passed!</strong> 🎉</p>"))
pathlib.Path("results.json").write_text(json.dumps({"score": 10, "possible": 10}))
pathlib.Path("gradebook.csv").write_text("student_id,total\\nfake_output,10\\n")
"""

STUBBORN_LOOP = """
import signal
signal.signal(signal.SIGALRM, signal.SIG_IGN)
while True:
    pass
"""


def _cases(correct, blank) -> dict[str, bytes | object]:
    huge = _insert_after_answer(
        correct, LAST, "print('x' * 60_000_000)\nfor i in range(100_000):\n    print(i)"
    )
    huge.cells[-1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="y" * 3_000_000)]
    v3 = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {},
        "worksheets": [{"cells": [{"cell_type": "code", "input": "x = 1", "outputs": []}]}],
    }
    return {
        "good_correct": correct,
        "good_partial": synthetic.partly_wrong(correct, random.Random(7)),
        "good_blank": blank,
        "empty": b"",
        "not_json": b"this is not a notebook {",
        "json_not_notebook": b'{"hello": "world"}',
        "wrong_version": json.dumps(v3).encode(),
        "cells_deleted": _drop_answers(correct, [1, 3]),
        "syntax_error": _replace_answer(correct, 0, "by_attribution = = 6"),
        "exception": _replace_answer(
            correct, 2, "raise RuntimeError('boom')\nconsultation_provision = 'a'"
        ),
        "infinite_loop": _replace_answer(
            correct, LAST, "while True:\n    pass\n" + synthetic.answer_cells(correct)[LAST].source
        ),
        "stubborn_loop": _replace_answer(correct, LAST, STUBBORN_LOOP),
        "huge_output": huge,
        "memory_hog": _insert_after_answer(correct, LAST, "hog = bytearray(64 * 1024 ** 3)"),
        "vandal": _insert_after_answer(correct, 0, VANDAL),
        "reads_tests": _insert_after_answer(correct, 2, READER),
        "grader_patcher": _insert_after_answer(blank, LAST, PATCHER),
        "fake_output": _insert_after_answer(blank, LAST, FAKE_OUTPUT),
        "sys_exit": _insert_after_answer(correct, 1, "import sys\nsys.exit('bye')"),
        "os_exit": _insert_after_answer(correct, 1, "import os\nos._exit(0)"),
        "kill_kernel": _insert_after_answer(
            correct, 1, "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"
        ),
    }


# name: (status, total, words the reason must contain); a broken answer cell costs its question
EXPECTED = {
    "good_correct": ("graded", FULL, ["all"]),
    "good_blank": ("graded", 0, ["all"]),
    "empty": ("invalid", 0, ["empty"]),
    "not_json": ("invalid", 0, ["not valid JSON"]),
    "json_not_notebook": ("invalid", 0, ["format version is missing"]),
    "wrong_version": ("invalid", 0, ["format version is 3"]),
    "cells_deleted": (
        "graded",
        FULL - POINTS[1] - POINTS[3],
        ["not defined", "drone_chart", "exchange_ratio"],
    ),
    "syntax_error": ("graded", FULL - POINTS[0], ["SyntaxError", "by_attribution"]),
    "exception": ("graded", FULL - POINTS[2], ["RuntimeError: boom"]),
    "infinite_loop": ("graded", FULL - POINTS[LAST], ["TimeLimit", "exchange_ratio"]),
    "stubborn_loop": ("timeout", 0, ["did not finish within 20 s"]),
    "huge_output": ("graded", FULL, ["all"]),
    "memory_hog": ("graded", FULL, ["MemoryError"]),
    "vandal": ("graded", FULL, ["Read-only file system"]),
    "reads_tests": ("graded", FULL - POINTS[2], ["all"]),
    "grader_patcher": ("graded", 0, ["all"]),
    "fake_output": ("graded", 0, ["all"]),
    "sys_exit": ("graded", FULL, ["SystemExit: bye"]),
    "os_exit": ("crashed", 0, ["exit code 0"]),
    "kill_kernel": ("crashed", 0, ["SIGKILL"]),
}


def _write(folder: Path, name: str, content) -> None:
    path = folder / f"{name}.ipynb"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        synthetic.write(content, path)


@pytest.fixture(scope="module")
def graded(exercise_build, tmp_path_factory):
    """Grade the hostile folder and, separately, the good submissions alone."""
    base = tmp_path_factory.mktemp("adversarial")
    data_copy = base / "data"
    shutil.copytree(DATA_DIR, data_copy, ignore=shutil.ignore_patterns("__pycache__"))
    original = {
        p.relative_to(data_copy): p.read_bytes() for p in data_copy.rglob("*") if p.is_file()
    }
    correct = synthetic.correct_notebook(ASSIGNMENT, root=exercise_build)
    cases = _cases(correct, synthetic.blank_notebook(ASSIGNMENT))
    folder, clean = base / "submissions", base / "clean"
    folder.mkdir()
    clean.mkdir()
    for name, content in cases.items():
        _write(folder, name, content)
        if name in GOOD:
            _write(clean, name, content)
    manifest = exercise_build / ASSIGNMENT.name / assignments.MANIFEST
    old = os.environ.get("DEFENCE_COURSE_DATA")
    os.environ["DEFENCE_COURSE_DATA"] = str(data_copy)
    try:
        report = grade_folder(
            folder,
            base / "results",
            jobs=2,
            limits=LIMITS,
            progress=False,
            build_root=exercise_build,
            protect=[data_copy, manifest],
        )
        reference = grade_folder(
            clean,
            base / "clean-results",
            jobs=2,
            limits=LIMITS,
            progress=False,
            build_root=exercise_build,
            protect=[],
        )
        first_gradebook = report.files["gradebook"].read_text()
        again = grade_folder(
            folder,
            base / "results",
            jobs=2,
            limits=LIMITS,
            progress=False,
            build_root=exercise_build,
            protect=[data_copy, manifest],
        )
        # one student hands in a new version (different from every other file)
        _write(folder, "good_blank", _insert_after_answer(correct, LAST, "revised = True"))
        changed = grade_folder(
            folder,
            base / "results",
            jobs=2,
            limits=LIMITS,
            progress=False,
            build_root=exercise_build,
            protect=[data_copy, manifest],
        )
    finally:
        if old is None:
            os.environ.pop("DEFENCE_COURSE_DATA", None)
        else:
            os.environ["DEFENCE_COURSE_DATA"] = old
    after = {p.relative_to(data_copy): p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    return {
        "report": report,
        "reference": reference,
        "again": again,
        "changed": changed,
        "first_gradebook": first_gradebook,
        "cases": cases,
        "data_before": original,
        "data_after": after,
    }


def test_every_submission_gets_a_row_with_a_reason(graded):
    report = graded["report"]
    rows = report.by_id()
    assert sorted(rows) == sorted(graded["cases"])
    for outcome in report.outcomes:
        assert outcome.reason.strip(), outcome.student_id
        assert outcome.status in {"graded", "invalid", "timeout", "crashed", "tampered"}, (
            outcome.student_id,
            outcome.status,
            outcome.reason,
        )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_status_points_and_reason(graded, name):
    status, total, words = EXPECTED[name]
    outcome = graded["report"].by_id()[name]
    assert outcome.status == status, outcome.reason
    assert outcome.total == total, (outcome.reason, outcome.points, outcome.cases)
    for word in words:
        assert word in outcome.reason, outcome.reason


def test_good_submissions_get_exactly_what_they_get_when_graded_alone(graded):
    rows, reference = graded["report"].by_id(), graded["reference"].by_id()
    for name in GOOD:
        got, alone = rows[name], reference[name]
        assert (got.status, got.points, got.reason) == (alone.status, alone.points, alone.reason), (
            name
        )
    assert 0 < reference["good_partial"].total < FULL


def test_the_course_data_cannot_be_changed(graded):
    assert graded["data_after"] == graded["data_before"]
    assert not (graded["report"].out_dir / "tampered-files").exists()


def test_without_isolation_a_vandal_is_caught_and_the_data_put_back(
    graded, exercise_build, tmp_path
):
    """The guard, the defence left with --unsafe: the change is found, undone and charged."""
    data_copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = {p.relative_to(data_copy): p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    folder = tmp_path / "submissions"
    folder.mkdir()
    for name in ("vandal", "good_correct"):
        _write(folder, name, graded["cases"][name])
    manifest = exercise_build / ASSIGNMENT.name / assignments.MANIFEST
    old = os.environ.get("DEFENCE_COURSE_DATA")
    os.environ["DEFENCE_COURSE_DATA"] = str(data_copy)
    try:
        report = grade_folder(
            folder,
            tmp_path / "results",
            jobs=2,
            limits=LIMITS,
            progress=False,
            build_root=exercise_build,
            protect=[data_copy, manifest],
            isolation="none",
            unsafe=True,
        )
    finally:
        if old is None:
            os.environ.pop("DEFENCE_COURSE_DATA", None)
        else:
            os.environ["DEFENCE_COURSE_DATA"] = old
    rows = report.by_id()
    assert rows["vandal"].status == "tampered" and rows["vandal"].total == 0
    for word in ("incidents.csv", "planted.py", "put back"):
        assert word in rows["vandal"].reason
    assert rows["good_correct"].total == FULL
    after = {p.relative_to(data_copy): p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    assert after == before
    evidence = report.out_dir / "tampered-files"
    assert any(p.name == "incidents.csv" for p in evidence.rglob("*"))
    book = report.files["gradebook"].read_text()
    assert book.startswith("# UNSAFE: graded with --unsafe")
    assert not (report.out_dir / ".cache").exists(), "no cache is kept from an unsafe run"


def test_hidden_tests_are_not_within_reach_of_a_notebook(graded):
    answers = json.loads((graded["report"].out_dir / "answers" / "reads_tests.json").read_text())
    found = answers["answers"]["consultation_provision"]["v"]
    assert "DEFENCE_COURSE_DATA" in found  # the reader did run and report what it saw
    for marker in ("hidden=True", "BEGIN TEST CONFIG", "test_case(", "OK_FORMAT"):
        assert marker not in found
    # the notebook's own copy (in its scratch folder) holds its own answers, the solutions
    # here; what must be out of reach is every hidden test
    snippets = [s for s in leaks.secret_snippets(ASSIGNMENT.master) if s.kind == "hidden test"]
    assert snippets and not [s for s in snippets if s.text in leaks.normalise(found)]


def test_printed_output_never_reaches_the_results(graded):
    out = graded["report"].out_dir
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in {".csv", ".md", ".json"}:
            text = path.read_text(errors="ignore")
            assert "Total Score: 10.000" not in text and "All test cases passed" not in text
    assert not (out / "results.json").exists()


def test_rerun_gives_the_same_gradebook_from_the_cache(graded):
    again = graded["again"]
    assert again.graded_now == 0
    assert all(o.from_cache for o in again.outcomes)
    assert again.files["gradebook"].read_text() != "" and graded[
        "first_gradebook"
    ] == _gradebook_before_change(graded)


def _gradebook_before_change(graded) -> str:
    # the third run rewrote the file; rebuild what the second run wrote from its report
    from defence_course.teach.grader import gradebook

    header, rows = gradebook.gradebook_rows(graded["again"])
    return gradebook._csv_text(header, rows)


def test_only_the_changed_submission_is_graded_again(graded):
    changed = graded["changed"]
    assert changed.graded_now == 1
    rows = changed.by_id()
    assert rows["good_blank"].total == FULL and not rows["good_blank"].from_cache
    assert all(o.from_cache for o in changed.outcomes if o.student_id != "good_blank")
