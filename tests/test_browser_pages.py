"""Every page of the built site, opened in headless Chromium with the network blocked."""

from __future__ import annotations

import pytest

from defence_course.sitecheck import content_pages

from .browser import PageLog, open_page

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
        errors = page.locator(".dc-chart-error").all_inner_texts()
        problems += [f"chart error: {e}" for e in errors]
        marks = page.evaluate(
            """() => Object.values(window.dcViews || {}).map(view => {
                   const svg = view.container().querySelector('svg');
                   return svg ? svg.querySelectorAll('path, rect, circle, line, text').length : 0;
               })""")
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
    source = next(p for p in content_pages(site_dir)
                  if "dc-chart-spec" in p.read_text(encoding="utf-8"))
    html = source.read_text(encoding="utf-8")
    broken = html.replace('{"$schema"', '{"$schema" oops', 1)
    target = source.with_name("broken-chart-test.html")
    target.write_text(broken, encoding="utf-8")
    try:
        log = PageLog()
        context, page, _ = open_page(browser, f"{server.url}/{target.relative_to(site_dir)}", log)
        assert page.locator(".dc-chart-error").count() >= 1
        context.close()
    finally:
        target.unlink()
