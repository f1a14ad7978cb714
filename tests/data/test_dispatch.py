"""The dispatch writers (data/dispatch.py): what they store, and what they refuse in one line."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from review_county import build_review_county
from sqlalchemy import select

from data import dispatch
from data.models import DispatchItem


def _item(engine, item_id: int) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(select(DispatchItem.__table__).where(DispatchItem.id == item_id)).mappings().one())


@pytest.fixture
def county(sqlite_engine):
    return build_review_county(sqlite_engine)


def test_add_stores_the_item_open_with_its_author(county):
    with county.begin() as conn:
        item_id = dispatch.add_item(conn, month=date(2026, 11, 1), issue="  物业纠纷，请督办。 ", unit_id=2,
                                    due_on=date(2026, 11, 30), note="月底前报送", township_id=2,
                                    created_by="wang.office", created_at=datetime(2026, 11, 3, 2, 0))
    row = _item(county, item_id)
    assert (row["issue"], row["unit_id"], row["status"], row["closed_on"], row["note"], row["township_id"],
            row["created_by"]) == ("物业纠纷，请督办。", 2, "open", None, "月底前报送", 2, "wang.office")


@pytest.mark.parametrize(("changes", "message"), [
    ({"issue": "  "}, "issue"),
    ({"unit_id": 99}, "no responsible unit with id 99"),
    ({"category_id": 99}, "no category with id 99"),
    ({"due_on": date(2026, 10, 31)}, "before the list's month"),
    ({"month": date(2026, 11, 2)}, "first day"),
    ({"issue": "长" * 501}, "at most 500"),
])
def test_add_refuses_what_cannot_be_handed_out(county, changes, message):
    values = {"month": date(2026, 11, 1), "issue": "事项", "unit_id": 1, "due_on": date(2026, 11, 30), **changes}
    with pytest.raises(dispatch.DispatchError, match=message), county.begin() as conn:
        dispatch.add_item(conn, **values)


def test_done_reopen_withdraw(county):
    with county.begin() as conn:
        dispatch.mark_done(conn, 3, date(2026, 11, 5))
    assert (_item(county, 3)["status"], _item(county, 3)["closed_on"]) == ("done", date(2026, 11, 5))
    with pytest.raises(dispatch.DispatchError, match="reopen it first"), county.begin() as conn:
        dispatch.withdraw(conn, 3)
    with county.begin() as conn:
        dispatch.reopen(conn, 3)
        dispatch.withdraw(conn, 3)
    assert (_item(county, 3)["status"], _item(county, 3)["closed_on"]) == ("withdrawn", None)
    with pytest.raises(dispatch.DispatchError, match="withdrawn"), county.begin() as conn:
        dispatch.mark_done(conn, 3, date(2026, 11, 5))
    with pytest.raises(dispatch.DispatchError, match="no dispatch item with id 404"), county.begin() as conn:
        dispatch.reopen(conn, 404)


def test_edit_changes_the_text_unit_and_due_date(county):
    with county.begin() as conn:
        dispatch.edit_item(conn, 5, issue="改写后的事项", unit_id=2, due_on=date(2026, 12, 15), note=None)
    row = _item(county, 5)
    assert (row["issue"], row["unit_id"], row["due_on"], row["note"]) == ("改写后的事项", 2, date(2026, 12, 15), None)
