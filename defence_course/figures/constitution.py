"""Figures of chapter 5, constitutional limits."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from defence_course import data
from defence_course.charts import BLUE, GREEN, VERMILLION, annotate, value_labels
from defence_course.figures._registry import figure
from defence_course.models import council


@figure
def provisions_table() -> pd.DataFrame:
    """The treaty provisions the course discusses, with how decisions under them are taken."""
    articles = data.load_dataset("treaty_articles")
    label = articles["treaty"].astype(str) + " Art. " + articles["article"].astype(str)
    with_paragraph = articles["paragraph"].notna()
    label[with_paragraph] += "(" + articles.loc[with_paragraph, "paragraph"].astype(str) + ")"
    table = pd.DataFrame(
        {
            "provision": label,
            "decisions taken by": articles["decision_rule"].astype("string").fillna("—"),
            "in plain words": articles["summary"],
        }
    )
    return table.set_index("provision")


@figure
def population_shares() -> alt.Chart:
    """Each member state's share of the EU population: the weight it carries under QMV."""
    members = council.eu_members(data.load_dataset("countries"))
    members["share_pct"] = 100 * members["population"] / members["population"].sum()
    frame = members[["name", "population", "share_pct"]]
    chart = (
        alt.Chart(frame, title="Share of the EU population, by member state (1 January 2025)")
        .mark_bar(color=BLUE)
        .encode(
            y=alt.Y("name:N", title=None, sort="-x"),
            x=alt.X("share_pct:Q", title="Share of the EU population (%)"),
            tooltip=[
                alt.Tooltip("name:N", title="State"),
                alt.Tooltip("population:Q", title="Population", format=","),
                alt.Tooltip("share_pct:Q", title="Share (%)", format=".2f"),
            ],
        )
        .properties(width="container", height=alt.Step(15))
    )
    largest = frame.sort_values("share_pct", ascending=False)
    four = largest.head(4)
    return annotate(
        chart,
        source=data.source_line("countries", matching="Eurostat"),
        datasets=["countries"],
        description=(
            f"Bars for the {len(frame)} member states. The largest, "
            + ", ".join(f"{r.name} ({r.share_pct:.1f} %)" for r in four.itertuples())
            + f", hold {four['share_pct'].sum():.1f} % together; the smallest, "
            f"{largest.iloc[-1]['name']}, holds {largest.iloc[-1]['share_pct']:.2f} %."
        ),
    )


@figure
def coalitions_against_qmv() -> alt.LayerChart:
    """Preset groups of states against the two QMV thresholds (55 % of states, 65 % of people)."""
    populations = council.populations_from_data()

    def group_row(label: str, members: list[str]) -> dict[str, object]:
        support = council.support_vector(members, populations)
        passes = council.qualified_majority(support, populations)
        return {
            "group": label,
            "states": int(support.sum()),
            "share_states": 100 * support.mean(),
            "share_population": 100 * populations[support].sum() / populations.sum(),
            "passes": "passes" if passes else "fails",
        }

    rows = [group_row(label, list(members)) for label, members in council.PRESETS.items()]
    rows += [
        group_row(f"all but {name}", [c for c in populations.index if c != code])
        for code, name in (("DE", "Germany"), ("HU", "Hungary"))
    ]
    frame = pd.DataFrame(rows)
    points = (
        alt.Chart(frame)
        .mark_point(size=160, filled=True)
        .encode(
            x=alt.X(
                "share_states:Q",
                title="Share of member states in favour (%)",
                scale=alt.Scale(domain=[0, 100]),
            ),
            y=alt.Y(
                "share_population:Q",
                title="Share of EU population in favour (%)",
                scale=alt.Scale(domain=[0, 100]),
            ),
            color=alt.Color(
                "passes:N",
                title="Under QMV",
                sort=["passes", "fails"],
                scale=alt.Scale(domain=["passes", "fails"], range=[GREEN, VERMILLION]),
            ),
            shape=alt.Shape(
                "passes:N",
                title="Under QMV",
                sort=["passes", "fails"],
                scale=alt.Scale(domain=["passes", "fails"]),
            ),
            tooltip=[
                alt.Tooltip("group:N", title="Group"),
                alt.Tooltip("states:Q", title="States"),
                alt.Tooltip("share_states:Q", title="Share of states (%)", format=".0f"),
                alt.Tooltip("share_population:Q", title="Share of population (%)", format=".1f"),
                alt.Tooltip("passes:N", title="Qualified majority"),
            ],
        )
    )
    labels = value_labels(points, "group:N", align="left", dx=8)
    thresholds = pd.DataFrame(
        {"x": [100 * council.STATE_THRESHOLD], "y": [100 * council.POPULATION_THRESHOLD]}
    )
    vertical = alt.Chart(thresholds).mark_rule(strokeDash=[6, 3]).encode(x="x:Q")
    horizontal = alt.Chart(thresholds).mark_rule(strokeDash=[6, 3]).encode(y="y:Q")
    chart = (vertical + horizontal + points + labels).properties(
        title="Which groups of states reach a qualified majority?", width="container", height=320
    )
    return annotate(
        chart,
        source=data.source_line("countries", matching="Eurostat") + "; TEU Art. 16(4)",
        datasets=["countries"],
        description="Scatter plot with the thresholds at 55 % of states and 65 % of population: "
        + "; ".join(
            f"{r.group}: {r.share_states:.0f} % of states, {r.share_population:.1f} % "
            f"of population, {r.passes}"
            for r in frame.itertuples()
        )
        + ".",
    )


@figure
def unanimity_collapse() -> alt.LayerChart:
    """Chance that every state agrees, if each agrees independently with probability p."""
    sizes = np.arange(1, 31)
    frame = pd.concat(
        [
            pd.DataFrame(
                {
                    "states": sizes,
                    "p": f"each state agrees {p:.0%} of the time",
                    "chance": 100 * council.unanimity_pass_probability(p, sizes),
                }
            )
            for p in (0.99, 0.95, 0.9)
        ]
    )
    lines = (
        alt.Chart(frame)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("states:Q", title="Number of states that must all agree"),
            y=alt.Y(
                "chance:Q", title="Chance that all agree (%)", scale=alt.Scale(domain=[0, 100])
            ),
            color=alt.Color("p:N", title=None, sort="descending"),
            strokeDash=alt.StrokeDash("p:N", title=None, sort="descending"),
            tooltip=[
                alt.Tooltip("p:N", title="Assumption"),
                alt.Tooltip("states:Q", title="States"),
                alt.Tooltip("chance:Q", title="All agree (%)", format=".1f"),
            ],
        )
    )
    eu = alt.Chart(pd.DataFrame({"states": [27], "label": ["27 EU members"]}))
    rule = eu.mark_rule().encode(x="states:Q")
    text = eu.mark_text(align="right", dx=-4, y=10).encode(x="states:Q", text="label:N")
    chart = (lines + rule + text).properties(
        title="Why unanimity gets harder as a union grows", width="container", height=280
    )
    at_27 = {p: 100 * council.unanimity_pass_probability(p, 27) for p in (0.99, 0.95, 0.9)}
    return annotate(
        chart,
        source="Course calculation (the chance that n independent states all agree is p to the "
        "power n)",
        description="Three falling curves. With 27 states the chance that all agree is "
        + ", ".join(f"{v:.0f} % if each agrees {p:.0%} of the time" for p, v in at_27.items())
        + ".",
    )


def facts() -> dict[str, object]:
    """Numbers the chapter's prose quotes, computed from the data."""
    populations = council.populations_from_data()
    shares = 100 * populations / populations.sum()
    founders = council.support_vector(council.PRESETS["founders"], populations)
    n = len(populations)
    return {
        "const_members": len(populations),
        "const_state_quota": int(np.ceil(council.STATE_THRESHOLD * len(populations))),
        "const_germany_share": f"{shares['DE']:.1f}",
        "const_founders_share": f"{shares[founders].sum():.1f}",
        "const_unanimity_27": f"{100 * council.unanimity_pass_probability(0.95, n):.0f}",
        "const_unanimity_27_90": f"{100 * council.unanimity_pass_probability(0.9, n):.0f}",
        "const_reinforced_quota": council.state_quota(n, "reinforced qualified majority"),
        "const_blocking_states": council.blocking_states(n),
    }
