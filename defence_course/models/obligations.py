"""Obligations explorer: which mutual-defence clauses bind a state, and its defence spending.

Takes the ``countries``, ``treaty_articles``, ``defence_spending`` and ``spending_targets``
datasets. Membership is read from the accession years (empty = not a member). Spending comes
from ONE NATO release per country: the latest release in which that country's series is
complete (every year of the release, no empty value), never a mix of releases.

The budget split (:func:`split_budget`) does not assume that spending is zero-sum: a share of
the money spent through EU joint programmes can also fill NATO capability targets, and NATO's
spending targets count the whole national budget, whatever it buys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from defence_course.models import _checks

TARGET_IDS = {
    "2 % guideline": "nato-2pct-2006",
    "3.5 % core (The Hague, by 2035)": "hague-core-2035",
}
# What the treaty sentence on "certain Member States" is usually called: it was written for
# Ireland's neutrality (the "Irish clause") and covers the other neutral or non-aligned members.
IRISH_CLAUSE = (
    "TEU Art. 42(7) 'shall not prejudice the specific character of the security and "
    "defence policy of certain Member States' (the 'Irish clause')"
)


def _country(countries: pd.DataFrame, country: str) -> pd.Series:
    if not isinstance(countries, pd.DataFrame):
        raise TypeError("countries must be the DataFrame from data.load_dataset('countries')")
    if not isinstance(country, str):
        raise TypeError(f"country must be a two-letter code (string), got {country!r}")
    table = countries.set_index("country")
    if country not in table.index:
        raise ValueError(
            f"country: unknown country code {country!r}; expected one of "
            + ", ".join(map(str, table.index))
        )
    return table.loc[country]


def status_note(note: str) -> str:
    """A ``defence_status_note`` without its bracketed source ids."""
    return re.sub(r"\s*\[[^\]]*\]", "", str(note)).strip()


def member_codes(countries: pd.DataFrame) -> list[str]:
    """Codes of the states in the EU or NATO (or both)."""
    members = countries["eu_accession_year"].notna() | countries["nato_accession_year"].notna()
    return countries.loc[members, "country"].astype(str).tolist()


def commitments(
    countries: pd.DataFrame, treaty_articles: pd.DataFrame, country: str
) -> pd.DataFrame:
    """NATO Art. 5 and TEU Art. 42(7) for a country: whether each binds it, why, and caveats."""
    row = _country(countries, country)
    articles = treaty_articles.set_index("provision_id")
    note = "" if pd.isna(row["defence_status_note"]) else status_note(row["defence_status_note"])
    in_nato = pd.notna(row["nato_accession_year"])
    left_eu = pd.notna(row.get("eu_exit_year", pd.NA))
    in_eu = pd.notna(row["eu_accession_year"]) and not left_eu
    nato_caveat = ""
    eu_caveat = ""
    if in_eu and not in_nato:
        eu_caveat = IRISH_CLAUSE + "."
    elif in_eu and in_nato:
        eu_caveat = (
            "For NATO members, commitments under TEU Art. 42(7) must be consistent with "
            "NATO, which remains the foundation of their collective defence."
        )
    if note:
        eu_caveat = (eu_caveat + " " + note).strip() if in_eu else eu_caveat
        nato_caveat = note if in_nato and not in_eu else ""
    return pd.DataFrame(
        [
            {
                "commitment": "NATO Art. 5 (North Atlantic Treaty)",
                "provision_id": "NAT-5",
                "binds": bool(in_nato),
                "why": (
                    f"NATO member since {int(row['nato_accession_year'])}"
                    if in_nato
                    else "not a NATO member"
                ),
                "summary": str(articles.loc["NAT-5", "summary"]),
                "caveat": nato_caveat,
            },
            {
                "commitment": "EU mutual assistance, TEU Art. 42(7)",
                "provision_id": "TEU-42-7",
                "binds": bool(in_eu),
                "why": (
                    f"EU member since {int(row['eu_accession_year'])}"
                    if in_eu
                    else f"left the EU in {int(row['eu_exit_year'])}"
                    if left_eu
                    else "not an EU member"
                ),
                "summary": str(articles.loc["TEU-42-7", "summary"]),
                "caveat": eu_caveat,
            },
        ]
    )


def latest_complete_release(spending: pd.DataFrame, country: str) -> str | None:
    """The newest NATO release with a complete series for the country (None if there is none)."""
    if not isinstance(country, str):
        raise TypeError(f"country must be a two-letter code (string), got {country!r}")
    release = spending["nato_release"].astype(str)
    spans = spending.groupby(release)["year"].agg(["min", "max"])
    mine = spending[spending["country"].astype("string").eq(country) & spending["pct_gdp"].notna()]
    years = mine.groupby(release[mine.index])["year"].agg(["min", "max", "nunique"])
    for name in sorted(years.index, reverse=True):
        low, high = spans.loc[name, "min"], spans.loc[name, "max"]
        if (
            years.loc[name, "min"] == low
            and years.loc[name, "max"] == high
            and years.loc[name, "nunique"] == high - low + 1
        ):
            return str(name)
    return None


def spending_series(
    spending: pd.DataFrame, country: str, release: str | None = None
) -> pd.DataFrame:
    """The country's defence spending (% of GDP) by year, from one release."""
    release = release or latest_complete_release(spending, country)
    if release is None:
        return pd.DataFrame(columns=["year", "pct_gdp", "estimate", "nato_release"])
    rows = spending[
        spending["country"].astype("string").eq(country)
        & spending["nato_release"].astype(str).eq(release)
    ]
    if rows.empty:
        raise ValueError(f"release: {release!r} has no figures for {country}")
    return (
        rows[["year", "pct_gdp", "estimate", "nato_release"]]
        .astype({"year": int, "pct_gdp": float, "estimate": bool})
        .sort_values("year")
        .reset_index(drop=True)
    )


def targets_pct(targets: pd.DataFrame) -> dict[str, float]:
    """The 2 % guideline and the 3.5 % core target, % of GDP, from ``spending_targets``."""
    table = targets.set_index("target_id")["value_pct_gdp"]
    return {label: float(table[target_id]) for label, target_id in TARGET_IDS.items()}


@dataclass(frozen=True)
class SpendingStatus:
    """A country's defence spending in one year of one NATO release, against the targets."""

    country: str
    # The next four are None, and gaps is empty, for a country outside NATO's tables (Austria).
    nato_release: str | None
    year: int | None
    pct_gdp: float | None
    estimate: bool | None  # True where the figure is a NATO estimate
    gaps: dict[str, float]  # points above (+) or below (-) each target, by target label
    targets: dict[str, float]  # each target's % of GDP, by label (see targets_pct)


def spending_vs_targets(
    spending: pd.DataFrame,
    targets: pd.DataFrame,
    countries: pd.DataFrame,
    country: str,
    year: int | None = None,
) -> SpendingStatus:
    """Latest figure (or ``year``) against the 2 % and 3.5 % targets, with release and year."""
    _country(countries, country)
    series = spending_series(spending, country)
    goals = targets_pct(targets)
    if series.empty:
        return SpendingStatus(
            country=country,
            nato_release=None,
            year=None,
            pct_gdp=None,
            estimate=None,
            gaps={},
            targets=goals,
        )
    if year is not None:
        year = _checks.whole_number(
            "year", year, int(series["year"].min()), int(series["year"].max())
        )
        latest = series[series["year"].eq(year)].iloc[0]
    else:
        latest = series.iloc[-1]
    return SpendingStatus(
        country=country,
        nato_release=str(latest["nato_release"]),
        year=int(latest["year"]),
        pct_gdp=float(latest["pct_gdp"]),
        estimate=bool(latest["estimate"]),
        gaps={label: round(float(latest["pct_gdp"]) - goal, 2) for label, goal in goals.items()},
        targets=goals,
    )


@dataclass(frozen=True)
class BudgetSplit:
    """What one defence budget (% of GDP) pays for: the three parts add up to the budget.

    ``national_for_nato``: national programmes that fill NATO capability targets;
    ``both``: EU joint programmes that also fill a NATO capability target;
    ``eu_only``: EU joint programmes for needs NATO did not ask for.
    Each part is a number, or an array when the inputs are arrays.
    """

    national_for_nato: Any
    both: Any
    eu_only: Any

    @property
    def nato_targets(self) -> Any:
        """Spending that fills NATO capability targets (national or through the EU)."""
        return self.national_for_nato + self.both

    @property
    def eu_programmes(self) -> Any:
        """Spending that goes through EU joint programmes."""
        return self.both + self.eu_only

    @property
    def total(self) -> Any:
        """The whole budget, all of which NATO counts towards its spending targets."""
        return self.national_for_nato + self.both + self.eu_only


def split_budget(total_pct_gdp: Any, share_to_eu: Any, share_for_both: Any) -> BudgetSplit:
    """How a budget (% of GDP) serves NATO capability targets and EU joint programmes.

    ``share_to_eu`` (0-1) of the budget goes through EU joint programmes; ``share_for_both``
    (0-1) of that money buys capabilities NATO has also asked the state for, so it serves
    both. The rest of the budget is national spending on NATO capability targets. NATO's
    spending targets count the whole national budget either way. With ``share_for_both`` = 0
    the split is zero-sum (a euro in an EU programme is a euro not spent on a NATO target);
    with 1, EU programmes only buy what NATO asked for. Numbers or arrays of numbers.
    """
    total = _checks.numbers_in_range("total_pct_gdp", total_pct_gdp, 0, 100, unit="% of GDP")
    to_eu = _checks.fraction("share_to_eu", share_to_eu)
    for_both = _checks.fraction("share_for_both", share_for_both)
    eu = total * to_eu
    both = eu * for_both
    return BudgetSplit(*(_checks.scalar_or_array(part) for part in (total - eu, both, eu - both)))


def release_label(release: str) -> str:
    """Plain-words name of a NATO release of defence expenditure figures."""
    labels = {
        "2024-06": "NATO, Defence Expenditure of NATO Countries (2014-2024), June 2024",
        "2025-08": "NATO, Defence Expenditure of NATO Countries (2014-2025), August 2025",
        "2026-07": (
            "NATO, Defence Investment of NATO Countries (2014-2026), July 2026: core "
            "defence spending, published after the article"
        ),
    }
    return labels.get(release, f"NATO release {release}")
