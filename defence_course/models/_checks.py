"""Input checks shared by the models: a wrong value raises a clear error, never a wrong number."""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np


def numbers_in_range(
    name: str,
    value: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    unit: str = "",
) -> np.ndarray:
    """``value`` (a number or an array of numbers) as a float array, checked against a range.

    Raises TypeError for anything that is not a real number (bools and strings included) and
    ValueError for NaN, infinity or a value outside [low, high] (or (low, high] if low_open).
    """
    if isinstance(value, bool | np.bool_ | str | bytes) or value is None:
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if isinstance(value, numbers.Real):
        array = np.asarray(float(value))
    else:
        try:
            array = np.asarray(value)
        except Exception as error:  # pragma: no cover - exotic containers
            raise TypeError(f"{name} must be a number or an array of numbers") from error
        if array.dtype.kind not in "iuf":
            raise TypeError(
                f"{name} must be a number or an array of numbers, "
                f"got {type(value).__name__} of {array.dtype}"
            )
        array = array.astype(float)
    if array.size == 0:
        raise ValueError(f"{name} is empty: give at least one number")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    unit = f" {unit}" if unit else ""
    if low is not None:
        bad = array <= low if low_open else array < low
        if np.any(bad):
            sign = ">" if low_open else "≥"
            raise ValueError(f"{name} must be {sign} {low:g}{unit}, got {_first(array, bad):g}")
    if high is not None and np.any(array > high):
        raise ValueError(f"{name} must be ≤ {high:g}{unit}, got {_first(array, array > high):g}")
    return array


def fraction(name: str, value: Any) -> np.ndarray:
    """A share between 0 and 1 (a percentage such as 87 is refused with a hint)."""
    array = numbers_in_range(name, value)
    if np.any((array < 0) | (array > 1)):
        bad = _first(array, (array < 0) | (array > 1))
        hint = " (a percentage? divide by 100)" if 1 < bad <= 100 else ""
        raise ValueError(f"{name} must be a fraction between 0 and 1, got {bad:g}{hint}")
    return array


def whole_number(name: str, value: Any, low: int = 0, high: int | None = None) -> int:
    """A single integer in [low, high]."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number, got {type(value).__name__} {value!r}")
    number = int(value)
    if number < low or (high is not None and number > high):
        limit = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValueError(f"{name} must be {limit}, got {value}")
    return number


def codes(
    name: str,
    value: Any,
    known: Iterable[str],
    *,
    what: str = "country code",
    allow_empty: bool = False,
) -> list[str]:
    """A list of unique codes, each one of ``known`` (a single string is one code)."""
    if isinstance(value, str):
        value = [value]
    if value is None or not isinstance(value, Iterable):
        raise TypeError(f"{name} must be a list of {what}s, got {type(value).__name__}")
    items = list(value)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"{name} must contain {what}s as strings, got {item!r}")
    known = list(known)
    unknown = [item for item in items if item not in known]
    if unknown:
        raise ValueError(
            f"{name}: unknown {what}(s) {', '.join(map(repr, unknown))}; "
            f"expected some of {', '.join(known)}"
        )
    if not items and not allow_empty:
        raise ValueError(f"{name} is empty: choose at least one {what}")
    duplicated = sorted({item for item in items if items.count(item) > 1})
    if duplicated:
        raise ValueError(f"{name} names {', '.join(duplicated)} more than once")
    return items


def scalar_or_array(array: np.ndarray) -> Any:
    """A Python float for a 0-d result, else the array."""
    return float(array) if np.ndim(array) == 0 else array


def _first(array: np.ndarray, mask: np.ndarray) -> float:
    return float(np.asarray(array)[np.asarray(mask)].flat[0]) if np.ndim(array) else float(array)
