"""Reads for the leaders' reception schedule (issue 11, 领导接访): the plan, each leader's record, where to go next.

霞浦's practice (DOMAIN.md): the county party secretary and the county head
receive petitioners on the 15th of every month at the county reception
centre; the other county leaders receive at township reception points in
turn; leaders also visit (下访) the townships, departments and industrial
parks with many petitions. The office keeps one rule per leader
(``reception_rules``, migration 0005); :func:`plan_sessions` turns the rules
into dated sessions and lays the stored sessions over them (a session moved,
cancelled, planned or held by hand wins over the rule's occurrence).

Scope (queries/filters.py): every function takes the viewer's scope. A
township officer sees the sessions held in their township (at a reception
point there, or a visit to it or to a park in it; the county centre serves
the whole county and lies in no township) and the leaders' cases in their
township; complaints about officials stay hidden from whoever may not see
them, as everywhere.

Case figures use the metrics engine's definitions (:mod:`queries.metrics`:
the event, cohort and state counts and :data:`~queries.metrics.RATE_PARTS`);
CaseFilter has no leader dimension, so the statements here group the same
expressions by leader instead of adding one. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import TYPE_CHECKING

import polars as pl
from sqlalchemy import Connection, Date, Engine, and_, case, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from data.models import (
    Leader,
    LeaderLink,
    Park,
    ReceptionPoint,
    ReceptionRule,
    ReceptionRulePoint,
    ReceptionSession,
    Township,
    Unit,
)
from data.reception_calendar import is_announced, nominal_day, plan_day
from data.receptions import RULE_SESSION_KIND, SESSION_KINDS, STORED_KIND, public_kind
from queries import metrics
from queries.areas import COUNTY_CENTRE, RECEPTION_KINDS, areas_in_scope
from queries.filters import FULL_SCOPE, CaseFilter, Scope, add_months
from text.i18n import LANGUAGES, TRANSLATIONS

if TYPE_CHECKING:
    from config.settings import DeadlineRules

# Month numbers (year * 12 + month - 1) of a rotation with no start day count from January 2000.
ROTATION_EPOCH_MONTH = 2000 * 12
# Stored sessions are looked up this far around the period: a session moved
# out of it (or into it) must still replace its rule's occurrence.
_MOVE_REACH = timedelta(days=45)
LINK_SEPARATOR = "、"

PLAN_SCHEMA = {
    "date": pl.Date,
    "weekday": pl.Int8,  # ISO: 1 Monday .. 7 Sunday
    "leader_id": pl.Int64,
    "leader": pl.String,
    "title": pl.String,
    "rank": pl.Int64,
    "kind": pl.String,  # data.receptions.SESSION_KINDS
    "place": pl.String,
    "reception_point_id": pl.Int64,
    "township_id": pl.Int64,  # the township the session is in; None at the county centre
    "township": pl.String,
    "park_id": pl.Int64,
    "park": pl.String,
    "linked_places": pl.String,  # 联系乡镇: the leader's 挂点 townships and parks
    "status": pl.String,  # planned | held | cancelled | moved
    "provisional": pl.Boolean,
    "reason": pl.String,
    "rule_date": pl.Date,  # the rule's nominal day; None when no rule planned it
    "session_id": pl.Int64,  # None for a rule's occurrence not stored yet
    "start_time": pl.Time,
    "end_time": pl.Time,
    "petitioners_received": pl.Int64,
    "cases_taken": pl.Int64,
}


@contextmanager
def _connected(source: Engine | Connection) -> Iterator[Connection]:
    if isinstance(source, Connection):
        yield source
    else:
        with source.connect() as conn:
            yield conn


def _month_number(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month_start(number: int) -> date:
    year, month0 = divmod(number, 12)
    return date(year, month0 + 1, 1)


# --- reference: leaders and their rules -----------------------------------------------


def _linked_places(conn: Connection) -> dict[int, str]:
    """Each leader's 挂点 townships, then parks, joined with 、."""
    links, t, p = LeaderLink.__table__.c, Township.__table__, Park.__table__
    rows = conn.execute(
        select(links.leader_id, t.c.name, p.c.name)
        .select_from(LeaderLink.__table__.outerjoin(t, links.township_id == t.c.id)
                     .outerjoin(p, links.park_id == p.c.id))
        .order_by(links.leader_id, links.park_id.is_not(None), t.c.id, p.c.id)
    ).all()
    out: dict[int, list[str]] = {}
    for leader_id, township, park in rows:
        name = township or park
        if name:
            out.setdefault(leader_id, []).append(name)
    return {k: LINK_SEPARATOR.join(v) for k, v in out.items()}


def leaders(source: Engine | Connection) -> pl.DataFrame:
    """Every county leader in protocol order: ``leader_id``, ``name``, ``title``, ``rank``, ``linked_places``."""
    lc = Leader.__table__.c
    with _connected(source) as conn:
        rows = conn.execute(select(lc.id, lc.name, lc.title, lc.rank).order_by(lc.rank, lc.id)).all()
        linked = _linked_places(conn)
    return pl.DataFrame(
        [(*r, linked.get(r[0])) for r in rows],
        schema={"leader_id": pl.Int64, "name": pl.String, "title": pl.String, "rank": pl.Int64,
                "linked_places": pl.String},
        orient="row",
    )


def reception_rules(source: Engine | Connection) -> pl.DataFrame:
    """Each leader's schedule rule, for the office to read and edit; leaders without one show kind "none".

    Columns: ``leader_id``, ``name``, ``title``, ``rank``, ``kind`` (monthly,
    rotation, none), ``day_of_month``, ``shift``, ``reception_point_id`` and
    ``place`` (monthly), ``point_ids`` and ``points`` (rotation, in order),
    ``starts_on``, ``ends_on``, ``start_time``, ``end_time``.
    """
    lc, r = Leader.__table__.c, ReceptionRule.__table__.c
    with _connected(source) as conn:
        rows = conn.execute(
            select(lc.id, lc.name, lc.title, lc.rank, r.id, r.kind, r.day_of_month, r.shift,
                   r.reception_point_id, r.starts_on, r.ends_on, r.start_time, r.end_time)
            .select_from(Leader.__table__.outerjoin(ReceptionRule.__table__, r.leader_id == lc.id))
            .order_by(lc.rank, lc.id)
        ).all()
        points = _points(conn)
        stops = _rule_stops(conn)
    out = []
    for (leader_id, name, title, rank, rule_id, kind, day, shift, point_id, starts_on, ends_on,
         start_time, end_time) in rows:
        ids = stops.get(rule_id, []) if rule_id is not None else []
        out.append((
            leader_id, name, title, rank, kind or "none", day, shift, point_id,
            points[point_id]["name"] if point_id in points else None,
            ids, [points[i]["name"] for i in ids], starts_on, ends_on, start_time, end_time,
        ))
    return pl.DataFrame(out, schema={
        "leader_id": pl.Int64, "name": pl.String, "title": pl.String, "rank": pl.Int64, "kind": pl.String,
        "day_of_month": pl.Int64, "shift": pl.String, "reception_point_id": pl.Int64, "place": pl.String,
        "point_ids": pl.List(pl.Int64), "points": pl.List(pl.String), "starts_on": pl.Date, "ends_on": pl.Date,
        "start_time": pl.Time, "end_time": pl.Time,
    }, orient="row")


def _points(conn: Connection) -> dict[int, dict]:
    p, t = ReceptionPoint.__table__.c, Township.__table__.c
    rows = conn.execute(
        select(p.id, p.name, p.kind, p.township_id, t.name)
        .select_from(ReceptionPoint.__table__.outerjoin(Township.__table__, p.township_id == t.id))
    ).all()
    return {
        pid: {
            "name": name,
            # The county centre serves the whole county: a session there is in no township.
            "township_id": None if kind == COUNTY_CENTRE else township_id,
            "township": None if kind == COUNTY_CENTRE else township,
        }
        for pid, name, kind, township_id, township in rows
    }


def _rule_stops(conn: Connection) -> dict[int, list[int]]:
    rp = ReceptionRulePoint.__table__.c
    out: dict[int, list[int]] = {}
    for rule_id, point_id in conn.execute(select(rp.rule_id, rp.reception_point_id).order_by(rp.rule_id,
                                                                                           rp.position)):
        out.setdefault(rule_id, []).append(point_id)
    return out


# --- the plan -----------------------------------------------------------------------------


def _occurrences(conn: Connection, start: date, end: date, points: dict[int, dict]) -> list[dict]:
    """Every rule's sessions whose planned day falls in [start, end]."""
    r, lc = ReceptionRule.__table__.c, Leader.__table__.c
    rules = conn.execute(
        select(r.id, r.leader_id, r.kind, r.day_of_month, r.reception_point_id, r.shift, r.starts_on, r.ends_on,
               r.start_time, r.end_time)
        .select_from(ReceptionRule.__table__.join(Leader.__table__, lc.id == r.leader_id))
        .where(r.kind.in_(tuple(RULE_SESSION_KIND)), r.day_of_month.is_not(None))
    ).all()
    stops = _rule_stops(conn)
    out = []
    # A shift moves a day by at most a week or so: the months on either side can reach into the period.
    months = range(_month_number(start) - 1, _month_number(end) + 2)
    for rule in rules:
        if rule.kind == "rotation":
            ids = stops.get(rule.id, [])
            if not ids:
                continue
            if rule.starts_on is None:
                anchor = ROTATION_EPOCH_MONTH
            else:
                # The first stop goes to the first month whose day is on or after the start.
                anchor = _month_number(rule.starts_on)
                first = nominal_day(rule.starts_on.year, rule.starts_on.month, rule.day_of_month)
                anchor += first < rule.starts_on
        for number in months:
            month = _month_start(number)
            nominal = nominal_day(month.year, month.month, rule.day_of_month)
            if (rule.starts_on and nominal < rule.starts_on) or (rule.ends_on and nominal > rule.ends_on):
                continue
            if rule.kind == "monthly":
                point_id = rule.reception_point_id
            else:
                point_id = ids[(number - anchor) % len(ids)]
            planned = plan_day(nominal, rule.shift)
            if not start <= planned.day <= end or point_id not in points:
                continue
            point = points[point_id]
            out.append({
                "date": planned.day, "leader_id": rule.leader_id, "kind": RULE_SESSION_KIND[rule.kind],
                "place": point["name"], "reception_point_id": point_id, "township_id": point["township_id"],
                "township": point["township"], "park_id": None, "park": None, "status": "planned",
                "provisional": planned.provisional, "reason": None, "rule_date": nominal, "session_id": None,
                "start_time": rule.start_time, "end_time": rule.end_time, "petitioners_received": 0,
                "cases_taken": 0,
            })
    return out


def _stored(conn: Connection, start: date, end: date, points: dict[int, dict]) -> list[dict]:
    """Stored sessions held (or planned) in the period, or standing for a rule's day near it."""
    s, t, p = ReceptionSession.__table__.c, Township.__table__, Park.__table__
    reach_start, reach_end = start - _MOVE_REACH, end + _MOVE_REACH
    park_township = Township.__table__.alias("park_township")
    rows = conn.execute(
        select(s.id, s.held_on, s.leader_id, s.kind, s.place, s.reception_point_id, s.township_id, t.c.name,
               s.park_id, p.c.name, p.c.township_id, park_township.c.name, s.status, s.provisional, s.reason,
               s.rule_date, s.start_time, s.end_time, s.petitioners_received, s.cases_taken)
        .select_from(ReceptionSession.__table__.outerjoin(t, s.township_id == t.c.id)
                     .outerjoin(p, s.park_id == p.c.id)
                     .outerjoin(park_township, p.c.township_id == park_township.c.id))
        .where((s.held_on.between(start, end)) | (s.rule_date.between(reach_start, reach_end)))
    ).all()
    out = []
    for (sid, held_on, leader_id, kind, place, point_id, township_id, township, park_id, park, park_tid,
         park_tname, status, provisional, reason, rule_date, start_time, end_time, received, taken) in rows:
        if township_id is None:
            # A session's township: its own, else its reception point's (not the county centre's), else its park's.
            point = points.get(point_id, {})
            township_id, township = point.get("township_id"), point.get("township")
            if township_id is None:
                township_id, township = park_tid, park_tname
        held = status == "held"
        out.append({
            "date": held_on, "leader_id": leader_id, "kind": public_kind(kind), "place": place,
            "reception_point_id": point_id, "township_id": township_id, "township": township,
            "park_id": park_id, "park": park, "status": status,
            # Marked tentative by hand, or on a day whose holiday notice is not out (this
            # turns certain by itself once a release of the calendar knows the year).
            "provisional": (not held) and (bool(provisional) or not is_announced(held_on)),
            "reason": reason, "rule_date": rule_date, "session_id": sid, "start_time": start_time,
            "end_time": end_time, "petitioners_received": received or 0, "cases_taken": taken or 0,
        })
    return out


def plan_sessions(
    source: Engine | Connection,
    start: date,
    end: date,
    scope: Scope = FULL_SCOPE,
    *,
    include_cancelled: bool = False,
) -> pl.DataFrame:
    """Every leader's sessions from ``start`` to ``end`` (inclusive): the rules' occurrences and the stored sessions.

    A stored session replaces the rule's occurrence it stands for (same
    leader and kind, and the same ``rule_date`` — or, for a session recorded
    without one, the same day): hand adjustments and records win. Cancelled
    sessions are left out unless ``include_cancelled``. Sorted by date, then
    protocol rank. Columns: :data:`PLAN_SCHEMA`. ``provisional`` marks a day
    planned in a year whose holiday notice is not out (weekends alone).
    This one list feeds the page, the JSON, the Excel sheet and the iCalendar
    file.
    """
    if end < start:
        raise ValueError(f"period ends ({end}) before it starts ({start})")
    with _connected(source) as conn:
        points = _points(conn)
        generated = _occurrences(conn, start, end, points)
        stored = _stored(conn, start, end, points)
        leader_rows = leaders(conn)
    by_rule = {(g["leader_id"], g["kind"], g["rule_date"]): g for g in generated}
    by_day = {(g["leader_id"], g["kind"], g["date"]): g for g in generated}
    replaced = set()
    for s in stored:
        key = (s["leader_id"], s["kind"], s["rule_date"] if s["rule_date"] is not None else s["date"])
        occurrence = (by_rule if s["rule_date"] is not None else by_day).get(key)
        if occurrence is None:
            continue
        replaced.add(id(occurrence))
        if s["start_time"] is None and s["end_time"] is None:
            # A session stored without hours keeps the rule's.
            s["start_time"], s["end_time"] = occurrence["start_time"], occurrence["end_time"]
    rows = [g for g in generated if id(g) not in replaced]
    rows += [s for s in stored if start <= s["date"] <= end]
    if not include_cancelled:
        rows = [r for r in rows if r["status"] != "cancelled"]
    if scope.township_id is not None:
        rows = [r for r in rows if r["township_id"] == scope.township_id]
    columns = [name for name in PLAN_SCHEMA if name not in ("weekday", "leader", "title", "rank", "linked_places")]
    frame = pl.DataFrame([{k: r[k] for k in columns} for r in rows],
                         schema={k: PLAN_SCHEMA[k] for k in columns}, orient="row")
    kind_order = pl.DataFrame({"kind": list(SESSION_KINDS), "_kind_order": list(range(len(SESSION_KINDS)))},
                              schema={"kind": pl.String, "_kind_order": pl.Int64})
    people = leader_rows.rename({"name": "leader"})
    return (
        frame.join(people, on="leader_id", how="left")
        .join(kind_order, on="kind", how="left")
        .with_columns(pl.col("date").dt.weekday().cast(pl.Int8).alias("weekday"))
        .sort("date", "rank", "leader_id", "_kind_order", "place", nulls_last=True)
        .select(list(PLAN_SCHEMA))
        .cast(PLAN_SCHEMA)
    )


def select_sessions(
    plan: pl.DataFrame,
    *,
    leader_ids: tuple[int, ...] = (),
    places: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
) -> pl.DataFrame:
    """The rows of a plan (:func:`plan_sessions`) for some leaders, places and kinds; an empty choice keeps all."""
    conditions = []
    if leader_ids:
        conditions.append(pl.col("leader_id").is_in(list(leader_ids)))
    if places:
        conditions.append(pl.col("place").is_in(list(places)))
    if kinds:
        conditions.append(pl.col("kind").is_in(list(kinds)))
    return plan.filter(*conditions) if conditions else plan


def sessions_by_day(plan: pl.DataFrame) -> dict[date, list[dict]]:
    """A plan's rows grouped by day, each day's in the plan's order (for a month calendar)."""
    out: dict[date, list[dict]] = {}
    for row in plan.iter_rows(named=True):
        out.setdefault(row["date"], []).append(row)
    return out


def reception_places(source: Engine | Connection) -> pl.DataFrame:
    """Every place a session can be held or a visit made: reception points, then townships, then parks.

    Columns: ``level`` ("point", "township" or "park"), ``id``, ``name``,
    ``township_id`` (the township it lies in; None for the county centre,
    which serves the whole county), ``point_kind`` (county_centre or
    township_point for a point, else None). Unlike the map's list, points
    without coordinates are included.
    """
    p, t, k = ReceptionPoint.__table__.c, Township.__table__.c, Park.__table__.c
    with _connected(source) as conn:
        points = conn.execute(select(p.id, p.name, p.kind, p.township_id).order_by(p.id)).all()
        towns = conn.execute(select(t.id, t.name).order_by(t.id)).all()
        parks = conn.execute(select(k.id, k.name, k.township_id).order_by(k.id)).all()
    rows = [("point", pid, name, None if kind == COUNTY_CENTRE else tid, kind) for pid, name, kind, tid in points]
    rows += [("township", tid, name, tid, None) for tid, name in towns]
    rows += [("park", kid, name, tid, None) for kid, name, tid in parks]
    return pl.DataFrame(rows, schema={"level": pl.String, "id": pl.Int64, "name": pl.String,
                                      "township_id": pl.Int64, "point_kind": pl.String}, orient="row")


def year_or_month(year: int, month: int | None = None) -> tuple[date, date]:
    """The first and last day of a year, or of one month of it (the CLI's --year/--month)."""
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, not {month}")
    return date(year, month, 1), add_months(date(year, month, 1), 0, last_day=True)


# --- each leader's record ---------------------------------------------------------------------

# The figures per leader, for the cases they own (包案) and the cases taken at their sessions.
CASE_MEASURES = (
    "received", "concluded", "resolved", "resolution_base", "open", "overdue_open", "backlog",
    "rated_office", "satisfied_office", "rated_unit", "satisfied_unit",
)
CASE_RATES = ("resolution_rate", "satisfaction_rate_office", "satisfaction_rate_unit")
CASE_BASES = ("owned", "taken")


def _count(*conditions: ColumnElement | None) -> ColumnElement:
    return func.coalesce(func.sum(case((and_(*(x for x in conditions if x is not None)), 1), else_=0)), 0)


def _case_measures(flt: CaseFilter, rules: DeadlineRules) -> dict[str, ColumnElement]:
    """:data:`CASE_MEASURES` for the filter's period, each from the metrics engine's definition."""
    c = metrics.c
    start, end = literal(flt.start, Date), literal(flt.end, Date)
    anchors = metrics.anchor_dates(rules)
    events = metrics.event_measures(rules)
    cohorts = metrics.cohort_measures()
    states = metrics.state_measures(end, rules)
    out: dict[str, ColumnElement] = {}
    for name in ("received", "concluded", "rated_office", "satisfied_office", "rated_unit", "satisfied_unit"):
        anchor, condition = events[name]
        on = anchors[anchor]
        out[name] = _count(on >= start, on <= end, condition)
    # 化解率: among cases received in the period and concluded by its end.
    received_in = and_(c.received_on >= start, c.received_on <= end)
    for name in ("resolution_base", "resolved"):
        out[name] = _count(received_in, c.concluded_on <= end, cohorts[name])
    out["open"] = _count(metrics.open_at(end))  # METRICS.md: open at the period's end
    for name in ("overdue_open", "backlog"):
        out[name] = _count(metrics.open_at(end), states[name])
    return out


def _counted_in(flt: CaseFilter) -> ColumnElement:
    """The cases some :data:`CASE_MEASURES` count: received or concluded in the period, or open at its end.

    Exactly that: outside it every measure is zero, so it changes no figure
    (dates out of order included). It is there for speed: it reads only
    ``received_on`` and ``concluded_on``, which the indexes on (leader,
    concluded_on, received_on) of migration 0007 hold, so the database skips
    a leader's long-concluded cases without reading them (a full scan took
    1.5 s at a million cases).
    """
    c = metrics.c
    start, end = literal(flt.start, Date), literal(flt.end, Date)
    return or_(c.received_on.between(start, end), c.concluded_on.between(start, end), metrics.open_at(end))


def _leader_case_counts(
    conn: Connection, flt: CaseFilter, rules: DeadlineRules, basis: str, leader_id: int | None = None
) -> pl.DataFrame:
    """One row per leader: :data:`CASE_MEASURES` over the cases they own or took, within filter and scope."""
    c = metrics.c
    if basis == "owned":
        key, source = c.owner_leader_id, metrics.cases
    elif basis == "taken":
        s = ReceptionSession.__table__
        key, source = s.c.leader_id, metrics.cases.join(s, s.c.id == c.reception_session_id)
    else:
        raise ValueError(f"basis must be one of {CASE_BASES}, not {basis!r}")
    measures = _case_measures(flt, rules)
    where = [key.is_not(None), _counted_in(flt), *metrics.dimension_clauses(flt)]
    if leader_id is not None:
        where.append(key == leader_id)
    statement = (
        select(key.label("leader_id"), *(measures[name].label(name) for name in CASE_MEASURES))
        .select_from(source).where(*where).group_by(key)
    )
    rows = [tuple(int(v) for v in r) for r in conn.execute(statement).all()]
    schema = {"leader_id": pl.Int64, **{name: pl.Int64 for name in CASE_MEASURES}}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _with_case_rates(frame: pl.DataFrame, prefix: str = "") -> pl.DataFrame:
    # The engine's ratios, None where the denominator is zero ("—" on screen).
    return frame.with_columns(
        pl.when(pl.col(prefix + den) > 0).then(pl.col(prefix + num) / pl.col(prefix + den)).otherwise(None)
        .alias(prefix + rate)
        for rate in CASE_RATES
        for num, den in [metrics.RATE_PARTS[rate]]
    )


def leader_records(engine: Engine, flt: CaseFilter, rules: DeadlineRules) -> pl.DataFrame:
    """Each county leader's record over the filter's period, against the county's, within the viewer's scope.

    One row per leader, in protocol order:
    - ``sessions_planned`` (every session on the plan in the period, held and
      cancelled ones included), ``sessions_held``, ``sessions_cancelled``,
      ``petitioners_received`` and ``cases_taken`` (summed over held sessions);
    - for the cases the leader owns (包案, ``owned_*``) and those taken at their
      sessions (``taken_*``): :data:`CASE_MEASURES` and :data:`CASE_RATES`,
      by METRICS.md's definitions (received in the period; concluded in it;
      resolved of those received in it and concluded by its end; open,
      overdue open and backlog at its end; ratings of those concluded in it);
    - ``county_resolution_rate``, ``county_satisfaction_rate_office``,
      ``county_satisfaction_rate_unit``: :func:`queries.metrics.headline`
      for the same filter (for a township officer, their township).
    The filter's dimensions and scope restrict the cases; the scope also
    restricts the sessions (:func:`plan_sessions`).
    """
    plan = plan_sessions(engine, flt.start, flt.end, flt.scope, include_cancelled=True)
    sessions = plan.group_by("leader_id").agg(
        pl.len().cast(pl.Int64).alias("sessions_planned"),
        (pl.col("status") == "held").sum().cast(pl.Int64).alias("sessions_held"),
        (pl.col("status") == "cancelled").sum().cast(pl.Int64).alias("sessions_cancelled"),
        pl.col("petitioners_received").filter(pl.col("status") == "held").sum().cast(pl.Int64)
        .alias("petitioners_received"),
        pl.col("cases_taken").filter(pl.col("status") == "held").sum().cast(pl.Int64).alias("cases_taken"),
    )
    with engine.connect() as conn:
        people = leaders(conn).drop("linked_places")
        counts = {basis: _leader_case_counts(conn, flt, rules, basis) for basis in CASE_BASES}
    frame = people.join(sessions, on="leader_id", how="left")
    for basis, found in counts.items():
        found = found.rename({name: f"{basis}_{name}" for name in CASE_MEASURES})
        frame = frame.join(found, on="leader_id", how="left")
        frame = _with_case_rates(frame.with_columns(pl.col(f"{basis}_{n}").fill_null(0) for n in CASE_MEASURES),
                                 f"{basis}_")
    county = metrics.headline(engine, flt, rules).row(0, named=True)
    frame = frame.with_columns(
        pl.col(name).fill_null(0)
        for name in ("sessions_planned", "sessions_held", "sessions_cancelled", "petitioners_received",
                     "cases_taken")
    ).with_columns(
        pl.lit(county[rate], dtype=pl.Float64).alias(f"county_{rate}") for rate in CASE_RATES
    )
    return frame.sort("rank", "leader_id")


def leader_backlog(
    source: Engine | Connection, flt: CaseFilter, leader_id: int, rules: DeadlineRules, limit: int = 200
) -> pl.DataFrame:
    """The backlog cases (积案) a leader owns (包案) at the period's end, oldest first; no personal data.

    Columns: ``case_number``, ``received_on``, ``days_open`` (the period's end
    minus receipt, as :func:`queries.metrics.open_case_list` counts it),
    ``township``, ``park``, ``unit``. Backlog is the metrics engine's state
    count; the filter's dimensions and scope apply.
    """
    c = metrics.c
    end = literal(flt.end, Date)
    township, park, unit = Township.__table__, Park.__table__, Unit.__table__
    statement = (
        select(c.case_number, c.received_on, township.c.name, park.c.name, unit.c.name)
        .select_from(metrics.cases.outerjoin(township, c.township_id == township.c.id)
                     .outerjoin(park, c.park_id == park.c.id)
                     .outerjoin(unit, c.unit_id == unit.c.id))
        .where(c.owner_leader_id == leader_id, metrics.open_at(end), metrics.state_measures(end, rules)["backlog"],
               *metrics.dimension_clauses(flt))
        .order_by(c.received_on, c.case_number)
        .limit(limit)  # Don't allow unbounded results: the list is for reading, not export.
    )
    with _connected(source) as conn:
        rows = [tuple(r) for r in conn.execute(statement).all()]
    frame = pl.DataFrame(rows, schema={"case_number": pl.String, "received_on": pl.Date, "township": pl.String,
                                       "park": pl.String, "unit": pl.String}, orient="row")
    return frame.with_columns(
        (pl.lit(flt.end) - pl.col("received_on")).dt.total_days().cast(pl.Int64).alias("days_open")
    ).select("case_number", "received_on", "days_open", "township", "park", "unit")


# --- where to go next -------------------------------------------------------------------------

DEFAULT_SUGGESTION_MONTHS = 3
DEFAULT_QUIET_DAYS = 60
# The rule behind visit_suggestions, one sentence per language, from the translation table
# (the page states it in plain words); fill with .format(months=..., quiet_days=...).
VISIT_SUGGESTION_RULE = {lang: TRANSLATIONS["receptions.next.rule"][lang] for lang in LANGUAGES}

SUGGESTION_SCHEMA = {
    "level": pl.String,
    "id": pl.Int64,
    "name": pl.String,
    "township_id": pl.Int64,
    "received": pl.Int64,
    "rank": pl.Int64,
    "last_visited_on": pl.Date,
    "last_visit_leader": pl.String,
    "days_since_visit": pl.Int64,
    "due": pl.Boolean,
    "next_planned_on": pl.Date,
    "linked_leader_id": pl.Int64,
    "linked_leaders": pl.String,
}


def visit_rule_text(lang: str = "zh", months: int = DEFAULT_SUGGESTION_MONTHS,
                    quiet_days: int = DEFAULT_QUIET_DAYS) -> str:
    """:data:`VISIT_SUGGESTION_RULE` in ``lang`` ("zh" or "en") with the numbers filled in."""
    return VISIT_SUGGESTION_RULE[lang].format(months=months, quiet_days=quiet_days)


def _last_visits(conn: Connection, level: str, until: date) -> pl.DataFrame:
    """Per area: the last held reception or visit there on or before ``until`` and its leader."""
    s, p, lc = ReceptionSession.__table__.c, ReceptionPoint.__table__.c, Leader.__table__.c
    parks = Park.__table__.c
    if level == "township":
        # A session's township as plan_sessions places it: its own, else its reception
        # point's (the county centre lies in no township), else its park's.
        area = func.coalesce(s.township_id, case((p.kind != COUNTY_CENTRE, p.township_id)), parks.township_id)
    else:
        area = s.park_id
    # A county holds a few hundred sessions a year: the latest per area is picked in Polars.
    rows = conn.execute(
        select(area.label("id"), s.held_on, lc.name, lc.rank)
        .select_from(ReceptionSession.__table__.join(Leader.__table__, lc.id == s.leader_id)
                     .outerjoin(ReceptionPoint.__table__, p.id == s.reception_point_id)
                     .outerjoin(Park.__table__, parks.id == s.park_id))
        .where(s.status == "held", s.kind.in_(RECEPTION_KINDS), s.held_on <= until, area.is_not(None))
    ).all()
    frame = pl.DataFrame([tuple(r) for r in rows],
                         schema={"id": pl.Int64, "held_on": pl.Date, "leader": pl.String, "rank": pl.Int64},
                         orient="row")
    return (
        frame.sort(["held_on", "rank"], descending=[True, False])
        .group_by("id", maintain_order=True).first()
        .select("id", pl.col("held_on").alias("last_visited_on"), pl.col("leader").alias("last_visit_leader"))
    )


def _linked_leaders(conn: Connection, level: str) -> pl.DataFrame:
    links, lc = LeaderLink.__table__.c, Leader.__table__.c
    column = links.township_id if level == "township" else links.park_id
    rows = conn.execute(
        select(column, lc.id, lc.name)
        .select_from(LeaderLink.__table__.join(Leader.__table__, lc.id == links.leader_id))
        .where(column.is_not(None)).order_by(column, lc.rank, lc.id)
    ).all()
    frame = pl.DataFrame([tuple(r) for r in rows], schema={"id": pl.Int64, "leader_id": pl.Int64,
                                                           "leader": pl.String}, orient="row")
    return frame.group_by("id", maintain_order=True).agg(
        pl.col("leader_id").first().alias("linked_leader_id"),
        pl.col("leader").str.join(LINK_SEPARATOR).alias("linked_leaders"),
    )


def visit_suggestions(
    engine: Engine,
    flt: CaseFilter,
    months: int = DEFAULT_SUGGESTION_MONTHS,
    quiet_days: int = DEFAULT_QUIET_DAYS,
) -> pl.DataFrame:
    """Where a county leader should go next: :data:`VISIT_SUGGESTION_RULE`, as of ``flt.end``.

    Townships first, then parks; within each, by ``rank`` (1 = most petitions;
    ties share a rank). ``received`` counts the metrics engine's received
    cases over the ``months`` calendar months ending with ``flt.end``'s month
    (up to ``flt.end``), with the filter's dimensions and scope;
    ``last_visited_on`` / ``last_visit_leader`` is the last held session of a
    receiving kind there (not 回访), ``days_since_visit`` counts to
    ``flt.end``; ``due`` applies the rule; ``next_planned_on`` is the next
    session on the plan there within ``quiet_days`` days after ``flt.end``;
    ``linked_leader_id`` / ``linked_leaders`` are the leaders linked to the
    place (挂点), the first by rank the natural one to send
    (:func:`data.receptions.schedule_visit`). Columns: :data:`SUGGESTION_SCHEMA`.
    """
    if months < 1:
        raise ValueError(f"months must be 1 or more, not {months}")
    as_of = flt.end
    period = flt.with_period(add_months(as_of, -(months - 1)), as_of)
    upcoming = plan_sessions(engine, as_of + timedelta(days=1), as_of + timedelta(days=quiet_days), flt.scope)
    receiving = [k for k in SESSION_KINDS if STORED_KIND[k] in RECEPTION_KINDS]
    upcoming = upcoming.filter(pl.col("kind").is_in(receiving))
    frames = []
    with engine.connect() as conn:
        last = {level: _last_visits(conn, level, as_of) for level in ("township", "park")}
        linked = {level: _linked_leaders(conn, level) for level in ("township", "park")}
    for level in ("township", "park"):
        received = metrics.breakdown(engine, period, level).select(pl.col("key").alias("id"), "received")
        key = "township_id" if level == "township" else "park_id"
        planned = (upcoming.filter(pl.col(key).is_not_null())
                   .group_by(key).agg(pl.col("date").min().alias("next_planned_on")).rename({key: "id"}))
        frame = (
            areas_in_scope(engine, period, level).select("id", "name", "township_id")
            .join(received, on="id", how="left")
            .with_columns(pl.col("received").fill_null(0), pl.lit(level).alias("level"))
            .join(last[level], on="id", how="left")
            .join(planned, on="id", how="left")
            .join(linked[level], on="id", how="left")
            .with_columns(
                pl.col("received").rank("min", descending=True).cast(pl.Int64).alias("rank"),
                (pl.lit(as_of) - pl.col("last_visited_on")).dt.total_days().cast(pl.Int64).alias("days_since_visit"),
            )
            .with_columns(
                ((pl.col("received") > 0)
                 & (pl.col("days_since_visit").is_null() | (pl.col("days_since_visit") > quiet_days)))
                .alias("due")
            )
        )
        frames.append(frame.select(list(SUGGESTION_SCHEMA)).cast(SUGGESTION_SCHEMA).sort("rank", "name"))
    return pl.concat(frames)


__all__ = [
    "CASE_MEASURES",
    "CASE_RATES",
    "DEFAULT_QUIET_DAYS",
    "DEFAULT_SUGGESTION_MONTHS",
    "PLAN_SCHEMA",
    "SUGGESTION_SCHEMA",
    "VISIT_SUGGESTION_RULE",
    "leader_backlog",
    "leader_records",
    "leaders",
    "plan_sessions",
    "reception_places",
    "reception_rules",
    "select_sessions",
    "sessions_by_day",
    "visit_rule_text",
    "visit_suggestions",
    "year_or_month",
]
