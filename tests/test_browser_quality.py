"""Accessibility, small screens, keyboard, toggles, self-checks and launch buttons, page by page.

Each page is opened in headless Chromium with every non-localhost request blocked. axe-core
results (light and dark theme) are written to test-artifacts/axe/, screenshots (desktop and
390×844) to test-artifacts/screenshots/ for review.
"""

from __future__ import annotations

import json

import pytest

from defence_course.charts import SPEC_CLASS
from defence_course.paths import REPO_ROOT
from defence_course.sitecheck import content_pages

from .browser import PageLog, open_page, part

pytestmark = pytest.mark.book

ARTIFACTS = REPO_ROOT / "test-artifacts"
PHONE = (390, 844)
SERIOUS = {"serious", "critical"}


def pages(site_dir):
    return [str(p.relative_to(site_dir)) for p in content_pages(site_dir)]


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_no_serious_or_critical_accessibility_violations(site_dir, site_server, chromium, mode):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    failures = {}
    for relative in pages(site_dir):
        log = PageLog()
        context, page, _ = open_page(chromium, f"{site_server.url}/{relative}", log, mode=mode)
        assert page.evaluate("document.documentElement.dataset.theme") == mode
        results = axe.run(page, options={"resultTypes": ["violations", "incomplete"]})
        report = results.response
        name = relative.replace("/", "_").removesuffix(".html")
        (folder / f"{name}-{mode}.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(
                n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                for n in v["nodes"][:3]
            )
            for v in report["violations"]
            if v.get("impact") in SERIOUS
        ]
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
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 1:
            wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right
                             > document.documentElement.clientWidth + 1)
                .slice(0, 3).map(e => e.tagName + '.' + e.className)""")
            too_wide[relative] = f"{overflow}px too wide: {wide}"
        # A chart drawn wider than its own SVG is cut off at the right edge.
        clipped = page.evaluate(
            """view => [...document.querySelectorAll(view + ' svg')]
            .filter(svg => {
                const box = svg.getBoundingClientRect();
                return [...svg.querySelectorAll('text, path, rect, line, circle')].some(e => {
                    const r = e.getBoundingClientRect();
                    return r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1);
                });
            })
            .map(svg => svg.getAttribute('aria-label'))""",
            part("view"),
        )
        if clipped:
            too_wide[relative] = f"charts cut off at the right: {clipped}"
        name = relative.replace("/", "_").removesuffix(".html")
        page.screenshot(path=str(folder / f"{name}-{viewport[0]}.png"), full_page=True)
        context.close()
    assert not too_wide, "pages scroll horizontally:\n" + "\n".join(
        f"{p}: {v}" for p, v in too_wide.items()
    )


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
                    ".yaq-correct-marker:not(.yaq-hidden), .yaq-wrong-marker:not(.yaq-hidden)"
                )
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
        for toggle in page.locator(f"details{part('data')}, details.hide").all()[:4]:
            toggle.locator("summary").first.click()
            assert toggle.evaluate("e => e.open"), f"{relative}: a toggle did not open"
        if relative != "bibliography.html" and page.locator(".cell").count():
            binder = page.locator("a[href*='mybinder.org']")
            assert binder.count(), f"{relative}: no Binder button"
            assert_binder_opens_a_committed_notebook(relative, binder.first.get_attribute("href"))
            assert page.locator(".dropdown-download-buttons").count(), f"{relative}: no download"
        # No button may be offered that cannot work: Live Code (Thebe) needs a CDN and Binder.
        assert not page.locator("button.thebe-launch-button, [onclick*='Thebe']").count(), (
            f"{relative}: a Live Code button is offered"
        )
        context.close()


def assert_binder_opens_a_committed_notebook(relative: str, url: str) -> None:
    """The rocket button opens a notebook that exists in the repository, not a MyST page."""
    from urllib.parse import parse_qs, urlsplit

    from defence_course.paths import REPO_ROOT

    path = parse_qs(urlsplit(url).query)["urlpath"][0].removeprefix("lab/tree/")
    if relative.startswith(("chapters/", "intro", "timeline")):
        assert path.startswith("notebooks/") and path.endswith(".ipynb"), (
            f"{relative}: Binder opens {path}, not the page's notebook"
        )
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
    assert (
        question.locator(
            ".yaq-correct-marker:not(.yaq-hidden), .yaq-wrong-marker:not(.yaq-hidden)"
        ).count()
        == 1
    )
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
        # Inputs kept in a closed list (the Council's states) are operated opened.
        page.evaluate(
            "lists => document.querySelectorAll(lists).forEach(list => { list.open = true; })",
            f"details{part('list')}",
        )
        for view in page.locator(part("view")).all():
            controls = view.locator(
                ".vega-bind input:not([type=radio]), .vega-bind select, "
                ".vega-bind input[type=radio]:not(:checked)"
            )
            for index in range(controls.count()):
                control = controls.nth(index)
                label = control.evaluate("e => e.closest('.vega-bind').innerText.trim()")
                before = view.locator("svg").first.inner_html()
                # A drop-down's next option may show what the chart shows already (a state's
                # vote set to the one its preset gives it): it is dead if none of them changes it.
                tries = control.evaluate("e => e.tagName === 'SELECT' ? e.options.length - 1 : 1")
                for _ in range(max(1, tries)):
                    control.evaluate(OPERATE)
                    page.wait_for_timeout(150)
                    if view.locator("svg").first.inner_html() != before:
                        break
                else:
                    dead.append(f"{relative}: '{label.splitlines()[0][:60]}'")
                operated += 1
        assert not log.problems(), f"{relative}: {log.problems()}"
        context.close()
    assert not dead, "controls that change nothing:\n" + "\n".join(dead)
    assert operated >= 20, f"only {operated} website controls found"


@pytest.mark.parametrize("viewport", [(1280, 900), PHONE], ids=["desktop", "phone"])
def test_no_axis_label_or_legend_is_cut_off(site_dir, site_server, chromium, viewport):
    """Every axis label and title and every legend entry lies inside its chart's drawing and
    inside the part of it the reader sees (an explorer wider than the screen is cut off)."""
    cut = {}
    for relative in pages(site_dir):
        if SPEC_CLASS not in (site_dir / relative).read_text(encoding="utf-8"):
            continue
        log = PageLog()
        context, page, _ = open_page(chromium, f"{site_server.url}/{relative}", log, viewport)
        found = page.evaluate(CUT_LABELS, part("view"))
        if found:
            cut[relative] = found
        context.close()
    assert not cut, f"labels cut off at {viewport[0]} px:\n" + "\n".join(
        f"{p}: {v}" for p, v in cut.items()
    )


# For each chart: the axis, legend, title and text-mark texts (an explorer's results) that
# reach past the chart's SVG or past the visible width of the chart's box (a label that is only
# half visible, "8" for 80, counts), unless the box scrolls sideways to show it.
CUT_LABELS = """views => [...document.querySelectorAll(views)].map(view => {
    const svg = view.querySelector('svg');
    if (!svg) return null;
    const s = svg.getBoundingClientRect(), v = view.getBoundingClientRect();
    const scrolls = view.scrollWidth > view.clientWidth + 1
        && getComputedStyle(view).overflowX === 'auto';
    const left = Math.max(s.left, v.left);
    const right = scrolls ? s.right : Math.min(s.right, v.left + view.clientWidth);
    const cut = [...svg.querySelectorAll(
        '.role-axis-label text, .role-axis-title text, .role-legend-label text, '
        + '.role-legend-title text, .role-legend-symbol path, .role-title-text text, '
        + '.role-title-subtitle text, .role-mark text')]
      .filter(t => {
        const r = t.getBoundingClientRect();
        return r.width > 0 && (r.left < left - 1 || r.right > right + 1
                               || r.top < s.top - 1 || r.bottom > s.bottom + 1);
      })
      .map(t => t.textContent || 'a legend symbol');
    return cut.length ? `${svg.getAttribute('aria-label')}: ${cut.slice(0, 8).join(', ')}` : null;
}).filter(found => found)"""


def test_a_cut_off_label_is_caught(site_dir, site_server, chromium):
    """The check above can fail: a chart drawn without room for its axes is reported."""
    source = site_dir / "chapters" / "02_us_posture.html"
    html = source.read_text(encoding="utf-8")
    start = f'class="{SPEC_CLASS}"'
    assert start in html
    # The first chart drawn without room for its axes: its labels fall outside its drawing.
    # (Its Vega spec has an "autosize" of its own, which is replaced.)
    head, tail = html.split(start, 1)
    opening, rest = tail.split(">", 1)
    text, after = rest.split("</script>", 1)
    spec = json.loads(text.replace("<\\/", "</"))
    spec["autosize"] = {"type": "none"}
    tail = opening + ">" + json.dumps(spec).replace("</", "<\\/") + "</script>" + after
    target = source.with_name("cut-label-test.html")
    target.write_text(head + start + tail, encoding="utf-8")
    try:
        log = PageLog()
        context, page, _ = open_page(
            chromium, f"{site_server.url}/{target.relative_to(site_dir)}", log
        )
        found = page.evaluate(CUT_LABELS, part("view"))
        context.close()
    finally:
        target.unlink()
    assert found, "a chart drawn with no room for its axis labels was not reported"


def test_charts_follow_the_colour_theme_and_keep_their_settings(site_dir, site_server, chromium):
    """The theme toggle redraws every chart in the dark variant of the course theme (colours
    from defence_course.charts), and an explorer keeps its settings."""
    from defence_course.charts import THEME_COLOURS

    log = PageLog()
    url = f"{site_server.url}/chapters/02_us_posture.html"
    context, page, charts = open_page(chromium, url, log)
    colours = """view => [...document.querySelectorAll(view + ' svg')].map(svg => ({
        background: getComputedStyle(svg).backgroundColor,
        label: svg.querySelector('.role-axis-label text')?.getAttribute('fill'),
        title: svg.querySelector('.role-title-text text')?.getAttribute('fill')}))"""
    light = page.evaluate(colours, part("view"))
    assert {c["label"] for c in light if c["label"]} == {THEME_COLOURS["light"]["text"]}
    # Change a control of the explorer, then switch the theme with the keyboard.
    select = page.locator(f"{part('view')} .vega-bind select").first
    chosen = select.evaluate("e => e.options[e.options.length - 1].value")
    select.select_option(chosen)
    page.wait_for_timeout(200)
    toggle = page.locator("button.theme-switch-button").first
    for _ in range(3):
        toggle.focus()
        page.keyboard.press("Enter")
        if page.evaluate("document.documentElement.dataset.theme") == "dark":
            break
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    page.wait_for_function(
        f"n => document.querySelectorAll('{part('view')}[data-theme=dark][data-rendered=true]')"
        ".length >= n",
        arg=charts,
        timeout=15000,
    )
    dark = page.evaluate(colours, part("view"))
    texts = {c["label"] for c in dark if c["label"]} | {c["title"] for c in dark if c["title"]}
    assert texts == {THEME_COLOURS["dark"]["text"]}, texts
    backgrounds = {c["background"] for c in dark}
    red, green, blue = (int(THEME_COLOURS["dark"]["background"][i : i + 2], 16) for i in (1, 3, 5))
    assert backgrounds == {f"rgb({red}, {green}, {blue})"}, backgrounds
    assert page.locator(f"{part('view')} .vega-bind select").first.input_value() == chosen, (
        "the explorer lost its setting when the theme changed"
    )
    assert not log.problems(), log.problems()
    page.screenshot(
        path=str(ARTIFACTS / "screenshots" / "chapters_02_us_posture-dark.png"), full_page=True
    )
    context.close()


def test_charts_fit_the_window_after_it_is_resized(site_dir, site_server, chromium):
    """A chart that fits its column (the loader starts it at the width it measured) still follows
    the window: turning a tablet or narrowing a window redraws it at the new width."""
    log = PageLog()
    url = f"{site_server.url}/chapters/01_threat.html"
    context, page, charts = open_page(chromium, url, log)
    widths = """view => [...document.querySelectorAll(view + '.fit-x')].map(c => ({
        id: c.id, column: c.clientWidth,
        svg: parseFloat(c.querySelector('svg').getAttribute('width'))}))"""
    wide = page.evaluate(widths, part("view"))
    assert len(wide) >= 2, "chapter 1 should have charts that fit their column"
    assert all(abs(c["svg"] - c["column"]) <= 2 for c in wide), wide
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    page.wait_for_function(
        """view => [...document.querySelectorAll(view + '.fit-x')].every(c =>
            Math.abs(parseFloat(c.querySelector('svg').getAttribute('width')) - c.clientWidth)
            <= 2)""",
        arg=part("view"),
        timeout=5000,
    )
    narrow = {c["id"]: c for c in page.evaluate(widths, part("view"))}
    assert all(narrow[c["id"]]["svg"] < c["svg"] - 200 for c in wide), (wide, narrow)
    assert not log.problems(), log.problems()
    context.close()


def test_every_chart_has_a_labelled_download_toolbar(site_dir, site_server, chromium):
    missing = {}
    for relative in pages(site_dir):
        if SPEC_CLASS not in (site_dir / relative).read_text(encoding="utf-8"):
            continue
        log = PageLog()
        context, page, charts = open_page(chromium, f"{site_server.url}/{relative}", log)
        bars = page.evaluate(
            """([figure, toolbar]) => [...document.querySelectorAll('figure' + figure)].map(f => {
            const bar = f.querySelector(toolbar + '[role=group][aria-label]');
            return bar ? [...bar.querySelectorAll('button')].map(
                b => b.getAttribute('aria-label')) : null;
        })""",
            [part("figure"), part("toolbar")],
        )
        bad = [
            i
            for i, labels in enumerate(bars)
            if not labels
            or len(labels) != 3
            or not all(
                label and ("PNG" in label or "SVG" in label or "CSV" in label) for label in labels
            )
        ]
        if bad or len(bars) != charts:
            missing[relative] = f"charts without a full toolbar: {bad} of {charts}"
        context.close()
    assert not missing, "\n".join(f"{p}: {v}" for p, v in missing.items())


def test_downloads_hold_the_chart_its_title_source_and_data(site_dir, site_server, chromium):
    """Each download of chapter 2's charts (explorer included), started from the keyboard:
    the PNG is an image, the SVG carries the title and the source line, the CSV names the
    source and licence and holds exactly the rows the chart is drawn from."""
    import csv
    import io

    url = f"{site_server.url}/chapters/02_us_posture.html"
    log = PageLog()
    context, page, charts = open_page(chromium, url, log)
    specs = [json.loads(text) for text in page.locator(f"script{part('spec')}").all_text_contents()]
    context.close()
    assert len(specs) == charts >= 3
    for index, spec in enumerate(specs):
        # A fresh page for each chart: in one page, headless Chromium stopped starting the
        # downloads of the later charts (after about ten), while each chart's downloads work
        # in a page of their own, as a reader meets them.
        log = PageLog()
        context, page, _ = open_page(chromium, url, log)
        alerts = []
        page.on(
            "dialog",
            lambda dialog, alerts=alerts: (alerts.append(dialog.message), dialog.dismiss()),
        )
        figure = page.locator(f"figure{part('figure')}").nth(index)
        source = spec["usermeta"]["defence_course"]["source"]
        title = figure.locator("svg").first.get_attribute("aria-label")
        files = {}
        for kind in ("png", "svg", "csv"):
            button = figure.locator(f"{part('download')}[data-kind={kind}]")
            button.focus()
            try:
                with page.expect_download(timeout=20000) as download:
                    page.keyboard.press("Enter")
            except Exception as error:
                raise AssertionError(
                    f"chart {index} ({title}): no {kind} download; alerts "
                    f"{alerts}, {log.problems()}"
                ) from error
            files[kind] = download.value.path().read_bytes()
            assert download.value.suggested_filename.endswith(f".{kind}")
        assert files["png"].startswith(b"\x89PNG\r\n\x1a\n") and len(files["png"]) > 2000
        svg = files["svg"].decode("utf-8")
        assert svg.startswith("<svg") and "Source: " in svg
        for word in title.split()[:4] + source.split()[:3]:
            assert html_escape(word) in svg, f"chart {index}: {word!r} missing from the SVG"
        text = files["csv"].decode("utf-8")
        header = [line for line in text.splitlines() if line.startswith("# ")]
        assert f"# Source: {source}" in header and any("Licence: " in h for h in header)
        rows = list(
            csv.DictReader(
                io.StringIO(
                    "\n".join(line for line in text.splitlines() if not line.startswith("# "))
                )
            )
        )
        # The page's spec is Vega: the CSV writes the data usermeta names, which is the
        # first table of the chart's Vega-Lite datasets (website_charts.website_vega).
        table = spec["usermeta"]["defence_course"]["table"]
        tables = [d["values"] for d in spec["data"] if d["name"] == table]
        assert tables and isinstance(tables[0][0], dict), f"chart {index}: no table {table}"
        expected = [{k: same(v) for k, v in row.items()} for row in tables[0]]
        got = [{k: same(v) for k, v in row.items()} for row in rows]
        assert len(rows) == len(expected), f"chart {index}: {len(rows)} rows, not {len(expected)}"
        assert got == expected, f"chart {index}: the CSV's rows differ from the chart's data"
        assert not log.problems(), log.problems()
        context.close()


def same(value):
    """A cell as the CSV writes it, comparable with the spec's value (51.0 is written 51)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def html_escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text, {"'": "&#39;"}) if "'" not in text else escape(text)
