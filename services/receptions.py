"""Edits of the leaders' reception schedule, through the one write path.

Each function wraps one writer of data/receptions.py in services.writes.write:
the change, the data-version bump and the audit record ("edit_schedule") land
together, and a refused edit (an unknown case number, a missing reason) is
audited as a failure. Sessions and rules are not cases, so the monthly summary
is carried forward, not rebuilt. The page and the command line call these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy import Engine

from config.settings import DeadlineRules
from data import receptions
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
