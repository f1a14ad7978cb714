"""Boundaries of the fictional demo county 示范县, generated in code.

The county outline is an invented irregular ring (a smooth random radius around
a centre in the hills of southern China, WGS84 lon/lat); it copies no real
county's shape. It is tessellated into townships and sub-districts by a
Voronoi diagram of seeded points clipped to the outline, so the townships
cover the county exactly once. Three industrial parks are smaller polygons
lying inside three towns near the county seat.

Everything is deterministic for a given seed: the same seed gives the same
coordinates, to the last digit of the stored GeoJSON.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, Polygon, mapping

COUNTY_NAME = "示范县"
# Invented code: the province part "99" belongs to no Chinese province, so no
# code below can collide with a real administrative division.
COUNTY_CODE = "990101"

# Centre of the invented county (hilly inland southern China). Nothing is
# copied from the real place there: the shape is random.
CENTRE_LON = 119.9
CENTRE_LAT = 26.9
_KM_PER_DEG_LAT = 110.95
_KM_PER_DEG_LON = 111.32 * math.cos(math.radians(CENTRE_LAT))

# 1e-6 degrees is about 0.1 m: finer than any boundary survey, and it keeps
# the stored text short. Neighbours share vertices, so snapping both to the
# same grid keeps their shared edges identical.
GRID_DEGREES = 1e-6
# About 40 m: the simplified copy sent to the browser.
DISPLAY_TOLERANCE_DEGREES = 0.0004

SUBDISTRICT_DIRECTIONS = {"东": 90.0, "南": 180.0, "西": 270.0, "北": 0.0}
TOWN_NAMES = ("青岚镇", "鹤鸣镇", "碧潭镇", "松岚镇", "霞溪镇", "凤栖镇", "石渠镇", "望岭镇")
TOWNSHIP_NAMES = ("云溪乡", "竹坞乡", "梅岙乡", "岚谷乡")
PARK_NAMES = ("东湖工业园区", "金岭工业园区", "溪南工业园区")
N_SUBDISTRICTS = 3
N_TOWNSHIPS = len(TOWN_NAMES) + len(TOWNSHIP_NAMES) + N_SUBDISTRICTS  # 15

# Population ranges per kind: sub-districts are the dense county seat, 乡 the
# thinly settled hills.
_POPULATION_RANGE = {"subdistrict": (45_000, 85_000), "town": (22_000, 52_000), "township": (7_000, 16_000)}


@dataclass(frozen=True)
class DemoTownship:
    code: str
    name: str
    kind: str  # "town" 镇 | "township" 乡 | "subdistrict" 街道
    population: int
    geometry: Polygon


@dataclass(frozen=True)
class DemoPark:
    code: str
    name: str
    township_index: int  # index into DemoGeography.townships
    geometry: Polygon


@dataclass(frozen=True)
class DemoGeography:
    outline: Polygon
    seat: Point  # the county seat (县城), where the reception centre is
    townships: tuple[DemoTownship, ...]
    parks: tuple[DemoPark, ...]


def _to_lonlat(xy: np.ndarray) -> np.ndarray:
    """Local kilometres east/north of the centre to WGS84 lon/lat."""
    return np.column_stack([CENTRE_LON + xy[:, 0] / _KM_PER_DEG_LON, CENTRE_LAT + xy[:, 1] / _KM_PER_DEG_LAT])


def _snap(geom):
    return shapely.set_precision(geom, GRID_DEGREES)


def _outline(rng: np.random.Generator) -> Polygon:
    """An irregular, star-shaped county ring of about 1,800 km²."""
    angles = np.linspace(0.0, 2 * np.pi, 180, endpoint=False)
    radius = np.ones_like(angles)
    # A few low harmonics give lobes and bays; the jitter roughens the edge
    # the way a river- or ridge-following border looks on a map.
    for harmonic in range(2, 9):
        amplitude = rng.uniform(0.04, 0.13) / math.sqrt(harmonic - 1)
        radius += amplitude * np.cos(harmonic * angles + rng.uniform(0, 2 * np.pi))
    radius += rng.normal(0.0, 0.012, size=angles.size)
    radius = np.clip(radius, 0.55, None) * 23.0
    stretch = rng.uniform(1.1, 1.3)  # wider east-west than north-south
    xy = np.column_stack([radius * np.cos(angles) * stretch, radius * np.sin(angles) / stretch])
    return _snap(Polygon(_to_lonlat(xy)))


def _warp_field(rng: np.random.Generator):
    """A smooth displacement of the plane that bends the straight Voronoi edges into natural-looking borders.

    Each of the three waves has amplitude x wavenumber 0.2, so the
    displacement's Lipschitz constant is at most sqrt(2) x 0.6 < 1: the map is
    one-to-one and cannot fold a polygon onto itself. Shared vertices move identically, so neighbours stay
    neighbours with no gap or overlap.
    """
    waves = []
    for wavelength_km in (13.0, 6.0, 2.6):
        k = 2 * np.pi / wavelength_km
        amplitude_km = 0.2 / k
        directions = rng.uniform(0, 2 * np.pi, size=2)
        phases = rng.uniform(0, 2 * np.pi, size=2)
        waves.append((k, amplitude_km, directions, phases))

    def warp(coords: np.ndarray) -> np.ndarray:
        x = (coords[:, 0] - CENTRE_LON) * _KM_PER_DEG_LON
        y = (coords[:, 1] - CENTRE_LAT) * _KM_PER_DEG_LAT
        dx = np.zeros_like(x)
        dy = np.zeros_like(y)
        for k, amplitude, directions, phases in waves:
            dx += amplitude * np.sin(k * (x * np.cos(directions[0]) + y * np.sin(directions[0])) + phases[0])
            dy += amplitude * np.sin(k * (x * np.cos(directions[1]) + y * np.sin(directions[1])) + phases[1])
        return _to_lonlat(np.column_stack([x + dx, y + dy]))

    return warp


def _bend(geom, warp):
    # Densify first so the displacement has vertices to move (every ~300 m).
    return _snap(shapely.transform(shapely.segmentize(geom, 0.3 / _KM_PER_DEG_LAT), warp))


def _local_km(point: Point) -> tuple[float, float]:
    return ((point.x - CENTRE_LON) * _KM_PER_DEG_LON, (point.y - CENTRE_LAT) * _KM_PER_DEG_LAT)


def _sample_points(rng, region: Polygon, count: int, min_km: float, existing: list[tuple[float, float]]):
    """Rejection-sample ``count`` points in ``region`` at least ``min_km`` from each other and ``existing``."""
    minx, miny, maxx, maxy = region.bounds
    chosen = list(existing)
    new: list[tuple[float, float]] = []
    spacing = min_km
    attempts = 0
    while len(new) < count:
        attempts += 1
        if attempts % 2000 == 0:
            spacing *= 0.9  # an unlucky outline: relax rather than loop forever
        lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if not region.contains(Point(lon, lat)):
            continue
        x, y = _local_km(Point(lon, lat))
        if all((x - cx) ** 2 + (y - cy) ** 2 >= spacing**2 for cx, cy in chosen):
            chosen.append((x, y))
            new.append((x, y))
    return new


def _voronoi_cells(outline: Polygon, seeds_lonlat: np.ndarray) -> list:
    diagram = shapely.voronoi_polygons(
        MultiPoint(seeds_lonlat), extend_to=outline.buffer(0.5), ordered=True
    )
    return [cell.intersection(outline) for cell in diagram.geoms]


def _largest_part(geom) -> Polygon:
    if geom.geom_type == "Polygon":
        return geom
    return max(geom.geoms, key=lambda part: part.area)


def _repair_fragments(cells: list) -> list[Polygon]:
    """Give each cell one piece: a stray fragment (a bay cut off by the outline) joins the neighbour it borders most."""
    cells = list(cells)
    for index, cell in enumerate(cells):
        if cell.geom_type == "Polygon":
            continue
        keep = _largest_part(cell)
        cells[index] = keep
        for fragment in cell.geoms:
            if fragment.equals(keep):
                continue
            shared = [
                (fragment.boundary.intersection(other.boundary).length, other_index)
                for other_index, other in enumerate(cells)
                if other_index != index
            ]
            _, target = max(shared)
            cells[target] = _largest_part(shapely.union(cells[target], fragment))
    return cells


def _lloyd(outline: Polygon, seeds_xy: np.ndarray, movable: np.ndarray, rounds: int) -> np.ndarray:
    """Move the rural seeds towards their cells' centroids: rounder, more even townships."""
    seeds_xy = seeds_xy.copy()
    for _ in range(rounds):
        cells = _voronoi_cells(outline, _to_lonlat(seeds_xy))
        for index in np.flatnonzero(movable):
            centroid = cells[index].centroid
            if not centroid.is_empty:
                seeds_xy[index] = _local_km(centroid)
    return seeds_xy


def _bearing(dx: float, dy: float) -> float:
    """Compass bearing in degrees (0 = north, 90 = east)."""
    return math.degrees(math.atan2(dx, dy)) % 360.0


def _subdistrict_names(bearings: list[float]) -> list[str]:
    """城东/城南/城西/城北街道 by each sub-district's direction from the seat, each direction used once."""
    names: list[str | None] = [None] * len(bearings)
    free = dict(SUBDISTRICT_DIRECTIONS)
    pairs = sorted(
        ((min(abs(b - a), 360 - abs(b - a)), i, d) for i, b in enumerate(bearings) for d, a in free.items())
    )
    for _, index, direction in pairs:
        if names[index] is None and direction in free:
            names[index] = f"城{direction}街道"
            del free[direction]
    return names  # type: ignore[return-value]


def _blob(rng, centre: Point, radius_km: float, vertices: int = 14) -> Polygon:
    angles = np.sort(rng.uniform(0, 2 * np.pi, vertices))
    radii = radius_km * rng.uniform(0.65, 1.0, vertices)
    cx, cy = _local_km(centre)
    xy = np.column_stack([cx + radii * np.cos(angles), cy + radii * np.sin(angles)])
    return Polygon(_to_lonlat(xy)).buffer(0)


def build_demo_geography(seed: int = 1) -> DemoGeography:
    """Outline, ~15 townships and 3 parks of 示范县 for ``seed`` (same seed, same county).

    Township order is stable: sub-districts first (from the seat outwards by
    bearing), then 镇, then 乡, each group by bearing clockwise from north.
    Codes are ``990101`` + a 3-digit serial (parks from 901).
    """
    rng = np.random.default_rng([seed, 0x5EED_6E0])
    outline = _outline(rng)

    # The county seat (县城) sits a little off the centre; the three
    # sub-districts cluster round it, the rural seeds spread out.
    seat_xy = rng.uniform(-3.0, 3.0, size=2)
    seat = Point(_to_lonlat(seat_xy[None, :])[0])
    urban_xy = []
    for k in range(N_SUBDISTRICTS):
        angle = 2 * np.pi * k / N_SUBDISTRICTS + rng.uniform(0, 2 * np.pi / N_SUBDISTRICTS)
        urban_xy.append(tuple(seat_xy + rng.uniform(2.5, 4.0) * np.array([math.cos(angle), math.sin(angle)])))
    n_rural = N_TOWNSHIPS - N_SUBDISTRICTS
    inner = shapely.buffer(outline, -3.0 / _KM_PER_DEG_LAT)
    rural_xy = _sample_points(rng, inner, n_rural, min_km=9.0, existing=[tuple(seat_xy), *urban_xy])
    seeds_xy = np.array([*urban_xy, *rural_xy], dtype=float)
    movable = np.arange(N_TOWNSHIPS) >= N_SUBDISTRICTS
    seeds_xy = _lloyd(outline, seeds_xy, movable, rounds=2)

    cells = _repair_fragments(_voronoi_cells(outline, _to_lonlat(seeds_xy)))
    warp = _warp_field(rng)
    cells = [_largest_part(_bend(cell, warp)) for cell in cells]
    outline = _bend(outline, warp)
    seat = _snap(shapely.transform(seat, warp))

    # Kinds: the seat's cluster are 街道; the four rural seeds farthest from
    # the seat are the hill 乡; the rest are 镇.
    offsets = seeds_xy - seat_xy
    distance = np.hypot(offsets[:, 0], offsets[:, 1])
    bearing = [_bearing(dx, dy) for dx, dy in offsets]
    rural = np.arange(N_SUBDISTRICTS, N_TOWNSHIPS)
    remote = set(rural[np.argsort(-distance[rural], kind="stable")][: len(TOWNSHIP_NAMES)].tolist())
    groups = {
        "subdistrict": list(range(N_SUBDISTRICTS)),
        "town": [i for i in rural if i not in remote],
        "township": [i for i in rural if i in remote],
    }
    names: dict[int, str] = {}
    for index, name in zip(groups["subdistrict"], _subdistrict_names([bearing[i] for i in groups["subdistrict"]]),
                           strict=True):
        names[index] = name
    for kind, pool in (("town", TOWN_NAMES), ("township", TOWNSHIP_NAMES)):
        for index, name in zip(sorted(groups[kind], key=lambda i: bearing[i]), pool, strict=True):
            names[index] = name

    order = [
        *sorted(groups["subdistrict"], key=lambda i: bearing[i]),
        *sorted(groups["town"], key=lambda i: bearing[i]),
        *sorted(groups["township"], key=lambda i: bearing[i]),
    ]
    kind_of = {i: kind for kind, members in groups.items() for i in members}
    townships = []
    for serial, index in enumerate(order, start=1):
        low, high = _POPULATION_RANGE[kind_of[index]]
        population = int(round(rng.uniform(low, high), -1))
        townships.append(
            DemoTownship(
                code=f"{COUNTY_CODE}{serial:03d}",
                name=names[index],
                kind=kind_of[index],
                population=population,
                geometry=cells[index],
            )
        )

    # Parks: in the three 镇 nearest the seat (industry settles by the county
    # town and its roads), each a blob of a few km² kept well inside.
    town_positions = [pos for pos, t in enumerate(townships) if t.kind == "town"]
    seat_distance = {pos: townships[pos].geometry.distance(seat) for pos in town_positions}
    park_hosts = sorted(town_positions, key=lambda pos: seat_distance[pos])[: len(PARK_NAMES)]
    parks = []
    for serial, (host, name) in enumerate(zip(park_hosts, PARK_NAMES, strict=True), start=901):
        host_geom = townships[host].geometry
        core = shapely.buffer(host_geom, -2.2 / _KM_PER_DEG_LAT)
        if core.is_empty:
            core = host_geom
        minx, miny, maxx, maxy = core.bounds
        while True:
            centre = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
            if core.contains(centre):
                break
        blob = _blob(rng, centre, radius_km=rng.uniform(1.3, 2.0))
        inside = shapely.buffer(host_geom, -0.2 / _KM_PER_DEG_LAT)
        geometry = _largest_part(_snap(blob.intersection(inside)))
        parks.append(DemoPark(code=f"{COUNTY_CODE}{serial}", name=name, township_index=host, geometry=geometry))

    return DemoGeography(outline=outline, seat=seat, townships=tuple(townships), parks=tuple(parks))


def geojson_text(geom) -> str:
    """Compact GeoJSON text of a geometry (coordinates already on the 1e-6 grid)."""
    return json.dumps(mapping(geom), separators=(",", ":"))


def display_geometry(geom):
    """The simplified copy the map draws (about 40 m tolerance, topology kept)."""
    return _snap(geom.simplify(DISPLAY_TOLERANCE_DEGREES, preserve_topology=True))


def label_point(geom) -> Point:
    """The centroid, or a point on the surface when the centroid falls outside (a crescent)."""
    centroid = geom.centroid
    return centroid if geom.contains(centroid) else geom.representative_point()
