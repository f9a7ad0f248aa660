"""Kernel-free explorer for chapter 4: commitments, spending and a budget split by country."""

from __future__ import annotations

import altair as alt
import pandas as pd

from defence_course import data
from defence_course.charts import annotate
from defence_course.explorers._common import (
    AUTOSIZE,
    PANEL_WIDTH,
    lines_frame,
    slider,
    text_panel,
    wrap,
)
from defence_course.models import obligations

DEFAULT_COUNTRY = "PL"
MAX_COMMITMENT_LINES = 14
RELEASES = {  # short names of NATO's releases, for the text under the chart
    "2024-06": "NATO release of June 2024",
    "2025-08": "NATO release of August 2025 (partial)",
    "2026-07": "NATO release of July 2026 (core spending; after the article)",
}


def _tables() -> dict[str, pd.DataFrame]:
    countries = data.load_dataset("countries")
    articles = data.load_dataset("treaty_articles")
    spending = data.load_dataset("defence_spending")
    targets = data.load_dataset("spending_targets")
    names = countries.set_index("country")["name"].astype(str)
    codes = sorted(obligations.member_codes(countries), key=lambda c: names[c])
    texts, latest, series = {}, [], []
    for code in codes:
        lines = []
        for r in obligations.commitments(countries, articles, code).itertuples():
            lines.append(f"{r.commitment}: {'BINDS' if r.binds else 'does not bind'} "
                         f"({r.why}).")
            if r.caveat:
                lines += wrap("   Caveat: " + r.caveat, 80)
        texts[code] = lines[:MAX_COMMITMENT_LINES]
        status = obligations.spending_vs_targets(spending, targets, countries, code)
        release = status["nato_release"]
        latest.append({"country": code, "name": names[code], "year": status["year"],
                       "pct_gdp": status["pct_gdp"], "estimate": status["estimate"],
                       "release": RELEASES.get(release, release) if release else ""})
        if release:
            for r in obligations.spending_series(spending, code, release).itertuples():
                series.append({"country": code, "year": r.year, "pct_gdp": r.pct_gdp,
                               "estimate": r.estimate})
    goals = obligations.targets_pct(targets)
    return {
        "latest": pd.DataFrame(latest),
        "series": pd.DataFrame(series),
        "commitments": lines_frame(texts, "country"),
        "targets": pd.DataFrame({"target": list(goals), "pct_gdp": list(goals.values())}),
    }


SPENDING_TEXT = (
    "!isValid(datum.pct_gdp) ? [datum.name + ' is not in NATO\\'s defence expenditure tables:', "
    "'no spending figure to compare with the targets,', 'and no budget to split.'] : "
    "[datum.name + ', ' + datum.year + (datum.estimate ? ' (NATO estimate)' : '') + ': ' "
    "+ format(datum.pct_gdp, '.2f') + ' % of GDP on defence.', "
    "'2 % guideline ' + (datum.pct_gdp >= 2 ? 'met' : 'not met') + '; 3.5 % core target ' "
    "+ (datum.pct_gdp >= 3.5 ? 'met.' : 'not met.'), "
    "'Split: ' + format(datum.pct_gdp * nato_pct / 100, '.2f') + ' % of GDP to NATO capability "
    "targets,', format(datum.pct_gdp * (1 - nato_pct / 100), '.2f') + ' % to EU joint "
    "programmes. NATO counts both parts.', 'Figures: ' + datum.release + '.']"
)


def obligations_explorer() -> alt.VConcatChart:
    """Pick a country: its commitments, spending against 2 % and 3.5 %, and a budget split."""
    t = _tables()
    latest = t["latest"]
    n_lines = int(t["commitments"]["line"].max()) + 1
    top = max(6.0, float(latest["pct_gdp"].max()) + 0.5) // 1
    country = alt.param(name="country", value=DEFAULT_COUNTRY, bind=alt.binding_select(
        options=latest["country"].tolist(), labels=latest["name"].tolist(), name="Country "))
    nato = slider("nato_pct", "Share of the budget for NATO capability targets (%)", 50, 0, 100,
                  5)
    commitments = text_panel(
        alt.Chart(t["commitments"]).transform_filter("datum.country == country"),
        n_lines, size=12, title="Mutual-defence commitments")
    line = alt.Chart(t["series"]).transform_filter("datum.country == country").mark_line(
        point=True).encode(
        x=alt.X("year:O", title="Year"),
        y=alt.Y("pct_gdp:Q", title="Defence spending (% of GDP)",
                scale=alt.Scale(domain=[0, top])),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("pct_gdp:Q", title="% of GDP"),
                 alt.Tooltip("estimate:N", title="NATO estimate")],
    )
    rules = alt.Chart(t["targets"]).mark_rule(strokeDash=[4, 3]).encode(
        y="pct_gdp:Q", color=alt.Color("target:N", title="Target",
                                       scale=alt.Scale(range=["#E69F00", "#D55E00"])))
    spending = (line + rules).properties(
        title="Defence spending against NATO's targets (one NATO release per country)",
        width=PANEL_WIDTH - 60, height=180)
    chosen = alt.Chart(latest).transform_filter("datum.country == country")
    split = chosen.transform_filter("isValid(datum.pct_gdp)").transform_calculate(
        nato="datum.pct_gdp * nato_pct / 100", eu="datum.pct_gdp * (1 - nato_pct / 100)",
    ).transform_fold(["nato", "eu"], as_=["part", "pct"]).transform_calculate(
        part="datum.part == 'nato' ? 'NATO capability targets' : 'EU joint programmes'",
        order="datum.part == 'NATO capability targets' ? 0 : 1",
    ).mark_bar().encode(
        x=alt.X("pct:Q", title="Share of GDP (%)", stack="zero",
                scale=alt.Scale(domain=[0, top])),
        color=alt.Color("part:N", title="Budget split",
                        scale=alt.Scale(domain=["NATO capability targets", "EU joint programmes"],
                                        range=["#009E73", "#CC79A7"])),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("part:N", title="Part"),
                 alt.Tooltip("pct:Q", title="% of GDP", format=".2f")],
    )
    marks = alt.Chart(t["targets"]).mark_rule(strokeDash=[4, 3]).encode(
        x="pct_gdp:Q")
    budget = (split + marks).properties(title="Splitting the latest budget",
                                        width=PANEL_WIDTH - 60, height=40)
    summary = text_panel(chosen.transform_calculate(lines=SPENDING_TEXT)
                         .transform_flatten(["lines"]).transform_window(line="row_number()")
                         .transform_calculate(line="datum.line - 1", text="datum.lines"),
                         5, size=12, bold_first=True)
    chart = alt.vconcat(commitments, spending, budget, summary).properties(
        title="Explorer: who must help whom, and who pays?", autosize=AUTOSIZE)
    chart = chart.add_params(country, nato)
    # Listed first, so the website's "data behind this chart" table shows it.
    table = [{key: None if pd.isna(value) else int(value) if key == "year" else value
              for key, value in row.items()} for row in latest.to_dict(orient="records")]
    chart = chart.properties(datasets={"latest_spending": table})
    chart = chart.resolve_scale(color="independent")
    return annotate(chart, source=data.source_line("countries") + "; "
                    + data.source_line("treaty_articles") + "; "
                    + data.source_line("defence_spending") + "; "
                    + data.source_line("spending_targets"), description=(
                        f"Interactive explorer for the {len(latest)} EU and NATO member states. "
                        "Choose a country to see whether NATO Article 5 and EU Article 42(7) "
                        "bind it, with neutrality caveats; its defence spending by year "
                        "from the latest NATO release complete for it, against the 2 % "
                        "guideline and the 3.5 % core target; and a slider that splits its "
                        "latest spending between NATO capability targets and EU joint "
                        "programmes."))
