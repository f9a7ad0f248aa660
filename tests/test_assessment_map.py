"""The assessment map: every objective is assessed by a self-check and a graded question, each
question assesses its own chapter, and the built pages show the table."""

from __future__ import annotations

import re

from defence_course import assessment
from defence_course.assessment import AssessmentMap, Item, Objective


def test_every_objective_has_a_self_check_and_a_graded_question_of_its_own_chapter():
    problems = assessment.problems(assessment.build_map())
    assert not problems, "\n".join(problems)


def test_objectives_are_read_in_order_with_their_ids():
    objectives = assessment.page_objectives("chapters/02_us_posture")
    assert [o.id for o in objectives] == ["2.1", "2.2", "2.3", "2.4", "2.5"]
    assert objectives[4].text.startswith("explain the collective-action problem in alliances")
    assert "autonomy" in objectives[4].text  # an item continued on a second line is kept whole


def test_a_self_check_question_without_its_objective_line_is_reported():
    text = assessment.page_path("chapters/01_threat").read_text(encoding="utf-8")
    first = assessment.CHECKS_LINE.search(text)
    assert first, "chapter 1's self-checks name no objectives"
    broken = text[: first.start()] + text[first.end() :]
    items = assessment.page_selfchecks("chapters/01_threat", broken)
    objectives = assessment.page_objectives("chapters/01_threat", broken)
    problems = assessment.problems(AssessmentMap(objectives, items))
    assert any("self-check threat-check question 1: names no objective" in p for p in problems)


def test_gaps_and_wrong_chapters_are_reported():
    objectives = [
        Objective("1.1", "chapters/01_threat", "a"),
        Objective("1.2", "chapters/01_threat", "b"),
        Objective("2.1", "chapters/02_us_posture", "c"),
    ]
    items = [
        Item("threat-check 1", "chapters/01_threat", ("1.1",), "self-check"),
        Item("us_posture-check 1", "chapters/02_us_posture", ("2.1",), "self-check"),
        Item(
            "threat q1",
            "chapters/01_threat",
            ("1.1", "2.1"),
            "graded",
            2,
            "code",
            where="threat.ipynb, q1",
        ),
        Item(
            "threat q2",
            "chapters/01_threat",
            ("1.9",),
            "graded",
            2,
            "code",
            where="threat.ipynb, q2",
        ),
    ]
    problems = assessment.problems(AssessmentMap(objectives, items))
    assert problems == [
        "threat.ipynb, q1: names objective 2.1 of chapters/02_us_posture; an item may only "
        "assess its own chapter's objectives",
        "threat.ipynb, q2: names objective 1.9, which does not exist",
        "objective 1.2 (chapters/01_threat.md) has no self-check question",
        "objective 1.2 (chapters/01_threat.md) has no graded question",
        "objective 2.1 (chapters/02_us_posture.md) has no graded question",
    ]


def test_the_capstone_alone_may_assess_every_chapter():
    from defence_course.teach import assignments

    capstones = [a for a in assignments.ASSIGNMENTS.values() if a.capstone]
    assert len(capstones) == 1, "there should be exactly one capstone"
    graded = assessment.graded_items()
    spans = {i.id.split()[0] for i in graded if len({o.split(".")[0] for o in i.objectives}) > 1}
    assert spans <= {capstones[0].name}


def test_the_map_page_and_the_teacher_guide_show_the_table(site_dir):
    amap = assessment.build_map()
    for page in ("teachers/assessment_map.html", "teacher_guide.html"):
        html = (site_dir / page).read_text(encoding="utf-8")
        table = html[html.index("graded questions") :]
        cells = re.findall(r"<td>\s*<p>(\d\.\d+)</p>\s*</td>", table)
        assert cells == [o.id for o in amap.objectives], page
        assert "threat q1" in table and "threat-check 1" in table
