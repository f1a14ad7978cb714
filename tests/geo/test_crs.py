import pyproj
import pytest

from geo.crs import (
    CRSProblem,
    check_in_china,
    gk_3deg_epsg,
    gk_6deg_epsg,
    guess_from_coordinates,
    metric_crs_for,
)


@pytest.mark.parametrize(
    ("zone", "with_zone", "code", "meridian"),
    [(25, True, 4513, 75), (40, True, 4528, 120), (45, True, 4533, 135), (25, False, 4534, 75),
     (40, False, 4549, 120), (45, False, 4554, 135)],
)
def test_3_degree_codes(zone, with_zone, code, meridian):
    assert gk_3deg_epsg(zone, with_zone) == code
    crs = pyproj.CRS.from_epsg(code)
    params = {p.name: p.value for p in crs.coordinate_operation.params}
    assert params["Longitude of natural origin"] == meridian
    assert params["False easting"] == (zone * 1_000_000 + 500_000 if with_zone else 500_000)


@pytest.mark.parametrize(("zone", "with_zone", "code", "meridian"),
                         [(13, True, 4491, 75), (23, True, 4501, 135), (13, False, 4502, 75), (23, False, 4512, 135)])
def test_6_degree_codes(zone, with_zone, code, meridian):
    assert gk_6deg_epsg(zone, with_zone) == code
    params = {p.name: p.value for p in pyproj.CRS.from_epsg(code).coordinate_operation.params}
    assert params["Longitude of natural origin"] == meridian


def test_out_of_range_zones():
    assert gk_3deg_epsg(24) is None and gk_6deg_epsg(24) is None


def test_china_box():
    check_in_china((119.5, 26.5, 119.7, 26.7))
    with pytest.raises(CRSProblem, match="nowhere near China"):
        check_in_china((2.0, 48.0, 2.5, 49.0))


def test_hints():
    assert "EPSG:4490" in guess_from_coordinates((119.5, 26.5, 119.7, 26.7))
    assert "EPSG:4528" in guess_from_coordinates((40_450_000, 2_930_000, 40_470_000, 2_950_000))
    assert "EPSG:4509" not in guess_from_coordinates((20_450_000, 2_930_000, 20_470_000, 2_950_000))
    assert "EPSG:4497" in guess_from_coordinates((19_450_000, 2_930_000, 19_470_000, 2_950_000))
    assert "without a zone number" in guess_from_coordinates((450_000, 2_930_000, 470_000, 2_950_000))


def test_metric_crs_is_the_local_3_degree_zone():
    assert metric_crs_for(119.6, 26.6).to_epsg() == 4549
