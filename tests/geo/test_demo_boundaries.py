"""The demo county's generated boundaries: a clean tessellation, parks inside towns, deterministic."""

import json

import pytest
import shapely
from shapely.geometry import shape

from geo.demo_boundaries import (
    COUNTY_CODE,
    N_TOWNSHIPS,
    PARK_NAMES,
    build_demo_geography,
    display_geometry,
    geojson_text,
    label_point,
)

SEEDS = (1, 2, 7)


@pytest.fixture(scope="module", params=SEEDS)
def geography(request):
    return build_demo_geography(request.param)


def test_fifteen_valid_single_polygons_with_unique_names_and_codes(geography):
    townships = geography.townships
    assert len(townships) == N_TOWNSHIPS == 15
    assert all(t.geometry.geom_type == "Polygon" and t.geometry.is_valid for t in townships)
    assert len({t.name for t in townships}) == 15
    assert len({t.code for t in townships}) == 15
    assert all(t.code.startswith(COUNTY_CODE) and len(t.code) == 9 for t in townships)
    kinds = [t.kind for t in townships]
    assert (kinds.count("subdistrict"), kinds.count("town"), kinds.count("township")) == (3, 8, 4)
    # The name says the kind: 街道, 镇, 乡.
    suffix = {"subdistrict": "街道", "town": "镇", "township": "乡"}
    assert all(t.name.endswith(suffix[t.kind]) for t in townships)


def test_townships_tessellate_the_outline(geography):
    areas = [t.geometry.area for t in geography.townships]
    union = shapely.union_all([t.geometry for t in geography.townships])
    outline_area = geography.outline.area
    # No gaps: the union covers the outline (to 1e-4 of its area; the only
    # difference is snapping to the 1e-6 degree grid).
    assert union.symmetric_difference(geography.outline).area < 1e-4 * outline_area
    # No overlaps: areas add up to the union's.
    assert sum(areas) == pytest.approx(union.area, rel=1e-6)
    # Pairwise overlaps are at most slivers from grid snapping.
    geoms = [t.geometry for t in geography.townships]
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            assert geoms[i].intersection(geoms[j]).area < 1e-9 * outline_area
    # A plausible county: 1,200-2,500 km² (1 degree² here is about 11,000 km²).
    assert 1_200 < outline_area * 110.95 * 99.3 < 2_500


def test_parks_lie_inside_towns(geography):
    assert [p.name for p in geography.parks] == list(PARK_NAMES)
    for park in geography.parks:
        host = geography.townships[park.township_index]
        assert host.kind == "town"
        assert park.geometry.is_valid and park.geometry.area > 0
        assert park.geometry.within(host.geometry)
        assert park.geometry.area < 0.2 * host.geometry.area
    assert len({p.township_index for p in geography.parks}) == 3


def test_populations_vary_by_kind(geography):
    by_kind = {}
    for t in geography.townships:
        by_kind.setdefault(t.kind, []).append(t.population)
    assert min(by_kind["subdistrict"]) > max(by_kind["township"])
    assert len(set(t.population for t in geography.townships)) > 10


def test_same_seed_same_county_other_seed_other_county():
    first, again, other = build_demo_geography(5), build_demo_geography(5), build_demo_geography(6)
    texts = [geojson_text(t.geometry) for t in first.townships]
    assert texts == [geojson_text(t.geometry) for t in again.townships]
    assert texts != [geojson_text(t.geometry) for t in other.townships]


def test_geojson_round_trips_in_wgs84_and_display_copy_is_smaller(geography):
    township = geography.townships[0]
    text = geojson_text(township.geometry)
    data = json.loads(text)
    assert data["type"] == "Polygon"
    lon, lat = data["coordinates"][0][0]
    assert 119 < lon < 121 and 26 < lat < 28
    assert shape(data).equals(township.geometry)
    display = display_geometry(township.geometry)
    assert len(geojson_text(display)) < len(text)
    assert display.symmetric_difference(township.geometry).area < 0.01 * township.geometry.area


def test_label_point_is_inside(geography):
    for t in geography.townships:
        assert t.geometry.contains(label_point(t.geometry))
