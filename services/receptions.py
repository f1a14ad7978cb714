"""Edits of the leaders' reception schedule, through the one write path.

Each function wraps one writer of data/receptions.py in services.writes.write:
the change, the data-version bump and the audit record ("edit_schedule") land
together, and a refused edit (an unknown case number, a missing reason) is
audited as a failure. Sessions and rules are not cases, so the monthly summary
is carried forward, not rebuilt. The page and the command line call these.
The plan as a file (:func:`export_plan`) is audited as an "export", as the
command line records it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

import polars as pl
from sqlalchemy import Engine

from config.settings import DeadlineRules
from data import audit, receptions
from queries.reception_exports import plan_ics, plan_xlsx
from services.writes import OTHER, Actor, write

ACTION = "edit_schedule"


def _edit(engine: Engine, actor: Actor, rules: DeadlineRules | None, target: str, writer, *args, **kwargs):
    with write(engine, actor=actor, action=ACTION, target=target, rules=rules or DeadlineRules(),
               kind=OTHER) as change:
        return writer(change.conn, *args, **kwargs)


def set_rule(engine: Engine, leader_id: int, kind: str, *, actor: Actor, rules: DeadlineRules | None = None,
             **rule) -> int:
    """Create or replace a leader's schedule rule (data.receptions.set_rule); returns its id."""
    return _edit(engine, actor, rules, f"rule:leader {leader_id}", receptions.set_rule, leader_id, kind, **rule)


def move_session(engine: Engine, occurrence: Mapping, new_date: date, reason: str, *, actor: Actor,
                 rules: DeadlineRules | None = None, provisional: bool = False) -> int:
    """Move a planned session to ``new_date``, keeping the reason."""
    return _edit(engine, actor, rules, f"session:{occurrence['date']}>{new_date}", receptions.move_session,
                 occurrence, new_date, reason, provisional=provisional)


def cancel_session(engine: Engine, occurrence: Mapping, reason: str, *, actor: Actor,
                   rules: DeadlineRules | None = None) -> int:
    """Cancel a planned session, keeping the reason."""
    return _edit(engine, actor, rules, f"session:{occurrence['date']} cancelled", receptions.cancel_session,
                 occurrence, reason)


def schedule_visit(engine: Engine, *, actor: Actor, rules: DeadlineRules | None = None, **visit) -> int:
    """Turn a suggestion of where to go next into a planned ad-hoc visit (下访)."""
    return _edit(engine, actor, rules, f"visit:{visit.get('on')}", receptions.schedule_visit, **visit)


def record_held_session(engine: Engine, *, actor: Actor, rules: DeadlineRules | None = None,
                        case_numbers: Sequence[str] = (), **session) -> int:
    """Record a session that took place, with the cases taken (unknown numbers refused, nothing written)."""
    return _edit(engine, actor, rules, f"session:{session.get('held_on')} held", receptions.record_held_session,
                 case_numbers=case_numbers, **session)


# --- the plan as a file --------------------------------------------------------------

EXPORT_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ics": "text/calendar",
}


def export_plan(engine: Engine, plan: pl.DataFrame, fmt: str, *, title: str, filename: str, actor: Actor) -> bytes:
    """The plan (rows of queries.receptions.plan_sessions) as the 接访安排表 sheet or an iCalendar file, audited.

    The audit entry is an "export" of ``receptions:<filename>``, as the
    command line records it; a file that cannot be made is audited as a failure.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    target = f"receptions:{filename}"
    try:
        content = plan_xlsx(plan, title) if fmt == "xlsx" else plan_ics(plan)
    except Exception:
        audit.record(engine, username=actor.username, action="export", object=target, outcome="failure",
                     client_addr=actor.client_addr)
        raise
    audit.record(engine, username=actor.username, action="export", object=target, client_addr=actor.client_addr)
    return content


# Case numbers typed or pasted into one box: separated by commas (either width), 、, semicolons or white space.
_CASE_NUMBER_SEPARATORS = re.compile(r"[\s,，、;；]+")


def split_case_numbers(text: str | None) -> list[str]:
    """The case numbers in ``text``, in order, each once."""
    return list(dict.fromkeys(n for n in _CASE_NUMBER_SEPARATORS.split(text or "") if n))
