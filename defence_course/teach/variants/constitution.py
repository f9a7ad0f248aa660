"""Assignment 5 (constitution): its class variants."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

from defence_course.teach.variants.core import (
    Spec,
    VariantError,
    option_defaults,
    pick_by_answer,
    shuffled_options,
)

# constitution q1: whose population is asked for, as the question names them -> which of the
# EU's members (the rows of ``countries`` with a population) they are.
CONSTITUTION_GROUPS: dict[str, Callable[[Any], Any]] = {
    "the EU": lambda eu: eu["country"].notna(),
    "the EU's six founding members (an `eu_accession_year` of 1958)": lambda eu: eu[
        "eu_accession_year"
    ].eq(1958),
    "the EU's members that joined in 1995 or later (an `eu_accession_year` from 1995)": lambda eu: (
        eu["eu_accession_year"].ge(1995)
    ),
    "the EU's members that are also NATO allies (with a `nato_accession_year`)": lambda eu: eu[
        "nato_accession_year"
    ].notna(),
    "the EU's three most populous members": lambda eu: (
        eu["population"].rank(ascending=False, method="first").le(3)
    ),
    "the EU's four most populous members": lambda eu: (
        eu["population"].rank(ascending=False, method="first").le(4)
    ),
    "the EU's five most populous members": lambda eu: (
        eu["population"].rank(ascending=False, method="first").le(5)
    ),
}
# constitution q2: the decision rules a table may ask for (besides the public "any rule"),
# with the words the question uses; "any qualified majority" is either kind of it.
CONSTITUTION_RULES = {
    "unanimity": "decision rule of `unanimity` (their `decision_rule` is `unanimity`)",
    "qualified majority": "decision rule of `qualified majority` (their `decision_rule` is "
    "`qualified majority`)",
    "reinforced qualified majority": "decision rule of `reinforced qualified majority` (their "
    "`decision_rule` is `reinforced qualified majority`)",
    "any qualified majority": "decision rule of any qualified majority, ordinary or reinforced "
    "(their `decision_rule` contains `qualified majority`)",
}
# constitution q3: sentences citing a provision, with the words they quote; a citation is
# wrong when its words are not in the provision it names (the hidden test checks the data).
CONSTITUTION_CITATIONS = {
    "Under Article 42(7) TEU, if a member state is the victim of armed aggression on its "
    "territory, the others owe it aid and assistance by all the means in their power.": (
        "TEU-42-7",
        "all the means in their power",
    ),
    "Article 46(1) TEU asks the member states that want to join PESCO to notify their "
    "intention to the Council and to the High Representative.": (
        "TEU-46-1",
        "notify their intention to the Council",
    ),
    "Article 31(1) TEU says that national security remains the sole responsibility of each "
    "member state.": ("TEU-31-1", "national security remains the sole responsibility"),
    "Under Article 24(1) TEU, the common foreign and security policy is defined and "
    "implemented by the European Council and the Council acting unanimously, except where "
    "the Treaties provide otherwise.": (
        "TEU-24-1",
        "acting unanimously, except where the Treaties provide",
    ),
    "Article 4(2) TEU says that national security remains the sole responsibility of each "
    "member state.": ("TEU-4-2", "national security remains the sole responsibility"),
    "Article 16(4) TEU says that a blocking minority must include at least four Council members.": (
        "TEU-16-4",
        "blocking minority must include at least four Council members",
    ),
    "Article 42(1) TEU says that the EU carries out its missions using capabilities provided "
    "by the member states.": ("TEU-42-1", "using capabilities provided by the Member States"),
    "Under Article 42(2) TEU, the common defence policy will lead to a common defence when "
    "the European Council, acting unanimously, so decides.": (
        "TEU-42-2",
        "when the European Council, acting unanimously, so decides",
    ),
    "Article 44(1) TEU lets the Council entrust a task to a group of member states which "
    "are willing and have the necessary capability.": (
        "TEU-44-1",
        "willing and have the necessary capability",
    ),
    "Under Article 46(2) TEU, the Council establishes PESCO by a qualified majority after "
    "consulting the High Representative.": (
        "TEU-46-2",
        "qualified majority after consulting the High Representative",
    ),
    "Article 122(1) TFEU lets the Council, on a proposal from the Commission, decide upon the "
    "measures appropriate to the economic situation.": (
        "TFEU-122-1",
        "measures appropriate to the economic situation",
    ),
    "Article 4 of the North Atlantic Treaty says that the allies will consult together "
    "whenever the security of any of them is threatened.": ("NAT-4", "consult together whenever"),
    "Article 42(7) TEU says that an armed attack against one or more member states shall be "
    "considered an attack against them all.": (
        "TEU-42-7",
        "shall be considered an attack against them all",
    ),
    "Article 5 of the North Atlantic Treaty obliges the allies to give an attacked ally aid "
    "and assistance by all the means in their power.": ("NAT-5", "all the means in their power"),
    "Under Article 42(2) TEU, the Council establishes PESCO by a qualified majority after "
    "consulting the High Representative.": (
        "TEU-42-2",
        "qualified majority after consulting the High Representative",
    ),
    "Article 42(1) TEU lets the Council entrust a task to a group of member states which "
    "are willing and have the necessary capability.": (
        "TEU-42-1",
        "willing and have the necessary capability",
    ),
    "Article 31(1) TEU says that the Council acts by qualified majority when appointing a "
    "special representative.": ("TEU-31-1", "when appointing a special representative"),
    "Article 4(2) TEU says that the common foreign and security policy is defined and "
    "implemented by the European Council and the Council acting unanimously, except where "
    "the Treaties provide otherwise.": (
        "TEU-4-2",
        "acting unanimously, except where the Treaties provide",
    ),
}
# constitution q7: what the twenty-seventh government can do (the provision each option
# names, or None).
CONSTITUTION_ABSTAIN = {
    "Ask for a vote by qualified majority under Article 31(2) TEU.": "TEU-31-2",
    "Vote against: that only excuses it from taking part.": None,
    "Nothing: under unanimity it must either support the decision or block it.": None,
    "Abstain and make a formal declaration under Article 31(1) TEU.": "TEU-31-1",
}
CONSTITUTION_ORDERS = {  # q6: who votes against first -> (ascending, how the question ends
    # "That is the smallest blocking …")
    "most populous": ("False", "minority."),
    "least populous": ("True", "minority made of the smallest states."),
}
CONSTITUTION_DEFAULTS = {
    "population_group": "the EU",
    "rule": "non-empty",
    "rule_phrase": "decision rule (a non-empty `decision_rule`)",
    **option_defaults("citation", list(CONSTITUTION_CITATIONS)[:4], "c"),
    "order": "most populous",
    "ascending": "False",
    "blocking_note": "minority.",
    "opponents": "Germany, France, Italy",
    "opponent_last": "Spain",
    **option_defaults("abstain", list(CONSTITUTION_ABSTAIN), "d"),
}


def population_m(countries: Any, group: str) -> float:
    """The population, in millions, of ``group`` (a text of :data:`CONSTITUTION_GROUPS`)."""
    eu = countries[
        countries["eu_accession_year"].notna()
        & countries["eu_exit_year"].isna()
        & countries["population"].notna()
    ]
    chosen = CONSTITUTION_GROUPS[group](eu).fillna(False).astype(bool)
    return float(eu.loc[chosen, "population"].sum()) / 1e6


def provisions_with_rule(articles: Any, rule: str) -> Any:
    """The rows of ``treaty_articles`` that state ``rule`` ("non-empty": any rule)."""
    rules = articles["decision_rule"].astype("string")
    if rule == "non-empty":
        keep = rules.notna()
    elif rule == "any qualified majority":
        keep = rules.str.contains("qualified majority")
    else:
        keep = rules.eq(rule)
    return articles[keep.fillna(False).astype(bool)]


def citation_is_wrong(articles: Any, sentence: str) -> bool:
    """Whether ``sentence`` cites a provision whose text lacks the words it quotes
    (``articles`` indexed by provision_id)."""
    provision, words = CONSTITUTION_CITATIONS[sentence]
    return provision not in articles.index or words not in str(articles.loc[provision, "text"])


def state_names(countries: Any, names: str) -> list[str]:
    """The codes of the states named in ``names`` ("Germany, France and the Netherlands")."""
    wanted = [n.strip().removeprefix("the ") for n in re.split(r",\s*|\s+and\s+", names)]
    by_name = dict(
        zip(countries["name"].astype(str), countries["country"].astype(str), strict=True)
    )
    missing = [n for n in wanted if n not in by_name]
    if missing:
        raise VariantError(f"no state called {', '.join(missing)} in the data")
    return [by_name[n] for n in wanted]


def _prose_names(names: list[str]) -> list[str]:
    return [f"the {n}" if n in {"Netherlands"} else n for n in names]


def _draw_constitution(rng: random.Random) -> dict[str, str]:
    import itertools

    from defence_course import data

    articles = data.load_dataset("treaty_articles")
    indexed = articles.set_index("provision_id")
    countries = data.load_dataset("countries")
    # q1: a group of members holding 100 to 1000 million people (the public check's range),
    # at least a million from every other group
    sizes = {g: population_m(countries, g) for g in CONSTITUTION_GROUPS}
    groups = [
        g
        for g in CONSTITUTION_GROUPS
        if g != CONSTITUTION_DEFAULTS["population_group"]
        and 100 <= sizes[g] <= 1000
        and all(abs(sizes[g] - sizes[h]) >= 1 for h in CONSTITUTION_GROUPS if h != g)
    ]
    group = pick_by_answer(rng, groups, lambda g: round(sizes[g], 1))
    # q2: a rule that at least two provisions state, each giving other provisions
    rows = {r: tuple(provisions_with_rule(articles, r)["provision_id"]) for r in CONSTITUTION_RULES}
    rules = [
        r
        for r in CONSTITUTION_RULES
        if len(rows[r]) >= 2 and list(rows.values()).count(rows[r]) == 1
    ]
    rule = rng.choice(rules)

    # q3: one wrong citation whose words only one provision holds, three right ones; no two
    # naming the same provision or quoting the same words; not the public four in their order
    def holders(words: str) -> list[str]:
        return [p for p, text in indexed["text"].items() if words in str(text)]

    sentences = list(CONSTITUTION_CITATIONS)
    wrong = [
        s
        for s in sentences
        if citation_is_wrong(indexed, s) and len(holders(CONSTITUTION_CITATIONS[s][1])) == 1
    ]
    right = [s for s in sentences if not citation_is_wrong(indexed, s)]
    public = list(CONSTITUTION_CITATIONS)[:4]
    while True:
        chosen = [rng.choice(wrong)]
        for sentence in rng.sample(right, len(right)):
            taken = {(CONSTITUTION_CITATIONS[s][0], CONSTITUTION_CITATIONS[s][1]) for s in chosen}
            provision, words = CONSTITUTION_CITATIONS[sentence]
            if (
                len(chosen) < 4
                and all(provision != p and words != w for p, w in taken)
                and provision not in holders(CONSTITUTION_CITATIONS[chosen[0]][1])
            ):
                chosen.append(sentence)
        rng.shuffle(chosen)
        if len(chosen) == 4 and chosen != public:
            break
    letter = "abcd"[next(i for i, s in enumerate(chosen) if citation_is_wrong(indexed, s))]
    citations = {f"citation_{k}": s for k, s in zip("abcd", chosen, strict=True)}
    # q6: who votes against first, and four large states against a proposal: whether the
    # others pass it is drawn first (True or False), then the four; their share of the
    # population stays between 25 % and 45 %, not within 0.1 point of 35 %
    order = rng.choice(sorted(CONSTITUTION_ORDERS))
    eu = countries[countries["population"].notna()].sort_values("population", ascending=False)
    total = float(eu["population"].sum())
    share = dict(zip(eu["name"].astype(str), eu["population"].astype(float) / total, strict=True))
    public_four = set(
        CONSTITUTION_DEFAULTS["opponents"].split(", ") + [CONSTITUTION_DEFAULTS["opponent_last"]]
    )
    fours = [
        list(c)
        for c in itertools.combinations(list(share)[:8], 4)
        if 0.25 <= sum(share[n] for n in c) <= 0.45
        and abs(sum(share[n] for n in c) - 0.35) > 0.001
        and set(c) != public_four
    ]
    four = pick_by_answer(rng, fours, lambda c: sum(share[n] for n in c) <= 0.35)
    abstain = shuffled_options(
        rng,
        "abstain",
        list(CONSTITUTION_ABSTAIN),
        lambda text: (
            CONSTITUTION_ABSTAIN[text] is not None
            and "shall not be obliged to apply the decision"
            in str(indexed.loc[CONSTITUTION_ABSTAIN[text], "text"])
        ),
    )
    names = _prose_names(four)
    return {
        "population_group": group,
        "rule": rule,
        "rule_phrase": CONSTITUTION_RULES[rule],
        **citations,
        "citation_letter": letter,
        "order": order,
        "ascending": CONSTITUTION_ORDERS[order][0],
        "blocking_note": CONSTITUTION_ORDERS[order][1],
        "opponents": ", ".join(names[:-1]),
        "opponent_last": names[-1],
        **abstain,
    }


SPEC = Spec(CONSTITUTION_DEFAULTS, _draw_constitution)
