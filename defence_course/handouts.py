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

This module chooses what to print (which chapters and kinds, what is up to date) and where the
PDFs go, ``<site>/handouts/<name>-<kind>.pdf``, which the chapters link ("Print" under each
chapter's title). :mod:`defence_course.handout_printer` serves the built site, opens each page
in headless Chromium and prints it.

``python -m defence_course handouts [--site _build/html] [--out DIR] [--chapter NAME] [--force]``
(``make book`` runs it after the website is built). A handout newer than its page, the print
stylesheet, the chart loader and the printing code is left as it is unless ``--force`` is given.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from defence_course import handout_printer
from defence_course.chapters import CHAPTERS as COURSE_CHAPTERS
from defence_course.handout_printer import (
    CHROMIUM_ARGS,
    KINDS,
    HandoutError,
    chromium_path,
    clipped_charts,
    new_context,
    open_handout,
    pdf_page_count,
    print_pdf,
    serve,
)
from defence_course.paths import REPO_ROOT

# The printing names are re-exported: the tests and tests/browser.py use them from here.
__all__ = [
    "CHAPTERS",
    "HANDOUT_DIR",
    "KINDS",
    "STYLESHEET",
    "Handout",
    "HandoutError",
    "build_handouts",
    "chromium_path",
    "clipped_charts",
    "handout_file",
    "handout_link",
    "main",
    "new_context",
    "open_handout",
    "pdf_page_count",
    "print_pdf",
    "up_to_date",
]

# The chapters that have handouts (Sphinx docnames), in the book's order.
CHAPTERS: tuple[str, ...] = tuple(chapter.page for chapter in COURSE_CHAPTERS)
# Where the PDFs go, under the built site (the chapters link ../handouts/<file>).
HANDOUT_DIR = "handouts"
STYLESHEET = "dc-print.css"


def handout_file(docname: str, kind: str) -> str:
    """The PDF's file name: ``01_threat-summary.pdf``."""
    if kind not in KINDS:
        raise ValueError(f"unknown handout {kind!r} (known: {', '.join(KINDS)})")
    return f"{Path(docname).name}-{kind}.pdf"


def handout_link(docname: str, kind: str) -> str:
    """The PDF's address relative to the chapter's page: ``../handouts/01_threat-summary.pdf``."""
    up = "../" * docname.count("/")
    return f"{up}{HANDOUT_DIR}/{handout_file(docname, kind)}"


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


def up_to_date(pdf: Path, site: Path, docname: str) -> bool:
    """True when ``pdf`` is newer than what it is made from."""
    if not pdf.exists():
        return False
    sources = [
        site / f"{docname}.html",
        site / "_static" / STYLESHEET,
        site / "_static" / "defence_course.js",
        Path(__file__),
        Path(handout_printer.__file__),
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
