"""Class variants: the same assignment with other parameters, drawn from a seed and the data.

A master may write ``{{ name }}`` anywhere (question text, solutions, tests); the build replaces
each with the parameter's value. Without a seed, the public defaults of :data:`SPECS` are used:
those are what the committed student notebooks and the public masters show. With a seed (a
class's code, chosen by the teacher and kept private), every parameter is drawn from the
seed and the course data, deterministically, so the same seed always gives the same variant.
The hidden tests compute their expected values from the parameters and the data, so the public
masters do not give away a variant's answers.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

PLACEHOLDER = re.compile(r"\{\{\s*(?P<name>[A-Za-z_]\w*)\s*\}\}")
SEED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
PUBLIC = "public"


class VariantError(ValueError):
    """A seed or a master that cannot make a variant (the message says what and where)."""


@dataclass(frozen=True)
class Spec:
    """An assignment's parameters: the public defaults and how a seed draws them."""

    defaults: Mapping[str, str]
    draw: Callable[[random.Random], dict[str, str]] = field(repr=False)


def check_seed(seed: str) -> str:
    if not isinstance(seed, str) or not SEED.match(seed) or seed == PUBLIC:
        raise VariantError(f"variant seed {seed!r}: use 1-40 letters, digits, '-' or '_' "
                           f"(starting with a letter or digit), and not {PUBLIC!r}")
    return seed


def rng_for(assignment: str, seed: str) -> random.Random:
    """A random generator that depends only on the assignment and the seed."""
    digest = hashlib.sha256(f"{assignment}\0{seed}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def parameters(assignment: str, seed: str | None) -> dict[str, str]:
    """The parameter values of ``assignment`` for ``seed`` (``None``: the public defaults)."""
    spec = SPECS.get(assignment)
    if spec is None:
        if seed is not None:
            raise VariantError(f"assignment {assignment!r} has no class variants; those that "
                               f"do: {', '.join(SPECS) or 'none'}")
        return {}
    if seed is None:
        return dict(spec.defaults)
    drawn = spec.draw(rng_for(assignment, check_seed(seed)))
    if set(drawn) != set(spec.defaults):
        raise VariantError(f"{assignment}: the variant draws {sorted(drawn)} but the defaults "
                           f"name {sorted(spec.defaults)}")
    return {k: str(v) for k, v in drawn.items()}


def render_text(text: str, values: Mapping[str, str], where: str, used: set[str]) -> str:
    def value(match: re.Match) -> str:
        name = match["name"]
        if name not in values:
            raise VariantError(f"{where}: placeholder {{{{ {name} }}}} has no parameter "
                               f"(known: {', '.join(sorted(values)) or 'none'})")
        used.add(name)
        return values[name]

    return PLACEHOLDER.sub(value, text)


def render_notebook(nb: Any, values: Mapping[str, str], name: str) -> Any:
    """``nb`` (a master, changed in place) with every placeholder replaced by its value."""
    used: set[str] = set()
    for index, cell in enumerate(nb.cells):
        source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        cell.source = render_text(source, values, f"{name}.ipynb, cell {index}", used)
    unused = set(values) - used
    if unused:
        raise VariantError(f"{name}.ipynb uses no placeholder for {', '.join(sorted(unused))}: "
                           "a parameter that changes nothing would make variants that look "
                           "different and are not")
    return nb


# ---------------------------------------------------------------------------------------------
# The assignments' parameters. Each draw picks from what the data make answerable.

# --- Assignments 4-6: eu_nato, constitution, conclusion -------------------------------------
# Each draw picks a class's values among the candidates the data make answerable, choosing
# first among the different right answers and then a value that gives it, so that two classes
# rarely share an answer. The hidden tests read the option tables below to compute, from the
# data, which option is right; the tables say nothing about which one that is.


def _pick_by_answer(rng: random.Random, candidates: list[Any],
                    answer: Callable[[Any], Any]) -> Any:
    """One of ``candidates``: first a right answer among those they give, then a candidate."""
    groups: dict[str, list[Any]] = {}
    for candidate in candidates:
        groups.setdefault(repr(answer(candidate)), []).append(candidate)
    if not groups:
        raise VariantError("the data leave no candidate for a variant")
    keys = sorted(groups)
    return rng.choice(groups[keys[rng.randrange(len(keys))]])


def _shuffled_options(rng: random.Random, prefix: str, options: list[str],
                      right: Callable[[str], bool]) -> dict[str, str]:
    """The options (public order first) in an order other than the public one, as parameters
    ``{prefix}_a`` … ``{prefix}_d``, and ``{prefix}_letter``, the letter of the right one."""
    order = list(options)
    while order == list(options):
        rng.shuffle(order)
    letters = "abcdefgh"[:len(order)]
    rights = [letter for letter, text in zip(letters, order, strict=True) if right(text)]
    if len(rights) != 1:
        raise VariantError(f"{prefix}: the data no longer single out one option")
    values = {f"{prefix}_{letter}": text for letter, text in zip(letters, order, strict=True)}
    return values | {f"{prefix}_letter": rights[0]}


def _option_defaults(prefix: str, options: list[str], letter: str) -> dict[str, str]:
    return {f"{prefix}_{k}": text for k, text in zip("abcdefgh", options, strict=False)} | {
        f"{prefix}_letter": letter}


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
    **_option_defaults("clause", list(EU_NATO_CLAUSES), "b"),
    "spend_year": "2024",
    "chart_release": "2024-06",
    "chart_release_name": "June 2024",
}


def eu_nato_membership(countries: Any, year: int) -> tuple[int, tuple[str, ...]]:
    """(EU members outside NATO, the codes of the allies outside the EU) in ``year``."""
    from defence_course.figures.overlap import membership_groups

    groups = membership_groups(countries, year)
    return (int((groups["group"] == "EU only").sum()),
            tuple(sorted(groups.loc[groups["group"] == "NATO only", "country"].astype(str))))


def eu_nato_meeting(spending: Any, countries: Any, release: str, year: int, *,
                    allies_only: bool = False, threshold: float = 2.0) -> int:
    """Rows with a country at ``threshold`` % or more (``allies_only``: only the states that
    were allies in ``year``; NATO also reports future allies' figures)."""
    rows = spending[spending["nato_release"].eq(release) & spending["year"].eq(year)
                    & spending["country"].notna()]
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
    years = [y for y in range(FIRST_EU_YEAR, public_year)
             if eu_nato_membership(countries, y) != public]
    member_year = _pick_by_answer(rng, years, lambda y: eu_nato_membership(countries, y))
    # q5 and q7: a year of the releases' common span in which they disagree about who reached
    # 2 %, and in which the rows with a country and the allies give the same counts
    counts: dict[int, tuple[int, int]] = {}
    for year in sorted(set(spending.loc[spending["nato_release"].eq("2024-06"), "year"])):
        pair = tuple(eu_nato_meeting(spending, countries, r, year) for r in ("2024-06", "2026-07"))
        allies = tuple(eu_nato_meeting(spending, countries, r, year, allies_only=True)
                       for r in ("2024-06", "2026-07"))
        if pair[0] != pair[1] and pair == allies and year != int(EU_NATO_DEFAULTS["spend_year"]):
            counts[year] = pair
    spend_year = _pick_by_answer(rng, sorted(counts), counts.__getitem__)
    release = rng.choice(sorted(NATO_RELEASES))
    clauses = _shuffled_options(
        rng, "clause", list(EU_NATO_CLAUSES),
        lambda text: "as it deems necessary" in str(articles.loc[EU_NATO_CLAUSES[text], "text"]))
    return {"member_year": str(member_year),
            "states_hint": "in 2025, the year of the source article: "
                           "`membership_groups(countries, 2025)` lists them",
            **clauses, "spend_year": str(spend_year), "chart_release": release,
            "chart_release_name": NATO_RELEASES[release]}


# constitution q1: whose population is asked for, as the question names them -> which of the
# EU's members (the rows of ``countries`` with a population) they are.
CONSTITUTION_GROUPS: dict[str, Callable[[Any], Any]] = {
    "the EU": lambda eu: eu["country"].notna(),
    "the EU's six founding members (an `eu_accession_year` of 1958)":
        lambda eu: eu["eu_accession_year"].eq(1958),
    "the EU's members that joined in 1995 or later (an `eu_accession_year` from 1995)":
        lambda eu: eu["eu_accession_year"].ge(1995),
    "the EU's members that are also NATO allies (with a `nato_accession_year`)":
        lambda eu: eu["nato_accession_year"].notna(),
    "the EU's three most populous members":
        lambda eu: eu["population"].rank(ascending=False, method="first").le(3),
    "the EU's four most populous members":
        lambda eu: eu["population"].rank(ascending=False, method="first").le(4),
    "the EU's five most populous members":
        lambda eu: eu["population"].rank(ascending=False, method="first").le(5),
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
    "territory, the others owe it aid and assistance by all the means in their power.":
        ("TEU-42-7", "all the means in their power"),
    "Article 46(1) TEU asks the member states that want to join PESCO to notify their "
    "intention to the Council and to the High Representative.":
        ("TEU-46-1", "notify their intention to the Council"),
    "Article 31(1) TEU says that national security remains the sole responsibility of each "
    "member state.":
        ("TEU-31-1", "national security remains the sole responsibility"),
    "Under Article 24(1) TEU, the common foreign and security policy is defined and "
    "implemented by the European Council and the Council acting unanimously, except where "
    "the Treaties provide otherwise.":
        ("TEU-24-1", "acting unanimously, except where the Treaties provide"),
    "Article 4(2) TEU says that national security remains the sole responsibility of each "
    "member state.":
        ("TEU-4-2", "national security remains the sole responsibility"),
    "Article 16(4) TEU says that a blocking minority must include at least four Council "
    "members.":
        ("TEU-16-4", "blocking minority must include at least four Council members"),
    "Article 42(1) TEU says that the EU carries out its missions using capabilities provided "
    "by the member states.":
        ("TEU-42-1", "using capabilities provided by the Member States"),
    "Under Article 42(2) TEU, the common defence policy will lead to a common defence when "
    "the European Council, acting unanimously, so decides.":
        ("TEU-42-2", "when the European Council, acting unanimously, so decides"),
    "Article 44(1) TEU lets the Council entrust a task to a group of member states which "
    "are willing and have the necessary capability.":
        ("TEU-44-1", "willing and have the necessary capability"),
    "Under Article 46(2) TEU, the Council establishes PESCO by a qualified majority after "
    "consulting the High Representative.":
        ("TEU-46-2", "qualified majority after consulting the High Representative"),
    "Article 122(1) TFEU lets the Council, on a proposal from the Commission, decide upon the "
    "measures appropriate to the economic situation.":
        ("TFEU-122-1", "measures appropriate to the economic situation"),
    "Article 4 of the North Atlantic Treaty says that the allies will consult together "
    "whenever the security of any of them is threatened.":
        ("NAT-4", "consult together whenever"),
    "Article 42(7) TEU says that an armed attack against one or more member states shall be "
    "considered an attack against them all.":
        ("TEU-42-7", "shall be considered an attack against them all"),
    "Article 5 of the North Atlantic Treaty obliges the allies to give an attacked ally aid "
    "and assistance by all the means in their power.":
        ("NAT-5", "all the means in their power"),
    "Under Article 42(2) TEU, the Council establishes PESCO by a qualified majority after "
    "consulting the High Representative.":
        ("TEU-42-2", "qualified majority after consulting the High Representative"),
    "Article 42(1) TEU lets the Council entrust a task to a group of member states which "
    "are willing and have the necessary capability.":
        ("TEU-42-1", "willing and have the necessary capability"),
    "Article 31(1) TEU says that the Council acts by qualified majority when appointing a "
    "special representative.":
        ("TEU-31-1", "when appointing a special representative"),
    "Article 4(2) TEU says that the common foreign and security policy is defined and "
    "implemented by the European Council and the Council acting unanimously, except where "
    "the Treaties provide otherwise.":
        ("TEU-4-2", "acting unanimously, except where the Treaties provide"),
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
    **_option_defaults("citation", list(CONSTITUTION_CITATIONS)[:4], "c"),
    "order": "most populous",
    "ascending": "False",
    "blocking_note": "minority.",
    "opponents": "Germany, France, Italy",
    "opponent_last": "Spain",
    **_option_defaults("abstain", list(CONSTITUTION_ABSTAIN), "d"),
}


def population_m(countries: Any, group: str) -> float:
    """The population, in millions, of ``group`` (a text of :data:`CONSTITUTION_GROUPS`)."""
    eu = countries[countries["eu_accession_year"].notna() & countries["eu_exit_year"].isna()
                   & countries["population"].notna()]
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
    by_name = dict(zip(countries["name"].astype(str), countries["country"].astype(str),
                       strict=True))
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
    groups = [g for g in CONSTITUTION_GROUPS if g != CONSTITUTION_DEFAULTS["population_group"]
              and 100 <= sizes[g] <= 1000
              and all(abs(sizes[g] - sizes[h]) >= 1 for h in CONSTITUTION_GROUPS if h != g)]
    group = _pick_by_answer(rng, groups, lambda g: round(sizes[g], 1))
    # q2: a rule that at least two provisions state, each giving other provisions
    rows = {r: tuple(provisions_with_rule(articles, r)["provision_id"]) for r in CONSTITUTION_RULES}
    rules = [r for r in CONSTITUTION_RULES if len(rows[r]) >= 2
             and list(rows.values()).count(rows[r]) == 1]
    rule = rng.choice(rules)
    # q3: one wrong citation whose words only one provision holds, three right ones; no two
    # naming the same provision or quoting the same words; not the public four in their order
    def holders(words: str) -> list[str]:
        return [p for p, text in indexed["text"].items() if words in str(text)]

    sentences = list(CONSTITUTION_CITATIONS)
    wrong = [s for s in sentences if citation_is_wrong(indexed, s)
             and len(holders(CONSTITUTION_CITATIONS[s][1])) == 1]
    right = [s for s in sentences if not citation_is_wrong(indexed, s)]
    public = list(CONSTITUTION_CITATIONS)[:4]
    while True:
        chosen = [rng.choice(wrong)]
        for sentence in rng.sample(right, len(right)):
            taken = {(CONSTITUTION_CITATIONS[s][0], CONSTITUTION_CITATIONS[s][1]) for s in chosen}
            provision, words = CONSTITUTION_CITATIONS[sentence]
            if (len(chosen) < 4 and all(provision != p and words != w for p, w in taken)
                    and provision not in holders(CONSTITUTION_CITATIONS[chosen[0]][1])):
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
    share = dict(zip(eu["name"].astype(str), eu["population"].astype(float) / total,
                     strict=True))
    public_four = set(CONSTITUTION_DEFAULTS["opponents"].split(", ")
                      + [CONSTITUTION_DEFAULTS["opponent_last"]])
    fours = [list(c) for c in itertools.combinations(list(share)[:8], 4)
             if 0.25 <= sum(share[n] for n in c) <= 0.45
             and abs(sum(share[n] for n in c) - 0.35) > 0.001 and set(c) != public_four]
    four = _pick_by_answer(rng, fours, lambda c: sum(share[n] for n in c) <= 0.35)
    abstain = _shuffled_options(
        rng, "abstain", list(CONSTITUTION_ABSTAIN),
        lambda text: CONSTITUTION_ABSTAIN[text] is not None and "shall not be obliged to apply "
        "the decision" in str(indexed.loc[CONSTITUTION_ABSTAIN[text], "text"]))
    names = _prose_names(four)
    return {"population_group": group, "rule": rule, "rule_phrase": CONSTITUTION_RULES[rule],
            **citations, "citation_letter": letter,
            "order": order, "ascending": CONSTITUTION_ORDERS[order][0],
            "blocking_note": CONSTITUTION_ORDERS[order][1],
            "opponents": ", ".join(names[:-1]), "opponent_last": names[-1], **abstain}


# conclusion q1-q2: which of the article's claims are counted (the public one: all of them).
CONCLUSION_SCOPES: dict[str, Callable[[Any], Any]] = {
    "the article's claims": lambda c: c["claim_id"].notna(),
    "the article's claims not rated `unverifiable`":
        lambda c: c["verdict"].astype(str).ne("unverifiable"),
    "the article's claims with a `dataset`": lambda c: c["dataset"].notna(),
    "the article's claims in the chapters `capability`, `eu-nato` and `constitution`":
        lambda c: c["chapter"].astype(str).isin(["capability", "eu-nato", "constitution"]),
    "the article's claims outside the chapters `intro` and `conclusion`":
        lambda c: ~c["chapter"].astype(str).isin(["intro", "conclusion"]),
    "the article's claims in the chapters `us-posture`, `capability`, `eu-nato` and "
    "`constitution`": lambda c: c["chapter"].astype(str).isin(
        ["us-posture", "capability", "eu-nato", "constitution"]),
    "the article's claims in the chapters `capability`, `eu-nato`, `constitution` and "
    "`conclusion`": lambda c: c["chapter"].astype(str).isin(
        ["capability", "eu-nato", "constitution", "conclusion"]),
    "the article's claims in the chapters `intro`, `capability`, `eu-nato` and "
    "`constitution`": lambda c: c["chapter"].astype(str).isin(
        ["intro", "capability", "eu-nato", "constitution"]),
}
# conclusion q3: the options, with the chapter each names (None: the three have the same share)
CONCLUSION_STEPS = {
    "the dependence on American capabilities (`capability`)": "capability",
    "the EU–NATO overlap (`eu-nato`)": "eu-nato",
    "the treaties (`constitution`)": "constitution",
    "the three steps have the same share": None,
}
# conclusion q5: which states vote for SAFE -> the smallest tentative allocation (EUR bn)
CONCLUSION_BORROWERS = {"the member states in the Commission's tentative SAFE allocation": 0.0}
CONCLUSION_BORROWERS |= {
    f"the member states with a tentative SAFE allocation of at least EUR {x:g} billion": x
    for x in (0.5, 1, 2, 3, 5, 10)}
SAFE_TENTATIVE = "tentative (Commission allocation)"
# conclusion q7: the statements about the EU's steps in the timeline, by what each claims
CONCLUSION_PATTERNS = {
    "The EU took its defence steps at a steady pace, about one a year from 2014 to 2025.":
        "steady",
    "The EU took no defence step between Russia's annexation of Crimea (2014) and the "
    "full-scale invasion of Ukraine (2022).": "gap",
    "Most of the EU's steps in the timeline came in 2022 and 2025, the years of the "
    "full-scale invasion and of the second Trump administration.": "crises",
    "The EU's first step in the timeline came in 2022; before that, defence was left to NATO "
    "alone.": "late",
}
CONCLUSION_DEFAULTS = {
    "claims_scope": "the article's claims",
    **_option_defaults("step", list(CONCLUSION_STEPS), "b"),
    "borrower_group": "the member states in the Commission's tentative SAFE allocation",
    **_option_defaults("pattern", list(CONCLUSION_PATTERNS), "c"),
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
        "crises": bool(set(per_year.nlargest(2).index) == {2022, 2025}
                       and per_year.reindex([2022, 2025], fill_value=0).sum()
                       > len(eu_years) / 2),
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
        return round(100 * claims_in_scope(claims, scope)["verdict"].astype(str)
                     .eq("supported").mean(), 1)

    def singles_out_a_step(scope: str) -> bool:
        try:
            best_supported_step(claims_in_scope(claims, scope))
        except VariantError:
            return False
        return True

    # q1-q3: a scope whose share of supported claims is at least 0.6 points from every other
    # scope's (the check's tolerance is 0.5), and in which question 3 has one right answer
    scopes = [s for s in CONCLUSION_SCOPES if s != public_scope and singles_out_a_step(s)
              and all(abs(supported_pct(s) - supported_pct(t)) >= 0.6
                      for t in CONCLUSION_SCOPES if t != s)]
    scope = _pick_by_answer(rng, scopes, supported_pct)
    best = best_supported_step(claims_in_scope(claims, scope))
    steps = _shuffled_options(rng, "step", list(CONCLUSION_STEPS),
                              lambda text: CONCLUSION_STEPS[text] == best)
    # q5: a group whose result (passes, share of the population) differs from the others' by
    # at least one point of population
    eu = countries[countries["population"].notna()]

    def outcome(group: str) -> tuple[bool, float]:
        codes = safe_borrowers(safe, group)
        pct = 100 * eu.loc[eu["country"].astype(str).isin(codes), "population"].sum() \
            / eu["population"].sum()
        return bool(qualified_majority(codes)), round(float(pct), 1)

    groups: list[str] = []
    for group in CONCLUSION_BORROWERS:
        if all(abs(outcome(group)[1] - outcome(g)[1]) >= 1 for g in groups):
            groups.append(group)
    groups = [g for g in groups if g != CONCLUSION_DEFAULTS["borrower_group"]]
    group = _pick_by_answer(rng, groups, lambda g: outcome(g)[0])
    truths = history_truths(timeline)
    patterns = _shuffled_options(rng, "pattern", list(CONCLUSION_PATTERNS),
                                 lambda text: truths[CONCLUSION_PATTERNS[text]])
    return {"claims_scope": scope, **steps, "borrower_group": group, **patterns}


# --- Assignments 1-3: threat, us_posture, capability ---------------------------------------
# Each multiple-choice question is shown with its options in an order drawn from the seed: a
# parameter for each letter's text, and one for the letter of each option the hidden test may
# find right (from the data). The other parameters are drawn among the values the data make
# answerable, never the public one where there are others.

def _mc_in_order(keys: list[str], texts: Mapping[str, str], prefix: str,
                 letters_of: tuple[str, ...]) -> dict[str, str]:
    """A multiple-choice question shown with its options in the order ``keys``: each letter's
    text (``q3_a`` …) and the letter of each option in ``letters_of`` (``q3_nat4`` …)."""
    values = {f"{prefix}_{letter}": texts[key] for letter, key in zip("abcd", keys, strict=True)}
    values.update({f"{prefix}_{key}": "abcd"[keys.index(key)] for key in letters_of})
    return values


def _mc_shuffled(rng: random.Random, texts: Mapping[str, str], prefix: str,
                 letters_of: tuple[str, ...]) -> dict[str, str]:
    """The options of a multiple-choice question in an order drawn by ``rng``."""
    keys = list(texts)
    rng.shuffle(keys)
    return _mc_in_order(keys, texts, prefix, letters_of)


def _day_text(date: Any) -> str:
    """``2025-09-01`` → ``1 September 2025``."""
    return f"{date.day} {date:%B %Y}"


def _wave_month(question_id: str) -> str:
    """``lgc-2025-12-trump-enemy-of-europe`` → ``December 2025``."""
    import calendar

    year, month = re.match(r"^[a-z0-9]+-(\d{4})-(\d{2})-", question_id).groups()
    return f"{calendar.month_name[int(month)]} {year}"


def _pct_text(value: float) -> str:
    """``52.0`` → ``52``, ``6.5`` → ``6.5``."""
    return f"{value:g}"


# --- threat ---------------------------------------------------------------------------------

THREAT_Q3 = {"nat4": "North Atlantic Treaty, Article 4",
             "nat5": "North Atlantic Treaty, Article 5",
             "teu427": "Treaty on European Union, Article 42(7)",
             "tfeu1221": "Treaty on the Functioning of the EU, Article 122(1)"}
# q2: which incidents the chart keeps (a field and two of its values), as the question words it
# and the chart's name
THREAT_Q2 = [
    ("kind", ("drone incursion", "drone sightings"), "the drone events", "the kinds",
     "drone_chart"),
    ("kind", ("drone incursion", "manned aircraft violation"),
     "the incursions by drones or manned aircraft", "the kinds", "incursion_chart"),
    ("attribution", ("Russia (confirmed by the state)", "Russia suspected"),
     "the incidents linked to Russia", "the attributions", "russia_chart"),
    ("attribution", ("Russia suspected", "unattributed"),
     "the incidents that no state has confirmed as Russian", "the attributions",
     "unconfirmed_chart"),
]
# q6: the end of the interceptor drones' ranges, as the question words it
THREAT_Q6_ENDS = [("high", "top", "worst"), ("low", "bottom", "best")]

THREAT_DEFAULTS = {
    "q1_since": "", "q1_scope": "",
    "q2_field": "kind", "q2_value_1": "drone incursion", "q2_value_2": "drone sightings",
    "q2_events": "the drone events", "q2_which": "the kinds", "q2_chart": "drone_chart",
    **_mc_in_order(list(THREAT_Q3), THREAT_Q3, "q3", tuple(THREAT_Q3)),
    "q6_drone": "drone_cost_usd-1", "q6_end": "high", "q6_end_word": "top", "q6_case": "worst",
}


def _draw_threat(rng: random.Random) -> dict[str, str]:
    import pandas as pd

    from defence_course.data import load_dataset

    incidents = load_dataset("incidents")
    values: dict[str, str] = {}

    # q1: count only the incidents from a date on (the 1st or 15th of a month), a date whose
    # table differs from the whole table's and from every earlier date's, with two or more
    # values of attribution and at least four incidents
    def table(rows: pd.DataFrame) -> tuple:
        return tuple(sorted(rows["attribution"].astype(str).value_counts().items()))

    first, last = incidents["date"].min(), incidents["date"].max()
    seen, starts = {table(incidents)}, []
    for month in pd.date_range(first.to_period("M").to_timestamp(), last, freq="MS"):
        for start in (month, month + pd.Timedelta(days=14)):
            rows = incidents[incidents["date"] >= start]
            if not first < start <= last or len(rows) < 4 or len(table(rows)) < 2:
                continue
            if table(rows) not in seen:
                seen.add(table(rows))
                starts.append(start)
    start = rng.choice(starts)
    values["q1_since"] = f"{start:%Y-%m-%d}"
    values["q1_scope"] = (f" Count only the incidents from {_day_text(start)} on: first "
                          f"select the rows whose `date` is {start:%Y-%m-%d} or later.")

    # q2: another pair of values to keep (not the public one), each pair present in the data
    pairs = [p for p in THREAT_Q2[1:]
             if incidents[p[0]].astype(str).isin(p[1]).sum() >= 3
             and all((incidents[p[0]].astype(str) == v).any() for v in p[1])]
    field_, (one, two), events, which, chart = rng.choice(pairs)
    values.update(q2_field=field_, q2_value_1=one, q2_value_2=two, q2_events=events,
                  q2_which=which, q2_chart=chart)

    # q3: the options in a drawn order
    values.update(_mc_shuffled(rng, THREAT_Q3, "q3", tuple(THREAT_Q3)))

    # q6: which Shahed cost (a row with a central value) and which end of the interceptor
    # drones' ranges; not the public pair
    p = load_dataset("attrition_parameters").set_index("parameter_id")
    drones = [pid for pid in p.index if pid.startswith("drone_cost_usd-")
              and pd.notna(p.loc[pid, "value"]) and "Shahed" in str(p.loc[pid, "system_or_item"])]
    ends = [e for e in THREAT_Q6_ENDS
            if pd.notna(p.loc["interceptors_per_target-1", e[0]])
            and pd.notna(p.loc["interceptor_drone_cost_usd-1", e[0]])]
    combos = [(d, e) for d in drones for e in ends
              if (d, e[0]) != (THREAT_DEFAULTS["q6_drone"], THREAT_DEFAULTS["q6_end"])]
    drone, (end, word, case) = rng.choice(combos)
    values.update(q6_drone=drone, q6_end=end, q6_end_word=word, q6_case=case)
    return values


# --- us_posture -----------------------------------------------------------------------------

US_POSTURE_SERIES = "trump-enemy-of-europe"
US_POSTURE_Q2 = {
    "worsened": "Europeans' view of Trump worsened by three points in one month.",
    "wrong": "The January poll must be wrong, because opinion does not change that fast.",
    "panels": "Not much from the averages alone: the two waves asked different sets of "
              "countries, so compare the countries asked in both.",
    "same_way": "The rise shows that opinion moved the same way in Poland and in Belgium.",
}
US_POSTURE_Q6 = {
    "fell": "Not supported: support fell between spring 2024 and spring 2025.",
    "partly": "Partly supported: the two figures are right, but the data cannot show that "
              "Trump's return caused the rise.",
    "supported": "Supported: both figures are right, so the sentence can stay as it is.",
    "wording": "Not supported: the two figures come from differently worded questions.",
}
US_POSTURE_Q1_ORDERS = [("oldest", "sorting by `question_id`"),
                        ("newest", "sorting by `question_id` in reverse order")]
# the two waves that questions 2 and 3 compare: question 1's table must keep them
US_POSTURE_COMPARED = ("lgc-2025-12-trump-enemy-of-europe", "lgc-2026-01-trump-enemy-of-europe")

US_POSTURE_DEFAULTS = {
    "q1_first": "oldest", "q1_sort": "sorting by `question_id`",
    "q1_leave_out": "", "q1_leave_out_text": "",
    **_mc_in_order(list(US_POSTURE_Q2), US_POSTURE_Q2, "q2", ("panels", "worsened")),
    "q4_country": "PL", "q4_name": "Poland", "q4_variable": "poland_gap",
    "q4_wave": "lgc-2025-12-trump-enemy-of-europe", "q4_month": "December 2025",
    **_mc_in_order(list(US_POSTURE_Q6), US_POSTURE_Q6, "q6", ("partly", "fell")),
}


def _draw_us_posture(rng: random.Random) -> dict[str, str]:
    from defence_course.data import load_dataset

    opinion = load_dataset("opinion")
    countries = load_dataset("countries").set_index("country")["name"].astype(str)
    series = opinion[opinion["question_id"].str.endswith(US_POSTURE_SERIES)]
    waves = sorted(series["question_id"].unique())
    values: dict[str, str] = {}

    # q1: the order, and a wave to leave out (or none), never the public pair
    leave_out = [""] + [w for w in waves if w not in US_POSTURE_COMPARED]
    combos = [(order, wave) for order in US_POSTURE_Q1_ORDERS for wave in leave_out
              if (order[0], wave) != ("oldest", "")]
    (first, sort), wave = rng.choice(combos)
    values.update(q1_first=first, q1_sort=sort, q1_leave_out=wave,
                  q1_leave_out_text=(f" Leave out the {_wave_month(wave)} wave (`{wave}`)."
                                     if wave else ""))

    values.update(_mc_shuffled(rng, US_POSTURE_Q2, "q2", ("panels", "worsened")))

    # q4: a wave with one average and a country with its own figure in it, not the public pair
    pairs = []
    for wave in waves:
        rows = series[series["question_id"] == wave]
        if rows["country"].isna().sum() != 1:
            continue
        pairs += [(wave, str(code)) for code in rows["country"].dropna()
                  if str(code) in countries.index
                  and (wave, str(code)) != (US_POSTURE_DEFAULTS["q4_wave"],
                                            US_POSTURE_DEFAULTS["q4_country"])]
    wave, code = rng.choice(sorted(pairs))
    name = countries[code]
    values.update(q4_country=code, q4_name=name,
                  q4_variable=re.sub(r"\W+", "_", name.lower()) + "_gap",
                  q4_wave=wave, q4_month=_wave_month(wave))

    values.update(_mc_shuffled(rng, US_POSTURE_Q6, "q6", ("partly", "fell")))
    return values


# --- capability -----------------------------------------------------------------------------

CAPABILITY_Q2 = {
    "fair": "Fair, whichever states you count.",
    "quarter": "Unfair, whichever states you count: the share is below a quarter.",
    "more": 'Unfair: more than half are US-made, so "nearly half" understates it.',
    "turkey": 'Fair only if Türkiye counts as part of "Europe": for the EU members, or '
              "without Türkiye, it is nearer two in five.",
}
CAPABILITY_Q4_ORDERS = ("oldest", "most recent")
# q7: how many times the volume from the US grew, in words (the nearest half)
CAPABILITY_TIMES = {1.5: "one and a half times", 2.0: "twice", 2.5: "two and a half times",
                    3.0: "three times", 3.5: "three and a half times", 4.0: "four times"}
# q8: the states of question 1's shares (by the variable's name) that the fleet model takes
CAPABILITY_Q8_GROUPS = {
    "us_share": ("the EU member states that",
                 "have a row in `fleets` (the model accepts only those: `with_fleet` below "
                 "lists them)"),
    "us_share_all": ("every state in",
                     "`fleets`, as for `us_share_all` (pass no `countries`: the model then "
                     "takes them all)"),
    "us_share_no_tr": ("every state in",
                       "`fleets` except Türkiye, as for `us_share_no_tr` (pass "
                       "`include_turkey=False` and no `countries`)"),
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
CAPABILITY_Q7_GROUPS = {"European NATO states": ("the", "European NATO states"),
                        "Europe": ("all", "European states")}
CAPABILITY_Q7_PUBLIC = {"q7_the": "the", "q7_states": "European NATO states",
                        "q7_recipient": "European NATO states",
                        "q7_share_1": "52", "q7_period_1": "2015–19",
                        "q7_share_2": "64", "q7_period_2": "2020–24",
                        "q7_times": "two and a half times"}

CAPABILITY_DEFAULTS = {
    **_mc_in_order(list(CAPABILITY_Q2), CAPABILITY_Q2, "q2", tuple(CAPABILITY_Q2)),
    "q4_origin": "", "q4_origin_text": "", "q4_first": "oldest",
    **CAPABILITY_Q7_PUBLIC,
    **_mc_in_order(["more", "less", "shrank", "money"],
                   _capability_q7_texts(CAPABILITY_Q7_PUBLIC), "q7", ("more", "less", "shrank")),
    "q8_who_1": CAPABILITY_Q8_GROUPS["us_share"][0],
    "q8_who_2": CAPABILITY_Q8_GROUPS["us_share"][1],
    "q8_today": "us_share", "q8_moved": "0", "q8_moved_text": "",
}


def _draw_capability(rng: random.Random) -> dict[str, str]:
    from defence_course.data import load_dataset
    from defence_course.models import fleet

    fleets = load_dataset("fighter_fleets")
    countries = load_dataset("countries")
    eu = set(countries.loc[countries["eu_accession_year"].notna()
                           & countries["eu_exit_year"].isna(), "country"].astype(str))
    values: dict[str, str] = {}

    values.update(_mc_shuffled(rng, CAPABILITY_Q2, "q2", tuple(CAPABILITY_Q2)))

    # q4: the EU members' aircraft of one origin (or all), counted in at least three years,
    # oldest or most recent year first; never the public pair
    members = fleets[fleets["country"].astype(str).isin(eu)]
    years = members.groupby(members["origin"].astype(str))["reference_year"].nunique()
    origins = [""] + [o for o in ("US", "European") if years.get(o, 0) >= 3]
    combos = [(o, f) for o in origins for f in CAPABILITY_Q4_ORDERS
              if (o, f) != ("", "oldest")]
    origin, first = rng.choice(combos)
    values.update(q4_origin=origin, q4_first=first,
                  q4_origin_text=(f" Count only the {origin}-made aircraft, the rows whose "
                                  f"`origin` is {origin}." if origin else ""))

    # q7: a recipient and two periods with the US share in each and the change in volume
    # between them, where the US share rose and more came both from the US and from the rest
    arms = load_dataset("arms_imports")
    cases = []
    for (recipient, span), change in arms[arms["measure"] == "change_in_volume_pct"].groupby(
            ["recipient", "period"])["value"]:
        period_1, _, period_2 = span.partition(" to ")
        shares = arms[(arms["recipient"] == recipient) & (arms["supplier"] == "United States")
                      & (arms["measure"] == "share_of_recipient_imports_pct")]
        shares = shares.set_index("period")["value"]
        if len(change) != 1 or not {period_1, period_2} <= set(shares.index):
            continue
        growth = 1 + float(change.iloc[0]) / 100
        from_us = shares[period_2] / shares[period_1] * growth
        from_others = (100 - shares[period_2]) / (100 - shares[period_1]) * growth
        times = CAPABILITY_TIMES.get(round(from_us * 2) / 2)
        if shares[period_2] > shares[period_1] and from_others > 1 and times:
            cases.append((recipient, period_1, period_2, shares[period_1], shares[period_2],
                          times))
    recipient, period_1, period_2, share_1, share_2, times = rng.choice(sorted(cases))
    the, states = CAPABILITY_Q7_GROUPS.get(recipient, ("the", recipient))
    case = {"q7_the": the, "q7_states": states, "q7_recipient": recipient,
            "q7_share_1": _pct_text(share_1), "q7_period_1": period_1.replace("-", "–"),
            "q7_share_2": _pct_text(share_2), "q7_period_2": period_2.replace("-", "–"),
            "q7_times": times}
    values.update(case)
    values.update(_mc_shuffled(rng, _capability_q7_texts(case), "q7", ("more", "less", "shrank")))

    # q8: the states of one of question 1's shares, and a share of the F-35s still to come
    # moved to European types (or none), such that US-made aircraft still grow by at least
    # half a point; never the public pair
    orders = load_dataset("fighter_orders")
    known = sorted(set(fleets["country"].astype(str)))
    chosen = {"us_share": sorted(eu & set(known)), "us_share_all": known,
              "us_share_no_tr": [c for c in known if c != fleet.TURKEY]}
    combos = []
    for group, states in chosen.items():
        today = fleet.us_share_today(fleets, countries=states)
        for moved in CAPABILITY_MOVED:
            after = fleet.us_share_after_orders(fleets, orders, moved, countries=states)
            if (after - today) * 100 >= 0.5 and (group, moved) != ("us_share", 0.0):
                combos.append((group, moved))
    group, moved = rng.choice(combos)
    values.update(q8_who_1=CAPABILITY_Q8_GROUPS[group][0],
                  q8_who_2=CAPABILITY_Q8_GROUPS[group][1], q8_today=group,
                  q8_moved=f"{moved:g}",
                  q8_moved_text=(f" Suppose too that {round(moved * 100)} % of the F-35s still "
                                 "to come are European types instead (Eurofighter, Rafale or "
                                 f"Gripen): pass `moved_share={moved:g}`." if moved else ""))
    return values


SPECS: dict[str, Spec] = {
    "threat": Spec(THREAT_DEFAULTS, _draw_threat),
    "us_posture": Spec(US_POSTURE_DEFAULTS, _draw_us_posture),
    "capability": Spec(CAPABILITY_DEFAULTS, _draw_capability),
    "eu_nato": Spec(EU_NATO_DEFAULTS, _draw_eu_nato),
    "constitution": Spec(CONSTITUTION_DEFAULTS, _draw_constitution),
    "conclusion": Spec(CONCLUSION_DEFAULTS, _draw_conclusion),
}
