"""The chapter registry agrees with the book: each row's page, figures, explorer, claims and
assignment are the ones the page really uses."""

from __future__ import annotations

import re

import pytest
import yaml

from defence_course import chapters, data, explorers, figures
from defence_course.paths import REPO_ROOT
from defence_course.teach import assignments

# The website's tip under an explorer, glued by the page's setup cell.
TIP = ":::{tip}\n:class: dc-website-only\n{glue:md}`explorer_tip`\n:::\n"


def registry_problems(chapter: chapters.Chapter, text: str | None = None) -> list[str]:
    """What in the book (or in ``text``, for its page) contradicts ``chapter``'s row."""
    problems = []
    page = REPO_ROOT / f"{chapter.page}.md"
    if text is None and not page.exists():
        return [f"{chapter.key}: no page {chapter.page}.md"]
    text = page.read_text(encoding="utf-8") if text is None else text
    if not re.search(rf"^# {chapter.number}\. |^# Conclusion", text, re.M):
        problems.append(f"{chapter.key}: the page's title is not numbered {chapter.number}")
    imported = re.search(r"from defence_course\.figures import ([\w, ]+)", text)
    if not imported or chapter.figures not in imported.group(1).replace(" ", "").split(","):
        problems.append(f"{chapter.key}: the page does not draw from figures.{chapter.figures}")
    shown = set(re.findall(r'explorers\.show\("(\w+)"', text))
    if shown != ({chapter.explorer} if chapter.explorer else set()):
        problems.append(
            f"{chapter.key}: the page shows explorers {sorted(shown)}, the registry "
            f"says {chapter.explorer}"
        )
    # The tip under the explorer is generated from the explorer (explorers.tip), not written.
    tips = set(re.findall(r'explorers\.tip_facts\("(\w+)"\)', text))
    if tips != shown:
        problems.append(
            f"{chapter.key}: the page glues the tip of {sorted(tips)}, not {sorted(shown)}"
        )
    if shown and TIP not in text:
        problems.append(f"{chapter.key}: the page does not show its explorer's tip")
    if "version of this page has the same explorer" in " ".join(text.split()):
        problems.append(f"{chapter.key}: the page writes its explorer's tip by hand")
    if chapter.explorer and chapter.explorer not in explorers.EXPLORERS:
        problems.append(f"{chapter.key}: no explorer {chapter.explorer!r}")
    if assignments.get(chapter.assignment).chapter != chapter.page:
        problems.append(f"{chapter.key}: assignment {chapter.assignment} belongs to another page")
    claims = set(data.load_dataset("article_claims")["chapter"].astype(str))
    if chapter.claims not in claims:
        problems.append(f"{chapter.key}: no claim has chapter {chapter.claims!r}")
    return problems


@pytest.mark.parametrize("chapter", chapters.CHAPTERS, ids=lambda c: c.key)
def test_registry_row_matches_the_book(chapter):
    assert not registry_problems(chapter)
    assert any(key.startswith(f"{chapter.figures}.") for key in figures.all_figures())


def test_registry_lists_the_toc_chapters_in_order_with_unique_keys():
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    listed = [
        entry["file"]
        for part in toc["parts"]
        for entry in part["chapters"]
        if re.match(r"chapters/\d\d_", entry["file"])
    ]
    assert listed == [c.page for c in chapters.CHAPTERS]
    assert [c.number for c in chapters.CHAPTERS] == list(range(1, len(chapters.CHAPTERS) + 1))
    assert len({c.key for c in chapters.CHAPTERS}) == len(chapters.CHAPTERS)
    with pytest.raises(KeyError, match="no chapter 'nonsense'; known: threat, us_posture"):
        chapters.get("nonsense")


def test_a_wrong_row_is_caught():
    wrong = chapters.Chapter(
        "threat", 1, "chapters/01_threat", "posture", "council", "eu-nato", "capability"
    )
    problems = registry_problems(wrong)
    assert len(problems) == 3, problems  # figures, explorer, assignment (claims key exists)


def test_a_page_with_a_hand_written_tip_is_caught():
    chapter = chapters.get("threat")
    text = (REPO_ROOT / f"{chapter.page}.md").read_text(encoding="utf-8")
    hand_written = text.replace(
        "{glue:md}`explorer_tip`",
        "The notebook version of this page has the same explorer with a reset button.",
    ).replace('explorers.tip_facts("attrition")', 'explorers.tip_facts("council")')
    problems = registry_problems(chapter, hand_written)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "the page glues the tip of ['council'], not ['attrition']",
        "the page does not show its explorer's tip",
        "the page writes its explorer's tip by hand",
    ]
