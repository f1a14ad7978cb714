"""A small county for the outcome measures (办理成效), every figure worked out by hand.

Period under test: March 2026, judged at its last day, 03-31 (the previous
period ends 02-28). Default rules: statutory 15 / 60 / +30, 3-7-21, backlog
90 days, so at 03-31 a backlog case was received on or before 2025-12-30, and
at 02-28 on or before 2025-11-29. Age bands at 03-31 (days since receipt):
band 0 91-180 (received 2025-10-02 .. 2025-12-30), band 1 181-365, band 2
over 365 (received on or before 2025-03-30).

The expected figures are in tests/queries/test_outcomes.py; the comment on
each case gives the dates that matter and where the case counts.

Units: 1 人社局 (many cases), 2 住建局, 3 自然资源局 (one case due in March:
flagged, not ranked). Owner leaders (包案领导): 1 王书记 (backlog in two age
bands), 2 李县长, 3 赵副县长. Townships: 1 甲镇, 2 乙乡, 3 丙街道.
"""

from __future__ import annotations

from datetime import date

from factories import case_row, insert_cases
from sqlalchemy import insert

from config.settings import DeadlineRules
from data.models import Category, Leader, Park, Township, Unit
from queries.filters import CaseFilter

RULES = DeadlineRules()
MARCH = CaseFilter.for_month(2026, 3)
AT = date(2026, 3, 31)
d = date


def _cases() -> list[dict]:
    return [
        # P1 first-time letter crossing February's end: received 02-26, accepted 02-27; in March: meeting 03-01
        #    (2 days after acceptance), feedback 03-04 (3 after the meeting), concluded 03-18 (14 after feedback).
        #    21-day date 03-19 in March, met (03-01 <= 03-01, 03-04 <= 03-05, 03-18 <= 03-19).
        #    Statutory due 02-27+60 = 04-28. Office and unit satisfied.
        case_row("P1", received_on=d(2026, 2, 26), accepted_on=d(2026, 2, 27), first_meeting_on=d(2026, 3, 1),
                 feedback_on=d(2026, 3, 4), concluded_on=d(2026, 3, 18), is_first_time=True, channel="letter",
                 outcome="resolved", resolution_level="village", satisfaction_office="satisfied",
                 satisfaction_unit="satisfied", unit_id=1, township_id=1),
        # P2 first-time visit received 03-30, met 03-31, accepted only 04-02 (crossing into April): the
        #    meeting is 2 days *before* acceptance (-2). At 03-31 open and not accepted: stuck at acceptance.
        #    3-7-21: meeting done, feedback due 03-30+7 = 04-06: due soon, 6 days left.
        case_row("P2", received_on=d(2026, 3, 30), accepted_on=d(2026, 4, 2), first_meeting_on=d(2026, 3, 31),
                 is_first_time=True, channel="visit", unit_id=1, township_id=2),
        # P3 extended, concluded 04-03 (crossing into April): due 01-12+60+30 = 04-12 (it would be 03-13
        #    without the extension), so not due in March and not due within 7 days of 03-31 (12 left).
        #    Open at 03-31, accepted: stuck at conclusion. Owner leader 王书记, not backlog (received 2026).
        case_row("P3", received_on=d(2026, 1, 10), accepted_on=d(2026, 1, 12), extension_granted=True,
                 concluded_on=d(2026, 4, 3), outcome="resolved", unit_id=1, township_id=1, owner_leader_id=1),
        # P4 no acceptance date: due 01-20+15+60 = 04-05, 5 days left at 03-31 (statutory due soon).
        #    Stuck at acceptance. Owner 李县长.
        case_row("P4", received_on=d(2026, 1, 20), channel="online", unit_id=1, township_id=1, owner_leader_id=2),
        # P5 due 01-06+60 = 03-07, still open: late in March, overdue 24 days at 03-31. Owner 李县长.
        case_row("P5", received_on=d(2026, 1, 5), accepted_on=d(2026, 1, 6), unit_id=1, township_id=2,
                 owner_leader_id=2),
        # P6 due 01-16+60 = 03-17, concluded 03-10 (53 days after acceptance): on time. Office basically
        #    satisfied, unit dissatisfied. Resolved at township level (but not in March's resolution cohort).
        case_row("P6", received_on=d(2026, 1, 15), accepted_on=d(2026, 1, 16), concluded_on=d(2026, 3, 10),
                 outcome="resolved", resolution_level="township", satisfaction_office="basically_satisfied",
                 satisfaction_unit="dissatisfied", unit_id=1, township_id=1),
        # P7 due 01-26+60 = 03-27, concluded on the month's last day 03-31 (64 days after acceptance): late;
        #    not open at 03-31. Office dissatisfied.
        case_row("P7", received_on=d(2026, 1, 25), accepted_on=d(2026, 1, 26), concluded_on=d(2026, 3, 31),
                 outcome="unresolved", satisfaction_office="dissatisfied", unit_id=1, township_id=3),
        # P8 due 01-03+60 = 03-04, concluded 03-02 (58 days): on time. Satisfied twice. Owner 赵副县长.
        case_row("P8", received_on=d(2026, 1, 2), accepted_on=d(2026, 1, 3), concluded_on=d(2026, 3, 2),
                 outcome="resolved", resolution_level="county", satisfaction_office="satisfied",
                 satisfaction_unit="satisfied", unit_id=2, township_id=2, owner_leader_id=3),
        # P9 due 01-08+60 = 03-09, concluded 03-05 (56 days): on time. Unrated.
        case_row("P9", received_on=d(2026, 1, 8), accepted_on=d(2026, 1, 8), concluded_on=d(2026, 3, 5),
                 outcome="resolved", unit_id=2, township_id=2),
        # P10 no acceptance date: due 01-01+75 = 03-17, concluded 03-20: late; no days from acceptance.
        #    Office satisfied, unit basically satisfied.
        case_row("P10", received_on=d(2026, 1, 1), concluded_on=d(2026, 3, 20), outcome="resolved",
                 satisfaction_office="satisfied", satisfaction_unit="basically_satisfied", unit_id=2, township_id=3),
        # P11 the 自然资源局's only case due in March: due 01-13+60 = 03-14, concluded 03-12 (58 days): on time.
        case_row("P11", received_on=d(2026, 1, 12), accepted_on=d(2026, 1, 13), concluded_on=d(2026, 3, 12),
                 outcome="resolved", unit_id=3, township_id=3),
        # B1 backlog, band 0 (136 days at 03-31), backlog at 02-28 too; due 2025-11-16+60 = 2026-01-15:
        #    overdue 75 days. Owner 王书记.
        case_row("B1", received_on=d(2025, 11, 15), accepted_on=d(2025, 11, 16), unit_id=2, township_id=1,
                 owner_leader_id=1),
        # B2 backlog, band 2 (395 days), extended: due 2025-03-03+90 = 2025-06-01, overdue 303 days. Owner 王书记.
        case_row("B2", received_on=d(2025, 3, 1), accepted_on=d(2025, 3, 3), extension_granted=True, unit_id=2,
                 township_id=1, owner_leader_id=1),
        # B3 joined the backlog in March: received 2025-12-20, not backlog at 02-28 (70 days), backlog at 03-31
        #    (101 days, band 0). Due 12-22+60 = 2026-02-20: overdue 39 days. Owner 李县长.
        case_row("B3", received_on=d(2025, 12, 20), accepted_on=d(2025, 12, 22), unit_id=1, township_id=2,
                 owner_leader_id=2),
        # B4 cleared in March: backlog at 02-28 (received 2025-10-01), concluded 03-25, 174 days after
        #    acceptance 2025-10-02. Dissatisfied twice. Owner 王书记.
        case_row("B4", received_on=d(2025, 10, 1), accepted_on=d(2025, 10, 2), concluded_on=d(2026, 3, 25),
                 outcome="resolved", resolution_level="township", satisfaction_office="dissatisfied",
                 satisfaction_unit="dissatisfied", unit_id=2, township_id=3, owner_leader_id=1),
        # B5 backlog with no owner leader, band 1 (294 days), no acceptance date: due 2025-06-10+75 =
        #    2025-08-24, overdue 219 days; stuck at acceptance.
        case_row("B5", received_on=d(2025, 6, 10), unit_id=3, township_id=3),
        # F1 first-time visit, every step in March: received 03-20, accepted 03-21 (1), met 03-22 (1), feedback
        #    03-25 (3), concluded 03-28 (3), resolved in the village. 21-day date 04-10 (April). Office satisfied.
        case_row("F1", received_on=d(2026, 3, 20), accepted_on=d(2026, 3, 21), first_meeting_on=d(2026, 3, 22),
                 feedback_on=d(2026, 3, 25), concluded_on=d(2026, 3, 28), is_first_time=True, channel="visit",
                 outcome="resolved", resolution_level="village", satisfaction_office="satisfied", unit_id=2,
                 township_id=1),
        # F2 first-time letter received 03-05, accepted 03-06 (1), never met: stuck at the meeting; 3-7-21
        #    meeting due 03-08, overdue 23 days at 03-31; 21-day date 03-26 in March: late.
        case_row("F2", received_on=d(2026, 3, 5), accepted_on=d(2026, 3, 6), is_first_time=True, channel="letter",
                 unit_id=2, township_id=2),
        # F3 first-time letter: received 03-10, accepted 03-12 (2), met 03-12 (0), feedback 03-16 (4),
        #    concluded 03-27 (11), unresolved. 21-day date 03-31: met.
        case_row("F3", received_on=d(2026, 3, 10), accepted_on=d(2026, 3, 12), first_meeting_on=d(2026, 3, 12),
                 feedback_on=d(2026, 3, 16), concluded_on=d(2026, 3, 27), is_first_time=True, channel="letter",
                 outcome="unresolved", unit_id=1, township_id=1),
        # F4 first-time visit: received 03-26, accepted 03-26 (0), met 03-27 (1), no feedback yet: stuck at
        #    feedback; feedback due 04-02, 2 days left.
        case_row("F4", received_on=d(2026, 3, 26), accepted_on=d(2026, 3, 26), first_meeting_on=d(2026, 3, 27),
                 is_first_time=True, channel="visit", unit_id=1, township_id=3),
        # F5 first-time online (a 初信): received 03-02, accepted 03-03 (1), met 03-04 (1), feedback 03-06 (2),
        #    concluded 03-13 (7), resolved, level not recorded. 21-day date 03-23: met.
        case_row("F5", received_on=d(2026, 3, 2), accepted_on=d(2026, 3, 3), first_meeting_on=d(2026, 3, 4),
                 feedback_on=d(2026, 3, 6), concluded_on=d(2026, 3, 13), is_first_time=True, channel="online",
                 outcome="resolved", unit_id=1, township_id=3),
        # ACC accuses an official (纪检监察): received 03-03, accepted 03-04 (1), open: stuck at conclusion.
        #    Due 05-03. Hidden from a viewer who may not see accusations.
        case_row("ACC", received_on=d(2026, 3, 3), accepted_on=d(2026, 3, 4), category_id=2, accuses_official=True,
                 unit_id=3, township_id=1),
    ]


def build_outcomes_county(engine):
    """Fill an empty migrated database with the outcomes county; returns the engine."""
    with engine.begin() as conn:
        conn.execute(insert(Township), [{"id": 1, "name": "甲镇", "kind": "town"},
                                        {"id": 2, "name": "乙乡", "kind": "township"},
                                        {"id": 3, "name": "丙街道", "kind": "subdistrict"}])
        conn.execute(insert(Park), [{"id": 1, "name": "东湖工业园区", "township_id": 1}])
        conn.execute(insert(Category), [{"id": 1, "code": "labour_social_security", "name": "劳动社保",
                                          "is_accusation": False},
                                         {"id": 2, "code": "discipline_inspection", "name": "纪检监察",
                                          "is_accusation": True}])
        conn.execute(insert(Unit), [{"id": 1, "code": "rsj", "name": "人社局"}, {"id": 2, "code": "zjj", "name": "住建局"},
                                    {"id": 3, "code": "zrzyj", "name": "自然资源局"}])
        conn.execute(insert(Leader), [{"id": 1, "name": "王书记", "title": "县委书记", "rank": 1},
                                      {"id": 2, "name": "李县长", "title": "县长", "rank": 2},
                                      {"id": 3, "name": "赵副县长", "title": "副县长", "rank": 3}])
    insert_cases(engine, _cases())
    return engine
