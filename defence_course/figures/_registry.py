"""The registry of the course's figures: ``@figure`` puts a function in :data:`FIGURES`.

A figure is a public function of a ``defence_course.figures`` module that takes no required
argument and returns an annotated chart or a table. The tests draw every registered figure
and check its title, source line and description; a test fails when such a function is
left unregistered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

Figure = TypeVar("Figure", bound=Callable[..., Any])

# "<module>.<function>" (e.g. "threat.incident_timeline"): the figure function itself.
FIGURES: dict[str, Callable[..., Any]] = {}


def figure_key(function: Callable[..., Any]) -> str:
    """The registry key of ``function``: its module's last name and its own name."""
    return f"{function.__module__.rsplit('.', 1)[-1]}.{function.__name__}"


def figure(function: Figure) -> Figure:
    """Register ``function`` as a figure and return it unchanged (the same object)."""
    FIGURES[figure_key(function)] = function
    return function
