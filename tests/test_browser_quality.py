"""Accessibility, small screens, keyboard, toggles, self-checks and launch buttons, page by page.

Each page is opened in headless Chromium with every non-localhost request blocked. axe-core
results are written to test-artifacts/axe/, screenshots (desktop and 390×844) to
test-artifacts/screenshots/ for review.
"""

from __future__ import annotations

import json

import pytest

from defence_course.paths import REPO_ROOT
from defence_course.sitecheck import content_pages

from .browser import PageLog, open_page

pytestmark = pytest.mark.book

ARTIFACTS = REPO_ROOT / "test-artifacts"
PHONE = (390, 844)
SERIOUS = {"serious", "critical"}


def pages(site_dir):
    return [str(p.relative_to(site_dir)) for p in content_pages(site_dir)]


def test_no_serious_or_critical_accessibility_violations(site_dir, site_server, chromium):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    failures = {}
    for relative in pages(site_dir):
        log = PageLog()
        context, page, _ = open_page(chromium, f"{site_server.url}/{relative}", log)
        results = axe.run(page, options={"resultTypes": ["violations", "incomplete"]})
        report = results.response
        name = relative.replace("/", "_").removesuffix(".html")
        (folder / f"{name}.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
        bad = [f"{v['id']} ({v['impact']}): {v['help']} — "
               + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                           for n in v["nodes"][:3])
               for v in report["violations"] if v.get("impact") in SERIOUS]
        if bad:
            failures[relative] = bad
        context.close()
    assert not failures, "\n".join(f"{p}:\n  " + "\n  ".join(v) for p, v in failures.items())


@pytest.mark.parametrize("viewport", [(1280, 900), PHONE], ids=["desktop", "phone"])
def test_pages_fit_the_screen_and_are_captured(site_dir, site_server, chromium, viewport):
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    too_wide = {}
    for relative in pages(site_dir):
        log = PageLog()
        context, page, _ = open_page(chromium, f"{site_server.url}/{relative}", log, viewport)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 1:
            wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right
                             > document.documentElement.clientWidth + 1)
                .slice(0, 3).map(e => e.tagName + '.' + e.className)""")
            too_wide[relative] = f"{overflow}px too wide: {wide}"
        # A chart drawn wider than its own SVG is cut off at the right edge.
        clipped = page.evaluate("""() => [...document.querySelectorAll('.dc-chart-view svg')]
            .filter(svg => {
                const box = svg.getBoundingClientRect();
                return [...svg.querySelectorAll('text, path, rect, line, circle')].some(e => {
                    const r = e.getBoundingClientRect();
                    return r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1);
                });
            })
            .map(svg => svg.getAttribute('aria-label'))""")
        if clipped:
            too_wide[relative] = f"charts cut off at the right: {clipped}"
        name = relative.replace("/", "_").removesuffix(".html")
        page.screenshot(path=str(folder / f"{name}-{viewport[0]}.png"), full_page=True)
        context.close()
    assert not too_wide, "pages scroll horizontally:\n" + "\n".join(
        f"{p}: {v}" for p, v in too_wide.items())


def test_every_self_check_accepts_an_answer_and_gives_feedback(site_dir, site_server, chromium):
    checked = 0
    for relative in pages(site_dir):
        log = PageLog()
        context, page, _ = open_page(chromium, f"{site_server.url}/{relative}", log)
        for quiz in page.locator("div.yaq").all():
            questions = quiz.locator(".yaq-Question")
            for index in range(questions.count()):
                question = questions.nth(index)
                if question.locator("select").count():
                    question.locator("select").select_option(index=1)
                elif question.locator("input").count():
                    question.locator("input").first.fill("1")
                else:
                    question.locator("button, [role=button], [role=radio]").first.click()
            quiz.get_by_role("button", name="Check answers").click()
            for index in range(questions.count()):
                markers = questions.nth(index).locator(
                    ".yaq-correct-marker:not(.yaq-hidden), .yaq-wrong-marker:not(.yaq-hidden)")
                assert markers.count() == 1, f"{relative}: question {index + 1} shows no feedback"
                checked += 1
            explanation = quiz.locator("details.yaq-spoiler-block").first
            if explanation.count():
                explanation.locator("summary").click()
                assert explanation.evaluate("e => e.open"), f"{relative}: explanation won't open"
        context.close()
    assert checked >= 25, f"only {checked} self-check questions found"


def test_toggles_open_and_launch_buttons_are_present(site_dir, site_server, chromium):
    for relative in pages(site_dir):
        log = PageLog()
        context, page, _ = open_page(chromium, f"{site_server.url}/{relative}", log)
        for toggle in page.locator("details.dc-chart-data, details.hide").all()[:4]:
            toggle.locator("summary").first.click()
            assert toggle.evaluate("e => e.open"), f"{relative}: a toggle did not open"
        if relative != "bibliography.html" and page.locator(".cell").count():
            binder = page.locator("a[href*='mybinder.org']")
            assert binder.count(), f"{relative}: no Binder button"
            assert_binder_opens_a_committed_notebook(relative, binder.first.get_attribute("href"))
            assert page.locator(".dropdown-download-buttons").count(), f"{relative}: no download"
        # No button may be offered that cannot work: Live Code (Thebe) needs a CDN and Binder.
        assert not page.locator("button.thebe-launch-button, [onclick*='Thebe']").count(), \
            f"{relative}: a Live Code button is offered"
        context.close()


def assert_binder_opens_a_committed_notebook(relative: str, url: str) -> None:
    """The rocket button opens a notebook that exists in the repository, not a MyST page."""
    from urllib.parse import parse_qs, urlsplit

    from defence_course.paths import REPO_ROOT

    path = parse_qs(urlsplit(url).query)["urlpath"][0].removeprefix("lab/tree/")
    if relative.startswith(("chapters/", "intro", "timeline")):
        assert path.startswith("notebooks/") and path.endswith(".ipynb"), \
            f"{relative}: Binder opens {path}, not the page's notebook"
    assert (REPO_ROOT / path).is_file(), f"{relative}: Binder would open {path}, which is missing"


def test_keyboard_reaches_and_operates_a_self_check(site_dir, site_server, chromium):
    log = PageLog()
    url = f"{site_server.url}/chapters/05_constitutional_limits.html"
    context, page, _ = open_page(chromium, url, log)
    select = page.locator("div.yaq select").first
    for _ in range(400):
        page.keyboard.press("Tab")
        if select.evaluate("e => e === document.activeElement"):
            break
    else:
        pytest.fail("the first self-check question cannot be reached with the Tab key")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert select.input_value() != ""
    button = page.locator("div.yaq").first.get_by_role("button", name="Check answers")
    button.focus()
    page.keyboard.press("Enter")
    question = page.locator("div.yaq .yaq-Question").first
    assert question.locator(".yaq-correct-marker:not(.yaq-hidden), "
                            ".yaq-wrong-marker:not(.yaq-hidden)").count() == 1
    context.close()


OPERATE = """(e) => {
    if (e.type === 'range' || e.type === 'number') {
        e.value = (String(e.value) === String(e.max)) ? e.min : e.max;
    } else if (e.tagName === 'SELECT') {
        e.selectedIndex = (e.selectedIndex + 1) % e.options.length;
    } else if (e.type === 'checkbox' || e.type === 'radio') {
        e.click();
        return;
    }
    e.dispatchEvent(new Event('input', {bubbles: true}));
    e.dispatchEvent(new Event('change', {bubbles: true}));
}"""


def test_every_website_control_changes_its_chart(site_dir, site_server, chromium):
    operated, dead = 0, []
    for relative in pages(site_dir):
        log = PageLog()
        context, page, _ = open_page(chromium, f"{site_server.url}/{relative}", log)
        for view in page.locator(".dc-chart-view").all():
            controls = view.locator(".vega-bind input:not([type=radio]), .vega-bind select, "
                                    ".vega-bind input[type=radio]:not(:checked)")
            for index in range(controls.count()):
                control = controls.nth(index)
                label = control.evaluate("e => e.closest('.vega-bind').innerText.trim()")
                before = view.locator("svg").first.inner_html()
                control.evaluate(OPERATE)
                page.wait_for_timeout(150)
                if view.locator("svg").first.inner_html() == before:
                    dead.append(f"{relative}: '{label[:60]}'")
                operated += 1
        assert not log.problems(), f"{relative}: {log.problems()}"
        context.close()
    assert not dead, "controls that change nothing:\n" + "\n".join(dead)
    assert operated >= 20, f"only {operated} website controls found"
