"""Dispatch-list edits (交办单), through the one write path.

Each function wraps one writer of data/dispatch.py in services.writes.write:
the change, the data-version bump and the audit record ("edit_dispatch")
land together, and a refused edit (an unknown unit, an empty issue) is
audited as a failure. Dispatch items are not cases, so the monthly summary is
carried forward, not rebuilt. The page and the tests call these; the role
check (``edit_dispatch``: the office) is made here as well as on the page, so
no caller can skip it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from config.settings import DeadlineRules
from data import audit, dispatch
from data.audit import utcnow
from services import access
from services.writes import OTHER, Actor, write

ACTION = "edit_dispatch"


def _edit(engine: Engine, actor: Actor, role: str | None, target: str, writer, *args, **kwargs) -> int:
    if not access.can(role, ACTION):
        audit.record(engine, username=actor.username, action=ACTION, object=target, outcome="denied",
                     client_addr=actor.client_addr)
        raise access.AccessDenied(f"role {role!r} may not {ACTION}")
    with write(engine, actor=actor, action=ACTION, target=target, rules=DeadlineRules(), kind=OTHER) as change:
        item_id = writer(change.conn, *args, **kwargs)
        # The audit record names the item by id (never its text: an issue may quote a person).
        change.target = f"{target} #{item_id}"
        return item_id


def add_item(engine: Engine, *, actor: Actor, role: str | None, month: date, **item) -> int:
    """Put a new item on the list of ``month`` (data.dispatch.add_item); returns its id."""
    return _edit(engine, actor, role, f"dispatch:{month:%Y-%m} add", dispatch.add_item, month=month,
                 created_by=actor.username, created_at=utcnow(), **item)


def edit_item(engine: Engine, item_id: int, *, actor: Actor, role: str | None, **item) -> int:
    """Change an item's issue, unit, due date, note, category or township."""
    return _edit(engine, actor, role, "dispatch edit", dispatch.edit_item, item_id, updated_at=utcnow(), **item)


def mark_done(engine: Engine, item_id: int, closed_on: date, *, actor: Actor, role: str | None) -> int:
    """The unit finished the item on ``closed_on``."""
    return _edit(engine, actor, role, f"dispatch done {closed_on}", dispatch.mark_done, item_id, closed_on,
                 updated_at=utcnow())


def reopen(engine: Engine, item_id: int, *, actor: Actor, role: str | None) -> int:
    """The item is open again."""
    return _edit(engine, actor, role, "dispatch reopen", dispatch.reopen, item_id, updated_at=utcnow())


def withdraw(engine: Engine, item_id: int, *, actor: Actor, role: str | None) -> int:
    """Take the item off every list; it stays on record."""
    return _edit(engine, actor, role, "dispatch withdraw", dispatch.withdraw, item_id, updated_at=utcnow())
