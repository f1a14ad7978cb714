"""The metrics engine: every number of ``METRICS.md``, defined once, computed in SQL.

All figures for one or more periods come from a single statement
(:func:`_period_counts`): the periods are a small derived table joined to the
cases that can matter to them, and each metric's numerator and denominator is
a conditional sum. Rates are then divided in Polars, giving ``None`` where the
denominator is zero (the screen shows "—", never 0% or 100%).

Every function takes an engine and a :class:`~queries.filters.CaseFilter`;
the filter's scope (a township officer's township, whether complaints about
officials may be seen) is applied here, in the query layer, for every query.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl
from sqlalchemy import Date, Engine, Integer, and_, case, func, literal, not_, or_, select, union_all
from sqlalchemy.sql.elements import ColumnElement

from dashboard.settings import DeadlineRules, load_settings
from data.models import (
    IN_PERSON_CHANNELS,
    SATISFIED_VALUES,
    Case,
    Category,
    Leader,
    Park,
    Township,
    Unit,
)
from queries.filters import CaseFilter, Scope, add_months
from queries.sql_dates import add_days

cases = Case.__table__
c = cases.c

# Numerator/denominator columns that _period_counts returns, and the rates built from them.
RATE_PARTS: dict[str, tuple[str, str]] = {
    "repeat_share": ("repeat", "received"),
    "resolution_rate": ("resolved", "resolution_base"),
    "first_time_resolution_rate": ("first_time_resolved", "first_time_resolution_base"),
    "first_letter_resolution_rate": ("first_letter_resolved", "first_letter_resolution_base"),
    "first_visit_resolution_rate": ("first_visit_resolved", "first_visit_resolution_base"),
    "on_time_rate": ("on_time", "due_in_period"),
    "on_time_rate_3_7_21": ("met_3_7_21", "due_21_in_period"),
    "satisfaction_rate_office": ("satisfied_office", "rated_office"),
    "satisfaction_rate_unit": ("satisfied_unit", "rated_unit"),
    "rating_rate": ("rated_office", "concluded"),
}
COUNT_METRICS = ("received", "first_time", "group_visits", "concluded", "overdue_open", "backlog")
HEADLINE_COLUMNS = (
    "received", "first_time", "group_visits", "repeat_share", "concluded", "resolution_rate",
    "first_time_resolution_rate", "first_letter_resolution_rate", "first_visit_resolution_rate",
    "on_time_rate", "on_time_rate_3_7_21", "overdue_open", "backlog",
    "satisfaction_rate_office", "satisfaction_rate_unit", "rating_rate",
)
BREAKDOWN_DIMENSIONS = ("channel", "township", "park", "category", "unit")
GROUP_VISIT_MIN_HEADCOUNT = 5  # 集体访: a visit by 5 or more people
# Where figures come from: "auto" picks the monthly summary when it can answer.
SOURCES = ("auto", "raw", "summary")


def _rules(rules: DeadlineRules | None) -> DeadlineRules:
    return rules if rules is not None else load_settings().deadlines


# --- filter clauses -----------------------------------------------------------


def scope_clauses(scope: Scope, columns=c) -> list[ColumnElement]:
    """What the viewer may see. Applied to every case query, whatever the filter asks for.

    ``columns`` is the cases table's columns, or those of a summary table that
    carries the same dimension columns (:mod:`queries.summary`).
    """
    clauses: list[ColumnElement] = []
    if scope.township_id is not None:
        clauses.append(columns.township_id == scope.township_id)
    if not scope.see_accusations:
        accusation_categories = select(Category.id).where(Category.is_accusation)
        clauses.append(not_(columns.accuses_official))
        clauses.append(or_(columns.category_id.is_(None), columns.category_id.not_in(accusation_categories)))
    return clauses


def dimension_clauses(flt: CaseFilter, columns=c) -> list[ColumnElement]:
    """The sidebar's dimension filters (not the period) plus the scope."""
    clauses: list[ColumnElement] = []
    for name, values in (
        ("township_id", flt.township_ids),
        ("park_id", flt.park_ids),
        ("category_id", flt.category_ids),
        ("channel", flt.channels),
        ("unit_id", flt.unit_ids),
        ("owner_leader_id", flt.leader_ids),
    ):
        if values:
            clauses.append(columns[name].in_(values))
    return clauses + scope_clauses(flt.scope, columns)


# --- deadline expressions -------------------------------------------------------


def statutory_due_on(rules: DeadlineRules) -> ColumnElement:
    """信访工作条例: acceptance + 60 days (+30 when extended); no acceptance date ⇒ receipt + 15."""
    acceptance = func.coalesce(c.accepted_on, add_days(c.received_on, rules.acceptance_days))
    days = case(
        (c.extension_granted, rules.conclusion_days + rules.extension_days),
        else_=rules.conclusion_days,
    )
    return add_days(acceptance, days)


def _met_3_7_21(rules: DeadlineRules) -> ColumnElement:
    # A missing meeting, feedback or conclusion date compares as NULL: late.
    return and_(
        c.first_meeting_on <= add_days(c.received_on, rules.first_meeting_days),
        c.feedback_on <= add_days(c.received_on, rules.feedback_days),
        c.concluded_on <= add_days(c.received_on, rules.first_conclusion_days),
    )


# --- the definitions ----------------------------------------------------------------
#
# Every figure of METRICS.md is a ratio of counts of cases, and every count is
# one of three kinds. Each count is defined here once; the raw statement
# (_raw_period_counts) and the monthly summary (queries.summary) are two ways of
# evaluating the same definitions, and tests/queries/test_summary.py holds them equal.
#
# * event counts: a case counts in the period in which one of its dates (its
#   "anchor") falls, if it meets a condition;
# * cohort counts: among cases received in the period and concluded by its end;
# * state counts: among cases open at the period's end, those meeting a
#   condition that may depend on that end date.

EVENT_ANCHORS = ("received", "concluded", "due", "due_21")


def anchor_dates(rules: DeadlineRules) -> dict[str, ColumnElement]:
    """The date that places a case in a period, for each kind of event count."""
    return {
        "received": c.received_on,
        "concluded": c.concluded_on,
        # 应办结: the statutory due date, whether concluded or not.
        "due": statutory_due_on(rules),
        # 兴国 first-petition rule: the 21-day deadline from receipt.
        "due_21": add_days(c.received_on, rules.first_conclusion_days),
    }


def event_measures(rules: DeadlineRules) -> dict[str, tuple[str, ColumnElement | None]]:
    """name -> (anchor, condition or None for every case): counted in the period the anchor falls in."""
    return {
        "received": ("received", None),
        "first_time": ("received", c.is_first_time),
        "group_visits": ("received", and_(c.channel == "visit", c.headcount >= GROUP_VISIT_MIN_HEADCOUNT)),
        "repeat": ("received", c.is_repeat),
        "concluded": ("concluded", None),
        "rated_office": ("concluded", c.satisfaction_office.is_not(None)),
        "satisfied_office": ("concluded", c.satisfaction_office.in_(SATISFIED_VALUES)),
        "rated_unit": ("concluded", c.satisfaction_unit.is_not(None)),
        "satisfied_unit": ("concluded", c.satisfaction_unit.in_(SATISFIED_VALUES)),
        # An overdue open case has no conclusion date: it counts against the rate.
        "due_in_period": ("due", None),
        "on_time": ("due", c.concluded_on <= statutory_due_on(rules)),
        "due_21_in_period": ("due_21", c.is_first_time),
        "met_3_7_21": ("due_21", and_(c.is_first_time, _met_3_7_21(rules))),
    }


def cohort_measures() -> dict[str, ColumnElement | None]:
    """name -> condition, among cases received in the period and concluded by its end (化解率)."""
    resolved = c.outcome == "resolved"
    in_person = c.channel.in_(IN_PERSON_CHANNELS)
    return {
        "resolution_base": None,
        "resolved": resolved,
        "first_time_resolution_base": c.is_first_time,
        "first_time_resolved": and_(c.is_first_time, resolved),
        "first_letter_resolution_base": and_(c.is_first_time, not_(in_person)),
        "first_letter_resolved": and_(c.is_first_time, resolved, not_(in_person)),
        "first_visit_resolution_base": and_(c.is_first_time, in_person),
        "first_visit_resolved": and_(c.is_first_time, resolved, in_person),
    }


def open_at(end: ColumnElement) -> ColumnElement:
    """Received on or before ``end`` and not concluded on or before it."""
    return and_(c.received_on <= end, or_(c.concluded_on.is_(None), c.concluded_on > end))


def state_measures(end: ColumnElement, rules: DeadlineRules) -> dict[str, ColumnElement]:
    """name -> condition, among cases open at ``end`` (the period's last day)."""
    return {
        "overdue_open": statutory_due_on(rules) < end,  # 超期未结
        "backlog": c.received_on < add_days(end, -rules.backlog_days),  # 积案
    }


EVENT_MEASURES = tuple(event_measures(DeadlineRules()))
COHORT_MEASURES = tuple(cohort_measures())
STATE_MEASURES = ("overdue_open", "backlog")
MEASURES = EVENT_MEASURES + COHORT_MEASURES + STATE_MEASURES


# --- the raw statement --------------------------------------------------------------


def _periods_table(periods: Sequence[tuple[date, date]]):
    rows = [
        select(
            literal(i, Integer).label("idx"),
            literal(start, Date).label("p_start"),
            literal(end, Date).label("p_end"),
        )
        for i, (start, end) in enumerate(periods)
    ]
    return (union_all(*rows) if len(rows) > 1 else rows[0]).subquery("periods")


def _count(*conditions: ColumnElement | None) -> ColumnElement:
    return func.coalesce(func.sum(case((and_(*(x for x in conditions if x is not None)), 1), else_=0)), 0)


def counts_frame(rows, n_periods: int, grouped: bool) -> pl.DataFrame:
    """Rows of (idx, [group_key], *MEASURES) as a frame; without groups, every period gets a row."""
    schema = {"idx": pl.Int64}
    if grouped:
        schema["group_key"] = pl.Int64
    schema.update({name: pl.Int64 for name in MEASURES})
    found = pl.DataFrame(
        [tuple(int(v) if v is not None else None for v in r) for r in rows], schema=schema, orient="row"
    )
    if grouped:
        return found
    # A period with no relevant case yields no row: give it zeros.
    all_periods = pl.DataFrame({"idx": list(range(n_periods))}, schema={"idx": pl.Int64})
    return all_periods.join(found, on="idx", how="left").fill_null(0).sort("idx")


def _raw_period_counts(
    engine: Engine,
    flt: CaseFilter,
    periods: Sequence[tuple[date, date]],
    rules: DeadlineRules,
    group_by: str | None = None,
) -> pl.DataFrame:
    """Every count for every period in one statement over the cases table."""
    periods_table = _periods_table(periods)
    p = periods_table.c
    anchors = anchor_dates(rules)
    measures: dict[str, ColumnElement] = {}
    for name, (anchor, condition) in event_measures(rules).items():
        on = anchors[anchor]
        measures[name] = _count(on >= p.p_start, on <= p.p_end, condition)
    received_in = and_(c.received_on >= p.p_start, c.received_on <= p.p_end)
    for name, condition in cohort_measures().items():
        measures[name] = _count(received_in, c.concluded_on <= p.p_end, condition)
    for name, condition in state_measures(p.p_end, rules).items():
        measures[name] = _count(open_at(p.p_end), condition)

    # Only cases that can count towards a period are joined to it (the sums
    # above decide exactly; this only has to keep every case that might count):
    # received in it or up to 15+60+30 days before (its due or 21-day date may
    # fall in it), accepted up to 60+30 days before it, concluded in it, or
    # open at its end. No branch assumes dates are in order: a case concluded
    # or accepted "before" it was received still counts where its dates fall.
    lookback = max(
        rules.acceptance_days + rules.conclusion_days + rules.extension_days, rules.first_conclusion_days, 0
    )
    relevant = or_(
        and_(c.received_on >= add_days(p.p_start, -lookback), c.received_on <= p.p_end),
        and_(
            c.accepted_on >= add_days(p.p_start, -max(rules.conclusion_days + rules.extension_days, 0)),
            c.accepted_on <= p.p_end,
        ),
        and_(c.concluded_on >= p.p_start, c.concluded_on <= p.p_end),
        open_at(p.p_end),
    )
    keys = [p.idx] + ([c[group_by].label("group_key")] if group_by is not None else [])
    statement = (
        select(*keys, *(measures[name].label(name) for name in MEASURES))
        .select_from(periods_table.join(cases, relevant))
        .where(*dimension_clauses(flt))
        .group_by(*keys)
    )
    with engine.connect() as conn:
        rows = conn.execute(statement).all()
    return counts_frame(rows, len(periods), group_by is not None)


def _period_counts(
    engine: Engine,
    flt: CaseFilter,
    periods: Sequence[tuple[date, date]],
    rules: DeadlineRules,
    group_by: str | None = None,
    source: str = "auto",
) -> pl.DataFrame:
    """Numerators and denominators of every metric, one row per period (and group).

    ``source`` "auto" answers from the monthly summary when every period is
    made of whole months and the summary is current (same data version, same
    deadline rules), else from the cases table; "raw" and "summary" force one
    way ("summary" raises :class:`~queries.summary.SummaryUnavailable` when it
    cannot answer).
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    if source != "raw":
        from queries import summary  # summary builds on the definitions above

        answer = summary.period_counts(engine, flt, periods, rules, group_by, required=source == "summary")
        if answer is not None:
            return answer
    return _raw_period_counts(engine, flt, periods, rules, group_by)


def _with_rates(counts: pl.DataFrame) -> pl.DataFrame:
    """Add every rate; ``None`` where the denominator is zero."""
    return counts.with_columns(
        pl.when(pl.col(den) > 0).then(pl.col(num) / pl.col(den)).otherwise(None).alias(rate)
        for rate, (num, den) in RATE_PARTS.items()
    )


# --- public functions -----------------------------------------------------------


def headline(
    engine: Engine, flt: CaseFilter, rules: DeadlineRules | None = None, *, source: str = "auto"
) -> pl.DataFrame:
    """Every METRICS.md figure for the filter's period: one row.

    The columns are :data:`HEADLINE_COLUMNS` followed by the numerators and
    denominators behind each rate (so a screen can say "97 of 100"). ``source``
    as for :func:`_period_counts` (every public function here takes it).
    """
    counts = _period_counts(engine, flt, [(flt.start, flt.end)], _rules(rules), source=source)
    return _with_rates(counts).select(*HEADLINE_COLUMNS, *_part_columns()).head(1)


def _part_columns() -> list[str]:
    parts = {name for pair in RATE_PARTS.values() for name in pair} - set(HEADLINE_COLUMNS)
    return sorted(parts)


def headline_change(
    engine: Engine, flt: CaseFilter, rules: DeadlineRules | None = None, *, source: str = "auto"
) -> pl.DataFrame:
    """The headline for the period, the previous period (环比) and a year earlier (同比).

    One statement for all three; rows in that order, with a ``period`` column
    ("current", "previous", "year_earlier") and the ``start``/``end`` of each.
    """
    compared = [flt, flt.previous_period(), flt.year_earlier()]
    counts = _period_counts(engine, flt, [(f.start, f.end) for f in compared], _rules(rules), source=source)
    labels = pl.DataFrame(
        {
            "idx": [0, 1, 2],
            "period": ["current", "previous", "year_earlier"],
            "start": [f.start for f in compared],
            "end": [f.end for f in compared],
        },
        schema={"idx": pl.Int64, "period": pl.String, "start": pl.Date, "end": pl.Date},
    )
    return (
        labels.join(_with_rates(counts), on="idx")
        .sort("idx")
        .select("period", "start", "end", *HEADLINE_COLUMNS, *_part_columns())
    )


def monthly_trend(
    engine: Engine, flt: CaseFilter, months: int = 13, rules: DeadlineRules | None = None, *, source: str = "auto"
) -> pl.DataFrame:
    """The headline for each of ``months`` calendar months ending with the month of ``flt.end``."""
    last = flt.end.replace(day=1)
    starts = [add_months(last, -k) for k in range(months - 1, -1, -1)]
    periods = [(s, add_months(s, 0, last_day=True)) for s in starts]
    counts = _with_rates(_period_counts(engine, flt, periods, _rules(rules), source=source))
    return (
        pl.DataFrame({"idx": list(range(months)), "month": starts}, schema={"idx": pl.Int64, "month": pl.Date})
        .join(counts, on="idx")
        .sort("idx")
        .select("month", *HEADLINE_COLUMNS)
    )


# dimension -> (its column in cases and in the summary tables, its reference table)
DIMENSION_TABLES = {
    "township": ("township_id", Township.__table__),
    "park": ("park_id", Park.__table__),
    "category": ("category_id", Category.__table__),
    "unit": ("unit_id", Unit.__table__),
}


def breakdown(engine: Engine, flt: CaseFilter, by: str, *, source: str = "auto") -> pl.DataFrame:
    """``received`` split by one dimension: ``key``, ``label``, ``received``, most first.

    Cases with no value on that dimension (no park, say) count under none.
    """
    if by not in BREAKDOWN_DIMENSIONS:
        raise ValueError(f"unknown breakdown dimension {by!r}; expected one of {BREAKDOWN_DIMENSIONS}")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    if source != "raw":
        from queries import summary

        rows = summary.breakdown_rows(engine, flt, by, required=source == "summary")
        if rows is not None:
            return _breakdown_frame(rows, by)
    return _breakdown_frame(_raw_breakdown_rows(engine, flt, by), by)


def _raw_breakdown_rows(engine: Engine, flt: CaseFilter, by: str) -> list:
    # received: the event count anchored on received_on, with no condition.
    received = func.count().label("received")
    where = [c.received_on >= flt.start, c.received_on <= flt.end, *dimension_clauses(flt)]
    if by == "channel":
        statement = select(c.channel.label("key"), c.channel.label("label"), received).where(*where).group_by(c.channel)
    else:
        name, table = DIMENSION_TABLES[by]
        statement = (
            select(c[name].label("key"), table.c.name.label("label"), received)
            .select_from(cases.join(table, c[name] == table.c.id))
            .where(*where)
            .group_by(c[name], table.c.name)
        )
    with engine.connect() as conn:
        return conn.execute(statement).all()


def _breakdown_frame(rows, by: str) -> pl.DataFrame:
    key_type = pl.String if by == "channel" else pl.Int64
    frame = pl.DataFrame(
        [tuple(r) for r in rows], schema={"key": key_type, "label": pl.String, "received": pl.Int64}, orient="row"
    )
    return frame.sort(["received", "label"], descending=[True, False])


def received_by_month(engine: Engine, flt: CaseFilter, by: str, *, source: str = "auto") -> pl.DataFrame:
    """``received`` per calendar month of the filter's period and per value of one dimension.

    Columns ``key`` (the dimension's value: an id, or the channel), ``month``
    (its first day) and ``received``; cases with no value on the dimension,
    and months or keys with no case, have no row. A period that starts or ends
    mid-month counts only its own days in those months. For history-based
    figures (hot spots) that need many months of one breakdown at once.
    """
    if by not in BREAKDOWN_DIMENSIONS:
        raise ValueError(f"unknown breakdown dimension {by!r}; expected one of {BREAKDOWN_DIMENSIONS}")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    from queries import summary

    column = "channel" if by == "channel" else DIMENSION_TABLES[by][0]
    rows = None
    if source != "raw":
        rows = summary.received_by_month_rows(engine, flt, column, required=source == "summary")
    if rows is None:
        month = summary.month_number(c.received_on)
        # received: the event count anchored on received_on, with no condition.
        statement = (
            select(c[column], month, func.count())
            .where(c.received_on >= flt.start, c.received_on <= flt.end, c[column].is_not(None),
                   *dimension_clauses(flt))
            .group_by(c[column], month)
        )
        with engine.connect() as conn:
            rows = [(key, int(m), int(n)) for key, m, n in conn.execute(statement).all()]
    return pl.DataFrame(
        [(key, summary.month_of_number(m), n) for key, m, n in rows],
        schema={"key": pl.String if by == "channel" else pl.Int64, "month": pl.Date, "received": pl.Int64},
        orient="row",
    ).sort("month", "key")


def area_figures(
    engine: Engine, flt: CaseFilter, level: str, rules: DeadlineRules | None = None, *, source: str = "auto"
) -> pl.DataFrame:
    """Per township or per park: ``id``, ``name``, every headline figure. Areas with no case get zeros."""
    if level not in ("township", "park"):
        raise ValueError(f"level must be 'township' or 'park', not {level!r}")
    column, table = DIMENSION_TABLES[level]
    counts = _with_rates(
        _period_counts(engine, flt, [(flt.start, flt.end)], _rules(rules), group_by=column, source=source)
    )
    listed = select(table.c.id, table.c.name).order_by(table.c.id)
    if flt.scope.township_id is not None:
        # A township officer sees their township and the parks that lie in it, no other.
        own = table.c.id if level == "township" else table.c.township_id
        listed = listed.where(own == flt.scope.township_id)
    with engine.connect() as conn:
        names = conn.execute(listed).all()
    areas = pl.DataFrame([tuple(r) for r in names], schema={"id": pl.Int64, "name": pl.String}, orient="row")
    joined = areas.join(counts.drop("idx").rename({"group_key": "id"}), on="id", how="left")
    return joined.with_columns(pl.col(name).fill_null(0) for name in COUNT_METRICS).select(
        "id", "name", *HEADLINE_COLUMNS
    )


# Case columns a grouped figure may be keyed by (integer ids; the monthly summary carries each).
GROUP_COLUMNS = ("township_id", "park_id", "category_id", "unit_id", "owner_leader_id")


def grouped_figures(
    engine: Engine, flt: CaseFilter, column: str, rules: DeadlineRules | None = None, *, source: str = "auto"
) -> pl.DataFrame:
    """Every headline figure and the numerators and denominators behind it, per value of one case column.

    One GROUP BY statement (from the monthly summary when it can answer).
    ``group_key`` is the column's value, None for cases without one. A value
    with no case that counts may have no row, or a row of zeros: join the
    frame onto the list of values wanted and fill the counts with zeros.
    """
    if column not in GROUP_COLUMNS:
        raise ValueError(f"column must be one of {GROUP_COLUMNS}, not {column!r}")
    counts = _period_counts(engine, flt, [(flt.start, flt.end)], _rules(rules), group_by=column, source=source)
    return _with_rates(counts).select("group_key", *HEADLINE_COLUMNS, *_part_columns())


def open_case_list(
    engine: Engine, flt: CaseFilter, which: str, rules: DeadlineRules | None = None, limit: int = 200
) -> pl.DataFrame:
    """Cases open at the period's end that are overdue (超期未结) or backlog (积案), oldest first.

    No personal data: the petitioner's details live in another table that this
    query never reads.
    """
    rules = _rules(rules)
    due = statutory_due_on(rules)
    end = literal(flt.end, Date)
    # The same conditions as the overdue_open and backlog counts.
    measure = {"overdue": "overdue_open", "backlog": "backlog"}.get(which)
    if measure is None:
        raise ValueError(f"which must be 'overdue' or 'backlog', not {which!r}")
    condition = state_measures(end, rules)[measure]
    open_at_end = open_at(end)
    township, park, category, unit = (Township.__table__, Park.__table__, Category.__table__, Unit.__table__)
    leader = Leader.__table__
    statement = (
        select(
            c.case_number,
            c.received_on,
            township.c.name.label("township"),
            park.c.name.label("park"),
            category.c.name.label("category"),
            unit.c.name.label("unit"),
            leader.c.name.label("owner_leader"),
            due.label("due_on"),
        )
        .select_from(
            cases.outerjoin(township, c.township_id == township.c.id)
            .outerjoin(park, c.park_id == park.c.id)
            .outerjoin(category, c.category_id == category.c.id)
            .outerjoin(unit, c.unit_id == unit.c.id)
            .outerjoin(leader, c.owner_leader_id == leader.c.id)
        )
        .where(open_at_end, condition, *dimension_clauses(flt))
        .order_by(c.received_on, c.case_number)
        .limit(limit)  # Don't allow unbounded results: the list is for reading, not export.
    )
    with engine.connect() as conn:
        rows = conn.execute(statement).all()
    schema = {
        "case_number": pl.String, "received_on": pl.Date, "township": pl.String, "park": pl.String,
        "category": pl.String, "unit": pl.String, "owner_leader": pl.String, "due_on": pl.Date,
    }
    frame = pl.DataFrame([_as_dates(r) for r in rows], schema=schema, orient="row")
    return frame.with_columns(
        (pl.lit(flt.end) - pl.col("received_on")).dt.total_days().cast(pl.Int64).alias("days_open")
    )


def _as_dates(row) -> tuple:
    # SQLite returns computed dates as ISO text.
    values = list(row)
    for i in (1, 7):
        if isinstance(values[i], str):
            values[i] = date.fromisoformat(values[i])
    return tuple(values)
