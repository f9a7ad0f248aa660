"""How much of Europe's combat-aircraft fleet is US-made, today and after planned deliveries.

Takes the ``fighter_fleets`` and ``fighter_orders`` datasets. *Today* is the fleet as recorded,
whose reference years differ from row to row (2019-2025). *After planned deliveries* adds the
aircraft still to come from each order; nothing is retired, because the data hold no retirement
dates. An order's delivered aircraft are taken to be in today's fleet only if the fleet has a
row of the same aircraft family for that country (Belgium's first F-35s, delivered to a US
training base, are not in its 2023 fleet row). Countries with orders but no fleet row
(Switzerland) are left out, and so are long-term plans that overlap counted orders (the
``status`` column); ``include_announced`` says whether announced but not yet contracted orders
count. ``moved_share`` moves that share of the F-35s still to come to
European types (Eurofighter, Rafale, Gripen).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from defence_course.models import _checks

TURKEY = "TR"
FAMILIES = (
    "F-35",
    "F-16",
    "F/A-18",
    "Eurofighter",
    "Rafale",
    "Gripen",
    "FA-50",
    "Mirage",
    "MiG-29",
    "Su-22",
    "Su-25",
    "Tornado",
)
ORDERED, ANNOUNCED = "ordered", "announced"
# fighter_orders.status of a planned total that overlaps rows already counted: never summed.
OVERLAPPING_PLAN = "long-term plan (includes ordered rows)"
# Where the switched F-35s go.
EUROPEAN_TYPES = ("Eurofighter", "Rafale", "Gripen")


def aircraft_family(aircraft_type: str) -> str:
    """Family of an aircraft type: 'F-35A (additional)' → 'F-35', 'Gripen E' → 'Gripen'."""
    if not isinstance(aircraft_type, str):
        raise TypeError(f"aircraft_type must be a string, got {type(aircraft_type).__name__}")
    for family in FAMILIES:
        if aircraft_type.startswith(family):
            return family
    raise ValueError(
        f"aircraft_type {aircraft_type!r} belongs to no known family ({', '.join(FAMILIES)})"
    )


def _check_frames(fleets: pd.DataFrame, orders: pd.DataFrame) -> None:
    for frame, name, columns in (
        (fleets, "fleets", {"country", "aircraft_type", "origin", "in_service"}),
        (
            orders,
            "orders",
            {"country", "aircraft_type", "origin", "ordered", "delivered", "status"},
        ),
    ):
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"{name} must be a DataFrame from data.load_dataset")
        missing = columns - set(frame.columns)
        if missing:
            raise ValueError(f"{name} lacks column(s) {sorted(missing)}")


def planned_deliveries(
    fleets: pd.DataFrame, orders: pd.DataFrame, include_announced: bool = True
) -> pd.DataFrame:
    """Each order with the number of aircraft still to come (0 where it is not counted)."""
    _check_frames(fleets, orders)
    _check_flag("include_announced", include_announced)
    table = orders[["country", "aircraft_type", "origin", "ordered", "delivered", "status"]].copy()
    table["status"] = table["status"].astype(str)
    table["country"] = table["country"].astype(str)
    table["aircraft_type"] = table["aircraft_type"].astype(str)
    table["origin"] = table["origin"].astype(str)
    table["family"] = table["aircraft_type"].map(aircraft_family)
    in_fleet = (
        fleets.assign(family=fleets["aircraft_type"].astype(str).map(aircraft_family))
        .groupby(["country", "family"])["in_service"]
        .sum()
    )
    fleet_countries = set(fleets["country"].astype(str))
    ordered = table["ordered"].astype(float).to_numpy()
    delivered = table["delivered"].astype(float).fillna(0).to_numpy()
    family_count = np.array(
        [
            float(in_fleet.get((c, f), 0))
            for c, f in zip(table["country"], table["family"], strict=True)
        ]
    )
    already = np.minimum(delivered, family_count)
    still = ordered - already
    statuses = [ORDERED, ANNOUNCED] if include_announced else [ORDERED]
    counted = (table["country"].isin(fleet_countries) & table["status"].isin(statuses)).to_numpy()
    table["still_to_come"] = np.where(counted, np.maximum(still, 0), 0).astype(int)
    table["counted"] = counted
    return table


def _check_flag(name: str, value: object) -> None:
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, got {value!r}")


def _groups(
    fleets: pd.DataFrame, countries: Iterable[str] | None, include_turkey: bool
) -> list[str]:
    _check_flag("include_turkey", include_turkey)
    known = sorted(set(fleets["country"].astype(str)))
    chosen = known if countries is None else _checks.codes("countries", countries, known)
    chosen = [c for c in chosen if include_turkey or c != TURKEY]
    if not chosen:
        raise ValueError("countries: the selection is empty once Türkiye is left out")
    return chosen


def deliveries_by_country(
    fleets: pd.DataFrame,
    orders: pd.DataFrame,
    include_turkey: bool = True,
    countries: Iterable[str] | None = None,
    include_announced: bool = True,
) -> pd.DataFrame:
    """Per country: US-made and all aircraft today, and the aircraft still to come."""
    _check_frames(fleets, orders)
    chosen = _groups(fleets, countries, include_turkey)
    fleet = fleets[fleets["country"].astype(str).isin(chosen)]
    country = fleet["country"].astype(str)
    is_us = fleet["origin"].astype(str).eq("US")
    years = fleet.groupby(country)["reference_year"].agg(["min", "max"])
    today = pd.DataFrame(
        {
            "today_us": fleet["in_service"].where(is_us, 0).groupby(country).sum(),
            "today_total": fleet.groupby(country)["in_service"].sum(),
            "reference_years": [
                f"{lo}" if lo == hi else f"{lo}-{hi}"
                for lo, hi in zip(years["min"], years["max"], strict=True)
            ],
        }
    )
    plan = planned_deliveries(fleets, orders, include_announced)
    plan = plan[plan["country"].isin(chosen)]
    f35 = plan["family"].eq("F-35")
    us = plan["origin"].eq("US")
    coming = pd.DataFrame(
        {
            "coming_f35": plan["still_to_come"].where(f35, 0).groupby(plan["country"]).sum(),
            "coming_other_us": plan["still_to_come"]
            .where(us & ~f35, 0)
            .groupby(plan["country"])
            .sum(),
            "coming_total": plan.groupby("country")["still_to_come"].sum(),
        }
    )
    table = today.join(coming, how="left").fillna(
        {"coming_f35": 0, "coming_other_us": 0, "coming_total": 0}
    )
    table = table.loc[chosen].astype(
        {
            "today_us": float,
            "today_total": float,
            "coming_f35": float,
            "coming_other_us": float,
            "coming_total": float,
        }
    )
    return table.rename_axis("country").reset_index()


def switch_f35s(table: pd.DataFrame, moved_share: float) -> pd.DataFrame:
    """Move ``moved_share`` of the F-35s still to come to European types (fast: no lookups).

    ``table`` comes from :func:`deliveries_by_country`; adds the after-delivery columns.
    """
    moved = float(_checks.fraction("moved_share", moved_share))
    today_us = table["today_us"].to_numpy()
    today_total = table["today_total"].to_numpy()
    coming_f35 = table["coming_f35"].to_numpy()
    after_us = today_us + table["coming_other_us"].to_numpy() + coming_f35 * (1 - moved)
    after_total = today_total + table["coming_total"].to_numpy()
    return table.assign(
        moved_to_european=coming_f35 * moved,
        after_us=after_us,
        after_total=after_total,
        today_us_share=today_us / today_total,
        after_us_share=after_us / after_total,
    )


@dataclass(frozen=True)
class EuropeWideShares:
    """The US-made share of the chosen countries' combined fleet, today and after deliveries."""

    today: float
    after: float  # after planned deliveries, with the chosen share of F-35s switched
    f35_still_to_come: int


def europe_wide(table: pd.DataFrame) -> EuropeWideShares:
    """Combined shares of a :func:`switch_f35s` table: today and after planned deliveries."""
    return EuropeWideShares(
        today=float(table["today_us"].sum() / table["today_total"].sum()),
        after=float(table["after_us"].sum() / table["after_total"].sum()),
        f35_still_to_come=int(table["coming_f35"].sum()),
    )


def fleet_by_country(
    fleets: pd.DataFrame,
    orders: pd.DataFrame,
    moved_share: float = 0.0,
    include_turkey: bool = True,
    countries: Iterable[str] | None = None,
    include_announced: bool = True,
) -> pd.DataFrame:
    """Per country: US-made and all combat aircraft today and after planned deliveries."""
    _checks.fraction("moved_share", moved_share)
    return switch_f35s(
        deliveries_by_country(fleets, orders, include_turkey, countries, include_announced),
        moved_share,
    )


def us_share_today(
    fleets: pd.DataFrame, include_turkey: bool = True, countries: Iterable[str] | None = None
) -> float:
    """Share of US-made aircraft in the combined fleet of the chosen countries today."""
    chosen = _groups(fleets, countries, include_turkey)
    fleet = fleets[fleets["country"].astype(str).isin(chosen)]
    us = fleet.loc[fleet["origin"].astype(str).eq("US"), "in_service"].sum()
    return float(us / fleet["in_service"].sum())


def us_share_after_orders(
    fleets: pd.DataFrame,
    orders: pd.DataFrame,
    moved_share: float = 0.0,
    include_turkey: bool = True,
    countries: Iterable[str] | None = None,
    include_announced: bool = True,
) -> float:
    """Share of US-made aircraft once all planned deliveries have arrived (Europe-wide)."""
    table = fleet_by_country(
        fleets, orders, moved_share, include_turkey, countries, include_announced
    )
    return float(table["after_us"].sum() / table["after_total"].sum())


def f35_still_to_come(
    fleets: pd.DataFrame,
    orders: pd.DataFrame,
    include_turkey: bool = True,
    countries: Iterable[str] | None = None,
    include_announced: bool = True,
) -> int:
    """F-35s ordered by the chosen countries but not yet in their fleets."""
    table = fleet_by_country(fleets, orders, 0.0, include_turkey, countries, include_announced)
    return int(table["coming_f35"].sum())


def coming_by_family(
    fleets: pd.DataFrame,
    orders: pd.DataFrame,
    include_turkey: bool = True,
    countries: Iterable[str] | None = None,
    include_announced: bool = True,
) -> dict[str, int]:
    """Aircraft still to come per aircraft family, summed over the chosen countries."""
    _check_frames(fleets, orders)
    chosen = _groups(fleets, countries, include_turkey)
    plan = planned_deliveries(fleets, orders, include_announced)
    plan = plan[plan["country"].isin(chosen)]
    totals = plan.groupby("family")["still_to_come"].sum()
    return {family: int(totals[family]) for family in FAMILIES if family in totals.index}
