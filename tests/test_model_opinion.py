"""Opinion model: one survey question, chosen countries, the survey's aggregate."""

from __future__ import annotations

import math

import pytest

from defence_course import data
from defence_course.models import opinion

EB96 = "eb96-2022-common-defence-security-policy"


@pytest.fixture(scope="module")
def frames():
    return {
        name: data.load_dataset(name)
        for name in ("opinion", "survey_questions", "sources", "countries")
    }


def compare(frames, question, selected):
    return opinion.compare_with_aggregate(
        frames["opinion"], frames["survey_questions"], frames["countries"], question, selected
    )


def test_gap_to_the_aggregate_by_hand(frames):
    table = compare(frames, EB96, ["SK", "AT"])
    assert table["area"].tolist() == ["EU27", "Slovakia", "Austria"]
    # EU27 77 %; Slovakia 73 % (-4), Austria 61 % (-16).
    assert table["value_pct"].tolist() == [77, 73, 61]
    assert table["gap_points"].tolist() == [0, -4, -16]
    assert table["is_aggregate"].tolist() == [True, False, False]


def test_a_country_without_a_figure_gets_no_number(frames):
    table = compare(frames, EB96, ["DE"])  # Germany is not named for this wave
    assert math.isnan(table.loc[1, "value_pct"]) and math.isnan(table.loc[1, "gap_points"])
    assert table.loc[1, "source_id"] == ""


def test_aggregate_row_prefers_the_eu_figure(frames):
    answers = frames["opinion"]
    eb64 = opinion.aggregate_row(answers, "eb64-2005-common-defence-security-policy")
    assert eb64["area"] == "EU25" and eb64["value_pct"] == 77  # not the new-member subgroup
    lgc = opinion.aggregate_row(answers, "lgc-2025-12-trump-enemy-of-europe")
    assert lgc["area"] == "9-country average"


def test_exact_wording_and_source(frames):
    details = opinion.question_details(
        frames["survey_questions"], frames["sources"], "eb103-2025-common-defence-security-policy"
    )
    assert details.wording.endswith(
        "A common defence and security policy among EU Member States (For / Against / Don't know)"
    )
    assert details.fieldwork == "2025-03-26 to 2025-04-22"
    assert "Euronews" in details.source or "euronews" in details.source.lower()


def test_item_history_and_choices(frames):
    history = opinion.item_history(frames["opinion"], frames["survey_questions"], EB96)
    assert history["year"].tolist() == [2005, 2017, 2022, 2023, 2024, 2025]
    assert history["value_pct"].tolist() == [77, 75, 77, 77, 77, 81]
    assert history["chosen"].sum() == 1
    choices = opinion.question_choices(frames["opinion"], frames["survey_questions"])
    labels = [label for label, _ in choices]
    assert len(set(labels)) == len(labels) == 18
    assert opinion.countries_with_figures(frames["opinion"], EB96)[0] == "SK"


@pytest.mark.parametrize(
    ("question", "selected", "error", "message"),
    [
        ("no-such-question", ["CY"], ValueError, "question_id: unknown question"),
        (42, ["CY"], TypeError, "question_id must be a string"),
        (EB96, [], ValueError, "selected is empty"),
        (EB96, ["XX"], ValueError, "selected: unknown country code"),
        (EB96, ["CY", "CY"], ValueError, "more than once"),
        (EB96, [7], TypeError, "selected"),
        (EB96, None, TypeError, "selected"),
    ],
)
def test_bad_input_is_refused(frames, question, selected, error, message):
    with pytest.raises(error, match=message):
        compare(frames, question, selected)
