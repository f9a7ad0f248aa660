"""Each chapter sets its evidence in the field's thinking (issue 12, items 1-3): a concept
section of about 800-1,200 words of prose, at least three named perspectives stated in their
strongest form with who holds them, and 3-5 academic or think-tank readings that resolve to rows
of data/sources.csv, each with a line on why to read it."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from defence_course import data
from defence_course.chapters import CHAPTERS
from defence_course.paths import REPO_ROOT

PAGES = [chapter.page for chapter in CHAPTERS]
# The families of views the course presents; a perspective's title must start with one of them.
PERSPECTIVES = (
    "The Atlanticist",
    "The Europeanist",
    "The eastern-flank",
    "The neutral",
    "The sovereigntist",
    "The critical",
    "The southern and western",
    "The European-industry",
    "The American restraint",
)
READING_KINDS = {"academic", "think tank"}
MIN_WORDS, MAX_WORDS = 800, 1200
MIN_PERSPECTIVE_WORDS = 60


def section(text: str, heading: str) -> str | None:
    """The body of the level-2 section whose heading starts with ``heading``, or None."""
    match = re.search(rf"^## {re.escape(heading)}.*$", text, re.M)
    if not match:
        return None
    rest = text[match.end() :]
    end = re.search(r"^## ", rest, re.M)
    return rest[: end.start()] if end else rest


def prose_words(markdown: str) -> int:
    """Words a reader reads: citations, labels and role markup are not counted."""
    markdown = re.sub(r"^```.*?^```$", "", markdown, flags=re.M | re.S)
    markdown = re.sub(r"\{cite\}`[^`]*`", "", markdown)
    markdown = re.sub(r"\{term\}`([^`<]*?)\s*(<[^`]*>)?`", r"\1", markdown)
    markdown = re.sub(r"^\(.*\)=$", "", markdown, flags=re.M)
    return len(re.findall(r"[A-Za-zÀ-ÿ0-9][\w'’.,%-]*", markdown))


def perspectives(text: str) -> list[tuple[str, str]]:
    """(title, body) of each perspective admonition in the Perspectives section."""
    body = section(text, "Perspectives") or ""
    found = re.findall(
        r"^:::\{admonition\} ([^\n]+)\n:class: dc-perspective\n(.*?)^:::$", body, re.M | re.S
    )
    return [(title.strip(), content) for title, content in found]


def readings(text: str) -> list[str]:
    """The bullet items of the 'Research and analysis' list under Further reading."""
    further = section(text, "Further reading") or ""
    match = re.search(r"^### Research and analysis\n(.*?)(?=^#|\Z)", further, re.M | re.S)
    if not match:
        return []
    return [item.strip() for item in re.split(r"^- ", match.group(1), flags=re.M)[1:]]


def concept_problems(text: str, sources: pd.DataFrame) -> list[str]:
    """Everything that keeps a page from meeting items 1-3 of issue 12, as messages."""
    problems = []
    ideas = section(text, "Ideas")
    if ideas is None:
        problems.append("no '## Ideas: ...' concept section")
    else:
        words = prose_words(ideas)
        if not MIN_WORDS <= words <= MAX_WORDS:
            problems.append(f"concept section has {words} words, not {MIN_WORDS}-{MAX_WORDS}")
        if "{cite}`" not in ideas:
            problems.append("concept section cites no reading")
    views = perspectives(text)
    if len(views) < 3:
        problems.append(f"{len(views)} perspectives, fewer than 3")
    for title, body in views:
        if not title.startswith(PERSPECTIVES):
            problems.append(f"perspective {title!r} is not one of the named families")
        if "**Who holds it.**" not in body or "**The argument.**" not in body:
            problems.append(f"perspective {title!r} does not say who holds it and why")
        if prose_words(body) < MIN_PERSPECTIVE_WORDS:
            problems.append(f"perspective {title!r} is too short to argue")
    if len({title.split(":")[0] for title, _ in views}) != len(views):
        problems.append("two perspectives have the same family")
    items = readings(text)
    if not 3 <= len(items) <= 5:
        problems.append(f"{len(items)} readings, not 3-5")
    kinds = sources.set_index("source_id")["kind"]
    for item in items:
        keys = re.findall(r"\{cite\}`([^`]+)`", item)
        if len(keys) != 1:
            problems.append(f"reading {item[:40]!r} does not cite exactly one source")
            continue
        key = keys[0]
        if key not in kinds.index:
            problems.append(f"reading {key} is not a row of sources.csv")
        elif kinds[key] not in READING_KINDS:
            problems.append(f"reading {key} is of kind {kinds[key]!r}, not academic or think tank")
        why = item.split(f"{{cite}}`{key}`", 1)[1].lstrip(": ")
        if prose_words(why) < 8:
            problems.append(f"reading {key} lacks a line on why to read it")
    return problems


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return data.load_dataset("sources")


@pytest.mark.parametrize("page", PAGES)
def test_chapter_sets_its_evidence_in_the_fields_thinking(page, sources):
    text = (REPO_ROOT / f"{page}.md").read_text(encoding="utf-8")
    problems = concept_problems(text, sources)
    assert not problems, f"{page}:\n" + "\n".join(problems)


def test_readings_are_not_repeated_within_a_chapter():
    for page in PAGES:
        text = (REPO_ROOT / f"{page}.md").read_text(encoding="utf-8")
        keys = [re.search(r"\{cite\}`([^`]+)`", item).group(1) for item in readings(text)]
        assert len(keys) == len(set(keys)), f"{page} lists a reading twice"


GOOD_PAGE = """
## Ideas: a test

{words}

## Perspectives: a test

:::{{admonition}} The Atlanticist view: one
:class: dc-perspective
**Who holds it.** Some. **The argument.** {short}
:::

:::{{admonition}} The neutral view: two
:class: dc-perspective
**Who holds it.** Others. **The argument.** {short}
:::

:::{{admonition}} The critical view: three
:class: dc-perspective
**Who holds it.** Yet others. **The argument.** {short}
:::

## Further reading

### Research and analysis

- A book {{cite}}`r12-snyder-1961`: a line long enough to say why one should read this work.
- A paper {{cite}}`r12-snyder-1984`: a line long enough to say why one should read this work.
- A report {{cite}}`r12-mazarr-2015`: a line long enough to say why one should read this work.
"""


def make_page(**changes: str) -> str:
    parts = {
        "words": " ".join(["word"] * 900) + " {cite}`r12-snyder-1961`",
        "short": " ".join(["because"] * 70),
    }
    parts.update(changes)
    return GOOD_PAGE.format(**parts)


def test_the_check_passes_a_good_page(sources):
    assert concept_problems(make_page(), sources) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"words": "too few words {cite}`r12-snyder-1961`"}, "words, not 800-1200"),
        ({"short": "brief"}, "too short to argue"),
    ],
)
def test_the_check_catches_thin_prose(sources, change, message):
    assert any(message in p for p in concept_problems(make_page(**change), sources))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("## Ideas: a test", "## Background", "no '## Ideas"),
        ("The critical view: three", "The realist view: three", "not one of the named families"),
        ("{cite}`r12-mazarr-2015`", "{cite}`h1-nato-defexp-2024-06`", "not academic or think tank"),
        ("{cite}`r12-mazarr-2015`", "{cite}`no-such-source`", "not a row of sources.csv"),
        (
            "- A report {cite}`r12-mazarr-2015`: a line long enough to say why one should read "
            "this work.\n",
            "",
            "2 readings, not 3-5",
        ),
        ("**Who holds it.** Yet others.", "Yet others.", "does not say who holds it"),
    ],
)
def test_the_check_catches_a_bad_page(sources, old, new, message):
    page = make_page()
    assert old in page
    problems = concept_problems(page.replace(old, new), sources)
    assert any(message in p for p in problems), problems


def test_burden_sharing_chart_tests_olson_and_zeckhauser():
    """The chapter 2 diagram: GDP derived from NATO's own two columns, one point per ally."""
    from defence_course import charts
    from defence_course.figures import us_posture

    table = us_posture.burden_sharing_table(2024)
    spending = data.load_dataset("defence_spending")
    poland = spending[
        (spending["nato_release"] == "2024-06")
        & (spending["year"] == 2024)
        & (spending["country"] == "PL")
    ].iloc[0]
    row = table.set_index("country").loc["PL"]
    assert row["gdp_usd_bn"] == pytest.approx(
        poland["usd_m_constant"] / (poland["pct_gdp"] / 100) / 1000, abs=0.1
    )
    assert row["group"] == "Borders Russia or Belarus"
    assert table.iloc[0]["country"] == "US"
    assert (
        set(table.loc[table["group"] == "Borders Russia or Belarus", "country"])
        == us_posture.BORDER_STATES
    )
    assert "SE" in set(table["country"]) and "SE" not in set(
        us_posture.burden_sharing_table(2023)["country"]
    )
    notes = charts.chart_annotations(us_posture.burden_sharing().to_dict())
    assert notes["source"] and notes["title"]
    assert f"spends {table.iloc[0]['pct_gdp']:.2f} %" in notes["description"]
    with pytest.raises(ValueError, match="no spending figures for 1990"):
        us_posture.burden_sharing_table(1990)


def test_reading_rows_say_how_they_were_checked(sources):
    """Rows for readings (r12-...) are academic or think-tank work whose bibliographic details
    were checked, as their note says; they are the source of no figure."""
    readings_rows = sources[sources["source_id"].str.startswith("r12-")]
    assert len(readings_rows) >= 15
    for row in readings_rows.itertuples():
        assert row.kind in READING_KINDS, row.source_id
        assert "Bibliographic details checked" in str(row.note), row.source_id
        assert not isinstance(row.how_read, str) or not row.how_read.strip(), row.source_id
    from tests.test_sources import cited_source_ids

    assert not set(readings_rows["source_id"]) & set(cited_source_ids()), (
        "a reading is cited as the source of a figure"
    )
