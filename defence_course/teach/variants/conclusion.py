"""Assignment 6 (conclusion): its class variants."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from defence_course.teach.variants.core import (
    Spec,
    VariantError,
    option_defaults,
    pick_by_answer,
    shuffled_options,
)

# conclusion q1-q2: which of the article's claims are counted (the public one: all of them).
CONCLUSION_SCOPES: dict[str, Callable[[Any], Any]] = {
    "the article's claims": lambda c: c["claim_id"].notna(),
    "the article's claims not rated `unverifiable`": lambda c: (
        c["verdict"].astype(str).ne("unverifiable")
    ),
    "the article's claims with a `dataset`": lambda c: c["dataset"].notna(),
    "the article's claims in the chapters `capability`, `eu_nato` and `constitution`": lambda c: (
        c["chapter"].astype(str).isin(["capability", "eu_nato", "constitution"])
    ),
    "the article's claims outside the chapters `intro` and `conclusion`": lambda c: (
        ~c["chapter"].astype(str).isin(["intro", "conclusion"])
    ),
    "the article's claims in the chapters `us_posture`, `capability`, `eu_nato` and "
    "`constitution`": lambda c: (
        c["chapter"].astype(str).isin(["us_posture", "capability", "eu_nato", "constitution"])
    ),
    "the article's claims in the chapters `capability`, `eu_nato`, `constitution` and "
    "`conclusion`": lambda c: (
        c["chapter"].astype(str).isin(["capability", "eu_nato", "constitution", "conclusion"])
    ),
    "the article's claims in the chapters `intro`, `capability`, `eu_nato` and "
    "`constitution`": lambda c: (
        c["chapter"].astype(str).isin(["intro", "capability", "eu_nato", "constitution"])
    ),
}
# conclusion q3: the options, with the chapter each names (None: the three have the same share)
CONCLUSION_STEPS = {
    "the dependence on American capabilities (`capability`)": "capability",
    "the EU–NATO overlap (`eu_nato`)": "eu_nato",
    "the treaties (`constitution`)": "constitution",
    "the three steps have the same share": None,
}
# conclusion q5: which states vote for SAFE -> the smallest tentative allocation (EUR bn)
CONCLUSION_BORROWERS = {"the member states in the Commission's tentative SAFE allocation": 0.0}
CONCLUSION_BORROWERS |= {
    f"the member states with a tentative SAFE allocation of at least EUR {x:g} billion": x
    for x in (0.5, 1, 2, 3, 5, 10)
}
SAFE_TENTATIVE = "tentative (Commission allocation)"
# conclusion q7: the statements about the EU's steps in the timeline, by what each claims
CONCLUSION_PATTERNS = {
    "The EU took its defence steps at a steady pace, about one a year from 2014 to 2025.": "steady",
    "The EU took no defence step between Russia's annexation of Crimea (2014) and the "
    "full-scale invasion of Ukraine (2022).": "gap",
    "Most of the EU's steps in the timeline came in 2022 and 2025, the years of the "
    "full-scale invasion and of the second Trump administration.": "crises",
    "The EU's first step in the timeline came in 2022; before that, defence was left to NATO "
    "alone.": "late",
}
CONCLUSION_DEFAULTS = {
    "claims_scope": "the article's claims",
    **option_defaults("step", list(CONCLUSION_STEPS), "b"),
    "borrower_group": "the member states in the Commission's tentative SAFE allocation",
    **option_defaults("pattern", list(CONCLUSION_PATTERNS), "c"),
}


def claims_in_scope(claims: Any, scope: str) -> Any:
    """The rows of ``article_claims`` that ``scope`` (a text of :data:`CONCLUSION_SCOPES`)
    counts."""
    return claims[CONCLUSION_SCOPES[scope](claims).fillna(False).astype(bool)]


def best_supported_step(claims: Any) -> str | None:
    """The chapter of the article's three steps with the largest share of supported claims
    (None: all three the same); an error when two tie and the third does not."""
    chapter, verdict = claims["chapter"].astype(str), claims["verdict"].astype(str)
    steps = [s for s in CONCLUSION_STEPS.values() if s]
    share = {s: verdict[chapter == s].eq("supported").mean() for s in steps}
    leaders = [s for s in steps if share[s] == max(share.values())]
    if len(leaders) not in (1, len(steps)):
        raise VariantError("the claims data no longer single out one step")
    return leaders[0] if len(leaders) == 1 else None


def safe_borrowers(safe: Any, group: str) -> list[str]:
    """The codes of the states in ``group`` (a text of :data:`CONCLUSION_BORROWERS`)."""
    tentative = safe[safe["status"].astype(str).eq(SAFE_TENTATIVE)]
    chosen = tentative["allocation_eur_bn"].astype(float) >= CONCLUSION_BORROWERS[group]
    return sorted(set(tentative.loc[chosen, "country"].astype(str)))


def history_truths(timeline: Any) -> dict[str, bool]:
    """Which of the statements of :data:`CONCLUSION_PATTERNS` the timeline supports."""
    import pandas as pd

    dates = pd.to_datetime(timeline["date"])
    event, category = timeline["event"].astype(str), timeline["category"].astype(str)
    eu_years = dates[category == "eu"].dt.year
    per_year = eu_years.value_counts()
    span = dates.max().year - dates.min().year + 1
    crimea = dates[event.str.contains("Crimea")].min()
    invasion = dates[event.str.contains("full-scale invasion")].min()
    return {
        "steady": bool(per_year.max() <= 2 and len(per_year) >= 0.75 * span),
        "gap": not bool(((dates > crimea) & (dates < invasion) & (category == "eu")).any()),
        "crises": bool(
            set(per_year.nlargest(2).index) == {2022, 2025}
            and per_year.reindex([2022, 2025], fill_value=0).sum() > len(eu_years) / 2
        ),
        "late": bool(eu_years.min() >= 2022),
    }


def _draw_conclusion(rng: random.Random) -> dict[str, str]:
    from defence_course import data
    from defence_course.models.council import qualified_majority

    claims = data.load_dataset("article_claims")
    safe = data.load_dataset("safe_loans")
    countries = data.load_dataset("countries")
    timeline = data.load_dataset("timeline")
    public_scope = CONCLUSION_DEFAULTS["claims_scope"]

    def supported_pct(scope: str) -> float:
        return round(
            100 * claims_in_scope(claims, scope)["verdict"].astype(str).eq("supported").mean(), 1
        )

    def singles_out_a_step(scope: str) -> bool:
        try:
            best_supported_step(claims_in_scope(claims, scope))
        except VariantError:
            return False
        return True

    # q1-q3: a scope whose share of supported claims is at least 0.6 points from every other
    # scope's (the check's tolerance is 0.5), and in which question 3 has one right answer
    scopes = [
        s
        for s in CONCLUSION_SCOPES
        if s != public_scope
        and singles_out_a_step(s)
        and all(
            abs(supported_pct(s) - supported_pct(t)) >= 0.6 for t in CONCLUSION_SCOPES if t != s
        )
    ]
    scope = pick_by_answer(rng, scopes, supported_pct)
    best = best_supported_step(claims_in_scope(claims, scope))
    steps = shuffled_options(
        rng, "step", list(CONCLUSION_STEPS), lambda text: CONCLUSION_STEPS[text] == best
    )
    # q5: a group whose result (passes, share of the population) differs from the others' by
    # at least one point of population
    eu = countries[countries["population"].notna()]

    def outcome(group: str) -> tuple[bool, float]:
        codes = safe_borrowers(safe, group)
        pct = (
            100
            * eu.loc[eu["country"].astype(str).isin(codes), "population"].sum()
            / eu["population"].sum()
        )
        return bool(qualified_majority(codes)), round(float(pct), 1)

    groups: list[str] = []
    for group in CONCLUSION_BORROWERS:
        if all(abs(outcome(group)[1] - outcome(g)[1]) >= 1 for g in groups):
            groups.append(group)
    groups = [g for g in groups if g != CONCLUSION_DEFAULTS["borrower_group"]]
    group = pick_by_answer(rng, groups, lambda g: outcome(g)[0])
    truths = history_truths(timeline)
    patterns = shuffled_options(
        rng, "pattern", list(CONCLUSION_PATTERNS), lambda text: truths[CONCLUSION_PATTERNS[text]]
    )
    return {"claims_scope": scope, **steps, "borrower_group": group, **patterns}


SPEC = Spec(CONCLUSION_DEFAULTS, _draw_conclusion)
