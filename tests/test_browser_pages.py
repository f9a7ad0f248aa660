"""Every page of the built site, opened in headless Chromium with the network blocked."""

from __future__ import annotations

import pytest

from defence_course.charts import SPEC_CLASS
from defence_course.sitecheck import content_pages

from .browser import PageLog, guard, open_page, part

pytestmark = pytest.mark.book


@pytest.fixture
def server(site_server):
    return site_server


@pytest.fixture
def browser(chromium):
    return chromium


def page_ids(site_dir):
    return [str(p.relative_to(site_dir)) for p in content_pages(site_dir)]


def test_pages_load_cleanly_and_draw_every_chart(site_dir, server, browser):
    pages = page_ids(site_dir)
    assert pages, "no pages found in the built site"
    failures = {}
    drawn = 0
    for relative in pages:
        log = PageLog()
        context, page, charts = open_page(browser, f"{server.url}/{relative}", log)
        problems = log.problems()
        errors = page.locator(part("error")).all_inner_texts()
        problems += [f"chart error: {e}" for e in errors]
        marks = page.evaluate(
            """() => Object.values(window.dcViews || {}).map(view => {
                   const svg = view.container().querySelector('svg');
                   return svg ? svg.querySelectorAll('path, rect, circle, line, text').length : 0;
               })"""
        )
        if len(marks) != charts:
            problems.append(f"{charts} charts on the page but {len(marks)} Vega views")
        problems += [f"chart {i} drew nothing" for i, n in enumerate(marks) if n == 0]
        drawn += len(marks)
        if problems:
            failures[relative] = problems
        context.close()
    assert not failures, "\n".join(f"{p}:\n  " + "\n  ".join(v) for p, v in failures.items())
    assert drawn > 0, "no chart was drawn on any page"


def test_a_broken_chart_is_reported(site_dir, server, browser, tmp_path):
    """The page check can fail: a chart whose spec is broken shows an error, not a blank."""
    source = next(p for p in content_pages(site_dir) if SPEC_CLASS in p.read_text(encoding="utf-8"))
    html = source.read_text(encoding="utf-8")
    broken = html.replace('{"$schema"', '{"$schema" oops', 1)
    target = source.with_name("broken-chart-test.html")
    target.write_text(broken, encoding="utf-8")
    try:
        log = PageLog()
        context, page, _ = open_page(browser, f"{server.url}/{target.relative_to(site_dir)}", log)
        assert page.locator(part("error")).count() >= 1
        context.close()
    finally:
        target.unlink()


def test_pages_load_only_what_they_use(site_dir, server, browser):
    """Lean pages: no Font Awesome script or webfont (the icons are inline SVG), the search
    index only on the search page, sphinx-yaq's maths library only with a maths question
    (there is none) and its quiz script only with a quiz; every icon is drawn."""
    heavy = {}
    for relative in page_ids(site_dir) + ["search.html"]:
        html = (site_dir / relative).read_text(encoding="utf-8")
        log = PageLog()
        context = browser.new_context()
        page = context.new_page()
        guard(page, log)
        loaded = []
        page.on("request", lambda request, loaded=loaded: loaded.append(request.url))
        page.goto(f"{server.url}/{relative}", wait_until="load")
        page.wait_for_timeout(1000)  # fonts and lazy scripts are requested after "load"
        unwanted = [
            u
            for u in loaded
            if "/fontawesome" in u or "/webfonts/" in u or "sphinx_yaq/math.js" in u
        ]
        if relative != "search.html":
            unwanted += [u for u in loaded if "searchindex.js" in u]
        if 'class="yaq' not in html:
            unwanted += [u for u in loaded if "sphinx_yaq/" in u]
        blank = page.evaluate("""() => [...document.querySelectorAll(
                '.fa-solid, .fas, .fa-brands, .fab, .admonition-title')]
            .filter(e => e.getClientRects().length)
            .map(e => [e, getComputedStyle(e, e.classList.contains('admonition-title')
                                              ? '::after' : '::before')])
            .filter(([e, s]) => s.content !== 'none'
                    && (!s.maskImage.startsWith('url(') || parseFloat(s.width) < 4))
            .map(([e]) => e.className)""")
        problems = [f"loads {u.split('/', 3)[-1]}" for u in unwanted]
        problems += [f"icon not drawn: {name}" for name in blank]
        problems += log.problems()
        if problems:
            heavy[relative] = problems
        context.close()
    assert not heavy, "\n".join(f"{p}:\n  " + "\n  ".join(v) for p, v in heavy.items())


def test_search_finds_pages(site_dir, server, browser):
    """The search page loads the index itself and lists results."""
    log = PageLog()
    context, page, _ = open_page(browser, f"{server.url}/search.html?q=NATO", log)
    page.wait_for_selector("#search-results li", timeout=15000)
    assert page.locator("#search-results li").count() >= 3
    assert not log.problems(), log.problems()
    context.close()


def test_chart_toolbars_link_to_their_datasets_on_the_data_page(site_dir, server, browser):
    """Each chart links to its datasets' sections; the data page offers every file, offline."""
    from urllib.parse import urlsplit

    from defence_course import data
    from defence_course.sphinx_datasets import ANCHOR_PREFIX, dataset_link

    context, page, charts = open_page(
        browser, f"{server.url}/chapters/04_eu_nato_overlap.html", PageLog()
    )
    links = page.eval_on_selector_all(part("dataset"), "els => els.map(e => e.href)")
    context.close()
    assert charts and len(links) >= charts, f"{charts} charts but {len(links)} dataset links"
    catalogue = (site_dir / "datasets.html").read_text(encoding="utf-8")
    for href in links:
        parts = urlsplit(href)
        assert parts.path == "/" + dataset_link("").split("#")[0], href
        assert parts.fragment.startswith(ANCHOR_PREFIX), href
        assert f'id="{parts.fragment}"' in catalogue, f"{href}: no such section"
    for entry in data.read_package()["resources"]:
        assert f'id="{dataset_link(entry["name"]).split("#")[1]}"' in catalogue, entry["name"]
        assert f'href="data/{entry["path"]}"' in catalogue, entry["path"]
        copied = site_dir / "data" / entry["path"]
        assert copied.read_bytes() == (data.DATA_DIR / entry["path"]).read_bytes(), copied
