"""The assessment map: which self-check questions and graded questions assess each objective.

There is one set of learning objectives, the numbered lists in the "Learning objectives" box of
the introduction (page 0) and of chapters 1 to 6; objective ``"1.3"`` is chapter 1's third.
Self-check questions name theirs in a last line of their explanation (``*Checks objective
1.3.*``); graded questions in their otter question config (``objectives: ["1.3"]``, read by
:func:`defence_course.teach.assignments.read_master`). :func:`problems` lists what breaks the
map, and the ``assessment-map`` directive (:mod:`defence_course.sphinxext`) draws it as a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from defence_course.chapters import CHAPTERS
from defence_course.paths import REPO_ROOT

# Page with objectives -> its number in objective ids. The introduction has no assignment.
OBJECTIVE_PAGES: dict[str, int] = {
    "intro": 0,
    **{chapter.page: chapter.number for chapter in CHAPTERS},
}
UNGRADED_PAGES = {"intro"}

OBJECTIVES_BOX = re.compile(
    r"^:::\{admonition\} Learning objectives\n(?P<body>.*?)^:::", re.S | re.M
)
QUIZ_BLOCK = re.compile(r"^::::\{quiz\}\s*(?P<label>\S+)\n(?P<body>.*?)^::::\s*$", re.S | re.M)
NUMBERED = re.compile(r"^(\d+)\.\s+", re.M)
CHECKS_LINE = re.compile(r"\*Checks objectives? (?P<ids>\d\.\d+(?:(?:, | and )\d\.\d+)*)\.\*")
OBJECTIVE_ID = re.compile(r"^\d\.\d+$")


@dataclass(frozen=True)
class Objective:
    id: str
    page: str
    text: str


@dataclass(frozen=True)
class Item:
    """A self-check or graded question and the objectives it names."""

    id: str  # "threat-check 3" or "threat q3"
    page: str  # the page (self-check) or the chapter of the assignment (graded)
    objectives: tuple[str, ...]
    kind: str  # "self-check" or "graded"
    points: float = 0.0
    skill: str = ""
    where: str = ""  # file, for error messages


@dataclass
class AssessmentMap:
    objectives: list[Objective]
    items: list[Item] = field(default_factory=list)

    def assessing(self, objective_id: str, kind: str) -> list[Item]:
        return [i for i in self.items if i.kind == kind and objective_id in i.objectives]


def page_path(page: str) -> Path:
    return REPO_ROOT / f"{page}.md"


def _items(text: str) -> list[str]:
    """The items of a numbered Markdown list (continuation lines joined)."""
    starts = list(NUMBERED.finditer(text))
    return [
        text[m.end() : (starts[k + 1].start() if k + 1 < len(starts) else len(text))]
        for k, m in enumerate(starts)
    ]


def page_objectives(page: str, text: str | None = None) -> list[Objective]:
    """The objectives of ``page`` in their order, with their ids."""
    text = page_path(page).read_text(encoding="utf-8") if text is None else text
    box = OBJECTIVES_BOX.search(text)
    if not box:
        raise ValueError(f"{page}.md has no 'Learning objectives' box")
    number = OBJECTIVE_PAGES[page]
    return [
        Objective(f"{number}.{k}", page, " ".join(item.split()).rstrip(";."))
        for k, item in enumerate(_items(box["body"]), start=1)
    ]


def page_selfchecks(page: str, text: str | None = None) -> list[Item]:
    """The self-check questions of ``page`` and the objectives each names."""
    text = page_path(page).read_text(encoding="utf-8") if text is None else text
    found = []
    for quiz in QUIZ_BLOCK.finditer(text):
        for k, question in enumerate(_items(quiz["body"]), start=1):
            lines = CHECKS_LINE.findall(question)
            ids = tuple(re.split(r", | and ", lines[0])) if len(lines) == 1 else ()
            where = f"{page}.md, self-check {quiz['label']} question {k}"
            if len(lines) > 1:
                where += " (more than one 'Checks objective' line)"
            found.append(Item(f"{quiz['label']} {k}", page, ids, "self-check", where=where))
    return found


def graded_items() -> list[Item]:
    """Every question of every assignment master with its objectives, points and skill."""
    from defence_course.teach import assignments

    found = []
    for assignment in assignments.ASSIGNMENTS.values():
        info = assignments.read_master(assignment.master)
        for q in info.questions:
            found.append(
                Item(
                    f"{assignment.name} {q.name}",
                    assignment.chapter,
                    q.objectives,
                    "graded",
                    q.points,
                    q.skill,
                    where=f"{assignment.master.relative_to(REPO_ROOT)}, {q.name}",
                )
            )
    return found


def build_map() -> AssessmentMap:
    objectives = [o for page in OBJECTIVE_PAGES for o in page_objectives(page)]
    items = [i for page in OBJECTIVE_PAGES for i in page_selfchecks(page)] + graded_items()
    return AssessmentMap(objectives, items)


def cross_chapter(item: Item) -> bool:
    """Whether a graded item may assess other chapters' objectives (the capstone)."""
    from defence_course.teach import assignments

    name = item.id.split()[0]
    return item.kind == "graded" and getattr(assignments.ASSIGNMENTS.get(name), "capstone", False)


def problems(amap: AssessmentMap) -> list[str]:
    """Everything that breaks the map, each naming the item or objective and its file."""
    found = []
    by_id = {o.id: o for o in amap.objectives}
    for item in amap.items:
        if not item.objectives:
            found.append(
                f"{item.where}: names no objective (add "
                + (
                    "a last line '*Checks objective N.K.*' to its explanation)"
                    if item.kind == "self-check"
                    else "'objectives: [\"N.K\"]' to its question config)"
                )
            )
        for oid in item.objectives:
            objective = by_id.get(oid)
            if objective is None:
                found.append(f"{item.where}: names objective {oid}, which does not exist")
            elif objective.page != item.page and not cross_chapter(item):
                found.append(
                    f"{item.where}: names objective {oid} of {objective.page}; an "
                    f"item may only assess its own chapter's objectives"
                )
    for objective in amap.objectives:
        # only the chapter's own questions count (not another chapter's, not the capstone)
        own = [i for i in amap.items if objective.id in i.objectives and i.page == objective.page]
        if not [i for i in own if i.kind == "self-check"]:
            found.append(
                f"objective {objective.id} ({objective.page}.md) has no self-check question"
            )
        if objective.page not in UNGRADED_PAGES and not [i for i in own if i.kind == "graded"]:
            found.append(f"objective {objective.id} ({objective.page}.md) has no graded question")
    return found


def reasoning_share(items: list[Item]) -> float:
    """The share of points of ``items`` (one assignment's questions) that assess reasoning."""
    total = sum(i.points for i in items)
    return sum(i.points for i in items if i.skill == "reasoning") / total if total else 0.0


def map_rows(amap: AssessmentMap) -> list[tuple[str, str, str, str]]:
    """One row per objective: id, text, its self-check questions, its graded questions."""

    def names(items: list[Item]) -> str:
        return ", ".join(i.id for i in items) or "–"

    return [
        (
            o.id,
            o.text,
            names(amap.assessing(o.id, "self-check")),
            names(amap.assessing(o.id, "graded"))
            if o.page not in UNGRADED_PAGES
            else "(no assignment)",
        )
        for o in amap.objectives
    ]


def map_markdown(amap: AssessmentMap) -> str:
    """The map as a Markdown table (used by the ``assessment-map`` directive)."""
    lines = [
        "| objective | after this page you can … | self-check questions | graded questions |",
        "| --- | --- | --- | --- |",
    ]
    for row in map_rows(amap):
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    return "\n".join(lines)


def source_files() -> list[Path]:
    """The files the map is read from (the pages and the masters)."""
    from defence_course.teach import assignments

    return [page_path(p) for p in OBJECTIVE_PAGES] + [
        a.master for a in assignments.ASSIGNMENTS.values()
    ]
