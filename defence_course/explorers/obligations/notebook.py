"""Notebook explorer for chapter 4: a state's mutual-defence commitments and its spending."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from defence_course import data
from defence_course.explorers._notebook import ChartView, Explorer, float_slider
from defence_course.explorers.obligations import BOTH_SHARE, DEFAULT_COUNTRY, EU_SHARE
from defence_course.explorers.obligations.website import obligations_explorer
from defence_course.models import obligations

SPLIT_NOTE = (
    "NATO counts all national defence spending towards its targets, whichever way it "
    "is split: the split changes what the money buys, not whether a spending target "
    "is met. The two sliders are settings to explore, not estimates."
)


def split_html(split: obligations.BudgetSplit, total: float) -> str:
    """The budget split in words: EU programmes, NATO capability targets and their overlap."""
    return (
        f"<p>Of {total:.2f} % of GDP: <b>{split.eu_programmes:.2f} %</b> through EU joint "
        f"programmes, of which <b>{split.both:.2f} %</b> also fills NATO capability "
        f"targets; <b>{split.nato_targets:.2f} %</b> in all fills NATO capability targets "
        f"({split.national_for_nato:.2f} % national + {split.both:.2f} % via the EU). "
        f"<small>{SPLIT_NOTE}</small></p>"
    )


def commitments_html(table: pd.DataFrame) -> str:
    items = []
    for r in table.itertuples():
        mark = "binds" if r.binds else "does not bind"
        caveat = f"<br><small>Caveat: {html.escape(r.caveat)}</small>" if r.caveat else ""
        summary = f"<br><small>{html.escape(r.summary)}</small>" if r.binds else ""
        items.append(
            f"<li><b>{html.escape(r.commitment)}</b>: {mark} ({html.escape(r.why)})."
            f"{summary}{caveat}</li>"
        )
    return "<ul>" + "".join(items) + "</ul>"


def spending_text(status: obligations.SpendingStatus, name: str) -> str:
    if status.nato_release is None:
        return (
            f"<p>{html.escape(name)} is not in NATO's defence expenditure tables, so there is "
            "no NATO spending figure to compare with the targets.</p>"
        )
    gaps = []
    for label, gap in status.gaps.items():
        side = "above" if gap > 0 else "below" if gap < 0 else "exactly at"
        gaps.append(f"{abs(gap):.2f} points {side} the {label}" if gap else f"{side} the {label}")
    estimate = " (NATO estimate)" if status.estimate else ""
    return (
        f"<p>Defence spending in {status.year}{estimate}: <b>{status.pct_gdp:.2f} % of "
        f"GDP</b>, {'; '.join(gaps)}.<br><small>Figures from one release only: "
        f"{html.escape(obligations.release_label(status.nato_release))}.</small></p>"
    )


class ObligationsExplorer(Explorer):
    """A country dropdown, two budget-split sliders, a reset button, chart and text."""

    def __init__(self) -> None:
        self.countries = data.load_dataset("countries")
        self.articles = data.load_dataset("treaty_articles")
        self.spending = data.load_dataset("defence_spending")
        self.targets = data.load_dataset("spending_targets")
        self.names = self.countries.set_index("country")["name"].astype(str)
        codes = sorted(obligations.member_codes(self.countries), key=lambda c: self.names[c])
        self.country = widgets.Dropdown(
            options=[(self.names[c], c) for c in codes],
            value=DEFAULT_COUNTRY,
            description="Country",
        )
        self.share_to_eu = float_slider(EU_SHARE, "24rem", "46rem")
        self.share_for_both = float_slider(BOTH_SHARE, "24rem", "46rem")
        self.reset_button = self.make_reset_button()
        self.commitments = widgets.HTML()
        self.result = widgets.HTML()
        self.chart = obligations_explorer()
        self.view = ChartView(
            self.chart,
            {"country": self.country, "eu_pct": self.share_to_eu, "both_pct": self.share_for_both},
        )
        self.status: obligations.SpendingStatus | None = None
        self._holding = False
        self.country.observe(self.update, names="value")
        self.share_to_eu.observe(self.update, names="value")
        self.share_for_both.observe(self.update, names="value")
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.country, self.reset_button]),
                self.commitments,
                self.share_to_eu,
                self.share_for_both,
                self.result,
                self.view.widget,
            ]
        )
        self.update()

    def signal_values(self) -> dict[str, str | float]:
        """The controls as the chart's signals (the website's inputs)."""
        return {
            "country": self.country.value,
            "eu_pct": self.share_to_eu.value,
            "both_pct": self.share_for_both.value,
        }

    def update(self, change: object = None) -> None:
        if self._holding:
            return
        self.view.set(self.signal_values())
        code = self.country.value
        name = self.names[code]
        table = obligations.commitments(self.countries, self.articles, code)
        self.commitments.value = commitments_html(table)
        self.status = obligations.spending_vs_targets(
            self.spending, self.targets, self.countries, code
        )
        budget = self.status.pct_gdp  # None for a country outside NATO's tables
        self.share_to_eu.disabled = self.share_for_both.disabled = budget is None
        text = spending_text(self.status, name)
        if budget is not None:
            split = obligations.split_budget(
                budget,
                self.share_to_eu.value / 100,
                self.share_for_both.value / 100,
            )
            text += split_html(split, budget)
        self.result.value = text

    def reset(self, _: object = None) -> None:
        self._holding = True
        try:
            self.country.value = DEFAULT_COUNTRY
            self.share_to_eu.value = EU_SHARE.value
            self.share_for_both.value = BOTH_SHARE.value
        finally:
            self._holding = False
        self.update()
