"""The metrics engine against a fixture whose every figure was worked out by hand.

The fixture: two townships (1, 2), one park in township 1, a labour category
and an accusation (纪检监察) category, and thirteen cases A–M. The period
under test is March 2026 (31 days) unless a test says otherwise; the comment
on each case gives the dates that matter for it.
"""

from __future__ import annotations

import pytest
from hand_county import MARCH, RULES, d

from config.settings import DeadlineRules
from queries import metrics
from queries.filters import CaseFilter, Scope


def _headline(engine, flt=MARCH) -> dict:
    return metrics.headline(engine, flt, RULES).row(0, named=True)


def test_counts_for_march(county):
    h = _headline(county)
    assert h["received"] == 5  # A B C D J
    assert h["first_time"] == 3  # A B D
    assert h["group_visits"] == 2  # B (6) and C (exactly 5)
    assert h["repeat_share"] == pytest.approx(1 / 5)  # C
    assert h["concluded"] == 5  # A D F H I, whenever received


def test_resolution_rates_only_count_cases_concluded_by_period_end(county):
    h = _headline(county)
    # A and D were received and concluded in March; B concluded in April is left out.
    assert (h["resolved"], h["resolution_base"]) == (1, 2)
    assert h["resolution_rate"] == pytest.approx(0.5)
    assert h["first_time_resolution_rate"] == pytest.approx(0.5)
    assert h["first_letter_resolution_rate"] == pytest.approx(0.5)  # A letter, D online
    assert h["first_visit_resolution_rate"] is None  # no first-time visit concluded: "—"


def test_statutory_on_time_rate(county):
    h = _headline(county)
    # Due in March: G (open: late), H (late), I (on time), M (missing acceptance, concluded earlier: on time).
    # F is due in April only because of its extension.
    assert (h["on_time"], h["due_in_period"]) == (2, 4)
    assert h["on_time_rate"] == pytest.approx(0.5)


def test_extension_moves_the_due_date(county):
    april = _headline(county, CaseFilter.for_month(2026, 4))
    assert (april["on_time"], april["due_in_period"]) == (1, 1)  # F alone, concluded 03-30 <= 04-05


def test_3_7_21_rate_counts_missing_dates_as_late(county):
    h = _headline(county)
    # 21-day deadline in March: A (met), B (meeting late), K (nothing recorded).
    assert (h["met_3_7_21"], h["due_21_in_period"]) == (1, 3)
    assert h["on_time_rate_3_7_21"] == pytest.approx(1 / 3)


def test_overdue_open_and_backlog(county):
    h = _headline(county)
    assert h["overdue_open"] == 2  # E (due 02-14) and G (due 03-04)
    assert h["backlog"] == 1  # E, received more than 90 days before 03-31
    # An overdue open case counts against the on-time rate: it never reads 100% beside an overdue count.
    assert h["on_time_rate"] < 1


def test_satisfaction_and_rating_rates(county):
    h = _headline(county)
    assert h["satisfaction_rate_office"] == pytest.approx(2 / 3)  # A satisfied, H basic, D dissatisfied
    assert h["satisfaction_rate_unit"] == pytest.approx(1 / 2)  # A dissatisfied, D basic
    assert h["rating_rate"] == pytest.approx(3 / 5)  # 3 of 5 concluded carry an office rating


def test_empty_period_gives_zero_counts_and_no_rates(county):
    h = _headline(county, CaseFilter.for_month(2020, 1))
    assert h["received"] == 0 and h["concluded"] == 0
    for rate in metrics.RATE_PARTS:
        assert h[rate] is None, rate


def test_headline_change_compares_previous_month_and_year(county):
    rows = {r["period"]: r for r in metrics.headline_change(county, MARCH, RULES).iter_rows(named=True)}
    assert rows["current"]["received"] == 5
    assert rows["previous"]["received"] == 1  # K, 02-27
    assert rows["previous"]["start"] == d(2026, 2, 1) and rows["previous"]["end"] == d(2026, 2, 28)
    assert rows["year_earlier"]["received"] == 0
    assert rows["year_earlier"]["resolution_rate"] is None


def test_monthly_trend_received_per_month(county):
    trend = metrics.monthly_trend(county, MARCH, months=13, rules=RULES)
    assert trend.height == 13
    assert trend["month"][0] == d(2025, 3, 1) and trend["month"][-1] == d(2026, 3, 1)
    by_month = dict(zip(trend["month"], trend["received"], strict=True))
    assert by_month[d(2025, 12, 1)] == 2  # E F
    assert by_month[d(2026, 1, 1)] == 4  # G H I M
    assert by_month[d(2026, 2, 1)] == 1  # K
    assert by_month[d(2026, 3, 1)] == 5
    assert trend.filter(trend["month"] == d(2026, 3, 1))["overdue_open"].item() == 2


def test_trend_month_equals_headline_for_that_month(county):
    trend = metrics.monthly_trend(county, MARCH, months=13, rules=RULES)
    feb = trend.filter(trend["month"] == d(2026, 2, 1)).row(0, named=True)
    feb_headline = _headline(county, CaseFilter.for_month(2026, 2))
    for column in metrics.HEADLINE_COLUMNS:
        assert feb[column] == feb_headline[column], column


def test_breakdowns(county):
    def split(by):
        return {r["label"]: r["received"] for r in metrics.breakdown(county, MARCH, by).iter_rows(named=True)}

    assert split("township") == {"甲镇": 3, "乙乡": 2}
    assert split("channel") == {"letter": 2, "visit": 2, "online": 1}
    assert split("park") == {"东湖工业园区": 1}  # cases with no park count under none
    assert split("category") == {"劳动社保": 2, "纪检监察": 1}


def test_breakdown_rejects_unknown_dimension(county):
    with pytest.raises(ValueError):
        metrics.breakdown(county, MARCH, "petitioner_name")


def test_dimension_filters(county):
    assert _headline(county, CaseFilter.for_month(2026, 3, township_ids=(2,)))["received"] == 2
    assert _headline(county, CaseFilter.for_month(2026, 3, channels=("visit",)))["group_visits"] == 2
    assert _headline(county, CaseFilter.for_month(2026, 3, park_ids=(1,)))["received"] == 1
    assert _headline(county, CaseFilter.for_month(2026, 3, category_ids=(1,)))["received"] == 2


def test_scope_hides_accusations_and_other_townships(county):
    no_accusations = CaseFilter.for_month(2026, 3, scope=Scope(see_accusations=False))
    assert _headline(county, no_accusations)["received"] == 4  # J hidden
    assert "纪检监察" not in {r["label"] for r in metrics.breakdown(county, no_accusations, "category").iter_rows(named=True)}
    township_1 = Scope(township_id=1, see_accusations=False)
    assert _headline(county, CaseFilter.for_month(2026, 3, scope=township_1))["received"] == 2  # A B
    # Asking for another township through the filter yields nothing: the scope wins.
    other = CaseFilter.for_month(2026, 3, township_ids=(2,), scope=township_1)
    assert _headline(county, other)["received"] == 0
    assert metrics.open_case_list(county, other, "overdue", RULES).height == 0


def test_area_figures(county):
    rows = {r["name"]: r for r in metrics.area_figures(county, MARCH, "township", RULES).iter_rows(named=True)}
    assert rows["甲镇"]["received"] == 3 and rows["乙乡"]["received"] == 2
    assert rows["甲镇"]["overdue_open"] == 1 and rows["乙乡"]["overdue_open"] == 1  # E, G
    assert rows["甲镇"]["backlog"] == 1 and rows["乙乡"]["backlog"] == 0
    parks = metrics.area_figures(county, MARCH, "park", RULES)
    assert parks.row(0, named=True)["received"] == 1
    scoped = metrics.area_figures(county, CaseFilter.for_month(2026, 3, scope=Scope(township_id=2)), "township", RULES)
    assert scoped["name"].to_list() == ["乙乡"]


def test_open_case_lists(county):
    overdue = metrics.open_case_list(county, MARCH, "overdue", RULES)
    assert overdue["case_number"].to_list() == ["E", "G"]
    first = overdue.row(0, named=True)
    assert first["due_on"] == d(2026, 2, 14) and first["days_open"] == 120 and first["township"] == "甲镇"
    assert "name" not in overdue.columns and "id_number" not in overdue.columns
    backlog = metrics.open_case_list(county, MARCH, "backlog", RULES)
    assert backlog["case_number"].to_list() == ["E"]


def test_configurable_backlog_threshold(county):
    shorter = DeadlineRules(backlog_days=60)
    h = metrics.headline(county, MARCH, shorter).row(0, named=True)
    # Open at 03-31 and received before 01-30: E (12-01) and G (01-02).
    assert h["backlog"] == 2
