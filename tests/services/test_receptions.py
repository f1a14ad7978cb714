"""Schedule edits go through the write path: stored, versioned and audited, or refused and audited."""

from __future__ import annotations

from datetime import date

import pytest
from reception_county import CENTRE, DEPUTY, build_reception_county

from data import audit
from data.db import data_version
from data.receptions import UnknownCaseNumbers
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
