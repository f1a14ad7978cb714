"""A petitioner's personal data: masked for everyone, revealed one case at a time, and logged.

The petitioners table is read only here. A reveal is a deliberate act of a
permitted role (``access.can(role, "reveal_personal_data")``), never on the
projection screen, always within the user's scope (a case a user may not see
cannot be revealed), and every reveal writes an audit entry naming the case
number, never the data. Refusals are audited as well.

Nothing here imports Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, select

from data import audit
from data.masking import mask_address, mask_id_number, mask_name, mask_phone
from data.models import Case, Petitioner
from queries.filters import FULL_SCOPE, Scope
from queries.scope import scope_clauses
from services import access


@dataclass(frozen=True)
class PetitionerRecord:
    """One case's petitioner, masked or not (``masked`` says which)."""

    case_number: str
    name: str | None
    id_number: str | None
    phone: str | None
    address: str | None
    masked: bool

    def __repr__(self) -> str:  # keep personal data out of logs and tracebacks
        return f"PetitionerRecord(case_number={self.case_number!r}, masked={self.masked})"


def _case_number_in_scope(conn: Connection, case_id: int, scope: Scope) -> str | None:
    """The case number if the case exists and ``scope`` may see it, else None."""
    statement = select(Case.case_number).where(Case.id == case_id, *scope_clauses(scope))
    return conn.execute(statement).scalar_one_or_none()


def case_id_for_number(engine: Engine, case_number: str, scope: Scope = FULL_SCOPE) -> int | None:
    """The id of the case with this number, if ``scope`` may see it (case lists show numbers, not ids)."""
    with engine.connect() as conn:
        case_id = conn.execute(select(Case.id).where(Case.case_number == case_number)).scalar_one_or_none()
        if case_id is None or _case_number_in_scope(conn, case_id, scope) is None:
            return None
    return case_id


def _read(conn: Connection, case_id: int):
    return conn.execute(
        select(Petitioner.name, Petitioner.id_number, Petitioner.phone, Petitioner.address).where(
            Petitioner.case_id == case_id
        )
    ).first()


def masked_petitioner(engine: Engine, case_id: int, scope: Scope = FULL_SCOPE) -> PetitionerRecord | None:
    """The masked petitioner of a case within ``scope``; None if there is none to show."""
    with engine.connect() as conn:
        case_number = _case_number_in_scope(conn, case_id, scope)
        if case_number is None:
            return None
        row = _read(conn, case_id)
    if row is None:
        return PetitionerRecord(case_number, None, None, None, None, masked=True)
    return PetitionerRecord(
        case_number=case_number,
        name=mask_name(row.name),
        id_number=mask_id_number(row.id_number),
        phone=mask_phone(row.phone),
        address=mask_address(row.address),
        masked=True,
    )


def reveal_petitioner(
    engine: Engine,
    user,
    case_id: int,
    client_addr: str | None,
    *,
    projection: bool = False,
    now: datetime | None = None,
) -> PetitionerRecord:
    """The unmasked petitioner of one case, for a permitted role; audited either way.

    ``user`` has ``username``, ``role`` and ``township_id`` (auth.UserInfo).
    Raises :class:`access.AccessDenied` for a role without the permission, in
    projection mode, or for a case outside the user's scope (which is reported
    the same as a missing case, so as not to confirm that it exists).
    """
    now = audit.as_naive_utc(now) if now is not None else audit.utcnow()
    role = getattr(user, "role", None)
    username = getattr(user, "username", None)
    allowed = role != "projection" and not projection and access.can(role, "reveal_personal_data")
    denial = None
    row = None
    # The audit entry of a refusal must commit, so the error is raised after the transaction.
    with engine.begin() as conn:
        if not allowed:
            case_number = conn.execute(select(Case.case_number).where(Case.id == case_id)).scalar_one_or_none()
            denial = "this role may not reveal personal data"
        else:
            case_number = _case_number_in_scope(conn, case_id, access.scope_for(user))
            if case_number is None:
                denial = "no such case in your scope"
            else:
                row = _read(conn, case_id)
        audit.record(
            conn, username=username, action="reveal_personal_data",
            object=case_number or f"case id {case_id}", outcome="denied" if denial else "success",
            client_addr=client_addr, at=now,
        )
    if denial:
        raise access.AccessDenied(denial)
    if row is None:
        return PetitionerRecord(case_number, None, None, None, None, masked=False)
    return PetitionerRecord(case_number, row.name, row.id_number, row.phone, row.address, masked=False)
