"""A small county with schedule rules, sessions and leaders' cases, every figure worked out by hand.

Places: township 1 甲镇 (holds the county centre, point 1, and the park
东湖工业园区), township 2 乙乡; township reception points 2 (甲镇) and 3 (乙乡).

Leaders and their 挂点 links:
| id | name   | title  | rank | linked to      | rule                                                         |
| 1  | 陈书记 | 县委书记 | 1    | 乙乡            | monthly, the 15th, county centre, next working day, 08:30–11:30 |
| 2  | 王县长 | 县长    | 2    | 东湖工业园区     | the same                                                     |
| 3  | 李副县长 | 副县长 | 3    | 甲镇            | rotation, the 28th, points [2 甲镇, 3 乙乡] from January 2025, next working day |

Leader 3's rotation: month k after January 2025 goes to point k mod 2, so
months 0, 2, 4 … (Jan, Mar, May 2025 …; Jan, Mar, May 2026) 甲镇, the odd
ones 乙乡. March 2026 is month 14: 甲镇; April 2026 (15): 乙乡; May (16): 甲镇.

Stored sessions:
| id | leader | day        | kind          | where                 | status    | rule_date  | people | cases |
| 1  | 1      | 2026-03-16 | monthly_15th  | county centre (pt 1)  | held      | 2026-03-15 | 6      | R1 R2 |
| 2  | 3      | 2026-03-30 | township_point| 甲镇 point (pt 2)      | held      | 2026-03-28 | 3      | R3    |
| 3  | 2      | 2026-03-10 | outreach      | 东湖工业园区 (park 1)   | held      | —          | 4      | R4    |
| 4  | 3      | 2026-02-10 | follow_up     | 乙乡 (township 2)      | held      | —          | 1      | —     |
| 5  | 1      | 2026-04-15 | monthly_15th  | county centre         | cancelled | 2026-04-15 | 0      | —     |
| 6  | 2      | 2026-04-20 | monthly_15th  | county centre         | moved     | 2026-04-15 | 0      | —     |
| 7  | 3      | 2025-10-20 | outreach      | 乙乡 (township 2)      | held      | —          | 2      | —     |

Session 3 has no township of its own: it lies in 甲镇 through its park.
15 March 2026 is a Sunday (so the 15th-of-month session is on Monday the
16th); 28 March 2026 a Saturday (leader 3's on Monday the 30th).

Cases (no acceptance date means due = received + 15 + 60; open means not concluded):
| case | received   | accepted   | concluded  | outcome    | office / unit rating     | township | owner | session | notes                      |
| R1   | 2026-03-16 | 2026-03-17 | 2026-03-25 | resolved   | satisfied / satisfied    | 1        | 1     | 1       |                            |
| R2   | 2026-03-16 | 2026-03-17 | —          |            |                          | 2        | 1     | 1       | due 05-16                  |
| R3   | 2026-03-30 | —          | —          |            |                          | 1        | 3     | 2       | due 06-13                  |
| R4   | 2026-03-10 | 2026-03-11 | 2026-03-20 | unresolved | dissatisfied / basically | 1 (park) | 2     | 3       |                            |
| B1   | 2025-10-01 | —          | —          |            |                          | 2        | 1     |         | due 12-15: overdue, backlog; unit 县人社局 |
| B2   | 2025-11-20 | 2025-11-21 | 2026-03-05 | resolved   | basically / —            | 1        | 1     |         |                            |
| B3   | 2025-12-15 | 2025-12-16 | —          |            |                          | 1        | 3     |         | due 2026-02-14: overdue, backlog |
| B4   | 2025-08-01 | —          | —          |            |                          | 2        | 1     |         | due 10-15: overdue, backlog |
| X1   | 2026-03-05 | —          | —          |            |                          | 2        | 1     |         | accuses an official        |
| N1   | 2026-03-03 | —          | 2026-03-10 | resolved   | satisfied / —            | 2        | —     |         |                            |
| N2   | 2026-03-04 | —          | 2026-03-12 | unresolved | dissatisfied / —         | 1        | —     |         |                            |

Backlog at 31 March 2026: received before 31 December 2025 (90 days) and open.
"""

from __future__ import annotations

from datetime import date, time

from factories import case_row, insert_cases
from sqlalchemy import insert, text

from config.settings import DeadlineRules
from data.models import Category, Leader, LeaderLink, Park, ReceptionPoint, ReceptionSession, Township, Unit
from data.receptions import set_rule
from queries.filters import CaseFilter

RULES = DeadlineRules()
MARCH = CaseFilter.for_month(2026, 3)
d = date
T1, T2, PARK = 1, 2, 1
SECRETARY, HEAD, DEPUTY = 1, 2, 3
CENTRE = "县群众来访接待中心"
MORNING = (time(8, 30), time(11, 30))


def _session(id_, leader, held_on, kind, place, status="held", rule_date=None, point=None, township=None,
             park=None, people=0, cases=0, reason=None):
    return {"id": id_, "leader_id": leader, "held_on": held_on, "kind": kind, "place": place,
            "reception_point_id": point, "township_id": township, "park_id": park, "petitioners_received": people,
            "cases_taken": cases, "status": status, "reason": reason, "provisional": False,
            "rule_date": rule_date, "start_time": None, "end_time": None}


SESSIONS = [
    _session(1, SECRETARY, d(2026, 3, 16), "monthly_15th", CENTRE, rule_date=d(2026, 3, 15), point=1, people=6,
             cases=2),
    _session(2, DEPUTY, d(2026, 3, 30), "township_point", "甲镇群众接访点", rule_date=d(2026, 3, 28), point=2,
             people=3, cases=1),
    _session(3, HEAD, d(2026, 3, 10), "outreach", "东湖工业园区", park=PARK, people=4, cases=1),
    _session(4, DEPUTY, d(2026, 2, 10), "follow_up", "乙乡", township=T2, people=1),
    _session(5, SECRETARY, d(2026, 4, 15), "monthly_15th", CENTRE, status="cancelled", rule_date=d(2026, 4, 15),
             point=1, reason="出席全市信访工作会议"),
    _session(6, HEAD, d(2026, 4, 20), "monthly_15th", CENTRE, status="moved", rule_date=d(2026, 4, 15), point=1,
             reason="与省督导组座谈冲突"),
    _session(7, DEPUTY, d(2025, 10, 20), "outreach", "乙乡", township=T2, people=2),
]


def _cases() -> list[dict]:
    return [
        case_row("R1", received_on=d(2026, 3, 16), accepted_on=d(2026, 3, 17), concluded_on=d(2026, 3, 25),
                 outcome="resolved", satisfaction_office="satisfied", satisfaction_unit="satisfied",
                 channel="leader_reception", township_id=T1, owner_leader_id=SECRETARY, reception_session_id=1),
        case_row("R2", received_on=d(2026, 3, 16), accepted_on=d(2026, 3, 17), channel="leader_reception",
                 township_id=T2, owner_leader_id=SECRETARY, reception_session_id=1),
        case_row("R3", received_on=d(2026, 3, 30), channel="leader_reception", township_id=T1,
                 owner_leader_id=DEPUTY, reception_session_id=2),
        case_row("R4", received_on=d(2026, 3, 10), accepted_on=d(2026, 3, 11), concluded_on=d(2026, 3, 20),
                 outcome="unresolved", satisfaction_office="dissatisfied", satisfaction_unit="basically_satisfied",
                 channel="leader_reception", township_id=T1, park_id=PARK, owner_leader_id=HEAD,
                 reception_session_id=3),
        case_row("B1", received_on=d(2025, 10, 1), township_id=T2, owner_leader_id=SECRETARY, unit_id=1,
                 category_id=1),
        case_row("B2", received_on=d(2025, 11, 20), accepted_on=d(2025, 11, 21), concluded_on=d(2026, 3, 5),
                 outcome="resolved", satisfaction_office="basically_satisfied", township_id=T1,
                 owner_leader_id=SECRETARY),
        case_row("B3", received_on=d(2025, 12, 15), accepted_on=d(2025, 12, 16), township_id=T1,
                 owner_leader_id=DEPUTY),
        case_row("B4", received_on=d(2025, 8, 1), township_id=T2, owner_leader_id=SECRETARY),
        case_row("X1", received_on=d(2026, 3, 5), township_id=T2, owner_leader_id=SECRETARY, accuses_official=True),
        case_row("N1", received_on=d(2026, 3, 3), concluded_on=d(2026, 3, 10), outcome="resolved",
                 satisfaction_office="satisfied", township_id=T2),
        case_row("N2", received_on=d(2026, 3, 4), concluded_on=d(2026, 3, 12), outcome="unresolved",
                 satisfaction_office="dissatisfied", township_id=T1),
    ]


def build_reception_county(engine):
    """Fill an empty migrated database with this county; returns the engine."""
    with engine.begin() as conn:
        conn.execute(insert(Township), [{"id": T1, "name": "甲镇", "kind": "town"},
                                        {"id": T2, "name": "乙乡", "kind": "township"}])
        conn.execute(insert(Park), [{"id": PARK, "name": "东湖工业园区", "township_id": T1}])
        conn.execute(insert(Unit), [{"id": 1, "code": "U01", "name": "县人社局"}])
        conn.execute(insert(Category), [{"id": 1, "code": "labour_social_security", "name": "劳动社保",
                                         "is_accusation": False}])
        conn.execute(insert(Leader), [{"id": SECRETARY, "name": "陈书记", "title": "县委书记", "rank": 1},
                                      {"id": HEAD, "name": "王县长", "title": "县长", "rank": 2},
                                      {"id": DEPUTY, "name": "李副县长", "title": "副县长", "rank": 3}])
        conn.execute(insert(LeaderLink), [{"id": 1, "leader_id": SECRETARY, "township_id": T2, "park_id": None},
                                          {"id": 2, "leader_id": HEAD, "township_id": None, "park_id": PARK},
                                          {"id": 3, "leader_id": DEPUTY, "township_id": T1, "park_id": None}])
        conn.execute(insert(ReceptionPoint), [
            {"id": 1, "name": CENTRE, "kind": "county_centre", "township_id": T1},
            {"id": 2, "name": "甲镇群众接访点", "kind": "township_point", "township_id": T1},
            {"id": 3, "name": "乙乡群众接访点", "kind": "township_point", "township_id": T2},
        ])
        for leader in (SECRETARY, HEAD):
            set_rule(conn, leader, "monthly", day_of_month=15, reception_point_id=1, shift="next_working_day",
                     starts_on=d(2025, 1, 1), start_time=MORNING[0], end_time=MORNING[1])
        set_rule(conn, DEPUTY, "rotation", day_of_month=28, point_ids=(2, 3), shift="next_working_day",
                 starts_on=d(2025, 1, 1))
        conn.execute(insert(ReceptionSession), SESSIONS)
        if conn.dialect.name == "postgresql":
            # Explicit ids leave the serial counter behind: sessions recorded later need fresh ones.
            conn.execute(text("SELECT setval(pg_get_serial_sequence('reception_sessions', 'id'), 100)"))
    insert_cases(engine, _cases())
    return engine
