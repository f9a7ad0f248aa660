"""Helpers for the chapter pages: figures in the prose come from the data via myst-nb glue."""

from __future__ import annotations

from collections.abc import Mapping


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
