"""Lean style sheets: the purge (defence_course.sphinx_css) kept every rule the pages use.

Every page's class and id attributes, as written, must keep their rules. Then one page of each
kind is opened on a desktop and a phone and worked through the states a reader reaches
(tooltips, menus, the theme switch, the search dialog, the sidebars, a self-check answered, a
toggle opened, the page scrolled), while the page records every class and id any element ever
held, including those scripts add and remove again. Every selector of the original style
sheets that those names can match must still be in the purged ones.
"""

from __future__ import annotations

import re

import pytest

from defence_course.sitecheck import content_pages
from defence_course.sphinx_css import UNPURGED, needed_rules_dropped

from .browser import PageLog, open_page

pytestmark = pytest.mark.book

# Runs before the page's scripts: every class and id an element holds, now or for a moment.
RECORD_NAMES = """
window.__dcNames = new Set();
(() => {
  const note = (el, old) => {
    if (!el || el.nodeType !== 1) return;
    for (const c of el.classList) window.__dcNames.add('.' + c);
    if (el.id) window.__dcNames.add('#' + el.id);
    for (const c of (old || '').split(/\\s+/)) if (c) window.__dcNames.add('.' + c);
  };
  const scan = el => {
    note(el);
    if (el.querySelectorAll) el.querySelectorAll('*').forEach(e => note(e));
  };
  new MutationObserver(records => {
    for (const r of records) {
      if (r.type === 'attributes') note(r.target, r.attributeName === 'class' ? r.oldValue : '');
      else r.addedNodes.forEach(n => n.nodeType === 1 && scan(n));
    }
  }).observe(document, {attributes: true, attributeOldValue: true,
                        attributeFilter: ['class', 'id'], childList: true, subtree: true});
  document.addEventListener('DOMContentLoaded', () => scan(document.documentElement));
})();
"""


# One page of each kind: charts, an explorer and a self-check (threat), the map (EU-NATO), the
# data page, the reference pages, the teacher guide, an exercise, the timeline, search results.
# Every page's static classes are checked by test_no_rule_a_page_names_was_purged.
PAGES = [
    "intro.html",
    "chapters/01_threat.html",
    "chapters/04_eu_nato_overlap.html",
    "datasets.html",
    "glossary.html",
    "bibliography.html",
    "teacher_guide.html",
    "exercises/threat/student/threat.html",
    "timeline.html",
    "search.html?q=NATO",
]


def _click(page, selector: str, wait: int = 300) -> None:
    target = page.locator(selector)
    if target.count():
        try:
            target.first.click(timeout=1500)
        except Exception:  # covered at this width: the state is not reachable here
            return
        page.wait_for_timeout(wait)


def work_through(page, phone: bool) -> None:
    """The states a reader reaches on a page."""
    for tip in page.locator("[data-bs-toggle=tooltip]:visible").all()[:3]:
        try:
            tip.hover(timeout=1500)
        except Exception:
            continue
        page.wait_for_timeout(400)
    page.mouse.move(1, 1)
    for index in range(page.locator(".dropdown-toggle:visible").count()):
        _click(page, f".dropdown-toggle:visible >> nth={index}")
        page.keyboard.press("Escape")
    _click(page, ".theme-switch-button:visible")
    page.keyboard.press("Control+k")
    page.wait_for_timeout(400)
    page.keyboard.press("Escape")
    _click(page, "div.yaq .yaq-Question button:visible")
    _click(page, "div.yaq button:has-text('Check answers')")
    _click(page, "div.yaq button:has-text('Show solution')")
    _click(page, "details:visible > summary")
    _click(page, "button.toggle-button:visible")
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(400)
    if phone:
        for side in (".primary-toggle:visible", ".secondary-toggle:visible"):
            _click(page, side, wait=500)
            page.keyboard.press("Escape")
            page.wait_for_timeout(300)


def names_on_the_site(server, browser) -> set[str]:
    names: set[str] = set()
    for relative in PAGES:
        for width, height in ((1280, 900), (390, 844)):
            log = PageLog()
            context, page, _ = open_page(
                browser,
                f"{server.url}/{relative}",
                log,
                viewport=(width, height),
                init=RECORD_NAMES,
            )
            work_through(page, phone=width < 900)
            names |= set(page.evaluate("() => [...window.__dcNames]"))
            context.close()
    return names


def lost_rules(site_dir, names: set[str]) -> dict[str, list[str]]:
    store = site_dir.parent / UNPURGED
    originals = sorted(store.rglob("*.css"))
    assert originals, f"{store}: no original style sheets (was the site purged?)"
    lost = {}
    for original in originals:
        rel = original.relative_to(store)
        purged = (site_dir / rel).read_text(encoding="utf-8")
        dropped = needed_rules_dropped(original.read_text(encoding="utf-8"), purged, names)
        if dropped:
            lost[str(rel)] = dropped
    return lost


def report(lost: dict[str, list[str]]) -> str:
    return "rules the pages use were purged:\n" + "\n".join(
        f"{rel}: {', '.join(selectors[:20])}" for rel, selectors in lost.items()
    )


CLASS_ATTRIBUTE = re.compile(r'\sclass="([^"]*)"')
ID_ATTRIBUTE = re.compile(r'\sid="([^"]*)"')


def test_no_rule_a_page_names_was_purged(site_dir):
    """Every page, as written: its class and id attributes."""
    names: set[str] = set()
    for path in content_pages(site_dir) + [site_dir / "search.html"]:
        text = path.read_text(encoding="utf-8")
        names |= {"." + c for m in CLASS_ATTRIBUTE.finditer(text) for c in m.group(1).split()}
        names |= {"#" + m.group(1) for m in ID_ATTRIBUTE.finditer(text)}
    lost = lost_rules(site_dir, names)
    assert not lost, report(lost)


def test_no_rule_a_page_uses_was_purged(site_dir, site_server, chromium):
    """One page of each kind in the states a reader reaches, with the classes scripts add."""
    names = names_on_the_site(site_server, chromium)
    assert ".bs-tooltip-auto" in names, "no tooltip was shown: the states were not reached"
    lost = lost_rules(site_dir, names)
    assert not lost, report(lost)
