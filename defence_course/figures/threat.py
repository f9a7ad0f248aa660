"""Figures of chapter 1, the threat."""

from __future__ import annotations

import altair as alt

from defence_course import data
from defence_course.charts import annotate


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
        description=(
            f"Timeline of {len(frame)} incidents in {frame['state'].nunique()} states between "
            f"{frame['day'].min()} and {frame['day'].max()}; each point is one incident, "
            "coloured and shaped by its kind."
        ),
    )
