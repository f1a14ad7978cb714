"""The reception plan, each leader's record and the visit suggestions, against tests/reception_county.py.

Every expected value is worked out by hand from the tables in that module's
docstring; the comment beside each says how.
"""

from __future__ import annotations

from datetime import time

import polars as pl
import pytest
from reception_county import (
    DEPUTY,
    HEAD,
    MARCH,
    PARK,
    RULES,
    SECRETARY,
    T1,
    T2,
    build_reception_county,
    d,
)

from data.receptions import schedule_visit
from queries import receptions
from queries.filters import CaseFilter, Scope

TOWNSHIP1 = Scope(township_id=T1, see_accusations=False)
TOWNSHIP2 = Scope(township_id=T2, see_accusations=False)


@pytest.fixture
def county(engine):
    return build_reception_county(engine)


def _rows(plan: pl.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(r) for r in plan.select(columns).iter_rows()]


# --- the plan -----------------------------------------------------------------------------


def test_march_plan_merges_rules_and_stored_sessions(county):
    plan = receptions.plan_sessions(county, d(2026, 3, 1), d(2026, 3, 31))
    assert _rows(plan, "date", "leader_id", "kind", "status", "session_id") == [
        (d(2026, 3, 10), HEAD, "visit", "held", 3),  # session 3, no rule
        # 15 March is a Sunday: both 15th-of-month sessions on Monday 16th, the secretary's held (session 1).
        (d(2026, 3, 16), SECRETARY, "monthly", "held", 1),
        (d(2026, 3, 16), HEAD, "monthly", "planned", None),  # the rule's, nothing stored
        # 28 March is a Saturday: the rotation's session on Monday 30th, held (session 2).
        (d(2026, 3, 30), DEPUTY, "township_point", "held", 2),
    ]
    head = plan.row(2, named=True)
    assert head["place"] == "县群众来访接待中心" and head["township_id"] is None  # the centre is in no township
    assert head["rule_date"] == d(2026, 3, 15)
    assert (head["start_time"], head["end_time"]) == (time(8, 30), time(11, 30))
    # A stored session without hours keeps its rule's.
    assert plan.row(1, named=True)["start_time"] == time(8, 30)
    assert plan["weekday"].to_list() == [2, 1, 1, 1]
    assert plan["provisional"].to_list() == [False] * 4
    assert plan.row(0, named=True)["township_id"] == T1  # session 3 lies in 甲镇 through its park
    assert plan.row(0, named=True)["linked_places"] == "东湖工业园区"
    assert plan.schema == receptions.PLAN_SCHEMA


def test_rotation_uses_make_up_sunday_and_moves_out_of_the_spring_festival_break(county):
    # Leader 3 on the 28th: January 2025 is month 0 of the rotation (甲镇), 28 January opens the
    # 2025 Spring Festival break (to 4 February): the session moves to Wednesday 5 February.
    # February (month 1, 乙乡): Friday the 28th. September (month 8, 甲镇): Sunday 28 September 2025
    # is a make-up working day, so the rotation uses it. October (month 9, 乙乡): Tuesday the 28th.
    plan = receptions.plan_sessions(county, d(2025, 1, 1), d(2025, 10, 31)).filter(
        pl.col("leader_id") == DEPUTY, pl.col("kind") == "township_point")
    got = {r["rule_date"]: (r["date"], r["place"]) for r in plan.iter_rows(named=True)}
    assert got[d(2025, 1, 28)] == (d(2025, 2, 5), "甲镇群众接访点")
    assert got[d(2025, 2, 28)] == (d(2025, 2, 28), "乙乡群众接访点")
    assert got[d(2025, 9, 28)] == (d(2025, 9, 28), "甲镇群众接访点")
    assert got[d(2025, 10, 28)] == (d(2025, 10, 28), "乙乡群众接访点")
    assert len(got) == 10  # one a month, January to October


def test_monthly_rule_in_the_national_day_month_and_on_a_saturday(county):
    plan = receptions.plan_sessions(county, d(2025, 3, 1), d(2025, 11, 30)).filter(pl.col("leader_id") == SECRETARY)
    days = dict(zip(plan["rule_date"], plan["date"], strict=True))
    assert days[d(2025, 3, 15)] == d(2025, 3, 17)  # Saturday -> Monday
    assert days[d(2025, 11, 15)] == d(2025, 11, 17)  # Saturday -> Monday
    assert days[d(2025, 10, 15)] == d(2025, 10, 15)  # Wednesday, a week after the National Day break


def test_shifted_day_is_planned_in_the_month_it_lands_in(county):
    # 28 January 2025 moves to 5 February: a January-only plan does not hold it, a February one does.
    january = receptions.plan_sessions(county, d(2025, 1, 1), d(2025, 1, 31))
    february = receptions.plan_sessions(county, d(2025, 2, 1), d(2025, 2, 28))
    assert DEPUTY not in january["leader_id"].to_list()
    assert (d(2025, 2, 5), d(2025, 1, 28)) in _rows(february.filter(pl.col("leader_id") == DEPUTY), "date",
                                                    "rule_date")


def test_hand_adjustments_win_and_cancelled_sessions_are_left_out(county):
    april = receptions.plan_sessions(county, d(2026, 4, 1), d(2026, 4, 30))
    assert _rows(april, "date", "leader_id", "status", "reason") == [
        # 15 April 2026 is a Wednesday: the secretary's is cancelled, the head's moved to the 20th.
        (d(2026, 4, 20), HEAD, "moved", "与省督导组座谈冲突"),
        (d(2026, 4, 28), DEPUTY, "planned", None),  # month 15 of the rotation: 乙乡, Tuesday the 28th
    ]
    with_cancelled = receptions.plan_sessions(county, d(2026, 4, 1), d(2026, 4, 30), include_cancelled=True)
    cancelled = with_cancelled.filter(pl.col("status") == "cancelled").row(0, named=True)
    assert (cancelled["date"], cancelled["leader_id"], cancelled["reason"]) == (
        d(2026, 4, 15), SECRETARY, "出席全市信访工作会议")
    # A session moved out of the period still takes its rule's place: no 15 April for the head.
    mid = receptions.plan_sessions(county, d(2026, 4, 1), d(2026, 4, 16))
    assert HEAD not in mid["leader_id"].to_list()


def test_unannounced_year_is_provisional_weekends_alone(county):
    plan = receptions.plan_sessions(county, d(2027, 5, 1), d(2027, 5, 31))
    # Saturday 15 May 2027 -> Monday 17th; Friday 28 May stays; all provisional (no 2027 notice).
    assert _rows(plan, "date", "leader_id", "provisional") == [
        (d(2027, 5, 17), SECRETARY, True), (d(2027, 5, 17), HEAD, True), (d(2027, 5, 28), DEPUTY, True),
    ]
    # A stored planned session in 2027 is provisional by the calendar as well.
    with county.begin() as conn:
        schedule_visit(conn, leader_id=DEPUTY, on=d(2027, 5, 20), level="township", area_id=T2)
    visit = receptions.plan_sessions(county, d(2027, 5, 20), d(2027, 5, 20)).row(0, named=True)
    assert (visit["kind"], visit["status"], visit["provisional"], visit["place"]) == ("visit", "planned", True, "乙乡")


def test_township_officer_sees_sessions_in_their_township_only(county):
    mine = receptions.plan_sessions(county, d(2026, 3, 1), d(2026, 4, 30), TOWNSHIP1)
    # 甲镇: the park visit (3/10) and the 甲镇 point (3/30); the county centre is in no township.
    assert _rows(mine, "date", "leader_id", "township_id") == [
        (d(2026, 3, 10), HEAD, T1), (d(2026, 3, 30), DEPUTY, T1)]
    theirs = receptions.plan_sessions(county, d(2026, 2, 1), d(2026, 4, 30), TOWNSHIP2)
    # 乙乡: the follow-up (2/10), the rotation's February (month 13) on Saturday 28 February 2026 — a
    # make-up working day of the 2026 Spring Festival, so it stays — and its April (month 15) on the 28th.
    assert _rows(theirs, "date", "leader_id", "kind") == [
        (d(2026, 2, 10), DEPUTY, "follow_up"), (d(2026, 2, 28), DEPUTY, "township_point"),
        (d(2026, 4, 28), DEPUTY, "township_point")]


def test_rules_frame(county):
    rules = receptions.reception_rules(county)
    assert rules["kind"].to_list() == ["monthly", "monthly", "rotation"]
    deputy = rules.row(2, named=True)
    assert deputy["points"] == ["甲镇群众接访点", "乙乡群众接访点"] and deputy["day_of_month"] == 28
    assert rules.row(0, named=True)["place"] == "县群众来访接待中心"


# --- each leader's record -------------------------------------------------------------------


def _records(engine, flt=MARCH) -> dict[int, dict]:
    return {r["leader_id"]: r for r in receptions.leader_records(engine, flt, RULES).iter_rows(named=True)}


def test_leader_sessions_in_march(county):
    r = _records(county)
    # Secretary: session 1 (6 people, 2 cases). Head: session 3 held and the rule's 16 March
    # still planned. Deputy: session 2 (3 people, 1 case).
    assert [(r[k]["sessions_planned"], r[k]["sessions_held"], r[k]["sessions_cancelled"],
             r[k]["petitioners_received"], r[k]["cases_taken"]) for k in (SECRETARY, HEAD, DEPUTY)] == [
        (1, 1, 0, 6, 2), (2, 1, 0, 4, 1), (1, 1, 0, 3, 1)]
    april = _records(county, CaseFilter.for_month(2026, 4))
    # April: the secretary's 15th cancelled; the head's moved to the 20th; the deputy's 28th planned.
    assert (april[SECRETARY]["sessions_planned"], april[SECRETARY]["sessions_cancelled"]) == (1, 1)
    assert (april[HEAD]["sessions_planned"], april[HEAD]["sessions_held"]) == (1, 0)


def test_owned_cases_of_the_secretary(county):
    s = _records(county)[SECRETARY]
    # Owns R1 R2 B1 B2 B4 X1. Received in March: R1 R2 X1. Concluded in March: R1 B2.
    assert (s["owned_received"], s["owned_concluded"]) == (3, 2)
    # 化解率: received in March and concluded by its end: R1, resolved.
    assert (s["owned_resolved"], s["owned_resolution_base"], s["owned_resolution_rate"]) == (1, 1, 1.0)
    # Open at 31 March: R2 B1 B4 X1; overdue: B1 (due 12-15) and B4 (due 10-15); backlog: B1, B4.
    assert (s["owned_open"], s["owned_overdue_open"], s["owned_backlog"]) == (4, 2, 2)
    # Office ratings of those concluded in March: R1 satisfied, B2 basically satisfied; unit: R1.
    assert (s["owned_satisfied_office"], s["owned_rated_office"], s["owned_satisfaction_rate_office"]) == (2, 2, 1.0)
    assert s["owned_satisfaction_rate_unit"] == 1.0
    # Taken at session 1: R1 and R2.
    assert (s["taken_received"], s["taken_concluded"], s["taken_resolution_rate"], s["taken_open"]) == (2, 1, 1.0, 1)


def test_owned_and_taken_cases_of_the_others(county):
    r = _records(county)
    head, deputy = r[HEAD], r[DEPUTY]
    # Head: R4, received and concluded in March, unresolved; office dissatisfied, unit basically satisfied.
    assert (head["owned_received"], head["owned_resolution_rate"], head["owned_satisfaction_rate_office"],
            head["owned_satisfaction_rate_unit"]) == (1, 0.0, 0.0, 1.0)
    assert (head["taken_received"], head["taken_resolution_rate"]) == (1, 0.0)
    # Deputy: R3 (received 3/30, open) and B3 (open, due 2026-02-14: overdue, backlog); nothing concluded.
    assert (deputy["owned_received"], deputy["owned_open"], deputy["owned_overdue_open"],
            deputy["owned_backlog"]) == (1, 2, 1, 1)
    assert deputy["owned_resolution_rate"] is None and deputy["owned_satisfaction_rate_office"] is None
    assert (deputy["taken_received"], deputy["taken_open"]) == (1, 1)


def test_county_comparison_is_the_metrics_engines(county):
    s = _records(county)[SECRETARY]
    # County in March: received-and-concluded R1 (res) R4 N1 (res) N2 -> 2/4; office ratings R1 R4 B2 N1 N2
    # of which R1 B2 N1 satisfied -> 3/5; unit ratings R1 R4 both satisfied -> 2/2.
    assert (s["county_resolution_rate"], s["county_satisfaction_rate_office"],
            s["county_satisfaction_rate_unit"]) == (0.5, pytest.approx(0.6), 1.0)


def test_leader_records_in_a_township_officers_scope(county):
    flt = CaseFilter.for_month(2026, 3, scope=TOWNSHIP1)
    r = _records(county, flt)
    s = r[SECRETARY]
    # 甲镇 only: the secretary's session 1 is at the county centre (no township) -> no sessions;
    # of his cases only R1 and B2 lie in 甲镇 (R2 B1 B4 X1 are in 乙乡).
    assert (s["sessions_planned"], s["petitioners_received"], s["cases_taken"]) == (0, 0, 0)
    assert (s["owned_received"], s["owned_concluded"], s["owned_open"], s["owned_backlog"]) == (1, 2, 0, 0)
    assert s["taken_received"] == 1  # R1, taken at the centre, lives in 甲镇
    assert (r[HEAD]["sessions_held"], r[DEPUTY]["sessions_held"]) == (1, 1)
    # 甲镇's own rates: R1 (res) R4 N2 -> 1/3; office R1 R4 B2 N2, satisfied R1 B2 -> 2/4.
    assert s["county_resolution_rate"] == pytest.approx(1 / 3)
    assert s["county_satisfaction_rate_office"] == pytest.approx(0.5)
    # Complaints about officials stay hidden: X1 (乙乡, the secretary's) disappears for 乙乡's officer.
    theirs = _records(county, CaseFilter.for_month(2026, 3, scope=TOWNSHIP2))[SECRETARY]
    assert theirs["owned_received"] == 1  # R2 only (X1 hidden)


def test_leader_backlog_oldest_first_without_personal_data(county):
    backlog = receptions.leader_backlog(county, MARCH, SECRETARY, RULES)
    # B4 (2025-08-01, 242 days to 31 March) before B1 (2025-10-01, 181 days).
    assert _rows(backlog, "case_number", "received_on", "days_open", "township", "unit") == [
        ("B4", d(2025, 8, 1), 242, "乙乡", None), ("B1", d(2025, 10, 1), 181, "乙乡", "县人社局")]
    assert backlog.columns == ["case_number", "received_on", "days_open", "township", "park", "unit"]
    assert _rows(receptions.leader_backlog(county, MARCH, DEPUTY, RULES), "case_number", "days_open") == [
        ("B3", 106)]
    assert receptions.leader_backlog(county, CaseFilter.for_month(2026, 3, scope=TOWNSHIP1), SECRETARY,
                                     RULES).height == 0


# --- where to go next -----------------------------------------------------------------------


def test_visit_suggestions_rank_hot_spots_against_the_last_visit(county):
    s = receptions.visit_suggestions(county, MARCH)
    assert s.schema == receptions.SUGGESTION_SCHEMA
    rows = {(r["level"], r["id"]): r for r in s.iter_rows(named=True)}
    assert [(r["level"], r["id"]) for r in s.iter_rows(named=True)] == [("township", T1), ("township", T2),
                                                                         ("park", PARK)]
    t1, t2, park = rows[("township", T1)], rows[("township", T2)], rows[("park", PARK)]
    # Received January-March 2026: 甲镇 R1 R3 R4 N2 = 4; 乙乡 R2 X1 N1 = 3; the park R4 = 1.
    assert [(x["received"], x["rank"]) for x in (t1, t2, park)] == [(4, 1), (3, 2), (1, 1)]
    # 甲镇: the deputy at its point on 3/30 (the park visit on 3/10 is older). Not due.
    assert (t1["last_visited_on"], t1["last_visit_leader"], t1["days_since_visit"], t1["due"]) == (
        d(2026, 3, 30), "李副县长", 1, False)
    # 乙乡: the 2/10 follow-up does not count (回访 receives nobody); the 2025-10-20 visit is
    # 162 days before 31 March, more than 60: due.
    assert (t2["last_visited_on"], t2["days_since_visit"], t2["due"]) == (d(2025, 10, 20), 162, True)
    assert (park["last_visited_on"], park["days_since_visit"], park["due"]) == (d(2026, 3, 10), 21, False)
    # Next on the plan within 60 days: the rotation's 28 April at 乙乡 and 28 May at 甲镇; nothing at the park.
    assert (t1["next_planned_on"], t2["next_planned_on"], park["next_planned_on"]) == (
        d(2026, 5, 28), d(2026, 4, 28), None)
    assert (t2["linked_leader_id"], t2["linked_leaders"]) == (SECRETARY, "陈书记")


def test_a_hot_spot_nobody_visited_is_due_and_a_planned_visit_shows(county):
    with county.begin() as conn:
        session_id = schedule_visit(conn, leader_id=SECRETARY, on=d(2026, 4, 8), level="township", area_id=T2)
    s = receptions.visit_suggestions(county, MARCH)
    t2 = s.filter((pl.col("level") == "township") & (pl.col("id") == T2)).row(0, named=True)
    assert t2["next_planned_on"] == d(2026, 4, 8)
    visit = receptions.plan_sessions(county, d(2026, 4, 8), d(2026, 4, 8)).row(0, named=True)
    assert (visit["session_id"], visit["kind"], visit["township_id"], visit["status"]) == (
        session_id, "visit", T2, "planned")


def test_suggestions_in_a_township_officers_scope(county):
    flt = CaseFilter.for_month(2026, 3, scope=TOWNSHIP2)
    s = receptions.visit_suggestions(county, flt)
    # 乙乡 only (no park lies in it); X1 accuses an official and is hidden: R2 N1.
    assert _rows(s, "level", "id", "received", "due") == [("township", T2, 2, True)]


def test_suggestion_rule_is_one_sentence_in_both_languages():
    for lang in ("zh", "en"):
        text = receptions.visit_rule_text(lang, months=3, quiet_days=60)
        assert "3" in text and "60" in text and "{" not in text
    assert receptions.visit_rule_text("zh").count("。") <= 1
    assert receptions.visit_rule_text("en").count(". ") == 0


def test_a_case_with_dates_out_of_order_still_counts(county):
    # Concluded (by a typing slip) before it was received: received in March, concluded in February.
    # The record reads only the cases received or concluded in the period or open at its end, and
    # this one is received in it: it must count as received, as the metrics engine counts it.
    from factories import case_row, insert_cases

    insert_cases(county, [case_row("S1", received_on=d(2026, 3, 10), concluded_on=d(2026, 2, 20),
                                   outcome="resolved", township_id=T1, owner_leader_id=DEPUTY)])
    deputy = _records(county)[DEPUTY]
    assert deputy["owned_received"] == 2  # R3 and S1
    assert deputy["owned_concluded"] == 0  # S1 was concluded in February
    assert deputy["owned_open"] == 2  # R3, B3: S1 is concluded


def test_the_record_reads_a_leaders_cases_from_their_index(county):
    # Migration 0006: without it every filter change scanned every case (1.5 s at a million).
    if county.dialect.name != "sqlite":
        pytest.skip("the plan is read with SQLite's EXPLAIN QUERY PLAN")
    statements = []
    from sqlalchemy import event

    @event.listens_for(county, "before_cursor_execute")
    def _keep(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    receptions.leader_records(county, MARCH, RULES)
    receptions.leader_backlog(county, MARCH, SECRETARY, RULES)
    event.remove(county, "before_cursor_execute", _keep)
    plans = []
    with county.connect() as conn:
        for statement, parameters in statements:
            if "owner_leader_id" in statement or "reception_session_id" in statement:
                rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
                plans.append(" / ".join(row[-1] for row in rows))
    assert any("ix_cases_owner_leader" in p for p in plans), plans
    assert any("ix_cases_reception_session" in p for p in plans), plans
    assert not [p for p in plans if "SCAN cases" in p], plans
