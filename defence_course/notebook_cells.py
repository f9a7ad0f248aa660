"""The code cells of a reader's notebook and, for the website's download, their outputs.

Cells are rebuilt rather than copied from the page, so that only what a reader needs travels: the
install cell, the visible setup cell, and charts as Vega-Lite with a static SVG
(:mod:`defence_course.notebooks`).
"""

from __future__ import annotations

import copy
import importlib
import re
import textwrap
from typing import TYPE_CHECKING, Any

import nbformat

from defence_course.charts import USERMETA_KEY, VEGALITE_MIME
from defence_course.paths import REPO_ROOT

if TYPE_CHECKING:
    from defence_course.notebooks import PageContext

# A chapter page's setup (defence_course.pages.start_chapter): its figures module's facts,
# whose numbers the reader's notebook writes into its text, are the chapter's.
START_CHAPTER = re.compile(r'^\w+ = start_chapter\("(?P<key>\w+)"\)\s*$')
# Another page's glue calls (the introduction's): a figures module's facts, as above, or an
# explorer's tip, which only the website shows.
GLUE_CALL = re.compile(r"^\s*glue_facts\((?P<facts>.+)\)\s*$")
FIGURE_FACTS = re.compile(r"(?P<module>\w+)\.facts\(\)")


def install_cells() -> list[nbformat.NotebookNode]:
    """What a notebook opened on its own needs: an explanation and an install cell."""
    about = nbformat.v4.new_markdown_cell(
        textwrap.dedent("""\
        > **About this notebook**
        >
        > This is a page of the open course *Europe's defence: the will and the ways*. Run the
        > cells from the top (*Run › Run All Cells*). It needs Python 3.11 and JupyterLab or
        > Jupyter Notebook, plus the course's package, `defence_course`, which brings the data
        > and draws the charts without the internet. On Binder and with `make lab` it is
        > already installed. If you downloaded this notebook on its own, the next cell installs
        > the package once from the course's repository (this needs the internet); then reload
        > the page in your browser and run the notebook again from the top.""")
    )
    install = nbformat.v4.new_code_cell(
        textwrap.dedent(f"""\
        # Install the course package if this notebook was opened on its own.
        COURSE_PACKAGE = "{install_source()}"
        try:
            import defence_course  # noqa: F401
        except ModuleNotFoundError:
            import subprocess
            import sys

            subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet",
                                   COURSE_PACKAGE])
            print("Installed. Reload this page, then run all the cells again.")""")
    )
    install.metadata["tags"] = ["install"]
    return [about, install]


def install_source() -> str:
    """The pip requirement that installs the course from the repository set in _config.yml."""
    import yaml

    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    repository = config["repository"]
    return f"defence-course @ git+{repository['url']}@{repository.get('branch', 'main')}"


def setup_cell(cell: nbformat.NotebookNode, page: PageContext) -> nbformat.NotebookNode:
    """The page's hidden setup cell, made visible, without the website's glue calls (a
    chapter's ``start_chapter`` call stays: in a notebook it glues nothing)."""
    kept = [
        line
        for line in cell.source.splitlines()
        if not GLUE_CALL.match(line) and "import glue_facts" not in line
    ]
    new = nbformat.v4.new_code_cell("\n".join(kept).strip())
    new.metadata["tags"] = ["setup"]
    return new


def page_facts(setup_source: str, docname: str) -> dict[str, Any]:
    """The facts the page glues: its chapter's (``<key> = start_chapter("<key>")``) or
    ``glue_facts(<module>.facts())``'s, in its setup cell."""
    from defence_course import chapters

    facts: dict[str, Any] = {}
    for line in setup_source.splitlines():
        chapter = START_CHAPTER.match(line)
        if chapter:
            facts.update(chapters.get(chapter["key"]).figures().facts())
            continue
        match = GLUE_CALL.match(line)
        figures = FIGURE_FACTS.fullmatch(match["facts"]) if match else None
        if figures:
            module = importlib.import_module(f"defence_course.figures.{figures['module']}")
            facts.update(module.facts())
    return facts


def code_cell(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A page's code cell; input hidden on the website is collapsed, not removed."""
    new = nbformat.v4.new_code_cell(cell.source)
    tags = list(cell.metadata.get("tags", []))
    if tags:
        new.metadata["tags"] = tags
    if {"hide-input", "remove-input"} & set(tags):
        new.metadata["jupyter"] = {"source_hidden": True}
    return new


def reader_outputs(outputs: list[Any]) -> list[Any]:
    """Outputs of the website build as a notebook shows them: charts as Vega-Lite and SVG."""
    converted = []
    for output in outputs:
        output = copy.deepcopy(output)
        data = output.get("data", {})
        spec = (output.get("metadata") or {}).get(USERMETA_KEY, {}).get("vegalite")
        if spec is not None:
            output["data"] = {
                VEGALITE_MIME: spec,
                "image/svg+xml": chart_svg(spec),
                "text/plain": data.get("text/plain", "Chart"),
            }
            output["metadata"] = {}
            converted.append(output)
            converted.append(
                nbformat.v4.new_output(
                    "display_data", data={"text/markdown": chart_caption_markdown(spec)}
                )
            )
            continue
        if "text/markdown" in data and "text/html" in data:
            del data["text/html"]  # the website's styled version of the same content
        converted.append(output)
    return converted


def chart_svg(spec: dict[str, Any]) -> str:
    """A static drawing of a chart, for front ends that cannot run Vega-Lite 6."""
    import vl_convert
    from altair.utils.html import vl_version_for_vl_convert

    return vl_convert.vegalite_to_svg(spec, vl_version=vl_version_for_vl_convert())


def chart_caption_markdown(spec: dict[str, Any]) -> str:
    from defence_course.charts import chart_annotations

    notes = chart_annotations(spec)
    return f"*Source: {notes['source']}*\n\n{notes['description']}"
