"""The map of Europe projected when the book is built, so that the page draws it without projecting.

Vega projects every border point of the chapter 4 map in the reader's browser (d3's conic
conformal projection, with adaptive resampling), about 100 ms of a first visit. The same
projection done here gives plane coordinates that Vega draws with its ``identity`` projection.
TopoJSON's arc coding (``decode_arcs``, ``encode_arcs``) is here too, shared with
``scripts/make_europe_map.py``, which derives the map.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# Chapter 4's map: a Lambert conformal conic with standard parallels 40° N and 65° N, centred on
# 10° E (d3's rotate [-10, 0, 0]).
PARALLELS = (40.0, 65.0)
CENTRAL_MERIDIAN = 10.0
# Plane units between quantised points: about a quarter of a pixel on the chapter's map, which
# spans about 0.9 plane units in 650 px.
GRID = 0.0004


def conic_conformal(
    lon: np.ndarray,
    lat: np.ndarray,
    parallels: tuple[float, float] = PARALLELS,
    central_meridian: float = CENTRAL_MERIDIAN,
) -> tuple[np.ndarray, np.ndarray]:
    """Plane x, y (north up, unit sphere) of points in degrees: d3's geoConicConformal before
    its scale and translation."""
    south, north = np.radians(parallels)
    if south == north or south == -north or not (0 < abs(south) < np.pi / 2):
        raise ValueError(f"standard parallels {parallels}: need two distinct latitudes, not ±0/90")

    def tan_half(phi: Any) -> Any:
        return np.tan((np.pi / 2 + phi) / 2)

    cone = np.log(np.cos(south) / np.cos(north)) / np.log(tan_half(north) / tan_half(south))
    f = np.cos(south) * tan_half(south) ** cone / cone
    lam = np.radians((np.asarray(lon, dtype=float) - central_meridian + 180) % 360 - 180)
    radius = f / tan_half(np.radians(np.asarray(lat, dtype=float))) ** cone
    return radius * np.sin(cone * lam), f - radius * np.cos(cone * lam)


def decode_arcs(topology: dict[str, Any]) -> list[np.ndarray]:
    """Each arc's absolute points, an (n, 2) array (TopoJSON arcs are quantised and
    delta-encoded)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for index, arc in enumerate(topology["arcs"]):
        deltas = np.asarray(arc, dtype=float).reshape(-1, 2)
        if len(deltas) == 0:
            raise ValueError(f"arc {index} of the map has no points")
        decoded.append(np.cumsum(deltas, axis=0) * [sx, sy] + [tx, ty])
    return decoded


def encode_arcs(
    arcs: list[np.ndarray], origin: tuple[float, float], grid: float
) -> list[list[list[int]]]:
    """Arcs quantised on ``grid`` from ``origin`` and delta-encoded; repeated points are dropped,
    and an arc shorter than the grid still joins its two ends."""
    encoded = []
    for points in arcs:
        cells = np.rint((np.asarray(points, dtype=float) - origin) / grid).astype(int)
        moved = np.concatenate([[True], np.any(np.diff(cells, axis=0) != 0, axis=1)])
        kept = cells[moved] if moved.sum() > 1 else cells[[0, 0]]
        encoded.append(np.diff(kept, axis=0, prepend=[[0, 0]]).tolist())
    return encoded


def projected_topology(topology: dict[str, Any]) -> dict[str, Any]:
    """The TopoJSON ``topology`` with its arcs in conic conformal plane coordinates, quantised
    on GRID and delta-encoded; the objects are unchanged (the same arcs, in the same order)."""
    plane = [np.column_stack(conic_conformal(a[:, 0], a[:, 1])) for a in decode_arcs(topology)]
    origin = (
        float(np.floor(min(a[:, 0].min() for a in plane) / GRID) * GRID),
        float(np.floor(min(a[:, 1].min() for a in plane) / GRID) * GRID),
    )
    return {
        **topology,
        "transform": {"scale": [GRID, GRID], "translate": list(origin)},
        "arcs": encode_arcs(plane, origin, GRID),
    }
