"""Kernel-free versions of the five explorers, for the website.

Each function returns an annotated Altair chart whose parameters are bound to inputs (sliders,
drop-downs, checkboxes) and whose results are computed in the browser by Vega, from Vega
expressions or small precomputed tables. :func:`show` picks the right version for where the
page runs: this chart while the website is built, the ipywidgets explorer in a live kernel
(JupyterLab, Binder, Thebe).

Settings are named after the chart's parameters, as in the website's URL (``?council.p=0.7``):
``show("council", preset="eastern flank", p=0.7)`` starts either version there.
"""

from __future__ import annotations

import importlib
from typing import Any

from defence_course.charts import USERMETA_KEY, on_website
from defence_course.explorers._common import check_settings

# name: (module, website function, notebook class in defence_course.widgets)
EXPLORERS = {
    "attrition": ("attrition", "attrition_explorer", "AttritionExplorer"),
    "opinion": ("opinion", "opinion_explorer", "OpinionExplorer"),
    "fleet": ("fleet", "fleet_explorer", "FleetExplorer"),
    "obligations": ("obligations", "obligations_explorer", "ObligationsExplorer"),
    "council": ("council", "council_explorer", "CouncilExplorer"),
}


def website_version(name: str, **settings: Any) -> Any:
    """The kernel-free chart of explorer ``name``, its inputs starting at ``settings``."""
    module, function, _ = _entry(name)
    chart = getattr(importlib.import_module(f"defence_course.explorers.{module}"), function)()
    settings = check_settings(name, chart, settings)
    for param in chart.params:
        if param.name in settings:
            param.value = settings[param.name]
    # The page's script writes the settings into the URL under this name.
    chart.usermeta[USERMETA_KEY]["explorer"] = name
    return chart


def notebook_version(name: str, **settings: Any) -> Any:
    """The ipywidgets explorer ``name``, its controls set to ``settings`` (see :func:`show`).

    It needs a running kernel to respond.
    """
    module, _, cls = _entry(name)
    explorer = getattr(importlib.import_module(f"defence_course.widgets.{module}"), cls)()
    settings = check_settings(name, explorer.chart, settings)
    if settings:
        explorer.apply(settings)
    return explorer


def show(name: str, **settings: Any) -> Any:
    """The explorer for this context: the chart on the website, the widgets in a kernel.

    ``settings`` (e.g. ``p=0.7``) are the website's inputs by their parameter names; a name
    the explorer lacks or a value its input cannot take is a ValueError.
    """
    return website_version(name, **settings) if on_website() else notebook_version(name, **settings)


def _entry(name: str) -> tuple[str, str, str]:
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, one of {', '.join(EXPLORERS)}")
    if name not in EXPLORERS:
        raise ValueError(
            f"name: unknown explorer {name!r}; expected one of " + ", ".join(EXPLORERS)
        )
    return EXPLORERS[name]


def __getattr__(attribute: str) -> Any:
    for module, function, _ in EXPLORERS.values():
        if attribute == function:
            return getattr(importlib.import_module(f"defence_course.explorers.{module}"), function)
    raise AttributeError(f"module 'defence_course.explorers' has no attribute {attribute!r}")
