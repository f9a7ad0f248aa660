"""Same submissions, same grades: a fixed folder of threat submissions must get the gradebook
committed next to it, cell for cell (points, totals, reasons, hashes).

A refactoring of the grader, the checks or the packaging must leave it unchanged. When a change
to the grades is intended (a master's points or tests changed), look at the difference, then
write the new gradebook with ``DEFENCE_COURSE_UPDATE_GRADEBOOK=1 pytest
tests/test_gradebook_unchanged.py`` and commit it with the change that explains it.

The four notebooks were made once with :mod:`defence_course.teach.grader.synthetic` (all answers
right; half spoiled; handed in blank; one answer cell raising) and are committed as files, so
they do not follow later changes to the masters.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from defence_course.teach.grader.grading import grade_folder
from defence_course.teach.grader.sandbox import Limits

FIXTURE = Path(__file__).parent / "fixtures" / "gradebook_threat"
EXPECTED = FIXTURE / "expected_gradebook.csv"
# Generous: a loaded machine must not turn a slow notebook into a different row.
LIMITS = Limits(timeout=120, cell_timeout=60, memory_mb=3072, max_file_mb=20)


def test_a_fixed_folder_of_submissions_gets_the_same_gradebook(exercise_build, tmp_path):
    report = grade_folder(
        FIXTURE / "submissions",
        tmp_path / "results",
        assignment="threat",
        jobs=2,
        limits=LIMITS,
        progress=False,
        build_root=exercise_build,
    )
    got = report.files["gradebook"].read_text(encoding="utf-8")
    if os.environ.get("DEFENCE_COURSE_UPDATE_GRADEBOOK"):
        EXPECTED.write_text(got, encoding="utf-8")
    expected = EXPECTED.read_text(encoding="utf-8")
    difference = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            got.splitlines(keepends=True),
            "committed gradebook",
            "gradebook now",
        )
    )
    assert got == expected, (
        "the same submissions got other grades:\n"
        + difference
        + "\n(see this file's docstring if the change is intended)"
    )
