"""Coordinate reference systems of Chinese survey data, and the checks that catch a wrong one.

Land-survey offices deliver boundaries in CGCS2000 (EPSG:4490), usually
projected with a Gauss-Krüger transverse Mercator in 3° or 6° zones. EPSG has
two codes for every zone: one whose false easting carries the zone number
(x = 39 500 000 in 3° zone 39) and one whose does not (x = 500 000). Files in
the wild often carry the wrong one of the two in their ``.prj``; the numbers
themselves tell which one is meant, so :func:`reconcile_zone_prefix` repairs
that case instead of putting the county in the ocean.

| EPSG        | what                                           |
| ----------- | ---------------------------------------------- |
| 4490        | CGCS2000 geographic (lon/lat)                  |
| 4491–4501   | 6° zones 13–23, zone number in the easting     |
| 4502–4512   | 6° zones, central meridian 75°E–135°E, no zone |
| 4513–4533   | 3° zones 25–45, zone number in the easting     |
| 4534–4554   | 3° zones, central meridian 75°E–135°E, no zone |
| 4326        | WGS84 geographic                               |

Nothing here imports Streamlit.
"""

from __future__ import annotations

import copy
import math

from pyproj import CRS

WGS84 = CRS.from_epsg(4326)
CGCS2000 = CRS.from_epsg(4490)

# Mainland China, its islands and a margin: a county reprojected outside this
# box was read with the wrong CRS.
CHINA_LON = (73.0, 136.0)
CHINA_LAT = (3.0, 54.0)


class CRSProblem(ValueError):
    """The file's coordinate reference system is missing, unusable or wrong (one clear line)."""


def gk_3deg_epsg(zone: int, with_zone: bool = True) -> int | None:
    """EPSG code of CGCS2000 3° Gauss-Krüger zone ``zone`` (25–45; central meridian 3·zone)."""
    if not 25 <= zone <= 45:
        return None
    return (4513 if with_zone else 4534) + zone - 25


def gk_6deg_epsg(zone: int, with_zone: bool = True) -> int | None:
    """EPSG code of CGCS2000 6° Gauss-Krüger zone ``zone`` (13–23; central meridian 6·zone − 3)."""
    if not 13 <= zone <= 23:
        return None
    return (4491 if with_zone else 4502) + zone - 13


def guess_from_coordinates(bounds: tuple[float, float, float, float]) -> str | None:
    """A hint naming the CRS the numbers look like, for the "no CRS" message (never applied silently)."""
    minx, miny, maxx, maxy = bounds
    if CHINA_LON[0] <= minx and maxx <= CHINA_LON[1] and CHINA_LAT[0] <= miny and maxy <= CHINA_LAT[1]:
        return "the coordinates look like longitude/latitude: CGCS2000 is EPSG:4490, WGS84 is EPSG:4326"
    if 1e7 <= minx and maxx < 1e8 and 0 < miny < 6.5e6:
        zone = int(minx // 1_000_000)
        if int(maxx // 1_000_000) == zone:
            code = gk_3deg_epsg(zone) or gk_6deg_epsg(zone)
            if code:
                width = 3 if gk_3deg_epsg(zone) else 6
                return (
                    f"the eastings carry Gauss-Krüger zone number {zone}: "
                    f"CGCS2000 {width}° zone {zone} is EPSG:{code}"
                )
    if 0 < minx and maxx < 1e6 and 0 < miny < 6.5e6:
        return (
            "the coordinates look like Gauss-Krüger metres without a zone number: the central "
            "meridian must be known (CGCS2000 3° zones are EPSG:4534–4554)"
        )
    return None


def _tm_parameters(crs: CRS) -> dict | None:
    """False easting and central meridian of a transverse Mercator CRS, else None."""
    if not crs.is_projected or crs.coordinate_operation is None:
        return None
    op = crs.coordinate_operation
    method = (op.method_name or "").lower()
    if "transverse mercator" not in method and "gauss" not in method:
        return None
    values = {}
    for param in op.params:
        name = param.name.lower()
        if name == "false easting":
            values["false_easting"] = param.value
        elif name in {"longitude of natural origin", "longitude of origin", "central meridian"}:
            values["central_meridian"] = param.value
    if "false_easting" not in values or "central_meridian" not in values:
        return None
    return values


def _with_false_easting(crs: CRS, false_easting: float) -> CRS:
    """The same CRS with another false easting (a custom CRS, for datums other than CGCS2000)."""
    doc = copy.deepcopy(crs.to_json_dict())
    doc.pop("id", None)
    for param in doc.get("conversion", {}).get("parameters", []):
        if param.get("name", "").lower() == "false easting":
            param["value"] = false_easting
    doc["name"] = f"{doc.get('name', 'Transverse Mercator')} (false easting {false_easting:.0f})"
    return CRS.from_json_dict(doc)


def _is_cgcs2000(crs: CRS) -> bool:
    geodetic = crs.geodetic_crs
    if geodetic is None:
        return False
    return geodetic.to_epsg() == 4490 or "2000" in (geodetic.datum.name if geodetic.datum else "")


def _cgcs2000_code(crs: CRS, meridian: float, zone: int | None) -> int | None:
    """The EPSG code of the CGCS2000 GK CRS with this central meridian, with ``zone`` in the easting or none."""
    if zone is not None:
        if math.isclose(meridian, 3 * zone):
            return gk_3deg_epsg(zone)
        if math.isclose(meridian, 6 * zone - 3):
            return gk_6deg_epsg(zone)
        return None
    code = crs.to_epsg() or 0
    if 4491 <= code <= 4501:  # 6° with zone → the same 6° zone without
        return code + 11
    if math.isclose(meridian % 3, 0):
        return gk_3deg_epsg(round(meridian / 3), with_zone=False)
    return gk_6deg_epsg(round((meridian + 3) / 6), with_zone=False)


def _retarget(crs: CRS, false_easting: float, meridian: float, zone: int | None) -> CRS:
    if _is_cgcs2000(crs):
        code = _cgcs2000_code(crs, meridian, zone)
        if code:
            return CRS.from_epsg(code)
    return _with_false_easting(crs, false_easting)


def reconcile_zone_prefix(crs: CRS, bounds: tuple[float, float, float, float]) -> tuple[CRS, str | None]:
    """Fix a Gauss-Krüger CRS whose zone-number convention disagrees with the coordinates.

    Returns the CRS to use and a note for the user when it was changed.
    Raises :class:`CRSProblem` when the zone in the eastings contradicts the
    central meridian in the ``.prj``.
    """
    params = _tm_parameters(crs)
    if params is None:
        return crs, None
    minx, _, maxx, _ = bounds
    false_easting = params["false_easting"]
    meridian = params["central_meridian"]
    prefixed_numbers = 1e7 <= minx and maxx < 1e8
    plain_numbers = -1e6 < minx and maxx < 2e6
    if prefixed_numbers and false_easting < 1e6:
        zone = int(minx // 1_000_000)
        if int(maxx // 1_000_000) != zone:
            raise CRSProblem("the eastings span two Gauss-Krüger zone numbers: the coordinates are not usable")
        if not (math.isclose(meridian, 3 * zone) or math.isclose(meridian, 6 * zone - 3)):
            raise CRSProblem(
                f"the eastings carry zone number {zone} but the .prj says central meridian {meridian:g}°E: "
                "the file's CRS is wrong"
            )
        fixed = _retarget(crs, zone * 1_000_000 + 500_000, meridian, zone)
        return fixed, f"the eastings carry zone number {zone} but the .prj has none; read as {fixed.name}"
    if plain_numbers and false_easting >= 1e7:
        fixed = _retarget(crs, 500_000, meridian, None)
        return fixed, f"the eastings carry no zone number but the .prj has one; read as {fixed.name}"
    return crs, None


def check_in_china(bounds: tuple[float, float, float, float], source_crs: CRS | None = None) -> None:
    """Raise :class:`CRSProblem` unless WGS84 ``bounds`` lie in and around China."""
    minx, miny, maxx, maxy = bounds
    if not all(math.isfinite(v) for v in bounds):
        raise CRSProblem("the coordinates could not be converted to longitude/latitude: the CRS is wrong")
    inside = (
        CHINA_LON[0] <= minx
        and maxx <= CHINA_LON[1]
        and CHINA_LAT[0] <= miny
        and maxy <= CHINA_LAT[1]
    )
    if inside:
        return
    where = f"lon {minx:.2f}…{maxx:.2f}, lat {miny:.2f}…{maxy:.2f}"
    declared = f" (the file says {source_crs.name})" if source_crs is not None else ""
    raise CRSProblem(f"the boundaries land nowhere near China ({where}){declared}: the CRS is wrong")


def metric_crs_for(lon: float, lat: float) -> CRS:
    """A metre-based CRS for simplification and areas near (lon, lat): the CGCS2000 3° zone there."""
    meridian = min(135, max(75, 3 * round(lon / 3)))
    return CRS.from_epsg(gk_3deg_epsg(meridian // 3, with_zone=False))
