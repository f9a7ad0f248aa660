"""Printable handouts: a summary and a worksheet for each chapter, as A4 PDFs.

Each handout is a chapter page of the *built* website, printed by headless Chromium:

- ``chapters/<name>.html?handout=summary``: the learning objectives, each evidence section's
  charts (as drawn, without their toolbars) and claim checks, and the chapter's "Ideas"
  section: what a student takes home;
- ``chapters/<name>.html?handout=worksheet``: the objectives, the self-check questions with
  their choices and no answers or explanations, and the discussion questions with ruled space
  to write: for class.

The page does the selecting, not this module: an inline script of
:mod:`defence_course.sphinxext` turns ``?handout=<kind>`` into the classes ``dc-handout`` and
``dc-handout-<kind>`` on ``<html>``, the extension marks each part of a chapter at build time
(``dc-handout-objectives``, ``-evidence``, ``-ideas``, ``-selfcheck``, ``-discussion``) and
the site's print stylesheet (``_static/dc-print.css``) shows only the parts of the handout. The
same address in a browser is a preview, and printing it from there gives the same handout.

This module serves the built site on 127.0.0.1, opens each page in Debian's Chromium (with
Playwright; every request to another host is refused and reported as an error), waits for the
charts, and writes ``<site>/handouts/<name>-<kind>.pdf`` with ``page.pdf``: A4, backgrounds
off, the course's name and the handout in the header, the source, the licence and the page
numbers in the footer. The chapters link them ("Print" under each chapter's title).

``python -m defence_course handouts [--site _build/html] [--out DIR] [--chapter NAME] [--force]``
(``make book`` runs it after the website is built). A handout newer than its page, the print
stylesheet, the chart loader and this module is left as it is unless ``--force`` is given.
"""

from __future__ import annotations

import argparse
import functools
import html
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from defence_course.chapters import CHAPTERS as COURSE_CHAPTERS
from defence_course.charts import CHARTS_SETTLED_JS, ERROR_CLASS, SPEC_CLASS, VIEW_CLASS
from defence_course.paths import REPO_ROOT

# The chapters that have handouts (Sphinx docnames), in the book's order.
CHAPTERS: tuple[str, ...] = tuple(chapter.page for chapter in COURSE_CHAPTERS)
# Kind of handout -> its name on paper (header, PDF title, the page's subtitle in dc-print.css).
KINDS: dict[str, str] = {"summary": "Chapter summary", "worksheet": "Worksheet"}
# Where the PDFs go, under the built site (the chapters link ../handouts/<file>).
HANDOUT_DIR = "handouts"
STYLESHEET = "dc-print.css"

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


def handout_file(docname: str, kind: str) -> str:
    """The PDF's file name: ``01_threat-summary.pdf``."""
    if kind not in KINDS:
        raise ValueError(f"unknown handout {kind!r} (known: {', '.join(KINDS)})")
    return f"{Path(docname).name}-{kind}.pdf"


def handout_link(docname: str, kind: str) -> str:
    """The PDF's address relative to the chapter's page: ``../handouts/01_threat-summary.pdf``."""
    up = "../" * docname.count("/")
    return f"{up}{HANDOUT_DIR}/{handout_file(docname, kind)}"


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


@dataclass(frozen=True)
class Handout:
    """One PDF written (or found up to date)."""

    docname: str
    kind: str
    path: Path
    pages: int
    size: int
    seconds: float
    written: bool


def pdf_page_count(data: bytes) -> int:
    """Pages of a PDF as Chromium writes it (each page object uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


# --- the site, served -----------------------------------------------------------------------


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


def up_to_date(pdf: Path, site: Path, docname: str) -> bool:
    """True when ``pdf`` is newer than what it is made from."""
    if not pdf.exists():
        return False
    sources = [
        site / f"{docname}.html",
        site / "_static" / STYLESHEET,
        site / "_static" / "defence_course.js",
        Path(__file__),
    ]
    built = pdf.stat().st_mtime
    return all(source.exists() and source.stat().st_mtime < built for source in sources)


def build_handouts(
    site: Path,
    out: Path | None = None,
    *,
    chapters: Sequence[str] = CHAPTERS,
    kinds: Sequence[str] = tuple(KINDS),
    force: bool = True,
    log=None,
) -> list[Handout]:
    """Write the handouts of ``chapters`` from the built site ``site`` into ``out``.

    ``out`` defaults to ``site/handouts`` (where the chapters link them). Unless ``force``,
    a handout that is up to date (:func:`up_to_date`) is kept. ``log`` (a callable) hears of
    each handout as it is done.
    """
    from playwright.sync_api import sync_playwright

    site = Path(site).resolve()
    out = Path(out).resolve() if out is not None else site / HANDOUT_DIR
    for docname in chapters:
        if not (site / f"{docname}.html").exists():
            raise HandoutError(f"{site / docname}.html is missing: build the website first")
    todo = [
        (d, k)
        for d in chapters
        for k in kinds
        if force or not up_to_date(out / handout_file(d, k), site, d)
    ]
    done: list[Handout] = []

    def record(docname: str, kind: str, seconds: float, written: bool) -> None:
        path = out / handout_file(docname, kind)
        data = path.read_bytes()
        done.append(Handout(docname, kind, path, pdf_page_count(data), len(data), seconds, written))
        if log:
            log(done[-1])

    if todo:
        with serve(site) as base_url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS
            )
            try:
                context, refused = new_context(browser)
                for docname, kind in todo:
                    start = time.perf_counter()
                    page = open_handout(context, base_url, docname, kind)
                    print_pdf(page, docname, kind, out / handout_file(docname, kind))
                    page.close()
                    if refused:
                        raise HandoutError(
                            f"{docname} ({kind}) asked for other hosts: {sorted(set(refused))}"
                        )
                    record(docname, kind, time.perf_counter() - start, True)
            finally:
                browser.close()
    for docname in chapters:
        for kind in kinds:
            if (docname, kind) not in todo:
                record(docname, kind, 0.0, False)
    order = {(d, k): i for i, (d, k) in enumerate((d, k) for d in chapters for k in kinds)}
    return sorted(done, key=lambda h: order[(h.docname, h.kind)])


# --- command line ---------------------------------------------------------------------------


def _chapter(name: str) -> str:
    for docname in CHAPTERS:
        if name in (docname, Path(docname).name, f"{docname}.md", Path(docname).name[3:]):
            return docname
    raise argparse.ArgumentTypeError(
        f"unknown chapter {name!r} (known: {', '.join(Path(d).name for d in CHAPTERS)})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m defence_course handouts",
        description="Print each chapter's summary and worksheet to A4 PDFs from the built "
        "website, with headless Chromium (see defence_course/handouts.py).",
    )
    parser.add_argument(
        "--site",
        type=Path,
        default=REPO_ROOT / "_build" / "html",
        help="the built website (default: _build/html)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where to write the PDFs (default: SITE/handouts, which the chapters link)",
    )
    parser.add_argument(
        "--chapter",
        dest="chapters",
        type=_chapter,
        action="append",
        metavar="NAME",
        help="only this chapter, e.g. 01_threat (repeatable)",
    )
    parser.add_argument(
        "--kind",
        dest="kinds",
        choices=list(KINDS),
        action="append",
        help="only this kind of handout (repeatable)",
    )
    parser.add_argument("--force", action="store_true", help="rewrite handouts that are up to date")
    args = parser.parse_args(argv)

    def show(handout: Handout) -> None:
        state = f"{handout.seconds:4.1f} s" if handout.written else "up to date"
        print(
            f"  {handout.path.name:40} {handout.pages:2d} pages {handout.size / 1024:7.0f} KiB"
            f"  {state}",
            flush=True,
        )

    start = time.perf_counter()
    print(f"Handouts from {args.site}:", flush=True)
    try:
        made = build_handouts(
            args.site,
            args.out,
            chapters=args.chapters or CHAPTERS,
            kinds=args.kinds or tuple(KINDS),
            force=args.force,
            log=show,
        )
    except (HandoutError, RuntimeError) as error:
        print(f"handouts: {error}", file=sys.stderr)
        return 1
    written = sum(h.written for h in made)
    where = made[0].path.parent if made else args.out
    print(
        f"{written} written, {len(made) - written} up to date, in {where} "
        f"({time.perf_counter() - start:.1f} s)"
    )
    return 0
