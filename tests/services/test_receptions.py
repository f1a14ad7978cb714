"""Schedule edits go through the write path: stored, versioned and audited, or refused and audited."""

from __future__ import annotations

from datetime import date

import pytest
from reception_county import CENTRE, DEPUTY, build_reception_county

from data import audit
from data.db import data_version
from data.receptions import UnknownCaseNumbers
from queries.receptions import plan_sessions
from services import receptions
from services.writes import Actor

OFFICE = Actor("wang.office", "10.0.0.7")


def test_a_held_session_is_stored_versioned_and_audited(engine):
    build_reception_county(engine)
    before = data_version(engine)
    session_id = receptions.record_held_session(
        engine, actor=OFFICE, held_on=date(2026, 4, 7), leader_id=DEPUTY, kind="visit",
        place="甲镇", petitioners_received=4, case_numbers=["N2"],
    )
    assert session_id > 0
    assert data_version(engine) == before + 1
    entries = audit.search(engine, action="edit_schedule")
    assert entries.select("username", "object", "outcome").rows() == [("wang.office", "session:2026-04-07 held", "success")]


def test_an_unknown_case_number_writes_nothing_and_is_audited_as_a_failure(engine):
    build_reception_county(engine)
    before = data_version(engine)
    with pytest.raises(UnknownCaseNumbers, match="NOPE-1"):
        receptions.record_held_session(
            engine, actor=OFFICE, held_on=date(2026, 4, 7), leader_id=DEPUTY, kind="visit",
            place=CENTRE, petitioners_received=1, case_numbers=["NOPE-1"],
        )
    assert data_version(engine) == before
    assert audit.search(engine, action="edit_schedule")["outcome"].to_list() == ["failure"]


def test_the_plan_as_a_file_is_audited_as_an_export(engine):
    build_reception_county(engine)
    plan = plan_sessions(engine, date(2026, 3, 1), date(2026, 3, 31))
    sheet = receptions.export_plan(engine, plan, "xlsx", title="县领导接访安排表（2026年3月）",
                                   filename="接访安排表-2026-03.xlsx", actor=OFFICE)
    assert sheet[:2] == b"PK"  # a zip: the .xlsx container
    ics = receptions.export_plan(engine, plan, "ics", title="", filename="接访安排-2026-03.ics", actor=OFFICE)
    assert ics.count(b"BEGIN:VEVENT") == plan.height == 4
    assert audit.search(engine, action="export").select("username", "object", "outcome", "client_addr").rows() == [
        ("wang.office", "receptions:接访安排-2026-03.ics", "success", "10.0.0.7"),
        ("wang.office", "receptions:接访安排表-2026-03.xlsx", "success", "10.0.0.7"),
    ]
    with pytest.raises(ValueError, match="pdf"):
        receptions.export_plan(engine, plan, "pdf", title="", filename="x.pdf", actor=OFFICE)


@pytest.mark.parametrize(("text", "expected"), [
    ("XF2026-001", ["XF2026-001"]),
    (" XF1, XF2，XF3、XF4;XF5；XF6\nXF7\tXF8 ", ["XF1", "XF2", "XF3", "XF4", "XF5", "XF6", "XF7", "XF8"]),
    ("XF1 XF1 XF2", ["XF1", "XF2"]),  # once each, in order
    ("", []),
    (None, []),
    (" ,，、 ", []),
])
def test_case_numbers_typed_into_one_box(text, expected):
    assert receptions.split_case_numbers(text) == expected
