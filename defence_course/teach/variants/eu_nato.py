"""Assignment 4 (eu_nato): its class variants."""

from __future__ import annotations

import random
from typing import Any

from defence_course.teach.variants.core import (
    Spec,
    option_defaults,
    pick_by_answer,
    shuffled_options,
)

# eu_nato q3: which clause leaves each member to judge what help it gives (public order).
EU_NATO_CLAUSES = {
    "Treaty on European Union, Article 42(7)": "TEU-42-7",
    "North Atlantic Treaty, Article 5": "NAT-5",
    "North Atlantic Treaty, Article 4": "NAT-4",
    "Treaty on European Union, Article 42(2)": "TEU-42-2",
}
# eu_nato q7: the releases a chart may show, with their names in the text.
NATO_RELEASES = {"2024-06": "June 2024", "2026-07": "July 2026"}
FIRST_EU_YEAR = 1994  # the first whole year of the European Union (Maastricht, November 1993)
EU_NATO_DEFAULTS = {
    "member_year": "2025",
    "states_hint": "use your answers to questions 1 and 2",
    **option_defaults("clause", list(EU_NATO_CLAUSES), "b"),
    "spend_year": "2024",
    "chart_release": "2024-06",
    "chart_release_name": "June 2024",
}


def eu_nato_membership(countries: Any, year: int) -> tuple[int, tuple[str, ...]]:
    """(EU members outside NATO, the codes of the allies outside the EU) in ``year``."""
    from defence_course.figures.eu_nato import membership_groups

    groups = membership_groups(countries, year)
    return (
        int((groups["group"] == "EU only").sum()),
        tuple(sorted(groups.loc[groups["group"] == "NATO only", "country"].astype(str))),
    )


def eu_nato_meeting(
    spending: Any,
    countries: Any,
    release: str,
    year: int,
    *,
    allies_only: bool = False,
    threshold: float = 2.0,
) -> int:
    """Rows with a country at ``threshold`` % or more (``allies_only``: only the states that
    were allies in ``year``; NATO also reports future allies' figures)."""
    rows = spending[
        spending["nato_release"].eq(release)
        & spending["year"].eq(year)
        & spending["country"].notna()
    ]
    if allies_only:
        joined = rows["country"].map(countries.set_index("country")["nato_accession_year"])
        rows = rows[joined.le(year).fillna(False).astype(bool)]
    return int(rows["pct_gdp"].ge(threshold).fillna(False).sum())


def _draw_eu_nato(rng: random.Random) -> dict[str, str]:
    from defence_course import data

    countries = data.load_dataset("countries")
    spending = data.load_dataset("defence_spending")
    articles = data.load_dataset("treaty_articles").set_index("provision_id")
    public_year = int(EU_NATO_DEFAULTS["member_year"])
    # q1-q2: a year whose two answers differ from the public year's
    public = eu_nato_membership(countries, public_year)
    years = [
        y for y in range(FIRST_EU_YEAR, public_year) if eu_nato_membership(countries, y) != public
    ]
    member_year = pick_by_answer(rng, years, lambda y: eu_nato_membership(countries, y))
    # q5 and q7: a year of the releases' common span in which they disagree about who reached
    # 2 %, and in which the rows with a country and the allies give the same counts
    counts: dict[int, tuple[int, ...]] = {}
    for year in sorted(set(spending.loc[spending["nato_release"].eq("2024-06"), "year"])):
        pair = tuple(eu_nato_meeting(spending, countries, r, year) for r in ("2024-06", "2026-07"))
        allies = tuple(
            eu_nato_meeting(spending, countries, r, year, allies_only=True)
            for r in ("2024-06", "2026-07")
        )
        if pair[0] != pair[1] and pair == allies and year != int(EU_NATO_DEFAULTS["spend_year"]):
            counts[year] = pair
    spend_year = pick_by_answer(rng, sorted(counts), counts.__getitem__)
    release = rng.choice(sorted(NATO_RELEASES))
    clauses = shuffled_options(
        rng,
        "clause",
        list(EU_NATO_CLAUSES),
        lambda text: "as it deems necessary" in str(articles.loc[EU_NATO_CLAUSES[text], "text"]),
    )
    return {
        "member_year": str(member_year),
        "states_hint": "in 2025, the year of the source article: "
        "`membership_groups(countries, 2025)` lists them",
        **clauses,
        "spend_year": str(spend_year),
        "chart_release": release,
        "chart_release_name": NATO_RELEASES[release],
    }


SPEC = Spec(EU_NATO_DEFAULTS, _draw_eu_nato)
