"""The monthly review's own figures against tests/review_county.py, worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from polars.testing import assert_frame_equal
from review_county import OCTOBER, TODAY, build_review_county

from queries import review
from queries.filters import CaseFilter, Scope
from queries.metrics import headline_change
from queries.report import REPORT_SCALARS, month_report

OFFICE = OCTOBER
TOWNSHIP_1 = replace(OCTOBER, scope=Scope(township_id=1, see_accusations=False))


@pytest.fixture
def county(engine):
    return build_review_county(engine)


def _cells(frame, *columns):
    return [tuple(row[c] for c in columns) for row in frame.iter_rows(named=True)]


def test_top_issues_by_volume_and_rise(county):
    top = review.top_issues(county, OFFICE)
    assert _cells(top, "township", "category", "received", "previous", "year_earlier", "change_mom", "change_yoy",
                  "rank_volume", "rank_rise") == [
        ("甲镇", "劳动社保", 4, 1, 2, 3, 2, 1, 1),
        ("乙乡", "城乡建设", 2, 3, 0, -1, 2, 2, None),
        ("甲镇", "纪检监察", 1, 0, 0, 1, 1, 3, 2),
        ("甲镇", "城乡建设", 1, 0, 0, 1, 1, 4, 3),
        ("乙乡", "劳动社保", 0, 2, 0, -2, 0, 5, None),
    ]
    # Their cases' status at the month's end.
    assert _cells(top, "concluded", "resolved", "open", "overdue_open", "backlog") == [
        (2, 1, 2, 1, 1), (1, 1, 1, 1, 1), (0, 0, 1, 0, 0), (0, 0, 1, 0, 0), (0, 0, 0, 0, 0),
    ]
    result = review.review_figures(county, OFFICE)
    assert result.top_by_volume()["category"].to_list() == ["劳动社保", "城乡建设", "纪检监察", "城乡建设"]
    assert _cells(result.top_by_rise(), "township", "category") == [("甲镇", "劳动社保"), ("甲镇", "纪检监察"),
                                                                    ("甲镇", "城乡建设")]


def test_a_township_officer_sees_their_cells_and_no_complaints_about_officials(county):
    top = review.top_issues(county, TOWNSHIP_1)
    assert _cells(top, "township", "category", "received", "rank_volume") == [("甲镇", "劳动社保", 4, 1),
                                                                              ("甲镇", "城乡建设", 1, 2)]


def test_overdue_and_backlog_by_unit_and_by_owner_leader(county):
    # JUL (unit 1, leader 1): overdue at both ends, backlog at October's only; MAY (unit 2, leader 2): both.
    columns = ("name", "overdue_open", "backlog", "backlog_previous", "backlog_change", "overdue_previous")
    assert _cells(review.states_by(county, OFFICE, None, "unit"), *columns) == [
        ("县人社局", 1, 1, 0, 1, 1), ("县住建局", 1, 1, 1, 0, 1)]
    assert _cells(review.states_by(county, OFFICE, None, "leader"), *columns) == [
        ("陈书记", 1, 1, 0, 1, 1), ("王县长", 1, 1, 1, 0, 1)]
    # The township officer of 甲镇 sees JUL only.
    assert _cells(review.states_by(county, TOWNSHIP_1, None, "leader"), *columns) == [("陈书记", 1, 1, 0, 1, 1)]


def test_reception_sessions_and_what_became_of_their_cases(county):
    columns = ("leader", "sessions_planned", "sessions_held", "sessions_cancelled", "petitioners_received",
               "cases_taken", "taken_cases", "taken_concluded", "taken_resolved", "taken_open", "taken_overdue",
               "owned_backlog", "owned_overdue")
    assert _cells(review.reception_outcomes(county, OFFICE, None), *columns) == [
        ("陈书记", 1, 1, 0, 3, 2, 2, 1, 1, 1, 0, 1, 1),
        ("王县长", 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1),
    ]
    # 乙乡's cancelled session and MAY are not the 甲镇 officer's: 王县长 has nothing to show there.
    assert _cells(review.reception_outcomes(county, TOWNSHIP_1, None), "leader") == [("陈书记",)]


def test_last_reviews_list_read_at_the_months_end(county):
    previous = review.dispatch_list(county, OFFICE, date(2026, 9, 1), OFFICE.end)
    assert _cells(previous, "id", "carried", "state", "overdue", "days_late") == [
        (4, True, "open", True, 41),  # due 09-20, still open at 10-31
        (1, False, "done", False, None),
        (2, False, "late", False, 5),  # due 10-20, done 10-25
        (3, False, "open", True, 6),  # due 10-25
    ]
    assert review.dispatch_counts(previous) == {"done": 1, "late": 1, "open": 2, "overdue": 2, "total": 4}


def test_this_reviews_list_carries_what_is_not_done(county):
    as_of = review.dispatch_as_of(date(2026, 10, 1), TODAY)
    assert as_of == TODAY  # before the end of November
    current = review.dispatch_list(county, OFFICE, date(2026, 10, 1), as_of)
    assert _cells(current, "id", "carried", "state", "overdue", "days_late") == [
        (4, True, "open", True, 51), (3, True, "open", True, 16), (5, False, "open", False, None),
        (7, False, "open", False, None),
    ]
    assert review.dispatch_as_of(date(2026, 10, 1), date(2027, 1, 5)) == date(2026, 11, 30)
    # The 甲镇 officer: the items of their township, none about an official.
    assert review.dispatch_list(county, TOWNSHIP_1, date(2026, 10, 1), as_of)["id"].to_list() == [5]
    # One unit's slip.
    assert review.dispatch_list(county, OFFICE, date(2026, 10, 1), as_of, unit_id=2)["id"].to_list() == [3, 7]


def test_the_review_carries_the_report_figures(county):
    result = review.build_review(county, CaseFilter(start=date(2026, 8, 1), end=date(2026, 10, 31)), None, TODAY)
    assert result.month == date(2026, 10, 1)  # a range is reviewed by its last month
    # Every figure of report --month but its breakdowns by channel and place, which the review does not show.
    report = month_report(county, OFFICE)
    assert result.report == {key: value for key, value in report.items() if not key.startswith("by_")}
    assert set(result.report) == {"period", *REPORT_SCALARS}
    # 环比 and 同比 read off the 13-month trend: the engine's own headline_change.
    assert_frame_equal(result.change, headline_change(county, OFFICE))
    assert result.change["received"].to_list() == [8, 6, 2]
    assert result.report["received"] == 8
    assert result.handed_month == date(2026, 11, 1)
    assert result.dispatch_previous["id"].to_list() == [4, 1, 2, 3]
    assert result.dispatch_current["id"].to_list() == [4, 3, 5, 7]
    assert result.current_as_of == TODAY
    assert result.township is None
    assert review.review_figures(county, TOWNSHIP_1).township == "甲镇"
    # The page shows everything but the rising issues first; the two together are the review.
    base = review.review_base(county, TOWNSHIP_1)
    assert base.rising_method == review.RISING_PENDING and base.rising.is_empty()
    assert base.top_issues.equals(review.review_figures(county, TOWNSHIP_1).top_issues)
    assert review.with_rising(base, review.rising_part(county, TOWNSHIP_1)).rising_method in ("seasonal", "simple",
                                                                                              "none")
