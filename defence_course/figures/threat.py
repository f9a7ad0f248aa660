"""Figures of chapter 1, the threat."""

from __future__ import annotations

import altair as alt
import pandas as pd

from defence_course import data
from defence_course.charts import annotate
from defence_course.figures._registry import figure


@figure
def incident_timeline() -> alt.Chart:
    """Dated drone and airspace incursions into European states in 2025, by country."""
    incidents = data.load_dataset("incidents")
    names = data.load_dataset("countries").set_index("country")["name"]
    frame = incidents.assign(
        state=incidents["country"].map(names),
        day=incidents["date"].dt.strftime("%Y-%m-%d"),
    )[["day", "state", "kind", "description", "response", "attribution"]]
    chart = (
        alt.Chart(frame, title="Drone and airspace incursions into European states, 2025")
        .mark_point(size=120, filled=True, opacity=0.9)
        .encode(
            x=alt.X("day:T", title="Date (2025)", axis=alt.Axis(format="%b", tickCount="month")),
            y=alt.Y("state:N", title=None, sort="-x"),
            color=alt.Color("kind:N", title="What happened"),
            shape=alt.Shape("kind:N", title="What happened"),
            tooltip=[
                alt.Tooltip("day:T", title="Date", format="%d %b %Y"),
                alt.Tooltip("state:N", title="State"),
                alt.Tooltip("description:N", title="What happened"),
                alt.Tooltip("response:N", title="Response"),
                alt.Tooltip("attribution:N", title="Attributed to"),
            ],
        )
        .properties(width="container", height=260)
    )
    return annotate(
        chart,
        source=data.source_line("incidents"),
        datasets=["incidents"],
        description=(
            f"Timeline of {len(frame)} incidents in {frame['state'].nunique()} states between "
            f"{frame['day'].min()} and {frame['day'].max()}; each point is one incident, "
            "coloured and shaped by its kind."
        ),
    )


@figure
def monthly_drone_launches() -> alt.Chart:
    """Russian long-range drones launched at Ukraine per month in 2025 (Ukrainian Air Force)."""
    attacks = data.load_dataset("drone_attacks_ukraine")
    months = attacks[attacks["period_end"] - attacks["period_start"] > pd.Timedelta(days=20)]
    frame = pd.DataFrame(
        {
            "month": months["period_start"].dt.strftime("%Y-%m"),
            "drones": months["drones_launched"].astype(int),
            "missiles": months["missiles_launched"].astype("Float64"),
            "compiled by": months["counted_by"].map(_compiler),
        }
    )
    chart = (
        alt.Chart(frame, title="Long-range drones launched by Russia at Ukraine, per month, 2025")
        .mark_bar()
        .encode(
            x=alt.X(
                "month:O",
                title="Month (2025)",
                axis=alt.Axis(
                    labelExpr="timeFormat(toDate(datum.value + '-01'), '%b')", labelAngle=0
                ),
            ),
            y=alt.Y("drones:Q", title="Drones launched (count)"),
            color=alt.Color("compiled by:N", title="Compiled by"),
            tooltip=[
                alt.Tooltip("month:O", title="Month"),
                alt.Tooltip("drones:Q", title="Drones launched", format=","),
                alt.Tooltip("missiles:Q", title="Missiles launched", format=","),
                alt.Tooltip("compiled by:N", title="Compiled by"),
            ],
        )
        .properties(width="container", height=260)
    )
    peak = frame.loc[frame["drones"].idxmax()]
    return annotate(
        chart,
        source=data.source_line("drone_attacks_ukraine"),
        datasets=["drone_attacks_ukraine"],
        description=(
            f"Bar chart of drones launched per month in 2025, from "
            f"{frame['drones'].min():,} to {frame['drones'].max():,} "
            f"(peak in {peak['month']}). January to April come from a different "
            "compiler than May to December."
        ),
    )


def _compiler(counted_by: str) -> str:
    return "AFP" if "AFP" in counted_by else "Ukraine's Centre for Countering Disinformation"


COST_ROWS = {
    "drone_cost_usd-1": "Shahed-type attack drone (CSIS estimate)",
    "interceptor_drone_cost_usd-1": "Ukrainian interceptor drone",
    "interceptor_cost_usd-4": "Coyote counter-drone missile",
    "interceptor_cost_usd-1": "Patriot PAC-3 missile",
}


@figure
def cost_asymmetry() -> alt.LayerChart:
    """Published unit costs of an attack drone and of the weapons used to shoot it down."""
    params = data.load_dataset("attrition_parameters").set_index("parameter_id")
    rows = params.loc[list(COST_ROWS)]
    central = rows["value"].fillna((rows["low"] + rows["high"]) / 2)
    frame = pd.DataFrame(
        {
            "item": [COST_ROWS[i] for i in rows.index],
            "cost_usd": central.astype(float).to_numpy(),
            "low": rows["low"].fillna(central).astype(float).to_numpy(),
            "high": rows["high"].fillna(central).astype(float).to_numpy(),
            "basis": rows["unit"].astype(str).to_numpy(),
        }
    )
    order = list(frame.sort_values("cost_usd")["item"])
    base = alt.Chart(frame, title="What one shot costs: attack drone against interceptors")
    bars = base.mark_bar().encode(
        y=alt.Y("item:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
        x=alt.X(
            "cost_usd:Q",
            title="Cost per unit (USD, log scale)",
            scale=alt.Scale(type="log", domain=[1000, 10_000_000]),
            axis=alt.Axis(format="~s", values=[1e3, 1e4, 1e5, 1e6, 1e7]),
        ),
        # A log scale has no zero: bars start at the axis minimum, or they have no length.
        x2=alt.datum(1000),
        tooltip=[
            alt.Tooltip("item:N", title="Item"),
            alt.Tooltip("cost_usd:Q", title="Cost (USD)", format=",.0f"),
            alt.Tooltip("low:Q", title="Low estimate", format=",.0f"),
            alt.Tooltip("high:Q", title="High estimate", format=",.0f"),
            alt.Tooltip("basis:N", title="Basis"),
        ],
    )
    ranges = base.mark_rule().encode(y=alt.Y("item:N", sort=order), x="low:Q", x2="high:Q")
    chart = (bars + ranges).properties(width="container", height=170)
    drone = frame.loc[frame["item"].str.startswith("Shahed"), "cost_usd"].iloc[0]
    patriot = frame.loc[frame["item"].str.startswith("Patriot"), "cost_usd"].iloc[0]
    return annotate(
        chart,
        source=data.source_line("attrition_parameters"),
        datasets=["attrition_parameters"],
        description=(
            f"Bars on a logarithmic scale: an attack drone costs about "
            f"{drone:,.0f} US dollars, a Patriot missile about {patriot:,.0f}, "
            f"roughly {patriot / drone:.0f} times as much. Lines show published ranges."
        ),
    )


def facts() -> dict[str, object]:
    """Numbers the chapter's prose quotes, computed from the data."""
    incidents = data.load_dataset("incidents")
    attacks = data.load_dataset("drone_attacks_ukraine")
    months = attacks[attacks["period_end"] - attacks["period_start"] > pd.Timedelta(days=20)]
    nights = attacks[attacks["period_end"] == attacks["period_start"]]
    params = data.load_dataset("attrition_parameters").set_index("parameter_id")
    drone = float(params.loc["drone_cost_usd-1", "value"])
    patriot = float(params.loc["interceptor_cost_usd-1", "value"])
    ddis = data.load_dataset("threat_assessments").set_index("assessment_id")
    return {
        "threat_incident_count": len(incidents),
        "threat_incident_states": incidents["country"].nunique(),
        "threat_drones_2025": f"{int(months['drones_launched'].sum()):,}",
        "threat_record_night": f"{int(nights['drones_launched'].max()):,}",
        "threat_cost_ratio": f"{patriot / drone:.0f}",
        "threat_ddis_timeframe": str(ddis.loc["ddis-2025-large-scale-war", "timeframe"]),
    }
