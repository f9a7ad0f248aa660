"""A student notebook keeps working when renamed or moved alone into a fresh folder."""

from __future__ import annotations

import shutil

import pytest

from defence_course.teach import assignments
from defence_course.teach.checks import assignment_grader, find_notebook


@pytest.fixture
def alone(tmp_path, monkeypatch):
    """The eu_nato notebook as a student's download folder holds it: renamed, nothing else."""
    assignment = assignments.get("eu_nato")
    renamed = tmp_path / "eu_nato (1).ipynb"
    shutil.copy(assignment.student_notebook, renamed)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    return renamed


def test_the_first_cell_finds_the_notebook_by_its_content():
    for assignment in assignments.ASSIGNMENTS.values():
        import nbformat

        first = nbformat.read(assignment.student_notebook, as_version=4).cells[0]
        assert first.cell_type == "code"
        assert f'assignment_grader("{assignment.name}")' in first.source
        assert ".ipynb" not in first.source  # no file name to go stale


def test_a_renamed_notebook_alone_in_a_folder_checks_answers(alone):
    assert find_notebook("eu_nato") == alone
    grader = assignment_grader("eu_nato")
    result = grader.check("q1", global_env={"n_eu_not_nato": "4"})
    assert "Remove the quotes" in repr(result) and "Traceback" not in repr(result)
    assert grader.check("q1", global_env={"n_eu_not_nato": 4}).passed_all


def test_the_server_named_notebook_wins_over_other_copies(alone, monkeypatch):
    newer = alone.parent / "eu_nato.ipynb"
    shutil.copy(alone, newer)
    monkeypatch.setenv("JPY_SESSION_NAME", str(alone))
    assert find_notebook("eu_nato") == alone
    monkeypatch.setenv("JPY_SESSION_NAME", "elsewhere/eu_nato (1).ipynb")  # a server path
    assert find_notebook("eu_nato") == alone


def test_another_assignment_is_not_mistaken_for_this_one(alone, capsys):
    assert find_notebook("threat") is None
    assignment_grader("threat")
    assert "could not find this notebook (assignment 'threat')" in capsys.readouterr().out
