"""Boundary files the tests build: GBK shapefiles in CGCS2000 Gauss-Krüger zones, GeoJSON, GeoPackage."""

from __future__ import annotations

import json
from datetime import date

import pyproj
import pytest
import shapely
from import_builders import add_places, park_layer, township_layer, zip_shapefile
from sqlalchemy import insert, select

from data.models import Case, ImportBatch, Park, Township
from geo.boundaries import (
    BoundaryError,
    outline_figure,
    read_boundaries,
    read_boundary_upload,
    townships_without_boundary,
)
from geo.crs import CRSProblem
from services.imports import import_boundaries

# The grid's centroids in WGS84 (CGCS2000 and WGS84 agree to centimetres).
CENTRES = {"城关镇": (119.55, 26.55), "松山街道": (119.65, 26.55), "松港街道": (119.55, 26.65), "溪南乡": (119.65, 26.65)}


def shapefile(tmp_path, epsg, encoding="GBK", cpg=True, prj_epsg=None, gdf=None):
    gdf = township_layer() if gdf is None else gdf
    path = tmp_path / "乡镇.shp"
    gdf.to_crs(epsg).to_file(path, encoding=encoding)
    cpg_path = path.with_suffix(".cpg")
    if not cpg and cpg_path.exists():
        cpg_path.unlink()
    if prj_epsg is not None:
        path.with_suffix(".prj").write_text(pyproj.CRS.from_epsg(prj_epsg).to_wkt("WKT1_ESRI"))
    return path


def assert_grid(boundaries):
    assert sorted(boundaries.names) == sorted(CENTRES)
    for row in boundaries.features.itertuples():
        lon, lat = CENTRES[row.name]
        assert row.centroid_lon == pytest.approx(lon, abs=1e-4)
        assert row.centroid_lat == pytest.approx(lat, abs=1e-4)


# 119.5–119.7°E lies in 3° zone 40 (central meridian 120°E) and 6° zone 20 (117°E).
@pytest.mark.parametrize(
    ("epsg", "label"),
    [(4528, "3° zone 40, zone number in the easting"), (4549, "3° CM 120E, no zone number"),
     (4500 - 2, "6° zone 20, with zone"), (4509, "6° CM 117E, no zone number"), (4490, "CGCS2000 lon/lat")],
)
@pytest.mark.parametrize("cpg", [True, False])
def test_gbk_shapefile_in_cgcs2000(tmp_path, epsg, label, cpg):
    boundaries = read_boundaries(shapefile(tmp_path, epsg, cpg=cpg))
    assert_grid(boundaries)
    assert boundaries.code_field == "XZQDM" and boundaries.name_field == "XZQMC"
    assert boundaries.features.set_index("name").loc["城关镇", "code"] == "350981100"
    assert boundaries.encoding.upper() in {"GBK", "GB18030"}


def test_utf8_shapefile_without_cpg(tmp_path):
    assert_grid(read_boundaries(shapefile(tmp_path, 4528, encoding="UTF-8", cpg=False)))


def test_encoding_override_wins(tmp_path):
    path = shapefile(tmp_path, 4528, cpg=False)
    boundaries = read_boundaries(path, encoding="latin1")
    assert "城关镇" not in boundaries.names  # mojibake: the clerk's override is obeyed


def test_prj_without_zone_but_eastings_with_zone(tmp_path):
    boundaries = read_boundaries(shapefile(tmp_path, 4528, prj_epsg=4549))
    assert_grid(boundaries)
    assert "zone number 40" in boundaries.notes[0]
    assert boundaries.source_crs == "CGCS2000 / 3-degree Gauss-Kruger zone 40"


def test_prj_with_zone_but_eastings_without(tmp_path):
    boundaries = read_boundaries(shapefile(tmp_path, 4549, prj_epsg=4528))
    assert_grid(boundaries)
    assert boundaries.source_crs == "CGCS2000 / 3-degree Gauss-Kruger CM 120E"


def test_zone_contradicting_the_central_meridian(tmp_path):
    with pytest.raises(CRSProblem, match="zone number 40 but the .prj says central meridian 117"):
        read_boundaries(shapefile(tmp_path, 4528, prj_epsg=4548))


def test_zipped_shapefile_in_a_folder(tmp_path):
    shp = shapefile(tmp_path, 4528, cpg=False)
    archive = zip_shapefile(shp, tmp_path / "boundaries.zip", folder="乡镇界线/")
    assert_grid(read_boundaries(archive))
    assert_grid(read_boundary_upload(archive.read_bytes(), "x.zip"))


def test_no_crs_is_refused_with_a_hint(tmp_path):
    path = shapefile(tmp_path, 4528)
    path.with_suffix(".prj").unlink()
    with pytest.raises(CRSProblem, match=r"no CRS.*zone number 40: CGCS2000 3° zone 40 is EPSG:4528"):
        read_boundaries(path)
    assert_grid(read_boundaries(path, crs="EPSG:4528"))


def test_far_from_china_is_refused(tmp_path):
    path = tmp_path / "x.geojson"
    township_layer().set_crs(3857, allow_override=True).to_file(path)  # degrees read as metres
    with pytest.raises(CRSProblem, match="nowhere near China"):
        read_boundaries(path)
    europe = township_layer()
    europe.geometry = europe.geometry.translate(xoff=-110)
    europe.to_file(tmp_path / "eu.geojson")
    with pytest.raises(CRSProblem, match=r"nowhere near China \(lon 9\.50"):
        read_boundaries(tmp_path / "eu.geojson")


def test_geojson_wgs84_and_geopackage(tmp_path):
    layer = township_layer().to_crs(4326)
    layer.to_file(tmp_path / "t.geojson")
    assert_grid(read_boundaries(tmp_path / "t.geojson"))
    layer.to_crs(4527 + 1).to_file(tmp_path / "t.gpkg", layer="乡镇")
    assert_grid(read_boundaries(tmp_path / "t.gpkg"))


def test_gbk_geojson(tmp_path):
    layer = township_layer().to_crs(4326)
    text = layer.to_json(ensure_ascii=False)
    (tmp_path / "gbk.geojson").write_bytes(text.encode("gbk"))
    assert_grid(read_boundaries(tmp_path / "gbk.geojson"))


def test_field_names_recognised_or_given(tmp_path):
    layer = township_layer().rename(columns={"XZQMC": "乡镇名称", "XZQDM": "编码"})
    layer.to_file(tmp_path / "a.geojson")
    assert read_boundaries(tmp_path / "a.geojson").code_field == "编码"
    layer = township_layer().rename(columns={"XZQMC": "JDMC"})
    layer.to_file(tmp_path / "b.geojson")
    with pytest.raises(BoundaryError, match=r"no name field recognised \(fields: XZQDM, JDMC\)"):
        read_boundaries(tmp_path / "b.geojson")
    assert_grid(read_boundaries(tmp_path / "b.geojson", name_field="jdmc"))


def test_self_intersecting_ring_repaired_and_multipolygon_kept(tmp_path):
    layer = township_layer(with_bowtie=True)
    layer.to_file(tmp_path / "t.geojson")
    boundaries = read_boundaries(tmp_path / "t.geojson")
    assert "1 invalid or self-intersecting geometries repaired" in boundaries.notes
    geom = boundaries.features.set_index("name").loc["溪南乡", "geometry"]
    assert geom.is_valid and geom.geom_type == "MultiPolygon"
    assert geom.area == pytest.approx(0.005, rel=1e-6)  # two triangles of a 0.1° square: half of it


def test_display_copy_is_simplified_original_kept(tmp_path):
    # A ring with a point every ~1 m along one edge: the display copy drops them.
    import geopandas as gpd
    from shapely.geometry import Polygon

    edge = [(119.5 + i * 1e-5, 26.5) for i in range(10001)]
    dense = Polygon(edge + [(119.6, 26.6), (119.5, 26.6)])
    gpd.GeoDataFrame({"XZQMC": ["城关镇"]}, geometry=[dense], crs=4490).to_file(tmp_path / "d.geojson")
    row = read_boundaries(tmp_path / "d.geojson").features.iloc[0]
    assert shapely.get_num_coordinates(row.geometry) == 10004
    assert shapely.get_num_coordinates(row.display) < 10
    assert row.display.area == pytest.approx(row.geometry.area, rel=1e-3)


def test_unreadable_files(tmp_path):
    (tmp_path / "x.geojson").write_text("{not json")
    with pytest.raises(BoundaryError, match="cannot be read"):
        read_boundaries(tmp_path / "x.geojson")
    with pytest.raises(BoundaryError, match="not a GeoJSON"):
        read_boundary_upload(b"hello", "x.txt")
    shp = shapefile(tmp_path, 4528)
    shp.with_suffix(".dbf").unlink()
    with pytest.raises(BoundaryError, match="lacks its .dbf"):
        read_boundaries(shp)


def test_import_updates_in_place_and_keeps_cases(engine, tmp_path):
    ids = add_places(engine, townships=("城关镇",), parks=())
    with engine.begin() as conn:
        conn.execute(insert(Case).values(case_number="K1", received_on=date(2024, 3, 1), channel="letter",
                                         township_id=ids["城关镇"]))
    boundaries = read_boundaries(shapefile(tmp_path, 4528))
    result = import_boundaries(engine, boundaries, filename="乡镇.shp")
    assert (sorted(result.created), result.updated, result.unchanged) == (
        sorted(["松山街道", "松港街道", "溪南乡"]), ["城关镇"], [])
    with engine.connect() as conn:
        rows = {r.name: r for r in conn.execute(select(Township))}
        case_township = conn.execute(select(Case.township_id)).scalar_one()
    assert rows["城关镇"].id == ids["城关镇"] == case_township
    assert rows["城关镇"].code == "350981100"
    assert rows["溪南乡"].kind == "township" and rows["松山街道"].kind == "subdistrict"
    assert json.loads(rows["城关镇"].boundary)["type"] == "Polygon"
    assert rows["城关镇"].centroid_lon == pytest.approx(119.55, abs=1e-4)
    again = import_boundaries(engine, boundaries, filename="乡镇.shp")
    assert (again.created, again.updated, len(again.unchanged)) == ([], [], 4)
    # Renamed in a later survey: matched by code, updated in place.
    renamed = township_layer()
    renamed.loc[0, "XZQMC"] = "城关街道"
    renamed.to_file(tmp_path / "r.geojson")
    third = import_boundaries(engine, read_boundaries(tmp_path / "r.geojson"), filename="r.geojson")
    assert "城关街道" in third.updated and third.created == []
    with engine.connect() as conn:
        assert conn.execute(select(Township.name).where(Township.id == ids["城关镇"])).scalar_one() == "城关街道"
        assert conn.execute(select(ImportBatch.kind)).scalars().all() == ["township"] * 3


def test_park_records_the_township_it_overlaps_most(engine, tmp_path):
    import_boundaries(engine, read_boundaries(shapefile(tmp_path, 4528)), filename="t.shp")
    park_layer().to_file(tmp_path / "p.geojson")
    parks = read_boundaries(tmp_path / "p.geojson", layer="park")
    assert parks.names == ["松城工业园区"]
    import_boundaries(engine, parks, filename="p.geojson")
    with engine.connect() as conn:
        township = conn.execute(
            select(Township.name).join(Park, Park.township_id == Township.id)).scalar_one()
    assert township == "城关镇"


def test_townships_without_boundary(engine, tmp_path):
    from import_builders import case, grid, write_xlsx

    from services.imports import import_cases

    ids = add_places(engine, townships=("城关镇", "旧县镇"), parks=())
    with engine.begin() as conn:
        conn.execute(insert(Case).values(case_number="K1", received_on=date(2024, 3, 1), channel="letter",
                                         township_id=ids["旧县镇"]))
    import_cases(engine, write_xlsx(tmp_path / "c.xlsx", grid([case("X", 问题属地="新区镇")])))
    import_boundaries(engine, read_boundaries(shapefile(tmp_path, 4528)), filename="t.shp")
    assert townships_without_boundary(engine) == sorted(["旧县镇", "新区镇"])


def test_outline_figure_is_offline(tmp_path):
    township_layer().to_file(tmp_path / "t.geojson")
    fig = outline_figure(read_boundaries(tmp_path / "t.geojson"))
    assert [t.type for t in fig.data] == ["scatter", "scatter"]
    assert sorted(fig.data[1].text) == sorted(CENTRES)
    assert fig.layout.geo.to_plotly_json() == {} and fig.layout.map.to_plotly_json() == {}
    assert "http" not in fig.to_json()
