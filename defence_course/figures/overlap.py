"""Figures of chapter 4, the EU–NATO overlap."""

from __future__ import annotations

import altair as alt
import pandas as pd

from defence_course import data
from defence_course.charts import annotate

GROUP_ORDER = ["EU and NATO", "EU only", "NATO only"]


def membership_groups(countries: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each EU or NATO member state in ``year`` with its group: both, EU only or NATO only."""
    in_eu = countries["eu_accession_year"].le(year).fillna(False)
    in_nato = countries["nato_accession_year"].le(year).fillna(False)
    group = pd.Series(pd.NA, index=countries.index, dtype="string")
    group[in_eu & in_nato] = "EU and NATO"
    group[in_eu & ~in_nato] = "EU only"
    group[~in_eu & in_nato] = "NATO only"
    members = countries.assign(group=group)[group.notna()]
    return members[["country", "name", "group"]].reset_index(drop=True)


def membership_overlap(year: int = 2025) -> alt.Chart:
    """How many states are in the EU, in NATO, or in both."""
    groups = membership_groups(data.load_dataset("countries"), year)
    counts = (groups.groupby("group").agg(states=("name", "size"),
                                          names=("name", lambda s: ", ".join(sorted(s))))
              .reindex(GROUP_ORDER).reset_index())
    bars = (
        alt.Chart(counts, title=f"Members of the EU and of NATO in {year}")
        .mark_bar()
        .encode(
            x=alt.X("states:Q", title="Number of states"),
            y=alt.Y("group:N", title=None, sort=GROUP_ORDER),
            color=alt.Color("group:N", title="Membership", sort=GROUP_ORDER, legend=None),
            tooltip=[alt.Tooltip("group:N", title="Group"),
                     alt.Tooltip("states:Q", title="States"),
                     alt.Tooltip("names:N", title="Which")],
        )
    )
    labels = bars.mark_text(align="left", dx=4, color="#222222").encode(text="states:Q")
    chart = (bars + labels).properties(width="container", height=120)
    return annotate(
        chart,
        source=data.source_line("countries"),
        description="Bar chart: " + "; ".join(
            f"{r.group}: {r.states} states ({r.names})" for r in counts.itertuples()),
    )
