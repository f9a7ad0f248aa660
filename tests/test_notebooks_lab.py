"""The notebook experience in a real JupyterLab with the network closed.

JupyterLab from the course's virtual environment serves a temporary copy of chapter 1's notebook
and of the threat assignment; Debian's Chromium, with every request to a host other than
localhost blocked and recorded, opens each one, runs all cells and checks what a reader sees:
every chart drawn, the explorer answering its controls, no raw MyST markup or quiz answer, no
traceback, and nothing fetched from elsewhere. Screenshots go to test-artifacts/lab/.

Run: .venv/bin/python -m pytest tests/test_notebooks_lab.py (or -m lab).
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from defence_course.paths import REPO_ROOT
from defence_course.teach import assignments

from .lab import JupyterLab, LabPage, RefusingProxy

pytestmark = pytest.mark.lab

ARTIFACTS = REPO_ROOT / "test-artifacts" / "lab"
# The generated chapter notebook; until it exists, the chapter's MyST source opened as a
# notebook through jupytext (what `make lab` and Binder showed before it).
CHAPTER_NOTEBOOK = Path("notebooks/01_threat.ipynb")
CHAPTER_SOURCE = Path("chapters/01_threat.md")
STUDENT_NOTEBOOK = Path("exercises/threat/student/threat.ipynb")

# Visible text that would mean MyST markup reached the reader unrendered, or a self-check
# answer is shown before the reader has answered.
RAW_MARKUP = ("{glue", "{term}", "{cite}", "{doc}", ":::", "::::{quiz}", "{quiz}", '"answer"')
# The names of the chapter's glued numbers: a MyST renderer without the executed glue shows
# the name ("threat_incident_count") where the number should be.
GLUE_NAMES = tuple(
    sorted(
        set(
            re.findall(
                r"\{glue(?::\w+)?\}`(\w+)`",
                (REPO_ROOT / CHAPTER_SOURCE).read_text(encoding="utf-8"),
            )
        )
    )
)


@dataclass
class Case:
    name: str
    path: str  # relative to the server's root
    expected_charts: int
    notebook: dict = field(repr=False, default_factory=dict)


def chapter_path() -> Path:
    return (
        CHAPTER_NOTEBOOK
        if (REPO_ROOT / CHAPTER_NOTEBOOK).exists()
        else CHAPTER_SOURCE.with_suffix(".ipynb")
    )


def chapter_notebook() -> dict:
    if (REPO_ROOT / CHAPTER_NOTEBOOK).exists():
        return json.loads((REPO_ROOT / CHAPTER_NOTEBOOK).read_text(encoding="utf-8"))
    import jupytext

    return json.loads(jupytext.writes(jupytext.read(REPO_ROOT / CHAPTER_SOURCE), fmt="ipynb"))


def chart_cells(notebook: dict) -> list[int]:
    """Code cells that show a chart: those whose last line calls a function of the chapter's
    figures module (``threat = start_chapter("threat")``, or imported) or an explorer (each
    explorer has one chart)."""
    sources = ["".join(c["source"]) for c in notebook["cells"]]
    imported = r"^from defence_course\.figures import (\w+)|^(\w+) = start_chapter\("
    modules = {
        name
        for source in sources
        for names in re.findall(imported, source, re.M)
        for name in names
        if name
    }
    names = "|".join(modules or ["_"])
    shows = re.compile(rf"(explorers\.show|({names})\.\w+)\(")
    return [
        i
        for i, (cell, source) in enumerate(zip(notebook["cells"], sources, strict=True))
        if cell["cell_type"] == "code"
        and source.strip()
        and shows.match(source.strip().splitlines()[-1])
    ]


def solutions(master: dict) -> dict[str, str]:
    """The master's solution code, by the variable each solution assigns (otter's markers
    removed, the prompt versions dropped)."""
    found: dict[str, str] = {}
    cells = master["cells"]
    for before, cell in zip(cells, cells[1:], strict=False):
        if (
            before["cell_type"] != "raw"
            or not "".join(before["source"]).startswith("# BEGIN SOLUTION")
            or cell["cell_type"] != "code"
        ):
            continue
        source = re.sub(
            r"''' # BEGIN PROMPT.*?''' # END PROMPT\n?",
            "",
            "".join(cell["source"]),
            flags=re.DOTALL,
        )
        lines = [
            re.sub(r"\s*# SOLUTION$", "", line)
            for line in source.splitlines()
            if line.strip() not in ("# BEGIN SOLUTION NO PROMPT", "# END SOLUTION")
        ]
        for name in re.findall(r"^(\w+)\s*=", "\n".join(lines), flags=re.MULTILINE):
            found[name] = "\n".join(lines)
    return found


def answered(student: dict, master: dict) -> dict:
    """The student notebook with every code answer filled in from the master's solutions."""
    notebook = json.loads(json.dumps(student))
    known = solutions(master)
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code" or "otter_answer_cell" not in cell["metadata"].get(
            "tags", []
        ):
            continue
        names = re.findall(r"^(\w+)\s*=\s*\.\.\.", "".join(cell["source"]), flags=re.MULTILINE)
        assert names and names[0] in known, f"no solution for answer cell {cell['source']}"
        cell["source"] = known[names[0]]
    return notebook


def write(notebook: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")


@pytest.fixture(scope="session")
def lab_root(tmp_path_factory) -> tuple[Path, list[Case]]:
    """A temporary copy of the notebooks: running all cells autosaves outputs into them."""
    root = tmp_path_factory.mktemp("lab")
    chapter = chapter_notebook()
    write(chapter, root / chapter_path())
    student = json.loads((REPO_ROOT / STUDENT_NOTEBOOK).read_text(encoding="utf-8"))
    # The master as the public class meets it: some of its text is a variant's parameter.
    master = json.loads(nbformat.writes(assignments.rendered_master(assignments.get("threat"))))
    write(student, root / STUDENT_NOTEBOOK)
    # A student who has answered everything correctly; otter looks for "threat.ipynb" in the
    # notebook's folder, so the answered copy keeps the name, in a folder of its own.
    answered_path = Path("answered") / STUDENT_NOTEBOOK.name
    write(answered(student, master), root / answered_path)
    cases = [
        Case("chapter", str(chapter_path()), len(chart_cells(chapter)), chapter),
        # Unanswered, the student notebook draws no chart (drone_chart is still `...`).
        Case("student", str(STUDENT_NOTEBOOK), 0, student),
        # Answered, question 4 draws the student's own Altair chart.
        Case("student-answered", str(answered_path), 1),
    ]
    return root, cases


@pytest.fixture(scope="session")
def lab_page(lab_root, chromium):
    root, _ = lab_root
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    with (
        RefusingProxy() as proxy,
        JupyterLab(root, log_path=ARTIFACTS / "jupyterlab.log", proxy=proxy) as lab,
    ):
        page = LabPage(chromium, lab)
        yield page
        page.close()
        # For diagnosis only: JavaScript errors (a chart that failed to load logs one).
        (ARTIFACTS / "browser-errors.txt").write_text(
            "\n".join(
                [f"page error: {e}" for e in page.log.page_errors]
                + [f"console error: {e}" for e in page.log.console_errors]
                + [f"failed request: {e}" for e in page.log.failed]
            )
            + "\n",
            encoding="utf-8",
        )


@dataclass
class Run:
    case: Case
    state: dict
    cells: list[dict]
    first_blocked: int  # where this notebook began in the page's blocked requests
    first_refused: int  # and in the proxy's refused ones
    first_log: int  # and in the server's log


@pytest.fixture(scope="session", params=["chapter", "student", "student-answered"])
def run(request, lab_root, lab_page) -> Run:
    """The notebook opened in JupyterLab and run with Run All, once per session."""
    _, cases = lab_root
    case = next(c for c in cases if c.name == request.param)
    first = (
        len(lab_page.log.blocked),
        len(lab_page.lab.proxy.attempts),
        len(lab_page.lab.log_text()),
    )
    lab_page.open_notebook(case.path)
    state = lab_page.run_all(case.path)
    # Widgets and charts render after the kernel is idle: wait until the chart outputs stop
    # changing (or 20 s), so a slow chart is not taken for a missing one.
    lab_page.page.wait_for_timeout(1000)
    cells = settled_report(lab_page, case.path)
    lab_page.page.screenshot(path=str(ARTIFACTS / f"{case.name}-end.png"))
    for cell in cells:
        if cell["charts"] or cell["index"] in chart_cells(case.notebook or {"cells": []}):
            screenshot(lab_page, case.path, cell["index"], f"{case.name}-cell{cell['index']:02d}")
    (ARTIFACTS / f"{case.name}-cells.json").write_text(
        json.dumps({"state": state, "cells": cells}, indent=1), encoding="utf-8"
    )
    return Run(case, state, cells, *first)


def screenshot(lab_page: LabPage, path: str, index: int, name: str) -> None:
    """The window with cell ``index`` scrolled to the top: what the reader sees of it."""
    lab_page.page.evaluate(
        "([p, i]) => dcLab.panel(p).content.widgets[i].node.scrollIntoView({block: 'start'})",
        [path, index],
    )
    lab_page.page.wait_for_timeout(200)
    lab_page.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def settled_report(lab_page: LabPage, path: str, timeout_ms: int = 20000) -> list[dict]:
    """The notebook's report once its chart outputs have stopped changing: all drawn, or the
    same for 6 s (a chart that failed shows its error and stays so)."""
    previous, stable, waited = None, 0, 0
    while True:
        cells = lab_page.report(path)
        charts = [(c["index"], d["signature"], d["text"]) for c in cells for d in c["charts"]]
        stable = stable + 1 if charts == previous else 0
        drawn = all(d["drawn"] for c in cells for d in c["charts"])
        if (stable >= 1 and drawn) or stable >= 6 or waited >= timeout_ms:
            return cells
        previous = charts
        lab_page.page.wait_for_timeout(1000)
        waited += 1000


def test_jupyterlab_itself_requests_nothing_offsite(lab_page):
    # Opening JupyterLab, before any notebook: the server runs without news or update checks,
    # and the page must not fetch fonts, scripts or telemetry from elsewhere.
    assert not lab_page.startup_blocked, lab_page.startup_blocked


def test_every_cell_runs_without_a_traceback(run, lab_page):
    code = [c for c in run.cells if c["type"] == "code"]
    not_run = [c["index"] for c in code if c["execution_count"] is None]
    errors = [
        f"cell {c['index']}: {o['ename']}: {o['evalue']}"
        for c in code
        for o in c["outputs"]
        if o["output_type"] == "error"
    ]
    # Tracebacks printed to stderr, also inside widget outputs (an explorer's callback).
    failed = {c["index"] for c in code for o in c["outputs"] if o["output_type"] == "error"}
    printed = [
        f"cell {c['index']}: {text[:500]}"
        for c in run.cells
        for text in c["stderr"]
        if ("Traceback" in text or "Error" in text) and c["index"] not in failed
    ]
    printed += [
        f"cell {c['index']}: {c['output_text'][:500]}"
        for c in run.cells
        if "Traceback (most recent call last)" in c["output_text"] and c["index"] not in failed
    ]
    # Errors the kernel reported outside any cell output, and tracebacks it only logged.
    elsewhere = [
        m["text"][:800]
        for m in lab_page.kernel_messages(run.case.path)
        if m["cause"] != "execute_request" and is_error(m)
    ]
    logged = kernel_tracebacks(lab_page.lab.log_text()[run.first_log :])
    assert not errors and not printed and not not_run and not elsewhere and not logged, (
        f"errors: {errors}\nprinted tracebacks: {printed}\ncells never run: {not_run}\n"
        f"errors outside the cells: {elsewhere}\ntracebacks in the server's log: {logged}"
    )


def is_error(message: dict) -> bool:
    return (
        message["type"] == "error" or "Traceback" in message["text"] or "Error" in message["text"]
    )


def kernel_tracebacks(log: str) -> list[str]:
    return [log[m.start() : m.start() + 1500] for m in re.finditer(r"Traceback \(most recent", log)]


def test_every_chart_draws(run):
    charts = [(c["index"], d) for c in run.cells for d in c["charts"]]
    drawn = [(i, d) for i, d in charts if d["drawn"]]
    undrawn = [
        f"cell {i}: {d['kind']} with {d['marks']} marks, showing {d['text']!r}"
        for i, d in charts
        if not d["drawn"]
    ]
    # A layer whose every mark has no size is a part of the chart the reader cannot see.
    undrawn += [
        f"cell {i}: a layer draws nothing visible ({', '.join(d['unseen'])})"
        for i, d in charts
        if d["drawn"] and d["unseen"]
    ]
    expected = run.case.expected_charts
    assert not undrawn and len(drawn) == expected, (
        f"{expected} charts expected, {len(charts)} chart outputs, {len(drawn)} with marks\n"
        + "\n".join(undrawn)
    )


def test_no_raw_markup_or_quiz_answer(run):
    # Rendered text must be there to be checked at all (otter's <!-- --> markers render empty).
    blank = [
        c["index"]
        for c in run.cells
        if c["type"] == "markdown"
        and re.sub(r"<!--.*?-->", "", c["source"], flags=re.DOTALL).strip()
        and not c["markdown_text"].strip()
    ]
    assert not blank, f"markdown cells with no rendered text: {blank}"
    found = []
    for cell in run.cells:
        for label, text in (("markdown", cell["markdown_text"]), ("output", cell["output_text"])):
            for token in RAW_MARKUP + GLUE_NAMES:
                if token in text:
                    at = text.index(token)
                    found.append(
                        f"cell {cell['index']} {label}: {token!r} in "
                        f"{text[max(0, at - 60) : at + 80]!r}"
                    )
    assert not found, "\n".join(found)


def test_student_sees_feedback_not_errors(run):
    """grader.check answers every question: unanswered, it says what to do; answered, it
    passes."""
    if not run.case.name.startswith("student"):
        pytest.skip("student notebooks only")
    checks = [c for c in run.cells if c["type"] == "code" and "grader.check(" in c["source"]]
    assert checks, "no grader.check cell"
    for cell in checks:
        text = cell["output_text"]
        if run.case.name == "student":
            assert "replace the three dots" in text, f"cell {cell['index']}: {text[:600]}"
        else:
            assert "passed" in text and "failed" not in text, f"cell {cell['index']}: {text[:600]}"


def test_explorer_responds_to_the_keyboard(run, lab_page):
    if run.case.name != "chapter":
        pytest.skip("the chapter has the explorer")
    explorer = next(
        (c for c in run.cells if c["type"] == "code" and "explorers.show(" in c["source"]), None
    )
    assert explorer is not None, "no explorer cell in the chapter notebook"
    cell = lab_page.cell(run.case.path, explorer["index"])
    handle = cell.locator(".widget-slider [role=slider]").first
    assert handle.count(), "the explorer shows no slider"
    before = explorer_view(lab_page, run.case.path, explorer["index"])
    log_start = len(lab_page.lab.log_text())
    messages_start = len(lab_page.kernel_messages(run.case.path))
    screenshot(lab_page, run.case.path, explorer["index"], "explorer-before")
    handle.focus()
    at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    lab_page.page.keyboard.press("Home" if at_max else "End")
    after = before
    for _ in range(30):  # up to 15 s for the kernel to answer and the chart to redraw
        lab_page.page.wait_for_timeout(500)
        after = explorer_view(lab_page, run.case.path, explorer["index"])
        if after["charts"] != before["charts"] and all(d["drawn"] for d in after["drawn"]):
            break
    # Then let the kernel finish handling the change (the result text, any error).
    lab_page.wait_until(run.case.path, lambda s: s["kernel"] == "idle", 15, "the kernel")
    after = explorer_view(lab_page, run.case.path, explorer["index"])
    screenshot(lab_page, run.case.path, explorer["index"], "explorer-after")
    # An exception in a widget callback is not shown in the notebook: JupyterLab puts it in
    # its log console, or the kernel only logs it.
    raised = [
        m["text"][:800]
        for m in lab_page.kernel_messages(run.case.path)[messages_start:]
        if is_error(m)
    ] + kernel_tracebacks(lab_page.lab.log_text()[log_start:])
    assert not raised, f"the explorer's update raised: {raised}"
    assert after["text"] != before["text"], "the explorer's result text did not change"
    assert before["drawn"] and all(d["drawn"] for d in before["drawn"]), (
        f"the explorer's chart was not drawn before the change: {before['drawn']}"
    )
    assert after["drawn"] and all(d["drawn"] for d in after["drawn"]), (
        f"the explorer's chart was not drawn after the change: {after['drawn']}"
    )
    assert after["charts"] != before["charts"], "the explorer's chart did not change"


def explorer_view(lab_page: LabPage, path: str, index: int) -> dict:
    cell = next(c for c in lab_page.report(path) if c["index"] == index)
    return {
        "charts": [d["signature"] for d in cell["charts"]],
        "drawn": cell["charts"],
        "text": lab_page.page.evaluate(
            "([p, i]) => Array.from(dcLab.panel(p).content.widgets[i].node"
            ".querySelectorAll('.widget-html-content')).map(e => e.innerText).join('\\n')",
            [path, index],
        ),
    }


def test_nothing_offsite(run, lab_page):
    # Last for each notebook, so it also covers the explorer's redraws. The browser's requests
    # are blocked by Playwright; the kernel's (pip, urllib...) are refused by the proxy.
    blocked = lab_page.log.blocked[run.first_blocked :]
    refused = lab_page.lab.proxy.attempts[run.first_refused :]
    with open(ARTIFACTS / "offsite-requests.txt", "a", encoding="utf-8") as out:
        out.write(
            f"# {run.case.name} ({run.case.path}): {len(blocked)} blocked in the "
            f"browser, {len(refused)} refused to the server or kernel\n"
        )
        out.writelines(f"{url}\n" for url in blocked + refused)
    assert not blocked and not refused, (
        f"the browser tried {len(blocked)} off-site requests: {sorted(set(blocked))}\n"
        f"the server or kernel tried: {refused}"
    )
