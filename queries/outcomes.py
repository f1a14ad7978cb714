"""Case outcomes (办理成效): who is late, what was resolved, which unit and which leader owns the backlog.

Every measure here is defined once, in the "definitions" section below and in
:mod:`queries.definitions` (the steps, where an open case is stuck, its next
3-7-21 step: the monthly summary evaluates those too), on top of the engine's
own (``open_at``, the statutory due date, the backlog and overdue states, the
resolution cohort); the words are written out in ``docs/metrics-outcomes.md``.
Figures the engine already has (on-time rates, resolution, satisfaction,
backlog and overdue counts) are read from it, so they come from the monthly
summary for whole months and equal the overview's. The new counts (steps of
the pipeline, stuck cases, backlog flows and age bands, deadline lists) read
the summary's open cases and step counts for the last 13 months' ends
(:mod:`queries.summary`), else raw SQL over ``cases``; resolution levels are
raw SQL. docs/metrics-outcomes.md says what each costs at 1,000,000 cases.

Every function takes an engine and a :class:`~queries.filters.CaseFilter`
whose scope is applied here, and returns Polars frames or plain values. No
personal data: the petitioners table is never read or joined.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

import polars as pl
from sqlalchemy import (
    Date,
    Engine,
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    not_,
    null,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from data.models import RESOLUTION_LEVEL_VALUES, Category, Leader, Park, Township, Unit, summary_open_cases
from queries import metrics, summary
from queries.definitions import (  # noqa: F401 - the outcome definitions, public here as well
    FIRST_TIME_STEPS,
    STEPS,
    not_reached_by,
    pending_3_7_21,
    previous_step_date,
    reached_by,
    step_applies,
    step_dates,
    stuck_conditions,
    stuck_step,
)
from queries.filters import CaseFilter
from queries.scope import dimension_clauses
from queries.sql_dates import add_days, as_date, days_between

if TYPE_CHECKING:  # type hints only: nothing under queries/ imports dashboard/ at run time
    from config.settings import DeadlineRules

c = metrics.c
cases = metrics.cases
township_t, park_t, category_t, unit_t, leader_t = (
    Township.__table__, Park.__table__, Category.__table__, Unit.__table__, Leader.__table__,
)

# --- definitions ------------------------------------------------------------------------

RULE_SETS = ("statutory", "3_7_21")
# League tables: the rates ranked, each with its numerator and denominator.
LEAGUE_RATES = ("on_time_rate", "resolution_rate", "satisfaction_rate_office", "satisfaction_rate_unit")
# by -> (case column, reference table)
GROUPINGS = {
    "unit": ("unit_id", unit_t),
    "leader": ("owner_leader_id", leader_t),
    "township": ("township_id", township_t),
    "category": ("category_id", category_t),
}


def backlog_at(at: ColumnElement, rules: DeadlineRules) -> ColumnElement:
    """积案 at ``at``: the engine's backlog state (open, received more than backlog_days before)."""
    return and_(metrics.open_at(at), metrics.state_measures(at, rules)["backlog"])


class not_for_index(FunctionElement):  # noqa: N801 - reads like the SQL it stands for
    """The column's value, but not a term SQLite picks an index for (its unary ``+``); plain elsewhere."""

    inherit_cache = True
    name = "not_for_index"

    def __init__(self, column: ColumnElement):
        super().__init__(column)
        self.type = column.type


@compiles(not_for_index)
def _not_for_index(element, compiler, **kw):
    return compiler.process(next(iter(element.clauses)), **kw)


@compiles(not_for_index, "sqlite")
def _not_for_index_sqlite(element, compiler, **kw):
    return "+" + compiler.process(next(iter(element.clauses)), **kw)


def open_branches(at: date, *, received_before: date | None = None) -> tuple[ColumnElement, ColumnElement]:
    """"Open at ``at``" (:func:`metrics.open_at`) as two disjoint conditions, each a range of one index.

    The same definition, split: never concluded, or concluded after ``at``;
    each received by ``at`` (and before ``received_before``, for 积案). Each
    is a range of ``ix_cases_open_steps`` (migration 0007), which also holds
    the step dates, the township and the extension flag, so a query that
    selects a branch at a time (UNION ALL) reads the open cases from the index
    alone. Written as ``open_at`` it made SQLite walk the whole table by
    receipt date: 1-1.5 s per query at 1,000,000 cases.
    """
    def received(on: ColumnElement) -> list[ColumnElement]:
        return [on <= at, *([on < received_before] if received_before is not None else [])]

    # Concluded after D: without statistics SQLite may read this from the receipt-date index instead
    # (every case received by D: 2-3 s at 1,000,000 cases); the receipt date is kept out of its choice.
    return (and_(c.concluded_on.is_(None), *received(c.received_on)),
            and_(c.concluded_on > at, *received(not_for_index(c.received_on))))


class _ColumnsNotForIndex:
    """``cases``' columns for :func:`queries.scope.dimension_clauses`, each kept out of SQLite's index choice.

    Without statistics SQLite prefers any equality it can look up (a township
    filter, a township officer's scope) to a range of a date index: for the
    steps of one month it then read all of a township's cases from the table,
    2-3 s at 1,000,000 cases, where the date indexes hold the township too and
    answer in tens of milliseconds. The filter is the same; only the plan changes.
    """

    def __getitem__(self, name: str) -> ColumnElement:
        return not_for_index(c[name])

    def __getattr__(self, name: str) -> ColumnElement:
        if name.startswith("_"):  # copy, pickle and friends probe for these
            raise AttributeError(name)
        return not_for_index(c[name])


def _dimensions(flt: CaseFilter) -> list[ColumnElement]:
    """The filter and scope (:func:`dimension_clauses`) for queries that read a date index of ours."""
    return dimension_clauses(flt, _ColumnsNotForIndex())


def open_case_ids(at: date, *, received_before: date | None = None):
    """The ids of the cases open at ``at`` (see :func:`open_branches`), a subquery read from the index."""
    return select(c.id).where(or_(*open_branches(at, received_before=received_before)))


def backlog_case_ids(at: date, rules: DeadlineRules):
    """The ids of the 积案 at ``at`` (:func:`backlog_at`), read from the index like :func:`open_case_ids`."""
    return open_case_ids(at, received_before=at - timedelta(days=rules.backlog_days))


def backlog_flows(start: ColumnElement, end: ColumnElement, rules: DeadlineRules) -> dict[str, ColumnElement]:
    """name -> condition, for the period [start, end]; the previous period ends the day before ``start``.

    backlog_previous: backlog at the previous period's end;
    cleared: backlog then, and concluded in the period;
    joined: not backlog then, backlog at the period's end.
    backlog at the end = backlog_previous - cleared + joined, always: a case
    that was backlog stops being backlog only by being concluded.
    """
    previous_end = add_days(start, -1)
    before = backlog_at(previous_end, rules)
    return {
        "backlog_previous": before,
        "cleared": and_(before, c.concluded_on >= start, c.concluded_on <= end),
        "joined": and_(not_(before), backlog_at(end, rules)),
    }


def age_band(at: ColumnElement, band_edges: Sequence[int], received_on: ColumnElement | None = None) -> ColumnElement:
    """Index of the backlog age band: days open at ``at`` (at - received_on) up to each edge, inclusive.

    ``received_on``: the case's receipt date where a table holds it (the summary's open cases).
    """
    age = days_between(at, c.received_on if received_on is None else received_on)
    return case(*((age <= edge, i) for i, edge in enumerate(band_edges)), else_=len(band_edges))


def resolution_cohort(flt: CaseFilter) -> ColumnElement:
    """化解率's cases: received in the period and concluded by its end (the engine's cohort)."""
    return and_(c.received_on >= flt.start, c.received_on <= flt.end, c.concluded_on <= flt.end)


# --- helpers ---------------------------------------------------------------------------------

# The summary's open cases at each month's end (queries/summary.py), read instead of ``cases``.
open_cases = summary_open_cases


def open_case_source(conn, at: date, rules: DeadlineRules, source: str) -> int | None:
    """The month of ``summary_open_cases`` whose rows are the cases open at ``at``, or None: count from ``cases``.

    ``source`` as in :mod:`queries.metrics`: "auto" reads the summary when it
    can (:func:`queries.summary.open_cases_month`), "raw" never, "summary"
    always (raising :class:`~queries.summary.SummaryUnavailable` when it cannot).
    """
    if source not in metrics.SOURCES:
        raise ValueError(f"source must be one of {metrics.SOURCES}, not {source!r}")
    if source == "raw":
        return None
    month = summary.open_cases_month(conn, at, rules)
    if month is None and source == "summary":
        raise summary.SummaryUnavailable(f"no open cases in the summary for {at}: not a month's end, or stale")
    return month


def _count(*conditions: ColumnElement | None) -> ColumnElement:
    return func.coalesce(func.sum(case((and_(*(x for x in conditions if x is not None)), 1), else_=0)), 0)




def _grouping(by: str) -> tuple[str, object]:
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {tuple(GROUPINGS)}, not {by!r}")
    return GROUPINGS[by]


def grouping_values(engine: Engine, flt: CaseFilter, by: str) -> pl.DataFrame:
    """``id``, ``name`` of every value of a grouping (:data:`GROUPINGS`) the viewer may see, in display order.

    Leaders in protocol order, the others by id; a township officer sees their
    own township only, and the accusation categories only those who may.
    """
    _, table = _grouping(by)
    statement = select(table.c.id, table.c.name)
    if by == "leader":
        statement = statement.order_by(table.c.rank, table.c.id)  # protocol order
    else:
        statement = statement.order_by(table.c.id)
    if by == "township" and flt.scope.township_id is not None:
        statement = statement.where(table.c.id == flt.scope.township_id)
    if by == "category" and not flt.scope.see_accusations:
        statement = statement.where(not_(table.c.is_accusation))
    with engine.connect() as conn:
        rows = conn.execute(statement).all()
    return pl.DataFrame([tuple(r) for r in rows], schema={"id": pl.Int64, "name": pl.String}, orient="row")


# --- 1. the pipeline -----------------------------------------------------------------------------


def pipeline(
    engine: Engine,
    flt: CaseFilter,
    *,
    at: date | None = None,
    rules: DeadlineRules | None = None,
    in_sql: bool | None = None,
    source: str = "auto",
) -> pl.DataFrame:
    """The steps received -> accepted -> first meeting -> feedback -> concluded, one row each.

    * ``taken``: cases that reached the step in the period (its date falls in
      it); for received and concluded these are the engine's ``received`` and
      ``concluded``. First meeting and feedback count first-time cases only.
    * ``days_n``, ``days_median``, ``days_p90``: days from the case's previous
      step to this one, among the steps taken in the period whose previous step
      has a date (negative where the dates are out of order: a meeting before
      the acceptance). Percentiles interpolate linearly between ranks
      (PostgreSQL's ``percentile_cont``). None when no step was taken.
    * ``stuck``: cases stuck at the step at ``at`` (default: the period's end;
      see :func:`stuck_conditions`); None for receipt.

    The steps taken come from the summary's step counts
    (:func:`queries.summary.step_counts`) for a period of whole months among
    those it keeps and a filter of township, category or owner leader; the
    stuck cases from its open cases (:func:`open_case_source`) when ``at`` is
    a kept month's end or after the data's last date; both only while the
    summary is current for ``rules`` (which decide nothing here, but the
    summary is stamped with them). ``source`` as in :mod:`queries.metrics`
    ("summary" refuses when either cannot). Otherwise from ``cases``: with
    ``in_sql`` (default: on PostgreSQL) all in the database; SQLite has no
    percentile function, so there the steps are counted per (date, previous
    date) in SQL and the percentiles taken here from those counts, exact as
    ``percentile_cont``.
    """
    at = at or flt.end
    rules = metrics._rules(rules)
    if in_sql is None:
        in_sql = engine.dialect.name == "postgresql"
    with engine.connect() as conn:
        month = open_case_source(conn, at, rules, source)
        counted = summary.step_counts(conn, flt, rules) if source != "raw" else None
        if counted is None and source == "summary":
            raise summary.SummaryUnavailable("the steps of this period or filter are not in the summary")
        if counted is not None:
            found = _found_from_histogram(pl.DataFrame(
                counted, schema={"step": pl.String, "days": pl.Int64, "n": pl.Int64}, orient="row"))
        else:
            found = (_taken_in_sql if in_sql else _taken_fetched)(conn, flt)
        if month is not None:
            stuck_counts = _stuck_from_summary(conn, flt, month)
        else:
            stuck_counts = (_stuck_in_sql if in_sql else _stuck_fetched)(conn, flt, at)
    return (
        pl.DataFrame({"step": list(STEPS)}, schema={"step": pl.String})
        .join(found, on="step", how="left")
        .with_columns(
            pl.col("taken").fill_null(0),
            pl.col("days_n").fill_null(0),
            pl.col("step").is_in(list(FIRST_TIME_STEPS)).alias("first_time_only"),
            pl.col("step").replace_strict(stuck_counts, default=None, return_dtype=pl.Int64).alias("stuck"),
        )
        .select("step", "first_time_only", "taken", "days_n", "days_median", "days_p90", "stuck")
    )


_FOUND_SCHEMA = {"step": pl.String, "taken": pl.Int64, "days_n": pl.Int64, "days_median": pl.Float64,
                 "days_p90": pl.Float64}


def _step_days(step: str) -> ColumnElement:
    previous = previous_step_date(step)
    return days_between(step_dates()[step], previous) if previous is not None else cast(null(), Integer)


def _taken_in(step: str, flt: CaseFilter) -> ColumnElement:
    on = step_dates()[step]
    return and_(on >= flt.start, on <= flt.end, *(x for x in [step_applies(step)] if x is not None))


def _taken_in_sql(conn, flt: CaseFilter) -> pl.DataFrame:
    parts = [
        select(literal(step, String).label("step"), _step_days(step).label("days"))
        .where(_taken_in(step, flt), *dimension_clauses(flt))
        for step in STEPS
    ]
    taken = union_all(*parts).subquery("taken")
    counted = conn.execute(
        select(taken.c.step, func.count(), func.count(taken.c.days),
               func.percentile_cont(0.5).within_group(taken.c.days),
               func.percentile_cont(0.9).within_group(taken.c.days))
        .group_by(taken.c.step)
    ).all()
    return pl.DataFrame(
        [(step, int(n), int(k), None if m is None else float(m), None if p is None else float(p))
         for step, n, k, m, p in counted],
        schema=_FOUND_SCHEMA, orient="row",
    )


def _stuck_in_sql(conn, flt: CaseFilter, at: date) -> dict[str, int]:
    at_lit = literal(at, Date)
    stuck_row = conn.execute(
        select(*(_count(condition).label(step) for step, condition in stuck_conditions(at_lit).items()))
        .where(c.id.in_(open_case_ids(at)), *dimension_clauses(flt))
    ).one()
    return dict(zip(stuck_conditions(at_lit), (int(v) for v in stuck_row), strict=True))


def _stuck_fetched(conn, flt: CaseFilter, at: date) -> dict[str, int]:
    at_lit = literal(at, Date)
    stuck = union_all(*(
        select(stuck_step(at_lit).label("step")).where(branch, *_dimensions(flt))
        for branch in open_branches(at)
    )).subquery("stuck")
    stuck_rows = conn.execute(select(stuck.c.step, func.count()).group_by(stuck.c.step)).all()
    return {step: 0 for step in STEPS[1:]} | {step: int(n) for step, n in stuck_rows if step is not None}


def _stuck_from_summary(conn, flt: CaseFilter, month: int) -> dict[str, int]:
    o = open_cases.c
    rows = conn.execute(
        select(o.stuck_step, func.count())
        .where(o.month_number == month, *dimension_clauses(flt, o))
        .group_by(o.stuck_step)
    ).all()
    return {step: 0 for step in STEPS[1:]} | {step: int(n) for step, n in rows}


def _taken_fetched(conn, flt: CaseFilter) -> pl.DataFrame:
    # Each step taken in the period is a range of that step's date index. The steps are counted
    # per (date, previous step's date), a few thousand pairs a month, and the days worked out
    # from the pairs here rather than twice julianday() per case in SQL. The percentiles are read
    # off the cumulative counts: exact, as PostgreSQL's percentile_cont.
    parts = []
    for step in STEPS:
        on, previous = step_dates()[step], previous_step_date(step)
        keys = [on] if previous is None else [on, previous]
        parts.append(
            select(literal(step, String).label("step"), on.label("on"),
                   (cast(null(), Date) if previous is None else previous).label("previous"),
                   func.count().label("n"))
            .where(_taken_in(step, flt), *_dimensions(flt))
            .group_by(*keys)
        )
    pairs = conn.execute(union_all(*parts)).all()
    histogram = (
        pl.DataFrame([(step, as_date(on), as_date(previous), n) for step, on, previous, n in pairs],
                     schema={"step": pl.String, "on": pl.Date, "previous": pl.Date, "n": pl.Int64}, orient="row")
        .with_columns((pl.col("on") - pl.col("previous")).dt.total_days().cast(pl.Int64).alias("days"))
        .group_by("step", "days").agg(pl.col("n").sum())
    )
    return _found_from_histogram(histogram)


def _found_from_histogram(histogram: pl.DataFrame) -> pl.DataFrame:
    """Per step: taken, how many have days, their median and 90th percentile, from (step, days, n) counts."""
    parts = []
    for step in STEPS:
        mine = histogram.filter(pl.col("step") == step)
        days = mine.filter(pl.col("days").is_not_null()).sort("days")
        values, counts = days["days"].to_list(), days["n"].to_list()
        parts.append((step, int(mine["n"].sum()), int(sum(counts)),
                      quantile_of_counts(values, counts, 0.5), quantile_of_counts(values, counts, 0.9)))
    return pl.DataFrame(parts, schema=_FOUND_SCHEMA, orient="row")


def quantile_of_counts(values: Sequence[int], counts: Sequence[int], q: float) -> float | None:
    """The ``q`` quantile of ``values`` each repeated ``counts`` times (sorted ascending), or None if none.

    Linear interpolation between the ranks around q·(n-1), counted from 0:
    PostgreSQL's ``percentile_cont`` and Polars' "linear".
    """
    n = sum(counts)
    if n == 0:
        return None
    position = q * (n - 1)
    below = math.floor(position)

    def at_rank(rank: int) -> int:
        seen = 0
        for value, count in zip(values, counts, strict=True):
            seen += count
            if rank < seen:
                return value
        return values[-1]

    low = at_rank(below)
    high = at_rank(min(below + 1, n - 1))
    return float(low + (position - below) * (high - low))


# --- 2. deadlines ------------------------------------------------------------------------------------

DEADLINE_WINDOWS = ("overdue", "due_soon")
DEADLINE_SCHEMA = {
    "case_number": pl.String, "township": pl.String, "unit": pl.String, "owner_leader": pl.String,
    "rule_set": pl.String, "step": pl.String, "received_on": pl.Date, "due_on": pl.Date,
}


def deadline_rates(
    engine: Engine, flt: CaseFilter, rules: DeadlineRules, *, source: str = "auto"
) -> dict[str, float | int | None]:
    """Both on-time rates with their numerators and denominators, and the overdue count: the engine's figures."""
    h = metrics.headline(engine, flt, rules, source=source).row(0, named=True)
    return {key: h[key] for key in DEADLINE_RATE_KEYS}


DEADLINE_RATE_KEYS = ("on_time_rate", "on_time", "due_in_period", "on_time_rate_3_7_21", "met_3_7_21",
                      "due_21_in_period", "overdue_open")


def deadline_cases(
    engine: Engine,
    flt: CaseFilter,
    rules: DeadlineRules,
    which: str,
    *,
    at: date | None = None,
    within_days: int = 7,
    limit: int = 1000,
    source: str = "auto",
) -> pl.DataFrame:
    """Cases open at ``at`` (default: the period's end) that are overdue, or due soon, under each rule set.

    ``which`` "overdue": the deadline is before ``at`` (column ``days_over`` =
    at - due_on, at least 1). "due_soon": the deadline falls from ``at`` to
    ``at`` + ``within_days`` (column ``days_left`` = due_on - at, 0 to
    ``within_days``). A case has one row per rule set it falls under:

    * ``statutory``: the conclusion deadline (acceptance + 60, + 30 when
      extended; receipt + 15 stands in for a missing acceptance). Its overdue
      rows are the engine's 超期未结 count at ``at``.
    * ``3_7_21`` (first-time cases): the first step of meeting (receipt + 3),
      feedback (+ 7) and conclusion (+ 21) not reached by ``at``.

    Most overdue, or soonest due, first; at most ``limit`` rows. No personal data.
    See :func:`deadline_lists` for both lists and their counts at once.
    """
    if which not in DEADLINE_WINDOWS:
        raise ValueError(f"which must be one of {DEADLINE_WINDOWS}, not {which!r}")
    return deadline_lists(engine, flt, rules, at=at, within_days=within_days, limit=limit, source=source)[which]


def deadline_counts(
    engine: Engine, flt: CaseFilter, rules: DeadlineRules, *, at: date | None = None, within_days: int = 7,
    source: str = "auto",
) -> dict[tuple[str, str], int]:
    """How many rows :func:`deadline_cases` has in all, before its limit: (which, rule set) -> cases."""
    return deadline_lists(engine, flt, rules, at=at, within_days=within_days, limit=1, source=source)["counts"]


def deadline_lists(
    engine: Engine,
    flt: CaseFilter,
    rules: DeadlineRules,
    *,
    at: date | None = None,
    within_days: int = 7,
    limit: int = 1000,
    source: str = "auto",
) -> dict:
    """Both deadline lists of :func:`deadline_cases` and their full counts, from one statement (two from the summary).

    {"overdue": frame, "due_soon": frame, "counts": {(which, rule set): n}}:
    each frame at most ``limit`` rows, most urgent first; every pair of
    :data:`DEADLINE_WINDOWS` and :data:`RULE_SETS` counted (0 when none),
    ("overdue", "statutory") being the engine's 超期未结 at ``at``.

    Rows are chosen from the open cases' deadlines alone (case id, dates,
    rule set: see :func:`_deadline_rows`), ranked per list, and only those
    shown are then looked up for their number and names: at 1,000,000 cases
    some 16,000 are overdue at a month's end. For a month's end the summary's
    open cases answer (``source`` as in :mod:`queries.metrics`), each list's
    first rows read in deadline order from its indexes (:func:`_shown_from_summary`).
    """
    at = at or flt.end
    with engine.connect() as conn:
        month = open_case_source(conn, at, rules, source)
    if month is None:
        # Worked out from the cases, the deadlines are kept (MATERIALIZED): SQLite would otherwise work
        # each out again wherever it is named (sort, filter, count).
        rows = _deadline_rows(flt, rules, at, within_days).cte("deadlines").prefix_with("MATERIALIZED")
        # The first ``limit`` of each list, chosen from the index columns alone and only then looked up
        # for their number and names: at 1,000,000 cases some 16,000 are overdue at a month's end.
        shown = union_all(*(
            select(top).select_from(top)
            for which in DEADLINE_WINDOWS
            for top in [select(rows).where(rows.c.which == which).order_by(rows.c.due_on, rows.c.case_id)
                        .limit(limit).subquery(f"top_{which}")]
        )).subquery("shown")
    else:
        shown = _shown_from_summary(flt, at, within_days, month, limit)
    # The summary's rows carry the case's number and ids; the cases' are looked up in ``cases``.
    listed = shown.c if month is not None else c
    listed_rows = (
        select(shown.c.which, shown.c.rule_set, null().label("total"), listed.case_number,
               township_t.c.name.label("township"), unit_t.c.name.label("unit"),
               leader_t.c.name.label("owner_leader"), shown.c.step, shown.c.received_on, shown.c.due_on)
        .select_from(
            (shown if month is not None else shown.join(cases, c.id == shown.c.case_id))
            .outerjoin(township_t, listed.township_id == township_t.c.id)
            .outerjoin(unit_t, listed.unit_id == unit_t.c.id)
            .outerjoin(leader_t, listed.owner_leader_id == leader_t.c.id)
        )
    )
    with engine.connect() as conn:
        if month is None:
            # The counts ride along in the same statement (total set, the case's columns empty), so
            # that the deadlines are worked out once for both.
            count_rows = select(rows.c.which, rows.c.rule_set, func.count().label("total"),
                                *(null() for _ in range(7))).group_by(rows.c.which, rows.c.rule_set)
            found = conn.execute(union_all(listed_rows, count_rows)).all()
        else:
            found = conn.execute(listed_rows).all()
            found += _deadline_counts_from_summary(conn, flt, at, within_days, month)
    counts = {(w, r): 0 for w in DEADLINE_WINDOWS for r in RULE_SETS}
    listed: dict[str, list[tuple]] = {w: [] for w in DEADLINE_WINDOWS}
    for which, rule_set, total, number, township, unit, leader, step, received_on, due_on in found:
        if total is not None:
            counts[(which, rule_set)] = int(total)
        else:
            listed[which].append((number, township, unit, leader, rule_set, step, as_date(received_on),
                                  as_date(due_on)))
    out: dict = {"counts": counts}
    # Sorted and counted here, not by Polars: two lists of 1,000 rows are a millisecond in Python,
    # where a Polars sort waits for its thread pool (tens of milliseconds on a busy machine).
    for which, values in listed.items():
        values.sort(key=lambda row: (row[7], row[0], row[4]))  # due_on, case_number, rule_set
        sign = 1 if which == "overdue" else -1
        out[which] = pl.DataFrame(
            [(*row, sign * (at - row[7]).days) for row in values],
            schema={**DEADLINE_SCHEMA, ("days_over" if which == "overdue" else "days_left"): pl.Int64},
            orient="row",
        )
    return out


def _shown_from_summary(flt: CaseFilter, at: date, within_days: int, month: int, limit: int):
    """The first ``limit`` rows of each deadline list from the summary's open cases of ``month``.

    The rows of :func:`_deadline_rows` for a month, chosen another way: the
    first ``limit`` of a list are among the first ``limit`` of each rule set,
    and those are read in order from the month's deadline index
    (``ix_summary_open_cases_statutory_due``, ``..._due_3_7_21``) and stopped
    there, instead of every open case of the month being read and sorted.
    Columns as :func:`_deadline_rows`' with the case's number and ids.
    """
    s = open_cases.c
    by_rule_set = {"statutory": (literal("concluded", String), s.statutory_due_on),
                   "3_7_21": (s.step_3_7_21, s.due_3_7_21_on)}  # NULL for a case that is not first-time
    tops = []
    for which in DEADLINE_WINDOWS:
        parts = []
        for rule_set, (step, due) in by_rule_set.items():
            first = (
                select(literal(which, String).label("which"), s.case_id, literal(rule_set, String).label("rule_set"),
                       step.label("step"), s.received_on, due.label("due_on"), s.case_number, s.township_id,
                       s.unit_id, s.owner_leader_id)
                .where(s.month_number == month, _deadline_window(due, at, within_days)[which],
                       *dimension_clauses(flt, s))
                .order_by(due, s.case_id).limit(limit).subquery(f"{which}_{rule_set}")
            )
            parts.append(select(first))
        both = union_all(*parts).subquery(f"both_{which}")
        tops.append(select(both).order_by(both.c.due_on, both.c.case_id).limit(limit).subquery(f"top_{which}"))
    return union_all(*(select(top) for top in tops)).subquery("shown")


def _deadline_window(due: ColumnElement, at: date, within_days: int) -> dict[str, ColumnElement]:
    """which list (:data:`DEADLINE_WINDOWS`) -> a deadline ``due`` puts a case on it at ``at``."""
    at_lit, soon_lit = literal(at, Date), literal(at + timedelta(days=within_days), Date)
    return {"overdue": due < at_lit, "due_soon": and_(due >= at_lit, due <= soon_lit)}


def _deadline_counts_from_summary(conn, flt: CaseFilter, at: date, within_days: int, month: int) -> list[tuple]:
    """Rows (which, rule set, total, None x 7) of :func:`deadline_lists`' counts, in one pass over the open cases."""
    o = open_cases.c
    dues = {"statutory": o.statutory_due_on, "3_7_21": o.due_3_7_21_on}  # NULL: not a first-time case
    keys = [(which, rule_set) for which in DEADLINE_WINDOWS for rule_set in RULE_SETS]
    # Each count a range of its rule set's deadline index (the month's rows are not all read).
    totals = conn.execute(select(*(
        select(func.count()).where(o.month_number == month, _deadline_window(dues[rule_set], at, within_days)[which],
                                   *dimension_clauses(flt, o)).scalar_subquery()
        for which, rule_set in keys
    ))).one()
    return [(which, rule_set, int(n), *([None] * 7)) for (which, rule_set), n in zip(keys, totals, strict=True)]


def _deadline_rows(flt: CaseFilter, rules: DeadlineRules, at: date, within_days: int):
    """One row per (open case, rule set) overdue or due soon at ``at``: which, case_id, rule_set, step, dates.

    Counted from ``cases`` (a day that is not a month's end the summary keeps;
    the summary's open cases: :func:`_shown_from_summary`): the cases of
    :func:`open_branches` (``ix_cases_open_steps``, without touching the table
    unless the filter names a park, category, channel, unit or leader) with
    the deadlines worked out here, once (MATERIALIZED). The 3-7-21 step and
    deadline are NULL for a case that is not first-time.
    """
    at_lit = literal(at, Date)
    soon_lit = literal(at + timedelta(days=within_days), Date)
    step_3_7_21, due_3_7_21 = pending_3_7_21(at_lit, rules)
    found = union_all(*(
        select(c.id.label("case_id"), c.received_on,
               metrics.statutory_due_on(rules).label("statutory_due"),
               case((c.is_first_time, step_3_7_21), else_=null()).label("step_3_7_21"),
               case((c.is_first_time, due_3_7_21), else_=null()).label("due_3_7_21"))
        .where(open_branch, *_dimensions(flt))
        for open_branch in open_branches(at)
    ))
    o = found.cte("open_cases").prefix_with("MATERIALIZED").c
    by_rule_set = (
        ("statutory", literal("concluded", String), o.statutory_due, None),
        ("3_7_21", o.step_3_7_21, o.due_3_7_21, o.due_3_7_21.is_not(None)),
    )
    # Overdue (before ``at``) or due soon (``at`` to ``at`` + within_days): due by the window's end.
    return union_all(*(
        select(case((due < at_lit, "overdue"), else_="due_soon").label("which"), o.case_id,
               literal(rule_set, String).label("rule_set"), step.label("step"), o.received_on,
               due.label("due_on"))
        .where(due <= soon_lit, *(x for x in [condition] if x is not None))
        for rule_set, step, due, condition in by_rule_set
    ))


# --- 3. backlog -----------------------------------------------------------------------------------------


def backlog_by(
    engine: Engine, flt: CaseFilter, rules: DeadlineRules, by: str = "leader", *, source: str = "auto"
) -> pl.DataFrame:
    """积案 and 超期未结 per owner leader (or unit, township, category), with the backlog's flows in the period.

    Columns ``id``, ``name`` (None: cases with no owner leader, listed last
    when it has any), ``backlog`` and ``overdue_open`` at the period's end (the
    engine's counts: monthly summary for whole months), ``backlog_previous``
    (at the previous period's end, the day before the period starts),
    ``cleared`` and ``joined`` (see :func:`backlog_flows`: from the summary's
    open cases at both ends when both are months' ends, else from ``cases``).
    ``backlog`` = ``backlog_previous`` - ``cleared`` + ``joined``.
    """
    column, _ = _grouping(by)
    # The two state counts alone: the summary's states, not the events and cohorts every figure needs.
    figures = metrics.grouped_counts(engine, flt, column, ("backlog", "overdue_open"), rules, source=source).select(
        pl.col("group_key").alias("id"), "backlog", "overdue_open"
    )
    previous_end = flt.start - timedelta(days=1)
    with engine.connect() as conn:
        months = [open_case_source(conn, day, rules, source) for day in (previous_end, flt.end)]
        if None in months:
            flows = backlog_flows(literal(flt.start, Date), literal(flt.end, Date), rules)
            rows = conn.execute(
                select(c[column].label("id"), *(_count(condition).label(name) for name, condition in flows.items()))
                .where(c.id.in_(union(backlog_case_ids(previous_end, rules), backlog_case_ids(flt.end, rules))),
                       *_dimensions(flt))
                .group_by(c[column])
            ).all()
        else:
            rows = _flows_from_summary(conn, flt, column, rules, *months)
    flow_frame = pl.DataFrame(
        [tuple(None if v is None else int(v) for v in r) for r in rows],
        schema={"id": pl.Int64, **{name: pl.Int64 for name in FLOWS}}, orient="row",
    )
    counts = ("backlog", "overdue_open", *FLOWS)
    names = grouping_values(engine, flt, by)
    joined = figures.join(flow_frame, on="id", how="full", coalesce=True, nulls_equal=True)
    listed = names.join(joined, on="id", how="left")
    unnamed = joined.filter(pl.col("id").is_null()).with_columns(pl.lit(None, pl.String).alias("name"))
    out = pl.concat([listed, unnamed.select(listed.columns)]).with_columns(pl.col(n).fill_null(0) for n in counts)
    # The no-leader row only when something counts there.
    out = out.filter(pl.col("id").is_not_null() | pl.any_horizontal(pl.col(list(counts)) != 0))
    return out.select("id", "name", *counts)


FLOWS = ("backlog_previous", "cleared", "joined")


def _flows_from_summary(conn, flt: CaseFilter, column: str, rules: DeadlineRules, before_month: int,
                        end_month: int) -> list[tuple]:
    """(id, backlog_previous, cleared, joined) rows of :func:`backlog_flows`, from the summary's open cases.

    The same definitions on the rows open at the previous period's end
    (``before_month``) and at this one's (``end_month``): cleared = backlog
    then and concluded in the period, which for a case open at the previous
    end means not open at this one; joined = backlog now and not backlog then.
    """
    previous_end = flt.start - timedelta(days=1)
    before, now = open_cases.alias("before"), open_cases.alias("now")
    still_open, then = open_cases.alias("still_open"), open_cases.alias("then")

    def backlog(t, month: int, end: date) -> ColumnElement:
        return and_(t.c.month_number == month,
                    summary.open_case_states(t.c, literal(end, Date), rules)["backlog"])

    parts = (
        ("backlog_previous", before, [backlog(before, before_month, previous_end)]),
        ("cleared", before, [backlog(before, before_month, previous_end), ~(
            select(still_open.c.case_id)
            .where(still_open.c.month_number == end_month, still_open.c.case_id == before.c.case_id).exists()
        )]),
        ("joined", now, [backlog(now, end_month, flt.end), ~(
            select(then.c.case_id)
            .where(backlog(then, before_month, previous_end), then.c.case_id == now.c.case_id).exists()
        )]),
    )
    flows = union_all(*(
        select(literal(name, String).label("flow"), t.c[column].label("id"))
        .where(*conditions, *dimension_clauses(flt, t.c))
        for name, t, conditions in parts
    )).subquery("flows")
    counted = conn.execute(
        select(flows.c.id, flows.c.flow, func.count()).group_by(flows.c.id, flows.c.flow)
    ).all()
    by_id: dict = {}
    for key, flow, n in counted:
        by_id.setdefault(key, dict.fromkeys(FLOWS, 0))[flow] = int(n)
    return [(key, *(found[name] for name in FLOWS)) for key, found in by_id.items()]


def backlog_age_bands(
    engine: Engine,
    flt: CaseFilter,
    rules: DeadlineRules,
    band_edges: Sequence[int] = (180, 365),
    by: str | None = "leader",
    *,
    source: str = "auto",
) -> pl.DataFrame:
    """积案 at the period's end by age band (days open: end - received_on), per owner leader (or ``by``).

    Band 0 holds ages from ``rules.backlog_days`` + 1 (the backlog threshold)
    to ``band_edges[0]`` days, band k ages from ``band_edges[k-1]`` + 1 to
    ``band_edges[k]``, the last band everything older. With the defaults:
    91-180 days, 181-365 days, over a year. Columns ``id``, ``name`` (None
    without ``by`` or for cases with no owner leader), ``band``,
    ``min_days``, ``max_days`` (inclusive; None for the last band) and
    ``backlog``; only bands with cases.
    """
    edges = [int(e) for e in band_edges]
    if any(b <= a for a, b in zip([rules.backlog_days, *edges], edges, strict=False)):
        raise ValueError(f"band edges must rise above the backlog threshold ({rules.backlog_days} days): {edges}")
    end = literal(flt.end, Date)
    column = _grouping(by)[0] if by is not None else None
    with engine.connect() as conn:
        month = open_case_source(conn, flt.end, rules, source)
        if month is None:
            band = age_band(end, edges).label("band")
            keys = [band] if column is None else [c[column].label("id"), band]
            where = [c.id.in_(backlog_case_ids(flt.end, rules)), backlog_at(end, rules), *_dimensions(flt)]
        else:
            o = open_cases.c
            band = age_band(end, edges, o.received_on).label("band")
            keys = [band] if column is None else [o[column].label("id"), band]
            where = [o.month_number == month, summary.open_case_states(o, end, rules)["backlog"],
                     *dimension_clauses(flt, o)]
        rows = conn.execute(select(*keys, func.count().label("backlog")).where(*where).group_by(*keys)).all()
    if by is None:
        rows = [(None, *r) for r in rows]
    frame = pl.DataFrame([tuple(r) for r in rows], schema={"id": pl.Int64, "band": pl.Int64, "backlog": pl.Int64},
                         orient="row")
    lows = [rules.backlog_days + 1, *(e + 1 for e in edges)]
    highs = [*edges, None]
    bands = pl.DataFrame({"band": list(range(len(lows))), "min_days": lows, "max_days": highs},
                         schema={"band": pl.Int64, "min_days": pl.Int64, "max_days": pl.Int64})
    if by is None:
        names = pl.DataFrame(schema={"id": pl.Int64, "name": pl.String})
    else:
        names = grouping_values(engine, flt, by)
    order = names.with_row_index("order")
    return (
        frame.join(bands, on="band")
        .join(order, on="id", how="left", nulls_equal=True)
        .sort(pl.col("order"), "band", nulls_last=True)
        .select("id", "name", "band", "min_days", "max_days", "backlog")
    )


def backlog_trend(
    engine: Engine, flt: CaseFilter, rules: DeadlineRules, months: int = 12, *, source: str = "auto"
) -> pl.DataFrame:
    """积案 and 超期未结 at the end of each of ``months`` calendar months up to the month of ``flt.end``.

    The engine's state counts (the monthly summary's, whenever it is current).
    """
    # Only the two state counts: the summary then reads its states table alone, not the events and
    # cohorts of twelve months that the whole headline would sum (and Polars would join) for nothing.
    trend = metrics.monthly_trend(engine, flt, months, rules, source=source, measures=("backlog", "overdue_open"))
    return trend.select("month", "backlog", "overdue_open")


# --- 4. outcomes ------------------------------------------------------------------------------------------

OUTCOME_COLUMNS = (
    "resolution_rate", "resolved", "resolution_base",
    "first_time_resolution_rate", "first_time_resolved", "first_time_resolution_base",
    "first_letter_resolution_rate", "first_letter_resolved", "first_letter_resolution_base",
    "first_visit_resolution_rate", "first_visit_resolved", "first_visit_resolution_base",
    "satisfaction_rate_office", "satisfied_office", "rated_office",
    "satisfaction_rate_unit", "satisfied_unit", "rated_unit",
    "rating_rate", "concluded",
)


def outcome_rates(
    engine: Engine, flt: CaseFilter, rules: DeadlineRules, *, source: str = "auto"
) -> dict[str, float | int | None]:
    """化解率 (all, first-time, 初信, 初访), 满意率 (office, units), 参评率: the engine's, with their parts."""
    h = metrics.headline(engine, flt, rules, source=source).row(0, named=True)
    return {key: h[key] for key in OUTCOME_COLUMNS}


def period_rates(
    engine: Engine, flt: CaseFilter, rules: DeadlineRules, *, source: str = "auto"
) -> dict[str, float | int | None]:
    """:func:`deadline_rates` and :func:`outcome_rates` in one dictionary, from one reading of the headline.

    The page shows both; read apart, the same three summary statements ran twice on every filter change.
    """
    h = metrics.headline(engine, flt, rules, source=source).row(0, named=True)
    return {key: h[key] for key in (*DEADLINE_RATE_KEYS, *OUTCOME_COLUMNS)}


def resolution_levels(engine: Engine, flt: CaseFilter) -> pl.DataFrame:
    """Where the resolved cases of the 化解率 cohort were resolved: village, township, county, or unrecorded.

    Among cases received in the period, concluded by its end and resolved
    (the resolution rate's numerator, which the rows add up to): ``level``
    (None: not recorded), ``resolved``, ``share`` of the resolved (None when
    there are none).
    """
    statement = (
        select(c.resolution_level, func.count())
        .where(resolution_cohort(flt), c.outcome == "resolved", *dimension_clauses(flt))
        .group_by(c.resolution_level)
    )
    with engine.connect() as conn:
        found = dict(conn.execute(statement).all())
    levels = [*RESOLUTION_LEVEL_VALUES, None]
    # An unexpected stored value still counts, under its own name.
    levels += sorted(k for k in found if k is not None and k not in RESOLUTION_LEVEL_VALUES)
    frame = pl.DataFrame({"level": levels, "resolved": [int(found.get(k, 0)) for k in levels]},
                         schema={"level": pl.String, "resolved": pl.Int64})
    total = frame["resolved"].sum()
    return frame.with_columns(
        (pl.col("resolved") / total if total else pl.lit(None, pl.Float64)).alias("share")
    )


# --- 5. league tables ------------------------------------------------------------------------------------


def league_table(
    engine: Engine,
    flt: CaseFilter,
    rules: DeadlineRules,
    by: str = "unit",
    *,
    min_denominator: int = 10,
    rank_by: str = "on_time_rate",
    source: str = "auto",
) -> pl.DataFrame:
    """Responsible units (or owner leaders, townships, categories) side by side, ranked.

    One row per value the viewer may see (cases without one are left out):
    ``id``, ``name``, ``received`` (cases received in the period), each rate of
    :data:`LEAGUE_RATES` with its numerator and denominator (the engine's
    definitions), ``overdue_open`` at the period's end, and per rate
    ``<rate>_rank``: 1 for the highest rate, ties sharing the best rank, among
    rows whose denominator is at least ``min_denominator``; None (not ranked)
    for the others. ``ranked`` and ``rank`` say the same for ``rank_by``;
    ranked rows come first in rank order, then the others by display order.
    One GROUP BY statement, from the monthly summary for whole months.
    """
    if rank_by not in LEAGUE_RATES:
        raise ValueError(f"rank_by must be one of {LEAGUE_RATES}, not {rank_by!r}")
    column, _ = _grouping(by)
    parts = {rate: metrics.RATE_PARTS[rate] for rate in LEAGUE_RATES}
    counts = ["received", *(n for pair in parts.values() for n in pair), "overdue_open"]
    counts = list(dict.fromkeys(counts))
    figures = metrics.grouped_figures(engine, flt, column, rules, source=source)
    names = grouping_values(engine, flt, by).with_row_index("order")
    table = names.join(
        figures.filter(pl.col("group_key").is_not_null()).rename({"group_key": "id"}), on="id", how="left"
    ).with_columns(pl.col(n).fill_null(0) for n in counts)
    columns = ["id", "name", "received"]
    for rate, (num, den) in parts.items():
        eligible = (pl.col(den) >= min_denominator) & (pl.col(den) > 0)
        table = table.with_columns(
            pl.when(eligible).then(pl.col(rate)).otherwise(None)
            .rank(method="min", descending=True).cast(pl.Int64).alias(f"{rate}_rank")
        )
        columns += [rate, num, den]
    columns += ["overdue_open", *(f"{rate}_rank" for rate in parts)]
    table = table.with_columns(
        pl.col(f"{rank_by}_rank").alias("rank"), pl.col(f"{rank_by}_rank").is_not_null().alias("ranked")
    )
    return table.sort(["ranked", "rank", "order"], descending=[True, False, False], nulls_last=True).select(
        *columns, "ranked", "rank"
    )


# --- 6. one case -----------------------------------------------------------------------------------------


def case_detail(
    engine: Engine, flt: CaseFilter, case_number: str, rules: DeadlineRules, *, at: date | None = None
) -> dict | None:
    """One case's steps against both rule sets, its unit and owner leader; None if not found or not visible.

    The filter's dimensions and scope apply (not its period). Plain values,
    and ``steps``: a frame with one row per step the case has (first meeting
    and feedback for first-time cases only): ``step``, ``on`` (None: not
    reached), ``days_from_previous``, ``days_from_received``, and for each
    rule set its deadline for that step (``statutory_due_on``: acceptance
    receipt + 15, conclusion the statutory due date; ``due_3_7_21_on``:
    meeting + 3, feedback + 7, conclusion + 21 from receipt, first-time cases
    only) with a status: "on_time", "late" (reached after it), "missing" (no
    date, but the case is concluded), "overdue" (no date, the deadline before
    ``at``, default the period's end), "pending" (no date, not yet due), None
    (no deadline for that step). No personal data:
    the reveal path (dashboard/reveal_ui.py, services/personal_data.py) shows the petitioner.
    """
    at = at or flt.end
    received = c.received_on
    statement = (
        select(
            c.case_number, c.received_on, c.accepted_on, c.first_meeting_on, c.feedback_on, c.concluded_on,
            c.channel, c.is_first_time, c.extension_granted, c.outcome, c.resolution_level,
            c.satisfaction_office, c.satisfaction_unit,
            township_t.c.name.label("township"), park_t.c.name.label("park"),
            category_t.c.name.label("category"), unit_t.c.name.label("unit"),
            leader_t.c.name.label("owner_leader"),
            add_days(received, rules.acceptance_days).label("due_accepted"),
            metrics.statutory_due_on(rules).label("due_concluded"),
            add_days(received, rules.first_meeting_days).label("due_first_meeting_3_7_21"),
            add_days(received, rules.feedback_days).label("due_feedback_3_7_21"),
            add_days(received, rules.first_conclusion_days).label("due_concluded_3_7_21"),
        )
        .select_from(
            cases.outerjoin(township_t, c.township_id == township_t.c.id)
            .outerjoin(park_t, c.park_id == park_t.c.id)
            .outerjoin(category_t, c.category_id == category_t.c.id)
            .outerjoin(unit_t, c.unit_id == unit_t.c.id)
            .outerjoin(leader_t, c.owner_leader_id == leader_t.c.id)
        )
        .where(c.case_number == case_number, *dimension_clauses(flt))
    )
    with engine.connect() as conn:
        row = conn.execute(statement).mappings().first()
    if row is None:
        return None
    row = {k: (as_date(v) if k.endswith("_on") or k.startswith("due_") else v) for k, v in row.items()}
    first = bool(row["is_first_time"])
    sequence = [s for s in STEPS if s not in FIRST_TIME_STEPS or first]

    def status(on: date | None, due: date | None) -> str | None:
        if due is None:
            return None
        if on is not None:
            return "on_time" if on <= due else "late"
        if row["concluded_on"] is not None:
            return "missing"  # concluded without this step on record
        return "overdue" if due < at else "pending"

    steps = []
    previous_on = None  # the step before in the case's own sequence, as in the pipeline's days
    for step in sequence:
        on = row[f"{step}_on"]
        statutory_due = row.get(f"due_{step}")
        due_3_7_21 = row.get(f"due_{step}_3_7_21") if first else None
        steps.append({
            "step": step,
            "on": on,
            "days_from_previous": (on - previous_on).days if on and previous_on else None,
            "days_from_received": (on - row["received_on"]).days if on else None,
            "statutory_due_on": statutory_due,
            "statutory_status": status(on, statutory_due),
            "due_3_7_21_on": due_3_7_21,
            "status_3_7_21": status(on, due_3_7_21),
        })
        previous_on = on
    frame = pl.DataFrame(steps, schema={
        "step": pl.String, "on": pl.Date, "days_from_previous": pl.Int64, "days_from_received": pl.Int64,
        "statutory_due_on": pl.Date, "statutory_status": pl.String, "due_3_7_21_on": pl.Date,
        "status_3_7_21": pl.String,
    })
    open_at = row["received_on"] <= at and (row["concluded_on"] is None or row["concluded_on"] > at)
    return {
        "case_number": row["case_number"],
        "received_on": row["received_on"],
        "channel": row["channel"],
        "is_first_time": first,
        "extension_granted": bool(row["extension_granted"]),
        "township": row["township"],
        "park": row["park"],
        "category": row["category"],
        "unit": row["unit"],
        "owner_leader": row["owner_leader"],
        "outcome": row["outcome"],
        "resolution_level": row["resolution_level"],
        "satisfaction_office": row["satisfaction_office"],
        "satisfaction_unit": row["satisfaction_unit"],
        "open_at": open_at,
        "days_open": (at - row["received_on"]).days if open_at else None,
        "steps": frame,
    }
