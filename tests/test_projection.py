"""The map of Europe is projected at build time as d3 (Vega) would project it in the browser."""

from __future__ import annotations

import numpy as np
import pytest

from defence_course import data
from defence_course.projection import GRID, conic_conformal, decode_arcs, projected_topology

# d3-geo's geoConicConformal().rotate([-10, 0, 0]).parallels([40, 65]).scale(1).translate([0, 0])
# on these points, read from the site's Vega runtime (geoBounds of a point feature); d3's y grows
# southwards, so its y is minus the plane's.
D3_POINTS = {
    (10, 40): (0.0, -0.8053079198568427),
    (20, 40): (0.13326607023491407, -0.8146257728465246),
    (10, 65): (0.0, -1.234637414916276),
    (-24, 35): (-0.4779868799913303, -0.8327875977499101),
    (44, 71): (0.1928247673890481, -1.387723645649326),
    (0, 50): (-0.10930590521165619, -0.9851300227856172),
    (30, 60): (0.16944477585908543, -1.1719757851076338),
}


def test_conic_conformal_matches_d3():
    lon, lat = np.array(list(D3_POINTS)).T
    x, y = conic_conformal(lon, lat)
    expected = np.array(list(D3_POINTS.values()))
    np.testing.assert_allclose(x, expected[:, 0], atol=1e-12)
    np.testing.assert_allclose(-y, expected[:, 1], atol=1e-12)


@pytest.mark.parametrize("parallels", [(40, 40), (30, -30), (0, 0), (90, 60)])
def test_unusable_standard_parallels_are_refused(parallels):
    with pytest.raises(ValueError, match="standard parallels"):
        conic_conformal(np.array([10.0]), np.array([50.0]), parallels=parallels)


def test_the_map_keeps_its_states_and_every_point_lands_within_the_grid():
    topology = data.load_europe_map()
    projected = projected_topology(topology)
    assert projected["objects"] == topology["objects"]
    assert len(projected["arcs"]) == len(topology["arcs"])
    for original, plane in zip(decode_arcs(topology), decode_arcs(projected), strict=True):
        x, y = conic_conformal(original[:, 0], original[:, 1])
        exact = np.column_stack([x, y])
        # Quantising moves a point by at most half a grid step each way; repeated points go.
        nearest = np.abs(exact[:, None, :] - plane[None, :, :]).max(axis=2).min(axis=1)
        assert nearest.max() <= GRID / 2 + 1e-12
        assert np.allclose(plane[[0, -1]], exact[[0, -1]], atol=GRID / 2 + 1e-12)


def test_an_empty_arc_is_named():
    topology = data.load_europe_map()
    broken = {**topology, "arcs": [*topology["arcs"][:3], [], *topology["arcs"][4:]]}
    with pytest.raises(ValueError, match="arc 3"):
        projected_topology(broken)
