"""Row builders for hand-made test fixtures: every column given, so executemany accepts a mixed list."""

from __future__ import annotations

from datetime import date

CASE_DEFAULTS = {
    "received_on": date(2026, 3, 1),
    "accepted_on": None,
    "first_meeting_on": None,
    "feedback_on": None,
    "concluded_on": None,
    "channel": "letter",
    "is_first_time": False,
    "is_repeat": False,
    "township_id": None,
    "park_id": None,
    "category_id": None,
    "unit_id": None,
    "owner_leader_id": None,
    "reception_session_id": None,
    "headcount": 1,
    "extension_granted": False,
    "outcome": None,
    "resolution_level": None,
    "escalation": None,
    "satisfaction_office": None,
    "satisfaction_unit": None,
    "accuses_official": False,
    "summary": None,
    "is_demo": False,
    "import_batch_id": None,
    "updated_at": None,
}


def case_row(case_number: str, **values) -> dict:
    unknown = set(values) - set(CASE_DEFAULTS)
    if unknown:
        raise KeyError(f"not a case column: {sorted(unknown)}")
    return {"case_number": case_number, **CASE_DEFAULTS, **values}


def insert_cases(engine, rows: list[dict]) -> None:
    from data.models import Case

    with engine.begin() as conn:
        conn.execute(Case.__table__.insert(), rows)
