"""The monthly review (月度研判) of the joint-meeting office: every figure of one month's review, in one place.

At the start of each month the office (联席办) analyses the month before:
the headline figures with 环比 and 同比, the issues that drew most complaints
(category × township) and those rising, hot spots, overdue and backlog cases
by responsible unit and by owner leader (包案领导), the leaders' reception
sessions and what became of the cases taken at them, and how the items
handed to departments last time were done. :func:`review_figures` gathers
them from the other query modules (the metrics engine and the monthly
summary wherever they can answer, so the numbers equal those of
``python -m dashboard report --month``); :func:`dispatch_list` reads the
dispatch lists (交办单). No personal data: the petitioners table is never read.

Definitions written here (the rest are METRICS.md's and docs/metrics-outcomes.md's):

* **Top issue** (突出问题): a (category, township) cell of the month's cases;
  ``received`` is METRICS.md's received for the cell; its cases' status is
  the cohort of 化解率 — of the cell's cases received in the month,
  ``concluded`` by the month's end (``resolution_base``) and ``resolved``;
  ``open`` = received − concluded; ``overdue_open`` and ``backlog`` are the
  cell's state counts at the month's end (older cases included). Ranked by
  volume (received, most first) and by rise (received − the previous month's,
  most first; ties by received).
* **Backlog change**: 积案 at the month's end minus 积案 at the previous
  month's end (per unit, per owner leader), both from the engine.
* **Reception outcome** (接访成效): for each leader, sessions planned, held
  and cancelled in the month (:func:`queries.receptions.plan_sessions`),
  petitioners received and cases recorded at the held sessions, and of the
  cases linked to those sessions (within the viewer's scope): concluded by the
  month's end, resolved, still open, and open and overdue at the month's end.
* **Dispatch status** (交办事项办理情况) of an item on a list, at a date D:
  ``done`` (closed on or before D and on or before its due date), ``late``
  (closed on or before D, after its due date), ``open`` (not closed by D;
  ``overdue`` when its due date is before D). The list of the review of month
  M is handed out at the start of M + 1: the items entered for it, and every
  earlier item not withdrawn and not closed by M's last day, carried forward
  (结转).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import polars as pl
from sqlalchemy import Date, Engine, and_, case, func, literal, not_, or_, select

from config.settings import DeadlineRules
from data.models import Category, DispatchItem, ReceptionSession, Township, Unit
from queries import hotspots, metrics, outcomes, receptions, reference, report, rising
from queries.filters import CaseFilter, add_months, month_end
from queries.sql_dates import as_date

TOP_ISSUES = 10
DISPATCH_STATES = ("done", "late", "open")

_CELL_COUNTS = ("received", "previous", "year_earlier", "concluded", "resolved", "open", "overdue_open", "backlog")
TOP_ISSUE_SCHEMA = {
    "category_id": pl.Int64, "category": pl.String, "category_code": pl.String,
    "township_id": pl.Int64, "township": pl.String,
    **{name: pl.Int64 for name in _CELL_COUNTS},
    "change_mom": pl.Int64, "change_yoy": pl.Int64, "rank_volume": pl.Int64, "rank_rise": pl.Int64,
}
STATE_SCHEMA = {
    "id": pl.Int64, "name": pl.String, "overdue_open": pl.Int64, "backlog": pl.Int64,
    "backlog_previous": pl.Int64, "backlog_change": pl.Int64, "overdue_previous": pl.Int64,
}
RECEPTION_COUNTS = (
    "sessions_planned", "sessions_held", "sessions_cancelled", "petitioners_received", "cases_taken",
    "taken_cases", "taken_concluded", "taken_resolved", "taken_open", "taken_overdue",
    "owned_backlog", "owned_overdue",
)
DISPATCH_SCHEMA = {
    "id": pl.Int64, "month": pl.Date, "carried": pl.Boolean, "issue": pl.String, "note": pl.String,
    "unit_id": pl.Int64, "unit": pl.String, "category_id": pl.Int64, "category": pl.String,
    "township_id": pl.Int64, "township": pl.String, "due_on": pl.Date, "closed_on": pl.Date,
    "stored_status": pl.String, "state": pl.String, "overdue": pl.Boolean, "days_late": pl.Int64,
}


@dataclass(frozen=True)
class Review:
    """One month's review for one viewer: every table the page, the Word report and the workbook show.

    ``flt`` is the reviewed month with the viewer's scope and filters;
    ``report`` holds the period and every scalar figure of
    :func:`queries.report.month_report` for it (:data:`queries.report.REPORT_SCALARS`,
    the figures of ``report --month``; not its breakdowns by channel and
    place, which the review does not show); ``change`` the three rows of
    :func:`queries.metrics.headline_change`; ``trend`` 13 months of
    :func:`queries.metrics.monthly_trend`. ``dispatch_previous`` is the list
    handed out at the start of the reviewed month (the last review's), read at
    its end; ``dispatch_current`` the list this review hands out, read at
    ``current_as_of``.
    """

    month: date
    flt: CaseFilter
    township: str | None
    report: dict
    change: pl.DataFrame
    trend: pl.DataFrame
    top_issues: pl.DataFrame
    rising: pl.DataFrame
    rising_method: str
    rising_rule_zh: str
    rising_rule_en: str
    hot_spots: pl.DataFrame
    by_unit: pl.DataFrame
    by_leader: pl.DataFrame
    receptions: pl.DataFrame
    dispatch_previous: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=DISPATCH_SCHEMA))
    dispatch_current: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=DISPATCH_SCHEMA))
    current_as_of: date | None = None

    @property
    def handed_month(self) -> date:
        """The month this review's list is handed out in (the month after the reviewed one)."""
        return add_months(self.month, 1)

    @property
    def end(self) -> date:
        return self.flt.end

    def top_by_volume(self, n: int = TOP_ISSUES) -> pl.DataFrame:
        return self.top_issues.filter(pl.col("received") > 0).sort("rank_volume").head(n)

    def top_by_rise(self, n: int = TOP_ISSUES) -> pl.DataFrame:
        return self.top_issues.filter(pl.col("change_mom") > 0).sort("rank_rise").head(n)


def review_month_filter(flt: CaseFilter) -> CaseFilter:
    """The month a review covers: the (last) month of the filter's period, with its scope and filters."""
    return flt.with_period(flt.end.replace(day=1), month_end(flt.end.year, flt.end.month))


# --- top issues: category × township ---------------------------------------------------------


def _townships_in_view(engine: Engine, flt: CaseFilter) -> list[tuple[int, str]]:
    frame = outcomes.grouping_values(engine, flt, "township")  # the scope's township only, for an officer
    rows = [(int(i), name) for i, name in frame.iter_rows()]
    if flt.township_ids:
        rows = [r for r in rows if r[0] in flt.township_ids]
    return rows


def top_issues(engine: Engine, flt: CaseFilter, rules: DeadlineRules | None = None) -> pl.DataFrame:
    """Every (category, township) cell of the month with a case this month or the month before.

    Columns :data:`TOP_ISSUE_SCHEMA` (definitions in the module docstring);
    ``rank_volume`` 1 for the most cases, ``rank_rise`` 1 for the largest
    rise over the previous month (None where there was no rise). Two
    statements for every township in view at once: the engine's figures
    grouped by township and category, and the cases received by month
    (both from the monthly summary: milliseconds at any number of cases).
    """
    flt = review_month_filter(flt)
    previous, earlier = flt.previous_period().start, flt.year_earlier().start
    categories = {row["id"]: row for row in reference.categories(engine).iter_rows(named=True)}
    townships = _townships_in_view(engine, flt)
    ids = [township_id for township_id, _ in townships]
    figures = metrics.grouped_figures(engine, flt, ("township_id", "category_id"), rules)
    found = {(int(r["township_id"]), int(r["category_id"])): r for r in figures.iter_rows(named=True)
             if r["township_id"] is not None and r["category_id"] is not None}
    months = metrics.received_by_month_split(engine, flt.with_period(earlier, flt.end), "category",
                                             [("township", ids)])
    by_month: dict[tuple[int, int, date], int] = {
        (t, k, m): n for t, k, m, n in months.select("member", "key", "month", "received").iter_rows()}
    # The categories of each township with a case this month or the month before (one pass over each
    # mapping, not one per township: 20-40 townships × thousands of keys were 7 ms a review).
    cells: dict[int, set[int]] = {}
    for t, k, m in by_month:
        if m == flt.start or m == previous:
            cells.setdefault(t, set()).add(k)
    for (t, k), r in found.items():
        if r["received"]:
            cells.setdefault(t, set()).add(k)
    rows = []
    for township_id, township in townships:
        for category_id in sorted(cells.get(township_id, ())):
            r = found.get((township_id, category_id), {})
            received = int(r.get("received") or 0)
            concluded = int(r.get("resolution_base") or 0)
            spec = categories.get(category_id, {})
            rows.append({
                "category_id": category_id, "category": spec.get("name"), "category_code": spec.get("code"),
                "township_id": township_id, "township": township,
                "received": received,
                "previous": by_month.get((township_id, category_id, previous), 0),
                "year_earlier": by_month.get((township_id, category_id, earlier), 0),
                "concluded": concluded, "resolved": int(r.get("resolved") or 0),
                "open": received - concluded,
                "overdue_open": int(r.get("overdue_open") or 0), "backlog": int(r.get("backlog") or 0),
            })
    frame = pl.DataFrame(rows, schema={k: v for k, v in TOP_ISSUE_SCHEMA.items()
                                       if k not in ("change_mom", "change_yoy", "rank_volume", "rank_rise")},
                         orient="row")
    frame = frame.with_columns(
        (pl.col("received") - pl.col("previous")).alias("change_mom"),
        (pl.col("received") - pl.col("year_earlier")).alias("change_yoy"),
    )
    # Stable order for ties: more cases first, then the names (a printed list must not reshuffle).
    by_volume = frame.sort(["received", "category_id", "township_id"], descending=[True, False, False])
    frame = by_volume.with_row_index("rank_volume", offset=1).with_columns(pl.col("rank_volume").cast(pl.Int64))
    rises = (frame.filter(pl.col("change_mom") > 0)
             .sort(["change_mom", "received", "category_id", "township_id"], descending=[True, True, False, False])
             .with_row_index("rank_rise", offset=1)
             .select("category_id", "township_id", pl.col("rank_rise").cast(pl.Int64)))
    frame = frame.join(rises, on=["category_id", "township_id"], how="left")
    return frame.select(list(TOP_ISSUE_SCHEMA)).sort("rank_volume")


# --- overdue and backlog by unit and by owner leader -----------------------------------------


def month_end_states(engine: Engine, flt: CaseFilter, rules: DeadlineRules | None) -> pl.DataFrame:
    """超期未结 and 积案 per (responsible unit, owner leader), at the month's end (``idx`` 0) and the previous one's (1).

    The engine's state counts, both ends and both groupings in one call (from
    the monthly summary: one statement, over its table of state counts);
    :func:`states_by` sums it up per unit or per leader.
    """
    flt = review_month_filter(flt)
    before = flt.previous_period()
    return metrics.grouped_counts(engine, flt, ("unit_id", "owner_leader_id"), ("overdue_open", "backlog"), rules,
                                  periods=[(flt.start, flt.end), (before.start, before.end)])


def states_by(engine: Engine, flt: CaseFilter, rules: DeadlineRules | None, by: str,
              states: pl.DataFrame | None = None) -> pl.DataFrame:
    """超期未结 and 积案 at the month's end per responsible unit (``by`` "unit") or owner leader ("leader").

    The engine's state counts (the monthly summary's): ``overdue_open``,
    ``backlog``, the same at the previous month's end (``overdue_previous``,
    ``backlog_previous``) and ``backlog_change``. A row for cases with no unit
    or no owner leader (``id`` and ``name`` None) when it counts anything;
    rows with nothing at either end are left out. Units with most overdue
    first; leaders in protocol order. ``states`` is :func:`month_end_states`
    when already read (the review reads it once for both groupings).
    """
    column = {"unit": "unit_id", "leader": "owner_leader_id"}[by]
    flt = review_month_filter(flt)
    states = month_end_states(engine, flt, rules) if states is None else states
    # A few hundred rows into a few dozen: plain Python, where each Polars operation cost more than the
    # arithmetic (about 10 ms a review for the two groupings under load). State counts add up over the
    # other column (each case has one unit and one leader, or none).
    sums: dict[tuple[int, int | None], list[int]] = {}
    for idx, key, overdue, backlog in states.select("idx", column, "overdue_open", "backlog").iter_rows():
        acc = sums.setdefault((idx, key), [0, 0])
        acc[0] += overdue or 0
        acc[1] += backlog or 0

    def row(key: int | None, name: str | None, order: int | None) -> tuple:
        (overdue, backlog), (overdue_before, backlog_before) = sums.get((0, key), (0, 0)), sums.get((1, key), (0, 0))
        return key, name, overdue, backlog, backlog_before, backlog - backlog_before, overdue_before, order

    names = outcomes.grouping_values(engine, flt, by)
    rows = [row(key, name, order) for order, (key, name) in enumerate(names.select("id", "name").iter_rows())]
    if any(key is None for _, key in sums):
        rows.append(row(None, None, None))  # the cases with no unit (or no owner leader)
    rows = [r for r in rows if r[2] or r[3] or r[4] or r[6]]  # something at either end
    # Units with most overdue first, leaders in protocol order; ties (and the leaders' list) by the names'
    # order, the unnamed row after every named one.
    def listed(r: tuple) -> tuple:
        return (r[7] is None, r[7] or 0)

    if by == "unit":
        rows.sort(key=lambda r: (-r[2], -r[3], *listed(r)))
    else:
        rows.sort(key=listed)
    return pl.DataFrame([r[:7] for r in rows], schema=STATE_SCHEMA, orient="row")


# --- the leaders' reception sessions and their cases ---------------------------------------------


def reception_outcomes(engine: Engine, flt: CaseFilter, rules: DeadlineRules | None,
                       by_leader: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per county leader (protocol order): the month's sessions and what became of the cases taken at them.

    Columns ``leader_id``, ``leader``, ``title``, ``rank`` and
    :data:`RECEPTION_COUNTS` (definitions in the module docstring;
    ``owned_backlog`` and ``owned_overdue`` are the leader's 包案 积案 and
    超期未结 at the month's end, from ``by_leader`` or :func:`states_by`).
    Leaders with nothing to show are left out. The cases are found through
    the index on ``cases.reception_session_id`` (migration 0007, a partial index), not by
    scanning the cases.
    """
    rules = rules or DeadlineRules()
    flt = review_month_filter(flt)
    plan = receptions.plan_sessions(engine, flt.start, flt.end, flt.scope, include_cancelled=True)
    held = pl.col("status") == "held"
    sessions = plan.group_by("leader_id").agg(
        pl.len().cast(pl.Int64).alias("sessions_planned"),
        held.sum().cast(pl.Int64).alias("sessions_held"),
        (pl.col("status") == "cancelled").sum().cast(pl.Int64).alias("sessions_cancelled"),
        pl.col("petitioners_received").filter(held).sum().cast(pl.Int64).alias("petitioners_received"),
        pl.col("cases_taken").filter(held).sum().cast(pl.Int64).alias("cases_taken"),
    )
    held_ids = plan.filter(held & pl.col("session_id").is_not_null())["session_id"].to_list()
    c = metrics.c
    end = literal(flt.end, Date)
    s = ReceptionSession.__table__.c
    open_at_end = metrics.open_at(end)

    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    taken_rows = []
    if held_ids:
        statement = (
            select(
                s.leader_id, func.count().label("taken_cases"),
                count(c.concluded_on <= end).label("taken_concluded"),
                count(and_(c.concluded_on <= end, c.outcome == "resolved")).label("taken_resolved"),
                count(open_at_end).label("taken_open"),
                count(and_(open_at_end, metrics.state_measures(end, rules)["overdue_open"])).label("taken_overdue"),
            )
            .select_from(metrics.cases.join(ReceptionSession.__table__, s.id == c.reception_session_id))
            .where(c.reception_session_id.in_(held_ids), *metrics.dimension_clauses(flt))
            .group_by(s.leader_id)
        )
        with engine.connect() as conn:
            taken_rows = [tuple(int(v) for v in r) for r in conn.execute(statement).all()]
    taken = pl.DataFrame(taken_rows, schema={"leader_id": pl.Int64, "taken_cases": pl.Int64,
                                              "taken_concluded": pl.Int64, "taken_resolved": pl.Int64,
                                              "taken_open": pl.Int64, "taken_overdue": pl.Int64}, orient="row")
    owned = (by_leader if by_leader is not None else states_by(engine, flt, rules, "leader")).filter(
        pl.col("id").is_not_null()).select(pl.col("id").alias("leader_id"), pl.col("backlog").alias("owned_backlog"),
                                          pl.col("overdue_open").alias("owned_overdue"))
    people = reference.leaders(engine).rename({"id": "leader_id", "name": "leader"})
    frame = (people.join(sessions, on="leader_id", how="left").join(taken, on="leader_id", how="left")
             .join(owned, on="leader_id", how="left")
             .with_columns(pl.col(n).fill_null(0).cast(pl.Int64) for n in RECEPTION_COUNTS))
    frame = frame.filter(pl.any_horizontal(pl.col(list(RECEPTION_COUNTS)) != 0))
    return frame.sort("rank", "leader_id").select("leader_id", "leader", "title", "rank", *RECEPTION_COUNTS)


# --- the dispatch lists (交办单) --------------------------------------------------------------------


def _dispatch_state(as_of: date):
    closed = pl.col("closed_on").is_not_null() & (pl.col("closed_on") <= as_of)
    return (
        pl.when(closed & (pl.col("closed_on") <= pl.col("due_on"))).then(pl.lit("done"))
        .when(closed & pl.col("due_on").is_null()).then(pl.lit("done"))
        .when(closed).then(pl.lit("late"))
        .otherwise(pl.lit("open"))
    )


def dispatch_list(engine: Engine, flt: CaseFilter, review_month: date, as_of: date,
                  unit_id: int | None = None) -> pl.DataFrame:
    """The list the review of ``review_month`` hands out (new and carried items), each item's state at ``as_of``.

    Columns :data:`DISPATCH_SCHEMA`: ``month`` the month the item was first
    handed out in, ``carried`` True for an item from an earlier list,
    ``state`` done / late / open at ``as_of`` with ``overdue`` (open, due
    before ``as_of``) and ``days_late`` (days past the due date: at closing
    for a late item, at ``as_of`` for an overdue one). The viewer's scope
    applies: a township officer sees the items of their township, and items
    of a category about officials reach only those who may see those. The
    filter's township, category and unit choices apply too (a county-wide
    item has no township: it is left out when townships are chosen).
    Carried first, then by unit and id.
    """
    review_month = review_month.replace(day=1)
    handed = add_months(review_month, 1)
    review_end = month_end(review_month.year, review_month.month)
    d = DispatchItem.__table__.c
    u, k, t = Unit.__table__.c, Category.__table__.c, Township.__table__.c
    where = [
        d.status != "withdrawn",
        or_(d.month == handed,
            and_(d.month < handed, or_(d.closed_on.is_(None), d.closed_on > review_end))),
    ]
    township_ids = (flt.scope.township_id,) if flt.scope.township_id is not None else flt.township_ids
    if flt.scope.township_id is not None and flt.township_ids and flt.scope.township_id not in flt.township_ids:
        township_ids = (-1,)  # the filter and the scope do not meet: nothing
    if township_ids:
        where.append(d.township_id.in_(township_ids))
    if flt.category_ids:
        where.append(d.category_id.in_(flt.category_ids))
    if flt.unit_ids:
        where.append(d.unit_id.in_(flt.unit_ids))
    if unit_id is not None:
        where.append(d.unit_id == unit_id)
    if not flt.scope.see_accusations:
        where.append(or_(d.category_id.is_(None), not_(k.is_accusation)))
    statement = (
        select(d.id, d.month, d.issue, d.note, d.unit_id, u.name, d.category_id, k.name, d.township_id, t.name,
               d.due_on, d.closed_on, d.status)
        .select_from(DispatchItem.__table__.outerjoin(Unit.__table__, u.id == d.unit_id)
                     .outerjoin(Category.__table__, k.id == d.category_id)
                     .outerjoin(Township.__table__, t.id == d.township_id))
        .where(*where)
    )
    with engine.connect() as conn:
        rows = conn.execute(statement).all()
    frame = pl.DataFrame(
        [(r[0], as_date(r[1]), r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], as_date(r[10]), as_date(r[11]), r[12])
         for r in rows],
        schema={"id": pl.Int64, "month": pl.Date, "issue": pl.String, "note": pl.String, "unit_id": pl.Int64,
                "unit": pl.String, "category_id": pl.Int64, "category": pl.String, "township_id": pl.Int64,
                "township": pl.String, "due_on": pl.Date, "closed_on": pl.Date, "stored_status": pl.String},
        orient="row",
    )
    state = _dispatch_state(as_of)
    frame = frame.with_columns(
        (pl.col("month") < handed).alias("carried"),
        state.alias("state"),
    ).with_columns(
        ((pl.col("state") == "open") & (pl.col("due_on") < as_of)).fill_null(False).alias("overdue"),
        pl.when(pl.col("state") == "late").then((pl.col("closed_on") - pl.col("due_on")).dt.total_days())
        .when((pl.col("state") == "open") & (pl.col("due_on") < as_of))
        .then((pl.lit(as_of) - pl.col("due_on")).dt.total_days())
        .otherwise(None).cast(pl.Int64).alias("days_late"),
    )
    return frame.sort(["carried", "unit_id", "id"], descending=[True, False, False], nulls_last=True).select(
        list(DISPATCH_SCHEMA))


def dispatch_as_of(review_month: date, today: date) -> date:
    """The day a review's list is read at: the end of the month it is handed out in, or today if sooner."""
    handed = add_months(review_month.replace(day=1), 1)
    return min(month_end(handed.year, handed.month), today)


def dispatch_lists(engine: Engine, flt: CaseFilter, today: date) -> tuple[pl.DataFrame, pl.DataFrame, date]:
    """(the list of the previous review read at this month's end, this review's list, the day it is read at)."""
    flt = review_month_filter(flt)
    previous = dispatch_list(engine, flt, add_months(flt.start, -1), min(flt.end, today))
    as_of = dispatch_as_of(flt.start, today)
    return previous, dispatch_list(engine, flt, flt.start, as_of), as_of


def dispatch_counts(items: pl.DataFrame) -> dict[str, int]:
    """How many items of a list are done, late, open (and open and overdue), and in all."""
    counts = {state: int((items["state"] == state).sum()) for state in DISPATCH_STATES}
    counts["overdue"] = int(items["overdue"].sum())
    counts["total"] = items.height
    return counts


# --- the whole review -----------------------------------------------------------------------------


# Rising issues fit a seasonal model per series (queries/rising.py): read from the views the write path
# stores (the county's last 13 months, each officer's last two), else fitted (0.1-0.4 s at a million
# cases). They are cached apart from the rest, whose figures do not depend on them.
RISING_PENDING = "pending"
# The columns of a rising issue the review reads, for the frame that stands in until they are computed.
PENDING_RISING_SCHEMA = {"category": pl.String, "township": pl.String, "park": pl.String, "received": pl.Int64,
                         "expected": pl.Float64, "rising_months": pl.Int64}


def change_from_trend(flt: CaseFilter, trend: pl.DataFrame) -> pl.DataFrame:
    """:func:`~queries.metrics.headline_change` of a month, read off its 13-month trend.

    The month, the one before (环比) and the one a year earlier (同比) are all
    among the trend's months, counted by the same engine over the same whole
    months: the same frame, without asking the database again.
    """
    compared = [flt, flt.previous_period(), flt.year_earlier()]
    labels = pl.DataFrame(
        {"period": ["current", "previous", "year_earlier"], "start": [f.start for f in compared],
         "end": [f.end for f in compared]},
        schema={"period": pl.String, "start": pl.Date, "end": pl.Date},
    )
    return labels.join(trend.rename({"month": "start"}), on="start", how="left", maintain_order="left").select(
        "period", "start", "end", *(c for c in trend.columns if c != "month"))


def report_figures(flt: CaseFilter, change: pl.DataFrame) -> dict:
    """The period and the scalar figures of ``report --month`` from :func:`~queries.metrics.headline_change`'s first row.

    The same engine over the same period (:func:`queries.report.month_report`
    reads them with :func:`~queries.metrics.headline`), so the same numbers,
    without a statement of its own nor those of the report's breakdowns.
    """
    current = change.row(0, named=True)  # headline_change's rows: current, previous, a year earlier
    return {"period": {"start": flt.start.isoformat(), "end": flt.end.isoformat()},
            **{key: current[key] for key in report.REPORT_SCALARS}}


def review_base(engine: Engine, flt: CaseFilter, rules: DeadlineRules | None = None) -> Review:
    """Every figure of the review of the filter's (last) month but the rising issues (method "pending").

    Hot spots are the townships and parks flagged by :func:`queries.hotspots.hot_spots`.
    """
    flt = review_month_filter(flt)
    township = None
    if flt.scope.township_id is not None:
        names = outcomes.grouping_values(engine, flt, "township")
        township = names["name"][0] if names.height else None
    spots = pl.concat([
        hotspots.flagged(engine, flt, level).with_columns(pl.lit(level).alias("level"))
        for level in ("township", "park")
    ])
    states = month_end_states(engine, flt, rules)
    by_leader = states_by(engine, flt, rules, "leader", states)
    trend = metrics.monthly_trend(engine, flt, 13, rules)
    change = change_from_trend(flt, trend)
    return Review(
        month=flt.start,
        flt=flt,
        township=township,
        report=report_figures(flt, change),
        change=change,
        trend=trend,
        top_issues=top_issues(engine, flt, rules),
        rising=pl.DataFrame(schema=PENDING_RISING_SCHEMA),
        rising_method=RISING_PENDING,
        rising_rule_zh="",
        rising_rule_en="",
        hot_spots=spots,
        by_unit=states_by(engine, flt, rules, "unit", states),
        by_leader=by_leader,
        receptions=reception_outcomes(engine, flt, rules, by_leader),
    )


def rising_part(engine: Engine, flt: CaseFilter) -> dict:
    """The review's rising issues (:func:`queries.rising.rising_issues`) and the rule used, as Review fields."""
    # Without the evidence: the review shows no chart of it (a stored view's evidence was most of its read).
    found = rising.rising_issues(engine, review_month_filter(flt), evidence=False)
    return {"rising": found.rising, "rising_method": found.method, "rising_rule_zh": found.rule_zh,
            "rising_rule_en": found.rule_en}


def with_rising(review: Review, part: dict) -> Review:
    return replace(review, **part)


def review_figures(engine: Engine, flt: CaseFilter, rules: DeadlineRules | None = None) -> Review:
    """Every figure of the review of the filter's (last) month, without the dispatch lists."""
    return with_rising(review_base(engine, flt, rules), rising_part(engine, flt))


def with_dispatch(review: Review, engine: Engine, today: date) -> Review:
    """The review with its dispatch lists read (they change with every edit; the figures do not)."""
    previous, current, as_of = dispatch_lists(engine, review.flt, today)
    return replace(review, dispatch_previous=previous, dispatch_current=current, current_as_of=as_of)


def build_review(engine: Engine, flt: CaseFilter, rules: DeadlineRules | None, today: date) -> Review:
    """The whole review: :func:`review_figures` and the dispatch lists read for ``today``."""
    return with_dispatch(review_figures(engine, flt, rules), engine, today)
