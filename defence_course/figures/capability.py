"""Figures of chapter 3, capability dependence."""

from __future__ import annotations

import altair as alt

from defence_course import data
from defence_course.charts import annotate


def us_share_of_european_nato_imports() -> alt.Chart:
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
            x=alt.X("period:N", title="Five-year period (SIPRI)", sort=None,
                    axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title="Share of imports (%)", scale=alt.Scale(domain=[0, 100])),
            tooltip=[alt.Tooltip("period:N", title="Period"),
                     alt.Tooltip("value:Q", title="US share (%)")],
        )
    )
    labels = bars.mark_text(dy=-8, color="#222222").encode(text=alt.Text("value:Q", format=".0f"))
    chart = (bars + labels).properties(width="container", height=260)
    return annotate(
        chart,
        source=data.source_line("arms_imports"),
        description="Bar chart of the US share of European NATO states' arms imports: "
        + "; ".join(f"{r.period}: {r.value:.0f} %" for r in chosen.itertuples()) + ".",
    )
