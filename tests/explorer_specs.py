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


def param(name: str, setting: str) -> dict[str, Any]:
    """The parameter of explorer ``name`` behind ``setting`` (with its input binding)."""
    return next(p for p in spec(name)["params"] if p["name"] == setting)


def url_text(value: Any) -> str:
    """``value`` as the page's script writes it into the URL."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def invalid_values(name: str, setting: str) -> list[Any]:
    """Values that the input of ``setting`` cannot take: off its steps and out of range for a
    slider, not an option for a menu or radio buttons, not a boolean for a checkbox."""
    bind = param(name, setting)["bind"]
    if bind["input"] == "checkbox":
        return ["no"]
    if bind["input"] == "range":
        return [bind["min"] + bind["step"] / 2, bind["max"] + bind["step"]]
    return ["not-an-option"]
