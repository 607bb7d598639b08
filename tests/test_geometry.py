"""Shapes: curves start and end where they should, arrowheads point the right way."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from geo.coords import distance_km, from_xy
from geo.geometry import LONG_FLOW_KM, arrowhead, flow_line, multipoint, point


def test_point_is_lon_lat():
    assert point(-12.05, -77.04).coords[0] == (-77.04, -12.05)


def test_short_flow_bends_and_keeps_its_ends():
    source, target = (-12.05, -77.04), (-33.45, -70.66)
    line = flow_line(source, target)
    assert from_xy(line.coords[0]) == source and from_xy(line.coords[-1]) == target
    middle = from_xy(line.interpolate(0.5, normalized=True).coords[0])
    straight_middle = ((source[0] + target[0]) / 2, (source[1] + target[1]) / 2)
    assert distance_km(middle, straight_middle) > 100  # a visible bend


def test_lanes_bend_further_apart():
    source, target = (-12.05, -77.04), (-33.45, -70.66)
    first, second = flow_line(source, target), flow_line(source, target, lane=1)
    assert first.hausdorff_distance(second) > 0.5


def test_opposite_directions_do_not_overlap():
    a, b = (-12.05, -77.04), (-33.45, -70.66)
    there, back = flow_line(a, b), flow_line(b, a)
    assert there.interpolate(0.5, normalized=True).distance(back.interpolate(0.5, normalized=True)) > 1.0


def test_long_flow_follows_the_great_circle():
    lima, madrid_like = (-12.05, -77.04), (48.85, 2.35)
    assert distance_km(lima, madrid_like) > LONG_FLOW_KM
    line = flow_line(lima, madrid_like)
    assert len(line.coords) > 40
    # The great circle from Lima to Paris passes well north of the straight lat/lon chord's middle.
    middle = from_xy(line.interpolate(0.5, normalized=True).coords[0])
    assert middle[0] > (lima[0] + madrid_like[0]) / 2


def test_antimeridian_crossing_stays_continuous():
    line = flow_line((-17.7, 178.0), (-13.8, -171.8))  # Fiji to Samoa
    xs = [x for x, _ in line.coords]
    assert max(abs(b - a) for a, b in zip(xs, xs[1:])) < 5


def test_arrowhead_tip_is_the_destination():
    source, target = (-12.05, -77.04), (-33.45, -70.66)
    line = flow_line(source, target)
    head = arrowhead(line)
    assert head.is_valid and not head.is_empty
    tip = Point(line.coords[-1])
    assert head.exterior.coords[0] == tip.coords[0]
    assert head.centroid.distance(tip) < head.centroid.distance(Point(line.coords[0]))


@pytest.mark.parametrize("size", [40.0, 250.0])
def test_arrowhead_size_in_km(size):
    line = flow_line((-12.05, -77.04), (-33.45, -70.66))
    head = arrowhead(line, size_km=size)
    (lon0, lat0), (lon1, lat1) = head.exterior.coords[0], head.exterior.coords[1]
    assert distance_km((lat0, lon0), (lat1, lon1)) == pytest.approx(size * 1.1, rel=0.1)


def test_multipoint_of_members():
    shape = multipoint([(-12.05, -77.04), (-33.45, -70.66)])
    assert len(shape.geoms) == 2 and shape.geoms[0].coords[0] == (-77.04, -12.05)
