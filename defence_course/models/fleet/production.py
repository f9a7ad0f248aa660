"""How many years the combat aircraft still to come take at the manufacturers' sourced rates.

Adds the ``fighter_production`` dataset to :mod:`~defence_course.models.fleet.shares`: each
aircraft family's annual output (:func:`sourced_rates`), the years its orders take before and
after a share of the F-35s is switched to European types (:func:`delivery_years`), and how
long all of them take together (:func:`total_years`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from defence_course.models import _checks
from defence_course.models.fleet.shares import EUROPEAN_TYPES, FAMILIES

# The fighter_production kinds, and the year whose rates the explorer uses.
PLANNED_RATE, ACTUAL_DELIVERIES = "planned rate", "actual deliveries"
RATES_YEAR = 2026


def sourced_rates(
    production: pd.DataFrame, year: int = RATES_YEAR, kind: str = PLANNED_RATE
) -> dict[str, float]:
    """Per aircraft family: the ``fighter_production`` figure of ``kind`` for ``year``.

    Where a family has no row for ``year``, the latest earlier one is taken; a family with no
    row of that kind up to ``year`` is left out. Every figure is the manufacturer's whole annual
    output, for all its customers.
    """
    if not isinstance(production, pd.DataFrame):
        raise TypeError("production must be a DataFrame from data.load_dataset")
    missing = {"aircraft_family", "year", "deliveries_per_year", "kind"} - set(production.columns)
    if missing:
        raise ValueError(f"production lacks column(s) {sorted(missing)}")
    year = _checks.whole_number("year", year, 2000, 2100)
    if kind not in (PLANNED_RATE, ACTUAL_DELIVERIES):
        raise ValueError(f"kind must be {PLANNED_RATE!r} or {ACTUAL_DELIVERIES!r}, got {kind!r}")
    rows = production[
        production["kind"].astype(str).eq(kind) & (production["year"].astype(int) <= year)
    ]
    latest = rows.sort_values("year").groupby(rows["aircraft_family"].astype(str)).last()
    return {
        family: float(latest.loc[family, "deliveries_per_year"])
        for family in FAMILIES
        if family in latest.index
    }


def _family_numbers(name: str, values: object, *, positive: bool) -> dict[str, float]:
    if isinstance(values, pd.Series):
        values = values.to_dict()
    if not isinstance(values, Mapping):
        raise TypeError(
            f"{name} must be a mapping of aircraft family to number, got {type(values).__name__}"
        )
    checked = {}
    for family, value in values.items():
        if family not in FAMILIES:
            raise ValueError(
                f"{name}: unknown aircraft family {family!r}; expected some of "
                f"{', '.join(FAMILIES)}"
            )
        number = _checks.numbers_in_range(
            f"{name}[{family!r}]",
            value,
            0,
            low_open=positive,
            unit="aircraft a year" if positive else "aircraft",
        )
        if number.ndim:
            raise TypeError(f"{name}[{family!r}] must be a single number")
        checked[family] = float(number)
    return checked


def delivery_years(
    coming_by_family: Mapping[str, float], rates: Mapping[str, float], moved_share: float = 0.0
) -> pd.DataFrame:
    """Years the aircraft still to come take at each family's rate, before and after a switch.

    ``coming_by_family`` maps an aircraft family to the aircraft still to come (from
    :func:`~defence_course.models.fleet.shares.coming_by_family`; families left out count as
    none); ``rates`` maps a family to aircraft delivered per year (from :func:`sourced_rates`).
    ``moved_share`` of the F-35s still to come are switched to European types.

    Assumptions, stated because the data cannot settle them:

    * the switched aircraft are shared among Eurofighter, Rafale and Gripen **in proportion to
      their rates**, so each European line gets the same number of extra years
      (switched aircraft / sum of the European rates);
    * each rate is the manufacturer's **whole output**, for all its customers: the years are
      those of a line that built nothing but these orders. In practice European buyers compete
      with the US services and export customers for the same output, so the real wait is longer;
    * the rates stay constant (no ramp-up) and the lines run in parallel.

    Returns one row per family (F-35, the European types and any other family with aircraft to
    come, in :data:`FAMILIES` order) with ``coming``, ``rate``, ``years``, ``moved`` (negative
    for the F-35), ``coming_after``, ``years_after`` and ``change`` (years after minus before).
    Raises TypeError/ValueError for a wrong mapping, an unknown family, a negative count, a rate
    that is not positive, a family with aircraft to come but no rate, or a share outside [0, 1].
    """
    moved_share = float(_checks.fraction("moved_share", moved_share))
    coming = _family_numbers("coming_by_family", coming_by_family, positive=False)
    rate = _family_numbers("rates", rates, positive=True)
    families = [f for f in FAMILIES if f in ("F-35", *EUROPEAN_TYPES) or coming.get(f, 0) > 0]
    missing = [f for f in families if f not in rate]
    if missing:
        raise ValueError(
            f"rates: no delivery rate for {', '.join(missing)} (needed for the "
            f"F-35, the European types and every family with aircraft to come)"
        )
    before = np.array([coming.get(f, 0.0) for f in families])
    per_year = np.array([rate[f] for f in families])
    is_f35 = np.array([f == "F-35" for f in families])
    is_european = np.isin(families, EUROPEAN_TYPES)
    switched = before[is_f35].sum() * moved_share
    moved = np.where(is_european, switched * per_year / per_year[is_european].sum(), 0.0)
    moved = np.where(is_f35, 0.0 - switched, moved)  # 0.0 - 0.0 is 0.0, not -0.0
    after = before + moved
    table = pd.DataFrame(
        {
            "coming": before,
            "rate": per_year,
            "years": before / per_year,
            "moved": moved,
            "coming_after": after,
            "years_after": after / per_year,
        },
        index=pd.Index(families, name="family"),
    )
    table["change"] = table["years_after"] - table["years"]
    return table


@dataclass(frozen=True)
class DeliveryTotals:
    """How long all planned deliveries take, before and after the switch, and the longest line."""

    years: float
    years_after: float
    change: float  # years_after - years
    longest: str  # the family whose line takes longest before the switch
    longest_after: str  # and after it


def total_years(table: pd.DataFrame) -> DeliveryTotals:
    """All planned deliveries of a :func:`delivery_years` table: the lines run in parallel, so
    they take as long as the longest one; before and after the switch, and which line it is."""
    if not isinstance(table, pd.DataFrame) or not {"years", "years_after"} <= set(table.columns):
        raise TypeError("table must come from delivery_years")
    return DeliveryTotals(
        years=float(table["years"].max()),
        years_after=float(table["years_after"].max()),
        change=float(table["years_after"].max() - table["years"].max()),
        longest=str(table["years"].idxmax()),
        longest_after=str(table["years_after"].idxmax()),
    )
