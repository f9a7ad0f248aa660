"""The obligations notebook explorer, driven headlessly."""

from __future__ import annotations

import pytest

from defence_course.widgets.obligations import ObligationsExplorer


@pytest.fixture(scope="module")
def ui():
    return ObligationsExplorer()


def test_poland(ui):
    ui.reset()
    assert ui.commitments.value.count(": binds") == 2
    assert "<b>4.68 % of GDP</b>" in ui.result.value and "July 2026" in ui.result.value
    assert "2.34 %</b> to NATO capability targets" in ui.result.value


def test_the_split_slider(ui):
    ui.reset()
    ui.country.value = "DE"
    ui.share_to_nato.value = 80
    assert "<b>2.15 %</b> to NATO capability targets" in ui.result.value
    assert "<b>0.54 %</b> to EU joint programmes" in ui.result.value
    assert ui.view.signals == {"country": "DE", "nato_pct": 80}
    ui.reset()


def test_a_neutral_state(ui):
    ui.country.value = "IE"
    assert "does not bind" in ui.commitments.value and "Irish clause" in ui.commitments.value
    assert "not in NATO&#x27;s defence expenditure tables" in ui.result.value or \
        "not in NATO's defence expenditure tables" in ui.result.value
    assert ui.share_to_nato.disabled
    ui.reset()
    assert not ui.share_to_nato.disabled
