"""The opinion notebook explorer, driven headlessly."""

from __future__ import annotations

import pytest

from defence_course import charts
from defence_course.explorers.opinion import DEFAULT_QUESTION, NONE
from defence_course.explorers.opinion.notebook import OpinionExplorer


@pytest.fixture(scope="module")
def ui():
    return OpinionExplorer()


def test_default_question_compares_every_named_country(ui):
    ui.reset()
    assert ui.question.value == DEFAULT_QUESTION and ui.country.value == NONE
    assert len(ui.country.options) == 22  # "(none)" and every country with a figure
    assert "Slovakia: <b>73 %</b>, 4 points below the EU27 (77 %)" in ui.result.value
    assert "A common defence and security policy among EU Member States" in ui.result.value
    assert charts.chart_annotations(ui.chart.to_dict())["source"]
    assert ui.view.signals == {"question": DEFAULT_QUESTION, "country": NONE}


def test_choosing_a_country_compares_it(ui):
    ui.country.value = "AT"
    assert "Austria: <b>61 %</b>, 16 points below" in ui.result.value
    assert "Slovakia" not in ui.result.value.split("Question wording")[0]
    assert ui.view.signals["country"] == "AT"
    ui.country.value = NONE
    assert "Slovakia" in ui.result.value.split("Question wording")[0]


def test_a_question_without_country_figures(ui):
    ui.question.value = "eb103-2025-common-defence-security-policy"
    assert ui.country.value == NONE
    assert "no by-country figures" in ui.result.value
    assert "81 %" in ui.result.value and "Euronews" in ui.result.value
    assert ui.view.signals["question"] == "eb103-2025-common-defence-security-policy"
    ui.reset()
    assert ui.question.value == DEFAULT_QUESTION


def test_a_poll_compares_with_its_own_average(ui):
    ui.question.value = "lgc-2025-12-trump-enemy-of-europe"
    ui.country.value = "PL"
    assert "Poland: <b>19 %</b>, 29 points below the 9-country average (48 %)" in ui.result.value
    ui.reset()
