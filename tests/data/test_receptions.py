"""The schedule's writers against tests/reception_county.py: rules, moves, cancellations, held sessions, visits."""

from __future__ import annotations

from datetime import time

import polars as pl
import pytest
from reception_county import DEPUTY, HEAD, SECRETARY, T1, T2, build_reception_county, d
from sqlalchemy import func, select

from data.models import Case, ReceptionRule, ReceptionRulePoint, ReceptionSession
from data.receptions import (
    ScheduleError,
    UnknownCaseNumbers,
    cancel_session,
    move_session,
    public_kind,
    record_held_session,
    schedule_visit,
    set_rule,
)
from queries.receptions import plan_sessions


@pytest.fixture
def county(engine):
    return build_reception_county(engine)


def _session_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(ReceptionSession)).scalar_one()


def _plan_row(engine, day, leader_id) -> dict:
    plan = plan_sessions(engine, day, day).filter(pl.col("leader_id") == leader_id)
    assert plan.height == 1, plan
    return plan.row(0, named=True)


# --- rules ---------------------------------------------------------------------------


def test_set_rule_replaces_a_leaders_rule_and_its_stops(county):
    with county.begin() as conn:
        rule_id = set_rule(conn, DEPUTY, "rotation", day_of_month=10, point_ids=(3,), shift="keep")
        stops = conn.execute(select(ReceptionRulePoint.reception_point_id)
                             .where(ReceptionRulePoint.rule_id == rule_id)).scalars().all()
        assert stops == [3]
        assert conn.execute(select(func.count()).select_from(ReceptionRule)).scalar_one() == 3  # still one each
    # No start day: the rotation counts from January 2000, and one stop is every month's.
    assert _plan_row(county, d(2026, 5, 10), DEPUTY)["place"] == "乙乡群众接访点"  # a Sunday, kept
    with county.begin() as conn:
        set_rule(conn, DEPUTY, "none")
    assert plan_sessions(county, d(2026, 5, 1), d(2026, 5, 31)).filter(pl.col("leader_id") == DEPUTY).height == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "weekly", "day_of_month": 3}, "rule kind must be one of"),
        ({"kind": "monthly", "day_of_month": 15}, "needs its reception point"),
        ({"kind": "monthly", "day_of_month": 32, "reception_point_id": 1}, "day of month from 1 to 31"),
        ({"kind": "rotation", "day_of_month": 5}, "at least one reception point"),
        ({"kind": "rotation", "day_of_month": 5, "point_ids": (2, 99)}, "unknown reception points: 99"),
        ({"kind": "monthly", "day_of_month": 15, "reception_point_id": 1, "shift": "nearest"}, "shift must be"),
        ({"kind": "monthly", "day_of_month": 15, "reception_point_id": 1, "starts_on": d(2026, 5, 1),
          "ends_on": d(2026, 4, 1)}, "ends"),
    ],
)
def test_set_rule_refuses_a_bad_rule(county, kwargs, message):
    kwargs = dict(kwargs)  # the parameter is shared by both databases
    kind = kwargs.pop("kind")
    with county.begin() as conn, pytest.raises(ScheduleError, match=message):
        set_rule(conn, SECRETARY, kind, **kwargs)


# --- moving and cancelling --------------------------------------------------------------


def test_move_a_rule_occurrence_keeps_the_reason_and_replaces_it(county):
    planned = _plan_row(county, d(2026, 5, 28), DEPUTY)  # the rotation's 28 May (甲镇)
    assert planned["session_id"] is None
    with county.begin() as conn:
        session_id = move_session(conn, planned, d(2026, 5, 29), "乡镇换届选举")
    may = plan_sessions(county, d(2026, 5, 1), d(2026, 5, 31)).filter(pl.col("leader_id") == DEPUTY)
    assert [(r["date"], r["status"], r["reason"], r["session_id"], r["rule_date"], r["place"])
            for r in may.iter_rows(named=True)] == [
        (d(2026, 5, 29), "moved", "乡镇换届选举", session_id, d(2026, 5, 28), "甲镇群众接访点")]
    # Moving it again updates the same row.
    with county.begin() as conn:
        assert move_session(conn, may.row(0, named=True), d(2026, 5, 27), "再次调整") == session_id


def test_cancel_needs_a_reason_and_a_held_session_cannot_change(county):
    planned = _plan_row(county, d(2026, 5, 15), HEAD)
    with county.begin() as conn, pytest.raises(ScheduleError, match="reason"):
        cancel_session(conn, planned, "  ")
    with county.begin() as conn:
        cancel_session(conn, planned, "上级会议")
    assert HEAD not in plan_sessions(county, d(2026, 5, 15), d(2026, 5, 15))["leader_id"].to_list()
    held = _plan_row(county, d(2026, 3, 16), SECRETARY)
    with county.begin() as conn, pytest.raises(ScheduleError, match="held session is a record"):
        move_session(conn, held, d(2026, 3, 17), "补登")


# --- recording a held session -------------------------------------------------------------


def test_unknown_case_numbers_are_refused_by_name_and_nothing_is_written(county):
    before = _session_count(county)
    with county.begin() as conn, pytest.raises(UnknownCaseNumbers) as raised:
        record_held_session(conn, held_on=d(2026, 3, 16), leader_id=HEAD, kind="monthly", place="县群众来访接待中心",
                            petitioners_received=3, case_numbers=["N1", "SF2026-999", "NOPE"],
                            rule_date=d(2026, 3, 15))
    assert raised.value.numbers == ("SF2026-999", "NOPE")
    assert "SF2026-999, NOPE" in str(raised.value)
    assert _session_count(county) == before


def test_recording_the_planned_occurrence_turns_it_into_the_held_session(county):
    with county.begin() as conn:
        session_id = record_held_session(
            conn, held_on=d(2026, 3, 16), leader_id=HEAD, kind="monthly", place="县群众来访接待中心",
            petitioners_received=5, case_numbers=["N1", " N2 ", "N1"], rule_date=d(2026, 3, 15),
            reception_point_id=1, start_time=time(8, 30), end_time=time(12, 0))
    row = _plan_row(county, d(2026, 3, 16), HEAD)
    assert (row["session_id"], row["status"], row["petitioners_received"], row["cases_taken"], row["end_time"]) == (
        session_id, "held", 5, 2, time(12, 0))
    with county.connect() as conn:
        linked = conn.execute(select(Case.case_number).where(Case.reception_session_id == session_id)
                              .order_by(Case.case_number)).scalars().all()
    assert linked == ["N1", "N2"]
    # Recording it again corrects it: N2 is no longer taken there.
    with county.begin() as conn:
        again = record_held_session(
            conn, held_on=d(2026, 3, 16), leader_id=HEAD, kind="monthly", place="县群众来访接待中心",
            petitioners_received=4, case_numbers=["N1"], rule_date=d(2026, 3, 15))
    assert again == session_id
    with county.connect() as conn:
        assert conn.execute(select(Case.reception_session_id).where(Case.case_number == "N2")).scalar() is None
    assert _plan_row(county, d(2026, 3, 16), HEAD)["cases_taken"] == 1


def test_a_moved_session_is_held_where_it_was_moved(county):
    # The head's April session was moved to the 20th (session 6): recording it there updates that row.
    with county.begin() as conn:
        session_id = record_held_session(conn, held_on=d(2026, 4, 20), leader_id=HEAD, kind="monthly",
                                         place="县群众来访接待中心", petitioners_received=2,
                                         rule_date=d(2026, 4, 15))
    assert session_id == 6
    row = _plan_row(county, d(2026, 4, 20), HEAD)
    assert (row["status"], row["reason"]) == ("held", "与省督导组座谈冲突")


def test_a_visit_recorded_after_the_fact(county):
    with county.begin() as conn:
        session_id = record_held_session(conn, held_on=d(2026, 3, 20), leader_id=DEPUTY, kind="visit",
                                         place="乙乡", township_id=T2, petitioners_received=7)
    row = _plan_row(county, d(2026, 3, 20), DEPUTY)
    assert (row["session_id"], row["kind"], row["township_id"], row["cases_taken"]) == (session_id, "visit", T2, 0)
    with county.connect() as conn:
        assert conn.execute(select(ReceptionSession.kind).where(ReceptionSession.id == session_id)).scalar() == \
            "outreach"  # stored in migration 0001's spelling


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"case_numbers": ["R1"]}, "already taken at another session"),  # R1 was taken at session 1
        ({"kind": "reception"}, "kind must be one of"),
        ({"petitioners_received": -1}, "whole number"),
        ({"place": " "}, "needs its place"),
        ({"leader_id": 99}, "no leader"),
    ],
)
def test_record_refuses(county, kwargs, message):
    values = {"held_on": d(2026, 3, 20), "leader_id": DEPUTY, "kind": "visit", "place": "乙乡",
              "petitioners_received": 1, **kwargs}
    with county.begin() as conn, pytest.raises(ScheduleError, match=message):
        record_held_session(conn, **values)


# --- visits from a suggestion --------------------------------------------------------------


def test_schedule_visit_to_a_park_lies_in_its_township(county):
    with county.begin() as conn:
        schedule_visit(conn, leader_id=HEAD, on=d(2026, 4, 9), level="park", area_id=1, start_time=time(9))
    row = _plan_row(county, d(2026, 4, 9), HEAD)
    assert (row["place"], row["park_id"], row["township_id"], row["status"], row["start_time"]) == (
        "东湖工业园区", 1, T1, "planned", time(9))
    with county.begin() as conn, pytest.raises(ScheduleError, match="no township with id 9"):
        schedule_visit(conn, leader_id=HEAD, on=d(2026, 4, 9), level="township", area_id=9)


def test_public_kind_names():
    assert [public_kind(k) for k in ("monthly_15th", "township_point", "outreach", "appointment", "follow_up")] == [
        "monthly", "township_point", "visit", "appointment", "follow_up"]
