"""The monthly summary answers exactly what the raw statement answers, for every figure.

The raw statement over ``cases`` is the reference (tests/queries/test_metrics.py
checks it against hand-worked figures). Here the same questions are put to the
summary, on the hand county and on a seeded random county full of edge cases
(tests/random_county.py), on SQLite and PostgreSQL: every single month from
before the first case to years after the last, multi-month ranges, each
dimension filter, both kinds of scope, per-area figures and breakdowns.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import polars as pl
import pytest
from factories import case_row, insert_cases
from hand_county import MARCH, RULES, build_hand_county
from polars.testing import assert_frame_equal
from random_county import build_random_county
from sqlalchemy import Date, event, func, literal, select

from config.settings import DeadlineRules
from data.db import bump_data_version
from data.models import (
    SUMMARY_COHORT_COUNTS,
    SUMMARY_EVENT_COUNTS,
    SUMMARY_STATE_COUNTS,
    SUMMARY_STEP_DIMENSIONS,
    Case,
    summary_open_cases,
    summary_stamp,
)
from queries import definitions, hotspots, metrics, outcomes, summary
from queries.filters import DIMENSIONS, CaseFilter, Scope, add_months, whole_months
from queries.sql_dates import as_date
from queries.summary import (
    GRAINS,
    SummaryUnavailable,
    month_number,
    month_of_number,
    number_of_month,
    refresh_summary,
)

# Every single month from well before the random county's first case (2023-11)
# to well after its last due date, then ranges of several months.
SINGLE_MONTHS = [(add_months(date(2023, 6, 1), k), add_months(date(2023, 6, 1), k, last_day=True)) for k in range(54)]
RANGES = [
    (date(2024, 1, 1), date(2024, 12, 31)),
    (date(2023, 11, 1), date(2026, 4, 30)),  # everything
    (date(2024, 2, 1), date(2024, 3, 31)),  # across the leap day
    (date(2025, 12, 1), date(2026, 2, 28)),  # across a year end
    (date(2026, 3, 1), date(2027, 2, 28)),  # runs past the last receipt
    (date(2031, 1, 1), date(2031, 3, 31)),  # long after: only never-concluded cases remain open
    (date(2020, 1, 1), date(2023, 10, 31)),  # before any case
]
PERIODS = SINGLE_MONTHS + RANGES

FILTERS = {
    "everything": {},
    "township 1": {"township_ids": (1,)},
    "townships 2 and 3": {"township_ids": (2, 3)},
    "park 1": {"park_ids": (1,)},
    "accusation category": {"category_ids": (3,)},
    "categories 1 and 2": {"category_ids": (1, 2)},
    "visits": {"channels": ("visit",)},
    "letters and online": {"channels": ("letter", "online")},
    "unit 2": {"unit_ids": (2,)},
    "owner leader 1": {"leader_ids": (1,)},
    "owner leaders 2 and 3": {"leader_ids": (2, 3), "township_ids": (1, 2, 3)},
    "combined": {"township_ids": (1, 2), "category_ids": (1, 3), "channels": ("visit", "letter", "phone")},
    "township officer": {"scope": Scope(township_id=2, see_accusations=False)},
    "accusations hidden": {"scope": Scope(see_accusations=False)},
    "officer asking for another township": {"township_ids": (1,), "scope": Scope(township_id=2)},
}

OTHER_RULES = DeadlineRules(
    acceptance_days=10, conclusion_days=45, extension_days=15, first_conclusion_days=14,
    first_meeting_days=2, feedback_days=5, backlog_days=60,
)


def _refresh(engine, rules=RULES):
    with engine.begin() as conn:
        bump_data_version(conn)
        return refresh_summary(conn, rules)


@pytest.fixture
def random_county(engine):
    build_random_county(engine, n=700, seed=11)
    _refresh(engine)
    return engine


def _filter(**kwargs) -> CaseFilter:
    return CaseFilter(start=date(2026, 3, 1), end=date(2026, 3, 31), **kwargs)


def _both(engine, flt, periods, rules=RULES, group_by=None):
    raw = metrics._period_counts(engine, flt, periods, rules, group_by, source="raw")
    summed = metrics._period_counts(engine, flt, periods, rules, group_by, source="summary")
    return raw, summed


def test_summary_columns_are_the_engine_counts():
    assert SUMMARY_EVENT_COUNTS == metrics.EVENT_MEASURES
    assert SUMMARY_COHORT_COUNTS == metrics.COHORT_MEASURES
    assert SUMMARY_STATE_COUNTS == metrics.STATE_MEASURES


def test_month_number_in_sql_matches_python(engine):
    days = [date(2024, 2, 29), date(2023, 12, 31), date(2024, 1, 1), date(1999, 7, 15)]
    with engine.connect() as conn:
        for day in days:
            assert conn.execute(select(month_number(literal(day, Date)))).scalar() == number_of_month(day)
    assert number_of_month(date(2026, 3, 1)) == 2026 * 12 + 2


@pytest.mark.parametrize("name", list(FILTERS))
def test_every_count_matches_raw_for_every_period(random_county, name):
    raw, summed = _both(random_county, _filter(**FILTERS[name]), PERIODS)
    assert raw["received"].sum() > 0 or name == "officer asking for another township"
    assert_frame_equal(summed, raw)


def test_the_random_county_exercises_every_count(random_county):
    raw, _ = _both(random_county, _filter(), PERIODS)
    for name in metrics.MEASURES:
        assert raw[name].sum() > 0, name  # a count never hit would be compared vacuously


@pytest.mark.parametrize("name", ["everything", "accusations hidden", "township officer", "visits"])
@pytest.mark.parametrize("level", ["township", "park"])
def test_area_counts_match_raw(random_county, name, level):
    column = metrics.DIMENSION_TABLES[level][0]
    for period in [SINGLE_MONTHS[12], SINGLE_MONTHS[30], RANGES[0], RANGES[5]]:
        raw, summed = _both(random_county, _filter(**FILTERS[name]), [period], group_by=column)
        # The raw statement also yields all-zero rows for groups with a relevant
        # case that counts nowhere; the summary only has groups with a count.
        nonzero = pl.any_horizontal(pl.col(metrics.MEASURES) != 0)
        assert_frame_equal(
            summed.filter(nonzero).sort("group_key", nulls_last=True),
            raw.filter(nonzero).sort("group_key", nulls_last=True),
        )
        flt = _filter(**FILTERS[name]).with_period(*period)
        assert_frame_equal(
            metrics.area_figures(random_county, flt, level, RULES, source="summary"),
            metrics.area_figures(random_county, flt, level, RULES, source="raw"),
        )


@pytest.mark.parametrize("column", ["unit_id", "owner_leader_id", "category_id"])
@pytest.mark.parametrize("name", ["everything", "township officer", "owner leader 1"])
def test_counts_grouped_by_unit_and_owner_leader_match_raw(random_county, column, name):
    """League tables group by unit or owner leader (包案领导): the summary carries both."""
    for period in [SINGLE_MONTHS[12], SINGLE_MONTHS[30], RANGES[0], RANGES[5]]:
        raw, summed = _both(random_county, _filter(**FILTERS[name]), [period], group_by=column)
        nonzero = pl.any_horizontal(pl.col(metrics.MEASURES) != 0)
        assert_frame_equal(
            summed.filter(nonzero).sort("group_key", nulls_last=True),
            raw.filter(nonzero).sort("group_key", nulls_last=True),
        )


@pytest.mark.parametrize("name", ["everything", "township officer", "accusations hidden", "owner leader 1"])
def test_counts_grouped_by_two_columns_match_raw_and_sum_to_one_column(random_county, name):
    """The review's top issues group by township and category at once: one statement for every cell."""
    for period in [SINGLE_MONTHS[12], SINGLE_MONTHS[30], RANGES[0]]:
        raw, summed = _both(random_county, _filter(**FILTERS[name]), [period], group_by=("township_id", "category_id"))
        nonzero = pl.any_horizontal(pl.col(metrics.MEASURES) != 0)
        keys = ["township_id", "category_id"]
        assert_frame_equal(summed.filter(nonzero).sort(keys, nulls_last=True),
                           raw.filter(nonzero).sort(keys, nulls_last=True))
        assert summed.filter(nonzero).height >= 3  # several cells, so that the comparison means something
        # Summed over the categories, each township's counts are those grouped by township alone.
        _, by_township = _both(random_county, _filter(**FILTERS[name]), [period], group_by="township_id")
        assert_frame_equal(
            summed.group_by("idx", "township_id").agg(pl.col(metrics.MEASURES).sum())
            .rename({"township_id": "group_key"}).filter(nonzero).sort("group_key", nulls_last=True),
            by_township.filter(nonzero).sort("group_key", nulls_last=True), check_column_order=False)


@pytest.mark.parametrize("source", ["summary", "raw"])
def test_grouped_figures_for_several_periods_are_each_periods_figures(random_county, source):
    """The review reads overdue and backlog at two month ends in one call: each as if asked alone."""
    flt = _filter(**FILTERS["everything"])
    periods = [SINGLE_MONTHS[30], SINGLE_MONTHS[29], RANGES[0]]
    both = metrics.grouped_figures(random_county, flt, ("unit_id", "owner_leader_id"), RULES, periods=periods,
                                   source=source)
    keys = ["unit_id", "owner_leader_id"]
    for i, period in enumerate(periods):
        alone = metrics.grouped_figures(random_county, flt.with_period(*period), ("unit_id", "owner_leader_id"),
                                        RULES, source=source)
        assert alone.height > 3
        assert_frame_equal(both.filter(pl.col("idx") == i).drop("idx").sort(keys, nulls_last=True),
                           alone.sort(keys, nulls_last=True))


@pytest.mark.parametrize("measures", [("overdue_open", "backlog"), ("received", "resolved", "backlog"),
                                      ("resolution_base",)])
def test_some_counts_alone_are_those_of_all_counts(random_county, measures):
    """grouped_counts reads only the summary tables holding the counts asked for: the same counts."""
    flt = _filter(**FILTERS["accusations hidden"])
    periods = [RANGES[0], SINGLE_MONTHS[12]]
    keys = ["idx", "unit_id", "owner_leader_id"]
    nonzero = pl.any_horizontal(pl.col(list(measures)) != 0)
    every = metrics.grouped_figures(random_county, flt, ("unit_id", "owner_leader_id"), RULES, periods=periods,
                                    source="raw").select(*keys, *measures).filter(nonzero).sort(keys, nulls_last=True)
    assert every.height > 2
    for source in ("summary", "raw"):
        some = metrics.grouped_counts(random_county, flt, ("unit_id", "owner_leader_id"), measures, RULES,
                                      periods=periods, source=source)
        assert some.columns == [*keys, *measures]
        assert_frame_equal(some.filter(nonzero).sort(keys, nulls_last=True), every)
    with pytest.raises(ValueError):
        metrics.grouped_counts(random_county, flt, "unit_id", ("petitioners",))


def test_grouped_figures_refuse_an_unknown_or_repeated_column(random_county):
    flt = _filter()
    with pytest.raises(ValueError):
        metrics.grouped_figures(random_county, flt, ("township_id", "petitioner_id"))
    with pytest.raises(ValueError):
        metrics.grouped_figures(random_county, flt, ("township_id", "township_id"))
    pair = metrics.grouped_figures(random_county, flt, ("township_id", "category_id"))
    assert pair.columns[:2] == ["township_id", "category_id"] and "group_key" not in pair.columns


@pytest.mark.parametrize("by", metrics.BREAKDOWN_DIMENSIONS)
@pytest.mark.parametrize("name", ["everything", "township officer", "accusations hidden", "combined"])
def test_breakdowns_match_raw(random_county, by, name):
    for period in [SINGLE_MONTHS[10], RANGES[0], RANGES[6]]:
        flt = _filter(**FILTERS[name]).with_period(*period)
        assert_frame_equal(
            metrics.breakdown(random_county, flt, by, source="summary"),
            metrics.breakdown(random_county, flt, by, source="raw"),
        )


def test_public_functions_match_raw(random_county):
    for flt in [CaseFilter.for_month(2025, 3), CaseFilter(start=date(2024, 4, 1), end=date(2024, 9, 30))]:
        for call in (metrics.headline, metrics.headline_change):
            assert_frame_equal(call(random_county, flt, RULES, source="summary"),
                               call(random_county, flt, RULES, source="raw"))
        assert_frame_equal(metrics.monthly_trend(random_county, flt, 13, RULES, source="summary"),
                           metrics.monthly_trend(random_county, flt, 13, RULES, source="raw"))
        # Some counts only (the outcomes page's backlog trend): the same figures as the whole trend's, both ways.
        some = ("backlog", "overdue_open", "received")
        whole = metrics.monthly_trend(random_county, flt, 13, RULES, source="raw").select("month", *some)
        for source in ("summary", "raw"):
            assert_frame_equal(metrics.monthly_trend(random_county, flt, 13, RULES, source=source, measures=some),
                               whole)


def test_other_deadline_rules(random_county):
    _refresh(random_county, OTHER_RULES)
    for name in ["everything", "township officer"]:
        raw, summed = _both(random_county, _filter(**FILTERS[name]), PERIODS, rules=OTHER_RULES)
        assert_frame_equal(summed, raw)


def test_auto_uses_the_summary_only_when_it_can(random_county):
    month = CaseFilter.for_month(2025, 3)
    # Built for other rules: "summary" refuses, "auto" answers from the cases.
    with pytest.raises(SummaryUnavailable):
        metrics.headline(random_county, month, OTHER_RULES, source="summary")
    assert_frame_equal(metrics.headline(random_county, month, OTHER_RULES),
                       metrics.headline(random_county, month, OTHER_RULES, source="raw"))
    # A period that is not whole months.
    part = CaseFilter(start=date(2025, 3, 2), end=date(2025, 3, 31))
    with pytest.raises(SummaryUnavailable):
        metrics.headline(random_county, part, RULES, source="summary")
    with pytest.raises(SummaryUnavailable):
        metrics.breakdown(random_county, part, "township", source="summary")
    assert_frame_equal(metrics.headline(random_county, part, RULES),
                       metrics.headline(random_county, part, RULES, source="raw"))


def test_a_write_without_refresh_falls_back_to_the_cases(random_county):
    month = CaseFilter.for_month(2025, 3)
    before = metrics.headline(random_county, month, RULES).row(0, named=True)["received"]
    with random_county.begin() as conn:
        conn.execute(Case.__table__.insert(), [{"case_number": "LATE-1", "received_on": date(2025, 3, 9),
                                                "channel": "letter"}])
        bump_data_version(conn)
    with pytest.raises(SummaryUnavailable):
        metrics.headline(random_county, month, RULES, source="summary")
    with pytest.raises(SummaryUnavailable):
        metrics.breakdown(random_county, month, "channel", source="summary")
    assert metrics.headline(random_county, month, RULES).row(0, named=True)["received"] == before + 1
    _refresh(random_county)
    assert metrics.headline(random_county, month, RULES, source="summary").row(0, named=True)["received"] == before + 1


def test_hand_county_through_the_summary(engine):
    county = build_hand_county(engine)
    stamp = _refresh(county)
    assert stamp["cases"] == 13
    h = metrics.headline(county, MARCH, RULES, source="summary").row(0, named=True)
    # The hand-worked March figures of test_metrics.py, now summed from the summary.
    assert (h["received"], h["first_time"], h["group_visits"], h["concluded"]) == (5, 3, 2, 5)
    assert (h["resolved"], h["resolution_base"]) == (1, 2)
    assert (h["on_time"], h["due_in_period"]) == (2, 4)
    assert (h["met_3_7_21"], h["due_21_in_period"]) == (1, 3)
    assert (h["overdue_open"], h["backlog"]) == (2, 1)
    assert h["satisfaction_rate_office"] == pytest.approx(2 / 3)
    assert h["rating_rate"] == pytest.approx(3 / 5)
    hidden = CaseFilter.for_month(2026, 3, scope=Scope(see_accusations=False))
    assert metrics.headline(county, hidden, RULES, source="summary")["received"].item() == 4  # J hidden
    for name in FILTERS:
        raw, summed = _both(county, _filter(**FILTERS[name]), PERIODS)
        assert_frame_equal(summed, raw)


def test_empty_database(engine):
    stamp = _refresh(engine)
    assert stamp["cases"] == 0 and stamp["last_state_month"] is None
    raw, summed = _both(engine, _filter(), PERIODS[:3])
    assert_frame_equal(summed, raw)
    assert summed["received"].sum() == 0


def test_stamp_records_version_and_rules(random_county):
    with random_county.connect() as conn:
        row = conn.execute(select(summary_stamp)).mappings().one()
    assert row["cases"] == 700
    assert '"backlog_days": 90' in row["rules"]
    # The last month whose end state is stored lies after every receipt, conclusion and due date.
    assert row["last_state_month"] > number_of_month(date(2026, 4, 30))


def test_dates_out_of_order_count_where_they_fall(engine):
    """Bad data is counted by its dates, by both paths (the raw statement once dropped these)."""
    county = build_hand_county(engine)
    insert_cases(county, [
        # Concluded 03-20 but "received" 04-10: concluded in March, whenever received.
        case_row("Z1", received_on=date(2026, 4, 10), concluded_on=date(2026, 3, 20)),
        # Accepted 01-01, received 04-05, open: due 01-01+60 = 03-02, in March, and late.
        case_row("Z2", received_on=date(2026, 4, 5), accepted_on=date(2026, 1, 1)),
    ])
    _refresh(county)
    for source in ("raw", "summary"):
        h = metrics.headline(county, MARCH, RULES, source=source).row(0, named=True)
        assert h["concluded"] == 6, source  # A D F H I and Z1
        assert (h["on_time"], h["due_in_period"]) == (2, 5), source  # G H I M, and Z2 late
        assert h["received"] == 5, source  # neither was received in March


@pytest.mark.parametrize("by", metrics.BREAKDOWN_DIMENSIONS)
@pytest.mark.parametrize("name", ["everything", "township officer", "accusations hidden", "combined"])
def test_received_by_month_matches_raw(random_county, by, name):
    for period in [RANGES[0], RANGES[1], SINGLE_MONTHS[10]]:
        flt = _filter(**FILTERS[name]).with_period(*period)
        summed = metrics.received_by_month(random_county, flt, by, source="summary")
        assert_frame_equal(summed, metrics.received_by_month(random_county, flt, by, source="raw"))
        # Month by month it adds up to the breakdown of the whole period.
        totals = summed.group_by("key").agg(pl.col("received").sum())
        breakdown = metrics.breakdown(random_county, flt, by)
        assert dict(totals.iter_rows()) == dict(zip(breakdown["key"], breakdown["received"], strict=True))


def test_received_by_month_by_hand(engine):
    county = build_hand_county(engine)
    _refresh(county)
    winter = CaseFilter(start=date(2025, 12, 1), end=date(2026, 3, 31))
    for source in ("raw", "summary"):
        frame = metrics.received_by_month(county, winter, "township", source=source)
        got = {(r["key"], r["month"]): r["received"] for r in frame.iter_rows(named=True)}
        # Township 1: E (Dec), H I (Jan), A B J (Mar); township 2: F (Dec), G M (Jan), K (Feb), C D (Mar).
        assert got == {(1, date(2025, 12, 1)): 1, (2, date(2025, 12, 1)): 1, (1, date(2026, 1, 1)): 2,
                       (2, date(2026, 1, 1)): 2, (2, date(2026, 2, 1)): 1, (1, date(2026, 3, 1)): 3,
                       (2, date(2026, 3, 1)): 2}, source
    # Part of a month: only its own days (A, J and B of township 1 fall before the 15th; C is on it, D after).
    part = CaseFilter(start=date(2026, 3, 15), end=date(2026, 3, 31))
    frame = metrics.received_by_month(county, part, "township")
    assert frame.rows() == [(2, date(2026, 3, 1), 2)]


SPLITS = [(None, None), ("township", None), ("township", (2, 3)), ("park", None), ("park", ()), ("unit", (1,))]


@pytest.mark.parametrize("name", ["everything", "township officer", "accusations hidden", "combined", "park 1"])
def test_received_by_month_split_matches_raw_and_the_single_reads(random_county, name):
    for period in [RANGES[0], RANGES[1], SINGLE_MONTHS[10]]:
        flt = _filter(**FILTERS[name]).with_period(*period)
        split = metrics.received_by_month_split(random_county, flt, "category", SPLITS, source="summary")
        assert_frame_equal(split, metrics.received_by_month_split(random_county, flt, "category", SPLITS,
                                                                  source="raw"))
        # Each split is what received_by_month reads for that member alone.
        single = {0: metrics.received_by_month(random_county, flt, "category", source="raw")}
        assert single[0].height > 0
        assert split.filter(pl.col("split") == 0).select("key", "month", "received").equals(single[0].sort("key", "month"))
        for i, (dimension, members) in enumerate(SPLITS[1:], start=1):
            part = split.filter(pl.col("split") == i)
            column = {"township": "township_ids", "park": "park_ids", "unit": "unit_ids"}[dimension]
            ids = members if members is not None else range(1, 6)
            assert set(part["member"].to_list()) <= set(ids)
            for member in ids:
                if getattr(flt, column) and member not in getattr(flt, column):
                    assert part.filter(pl.col("member") == member).height == 0
                    continue
                alone = metrics.received_by_month(random_county, replace(flt, **{column: (member,)}), "category",
                                                  source="raw")
                assert part.filter(pl.col("member") == member).select("key", "month", "received").equals(
                    alone.sort("key", "month"))


def test_received_by_month_split_by_hand(engine):
    county = build_hand_county(engine)
    _refresh(county)
    winter = CaseFilter(start=date(2025, 12, 1), end=date(2026, 3, 31))
    splits = [(None, None), ("township", (1, 2)), ("park", None)]
    for source in ("raw", "summary"):
        frame = metrics.received_by_month_split(county, winter, "category", splits, source=source)
        # Only A (category 1, township 1, park 1), D (category 1, township 2) and J (category 2, township 1)
        # have a category, all received in March.
        assert frame.rows() == [(0, 1, None, date(2026, 3, 1), 2), (0, 2, None, date(2026, 3, 1), 1),
                                (1, 1, 1, date(2026, 3, 1), 1), (1, 2, 1, date(2026, 3, 1), 1),
                                (1, 1, 2, date(2026, 3, 1), 1), (2, 1, 1, date(2026, 3, 1), 1)], source
        # J accuses an official: hidden from those who may not see it, in every split.
        hidden = metrics.received_by_month_split(county, replace(winter, scope=Scope(see_accusations=False)),
                                                 "category", splits, source=source)
        assert (2, 1) not in {(r[1], r[2]) for r in hidden.rows()} and (0, 2) not in {r[:2] for r in hidden.rows()}
        assert hidden.height == frame.height - 2
    with pytest.raises(ValueError):
        metrics.received_by_month_split(county, winter, "channel", splits)


@pytest.mark.parametrize("level", ["township", "park"])
def test_hot_spot_counts_same_from_the_summary(random_county, level):
    flt = CaseFilter.for_month(2025, 6, category_ids=(1, 2))
    from_summary = hotspots.monthly_counts(random_county, flt, level).sort("id", "bucket")
    with random_county.begin() as conn:
        bump_data_version(conn)  # the summary is now stale: counted from the cases
    from_cases = hotspots.monthly_counts(random_county, flt, level).sort("id", "bucket")
    assert from_cases["bucket"].n_unique() == 13
    assert_frame_equal(from_summary, from_cases)


def _tables_read(engine, call) -> set[str]:
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    names = ("summary_events", "summary_cohorts", "summary_states")
    return {f"{n}_coarse" if f"{n}_coarse" in s else n for s in statements for n in names if n in s}


def test_plain_views_read_the_coarse_roll_up(random_county):
    coarse = {"summary_events_coarse", "summary_cohorts_coarse", "summary_states_coarse"}
    officer = _filter(category_ids=(1,), scope=Scope(township_id=2, see_accusations=False))
    assert _tables_read(random_county, lambda: metrics.headline(random_county, officer, RULES)) == coarse
    assert _tables_read(random_county, lambda: metrics.area_figures(random_county, _filter(), "township", RULES)) \
        == coarse
    assert _tables_read(random_county, lambda: metrics.breakdown(random_county, _filter(), "category")) \
        == {"summary_events_coarse"}
    # A channel, a park or a unit needs the full tables.
    fine = {"summary_events", "summary_cohorts", "summary_states"}
    assert _tables_read(random_county, lambda: metrics.headline(random_county, _filter(channels=("visit",)),
                                                                 RULES)) == fine
    assert _tables_read(random_county, lambda: metrics.area_figures(random_county, _filter(), "park", RULES)) == fine
    assert _tables_read(random_county, lambda: metrics.breakdown(random_county, _filter(), "unit")) \
        == {"summary_events"}
    assert _tables_read(random_county, lambda: metrics.headline(random_county, _filter(leader_ids=(1,)), RULES)) \
        == fine


def test_coarse_roll_up_keeps_every_count(random_county):
    with random_county.connect() as conn:
        for fine, coarse, _, counts in GRAINS.values():
            totals = [conn.execute(select(*(func.sum(t.c[n]) for n in counts))).one() for t in (fine, coarse)]
            assert totals[0] == totals[1], fine.name
            assert conn.execute(select(func.count()).select_from(coarse)).scalar() < \
                conn.execute(select(func.count()).select_from(fine)).scalar()


# --- the open cases at each month's end (summary_open_cases) ------------------------------------
#
# The outcome measures that ask which cases are open at a date (stuck cases, deadline lists and
# their counts, the backlog's flows and age bands) and the map's case lists read the summary's
# open cases for a month's end, or for any day after the data's last date. Each must equal the
# same call answered from the cases, for every month end from before the first case to years
# after the last, each filter, both scopes.

# After the random county's last date of any step (2028): the last month's rows answer any day.
AFTER_THE_DATA = [date(2030, 6, 15), date(2031, 3, 31)]


@pytest.fixture
def every_month_kept(monkeypatch):
    """Keep the open cases of every month's end, not only the last OPEN_CASE_MONTHS: the random
    county's last thirteen months hold only its long tails, and the comparison wants them all."""
    monkeypatch.setattr(summary, "OPEN_CASE_MONTHS", 1000)


@pytest.fixture
def open_county(every_month_kept, engine):
    build_random_county(engine, n=700, seed=11)
    _refresh(engine)
    return engine


def _steps_kept(flt: CaseFilter) -> bool:
    """Whether the summary keeps the steps taken for this filter (park, channel and unit filters: not)."""
    return {d.column for d in DIMENSIONS if getattr(flt, d.filter_field)} <= set(SUMMARY_STEP_DIMENSIONS)


def _outcome_calls(engine, flt, rules=RULES, at=None):
    """name -> call(source) for every figure that reads the open cases at ``at`` (default: the period's end)."""
    # The pipeline's steps taken come from the summary for whole months and the filters it keeps them
    # by; for the others "auto" still reads its stuck cases from the open cases, its steps from cases.
    steps = "summary" if _steps_kept(flt) and whole_months(flt.start, flt.end) else "auto"
    return {
        "pipeline": lambda source: outcomes.pipeline(engine, flt, at=at, rules=rules,
                                                     source=steps if source == "summary" else source),
        # A small limit, so that the lists' order and cut are compared too.
        "deadline_lists": lambda source: outcomes.deadline_lists(engine, flt, rules, at=at, limit=15,
                                                                  source=source),
        "backlog_by leader": lambda source: outcomes.backlog_by(engine, flt, rules, "leader", source=source),
        "backlog_age_bands": lambda source: outcomes.backlog_age_bands(engine, flt, rules, by="township",
                                                                       source=source),
        "overdue list": lambda source: metrics.open_case_list(engine, flt, "overdue", rules, limit=15,
                                                              source=source),
        "backlog list": lambda source: metrics.open_case_list(engine, flt, "backlog", rules, limit=15,
                                                              source=source),
    }


def _assert_same(summed, raw, what):
    if isinstance(raw, dict):
        assert summed.keys() == raw.keys(), what
        for key in raw:
            _assert_same(summed[key], raw[key], (what, key))
    elif isinstance(raw, pl.DataFrame):
        try:
            assert_frame_equal(summed, raw)
        except AssertionError as failed:
            raise AssertionError(f"{what}: {failed}") from failed
    else:
        assert summed == raw, what


def _open_case_figures_match(engine, flt, rules=RULES, at=None, source="summary") -> int:
    """Compare every open-case figure for ``flt`` (at ``at``) from ``source`` and from the cases.

    Returns how many cases the lists and counts held, so that a caller can tell a vacuous comparison.
    """
    held = 0
    for name, call in _outcome_calls(engine, flt, rules, at).items():
        raw, summed = call("raw"), call(source)
        _assert_same(summed, raw, (name, flt.start, flt.end, at))
        if name == "deadline_lists":
            held += sum(raw["counts"].values())
        elif name in ("overdue list", "backlog list"):
            held += raw.height
    return held


@pytest.mark.parametrize("name", list(FILTERS))
def test_open_case_figures_match_raw_at_every_month_end(open_county, name):
    held = 0
    for start, end in SINGLE_MONTHS + [(date(2031, 3, 1), date(2031, 3, 31))]:
        held += _open_case_figures_match(open_county, _filter(**FILTERS[name]).with_period(start, end))
    assert held > 0 or name == "officer asking for another township"  # never compared vacuously


@pytest.mark.parametrize("name", ["everything", "township officer", "accusations hidden", "owner leader 1", "combined"])
def test_open_case_figures_match_raw_over_ranges_and_after_the_data(open_county, name):
    for start, end in RANGES:
        flt = _filter(**FILTERS[name]).with_period(start, end)
        _open_case_figures_match(open_county, flt)
        for by in ("unit", "township", "category"):  # the flows by each grouping, as by leader above
            _assert_same(outcomes.backlog_by(open_county, flt, RULES, by, source="summary"),
                         outcomes.backlog_by(open_county, flt, RULES, by, source="raw"), (by, start, end))
    for day in AFTER_THE_DATA:
        # "Now" after the last date of the data, in the middle of a month: the last month's rows.
        flt = _filter(**FILTERS[name]).with_period(day.replace(day=1), add_months(day, 0, last_day=True))
        assert _open_case_figures_match(open_county, flt, at=day) > 0


def test_the_random_county_exercises_every_open_case_figure(open_county):
    """Every stuck step, both lists under both rule sets, every flow and age band are hit somewhere."""
    stuck, counts, flows, bands = set(), set(), set(), set()
    for _, end in SINGLE_MONTHS:
        flt = _filter().with_period(end.replace(day=1), end)
        frame = outcomes.pipeline(open_county, flt, rules=RULES, source="summary")
        stuck |= {s for s, n in zip(frame["step"], frame["stuck"], strict=True) if n}
        counts |= {k for k, n in outcomes.deadline_counts(open_county, flt, RULES, source="summary").items() if n}
        by = outcomes.backlog_by(open_county, flt, RULES, source="summary")
        flows |= {f for f in outcomes.FLOWS if by[f].sum()}
        bands |= set(outcomes.backlog_age_bands(open_county, flt, RULES, by=None, source="summary")["band"])
    assert stuck == set(outcomes.STEPS[1:])
    assert counts == {(w, r) for w in outcomes.DEADLINE_WINDOWS for r in outcomes.RULE_SETS}
    assert flows == set(outcomes.FLOWS)
    assert bands == {0, 1, 2}


def test_open_case_figures_under_other_rules(open_county):
    _refresh(open_county, OTHER_RULES)
    for name in ["everything", "township officer"]:
        for start, end in SINGLE_MONTHS[::3]:
            _open_case_figures_match(open_county, _filter(**FILTERS[name]).with_period(start, end), OTHER_RULES)


def test_open_cases_are_read_only_where_the_summary_knows_them(open_county):
    month = CaseFilter.for_month(2025, 3)
    with open_county.connect() as conn:
        stamp = conn.execute(select(summary_stamp)).mappings().one()
    # The last date of any step of the random county (its long tails of conclusions).
    through = stamp["data_through"]
    assert through is not None and as_date(through) > date(2026, 4, 30)
    # The middle of a month before that day: not a month's end, so "summary" refuses and "auto" counts cases.
    with pytest.raises(SummaryUnavailable):
        outcomes.pipeline(open_county, month, at=date(2025, 3, 20), rules=RULES, source="summary")
    assert_frame_equal(outcomes.pipeline(open_county, month, at=date(2025, 3, 20), rules=RULES),
                       outcomes.pipeline(open_county, month, at=date(2025, 3, 20), rules=RULES, source="raw"))
    # Built for other rules: refused, and answered from the cases.
    with pytest.raises(SummaryUnavailable):
        outcomes.deadline_lists(open_county, month, OTHER_RULES, source="summary")
    with pytest.raises(SummaryUnavailable):
        metrics.open_case_list(open_county, month, "overdue", OTHER_RULES, source="summary")
    _assert_same(outcomes.deadline_lists(open_county, month, OTHER_RULES),
                 outcomes.deadline_lists(open_county, month, OTHER_RULES, source="raw"), "other rules")
    # A write that did not rebuild it: stale, answered from the cases.
    with open_county.begin() as conn:
        conn.execute(Case.__table__.insert(), [{"case_number": "LATE-2", "received_on": date(2025, 3, 9),
                                                "channel": "letter"}])
        bump_data_version(conn)
    with pytest.raises(SummaryUnavailable):
        outcomes.backlog_age_bands(open_county, month, RULES, source="summary")
    assert outcomes.pipeline(open_county, month, rules=RULES)["stuck"].sum() == \
        outcomes.pipeline(open_county, month, rules=RULES, source="raw")["stuck"].sum()


def test_only_the_last_months_are_kept(random_county):
    """With the real window: the ends of the last OPEN_CASE_MONTHS months up to the data's last date."""
    with random_county.connect() as conn:
        through = as_date(conn.execute(select(summary_stamp.c.data_through)).scalar_one())
        kept = sorted(conn.execute(select(summary_open_cases.c.month_number).distinct()).scalars())
    last = number_of_month(through)
    assert kept == list(range(last - summary.OPEN_CASE_MONTHS + 1, last + 1))
    oldest = add_months(month_of_number(kept[0]), 0, last_day=True)
    before = add_months(oldest, -1, last_day=True)
    for end in (add_months(oldest, 1, last_day=True), through, add_months(through, 5, last_day=True)):
        flt = CaseFilter(start=end.replace(day=1), end=add_months(end, 0, last_day=True))
        _open_case_figures_match(random_county, flt, at=end)
    # The oldest month kept: its own end from the summary, the end before it (the backlog's flows)
    # from the cases.
    _open_case_figures_match(random_county, CaseFilter(start=oldest.replace(day=1), end=oldest), source="auto")
    # A month's end before the window: counted from the cases, the same figures as ever.
    flt = CaseFilter(start=before.replace(day=1), end=before)
    with pytest.raises(SummaryUnavailable):
        outcomes.backlog_age_bands(random_county, flt, RULES, source="summary")
    with pytest.raises(SummaryUnavailable):
        metrics.open_case_list(random_county, flt, "backlog", RULES, source="summary")
    _assert_same(outcomes.deadline_lists(random_county, flt, RULES),
                 outcomes.deadline_lists(random_county, flt, RULES, source="raw"), before)
    _assert_same(outcomes.backlog_by(random_county, flt, RULES),
                 outcomes.backlog_by(random_county, flt, RULES, source="raw"), before)


def test_open_cases_hold_one_row_per_case_open_at_each_month_end(open_county):
    with open_county.connect() as conn:
        for end in (date(2024, 2, 29), date(2025, 12, 31), date(2026, 4, 30)):
            stored = conn.execute(
                select(summary_open_cases.c.case_id).where(summary_open_cases.c.month_number == number_of_month(end))
            ).scalars().all()
            open_then = conn.execute(
                select(Case.__table__.c.id).where(definitions.open_at(literal(end, Date)))
            ).scalars().all()
            assert sorted(stored) == sorted(open_then) and stored, end


def test_a_step_dated_after_every_other_date_moves_the_last_month(every_month_kept, engine):
    """The open cases are kept to the month of the last date of *any* step, not only of receipts and conclusions."""
    county = build_hand_county(engine)
    insert_cases(county, [case_row("FUTURE", received_on=date(2026, 3, 2), accepted_on=date(2026, 3, 3),
                                   first_meeting_on=date(2031, 5, 20), is_first_time=True)])
    stamp = _refresh(county)
    assert stamp["data_through"] == date(2031, 5, 20)
    # Month ends before it, the day itself, and days after it (the last month's rows answer those).
    for at in (date(2029, 12, 31), date(2031, 4, 30), date(2031, 5, 20), date(2031, 5, 31), date(2032, 1, 10)):
        flt = CaseFilter(start=at.replace(day=1), end=add_months(at, 0, last_day=True))
        _open_case_figures_match(county, flt, at=at)
        stuck = outcomes.pipeline(county, flt, at=at, rules=RULES, source="summary")
        # Not met before 2031-05-20; from then on its next 3-7-21 step is feedback.
        assert dict(zip(stuck["step"], stuck["stuck"], strict=True))["first_meeting"] == \
            (1 if at < date(2031, 5, 20) else 0), at


def test_hand_county_open_cases_through_the_summary(every_month_kept, engine):
    county = build_hand_county(engine)
    _refresh(county)
    for name in FILTERS:
        # From the month before its first case (2025-12) to the month after its last date, and the ranges.
        for start, end in SINGLE_MONTHS[29:36] + RANGES[2:4]:
            _open_case_figures_match(county, _filter(**FILTERS[name]).with_period(start, end))


def test_empty_database_has_no_open_cases(engine):
    stamp = _refresh(engine)
    assert stamp["data_through"] is None
    for at in (None, date(2026, 3, 17)):  # nothing is open on any day, a month's end or not
        assert _open_case_figures_match(engine, _filter(), at=at) == 0
    assert outcomes.pipeline(engine, _filter(), at=date(2026, 3, 17), rules=RULES, source="summary")["stuck"] \
        .drop_nulls().sum() == 0
