"""Dispatch edits go through the write path: stored, versioned and audited; and an item carries from one
month's review into the next with its status (done / late / open)."""

from __future__ import annotations

from datetime import date

import pytest
from review_county import OCTOBER, TODAY, build_review_county

from config.settings import DeadlineRules
from data import audit
from data.db import bump_data_version, data_version
from data.dispatch import DispatchError
from queries import review, summary
from queries.filters import CaseFilter
from services import access, dispatch
from services.writes import Actor

OFFICE = Actor("wang.office", "10.0.0.7")
NOVEMBER = CaseFilter.for_month(2026, 11)


@pytest.fixture
def county(engine):
    build_review_county(engine)
    with engine.begin() as conn:  # a current summary, as after an import
        bump_data_version(conn)
        summary.refresh_summary(conn)
    return engine


def _states(frame) -> list[tuple]:
    return [(r["id"], r["carried"], r["state"], r["overdue"]) for r in frame.iter_rows(named=True)]


def test_an_added_item_is_stored_versioned_audited_and_on_the_list(county):
    before = data_version(county)
    item_id = dispatch.add_item(county, actor=OFFICE, role="office", month=date(2026, 11, 1),
                                issue="乙乡城乡建设类信访，请牵头化解。", unit_id=2, due_on=date(2026, 11, 30))
    assert data_version(county) == before + 1
    with county.connect() as conn:  # a dispatch edit changes no case: the summary is carried, not rebuilt
        assert summary.current_stamp(conn, DeadlineRules()) is not None
    entries = audit.search(county, action="edit_dispatch")
    assert entries.select("username", "object", "outcome", "client_addr").rows() == [
        ("wang.office", f"dispatch:2026-11 add #{item_id}", "success", "10.0.0.7")]
    current = review.dispatch_list(county, OCTOBER, date(2026, 10, 1), TODAY)
    assert item_id in current["id"].to_list()


def test_a_refused_edit_writes_nothing_and_is_audited_as_a_failure(county):
    before = data_version(county)
    with pytest.raises(DispatchError, match="no responsible unit"):
        dispatch.add_item(county, actor=OFFICE, role="office", month=date(2026, 11, 1), issue="事项",
                          unit_id=99, due_on=date(2026, 11, 30))
    assert data_version(county) == before
    assert audit.search(county, action="edit_dispatch")["outcome"].to_list() == ["failure"]


@pytest.mark.parametrize("role", ["leader", "township", "projection", None])
def test_only_the_office_edits_the_list_and_a_refusal_is_audited(county, role):
    with pytest.raises(access.AccessDenied):
        dispatch.mark_done(county, 3, date(2026, 11, 5), actor=Actor("someone"), role=role)
    assert audit.search(county, action="edit_dispatch")["outcome"].to_list() == ["denied"]
    current = review.dispatch_list(county, OCTOBER, date(2026, 10, 1), TODAY)
    assert current.filter(current["id"] == 3)["state"].to_list() == ["open"]


def test_an_item_carries_from_one_review_into_the_next_with_its_status(county):
    # The October review (meeting in November): item 3 (due 10-25) is open, 6 days overdue, and carried.
    october = review.build_review(county, OCTOBER, None, TODAY)
    assert (3, False, "open", True) in _states(october.dispatch_previous)
    assert (3, True, "open", True) in _states(october.dispatch_current)
    # In November the office records: 3 done on 11-05 (late), 5 done on 11-28 (due 11-30: on time).
    dispatch.mark_done(county, 3, date(2026, 11, 5), actor=OFFICE, role="office")
    dispatch.mark_done(county, 5, date(2026, 11, 28), actor=OFFICE, role="office")
    # The November review (meeting in December) reads the October review's list at November's end.
    november = review.build_review(county, NOVEMBER, None, date(2026, 12, 4))
    assert _states(november.dispatch_previous) == [
        (4, True, "open", True),  # due 09-20, carried a second time
        (3, True, "late", False),  # done 11-05, after its 10-25 due date
        (5, False, "done", False),  # done 11-28, before 11-30
        (7, False, "open", False),  # due 11-30: not overdue on 11-30
    ]
    assert review.dispatch_counts(november.dispatch_previous) == {"done": 1, "late": 1, "open": 2, "overdue": 1,
                                                                  "total": 4}
    # What is not done carries into the November review's list (handed out in December); the done ones do not.
    assert [r[0] for r in _states(november.dispatch_current)] == [4, 7]
    assert all(r[1] for r in _states(november.dispatch_current))
    # Reading the October review again later does not rewrite its history: 3 was open at October's end.
    assert (3, False, "open", True) in _states(review.build_review(county, OCTOBER, None, TODAY).dispatch_previous)
