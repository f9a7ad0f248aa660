"""The website builds warning-free and every page shows its executed output."""

from __future__ import annotations

import re

import yaml

from defence_course.charts import SPEC_CLASS
from defence_course.paths import REPO_ROOT
from defence_course.sitecheck import content_pages


def toc_pages() -> list[str]:
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part["chapters"]:
            pages.append(chapter["file"])
            pages += [s["file"] for s in chapter.get("sections", [])]
    return pages


def test_build_has_no_warnings(built_site):
    assert built_site.returncode == 0
    assert built_site.warnings == []


def test_every_toc_page_is_built(site_dir):
    for page in toc_pages():
        assert (site_dir / f"{page}.html").exists(), f"{page} is in _toc.yml but was not built"


def test_toc_has_intro_five_chapters_and_conclusion():
    pages = toc_pages()
    assert pages[0] == "intro"
    chapters = [p for p in pages if p.startswith("chapters/")]
    for topic in ("threat", "us_posture", "capability", "eu_nato", "constitutional", "conclusion"):
        assert any(topic in p for p in chapters), f"no chapter about {topic} in _toc.yml"


def notebook_pages() -> list[str]:
    """Pages that are MyST notebooks (assignment pages are .ipynb shown unexecuted)."""
    return [
        p
        for p in toc_pages()
        if (REPO_ROOT / f"{p}.md").exists()
        and "{code-cell}" in (REPO_ROOT / f"{p}.md").read_text(encoding="utf-8")
    ]


def test_every_page_shows_executed_output(site_dir):
    assert len(notebook_pages()) >= 7, "the intro and the six chapters must all be notebooks"
    for page in notebook_pages():
        html = (site_dir / f"{page}.html").read_text(encoding="utf-8")
        outputs = re.findall(r'class="cell_output', html)
        assert outputs, f"{page}.html shows no executed cell output"
        assert "output error" not in html and "Traceback" not in html, f"{page}.html shows an error"


def test_only_course_pages_are_built(site_dir):
    built = {str(p.relative_to(site_dir).with_suffix("")) for p in content_pages(site_dir)}
    assert built == set(toc_pages()), "pages outside _toc.yml were built (or some are missing)"


def test_chart_scripts_only_on_pages_with_charts(site_dir):
    for page in toc_pages():
        html = (site_dir / f"{page}.html").read_text(encoding="utf-8")
        has_chart = f'class="{SPEC_CLASS}"' in html
        assert ("vega-runtime.js" in html) == has_chart, page
        assert html.count("vega-runtime.js") <= 1, f"{page} loads the Vega bundle twice"
