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
* ``summary_open_cases``: the cases open at each month's end, one row each,
  with where each stands then (its stuck step, its statutory and 3-7-21
  deadlines) — the outcome measures and the map's case lists read a month's
  rows (:func:`open_cases_month`) instead of every case concluded after it;
* ``summary_steps``: the pipeline's steps taken in those months, by the days
  from each case's previous step (:func:`step_counts`);
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
import itertools
import json
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime

import polars as pl
from sqlalchemy import (
    BigInteger,
    Connection,
    Date,
    Engine,
    Integer,
    and_,
    case,
    cast,
    func,
    insert,
    literal,
    null,
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
    SUMMARY_STEP_DIMENSIONS,
    DataVersion,
    summary_cohorts,
    summary_cohorts_coarse,
    summary_events,
    summary_events_coarse,
    summary_months,
    summary_open_cases,
    summary_stamp,
    summary_states,
    summary_states_coarse,
    summary_steps,
)
from queries import definitions
from queries.filters import DIMENSIONS, CaseFilter, add_months, whole_months
from queries.scope import dimension_clauses
from queries.sql_dates import add_days, as_date, days_between

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
    summary_open_cases, summary_steps, summary_months, summary_stamp,
)
# Bumped whenever what the tables hold changes: a stamp from another format is stale.
SUMMARY_FORMAT = 4  # 3: the owner leader (包案领导) is a dimension; 4: summary_open_cases, summary_steps
# summary_open_cases keeps the ends of this many months, and summary_steps the steps taken in them,
# the last being the month of the data's last date: the current month and the twelve before it
# (the outcomes page's 12-month backlog trend, the map's 13-month panel). All 36 months of the
# 1,000,000-case demo were 1,070,000 open-case rows (87 MB in SQLite) and 10-16 s of each rebuild,
# growing with every month of history; an older month's end is counted from the cases, as before.
OPEN_CASE_MONTHS = 13


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
    # The year and month read off the ISO text SQLite keeps a date as ('YYYY-MM-DD', the same for a
    # computed date): strftime() parses the whole date, several times slower over a million rows.
    return f"(CAST(substr({d}, 1, 4) AS INTEGER) * 12 + CAST(substr({d}, 6, 2) AS INTEGER) - 1)"


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
    return json.dumps({**dataclasses.asdict(rules), "summary_format": SUMMARY_FORMAT,
                       "open_case_months": OPEN_CASE_MONTHS}, sort_keys=True)


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
    from_linter = kw.get("from_linter")
    if from_linter is not None:
        # What the default join compiler tells SQLAlchemy's cartesian-product check: the two sides are
        # joined (an ON clause that compares no column of one with one of the other says nothing).
        from_linter.edges.update(itertools.product(element.left._from_objects, element.right._from_objects))
    kw["asfrom"] = True
    left = compiler.process(element.left, **kw)
    right = compiler.process(element.right, **kw)
    on = compiler.process(element.onclause, **kw)
    return f"{left} CROSS JOIN {right} ON {on}"


def _states_select(rules: DeadlineRules, last_month: int):
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
        .where(could_count, definitions.open_at(end), or_(*conditions.values()), m.month_number <= last_month)
        .group_by(m.month_number, *_dimensions())
        .order_by(m.month_number)
    )


def _open_cases_select(rules: DeadlineRules, first_month: int, last_month: int):
    """One row per (month end, case open then), from ``first_month`` to ``last_month``: where the case stands.

    The definitions are :mod:`queries.definitions`' own, evaluated at the
    month's end: open there (:func:`~queries.definitions.open_at`), the step it
    is stuck at, its statutory due date, and for a first-time case its next
    3-7-21 step and that step's deadline. What depends on the date it is asked
    about (overdue, 积案, days over, age) is left to the reader, from these
    columns and that date.
    """
    m = summary_months.c
    end = m.month_end
    step_3_7_21, due_3_7_21 = definitions.pending_3_7_21(end, rules)
    first = c.is_first_time
    # Open at the end, spelt as one range of summary_months' month_end index per case (received
    # by the end, concluded after it or never: a date after every month end), so that each case
    # meets only its own months. The same range in month numbers (strftime per case) took SQLite
    # 5 s more at 1,000,000 cases.
    never = literal(date(9999, 12, 31), Date)
    first_end, last_end = (literal(add_months(month_of_number(n), 0, last_day=True), Date)
                           for n in (first_month, last_month))
    within = and_(end >= c.received_on, end < func.coalesce(c.concluded_on, never), end >= first_end,
                  end <= last_end)
    return (
        select(
            m.month_number,
            c.id,
            c.case_number,
            c.received_on,
            *_dimensions(),
            definitions.stuck_step(end),
            definitions.statutory_due_on(rules),
            case((first, step_3_7_21), else_=null()),
            case((first, due_3_7_21), else_=null()),
        )
        .select_from(_OuterFirstJoin(definitions.cases, summary_months, within))
        # A case concluded by the first month's end is open at none of them: it looks for no month.
        .where(or_(c.concluded_on.is_(None), c.concluded_on > first_end), definitions.open_at(end))
        # In key order: a month's rows lie together, and SQLite appends to its B-tree.
        .order_by(m.month_number, c.id)
    )


OPEN_CASE_COLUMNS = (
    "month_number", "case_id", "case_number", "received_on", *SUMMARY_DIMENSIONS, "stuck_step", "statutory_due_on",
    "step_3_7_21", "due_3_7_21_on",
)


def _steps_select(first_month: int):
    """Steps taken from ``first_month`` on, by (month, step, days from the previous step, step dimensions).

    The pipeline's definitions (:mod:`queries.definitions`): a step is taken
    on its date, first meeting and feedback by first-time cases only; its
    days are counted from the case's previous step, NULL where that has no
    date. One pass over the cases (each met by the five steps), not one per
    step: five scans and sorts of the table cost three times as much.
    """
    numbered = list(enumerate(definitions.STEPS))
    steps = union_all(*(select(literal(k, Integer).label("k"), literal(step).label("step")) for k, step in numbered))
    steps = steps.subquery("steps")
    on = case(*((steps.c.k == k, definitions.step_dates()[step]) for k, step in numbered))
    previous = case(*((steps.c.k == k, definitions.previous_step_date(step)) for k, step in numbered
                      if definitions.previous_step_date(step) is not None), else_=null())
    applies = or_(*(steps.c.k == k if definitions.step_applies(step) is None
                    else and_(steps.c.k == k, definitions.step_applies(step)) for k, step in numbered))
    taken = (
        select(on.label("on"), previous.label("previous"), steps.c.step, *(c[name] for name in SUMMARY_STEP_DIMENSIONS))
        .select_from(_OuterFirstJoin(definitions.cases, steps, applies))  # each case meets the steps it has
        .subquery("taken")
    )
    t = taken.c
    month, days = month_number(t.on), days_between(t.on, t.previous)
    dims = [t[name] for name in SUMMARY_STEP_DIMENSIONS]
    first_day = literal(month_of_number(first_month), Date)
    return (
        select(month.label("month_number"), t.step, days.label("days"), *dims, func.count().label("taken"))
        .where(t.on >= first_day)
        .group_by(month, t.step, days, *dims)
    )


def _data_through(conn: Connection) -> date | None:
    """The last date of any step of any case, or None without cases.

    From that day on nothing changes for the open cases (none is received,
    reaches a step or is concluded later): the cases open at any later date,
    and where each stands, are those open at the end of that day's month.
    """
    # One max() per statement: SQLite answers it from the column's index only then.
    found = [conn.execute(select(func.max(on))).scalar() for on in definitions.step_dates().values()]
    days = [as_date(d) for d in found if d is not None]
    return max(days) if days else None


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
    through = _data_through(conn)
    if months is not None:
        first, last = months
        last_open = number_of_month(through)
        first_open = max(first, last_open - OPEN_CASE_MONTHS + 1)
        conn.execute(
            insert(summary_months),
            [{"month_number": n, "month_end": add_months(month_of_number(n), 0, last_day=True)}
             for n in range(first, max(last, last_open) + 1)],
        )
        conn.execute(insert(summary_states).from_select(["month_number", *SUMMARY_DIMENSIONS, *SUMMARY_STATE_COUNTS],
                                                        _states_select(rules, last)))
        conn.execute(insert(summary_open_cases).from_select(list(OPEN_CASE_COLUMNS),
                                                            _open_cases_select(rules, first_open, last_open)))
        conn.execute(insert(summary_steps).from_select(
            ["month_number", "step", "days", *SUMMARY_STEP_DIMENSIONS, "taken"], _steps_select(first_open)))
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
        "data_through": through,
        "built_at": datetime.now(UTC).replace(tzinfo=None),
        "seconds": time.perf_counter() - started,
    }
    conn.execute(insert(summary_stamp).values(**stamp))
    if conn.dialect.name == "postgresql":
        # Fresh planner statistics for tables that were just emptied and refilled.
        for fine, coarse, _, _ in GRAINS.values():
            conn.exec_driver_sql(f"ANALYZE {fine.name}")
            conn.exec_driver_sql(f"ANALYZE {coarse.name}")
        conn.exec_driver_sql(f"ANALYZE {summary_open_cases.name}")
        conn.exec_driver_sql(f"ANALYZE {summary_steps.name}")
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


def open_cases_month(conn: Connection, at: date, rules: DeadlineRules) -> int | None:
    """The month whose rows of ``summary_open_cases`` are the cases open at ``at``, or None if none are.

    The ends of the :data:`OPEN_CASE_MONTHS` months up to the month of the
    stamp's ``data_through`` have their rows (a month before the first case has
    none, rightly: nothing is open), and any day from ``data_through`` on has
    that month's rows, for nothing changes after it; without cases no day has
    any. Any other day (the middle of a month before then, or an older month's
    end), or a summary that is stale or built for other rules: None, and the
    caller counts from ``cases``.
    """
    stamp = current_stamp(conn, rules)
    if stamp is None:
        return None
    through = as_date(stamp["data_through"])
    if through is None:  # no cases: nothing is open on any day, and no month has rows
        return number_of_month(at)
    if at >= through:
        return number_of_month(through)
    kept = number_of_month(at) > number_of_month(through) - OPEN_CASE_MONTHS
    if kept and at == add_months(at, 0, last_day=True):
        return number_of_month(at)
    return None


def step_counts(conn: Connection, flt: CaseFilter, rules: DeadlineRules) -> list[tuple] | None:
    """(step, days, taken) rows of the steps taken in the filter's period, or None when the summary cannot say.

    It can for a period of whole months within the :data:`OPEN_CASE_MONTHS`
    kept (steps dated after the data's last month belong to none, and count
    nowhere) and a filter naming only the dimensions the steps are kept by
    (township, category, owner leader; the scope needs no other), while the
    summary is current for ``rules``.
    """
    months = month_periods([(flt.start, flt.end)])
    needed = {d.column for d in DIMENSIONS if getattr(flt, d.filter_field)}
    if months is None or not needed <= set(SUMMARY_STEP_DIMENSIONS):
        return None
    stamp = current_stamp(conn, rules)
    if stamp is None:
        return None
    (first, last), = months
    through = as_date(stamp["data_through"])
    if through is not None and first <= number_of_month(through) - OPEN_CASE_MONTHS:
        return None
    s = summary_steps.c
    return [tuple(r) for r in conn.execute(
        select(s.step, s.days, func.sum(s.taken))
        .where(s.month_number.between(first, last), *dimension_clauses(flt, s))
        .group_by(s.step, s.days)
    ).all()]


def open_case_states(columns, end: ColumnElement, rules: DeadlineRules) -> dict[str, ColumnElement]:
    """The state measures (超期未结, 积案) at ``end`` of a row of ``summary_open_cases`` (``columns``).

    :func:`queries.definitions.state_measures`, on the row's stored receipt and
    statutory due dates; the row is open at ``end`` already.
    """
    return definitions.state_measures(end, rules, received_on=columns.received_on, due_on=columns.statutory_due_on)


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


def _grain(flt: CaseFilter, group_column: str | Sequence[str] | None = None) -> int:
    """0 for the tables with every dimension, 1 for the coarse ones when the question needs no other.

    The scope needs only the coarse dimensions (township, category, the
    accusation flag); so do the township and category filters.
    """
    needed = {column for column, _ in definitions.group_labels(group_column)}
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
    labels = definitions.group_labels(group_by)
    keys = [periods.c.idx] + [table.c[column].label(label) for column, label in labels]
    statement = (
        # Integer sums (PostgreSQL's sum may be numeric): the rows go to Polars as they come, with no
        # conversion of each value in Python (a grouped review reads thousands of them).
        select(*keys, *(cast(func.coalesce(func.sum(table.c[name]), 0), BigInteger).label(name) for name in names))
        .select_from(periods.join(table, join_on))
        .where(*dimension_clauses(flt, table.c))
        .group_by(*keys)
    )
    schema = {"idx": pl.Int64, **{label: pl.Int64 for _, label in labels}, **{n: pl.Int64 for n in names}}
    return pl.DataFrame([tuple(r) for r in conn.execute(statement).all()], schema=schema, orient="row")


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
    group_by: str | Sequence[str] | None = None,
    *,
    measures: Sequence[str] | None = None,
    required: bool = False,
) -> pl.DataFrame | None:
    """The frame of ``definitions._raw_period_counts`` from the summary, or None when it cannot answer.

    ``measures`` (default: all) limits the frame to those counts, and the
    statements to the summary tables that hold them.
    """
    names = list(definitions.MEASURES if measures is None else measures)
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
        wanted = [
            (e, SUMMARY_EVENT_COUNTS, e.c.month_number.between(p.c.m_first, p.c.m_last)),
            (k, SUMMARY_COHORT_COUNTS,
             and_(k.c.received_month.between(p.c.m_first, p.c.m_last), k.c.concluded_month <= p.c.m_last)),
            (s, SUMMARY_STATE_COUNTS, s.c.month_number == p.c.m_state),
        ]
        frames = [_summed(conn, flt, table, counts, join_on, p, group_by) for table, counts, join_on in wanted
                  if set(counts) & set(names)]
    keys = ["idx", *(label for _, label in definitions.group_labels(group_by))]
    merged = frames[0]
    for frame in frames[1:]:
        merged = merged.join(frame, on=keys, how="full", coalesce=True, nulls_equal=True)
    merged = merged.with_columns(pl.col(name).fill_null(0) for name in names).select(*keys, *names)
    if group_by:
        return merged
    return definitions.counts_frame(merged.rows(), len(periods), measures=names)


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



def received_by_month_split_rows(
    engine: Engine, flt: CaseFilter, column: str, splits: Sequence[tuple[str | None, Sequence[int] | None]],
    *, required: bool = False,
) -> list[tuple] | None:
    """``received`` by (split, value of ``column``, member, month number) for several splits, in one statement.

    Each split is ``(split_column, members)``: None for ``column`` alone (member
    None), else the rows of each member of ``split_column`` in ``members`` (all
    of them when ``members`` is None), e.g. every category county-wide, in each
    township and in each park. Rows (split index, key, member, month number,
    received), or None when the summary cannot answer.
    """
    months = month_periods([(flt.start, flt.end)])
    if months is None:
        return _unavailable(required, "the period is not made of whole calendar months")
    (first, last), = months
    statement = split_statement(flt, column, splits, (first, last))
    with engine.connect() as conn:
        if not _version_current(conn):
            return _unavailable(required, "the summary is missing, or was built for other data")
        return [] if statement is None else conn.execute(statement).all()


def split_statement(flt: CaseFilter, column: str, splits, months: tuple[int, int] | None):
    """UNION ALL of one GROUP BY per split: over the summary for month numbers ``months``, or (None) over ``cases``.

    Over ``cases`` the period is the filter's own, to the day; over the summary
    each branch reads the coarse roll-up when its columns and the filter allow.
    None when no split has a member to read.
    """
    branches = []
    for index, (split, members) in enumerate(splits):
        if members is not None and not members:
            continue
        if months is not None:
            t = _table("events", min(_grain(flt, column), _grain(flt, split))).c
            # An integer sum (PostgreSQL's sum of integers is numeric), so that rows need no conversion.
            month, received = t.month_number, cast(func.sum(t.received), Integer)
            where = [t.month_number.between(*months)]
        else:
            t = c
            month, received = month_number(c.received_on), func.count()
            where = [c.received_on >= flt.start, c.received_on <= flt.end]
        member = t[split] if split is not None else cast(null(), Integer)
        where += [t[column].is_not(None), *dimension_clauses(flt, t)]
        if split is not None:
            where.append(t[split].is_not(None) if members is None else t[split].in_(list(members)))
        keys = [t[column], *([t[split]] if split is not None else []), month]
        branches.append(
            select(literal(index, Integer).label("split"), t[column].label("key"), member.label("member"),
                   month.label("month_number"), received.label("received"))
            .where(*where).group_by(*keys).having(received > 0)
        )
    if not branches:
        return None
    return union_all(*branches) if len(branches) > 1 else branches[0]
