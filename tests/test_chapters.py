"""The chapters carry what a reader and a teacher expect: objectives, claim checks, self-checks,
key terms, discussion questions and citations; figures in the text come from the data."""

from __future__ import annotations

import re

import pytest

from defence_course import claims
from defence_course.chapters import CHAPTERS as COURSE_CHAPTERS
from defence_course.paths import REPO_ROOT

# The five chapters of the argument (the conclusion has its own tests): page -> chapter key
# (the `chapter` of its claims).
CHAPTERS = {chapter.page: chapter.key for chapter in COURSE_CHAPTERS if chapter.explorer}


def source(page: str) -> str:
    return (REPO_ROOT / f"{page}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", list(CHAPTERS))
def test_chapter_has_its_parts(page):
    text = source(page)
    assert "Learning objectives" in text
    objectives = re.search(r"Learning objectives\n(.*?):::", text, re.S).group(1)
    assert 3 <= len(re.findall(r"^\d\. ", objectives, re.M)) <= 5
    for heading in (
        "## Check your understanding",
        "## Key terms",
        "## Discussion questions",
        "## Further reading",
    ):
        assert heading in text, f"{page} lacks '{heading}'"
    assert len(re.findall(r'\{quiz\}`\{"type"', text)) >= 5, f"{page}: fewer than 5 self-checks"
    assert "{cite}`" in text and "{term}`" in text and "{glue:text}`" in text
    assert 'explorers.show("' in text, f"{page} does not embed its explorer"


@pytest.mark.parametrize(("page", "chapter"), list(CHAPTERS.items()))
def test_chapter_checks_each_of_its_claims(site_dir, page, chapter):
    html = (site_dir / f"{page}.html").read_text(encoding="utf-8")
    for claim_id in claims.claims_for(chapter)["claim_id"]:
        assert f'data-claim="{claim_id}"' in html, f"{page} does not show claim {claim_id}"


@pytest.mark.parametrize("page", list(CHAPTERS))
def test_chapter_has_at_least_three_charts(site_dir, page):
    html = (site_dir / f"{page}.html").read_text(encoding="utf-8")
    assert html.count('class="dc-chart-spec"') >= 3


def test_unknown_chapter_is_refused():
    with pytest.raises(ValueError, match="unknown chapter 'threats'"):
        claims.claims_for("threats")
