"""The chapters' printable handouts (defence_course.handouts): a summary and a worksheet per
chapter, printed from the built pages by headless Chromium with the site's print stylesheet.

The PDFs checked are the site's own (``_build/html/handouts``, written by ``build_book(...,
handouts=True)`` as ``make book`` does, and linked from each chapter). Each has a page count in
bounds; the worksheet holds the objectives, every self-check and discussion question and no
answer or explanation; the summary holds the objectives, the claim checks and the Ideas section
and none of the page's widgets; no chart is clipped in print layout. Each check is also shown
to fail on a broken handout (a chart forced wider, the explanations shown, a stylesheet that
hides nothing).
"""

from __future__ import annotations

import html
import io
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from defence_course import handouts
from defence_course.handouts import CHAPTERS, KINDS

from .browser import part

# Pages per handout: the aim is 2-4; a summary of a chapter with many charts may take five.
PAGE_BOUNDS = {"summary": (2, 5), "worksheet": (2, 4)}
MAX_BYTES = 1024 * 1024
# Text of the page that no handout prints: its widgets and the parts left out.
NEVER_PRINTED = [
    "Download:",
    "Show the data behind this chart",
    "Check answers",
    "Show code cell source",
    "Skip to main content",
]


# --- reading the pages and the PDFs --------------------------------------------------------


def squash(text: str) -> str:
    """Text compared without case, spacing or line breaks (as a PDF's text comes out)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def pdf_text(pdf: Path | bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_pages(pdf: Path | bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf).pages)


def section(page_html: str, part: str) -> str:
    """The HTML of the chapter section marked ``dc-handout-<part>``."""
    found = re.search(
        rf'<section class="dc-handout-{part}"[^>]*>(.*?)(?=<section |\Z)', page_html, re.S
    )
    assert found, f"no section marked dc-handout-{part}"
    return found.group(1)


def objectives(page_html: str) -> list[str]:
    box = re.search(r'<div class="[^"]*dc-handout-objectives[^"]*">(.*?)</div>', page_html, re.S)
    assert box, "no learning objectives marked for the handouts"
    return [plain(item) for item in re.findall(r"<li>(.*?)</li>", box.group(1), re.S)]


def spoilers(page_html: str) -> list[str]:
    """The explanation under each self-check question (what a worksheet must not show)."""
    return [
        plain(block)
        for block in re.findall(
            r'<div class="yaq-spoiler-block-content">(.*?)</div></details>', page_html, re.S
        )
    ]


def selfcheck_questions(page_html: str) -> list[str]:
    return [
        plain(prompt)
        for prompt in re.findall(
            r"<li><p>(.*?)<span class=\"yaq-q\"", section(page_html, "selfcheck"), re.S
        )
    ]


def discussion_questions(page_html: str) -> list[str]:
    return [
        plain(item)
        for item in re.findall(r"<li><p>(.*?)</p>", section(page_html, "discussion"), re.S)
    ]


def claim_quotes(page_html: str) -> list[str]:
    return [
        plain(quote)
        for quote in re.findall(
            r'<aside class="dc-claim[^>]*>.*?<blockquote><p>(.*?)</p>', page_html, re.S
        )
    ]


def head(text: str, size: int = 45) -> str:
    """The first ``size`` characters of ``text``, squashed: enough to recognise it."""
    return squash(text)[:size]


def missing(texts: list[str], printed: str) -> list[str]:
    return [text for text in texts if head(text) not in squash(printed)]


def leaked(page_html: str, printed: str) -> list[str]:
    """Self-check explanations that a handout's text shows (recognised by a longer start: an
    explanation may open with words of the chapter's own text)."""
    return [text for text in spoilers(page_html) if head(text, 80) in squash(printed)]


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(site_dir: Path) -> dict[tuple[str, str], Path]:
    folder = site_dir / handouts.HANDOUT_DIR
    found = {(d, k): folder / handouts.handout_file(d, k) for d in CHAPTERS for k in KINDS}
    absent = sorted(p.name for p in found.values() if not p.exists())
    assert not absent, (
        f"handouts missing from {folder}: {absent} (the site is built with "
        "build_book(..., handouts=True), as make book does)"
    )
    return found


@pytest.fixture(scope="module")
def pages(site_dir: Path) -> dict[str, str]:
    return {d: (site_dir / f"{d}.html").read_text(encoding="utf-8") for d in CHAPTERS}


@pytest.fixture
def context(chromium):
    context, refused = handouts.new_context(chromium)
    yield context
    context.close()
    assert not refused, f"requests to other hosts: {refused}"


# --- the PDFs ------------------------------------------------------------------------------


def test_each_handout_has_a_page_count_in_bounds(pdfs):
    problems = []
    for (_, kind), path in pdfs.items():
        pages, size = pdf_pages(path), path.stat().st_size
        low, high = PAGE_BOUNDS[kind]
        if not low <= pages <= high:
            problems.append(f"{path.name}: {pages} pages, not {low}-{high}")
        if size > MAX_BYTES:
            problems.append(f"{path.name}: {size} bytes")
        # The command reports pages with its own count; it agrees with pypdf's.
        assert handouts.pdf_page_count(path.read_bytes()) == pages, path.name
    assert not problems, problems


def test_each_chapter_links_its_handouts(pages):
    for docname, page_html in pages.items():
        for kind in KINDS:
            link = handouts.handout_link(docname, kind)
            assert f'href="{link}"' in page_html, f"{docname} does not link {link}"


def test_the_worksheet_has_the_questions_and_no_answers(pdfs, pages):
    for docname, page_html in pages.items():
        printed = pdf_text(pdfs[(docname, "worksheet")])
        assert spoilers(page_html), f"{docname}: no self-check explanations found on the page"
        assert not leaked(page_html, printed), f"{docname}: the worksheet shows explanations"
        assert not missing(objectives(page_html), printed), f"{docname}: objectives missing"
        questions = selfcheck_questions(page_html) + discussion_questions(page_html)
        assert len(questions) >= 8, f"{docname}: too few questions found on the page"
        assert not missing(questions, printed), f"{docname}: questions missing"
        assert squash("Name") in squash(printed) and squash("Worksheet") in squash(printed)
        for text in NEVER_PRINTED + ["Further reading", "Key terms"]:
            assert squash(text) not in squash(printed), f"{docname} worksheet shows {text!r}"


def test_the_summary_has_objectives_claims_and_ideas_and_no_widgets(pdfs, pages):
    for docname, page_html in pages.items():
        printed = pdf_text(pdfs[(docname, "summary")])
        assert not missing(objectives(page_html), printed), f"{docname}: objectives missing"
        quotes = claim_quotes(page_html)
        assert quotes and not missing(quotes, printed), f"{docname}: claim checks missing"
        ideas = re.search(r"<h2>(.*?)<a class=\"headerlink\"", section(page_html, "ideas"))
        assert squash(plain(ideas.group(1))) in squash(printed), f"{docname}: no Ideas"
        assert not leaked(page_html, printed), f"{docname}: the summary shows self-checks"
        for text in NEVER_PRINTED + ["Explorer:", "Perspectives:", "Discussion questions"]:
            assert squash(text) not in squash(printed), f"{docname} summary shows {text!r}"


# --- print layout, in the browser ----------------------------------------------------------


def test_no_chart_is_clipped_in_print_layout(site_server, context):
    for docname in CHAPTERS:
        page = handouts.open_handout(context, site_server.url, docname, "summary")
        assert not handouts.clipped_charts(page), docname
        printed = page.evaluate(
            "view => [...document.querySelectorAll(view + ' svg')]"
            ".filter(s => s.getClientRects().length).length",
            part("view"),
        )
        assert printed >= 2, f"{docname}: {printed} charts in its summary"
        page.close()


def test_the_clip_check_finds_a_chart_forced_wider(site_server, context):
    page = handouts.open_handout(context, site_server.url, CHAPTERS[0], "summary")
    assert not handouts.clipped_charts(page)
    page.add_style_tag(
        content=f"{part('view')} svg {{ width: 1000px !important; max-width: none !important; }}"
    )
    assert handouts.clipped_charts(page)


def test_the_checks_find_explanations_printed_and_a_stylesheet_that_hides_nothing(
    site_server, context, pages
):
    docname = CHAPTERS[0]
    page = handouts.open_handout(context, site_server.url, docname, "worksheet")
    page.add_style_tag(
        content='html.dc-handout-worksheet [class*="yaq-spoiler"] { display: block !important; }'
    )
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    shown = handouts.print_pdf(page, docname, "worksheet")
    # (An explanation that a page break cuts may not be recognised: most must be.)
    assert len(leaked(pages[docname], pdf_text(shown))) > len(spoilers(pages[docname])) / 2
    # Without the handout's classes the stylesheet hides nothing: the whole chapter prints.
    page.evaluate("document.documentElement.classList.remove('dc-handout', 'dc-handout-worksheet')")
    whole = handouts.print_pdf(page, docname, "worksheet")
    assert pdf_pages(whole) > PAGE_BOUNDS["worksheet"][1]
    page.close()


def test_the_command_writes_a_handout(site_dir, tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "defence_course",
            "handouts",
            "--site",
            str(site_dir),
            "--out",
            str(tmp_path),
            "--chapter",
            "06_conclusion",
            "--kind",
            "worksheet",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    written = tmp_path / "06_conclusion-worksheet.pdf"
    assert written.exists() and "1 written" in done.stdout
    assert [p.name for p in tmp_path.iterdir()] == [written.name]
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "defence_course",
            "handouts",
            "--site",
            str(site_dir),
            "--out",
            str(tmp_path),
            "--chapter",
            "06_conclusion",
            "--kind",
            "worksheet",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0 and "up to date" in again.stdout


def test_an_unknown_chapter_is_refused(capsys):
    with pytest.raises(SystemExit):
        handouts.main(["--chapter", "07_nowhere"])
    assert "unknown chapter" in capsys.readouterr().err


# --- the extension's part ------------------------------------------------------------------


def test_printed_choices_never_hold_the_answer():
    from sphinx_yaq.models import parse_question

    from defence_course.sphinx_handouts import printable_choices

    blank = printable_choices(parse_question('{"type":"FB","answer":"110","size":5}'))
    assert "110" not in blank and "dc-print-blank" in blank
    true_false = printable_choices(parse_question('{"type":"TF","answer":"F"}'))
    assert true_false.count('dc-print-choice"') == 2 and ">True<" in true_false
    choice = printable_choices(
        parse_question('{"type":"SC","values":"Fighter jets,Drones","answer":"Drones"}')
    )
    assert choice.count('dc-print-choice"') == 2 and "answer" not in choice


def test_sections_are_marked_by_their_headings():
    from defence_course.sphinx_handouts import handout_part

    assert handout_part("Ideas: deterrence, grey zones and probing") == "dc-handout-ideas"
    assert handout_part("Check your understanding") == "dc-handout-selfcheck"
    assert handout_part("Discussion questions") == "dc-handout-discussion"
    assert handout_part("Explorer: how long do the interceptors last?") is None
    assert handout_part("Perspectives: rely on America, or on Europe?") is None
    assert handout_part("The air war over Ukraine") == "dc-handout-evidence"
