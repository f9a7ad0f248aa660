"""Derive the course's map of Europe from Natural Earth (via the npm package world-atlas).

Input:  data/raw/world-atlas-2.0.2/countries-50m.json (TopoJSON, Natural Earth 1:50m, public
        domain; packaged by Mike Bostock's world-atlas 2.0.2, ISC licence), fetched with
        `npm pack world-atlas@2.0.2`.
Output: data/europe.topo.json — only the European states the course discusses and their
        neighbours, only their polygons inside a Europe bounding box (so French Guiana and the
        Canaries-to-Urals extremes do not stretch the map), each tagged with its ISO alpha-2 code.
        Each arc is simplified (Douglas-Peucker, TOLERANCE) and the points put on a GRID, both
        under a pixel of the chapter's map, so the page carries a quarter of the bytes. Shared
        borders stay shared: each is one arc, whose ends are kept.

Run: .venv/bin/python scripts/make_europe_map.py  (a test checks the committed file matches)
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np

from defence_course.projection import decode_arcs as topojson_arcs
from defence_course.projection import encode_arcs

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "raw" / "world-atlas-2.0.2" / "countries-50m.json"
TARGET = ROOT / "data" / "europe.topo.json"

# ISO 3166-1 numeric code -> alpha-2 for the states drawn (EU, European NATO allies and their
# European neighbours). Kosovo has no ISO numeric code; Natural Earth leaves its id empty.
ISO_NUMERIC_TO_ALPHA2 = {
    "008": "AL",
    "040": "AT",
    "056": "BE",
    "070": "BA",
    "100": "BG",
    "112": "BY",
    "191": "HR",
    "196": "CY",
    "203": "CZ",
    "208": "DK",
    "233": "EE",
    "246": "FI",
    "250": "FR",
    "276": "DE",
    "300": "GR",
    "348": "HU",
    "352": "IS",
    "372": "IE",
    "380": "IT",
    "428": "LV",
    "440": "LT",
    "442": "LU",
    "470": "MT",
    "498": "MD",
    "499": "ME",
    "528": "NL",
    "578": "NO",
    "616": "PL",
    "620": "PT",
    "642": "RO",
    "643": "RU",
    "688": "RS",
    "703": "SK",
    "705": "SI",
    "724": "ES",
    "752": "SE",
    "756": "CH",
    "792": "TR",
    "804": "UA",
    "807": "MK",
    "826": "GB",
}
# Longitude and latitude limits of the map (degrees).
WEST, EAST, SOUTH, NORTH = -25.0, 45.0, 34.0, 72.0
# The chapter draws the map about 650 px wide for 70 degrees of longitude: about 0.1 degree a pixel.
TOLERANCE = 0.05  # degrees a simplified arc may stray from the original
GRID = 0.02  # degrees between quantised points


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute longitude/latitude points of every arc, as tuples (for the simplification)."""
    return [[(x, y) for x, y in arc.tolist()] for arc in topojson_arcs(topology)]


def ring_centre(ring: list[int], arcs: list[list[tuple[float, float]]]) -> tuple[float, float]:
    points = [p for index in ring for p in arcs[index if index >= 0 else ~index]]
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def inside_map(polygon: list[list[int]], arcs) -> bool:
    lon, lat = ring_centre(polygon[0], arcs)
    return WEST <= lon <= EAST and SOUTH <= lat <= NORTH


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker: the points to keep so that no dropped one is farther than
    ``tolerance`` from the line kept. The ends stay; a closed arc keeps its farthest point too."""
    if len(points) < 3:
        return points
    if points[0] == points[-1]:  # a ring: split it at the point farthest from its start
        x0, y0 = points[0]
        far = max(
            range(len(points)), key=lambda i: (points[i][0] - x0) ** 2 + (points[i][1] - y0) ** 2
        )
        if far in (0, len(points) - 1):
            return points
        first = simplify(points[: far + 1], tolerance)
        return first[:-1] + simplify(points[far:], tolerance)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        (x1, y1), (x2, y2) = points[start], points[end]
        length = math.hypot(x2 - x1, y2 - y1)
        worst, index = 0.0, -1
        for i in range(start + 1, end):
            x, y = points[i]
            if length == 0:
                distance = math.hypot(x - x1, y - y1)
            else:
                distance = abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length
            if distance > worst:
                worst, index = distance, i
        if worst > tolerance:
            keep[index] = True
            stack += [(start, index), (index, end)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def europe_topology(topology: dict) -> dict:
    """The trimmed topology: chosen states, polygons inside the map, used arcs re-indexed."""
    arcs = decode_arcs(topology)
    geometries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = ISO_NUMERIC_TO_ALPHA2.get(geometry.get("id", ""))
        if code is None:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        kept = [p for p in polygons if inside_map(p, arcs)]
        if not kept:
            continue
        geometries.append(
            {
                "type": "MultiPolygon",
                "arcs": kept,
                "id": code,
                "properties": {"name": geometry["properties"]["name"]},
            }
        )
    used = sorted(
        {i if i >= 0 else ~i for g in geometries for p in g["arcs"] for r in p for i in r}
    )
    new_index = {old: new for new, old in enumerate(used)}

    def remap(i: int) -> int:
        return new_index[i] if i >= 0 else ~new_index[~i]

    for geometry in geometries:
        geometry["arcs"] = [
            [[remap(i) for i in ring] for ring in polygon] for polygon in geometry["arcs"]
        ]
    geometries.sort(key=lambda g: g["id"])
    kept_arcs = [simplify(arcs[i], TOLERANCE) for i in used]
    origin = (
        math.floor(min(x for arc in kept_arcs for x, _ in arc)),
        math.floor(min(y for arc in kept_arcs for _, y in arc)),
    )
    return {
        "type": "Topology",
        "transform": {"scale": [GRID, GRID], "translate": list(origin)},
        "objects": {"countries": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": encode_arcs([np.array(arc) for arc in kept_arcs], origin, GRID),
    }


def render() -> str:
    topology = json.loads(SOURCE.read_text(encoding="utf-8"))
    return json.dumps(europe_topology(topology), separators=(",", ":"), sort_keys=True) + "\n"


def main() -> int:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
