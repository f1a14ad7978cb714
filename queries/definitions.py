"""The definitions: every count behind a METRICS.md figure, written once as SQL expressions.

Every figure of METRICS.md is a ratio of counts of cases, and every count is
one of three kinds. Each count is defined here once; the raw statement
(:mod:`queries.metrics`) and the monthly summary (:mod:`queries.summary`) are
two ways of evaluating the same definitions, and tests/queries/test_summary.py
holds them equal. Both import this module; neither imports the other's
internals the other way round.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from sqlalchemy import and_, case, func, not_, null, or_
from sqlalchemy.sql.elements import ColumnElement

from config.settings import DeadlineRules
from data.models import IN_PERSON_CHANNELS, SATISFIED_VALUES, Case, Category, Leader, Park, Township, Unit
from queries.filters import DIMENSIONS
from queries.sql_dates import add_days

cases = Case.__table__
c = cases.c

GROUP_VISIT_MIN_HEADCOUNT = 5  # 集体访: a visit by 5 or more people

# Dimension -> (column of cases, the table that names its values); channel
# values are codes named by the translation table, not by a table.
_NAMING_TABLES = {"township": Township, "park": Park, "category": Category, "unit": Unit, "leader": Leader}
DIMENSION_TABLES = {
    d.name: (d.column, _NAMING_TABLES[d.name].__table__) for d in DIMENSIONS if d.name in _NAMING_TABLES
}


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


# --- the three kinds of count ---------------------------------------------------------
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


def state_measures(
    end: ColumnElement, rules: DeadlineRules, *, received_on: ColumnElement | None = None,
    due_on: ColumnElement | None = None,
) -> dict[str, ColumnElement]:
    """name -> condition, among cases open at ``end`` (the period's last day).

    ``received_on`` and ``due_on`` stand for the case's receipt date and
    statutory due date where a table holds them already worked out (the
    summary's open cases); by default, the case's own.
    """
    received_on = c.received_on if received_on is None else received_on
    due_on = statutory_due_on(rules) if due_on is None else due_on
    return {
        "overdue_open": due_on < end,  # 超期未结
        "backlog": received_on < add_days(end, -rules.backlog_days),  # 积案
    }


# --- where an open case stands (the outcomes page, docs/metrics-outcomes.md) -------------
#
# State counts too, at a date D, among the cases open at D: the step a case is
# stuck at, and its next deadline under each rule set. Defined here, not in
# queries/outcomes.py, because the monthly summary evaluates them as well (the
# open cases at each month's end, queries/summary.py).

STEPS = ("received", "accepted", "first_meeting", "feedback", "concluded")
# 兴国 first-petition rule (meet in 3, feed back in 7): steps of first-time cases only.
# Any other case goes received -> accepted -> concluded.
FIRST_TIME_STEPS = ("first_meeting", "feedback")


def step_dates() -> dict[str, ColumnElement]:
    """The date on which a case reaches each step."""
    return {
        "received": c.received_on,
        "accepted": c.accepted_on,
        "first_meeting": c.first_meeting_on,
        "feedback": c.feedback_on,
        "concluded": c.concluded_on,
    }


def step_applies(step: str) -> ColumnElement | None:
    """Which cases have the step: None for every case."""
    return c.is_first_time if step in FIRST_TIME_STEPS else None


def previous_step_date(step: str) -> ColumnElement | None:
    """The date of the step before ``step`` in the case's own sequence (None for receipt)."""
    d = step_dates()
    return {
        "received": None,
        "accepted": d["received"],
        "first_meeting": d["accepted"],
        "feedback": d["first_meeting"],
        # A first-time case concludes after its feedback, any other after its acceptance.
        "concluded": case((c.is_first_time, d["feedback"]), else_=d["accepted"]),
    }[step]


def reached_by(step: str, at: ColumnElement) -> ColumnElement:
    return step_dates()[step] <= at


def not_reached_by(step: str, at: ColumnElement) -> ColumnElement:
    # Spelt out rather than not_(reached_by): a missing date must count as not reached, not as NULL.
    on = step_dates()[step]
    return or_(on.is_(None), on > at)


def stuck_conditions(at: ColumnElement) -> dict[str, ColumnElement]:
    """step -> the case is stuck at that step at ``at``.

    Stuck at S at D: open at D (received by D, not concluded by D), and S is
    the first of its steps (accepted, then for a first-time case first
    meeting and feedback, then concluded) not reached by D (no date, or a date
    after D). Every case open at D is stuck at exactly one step.
    """
    open_ = open_at(at)
    accepted, met, fed = (reached_by(s, at) for s in ("accepted", "first_meeting", "feedback"))
    first = c.is_first_time
    return {
        "accepted": and_(open_, not_reached_by("accepted", at)),
        "first_meeting": and_(open_, first, accepted, not_reached_by("first_meeting", at)),
        "feedback": and_(open_, first, accepted, met, not_reached_by("feedback", at)),
        "concluded": and_(open_, accepted, or_(not_(first), and_(met, fed))),
    }


def stuck_step(at: ColumnElement) -> ColumnElement:
    """The step a case is stuck at at ``at`` (:func:`stuck_conditions`), or NULL when it is not open then."""
    return case(*((condition, step) for step, condition in stuck_conditions(at).items()), else_=null())


def pending_3_7_21(at: ColumnElement, rules: DeadlineRules) -> tuple[ColumnElement, ColumnElement]:
    """(step, due date) of a first-time case's next step under 3-7-21 at ``at``.

    The first of first meeting (receipt + 3), feedback (+ 7) and conclusion
    (+ 21) not reached by ``at``. Meant for first-time cases: the caller
    restricts to them.
    """
    steps = (
        ("first_meeting", rules.first_meeting_days),
        ("feedback", rules.feedback_days),
    )
    step = case(*((not_reached_by(s, at), s) for s, _ in steps), else_="concluded")
    due = case(*((not_reached_by(s, at), add_days(c.received_on, days)) for s, days in steps),
               else_=add_days(c.received_on, rules.first_conclusion_days))
    return step, due


EVENT_MEASURES = tuple(event_measures(DeadlineRules()))
COHORT_MEASURES = tuple(cohort_measures())
STATE_MEASURES = ("overdue_open", "backlog")
MEASURES = EVENT_MEASURES + COHORT_MEASURES + STATE_MEASURES



def group_labels(group_by: str | Sequence[str] | None) -> list[tuple[str, str]]:
    """(case column, its label in a grouped frame) for each grouping key.

    One column is labelled ``group_key``; several (township and category, say)
    keep their own names, so the frame says which key is which.
    """
    if group_by is None:
        return []
    if isinstance(group_by, str):
        return [(group_by, "group_key")]
    return [(column, column) for column in group_by]


def counts_frame(rows, n_periods: int, keys: Sequence[str] = (), measures: Sequence[str] = MEASURES) -> pl.DataFrame:
    """Rows of (idx, *keys, *measures) as a frame; without keys (not grouped), every period gets a row."""
    schema = {"idx": pl.Int64, **{key: pl.Int64 for key in keys}}
    schema.update({name: pl.Int64 for name in measures})
    found = pl.DataFrame(
        [tuple(int(v) if v is not None else None for v in r) for r in rows], schema=schema, orient="row"
    )
    if keys:
        return found
    # A period with no relevant case yields no row: give it zeros.
    all_periods = pl.DataFrame({"idx": list(range(n_periods))}, schema={"idx": pl.Int64})
    return all_periods.join(found, on="idx", how="left").fill_null(0).sort("idx")
