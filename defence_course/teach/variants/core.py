"""The variants' machinery: seeds, parameters, rendering, and the option helpers the
assignments' draws share."""

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
        raise VariantError(
            f"variant seed {seed!r}: use 1-40 letters, digits, '-' or '_' "
            f"(starting with a letter or digit), and not {PUBLIC!r}"
        )
    return seed


def rng_for(assignment: str, seed: str) -> random.Random:
    """A random generator that depends only on the assignment and the seed."""
    digest = hashlib.sha256(f"{assignment}\0{seed}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def parameters(assignment: str, seed: str | None) -> dict[str, str]:
    """The parameter values of ``assignment`` for ``seed`` (``None``: the public defaults)."""
    from defence_course.teach.variants import SPECS

    spec = SPECS.get(assignment)
    if spec is None:
        if seed is not None:
            raise VariantError(
                f"assignment {assignment!r} has no class variants; those that "
                f"do: {', '.join(SPECS) or 'none'}"
            )
        return {}
    if seed is None:
        return dict(spec.defaults)
    drawn = spec.draw(rng_for(assignment, check_seed(seed)))
    if set(drawn) != set(spec.defaults):
        raise VariantError(
            f"{assignment}: the variant draws {sorted(drawn)} but the defaults "
            f"name {sorted(spec.defaults)}"
        )
    return {k: str(v) for k, v in drawn.items()}


def render_text(text: str, values: Mapping[str, str], where: str, used: set[str]) -> str:
    def value(match: re.Match) -> str:
        name = match["name"]
        if name not in values:
            raise VariantError(
                f"{where}: placeholder {{{{ {name} }}}} has no parameter "
                f"(known: {', '.join(sorted(values)) or 'none'})"
            )
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
        raise VariantError(
            f"{name}.ipynb uses no placeholder for {', '.join(sorted(unused))}: "
            "a parameter that changes nothing would make variants that look "
            "different and are not"
        )
    return nb


# --- How the draws choose -------------------------------------------------------------------
# Assignments 4-6 (eu_nato, constitution, conclusion): each draw picks a class's values among the
# candidates the data make answerable, choosing first among the different right answers and then a
# value that gives it, so that two classes rarely share an answer. The hidden tests read the option
# tables below to compute, from the data, which option is right; the tables say nothing about which
# one that is.


def pick_by_answer(rng: random.Random, candidates: list[Any], answer: Callable[[Any], Any]) -> Any:
    """One of ``candidates``: first a right answer among those they give, then a candidate."""
    groups: dict[str, list[Any]] = {}
    for candidate in candidates:
        groups.setdefault(repr(answer(candidate)), []).append(candidate)
    if not groups:
        raise VariantError("the data leave no candidate for a variant")
    keys = sorted(groups)
    return rng.choice(groups[keys[rng.randrange(len(keys))]])


def shuffled_options(
    rng: random.Random, prefix: str, options: list[str], right: Callable[[str], bool]
) -> dict[str, str]:
    """The options (public order first) in an order other than the public one, as parameters
    ``{prefix}_a`` … ``{prefix}_d``, and ``{prefix}_letter``, the letter of the right one."""
    order = list(options)
    while order == list(options):
        rng.shuffle(order)
    letters = "abcdefgh"[: len(order)]
    rights = [letter for letter, text in zip(letters, order, strict=True) if right(text)]
    if len(rights) != 1:
        raise VariantError(f"{prefix}: the data no longer single out one option")
    values = {f"{prefix}_{letter}": text for letter, text in zip(letters, order, strict=True)}
    return values | {f"{prefix}_letter": rights[0]}


def option_defaults(prefix: str, options: list[str], letter: str) -> dict[str, str]:
    return {f"{prefix}_{k}": text for k, text in zip("abcdefgh", options, strict=False)} | {
        f"{prefix}_letter": letter
    }


# Assignments 1-3 (threat, us_posture, capability): each multiple-choice question is shown with its
# options in an order drawn from the seed: a parameter for each letter's text, and one for the
# letter of each option the hidden test may find right (from the data). The other parameters are
# drawn among the values the data make answerable, never the public one where there are others.


def mc_in_order(
    keys: list[str], texts: Mapping[str, str], prefix: str, letters_of: tuple[str, ...]
) -> dict[str, str]:
    """A multiple-choice question shown with its options in the order ``keys``: each letter's
    text (``q3_a`` …) and the letter of each option in ``letters_of`` (``q3_nat4`` …)."""
    values = {f"{prefix}_{letter}": texts[key] for letter, key in zip("abcd", keys, strict=True)}
    values.update({f"{prefix}_{key}": "abcd"[keys.index(key)] for key in letters_of})
    return values


def mc_shuffled(
    rng: random.Random, texts: Mapping[str, str], prefix: str, letters_of: tuple[str, ...]
) -> dict[str, str]:
    """The options of a multiple-choice question in an order drawn by ``rng``."""
    keys = list(texts)
    rng.shuffle(keys)
    return mc_in_order(keys, texts, prefix, letters_of)


def day_text(date: Any) -> str:
    """``2025-09-01`` → ``1 September 2025``."""
    return f"{date.day} {date:%B %Y}"


def wave_month(question_id: str) -> str:
    """``lgc-2025-12-trump-enemy-of-europe`` → ``December 2025``."""
    import calendar

    match = re.match(r"^[a-z0-9]+-(\d{4})-(\d{2})-", question_id)
    if match is None:
        raise ValueError(f"no year and month in the question id {question_id!r}")
    year, month = match.groups()
    return f"{calendar.month_name[int(month)]} {year}"


def pct_text(value: float) -> str:
    """``52.0`` → ``52``, ``6.5`` → ``6.5``."""
    return f"{value:g}"
