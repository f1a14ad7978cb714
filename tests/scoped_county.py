"""Two townships, complaints about officials, and petitioners: the fixture for scope and privacy tests.

Every case but the three old ones is received in March 2026.

| case        | township | park | category        | accuses | channel | notes                          |
| ----------- | -------- | ---- | --------------- | ------- | ------- | ------------------------------ |
| T1-A        | 1        | 1    | 1 labour        |         | letter  | concluded 03-10, resolved      |
| T1-B        | 1        |      | 1 labour        |         | visit   | open                           |
| T1-ACC-CAT  | 1        |      | 2 纪检监察       |         | letter  | accusation by category         |
| T1-ACC-FLAG | 1        |      | 1 labour        | yes     | letter  | accusation by flag             |
| T2-A        | 2        | 2    | 1 labour        |         | letter  |                                |
| T2-B        | 2        |      | 1 labour        |         | phone   |                                |
| T2-C        | 2        |      | 1 labour        |         | online  |                                |
| T2-ACC      | 2        |      | 2 纪检监察       |         | letter  |                                |
| T1-OLD      | 1        |      | 1 labour        |         | letter  | received 2025-10-01, open      |
| T1-OLD-ACC  | 1        |      | 1 labour        | yes     | letter  | received 2025-10-01, open      |
| T2-OLD      | 2        |      | 1 labour        |         | letter  | received 2025-10-01, open      |

The old cases have no acceptance date: due 2025-10-01 + 15 + 60 = 12-15, so
at March's end they are overdue open, and received more than 90 days before
it, backlog.
"""

from __future__ import annotations

from datetime import date

from factories import case_row, insert_cases
from sqlalchemy import insert, select

from data.models import Case, Category, Park, Petitioner, Township, Unit
from queries.filters import CaseFilter

MARCH = CaseFilter.for_month(2026, 3)
T1, T2 = 1, 2
TOWNSHIP_NAMES = {T1: "东岭镇", T2: "西山乡"}
PARK_NAMES = {1: "东岭工业园区", 2: "西山工业园区"}
LABOUR, ACCUSATION = 1, 2
OLD = date(2025, 10, 1)

# Expected counts, worked out from the table above.
RECEIVED_MARCH = {
    "full": 8,
    "township1": 2,  # T1-A, T1-B (no accusations)
    "township2": 3,  # T2-A, T2-B, T2-C
    "no_accusations": 5,  # the five above
}
OVERDUE_AT_MARCH_END = {
    "full": ["T1-OLD", "T1-OLD-ACC", "T2-OLD"],
    "township1": ["T1-OLD"],
    "township2": ["T2-OLD"],
    "no_accusations": ["T1-OLD", "T2-OLD"],
}

PETITIONERS = {
    "T1-A": ("张三", "350981199001011234", "13812345678", "示范县东岭镇东街1号"),
    "T1-ACC-CAT": ("李四", "350981198502023456", "13900001111", "示范县东岭镇西街2号"),
    "T2-A": ("王五", "350982197003034567", "13700002222", "示范县西山乡南村3号"),
}


def _cases() -> list[dict]:
    d = date
    return [
        case_row("T1-A", received_on=d(2026, 3, 2), accepted_on=d(2026, 3, 2), concluded_on=d(2026, 3, 10),
                 outcome="resolved", township_id=T1, park_id=1, category_id=LABOUR, unit_id=1, channel="letter"),
        case_row("T1-B", received_on=d(2026, 3, 5), township_id=T1, category_id=LABOUR, channel="visit"),
        case_row("T1-ACC-CAT", received_on=d(2026, 3, 6), township_id=T1, category_id=ACCUSATION),
        case_row("T1-ACC-FLAG", received_on=d(2026, 3, 7), township_id=T1, category_id=LABOUR,
                 accuses_official=True),
        case_row("T2-A", received_on=d(2026, 3, 3), township_id=T2, park_id=2, category_id=LABOUR, unit_id=1),
        case_row("T2-B", received_on=d(2026, 3, 4), township_id=T2, category_id=LABOUR, channel="phone"),
        case_row("T2-C", received_on=d(2026, 3, 8), township_id=T2, category_id=LABOUR, channel="online"),
        case_row("T2-ACC", received_on=d(2026, 3, 9), township_id=T2, category_id=ACCUSATION),
        case_row("T1-OLD", received_on=OLD, township_id=T1, category_id=LABOUR),
        case_row("T1-OLD-ACC", received_on=OLD, township_id=T1, category_id=LABOUR, accuses_official=True),
        case_row("T2-OLD", received_on=OLD, township_id=T2, category_id=LABOUR),
    ]


def build_scoped_county(engine):
    """Fill an empty migrated database; returns {case_number: case id}."""
    with engine.begin() as conn:
        conn.execute(insert(Township), [{"id": tid, "name": name, "kind": "town"} for tid, name in TOWNSHIP_NAMES.items()])
        conn.execute(insert(Park), [{"id": 1, "name": PARK_NAMES[1], "township_id": T1},
                                    {"id": 2, "name": PARK_NAMES[2], "township_id": T2}])
        conn.execute(insert(Category), [
            # Every key in every row: an executemany takes its columns from the first row only.
            {"id": LABOUR, "code": "labour_social_security", "name": "劳动社保", "is_accusation": False},
            {"id": ACCUSATION, "code": "discipline_inspection", "name": "纪检监察", "is_accusation": True},
        ])
        conn.execute(insert(Unit), [{"id": 1, "name": "县人社局"}])
    insert_cases(engine, _cases())
    with engine.begin() as conn:
        ids = dict(conn.execute(select(Case.case_number, Case.id)).all())
        conn.execute(insert(Petitioner), [
            {"case_id": ids[number], "name": name, "id_number": id_number, "phone": phone, "address": address}
            for number, (name, id_number, phone, address) in PETITIONERS.items()
        ])
    return ids
