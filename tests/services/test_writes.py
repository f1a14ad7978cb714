"""The one write path: version, summary and audit move together, and a failure is on the record."""

from __future__ import annotations

from datetime import date

import pytest
from factories import case_row
from sqlalchemy import func, insert, select

from config.settings import DeadlineRules
from data import audit
from data.db import data_version
from data.models import Case, Township
from queries import summary
from queries.filters import CaseFilter
from services.writes import OTHER, Actor, write

RULES = DeadlineRules()
ACTOR = Actor("wang.office", "10.0.0.7")


def _stamp_version(engine) -> int | None:
    with engine.connect() as conn:
        stamp = summary.current_stamp(conn, RULES)
    return None if stamp is None else stamp["data_version"]


def test_a_case_write_bumps_the_version_rebuilds_the_summary_and_audits_in_one_go(engine):
    before = data_version(engine)
    with write(engine, actor=ACTOR, action="import", target="cases:f.xlsx", rules=RULES) as change:
        change.conn.execute(insert(Case), [case_row("A1", received_on=date(2026, 3, 2))])
    assert data_version(engine) == before + 1
    assert _stamp_version(engine) == before + 1  # the summary was built for the new version
    flt = CaseFilter.for_month(2026, 3)
    from queries import metrics

    assert metrics.headline(engine, flt, RULES, source="summary")["received"].item() == 1
    entries = audit.search(engine, action="import")
    assert entries.select("username", "object", "outcome", "client_addr").rows() == [
        ("wang.office", "cases:f.xlsx", "success", "10.0.0.7")
    ]


def test_a_write_that_changes_no_case_carries_the_summary_forward(engine):
    with write(engine, actor=ACTOR, action="import", target="cases:f.xlsx", rules=RULES) as change:
        change.conn.execute(insert(Case), [case_row("A1")])
    built = _stamp_version(engine)
    with write(engine, actor=ACTOR, action="import", target="township:t.geojson", rules=RULES, kind=OTHER) as change:
        change.conn.execute(insert(Township).values(name="东岭镇"))
    assert data_version(engine) == built + 1
    assert _stamp_version(engine) == built + 1  # still current, not rebuilt and not stale


def test_a_stale_summary_is_not_carried_forward(engine):
    with write(engine, actor=ACTOR, action="import", target="x", rules=RULES) as change:
        change.conn.execute(insert(Case), [case_row("A1")])
    with engine.begin() as conn:  # a change behind the write path's back leaves the summary stale
        from data.db import bump_data_version

        bump_data_version(conn)
    with write(engine, actor=ACTOR, action="edit_schedule", target="y", rules=RULES, kind=OTHER) as change:
        change.conn.execute(insert(Township).values(name="东岭镇"))
    assert _stamp_version(engine) is None


def test_nothing_changed_keeps_the_version_but_is_audited(engine):
    before = data_version(engine)
    with write(engine, actor=ACTOR, action="import", target="cases:same.xlsx", rules=RULES) as change:
        change.nothing_changed()
    assert data_version(engine) == before
    assert audit.search(engine, action="import")["object"].to_list() == ["cases:same.xlsx"]


def test_a_failing_writer_rolls_back_and_the_failure_is_audited(engine):
    before = data_version(engine)
    with pytest.raises(RuntimeError, match="half-way"):
        with write(engine, actor=ACTOR, action="import", target="cases:bad.xlsx", rules=RULES) as change:
            change.conn.execute(insert(Case), [case_row("A1")])
            raise RuntimeError("half-way")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Case)).scalar_one() == 0
    assert data_version(engine) == before
    entries = audit.search(engine, action="import")
    assert entries.select("object", "outcome").rows() == [("cases:bad.xlsx", "failure")]


def test_an_unknown_change_kind_is_refused(engine):
    with pytest.raises(ValueError, match="change kind"):
        with write(engine, actor=ACTOR, action="import", target="x", rules=RULES, kind="everything"):
            pass
