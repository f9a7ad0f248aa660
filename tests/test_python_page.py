"""The page "Python for this course": in the book before the assignments, linked from every
assignment and from every chapter's assignment section, teaching the steps the assignments ask
for on the course's data (through the one loader), without giving away an assignment's answer."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
import yaml

from defence_course.chapters import CHAPTERS
from defence_course.paths import REPO_ROOT
from defence_course.teach import assignments
from defence_course.teach.grader import leaks

PAGE = "chapters/python_for_this_course"
ASSIGNMENTS = [chapter.key for chapter in CHAPTERS]  # a chapter's assignment has its key
# The pandas and Altair steps the assignments ask for (filter, count, group, merge, a bar chart
# with a filter), as the page must show them.
STEPS = {
    "filter": r"\w+\[\w+\[\"\w+\"\] == ",
    "several values": r"\.isin\(\[",
    "count": r"int\(\w+\.sum\(\)\)",
    "group and count": r"\.groupby\([^)]*\)\.size\(\)\.reset_index\(name=",
    "group and add up": r"\.groupby\([^)]*\)\[\"\w+\"\]\.sum\(\)",
    "merge": r"\.merge\([^)]*on=",
    "bar chart": r"alt\.Chart\(\w+\)\s*\.mark_bar\(\)",
    "chart filter": r"\.transform_filter\(alt\.datum\.",
    "chart filter on several values": r"alt\.FieldOneOfPredicate\(",
}


def page_text() -> str:
    return (REPO_ROOT / f"{PAGE}.md").read_text(encoding="utf-8")


def missing_steps(text: str) -> list[str]:
    """The assignment steps a page does not show."""
    return [step for step, pattern in STEPS.items() if not re.search(pattern, text)]


def links_the_page(text: str, relative: str) -> bool:
    """Whether ``text`` (Markdown or MyST) links the page by the path ``relative``."""
    return (
        f"]({relative}.md)" in text
        or f"{{doc}}`{relative}`" in text
        or f"{{doc}}`{relative} <" in text
    )


def test_the_page_comes_before_the_assignments():
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [entry["file"] for part in toc["parts"] for entry in part["chapters"]]
    first_assignment = min(files.index(f"exercises/{a}/student/{a}") for a in ASSIGNMENTS)
    assert PAGE in files and files.index(PAGE) < first_assignment


def test_the_page_teaches_every_step_on_the_course_data():
    text = page_text()
    assert not missing_steps(text), f"{PAGE}.md does not show: {missing_steps(text)}"
    assert "data.load_dataset(" in text
    assert not re.search(r"read_csv|read_excel|https?://\S+\.csv", text), "load through data"


def test_a_page_without_a_step_is_caught():
    text = page_text().replace(".merge(", ".join(")
    assert missing_steps(text) == ["merge"]


@pytest.mark.parametrize("name", list(assignments.ASSIGNMENTS))
def test_every_assignment_links_the_page(name):
    for path in (
        REPO_ROOT / "exercises" / name / f"{name}.ipynb",
        REPO_ROOT / "exercises" / name / "student" / f"{name}.ipynb",
    ):
        nb = nbformat.read(path, as_version=4)
        intro = next(c.source for c in nb.cells if c.cell_type == "markdown")
        assert links_the_page(intro, f"../../../{PAGE}"), f"{path.name}: no link to the page"
    # The link is relative to the student notebook, where the book renders it.
    student = REPO_ROOT / "exercises" / name / "student"
    assert (student / f"../../../{PAGE}.md").resolve().exists()


def test_every_chapter_with_an_assignment_links_the_page():
    chapters = sorted((REPO_ROOT / "chapters").glob("0*.md"))
    with_assignment = [p for p in chapters if "## Assignment" in p.read_text(encoding="utf-8")]
    assert len(with_assignment) == len(ASSIGNMENTS)
    for path in with_assignment:
        section = path.read_text(encoding="utf-8").split("## Assignment", 1)[1].split("\n## ")[0]
        assert links_the_page(section, "python_for_this_course"), f"{path.name}: no link"


def test_a_missing_link_is_caught():
    assert not links_the_page("See the page on Python.", "python_for_this_course")
    assert links_the_page("See {doc}`python_for_this_course`.", "python_for_this_course")


def test_the_page_gives_away_no_assignment_answer(tmp_path: Path):
    shutil.copy(REPO_ROOT / f"{PAGE}.md", tmp_path / "page.md")
    snippets = leaks.all_snippets()
    found = leaks.scan(tmp_path, snippets)
    assert not found, "\n".join(map(str, found))
    # The scan does find an answer copied into the page.
    solution = next(s for s in snippets if s.kind == "solution")
    (tmp_path / "page.md").write_text(page_text() + "\n" + solution.text, encoding="utf-8")
    assert leaks.scan(tmp_path, snippets)
