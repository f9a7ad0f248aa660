"""One function per figure of the course, grouped by chapter. Each returns an annotated chart.

Each figure function is marked ``@figure`` and so listed in :data:`FIGURES` under
``"<module>.<function>"``. :func:`all_figures` imports every figure module first, so that the
registry is complete; importing the package alone imports none of them, because the grader and
student notebooks import single modules (``figures.eu_nato``) and should not pay for the rest.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

from defence_course.figures._registry import FIGURES, figure, figure_key

__all__ = ["FIGURES", "all_figures", "figure", "figure_key"]


def all_figures() -> dict[str, Callable[..., Any]]:
    """Every registered figure, after importing every figure module."""
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    return dict(FIGURES)
