"""A small county for the monthly review (issue 13), every figure of October 2026 worked out by hand.

Townships 甲镇 (1) and 乙乡 (2); categories 劳动社保 (1), 纪检监察 (2, complaints about
officials), 城乡建设 (3); units 县人社局 (1), 县住建局 (2); leaders 陈书记 (1) and
王县长 (2). The expected values are written beside the rows and in
tests/queries/test_review.py.

Top issues of October (cell: received Oct / Sep / Oct 2025):
  甲镇 劳动社保  4 / 1 / 2   (+3, +2)  concluded by 10-31: a1 (unresolved), a2 (resolved): 2, resolved 1,
                                       open 2; overdue 1 and backlog 1 (the July case)
  乙乡 城乡建设  2 / 3 / 0   (-1, +2)  concluded b1 (resolved): 1, open 1; overdue 1, backlog 1 (the May case)
  甲镇 纪检监察  1 / 0 / 0   (+1)
  甲镇 城乡建设  1 / 0 / 0   (+1)      open 1
  乙乡 劳动社保  0 / 2 / 0   (-2)
By volume: 甲镇劳动社保, 乙乡城乡建设, 甲镇纪检监察, 甲镇城乡建设 (ties: category id).
By rise: 甲镇劳动社保 (+3), 甲镇纪检监察 (+1), 甲镇城乡建设 (+1).

Dispatch items (month = the month the list was handed out in):
  1: list 2026-10, 县人社局, due 10-20, done 10-18            -> Sep review's list; done
  2: list 2026-10, 县住建局, due 10-20, done 10-25            -> late by 5 days
  3: list 2026-10, 县住建局, due 10-25, open                   -> open, 6 days overdue at 10-31; carried
  4: list 2026-09, 县人社局, due 09-20, open                   -> carried into every list since
  5: list 2026-11, 县人社局, due 11-30, 甲镇                   -> new on the October review's list
  6: list 2026-10, withdrawn                                    -> on no list
  7: list 2026-11, 县住建局, 纪检监察, 甲镇                     -> hidden from whoever may not see accusations
"""

from __future__ import annotations

from datetime import date

from factories import case_row, insert_cases
from sqlalchemy import insert, text

from data.db import make_engine, migrate
from data.models import (
    Category,
    DataVersion,
    DispatchItem,
    Leader,
    Petitioner,
    ReceptionSession,
    Township,
    Unit,
)
from queries.filters import CaseFilter

OCTOBER = CaseFilter.for_month(2026, 10)
TODAY = date(2026, 11, 10)  # the meeting: the October review, its list handed out in November
PETITIONER_NAME = "钱多多"  # personal data: must appear in no figure, document or slide
d = date


def _cases() -> list[dict]:
    rows = [
        # 甲镇 劳动社保, October.
        case_row("A1", received_on=d(2026, 10, 3), accepted_on=d(2026, 10, 4), concluded_on=d(2026, 10, 12),
                 outcome="unresolved", township_id=1, category_id=1, unit_id=1),
        case_row("A2", received_on=d(2026, 10, 15), accepted_on=d(2026, 10, 15), concluded_on=d(2026, 10, 20),
                 outcome="resolved", channel="leader_reception", reception_session_id=1, township_id=1,
                 category_id=1, unit_id=1),
        case_row("A3", received_on=d(2026, 10, 15), accepted_on=d(2026, 10, 16), channel="leader_reception",
                 reception_session_id=1, township_id=1, category_id=1, unit_id=1),
        case_row("A4", received_on=d(2026, 10, 28), concluded_on=d(2026, 11, 3), outcome="resolved",
                 township_id=1, category_id=1, unit_id=1),
        # 甲镇 劳动社保, September and a year earlier.
        case_row("S1", received_on=d(2026, 9, 10), concluded_on=d(2026, 9, 20), township_id=1, category_id=1),
        case_row("Y1", received_on=d(2025, 10, 8), concluded_on=d(2025, 10, 30), township_id=1, category_id=1),
        case_row("Y2", received_on=d(2025, 10, 9), concluded_on=d(2025, 10, 30), township_id=1, category_id=1),
        # The July case: accepted 07-15, due 09-13; open: overdue at 09-30 and 10-31, backlog at 10-31 only
        # (received before 08-02, not before 07-02). Unit 1, owned by leader 1.
        case_row("JUL", received_on=d(2026, 7, 15), accepted_on=d(2026, 7, 15), township_id=1, category_id=1,
                 unit_id=1, owner_leader_id=1),
        # 乙乡 城乡建设.
        case_row("B1", received_on=d(2026, 10, 2), accepted_on=d(2026, 10, 2), concluded_on=d(2026, 10, 10),
                 outcome="resolved", township_id=2, category_id=3, unit_id=2),
        case_row("B2", received_on=d(2026, 10, 20), township_id=2, category_id=3, unit_id=2),
        *(case_row(f"BS{i}", received_on=d(2026, 9, 5 + i), concluded_on=d(2026, 9, 25), township_id=2,
                   category_id=3) for i in range(3)),
        # The May case: no acceptance date, due 05-10+15+60 = 07-24; open: overdue and backlog at both
        # month ends. Unit 2, owned by leader 2.
        case_row("MAY", received_on=d(2026, 5, 10), township_id=2, category_id=3, unit_id=2, owner_leader_id=2),
        # 甲镇 城乡建设, October, open.
        case_row("C1", received_on=d(2026, 10, 9), township_id=1, category_id=3),
        # 甲镇 纪检监察 (accuses an official), October.
        case_row("J1", received_on=d(2026, 10, 11), township_id=1, category_id=2, accuses_official=True),
        # 乙乡 劳动社保, September only.
        *(case_row(f"BL{i}", received_on=d(2026, 9, 12), concluded_on=d(2026, 9, 28), township_id=2,
                   category_id=1) for i in range(2)),
    ]
    return rows


def build_review_county(engine):
    """Fill an empty migrated database with the review county; returns the engine."""
    with engine.begin() as conn:
        conn.execute(insert(Township), [{"id": 1, "code": "T01", "name": "甲镇", "kind": "town"},
                                        {"id": 2, "code": "T02", "name": "乙乡", "kind": "township"}])
        conn.execute(insert(Category), [
            {"id": 1, "code": "labour_social_security", "name": "劳动社保", "is_accusation": False},
            {"id": 2, "code": "discipline_inspection", "name": "纪检监察", "is_accusation": True},
            {"id": 3, "code": "urban_rural_construction", "name": "城乡建设", "is_accusation": False},
        ])
        conn.execute(insert(Unit), [{"id": 1, "code": "U01", "name": "县人社局"},
                                    {"id": 2, "code": "U02", "name": "县住建局"}])
        conn.execute(insert(Leader), [{"id": 1, "name": "陈书记", "title": "县委书记", "rank": 1},
                                      {"id": 2, "name": "王县长", "title": "县长", "rank": 2}])
        conn.execute(insert(ReceptionSession), [
            # Held at 甲镇: 3 petitioners, 2 cases (A2 concluded 10-20 resolved, A3 open).
            {"id": 1, "leader_id": 1, "held_on": d(2026, 10, 15), "kind": "township_point", "place": "甲镇接访点",
             "township_id": 1, "petitioners_received": 3, "cases_taken": 2, "status": "held"},
            # Cancelled, at 乙乡.
            {"id": 2, "leader_id": 2, "held_on": d(2026, 10, 16), "kind": "township_point", "place": "乙乡接访点",
             "township_id": 2, "petitioners_received": 0, "cases_taken": 0, "status": "cancelled",
             "reason": "防汛"},
        ])
    insert_cases(engine, _cases())
    with engine.begin() as conn:
        # One petitioner with a name, to prove that no output carries it.
        case_id = conn.exec_driver_sql("SELECT id FROM cases WHERE case_number = 'A3'").scalar_one()
        conn.execute(insert(Petitioner), [{"case_id": case_id, "name": PETITIONER_NAME, "phone": "13812345678"}])
        item = {"issue": "", "unit_id": 1, "category_id": None, "township_id": None, "note": None,
                "status": "open", "closed_on": None}
        conn.execute(insert(DispatchItem), [
            {**item, "id": 1, "month": d(2026, 10, 1), "issue": "劳动社保欠薪问题集中，请牵头化解。",
             "due_on": d(2026, 10, 20), "status": "done", "closed_on": d(2026, 10, 18)},
            {**item, "id": 2, "month": d(2026, 10, 1), "issue": "老旧小区改造扰民，请研究处理。", "unit_id": 2,
             "due_on": d(2026, 10, 20), "status": "done", "closed_on": d(2026, 10, 25)},
            {**item, "id": 3, "month": d(2026, 10, 1), "issue": "物业服务纠纷多发，请督促整改。", "unit_id": 2,
             "due_on": d(2026, 10, 25)},
            {**item, "id": 4, "month": d(2026, 9, 1), "issue": "=1+1 工伤认定积压，请加快办理。",
             "due_on": d(2026, 9, 20)},
            {**item, "id": 5, "month": d(2026, 11, 1), "issue": "甲镇劳动社保类信访上升，请牵头研判。",
             "due_on": d(2026, 11, 30), "township_id": 1, "category_id": 1, "note": "月底前报送"},
            {**item, "id": 6, "month": d(2026, 10, 1), "issue": "误录事项", "due_on": d(2026, 10, 30),
             "status": "withdrawn"},
            {**item, "id": 7, "month": d(2026, 11, 1), "issue": "反映村干部问题，请核查。", "unit_id": 2,
             "category_id": 2, "township_id": 1, "due_on": d(2026, 11, 30)},
        ])
        if conn.dialect.name == "postgresql":
            # Explicit ids leave the serial counters behind: rows added later need fresh ones.
            for table in ("dispatch_items", "reception_sessions"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 100)"))
    return engine


def build(url: str, *, demo: bool = False):
    """The county in the database at ``url`` (migrated first); for page and command tests."""
    engine = make_engine(url)
    try:
        migrate(engine)
        build_review_county(engine)
        if demo:
            with engine.begin() as conn:
                conn.execute(DataVersion.__table__.update().values(is_demo=True))
    finally:
        engine.dispose()
