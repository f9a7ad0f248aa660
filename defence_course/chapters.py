"""The course's six chapters in one table: their page, figures, explorer, claims and assignment.

The reader's notebooks, the handouts, the assignments and the tests read it; a test checks it
against the pages themselves (``tests/test_chapter_registry.py``). A new chapter is a row here
plus its page, its figures module and its entry in ``_toc.yml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True)
class Chapter:
    """One chapter. ``key`` is its name in the grader and the assignments."""

    key: str
    number: int
    page: str  # Sphinx docname, e.g. "chapters/02_us_posture"
    figures: str  # module of defence_course.figures its charts come from
    explorer: str | None  # key of defence_course.explorers.EXPLORERS
    claims: str  # value of the `chapter` column of the article_claims dataset
    assignment: str  # name in defence_course.teach.assignments.ASSIGNMENTS

    @property
    def notebook(self) -> str:
        """The reader's notebook's name, without ``.ipynb`` (``notebooks/02_us_posture``)."""
        return PurePosixPath(self.page).name


CHAPTERS: tuple[Chapter, ...] = (
    Chapter("threat", 1, "chapters/01_threat", "threat", "attrition", "threat", "threat"),
    Chapter(
        "us_posture", 2, "chapters/02_us_posture", "posture", "opinion", "us-posture", "us_posture"
    ),
    Chapter(
        "capability",
        3,
        "chapters/03_capability_dependence",
        "capability",
        "fleet",
        "capability",
        "capability",
    ),
    Chapter(
        "eu_nato", 4, "chapters/04_eu_nato_overlap", "overlap", "obligations", "eu-nato", "eu_nato"
    ),
    Chapter(
        "constitution",
        5,
        "chapters/05_constitutional_limits",
        "constitution",
        "council",
        "constitution",
        "constitution",
    ),
    Chapter(
        "conclusion", 6, "chapters/06_conclusion", "coalition", None, "conclusion", "conclusion"
    ),
)


def get(key: str) -> Chapter:
    """The chapter called ``key`` (a KeyError names the known ones)."""
    for chapter in CHAPTERS:
        if chapter.key == key:
            return chapter
    raise KeyError(f"no chapter {key!r}; known: {', '.join(c.key for c in CHAPTERS)}")


def page_of(key: str) -> str:
    """The Sphinx docname of chapter ``key``."""
    return get(key).page
