"""Benchmark the notebook explorers in a live kernel: control change to updated chart.

Starts JupyterLab from the course's virtual environment on localhost (as
tests/test_notebooks_lab.py does) with a scratch notebook in a temporary folder, one cell per
explorer (``explorers.show(name)`` after ``setup_notebook()``), runs it in headless Chromium and
then, for each explorer, makes ~20 control changes the way a reader does (keyboard on a
slider or a checkbox, the next option picked in a drop-down, a click on a toggle button). For
each change it measures, inside the page, the time from the input event (keydown, mousedown or
the drop-down's input event) to the last change of the explorer's chart: a DOM mutation in the
chart's Vega view (SVG) or a drawing call on its canvas. The chart counts as updated once
nothing in it has changed for 400 ms with the kernel idle.
A whole-chart redraw (new output, new Vega view) and an in-place update of the same view are
timed the same way, so the two designs compare fairly.

Network: every request to another host is blocked, except that requests for Vega, Vega-Lite
and Vega-Embed on cdn.jsdelivr.net are answered from the copy that vl-convert-python ships
(Altair's HTML output loads them from there; without this a chart that needs the CDN would not
draw at all and could not be timed). The table says how many such requests there were.

Target: <= 30 ms median and <= 100 ms worst per explorer. The last column, the median time to
the first change in the chart, shows how much of the total is the update settling (a redraw
that clears the old chart first, or several passes of Vega).

Run: .venv/bin/python scripts/benchmark_explorers_lab.py [--changes 20] [--explorers a,b]
     [--no-cdn]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

from defence_course.paths import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT))
from tests.lab import JupyterLab, LabPage, RefusingProxy, launch_chromium  # noqa: E402

EXPLORERS = ("attrition", "opinion", "fleet", "obligations", "council")
NOTEBOOK = "explorers.ipynb"
QUIET_MS = 400
TARGET_MEDIAN_MS, TARGET_WORST_MS = 30, 100

# In-page instrumentation, installed before JupyterLab's own scripts.
BENCH_JS = r"""
window.dcBench = {armed: false, start: null, startEvent: null, first: null, last: null,
                  changes: 0, target: null, observer: null};
(function () {
  const CHART = '.vega-embed, [id^="altair-viz-"]';
  const note = node => {
    const b = window.dcBench;
    if (!b.armed || !b.target || !node || !b.target.contains(node)) return;
    b.last = performance.now();
    if (b.first === null) b.first = b.last;
    b.changes++;
  };
  // Vega's canvas renderer draws on the same <canvas> again: no DOM mutation to observe.
  const proto = CanvasRenderingContext2D.prototype;
  for (const name of ['fill', 'stroke', 'fillText', 'strokeText', 'fillRect', 'strokeRect',
                      'clearRect', 'drawImage', 'restore']) {
    const original = proto[name];
    proto[name] = function (...args) { note(this.canvas); return original.apply(this, args); };
  }
  for (const type of ['keydown', 'mousedown', 'pointerdown', 'input', 'change']) {
    document.addEventListener(type, () => {
      const b = window.dcBench;
      if (b.armed && b.start === null) { b.start = performance.now(); b.startEvent = type; }
    }, true);
  }
  dcBench.watch = el => {
    if (dcBench.observer) dcBench.observer.disconnect();
    dcBench.target = el;
    dcBench.observer = new MutationObserver(records => {
      for (const r of records) {
        const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
        const inChart = node && node.closest && node.closest(CHART);
        const added = Array.from(r.addedNodes).some(n => n.nodeType === 1
          && (n.matches(CHART + ', svg, canvas') || n.querySelector(CHART + ', svg, canvas')));
        if (inChart || added) note(node);
      }
    });
    dcBench.observer.observe(el, {subtree: true, childList: true, attributes: true,
                                  characterData: true});
  };
  dcBench.arm = () => Object.assign(dcBench, {armed: true, start: null, startEvent: null,
                                              first: null, last: null, changes: 0});
  dcBench.read = () => ({start: dcBench.start, startEvent: dcBench.startEvent,
                         first: dcBench.first, last: dcBench.last, changes: dcBench.changes,
                         now: performance.now()});
})();
"""

# The explorer's value controls, by kind (buttons such as Reset or presets are left out).
CONTROLS = {
    "slider": ".widget-slider [role=slider]",
    "dropdown": ".widget-dropdown select",
    "checkbox": ".widget-checkbox input[type=checkbox]",
    "toggle": ".widget-toggle-buttons button",
    "multiple": ".widget-select-multiple select",
}


def scratch_notebook(names: list[str]) -> dict:
    def cell(source: str) -> dict:
        return {
            "cell_type": "code",
            "metadata": {},
            "source": source,
            "outputs": [],
            "execution_count": None,
        }

    cells = [cell("from defence_course import explorers, setup_notebook\n\nsetup_notebook()")]
    cells += [cell(f'explorers.show("{name}")') for name in names]
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def cdn_answers():
    """Answers for Altair's CDN requests from the copy of Vega that vl-convert-python ships."""
    import vl_convert
    from altair.utils.html import vl_version_for_vl_convert

    bundle = None

    def answer(url: str):
        nonlocal bundle
        parts = urlsplit(url)
        if parts.hostname != "cdn.jsdelivr.net":
            return None
        if parts.path.startswith("/npm/vega@"):
            if bundle is None:  # defines window.vega, window.vegaLite and window.vegaEmbed
                bundle = vl_convert.javascript_bundle(vl_version=vl_version_for_vl_convert())
            return "application/javascript", bundle
        if parts.path.startswith(("/npm/vega-lite@", "/npm/vega-embed@")):
            return "application/javascript", "/* already in the vega bundle */"
        return None

    return answer


def kernel_status(lab_page: LabPage) -> str | None:
    return lab_page.page.evaluate(
        "p => { const s = dcLab.panel(p).sessionContext.session;"
        " return s && s.kernel ? s.kernel.status : null; }",
        NOTEBOOK,
    )


def change(page, control, kind: str) -> None:
    """One change of ``control`` as a reader makes it."""
    if kind == "slider":
        at_max = control.get_attribute("aria-valuenow") == control.get_attribute("aria-valuemax")
        control.focus()
        page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
    elif kind in ("dropdown", "multiple"):
        # Chromium's arrow keys open a closed <select> rather than change it: pick the next
        # option as a reader does from the list (the input event starts the clock).
        index = control.evaluate("s => (Math.max(s.selectedIndex, 0) + 1) % s.options.length")
        control.select_option(index=index)
    elif kind == "checkbox":
        control.focus()
        page.keyboard.press("Space")
    elif kind == "toggle":
        control.click()


def next_control(kinds: dict, order: list[str], turn: dict, number: int):
    """The control for change ``number``: kinds in turn, and the controls of a kind in turn,
    skipping one that cannot change now."""
    for shift in range(len(order)):
        kind = order[(number + shift) % len(order)]
        for _ in range(len(kinds[kind])):
            control = kinds[kind][turn[kind] % len(kinds[kind])]
            turn[kind] += 1
            if can_change(kind, control):
                return kind, control
    return None


def can_change(kind: str, control) -> bool:
    """False for a drop-down with one option, or the toggle button already pressed."""
    if kind in ("dropdown", "multiple"):
        return control.evaluate("s => s.options.length > 1 && !s.disabled")
    if kind == "toggle":
        return "mod-active" not in (control.get_attribute("class") or "")
    return control.is_enabled()


def label(control) -> str:
    """The control's visible label (its description) and, for a select, the new value."""
    return control.evaluate(
        "el => { const w = el.closest('.jupyter-widgets:not(.widget-container)') || el;"
        " const l = w.querySelector('.widget-label, label'); const text = (l ? l.innerText :"
        " el.innerText || '').trim(); return el.tagName === 'SELECT' ?"
        " text + ' = ' + (el.selectedOptions[0] || {}).text : text; }"
    )


def measure(lab_page: LabPage, cell_index: int, changes: int, timeout: float = 15) -> dict:
    page = lab_page.page
    cell = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(
        cell_index
    )
    page.evaluate(
        "([p, i]) => { const n = dcLab.panel(p).content.widgets[i].node;"
        " n.scrollIntoView({block: 'start'});"
        " dcBench.watch(n.querySelector('.jp-Cell-outputWrapper')); }",
        [NOTEBOOK, cell_index],
    )
    kinds = {kind: cell.locator(selector).all() for kind, selector in CONTROLS.items()}
    kinds = {kind: found for kind, found in kinds.items() if found}
    order = list(kinds)
    turn = dict.fromkeys(order, 0)
    times: list[float] = []
    firsts: list[float] = []
    no_redraw: list[str] = []
    for number in range(changes):
        picked = next_control(kinds, order, turn, number)
        if picked is None:
            no_redraw.append("no control could change")
            continue
        kind, control = picked
        page.evaluate("() => dcBench.arm()")
        change(page, control, kind)
        deadline = time.monotonic() + timeout
        state = page.evaluate("() => dcBench.read()")
        while time.monotonic() < deadline:
            page.wait_for_timeout(100)
            state = page.evaluate("() => dcBench.read()")
            idle = kernel_status(lab_page) == "idle"
            if state["last"] is not None and idle and state["now"] - state["last"] > QUIET_MS:
                break
            if (
                state["last"] is None
                and idle
                and state["start"] is not None
                and state["now"] - state["start"] > 3000
            ):
                break  # the kernel has answered and nothing in the chart changed
        page.evaluate("() => { dcBench.armed = false; }")
        if state["start"] is None or state["last"] is None:
            no_redraw.append(f"{kind} {label(control)!r}")
        else:
            times.append(state["last"] - state["start"])
            firsts.append(state["first"] - state["start"])
    return {"times": times, "firsts": firsts, "no_redraw": no_redraw, "kinds": order}


def wait_for_charts(lab_page: LabPage, cells: list[int], timeout: float = 60) -> list[str]:
    """Wait until each explorer's chart is drawn (or shows an error); return the kinds."""
    deadline = time.monotonic() + timeout
    kinds: list[str] = []
    while time.monotonic() < deadline:
        report = lab_page.report(NOTEBOOK)
        charts = [report[i]["charts"] for i in cells]
        kinds = [c[0]["kind"] if c else "missing" for c in charts]
        if all(c and (c[0]["drawn"] or "Error" in c[0]["text"]) for c in charts):
            break
        lab_page.page.wait_for_timeout(500)
    return kinds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--explorers", default=",".join(EXPLORERS))
    parser.add_argument(
        "--no-cdn", action="store_true", help="do not answer Altair's CDN requests locally"
    )
    args = parser.parse_args()
    names = [n for n in args.explorers.split(",") if n]
    root = Path(tempfile.mkdtemp(prefix="dc-bench-lab-"))
    try:
        return run(root, names, args)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run(root: Path, names: list[str], args: argparse.Namespace) -> int:
    (root / NOTEBOOK).write_text(json.dumps(scratch_notebook(names)), encoding="utf-8")
    rows = []
    load = os.getloadavg()[0]
    with (
        RefusingProxy() as proxy,
        JupyterLab(root, proxy=proxy) as lab,
        sync_playwright() as playwright,
    ):
        browser = launch_chromium(playwright)
        lab_page = LabPage(
            browser,
            lab,
            viewport=(1400, 1100),
            init_script=BENCH_JS,
            local_answers=None if args.no_cdn else cdn_answers(),
        )
        lab_page.open_notebook(NOTEBOOK)
        started = time.perf_counter()
        state = lab_page.run_all(NOTEBOOK)
        if state["executed"] != state["code"]:
            print(f"the scratch notebook stopped with an error: {state}")
            return 1
        cells = list(range(1, len(names) + 1))
        renderers = wait_for_charts(lab_page, cells)
        print(f"notebook run and charts drawn in {time.perf_counter() - started:.1f} s")
        for name, index, renderer in zip(names, cells, renderers, strict=True):
            result = measure(lab_page, index, args.changes)
            rows.append((name, renderer, result))
            print(
                f"{name}: {len(result['times'])} timed, {len(result['no_redraw'])} without "
                "a chart change"
                + "".join(f"\n  no chart change after: {c}" for c in result["no_redraw"]),
                flush=True,
            )
        messages = [m for m in lab_page.kernel_messages(NOTEBOOK) if m["type"] == "error"]
        log = lab_page.log
        lab_page.close()
        browser.close()
    print()
    print(
        f"Control change to updated chart, {args.changes} changes per explorer "
        f"(target: median <= {TARGET_MEDIAN_MS} ms, worst <= {TARGET_WORST_MS} ms)"
    )
    print()
    print(
        "| explorer | chart | controls used | timed | median | worst | no chart change | "
        "target met | first change, median |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, renderer, result in rows:
        times = result["times"]
        if times:
            median, worst = statistics.median(times), max(times)
            met = "yes" if median <= TARGET_MEDIAN_MS and worst <= TARGET_WORST_MS else "no"
            cells_text = f"{median:.0f} ms | {worst:.0f} ms"
            first = f"{statistics.median(result['firsts']):.0f} ms"
        else:
            met, cells_text, first = "no", "- | -", "-"
        print(
            f"| {name} | {renderer} | {', '.join(result['kinds'])} | {len(times)} | "
            f"{cells_text} | {len(result['no_redraw'])} | {met} | {first} |"
        )
    print()
    print(
        f"Load average (1 min) at the start and the end: {load:.1f}, "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: a busy machine adds latency."
    )
    print(
        f"CDN requests answered from vl-convert's copy of Vega: {len(log.served_locally)}; "
        f"off-site requests blocked: {len(log.blocked)}; refused to the kernel: "
        f"{len(proxy.attempts)}; kernel errors: {len(messages)}"
    )
    for message in messages[:3]:
        print(message["text"][:600])
    return 0


if __name__ == "__main__":
    sys.exit(main())
