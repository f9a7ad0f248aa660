"""The course's six chapters in one table: their key, number, page and explorer.

A chapter's key is its one name everywhere: its figures module (``defence_course.figures.<key>``),
the value of the ``chapter`` column of its claims in ``data/article_claims.csv`` and the name of
its assignment (``exercises/<key>/``, ``teach.assignments.ASSIGNMENTS``). A page's setup cell is
``<key> = start_chapter("<key>")`` (:func:`defence_course.pages.start_chapter`).

The reader's notebooks, the handouts, the assignments and the tests read it; a test checks it
against the pages themselves (``tests/test_chapter_registry.py``). A new chapter is a row here
plus its page, its figures module and its entry in ``_toc.yml``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from types import ModuleType


@dataclass(frozen=True)
class Chapter:
    """One chapter. ``key`` names its figures module, its claims and its assignment."""

    key: str
    number: int
    page: str  # Sphinx docname, e.g. "chapters/02_us_posture"
    explorer: str | None  # key of defence_course.explorers.EXPLORERS

    @property
    def notebook(self) -> str:
        """The reader's notebook's name, without ``.ipynb`` (``notebooks/02_us_posture``)."""
        return PurePosixPath(self.page).name

    def figures(self) -> ModuleType:
        """Its figures module, ``defence_course.figures.<key>``: its charts and its facts."""
        return importlib.import_module(f"defence_course.figures.{self.key}")


CHAPTERS: tuple[Chapter, ...] = (
    Chapter("threat", 1, "chapters/01_threat", "attrition"),
    Chapter("us_posture", 2, "chapters/02_us_posture", "opinion"),
    Chapter("capability", 3, "chapters/03_capability_dependence", "fleet"),
    Chapter("eu_nato", 4, "chapters/04_eu_nato_overlap", "obligations"),
    Chapter("constitution", 5, "chapters/05_constitutional_limits", "council"),
    Chapter("conclusion", 6, "chapters/06_conclusion", None),
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
