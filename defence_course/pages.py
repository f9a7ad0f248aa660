"""Helpers for the pages: figures in the prose come from the data via myst-nb glue.

A chapter page's setup cell is one call, ``us_posture = start_chapter("us_posture")``
(:func:`start_chapter`), which sets the page up from the chapter registry
(:mod:`defence_course.chapters`) and gives the page its figures module.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType


def glue_facts(facts: Mapping[str, object]) -> None:
    """Make each fact available to the page's text as {glue:text}`name` (website build only);
    a Markdown value (an explorer's tip, see :func:`defence_course.explorers.tip_facts`) as
    {glue:md}`name`.

    In a notebook the facts are already written into the text (see
    :mod:`defence_course.notebooks`), so nothing is glued and myst-nb is not needed.
    """
    from defence_course.charts import on_website

    if not on_website():
        return
    from myst_nb import glue

    for name, value in facts.items():
        glue(name, value, display=False)


def start_chapter(key: str) -> ModuleType:
    """Set up the page of chapter ``key`` and return its figures module.

    The whole of a chapter page's setup: the course's chart theme and renderer
    (:func:`defence_course.setup_notebook`) and, while the website is built, the chapter's facts
    (``facts()`` of ``defence_course.figures.<key>``) and its explorer's tip
    (:func:`defence_course.explorers.tip_facts`) glued for the page's text. In a notebook the
    facts are already in the text and the tip is the website's, so nothing is computed for them.
    An unknown ``key`` is a KeyError that names the chapters there are.
    """
    from defence_course import chapters
    from defence_course.charts import on_website, setup_notebook

    chapter = chapters.get(key)
    figures = chapter.figures()
    setup_notebook()
    if on_website():
        glue_facts(figures.facts())
        if chapter.explorer:
            from defence_course import explorers

            glue_facts(explorers.tip_facts(chapter.explorer))
    return figures
