"""The chapter registry agrees with the book: each row's key names the chapter's figures module,
claims and assignment, its page starts with ``start_chapter`` of that key and shows the row's
explorer; ``start_chapter`` sets a page up from the registry."""

from __future__ import annotations

import importlib
import json
import re

import altair as alt
import pytest
import yaml

from defence_course import chapters, charts, data, explorers, figures, pages
from defence_course.paths import DATA_DIR, REPO_ROOT
from defence_course.teach import assignments

# The website's tip under an explorer, glued by the page's setup cell.
TIP = ":::{tip}\n:class: dc-website-only\n{glue:md}`explorer_tip`\n:::\n"


def registry_problems(chapter: chapters.Chapter, text: str | None = None) -> list[str]:
    """What in the book (or in ``text``, for its page) contradicts ``chapter``'s row."""
    problems = []
    page = REPO_ROOT / f"{chapter.page}.md"
    if text is None and not page.exists():
        return [f"{chapter.key}: no page {chapter.page}.md"]
    text = page.read_text(encoding="utf-8") if text is None else text
    if not re.search(rf"^# {chapter.number}\. |^# Conclusion", text, re.M):
        problems.append(f"{chapter.key}: the page's title is not numbered {chapter.number}")
    # The preamble is one call, which glues the facts and the tip from the registry.
    started = re.findall(r'^(\w+) = start_chapter\("(\w+)"\)$', text, re.M)
    if started != [(chapter.key, chapter.key)]:
        problems.append(
            f"{chapter.key}: the page does not start with "
            f'{chapter.key} = start_chapter("{chapter.key}") (found {started})'
        )
    if re.search(r"glue_facts\(|setup_notebook\(", text):
        problems.append(f"{chapter.key}: the page glues or sets up by hand")
    try:
        module = chapter.figures()
    except ModuleNotFoundError:
        problems.append(f"{chapter.key}: no figures module defence_course.figures.{chapter.key}")
    else:
        if not callable(getattr(module, "facts", None)):
            problems.append(f"{chapter.key}: figures.{chapter.key} has no facts()")
    shown = set(re.findall(r'explorers\.show\("(\w+)"', text))
    if shown != ({chapter.explorer} if chapter.explorer else set()):
        problems.append(
            f"{chapter.key}: the page shows explorers {sorted(shown)}, the registry "
            f"says {chapter.explorer}"
        )
    if shown and TIP not in text:
        problems.append(f"{chapter.key}: the page does not show its explorer's tip")
    if "version of this page has the same explorer" in " ".join(text.split()):
        problems.append(f"{chapter.key}: the page writes its explorer's tip by hand")
    if chapter.explorer and chapter.explorer not in explorers.EXPLORERS:
        problems.append(f"{chapter.key}: no explorer {chapter.explorer!r}")
    if chapter.key not in assignments.ASSIGNMENTS:
        problems.append(f"{chapter.key}: no assignment {chapter.key!r}")
    elif assignments.get(chapter.key).chapter != chapter.page:
        problems.append(f"{chapter.key}: assignment {chapter.key} belongs to another page")
    claims = set(data.load_dataset("article_claims")["chapter"].astype(str))
    if chapter.key not in claims:
        problems.append(f"{chapter.key}: no claim has chapter {chapter.key!r}")
    return problems


@pytest.mark.parametrize("chapter", chapters.CHAPTERS, ids=lambda c: c.key)
def test_registry_row_matches_the_book(chapter):
    assert not registry_problems(chapter)
    assert any(key.startswith(f"{chapter.key}.") for key in figures.all_figures())
    assert (REPO_ROOT / "exercises" / chapter.key / f"{chapter.key}.ipynb").exists()


def test_registry_lists_the_toc_chapters_in_order_with_unique_keys():
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    listed = [
        entry["file"]
        for part in toc["parts"]
        for entry in part["chapters"]
        if re.match(r"chapters/\d\d_", entry["file"])
    ]
    assert listed == [c.page for c in chapters.CHAPTERS]
    assert [c.number for c in chapters.CHAPTERS] == list(range(1, len(chapters.CHAPTERS) + 1))
    assert len({c.key for c in chapters.CHAPTERS}) == len(chapters.CHAPTERS)
    with pytest.raises(KeyError, match="no chapter 'nonsense'; known: threat, us_posture"):
        chapters.get("nonsense")


def test_the_claims_chapters_are_the_keys_and_the_introduction():
    """The schema's list of chapters of ``article_claims`` is the registry's keys."""
    package = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "article_claims")
    field = next(f for f in resource["schema"]["fields"] if f["name"] == "chapter")
    assert field["constraints"]["enum"] == ["intro", *(c.key for c in chapters.CHAPTERS)]


def test_every_figures_module_but_the_timeline_is_a_chapter():
    modules = {key.split(".")[0] for key in figures.all_figures()}
    assert modules - {c.key for c in chapters.CHAPTERS} == {"timeline"}


def test_a_wrong_row_is_caught():
    wrong = chapters.Chapter("threat", 1, "chapters/01_threat", "council")
    assert [p.split(": ", 1)[1] for p in registry_problems(wrong)] == [
        "the page shows explorers ['attrition'], the registry says council"
    ]
    # a chapter's old names: the key of no figures module, assignment or claim
    renamed = chapters.Chapter("posture", 2, "chapters/02_us_posture", "opinion")
    problems = [p.split(": ", 1)[1] for p in registry_problems(renamed)]
    assert problems == [
        'the page does not start with posture = start_chapter("posture") '
        "(found [('us_posture', 'us_posture')])",
        "no figures module defence_course.figures.posture",
        "no assignment 'posture'",
        "no claim has chapter 'posture'",
    ]


def test_a_page_with_a_hand_written_preamble_or_tip_is_caught():
    chapter = chapters.get("threat")
    text = (REPO_ROOT / f"{chapter.page}.md").read_text(encoding="utf-8")
    hand_written = text.replace(
        "{glue:md}`explorer_tip`",
        "The notebook version of this page has the same explorer with a reset button.",
    ).replace(
        'threat = start_chapter("threat")',
        "dc.setup_notebook()\nglue_facts(threat.facts())",
    )
    problems = registry_problems(chapter, hand_written)
    assert [p.split(": ", 1)[1] for p in problems] == [
        'the page does not start with threat = start_chapter("threat") (found [])',
        "the page glues or sets up by hand",
        "the page does not show its explorer's tip",
        "the page writes its explorer's tip by hand",
    ]


# --- start_chapter: a page's setup in one call ------------------------------------------------


@pytest.fixture
def glued(monkeypatch):
    """What ``start_chapter`` glues, in order (myst-nb itself is not called)."""
    calls: list[dict] = []
    monkeypatch.setattr(pages, "glue_facts", lambda facts: calls.append(dict(facts)))
    yield calls
    alt.renderers.enable("default")


@pytest.mark.parametrize("chapter", chapters.CHAPTERS, ids=lambda c: c.key)
def test_start_chapter_glues_the_facts_and_the_tip_on_the_website(monkeypatch, glued, chapter):
    monkeypatch.setenv(charts.SITE_ENV, "1")
    module = pages.start_chapter(chapter.key)
    assert module is importlib.import_module(f"defence_course.figures.{chapter.key}")
    assert glued[0] == module.facts()
    if chapter.explorer:
        assert len(glued) == 2 and set(glued[1]) == {"explorer_tip"}
        assert glued[1]["explorer_tip"].data == explorers.tip(chapter.explorer)
    else:
        assert len(glued) == 1
    assert alt.theme.active == charts.THEME_NAME
    assert alt.renderers.active == charts.RENDERER_NAME


def test_start_chapter_in_a_notebook_sets_up_and_glues_nothing(monkeypatch, glued):
    monkeypatch.delenv(charts.SITE_ENV, raising=False)
    monkeypatch.setattr(charts, "in_kernel", lambda: True)
    from defence_course.figures import us_posture

    assert pages.start_chapter("us_posture") is us_posture
    assert glued == []
    assert alt.theme.active == charts.THEME_NAME
    assert alt.renderers.active == charts.NOTEBOOK_RENDERER_NAME


def test_start_chapter_of_an_unknown_key_names_the_chapters(glued):
    with pytest.raises(KeyError) as error:
        pages.start_chapter("posture")
    assert error.value.args[0] == (
        "no chapter 'posture'; known: threat, us_posture, capability, eu_nato, constitution, "
        "conclusion"
    )
    assert glued == []
