"""What the map page needs beyond the metrics engine: boundaries, per-area measures, one area's detail.

Every figure comes from :mod:`queries.metrics` (so the map, the overview and
the monthly report show the same numbers); this module restricts the filter to
an area, lines the periods up for 环比/同比, and reads the geography and the
leaders' links (挂点) and reception sessions. No Streamlit here.

Scope: the filter's :class:`~queries.filters.Scope` travels into every
case query (a township officer sees only their own township's cases); the
lists of areas are narrowed to match, so a township officer's map does not
show other townships or their parks with a misleading zero.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import polars as pl
from sqlalchemy import Engine, and_, func, literal, or_, select

from config.settings import DeadlineRules
from data.models import Leader, LeaderLink, Park, ReceptionPoint, ReceptionSession, Township
from queries import metrics
from queries.filters import CaseFilter, add_months
from queries.sql_dates import as_date

LEVELS = ("township", "park")
# The measures a user can colour the map by, in the order of the selector.
MEASURES = ("received", "per_10k", "change_mom", "change_yoy", "first_time_share", "overdue_open")
# The measures that are a change against an earlier period (a diverging colour scale).
CHANGE_MEASURES = ("change_mom", "change_yoy")
# Per 10,000 residents (每万人信访量): the usual way to compare places of different size.
PER_RESIDENTS = 10_000
# 回访 is a visit to a petitioner after a case, not a reception of petitioners:
# every other kind of session counts as "a leader received petitioners there".
RECEPTION_KINDS = ("monthly_15th", "township_point", "outreach", "appointment")
COUNTY_CENTRE = "county_centre"  # ReceptionPoint.kind of the county's reception centre
# Migration 0005: only a held session received anyone (not a planned, moved or cancelled one).
HELD = "held"

_MEASURE_SCHEMA = {
    "id": pl.Int64,
    "name": pl.String,
    "township_id": pl.Int64,
    "population": pl.Int64,
    "in_filter": pl.Boolean,
    "received": pl.Int64,
    "per_10k": pl.Float64,
    "received_previous": pl.Int64,
    "change_mom": pl.Int64,
    "received_year_earlier": pl.Int64,
    "change_yoy": pl.Int64,
    "first_time": pl.Int64,
    "first_time_share": pl.Float64,
    "overdue_open": pl.Int64,
    "backlog": pl.Int64,
}


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")


def _rows(engine: Engine, statement) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(statement).all()]


# --- geography ------------------------------------------------------------------


def boundaries(engine: Engine, level: str) -> pl.DataFrame:
    """Every township or park with its display boundary.

    Columns: ``id``, ``name``, ``township_id`` (a park's township; a
    township's own id), ``population`` (None for parks: a park has no
    residents of its own), ``boundary`` (GeoJSON geometry text, the simplified
    display copy, else the original, else None), ``centroid_lon``,
    ``centroid_lat``. Ordered by id.
    """
    _check_level(level)
    if level == "township":
        t = Township.__table__.c
        statement = select(
            t.id, t.name, t.id.label("township_id"), t.population,
            func.coalesce(t.boundary_display, t.boundary).label("boundary"), t.centroid_lon, t.centroid_lat,
        ).order_by(t.id)
    else:
        p = Park.__table__.c
        statement = select(
            p.id, p.name, p.township_id, literal(None).label("population"),
            func.coalesce(p.boundary_display, p.boundary).label("boundary"), p.centroid_lon, p.centroid_lat,
        ).order_by(p.id)
    schema = {
        "id": pl.Int64, "name": pl.String, "township_id": pl.Int64, "population": pl.Int64,
        "boundary": pl.String, "centroid_lon": pl.Float64, "centroid_lat": pl.Float64,
    }
    return pl.DataFrame(_rows(engine, statement), schema=schema, orient="row")


def reception_points(engine: Engine) -> pl.DataFrame:
    """Reception points with coordinates: ``id``, ``name``, ``kind``, ``township_id``, ``lon``, ``lat``."""
    r = ReceptionPoint.__table__.c
    statement = (
        select(r.id, r.name, r.kind, r.township_id, r.lon, r.lat)
        .where(r.lon.is_not(None), r.lat.is_not(None))
        .order_by(r.id)
    )
    schema = {
        "id": pl.Int64, "name": pl.String, "kind": pl.String, "township_id": pl.Int64,
        "lon": pl.Float64, "lat": pl.Float64,
    }
    return pl.DataFrame(_rows(engine, statement), schema=schema, orient="row")


# --- the figures behind the choropleth --------------------------------------------


def area_list(engine: Engine, level: str) -> pl.DataFrame:
    """Every township or park without its boundary: ``id``, ``name``, ``township_id``, ``population``. By id."""
    _check_level(level)
    if level == "township":
        t = Township.__table__.c
        statement = select(t.id, t.name, t.id.label("township_id"), t.population).order_by(t.id)
    else:
        p = Park.__table__.c
        statement = select(p.id, p.name, p.township_id, literal(None).label("population")).order_by(p.id)
    schema = {"id": pl.Int64, "name": pl.String, "township_id": pl.Int64, "population": pl.Int64}
    return pl.DataFrame(_rows(engine, statement), schema=schema, orient="row")


def _scoped_areas(engine: Engine, flt: CaseFilter, level: str) -> list[tuple]:
    """(id, name, township_id, population, in_filter) of every area the viewer may see, by id.

    Plain tuples: the map's measures and hot spots are a few dozen rows,
    where each Polars operation would cost more than the arithmetic.
    """
    listed = area_list(engine, level).rows()
    if flt.scope.township_id is not None:
        listed = [row for row in listed if row[2] == flt.scope.township_id]
    holding = None
    if flt.park_ids and level == "township":
        # Only the townships holding a chosen park can have a case in the filter.
        p = Park.__table__.c
        holding = {r[0] for r in _rows(engine, select(p.township_id).where(p.id.in_(flt.park_ids)))}
    out = []
    for area_id, name, township_id, population in listed:
        in_filter = (
            (not flt.township_ids or township_id in flt.township_ids)
            and (not (flt.park_ids and level == "park") or area_id in flt.park_ids)
            and (holding is None or area_id in holding)
        )
        out.append((area_id, name, township_id, population, in_filter))
    return out


def areas_in_scope(engine: Engine, flt: CaseFilter, level: str) -> pl.DataFrame:
    """Areas the viewer may see, with whether the sidebar's filter includes them."""
    schema = {"id": pl.Int64, "name": pl.String, "township_id": pl.Int64, "population": pl.Int64,
              "in_filter": pl.Boolean}
    return pl.DataFrame(_scoped_areas(engine, flt, level), schema=schema, orient="row")


# The counts behind the map's measures: received and first-time (the summary's event counts), overdue
# and backlog (its state counts). The cohort counts (化解率) are not on the map: never read for it.
MAP_COUNTS = ("received", "first_time", "overdue_open", "backlog")
LEVEL_COLUMNS = {"township": "township_id", "park": "park_id"}


def area_measures(
    engine: Engine, flt: CaseFilter, level: str, rules: DeadlineRules | None = None,
    *, scoped: list[tuple] | None = None,
) -> pl.DataFrame:
    """Every measure of the map, per township or park, for the filter's period.

    Columns: ``id``, ``name``, ``township_id``, ``population``, ``in_filter``
    (False for an area the sidebar's township/park filter leaves out: its
    figures are zero by construction and the map greys it out), ``received``,
    ``per_10k`` (received per 10,000 residents; None without a population, so
    always None for parks), ``received_previous`` and ``change_mom`` (环比,
    difference of counts), ``received_year_earlier`` and ``change_yoy`` (同比),
    ``first_time``, ``first_time_share`` (first-time ÷ received, None when
    nothing was received), ``overdue_open``, ``backlog``.

    The counts are :func:`queries.metrics.grouped_counts` (the same engine as
    :func:`~queries.metrics.area_figures_change`): the period, the previous
    period and the same period a year earlier, read at once, and only the
    four counts above. ``scoped`` is :func:`_scoped_areas`, when the caller
    has it already.
    """
    _check_level(level)
    compared = [flt, flt.previous_period(), flt.year_earlier()]
    figures = metrics.grouped_counts(engine, flt, LEVEL_COLUMNS[level], MAP_COUNTS, rules,
                                     periods=[(f.start, f.end) for f in compared])
    counts: dict[tuple[int, int], tuple[int, int, int, int]] = {
        (idx, area_id): tuple(rest) for idx, area_id, *rest in figures.select("idx", "group_key", *MAP_COUNTS).rows()
    }
    rows = []
    for area_id, name, township_id, population, in_filter in (
        _scoped_areas(engine, flt, level) if scoped is None else scoped
    ):
        received, first_time, overdue_open, backlog = counts.get((0, area_id), (0, 0, 0, 0))
        previous = counts.get((1, area_id), (0,))[0]
        earlier = counts.get((2, area_id), (0,))[0]
        rows.append((
            area_id, name, township_id, population, in_filter, received,
            received * PER_RESIDENTS / population if population is not None and population > 0 else None,
            previous, received - previous, earlier, received - earlier, first_time,
            first_time / received if received > 0 else None, overdue_open, backlog,
        ))
    return pl.DataFrame(rows, schema=_MEASURE_SCHEMA, orient="row")


def averages(measures: pl.DataFrame) -> dict[str, float | None]:
    """The comparison figures shown beside one area: the average over the areas on the map.

    Counts and changes: the mean per area. Per 10,000 residents: the areas'
    total received over their total population (the county's own rate, not a
    mean of rates, so a small township does not weigh as much as a large one).
    First-time share: total first-time ÷ total received. Areas left out by the
    sidebar's filter are not averaged in. None when no area qualifies.
    """
    # A few dozen rows on every click: plain Python, where each Polars filter or sum costs more than the rows.
    areas = [row for row in measures.iter_rows(named=True) if row["in_filter"]]
    result: dict[str, float | None] = {}
    for name in ("received", "change_mom", "change_yoy", "overdue_open", "backlog"):
        result[name] = sum(row[name] for row in areas) / len(areas) if areas else None
    with_population = [row for row in areas if row["population"] is not None and row["population"] > 0]
    population = sum(row["population"] for row in with_population)
    result["per_10k"] = (
        float(sum(row["received"] for row in with_population)) * PER_RESIDENTS / population if population else None
    )
    received = sum(row["received"] for row in areas)
    result["first_time_share"] = float(sum(row["first_time"] for row in areas)) / received if received else None
    return result


# --- one area: the click panel ------------------------------------------------------


def area_filter(flt: CaseFilter, level: str, area_id: int) -> CaseFilter | None:
    """The filter narrowed to one township or park; None if the sidebar's filter leaves that area out.

    The rest of the filter (period, categories, channels, units, the other
    level's restriction) and above all the scope are kept.
    """
    _check_level(level)
    if level == "township":
        if flt.township_ids and area_id not in flt.township_ids:
            return None
        return dataclasses.replace(flt, township_ids=(area_id,))
    if flt.park_ids and area_id not in flt.park_ids:
        return None
    return dataclasses.replace(flt, park_ids=(area_id,))


def area_trend(engine: Engine, flt: CaseFilter, level: str, area_id: int, months: int = 13) -> pl.DataFrame | None:
    """``month`` and ``received`` of one area for each of ``months`` calendar months ending with ``flt.end``'s.

    The ``received`` column of :func:`queries.metrics.monthly_trend` for the
    area (whole months, a month with no case 0), read as one statement of
    received by month (:func:`queries.metrics.received_by_month`) instead of
    every headline count of 13 periods: the panel's sparkline shows nothing
    else. None if the filter leaves the area out.
    """
    narrowed = area_filter(flt, level, area_id)
    if narrowed is None:
        return None
    last = flt.end.replace(day=1)
    starts = [add_months(last, -k) for k in range(months - 1, -1, -1)]
    by_month = metrics.received_by_month(
        engine, narrowed.with_period(starts[0], add_months(last, 0, last_day=True)), level)
    received = {month: n for key, month, n in by_month.iter_rows() if key == area_id}
    return pl.DataFrame({"month": starts, "received": [received.get(s, 0) for s in starts]},
                        schema={"month": pl.Date, "received": pl.Int64})


def area_categories(engine: Engine, flt: CaseFilter, level: str, area_id: int) -> pl.DataFrame | None:
    """The area's received cases by category (key, label, received; most first)."""
    narrowed = area_filter(flt, level, area_id)
    return None if narrowed is None else metrics.breakdown(engine, narrowed, "category")


def area_open_cases(
    engine: Engine, flt: CaseFilter, level: str, area_id: int, which: str,
    rules: DeadlineRules | None = None, limit: int = 200,
) -> pl.DataFrame | None:
    """The area's overdue (超期未结) or backlog (积案) cases at the period's end; no personal data."""
    narrowed = area_filter(flt, level, area_id)
    return None if narrowed is None else metrics.open_case_list(engine, narrowed, which, rules, limit)


def _sessions_there(level: str, area_id: int):
    """Reception sessions held in the area: at it directly, or (townships) at a township reception point in it.

    The county's reception centre lies in some township but serves the whole
    county: a session there is not a reception *in* that township.
    """
    s = ReceptionSession.__table__.c
    if level == "park":
        return s.park_id == area_id
    points_in_township = select(ReceptionPoint.id).where(
        ReceptionPoint.township_id == area_id, ReceptionPoint.kind != COUNTY_CENTRE
    )
    return or_(s.township_id == area_id, s.reception_point_id.in_(points_in_township))


def area_leaders(engine: Engine, level: str, area_id: int, until: date) -> pl.DataFrame:
    """The county leaders linked to the area (挂点), with each one's last reception there up to ``until``.

    Columns: ``leader_id``, ``name``, ``title``, ``rank``, ``last_received_on``
    (None if that leader held no reception there by ``until``). Protocol order.
    """
    _check_level(level)
    links, leaders_, s = LeaderLink.__table__.c, Leader.__table__.c, ReceptionSession.__table__.c
    link_column = links.township_id if level == "township" else links.park_id
    last_there = (
        select(func.max(s.held_on))
        .where(s.leader_id == leaders_.id, s.held_on <= until, s.kind.in_(RECEPTION_KINDS),
               s.status == HELD, _sessions_there(level, area_id))
        .scalar_subquery()
    )
    statement = (
        select(leaders_.id, leaders_.name, leaders_.title, leaders_.rank, last_there.label("last_received_on"))
        .where(leaders_.id.in_(select(links.leader_id).where(link_column == area_id)))
        .order_by(leaders_.rank, leaders_.id)
    )
    rows = [(*r[:4], as_date(r[4])) for r in _rows(engine, statement)]
    schema = {"leader_id": pl.Int64, "name": pl.String, "title": pl.String, "rank": pl.Int64,
              "last_received_on": pl.Date}
    return pl.DataFrame(rows, schema=schema, orient="row")


def last_reception(engine: Engine, level: str, area_id: int, until: date) -> dict | None:
    """The last reception session any leader held in the area on or before ``until``, or None.

    Keys: ``held_on``, ``leader``, ``title``, ``kind``, ``place``,
    ``petitioners_received``. Ties on the same day go to the senior leader.
    """
    _check_level(level)
    s, leaders_ = ReceptionSession.__table__.c, Leader.__table__.c
    statement = (
        select(s.held_on, leaders_.name, leaders_.title, s.kind, s.place, s.petitioners_received)
        .select_from(ReceptionSession.__table__.join(Leader.__table__, s.leader_id == leaders_.id))
        .where(and_(s.held_on <= until, s.kind.in_(RECEPTION_KINDS), s.status == HELD,
                    _sessions_there(level, area_id)))
        .order_by(s.held_on.desc(), leaders_.rank, s.id)
        .limit(1)
    )
    rows = _rows(engine, statement)
    if not rows:
        return None
    held_on, leader, title, kind, place, received = rows[0]
    return {"held_on": as_date(held_on), "leader": leader, "title": title, "kind": kind, "place": place,
            "petitioners_received": received}


def area_panel(
    engine: Engine, flt: CaseFilter, level: str, area_id: int, rules: DeadlineRules | None = None,
    limit: int = 200, *, with_cases: bool = True,
) -> dict | None:
    """Everything the click panel shows for one area, or None if the sidebar's filter leaves it out.

    Keys: ``trend`` (13 months: ``month``, ``received``), ``categories``, ``overdue``, ``backlog``
    (case lists, no personal data; None unless ``with_cases``: a role that
    may not list cases gets none read), ``leaders`` (挂点, with each one's
    last reception there) and ``last_reception`` (dict or None), all up to
    the period's end.
    """
    narrowed = area_filter(flt, level, area_id)
    if narrowed is None:
        return None
    return {
        "trend": area_trend(engine, flt, level, area_id),
        "categories": metrics.breakdown(engine, narrowed, "category"),
        "overdue": metrics.open_case_list(engine, narrowed, "overdue", rules, limit) if with_cases else None,
        "backlog": metrics.open_case_list(engine, narrowed, "backlog", rules, limit) if with_cases else None,
        "leaders": area_leaders(engine, level, area_id, flt.end),
        "last_reception": last_reception(engine, level, area_id, flt.end),
    }
