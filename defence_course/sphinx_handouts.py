"""Chapter pages that print as handouts (:mod:`defence_course.handouts` prints them).

Each chapter page gets a tiny inline script that turns ``?handout=summary`` or
``?handout=worksheet`` into classes on ``<html>``; its parts are marked by what each handout
prints (objectives, evidence, ideas, self-check, discussion), and each self-check question gets
its choices as plain text for paper. The print style sheet ``_static/dc-print.css`` does the rest.
"""

from __future__ import annotations

import html
from typing import Any

PRINT_STYLES = "dc-print.css"
OBJECTIVES_TITLE = "Learning objectives"
# A chapter's sections by the start of their heading: the handout part each is (None: in no
# handout). Any other section is evidence: the summary keeps its heading, charts and claim
# checks.
HANDOUT_SECTIONS = (
    ("Ideas", "dc-handout-ideas"),
    ("Check your understanding", "dc-handout-selfcheck"),
    ("Discussion questions", "dc-handout-discussion"),
    ("Explorer", None),
    ("Perspectives", None),
    ("Assignment", None),
    ("Key terms", None),
    ("Further reading", None),
)
HANDOUT_PARTS = (
    "dc-handout-objectives",
    "dc-handout-ideas",
    "dc-handout-selfcheck",
    "dc-handout-discussion",
)


def handout_script() -> str:
    """The inline script of a chapter page: ``?handout=<kind>`` -> classes on ``<html>``."""
    from defence_course.handouts import KINDS

    return (
        "(function () { var m = /[?&]handout=(" + "|".join(KINDS) + ")(?:&|$)/"
        ".exec(window.location.search); if (m) { document.documentElement.classList"
        '.add("dc-handout", "dc-handout-" + m[1]); } })();'
    )


def handout_part(title: str) -> str | None:
    """The class that marks a chapter section with this heading for the handouts."""
    for start, part in HANDOUT_SECTIONS:
        if title.strip().startswith(start):
            return part
    return "dc-handout-evidence"


def printable_choices(model: Any) -> str:
    """A self-check question's choices as HTML for paper (boxes to tick, a line to fill in),
    never its answer. Hidden on screen; shown by the print stylesheet."""
    kind = model.as_dict().get("type")
    choices = {"SC": list(getattr(model, "choices", ())), "TF": ["True", "False"]}.get(kind)
    if not choices:
        return '<span class="dc-print-choices"><span class="dc-print-blank"></span></span>'
    long = " dc-print-choices-long" if any(len(choice) > 28 for choice in choices) else ""
    items = "".join(
        f'<span class="dc-print-choice">{html.escape(choice)}</span>' for choice in choices
    )
    return f'<span class="dc-print-choices{long}">{items}</span>'


def mark_handout_parts(doctree: Any) -> set[str]:
    """Mark the parts of a chapter's doctree that its handouts print; return those found."""
    from docutils import nodes
    from sphinx_yaq.quiz import QuizQuestion

    def mark(node: Any, part: str) -> None:
        if part not in node["classes"]:
            node["classes"].append(part)
        found.add(part)

    # A doctree may be resolved more than once (the marks are then already there).
    found: set[str] = set()
    for admonition in doctree.findall(nodes.admonition):
        if (
            admonition.children
            and isinstance(admonition[0], nodes.title)
            and admonition[0].astext().strip() == OBJECTIVES_TITLE
        ):
            mark(admonition, "dc-handout-objectives")
    page = next(iter(doctree.findall(nodes.section)), None)
    for section in page.children if page is not None else []:
        if isinstance(section, nodes.section) and isinstance(section[0], nodes.title):
            part = handout_part(section[0].astext())
            if part:
                mark(section, part)
    for question in list(doctree.findall(QuizQuestion)):
        after = question.parent.index(question) + 1
        following = question.parent[after] if after < len(question.parent) else None
        if isinstance(following, nodes.raw) and "dc-print-choices" in following.astext():
            continue
        choices = nodes.raw("", printable_choices(question["model"]), format="html")
        question.parent.insert(after, choices)
    return found


def mark_handouts(app: Any, doctree: Any, docname: str) -> None:
    from sphinx.util import logging

    from defence_course.handouts import CHAPTERS

    if docname not in CHAPTERS or app.builder.format != "html":
        return
    missing = [part for part in HANDOUT_PARTS if part not in mark_handout_parts(doctree)]
    if missing:
        logging.getLogger(__name__).warning(
            "%s has no %s for its handouts (see defence_course.sphinx_handouts.HANDOUT_SECTIONS)",
            docname,
            ", ".join(missing),
            location=docname,
        )


def add_handout_script(app: Any, pagename: str, templatename: str, context: dict, doctree) -> None:
    from defence_course.handouts import CHAPTERS

    if pagename in CHAPTERS:
        app.add_js_file(None, body=handout_script())  # on this page only
