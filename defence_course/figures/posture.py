"""Figures of chapter 2, the US posture and European opinion."""

from __future__ import annotations

import altair as alt

from defence_course import data
from defence_course.charts import annotate


def trump_poll_march_2025() -> alt.Chart:
    """The Le Grand Continent / Cluster17 poll of March 2025 behind the article's 63 % and 51 %."""
    opinion = data.load_dataset("opinion")
    questions = data.load_dataset("survey_questions").set_index("question_id")
    chosen = opinion[opinion["question_id"].str.startswith("lgc-2025-03")
                     & opinion["country"].isna()].copy()
    chosen["statement"] = chosen["question_id"].map(questions["short_label"])
    chosen = chosen[["statement", "area", "value_pct"]]
    bars = (
        alt.Chart(chosen, title="What nine EU countries' voters said in March 2025")
        .mark_bar()
        .encode(
            x=alt.X("value_pct:Q", title="Share of respondents (%)",
                    scale=alt.Scale(domain=[0, 100])),
            y=alt.Y("statement:N", title=None, sort="-x",
                    axis=alt.Axis(labelLimit=320)),
            tooltip=[alt.Tooltip("statement:N", title="Answer"),
                     alt.Tooltip("area:N", title="Who"),
                     alt.Tooltip("value_pct:Q", title="Share (%)")],
        )
    )
    labels = bars.mark_text(align="left", dx=4).encode(text=alt.Text("value_pct:Q", format=".0f"))
    chart = (bars + labels).properties(width="container", height=140)
    return annotate(
        chart,
        source=data.source_line("opinion"),
        description="Bar chart: " + "; ".join(
            f"{r.statement}: {r.value_pct:.0f} %" for r in chosen.itertuples()),
    )
