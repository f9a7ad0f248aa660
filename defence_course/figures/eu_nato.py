"""Figures of chapter 4, the EU–NATO overlap."""

from __future__ import annotations

import altair as alt
import pandas as pd

from defence_course import data
from defence_course.charts import BLUE, GREEN, LIGHT_GREY, ORANGE, PALE_GREY, annotate, value_labels
from defence_course.figures._registry import figure
from defence_course.projection import projected_topology

GROUP_ORDER = ["EU and NATO", "EU only", "NATO only"]


def in_eu_in(countries: pd.DataFrame, year: int) -> pd.Series:
    """True for the states that were EU members in ``year`` (joined, and not yet left)."""
    joined = countries["eu_accession_year"].le(year).fillna(False)
    if "eu_exit_year" not in countries:
        return joined.astype(bool)
    left = countries["eu_exit_year"].le(year).fillna(False)
    return (joined & ~left).astype(bool)


def membership_groups(countries: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each EU or NATO member state in ``year`` with its group: both, EU only or NATO only.

    A state counts as an EU member from its accession year until the year before it left
    (``eu_exit_year``): the United Kingdom is in the EU from 1973 to 2019.
    """
    in_eu = in_eu_in(countries, year)
    in_nato = countries["nato_accession_year"].le(year).fillna(False)
    group = pd.Series(pd.NA, index=countries.index, dtype="string")
    group[in_eu & in_nato] = "EU and NATO"
    group[in_eu & ~in_nato] = "EU only"
    group[~in_eu & in_nato] = "NATO only"
    members = countries.assign(group=group)[group.notna()]
    return members[["country", "name", "group"]].reset_index(drop=True)


@figure
def membership_overlap(year: int = 2025) -> alt.LayerChart:
    """How many states are in the EU, in NATO, or in both."""
    groups = membership_groups(data.load_dataset("countries"), year)
    counts = (
        groups.groupby("group")
        .agg(states=("name", "size"), names=("name", lambda s: ", ".join(sorted(s))))
        .reindex(GROUP_ORDER)
        .reset_index()
    )
    bars = (
        alt.Chart(counts, title=f"Members of the EU and of NATO in {year}")
        .mark_bar()
        .encode(
            x=alt.X("states:Q", title="Number of states"),
            y=alt.Y("group:N", title=None, sort=GROUP_ORDER),
            color=alt.Color("group:N", title="Membership", sort=GROUP_ORDER, legend=None),
            tooltip=[
                alt.Tooltip("group:N", title="Group"),
                alt.Tooltip("states:Q", title="States"),
                alt.Tooltip("names:N", title="Which"),
            ],
        )
    )
    labels = value_labels(bars, "states:Q", align="left", dx=4)
    chart = (bars + labels).properties(width="container", height=120)
    return annotate(
        chart,
        source=data.source_line("countries"),
        datasets=["countries"],
        description="Bar chart: "
        + "; ".join(f"{r.group}: {r.states} states ({r.names})" for r in counts.itertuples()),
    )


GROUP_COLOURS = [BLUE, ORANGE, GREEN]
MAIN_RELEASE = "2024-06"


@figure
def membership_map(year: int = 2025) -> alt.LayerChart:
    """Map of Europe coloured by membership of the EU, NATO or both."""
    groups = membership_groups(data.load_dataset("countries"), year)
    # Projected here (Lambert conformal conic, 40° and 65° N, centred on 10° E), so that the
    # reader's browser draws the plane coordinates as they are.
    topology = projected_topology(data.load_europe_map())
    outlines = alt.InlineData(
        values=topology, format=alt.DataFormat(feature="countries", type="topojson")
    )
    base = alt.Chart(outlines).mark_geoshape(stroke="white", strokeWidth=0.5, clip=True)
    background = base.encode(
        color=alt.value(LIGHT_GREY), tooltip=[alt.Tooltip("properties.name:N", title="State")]
    )
    members = (
        base.transform_lookup(
            lookup="id",
            from_=alt.LookupData(groups, "country", ["name", "group"]),
        )
        .transform_filter("isValid(datum.group)")
        .encode(
            color=alt.Color(
                "group:N",
                title="Member of",
                sort=GROUP_ORDER,
                scale=alt.Scale(domain=GROUP_ORDER, range=GROUP_COLOURS),
            ),
            tooltip=[
                alt.Tooltip("name:N", title="State"),
                alt.Tooltip("group:N", title="Member of"),
            ],
        )
    )
    # No scale or centre: Vega-Lite fits the plane to the outlines and the width.
    chart = (
        (background + members)
        .project(type="identity", reflectY=True)
        .properties(title=f"EU and NATO members in Europe, {year}", width="container", height=420)
    )
    counts = groups["group"].value_counts()
    return annotate(
        chart,
        source=data.source_line("countries", matching="European Commission") + "; NATO; map: "
        "Natural Earth",
        datasets=["countries"],
        description=(
            f"Map of Europe. {counts.get('EU and NATO', 0)} states are in both the EU and "
            f"NATO; in the EU only: "
            + ", ".join(sorted(groups.loc[groups["group"] == "EU only", "name"]))
            + "; in NATO only (in Europe): "
            + ", ".join(
                sorted(
                    groups.loc[
                        (groups["group"] == "NATO only") & ~groups["country"].isin(["US", "CA"]),
                        "name",
                    ]
                )
            )
            + ". The United States and Canada are outside the map; grey states belong "
            "to neither."
        ),
    )


def allies_spending(year: int, release: str = MAIN_RELEASE) -> pd.DataFrame:
    """Each ally's defence spending (% of GDP) in ``year`` from one NATO release."""
    allies = ally_rows(year, release)
    return allies[["country", "area", "pct_gdp", "estimate"]].reset_index(drop=True)


def ally_rows(year: int, release: str) -> pd.DataFrame:
    """Every column of ``defence_spending`` for the states that were allies in ``year``."""
    spending = data.load_dataset("defence_spending")
    countries = data.load_dataset("countries").set_index("country")
    chosen = spending[
        (spending["nato_release"] == release)
        & (spending["year"] == year)
        & spending["country"].notna()
    ]
    if chosen.empty:
        raise ValueError(f"no spending figures for {year} in NATO release {release}")
    joined = chosen.merge(countries[["nato_accession_year"]], left_on="country", right_index=True)
    return joined[joined["nato_accession_year"] <= year].copy()


@figure
def spending_against_targets(year: int = 2024) -> alt.LayerChart:
    """Each ally's defence spending against the 2 % guideline and the 3.5 % core target."""
    frame = allies_spending(year).rename(columns={"area": "ally"})
    frame["status"] = frame["estimate"].map({True: "NATO estimate", False: "reported"})
    targets = data.load_dataset("spending_targets").set_index("target_id")
    lines = pd.DataFrame(
        {
            "target": ["2 % (2006 guideline)", "3.5 % (core target, 2035)"],
            "pct_gdp": [
                float(targets.loc["nato-2pct-2006", "value_pct_gdp"]),
                float(targets.loc["hague-core-2035", "value_pct_gdp"]),
            ],
        }
    )
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("ally:N", title=None, sort="-x"),
            x=alt.X("pct_gdp:Q", title="Defence expenditure (% of GDP)"),
            color=alt.condition(alt.datum.pct_gdp >= 2, alt.value(BLUE), alt.value(ORANGE)),
            tooltip=[
                alt.Tooltip("ally:N", title="Ally"),
                alt.Tooltip("pct_gdp:Q", title="% of GDP", format=".2f"),
                alt.Tooltip("status:N", title="Figure"),
            ],
        )
    )
    rules = (
        alt.Chart(lines)
        .mark_rule(strokeDash=[6, 3], size=1.5)
        .encode(x="pct_gdp:Q", tooltip=[alt.Tooltip("target:N", title="Target")])
    )
    labels = (
        alt.Chart(lines)
        .mark_text(align="right", dx=-4, dy=-6, baseline="bottom", fontSize=11)
        .encode(x="pct_gdp:Q", y=alt.value(0), text="target:N")
    )
    chart = (bars + rules + labels).properties(
        title=f"NATO allies' defence spending in {year} against the targets",
        width="container",
        height=alt.Step(16),
    )
    meeting = int((frame["pct_gdp"] >= 2).sum())
    return annotate(
        chart,
        source=data.source_line("defence_spending", matching="2014-2024")
        + "; "
        + data.source_line("spending_targets"),
        datasets=["defence_spending", "spending_targets"],
        description=(
            f"Bars for {len(frame)} allies in {year}: {meeting} spend at least 2 % of "
            f"GDP (blue), the others less (orange). Highest: "
            f"{frame.loc[frame['pct_gdp'].idxmax(), 'ally']} "
            f"({frame['pct_gdp'].max():.2f} %); lowest: "
            f"{frame.loc[frame['pct_gdp'].idxmin(), 'ally']} "
            f"({frame['pct_gdp'].min():.2f} %). Dashed lines mark 2 % and 3.5 %."
        ),
    )


@figure
def allies_meeting_guideline() -> alt.LayerChart:
    """How many allies spent at least 2 % of GDP on defence each year since 2014."""
    spending = data.load_dataset("defence_spending")
    years = sorted(spending.loc[spending["nato_release"] == MAIN_RELEASE, "year"].unique())
    rows = []
    for year in years:
        allies = allies_spending(int(year))
        rows.append(
            {
                "year": int(year),
                "meeting": int((allies["pct_gdp"] >= 2).sum()),
                "allies": len(allies),
            }
        )
    frame = pd.DataFrame(rows)
    bars = (
        alt.Chart(frame, title="Allies spending at least 2 % of GDP on defence")
        .mark_bar(color=BLUE)
        .encode(
            x=alt.X(
                "year:O", title="Year (2023 and 2024: NATO estimates)", axis=alt.Axis(labelAngle=0)
            ),
            y=alt.Y("meeting:Q", title="Number of allies"),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("meeting:Q", title="At or above 2 %"),
                alt.Tooltip("allies:Q", title="Allies in NATO's table"),
            ],
        )
    )
    labels = value_labels(bars, "meeting:Q", dy=-7)
    chart = (bars + labels).properties(width="container", height=240)
    return annotate(
        chart,
        source=data.source_line("defence_spending", matching="2014-2024"),
        datasets=["defence_spending"],
        description="Bar chart of allies at or above 2 % of GDP: "
        + "; ".join(f"{r.year}: {r.meeting} of {r.allies}" for r in frame.itertuples())
        + ".",
    )


@figure
def mutual_defence_clauses(year: int = 2025) -> alt.Chart:
    """Which European states each mutual-defence clause binds: NATO Art. 5, TEU Art. 42(7)."""
    groups = membership_groups(data.load_dataset("countries"), year)
    clauses = pd.concat(
        [
            groups.assign(
                clause="NATO Article 5", bound=groups["group"].isin(["EU and NATO", "NATO only"])
            ),
            groups.assign(
                clause="TEU Article 42(7)", bound=groups["group"].isin(["EU and NATO", "EU only"])
            ),
        ]
    )
    clauses["binding"] = clauses["bound"].map({True: "bound", False: "not bound"})
    order = list(groups.sort_values(["group", "name"])["name"])
    chart = (
        alt.Chart(
            clauses[["name", "group", "clause", "binding"]],
            title="Who is bound by which mutual-defence clause",
        )
        .mark_rect(stroke="white")
        .encode(
            x=alt.X("clause:N", title=None, axis=alt.Axis(labelAngle=0, orient="top")),
            y=alt.Y("name:N", title=None, sort=order),
            color=alt.Color(
                "binding:N",
                title=None,
                sort=["bound", "not bound"],
                scale=alt.Scale(domain=["bound", "not bound"], range=[BLUE, PALE_GREY]),
            ),
            tooltip=[
                alt.Tooltip("name:N", title="State"),
                alt.Tooltip("clause:N", title="Clause"),
                alt.Tooltip("binding:N", title="Binding?"),
                alt.Tooltip("group:N", title="Member of"),
            ],
        )
        .properties(width="container", height=alt.Step(13))
    )
    both = int((groups["group"] == "EU and NATO").sum())
    return annotate(
        chart,
        source=data.source_line("countries", matching="European Commission") + "; NATO",
        datasets=["countries"],
        description=(
            f"Grid of {len(groups)} states by clause. {both} are bound by both; "
            "the EU-only states ("
            + ", ".join(sorted(groups.loc[groups["group"] == "EU only", "name"]))
            + ") only by Article 42(7); "
            "NATO-only states only by Article 5."
        ),
    )


def facts() -> dict[str, object]:
    """Numbers the chapter's prose quotes, computed from the data."""
    groups = membership_groups(data.load_dataset("countries"), 2025)
    counts = groups["group"].value_counts()
    first, last = allies_spending(2014), allies_spending(2024)
    spending = data.load_dataset("defence_spending")
    estimates_2025 = spending[
        (spending["nato_release"] == "2025-08")
        & (spending["year"] == 2025)
        & spending["country"].notna()
        & spending["pct_gdp"].notna()
    ]
    return {
        "overlap_2025_with_figure": len(estimates_2025),
        "overlap_2025_meeting": int((estimates_2025["pct_gdp"] >= 2).sum()),
        "overlap_both": int(counts["EU and NATO"]),
        "overlap_eu": int(counts["EU and NATO"] + counts["EU only"]),
        "overlap_nato": int(counts["EU and NATO"] + counts["NATO only"]),
        "overlap_eu_only": ", ".join(sorted(groups.loc[groups["group"] == "EU only", "name"])),
        "overlap_nato_only": int(counts["NATO only"]),
        "overlap_meeting_2014": int((first["pct_gdp"] >= 2).sum()),
        "overlap_meeting_2024": int((last["pct_gdp"] >= 2).sum()),
        "overlap_allies_2024": len(last),
        "overlap_above_35_2024": int((last["pct_gdp"] >= 3.5).sum()),
    }
