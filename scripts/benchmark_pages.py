"""Benchmark what a reader's browser loads: page weight and time to the last chart drawn.

Builds nothing: run it after `make book` (or pass a folder holding _build/html). For each page it
reports the HTML size, the bytes the browser loaded split into page-specific (the page itself and
anything else not shared) and shared (_static/ and the search index, cached across pages), and
the time from
navigation to the last chart drawn. Targets: page-specific bytes <= 350 KB for a chapter, every
chart drawn within 1.5 s on the local server.

Run: .venv/bin/python scripts/benchmark_pages.py [BOOK_DIR]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from defence_course.paths import REPO_ROOT
from defence_course.sitecheck import content_pages

sys.path.insert(0, str(REPO_ROOT))
from tests.browser import CHROMIUM_ARGS, SiteServer, chromium_path  # noqa: E402


def main() -> int:
    book = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO_ROOT
    site = book / "_build" / "html"
    if not (site / "index.html").exists():
        print(f"no built site in {site}: run `make book` first")
        return 1
    rows = []
    with SiteServer(site) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for path in content_pages(site):
            relative = str(path.relative_to(site))
            context = browser.new_context()
            page = context.new_page()
            loaded = {"page": 0, "shared": 0}

            def count(response, loaded=loaded):
                try:
                    size = len(response.body())
                except Exception:  # redirects and aborted requests have no body
                    return
                shared = "/_static/" in response.url or "/searchindex.js" in response.url
                kind = "shared" if shared else "page"
                loaded[kind] += size

            page.on("response", count)
            start = time.perf_counter()
            page.goto(f"{server.url}/{relative}", wait_until="load")
            charts = page.locator("script.dc-chart-spec").count()
            if charts:
                page.wait_for_function(
                    "n => document.querySelectorAll('.dc-chart-view[data-rendered=true]')"
                    ".length >= n", arg=charts, timeout=30000)
            drawn = time.perf_counter() - start
            page.wait_for_load_state("networkidle")
            rows.append((relative, path.stat().st_size, loaded["page"], loaded["shared"],
                         charts, drawn))
            context.close()
        browser.close()
    print(f"{'page':40s} {'HTML':>9s} {'page-specific':>14s} {'shared':>10s} {'charts':>6s} "
          f"{'last chart drawn':>17s}")
    for relative, html, own, shared, charts, drawn in rows:
        shown = f"{drawn:6.2f} s" if charts else "      –"
        print(f"{relative:40s} {html / 1024:7.1f} K {own / 1024:12.1f} K {shared / 1024:8.1f} K "
              f"{charts:6d} {shown:>17s}")
    heaviest = max(rows, key=lambda r: r[2])
    slowest = max(rows, key=lambda r: r[5])
    print(f"\nheaviest page-specific: {heaviest[0]} ({heaviest[2] / 1024:.0f} KB; target 350 KB)")
    print(f"slowest last chart: {slowest[0]} ({slowest[5]:.2f} s; target 1.5 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
