"""The obligations notebook explorer, driven headlessly."""

from __future__ import annotations

import pytest

from defence_course.explorers.obligations.notebook import ObligationsExplorer


@pytest.fixture(scope="module")
def ui():
    return ObligationsExplorer()


def test_poland(ui):
    ui.reset()
    assert ui.commitments.value.count(": binds") == 2
    assert "<b>4.68 % of GDP</b>" in ui.result.value and "July 2026" in ui.result.value
    assert "<b>0.94 %</b> through EU joint programmes, of which <b>0.47 %</b>" in ui.result.value
    assert "<b>4.21 %</b> in all fills NATO capability targets" in ui.result.value


def test_the_split_sliders(ui):
    ui.reset()
    ui.country.value = "DE"
    ui.share_to_eu.value = 80
    ui.share_for_both.value = 0  # the zero-sum view: EU money fills no NATO target
    assert "<b>2.15 %</b> through EU joint programmes, of which <b>0.00 %</b>" in ui.result.value
    assert "<b>0.54 %</b> in all fills NATO capability targets" in ui.result.value
    ui.share_for_both.value = 100  # every EU euro also fills a NATO target
    assert "<b>2.69 %</b> in all fills NATO capability targets" in ui.result.value
    assert ui.view.signals == {"country": "DE", "eu_pct": 80, "both_pct": 100}
    ui.reset()
    assert ui.view.signals == {"country": "PL", "eu_pct": 20, "both_pct": 50}


def test_a_neutral_state(ui):
    ui.country.value = "IE"
    assert "does not bind" in ui.commitments.value and "Irish clause" in ui.commitments.value
    assert (
        "not in NATO&#x27;s defence expenditure tables" in ui.result.value
        or "not in NATO's defence expenditure tables" in ui.result.value
    )
    assert ui.share_to_eu.disabled and ui.share_for_both.disabled
    ui.reset()
    assert not ui.share_to_eu.disabled and not ui.share_for_both.disabled
