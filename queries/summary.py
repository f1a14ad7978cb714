"""The monthly summary: the metrics engine's counts, pre-counted per month and filter dimensions.

Why: a leader's page asks for whole calendar months (a month, a range of
months, the 13-month trend, the same month a year earlier). Counting those
from a million cases costs seconds on every filter change; summing a few
thousand pre-counted rows costs milliseconds. The summary holds no definition
of its own: it evaluates the definitions of :mod:`queries.metrics` (event,
cohort and state counts) grouped by month, and ``tests/queries/test_summary.py``
holds its answers equal to the raw statement's for every figure.

What is stored (tables in :mod:`data.models`), each row keyed by the filter
dimensions of a case (township, park, category, channel, unit, owner
leader, and the accusation flag the scope needs):

* ``summary_events``: each event count by the month its anchor date falls in —
  a whole-month period's count is the sum over its months;
* ``summary_cohorts``: resolution counts by (month received, month concluded) —
  "received in M1..M2 and concluded by the end of M2" is a sum;
* ``summary_states``: overdue-open and backlog counts at each month's last day,
  from the first month with a case to ``last_state_month``, after which no
  state can change (every case is then either concluded, or open, overdue
  and backlog for good), so a later month reads that month's row;
* ``summary_stamp``: the data version and deadline rules it was built with.

It is rebuilt in full, in SQL (INSERT … SELECT … GROUP BY), by
:func:`refresh_summary`, which every writer of cases calls at the end of its
transaction, after bumping the data version. The engine reads it only while the
stamp matches the current data version and deadline rules, so a writer that
forgets to refresh, or a changed rule set, costs speed, never correctness.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime

import polars as pl
from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    and_,
    case,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement, Join

from config.settings import DeadlineRules
from data.models import (
    SUMMARY_COARSE_DIMENSIONS,
    SUMMARY_COHORT_COUNTS,
    SUMMARY_DIMENSIONS,
    SUMMARY_EVENT_COUNTS,
    SUMMARY_STATE_COUNTS,
    DataVersion,
    summary_cohorts,
    summary_cohorts_coarse,
    summary_events,
    summary_events_coarse,
    summary_months,
    summary_stamp,
    summary_states,
    summary_states_coarse,
)
from queries import definitions
from queries.filters import DIMENSIONS, CaseFilter, add_months, whole_months
from queries.scope import dimension_clauses
from queries.sql_dates import add_days, as_date

c = definitions.c
# Each kind of count: its table with every filter dimension, its coarse
# roll-up, and the columns that key a row besides the dimensions.
GRAINS = {
    "events": (summary_events, summary_events_coarse, ("month_number",), SUMMARY_EVENT_COUNTS),
    "cohorts": (summary_cohorts, summary_cohorts_coarse, ("received_month", "concluded_month"), SUMMARY_COHORT_COUNTS),
    "states": (summary_states, summary_states_coarse, ("month_number",), SUMMARY_STATE_COUNTS),
}
SUMMARY_TABLES = (
    summary_events, summary_cohorts, summary_states,
    summary_events_coarse, summary_cohorts_coarse, summary_states_coarse,
    summary_months, summary_stamp,
)
# Bumped whenever what the tables hold changes: a stamp from another format is stale.
SUMMARY_FORMAT = 3  # 3: the owner leader (包案领导) is a dimension


class SummaryUnavailable(RuntimeError):
    """The summary cannot answer: a period is not whole months, or the summary is missing or stale."""


class month_number(FunctionElement):  # noqa: N801 - reads like the SQL function it stands for
    """``year * 12 + month - 1`` of a date expression, as an integer."""

    type = Integer()
    inherit_cache = True
    name = "month_number"


@compiles(month_number, "sqlite")
def _month_number_sqlite(element, compiler, **kw):
    (date_expr,) = list(element.clauses)
    d = compiler.process(date_expr, **kw)
    return f"(CAST(strftime('%Y', {d}) AS INTEGER) * 12 + CAST(strftime('%m', {d}) AS INTEGER) - 1)"


@compiles(month_number, "postgresql")
def _month_number_postgresql(element, compiler, **kw):
    (date_expr,) = list(element.clauses)
    d = compiler.process(date_expr, **kw)
    return f"(CAST(EXTRACT(YEAR FROM {d}) AS INTEGER) * 12 + CAST(EXTRACT(MONTH FROM {d}) AS INTEGER) - 1)"


def number_of_month(d: date) -> int:
    return d.year * 12 + d.month - 1


def month_of_number(n: int) -> date:
    """The first day of month number ``n``."""
    return date(n // 12, n % 12 + 1, 1)


def rules_key(rules: DeadlineRules) -> str:
    """What the stamp records of the rules (and of the summary's format)."""
    return json.dumps({**dataclasses.asdict(rules), "summary_format": SUMMARY_FORMAT}, sort_keys=True)


# --- building -------------------------------------------------------------------------


def _dimensions() -> list[ColumnElement]:
    return [c[name] for name in SUMMARY_DIMENSIONS]


def _sum_if(condition: ColumnElement | None) -> ColumnElement:
    if condition is None:
        return func.count()
    return func.sum(case((condition, 1), else_=0))


def _flag(condition: ColumnElement | None) -> ColumnElement:
    if condition is None:
        return literal(1, Integer)
    return case((condition, 1), else_=0)


def _events_select(rules: DeadlineRules):
    """One row per (month, dimensions): every event count in the month its anchor falls in.

    Each anchor (receipt, conclusion, due date, 21-day date) is grouped on its
    own, carrying only its own counts (a narrow sort is what SQLite spends its
    time on), then the four are merged. Grouping on a subquery's column rather
    than on the due-date expression also keeps PostgreSQL from seeing two
    differently bound copies of that expression in SELECT and GROUP BY.
    """
    anchors = definitions.anchor_dates(rules)
    measures = definitions.event_measures(rules)
    parts = []
    for anchor in definitions.EVENT_ANCHORS:
        on = anchors[anchor]
        own = [name for name in SUMMARY_EVENT_COUNTS if measures[name][0] == anchor]
        # No conclusion date: no concluded-month event.
        inner = (
            select(on.label("anchor_on"), *_dimensions(), *(_flag(measures[name][1]).label(name) for name in own))
            .where(on.is_not(None))
            .subquery(f"by_{anchor}")
        )
        month = month_number(inner.c.anchor_on)
        dims = [inner.c[name] for name in SUMMARY_DIMENSIONS]
        parts.append(
            select(
                month.label("month_number"),
                *dims,
                *((func.sum(inner.c[name]) if name in own else literal(0, Integer)).label(name)
                  for name in SUMMARY_EVENT_COUNTS),
            ).group_by(month, *dims)
        )
    u = union_all(*parts).subquery("events")
    dims = [u.c[name] for name in SUMMARY_DIMENSIONS]
    # Ordered by month, so that a month's rows lie together on disk (PostgreSQL's
    # hash aggregation would scatter them; SQLite keeps insertion order).
    return (
        select(u.c.month_number, *dims, *(func.sum(u.c[name]).label(name) for name in SUMMARY_EVENT_COUNTS))
        .group_by(u.c.month_number, *dims)
        .order_by(u.c.month_number)
    )


def _cohorts_select():
    received, concluded = month_number(c.received_on), month_number(c.concluded_on)
    measures = definitions.cohort_measures()
    return (
        select(
            received.label("received_month"),
            concluded.label("concluded_month"),
            *_dimensions(),
            *(_sum_if(measures[name]).label(name) for name in SUMMARY_COHORT_COUNTS),
        )
        .where(c.concluded_on.is_not(None))
        .group_by(received, concluded, *_dimensions())
        .order_by(received, concluded)
    )


class _OuterFirstJoin(Join):
    """An inner join whose left side SQLite must loop over first.

    SQLite's planner would otherwise loop over the few month ends and range-scan
    every case received before each (tens of seconds at a million cases);
    ``CROSS JOIN`` is SQLite's documented way to fix the order. Elsewhere a plain join.
    """

    inherit_cache = True


@compiles(_OuterFirstJoin, "sqlite")
def _outer_first_join_sqlite(element, compiler, **kw):
    kw["asfrom"] = True
    left = compiler.process(element.left, **kw)
    right = compiler.process(element.right, **kw)
    on = compiler.process(element.onclause, **kw)
    return f"{left} CROSS JOIN {right} ON {on}"


def _states_select(rules: DeadlineRules):
    m = summary_months.c
    end = m.month_end
    conditions = definitions.state_measures(end, rules)
    due = definitions.statutory_due_on(rules)
    # Implied by the definitions, here only to keep the join small: a case that
    # counts at some month end is open there, so that end lies between its
    # receipt and its conclusion, and it was concluded (if ever) after its due
    # date or after the backlog threshold.
    could_count = or_(
        c.concluded_on.is_(None),
        c.concluded_on > due,
        c.concluded_on > add_days(c.received_on, rules.backlog_days),
    )
    within = and_(end >= c.received_on, or_(c.concluded_on.is_(None), end < c.concluded_on))
    return (
        select(
            m.month_number,
            *_dimensions(),
            *(_sum_if(conditions[name]).label(name) for name in SUMMARY_STATE_COUNTS),
        )
        .select_from(_OuterFirstJoin(definitions.cases, summary_months, within))
        .where(could_count, definitions.open_at(end), or_(*conditions.values()))
        .group_by(m.month_number, *_dimensions())
        .order_by(m.month_number)
    )


def _last_state_month(conn: Connection, rules: DeadlineRules) -> tuple[int, int] | None:
    """(first, last) month numbers whose end states the summary stores, or None without cases.

    After the day X = max(last receipt + backlog days, last conclusion, last
    due date), every case is received, past its due date and past the backlog
    threshold, and none concludes: the state at any later end date is "open
    and unconcluded" for the same cases. The first month ending after X is
    the last one stored.
    """
    due = definitions.statutory_due_on(rules)
    first, last_received, last_concluded, last_due = conn.execute(
        select(func.min(c.received_on), func.max(c.received_on), func.max(c.concluded_on), func.max(due))
    ).one()
    if first is None:
        return None
    last_received = as_date(last_received)
    candidates = [
        last_received,
        date.fromordinal(last_received.toordinal() + max(rules.backlog_days, 0)),
        as_date(last_concluded),
        as_date(last_due),
    ]
    x = max(d for d in candidates if d is not None)
    return number_of_month(as_date(first)), number_of_month(x) + 1


def refresh_summary(conn: Connection, rules: DeadlineRules | None = None) -> dict:
    """Rebuild every summary table from ``cases``, inside the caller's transaction.

    Call it at the end of any transaction that writes cases, *after*
    ``bump_data_version``: the summary is stamped with the data version it
    sees, and used only while that is still the current version. ``rules``
    are the deadline rules the dashboard reads with (the write path passes the
    configured ones; None: the regulation's, as everywhere in queries/).
    Returns the stamp as a dict (cases, months, seconds, ...).
    """
    started = time.perf_counter()
    rules = rules if rules is not None else DeadlineRules()
    for table in SUMMARY_TABLES:
        # DELETE, not TRUNCATE: readers keep seeing the old summary until commit.
        conn.execute(table.delete())
    conn.execute(insert(summary_events).from_select(["month_number", *SUMMARY_DIMENSIONS, *SUMMARY_EVENT_COUNTS],
                                                    _events_select(rules)))
    conn.execute(insert(summary_cohorts).from_select(
        ["received_month", "concluded_month", *SUMMARY_DIMENSIONS, *SUMMARY_COHORT_COUNTS], _cohorts_select()))
    months = _last_state_month(conn, rules)
    if months is not None:
        first, last = months
        conn.execute(
            insert(summary_months),
            [{"month_number": n, "month_end": add_months(month_of_number(n), 0, last_day=True)}
             for n in range(first, last + 1)],
        )
        conn.execute(insert(summary_states).from_select(["month_number", *SUMMARY_DIMENSIONS, *SUMMARY_STATE_COUNTS],
                                                        _states_select(rules)))
    for fine, coarse, keys, counts in GRAINS.values():
        key_columns = [fine.c[k] for k in keys]
        dims = [fine.c[name] for name in SUMMARY_COARSE_DIMENSIONS]
        rolled_up = (
            select(*key_columns, *dims, *(func.sum(fine.c[name]).label(name) for name in counts))
            .group_by(*key_columns, *dims)
            .order_by(*key_columns)
        )
        conn.execute(insert(coarse).from_select([*keys, *SUMMARY_COARSE_DIMENSIONS, *counts], rolled_up))
    version = conn.execute(select(DataVersion.version).where(DataVersion.id == 1)).scalar_one_or_none() or 0
    stamp = {
        "id": 1,
        "data_version": version,
        "rules": rules_key(rules),
        "cases": conn.execute(select(func.count()).select_from(definitions.cases)).scalar_one(),
        "last_state_month": months[1] if months else None,
        "built_at": datetime.now(UTC).replace(tzinfo=None),
        "seconds": time.perf_counter() - started,
    }
    conn.execute(insert(summary_stamp).values(**stamp))
    if conn.dialect.name == "postgresql":
        # Fresh planner statistics for tables that were just emptied and refilled.
        for fine, coarse, _, _ in GRAINS.values():
            conn.exec_driver_sql(f"ANALYZE {fine.name}")
            conn.exec_driver_sql(f"ANALYZE {coarse.name}")
    return stamp


def carry_forward(conn: Connection) -> None:
    """After a write that changed no case (boundaries, schedules), in its transaction, after the bump.

    The summary counts only cases, so one that was current before the write is
    current after it: it is stamped with the new data version instead of being
    rebuilt. A summary that was already stale stays stale.
    """
    current_version = select(DataVersion.version).where(DataVersion.id == 1).scalar_subquery()
    conn.execute(
        update(summary_stamp)
        .where(summary_stamp.c.id == 1, summary_stamp.c.data_version == current_version - 1)
        .values(data_version=current_version)
    )


# --- reading ---------------------------------------------------------------------------


def current_stamp(conn: Connection, rules: DeadlineRules) -> dict | None:
    """The summary's stamp if it matches the current data version and ``rules``, else None."""
    current_version = select(DataVersion.version).where(DataVersion.id == 1).scalar_subquery()
    row = conn.execute(
        select(summary_stamp, current_version.label("current_version")).where(summary_stamp.c.id == 1)
    ).mappings().first()
    if row is None or row["data_version"] != (row["current_version"] or 0) or row["rules"] != rules_key(rules):
        return None
    return dict(row)


def _version_current(conn: Connection) -> bool:
    """Whether the summary was built from the current data (any rules: ``received`` needs none)."""
    current_version = select(DataVersion.version).where(DataVersion.id == 1).scalar_subquery()
    row = conn.execute(
        select(summary_stamp.c.data_version, current_version).where(summary_stamp.c.id == 1)
    ).first()
    return row is not None and row[0] == (row[1] or 0)


def month_periods(periods: Sequence[tuple[date, date]]) -> list[tuple[int, int]] | None:
    """Each period as (first, last) month numbers, or None if any is not whole calendar months."""
    out = []
    for start, end in periods:
        if not whole_months(start, end):
            return None
        out.append((number_of_month(start), number_of_month(end)))
    return out


def _grain(flt: CaseFilter, group_column: str | None = None) -> int:
    """0 for the tables with every dimension, 1 for the coarse ones when the question needs no other.

    The scope needs only the coarse dimensions (township, category, the
    accusation flag); so do the township and category filters.
    """
    needed = {group_column} - {None}
    needed |= {d.column for d in DIMENSIONS if getattr(flt, d.filter_field)}
    return 1 if needed <= set(SUMMARY_COARSE_DIMENSIONS) else 0


def _table(kind: str, grain: int):
    return GRAINS[kind][grain]


def _periods_table(months: list[tuple[int, int]], last_state_month: int | None):
    rows = []
    for i, (first, last) in enumerate(months):
        state = last if last_state_month is None else min(last, last_state_month)
        rows.append(
            select(
                literal(i, Integer).label("idx"),
                literal(first, Integer).label("m_first"),
                literal(last, Integer).label("m_last"),
                literal(state, Integer).label("m_state"),
            )
        )
    return (union_all(*rows) if len(rows) > 1 else rows[0]).subquery("periods")


def _summed(conn, flt, table, names, join_on, periods, group_by):
    keys = [periods.c.idx] + ([table.c[group_by].label("group_key")] if group_by else [])
    statement = (
        select(*keys, *(func.coalesce(func.sum(table.c[name]), 0).label(name) for name in names))
        .select_from(periods.join(table, join_on))
        .where(*dimension_clauses(flt, table.c))
        .group_by(*keys)
    )
    schema = {"idx": pl.Int64, **({"group_key": pl.Int64} if group_by else {}), **{n: pl.Int64 for n in names}}
    rows = conn.execute(statement).all()
    return pl.DataFrame(
        [tuple(int(v) if v is not None else None for v in r) for r in rows], schema=schema, orient="row"
    )


def _unavailable(required: bool, why: str) -> None:
    if required:
        raise SummaryUnavailable(why)


@contextlib.contextmanager
def _reading(engine: Engine):
    """A connection for reading the summary: on PostgreSQL, without parallel workers for this transaction.

    A summary read sums a few thousand rows; PostgreSQL's planner still
    chooses a parallel plan for several periods joined at once, and starting
    the workers took 15-20 ms of a 3-5 ms query here (EXPLAIN ANALYZE, 100,000
    cases). SET LOCAL ends with the transaction, so other queries keep their
    parallel plans.
    """
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL max_parallel_workers_per_gather = 0")
        yield conn


def period_counts(
    engine: Engine,
    flt: CaseFilter,
    periods: Sequence[tuple[date, date]],
    rules: DeadlineRules,
    group_by: str | None = None,
    *,
    required: bool = False,
) -> pl.DataFrame | None:
    """The frame of ``definitions._raw_period_counts`` from the summary, or None when it cannot answer."""
    months = month_periods(periods)
    if months is None:
        return _unavailable(required, "a period is not made of whole calendar months")
    with _reading(engine) as conn:
        stamp = current_stamp(conn, rules)
        if stamp is None:
            return _unavailable(required, "the summary is missing, or was built for other data or rules")
        p = _periods_table(months, stamp["last_state_month"])
        grain = _grain(flt, group_by)
        e, k, s = (_table(kind, grain) for kind in ("events", "cohorts", "states"))
        events = _summed(conn, flt, e, SUMMARY_EVENT_COUNTS, e.c.month_number.between(p.c.m_first, p.c.m_last),
                         p, group_by)
        cohorts = _summed(
            conn, flt, k, SUMMARY_COHORT_COUNTS,
            and_(k.c.received_month.between(p.c.m_first, p.c.m_last), k.c.concluded_month <= p.c.m_last),
            p, group_by,
        )
        states = _summed(conn, flt, s, SUMMARY_STATE_COUNTS, s.c.month_number == p.c.m_state, p, group_by)
    keys = ["idx", "group_key"] if group_by else ["idx"]
    merged = (
        events.join(cohorts, on=keys, how="full", coalesce=True, nulls_equal=True)
        .join(states, on=keys, how="full", coalesce=True, nulls_equal=True)
        .with_columns(pl.col(name).fill_null(0) for name in definitions.MEASURES)
        .select(*keys, *definitions.MEASURES)
    )
    if group_by:
        return merged
    return definitions.counts_frame(merged.rows(), len(periods), grouped=False)


def breakdown_rows(engine: Engine, flt: CaseFilter, by: str, *, required: bool = False) -> list[tuple] | None:
    """``received`` by one dimension from the summary: (key, label, received) rows, or None."""
    months = month_periods([(flt.start, flt.end)])
    if months is None:
        return _unavailable(required, "the period is not made of whole calendar months")
    (first, last), = months
    e = _table("events", _grain(flt, "channel" if by == "channel" else definitions.DIMENSION_TABLES[by][0])).c
    received = func.sum(e.received)
    where = [e.month_number.between(first, last), *dimension_clauses(flt, e)]
    if by == "channel":
        statement = select(e.channel, e.channel, received).where(*where).group_by(e.channel)
    else:
        name, table = definitions.DIMENSION_TABLES[by]
        statement = (
            select(e[name], table.c.name, received)
            .select_from(e[name].table.join(table, e[name] == table.c.id))
            .where(*where)
            .group_by(e[name], table.c.name)
        )
    # A dimension value seen only in other anchors' months has a row but no receipt here.
    statement = statement.having(received > 0)
    with _reading(engine) as conn:
        if not _version_current(conn):
            return _unavailable(required, "the summary is missing, or was built for other data")
        return [(key, label, int(n)) for key, label, n in conn.execute(statement).all()]


def received_by_month_rows(
    engine: Engine, flt: CaseFilter, column: str, *, required: bool = False
) -> list[tuple] | None:
    """``received`` by (value of ``column``, month number) from the summary: rows, or None."""
    months = month_periods([(flt.start, flt.end)])
    if months is None:
        return _unavailable(required, "the period is not made of whole calendar months")
    (first, last), = months
    e = _table("events", _grain(flt, column)).c
    received = func.sum(e.received)
    statement = (
        select(e[column], e.month_number, received)
        .where(e.month_number.between(first, last), e[column].is_not(None), *dimension_clauses(flt, e))
        .group_by(e[column], e.month_number)
        .having(received > 0)
    )
    with _reading(engine) as conn:
        if not _version_current(conn):
            return _unavailable(required, "the summary is missing, or was built for other data")
        return [(key, int(m), int(n)) for key, m, n in conn.execute(statement).all()]

