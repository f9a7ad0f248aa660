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

SPECS: dict[str, Spec] = {}
