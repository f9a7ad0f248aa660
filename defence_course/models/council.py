"""Voting in the Council of the EU: qualified majority, unanimity with constructive abstention.

- **Qualified majority** (TEU Art. 16(4)): at least 55 % of the member states (15 of 27) *and*
  states holding at least 65 % of the EU population. A blocking minority needs at least four
  states: if fewer than four states fail to support, the population condition is deemed met.
  (TFEU Art. 238(3) adapts these thresholds to votes in which not all members take part.)
- **Reinforced qualified majority** (TFEU Art. 238(2)): when the Council does not act on a
  proposal from the Commission or the High Representative (e.g. establishing PESCO under TEU
  Art. 46(2)), at least 72 % of the member states (20 of 27) holding at least 65 % of the EU
  population. Art. 238(2) defines this majority "by way of derogation from" Art. 16(4) TEU as a
  whole, so the model applies no four-state blocking-minority clause to it (our reading).
- **Unanimity with constructive abstention** (TEU Art. 31(1)): any vote against blocks; an
  abstention does not. But if the states qualifying their abstention make up at least one third
  of the member states *and* at least one third of the EU population, the decision is not adopted.

Populations come from ``data.load_dataset("countries")`` (EU members are the rows with a
population). Supporters are given as country codes, or as boolean arrays in the order of
:func:`eu_members` (a matrix with one row per simulated vote for the Monte Carlo).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from defence_course.models import _checks

STATE_THRESHOLD = 0.55
REINFORCED_STATE_THRESHOLD = 0.72
POPULATION_THRESHOLD = 0.65
BLOCKING_MINORITY_STATES = 4
ABSTENTION_THIRD = 1 / 3
DEFAULT_VOTES = 100_000

# Presets for the voting simulator (EU member states only).
PRESETS: dict[str, tuple[str, ...]] = {
    # The eastern flank: the Bucharest Nine (the NATO allies on the eastern flank that set up
    # the format in 2015, all EU members) plus Finland, which has the EU's longest land border
    # with Russia and joined NATO in 2023.
    "eastern flank": ("BG", "CZ", "EE", "FI", "HU", "LT", "LV", "PL", "RO", "SK"),
    # EU members outside NATO, each with a policy of neutrality or non-alignment
    # (see countries.defence_status_note).
    "neutrals": ("AT", "CY", "IE", "MT"),
    # The six founders of the European Communities (EU accession year 1958 in the data).
    "founders": ("BE", "DE", "FR", "IT", "LU", "NL"),
}


def eu_members(countries: pd.DataFrame) -> pd.DataFrame:
    """EU member states with their population, in country-code order (the vote order)."""
    if not isinstance(countries, pd.DataFrame):
        raise TypeError("countries must be the DataFrame from data.load_dataset('countries')")
    missing = {"country", "name", "population"} - set(countries.columns)
    if missing:
        raise ValueError(f"countries lacks column(s) {sorted(missing)}")
    members = countries[countries["population"].notna()][["country", "name", "population"]]
    if members.empty:
        raise ValueError("countries has no EU member (no row with a population)")
    members = members.sort_values("country").reset_index(drop=True)
    return members.assign(
        country=members["country"].astype(str),
        name=members["name"].astype(str),
        population=members["population"].astype("int64"),
    )


def populations_from_data() -> pd.Series:
    """Population of each EU member state (index: country code), from ``data/countries.csv``."""
    from defence_course import data

    members = eu_members(data.load_dataset("countries"))
    return pd.Series(members["population"].to_numpy(), index=members["country"], name="population")


def _populations(populations: pd.Series | None) -> pd.Series:
    if populations is None:
        return populations_from_data()
    if not isinstance(populations, pd.Series):
        raise TypeError("populations must be a pandas Series indexed by country code")
    values = _checks.numbers_in_range("populations", populations.to_numpy(), 0, low_open=True)
    return pd.Series(values, index=populations.index.astype(str), name="population")


def support_vector(
    supporters: Iterable[str], populations: pd.Series | None = None, *, name: str = "supporters"
) -> np.ndarray:
    """Boolean vote vector (one entry per member state) from a list of country codes."""
    populations = _populations(populations)
    chosen = _checks.codes(
        name, supporters, populations.index, what="EU member code", allow_empty=True
    )
    return populations.index.isin(chosen)


def _votes(votes: np.ndarray | Iterable[str], populations: pd.Series, name: str) -> np.ndarray:
    if isinstance(votes, np.ndarray) and votes.dtype == bool:
        if votes.ndim not in (1, 2) or votes.shape[-1] != len(populations):
            raise ValueError(
                f"{name} must have {len(populations)} columns (one per member "
                f"state), got shape {votes.shape}"
            )
        return votes
    if isinstance(votes, np.ndarray):
        raise TypeError(f"{name} must be a boolean array or a list of codes, got {votes.dtype}")
    return support_vector(votes, populations, name=name)


def _majority(
    support: np.ndarray | Iterable[str],
    populations: pd.Series | None,
    state_threshold: float,
    blocking_clause: bool,
) -> np.ndarray | bool:
    """Both conditions of a qualified majority with the given share of states (and 65 % of the
    population); with ``blocking_clause``, fewer than four states not in favour cannot block."""
    populations = _populations(populations)
    votes = _votes(support, populations, "support")
    n_states = len(populations)
    states_for = np.count_nonzero(votes, axis=-1)
    population_for = votes @ populations.to_numpy()
    enough_states = states_for >= state_threshold * n_states - 1e-9
    enough_people = population_for >= POPULATION_THRESHOLD * populations.sum() - 1e-6
    if blocking_clause:
        enough_people = enough_people | ((n_states - states_for) < BLOCKING_MINORITY_STATES)
    result = enough_states & enough_people
    return bool(result) if np.ndim(result) == 0 else result


def qualified_majority(
    support: np.ndarray | Iterable[str], populations: pd.Series | None = None
) -> np.ndarray | bool:
    """True where a proposal passes by qualified majority (one result per row of ``support``)."""
    return _majority(support, populations, STATE_THRESHOLD, blocking_clause=True)


def reinforced_qualified_majority(
    support: np.ndarray | Iterable[str], populations: pd.Series | None = None
) -> np.ndarray | bool:
    """True where a proposal passes by reinforced qualified majority (TFEU Art. 238(2)):
    at least 72 % of the states holding at least 65 % of the population (no blocking-minority
    clause). One result per row of ``support``."""
    return _majority(support, populations, REINFORCED_STATE_THRESHOLD, blocking_clause=False)


def passes_unanimity(
    support: np.ndarray | Iterable[str],
    abstain: np.ndarray | Iterable[str] = (),
    populations: pd.Series | None = None,
) -> np.ndarray | bool:
    """True where a proposal is adopted unanimously, abstainers not blocking (TEU Art. 31(1)).

    States neither supporting nor abstaining vote against. Abstainers are taken to qualify their
    abstention; if they are at least a third of the states holding at least a third of the
    population, the decision is not adopted.
    """
    populations = _populations(populations)
    votes = _votes(support, populations, "support")
    abstaining = _votes(abstain, populations, "abstain")
    if np.any(votes & abstaining):
        raise ValueError("a state cannot both support and abstain: check support and abstain")
    against = ~(votes | abstaining)
    n_abstain = abstaining.sum(axis=-1)
    population_abstaining = abstaining @ populations.to_numpy()
    too_many_abstain = (n_abstain >= ABSTENTION_THIRD * len(populations) - 1e-9) & (
        population_abstaining >= ABSTENTION_THIRD * populations.sum() - 1e-6
    )
    result = ~against.any(axis=-1) & ~too_many_abstain & votes.any(axis=-1)
    return bool(result) if np.ndim(result) == 0 else result


@dataclass(frozen=True)
class VoteOutcome:
    """One vote in the Council: counts, the population in favour, the outcome under each rule."""

    states_for: int
    states_abstaining: int
    states_against: int
    states_total: int
    population_share_for: float  # share (0-1) of the EU population held by the states in favour
    qualified_majority: bool
    qualified_majority_reason: str
    reinforced_qualified_majority: bool
    reinforced_qualified_majority_reason: str
    unanimity: bool
    unanimity_reason: str


def vote_outcome(
    supporters: Iterable[str], abstainers: Iterable[str] = (), populations: pd.Series | None = None
) -> VoteOutcome:
    """Counts, shares and the outcome under each rule for one coalition of supporting states."""
    populations = _populations(populations)
    support = support_vector(supporters, populations, name="supporters")
    abstain = support_vector(abstainers, populations, name="abstainers")
    total = populations.sum()
    states_for = int(support.sum())
    n_states = len(populations)
    share = float(support @ populations.to_numpy() / total)
    not_for = n_states - states_for
    # bool(): the rules return one result per vote, here a single one (typed array | bool)
    qmv = bool(qualified_majority(support, populations))
    if qmv:
        qmv_reason = (
            "passes: fewer than four states could form a blocking minority"
            if share < POPULATION_THRESHOLD
            else f"passes: {states_for} states (≥ {_state_quota(n_states)}) with {share:.1%} "
            "of the population"
        )
    elif states_for < STATE_THRESHOLD * n_states - 1e-9:
        qmv_reason = f"fails: {states_for} states in favour, 55 % needs {_state_quota(n_states)}"
    else:
        qmv_reason = (
            f"fails: {share:.1%} of the population in favour (65 % needed), and the "
            f"{not_for} states not in favour form a blocking minority"
        )
    reinforced = bool(reinforced_qualified_majority(support, populations))
    reinforced_quota = _state_quota(n_states, REINFORCED_STATE_THRESHOLD)
    if reinforced:
        reinforced_reason = (
            f"passes: {states_for} states (≥ {reinforced_quota}) with {share:.1%} of the population"
        )
    elif states_for < reinforced_quota:
        reinforced_reason = f"fails: {states_for} states in favour, 72 % needs {reinforced_quota}"
    else:
        reinforced_reason = f"fails: {share:.1%} of the population in favour (65 % needed)"
    unanimity = bool(passes_unanimity(support, abstain, populations))
    against = n_states - states_for - int(abstain.sum())
    if unanimity:
        unanimity_reason = "adopted: no state votes against"
    elif against:
        unanimity_reason = (
            f"blocked: {against} {'states vote' if against > 1 else 'state votes'} against"
        )
    elif not states_for:
        unanimity_reason = "not adopted: no state supports it"
    else:
        unanimity_reason = (
            "not adopted: the abstainers are at least a third of the states with "
            "at least a third of the population"
        )
    return VoteOutcome(
        states_for=states_for,
        states_abstaining=int(abstain.sum()),
        states_against=against,
        states_total=n_states,
        population_share_for=share,
        qualified_majority=qmv,
        qualified_majority_reason=qmv_reason,
        reinforced_qualified_majority=reinforced,
        reinforced_qualified_majority_reason=reinforced_reason,
        unanimity=unanimity,
        unanimity_reason=unanimity_reason,
    )


def _state_quota(n_states: int, threshold: float = STATE_THRESHOLD) -> int:
    return int(np.ceil(threshold * n_states - 1e-9))


def state_quota(n_states: int, rule: str = "qualified majority") -> int:
    """Smallest number of states in favour that meets the state condition of ``rule``."""
    n_states = _checks.whole_number("n_states", n_states, low=1)
    thresholds = {
        "qualified majority": STATE_THRESHOLD,
        "reinforced qualified majority": REINFORCED_STATE_THRESHOLD,
    }
    if rule not in thresholds:
        raise ValueError(f"rule must be one of {', '.join(map(repr, thresholds))}, got {rule!r}")
    return _state_quota(n_states, thresholds[rule])


def blocking_states(n_states: int, rule: str = "qualified majority") -> int:
    """Smallest number of states that blocks by number alone (without regard to population):
    enough states not in favour that the others cannot reach the state quota."""
    return int(n_states) - state_quota(n_states, rule) + 1


def simulate_votes(
    p: float,
    n_states: int,
    n_votes: int = DEFAULT_VOTES,
    rng: np.random.Generator | int | None = None,
) -> np.ndarray:
    """Boolean matrix (n_votes × n_states): each state supports independently with probability p."""
    p = float(_checks.fraction("p", p))
    n_states = _checks.whole_number("n_states", n_states, low=1)
    n_votes = _checks.whole_number("n_votes", n_votes, low=1)
    generator = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    return generator.random((n_votes, n_states), dtype=np.float32) < p


def pass_probability_monte_carlo(
    p: float,
    rule: str = "qualified majority",
    populations: pd.Series | None = None,
    n_votes: int = DEFAULT_VOTES,
    rng: np.random.Generator | int | None = None,
) -> float:
    """Share of ``n_votes`` simulated votes that pass under ``rule`` when each state says yes
    with probability p ("qualified majority", "reinforced qualified majority" or "unanimity";
    non-supporters vote against)."""
    if rule not in RULES:
        raise ValueError(f"rule must be one of {', '.join(map(repr, RULES))}, got {rule!r}")
    populations = _populations(populations)
    votes = simulate_votes(p, len(populations), n_votes, rng)
    if rule == "unanimity":
        return float(votes.all(axis=1).mean())
    if rule == "reinforced qualified majority":
        # np.mean: here the rules return one result per simulated vote (typed array | bool)
        return float(np.mean(reinforced_qualified_majority(votes, populations)))
    return float(np.mean(qualified_majority(votes, populations)))


def pass_rate_curve(
    p_values: Iterable[float],
    populations: pd.Series | None = None,
    n_votes: int = 20_000,
    seed: int = 0,
) -> pd.DataFrame:
    """Pass rate under both rules for each p (one shared set of random draws, so curves are
    smooth), with the exact unanimity rate p**n alongside the simulated one."""
    populations = _populations(populations)
    p_array = np.atleast_1d(_checks.fraction("p_values", list(p_values)))
    n_votes = _checks.whole_number("n_votes", n_votes, low=1)
    draws = np.random.default_rng(seed).random((n_votes, len(populations)), dtype=np.float32)
    weights = populations.to_numpy()
    rows = []
    for p in p_array:
        votes = draws < p
        rows.append(
            {
                "p": float(p),
                "qualified majority": float(np.mean(qualified_majority(votes, populations))),
                "unanimity": float(votes.all(axis=1).mean()),
                "unanimity (exact)": float(p ** len(weights)),
            }
        )
    return pd.DataFrame(rows)


def unanimity_pass_probability(p: float | np.ndarray, n_states: int | np.ndarray) -> float:
    """Exact chance that n independent states all say yes: p ** n."""
    p_array = _checks.fraction("p", p)
    n_array = _checks.numbers_in_range("n_states", n_states, 1)
    if np.any(n_array != np.round(n_array)):
        raise ValueError("n_states must be whole numbers")
    return _checks.scalar_or_array(p_array**n_array)


RULES = ("qualified majority", "reinforced qualified majority", "unanimity")
