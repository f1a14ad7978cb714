"""Writes for the leaders' reception schedule (issue 11, 领导接访): rules, adjustments, held sessions, visits.

Every function takes a SQLAlchemy Connection inside an open transaction and
only inserts or updates. Bumping the data version, refreshing the summary and
writing the audit entry belong to the write-path service that wraps every
writer (PREAMBLE: one write path); nothing here does them.

Session kinds. The API speaks the five kinds of 霞浦's practice as issue 11
names them (:data:`SESSION_KINDS`): ``monthly`` (县委书记、县长每月15日接访),
``township_point`` (other county leaders at township reception points),
``visit`` (下访: an ad-hoc visit to a township, department or park),
``appointment`` (约访) and ``follow_up`` (回访). The database keeps the
spelling of migration 0001 for two of them (``monthly_15th``, ``outreach``),
which the map page and the demo already read; :data:`STORED_KIND` and
:func:`public_kind` translate at this boundary only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time

from sqlalchemy import Connection, delete, insert, select, update

from data.models import (
    RECEPTION_RULE_KIND_VALUES,
    SESSION_KIND_VALUES,
    Case,
    Leader,
    Park,
    ReceptionPoint,
    ReceptionRule,
    ReceptionRulePoint,
    ReceptionSession,
    Township,
)
from data.reception_calendar import SHIFT_RULES

SESSION_KINDS = ("monthly", "township_point", "visit", "appointment", "follow_up")
STORED_KIND = {
    "monthly": "monthly_15th",
    "township_point": "township_point",
    "visit": "outreach",
    "appointment": "appointment",
    "follow_up": "follow_up",
}
_PUBLIC_KIND = {stored: public for public, stored in STORED_KIND.items()}
assert set(STORED_KIND.values()) == set(SESSION_KIND_VALUES)

# The kind of session each rule plans.
RULE_SESSION_KIND = {"monthly": "monthly", "rotation": "township_point"}
# Statuses a session can be given by hand before it happens.
OPEN_STATUSES = ("planned", "moved")
VISIT_LEVELS = ("township", "park")


class ScheduleError(ValueError):
    """A write the schedule refuses; the message is one line a clerk can act on."""


class UnknownCaseNumbers(ScheduleError):
    """Case numbers given for a session that no case carries."""

    def __init__(self, numbers: Sequence[str]):
        self.numbers = tuple(numbers)
        super().__init__(f"unknown case numbers (未找到的信访件编号): {', '.join(self.numbers)}")


def public_kind(stored: str) -> str:
    """The API's kind for a kind as stored (``monthly_15th`` -> ``monthly``); unknown kinds pass through."""
    return _PUBLIC_KIND.get(stored, stored)


def _stored_kind(kind: str) -> str:
    if kind not in STORED_KIND:
        raise ScheduleError(f"kind must be one of {', '.join(SESSION_KINDS)}, not {kind!r}")
    return STORED_KIND[kind]


def _require_leader(conn: Connection, leader_id: int) -> None:
    if conn.execute(select(Leader.id).where(Leader.id == leader_id)).first() is None:
        raise ScheduleError(f"no leader with id {leader_id}")


def _require_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise ScheduleError("a moved or cancelled session needs its reason (调整原因)")
    return text


# --- rules ----------------------------------------------------------------------------


def set_rule(
    conn: Connection,
    leader_id: int,
    kind: str,
    *,
    day_of_month: int | None = None,
    reception_point_id: int | None = None,
    point_ids: Sequence[int] = (),
    shift: str = "next_working_day",
    starts_on: date | None = None,
    ends_on: date | None = None,
    start_time: time | None = None,
    end_time: time | None = None,
    updated_at: datetime | None = None,
) -> int:
    """Create or replace a leader's schedule rule; returns the rule's id.

    ``kind`` "monthly" needs ``day_of_month`` and ``reception_point_id``;
    "rotation" needs ``day_of_month`` and ``point_ids`` (township reception
    points, visited one a month in that order, the first in the month of
    ``starts_on``); "none" takes neither. ``shift``: next_working_day,
    previous_working_day or keep.
    """
    if kind not in RECEPTION_RULE_KIND_VALUES:
        raise ScheduleError(f"rule kind must be one of {', '.join(RECEPTION_RULE_KIND_VALUES)}, not {kind!r}")
    if shift not in SHIFT_RULES:
        raise ScheduleError(f"shift must be one of {', '.join(SHIFT_RULES)}, not {shift!r}")
    _require_leader(conn, leader_id)
    if kind != "none" and (day_of_month is None or not 1 <= day_of_month <= 31):
        raise ScheduleError(f"a {kind} rule needs a day of month from 1 to 31, not {day_of_month!r}")
    if kind == "monthly" and reception_point_id is None:
        raise ScheduleError("a monthly rule needs its reception point")
    if kind == "rotation" and not point_ids:
        raise ScheduleError("a rotation rule needs at least one reception point")
    if starts_on and ends_on and ends_on < starts_on:
        raise ScheduleError(f"the rule ends ({ends_on}) before it starts ({starts_on})")
    wanted = set(point_ids) | ({reception_point_id} if reception_point_id is not None else set())
    known = set(conn.execute(select(ReceptionPoint.id).where(ReceptionPoint.id.in_(wanted))).scalars())
    if wanted - known:
        raise ScheduleError(f"unknown reception points: {', '.join(str(i) for i in sorted(wanted - known))}")

    values = {
        "kind": kind,
        "day_of_month": None if kind == "none" else day_of_month,
        "reception_point_id": reception_point_id if kind == "monthly" else None,
        "shift": shift,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "start_time": start_time,
        "end_time": end_time,
        "updated_at": updated_at,
    }
    rule_id = conn.execute(select(ReceptionRule.id).where(ReceptionRule.leader_id == leader_id)).scalar()
    if rule_id is None:
        rule_id = conn.execute(
            insert(ReceptionRule).values(leader_id=leader_id, **values).returning(ReceptionRule.id)
        ).scalar_one()
    else:
        conn.execute(update(ReceptionRule).where(ReceptionRule.id == rule_id).values(**values))
        conn.execute(delete(ReceptionRulePoint).where(ReceptionRulePoint.rule_id == rule_id))
    if kind == "rotation":
        conn.execute(
            insert(ReceptionRulePoint),
            [{"rule_id": rule_id, "position": i, "reception_point_id": p} for i, p in enumerate(point_ids)],
        )
    return rule_id


# --- adjusting planned sessions ---------------------------------------------------------


def _occurrence_row(conn: Connection, occurrence: Mapping) -> int | None:
    """The stored session for a row of the plan, if there is one."""
    if occurrence.get("session_id") is not None:
        return int(occurrence["session_id"])
    if occurrence.get("rule_date") is None:
        return None
    s = ReceptionSession.__table__.c
    return conn.execute(
        select(s.id).where(
            s.leader_id == occurrence["leader_id"],
            s.kind == _stored_kind(occurrence["kind"]),
            s.rule_date == occurrence["rule_date"],
        )
    ).scalar()


def _adjust(conn: Connection, occurrence: Mapping, values: dict) -> int:
    session_id = _occurrence_row(conn, occurrence)
    if session_id is not None:
        status = conn.execute(select(ReceptionSession.status).where(ReceptionSession.id == session_id)).scalar()
        if status is None:
            raise ScheduleError(f"no session with id {session_id}")
        if status == "held":
            raise ScheduleError("a held session is a record: it cannot be moved or cancelled")
        conn.execute(update(ReceptionSession).where(ReceptionSession.id == session_id).values(**values))
        return session_id
    # A rule's occurrence never stored before: store it with the adjustment.
    row = {
        "leader_id": occurrence["leader_id"],
        "held_on": occurrence["date"],
        "kind": _stored_kind(occurrence["kind"]),
        "place": occurrence["place"],
        "reception_point_id": occurrence.get("reception_point_id"),
        "township_id": occurrence.get("township_id"),
        "park_id": occurrence.get("park_id"),
        "petitioners_received": 0,
        "cases_taken": 0,
        "rule_date": occurrence.get("rule_date"),
        "start_time": occurrence.get("start_time"),
        "end_time": occurrence.get("end_time"),
        **values,
    }
    return conn.execute(insert(ReceptionSession).values(**row).returning(ReceptionSession.id)).scalar_one()


def move_session(
    conn: Connection, occurrence: Mapping, new_date: date, reason: str, *, provisional: bool = False
) -> int:
    """Move a planned session (a row of :func:`queries.receptions.plan_sessions`) to ``new_date``.

    The reason is kept; the rule's nominal day stays attached, so the plan
    shows the session on its new day in place of the rule's. ``provisional``
    marks the new day tentative by hand (the plan also marks it while its
    year's holiday notice is not out). Returns the session's id. A held
    session cannot be moved.
    """
    return _adjust(conn, occurrence, {
        "held_on": new_date, "status": "moved", "reason": _require_reason(reason), "provisional": provisional,
    })


def cancel_session(conn: Connection, occurrence: Mapping, reason: str) -> int:
    """Cancel a planned session (a row of the plan), keeping the reason; returns the session's id."""
    return _adjust(conn, occurrence, {"status": "cancelled", "reason": _require_reason(reason)})


def schedule_visit(
    conn: Connection,
    *,
    leader_id: int,
    on: date,
    level: str,
    area_id: int,
    place: str | None = None,
    kind: str = "visit",
    start_time: time | None = None,
    end_time: time | None = None,
    provisional: bool = False,
) -> int:
    """Plan an ad-hoc visit (下访) by a leader to a township or park, e.g. from a visit suggestion.

    ``level`` and ``area_id`` are a suggestion's; ``place`` defaults to the
    area's name. Stored as a planned session; ``provisional`` marks it
    tentative by hand (the plan also marks it while its year's holiday notice
    is not out). Returns the session's id.
    """
    if level not in VISIT_LEVELS:
        raise ScheduleError(f"level must be 'township' or 'park', not {level!r}")
    _require_leader(conn, leader_id)
    if level == "township":
        found = conn.execute(select(Township.name, Township.id).where(Township.id == area_id)).first()
        township_id, park_id = area_id, None
    else:
        found = conn.execute(select(Park.name, Park.township_id).where(Park.id == area_id)).first()
        township_id, park_id = (found[1] if found else None), area_id
    if found is None:
        raise ScheduleError(f"no {level} with id {area_id}")
    return conn.execute(
        insert(ReceptionSession).values(
            leader_id=leader_id, held_on=on, kind=_stored_kind(kind), place=place or found[0],
            township_id=township_id, park_id=park_id, petitioners_received=0, cases_taken=0,
            status="planned", provisional=provisional, start_time=start_time, end_time=end_time,
        ).returning(ReceptionSession.id)
    ).scalar_one()


# --- recording what happened -------------------------------------------------------------


def _case_ids(conn: Connection, numbers: Iterable[str]) -> dict[str, tuple[int, int | None]]:
    wanted = list(dict.fromkeys(n.strip() for n in numbers if n and n.strip()))
    if not wanted:
        return {}
    c = Case.__table__.c
    found = {
        number: (case_id, session_id)
        for number, case_id, session_id in conn.execute(
            select(c.case_number, c.id, c.reception_session_id).where(c.case_number.in_(wanted))
        ).all()
    }
    unknown = [n for n in wanted if n not in found]
    if unknown:
        raise UnknownCaseNumbers(unknown)
    return {n: found[n] for n in wanted}


def record_held_session(
    conn: Connection,
    *,
    held_on: date,
    leader_id: int,
    kind: str,
    place: str,
    petitioners_received: int,
    case_numbers: Sequence[str] = (),
    reception_point_id: int | None = None,
    township_id: int | None = None,
    park_id: int | None = None,
    rule_date: date | None = None,
    start_time: time | None = None,
    end_time: time | None = None,
) -> int:
    """Record a session that took place: who, when, where, how many people, which cases were taken.

    Every case number must exist, else nothing is written and
    :class:`UnknownCaseNumbers` lists the missing ones; a case already taken
    at another session is refused too. The cases are linked to the session
    and ``cases_taken`` is their number. A planned or moved session of the
    same leader and kind for that occurrence (``rule_date``, or the same day)
    becomes the held one, so the plan does not show it twice; recording the
    same session again corrects it. Returns the session's id.
    """
    stored_kind = _stored_kind(kind)
    if isinstance(petitioners_received, bool) or int(petitioners_received) != petitioners_received \
            or petitioners_received < 0:
        raise ScheduleError(f"people received must be a whole number of 0 or more, not {petitioners_received!r}")
    if not (place or "").strip():
        raise ScheduleError("a held session needs its place (接访地点)")
    _require_leader(conn, leader_id)
    cases = _case_ids(conn, case_numbers)

    s = ReceptionSession.__table__.c
    same_occurrence = s.rule_date == rule_date if rule_date is not None else s.held_on == held_on
    session_id = conn.execute(
        select(s.id).where(s.leader_id == leader_id, s.kind == stored_kind, s.status != "cancelled",
                           same_occurrence).order_by(s.id).limit(1)
    ).scalar()
    elsewhere = sorted(n for n, (_, linked) in cases.items() if linked is not None and linked != session_id)
    if elsewhere:
        raise ScheduleError(f"cases already taken at another session (已在其他接访中登记): {', '.join(elsewhere)}")

    values = {
        "leader_id": leader_id, "held_on": held_on, "kind": stored_kind, "place": place.strip(),
        "reception_point_id": reception_point_id, "township_id": township_id, "park_id": park_id,
        "petitioners_received": int(petitioners_received), "cases_taken": len(cases), "status": "held",
        "provisional": False, "start_time": start_time, "end_time": end_time,
    }
    if session_id is None:
        values["rule_date"] = rule_date
        session_id = conn.execute(insert(ReceptionSession).values(**values).returning(s.id)).scalar_one()
    else:
        conn.execute(update(ReceptionSession).where(s.id == session_id).values(**values))
        # A correction: cases no longer listed are no longer taken at this session.
        c = Case.__table__.c
        conn.execute(
            update(Case).where(c.reception_session_id == session_id,
                               c.id.not_in([case_id for case_id, _ in cases.values()] or [-1]))
            .values(reception_session_id=None)
        )
    if cases:
        conn.execute(
            update(Case).where(Case.id.in_([case_id for case_id, _ in cases.values()]))
            .values(reception_session_id=session_id)
        )
    return session_id


__all__ = [
    "OPEN_STATUSES",
    "RULE_SESSION_KIND",
    "SESSION_KINDS",
    "STORED_KIND",
    "ScheduleError",
    "UnknownCaseNumbers",
    "cancel_session",
    "move_session",
    "public_kind",
    "record_held_session",
    "schedule_visit",
    "set_rule",
]
