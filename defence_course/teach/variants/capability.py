"""Assignment 3 (capability): its class variants."""

from __future__ import annotations

import random
from collections.abc import Mapping

from defence_course.teach.variants.core import (
    Spec,
    mc_in_order,
    mc_shuffled,
    pct_text,
)

CAPABILITY_Q2 = {
    "fair": "Fair, whichever states you count.",
    "quarter": "Unfair, whichever states you count: the share is below a quarter.",
    "more": 'Unfair: more than half are US-made, so "nearly half" understates it.',
    "turkey": 'Fair only if Türkiye counts as part of "Europe": for the EU members, or '
    "without Türkiye, it is nearer two in five.",
}
CAPABILITY_Q4_ORDERS = ("oldest", "most recent")
# q7: how many times the volume from the US grew, in words (the nearest half)
CAPABILITY_TIMES = {
    1.5: "one and a half times",
    2.0: "twice",
    2.5: "two and a half times",
    3.0: "three times",
    3.5: "three and a half times",
    4.0: "four times",
}
# q8: the states of question 1's shares (by the variable's name) that the fleet model takes
CAPABILITY_Q8_GROUPS = {
    "us_share": (
        "the EU member states that",
        "have a row in `fleets` (the model accepts only those: `with_fleet` below lists them)",
    ),
    "us_share_all": (
        "every state in",
        "`fleets`, as for `us_share_all` (pass no `countries`: the model then takes them all)",
    ),
    "us_share_no_tr": (
        "every state in",
        "`fleets` except Türkiye, as for `us_share_no_tr` (pass "
        "`include_turkey=False` and no `countries`)",
    ),
}
CAPABILITY_MOVED = (0.0, 0.1, 0.2, 0.25, 0.3)


def _capability_q7_texts(case: Mapping[str, str]) -> dict[str, str]:
    """q7's options for a case (its recipient, periods, shares and growth in words)."""
    group = f"{case['q7_the']} {case['q7_states']}"
    share_2, times = case["q7_share_2"], case["q7_times"]
    period_1, period_2 = case["q7_period_1"], case["q7_period_2"]
    return {
        "more": f"They imported about {times} the volume from the US, and their imports from "
        "all other suppliers together grew too.",
        "less": f"They imported a smaller volume from the US in {period_2} than in {period_1}.",
        "shrank": "Their imports from all other suppliers together shrank, because the US "
        "share rose.",
        "money": f"The US received {share_2} % of the money {group} spent on imported arms "
        f"in {period_2}.",
    }


# q7: a SIPRI recipient as the question names it ("the" or "all", and the states)
CAPABILITY_Q7_GROUPS = {
    "European NATO states": ("the", "European NATO states"),
    "Europe": ("all", "European states"),
}
CAPABILITY_Q7_PUBLIC = {
    "q7_the": "the",
    "q7_states": "European NATO states",
    "q7_recipient": "European NATO states",
    "q7_share_1": "52",
    "q7_period_1": "2015–19",
    "q7_share_2": "64",
    "q7_period_2": "2020–24",
    "q7_times": "two and a half times",
}

CAPABILITY_DEFAULTS = {
    **mc_in_order(list(CAPABILITY_Q2), CAPABILITY_Q2, "q2", tuple(CAPABILITY_Q2)),
    "q4_origin": "",
    "q4_origin_text": "",
    "q4_first": "oldest",
    **CAPABILITY_Q7_PUBLIC,
    **mc_in_order(
        ["more", "less", "shrank", "money"],
        _capability_q7_texts(CAPABILITY_Q7_PUBLIC),
        "q7",
        ("more", "less", "shrank"),
    ),
    "q8_who_1": CAPABILITY_Q8_GROUPS["us_share"][0],
    "q8_who_2": CAPABILITY_Q8_GROUPS["us_share"][1],
    "q8_today": "us_share",
    "q8_moved": "0",
    "q8_moved_text": "",
}


def _draw_capability(rng: random.Random) -> dict[str, str]:
    from defence_course.data import load_dataset
    from defence_course.models import fleet

    fleets = load_dataset("fighter_fleets")
    countries = load_dataset("countries")
    eu = set(
        countries.loc[
            countries["eu_accession_year"].notna() & countries["eu_exit_year"].isna(), "country"
        ].astype(str)
    )
    values: dict[str, str] = {}

    values.update(mc_shuffled(rng, CAPABILITY_Q2, "q2", tuple(CAPABILITY_Q2)))

    # q4: the EU members' aircraft of one origin (or all), counted in at least three years,
    # oldest or most recent year first; never the public pair
    members = fleets[fleets["country"].astype(str).isin(eu)]
    years = members.groupby(members["origin"].astype(str))["reference_year"].nunique()
    origins = [""] + [o for o in ("US", "European") if years.get(o, 0) >= 3]
    combos = [(o, f) for o in origins for f in CAPABILITY_Q4_ORDERS if (o, f) != ("", "oldest")]
    origin, first = rng.choice(combos)
    values.update(
        q4_origin=origin,
        q4_first=first,
        q4_origin_text=(
            f" Count only the {origin}-made aircraft, the rows whose `origin` is {origin}."
            if origin
            else ""
        ),
    )

    # q7: a recipient and two periods with the US share in each and the change in volume
    # between them, where the US share rose and more came both from the US and from the rest
    arms = load_dataset("arms_imports")
    cases = []
    for (recipient, span), change in arms[arms["measure"] == "change_in_volume_pct"].groupby(
        ["recipient", "period"]
    )["value"]:
        period_1, _, period_2 = span.partition(" to ")
        shares = arms[
            (arms["recipient"] == recipient)
            & (arms["supplier"] == "United States")
            & (arms["measure"] == "share_of_recipient_imports_pct")
        ]
        shares = shares.set_index("period")["value"]
        if len(change) != 1 or not {period_1, period_2} <= set(shares.index):
            continue
        growth = 1 + float(change.iloc[0]) / 100
        from_us = shares[period_2] / shares[period_1] * growth
        from_others = (100 - shares[period_2]) / (100 - shares[period_1]) * growth
        times = CAPABILITY_TIMES.get(round(from_us * 2) / 2)
        if shares[period_2] > shares[period_1] and from_others > 1 and times:
            cases.append((recipient, period_1, period_2, shares[period_1], shares[period_2], times))
    recipient, period_1, period_2, share_1, share_2, times = rng.choice(sorted(cases))
    the, states = CAPABILITY_Q7_GROUPS.get(recipient, ("the", recipient))
    case = {
        "q7_the": the,
        "q7_states": states,
        "q7_recipient": recipient,
        "q7_share_1": pct_text(share_1),
        "q7_period_1": period_1.replace("-", "–"),
        "q7_share_2": pct_text(share_2),
        "q7_period_2": period_2.replace("-", "–"),
        "q7_times": times,
    }
    values.update(case)
    values.update(mc_shuffled(rng, _capability_q7_texts(case), "q7", ("more", "less", "shrank")))

    # q8: the states of one of question 1's shares, and a share of the F-35s still to come
    # moved to European types (or none), such that US-made aircraft still grow by at least
    # half a point; never the public pair
    orders = load_dataset("fighter_orders")
    known = sorted(set(fleets["country"].astype(str)))
    chosen = {
        "us_share": sorted(eu & set(known)),
        "us_share_all": known,
        "us_share_no_tr": [c for c in known if c != fleet.TURKEY],
    }
    moves: list[tuple[str, float]] = []
    for group, states in chosen.items():
        today = fleet.us_share_today(fleets, countries=states)
        for moved in CAPABILITY_MOVED:
            after = fleet.us_share_after_orders(fleets, orders, moved, countries=states)
            if (after - today) * 100 >= 0.5 and (group, moved) != ("us_share", 0.0):
                moves.append((group, moved))
    group, moved = rng.choice(moves)
    values.update(
        q8_who_1=CAPABILITY_Q8_GROUPS[group][0],
        q8_who_2=CAPABILITY_Q8_GROUPS[group][1],
        q8_today=group,
        q8_moved=f"{moved:g}",
        q8_moved_text=(
            f" Suppose too that {round(moved * 100)} % of the F-35s still "
            "to come are European types instead (Eurofighter, Rafale or "
            f"Gripen): pass `moved_share={moved:g}`."
            if moved
            else ""
        ),
    )
    return values


SPEC = Spec(CAPABILITY_DEFAULTS, _draw_capability)
