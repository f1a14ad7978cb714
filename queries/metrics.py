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
from sqlalchemy import Date, Engine, Integer, and_, case, func, literal, or_, select, union_all
from sqlalchemy.sql.elements import ColumnElement

from config.settings import DeadlineRules
from data.models import (
    Category,
    Leader,
    Park,
    Township,
    Unit,
    summary_open_cases,
)
from queries import summary
from queries.definitions import (  # noqa: F401 - the engine's public names
    COHORT_MEASURES,
    DIMENSION_TABLES,
    EVENT_ANCHORS,
    EVENT_MEASURES,
    GROUP_VISIT_MIN_HEADCOUNT,
    MEASURES,
    STATE_MEASURES,
    anchor_dates,
    c,
    cases,
    cohort_measures,
    counts_frame,
    event_measures,
    group_labels,
    open_at,
    state_measures,
    statutory_due_on,
)
from queries.filters import DIMENSIONS, CaseFilter, add_months
from queries.scope import dimension_clauses, scope_clauses  # noqa: F401
from queries.sql_dates import add_days, as_date

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
BREAKDOWN_DIMENSIONS = tuple(dimension.name for dimension in DIMENSIONS)
# Where figures come from: "auto" picks the monthly summary when it can answer.
SOURCES = ("auto", "raw", "summary")


def _rules(rules: DeadlineRules | None) -> DeadlineRules:
    # The engine reads no settings: None means the rules as the regulation writes
    # them; the app shell and the command line pass the configured ones.
    return rules if rules is not None else DeadlineRules()


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


def _raw_period_counts(
    engine: Engine,
    flt: CaseFilter,
    periods: Sequence[tuple[date, date]],
    rules: DeadlineRules,
    group_by: str | Sequence[str] | None = None,
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
    labels = group_labels(group_by)
    keys = [p.idx] + [c[column].label(label) for column, label in labels]
    statement = (
        select(*keys, *(measures[name].label(name) for name in MEASURES))
        .select_from(periods_table.join(cases, relevant))
        .where(*dimension_clauses(flt))
        .group_by(*keys)
    )
    with engine.connect() as conn:
        rows = conn.execute(statement).all()
    return counts_frame(rows, len(periods), [label for _, label in labels])


def _period_counts(
    engine: Engine,
    flt: CaseFilter,
    periods: Sequence[tuple[date, date]],
    rules: DeadlineRules,
    group_by: str | Sequence[str] | None = None,
    source: str = "auto",
    measures: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Numerators and denominators of every metric, one row per period (and group).

    ``group_by`` is a case column (the frame's ``group_key``) or several (each
    a column of the frame under its own name: :func:`~queries.definitions.group_labels`).
    ``measures`` keeps only those counts (the summary then reads only the tables holding them).

    ``source`` "auto" answers from the monthly summary when every period is
    made of whole months and the summary is current (same data version, same
    deadline rules), else from the cases table; "raw" and "summary" force one
    way ("summary" raises :class:`~queries.summary.SummaryUnavailable` when it
    cannot answer).
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    if source != "raw":

        answer = summary.period_counts(engine, flt, periods, rules, group_by, measures=measures,
                                       required=source == "summary")
        if answer is not None:
            return answer
    raw = _raw_period_counts(engine, flt, periods, rules, group_by)
    if measures is None:
        return raw
    return raw.select(*(name for name in raw.columns if name not in MEASURES), *measures)


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
    engine: Engine, flt: CaseFilter, months: int = 13, rules: DeadlineRules | None = None, *, source: str = "auto",
    measures: Sequence[str] | None = None,
) -> pl.DataFrame:
    """The headline for each of ``months`` calendar months ending with the month of ``flt.end``.

    The columns are ``month``, :data:`HEADLINE_COLUMNS`, then the numerators and
    denominators behind each rate (as in :func:`headline`). ``measures`` (counts
    of :data:`~queries.definitions.MEASURES`, no rates) gives ``month`` and those
    counts only, read from only the summary tables that hold them.
    """
    last = flt.end.replace(day=1)
    starts = [add_months(last, -k) for k in range(months - 1, -1, -1)]
    periods = [(s, add_months(s, 0, last_day=True)) for s in starts]
    counts = _period_counts(engine, flt, periods, _rules(rules), source=source, measures=measures)
    if measures is None:
        counts, columns = _with_rates(counts), [*HEADLINE_COLUMNS, *_part_columns()]
    else:
        columns = list(measures)
    return (
        pl.DataFrame({"idx": list(range(months)), "month": starts}, schema={"idx": pl.Int64, "month": pl.Date})
        .join(counts, on="idx")
        .sort("idx")
        .select("month", *columns)
    )


# dimension -> (its column in cases and in the summary tables, its reference table)
def breakdown(engine: Engine, flt: CaseFilter, by: str, *, source: str = "auto") -> pl.DataFrame:
    """``received`` split by one dimension: ``key``, ``label``, ``received``, most first.

    Cases with no value on that dimension (no park, say) count under none.
    """
    if by not in BREAKDOWN_DIMENSIONS:
        raise ValueError(f"unknown breakdown dimension {by!r}; expected one of {BREAKDOWN_DIMENSIONS}")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    if source != "raw":
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


def received_by_month_split(
    engine: Engine,
    flt: CaseFilter,
    by: str,
    splits: Sequence[tuple[str | None, Sequence[int] | None]],
    *,
    source: str = "auto",
) -> pl.DataFrame:
    """:func:`received_by_month` for several splits at once, in one statement.

    Each split is ``(dimension, members)``: ``(None, None)`` for ``by`` alone,
    ``("township", [1, 2])`` for ``by`` within each of those townships (within
    every township that has cases when ``members`` is None), and so on; a split
    with an empty member list reads nothing. Columns ``split`` (the index into
    ``splits``), ``key`` (the value of ``by``), ``member`` (the split
    dimension's value, None for the first kind), ``month`` and ``received``;
    rows only where ``received`` > 0. For figures that need many series at once
    (rising issues: every category, county-wide, per township and per park).
    """
    if by not in DIMENSION_TABLES:
        raise ValueError(f"unknown dimension {by!r}; expected one of {tuple(DIMENSION_TABLES)}")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    columns = []
    for split, members in splits:
        if split is not None and split not in DIMENSION_TABLES:
            raise ValueError(f"unknown dimension {split!r}; expected one of {tuple(DIMENSION_TABLES)}")
        columns.append((DIMENSION_TABLES[split][0] if split is not None else None,
                        None if members is None else tuple(members)))
    column = DIMENSION_TABLES[by][0]
    rows = None
    if source != "raw":
        rows = summary.received_by_month_split_rows(engine, flt, column, columns, required=source == "summary")
    if rows is None:
        statement = summary.split_statement(flt, column, columns, None)
        with engine.connect() as conn:
            rows = [] if statement is None else conn.execute(statement).all()
    number = pl.col("month_number")
    return (
        pl.DataFrame(rows, schema={"split": pl.Int64, "key": pl.Int64, "member": pl.Int64,
                                   "month_number": pl.Int64, "received": pl.Int64}, orient="row")
        .with_columns(pl.date(number // 12, number % 12 + 1, 1).alias("month"))
        .select("split", "key", "member", "month", "received")
        .sort("split", "member", "key", "month", nulls_last=False)
    )


def _area_frame(
    engine: Engine, flt: CaseFilter, level: str, periods: Sequence[tuple[date, date]], rules: DeadlineRules | None,
    source: str,
) -> pl.DataFrame:
    """Every area the scope lists × every period: ``idx``, ``id``, ``name``, every headline figure (zeros filled)."""
    if level not in ("township", "park"):
        raise ValueError(f"level must be 'township' or 'park', not {level!r}")
    column, table = DIMENSION_TABLES[level]
    counts = _with_rates(_period_counts(engine, flt, periods, _rules(rules), group_by=column, source=source))
    listed = select(table.c.id, table.c.name).order_by(table.c.id)
    if flt.scope.township_id is not None:
        # A township officer sees their township and the parks that lie in it, no other.
        own = table.c.id if level == "township" else table.c.township_id
        listed = listed.where(own == flt.scope.township_id)
    with engine.connect() as conn:
        names = conn.execute(listed).all()
    areas = pl.DataFrame([tuple(r) for r in names], schema={"id": pl.Int64, "name": pl.String}, orient="row")
    grid = pl.DataFrame({"idx": list(range(len(periods)))}, schema={"idx": pl.Int64}).join(areas, how="cross")
    joined = grid.join(counts.rename({"group_key": "id"}), on=["idx", "id"], how="left")
    return joined.with_columns(pl.col(name).fill_null(0) for name in COUNT_METRICS).select(
        "idx", "id", "name", *HEADLINE_COLUMNS
    ).sort("idx", "id")


def area_figures(
    engine: Engine, flt: CaseFilter, level: str, rules: DeadlineRules | None = None, *, source: str = "auto"
) -> pl.DataFrame:
    """Per township or per park: ``id``, ``name``, every headline figure. Areas with no case get zeros."""
    return _area_frame(engine, flt, level, [(flt.start, flt.end)], rules, source).drop("idx")


def area_figures_change(
    engine: Engine, flt: CaseFilter, level: str, rules: DeadlineRules | None = None, *, source: str = "auto"
) -> pl.DataFrame:
    """:func:`area_figures` for the period, the previous period (环比) and a year earlier (同比), at once.

    One statement per summary table for all three periods (as
    :func:`headline_change`); a ``period`` column ("current", "previous",
    "year_earlier") before ``id``, ``name`` and the figures, rows in that order
    and by id.
    """
    compared = [flt, flt.previous_period(), flt.year_earlier()]
    frame = _area_frame(engine, flt, level, [(f.start, f.end) for f in compared], rules, source)
    labels = pl.DataFrame({"idx": [0, 1, 2], "period": ["current", "previous", "year_earlier"]},
                          schema={"idx": pl.Int64, "period": pl.String})
    return labels.join(frame, on="idx").sort("idx", "id").drop("idx")


# Case columns a grouped figure may be keyed by (integer ids; the monthly summary carries each).
GROUP_COLUMNS = ("township_id", "park_id", "category_id", "unit_id", "owner_leader_id")


def grouped_figures(
    engine: Engine, flt: CaseFilter, column: str | tuple[str, ...], rules: DeadlineRules | None = None, *,
    periods: Sequence[tuple[date, date]] | None = None, source: str = "auto",
) -> pl.DataFrame:
    """Every headline figure and the numerators and denominators behind it, per value of one case column.

    One GROUP BY statement (from the monthly summary when it can answer).
    ``group_key`` is the column's value, None for cases without one. A value
    with no case that counts may have no row, or a row of zeros: join the
    frame onto the list of values wanted and fill the counts with zeros.
    ``column`` may be several columns (township and category, say): one row
    per combination, keyed by a column of each name instead of ``group_key``.
    ``periods`` asks for several periods in the same statement instead of the
    filter's own (its other choices apply to each): the frame then begins
    with ``idx``, the index into ``periods``.
    """
    columns = (column,) if isinstance(column, str) else tuple(column)
    if not columns or any(name not in GROUP_COLUMNS for name in columns) or len(set(columns)) < len(columns):
        raise ValueError(f"column must be one or more of {GROUP_COLUMNS}, not {column!r}")
    asked = [(flt.start, flt.end)] if periods is None else list(periods)
    counts = _period_counts(engine, flt, asked, _rules(rules), group_by=column, source=source)
    keys = ([] if periods is None else ["idx"]) + [label for _, label in group_labels(column)]
    return _with_rates(counts).select(*keys, *HEADLINE_COLUMNS, *_part_columns())


def grouped_counts(
    engine: Engine, flt: CaseFilter, column: str | tuple[str, ...], measures: Sequence[str],
    rules: DeadlineRules | None = None, *, periods: Sequence[tuple[date, date]] | None = None,
    source: str = "auto",
) -> pl.DataFrame:
    """Some of the counts behind the figures (:data:`MEASURES`), grouped as by :func:`grouped_figures`.

    The same keys (and ``idx`` with ``periods``) and the chosen counts, no
    rates: from the monthly summary only the tables that hold those counts are
    read (overdue and backlog, the state counts, need one statement, not three).
    """
    columns = (column,) if isinstance(column, str) else tuple(column)
    if not columns or any(name not in GROUP_COLUMNS for name in columns) or len(set(columns)) < len(columns):
        raise ValueError(f"column must be one or more of {GROUP_COLUMNS}, not {column!r}")
    if not measures or any(name not in MEASURES for name in measures):
        raise ValueError(f"measures must be some of {MEASURES}, not {measures!r}")
    asked = [(flt.start, flt.end)] if periods is None else list(periods)
    counts = _period_counts(engine, flt, asked, _rules(rules), group_by=column, source=source, measures=measures)
    keys = ([] if periods is None else ["idx"]) + [label for _, label in group_labels(column)]
    return counts.select(*keys, *measures)


def open_case_list(
    engine: Engine, flt: CaseFilter, which: str, rules: DeadlineRules | None = None, limit: int = 200,
    *, source: str = "auto",
) -> pl.DataFrame:
    """Cases open at the period's end that are overdue (超期未结) or backlog (积案), oldest first.

    The same conditions as the overdue_open and backlog counts, on the
    summary's open cases at the period's end when it has them (a month's end,
    or after the data's last date; ``source`` as elsewhere here), else on
    ``cases``. No personal data: the petitioner's details live in another
    table that this query never reads.
    """
    rules = _rules(rules)
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    end = literal(flt.end, Date)
    measure = {"overdue": "overdue_open", "backlog": "backlog"}.get(which)
    if measure is None:
        raise ValueError(f"which must be 'overdue' or 'backlog', not {which!r}")
    month = None
    if source != "raw":
        with engine.connect() as conn:
            month = summary.open_cases_month(conn, flt.end, rules)
        if month is None and source == "summary":
            raise summary.SummaryUnavailable(f"no open cases in the summary for {flt.end}")
    if month is None:
        o, due = c, statutory_due_on(rules)
        where = [open_at(end), state_measures(end, rules)[measure], *dimension_clauses(flt)]
    else:
        # The summary's rows carry the case's number, dates and ids: the list never reads ``cases``.
        o = summary_open_cases.c
        due = o.statutory_due_on
        where = [o.month_number == month, summary.open_case_states(o, end, rules)[measure],
                 *dimension_clauses(flt, o)]
    township, park, category, unit = (Township.__table__, Park.__table__, Category.__table__, Unit.__table__)
    leader = Leader.__table__
    statement = (
        select(
            o.case_number,
            o.received_on,
            township.c.name.label("township"),
            park.c.name.label("park"),
            category.c.name.label("category"),
            unit.c.name.label("unit"),
            leader.c.name.label("owner_leader"),
            due.label("due_on"),
        )
        .select_from(
            o.township_id.table.outerjoin(township, o.township_id == township.c.id)
            .outerjoin(park, o.park_id == park.c.id)
            .outerjoin(category, o.category_id == category.c.id)
            .outerjoin(unit, o.unit_id == unit.c.id)
            .outerjoin(leader, o.owner_leader_id == leader.c.id)
        )
        .where(*where)
        .order_by(o.received_on, o.case_number)
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
    values = list(row)
    for i in (1, 7):  # received_on and the computed due date
        values[i] = as_date(values[i])
    return tuple(values)
