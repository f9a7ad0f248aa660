"""Kernel-free versions of the five explorers, for the website.

Each function returns an annotated Altair chart whose parameters are bound to inputs (sliders,
drop-downs, checkboxes) and whose results are computed in the browser by Vega, from Vega
expressions or small precomputed tables. :func:`show` picks the right version for where the
page runs: this chart while the website is built, the ipywidgets explorer in a live kernel
(JupyterLab, Binder, Thebe).
"""

from __future__ import annotations

import importlib
from typing import Any

from defence_course.charts import on_website

# name: (module, website function, notebook class in defence_course.widgets)
EXPLORERS = {
    "attrition": ("attrition", "attrition_explorer", "AttritionExplorer"),
    "opinion": ("opinion", "opinion_explorer", "OpinionExplorer"),
    "fleet": ("fleet", "fleet_explorer", "FleetExplorer"),
    "obligations": ("obligations", "obligations_explorer", "ObligationsExplorer"),
    "council": ("council", "council_explorer", "CouncilExplorer"),
}


def website_version(name: str) -> Any:
    """The kernel-free chart of explorer ``name``."""
    module, function, _ = _entry(name)
    return getattr(importlib.import_module(f"defence_course.explorers.{module}"), function)()


def notebook_version(name: str) -> Any:
    """The ipywidgets explorer ``name`` (needs a running kernel to respond)."""
    module, _, cls = _entry(name)
    return getattr(importlib.import_module(f"defence_course.widgets.{module}"), cls)()


def show(name: str) -> Any:
    """The explorer for this context: the chart on the website, the widgets in a kernel."""
    return website_version(name) if on_website() else notebook_version(name)


def _entry(name: str) -> tuple[str, str, str]:
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, one of {', '.join(EXPLORERS)}")
    if name not in EXPLORERS:
        raise ValueError(f"name: unknown explorer {name!r}; expected one of "
                         + ", ".join(EXPLORERS))
    return EXPLORERS[name]


def __getattr__(attribute: str) -> Any:
    for module, function, _ in EXPLORERS.values():
        if attribute == function:
            return getattr(importlib.import_module(f"defence_course.explorers.{module}"),
                           function)
    raise AttributeError(f"module 'defence_course.explorers' has no attribute {attribute!r}")
