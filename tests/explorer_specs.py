"""The five kernel-free explorers' specifications, built once per test session."""

from __future__ import annotations

import functools
from typing import Any

from defence_course import charts, explorers


@functools.cache
def spec(name: str) -> dict[str, Any]:
    """Vega-Lite spec of explorer ``name``, with the course theme as on the website."""
    charts.setup_notebook()
    return explorers.website_version(name).to_dict()
