"""Council voting model: qualified majority, unanimity with constructive abstention, Monte Carlo."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from defence_course import data
from defence_course.models import council
from defence_course.paths import DATA_DIR


@pytest.fixture(scope="module")
def populations() -> pd.Series:
    return council.populations_from_data()


def csv_populations() -> dict[str, int]:
    """EU members' populations read straight from the CSV, without the course's loader."""
    with open(DATA_DIR / "countries.csv", encoding="utf-8") as handle:
        return {
            row["country"]: int(row["population"])
            for row in csv.DictReader(handle)
            if row["population"]
        }


def largest(populations: pd.Series, k: int) -> list[str]:
    return populations.sort_values(ascending=False).index[:k].tolist()


def test_the_six_founders_fail_qmv_by_hand_calculation(populations):
    raw = csv_populations()
    assert len(raw) == 27
    founders = ["BE", "FR", "DE", "IT", "LU", "NL"]
    # By hand: 11,900,100 + 68,635,900 + 83,577,100 + 58,934,200 + 682,000 + 18,044,000
    assert sum(raw[c] for c in founders) == 241_773_300
    share = 241_773_300 / sum(raw.values())
    assert sum(raw.values()) == 450_380_800
    outcome = council.vote_outcome(founders, populations=populations)
    assert outcome.states_for == 6 and outcome.states_total == 27
    assert outcome.population_share_for == pytest.approx(share, abs=1e-12)
    assert outcome.population_share_for == pytest.approx(0.5368, abs=1e-4)
    assert not outcome.qualified_majority  # 6 states < 15, and 53.7 % < 65 %
    assert "55 % needs 15" in outcome.qualified_majority_reason
    assert not council.qualified_majority(founders, populations)


def test_fifteen_largest_pass_fourteen_largest_fail(populations):
    fifteen = largest(populations, 15)
    assert populations[fifteen].sum() / populations.sum() >= 0.65
    assert council.qualified_majority(fifteen, populations)
    fourteen = largest(populations, 14)
    assert populations[fourteen].sum() / populations.sum() >= 0.65
    assert not council.qualified_majority(fourteen, populations)  # 14 of 27 < 55 %


def test_fifteen_smallest_states_fail_the_population_test(populations):
    smallest = populations.sort_values().index[:15].tolist()
    outcome = council.vote_outcome(smallest, populations=populations)
    assert outcome.states_for == 15 and outcome.population_share_for < 0.65
    assert not outcome.qualified_majority
    assert "blocking minority" in outcome.qualified_majority_reason


def test_a_blocking_minority_needs_four_states(populations):
    big_three = largest(populations, 3)
    others = [c for c in populations.index if c not in big_three]
    outcome = council.vote_outcome(others, populations=populations)
    assert outcome.population_share_for < 0.65  # DE, FR and IT hold about 47 %
    assert outcome.qualified_majority, "three states cannot block"
    big_four = largest(populations, 4)
    assert not council.qualified_majority(
        [c for c in populations.index if c not in big_four], populations
    )


def test_population_threshold_is_inclusive():
    equal = pd.Series(1.0, index=[f"S{i:02d}" for i in range(20)])
    thirteen = np.arange(20) < 13  # 65 % of states and of people
    assert council.qualified_majority(thirteen, equal)
    assert not council.qualified_majority(np.arange(20) < 12, equal)  # 60 %, 8 against


def test_qmv_is_vectorised_over_a_matrix_of_votes(populations):
    votes = np.zeros((3, 27), dtype=bool)
    votes[1] = True
    votes[2] = populations.index.isin(largest(populations, 15))
    assert council.qualified_majority(votes, populations).tolist() == [False, True, True]


def test_unanimity_and_constructive_abstention(populations):
    everyone = list(populations.index)
    assert council.passes_unanimity(everyone, populations=populations)
    assert not council.passes_unanimity(everyone[1:], populations=populations)  # one against
    neutrals = list(council.PRESETS["neutrals"])
    rest = [c for c in everyone if c not in neutrals]
    assert council.passes_unanimity(rest, abstain=neutrals, populations=populations)
    # Nine smallest abstain: a third of the states but far from a third of the people.
    nine_small = populations.sort_values().index[:9].tolist()
    assert council.passes_unanimity(
        [c for c in everyone if c not in nine_small], nine_small, populations
    )
    # Nine largest abstain: a third of the states AND more than a third of the people.
    nine_large = largest(populations, 9)
    outcome = council.vote_outcome(
        [c for c in everyone if c not in nine_large], nine_large, populations
    )
    assert not outcome.unanimity and "a third" in outcome.unanimity_reason
    # Eight largest abstain: more than a third of the people, but fewer than a third of states.
    eight = largest(populations, 8)
    assert council.passes_unanimity([c for c in everyone if c not in eight], eight, populations)
    assert not council.passes_unanimity([], everyone, populations)


def test_presets_match_the_data():
    countries = data.load_dataset("countries")
    eu = countries[countries["population"].notna()]
    outside_nato = set(eu.loc[eu["nato_accession_year"].isna(), "country"])
    assert set(council.PRESETS["neutrals"]) == outside_nato
    assert set(council.PRESETS["founders"]) == set(
        eu.loc[eu["eu_accession_year"].eq(1958), "country"]
    )
    assert set(council.PRESETS["eastern flank"]) <= set(eu["country"])
    assert {"PL", "LT", "LV", "EE", "FI", "RO", "SK", "BG"} <= set(council.PRESETS["eastern flank"])


def test_monte_carlo_matches_the_exact_unanimity_rate(populations):
    for p in (0.9, 0.95):
        simulated = council.pass_probability_monte_carlo(p, "unanimity", populations, rng=1)
        exact = council.unanimity_pass_probability(p, 27)
        assert exact == pytest.approx(p**27)
        assert simulated == pytest.approx(exact, abs=4 * np.sqrt(exact * (1 - exact) / 1e5))
    assert council.pass_probability_monte_carlo(0.0, "qualified majority", populations) == 0.0
    assert council.pass_probability_monte_carlo(1.0, "unanimity", populations) == 1.0


def test_pass_rate_curve_qmv_dominates_unanimity(populations):
    curve = council.pass_rate_curve(np.linspace(0, 1, 11), populations, n_votes=5000)
    assert (curve["qualified majority"] >= curve["unanimity"]).all()
    assert curve["qualified majority"].is_monotonic_increasing
    assert curve["unanimity (exact)"].iloc[-2] == pytest.approx(0.9**27)


def test_unanimity_collapses_as_the_union_grows():
    rates = council.unanimity_pass_probability(0.9, np.array([6, 12, 27, 35]))
    assert rates.tolist() == pytest.approx([0.9**6, 0.9**12, 0.9**27, 0.9**35])
    assert np.all(np.diff(rates) < 0)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: council.qualified_majority(["XX"]), ValueError, "support: unknown"),
        (lambda: council.qualified_majority(["NO"]), ValueError, "'NO'"),
        (lambda: council.qualified_majority(["PL", "PL"]), ValueError, "more than once"),
        (lambda: council.qualified_majority([1, 2]), TypeError, "support must contain"),
        (lambda: council.qualified_majority(np.ones(26, dtype=bool)), ValueError, "27 columns"),
        (lambda: council.qualified_majority(np.ones(27)), TypeError, "boolean"),
        (lambda: council.passes_unanimity(["PL"], ["PL"]), ValueError, "both support and abstain"),
        (lambda: council.passes_unanimity(["PL"], ["ZZ"]), ValueError, "abstain"),
        (lambda: council.pass_probability_monte_carlo(1.5), ValueError, "p must be a fraction"),
        (lambda: council.pass_probability_monte_carlo("0.5"), TypeError, "p must be a number"),
        (lambda: council.pass_probability_monte_carlo(0.5, "majority"), ValueError, "rule"),
        (lambda: council.pass_probability_monte_carlo(0.5, n_votes=0), ValueError, "n_votes"),
        (lambda: council.pass_probability_monte_carlo(0.5, n_votes=10.0), TypeError, "n_votes"),
        (lambda: council.unanimity_pass_probability(0.5, 2.5), ValueError, "whole numbers"),
        (lambda: council.eu_members("countries"), TypeError, "DataFrame"),
        (
            lambda: council.qualified_majority(["PL"], pd.Series([1.0, -2.0], index=["PL", "DE"])),
            ValueError,
            "populations",
        ),
    ],
)
def test_bad_input_is_refused(call, error, message):
    with pytest.raises(error, match=message):
        call()


# Reinforced qualified majority (TFEU Art. 238(2)): 72 % of states, 65 % of the population.


def test_reinforced_quota_is_twenty_of_twenty_seven_by_hand():
    # 0.72 * 27 = 19.44, so 20 states; 0.55 * 27 = 14.85, so 15.
    assert council.state_quota(27, "reinforced qualified majority") == 20
    assert council.state_quota(27) == 15
    # By number alone, 13 states block an ordinary QMV (27 - 13 = 14 < 15) and 8 a reinforced one.
    assert council.blocking_states(27) == 13
    assert council.blocking_states(27, "reinforced qualified majority") == 8
    with pytest.raises(ValueError, match="rule must be one of"):
        council.state_quota(27, "simple majority")


def test_twenty_largest_pass_nineteen_largest_fail_reinforced(populations):
    twenty = largest(populations, 20)
    assert populations[twenty].sum() / populations.sum() >= 0.65
    assert council.reinforced_qualified_majority(twenty, populations)
    nineteen = largest(populations, 19)
    assert populations[nineteen].sum() / populations.sum() >= 0.65
    assert council.qualified_majority(nineteen, populations)  # enough for ordinary QMV
    assert not council.reinforced_qualified_majority(nineteen, populations)  # 19 < 20
    outcome = council.vote_outcome(nineteen, populations=populations)
    assert outcome.qualified_majority and not outcome.reinforced_qualified_majority
    assert "72 % needs 20" in outcome.reinforced_qualified_majority_reason


def test_reinforced_rule_has_no_four_state_blocking_clause(populations):
    # All but Germany, France and Italy: 24 states, but under 65 % of the population.
    others = [c for c in populations.index if c not in ("DE", "FR", "IT")]
    share = populations[others].sum() / populations.sum()
    assert share < 0.65
    # Ordinary QMV passes: fewer than four states cannot block (TEU Art. 16(4)) ...
    assert council.qualified_majority(others, populations)
    # ... the reinforced majority is defined by derogation from Art. 16(4) and fails.
    outcome = council.vote_outcome(others, populations=populations)
    assert not outcome.reinforced_qualified_majority
    assert "65 % needed" in outcome.reinforced_qualified_majority_reason


def test_reinforced_is_never_easier_than_ordinary_qmv(populations):
    votes = council.simulate_votes(0.75, len(populations), 5_000, rng=1)
    reinforced = council.reinforced_qualified_majority(votes, populations)
    ordinary = council.qualified_majority(votes, populations)
    assert reinforced.dtype == bool and reinforced.shape == (5_000,)
    assert not np.any(reinforced & ~ordinary)
    assert reinforced.sum() < ordinary.sum()
    rate = council.pass_probability_monte_carlo(
        0.75, "reinforced qualified majority", populations, n_votes=5_000, rng=1
    )
    assert rate == pytest.approx(reinforced.mean())
