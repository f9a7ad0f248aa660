"""Obligations model: mutual-defence commitments, spending against targets, budget split."""

from __future__ import annotations

import numpy as np
import pytest

from defence_course import data
from defence_course.models import obligations


@pytest.fixture(scope="module")
def frames():
    return {
        name: data.load_dataset(name)
        for name in ("countries", "treaty_articles", "defence_spending", "spending_targets")
    }


def binds(frames, country):
    table = obligations.commitments(frames["countries"], frames["treaty_articles"], country)
    return dict(zip(table["provision_id"], table["binds"], strict=True)), table


def test_commitments_follow_membership(frames):
    assert binds(frames, "PL")[0] == {"NAT-5": True, "TEU-42-7": True}
    assert binds(frames, "NO")[0] == {"NAT-5": True, "TEU-42-7": False}
    assert binds(frames, "CH")[0] == {"NAT-5": False, "TEU-42-7": False}
    ireland, table = binds(frames, "IE")
    assert ireland == {"NAT-5": False, "TEU-42-7": True}
    caveat = table.set_index("provision_id").loc["TEU-42-7", "caveat"]
    assert "Irish clause" in caveat and "neutrality" in caveat and "[" not in caveat
    austria = binds(frames, "AT")[1].set_index("provision_id").loc["TEU-42-7", "caveat"]
    assert "neutral" in austria.lower()


def test_latest_complete_release(frames):
    spending = frames["defence_spending"]
    assert obligations.latest_complete_release(spending, "PL") == "2026-07"
    assert obligations.latest_complete_release(spending, "IE") is None
    older = spending[spending["nato_release"] != "2026-07"]
    # France has the whole 2014-2025 series in the August 2025 release; Germany's 2025 is empty.
    assert obligations.latest_complete_release(older, "FR") == "2025-08"
    assert obligations.latest_complete_release(older, "DE") == "2024-06"
    assert obligations.latest_complete_release(older, "PL") == "2024-06"  # one 2025 row only


def test_spending_against_targets_by_hand(frames):
    status = obligations.spending_vs_targets(
        frames["defence_spending"], frames["spending_targets"], frames["countries"], "PL"
    )
    assert (status.nato_release, status.year, status.estimate) == ("2026-07", 2026, True)
    assert status.pct_gdp == pytest.approx(4.68)
    assert status.gaps == {
        "2 % guideline": pytest.approx(2.68),
        "3.5 % core (The Hague, by 2035)": pytest.approx(1.18),
    }
    series = obligations.spending_series(frames["defence_spending"], "PL")
    assert series["nato_release"].unique().tolist() == ["2026-07"]  # never mixed
    assert series["year"].tolist() == list(range(2014, 2027))
    germany_2024 = obligations.spending_vs_targets(
        frames["defence_spending"], frames["spending_targets"], frames["countries"], "DE", 2024
    )
    assert germany_2024.pct_gdp == pytest.approx(2.0)
    ireland = obligations.spending_vs_targets(
        frames["defence_spending"], frames["spending_targets"], frames["countries"], "IE"
    )
    assert ireland.nato_release is None and ireland.pct_gdp is None


def test_budget_split():
    split = obligations.split_budget(2.0, 0.5, 0.4)
    assert (split.national_for_nato, split.both, split.eu_only) == pytest.approx((1.0, 0.4, 0.6))
    assert split.nato_targets == pytest.approx(1.4) and split.eu_programmes == pytest.approx(1.0)
    assert split.total == pytest.approx(2.0)
    parts = obligations.split_budget(np.array([2.0, 4.0]), 0.25, np.array([0.0, 1.0]))
    np.testing.assert_allclose(parts.both, [0.0, 1.0])
    np.testing.assert_allclose(parts.total, [2.0, 4.0])


def test_budget_split_is_zero_sum_only_without_overlap():
    # No overlap: what goes through the EU is lost to NATO's capability targets, and back.
    strict = obligations.split_budget(3.5, 0.3, 0)
    assert strict.nato_targets + strict.eu_programmes == pytest.approx(3.5)
    # With an overlap the two add up to more than the budget, and moving money into EU
    # programmes that fill NATO targets costs those targets nothing.
    shared = obligations.split_budget(3.5, 0.3, 0.5)
    assert shared.nato_targets + shared.eu_programmes > 3.5
    full = obligations.split_budget(3.5, np.array([0.0, 0.6, 1.0]), 1)
    np.testing.assert_allclose(full.nato_targets, [3.5, 3.5, 3.5])
    np.testing.assert_allclose(full.eu_programmes, [0.0, 2.1, 3.5])
    assert obligations.split_budget(3.5, 0, 0.7).eu_programmes == 0


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda f: obligations.commitments(f["countries"], f["treaty_articles"], "XX"),
            ValueError,
            "country: unknown country code 'XX'",
        ),
        (
            lambda f: obligations.commitments(f["countries"], f["treaty_articles"], 12),
            TypeError,
            "country must be a two-letter code",
        ),
        (
            lambda f: obligations.spending_vs_targets(
                f["defence_spending"], f["spending_targets"], f["countries"], "PL", 2030
            ),
            ValueError,
            "year",
        ),
        (lambda f: obligations.split_budget(2.0, 70, 0.5), ValueError, "share_to_eu .* percentage"),
        (lambda f: obligations.split_budget(2.0, 0.5, 1.5), ValueError, "share_for_both"),
        (lambda f: obligations.split_budget(2.0, 0.5, None), TypeError, "share_for_both"),
        (lambda f: obligations.split_budget(-1, 0.5, 0.5), ValueError, "total_pct_gdp"),
        (lambda f: obligations.split_budget("2 %", 0.5, 0.5), TypeError, "total_pct_gdp"),
        (
            lambda f: obligations.spending_series(f["defence_spending"], "PL", "1999-01"),
            ValueError,
            "release",
        ),
    ],
)
def test_bad_input_is_refused(frames, call, error, message):
    with pytest.raises(error, match=message):
        call(frames)
