"""The Folium map: offline assets only, classes and legend, tile layer only when configured, small GeoJSON."""

from __future__ import annotations

import json
import re

import polars as pl
import pytest
import shapely
from streamlit_folium import _get_header, _get_html, _get_map_string

from geo import maps
from geo.demo_boundaries import build_demo_geography, display_geometry
from queries.areas import MEASURES

URL = re.compile(r"""https?://[^\s"'<>)]+""")


def _square(x: float, y: float, size: float = 0.1) -> str:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def _boundaries(rows) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={"id": pl.Int64, "name": pl.String, "township_id": pl.Int64, "population": pl.Int64,
                "boundary": pl.String, "centroid_lon": pl.Float64, "centroid_lat": pl.Float64},
        orient="row",
    )


def _measures(rows) -> pl.DataFrame:
    # id, name, population, received, previous, year_earlier, first_time, overdue, in_filter
    out = []
    for i, name, population, received, previous, earlier, first_time, overdue, in_filter in rows:
        out.append({
            "id": i, "name": name, "township_id": i, "population": population, "in_filter": in_filter,
            "received": received, "per_10k": received * 10_000 / population if population else None,
            "received_previous": previous, "change_mom": received - previous,
            "received_year_earlier": earlier, "change_yoy": received - earlier,
            "first_time": first_time, "first_time_share": first_time / received if received else None,
            "overdue_open": overdue, "backlog": 0,
        })
    return pl.DataFrame(out)


TOWNSHIPS = _boundaries([
    (1, "甲镇", 1, 30_000, _square(119.0, 26.0), 119.05, 26.05),
    (2, "乙乡", 2, 8_000, _square(119.1, 26.0), None, None),  # no centroid: a point inside is used
    (3, "丙<街道>", 3, 50_000, _square(119.2, 26.0), 119.25, 26.05),
    (4, "丁镇", 4, 20_000, None, None, None),  # no boundary: not drawn
])
PARKS = _boundaries([(1, "东湖工业园区", 1, None, _square(119.02, 26.02, 0.02), 119.03, 26.03)])
TOWNSHIP_MEASURES = _measures([
    (1, "甲镇", 30_000, 40, 10, 20, 10, 3, True),
    (2, "乙乡", 8_000, 4, 6, 4, 2, 0, True),
    (3, "丙<街道>", 50_000, 12, 12, 0, 0, 1, True),
    (4, "丁镇", 20_000, 7, 7, 7, 7, 0, True),
])
PARK_MEASURES = _measures([(1, "东湖工业园区", None, 9, 3, 1, 2, 0, True)])
POINTS = pl.DataFrame({"id": [1, 2], "name": ["县群众接访中心", "甲镇接访点"], "kind": ["county_centre", "township_point"],
                       "township_id": [None, 1], "lon": [119.15, 119.05], "lat": [26.05, 26.04]})


def _layers(hot_townships=frozenset({1}), hot_parks=frozenset()) -> maps.MapLayers:
    return maps.MapLayers(
        townships=maps.area_geojson(TOWNSHIPS, "township"),
        parks=maps.area_geojson(PARKS, "park"),
        township_measures=TOWNSHIP_MEASURES,
        park_measures=PARK_MEASURES,
        points=POINTS,
        hot_townships=hot_townships,
        hot_parks=hot_parks,
    )


def _full_html(m) -> str:
    """The rendered page with JavaScript string escapes undone (\\u003c -> <, \\" -> "), for plain searching."""
    text = m.get_root().render()
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda match: chr(int(match.group(1), 16)), text)
    return text.replace('\\"', '"').replace("\\/", "/")


def _component_payload(m) -> str:
    """What streamlit-folium sends to its iframe: header, body, script and the asset links it collects."""
    m.get_root().render()
    header, body, script = _get_header(m), _get_html(m), _get_map_string(m)
    links = []
    for element in _walk(m):
        links += [url for _, url in getattr(element, "default_js", [])]
        links += [url for _, url in getattr(element, "default_css", [])]
    return "\n".join([header, body, script, *links])


def _walk(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


@pytest.mark.parametrize("measure", MEASURES)
def test_no_outside_url_anywhere(measure):
    m = maps.build_map(_layers(), measure, lang="zh")
    for text in (_full_html(m), _component_payload(maps.build_map(_layers(), measure, lang="zh"))):
        assert URL.findall(text) == []


def test_only_the_vendored_leaflet():
    m = maps.build_map(_layers(), "received", lang="zh")
    assert m.default_js == [("leaflet", "/app/static/vendor/leaflet/leaflet.js")]
    assert m.default_css == [("leaflet_css", "/app/static/vendor/leaflet/leaflet.css")]
    html = _full_html(m)
    assert '<script src="/app/static/vendor/leaflet/leaflet.js"></script>' in html
    # jQuery is not loaded, so nothing in the map may use it (Folium's popups would: $(`…`)).
    assert "jquery" not in html.lower()
    for measure in MEASURES:
        for text in (_full_html(maps.build_map(_layers(), measure, lang="zh")),
                     _component_payload(maps.build_map(_layers(), measure, lang="zh"))):
            assert "$(" not in text and "jQuery" not in text
    assert 'href="/app/static/vendor/leaflet/leaflet.css"' in html
    assert "bootstrap" not in html and "font-awesome" not in html and "fontawesome" not in html
    # The class itself is untouched: other Folium users in the process keep their defaults.
    import folium

    assert any("leaflet" in url for _, url in folium.Map.default_js)


def test_tile_layer_only_when_configured():
    plain = _full_html(maps.build_map(_layers(), "received", lang="zh"))
    assert "L.tileLayer" not in plain
    tiled = _full_html(maps.build_map(_layers(), "received", lang="zh",
                                      tile_url="/tiles/{z}/{x}/{y}.png", tile_attribution="县自然资源局"))
    assert "L.tileLayer" in tiled and "/tiles/{z}/{x}/{y}.png" in tiled
    assert "县自然资源局" in tiled or json.dumps("县自然资源局")[1:-1] in tiled


def test_received_classes_by_hand():
    # Values 40, 4, 12, 7: four distinct values, so four Fisher–Jenks classes, one value each.
    classes = maps.classify([40, 4, 12, 7], "received")
    assert classes.uppers == (4.0, 7.0, 12.0, 40.0)
    assert classes.labels == ("4", "5 – 7", "8 – 12", "13 – 40")
    assert classes.colours == maps.SEQUENTIAL[4]
    assert classes.colour(40) == maps.SEQUENTIAL[4][-1]
    assert classes.colour(None) == maps.NO_DATA_COLOUR


def test_no_more_than_five_classes():
    classes = maps.classify(list(range(1, 30)), "received")
    assert len(classes.uppers) == 5 and classes.uppers[-1] == 29
    assert classes.labels[0].startswith("1 – ")


def test_share_classes_are_labelled_as_percentages():
    classes = maps.classify([0.25, 0.5, None, 1.0], "first_time_share")
    assert classes.labels == ("25.0%", "50.0%", "100.0%")


def test_change_classes_are_symmetric_about_zero():
    # Largest |change| 30: b = 15. Classes <= -15, -14..-1, 0, 1..14, >= 15.
    classes = maps.classify([30, -2, 0, 0, 3], "change_mom")
    assert classes.labels == ("≤ -15", "-14 – -1", "0", "+1 – +14", "≥ +15")
    assert classes.colours == maps.DIVERGING
    assert [classes.colour(v) for v in (-20, -2, 0, 3, 30)] == list(maps.DIVERGING)


def test_legend_names_the_classes_in_both_languages():
    zh = _full_html(maps.build_map(_layers(), "received", lang="zh"))
    en = _full_html(maps.build_map(_layers(), "received", lang="en"))
    for label in ("4", "5 – 7", "8 – 12", "13 – 40"):
        assert f"</span>{label}</div>" in zh
    assert "信访总量（件）" in zh and "Cases received" in en
    assert "热点" in zh and "Hot spot" in en
    per_10k = _full_html(maps.build_map(_layers(), "per_10k", lang="zh"))
    assert "园区无常住人口" in per_10k


def test_labels_show_names_and_figures_escaped():
    html = _full_html(maps.build_map(_layers(), "per_10k", lang="zh"))
    # 甲镇: 40 per 30,000 = 13.3 per 10,000; the park shows its count (9) instead.
    assert "甲镇<b>13.3</b>" in html
    assert "东湖工业园区<b>9</b>" in html
    # A name with markup is shown as text, never as HTML.
    assert '<div class="area-label centre" data-kind="centre" data-id="3" data-r="8">丙&lt;街道&gt;<b>' in html
    assert "丙<街道>" not in html


def test_hot_spots_are_outlined_and_labelled():
    html = _full_html(maps.build_map(_layers(), "received", lang="zh"))
    assert '甲镇<b>40</b><span class="hot">热点</span>' in html
    park = _full_html(maps.build_map(_layers(hot_parks=frozenset({1})), "received", lang="zh"))
    assert '东湖工业园区<b>9</b><span class="hot">热点</span>' in park  # beside the park's name, not on the park
    outline = f'{{"fill":false,"color":"{maps.HOT_SPOT_COLOUR}","weight":6,"opacity":1}}'
    assert outline in html
    calm = _full_html(maps.build_map(_layers(hot_townships=frozenset()), "received", lang="zh"))
    assert 'class="hot"' not in calm and outline not in calm


def test_geojson_is_small_and_rounded():
    geo = maps.area_geojson(TOWNSHIPS, "township")
    assert [f["properties"]["area_id"] for f in geo["features"]] == [1, 2, 3]  # 丁镇 has no boundary
    second = geo["features"][1]["properties"]
    assert (second["label_lon"], second["label_lat"]) == (pytest.approx(119.15), pytest.approx(26.05))


def test_demo_county_geojson_is_small():
    geography = build_demo_geography()
    rows = [(i, t.name, i, t.population, json.dumps(display_geometry(t.geometry).__geo_interface__), None, None)
            for i, t in enumerate(geography.townships, start=1)]
    geo = maps.area_geojson(_boundaries(rows), "township")
    text = json.dumps(geo, ensure_ascii=False, separators=(",", ":"))
    assert len(geo["features"]) == 15
    assert len(text) < 50_000  # about 13 kB for the 15 demo townships
    assert not re.search(r"\d\.\d{6,}", text)  # five decimals at most


def test_clicked_area_reads_the_feature_properties():
    click = {"last_active_drawing": {"type": "Feature", "properties": {"level": "township", "area_id": 3,
                                                                       "name": "丙"},
                                     "geometry": {"type": "Polygon", "coordinates": []}}}
    assert maps.clicked_area(click) == ("township", 3)
    assert maps.clicked_area({"last_active_drawing": {"type": "Feature", "properties": {},
                                                      "geometry": {"type": "Point"}}}) is None
    assert maps.clicked_area(None) is None
    assert maps.clicked_area({"last_active_drawing": None}) is None


def test_selection_layer_outlines_only_the_chosen_area():
    geo = maps.area_geojson(TOWNSHIPS, "township")
    assert maps.selection_layer(geo, None) is None
    assert maps.selection_layer(geo, 99) is None
    group = maps.selection_layer(geo, 2)
    (layer,) = group._children.values()
    assert [f["properties"]["area_id"] for f in layer.data["features"]] == [2]


def _points(rows) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"id": pl.Int64, "name": pl.String, "kind": pl.String, "township_id": pl.Int64,
                                      "lon": pl.Float64, "lat": pl.Float64}, orient="row")


def test_labels_keep_clear_of_points_and_parks():
    townships = _boundaries([
        # 甲镇's stored label point (119.05, 26.05) lies on the park below: it must move.
        (1, "甲镇", 1, 30_000, _square(119.0, 26.0), 119.05, 26.05),
        # 乙乡 has a township reception point: labelled just right of it.
        (2, "乙乡", 2, 8_000, _square(119.1, 26.0), 119.15, 26.05),
        (3, "丙镇", 3, 9_000, _square(119.2, 26.0), 119.25, 26.05),
    ])
    parks = _boundaries([(1, "东湖工业园区", 1, None, _square(119.04, 26.04, 0.02), 119.05, 26.05)])
    points = _points([(1, "县中心", "county_centre", 3, 119.21, 26.01),
                      (2, "乙乡接访点", "township_point", 2, 119.12, 26.03)])
    geo = maps.map_geojson(townships, parks, points)
    one, two, three = (f["properties"] for f in geo["township"]["features"])
    park = geo["park"]["features"][0]["properties"]
    # The park is labelled on its north edge, centred.
    assert (park["label_lon"], park["label_lat"], park["label_mode"]) == (119.05, 26.06, "above")
    assert (two["label_lon"], two["label_lat"], two["label_mode"]) == (119.12, 26.03, "right")
    # The county centre is not a township seat: 丙镇 keeps its stored point.
    assert (three["label_lon"], three["label_lat"], three["label_mode"]) == (119.25, 26.05, "centre")
    moved = shapely.Point(one["label_lon"], one["label_lat"])
    park_area = shapely.box(119.04, 26.04, 119.06, 26.06)
    assert one["label_mode"] == "centre"
    assert shapely.box(119.0, 26.0, 119.1, 26.1).contains(moved)
    assert moved.distance(park_area) > 0.005  # about 0.5 km or more from the park


def test_label_modes_reach_the_html():
    html = _full_html(maps.build_map(_layers(), "received", lang="zh"))
    assert '<div class="area-label park above" data-kind="park" data-id="1" data-r="0">东湖工业园区<b>9</b></div>' in html
    assert ".area-label.right" in html and ".area-label.above" in html
    # The browser moves labels apart (where their sizes are known) after every zoom, pan and resize.
    assert 'map.on("zoomend moveend resize", schedule)' in html
    assert 'className: "reception-point"' in html


def test_the_map_fits_the_county_beside_the_legend():
    html = _full_html(maps.build_map(_layers(), "received", lang="zh"))
    # Bounds of the three drawn townships and the park: [[south, west], [north, east]].
    assert "L.latLngBounds([[26.0, 119.0], [26.1, 119.3]])" in html
    assert 'map.on("resize", fit)' in html


def test_hostile_names_stay_text_in_labels_tooltips_and_template_literals():
    """Names from files in HTML (labels, GeoJSON and point tooltips), never ending a string or a script."""
    img, script = "<img src=x onerror=alert(1)>", "`${alert(1)}`"
    townships = TOWNSHIPS.with_columns(
        pl.when(pl.col("id") == 1).then(pl.lit(img)).when(pl.col("id") == 3).then(pl.lit(script))
        .otherwise(pl.col("name")).alias("name"))
    points = POINTS.with_columns(pl.Series("name", [script, img + "</script>"]))
    layers = maps.MapLayers(
        townships=maps.area_geojson(townships, "township"), parks=maps.area_geojson(PARKS, "park"),
        township_measures=TOWNSHIP_MEASURES, park_measures=PARK_MEASURES, points=points,
    )
    m = maps.build_map(layers, "received", lang="zh")
    raw = m.get_root().render()
    script_text = _component_payload(maps.build_map(layers, "received", lang="zh"))
    for text in (raw, script_text):
        assert "</script>" not in text.split("<script>")[-1].rsplit("</script>", 1)[0]
        assert "${alert" not in text and "`" not in text.split("L.map(")[-1]
        # Points' tooltips: escaped HTML inside a JSON string (its < and > written as \u003c, \u003e).
        assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;\\u0026lt;/script\\u0026gt;" in text
        assert "\\u0026#96;\\u0026#36;\\u0026#123;alert(1)\\u0026#125;\\u0026#96;" in text
    html = _full_html(maps.build_map(layers, "received", lang="zh"))
    assert "<img src=x" not in html and "${alert" not in html
    assert 'data-id="1" data-r="8">&lt;img src=x onerror=alert(1)&gt;<b>' in html  # the label, as text
    assert "&lt;img src=x onerror=alert(1)&gt;: 信访总量" in html  # the GeoJSON tooltip, as text


def test_template_syntax_in_names_is_never_evaluated():
    """Branca renders elements' output again as Jinja on the server: a name like {{ 7*7 }} must stay text."""
    jinja = "{{ 'ran' | upper }}{% if true %}{{ 'if' | upper }}{% endif %}"
    townships = TOWNSHIPS.with_columns(
        pl.when(pl.col("id") == 1).then(pl.lit(jinja)).otherwise(pl.col("name")).alias("name"))
    measures = TOWNSHIP_MEASURES.with_columns(
        pl.when(pl.col("id") == 1).then(pl.lit(jinja)).otherwise(pl.col("name")).alias("name"))
    layers = maps.MapLayers(
        townships=maps.area_geojson(townships, "township"), parks=maps.area_geojson(PARKS, "park"),
        township_measures=measures, park_measures=PARK_MEASURES,
        points=POINTS.with_columns(pl.Series("name", [jinja, "甲镇接访点"])), hot_townships=frozenset({1}),
    )
    selection = maps.selection_layer(layers.townships, 1)
    for text in (_full_html(maps.build_map(layers, "received", lang="zh")),
                 _component_payload(maps.build_map(layers, "received", lang="zh")),
                 selection.get_root().render() if selection.get_root() is not selection else ""):
        assert "RAN" not in text and "IF" not in text
    html = _full_html(maps.build_map(layers, "received", lang="zh"))
    assert "&#123;&#123; &#x27;ran&#x27; | upper &#125;&#125;" in html  # shown as the name it is
