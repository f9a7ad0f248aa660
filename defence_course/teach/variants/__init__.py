"""Class variants: the same assignment with other parameters, drawn from a seed and the data.

A master may write ``{{ name }}`` anywhere (question text, solutions, tests); the build replaces
each with the parameter's value. Without a seed, the public defaults of :data:`SPECS` are used:
those are what the committed student notebooks and the public masters show. With a seed (a
class's code, chosen by the teacher and kept private), every parameter is drawn from the
seed and the course data, deterministically, so the same seed always gives the same variant.
The hidden tests compute their expected values from the parameters and the data, so the public
masters do not give away a variant's answers.

The machinery is in :mod:`.core`; each assignment with variants has a module of its own
(its public defaults, how a seed draws its values, and the helpers its hidden tests use).
"""

from __future__ import annotations

from defence_course.teach.variants import (
    capability,
    conclusion,
    constitution,
    eu_nato,
    threat,
    us_posture,
)
from defence_course.teach.variants.core import (
    PLACEHOLDER,
    PUBLIC,
    SEED,
    Spec,
    VariantError,
    check_seed,
    parameters,
    render_notebook,
    render_text,
    rng_for,
)

SPECS: dict[str, Spec] = {
    "threat": threat.SPEC,
    "us_posture": us_posture.SPEC,
    "capability": capability.SPEC,
    "eu_nato": eu_nato.SPEC,
    "constitution": constitution.SPEC,
    "conclusion": conclusion.SPEC,
}

__all__ = [
    "PLACEHOLDER",
    "PUBLIC",
    "SEED",
    "SPECS",
    "Spec",
    "VariantError",
    "check_seed",
    "parameters",
    "render_notebook",
    "render_text",
    "rng_for",
]
