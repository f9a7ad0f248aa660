"""Figures of chapter 3, capability dependence."""

from __future__ import annotations

import altair as alt
import pandas as pd

from defence_course import data
from defence_course.charts import (
    BLUE,
    GREY,
    ORANGE,
    PURPLE,
    SKY_BLUE,
    VERMILLION,
    annotate,
    value_labels,
)
from defence_course.figures._registry import figure
from defence_course.models import fleet


@figure
def us_share_of_european_nato_imports() -> alt.LayerChart:
    """SIPRI: the US share of European NATO states' arms imports, by five-year period."""
    imports = data.load_dataset("arms_imports")
    chosen = imports[
        imports["recipient"].eq("European NATO states")
        & imports["supplier"].eq("United States")
        & imports["measure"].eq("share_of_recipient_imports_pct")
    ][["period", "value"]].sort_values("period")
    bars = (
        alt.Chart(chosen, title="Share of European NATO states' arms imports from the US")
        .mark_bar(size=46)
        .encode(
            x=alt.X(
                "period:N", title="Five-year period (SIPRI)", sort=None, axis=alt.Axis(labelAngle=0)
            ),
            y=alt.Y("value:Q", title="Share of imports (%)", scale=alt.Scale(domain=[0, 100])),
            tooltip=[
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("value:Q", title="US share (%)"),
            ],
        )
    )
    labels = value_labels(bars, alt.Text("value:Q", format=".0f"), dy=-8)
    chart = (bars + labels).properties(width="container", height=260)
    return annotate(
        chart,
        source=data.source_line("arms_imports"),
        datasets=["arms_imports"],
        description="Bar chart of the US share of European NATO states' arms imports: "
        + "; ".join(f"{r.period}: {r.value:.0f} %" for r in chosen.itertuples())
        + ".",
    )


ORIGIN_ORDER = ["US", "European", "US-European", "Israeli", "Soviet/Russian", "other"]
ORIGIN_COLOURS = [BLUE, ORANGE, SKY_BLUE, PURPLE, VERMILLION, GREY]


def _origin_colour(title: str, present: pd.Series) -> alt.Color:
    """One colour per origin across all charts; the legend lists only origins present."""
    shown = [o for o in ORIGIN_ORDER if o in set(present.astype(str))]
    colours = [ORIGIN_COLOURS[ORIGIN_ORDER.index(o)] for o in shown]
    return alt.Color(
        "origin:N", title=title, sort=shown, scale=alt.Scale(domain=shown, range=colours)
    )


@figure
def fleet_by_origin() -> alt.Chart:
    """Combat aircraft in service by country, split by where the type was designed."""
    fleets = data.load_dataset("fighter_fleets")
    names = data.load_dataset("countries").set_index("country")["name"]
    per_country = (
        fleets.assign(state=fleets["country"].map(names), origin=fleets["origin"].astype(str))
        .groupby(["state", "origin"], as_index=False)
        .agg(
            aircraft=("in_service", "sum"),
            types=("aircraft_type", lambda s: ", ".join(s)),
            years=(
                "reference_year",
                lambda s: f"{s.min()}–{s.max()}" if s.min() != s.max() else str(s.min()),
            ),
        )
    )
    us = per_country[per_country["origin"] == "US"].set_index("state")["aircraft"]
    total = per_country.groupby("state")["aircraft"].sum()
    order = list((us.reindex(total.index).fillna(0) / total).sort_values(ascending=False).index)
    chart = (
        alt.Chart(per_country, title="Combat aircraft in service, by where the type was designed")
        .mark_bar()
        .encode(
            y=alt.Y("state:N", title=None, sort=order),
            x=alt.X(
                "aircraft:Q",
                stack="normalize",
                title="Share of its combat aircraft",
                axis=alt.Axis(format="%"),
            ),
            color=_origin_colour("Designed in", per_country["origin"]),
            order=alt.Order("origin_rank:Q"),
            tooltip=[
                alt.Tooltip("state:N", title="State"),
                alt.Tooltip("origin:N", title="Designed in"),
                alt.Tooltip("aircraft:Q", title="Aircraft"),
                alt.Tooltip("types:N", title="Types"),
                alt.Tooltip("years:N", title="Count refers to"),
            ],
        )
        .transform_calculate(origin_rank=f"indexof({ORIGIN_ORDER}, datum.origin)")
        .properties(width="container", height=440)
    )
    shares = fleet_us_shares()
    return annotate(
        chart,
        source=data.source_line("fighter_fleets"),
        datasets=["fighter_fleets"],
        description=(
            f"Stacked bars, one per state, sorted by the share of US-designed aircraft. "
            f"Across all {shares['states']} states, {shares['with_turkey']:.0%} of "
            f"{shares['aircraft']:,} aircraft are US-designed; without Türkiye "
            f"{shares['without_turkey']:.0%}. Counts refer to different years."
        ),
    )


def fleet_us_shares() -> dict[str, float]:
    """Share of US-designed aircraft in the counted fleets, with and without Türkiye."""
    fleets = data.load_dataset("fighter_fleets")
    return {
        "states": int(fleets["country"].nunique()),
        "aircraft": int(fleets["in_service"].sum()),
        "with_turkey": fleet.us_share_today(fleets, include_turkey=True),
        "without_turkey": fleet.us_share_today(fleets, include_turkey=False),
    }


@figure
def counted_orders() -> pd.DataFrame:
    """Orders that can be summed (long-term plans overlapping counted orders left out), with
    each type's family ('F-35A (additional)' -> 'F-35')."""
    orders = data.load_dataset("fighter_orders")
    counted = orders[orders["status"] != fleet.OVERLAPPING_PLAN].reset_index(drop=True)
    return counted.assign(family=counted["aircraft_type"].astype(str).map(fleet.aircraft_family))


@figure
def orders_by_type() -> alt.LayerChart:
    """Combat aircraft on order in Europe, by family and origin."""
    orders = counted_orders()
    frame = (
        orders.assign(origin=orders["origin"].astype(str))
        .groupby(["family", "origin"], as_index=False)
        .agg(ordered=("ordered", "sum"), buyers=("country", lambda s: ", ".join(sorted(set(s)))))
    )
    bars = (
        alt.Chart(frame, title="Combat aircraft ordered by European states, by type")
        .mark_bar()
        .encode(
            y=alt.Y(
                "family:N",
                title=None,
                sort=list(frame.sort_values("ordered", ascending=False)["family"]),
            ),
            x=alt.X("ordered:Q", title="Aircraft ordered (count)"),
            color=_origin_colour("Designed in", frame["origin"]),
            tooltip=[
                alt.Tooltip("family:N", title="Type"),
                alt.Tooltip("ordered:Q", title="Ordered"),
                alt.Tooltip("buyers:N", title="Buyers"),
            ],
        )
    )
    labels = value_labels(bars, "ordered:Q", align="left", dx=3)
    chart = (bars + labels).properties(width="container", height=220)
    return annotate(
        chart,
        source=data.source_line("fighter_orders"),
        datasets=["fighter_orders"],
        description="Bar chart of aircraft on order: "
        + "; ".join(
            f"{r.family} {r.ordered} ({r.origin})"
            for r in frame.sort_values("ordered", ascending=False).itertuples()
        )
        + ".",
    )


@figure
def air_defence_by_system() -> alt.LayerChart:
    """How many European states operate or have ordered each air-defence system."""
    systems = data.load_dataset("air_defence")
    frame = (
        systems.assign(
            origin=systems["origin"].astype(str), range_class=systems["range_class"].astype(str)
        )
        .groupby(["system", "origin", "range_class"], as_index=False)
        .agg(states=("country", "nunique"), which=("country", lambda s: ", ".join(sorted(set(s)))))
    )
    frame["label"] = frame["system"] + " (" + frame["range_class"] + " range)"
    order = list(frame.sort_values(["range_class", "states"], ascending=[True, False])["label"])
    bars = (
        alt.Chart(frame, title="Ground-based air defence: states operating or buying each system")
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=220)),
            x=alt.X(
                "states:Q",
                title="Number of states (in service or on order)",
                axis=alt.Axis(tickMinStep=1),
            ),
            color=_origin_colour("Designed in", frame["origin"]),
            tooltip=[
                alt.Tooltip("system:N", title="System"),
                alt.Tooltip("range_class:N", title="Range"),
                alt.Tooltip("origin:N", title="Designed in"),
                alt.Tooltip("states:Q", title="States"),
                alt.Tooltip("which:N", title="Which"),
            ],
        )
    )
    labels = value_labels(bars, "states:Q", align="left", dx=3)
    chart = (bars + labels).properties(width="container", height=alt.Step(22))
    top = frame.sort_values("states", ascending=False).iloc[0]
    return annotate(
        chart,
        source=data.source_line("air_defence"),
        datasets=["air_defence"],
        description="Bar chart of long- and medium-range systems: "
        + "; ".join(
            f"{r.label}, {r.origin}: {r.states}"
            for r in frame.sort_values("states", ascending=False).itertuples()
        )
        + f" states. The most widespread is {top.system}.",
    )


def facts() -> dict[str, object]:
    """Numbers the chapter's prose quotes, computed from the data."""
    shares = fleet_us_shares()
    imports = data.load_dataset("arms_imports")
    us_share = imports[
        imports["recipient"].eq("European NATO states")
        & imports["supplier"].eq("United States")
        & imports["measure"].eq("share_of_recipient_imports_pct")
    ].set_index("period")["value"]
    orders = counted_orders()
    family = orders["family"]
    european = int(orders.loc[orders["origin"] == "European", "ordered"].sum())
    sipri_f35 = int(
        imports.loc[imports["measure"].eq("f35_on_order_or_preselected_count"), "value"].iloc[0]
    )
    return {
        "cap_us_share_1519": f"{us_share['2015-19']:.0f}",
        "cap_us_share_2024": f"{us_share['2020-24']:.0f}",
        "cap_us_share_2125": f"{us_share['2021-25']:.0f}",
        "cap_fleet_states": shares["states"],
        "cap_fleet_aircraft": f"{shares['aircraft']:,}",
        "cap_us_fleet_share": f"{shares['with_turkey']:.0%}",
        "cap_us_fleet_share_no_tr": f"{shares['without_turkey']:.0%}",
        "cap_f35_ordered": int(orders.loc[family == "F-35", "ordered"].sum()),
        "cap_f35_buyers": int(orders.loc[family == "F-35", "country"].nunique()),
        "cap_european_ordered": european,
        "cap_f35_announced": int(
            orders.loc[(family == "F-35") & (orders["status"] == "announced"), "ordered"].sum()
        ),
        "cap_f35_sipri": sipri_f35,
        "cap_f35_ratio_sipri": f"{sipri_f35 / european:.1f}",
    }
