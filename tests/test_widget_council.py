"""The Council voting notebook explorer, driven headlessly."""

from __future__ import annotations

import pytest

from defence_course import charts
from defence_course.explorers.council.notebook import CouncilExplorer


@pytest.fixture(scope="module")
def ui():
    return CouncilExplorer()


def test_founders_preset(ui):
    ui.reset()
    ui.preset_buttons["founders"].click()
    assert "6 of 27 states, 53.7% of the EU population" in ui.result.value
    assert "fails: 6 states in favour" in ui.result.value
    assert "Reinforced qualified majority" in ui.result.value
    assert "fails: 6 states in favour, 72 % needs 20" in ui.result.value
    assert "blocked: 21 states vote against" in ui.result.value
    in_favour = sorted(name for name, vote in ui.view.signals.items() if vote == "in favour")
    assert in_favour == [f"vote_{c}" for c in ("BE", "DE", "FR", "IT", "LU", "NL")]
    assert ui.view.signals["preset"] == "nobody" and ui.view.signals["vote_PL"] == "against"


def test_single_votes_and_the_blocking_minority(ui):
    ui.all_button.click()
    for code in ("DE", "FR", "IT"):
        ui.votes[code].value = "against"
    assert "24 of 27 states" in ui.result.value
    assert "fewer than four states could form a blocking minority" in ui.result.value
    ui.votes["ES"].value = "against"
    assert "23 of 27" in ui.result.value and "form a blocking minority" in ui.result.value


def test_constructive_abstention(ui):
    ui.all_button.click()
    for code in ("AT", "IE", "MT", "CY"):
        ui.votes[code].value = "abstains"
    assert "adopted: no state votes against" in ui.result.value
    assert "0 against, 4 abstaining" in ui.result.value
    assert ui.view.signals["vote_AT"] == "abstains"
    ui.votes["MT"].value = "against"
    assert "blocked: 1 state votes against" in ui.result.value
    ui.others.value = "abstain"  # every state not in favour abstains
    assert "adopted: no state votes against" in ui.result.value
    assert ui.view.signals["others"] == "abstain" and ui.view.signals["vote_MT"] == "abstains"
    ui.others.value = "against"
    assert "blocked: 4 states vote against" in ui.result.value
    ui.reset()
    assert ui.supporters() == [] and ui.others.value == "against"


def test_monte_carlo_follows_p(ui):
    ui.reset()
    assert "p = 0.80" in ui.result.value and "exactly p^27 = 0.24%" in ui.result.value
    ui.p.value = 0.95
    assert "p = 0.95" in ui.result.value and "exactly p^27 = 25.03%" in ui.result.value
    assert ui.monte_carlo["qualified majority"] > 0.99
    assert ui.monte_carlo["unanimity"] == pytest.approx(0.95**27, abs=0.01)
    notes = charts.chart_annotations(ui.chart.to_dict())
    assert notes["source"] and ui.view.signals["p"] == 0.95
    ui.reset()
