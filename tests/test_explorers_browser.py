"""Each kernel-free explorer in headless Chromium with the network blocked: every bound input
changes what the chart shows, by mouse and by keyboard, and the browser agrees with the models;
the settings are kept in the page's URL, so that a link reproduces them."""

from __future__ import annotations

import re
import shutil
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from defence_course import charts, data, explorers, sphinxext, website_charts
from defence_course.models import attrition, council, fleet
from defence_course.paths import REPO_ROOT

from .browser import PageLog, SiteServer, guard, part
from .explorer_specs import invalid_values, param, spec, url_text

# The number of marks the explorers on a page draw (their views' selector as the argument).
MARKS = "v => document.querySelectorAll(`${v} svg path, ${v} svg rect, ${v} svg text`).length"

# Each explorer alone on a page laid out as the book's (its chart theme, a padded column), and
# two explorers on one page, both with a "country" setting.
SEVERAL = ("opinion", "obligations")
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{name}</title>
<link rel="stylesheet" href="_static/defence_course.css">
<script src="_static/vega/vega-runtime.js"></script><script>{settings}</script></head>
<body><main style="padding: 0 24px">{figure}</main>
<script src="_static/defence_course.js"></script></body></html>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("explorers")
    static = root / "_static"
    sphinxext.write_vega_bundle(static)
    for name in ("defence_course.js", "defence_course.css"):
        shutil.copy(REPO_ROOT / "_static" / name, static / name)
    for name in explorers.EXPLORERS:
        figure = website_charts.site_renderer(spec(name))[0]["text/html"]
        (root / f"{name}.html").write_text(
            PAGE.format(name=name, figure=figure, settings=sphinxext.chart_settings()),
            encoding="utf-8",
        )
    figures = "".join(website_charts.site_renderer(spec(name))[0]["text/html"] for name in SEVERAL)
    (root / "several.html").write_text(
        PAGE.format(name="several", figure=figures, settings=sphinxext.chart_settings()),
        encoding="utf-8",
    )
    with SiteServer(root) as server:
        yield server


@pytest.fixture
def browser(chromium):
    return chromium


class Explorer:
    """One explorer page: inputs by name, Vega signals, the texts drawn in the SVG."""

    def __init__(
        self, browser, site, name: str, viewport=(1000, 900), query: str = "", **context
    ) -> None:
        self.log = PageLog()
        self.warnings: list[str] = []
        self.context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, **context
        )
        self.page = self.context.new_page()
        guard(self.page, self.log)
        self.page.on(
            "console", lambda m: self.warnings.append(m.text) if m.type == "warning" else None
        )
        self.page.goto(
            f"{site.url}/{name}.html" + (f"?{query}" if query else ""), wait_until="load"
        )
        self.page.wait_for_function(
            charts.CHARTS_SETTLED_JS,
            arg=self.page.locator(f"script.{charts.SPEC_CLASS}").count(),
            timeout=15000,
        )
        errors = self.page.locator(part("error"))
        assert errors.count() == 0, errors.all_inner_texts()

    def signal(self, name: str, index: int = 0):
        """A signal of the ``index``-th explorer on the page."""
        return self.page.evaluate(
            "([n, i, v]) => window.dcViews[document.querySelectorAll(v)[i].id].signal(n)",
            [name, index, part("view")],
        )

    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.page.url).query)

    def texts(self) -> list[str]:
        return self.page.evaluate(
            "v => Array.from(document.querySelectorAll(v + ' svg text')).map(t => t.textContent)",
            part("view"),
        )

    def marks(self) -> int:
        return self.page.evaluate(MARKS, part("view"))

    def input(self, name: str):
        return self.page.locator(f".vega-bindings [name='{name}']")

    def set_range(self, name: str, value: float) -> None:
        self.input(name).evaluate(
            "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true}));"
            " el.dispatchEvent(new Event('change', {bubbles: true})); }",
            value,
        )

    def wait_for_text(self, fragment: str) -> str:
        self.page.wait_for_function(
            "([f, v]) => Array.from(document.querySelectorAll(v + ' svg text'))"
            ".some(t => t.textContent.includes(f))",
            arg=[fragment, part("view")],
            timeout=5000,
        )
        return next(t for t in self.texts() if fragment in t)

    def press(self, name: str, key: str = "ArrowRight") -> None:
        self.input(name).first.focus()
        self.page.keyboard.press(key)

    def change(self, name: str, value, figure: int = 0) -> None:
        """Set an input as a reader does: tick a box, pick an option or move a slider."""
        control = (
            self.page.locator(part("figure")).nth(figure).locator(f".vega-bindings [name='{name}']")
        )
        if isinstance(value, bool):
            control.click()
        elif isinstance(value, str):
            control.select_option(value)
        else:
            control.evaluate(
                "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', "
                "{bubbles: true})); el.dispatchEvent(new Event('change', "
                "{bubbles: true})); }",
                value,
            )

    def control(self, name: str, figure: int = 0):
        """The value an input shows, in the type of its signal."""
        return (
            self.page.locator(part("figure"))
            .nth(figure)
            .locator(f".vega-bindings [name='{name}']")
            .evaluate(
                "el => el.type === 'checkbox' ? el.checked : el.type === 'range' ? Number(el.value)"
                " : el.value"
            )
        )

    def labels(self) -> list[str]:
        """The accessible label text of every input (the <label> that wraps it)."""
        return self.page.evaluate(
            "() => Array.from(document.querySelectorAll('.vega-bindings input, "
            ".vega-bindings select')).map(el => (el.closest('label') || {}).textContent || '')"
        )

    def close(self) -> list[str]:
        problems = self.log.problems()
        self.context.close()
        return problems


@pytest.fixture
def open_explorer(browser, site):
    opened = []

    def opener(name: str, viewport=(1000, 900), **options) -> Explorer:
        explorer = Explorer(browser, site, name, viewport, **options)
        opened.append(explorer)
        return explorer

    yield opener
    problems = [p for explorer in opened for p in explorer.close()]
    assert not problems, problems


def test_attrition_every_slider_changes_the_result(open_explorer):
    ui = open_explorer("attrition")
    assert all(label.strip() for label in ui.labels())
    assert any("assumption, no sourced default" in label for label in ui.labels())
    assert "The interceptor stock runs out after 15.8 nights." in ui.texts()
    changes = {
        "drones": 400,
        "shot_down_pct": 50,
        "missile_pct": 40,
        "per_target": 1,
        "stock": 2500,
        "production": 10,
    }
    for name, value in changes.items():
        before = ui.signal("nights")
        ui.set_range(name, value)
        ui.page.wait_for_function(
            "b => Object.values(window.dcViews)[0].signal('nights') != b", arg=before, timeout=5000
        )
        assert ui.signal(name) == value
    expected = attrition.nights_until_depleted(400, 0.5, 0.4, 1, 2500, 10)
    assert ui.signal("nights") == pytest.approx(expected)
    ui.wait_for_text(f"runs out after {expected:.1f} nights")
    for name, value in {"drone_cost": 100_000, "interceptor_cost": 500_000}.items():
        before = ui.signal("ratio")
        ui.set_range(name, value)
        ui.page.wait_for_function(
            "b => Object.values(window.dcViews)[0].signal('ratio') != b", arg=before, timeout=5000
        )
    assert ui.signal("ratio") == pytest.approx(
        attrition.cost_exchange_ratio(0.5, 0.4, 1, 100_000, 500_000)
    )
    ui.wait_for_text("spends 1.0 USD on missiles")


def test_attrition_keyboard(open_explorer):
    ui = open_explorer("attrition")
    before = ui.signal("nights")
    ui.press("drones")
    ui.page.wait_for_function("() => Object.values(window.dcViews)[0].signal('drones') == 202")
    assert ui.signal("nights") < before
    ui.wait_for_text("Each night the defender fires 65.4 missiles")


def test_opinion_question_and_country(open_explorer):
    ui = open_explorer("opinion")
    assert all(label.strip() for label in ui.labels())
    ui.wait_for_text("EU27: 77 %. Choose a country to compare.")
    ui.input("country").select_option("AT")
    ui.wait_for_text("Austria: 61 %, 16 points below the EU27 (77 %).")
    ui.input("country").select_option("DE")
    ui.wait_for_text("Germany: no figure in the source for this question.")
    ui.input("question").select_option("lgc-2025-12-trump-enemy-of-europe")
    ui.wait_for_text("Germany: no figure in the source")
    ui.input("country").select_option("PL")
    ui.wait_for_text("Poland: 19 %, 29 points below the 9-country average (48 %).")
    ui.input("question").select_option("eb103-2025-common-defence-security-policy")
    ui.wait_for_text("no figure in the source for this question")
    ui.wait_for_text("Standard Eurobarometer 103 (spring 2025)")
    assert "Austria" not in ui.texts()  # no country bars for this wave


def test_opinion_keyboard(open_explorer):
    ui = open_explorer("opinion")
    before = ui.signal("question")
    bars = ui.marks()
    ui.press("question")
    ui.page.wait_for_function(
        "b => Object.values(window.dcViews)[0].signal('question') != b", arg=before
    )
    ui.page.wait_for_function(f"([v, n]) => ({MARKS})(v) != n", arg=[part("view"), bars])


def fleet_years(moved: float, **switches) -> list[str]:
    """The explorer's years-of-deliveries text, as the model computes it."""
    frames = data.load_dataset("fighter_fleets"), data.load_dataset("fighter_orders")
    rates = fleet.sourced_rates(data.load_dataset("fighter_production"))
    coming = fleet.coming_by_family(*frames, **switches)
    table = fleet.delivery_years({f: coming.get(f, 0) for f in rates}, rates, moved)
    total = fleet.total_years(table)
    pair = {f: f"{f} {r.years:.1f} → {r.years_after:.1f}" for f, r in table.iterrows()}
    return [
        f"{pair['F-35']}, {pair['Eurofighter']}, {pair['Rafale']},",
        f"{pair['Gripen']}; all of them {total.years:.1f} → {total.years_after:.1f} years.",
    ]


def test_fleet_slider_and_switches(open_explorer):
    ui = open_explorer("fleet")
    assert all(label.strip() for label in ui.labels())
    fleets = data.load_dataset("fighter_fleets")
    orders = data.load_dataset("fighter_orders")
    start = ui.wait_for_text("Europe-wide: ")
    assert f"{100 * fleet.us_share_after_orders(fleets, orders):.1f} % after" in start
    before = fleet_years(0.0)
    assert before[0].startswith("F-35 2.7 → 2.7, Eurofighter 10.5 → 10.5")
    assert set(before) <= set(ui.texts())
    ui.wait_for_text("(F-35 156, Eurofighter 14, Rafale 28, Gripen 36 a year):")
    ui.set_range("moved_pct", 50)
    half = 100 * fleet.us_share_after_orders(fleets, orders, 0.5)
    ui.wait_for_text(f"{half:.1f} % after planned deliveries")
    ui.wait_for_text("with 50 % of the 416 F-35s")
    years = fleet_years(0.5)
    assert years[0].startswith("F-35 2.7 → 1.3, Eurofighter 10.5 → 13.2")  # 208 jets / 78
    for line in years:
        ui.wait_for_text(line)
    assert not set(before) & set(ui.texts()), "the years text did not change with the slider"
    assert "Türkiye" in ui.texts()
    ui.input("include_turkey").click()
    no_turkey = 100 * fleet.us_share_after_orders(fleets, orders, 0.5, include_turkey=False)
    ui.wait_for_text(f"{no_turkey:.1f} % after planned deliveries")
    assert "Türkiye" not in ui.texts() and ui.signal("include_turkey") is False
    for line in fleet_years(0.5, include_turkey=False):  # Türkiye's 20 Eurofighters leave
        ui.wait_for_text(line)
    ui.input("announced").click()
    firm = 100 * fleet.us_share_after_orders(
        fleets, orders, 0.5, include_turkey=False, include_announced=False
    )
    ui.wait_for_text(f"{firm:.1f} % after planned deliveries")


def test_fleet_keyboard(open_explorer):
    ui = open_explorer("fleet")
    ui.press("moved_pct")
    ui.wait_for_text("with 5 % of the 416 F-35s")
    ui.press("include_turkey", "Space")
    ui.page.wait_for_function(
        "() => Object.values(window.dcViews)[0].signal('include_turkey') === false"
    )


def test_obligations_country_and_split(open_explorer):
    ui = open_explorer("obligations")
    assert all(label.strip() for label in ui.labels())
    ui.wait_for_text("Poland, 2026 (NATO estimate): 4.68 % of GDP")
    ui.wait_for_text("EU joint programmes: 0.94 % of GDP, of which 0.47 % also fills NATO")
    ui.wait_for_text("NATO capability targets: 4.21 % (3.74 % national + 0.47 % via the EU).")
    ui.set_range("eu_pct", 80)
    ui.set_range("both_pct", 0)  # the zero-sum view
    ui.wait_for_text("NATO capability targets: 0.94 % (0.94 % national + 0.00 % via the EU).")
    ui.wait_for_text("EU joint programmes: 3.74 % of GDP, of which 0.00 % also fills NATO")
    ui.wait_for_text("NATO's spending targets count all 4.68 % either way.")
    ui.input("country").select_option("IE")
    ui.wait_for_text("NATO Art. 5 (North Atlantic Treaty): does not bind (not a NATO member).")
    ui.wait_for_text("Irish clause")
    ui.wait_for_text("Ireland is not in NATO's defence expenditure tables")
    ui.input("country").select_option("NO")
    ui.wait_for_text("EU mutual assistance, TEU Art. 42(7): does not bind")


def test_obligations_keyboard(open_explorer):
    ui = open_explorer("obligations")
    ui.press("eu_pct")
    ui.wait_for_text("EU joint programmes: 1.17 % of GDP, of which")  # 25 % of 4.68
    before = ui.signal("country")
    ui.press("country")
    ui.page.wait_for_function(
        "b => Object.values(window.dcViews)[0].signal('country') != b", arg=before
    )


def bar(ui, state: str):
    """The Council explorer's bar of ``state`` (a button named by its state and vote)."""
    return ui.page.get_by_role("button", name=re.compile(f"^{state}, "))


def test_council_presets_clickable_bars_and_rules(open_explorer):
    ui = open_explorer("council")
    labels = ui.labels()
    assert len(labels) == 1 + 1 + 27 + 1 and all(label.strip() for label in labels)
    # The 27 states' own inputs wait in a closed list; the bars are the controls.
    assert ui.page.locator(f"details{part('list')}:not([open]) select[name^=vote_]").count() == 27
    assert ui.page.get_by_role("button", name=re.compile("Enter or Space")).count() == 27
    ui.wait_for_text("In favour: 0 of 27 states")
    ui.input("preset").select_option("founders")
    founders = council.vote_outcome(council.PRESETS["founders"])
    ui.wait_for_text(
        f"In favour: 6 of 27 states, holding {100 * founders.population_share_for:.1f} %"
    )
    ui.wait_for_text("(6 states in favour, 55 % needs 15).")
    assert "Qualified majority: FAILS" in ui.texts()
    ui.input("preset").select_option("all 27")
    ui.wait_for_text("Unanimity: ADOPTED")
    for state in ("Germany", "France", "Italy"):  # in favour -> against
        bar(ui, state).click()
    ui.wait_for_text("(fewer than four states could form a blocking minority).")
    assert "Qualified majority: PASSES" in ui.texts()
    ui.wait_for_text("(3 state(s) vote against).")
    assert "Unanimity: NOT ADOPTED" in ui.texts()
    assert ui.query()["council.vote_DE"] == ["against"]
    for state in ("Germany", "France", "Italy"):  # against -> abstains
        bar(ui, state).click()
    ui.wait_for_text("(no state votes against).")
    assert "Unanimity: ADOPTED" in ui.texts()
    expect(bar(ui, "Germany")).to_have_attribute("aria-label", re.compile(": abstains\\."))
    assert ui.control("vote_DE") == "abstains"  # the list follows the bars
    for _ in range(2):  # abstains -> in favour -> against
        bar(ui, "Spain").click()
    ui.wait_for_text("(under 65 % of the population; the states not in favour block).")
    assert "Qualified majority: FAILS" in ui.texts()
    ui.input("preset").select_option("nobody")  # another preset: every state as it says
    ui.wait_for_text("In favour: 0 of 27 states")
    ui.page.wait_for_function("() => !location.search.includes('vote_')")
    ui.set_range("p", 0.95)
    ui.wait_for_text("At p = 0.95: qualified majority passes")
    ui.wait_for_text("(exactly p^27 = 25.03 %)")


def test_council_keyboard(open_explorer):
    ui = open_explorer("council")
    ui.press("p")
    ui.wait_for_text("At p = 0.81")
    ui.page.locator("select[name=preset]").focus()
    ui.page.keyboard.press("Shift+Tab")  # back from the first input to the bars
    focused = ui.page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert focused.startswith("Germany, ") and "in favour" not in focused  # the first bar
    assert ui.page.locator("[role=button][tabindex='0']").count() == 1  # one Tab stop
    ui.page.keyboard.press("End")  # the smallest state
    ui.page.keyboard.press("Enter")  # against -> abstains
    ui.page.wait_for_function(
        "() => document.activeElement.getAttribute('aria-label').includes(': abstains.')",
        timeout=5000,
    )
    ui.page.keyboard.press("Enter")  # -> in favour
    ui.wait_for_text("In favour: 1 of 27 states")
    focused = ui.page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert focused.startswith("Malta, ") and ": in favour." in focused  # focus stays, told
    ui.page.keyboard.press("ArrowLeft")
    for _ in range(2):
        ui.page.keyboard.press(" ")
    ui.wait_for_text("In favour: 2 of 27 states")
    assert ui.signal("vote_LU") == "in favour"
    before = ui.signal("preset")
    ui.press("preset")
    ui.page.wait_for_function(
        "b => Object.values(window.dcViews)[0].signal('preset') != b", arg=before
    )
    ui.wait_for_text("In favour: 10 of 27 states")  # the eastern flank; Malta and Luxembourg reset


@pytest.mark.parametrize("name", list(explorers.EXPLORERS))
def test_explorer_fits_a_phone_screen(open_explorer, name):
    ui = open_explorer(name, (390, 844))
    overflow = ui.page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{name}: the page scrolls sideways by {overflow}px"
    clipped = ui.page.evaluate(
        """view => {
        const svg = document.querySelector(view + ' svg');
        const box = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('text, path, rect, line, circle')].filter(e => {
            const r = e.getBoundingClientRect();
            return r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1);
        }).map(e => e.textContent).slice(0, 3);
    }""",
        part("view"),
    )
    assert not clipped, f"{name}: cut off at the edge: {clipped}"
    inputs = ui.page.evaluate("""() => [...document.querySelectorAll(
        '.vega-bindings input, .vega-bindings select')].filter(e =>
        e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length""")
    assert inputs == 0, f"{name}: {inputs} inputs reach past the screen's edge"


WAIT_SIGNAL = "([n, v]) => Object.values(window.dcViews)[0].signal(n) === v"


def default(name: str, setting: str):
    return param(name, setting)["value"]


def ignored(ui: Explorer) -> list[str]:
    """The page's warnings about URL settings it left out (not Vega-Lite's own warnings)."""
    return [w for w in ui.warnings if w.startswith("explorer setting ignored")]


@pytest.mark.parametrize("name", list(explorers.EXPLORERS))
def test_settings_are_kept_in_the_url(open_explorer, name):
    setting, value = next(iter(explorers.example(name).items()))
    text = url_text(value)
    start = default(name, setting)
    ui = open_explorer(name)
    assert ui.signal(setting) == start and ui.query() == {}
    ui.change(setting, value)
    ui.page.wait_for_function(
        "k => new URLSearchParams(location.search).has(k)", arg=f"{name}.{setting}", timeout=5000
    )
    assert ui.query() == {f"{name}.{setting}": [text]}, "only changed settings are written"

    shared = open_explorer(name, query=urlsplit(ui.page.url).query)
    assert shared.signal(setting) == value and shared.control(setting) == value
    assert shared.query() == ui.query(), "opening the link changed it"
    assert not ignored(shared), shared.warnings

    ui.page.go_back()
    ui.page.wait_for_function(WAIT_SIGNAL, arg=[setting, start], timeout=5000)
    assert ui.control(setting) == start and ui.query() == {}
    ui.page.go_forward()
    ui.page.wait_for_function(WAIT_SIGNAL, arg=[setting, value], timeout=5000)
    assert ui.control(setting) == value and ui.query() == {f"{name}.{setting}": [text]}


@pytest.mark.parametrize("name", list(explorers.EXPLORERS))
def test_settings_the_url_cannot_hold_are_ignored(open_explorer, name):
    setting = next(iter(explorers.example(name)))
    invalid = url_text(invalid_values(name, setting)[0])
    start = default(name, setting)
    ui = open_explorer(name, query=f"{name}.{setting}={invalid}&{name}.nonsense=1")
    assert ui.signal(setting) == start and ui.control(setting) == start
    assert len(ignored(ui)) == 2, ui.warnings
    # The copy-link button follows the explorer's inputs and download buttons in Tab order.
    ui.page.locator(".vega-bindings input, .vega-bindings select").last.focus()
    for _ in range(6):
        ui.page.keyboard.press("Tab")
        if ui.page.evaluate("document.activeElement.className") == charts.CHART_CLASSES["copyLink"]:
            break
    title = ui.page.locator(f"{part('view')} svg").first.get_attribute("aria-label")
    button = ui.page.get_by_role(
        "button", name=f"Copy link to these settings of “{title}”", exact=True
    )
    assert button.evaluate("el => el === document.activeElement"), "not reached by Tab"


def test_copy_link_copies_the_settings(open_explorer):
    ui = open_explorer(
        "council", query="council.p=0.7", permissions=["clipboard-read", "clipboard-write"]
    )
    ui.page.locator(part("copyLink")).focus()
    ui.page.keyboard.press("Enter")
    status = ui.page.get_by_role("status")
    ui.page.wait_for_function(
        "status => document.querySelector(status).textContent === 'Link copied'",
        arg=part("status"),
        timeout=5000,
    )
    assert status.get_attribute("aria-live") == "polite"
    assert ui.page.evaluate("navigator.clipboard.readText()") == ui.page.url
    assert ui.page.locator(part("link")).is_hidden()


def test_copy_link_without_a_clipboard_selects_the_link(open_explorer):
    ui = open_explorer("fleet", query="fleet.moved_pct=50")
    ui.page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    ui.page.locator(part("copyLink")).focus()
    ui.page.keyboard.press("Enter")
    field = ui.page.get_by_role("textbox", name="Link to these settings of", exact=False)
    field.wait_for(state="visible", timeout=5000)
    assert field.input_value() == ui.page.url
    assert field.evaluate(
        "el => el === document.activeElement && el.selectionStart === 0"
        " && el.selectionEnd === el.value.length"
    )
    ui.page.wait_for_function(
        "status => document.querySelector(status).textContent.startsWith('Link selected')",
        arg=part("status"),
        timeout=5000,
    )


def test_explorers_on_one_page_keep_their_own_settings(open_explorer):
    ui = open_explorer("several")
    assert [ui.signal("country", i) for i in (0, 1)] == ["none", "PL"]
    ui.change("country", "AT", figure=0)
    ui.change("country", "IE", figure=1)
    ui.page.wait_for_function("() => new URLSearchParams(location.search).size === 2", timeout=5000)
    assert ui.query() == {"opinion.country": ["AT"], "obligations.country": ["IE"]}
    shared = open_explorer("several", query=urlsplit(ui.page.url).query)
    assert [shared.signal("country", i) for i in (0, 1)] == ["AT", "IE"]
    assert [shared.control("country", i) for i in (0, 1)] == ["AT", "IE"]
    ui.page.go_back()
    ui.page.wait_for_function("() => new URLSearchParams(location.search).size === 1", timeout=5000)
    assert [ui.signal("country", i) for i in (0, 1)] == ["AT", "PL"]


def test_a_slider_moved_step_by_step_is_one_step_back(open_explorer):
    ui = open_explorer("council")
    entries = ui.page.evaluate("history.length")
    for _ in range(3):
        ui.press("p")
    ui.page.wait_for_function(WAIT_SIGNAL, arg=["p", 0.83], timeout=5000)
    assert ui.query() == {"council.p": ["0.83"]}
    assert ui.page.evaluate("history.length") == entries + 1
    ui.page.go_back()
    ui.page.wait_for_function(WAIT_SIGNAL, arg=["p", 0.8], timeout=5000)
    assert ui.control("p") == 0.8 and ui.query() == {}
