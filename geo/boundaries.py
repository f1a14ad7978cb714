"""Township and park boundaries: read a survey office's file, repair it, store it.

Reads GeoJSON, Shapefiles (``.shp`` with sidecars, or zipped) and GeoPackages
through pyogrio. What real survey deliveries get wrong, and what happens:

- **CRS.** Reprojected to WGS84 for storage and display. A file with no CRS is
  refused with a hint naming the CRS its numbers look like (never guessed
  silently); a Gauss-Krüger ``.prj`` whose zone-number convention disagrees
  with the eastings is reconciled (see :mod:`geo.crs`); a result outside China
  is refused.
- **Attribute encoding.** Shapefile text is GBK as often as UTF-8, with or
  without a ``.cpg``. The ``.dbf`` bytes decide (UTF-8 if they decode as
  UTF-8, else GB18030, a superset of GBK); ``encoding=`` overrides.
- **Field names.** XZQMC/XZQDM (国土调查 standard), 名称, 乡镇名称, 园区名称,
  NAME, name … are recognised; ``name_field=``/``code_field=`` override.
- **Geometry.** Invalid or self-intersecting rings are repaired with
  ``make_valid`` keeping only polygonal parts; several features for one place
  are merged into one multipolygon; the original is stored and a copy
  simplified in metres (shared borders kept shared when the layer is a clean
  coverage) is stored for display.

Re-importing updates rows in place, matched by code when the file has one and
by name otherwise. Rows are never deleted, so cases stay attached.
Nothing here imports Streamlit.

Bounds (issue 15, :class:`~data.importing.limits.UploadLimits`): a zip's
central directory is checked before anything is extracted; the feature count
before the features are read; vertices per feature and in all before any
geometry work; and an invalid polygon is repaired only when its rings cross
themselves at few points (make_valid is super-linear in the crossings). A file
from outside is read in a child process (:func:`read_boundary_file`), so
that a GDAL or GEOS crash, a runaway allocation or a repair that never ends
costs one line, not the server.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import polars as pl
import pyogrio
import shapely
from pyproj import CRS
from sqlalchemy import Connection, Engine, func, insert, select, update

from config.clock import local_now
from data.importing.limits import DEFAULT_LIMITS, UploadLimits, UploadTooLarge, check_zip_directory, number
from data.models import Case, ImportBatch, Park, Township
from geo.crs import (
    WGS84,
    CRSProblem,
    check_in_china,
    guess_from_coordinates,
    metric_crs_for,
    reconcile_zone_prefix,
)
from text.markup import plotly_text

LAYERS = ("township", "park")
# Display copies: 20 m is invisible at county scale and cuts survey rings
# (a point every metre or two) by one to two orders of magnitude.
DEFAULT_SIMPLIFY_METRES = 20.0
# Zip bombs, counts and sizes: data/importing/limits.py (one place for every upload limit).
MAX_UPLOAD_BYTES = DEFAULT_LIMITS.max_file_bytes

# Recognised without flags, in order of preference (compared after NFKC and case-folding).
NAME_FIELDS = {
    "township": ("XZQMC", "乡镇名称", "乡镇街道名称", "街道名称", "镇名称", "乡镇", "名称", "NAME", "MC", "QHMC"),
    "park": ("园区名称", "园区", "名称", "XZQMC", "NAME", "MC"),
}
CODE_FIELDS = {
    "township": ("XZQDM", "行政区划代码", "区划代码", "乡镇代码", "代码", "编码", "CODE", "ADCODE", "DM", "QHDM"),
    "park": ("园区代码", "园区编码", "代码", "编码", "CODE", "XZQDM", "DM"),
}
SHAPE_SIDECARS = (".shx", ".dbf", ".prj", ".cpg")


class BoundaryError(ValueError):
    """The boundary file cannot be used; the message is one clear line."""


@dataclass
class BoundarySet:
    """Boundaries read and repaired, ready to preview and store (all geometry in WGS84)."""

    layer: str
    # Columns: name, code (or None), geometry (original, repaired), display, centroid_lon, centroid_lat.
    features: gpd.GeoDataFrame
    source_crs: str
    encoding: str | None
    name_field: str
    code_field: str | None
    notes: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return list(self.features["name"])


@dataclass
class BoundaryImportResult:
    layer: str
    created: list[str]
    updated: list[str]
    unchanged: list[str]
    batch_id: int
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "layer": self.layer,
            "features": len(self.created) + len(self.updated) + len(self.unchanged),
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "notes": self.notes,
        }


def normalise_name(value: object) -> str:
    """Full-width to half-width, every kind of space removed (names are matched on this)."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"\s+", "", text)


def township_kind(name: str) -> str:
    """镇 town, 乡 township, 街道 sub-district: read from the name's suffix."""
    if name.endswith(("街道", "街道办事处", "办事处")):
        return "subdistrict"
    if name.endswith("乡"):
        return "township"
    return "town"


# ---------------------------------------------------------------------------
# Reading


def _safe_extract(archive: Path, target: Path, limits: UploadLimits = DEFAULT_LIMITS) -> None:
    """Unpack a zip after checking its whole directory: counts, names, sizes, paths (issue 15)."""
    try:
        check_zip_directory(archive, limits)
    except UploadTooLarge as exc:
        raise BoundaryError(str(exc)) from exc
    with zipfile.ZipFile(archive) as zf:
        planned = []
        for info in zf.infolist():
            name = info.filename
            # Zip files made on Chinese Windows store GBK names flagged as cp437.
            if not info.flag_bits & 0x800:
                try:
                    name = name.encode("cp437").decode("gb18030")
                except (UnicodeEncodeError, UnicodeDecodeError):
                    pass
            parts = Path(name).parts
            if Path(name).is_absolute() or ".." in parts:
                raise BoundaryError(f"the zip file holds an unsafe path: {name[:100]!r}")
            if not info.is_dir():
                planned.append((info, name))
        for info, name in planned:
            dest = target / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out)


def _find_dataset(folder: Path) -> Path:
    found = [
        p
        for p in sorted(folder.rglob("*"))
        if p.suffix.lower() in {".shp", ".gpkg", ".geojson", ".json"} and "__MACOSX" not in p.parts
    ]
    if not found:
        raise BoundaryError("the zip file holds no .shp, .gpkg or .geojson file")
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise BoundaryError(f"the zip file holds several boundary files ({names}): zip one at a time")
    return found[0]


def _dbf_records(dbf: Path, limit: int = 4 * 1024 * 1024) -> bytes:
    with open(dbf, "rb") as fh:
        header = fh.read(32)
        if len(header) < 32:
            return b""
        header_len = int.from_bytes(header[8:10], "little")
        fh.seek(header_len)
        return fh.read(limit)


def detect_dbf_encoding(shp: Path) -> tuple[str | None, str | None]:
    """The encoding of a shapefile's attribute text, judged from the bytes; and a note.

    UTF-8 when the text decodes as UTF-8 (GBK text almost never does),
    otherwise GB18030 (a superset of GBK). ``None`` when the text is plain
    ASCII (any encoding reads it). A ``.cpg`` that contradicts the bytes is
    reported in the note and overruled.
    """
    dbf = shp.with_suffix(".dbf")
    if not dbf.exists():
        dbf = next((p for p in shp.parent.glob(shp.stem + ".*") if p.suffix.lower() == ".dbf"), dbf)
    cpg = next((p for p in shp.parent.glob(shp.stem + ".*") if p.suffix.lower() == ".cpg"), None)
    declared = cpg.read_text(encoding="ascii", errors="replace").strip() if cpg else None
    raw = _dbf_records(dbf) if dbf.exists() else b""
    if raw.isascii():
        return declared, None
    try:
        raw.decode("utf-8")
        detected = "UTF-8"
    except UnicodeDecodeError as exc:
        # A read limit may cut a multi-byte character at the very end.
        detected = "UTF-8" if exc.start >= len(raw) - 3 and exc.reason == "unexpected end of data" else None
        if detected is None:
            try:
                raw.decode("gb18030")
                detected = "GB18030"
            except UnicodeDecodeError:
                return declared, None
    note = None
    if declared and _encoding_family(declared) != _encoding_family(detected):
        note = f"the .cpg file says {declared} but the attribute text is {detected}; read as {detected}"
    return detected, note


def _encoding_family(name: str) -> str:
    name = name.upper().replace("-", "").replace("_", "")
    if name in {"UTF8", "65001"}:
        return "utf8"
    if name in {"GBK", "GB2312", "GB18030", "CP936", "936", "EUCCN"}:
        return "gbk"
    return name


def _read_geojson_text(path: Path, encoding: str | None) -> tuple[Path, str]:
    """GeoJSON is UTF-8 by specification, but GBK ones exist: re-encode those to a UTF-8 copy."""
    data = path.read_bytes()
    if encoding:
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise BoundaryError(f"the file does not decode as {encoding}") from exc
        used = encoding
    else:
        try:
            text = data.decode("utf-8-sig")
            used = "UTF-8"
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
                used = "GB18030"
            except UnicodeDecodeError as exc:
                raise BoundaryError("the GeoJSON text is neither UTF-8 nor GBK") from exc
    if used == "UTF-8" and not data.startswith(b"\xef\xbb\xbf"):
        return path, used
    copy = path.with_name(path.stem + ".utf8.geojson")
    copy.write_text(text, encoding="utf-8")
    return copy, used


def _pick_field(columns: list[str], wanted: str | None, candidates: tuple[str, ...], what: str) -> str | None:
    folded = {unicodedata.normalize("NFKC", c).strip().casefold(): c for c in columns}
    if wanted:
        key = unicodedata.normalize("NFKC", wanted).strip().casefold()
        if key not in folded:
            raise BoundaryError(f"the file has no field {wanted!r} (fields: {', '.join(columns)})")
        return folded[key]
    for candidate in candidates:
        hit = folded.get(candidate.casefold())
        if hit is not None:
            return hit
    return None


def _code_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:  # NaN from a numeric DBF field
            return None
        if value.is_integer():
            return str(int(value))
    text = normalise_name(value)
    return text or None


def _polygonal(geom):
    """Only the polygonal parts of ``geom`` (make_valid may return lines or points too)."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in {"Polygon", "MultiPolygon"}:
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in {"Polygon", "MultiPolygon"}]
    if not parts:
        return None
    return shapely.union_all(parts)


def read_boundaries(
    source: str | Path,
    *,
    layer: str = "township",
    name_field: str | None = None,
    code_field: str | None = None,
    encoding: str | None = None,
    crs: str | None = None,
    source_layer: str | None = None,
    simplify_metres: float = DEFAULT_SIMPLIFY_METRES,
    limits: UploadLimits = DEFAULT_LIMITS,
) -> BoundarySet:
    """Read, reproject, repair and simplify a boundary file. Raises :class:`BoundaryError`.

    This parses in the calling process: for a file from outside call
    :func:`read_boundary_file` or :func:`read_boundary_upload`, which run it
    in a child process with memory and time limits.

    ``source`` is a ``.geojson``/``.json``, ``.shp`` (sidecars beside it),
    ``.gpkg`` or ``.zip`` holding one of those. ``crs`` is used only when the
    file declares none (e.g. ``"EPSG:4527"``); ``source_layer`` picks a layer
    of a GeoPackage holding several.
    """
    if layer not in LAYERS:
        raise BoundaryError(f"layer must be one of {', '.join(LAYERS)}")
    path = Path(source)
    if not path.exists():
        raise BoundaryError(f"no such file: {path}")
    if path.is_file() and path.stat().st_size > limits.max_file_bytes:
        raise BoundaryError(
            f"文件超出上限（最多 {limits.max_file_bytes // 2**20} MB）：请分成几个文件"
            f" / the file is larger than {limits.max_file_bytes // 2**20} MB: split it"
        )
    with tempfile.TemporaryDirectory(prefix="boundaries-") as tmp:
        work = Path(tmp)
        if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path) and path.suffix.lower() != ".gpkg":
            try:
                _safe_extract(path, work, limits)
            except zipfile.BadZipFile as exc:
                raise BoundaryError("the file is not a readable zip file") from exc
            dataset = _find_dataset(work)
        else:
            dataset = path
        return _read_dataset(
            dataset,
            work,
            layer=layer,
            name_field=name_field,
            code_field=code_field,
            encoding=encoding,
            crs=crs,
            source_layer=source_layer,
            simplify_metres=simplify_metres,
            limits=limits,
        )


def self_crossings(geom, stop: int) -> int:
    """How many pairs of non-adjacent ring segments meet, counted until ``stop`` is passed.

    0 for a valid polygon, 1 for a bow-tie, thousands for a scribble. Segments
    are matched through an STR-tree in slices, so memory stays small whatever
    the count; counting stops as soon as it is over ``stop``.
    """
    count = 0
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon":
            continue
        starts, ends, ring_ids, positions, lengths = [], [], [], [], []
        for k, ring in enumerate([poly.exterior, *poly.interiors]):
            coords = shapely.get_coordinates(ring)
            n = len(coords) - 1
            if n < 3:
                continue
            starts.append(coords[:-1])
            ends.append(coords[1:])
            ring_ids.append(np.full(n, k))
            positions.append(np.arange(n))
            lengths.append(np.full(n, n))
        if not starts:
            continue
        rid, pos, length = np.concatenate(ring_ids), np.concatenate(positions), np.concatenate(lengths)
        segments = shapely.linestrings(np.stack([np.concatenate(starts), np.concatenate(ends)], axis=1))
        tree = shapely.STRtree(segments)
        for first in range(0, len(segments), 64):
            left, right = tree.query(segments[first:first + 64], predicate="intersects")
            left = left + first
            keep = right > left
            left, right = left[keep], right[keep]
            gap = np.abs(pos[left] - pos[right])
            adjacent = (rid[left] == rid[right]) & ((gap == 1) | (gap == length[left] - 1))
            count += int((~adjacent).sum())
            if count > stop:
                return count
    return count


def _check_vertices(names: list[str], geoms, limits: UploadLimits) -> None:
    counts = shapely.get_num_coordinates(geoms)
    if len(counts) and int(counts.max()) > limits.max_vertices_per_polygon:
        i = int(counts.argmax())
        raise BoundaryError(
            f"要素“{names[i]}”有 {number(int(counts[i]))} 个顶点，超出上限（最多 "
            f"{number(limits.max_vertices_per_polygon)} 个）：请先在 GIS 软件中简化（如 1 米容差）后再导入"
            f" / feature {names[i]} has {number(int(counts[i]))} vertices, beyond the limit "
            f"({number(limits.max_vertices_per_polygon)}): simplify it in a GIS first (e.g. 1 m tolerance)"
        )
    total = int(counts.sum())
    if total > limits.max_vertices_total:
        raise BoundaryError(
            f"文件共有 {number(total)} 个顶点，超出上限（最多 {number(limits.max_vertices_total)} 个）："
            "请先简化或分成几个文件"
            f" / the file has {number(total)} vertices, beyond the limit ({number(limits.max_vertices_total)}): "
            "simplify it or split it"
        )


def _repair(name: str, geom, limits: UploadLimits):
    crossings = self_crossings(geom, limits.max_repair_crossings)
    if crossings > limits.max_repair_crossings:
        raise BoundaryError(
            f"要素“{name}”的边界自相交超过 {number(limits.max_repair_crossings)} 处，无法自动修复："
            "请在 GIS 软件中修复后再导入"
            f" / the boundary of {name} crosses itself at more than {number(limits.max_repair_crossings)} "
            "points and cannot be repaired automatically: fix it in a GIS first"
        )
    return _polygonal(shapely.make_valid(geom))


def _read_dataset(dataset: Path, work: Path, *, layer, name_field, code_field, encoding, crs, source_layer,
                  simplify_metres, limits: UploadLimits = DEFAULT_LIMITS) -> BoundarySet:
    notes: list[str] = []
    suffix = dataset.suffix.lower()
    read_kwargs: dict = {}
    used_encoding = encoding
    if suffix == ".shp":
        missing = [s for s in (".shx", ".dbf") if not any(
            p.suffix.lower() == s for p in dataset.parent.glob(dataset.stem + ".*"))]
        if missing:
            raise BoundaryError(f"the shapefile lacks its {' and '.join(missing)} file (send all sidecar files)")
        if not encoding:
            used_encoding, note = detect_dbf_encoding(dataset)
            if note:
                notes.append(note)
        if used_encoding:
            read_kwargs["encoding"] = used_encoding
    elif suffix in {".geojson", ".json"}:
        dataset, used_encoding = _read_geojson_text(dataset, encoding)
    elif suffix == ".gpkg":
        used_encoding = "UTF-8"  # SQLite text: always UTF-8
        try:
            layers = pyogrio.list_layers(dataset)
        except Exception as exc:
            raise BoundaryError(f"the GeoPackage cannot be read: {type(exc).__name__}") from exc
        polygon_layers = [str(n) for n, kind in layers if kind and "POLYGON" in str(kind).upper()]
        if source_layer:
            read_kwargs["layer"] = source_layer
        elif len(polygon_layers) == 1:
            read_kwargs["layer"] = polygon_layers[0]
        elif len(polygon_layers) > 1:
            raise BoundaryError(f"the GeoPackage has several polygon layers ({', '.join(polygon_layers)}): pick one")
    else:
        raise BoundaryError(f"not a boundary file: {dataset.name} (use GeoJSON, a zipped shapefile or a GeoPackage)")

    try:
        features = pyogrio.read_info(dataset, layer=read_kwargs.get("layer")).get("features", 0)
    except Exception:
        features = 0  # unknown before reading (a driver that cannot count): counted after
    if features > limits.max_features:
        raise BoundaryError(
            f"文件有 {number(features)} 个要素，超出上限（最多 {number(limits.max_features)} 个）："
            "请只导出本县的乡镇或园区"
            f" / the file holds {number(features)} features, beyond the limit ({number(limits.max_features)}): "
            "export only this county's townships or parks"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gdf = gpd.read_file(dataset, engine="pyogrio", **read_kwargs)
    except (LookupError, UnicodeDecodeError) as exc:
        raise BoundaryError(f"the attribute text does not decode as {used_encoding}") from exc
    except Exception as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BoundaryError(f"the file cannot be read as boundaries: {first}") from exc
    if gdf.empty:
        raise BoundaryError("the file holds no features")
    if len(gdf) > limits.max_features:
        raise BoundaryError(
            f"文件有 {number(len(gdf))} 个要素，超出上限（最多 {number(limits.max_features)} 个）："
            "请只导出本县的乡镇或园区"
            f" / the file holds {number(len(gdf))} features, beyond the limit ({number(limits.max_features)}): "
            "export only this county's townships or parks"
        )

    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    name_col = _pick_field(columns, name_field, NAME_FIELDS[layer], "name")
    if name_col is None:
        raise BoundaryError(
            f"no name field recognised (fields: {', '.join(columns)}): pass --name-field"
        )
    code_col = _pick_field(columns, code_field, CODE_FIELDS[layer], "code")

    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    if gdf.empty:
        raise BoundaryError("the file holds no geometry")
    # Before any geometry work: reprojection and repair cost time in the vertices.
    _check_vertices([normalise_name(v) or "?" for v in gdf[name_col]], gdf.geometry.values, limits)
    bounds = tuple(float(v) for v in gdf.total_bounds)
    source = gdf.crs
    if source is None:
        if crs is None:
            hint = guess_from_coordinates(bounds)
            raise CRSProblem(
                "the file has no CRS (no .prj, or one that cannot be read)"
                + (f"; {hint}" if hint else "")
                + ": add the .prj or pass --crs EPSG:<code>"
            )
        try:
            source = CRS.from_user_input(crs)
        except Exception as exc:
            raise BoundaryError(f"not a CRS: {crs!r}") from exc
        gdf = gdf.set_crs(source)
    source, note = reconcile_zone_prefix(CRS.from_user_input(source), bounds)
    if note:
        notes.append(note)
        gdf = gdf.set_crs(source, allow_override=True)

    gdf = gdf.to_crs(WGS84)
    check_in_china(tuple(float(v) for v in gdf.total_bounds), source)

    names = [normalise_name(v) for v in gdf[name_col]]
    codes = [_code_text(v) for v in gdf[code_col]] if code_col else [None] * len(gdf)
    geoms = shapely.force_2d(gdf.geometry.values)

    repaired = dropped = 0
    merged: dict[tuple[str | None, str], list] = {}
    key_codes: dict[str, str] = {}
    for name, code, geom in zip(names, codes, geoms, strict=True):
        if not name:
            dropped += 1
            continue
        if not shapely.is_valid(geom):
            geom = _repair(name, geom, limits)
            repaired += 1
        else:
            geom = _polygonal(geom)
        if geom is None:
            dropped += 1
            continue
        merged.setdefault((code, name), []).append(geom)
        if code:
            if key_codes.setdefault(code, name) != name:
                raise BoundaryError(f"code {code} is given to two places ({key_codes[code]} and {name})")
    if repaired:
        notes.append(f"{repaired} invalid or self-intersecting geometries repaired")
    if dropped:
        notes.append(f"{dropped} features without a name or without polygon geometry skipped")
    several = [name for (_, name), parts in merged.items() if len(parts) > 1]
    if several:
        notes.append(f"several features merged into one for: {', '.join(several)}")
    if not merged:
        raise BoundaryError("no feature has both a name and polygon geometry")
    seen_names: dict[str, str | None] = {}
    for code, name in merged:
        if name in seen_names:
            raise BoundaryError(f"the name {name} is used by two features with different codes")
        seen_names[name] = code

    keys = list(merged)
    original = [shapely.union_all(parts) if len(parts) > 1 else parts[0] for parts in merged.values()]
    original = [g if g.is_valid else _polygonal(shapely.make_valid(g)) for g in original]
    features = gpd.GeoDataFrame(
        {"name": [k[1] for k in keys], "code": [k[0] for k in keys]},
        geometry=original,
        crs=WGS84,
    )
    _add_display_and_centroids(features, simplify_metres)
    return BoundarySet(
        layer=layer,
        features=features,
        source_crs=CRS.from_user_input(source).name,
        encoding=used_encoding,
        name_field=name_col,
        code_field=code_col,
        notes=notes,
    )


def _add_display_and_centroids(features: gpd.GeoDataFrame, tolerance: float) -> None:
    lon, lat = features.geometry.union_all().centroid.coords[0]
    metric = metric_crs_for(lon, lat)
    projected = features.geometry.to_crs(metric)
    geoms = projected.values
    # A clean coverage (neighbours share edges exactly) is simplified as a whole
    # so that shared borders stay shared; anything else polygon by polygon.
    try:
        clean_coverage = bool(shapely.coverage_is_valid(geoms))
    except Exception:
        clean_coverage = False
    if clean_coverage and tolerance > 0:
        simplified = shapely.coverage_simplify(geoms, tolerance)
    else:
        simplified = shapely.simplify(geoms, tolerance, preserve_topology=True)
    display = gpd.GeoSeries(simplified, crs=metric).to_crs(WGS84)
    # 1e-6° is about 0.1 m: plenty for a screen, and a third of the text.
    features["display"] = shapely.set_precision(display.values, 1e-6)
    centroids = projected.centroid
    inside = centroids.within(projected)
    points = centroids.where(inside, projected.representative_point())
    points = gpd.GeoSeries(points, crs=metric).to_crs(WGS84)
    features["centroid_lon"] = points.x.round(6)
    features["centroid_lat"] = points.y.round(6)


def _upload_suffix(data: bytes) -> str:
    head = data[:16]
    if head.startswith(b"PK\x03\x04"):
        return ".zip"
    if head.startswith(b"SQLite format 3\x00"):
        return ".gpkg"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return ".geojson"
    raise BoundaryError("not a GeoJSON, zipped shapefile or GeoPackage file")


def read_boundary_upload(data: bytes, filename: str, *, limits: UploadLimits = DEFAULT_LIMITS,
                         **kwargs) -> BoundarySet:
    """:func:`read_boundary_file` for an uploaded file, after checking what the bytes really are."""
    if len(data) > limits.max_file_bytes:
        raise BoundaryError(
            f"文件超出上限（最多 {limits.max_file_bytes // 2**20} MB）：请分成几个文件"
            f" / the file is larger than {limits.max_file_bytes // 2**20} MB: split it"
        )
    return read_boundary_file(data, filename, limits=limits, suffix=_upload_suffix(data), **kwargs)


BOUNDARY_REFUSALS = ("geo.boundaries:BoundaryError", "geo.crs:CRSProblem")


def read_boundary_file(source: str | Path | bytes, filename: str | None = None, *,
                       limits: UploadLimits = DEFAULT_LIMITS, suffix: str | None = None,
                       **kwargs) -> BoundarySet:
    """:func:`read_boundaries` run in a child process within ``limits`` (what the page and ``geo import`` call).

    A crash, a runaway allocation or a repair that does not end becomes a
    :class:`BoundaryError` of one line naming the file; the caller carries on.
    ``kwargs`` are those of :func:`read_boundaries`.
    """
    from data.importing.isolation import run_isolated

    if isinstance(source, bytes):
        shown = filename or "upload"
    else:
        path = Path(source)
        shown = filename or path.name
        if not path.exists():
            raise BoundaryError(f"no such file: {path}")
        if path.suffix.lower() == ".shp":
            # A shapefile's sidecars sit beside it: the child reads it in place.
            suffix = None
    kwargs = {**kwargs, "limits": limits, "suffix": suffix}
    with run_isolated("geo.boundaries:child_read_boundaries", source, shown, kwargs, limits=limits,
                      refusals=BOUNDARY_REFUSALS, error=BoundaryError, input_suffix=suffix) as (meta, work):
        table = pl.read_ipc(work / "features.arrow")
    features = gpd.GeoDataFrame(
        {"name": table["name"].to_list(), "code": table["code"].to_list()},
        geometry=shapely.from_wkb(table["geometry"].to_numpy()),
        crs=WGS84,
    )
    features["display"] = shapely.from_wkb(table["display"].to_numpy())
    features["centroid_lon"] = table["centroid_lon"].to_numpy()
    features["centroid_lat"] = table["centroid_lat"].to_numpy()
    return BoundarySet(layer=meta["layer"], features=features, source_crs=meta["source_crs"],
                       encoding=meta["encoding"], name_field=meta["name_field"], code_field=meta["code_field"],
                       notes=list(meta["notes"]))


def child_read_boundaries(input_path: Path, work: Path, *, limits: UploadLimits, suffix: str | None,
                          **kwargs) -> dict:
    """In the child: read and repair, then hand the features over as WKB in Arrow IPC (never pickled)."""
    if suffix and input_path.suffix.lower() != suffix:
        named = input_path.with_name("upload" + suffix)
        input_path.rename(named)
        input_path = named
    boundaries = read_boundaries(input_path, limits=limits, **kwargs)
    f = boundaries.features
    pl.DataFrame({
        "name": list(f["name"]),
        "code": [c or None for c in f["code"]],
        "geometry": shapely.to_wkb(np.asarray(f.geometry.values)),
        "display": shapely.to_wkb(np.asarray(f["display"])),
        "centroid_lon": [float(v) for v in f["centroid_lon"]],
        "centroid_lat": [float(v) for v in f["centroid_lat"]],
    }, schema={"name": pl.Utf8, "code": pl.Utf8, "geometry": pl.Binary, "display": pl.Binary,
               "centroid_lon": pl.Float64, "centroid_lat": pl.Float64}).write_ipc(work / "features.arrow")
    return {"layer": boundaries.layer, "source_crs": boundaries.source_crs, "encoding": boundaries.encoding,
            "name_field": boundaries.name_field, "code_field": boundaries.code_field, "notes": boundaries.notes}


# ---------------------------------------------------------------------------
# Storing


def _table(layer: str):
    return Township if layer == "township" else Park


def _park_townships(conn, features: gpd.GeoDataFrame) -> list[int | None]:
    """For each park, the township it overlaps most (None when no township boundary touches it)."""
    rows = conn.execute(
        select(Township.id, Township.boundary).where(Township.boundary.is_not(None))
    ).all()
    if not rows:
        return [None] * len(features)
    towns = gpd.GeoSeries(shapely.from_geojson([r.boundary for r in rows]), crs=WGS84)
    lon, lat = features.geometry.union_all().centroid.coords[0]
    metric = metric_crs_for(lon, lat)
    towns_m = towns.to_crs(metric).values
    result: list[int | None] = []
    for park in features.geometry.to_crs(metric).values:
        areas = shapely.area(shapely.intersection(towns_m, park))
        best = int(areas.argmax())
        result.append(rows[best].id if areas[best] > 0 else None)
    return result


def store_boundaries(
    conn: Connection,
    boundaries: BoundarySet,
    *,
    filename: str,
    file_sha256: str | None = None,
    username: str | None = None,
) -> BoundaryImportResult:
    """Store ``boundaries`` on ``conn`` (inside the write path's transaction): update matching rows in place, add new ones.

    A feature matches an existing row by code when both have one, else by
    name. No row is ever deleted, so cases keep their township or park.
    """
    table = _table(boundaries.layer)
    features = boundaries.features
    created: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    existing = conn.execute(
        select(
            table.id, table.code, table.name, table.boundary, table.boundary_display,
            table.centroid_lon, table.centroid_lat,
            *( [table.township_id] if table is Park else [] ),
        )
    ).all()
    by_code = {r.code: r for r in existing if r.code}
    by_name = {normalise_name(r.name): r for r in existing}
    park_towns = _park_townships(conn, features) if table is Park else [None] * len(features)

    batch_id = conn.execute(
        insert(ImportBatch).values(
            kind=boundaries.layer,
            filename=filename[:256],
            file_sha256=file_sha256,
            imported_at=local_now().replace(tzinfo=None, microsecond=0),
            username=username,
            rows=len(features),
        )
    ).inserted_primary_key[0]

    claimed: set[int] = set()
    for i, feat in enumerate(features.itertuples(index=False)):
        values = {
            "name": feat.name,
            "boundary": shapely.to_geojson(feat.geometry),
            "boundary_display": shapely.to_geojson(feat.display),
            "centroid_lon": float(feat.centroid_lon),
            "centroid_lat": float(feat.centroid_lat),
        }
        if feat.code:
            values["code"] = feat.code
        if table is Park and park_towns[i] is not None:
            values["township_id"] = park_towns[i]
        row = by_code.get(feat.code) if feat.code else None
        if row is None:
            candidate = by_name.get(feat.name)
            # A same-named row with another code is another place.
            if candidate is not None and not (feat.code and candidate.code and candidate.code != feat.code):
                row = candidate
        if row is None:
            if feat.name in by_name:
                raise BoundaryError(
                    f"{feat.name} already exists with code {by_name[feat.name].code}, "
                    f"the file gives {feat.code}: fix the code or the name"
                )
            if table is Township:
                values["kind"] = township_kind(feat.name)
            conn.execute(insert(table).values(**values))
            created.append(feat.name)
            continue
        if row.id in claimed:
            raise BoundaryError(f"two features of the file match the same stored place ({row.name})")
        claimed.add(row.id)
        clash = by_name.get(feat.name)
        if clash is not None and clash.id != row.id:
            raise BoundaryError(
                f"code {feat.code} is stored as {row.name}, but the name {feat.name} belongs to another place"
            )
        changes = {k: v for k, v in values.items() if getattr(row, k) != v}
        if changes:
            conn.execute(update(table).where(table.id == row.id).values(**changes))
            updated.append(feat.name)
        else:
            unchanged.append(feat.name)
    conn.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch_id)
        .values(imported=len(created), updated=len(updated), unchanged=len(unchanged))
    )
    return BoundaryImportResult(
        layer=boundaries.layer,
        created=created,
        updated=updated,
        unchanged=unchanged,
        batch_id=batch_id,
        notes=list(boundaries.notes),
    )


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def townships_without_boundary(engine: Engine) -> list[str]:
    """Townships that case data refers to but that have no boundary, by name.

    Two sources: stored townships with cases but no boundary, and township
    names in quarantined case rows refused as unknown (they will have a home
    once their boundary is imported).
    """
    from data.importing.reasons import unknown_township_values

    with engine.connect() as conn:
        stored = conn.execute(
            select(Township.name)
            .where(Township.boundary.is_(None))
            .where(select(func.count(Case.id)).where(Case.township_id == Township.id).scalar_subquery() > 0)
            .order_by(Township.name)
        ).scalars().all()
        unknown = unknown_township_values(conn)
    return sorted(set(stored) | set(unknown))


# ---------------------------------------------------------------------------
# Preview


def outline_figure(boundaries: BoundarySet):
    """A fully offline Plotly figure of the outlines in lon/lat, labelled at the centroids."""
    import plotly.graph_objects as go

    features = boundaries.features
    xs: list[float | None] = []
    ys: list[float | None] = []
    for geom in features["display"]:
        for poly in shapely.get_parts(geom):
            for ring in [poly.exterior, *poly.interiors]:
                coords = list(ring.coords)
                xs.extend(c[0] for c in coords)
                ys.extend(c[1] for c in coords)
                xs.append(None)
                ys.append(None)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"width": 1.5, "color": "#1f4e79"},
                             hoverinfo="skip", showlegend=False))
    fig.add_trace(go.Scatter(
        x=list(features["centroid_lon"]), y=list(features["centroid_lat"]), mode="text",
        # Names come from the uploaded file: Plotly would draw <a href>, <b>… in them.
        text=[plotly_text(name) for name in features["name"]], textfont={"size": 14}, hoverinfo="text", showlegend=False,
    ))
    import math

    mid_lat = float(features["centroid_lat"].mean())
    fig.update_yaxes(scaleanchor="x", scaleratio=1 / max(0.2, math.cos(math.radians(mid_lat))),
                     showgrid=False, visible=False)
    fig.update_xaxes(showgrid=False, visible=False)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, plot_bgcolor="white", height=520)
    return fig
