"""The course timeline, 2014 to 2025."""

from __future__ import annotations

import altair as alt
import pandas as pd

from defence_course import data
from defence_course.charts import annotate
from defence_course.figures._registry import figure

CATEGORY_LABELS = {
    "war": "Russia's war",
    "nato": "NATO",
    "eu": "European Union",
    "incident": "Airspace incident",
    "coalition": "Coalition of the Willing",
    "us": "United States",
}


@figure
def timeline_chart() -> alt.Chart:
    """Dated events from Crimea (2014) to the end of 2025, one row per kind of actor."""
    events = data.load_dataset("timeline")
    frame = events.assign(
        day=events["date"].dt.strftime("%Y-%m-%d"),
        actor=events["category"].astype(str).map(CATEGORY_LABELS),
    )[["day", "actor", "event", "description"]]
    order = list(CATEGORY_LABELS.values())
    chart = (
        alt.Chart(frame, title="From Crimea to the Coalition of the Willing, 2014–2025")
        .mark_point(size=110, filled=True)
        .encode(
            x=alt.X("day:T", title="Date", axis=alt.Axis(format="%Y")),
            y=alt.Y("actor:N", title=None, sort=order),
            color=alt.Color("actor:N", title="Who acted", sort=order, legend=None),
            shape=alt.Shape("actor:N", sort=order, legend=None),
            tooltip=[
                alt.Tooltip("day:T", title="Date", format="%d %b %Y"),
                alt.Tooltip("event:N", title="Event"),
                alt.Tooltip("description:N", title="What happened"),
            ],
        )
        .properties(width="container", height=230)
    )
    return annotate(
        chart,
        source=data.source_line("timeline"),
        datasets=["timeline"],
        description=f"Timeline of {len(frame)} events from {frame['day'].min()} to "
        f"{frame['day'].max()}, grouped by actor: " + ", ".join(order) + ".",
    )


@figure
def events_table() -> pd.DataFrame:
    """Every timeline event with its date, actor, description and source, oldest first."""
    events = data.load_dataset("timeline").sort_values("date")
    sources = data.load_dataset("sources").set_index("source_id")
    return pd.DataFrame(
        {
            "date": events["date"].dt.strftime("%d %b %Y").to_numpy(),
            "who": events["category"].astype(str).map(CATEGORY_LABELS).to_numpy(),
            "event": events["event"].to_numpy(),
            "what happened": events["description"].to_numpy(),
            "source": events["source_id"].map(sources["publisher"]).to_numpy(),
        }
    ).set_index("date")
