"""The outcome measures (办理成效) against tests/outcomes_county.py, worked out by hand, and on a random county.

Each expected figure names the cases behind it; the case comments in the
fixture give their dates. March 2026, judged at 03-31, unless a test says otherwise.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from outcomes_county import AT, MARCH, RULES, build_outcomes_county
from polars.testing import assert_frame_equal
from random_county import build_random_county
from sqlalchemy import Date, func, literal, select

from data.db import bump_data_version
from queries import metrics, outcomes
from queries.filters import CaseFilter, Scope, add_months
from queries.summary import refresh_summary


@pytest.fixture
def county(engine):
    build_outcomes_county(engine)
    with engine.begin() as conn:
        bump_data_version(conn)
        refresh_summary(conn, RULES)
    return engine


# --- 1. pipeline -------------------------------------------------------------------------------


def test_pipeline_by_hand(county):
    rows = {r["step"]: r for r in outcomes.pipeline(county, MARCH).iter_rows(named=True)}
    assert list(rows) == list(outcomes.STEPS)
    # Received in March: P2 F1 F2 F3 F4 F5 ACC.
    assert (rows["received"]["taken"], rows["received"]["days_n"], rows["received"]["stuck"]) == (7, 0, None)
    assert rows["received"]["days_median"] is None
    # Accepted in March: F1 1, F2 1, F3 2, F4 0, F5 1, ACC 1 day after receipt: [0 1 1 1 1 2].
    a = rows["accepted"]
    assert (a["taken"], a["days_n"], a["days_median"], a["days_p90"]) == (6, 6, 1.0, 1.5)
    # First meetings in March (first-time cases): P1 2, P2 -2 (before its acceptance), F1 1, F3 0, F4 1, F5 1.
    m = rows["first_meeting"]
    assert (m["taken"], m["days_median"], m["days_p90"], m["first_time_only"]) == (6, 1.0, 1.5, True)
    # Feedback in March: P1 3, F1 3, F3 4, F5 2 days after the meeting: [2 3 3 4].
    f = rows["feedback"]
    assert (f["taken"], f["days_n"], f["days_median"], f["days_p90"]) == (4, 4, 3.0, pytest.approx(3.7))
    # Concluded in March: P1 P6 P7 P8 P9 P10 P11 B4 F1 F3 F5; P10 has no acceptance date, so 10 durations:
    # [3 7 11 14 53 56 58 58 64 174]: median (53+56)/2, 90th percentile 64 + 0.1 * 110.
    k = rows["concluded"]
    assert (k["taken"], k["days_n"], k["days_median"], k["days_p90"]) == (11, 10, 54.5, pytest.approx(75.0))
    # Stuck at 03-31: acceptance P2 P4 B5; meeting F2; feedback F4; conclusion P3 P5 B1 B2 B3 ACC.
    assert [rows[s]["stuck"] for s in outcomes.STEPS[1:]] == [3, 1, 1, 6]


def test_pipeline_agrees_with_the_engine(county):
    frame = outcomes.pipeline(county, MARCH)
    h = metrics.headline(county, MARCH, RULES).row(0, named=True)
    taken = dict(zip(frame["step"], frame["taken"], strict=True))
    assert (taken["received"], taken["concluded"]) == (h["received"], h["concluded"])
    # Every case open at the date is stuck at exactly one step.
    open_at_end = 11  # P2 P3 P4 P5 B1 B2 B3 B5 F2 F4 ACC (P7 concluded on 03-31 itself)
    assert frame["stuck"].sum() == open_at_end


def test_stuck_at_another_date(county):
    rows = {r["step"]: r["stuck"] for r in outcomes.pipeline(county, MARCH, at=date(2026, 3, 21)).iter_rows(named=True)}
    # Open at 03-21: P3 P4 P5 P7 B1 B2 B3 B4 B5 F1 F2 F3 ACC (P10 concluded 03-20, F4 not yet received).
    # Acceptance: P4 B5. Meeting: F1 (accepted 03-21, meets 03-22), F2. Conclusion: the other nine.
    assert rows == {"received": None, "accepted": 2, "first_meeting": 2, "feedback": 0, "concluded": 9}


def test_pipeline_scope_and_filters(county):
    hidden = CaseFilter.for_month(2026, 3, scope=Scope(see_accusations=False))
    rows = {r["step"]: r for r in outcomes.pipeline(county, hidden).iter_rows(named=True)}
    assert rows["received"]["taken"] == 6 and rows["accepted"]["taken"] == 5  # ACC hidden
    assert rows["concluded"]["stuck"] == 5
    unit_3 = CaseFilter.for_month(2026, 3, unit_ids=(3,))
    rows = {r["step"]: r for r in outcomes.pipeline(county, unit_3).iter_rows(named=True)}
    assert rows["concluded"]["taken"] == 1 and rows["concluded"]["days_median"] == 58.0  # P11
    assert rows["accepted"]["stuck"] == 1  # B5


# --- 2. deadlines -----------------------------------------------------------------------------------


def test_deadline_rates_are_the_engines(county):
    r = outcomes.deadline_rates(county, MARCH, RULES)
    # Statutory due in March: P5 (open) P7 P10 late; P6 P8 P9 P11 on time.
    assert (r["on_time"], r["due_in_period"]) == (4, 7)
    # 21-day date in March: P1 F3 F5 met, F2 late.
    assert (r["met_3_7_21"], r["due_21_in_period"]) == (3, 4)
    assert r["overdue_open"] == 5


def test_overdue_cases(county):
    frame = outcomes.deadline_cases(county, MARCH, RULES, "overdue")
    assert frame.columns == ["case_number", "township", "unit", "owner_leader", "rule_set", "step", "received_on",
                             "due_on", "days_over"]
    assert frame.select("case_number", "rule_set", "step", "days_over").rows() == [
        ("B2", "statutory", "concluded", 303),
        ("B5", "statutory", "concluded", 219),
        ("B1", "statutory", "concluded", 75),
        ("B3", "statutory", "concluded", 39),
        ("P5", "statutory", "concluded", 24),
        ("F2", "3_7_21", "first_meeting", 23),
    ]
    b1 = frame.row(2, named=True)
    assert (b1["township"], b1["unit"], b1["owner_leader"], b1["due_on"]) == ("甲镇", "住建局", "王书记", date(2026, 1, 15))
    # The statutory rows are the engine's 超期未结.
    assert frame.filter(pl.col("rule_set") == "statutory").height == 5


def test_due_soon_cases(county):
    frame = outcomes.deadline_cases(county, MARCH, RULES, "due_soon")
    assert frame.select("case_number", "rule_set", "step", "due_on", "days_left").rows() == [
        ("F4", "3_7_21", "feedback", date(2026, 4, 2), 2),
        ("P4", "statutory", "concluded", date(2026, 4, 5), 5),
        ("P2", "3_7_21", "feedback", date(2026, 4, 6), 6),
    ]
    # P3's extended deadline 04-12 is 12 days away: within 14, not 7.
    wider = outcomes.deadline_cases(county, MARCH, RULES, "due_soon", within_days=14)
    assert "P3" in wider["case_number"].to_list() and wider.height == 4


def test_both_lists_and_their_counts_at_once(county):
    lists = outcomes.deadline_lists(county, MARCH, RULES, limit=2)
    # Overdue: B2 B5 B1 B3 P5 (statutory), F2 (meeting); due soon: P4 (statutory), F4 P2 (feedback).
    assert lists["counts"] == {("overdue", "statutory"): 5, ("overdue", "3_7_21"): 1,
                               ("due_soon", "statutory"): 1, ("due_soon", "3_7_21"): 2}
    # Cut at two rows each, the counts stay whole: F2, third and last of its list, is still counted.
    assert lists["overdue"]["case_number"].to_list() == ["B2", "B5"]
    assert lists["due_soon"]["case_number"].to_list() == ["F4", "P4"]
    assert outcomes.deadline_counts(county, MARCH, RULES) == lists["counts"]
    whole = outcomes.deadline_lists(county, MARCH, RULES)
    assert_frame_equal(whole["overdue"], outcomes.deadline_cases(county, MARCH, RULES, "overdue"))
    officer = CaseFilter.for_month(2026, 3, scope=Scope(township_id=2, see_accusations=False))
    assert outcomes.deadline_counts(county, officer, RULES)[("overdue", "statutory")] == 2  # B3 P5


def test_deadline_cases_hold_no_personal_data_and_respect_scope(county):
    frame = outcomes.deadline_cases(county, MARCH, RULES, "overdue", at=AT)
    assert not {"name", "id_number", "phone", "address", "petitioner"} & set(frame.columns)
    officer = CaseFilter.for_month(2026, 3, scope=Scope(township_id=2, see_accusations=False))
    assert outcomes.deadline_cases(county, officer, RULES, "overdue")["case_number"].to_list() == ["B3", "P5", "F2"]


# --- 3. backlog -----------------------------------------------------------------------------------------


def test_backlog_by_leader(county):
    frame = outcomes.backlog_by(county, MARCH, RULES, "leader")
    assert frame.rows() == [
        # id, name, backlog, overdue_open, backlog_previous, cleared, joined
        (1, "王书记", 2, 2, 3, 1, 0),  # B1 B2 at the end; B1 B2 B4 at 02-28; B4 concluded 03-25
        (2, "李县长", 1, 2, 0, 0, 1),  # B3 joined; overdue P5 and B3
        (3, "赵副县长", 0, 0, 0, 0, 0),
        (None, None, 1, 1, 1, 0, 0),  # B5 has no owner leader
    ]


def test_backlog_by_unit(county):
    rows = {r["name"]: r for r in outcomes.backlog_by(county, MARCH, RULES, "unit").iter_rows(named=True)}
    assert (rows["人社局"]["backlog"], rows["人社局"]["joined"], rows["人社局"]["overdue_open"]) == (1, 1, 2)  # B3; P5
    assert (rows["住建局"]["backlog"], rows["住建局"]["cleared"]) == (2, 1)  # B1 B2; B4
    assert rows["自然资源局"]["backlog"] == 1 and None not in rows  # B5; every case has a unit


def test_backlog_age_bands(county):
    frame = outcomes.backlog_age_bands(county, MARCH, RULES)
    assert frame.rows() == [
        # id, name, band, min_days, max_days, backlog
        (1, "王书记", 0, 91, 180, 1),  # B1, 136 days
        (1, "王书记", 2, 366, None, 1),  # B2, 395 days
        (2, "李县长", 0, 91, 180, 1),  # B3, 101 days
        (None, None, 1, 181, 365, 1),  # B5, 294 days
    ]
    county_wide = outcomes.backlog_age_bands(county, MARCH, RULES, by=None)
    assert county_wide.select("band", "backlog").rows() == [(0, 2), (1, 1), (2, 1)]
    # Other edges: 91-120 (B3 101), 121-300 (B1 136, B5 294), over 300 days (B2 395).
    other = outcomes.backlog_age_bands(county, MARCH, RULES, band_edges=(120, 300), by=None)
    assert other.select("band", "min_days", "max_days", "backlog").rows() == [
        (0, 91, 120, 1), (1, 121, 300, 2), (2, 301, None, 1),
    ]
    with pytest.raises(ValueError):
        outcomes.backlog_age_bands(county, MARCH, RULES, band_edges=(60, 365))  # below the 90-day threshold
    with pytest.raises(ValueError):
        outcomes.backlog_age_bands(county, MARCH, RULES, band_edges=(365, 180))


@pytest.mark.parametrize("source", ["raw", "summary"])
def test_the_hand_worked_figures_from_the_cases_and_from_the_summary(county, source):
    """The figures above, each read once from the cases and once from the summary's open cases and step counts."""
    rows = {r["step"]: r for r in outcomes.pipeline(county, MARCH, rules=RULES, source=source).iter_rows(named=True)}
    assert [rows[s]["stuck"] for s in outcomes.STEPS[1:]] == [3, 1, 1, 6]
    assert (rows["accepted"]["taken"], rows["accepted"]["days_median"], rows["accepted"]["days_p90"]) == (6, 1.0, 1.5)
    assert (rows["concluded"]["taken"], rows["concluded"]["days_n"], rows["concluded"]["days_median"]) == (11, 10, 54.5)
    lists = outcomes.deadline_lists(county, MARCH, RULES, source=source)
    assert lists["counts"] == {("overdue", "statutory"): 5, ("overdue", "3_7_21"): 1,
                               ("due_soon", "statutory"): 1, ("due_soon", "3_7_21"): 2}
    assert lists["overdue"].select("case_number", "days_over").rows() == [
        ("B2", 303), ("B5", 219), ("B1", 75), ("B3", 39), ("P5", 24), ("F2", 23)]
    assert lists["due_soon"].select("case_number", "days_left").rows() == [("F4", 2), ("P4", 5), ("P2", 6)]
    assert outcomes.backlog_by(county, MARCH, RULES, "leader", source=source).rows() == [
        (1, "王书记", 2, 2, 3, 1, 0), (2, "李县长", 1, 2, 0, 0, 1), (3, "赵副县长", 0, 0, 0, 0, 0),
        (None, None, 1, 1, 1, 0, 0)]
    assert outcomes.backlog_age_bands(county, MARCH, RULES, source=source).select("id", "band", "backlog").rows() == [
        (1, 0, 1), (1, 2, 1), (2, 0, 1), (None, 1, 1)]
    # The map's lists: 超期未结 and 积案 at 03-31, oldest first.
    assert metrics.open_case_list(county, MARCH, "backlog", RULES, source=source)["case_number"].to_list() == \
        ["B2", "B5", "B1", "B3"]


def test_backlog_trend(county):
    trend = outcomes.backlog_trend(county, MARCH, RULES)
    assert trend.height == 12 and trend["month"][-1] == date(2026, 3, 1)
    by_month = {r["month"]: (r["backlog"], r["overdue_open"]) for r in trend.iter_rows(named=True)}
    # At 02-28: backlog B1 B2 B4 B5; overdue (due before 02-28, open): B1 B2 B3 (02-20) B4 (12-01) B5.
    assert by_month[date(2026, 2, 1)] == (4, 5)
    assert by_month[date(2026, 3, 1)] == (4, 5)
    # At 2025-06-30: B2 received 03-01 is 121 days old and open, due 06-01: backlog and overdue. B5 open, not due.
    assert by_month[date(2025, 6, 1)] == (1, 1)
    assert by_month[date(2025, 4, 1)] == (0, 0)


# --- 4. outcomes ----------------------------------------------------------------------------------------


def test_outcome_rates(county):
    r = outcomes.outcome_rates(county, MARCH, RULES)
    # Received and concluded in March: F1 (resolved visit), F3 (unresolved letter), F5 (resolved online: a 初信).
    assert (r["resolved"], r["resolution_base"]) == (2, 3)
    assert (r["first_letter_resolved"], r["first_letter_resolution_base"]) == (1, 2)
    assert (r["first_visit_resolved"], r["first_visit_resolution_base"]) == (1, 1)
    # Concluded in March with an office rating: P1 P6 P8 P10 F1 satisfied or basically, P7 B4 not.
    assert (r["satisfied_office"], r["rated_office"]) == (5, 7)
    assert (r["satisfied_unit"], r["rated_unit"]) == (3, 5)  # P1 P8 P10 of P1 P6 P8 P10 B4
    assert (r["rated_office"], r["concluded"]) == (7, 11)
    assert r["rating_rate"] == pytest.approx(7 / 11)


def test_period_rates_are_both_dictionaries(county):
    # The page reads the deadline and outcome tiles from one call: the same figures, key for key.
    both = outcomes.period_rates(county, MARCH, RULES)
    assert both == {**outcomes.deadline_rates(county, MARCH, RULES), **outcomes.outcome_rates(county, MARCH, RULES)}
    assert (both["on_time"], both["due_in_period"], both["resolved"], both["resolution_base"]) == (4, 7, 2, 3)


def test_resolution_levels(county):
    frame = outcomes.resolution_levels(county, MARCH)
    # The resolved of the cohort: F1 (village) and F5 (not recorded). P6 P8 B4 were received earlier.
    assert frame.rows() == [("village", 1, 0.5), ("township", 0, 0.0), ("county", 0, 0.0), (None, 1, 0.5)]
    assert frame["resolved"].sum() == outcomes.outcome_rates(county, MARCH, RULES)["resolved"]
    empty = outcomes.resolution_levels(county, CaseFilter.for_month(2019, 1))
    assert empty["resolved"].sum() == 0 and empty["share"].is_null().all()


# --- 5. league tables -------------------------------------------------------------------------------------


def test_unit_league_by_hand(county):
    frame = outcomes.league_table(county, MARCH, RULES, "unit", min_denominator=3)
    rows = {r["name"]: r for r in frame.iter_rows(named=True)}
    assert frame["name"].to_list() == ["住建局", "人社局", "自然资源局"]  # ranked by on-time rate, then the unranked
    zj, rs, zr = rows["住建局"], rows["人社局"], rows["自然资源局"]
    assert (rs["received"], zj["received"], zr["received"]) == (4, 2, 1)  # P2 F3 F4 F5; F1 F2; ACC
    assert (rs["on_time"], rs["due_in_period"], rs["on_time_rate_rank"]) == (1, 3, 2)  # P6 of P5 P6 P7
    assert (zj["on_time"], zj["due_in_period"], zj["on_time_rate_rank"]) == (2, 3, 1)  # P8 P9 of P8 P9 P10
    # 自然资源局: P11 on time, 100% of 1: under the threshold, flagged and not ranked.
    assert (zr["on_time"], zr["due_in_period"], zr["on_time_rate"]) == (1, 1, 1.0)
    assert zr["on_time_rate_rank"] is None and zr["ranked"] is False and zr["rank"] is None
    # Resolution: 人社局 F5 of F3 F5, 住建局 F1 of F1: no denominator reaches 3, nobody ranked.
    assert (rs["resolved"], rs["resolution_base"], zj["resolved"], zj["resolution_base"]) == (1, 2, 1, 1)
    assert frame["resolution_rate_rank"].is_null().all()
    assert zr["resolution_rate"] is None  # nothing in its cohort: "—", never 0%
    # Office satisfaction: 住建局 P8 P10 F1 of P8 P10 B4 F1 (3/4), 人社局 P1 P6 of P1 P6 P7 (2/3).
    assert (zj["satisfied_office"], zj["rated_office"], zj["satisfaction_rate_office_rank"]) == (3, 4, 1)
    assert (rs["satisfied_office"], rs["rated_office"], rs["satisfaction_rate_office_rank"]) == (2, 3, 2)
    # Unit satisfaction: 住建局 P8 P10 of P8 P10 B4 (ranked), 人社局 P1 of P1 P6 (2 < 3: not ranked).
    assert (zj["satisfied_unit"], zj["rated_unit"], zj["satisfaction_rate_unit_rank"]) == (2, 3, 1)
    assert (rs["satisfied_unit"], rs["rated_unit"], rs["satisfaction_rate_unit_rank"]) == (1, 2, None)
    assert (rs["overdue_open"], zj["overdue_open"], zr["overdue_open"]) == (2, 2, 1)  # P5 B3; B1 B2; B5


def test_default_threshold_ranks_nobody_here(county):
    frame = outcomes.league_table(county, MARCH, RULES, "unit")
    assert not frame["ranked"].any()
    assert frame["name"].to_list() == ["人社局", "住建局", "自然资源局"]  # display order


def test_a_threshold_of_one(county):
    frame = outcomes.league_table(county, MARCH, RULES, "unit", min_denominator=1, rank_by="resolution_rate")
    # 住建局 1/1, 人社局 1/2; 自然资源局 has no case in the cohort: no rate, no rank.
    assert frame.select("name", "rank").rows() == [("住建局", 1), ("人社局", 2), ("自然资源局", None)]
    frame = outcomes.league_table(county, MARCH, RULES, "unit", min_denominator=1)
    # On time: 自然资源局 1/1, 住建局 2/3, 人社局 1/3.
    assert frame.select("name", "rank").rows() == [("自然资源局", 1), ("住建局", 2), ("人社局", 3)]


def test_ties_share_a_rank(county):
    frame = outcomes.league_table(county, MARCH, RULES, "township", min_denominator=1,
                                  rank_by="satisfaction_rate_office")
    # Office ratings of cases concluded in March: 甲镇 P1 P6 F1 all satisfied (3/3), 乙乡 P8 (1/1),
    # 丙街道 P10 of P7 P10 B4 (1/3). Two first places, then third.
    assert frame.select("name", "satisfied_office", "rated_office", "rank").rows() == [
        ("甲镇", 3, 3, 1), ("乙乡", 1, 1, 1), ("丙街道", 1, 3, 3),
    ]


def test_leader_and_township_leagues(county):
    leaders = {r["name"]: r for r in outcomes.league_table(county, MARCH, RULES, "leader", min_denominator=1)
               .iter_rows(named=True)}
    assert set(leaders) == {"王书记", "李县长", "赵副县长"}  # cases with no owner leader are left out
    assert (leaders["李县长"]["on_time"], leaders["李县长"]["due_in_period"]) == (0, 1)  # P5
    assert (leaders["赵副县长"]["on_time"], leaders["赵副县长"]["due_in_period"]) == (1, 1)  # P8
    assert leaders["王书记"]["on_time_rate"] is None and leaders["王书记"]["overdue_open"] == 2  # B1 B2
    towns = {r["name"]: r["received"] for r in outcomes.league_table(county, MARCH, RULES, "township")
             .iter_rows(named=True)}
    assert towns == {"甲镇": 3, "乙乡": 2, "丙街道": 2}  # F1 F3 ACC; P2 F2; F4 F5
    officer = CaseFilter.for_month(2026, 3, scope=Scope(township_id=2, see_accusations=False))
    assert outcomes.league_table(county, officer, RULES, "township")["name"].to_list() == ["乙乡"]


def test_league_from_summary_equals_raw(county):
    for by in ("unit", "leader", "township"):
        assert_frame_equal(outcomes.league_table(county, MARCH, RULES, by, source="summary"),
                           outcomes.league_table(county, MARCH, RULES, by, source="raw"))


# --- 6. one case ------------------------------------------------------------------------------------------


def _steps(detail) -> list[tuple]:
    return detail["steps"].select("step", "on", "days_from_previous", "statutory_due_on", "statutory_status",
                                  "due_3_7_21_on", "status_3_7_21").rows()


def test_case_detail_without_acceptance(county):
    detail = outcomes.case_detail(county, MARCH, "P10", RULES)
    assert (detail["unit"], detail["owner_leader"], detail["township"]) == ("住建局", None, "丙街道")
    assert detail["open_at"] is False and detail["days_open"] is None
    assert _steps(detail) == [
        ("received", date(2026, 1, 1), None, None, None, None, None),
        # Decide on acceptance within 15 days: never recorded, and the case is concluded.
        ("accepted", None, None, date(2026, 1, 16), "missing", None, None),
        ("concluded", date(2026, 3, 20), None, date(2026, 3, 17), "late", None, None),
    ]
    assert not {"name", "id_number", "phone", "address"} & set(detail)


def test_case_detail_extended_and_first_time(county):
    p3 = outcomes.case_detail(county, MARCH, "P3", RULES)
    assert p3["extension_granted"] is True and p3["owner_leader"] == "王书记"
    assert p3["open_at"] is True and p3["days_open"] == 80  # 01-10 to 03-31
    assert _steps(p3)[-1] == ("concluded", date(2026, 4, 3), 81, date(2026, 4, 12), "on_time", None, None)
    f2 = outcomes.case_detail(county, MARCH, "F2", RULES)
    assert _steps(f2) == [
        ("received", date(2026, 3, 5), None, None, None, None, None),
        ("accepted", date(2026, 3, 6), 1, date(2026, 3, 20), "on_time", None, None),
        ("first_meeting", None, None, None, None, date(2026, 3, 8), "overdue"),
        ("feedback", None, None, None, None, date(2026, 3, 12), "overdue"),
        ("concluded", None, None, date(2026, 5, 5), "pending", date(2026, 3, 26), "overdue"),
    ]
    # Seen on 03-07, the meeting was still pending.
    early = outcomes.case_detail(county, MARCH, "F2", RULES, at=date(2026, 3, 7))
    assert early["steps"]["status_3_7_21"].to_list() == [None, None, "pending", "pending", "pending"]


def test_case_detail_scope(county):
    officer = CaseFilter.for_month(2026, 3, scope=Scope(township_id=2, see_accusations=False))
    assert outcomes.case_detail(county, officer, "P1", RULES) is None  # 甲镇's case
    assert outcomes.case_detail(county, officer, "P5", RULES)["township"] == "乙乡"
    hidden = CaseFilter.for_month(2026, 3, scope=Scope(see_accusations=False))
    assert outcomes.case_detail(county, hidden, "ACC", RULES) is None
    assert outcomes.case_detail(county, MARCH, "NOPE", RULES) is None


# --- on a random county -----------------------------------------------------------------------------------


@pytest.fixture
def random_county(engine):
    build_random_county(engine, n=700, seed=23)
    with engine.begin() as conn:
        bump_data_version(conn)
        refresh_summary(conn, RULES)
    return engine


def test_backlog_flows_add_up_every_month(random_county):
    for k in range(0, 30, 3):
        start = add_months(date(2023, 12, 1), k)
        flt = CaseFilter(start=start, end=add_months(start, 0, last_day=True))
        frame = outcomes.backlog_by(random_county, flt, RULES, "leader")
        assert (frame["backlog"] == frame["backlog_previous"] - frame["cleared"] + frame["joined"]).all(), start
        h = metrics.headline(random_county, flt, RULES).row(0, named=True)
        assert frame["backlog"].sum() == h["backlog"] and frame["overdue_open"].sum() == h["overdue_open"]
        previous = metrics.headline(random_county, flt.previous_period(), RULES).row(0, named=True)
        assert frame["backlog_previous"].sum() == previous["backlog"]
        bands = outcomes.backlog_age_bands(random_county, flt, RULES, by="unit")
        assert bands["backlog"].sum() == h["backlog"]


def test_stuck_partitions_the_open_cases(random_county):
    for at in (date(2024, 2, 29), date(2025, 6, 30), date(2026, 4, 30)):
        frame = outcomes.pipeline(random_county, CaseFilter(start=at.replace(day=1), end=at))
        with random_county.connect() as conn:
            n_open = conn.execute(select(func.count()).where(metrics.open_at(literal(at, Date)))).scalar()
        assert n_open > 0 and frame["stuck"].sum() == n_open, at


def test_pipeline_counts_match_the_engine_and_leagues_add_up(random_county):
    flt = CaseFilter.for_month(2025, 3)
    frame = outcomes.pipeline(random_county, flt)
    h = metrics.headline(random_county, flt, RULES).row(0, named=True)
    taken = dict(zip(frame["step"], frame["taken"], strict=True))
    assert (taken["received"], taken["concluded"]) == (h["received"], h["concluded"])
    # Give every case a township, so that the townships partition the county: the league adds up to it.
    with random_county.begin() as conn:
        conn.exec_driver_sql("UPDATE cases SET township_id = 1 WHERE township_id IS NULL")
        bump_data_version(conn)
        refresh_summary(conn, RULES)
    leagues = outcomes.league_table(random_county, flt, RULES, "township")
    h = metrics.headline(random_county, flt, RULES).row(0, named=True)
    for name in ("received", "on_time", "due_in_period", "resolved", "resolution_base", "satisfied_office",
                 "rated_office", "overdue_open"):
        assert leagues[name].sum() == h[name], name


def test_pipeline_in_sql_equals_fetched(random_county):
    """PostgreSQL computes the pipeline in SQL; the one-scan path SQLite uses must give the same frame."""
    if random_county.dialect.name != "postgresql":
        pytest.skip("percentiles in SQL need PostgreSQL")
    for flt in (CaseFilter.for_month(2024, 2), CaseFilter.for_month(2025, 11),
                CaseFilter(start=date(2024, 1, 1), end=date(2024, 12, 31), township_ids=(1, 2))):
        assert_frame_equal(outcomes.pipeline(random_county, flt, in_sql=True),
                           outcomes.pipeline(random_county, flt, in_sql=False))
