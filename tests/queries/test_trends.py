"""Trends: series, 环比 and 同比 on the small county (tests/trends_county.py), worked by hand; rates on the hand county."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hand_county import MARCH, RULES, build_hand_county
from trends_county import JIA, YI, build_small_county, refresh

from queries import metrics, trends
from queries.filters import CaseFilter

MARCH_2026 = CaseFilter.for_month(2026, 3)


@pytest.fixture(params=["raw", "summary"])
def small(request, engine):
    build_small_county(engine)
    if request.param == "summary":
        refresh(engine)
    return engine, request.param


def _by(series, key, month):
    row = series.filter((series["key"] == key) & (series["month"] == month))
    assert row.height == 1
    return row.row(0, named=True)


def test_series_by_category_top_two_and_other(small):
    engine, source = small
    series = trends.received_series(engine, MARCH_2026, "category", months=13, top=2, source=source)
    # 13 months (2025-03 .. 2026-03) × (劳动社保, 征地拆迁, 其他).
    assert series.height == 13 * 3
    assert series["month"].unique().sort().to_list()[0] == date(2025, 3, 1)
    # Totals over the 13 months: 劳动社保 6 + 2 + 5 = 13, 征地拆迁 3 + 2 = 5, 教育 2 (in 其他).
    labels = series.unique("key").sort("rank")
    assert labels["label"].to_list() == ["劳动社保", "征地拆迁", "其他"]
    march, feb, march_2025 = date(2026, 3, 1), date(2026, 2, 1), date(2025, 3, 1)
    assert _by(series, "1", march)["received"] == 5 and _by(series, "1", march)["received_year_earlier"] == 6
    assert _by(series, "2", march)["received"] == 2 and _by(series, "2", march)["received_year_earlier"] == 0
    assert _by(series, "other", march)["received"] == 2
    assert _by(series, "1", feb)["received"] == 2 and _by(series, "2", feb)["received"] == 3
    assert _by(series, "1", march_2025)["received"] == 6
    assert series.filter(series["month"] == date(2025, 6, 1))["received"].to_list() == [0, 0, 0]


def test_changes_of_the_latest_month(small):
    engine, source = small
    series = trends.received_series(engine, MARCH_2026, "category", months=13, top=2, source=source)
    table = trends.series_changes(series)
    rows = {r["label"]: r for r in table.iter_rows(named=True)}
    # 劳动社保: 5 in March, 2 in February (环比 +3), 6 in March 2025 (同比 −1).
    assert (rows["劳动社保"]["received"], rows["劳动社保"]["change_mom"], rows["劳动社保"]["change_yoy"]) == (5, 3, -1)
    # 征地拆迁: 2, 3 (−1), 0 (+2).
    assert (rows["征地拆迁"]["received"], rows["征地拆迁"]["change_mom"], rows["征地拆迁"]["change_yoy"]) == (2, -1, 2)
    # 其他 (教育): 2, 0 (+2), 0 (+2).
    assert (rows["其他"]["received"], rows["其他"]["change_mom"], rows["其他"]["change_yoy"]) == (2, 2, 2)


def test_every_split_equals_the_engines_headline_change(small):
    engine, source = small
    table = trends.received_changes(engine, MARCH_2026, "township", source=source)
    # 甲镇: 6 / 2 / 1, 乙乡: 2 / 3 / 5 (March, February, March 2025); the case without a township in neither.
    assert {r["label"]: (r["received"], r["received_previous"], r["received_year_earlier"])
            for r in table.iter_rows(named=True)} == {"甲镇": (6, 2, 1), "乙乡": (2, 3, 5)}
    for township in (JIA, YI):
        engine_says = metrics.headline_change(engine, replace(MARCH_2026, township_ids=(township,)), source=source)
        row = table.filter(table["key"] == str(township)).row(0, named=True)
        assert engine_says["received"].to_list() == [row["received"], row["received_previous"],
                                                     row["received_year_earlier"]]
        assert row["change_mom"] == row["received"] - row["received_previous"]


def test_series_over_the_filters_own_period(small):
    engine, source = small
    flt = CaseFilter(start=date(2026, 2, 1), end=date(2026, 3, 31))
    series = trends.received_series(engine, flt, "township", months=None, source=source)
    assert sorted(series["month"].unique().to_list()) == [date(2026, 2, 1), date(2026, 3, 1)]


def test_unknown_dimension_is_refused(small):
    engine, _ = small
    with pytest.raises(ValueError):
        trends.received_series(engine, MARCH_2026, "village")


@pytest.fixture(params=["raw", "summary"])
def hand(request, engine):
    build_hand_county(engine)
    if request.param == "summary":
        with engine.begin() as conn:
            from data.db import bump_data_version
            from queries.summary import refresh_summary

            bump_data_version(conn)
            refresh_summary(conn, RULES)
    return engine, request.param


def test_rates_with_numerators_denominators_and_sparse_months(hand):
    engine, source = hand
    rates = trends.rate_series(engine, MARCH, months=2, rules=RULES, source=source)
    march = {r["rate"]: r for r in rates.iter_rows(named=True) if r["month"] == date(2026, 3, 1)}
    # tests/queries/test_metrics.py: 初信初访化解率 1 of 2 (A resolved, D not; B concluded after March);
    # 3-7-21 1 of 3 (A met; B late; K late); office satisfaction 2 of 3 (A, H; D not).
    assert (march["first_time_resolution_rate"]["numerator"], march["first_time_resolution_rate"]["denominator"]) == (1, 2)
    assert (march["on_time_rate_3_7_21"]["numerator"], march["on_time_rate_3_7_21"]["denominator"]) == (1, 3)
    assert (march["satisfaction_rate_office"]["numerator"], march["satisfaction_rate_office"]["denominator"]) == (2, 3)
    assert march["satisfaction_rate_office"]["value"] == pytest.approx(2 / 3)
    # Every denominator here is under 10: every month is sparse, and a zero denominator has no value.
    assert rates["sparse"].all()
    assert rates.filter(rates["denominator"] == 0)["value"].null_count() == rates.filter(rates["denominator"] == 0).height
    # The engine's own figures, unchanged.
    headline = metrics.headline(engine, MARCH, RULES, source=source).row(0, named=True)
    for rate, row in march.items():
        numerator, denominator = metrics.RATE_PARTS[rate]
        assert (row["numerator"], row["denominator"], row["value"]) == (
            headline[numerator], headline[denominator], headline[rate])
    dense = trends.rate_series(engine, MARCH, months=1, min_denominator=3, rules=RULES, source=source)
    assert {r["rate"]: r["sparse"] for r in dense.iter_rows(named=True)}["on_time_rate_3_7_21"] is False


def test_rate_changes_are_percentage_points(hand):
    engine, source = hand
    rates = trends.rate_series(engine, MARCH, months=2, rules=RULES, source=source)
    changes = {r["rate"]: r for r in trends.rate_changes(rates).iter_rows(named=True)}
    office = changes["satisfaction_rate_office"]
    # February: only M concluded, unrated: no rate, so no 环比 (never a change from 0%).
    assert office["value"] == pytest.approx(2 / 3) and office["value_previous"] is None
    assert office["change_mom_pp"] is None
    # No case a year earlier: no 同比.
    assert office["value_year_earlier"] is None and office["change_yoy_pp"] is None
    # A change of two rates is in percentage points: 66.7% against 50.0% is +16.7.
    import polars as pl

    made_up = rates.with_columns(
        pl.when((pl.col("rate") == "satisfaction_rate_office") & (pl.col("month") == date(2026, 2, 1)))
        .then(0.5).otherwise(pl.col("value")).alias("value"))
    office = trends.rate_changes(made_up).filter(pl.col("rate") == "satisfaction_rate_office").row(0, named=True)
    assert office["change_mom_pp"] == pytest.approx(100 * (2 / 3 - 0.5))


def test_no_month_before_the_first_case_and_no_year_earlier_before_it(small):
    engine, source = small
    # The first case is in March 2025: 24 months ending March 2026 keep 13 of them, and the year before
    # March 2025 .. February 2026 is unknown (None), not 0; March 2026's year earlier is March 2025's 6.
    series = trends.received_series(engine, MARCH_2026, "category", months=24, top=2, source=source)
    months = sorted(series["month"].unique().to_list())
    assert months[0] == date(2025, 3, 1) and len(months) == 13
    labour = series.filter(series["key"] == "1").sort("month")
    assert labour["received_year_earlier"].to_list() == [None] * 12 + [6]
    table = {r["label"]: r for r in trends.series_changes(
        trends.received_series(engine, CaseFilter.for_month(2025, 4), "category", months=2, top=2, source=source)
    ).iter_rows(named=True)}
    # April 2025: 0 against March's 6 (环比 −6); no year earlier, so no 同比 (never "+0" or "+N").
    assert table["劳动社保"]["change_mom"] == -6 and table["劳动社保"]["change_yoy"] is None


def test_rates_start_with_the_first_case_and_have_no_year_earlier_before_it(hand):
    engine, source = hand
    rates = trends.rate_series(engine, MARCH, months=12, rules=RULES, source=source)
    # The hand county's first case is in December 2025: four months, none with a year earlier.
    assert sorted(rates["month"].unique().to_list()) == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1),
                                                         date(2026, 3, 1)]
    assert rates["denominator_year_earlier"].null_count() == rates.height
