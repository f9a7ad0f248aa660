"""The models' result types (issue 14): each a frozen dataclass with these fields, of these types.

The fields are written out here, not read from the classes, so that a field that goes missing,
is renamed or changes type (a numpy float instead of a float, say) fails a test. Results keyed
by data values (``fleet.coming_by_family``: aircraft family → count, ``fleet.sourced_rates``,
``obligations.targets_pct``) stay plain dicts and are not listed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from defence_course import attrition_inputs, data
from defence_course.models import attrition, council, fleet, obligations, opinion

NONE = type(None)


def sourced_attrition() -> attrition.AttritionSummary:
    params = attrition_inputs.defaults_from_data()
    values = {name: attrition_inputs.model_value(p, p.value) for name, p in params.items()}
    return attrition.attrition_summary(**values, horizon_nights=90)


def founders_vote() -> council.VoteOutcome:
    return council.vote_outcome(council.PRESETS["founders"], council.PRESETS["neutrals"])


def fleet_frames() -> tuple[Any, Any]:
    return data.load_dataset("fighter_fleets"), data.load_dataset("fighter_orders")


def europe_wide_shares() -> fleet.EuropeWideShares:
    return fleet.europe_wide(fleet.fleet_by_country(*fleet_frames(), moved_share=0.5))


def delivery_totals() -> fleet.DeliveryTotals:
    rates = fleet.sourced_rates(data.load_dataset("fighter_production"))
    coming = fleet.coming_by_family(*fleet_frames())
    rated = {family: n for family, n in coming.items() if family in rates}
    return fleet.total_years(fleet.delivery_years(rated, rates, 0.5))


def spending(country: str) -> obligations.SpendingStatus:
    return obligations.spending_vs_targets(
        data.load_dataset("defence_spending"),
        data.load_dataset("spending_targets"),
        data.load_dataset("countries"),
        country,
    )


def question() -> opinion.QuestionDetails:
    questions = data.load_dataset("survey_questions")
    answers = data.load_dataset("opinion")
    qid = opinion.question_choices(answers, questions)[0][1]
    return opinion.question_details(questions, data.load_dataset("sources"), qid, answers)


QUESTION_FIELDS = (
    "question_id short_label survey year fieldwork wording answer population note source_id "
    "source url"
).split()

# (the call, its class, each field and the type of its value for that call)
RESULTS: dict[str, tuple[Callable[[], object], type, dict[str, type]]] = {
    "attrition_summary": (
        sourced_attrition,
        attrition.AttritionSummary,
        {
            "missiles_per_night": float,
            "production_per_night": float,
            "nights_until_depleted": float,
            "cost_exchange_ratio": float,
            "horizon_nights": int,
            "cumulative_cost_exchange_ratio": float,
        },
    ),
    "vote_outcome": (
        founders_vote,
        council.VoteOutcome,
        {
            "states_for": int,
            "states_abstaining": int,
            "states_against": int,
            "states_total": int,
            "population_share_for": float,
            "qualified_majority": bool,
            "qualified_majority_reason": str,
            "reinforced_qualified_majority": bool,
            "reinforced_qualified_majority_reason": str,
            "unanimity": bool,
            "unanimity_reason": str,
        },
    ),
    "europe_wide": (
        europe_wide_shares,
        fleet.EuropeWideShares,
        {"today": float, "after": float, "f35_still_to_come": int},
    ),
    "total_years": (
        delivery_totals,
        fleet.DeliveryTotals,
        {
            "years": float,
            "years_after": float,
            "change": float,
            "longest": str,
            "longest_after": str,
        },
    ),
    "spending_vs_targets (a NATO member)": (
        lambda: spending("PL"),
        obligations.SpendingStatus,
        {
            "country": str,
            "nato_release": str,
            "year": int,
            "pct_gdp": float,
            "estimate": bool,
            "gaps": dict,
            "targets": dict,
        },
    ),
    "spending_vs_targets (outside NATO's tables)": (
        lambda: spending("AT"),
        obligations.SpendingStatus,
        {
            "country": str,
            "nato_release": NONE,
            "year": NONE,
            "pct_gdp": NONE,
            "estimate": NONE,
            "gaps": dict,
            "targets": dict,
        },
    ),
    "question_details": (
        question,
        opinion.QuestionDetails,
        dict.fromkeys(QUESTION_FIELDS, str),
    ),
}


@pytest.mark.parametrize("name", list(RESULTS))
def test_each_result_has_its_fields_with_their_types(name):
    call, cls, fields = RESULTS[name]
    result = call()
    assert type(result) is cls
    assert [field.name for field in dataclasses.fields(cls)] == list(fields)
    found = {field: type(getattr(result, field)) for field in fields}
    assert found == fields  # exact types: np.float64 is a float, but not a Python float
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(result, next(iter(fields)), None)
    assert cls.__doc__ and "\n" not in cls.__doc__.strip(), "a one-line docstring"


def test_dict_fields_hold_numbers_by_target_label():
    status = spending("PL")
    labels = list(obligations.TARGET_IDS)
    assert list(status.targets) == list(status.gaps) == labels
    assert all(type(value) is float for value in [*status.targets.values(), *status.gaps.values()])
    assert spending("AT").gaps == {} and list(spending("AT").targets) == labels
