"""A small hand-made county for the overview's tests: 3 townships, 2 parks, 14 months of cases.

Dates are relative to today's month so that the default month (the last
complete one) always has data, whenever the tests run.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update

from data.db import make_engine, migrate
from data.models import CHANNEL_VALUES, Category, DataVersion, Park, Township, Unit
from queries.filters import add_months

MONTHS = 14  # the current month and the 13 before it


def cases_in_month(k: int) -> int:
    """Cases received k months before the current month: 20 + 3k (the default month, k = 1, has 23)."""
    return 20 + 3 * k


def build(url: str, *, demo: bool = True, today: date | None = None) -> None:
    today = today or date.today()
    engine = make_engine(url)
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(Township.__table__.insert(), [
            {"id": 1, "code": "T01", "name": "东河镇", "kind": "town", "population": 42000},
            {"id": 2, "code": "T02", "name": "西山乡", "kind": "township", "population": 18000},
            {"id": 3, "code": "T03", "name": "城关街道", "kind": "subdistrict", "population": 65000},
        ])
        conn.execute(Park.__table__.insert(), [
            {"id": 1, "code": "P01", "name": "东河工业园", "township_id": 1},
            {"id": 2, "code": "P02", "name": "城北工业园", "township_id": 3},
        ])
        conn.execute(Category.__table__.insert(), [
            {"id": 1, "code": "land_acquisition", "name": "征地拆迁", "is_accusation": False},
            {"id": 2, "code": "labour_social_security", "name": "劳动社保", "is_accusation": False},
            {"id": 3, "code": "discipline_inspection", "name": "纪检监察", "is_accusation": True},
        ])
        conn.execute(Unit.__table__.insert(), [
            {"id": 1, "code": "U01", "name": "县人社局"},
            {"id": 2, "code": "U02", "name": "县自然资源局"},
        ])
        rows = []
        for k in range(MONTHS):
            month = add_months(today, -k)
            for i in range(cases_in_month(k)):
                received = month + timedelta(days=i % 27)
                n = len(rows)
                township = 1 + n % 3
                concluded = received + timedelta(days=10 + (n * 7) % 80) if n % 5 else None
                if concluded is not None and concluded > today:
                    concluded = None
                rows.append({
                    "case_number": f"X-{k:02d}-{i:03d}",
                    "received_on": received,
                    "accepted_on": received + timedelta(days=3) if n % 7 else None,
                    "concluded_on": concluded,
                    "channel": CHANNEL_VALUES[n % len(CHANNEL_VALUES)],
                    "is_first_time": n % 4 != 0,
                    "is_repeat": n % 4 == 0,
                    "township_id": township,
                    "park_id": {1: 1, 3: 2}.get(township) if n % 2 else None,
                    "category_id": 1 + n % 3,
                    "unit_id": 1 + n % 2,
                    "headcount": 6 if n % 11 == 0 else 1,
                    "outcome": None if concluded is None else ("resolved" if n % 6 else "unresolved"),
                    "satisfaction_office": None if concluded is None else
                    ("satisfied", "basically_satisfied", "dissatisfied", None)[n % 4],
                    "is_demo": demo,
                })
        from data.models import Case

        conn.execute(Case.__table__.insert(), rows)
        conn.execute(update(DataVersion).where(DataVersion.id == 1).values(version=1, is_demo=demo))
    engine.dispose()


if __name__ == "__main__":
    import sys

    build(sys.argv[1])
