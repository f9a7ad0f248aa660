"""Benchmark what a reader's browser loads: page weight and time to the last chart drawn.

Builds nothing: run it after `make book` (or pass a folder holding _build/html). Each page is
opened in a fresh browser context (a first visit: nothing cached) and, once the network is idle,
the script reports, uncompressed:

- total: every byte the browser loaded for the page (HTML, styles, scripts, fonts, images,
  the search index if it is fetched);
- page-specific: the page itself and anything else not under _static/ (its images), i.e. what
  a reader who has already visited another page still has to load;
- shared: _static/ and the search index, cached across pages;
- last chart drawn: the time from navigation start to the moment the page's last chart was
  drawn, taken in the page (performance.now() when the chart loader marks the chart drawn), the
  median of --runs visits.

The bytes come from one visit and the times from --runs others, in rounds over the pages, so
that reading every response body over the DevTools protocol does not load the machine while a
page is timed, and a slow spell of the machine does not fall on one page. Each timed visit
opens its tab, waits SETTLE_SECONDS for the tab's new renderer process to finish starting, then
navigates: on the 2-core machine that start-up costs about 0.7 s of renderer and 0.4 s of browser
CPU (measured from /proc), and a reader's browser has done it before they follow a link.

Targets for a chapter: total <= 1.0 MiB, page-specific <= 350 KB, last chart <= 0.8 s.

Run: .venv/bin/python scripts/benchmark_pages.py [BOOK_DIR] [--runs N] [--assets] [--page TEXT]
  BOOK_DIR    a folder holding _build/html (default: the repository)
  --assets    also list each file loaded on the heaviest chapter, largest first
  --page      only pages whose path contains TEXT (repeatable)
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from defence_course.charts import SPEC_CLASS
from defence_course.paths import REPO_ROOT
from defence_course.sitecheck import content_pages

sys.path.insert(0, str(REPO_ROOT))
from tests.browser import CHROMIUM_ARGS, SiteServer, chromium_path  # noqa: E402

MIB = 1024 * 1024
TARGET_TOTAL = 1.0 * MIB
TARGET_PAGE = 350 * 1000
TARGET_SECONDS = 0.8
SETTLE_SECONDS = 1.0

# Runs before any script of the page: records, in page time, when each chart is marked drawn.
RECORD_DRAWN = """
window.__dcDrawn = [];
new MutationObserver(records => {
  for (const r of records) {
    if (r.attributeName === 'data-rendered' && r.target.getAttribute('data-rendered') === 'true')
      window.__dcDrawn.push(performance.now());
  }
}).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-rendered']});
"""


def is_shared(url: str) -> bool:
    return "/_static/" in url or "/searchindex.js" in url


def visit(browser, url: str, count_bytes: bool) -> dict:
    """One first visit of ``url``: bytes by file (if ``count_bytes``), charts, last chart drawn."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_DRAWN)
    page = context.new_page()
    files: dict[str, int] = {}

    def count(response):
        try:
            files[response.url] = len(response.body())
        except Exception:  # redirects and aborted requests have no body
            pass

    if count_bytes:
        page.on("response", count)
    else:
        page.wait_for_timeout(SETTLE_SECONDS * 1000)
    page.goto(url, wait_until="load")
    charts = page.locator(f"script.{SPEC_CLASS}").count()
    if charts:
        page.wait_for_function("n => window.__dcDrawn.length >= n", arg=charts, timeout=30000)
    page.wait_for_load_state("networkidle")
    drawn = page.evaluate("() => Math.max(0, ...window.__dcDrawn) / 1000") if charts else None
    context.close()
    return {"files": files, "charts": charts, "drawn": drawn}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("book", nargs="?", type=Path, default=REPO_ROOT)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--assets", action="store_true")
    parser.add_argument("--page", action="append", default=[])
    args = parser.parse_args()
    site = args.book / "_build" / "html"
    if not (site / "index.html").exists():
        print(f"no built site in {site}: run `make book` first")
        return 1
    rows = []
    with SiteServer(site) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for path in content_pages(site):
            relative = str(path.relative_to(site))
            if args.page and not any(text in relative for text in args.page):
                continue
            first = visit(browser, f"{server.url}/{relative}", count_bytes=True)
            files = first["files"]
            own = sum(size for url, size in files.items() if not is_shared(url))
            total = sum(files.values())
            rows.append(
                {
                    "page": relative,
                    "html": path.stat().st_size,
                    "total": total,
                    "own": own,
                    "shared": total - own,
                    "charts": first["charts"],
                    "times": [],
                    "files": files,
                }
            )
        # Timed in rounds over the pages, so that a slow spell of the machine is spread over
        # every page rather than falling on one.
        for _ in range(args.runs):
            for row in rows:
                if row["charts"]:
                    timed = visit(browser, f"{server.url}/{row['page']}", count_bytes=False)
                    row["times"].append(timed["drawn"])
        for row in rows:
            row["drawn"] = statistics.median(row["times"]) if row["times"] else None
        browser.close()
    print(
        f"{'page':40s} {'HTML':>9s} {'total':>10s} {'page-specific':>14s} {'shared':>10s} "
        f"{'charts':>6s} {'last chart drawn':>17s}"
    )
    for row in rows:
        shown = f"{row['drawn']:6.2f} s" if row["drawn"] is not None else "      –"
        print(
            f"{row['page']:40s} {row['html'] / 1024:7.1f} K {row['total'] / MIB:6.2f} MiB "
            f"{row['own'] / 1000:11.1f} KB {row['shared'] / 1024:8.1f} K {row['charts']:6d} "
            f"{shown:>17s}"
        )
    chapters = [r for r in rows if r["page"].startswith("chapters/")] or rows
    heaviest = max(chapters, key=lambda r: r["total"])
    own_most = max(chapters, key=lambda r: r["own"])
    timed = [r for r in chapters if r["drawn"] is not None]
    print(f"\nchapters (median of {args.runs} first visits each):")
    print(
        f"  heaviest in total:   {heaviest['page']} ({heaviest['total'] / MIB:.2f} MiB; "
        f"target {TARGET_TOTAL / MIB:.1f} MiB)"
    )
    print(
        f"  most page-specific:  {own_most['page']} ({own_most['own'] / 1000:.0f} KB; "
        f"target {TARGET_PAGE / 1000:.0f} KB)"
    )
    if timed:
        slowest = max(timed, key=lambda r: r["drawn"])
        print(
            f"  slowest last chart:  {slowest['page']} ({slowest['drawn']:.2f} s; "
            f"target {TARGET_SECONDS} s)"
        )
    if args.assets:
        print(f"\nfiles loaded by {heaviest['page']}:")
        for url, size in sorted(heaviest["files"].items(), key=lambda kv: -kv[1]):
            print(f"  {size / 1024:8.1f} K  {url.split('/', 3)[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
