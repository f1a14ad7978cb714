"""A small county whose every figure was worked out by hand (the expected values are in tests/queries/test_metrics.py)."""

from __future__ import annotations

from datetime import date

from factories import case_row, insert_cases
from sqlalchemy import insert

from config.settings import DeadlineRules
from data.models import Category, Park, Township
from queries.filters import CaseFilter

RULES = DeadlineRules()  # statutory 15/60/+30, 3-7-21, backlog 90 days
MARCH = CaseFilter.for_month(2026, 3)
d = date


def _cases() -> list[dict]:
    return [
        # A: first-time letter, met 3-7-21 (meet 03-04 <= 03-05, feedback 03-08 <= 03-09,
        #    concluded 03-20 <= 03-23), statutory due 03-03+60 = 05-02.
        case_row("A", received_on=d(2026, 3, 2), accepted_on=d(2026, 3, 3), first_meeting_on=d(2026, 3, 4),
                 feedback_on=d(2026, 3, 8), concluded_on=d(2026, 3, 20), channel="letter", is_first_time=True,
                 outcome="resolved", satisfaction_office="satisfied", satisfaction_unit="dissatisfied",
                 township_id=1, park_id=1, category_id=1),
        # B: first-time group visit (6 people), met late (meeting 03-16 > 03-13), 21-day deadline 03-31,
        #    concluded 04-05: not concluded by March's end, so open at it.
        case_row("B", received_on=d(2026, 3, 10), accepted_on=d(2026, 3, 11), first_meeting_on=d(2026, 3, 16),
                 feedback_on=d(2026, 3, 15), concluded_on=d(2026, 4, 5), channel="visit", headcount=6,
                 is_first_time=True, outcome="resolved", township_id=1),
        # C: repeat group visit of exactly 5, never accepted (due 03-30+60 = 05-29), open.
        case_row("C", received_on=d(2026, 3, 15), channel="visit", headcount=5, is_repeat=True, township_id=2),
        # D: first-time online case, concluded 03-25 unresolved; office dissatisfied, unit basically satisfied.
        case_row("D", received_on=d(2026, 3, 20), accepted_on=d(2026, 3, 21), concluded_on=d(2026, 3, 25),
                 channel="online", is_first_time=True, outcome="unresolved", satisfaction_office="dissatisfied",
                 satisfaction_unit="basically_satisfied", township_id=2, category_id=1),
        # E: no acceptance date: due 12-01+15+60 = 2026-02-14; open: overdue and backlog at March's end.
        case_row("E", received_on=d(2025, 12, 1), township_id=1),
        # F: extension granted: due 01-05+90 = 04-05 (it would be 03-06 without); concluded 03-30, unrated.
        case_row("F", received_on=d(2025, 12, 20), accepted_on=d(2026, 1, 5), extension_granted=True,
                 concluded_on=d(2026, 3, 30), outcome="resolved", township_id=2),
        # G: phone case due 01-03+60 = 03-04, still open: late for March, and overdue open.
        case_row("G", received_on=d(2026, 1, 2), accepted_on=d(2026, 1, 3), channel="phone", township_id=2),
        # H: due 01-10+60 = 03-11, concluded 03-15: late. Office basically satisfied.
        case_row("H", received_on=d(2026, 1, 10), accepted_on=d(2026, 1, 10), concluded_on=d(2026, 3, 15),
                 outcome="resolved", satisfaction_office="basically_satisfied", township_id=1),
        # I: due 01-22+60 = 03-23, concluded 03-10: on time. Unrated.
        case_row("I", received_on=d(2026, 1, 20), accepted_on=d(2026, 1, 22), concluded_on=d(2026, 3, 10),
                 outcome="resolved", township_id=1),
        # J: accuses an official (category 2), open; due 03-05+15+60 = 05-19.
        case_row("J", received_on=d(2026, 3, 5), channel="letter", category_id=2, accuses_official=True,
                 township_id=1),
        # K: first-time, received 02-27, 21-day deadline 03-20, no meeting/feedback/conclusion: late.
        case_row("K", received_on=d(2026, 2, 27), is_first_time=True, township_id=2),
        # L: received after the period: counts nowhere in March.
        case_row("L", received_on=d(2026, 4, 2), township_id=1),
        # M: no acceptance date, due 01-01+15+60 = 03-17, concluded in February: on time in March.
        case_row("M", received_on=d(2026, 1, 1), concluded_on=d(2026, 2, 20), outcome="resolved", township_id=2),
    ]


def build_hand_county(engine):
    """Fill an empty migrated database with the hand-worked county; returns the engine."""
    with engine.begin() as conn:
        conn.execute(insert(Township), [{"id": 1, "name": "甲镇", "kind": "town"},
                                        {"id": 2, "name": "乙乡", "kind": "township"}])
        conn.execute(insert(Park), [{"id": 1, "name": "东湖工业园区", "township_id": 1}])
        conn.execute(insert(Category), [{"id": 1, "code": "labour_social_security", "name": "劳动社保",
                                          "is_accusation": False},
                                         {"id": 2, "code": "discipline_inspection", "name": "纪检监察",
                                          "is_accusation": True}])
    insert_cases(engine, _cases())
    return engine
