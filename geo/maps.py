"""The map page's Folium map: township choropleth, parks over it, reception points, hot spots.

Offline by construction: Folium's default assets (Leaflet, jQuery, Bootstrap,
Font Awesome, awesome-markers, all from public CDNs) are replaced on the Map
instance by the one it needs, Leaflet, which the app vendors and serves itself
under ``/app/static/vendor/``; no element used here brings CDN links of its own
(no branca colormap, no marker icons, no plugin), and there is no basemap
unless an administrator configured a tile server (``Settings.tile_url``).

Colour classes come from mapclassify: Fisher–Jenks natural breaks (the
optimal classification, deterministic) with at most five classes on a
ColorBrewer YlGnBu ramp for the sequential measures, and five classes
around zero on PuOr for the changes (环比/同比). Both palettes are
colour-blind safe, and five steps stay apart on a projector. Hot spots get a
thick red outline and a label.

Clicking an area is read back through streamlit-folium's
``last_active_drawing``: its frontend sets it to ``layer.toGeoJSON()`` of the
clicked feature, whose ``properties`` carry :data:`LEVEL_PROPERTY` and
:data:`ID_PROPERTY` (see :func:`clicked_area`). Nothing here imports Streamlit.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import branca.element
import folium
import numpy as np
import polars as pl
import shapely

from queries.areas import CHANGE_MEASURES, MEASURES
from text.formatting import format_count, format_rate
from text.i18n import DASH, translate
from text.markup import html_text

# Root-relative, so the same URLs work inside streamlit-folium's iframe (same origin).
VENDOR_URL = "/app/static/vendor"
LEAFLET_JS = f"{VENDOR_URL}/leaflet/leaflet.js"
LEAFLET_CSS = f"{VENDOR_URL}/leaflet/leaflet.css"

LEVEL_PROPERTY = "level"
ID_PROPERTY = "area_id"
# ~1 m at this latitude: far below what a county map shows, and it halves the GeoJSON text.
COORDINATE_DECIMALS = 5

# ColorBrewer YlGnBu for 1–5 classes (colour-blind safe, print and projector friendly).
SEQUENTIAL = {
    1: ("#41b6c4",),
    2: ("#a1dab4", "#2c7fb8"),
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
}
# ColorBrewer PuOr (5), purple for fewer, orange for more petitions.
DIVERGING = ("#5e3c99", "#b2abd2", "#f7f7f7", "#fdb863", "#e66101")
NO_DATA_COLOUR = "#d4d4d4"
HOT_SPOT_COLOUR = "#d7191c"
PARK_OUTLINE = "#111111"
POINT_COLOUR = "#1a1a1a"
MAX_CLASSES = 5
LEGEND_MAX_WIDTH_EM = 16


# --- geometry -------------------------------------------------------------------------


def _round(coords, decimals: int):
    if isinstance(coords[0], (int, float)):
        return [round(float(v), decimals) for v in coords]
    return [_round(part, decimals) for part in coords]


def area_geojson(boundaries: pl.DataFrame, level: str, decimals: int = COORDINATE_DECIMALS) -> dict:
    """A FeatureCollection of the areas that have a boundary, small enough to send to the browser.

    ``boundaries`` is :func:`queries.areas.boundaries` (the display copy of
    each boundary). Coordinates are rounded to ``decimals``; each feature's
    ``id`` is ``"<level>-<id>"`` and its properties are the level, the area
    id, the name and a label point (the stored centroid, else a point
    guaranteed inside the polygon).
    """
    features = []
    for row in boundaries.iter_rows(named=True):
        if not row["boundary"]:
            continue
        geometry = json.loads(row["boundary"])
        if row["centroid_lon"] is not None and row["centroid_lat"] is not None:
            label = (row["centroid_lon"], row["centroid_lat"])
        else:
            point = shapely.point_on_surface(shapely.from_geojson(row["boundary"]))
            label = (point.x, point.y)
        features.append({
            "type": "Feature",
            "id": f"{level}-{row['id']}",
            "properties": {
                LEVEL_PROPERTY: level,
                ID_PROPERTY: int(row["id"]),
                "name": row["name"],
                "label_lon": round(float(label[0]), decimals),
                "label_lat": round(float(label[1]), decimals),
            },
            "geometry": {"type": geometry["type"], "coordinates": _round(geometry["coordinates"], decimals)},
        })
    return {"type": "FeatureCollection", "features": features}


# Room kept clear for township labels, in km: around a park and, above it,
# for the park's own label (which sits on the park's north edge).
PARK_CLEARANCE_KM = 1.0
PARK_LABEL_BOX_KM = (9.0, 2.6)  # width, height
_KM_PER_DEGREE = 111.2
# Where a label sits relative to its point (CSS class of the label).
LABEL_CENTRED, LABEL_RIGHT_OF_POINT, LABEL_ABOVE = "centre", "right", "above"


def _local(geometry, lat0: float):
    """Lon/lat to a plane in km (equirectangular about ``lat0``): fine for a county."""
    k = math.cos(math.radians(lat0))
    return shapely.transform(geometry, lambda xy: np.column_stack([xy[:, 0] * k, xy[:, 1]]) * _KM_PER_DEGREE)


def _lonlat(point, lat0: float) -> tuple[float, float]:
    k = math.cos(math.radians(lat0))
    return point.x / _KM_PER_DEGREE / k, point.y / _KM_PER_DEGREE


def _set_label(feature: dict, lon: float, lat: float, mode: str) -> None:
    props = feature["properties"]
    props["label_lon"] = round(float(lon), COORDINATE_DECIMALS)
    props["label_lat"] = round(float(lat), COORDINATE_DECIMALS)
    props["label_mode"] = mode


def place_labels(townships: dict, parks: dict, points: pl.DataFrame | None = None) -> None:
    """Put every label where it covers neither a reception point nor a park (in place).

    As on a printed map: a township with its own reception point (the
    township seat) is labelled just right of that point's dot; a park on its
    north edge, so the hatch stays visible; any other township at its stored
    label point, unless that falls on a park or a park's label, in which case
    at the point of the township farthest from its edges and from them
    (``shapely.ops.polylabel``). Offsets are in pixels (CSS), so they hold at
    every zoom. Done once per data version, in the cache.
    """
    from shapely.ops import polylabel

    all_features = townships["features"] + parks["features"]
    if not all_features:
        return
    lat0 = float(np.mean([f["properties"]["label_lat"] for f in all_features]))
    obstacles = []
    for feature in parks["features"]:
        park = _local(shapely.geometry.shape(feature["geometry"]), lat0)
        minx, _, maxx, maxy = park.bounds
        centre_x = (minx + maxx) / 2
        width, height = PARK_LABEL_BOX_KM
        obstacles.append(park.buffer(PARK_CLEARANCE_KM))
        obstacles.append(shapely.box(centre_x - width / 2, maxy, centre_x + width / 2, maxy + height))
        _set_label(feature, *_lonlat(shapely.Point(centre_x, maxy), lat0), LABEL_ABOVE)
    seats: dict[int, tuple[float, float]] = {}
    if points is not None:
        for row in points.filter(pl.col("kind") == "township_point").iter_rows(named=True):
            if row["township_id"] is not None:
                seats.setdefault(int(row["township_id"]), (row["lon"], row["lat"]))
    blocked = shapely.union_all(obstacles) if obstacles else None
    for feature in townships["features"]:
        props = feature["properties"]
        props["label_mode"] = LABEL_CENTRED
        township = shapely.geometry.shape(feature["geometry"])
        seat = seats.get(props[ID_PROPERTY])
        if seat is not None and township.contains(shapely.Point(seat)):
            _set_label(feature, seat[0], seat[1], LABEL_RIGHT_OF_POINT)
            continue
        if blocked is None or not blocked.contains(_local(shapely.Point(props["label_lon"], props["label_lat"]), lat0)):
            continue
        free = _local(township, lat0).difference(blocked)
        parts = [part for part in getattr(free, "geoms", [free]) if part.geom_type == "Polygon" and not part.is_empty]
        if parts:
            _set_label(feature, *_lonlat(polylabel(max(parts, key=lambda g: g.area), tolerance=0.05), lat0),
                       LABEL_CENTRED)


def map_geojson(township_boundaries: pl.DataFrame, park_boundaries: pl.DataFrame,
                points: pl.DataFrame | None = None) -> dict[str, dict]:
    """Both levels' FeatureCollections with their labels placed (:func:`area_geojson`, :func:`place_labels`)."""
    collections = {"township": area_geojson(township_boundaries, "township"),
                   "park": area_geojson(park_boundaries, "park")}
    place_labels(collections["township"], collections["park"], points)
    return collections


def bounds(*collections: dict) -> list[list[float]] | None:
    """[[south, west], [north, east]] of every feature, or None when there is none."""
    xs: list[float] = []
    ys: list[float] = []

    def walk(coords):
        if isinstance(coords[0], (int, float)):
            xs.append(coords[0])
            ys.append(coords[1])
        else:
            for part in coords:
                walk(part)

    for collection in collections:
        for feature in collection["features"]:
            walk(feature["geometry"]["coordinates"])
    if not xs:
        return None
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


# --- classes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Classes:
    """Colour classes: ``uppers[i]`` is class i's inclusive upper bound (the last is the maximum)."""

    uppers: tuple[float, ...]
    colours: tuple[str, ...]
    labels: tuple[str, ...]

    def colour(self, value: float | None) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)) or not self.uppers:
            return NO_DATA_COLOUR
        for upper, colour in zip(self.uppers, self.colours, strict=True):
            if value <= upper + 1e-9:
                return colour
        return self.colours[-1]


def measure_kind(measure: str) -> str:
    """"count", "per_10k", "share" or "change": decides classes and number format."""
    if measure in ("received", "overdue_open", "backlog"):
        return "count"
    if measure in CHANGE_MEASURES:
        return "change"
    if measure == "per_10k":
        return "per_10k"
    if measure == "first_time_share":
        return "share"
    raise ValueError(f"unknown measure {measure!r}; expected one of {MEASURES}")


def _signed(value: int) -> str:
    return f"+{value:,}" if value > 0 else f"{value:,}"


def format_value(value, measure: str) -> str:
    """The figure as the map labels it: 1,234 / 3.4 / +12 / 45.6% / "—"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    kind = measure_kind(measure)
    if kind == "count":
        return format_count(value)
    if kind == "change":
        return _signed(int(value))
    if kind == "per_10k":
        return f"{value:.1f}"
    return format_rate(value)


def _range_label(low: float, high: float, measure: str) -> str:
    low_text, high_text = format_value(low, measure), format_value(high, measure)
    return low_text if low_text == high_text else f"{low_text} – {high_text}"


def classify(values: Iterable[float | None], measure: str) -> Classes:
    """Colour classes for the values on the map (None values are drawn as "no data").

    Sequential measures: Fisher–Jenks with k = min(5, distinct values);
    integer measures are labelled with contiguous integer ranges, the others
    with the smallest and largest value that falls in each class. Changes:
    five classes symmetric about zero, "≤ −b", "−b+1 … −1", "0", "1 … b−1",
    "≥ b", with b = max(2, ⌈largest |change| / 2⌉) (mapclassify.UserDefined).
    """
    # Imported here: mapclassify brings scipy and scikit-learn, a second or two that only the map page needs.
    import mapclassify

    present = np.array([v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))],
                       dtype=float)
    if present.size == 0:
        return Classes((), (), ())
    kind = measure_kind(measure)
    if kind == "change":
        largest = float(np.abs(present).max())
        b = max(2, math.ceil(largest / 2))
        scheme = mapclassify.UserDefined(present, bins=[-b, -1, 0, b - 1, max(b, largest)])
        uppers = tuple(float(u) for u in scheme.bins[:4]) + (math.inf,)
        labels = (f"≤ {_signed(-b)}", _range_label(-b + 1, -1, measure), "0",
                  _range_label(1, b - 1, measure), f"≥ {_signed(b)}")
        return Classes(uppers, DIVERGING, labels)

    distinct = np.unique(present)
    k = min(MAX_CLASSES, distinct.size)
    if k == 1:
        uppers = (float(distinct[0]),)
    else:
        with warnings.catch_warnings():
            # Without numba mapclassify says it uses its pure-Python Fisher–Jenks: for 20 areas that is instant.
            warnings.filterwarnings("ignore", message="Numba not installed")
            uppers = tuple(float(u) for u in mapclassify.FisherJenks(present, k=k).bins)
    labels = []
    previous = None
    for upper in uppers:
        members = present[(present <= upper + 1e-9) & ((present > previous + 1e-9) if previous is not None else True)]
        if kind == "count":
            low = float(distinct[0]) if previous is None else previous + 1
        else:
            low = float(members.min()) if members.size else upper
        labels.append(_range_label(low, upper, measure))
        previous = upper
    return Classes(uppers, SEQUENTIAL[len(uppers)], tuple(labels))


# --- the map ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapLayers:
    """Everything the map shows, already read (and cached) by the page's data access."""

    townships: dict  # area_geojson(..., "township")
    parks: dict  # area_geojson(..., "park")
    township_measures: pl.DataFrame  # queries.areas.area_measures(..., "township")
    park_measures: pl.DataFrame  # queries.areas.area_measures(..., "park")
    points: pl.DataFrame  # queries.areas.reception_points
    hot_townships: frozenset[int] = frozenset()
    hot_parks: frozenset[int] = frozenset()


def _css(projection: bool) -> str:
    label_size = 20 if projection else 15
    value_size = 24 if projection else 17
    park_size = 16 if projection else 13
    legend_size = 18 if projection else 14
    point_gap = 14 if projection else 10  # clear of the reception point's dot
    background = "#0b1526" if projection else "#f3f1ec"
    return f"""
<style>
.leaflet-container {{ background: {background}; font-family: "Noto Sans CJK SC", "Microsoft YaHei",
  "PingFang SC", sans-serif; }}
.area-label {{ position: absolute; transform: translate(-50%, -50%); white-space: nowrap; text-align: center;
  pointer-events: none; color: #111; line-height: 1.15; font-size: {label_size}px; font-weight: 600;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 4px #fff, 0 0 6px #fff; }}
.area-label b {{ display: block; font-size: {value_size}px; font-weight: 800; }}
.area-label.out {{ color: #555; font-weight: 400; }}
.area-label.right {{ transform: translate({point_gap}px, -50%); text-align: left; }}
.area-label.above {{ transform: translate(-50%, -100%); margin-top: -2px; }}
.area-label.park {{ font-size: {park_size}px; font-style: italic; }}
.area-label.park b {{ font-size: {park_size + 2}px; display: inline; margin-left: 0.3em; }}
.area-label .hot {{ display: inline-block; margin: 2px 0.3em 0 0.3em; padding: 0 6px; border-radius: 4px; color: #fff;
  background: {HOT_SPOT_COLOUR}; text-shadow: none; font-size: {park_size}px; font-style: normal; }}
.map-legend {{ background: rgba(255, 255, 255, 0.94); color: #111; padding: 10px 14px; border-radius: 6px;
  box-shadow: 0 1px 5px rgba(0, 0, 0, 0.4); font-size: {legend_size}px; line-height: 1.45;
  width: max-content; max-width: {LEGEND_MAX_WIDTH_EM}em; box-sizing: border-box; }}
.map-legend h4 {{ margin: 0 0 6px 0; font-size: {legend_size + 2}px; }}
.map-legend .row {{ display: flex; align-items: center; gap: 8px; }}
.map-legend .swatch {{ display: inline-block; width: 1.6em; height: 1.05em; border: 1px solid #555; flex: none; }}
.map-legend .note {{ margin-top: 6px; font-size: {legend_size - 2}px; color: #333; }}
.leaflet-tooltip {{ font-size: {legend_size}px; }}
/* A clicked area shows the selection outline, not the browser's focus rectangle. */
.leaflet-interactive:focus {{ outline: none; }}
</style>
"""


# Diagonal hatch for the parks: black lines over a transparent ground, so the
# township's colour shows through. Used as ``fill="url(#park-hatch)"``.
_HATCH_SVG = """
<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>
<pattern id="park-hatch" patternUnits="userSpaceOnUse" width="9" height="9" patternTransform="rotate(45)">
<rect width="9" height="9" fill="#ffffff" fill-opacity="0.25"/>
<line x1="0" y1="0" x2="0" y2="9" stroke="#111111" stroke-width="3" stroke-opacity="0.65"/>
</pattern></defs></svg>
"""


def _js(value) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` (``<``, ``>``, ``&``, ``'`` and line separators escaped)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


class _Text(branca.element.Element):
    """Output that is final: it is written out as it is, never compiled as a template.

    ``branca``'s ``Element(text)`` compiles ``text`` as a Jinja template and
    renders it; for text that is already rendered that costs a compilation
    each time (most of the map's server time when every label and point was an
    element of its own) and evaluates any ``{{ … }}`` that came from data.
    """

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class _Script(folium.MacroElement):
    """A map element whose rendered header, HTML and script are kept as :class:`_Text`.

    streamlit-folium reads each element's script macro itself (and the header
    and HTML through the figure), so nothing is lost; the full page
    (``get_root().render()``) shows the same text.
    """

    def render(self, **kwargs):
        figure = self.get_root()
        module = self._template.module
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = module.__dict__.get(part)
            if macro is not None:
                target.add_child(_Text(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class _Areas(_Script):
    """A GeoJSON layer of areas, each drawn in the style given for its feature id.

    The same Leaflet layer as ``folium.GeoJson`` (an ``L.geoJson`` group, so
    streamlit-folium's click handler reads the clicked feature the same way),
    written by one template: the features' properties are only the level, the
    id and the tooltip (already escaped HTML).
    """

    _template = folium.template.Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson({{ this.data }}, {
            interactive: {{ this.interactive }},
            style: (function (styles, fallback) {
                return function (feature) { return styles[feature.id] || fallback; };
            })({{ this.styles }}, {{ this.fallback }}),
            onEachFeature: function (feature, layer) {
                {%- if this.highlight %}
                layer.on({
                    mouseover: function (e) { e.target.setStyle({{ this.highlight }}); },
                    mouseout: function (e) { {{ this.get_name() }}.resetStyle(e.target); }
                });
                {%- endif %}
            }
        });
        {%- if this.tooltips %}
        {{ this.get_name() }}.bindTooltip(function (layer) { return layer.feature.properties.tooltip; },
            {sticky: true, className: "foliumtooltip"});
        {%- endif %}
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, features: list[dict], styles: dict[str, dict], *, name: str, fallback: dict | None = None,
                 highlight: dict | None = None, interactive: bool = True):
        super().__init__()
        self._name = name
        self.features = features
        self.data = _js({"type": "FeatureCollection", "features": features})
        self.styles = _js(styles)
        self.fallback = _js(fallback or {})
        self.highlight = _js(highlight) if highlight else ""
        self.interactive = "true" if interactive else "false"
        self.tooltips = any("tooltip" in f["properties"] for f in features)

    def _get_self_bounds(self):
        # streamlit-folium reports the map's bounds before the browser sends its own.
        box = bounds({"type": "FeatureCollection", "features": self.features})
        return box if box else [[None, None], [None, None]]


class _Legend(_Script):
    """A Leaflet control holding pre-escaped legend HTML (no external asset)."""

    _template = folium.template.Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "map-legend");
            div.innerHTML = {{ this.html|tojson }};
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str):
        super().__init__()
        self._name = "Legend"
        self.html = html_text


class _FitUntilTouched(_Script):
    """Fit the county to the map beside the legend; fit again on resize until someone pans or zooms.

    The legend sits in the bottom-right corner: the county is kept clear of it
    on the right or at the bottom, whichever leaves it larger. streamlit-folium
    creates the map before its iframe has its final width, so the fit is
    repeated when the map is resized (until the user takes over).
    """

    _template = folium.template.Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var bounds = L.latLngBounds({{ this.fit_bounds|tojson }}), margin = {{ this.margin }}, touched = false;
            var fit = function () {
                if (touched) { return; }
                var legend = map.getContainer().querySelector(".map-legend");
                var w = legend ? legend.offsetWidth + margin : 0, h = legend ? legend.offsetHeight + margin : 0;
                var right = {paddingTopLeft: [margin, margin], paddingBottomRight: [w + margin, margin]};
                var below = {paddingTopLeft: [margin, margin], paddingBottomRight: [margin, h + margin]};
                var zRight = map.getBoundsZoom(bounds, false, L.point(w + 2 * margin, 2 * margin));
                var zBelow = map.getBoundsZoom(bounds, false, L.point(2 * margin, h + 2 * margin));
                map.fitBounds(bounds, zRight >= zBelow ? right : below);
            };
            ["pointerdown", "wheel", "keydown", "touchstart"].forEach(function (name) {
                map.getContainer().addEventListener(name, function () { touched = true; }, {passive: true});
            });
            map.on("resize", fit);
            fit();
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, fit_bounds: list[list[float]], margin: int = 16):
        super().__init__()
        self._name = "FitUntilTouched"
        self.fit_bounds = fit_bounds
        self.margin = int(margin)


class _Declutter(_Script):
    """Move labels apart in the browser, where their size in pixels is known.

    Each label may sit right, left, above or below its reception point's dot
    (a township seat), around its park's outline, or on its label point; the
    first place that overlaps nothing already placed (labels, dots, legend,
    zoom buttons, the map's edge) wins, else the least-overlapping one.
    Townships are placed before parks. Runs after every zoom, pan and resize.
    """

    _template = folium.template.Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var GAP = {{ this.gap }};
            var box = function (el) { var r = el.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom}; };
            var area = function (a, b) {
                var w = Math.min(a.r, b.r) - Math.max(a.l, b.l), h = Math.min(a.b, b.b) - Math.max(a.t, b.t);
                return w > 0 && h > 0 ? w * h : 0;
            };
            var parkBox = function (id) {
                for (var key in map._layers) {
                    var layer = map._layers[key], p = layer.feature && layer.feature.properties;
                    if (p && p.level === "park" && p.area_id === id && layer._path) {
                        var b = box(layer._path);
                        return b.r > b.l && b.b > b.t ? b : null;  // not laid out yet
                    }
                }
                return null;
            };
            var place = function () {
                var root = map.getContainer(), frame = box(root);
                var taken = [];
                root.querySelectorAll("path.reception-point, .map-legend, .leaflet-control-zoom").forEach(function (el) {
                    taken.push(box(el));
                });
                var labels = Array.prototype.slice.call(root.querySelectorAll(".area-label[data-kind]"));
                labels.sort(function (a, b) { return (a.dataset.kind === "park") - (b.dataset.kind === "park"); });
                labels.forEach(function (label) {
                    label.style.transform = "translate(0px, 0px)";
                    var anchor = box(label.parentElement), w = label.offsetWidth, h = label.offsetHeight;
                    var ax = anchor.l, ay = anchor.t, r = +label.dataset.r || 0;
                    var f = {l: ax - r, t: ay - r, r: ax + r, b: ay + r};
                    if (label.dataset.kind === "park") { f = parkBox(+label.dataset.id) || f; }
                    var cx = (f.l + f.r) / 2, cy = (f.t + f.b) / 2;
                    var spots = {
                        right: [f.r + GAP, cy - h / 2], left: [f.l - GAP - w, cy - h / 2],
                        above: [cx - w / 2, f.t - GAP - h], below: [cx - w / 2, f.b + GAP],
                        centre: [cx - w / 2, cy - h / 2],
                        aboveRight: [f.r + GAP / 2, f.t - GAP / 2 - h], belowRight: [f.r + GAP / 2, f.b + GAP / 2],
                        aboveLeft: [f.l - GAP / 2 - w, f.t - GAP / 2 - h], belowLeft: [f.l - GAP / 2 - w, f.b + GAP / 2]
                    };
                    var corners = ["aboveRight", "belowRight", "aboveLeft", "belowLeft"];
                    var order = (label.dataset.kind === "seat" ? ["right", "left", "above", "below"]
                        : label.dataset.kind === "park" ? ["above", "below", "right", "left"]
                        : ["centre", "above", "below", "right", "left"]).concat(corners);
                    var best = null;
                    order.forEach(function (name) {
                        var x = spots[name][0], y = spots[name][1], rect = {l: x, t: y, r: x + w, b: y + h};
                        var score = w * h - area(rect, frame);
                        taken.forEach(function (other) { score += area(rect, other); });
                        if (best === null || score < best.score) { best = {name: name, rect: rect, score: score}; }
                    });
                    label.style.transform = "translate(" + (best.rect.l - ax) + "px, " + (best.rect.t - ay) + "px)";
                    label.style.textAlign = /Right$|^right$/.test(best.name) ? "left"
                        : /Left$|^left$/.test(best.name) ? "right" : "center";
                    taken.push(best.rect);
                });
            };
            // Again whenever the view or the iframe changes, and once fonts and layout have settled.
            var pending = false;
            var schedule = function () {
                if (pending) { return; }
                pending = true;
                window.requestAnimationFrame(function () { pending = false; place(); });
            };
            map.on("zoomend moveend resize", schedule);
            schedule();
            window.setTimeout(schedule, 400);
            window.setTimeout(schedule, 1500);
            if (document.fonts && document.fonts.ready) { document.fonts.ready.then(schedule); }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, gap: int):
        super().__init__()
        self._name = "Declutter"
        self.gap = int(gap)


class _MetricScale(_Script):
    """Leaflet's scale bar in kilometres only (folium's ``control_scale`` adds miles)."""

    _template = folium.template.Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, metric: true}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )


def _legend_html(classes: Classes, measure: str, lang: str, has_hot_spots: bool) -> str:
    e = html_text
    rows = [f"<h4>{e(translate(f'map.measure.{measure}', lang))}</h4>"]
    for colour, label in zip(classes.colours, classes.labels, strict=True):
        rows.append(f'<div class="row"><span class="swatch" style="background:{colour}"></span>{e(label)}</div>')
    rows.append(f'<div class="row"><span class="swatch" style="background:{NO_DATA_COLOUR}"></span>'
                f"{e(translate('map.legend.no_data', lang))}</div>")
    rows.append('<div class="row"><svg width="26" height="17"><rect x="1" y="1" width="24" height="15" '
                f'fill="url(#park-hatch)" stroke="{PARK_OUTLINE}" stroke-width="2" stroke-dasharray="5 3"/></svg>'
                f"{e(translate('map.legend.park', lang))}</div>")
    rows.append(f'<div class="row"><svg width="26" height="17"><circle cx="13" cy="8.5" r="6" fill="#fff" '
                f'stroke="{POINT_COLOUR}" stroke-width="3"/></svg>{e(translate("map.legend.point", lang))}</div>')
    if has_hot_spots:
        rows.append(f'<div class="row"><span class="swatch" style="border:4px solid {HOT_SPOT_COLOUR}"></span>'
                    f"{e(translate('map.legend.hot_spot', lang))}</div>")
    if measure == "per_10k":
        rows.append(f'<div class="note">{e(translate("map.legend.park_no_population", lang))}</div>')
    return "".join(rows)


def _values(measures: pl.DataFrame, measure: str) -> dict[int, dict]:
    return {row["id"]: row for row in measures.iter_rows(named=True)}


# How the browser may move a label (see _Declutter): around a reception
# point's dot, around a park's outline, or around a bare label point.
_LABEL_KIND = {LABEL_RIGHT_OF_POINT: "seat", LABEL_ABOVE: "park", LABEL_CENTRED: "centre"}


def _label_html(name: str, value_text: str | None, *, park: bool, out: bool, hot_text: str | None,
                mode: str = LABEL_CENTRED, area_id: int | None = None, point_radius: int = 0) -> str:
    e = html_text
    classes = "area-label" + (" park" if park else "") + (" out" if out else "") + f" {mode}"
    data = f'data-kind="{_LABEL_KIND[mode]}" data-id="{int(area_id or 0)}" data-r="{int(point_radius)}"'
    inner = e(name) + (f"<b>{e(value_text)}</b>" if value_text is not None else "")
    if hot_text:
        # A park's label is one line beside the park: the badge goes after the figure, not onto the park;
        # a township's goes under its figure (a block element).
        inner += f'<span class="hot">{e(hot_text)}</span>'
    return f'<div class="{classes}" {data}>{inner}</div>'


class _Labels(_Script):
    """Every area label in one element: a zero-size, non-interactive marker per label.

    One element instead of a folium Marker and DivIcon per label (each of
    which cost a template compilation per render). A click on a label reaches
    the polygon under it (the markers are not interactive).
    """

    _template = folium.template.Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup().addTo({{ this._parent.get_name() }});
        {{ this.rows }}.forEach(function (row) {
            L.marker([row[0], row[1]], {
                interactive: false, keyboard: false,
                icon: L.divIcon({html: row[2], iconSize: [0, 0], iconAnchor: [0, 0], className: "area-label-icon"})
            }).addTo({{ this.get_name() }});
        });
        {% endmacro %}
        """
    )

    def __init__(self, labels: list[tuple[float, float, str]]):
        super().__init__()
        self._name = "Labels"
        self.rows = _js([[float(lat), float(lon), html] for lat, lon, html in labels])


class _Points(_Script):
    """Every reception point in one element: a circle with its name as a tooltip (see :class:`_Labels`)."""

    _template = folium.template.Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.rows }}.forEach(function (row) {
            L.circleMarker([row[0], row[1]], {
                radius: row[2], color: {{ this.colour|tojson }}, weight: 3, fill: true, fillColor: "#ffffff",
                fillOpacity: 1, className: "reception-point"
            }).bindTooltip(row[3], {sticky: true}).addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}
        """
    )

    def __init__(self, points: list[tuple[float, float, int, str]], colour: str):
        super().__init__()
        self._name = "Points"
        self.colour = colour
        # The tooltip is HTML: the name is escaped by the caller (html_text).
        self.rows = _js([[float(lat), float(lon), int(radius), tooltip] for lat, lon, radius, tooltip in points])


def build_map(
    layers: MapLayers,
    measure: str,
    *,
    lang: str,
    projection: bool = False,
    tile_url: str | None = None,
    tile_attribution: str = "",
) -> folium.Map:
    """The choropleth of ``measure`` with parks, reception points, hot spots, labels and legend."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; expected one of {MEASURES}")
    township_rows = _values(layers.township_measures, measure)
    park_rows = _values(layers.park_measures, measure)
    shown = [row[measure] for row in township_rows.values() if row["in_filter"]]
    classes = classify(shown, measure)

    m = folium.Map(
        location=None,
        tiles=None,
        zoom_snap=0.25,
        zoom_delta=0.5,
        attribution_control=bool(tile_url),
        prefer_canvas=False,  # SVG: the parks' hatch is an SVG pattern
    )
    # Only the vendored assets: folium's CDN list (Bootstrap, Font Awesome,
    # awesome-markers…) is replaced on this instance, not on the class. No jQuery:
    # only Folium's popups and objects_to_stay_in_front use it, and this map has
    # neither; loading it cost a new browser one more script fetched in turn in the
    # map's iframe and ~70 ms of evaluation before the polygons (README, "Browser").
    m.default_js = [("leaflet", LEAFLET_JS)]
    m.default_css = [("leaflet_css", LEAFLET_CSS)]
    m.get_root().header.add_child(_Text(_css(projection)), name="map_css")
    m.get_root().html.add_child(_Text(_HATCH_SVG), name="park_hatch")
    if tile_url:
        folium.TileLayer(tiles=tile_url, attr=tile_attribution or " ", name="basemap", max_zoom=18).add_to(m)
    fill_opacity = 0.7 if tile_url else 0.88

    hot_text = translate("map.hot_spot", lang)

    township_features = [f for f in layers.townships["features"] if f["properties"][ID_PROPERTY] in township_rows]
    if township_features:
        def township_fill(area_id: int) -> str:
            row = township_rows[area_id]
            return classes.colour(row[measure] if row["in_filter"] else None)

        _Areas(
            [_with_tooltip(f, township_rows, measure, lang) for f in township_features],
            {f["id"]: {"fillColor": township_fill(f["properties"][ID_PROPERTY]), "fillOpacity": fill_opacity,
                       "color": "#ffffff", "weight": 1.5, "opacity": 1} for f in township_features},
            name="townships", highlight={"weight": 4, "color": "#000000"},
        ).add_to(m)
    # Hot spots' outlines drawn again on top, so a neighbour's white border never covers them.
    hot_features = [_slim(f) for f in township_features if f["properties"][ID_PROPERTY] in layers.hot_townships]
    if hot_features:
        _Areas(hot_features, {}, name="hot_spots", interactive=False,
               fallback={"fill": False, "color": HOT_SPOT_COLOUR, "weight": 6, "opacity": 1}).add_to(m)

    park_features = [f for f in layers.parks["features"] if f["properties"][ID_PROPERTY] in park_rows]
    if park_features:
        def park_style(area_id: int) -> dict:
            hot = area_id in layers.hot_parks
            return {"fillColor": "url(#park-hatch)", "fillOpacity": 1, "color": HOT_SPOT_COLOUR if hot else PARK_OUTLINE,
                    "weight": 5 if hot else 2.5, "dashArray": "6 4"}

        _Areas(
            [_with_tooltip(f, park_rows, measure, lang) for f in park_features],
            {f["id"]: park_style(f["properties"][ID_PROPERTY]) for f in park_features},
            name="parks", highlight={"weight": 4},
        ).add_to(m)

    radius = 9 if projection else 6
    points = [
        (row["lat"], row["lon"], radius + (4 if row["kind"] == "county_centre" else 0), html_text(row["name"]))
        for row in layers.points.iter_rows(named=True)
    ]
    if points:
        _Points(points, POINT_COLOUR).add_to(m)

    labels = []
    for feature in township_features:
        props = feature["properties"]
        row = township_rows[props[ID_PROPERTY]]
        value_text = format_value(row[measure], measure) if row["in_filter"] else None
        hot = props[ID_PROPERTY] in layers.hot_townships
        labels.append((props["label_lat"], props["label_lon"],
                       _label_html(props["name"], value_text, park=False, out=not row["in_filter"],
                                   hot_text=hot_text if hot else None, mode=props.get("label_mode", LABEL_CENTRED),
                                   area_id=props[ID_PROPERTY], point_radius=radius + 2)))
    for feature in park_features:
        props = feature["properties"]
        row = park_rows[props[ID_PROPERTY]]
        # A park has no residents: per 10,000 is not defined, so its label shows the count.
        park_measure = "received" if measure == "per_10k" else measure
        value_text = format_value(row[park_measure], park_measure) if row["in_filter"] else None
        hot = props[ID_PROPERTY] in layers.hot_parks
        labels.append((props["label_lat"], props["label_lon"],
                       _label_html(props["name"], value_text, park=True, out=not row["in_filter"],
                                   hot_text=hot_text if hot else None, mode=LABEL_ABOVE,
                                   area_id=props[ID_PROPERTY])))
    if labels:
        _Labels(labels).add_to(m)

    _Legend(_legend_html(classes, measure, lang, bool(layers.hot_townships or layers.hot_parks))).add_to(m)
    _MetricScale().add_to(m)
    _Declutter(gap=14 if projection else 10).add_to(m)
    fit = bounds({"type": "FeatureCollection", "features": township_features + park_features})
    if fit:
        _FitUntilTouched(fit).add_to(m)
    return m


def _slim(feature: dict, **extra) -> dict:
    """The feature with only what the browser needs: the click reads the level and the id."""
    props = feature["properties"]
    return {"type": "Feature", "id": feature["id"], "geometry": feature["geometry"],
            "properties": {LEVEL_PROPERTY: props[LEVEL_PROPERTY], ID_PROPERTY: props[ID_PROPERTY], **extra}}


def _with_tooltip(feature: dict, rows: dict[int, dict], measure: str, lang: str) -> dict:
    row = rows[feature["properties"][ID_PROPERTY]]
    if feature["properties"][LEVEL_PROPERTY] == "park" and measure == "per_10k":
        measure = "received"
    value = format_value(row[measure], measure) if row["in_filter"] else DASH
    text = f"{feature['properties']['name']}: {translate(f'map.measure.{measure}', lang)} {value}"
    # The tooltip is shown as HTML: names come from imported files.
    return _slim(feature, tooltip=html_text(text))


def selection_layer(collection: dict, area_id: int | None) -> folium.FeatureGroup | None:
    """A thick outline around the selected area, added without re-mounting the map.

    Passed to ``st_folium(feature_group_to_add=...)``: streamlit-folium swaps
    it in the running map, so a click does not reload the map or lose its zoom.
    """
    if area_id is None:
        return None
    # Only what the outline needs: the name (from a file) is not sent again.
    features = [_slim(f) for f in collection["features"] if f["properties"][ID_PROPERTY] == area_id]
    if not features:
        return None
    group = folium.FeatureGroup(name="selection", control=False)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=lambda feature: {"fill": False, "color": "#000000", "weight": 5, "opacity": 0.9,
                                        "dashArray": "2 8" if feature["properties"][LEVEL_PROPERTY] == "park" else None},
        interactive=False,
    ).add_to(group)
    return group


def clicked_area(returned: dict | None) -> tuple[str, int] | None:
    """(level, id) of the area a click selected, from st_folium's return value; None otherwise.

    streamlit-folium 0.27 sets ``last_active_drawing`` to the clicked layer's
    ``toGeoJSON()``: for a feature of our GeoJson layers, a Feature whose
    properties carry the level and the area id (a click on a reception point
    gives a Point without them, and selects nothing).
    """
    if not returned:
        return None
    feature = returned.get("last_active_drawing") or {}
    props = feature.get("properties") or {}
    level, area_id = props.get(LEVEL_PROPERTY), props.get(ID_PROPERTY)
    if level not in ("township", "park") or not isinstance(area_id, (int, float)):
        return None
    return level, int(area_id)
