"""Boundary files that once held a core for minutes or unpacked everything first are refused at once (issue 15)."""

from __future__ import annotations

import pytest
import shapely
from import_builders import (
    scribble_layer,
    township_layer,
    zip_of_many_entries,
    zip_shapefile,
    zip_with_long_name,
)
from shapely.geometry import Polygon, box

from data.importing.limits import UploadLimits
from geo.boundaries import (
    BoundaryError,
    _safe_extract,
    read_boundaries,
    read_boundary_file,
    read_boundary_upload,
    self_crossings,
)

# Refusals are decided before any repair: a child given 60 s that started make_valid on the
# scribble (> 900 s) would time out with another message and fail the test.
QUICK = UploadLimits(child_seconds=60)


def one_line(message: str) -> None:
    assert "\n" not in message and "/tmp" not in message and "Traceback" not in message


# Worked by hand: a square crosses itself nowhere; a bow-tie once (its two diagonals);
# a square whose hole pokes out through one side twice (the hole's two edges that cross it).
@pytest.mark.parametrize(
    ("polygon", "crossings"),
    [
        (box(0, 0, 1, 1), 0),
        (Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]), 1),
        (Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], holes=[[(1, 1), (5, 2), (1, 3)]]), 2),
    ],
)
def test_self_crossings_counted_by_hand(polygon, crossings):
    assert self_crossings(polygon, stop=100) == crossings


def test_counting_stops_soon_after_the_limit():
    scribble = scribble_layer().geometry.iloc[0]
    assert 200 < self_crossings(scribble, stop=200) < 200 + 64 * 2_000


def test_scribbled_polygon_in_a_geopackage_is_refused_before_repair(tmp_path):
    path = tmp_path / "乡镇.gpkg"
    scribble_layer(2_000).to_file(path)
    assert path.stat().st_size < 200_000
    with pytest.raises(BoundaryError) as info:
        read_boundary_file(path, layer="township", limits=QUICK)
    message = str(info.value)
    one_line(message)
    assert message.startswith("要素“城关镇”的边界自相交超过 200 处，无法自动修复：请在 GIS 软件中修复后再导入")


def test_a_bow_tie_is_still_repaired(tmp_path):
    path = tmp_path / "乡镇.gpkg"
    township_layer(with_bowtie=True).to_file(path)
    boundaries = read_boundary_file(path, layer="township", limits=QUICK)
    assert len(boundaries.features) == 4
    assert all(shapely.is_valid(g) for g in boundaries.features.geometry)
    assert any("repaired" in note for note in boundaries.notes)


def test_vertex_limits(tmp_path):
    path = tmp_path / "乡镇.gpkg"
    township_layer().to_file(path)
    # Each box has 5 coordinates (the ring is closed), 20 in all.
    with pytest.raises(BoundaryError, match="有 5 个顶点，超出上限（最多 4 个）"):
        read_boundaries(path, layer="township", limits=UploadLimits(max_vertices_per_polygon=4))
    with pytest.raises(BoundaryError, match="文件共有 20 个顶点，超出上限（最多 19 个）"):
        read_boundaries(path, layer="township", limits=UploadLimits(max_vertices_total=19))
    with pytest.raises(BoundaryError, match="文件有 4 个要素，超出上限（最多 3 个）"):
        read_boundaries(path, layer="township", limits=UploadLimits(max_features=3))


def test_zip_with_a_six_thousand_character_name(tmp_path):
    data = zip_with_long_name(tmp_path / "long.zip").read_bytes()
    with pytest.raises(BoundaryError) as info:
        read_boundary_upload(data, "边界.zip", layer="township", limits=QUICK)
    message = str(info.value)
    one_line(message)
    assert message.startswith("压缩包中有一个文件名长 6,000 个字符，超出上限（最多 255 个）")


def test_zip_of_two_hundred_thousand_entries_is_refused_before_extracting(tmp_path):
    archive = zip_of_many_entries(tmp_path / "many.zip")
    target = tmp_path / "out"
    target.mkdir()
    with pytest.raises(BoundaryError, match="压缩包有 200,000 个文件，超出上限（最多 1,000 个）"):
        _safe_extract(archive, target)
    assert list(target.iterdir()) == []  # nothing unpacked
    with pytest.raises(BoundaryError, match="200,000"):
        read_boundary_upload(archive.read_bytes(), "many.zip", layer="township", limits=QUICK)


def test_an_ordinary_zipped_shapefile_comes_back_from_the_child(tmp_path):
    shp = tmp_path / "乡镇.shp"
    township_layer().to_file(shp, encoding="GBK")
    data = zip_shapefile(shp, tmp_path / "乡镇.zip").read_bytes()
    boundaries = read_boundary_upload(data, "乡镇.zip", layer="township", limits=QUICK)
    assert sorted(boundaries.names) == sorted(["城关镇", "松山街道", "松港街道", "溪南乡"])
    assert boundaries.encoding == "GB18030" and boundaries.features.crs.to_epsg() == 4326
    assert all(g is not None for g in boundaries.features["display"])


def test_a_child_error_names_the_upload_not_a_server_path(tmp_path):
    with pytest.raises(BoundaryError) as info:
        read_boundary_upload(b'{"type": "FeatureCollection", "features": [', "县界.geojson", layer="township",
                             limits=QUICK)
    one_line(str(info.value))
