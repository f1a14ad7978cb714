"""Writes for the dispatch list (交办单, issue 13): items handed to responsible units at the monthly review.

Every function takes a SQLAlchemy Connection inside an open transaction and
only inserts or updates (an item entered by mistake is withdrawn, not
deleted: the list a unit was handed stays on record). Bumping the data
version and writing the audit entry belong to the write-path service that
wraps every writer (services/dispatch.py); nothing here does them.

An item's ``month`` is the first day of the month its list was handed out in
(the meeting at the start of December reviews November): see
:class:`data.models.DispatchItem`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, insert, select, update

from data.models import Category, DispatchItem, Township, Unit

# Long enough for a paragraph, short enough to fit a row of the printed 交办单.
MAX_ISSUE_CHARS = 500
MAX_NOTE_CHARS = 500


class DispatchError(ValueError):
    """A write the dispatch list refuses; the message is one line a clerk can act on."""


def _text(value: str | None, what: str, limit: int, *, required: bool) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise DispatchError(f"the {what} is empty")
        return None
    if len(text) > limit:
        raise DispatchError(f"the {what} is {len(text)} characters long; at most {limit}")
    return text


def _require(conn: Connection, model, value: int | None, what: str, *, required: bool) -> int | None:
    if value is None:
        if required:
            raise DispatchError(f"an item needs its {what}")
        return None
    if conn.execute(select(model.id).where(model.id == value)).first() is None:
        raise DispatchError(f"no {what} with id {value}")
    return int(value)


def _item(conn: Connection, item_id: int) -> dict:
    row = conn.execute(select(DispatchItem.__table__).where(DispatchItem.id == item_id)).mappings().first()
    if row is None:
        raise DispatchError(f"no dispatch item with id {item_id}")
    return dict(row)


def _first_of_month(month: date) -> date:
    if month.day != 1:
        raise DispatchError(f"a list's month is its first day, not {month}")
    return month


def _checked_fields(
    conn: Connection, issue: str, note: str | None, unit_id: int, category_id: int | None, township_id: int | None
) -> dict:
    """What an item says and whom it concerns, each checked (an add and an edit take the same)."""
    return {
        "issue": _text(issue, "issue (交办事项)", MAX_ISSUE_CHARS, required=True),
        "note": _text(note, "note (备注)", MAX_NOTE_CHARS, required=False),
        "unit_id": _require(conn, Unit, unit_id, "responsible unit", required=True),
        "category_id": _require(conn, Category, category_id, "category", required=False),
        "township_id": _require(conn, Township, township_id, "township", required=False),
    }


def add_item(
    conn: Connection,
    *,
    month: date,
    issue: str,
    unit_id: int,
    due_on: date,
    note: str | None = None,
    category_id: int | None = None,
    township_id: int | None = None,
    created_by: str | None = None,
    created_at: datetime | None = None,
) -> int:
    """Hand ``issue`` to the unit ``unit_id`` on the list of ``month``, due ``due_on``; returns the item's id."""
    month = _first_of_month(month)
    if due_on < month:
        raise DispatchError(f"the due date {due_on} is before the list's month {month:%Y-%m}")
    values = {
        "month": month,
        **_checked_fields(conn, issue, note, unit_id, category_id, township_id),
        "due_on": due_on,
        "status": "open",
        "closed_on": None,
        "created_by": created_by,
        "created_at": created_at,
        "updated_at": created_at,
    }
    return conn.execute(insert(DispatchItem).values(**values).returning(DispatchItem.id)).scalar_one()


def edit_item(
    conn: Connection,
    item_id: int,
    *,
    issue: str,
    unit_id: int,
    due_on: date,
    note: str | None = None,
    category_id: int | None = None,
    township_id: int | None = None,
    updated_at: datetime | None = None,
) -> int:
    """Change what an item says, whom it goes to and when it is due; returns its id."""
    item = _item(conn, item_id)
    if item["status"] == "withdrawn":
        raise DispatchError(f"item {item_id} was withdrawn: enter a new one instead")
    if due_on < item["month"]:
        raise DispatchError(f"the due date {due_on} is before the list's month {item['month']:%Y-%m}")
    conn.execute(
        update(DispatchItem).where(DispatchItem.id == item_id).values(
            **_checked_fields(conn, issue, note, unit_id, category_id, township_id),
            due_on=due_on,
            updated_at=updated_at,
        )
    )
    return item_id


def mark_done(conn: Connection, item_id: int, closed_on: date, *, updated_at: datetime | None = None) -> int:
    """The unit finished the item on ``closed_on`` (the day it was done, which may be before it is entered)."""
    item = _item(conn, item_id)
    if item["status"] == "withdrawn":
        raise DispatchError(f"item {item_id} was withdrawn")
    if closed_on < item["month"]:
        raise DispatchError(f"done on {closed_on}, before the list's month {item['month']:%Y-%m}")
    conn.execute(update(DispatchItem).where(DispatchItem.id == item_id)
                 .values(status="done", closed_on=closed_on, updated_at=updated_at))
    return item_id


def reopen(conn: Connection, item_id: int, *, updated_at: datetime | None = None) -> int:
    """Undo "done" or "withdrawn": the item is open again (and carried forward again)."""
    _item(conn, item_id)
    conn.execute(update(DispatchItem).where(DispatchItem.id == item_id)
                 .values(status="open", closed_on=None, updated_at=updated_at))
    return item_id


def withdraw(conn: Connection, item_id: int, *, updated_at: datetime | None = None) -> int:
    """Take an item off every list (entered by mistake, or overtaken); it stays on record."""
    item = _item(conn, item_id)
    if item["status"] == "done":
        raise DispatchError(f"item {item_id} is done: reopen it first")
    conn.execute(update(DispatchItem).where(DispatchItem.id == item_id)
                 .values(status="withdrawn", closed_on=None, updated_at=updated_at))
    return item_id
