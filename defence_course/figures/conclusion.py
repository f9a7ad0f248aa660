"""Figures of the introduction and the conclusion: the Coalition of the Willing and SAFE."""

from __future__ import annotations

import altair as alt
import pandas as pd

from defence_course import data
from defence_course.charts import BLUE, GREEN, GREY, ORANGE, VERMILLION, annotate, value_labels
from defence_course.figures._registry import figure

POSITION_ORDER = ["yes", "undecided", "no", "not stated"]
POSITION_COLOURS = [GREEN, ORANGE, VERMILLION, GREY]
TENTATIVE = "tentative (Commission allocation)"


@figure
def stated_positions() -> alt.Chart:
    """What named states said in September 2025 about sending ground troops to Ukraine."""
    coalition = data.load_dataset("coalition_of_the_willing")
    names = data.load_dataset("countries").set_index("country")["name"]
    states = coalition[coalition["country"].notna()].sort_values("date")
    latest = states.groupby("country").tail(1)
    frame = pd.DataFrame(
        {
            "state": latest["country"].map(names).fillna(latest["country"]).astype(str).to_numpy(),
            "troops": latest["contributes_ground_troops"].astype(str).to_numpy(),
            "what it said": latest["detail"].to_numpy(),
            "date": latest["date"].dt.strftime("%d %b %Y").to_numpy(),
        }
    )
    chart = (
        alt.Chart(
            frame,
            title="Would they send ground troops to Ukraine? Stated positions, September 2025",
        )
        .mark_square(size=500)
        .encode(
            y=alt.Y("state:N", title=None, sort=alt.EncodingSortField("troops")),
            x=alt.X(
                "troops:N",
                title="Troops in Ukraine after a ceasefire?",
                sort=POSITION_ORDER,
                scale=alt.Scale(domain=POSITION_ORDER),
                axis=alt.Axis(labelAngle=0),
            ),
            color=alt.Color(
                "troops:N",
                legend=None,
                sort=POSITION_ORDER,
                scale=alt.Scale(domain=POSITION_ORDER, range=POSITION_COLOURS),
            ),
            tooltip=[
                alt.Tooltip("state:N", title="State"),
                alt.Tooltip("troops:N", title="Ground troops"),
                alt.Tooltip("what it said:N", title="What it said"),
                alt.Tooltip("date:N", title="Date"),
            ],
        )
        .properties(width="container", height=alt.Step(34))
    )
    return annotate(
        chart,
        source=data.source_line("coalition_of_the_willing"),
        datasets=["coalition_of_the_willing"],
        description="Grid of stated positions on ground troops: "
        + "; ".join(f"{r.state}: {r.troops}" for r in frame.itertuples())
        + ". The list of the committed states was never published.",
    )


@figure
def safe_allocations() -> alt.LayerChart:
    """SAFE loans: the Commission's tentative allocation per member state (9 September 2025)."""
    loans = data.load_dataset("safe_loans")
    names = data.load_dataset("countries").set_index("country")["name"]
    tentative = loans[loans["status"] == TENTATIVE]
    approved = loans[loans["status"] != TENTATIVE].groupby("country")["allocation_eur_bn"].last()
    frame = pd.DataFrame(
        {
            "state": tentative["country"].map(names).to_numpy(),
            "tentative": tentative["allocation_eur_bn"].astype(float).round(2).to_numpy(),
            "approved by the Council": tentative["country"]
            .map(approved)
            .astype("Float64")
            .round(2)
            .astype(object)
            .where(tentative["country"].isin(approved.index).to_numpy(), "not yet found")
            .to_numpy(),
        }
    )
    bars = (
        alt.Chart(frame, title="SAFE defence loans: tentative allocation per member state")
        .mark_bar(color=BLUE)
        .encode(
            y=alt.Y(
                "state:N",
                title=None,
                sort=list(frame.sort_values("tentative", ascending=False)["state"]),
            ),
            x=alt.X("tentative:Q", title="Loan allocation (EUR billion)"),
            tooltip=[
                alt.Tooltip("state:N", title="State"),
                alt.Tooltip("tentative:Q", title="Tentative (EUR bn)", format=".2f"),
                alt.Tooltip("approved by the Council:N", title="Approved (EUR bn)"),
            ],
        )
    )
    labels = value_labels(bars, alt.Text("tentative:Q", format=".1f"), align="left", dx=3)
    chart = (bars + labels).properties(width="container", height=alt.Step(16))
    top = frame.sort_values("tentative", ascending=False).iloc[0]
    return annotate(
        chart,
        source=data.source_line("safe_loans"),
        datasets=["safe_loans"],
        description=(
            f"Bars for the {len(frame)} member states that asked for SAFE loans, "
            f"EUR {frame['tentative'].sum():.0f} billion in all; the largest is "
            f"{top['state']} with EUR {top['tentative']:.1f} billion."
        ),
    )


def facts() -> dict[str, object]:
    """Numbers the introduction's and the conclusion's prose quote, computed from the data."""
    coalition = data.load_dataset("coalition_of_the_willing")
    summit = coalition[coalition["country"].isna()].set_index("item")["value"]
    loans = data.load_dataset("safe_loans")
    tentative = loans[loans["status"] == TENTATIVE]
    names = data.load_dataset("countries").set_index("country")["name"]
    largest = tentative.sort_values("allocation_eur_bn", ascending=False).iloc[0]
    return {
        "coalition_participants": int(summit["participants"]),
        "coalition_committed": int(summit["committed to reassurance force"]),
        "coalition_london": int(summit["launch (London summit)"]),
        "safe_total": f"{tentative['allocation_eur_bn'].sum():.0f}",
        "safe_states": int(tentative["country"].nunique()),
        "safe_largest": f"{names[largest['country']]} (EUR "
        f"{largest['allocation_eur_bn']:.1f} billion)",
    }
