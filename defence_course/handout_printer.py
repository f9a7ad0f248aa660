"""Printing a handout: a chapter page of the built website, opened in headless Chromium and
printed to an A4 PDF.

:func:`serve` serves the built site on 127.0.0.1; :func:`chromium_path` finds Debian's Chromium
(Playwright drives it); :func:`new_context` gives a browser context at the printable width that
refuses every request to another host and reports it; :func:`open_handout` opens a page as a
handout and waits for its charts; :func:`print_pdf` writes it with ``page.pdf``: A4,
backgrounds off, the course's name and the handout in the header, the source, the licence and
the page numbers in the footer. Which pages are printed, and where the PDFs go, is
:mod:`defence_course.handouts`'s.
"""

from __future__ import annotations

import functools
import html
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from defence_course.charts import CHARTS_SETTLED_JS, ERROR_CLASS, SPEC_CLASS, VIEW_CLASS
from defence_course.paths import REPO_ROOT

# Kind of handout -> its name on paper (header, PDF title, the page's subtitle in dc-print.css);
# the kinds that exist, for defence_course.handouts too.
KINDS: dict[str, str] = {"summary": "Chapter summary", "worksheet": "Worksheet"}

# A4 with these margins leaves a printable width of 180 mm; dc-print.css gives a handout's
# article the same width on screen, so that charts are drawn at the width they print at.
PAGE_FORMAT = "A4"
MARGINS = {"top": "17mm", "bottom": "17mm", "left": "15mm", "right": "15mm"}
PRINTABLE_WIDTH_MM = 180
CSS_PX_PER_MM = 96 / 25.4
PRINTABLE_WIDTH_PX = PRINTABLE_WIDTH_MM * CSS_PX_PER_MM  # 680.3 CSS pixels
# The browser window: as wide as the printable area, as tall as an A4 page.
VIEWPORT = {"width": round(PRINTABLE_WIDTH_PX), "height": round(297 * CSS_PX_PER_MM)}
CHART_TIMEOUT_MS = 30_000

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LICENCE = "Text, figures and data: CC BY 4.0"


# --- the browser and the site, served -------------------------------------------------------


def chromium_path() -> str:
    """Debian's Chromium (or CHROMIUM_PATH); Playwright's own browser download is not used."""
    candidates = [
        os.environ.get("CHROMIUM_PATH"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        "/usr/bin/chromium",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return candidate
    raise RuntimeError(
        "Chromium not found: install Debian's chromium (make browser) "
        "or set CHROMIUM_PATH to a Chromium binary"
    )


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on a free port of 127.0.0.1 while the block runs; yield its address."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    host = "127.0.0.1"
    httpd = ThreadingHTTPServer((host, 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()


# --- one page, opened as a handout ----------------------------------------------------------


class HandoutError(RuntimeError):
    """A handout could not be made as it should be."""


def new_context(browser):
    """A browser context for handouts: the printable width, nothing from other hosts.

    Returns the context and the list that collects refused off-site requests.
    """
    context = browser.new_context(viewport=VIEWPORT)
    refused: list[str] = []

    def route(route):
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname in (
            "127.0.0.1",
            "localhost",
        ):
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    context.route("**/*", route)
    return context, refused


def open_handout(context, base_url: str, docname: str, kind: str):
    """Open a chapter page as the handout ``kind`` and wait until its charts are drawn."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base_url}/{docname}.html?handout={kind}", wait_until="load")
    if not page.evaluate(f"document.documentElement.classList.contains('dc-handout-{kind}')"):
        raise HandoutError(
            f"{docname}: the page does not know ?handout={kind} (built without "
            "the course's Sphinx extension, or too old a build)"
        )
    charts = page.locator(f"script.{SPEC_CLASS}").count()
    if charts:
        page.wait_for_function(CHARTS_SETTLED_JS, arg=charts, timeout=CHART_TIMEOUT_MS)
    failed = page.locator(f".{ERROR_CLASS}").count()
    if failed or errors:
        raise HandoutError(
            f"{docname} ({kind}): {failed} chart(s) not drawn; page errors: {errors}"
        )
    return page


def clipped_charts(page) -> list[str]:
    """Charts of an open page that would not print whole, in print layout.

    The page is switched to print media at the printable width; a chart is clipped when its
    drawing (SVG or canvas) reaches past the printable width or past its own frame.
    """
    page.set_viewport_size(VIEWPORT)
    page.emulate_media(media="print")
    return page.evaluate(
        """limit => {
          const problems = [];
          document.querySelectorAll('."""
        + VIEW_CLASS
        + """').forEach(view => {
            if (!view.getClientRects().length) { return; }   // not printed in this handout
            const frame = view.getBoundingClientRect();
            view.querySelectorAll('svg, canvas').forEach(drawing => {
              if (drawing.closest('svg') !== drawing && drawing.tagName !== 'CANVAS') {
                return;                                        // an SVG inside the chart's SVG
              }
              const box = drawing.getBoundingClientRect();
              if (box.left < -0.5 || box.right > limit + 0.5 || box.right > frame.right + 0.5 ||
                  box.left < frame.left - 0.5 || view.scrollWidth > view.clientWidth + 1) {
                problems.push(`${view.id}: ${drawing.tagName} from ${box.left.toFixed(1)} to `
                  + `${box.right.toFixed(1)} px, frame ${frame.left.toFixed(1)} to `
                  + `${frame.right.toFixed(1)} px, printable width ${limit.toFixed(1)} px`);
              }
            });
          });
          return problems;
        }""",
        PRINTABLE_WIDTH_PX,
    )


# --- the PDF --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def book_settings() -> dict[str, str]:
    """The course's name, authors and repository, from the book's ``_config.yml``."""
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    return {
        "title": config.get("title", "Europe's defence"),
        "author": config.get("author", ""),
        "repository": (config.get("repository") or {}).get("url", ""),
    }


def header_footer(docname: str, kind: str, chapter_title: str) -> tuple[str, str]:
    """Chromium's header and footer templates for one handout (inline styles only)."""
    settings = book_settings()
    esc = html.escape
    style = (
        "font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; font-size: 7.5pt;"
        " color: #444; width: 100%; margin: 0 15mm; display: flex;"
        " justify-content: space-between; gap: 6mm;"
    )
    header = (
        f'<div style="{style}"><span>{esc(settings["title"])}</span>'
        f"<span>{esc(chapter_title)}: {esc(KINDS[kind])}</span></div>"
    )
    author = settings["author"] or "The course authors"
    repository = re.sub(r"^https?://", "", settings["repository"])
    source = " · ".join(
        part
        for part in (f"Source: {docname}", repository, author[0].upper() + author[1:], LICENCE)
        if part
    )
    footer = (
        f'<div style="{style}"><span>{esc(source)}</span>'
        '<span style="white-space: nowrap">Page <span class="pageNumber"></span> of '
        '<span class="totalPages"></span></span></div>'
    )
    return header, footer


def print_pdf(page, docname: str, kind: str, path: Path | None = None) -> bytes:
    """Print an open handout page to PDF (returned, and written to ``path`` if given)."""
    title = page.evaluate(
        "() => { const h = document.querySelector('.bd-article h1');"
        " return h ? h.textContent.replace(/#$/, '').trim() : document.title; }"
    )
    page.evaluate("t => { document.title = t; }", f"{title}: {KINDS[kind]}")
    header, footer = header_footer(docname, kind, title)
    options = dict(
        format=PAGE_FORMAT,
        margin=MARGINS,
        print_background=False,
        display_header_footer=True,
        header_template=header,
        footer_template=footer,
    )
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        options["path"] = str(path)
    return page.pdf(**options)


def pdf_page_count(data: bytes) -> int:
    """Pages of a PDF as Chromium writes it (each page object uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
