"""Each page of the book as a notebook that reads well wherever it is opened.

The pages are MyST Markdown notebooks written for the website: their text uses MyST roles and
directives (``{glue:text}``, ``{term}``, ``{cite}``, admonitions, ``{quiz}``) that JupyterLab,
Notebook, VS Code or GitHub do not render. This module writes the *reader's notebook* of a page:

- glued numbers are written into the text; terms, citations and page links become plain
  Markdown; admonitions become block quotes; blocks for the website only are left out;
- each self-check becomes a hidden call to :func:`defence_course.selfcheck.self_check`, so the
  answers are not shown up front;
- a first cell installs the course package when it is missing (a notebook downloaded alone);
- the setup cell is visible, and cells hidden on the website are collapsed, not removed.

``python -m defence_course notebooks`` writes them to ``notebooks/`` (committed, without
outputs: Binder and ``make lab`` open them). While the website is built, the same conversion of
the *executed* page, with every chart as Vega-Lite plus a static SVG, replaces the ``.ipynb``
behind the page's download button (:mod:`defence_course.sphinxext`).
"""

from __future__ import annotations

import argparse
import json
import re
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from defence_course import selfcheck
from defence_course.chapters import CHAPTERS
from defence_course.notebook_cells import (
    code_cell,
    install_cells,
    page_facts,
    reader_outputs,
    setup_cell,
)
from defence_course.paths import REPO_ROOT

# Page (Sphinx docname) -> name of its reader's notebook in notebooks/.
PAGES: dict[str, str] = {
    "intro": "00_intro",
    **{chapter.page: chapter.notebook for chapter in CHAPTERS},
    "chapters/python_for_this_course": "python_for_this_course",
    "timeline": "timeline",
}
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
# Admonitions with this class are about the website (its explorer, its buttons).
WEBSITE_ONLY_CLASS = "dc-website-only"

ROLE = re.compile(r"\{(?P<role>[a-z][a-z:-]*)\}`(?P<content>[^`]*)`")
DIRECTIVE_START = re.compile(r"^(?P<colons>:{3,})\{(?P<name>[a-z][\w-]*)\}\s*(?P<argument>.*)$")
LABEL_LINE = re.compile(r"^\([\w-]+\)=\s*$")
EXPLAINED_TARGET = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^>]+)>$")
ADMONITION_TITLES = {
    "tip": "Tip",
    "note": "Note",
    "warning": "Warning",
    "important": "Important",
    "seealso": "See also",
}


@dataclass
class PageContext:
    """What converting one page needs: its name, its glued facts and how to name links."""

    docname: str
    facts: Mapping[str, Any]
    citation: Callable[[str], str]

    def where(self) -> str:
        return f"{self.docname}.md"


# --- the text ------------------------------------------------------------------------------


def convert_inline(text: str, page: PageContext) -> str:
    """Replace MyST roles by plain Markdown (an unknown role is an error, not left raw)."""

    def replace(match: re.Match[str]) -> str:
        role, content = match["role"], match["content"]
        if role in ("glue:text", "glue"):
            return _glued(content, page)
        if role == "term":
            return _split_target(content)[0]
        if role in ("cite", "cite:p", "cite:t"):
            return "(" + "; ".join(page.citation(key.strip()) for key in content.split(",")) + ")"
        if role == "doc":
            text, target = _split_target(content)
            return f"[{text}]({_link(target, page)})"
        if role == "ref":
            return _split_target(content)[0]
        raise ValueError(
            f"{page.where()}: the role {{{role}}} has no notebook form; "
            "teach defence_course.notebooks.convert_inline about it"
        )

    return ROLE.sub(replace, text)


def _split_target(content: str) -> tuple[str, str]:
    match = EXPLAINED_TARGET.match(content.strip())
    if match:
        return match["text"], match["target"]
    return content.strip(), content.strip()


def _glued(content: str, page: PageContext) -> str:
    name, _, spec = content.partition(":")
    if name not in page.facts:
        raise ValueError(
            f"{page.where()}: {{glue:text}}`{content}` names no fact of the page "
            f"(known: {', '.join(sorted(page.facts)) or 'none'})"
        )
    value = page.facts[name]
    return format(value, spec) if spec else str(value)


def _link(target: str, page: PageContext) -> str:
    """A link from notebooks/ to what ``{doc}`target``` names on the website."""
    docname = (Path(page.docname).parent / target).as_posix()
    docname = re.sub(r"(^|/)[^/]+/\.\./", r"\1", docname).removeprefix("./")
    if docname in PAGES:
        return f"{PAGES[docname]}.ipynb"
    for suffix in (".ipynb", ".md"):
        if (REPO_ROOT / f"{docname}{suffix}").exists():
            return f"../{docname}{suffix}"
    raise ValueError(f"{page.where()}: {{doc}}`{target}` names no page of the course")


def convert_markdown(source: str, page: PageContext) -> list[nbformat.NotebookNode]:
    """One Markdown cell of a page as notebook cells (a self-check becomes a code cell)."""
    cells: list[nbformat.NotebookNode] = []
    text: list[str] = []
    lines = source.splitlines()
    i = 0
    while i < len(lines):
        start = DIRECTIVE_START.match(lines[i])
        if LABEL_LINE.match(lines[i]):
            i += 1
            continue
        if not start:
            text.append(convert_inline(lines[i], page))
            i += 1
            continue
        end = _closing_line(lines, i, start["colons"], page)
        options, body = _options_and_body(lines[i + 1 : end])
        name = start["name"]
        if name == "quiz":
            _flush(text, cells)
            cells += quiz_cells(options.get("title", "this page"), body, page)
        elif name == "admonition" or name in ADMONITION_TITLES:
            if WEBSITE_ONLY_CLASS not in options.get("class", "").split():
                title = start["argument"].strip() or ADMONITION_TITLES.get(name, "Note")
                text += _block_quote(title, body, page)
        else:
            raise ValueError(f"{page.where()}: the directive {{{name}}} has no notebook form")
        i = end + 1
    _flush(text, cells)
    return cells


def _closing_line(lines: list[str], start: int, colons: str, page: PageContext) -> int:
    for j in range(start + 1, len(lines)):
        if lines[j].rstrip() == colons:
            return j
    raise ValueError(f"{page.where()}: the directive opened by {lines[start]!r} is not closed")


def _options_and_body(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    options: dict[str, str] = {}
    while lines and re.match(r"^:[\w-]+:", lines[0]):
        key, _, value = lines[0][1:].partition(":")
        options[key] = value.strip()
        lines = lines[1:]
    return options, lines


def _block_quote(title: str, body: list[str], page: PageContext) -> list[str]:
    converted = [convert_inline(line, page) for line in body]
    while converted and not converted[0].strip():
        converted.pop(0)
    return [f"> **{title}**", ">"] + [f"> {line}".rstrip() for line in converted]


def _flush(text: list[str], cells: list[nbformat.NotebookNode]) -> None:
    content = "\n".join(text).strip("\n")
    if content.strip():
        cells.append(nbformat.v4.new_markdown_cell(content))
    text.clear()


# --- self-checks ---------------------------------------------------------------------------


def quiz_questions(body: list[str], page: PageContext) -> list[selfcheck.Question]:
    """The numbered questions of a ``{quiz}`` block, with their answers and explanations."""
    from markdown_it import MarkdownIt

    render = MarkdownIt("commonmark").render
    items: list[list[str]] = []
    for line in body:
        if re.match(r"^\d+\.\s", line):
            items.append([re.sub(r"^\d+\.\s+", "", line)])
        elif items:
            items[-1].append(line)
    questions = []
    for number, item in enumerate(items, start=1):
        lines = [item[0]] + textwrap.dedent("\n".join(item[1:])).splitlines()
        starts = [k for k, line in enumerate(lines) if line.strip().startswith(":::{spoiler}")]
        if not starts:
            raise ValueError(f"{page.where()}: self-check question {number} has no explanation")
        prompt = "\n".join(lines[: starts[0]])
        explanation = "\n".join(line for line in lines[starts[0] + 1 :] if line.strip() != ":::")
        role = re.search(r"\{quiz\}`(\{.*?\})`", prompt, flags=re.S)
        if not role:
            raise ValueError(f"{page.where()}: self-check question {number} has no answer")
        spec = json.loads(role[1])
        prompt = prompt.replace(role[0], "").strip()
        questions.append(
            selfcheck.Question(
                kind=spec["type"],
                answer=str(spec["answer"]),
                options=tuple(spec["values"].split(",")) if "values" in spec else (),
                prompt_html=render(convert_inline(prompt, page)).strip(),
                explanation_html=render(convert_inline(explanation, page)).strip(),
            )
        )
    return questions


def quiz_cells(title: str, body: list[str], page: PageContext) -> list[nbformat.NotebookNode]:
    """A short instruction and the hidden cell that shows the self-check form."""
    questions = quiz_questions(body, page)
    note = nbformat.v4.new_markdown_cell(
        f"Run the next cell for {len(questions)} self-check questions. Each answer is checked "
        "when you press *Check*; an explanation follows."
    )
    code = nbformat.v4.new_code_cell(
        "from defence_course.selfcheck import self_check\n\n"
        f'self_check("{selfcheck.encode(title, questions)}")'
    )
    code.metadata["jupyter"] = {"source_hidden": True}
    code.metadata["tags"] = ["self-check"]
    return [note, code]


# --- the notebook --------------------------------------------------------------------------


def citation_text(source_id: str) -> str:
    """'[Publisher, date](url)' for a ``{cite}`` key (an entry of data/sources.csv)."""
    from defence_course import data

    sources = data.load_dataset("sources").set_index("source_id")
    if source_id not in sources.index:
        raise ValueError(f"{{cite}}`{source_id}`: no such source in data/sources.csv")
    row = sources.loc[source_id]
    label = f"{row['publisher']}, {row['published']}"
    return f"[{label}]({row['url']})" if isinstance(row["url"], str) else label


def page_notebook(
    docname: str, executed: nbformat.NotebookNode | None = None
) -> nbformat.NotebookNode:
    """The reader's notebook of page ``docname`` (with ``executed``'s outputs if given)."""
    import jupytext

    if docname not in PAGES:
        raise ValueError(f"no reader's notebook for page {docname!r}; pages: {', '.join(PAGES)}")
    source = jupytext.read(REPO_ROOT / f"{docname}.md")
    code_sources = [c for c in source.cells if c.cell_type == "code"]
    if not code_sources or "remove-cell" not in code_sources[0].metadata.get("tags", []):
        raise ValueError(
            f"{docname}.md: the first code cell must be the setup cell (tagged remove-cell)"
        )
    page = PageContext(docname, page_facts(code_sources[0].source, docname), citation_text)
    outputs = _executed_outputs(executed, len(code_sources), docname)

    cells: list[nbformat.NotebookNode] = []
    code_index = 0
    for cell in source.cells:
        if cell.cell_type == "markdown":
            cells += convert_markdown(cell.source, page)
            if code_index == 0 and not any(c.metadata.get("tags") == ["install"] for c in cells):
                cells += install_cells()
            continue
        new = setup_cell(cell, page) if code_index == 0 else code_cell(cell)
        if outputs is not None:
            new.outputs = reader_outputs(outputs[code_index])
        cells.append(new)
        code_index += 1
    notebook = nbformat.v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "defence_course": {
                "page": docname,
                "generated_by": "python -m defence_course notebooks",
            },
        },
    )
    name = PAGES[docname]
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"{name}-{index:02d}"
    return notebook


def _executed_outputs(
    executed: nbformat.NotebookNode | None, count: int, docname: str
) -> list[list[Any]] | None:
    if executed is None:
        return None
    code = [c for c in executed.cells if c.cell_type == "code"]
    if len(code) != count:
        raise ValueError(
            f"{docname}: the executed notebook has {len(code)} code cells, the page "
            f"{count}; build the website again"
        )
    return [c.get("outputs", []) for c in code]


def notebook_text(notebook: nbformat.NotebookNode) -> str:
    """The notebook as written to disk (stable, so that a test can compare it)."""
    return nbformat.writes(notebook) + "\n"


def write_notebooks(out_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Write every page's reader's notebook (without outputs) and return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for docname, name in PAGES.items():
        path = out_dir / f"{name}.ipynb"
        path.write_text(notebook_text(page_notebook(docname)), encoding="utf-8")
        written.append(path)
    return written


def stale_notebooks(out_dir: Path = NOTEBOOKS_DIR) -> list[str]:
    """Names of committed notebooks that differ from what their pages give today."""
    stale = []
    for docname, name in PAGES.items():
        path = out_dir / f"{name}.ipynb"
        if not path.exists() or path.read_text(encoding="utf-8") != notebook_text(
            page_notebook(docname)
        ):
            stale.append(f"notebooks/{name}.ipynb")
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m defence_course notebooks",
        description="Write the reader's notebook of every page to notebooks/.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="only report notebooks that are out of date (exit status 1)",
    )
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_notebooks()
        for name in stale:
            print(f"out of date: {name} (run: python -m defence_course notebooks)")
        return 1 if stale else 0
    for path in write_notebooks():
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    return 0
