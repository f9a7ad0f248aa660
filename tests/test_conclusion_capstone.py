"""The conclusion's assignment and the capstone: what they assess, their rubrics and exemplars.

The generic checks of every assignment (the student notebook is what otter makes, public and
hidden tests, full marks and zero, no leaks) are in ``test_exercises.py``, parametrised over
``ASSIGNMENTS``. This file checks what is particular to these two, without building or grading
anything, so it takes well under a second:

- each multiple-choice question of the conclusion is followed by a written "why" on the same
  objective; the capstone draws on most chapters (objectives, skills and the reasoning share of
  every assignment, and the conclusion's rubrics in the teacher guide, are checked in
  ``test_exercises.py``);
- the capstone's rubric (``teachers/capstone.md``) has the same eight criteria as the student
  notebook, each with four levels (3 to 0 points), and its points add up to the master's written
  questions;
- the two exemplars' annotations add up, and the figures the strong one cites are the ones
  the data give now (a changed dataset fails here until the exemplar is revised);
- the marks file of ``teach grade --marks`` accepts marks for the new written questions, halves
  included, and refuses marks above a question's points or for an autograded question.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from defence_course import data
from defence_course.chapters import CHAPTERS
from defence_course.paths import REPO_ROOT
from defence_course.teach import assignments
from defence_course.teach.grader import manual

CONCLUSION = assignments.get("conclusion")
CAPSTONE = assignments.get("capstone")
TEACHER_PAGE = REPO_ROOT / "teachers" / "capstone.md"


def questions(assignment: assignments.Assignment) -> list[assignments.Question]:
    return assignments.read_master(assignment.master).questions


def chapter_objectives(page: str) -> int:
    text = (REPO_ROOT / f"{page}.md").read_text(encoding="utf-8")
    box = re.search(r"Learning objectives\n(.*?)^:::", text, re.S | re.M)
    return len(re.findall(r"^\d+\.\s", box.group(1), re.M))


def table_rows(block: str) -> list[list[str]]:
    """The rows of the first Markdown table in ``block`` (header included, separator dropped)."""
    rows = []
    for line in block.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                rows.append(cells)
        elif rows:
            break
    return rows


def section(text: str, heading: str) -> str:
    start = text.index(heading)
    level = heading.split(" ")[0]
    after = re.search(rf"^{level} ", text[start + len(heading) :], re.M)
    return text[start : start + len(heading) + (after.start() if after else len(text))]


# --- what the two assess ------------------------------------------------------------------------


def test_each_choice_of_the_conclusion_is_followed_by_a_written_why():
    # (Objectives, skills and the reasoning share of every assignment are checked by
    # test_exercises.py::test_questions_assess_their_chapter_with_enough_reasoning.)
    qs = questions(CONCLUSION)
    assert not CONCLUSION.capstone and CAPSTONE.capstone
    for first, second in zip(qs, qs[1:], strict=False):
        if first.skill == "reasoning" and not first.manual:
            assert second.manual and set(first.objectives) & set(second.objectives), first.name


def test_the_capstone_draws_on_most_chapters():
    qs = questions(CAPSTONE)
    chapters = {o.split(".")[0] for q in qs for o in q.objectives}
    assert len(chapters) >= 5, chapters
    pages = {chapter.number: chapter.page for chapter in CHAPTERS}
    for q in qs:
        for objective in q.objectives:
            chapter, k = map(int, objective.split("."))
            assert k <= chapter_objectives(pages[chapter]), f"{q.name}: no objective {objective}"
    assert sum(q.points for q in qs if not q.manual) == 10  # as the other assignments


# --- rubrics --------------------------------------------------------------------------------------


def capstone_rubric() -> list[list[str]]:
    """The rubric's overview (criterion, marked in), checking each criterion's four levels."""
    text = TEACHER_PAGE.read_text(encoding="utf-8")
    rubric = section(text, "## The rubric")
    rows = table_rows(rubric)
    assert rows[0] == ["criterion", "marked in", "points"]
    for name, _, points in rows[1:]:
        assert points == "0 to 3", name
        levels = table_rows(section(rubric, f"### {name}"))
        assert [r[0].split(":")[0] for r in levels[1:]] == ["3", "2", "1", "0"], name
        assert all(len(r) == 2 and r[1] for r in levels[1:]), f"{name}: a level is empty"
    return [r[:2] for r in rows[1:]]


def test_the_capstone_rubric_matches_the_master_and_the_student_notebook():
    rubric = capstone_rubric()
    assert len(rubric) == 8
    per_question: dict[str, int] = {}
    for _, marked_in in rubric:
        question = re.search(r"\((q\d+)\)", marked_in).group(1)
        per_question[question] = per_question.get(question, 0) + 3
    written = {q.name: q.points for q in questions(CAPSTONE) if q.manual}
    assert per_question == written
    # The student notebook shows the same criteria, marked in the same parts.
    student = nbformat.read(CAPSTONE.student_notebook, as_version=4)
    brief = next(c.source for c in student.cells if "## How it is marked" in c.source)
    shown = table_rows(section(brief, "## How it is marked"))[1:]
    assert [(r[0], r[1]) for r in shown] == [tuple(r) for r in rubric]


def annotation(exemplar: str) -> tuple[list[list[str]], int]:
    text = TEACHER_PAGE.read_text(encoding="utf-8")
    rows = table_rows(section(section(text, exemplar), "### Annotation"))[1:]
    total = int(re.search(r"\*\*(\d+) of 24\*\*", rows[-1][1]).group(1))
    return rows[:-1], total


def test_the_exemplars_are_annotated_on_every_criterion_and_add_up():
    names = [r[0] for r in capstone_rubric()]
    totals = []
    for exemplar in ("## Exemplar 1", "## Exemplar 2"):
        rows, total = annotation(exemplar)
        assert [r[0] for r in rows] == names, exemplar
        points = [int(re.fullmatch(r"(\d) of 3", r[1]).group(1)) for r in rows]
        assert sum(points) == total, exemplar
        assert all(r[2] for r in rows), f"{exemplar}: every mark says why"
        totals.append(total)
    strong, middling = totals
    assert strong >= 20 and 8 <= middling <= 16


def exemplar_parts(exemplar: str) -> dict[int, str]:
    body = section(TEACHER_PAGE.read_text(encoding="utf-8"), exemplar).split("### Annotation")[0]
    parts = re.split(r"^#### Part (\d)[^\n]*$", body, flags=re.M)
    return {int(parts[i]): parts[i + 1] for i in range(1, len(parts), 2)}


def test_the_strong_exemplar_keeps_to_the_word_limits_of_the_brief():
    limits = {1: (80, 120), 2: (300, 400), 3: (150, 250), 4: (80, 150)}
    for part, text in exemplar_parts("## Exemplar 1").items():
        low, high = limits[part]
        assert low <= len(text.split()) <= high, f"part {part}: {len(text.split())} words"


def test_the_strong_exemplar_cites_the_figures_the_data_give():
    from defence_course.models.council import PRESETS

    text = " ".join(" ".join(exemplar_parts("## Exemplar 1").values()).split())
    incidents = data.load_dataset("incidents")
    opinion = data.load_dataset("opinion")
    fleets = data.load_dataset("fighter_fleets")
    countries = data.load_dataset("countries")
    safe = data.load_dataset("safe_loans")
    spending = data.load_dataset("defence_spending")
    coalition = data.load_dataset("coalition_of_the_willing")

    members = countries["eu_accession_year"].notna() & countries["eu_exit_year"].isna()
    eu_fleets = fleets[fleets["country"].astype(str).isin(countries.loc[members, "country"])]
    us = int(eu_fleets.loc[eu_fleets["origin"].astype(str) == "US", "in_service"].sum())
    total = int(eu_fleets["in_service"].sum())
    confirmed = incidents["attribution"].astype(str).eq("Russia (confirmed by the state)")
    support = opinion.set_index(["question_id", "area"])["value_pct"]
    tentative = safe[safe["status"].astype(str) == "tentative (Commission allocation)"]
    east = tentative["country"].astype(str).isin(PRESETS["eastern flank"])
    eu = countries[countries["population"].notna()]
    borrowers = eu["country"].astype(str).isin(tentative["country"].astype(str))
    june_2024 = spending[
        (spending["nato_release"].astype(str) == "2024-06")
        & (spending["year"] == 2024)
        & spending["country"].notna()
    ]
    pl_2026 = spending[
        (spending["nato_release"].astype(str) == "2026-07")
        & (spending["year"] == 2024)
        & (spending["country"] == "PL")
    ]
    pl = tentative.set_index("country")["allocation_eur_bn"]
    participants = coalition.loc[coalition["item"].astype(str) == "participants", "value"]
    east_pct = (
        100 * tentative.loc[east, "allocation_eur_bn"].sum() / tentative["allocation_eur_bn"].sum()
    )
    borrowers_pct = 100 * eu.loc[borrowers, "population"].sum() / eu["population"].sum()

    expected = {
        "incidents": f"{len(incidents)} drone and airspace incidents",
        "attributed": f"attributed {int(confirmed.sum())} to Russia",
        "support 2025": f"{support[('eb103-2025-common-defence-security-policy', 'EU27')]:.0f} %",
        "support 2005": f"{support[('eb64-2005-common-defence-security-policy', 'EU25')]:.0f} %",
        "US share": f"{100 * us / total:.1f} %",
        "US count": f"{us} of {total:,}",
        "in NATO": f"{int((members & countries['nato_accession_year'].notna()).sum())} of the "
        f"{int(members.sum())} EU members",
        "Poland 2024": f"{june_2024.set_index('country').loc['PL', 'pct_gdp']:.2f} %",
        "highest": "the highest share"
        if june_2024.sort_values("pct_gdp").iloc[-1]["country"] == "PL"
        else "(no longer the highest)",
        "Poland 2024, 2026 release": f"{pl_2026['pct_gdp'].iloc[0]:.2f} %",
        "SAFE Poland": f"EUR {pl['PL']:.1f} billion",
        "SAFE largest": "is the largest" if pl.idxmax() == "PL" else "(no longer the largest)",
        "SAFE total": f"EUR {tentative['allocation_eur_bn'].sum():.0f} billion",
        "eastern flank": f"{east_pct:.1f} %",
        "borrowers": f"{int(borrowers.sum())} states with SAFE allocations hold "
        f"{borrowers_pct:.0f} %",
        "coalition": f"{int(participants.iloc[0])} countries",
    }
    missing = {name: phrase for name, phrase in expected.items() if phrase not in text}
    assert not missing, f"the strong exemplar no longer cites what the data give: {missing}"


# --- marks given by hand ------------------------------------------------------------------------


def test_marks_for_the_new_written_questions_are_read_and_checked(tmp_path):
    for assignment, good, bad in [
        (
            CONCLUSION,
            "alice,q4,3.5,\nalice,q8,3,Well read.\nalice,q9,0.5,\n",
            {"alice,q8,3.5": "out of range (0 to 3)", "alice,q5,1": "q5 is autograded"},
        ),
        (
            CAPSTONE,
            'alice,q5,6,\nalice,q6,7,"Criteria 3, 4, 5: 3, 2, 2"\nalice,q7,0,\nalice,q8,3,\n',
            {"alice,q6,10": "out of range (0 to 9)", "alice,q1,2": "q1 is autograded"},
        ),
    ]:
        qs = [q.__dict__ for q in questions(assignment)]
        path = tmp_path / f"{assignment.name}.csv"
        path.write_text("student_id,question,points,comment\n" + good, encoding="utf-8")
        marks = manual.read_manual_marks(path, qs)
        assert len(marks) == good.count("\n")
        for row, words in bad.items():
            path.write_text(f"student_id,question,points\n{row}\n", encoding="utf-8")
            with pytest.raises(manual.ManualMarksError) as caught:
                manual.read_manual_marks(path, qs)
            assert words in caught.value.problems[0], caught.value.problems
