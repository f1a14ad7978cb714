"""The append-only audit log: who did what, to which object, when, from where.

Recorded: log-ins (success and failure), lock-outs, log-outs and expired
sessions, reveals of personal data, exports and downloads, imports, schedule
and dispatch edits, and user administration. The application only inserts;
the database refuses UPDATE and refuses DELETE of rows younger than
:data:`RETENTION_DAYS` (migration 0002), so the record survives a bug or a
stolen application password. ``object`` names the thing acted on (a case
number, a file name, a user name), never personal data.

Times are naive UTC (``utcnow()``); pages convert to local time for display.
Nothing here imports Streamlit.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
from sqlalchemy import Connection, Engine, delete, insert, select

from data.models import AuditEntry

# The issue: "kept at least 184 days". The database trigger enforces the same.
RETENTION_DAYS = 184

ACTIONS = (
    "login",
    "logout",
    "lockout",
    "session_expired",
    "reveal_personal_data",
    "export",
    "download",
    "import",
    "edit_schedule",
    "edit_dispatch",
    "user_admin",
    "demo",
)
OUTCOMES = ("success", "failure", "denied", "locked", "throttled", "disabled", "expired")

# Don't allow unbounded results: the log grows by every log-in for years.
MAX_SEARCH_ROWS = 10_000

_COLUMNS = ("at", "username", "action", "object", "outcome", "client_addr")
_LIMITS = {"username": 64, "action": 32, "object": 256, "outcome": 16, "client_addr": 64}


def utcnow() -> datetime:
    """Now as a naive UTC datetime, the form every time in the auth tables takes."""
    return datetime.now(UTC).replace(tzinfo=None)


def as_naive_utc(moment: datetime) -> datetime:
    """An aware datetime converted to naive UTC; a naive one is taken to be UTC already."""
    if moment.tzinfo is not None:
        return moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _clip(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    return str(value)[: _LIMITS[name]]


def record(
    conn_or_engine: Connection | Engine,
    *,
    username: str | None,
    action: str,
    object: str | None = None,  # the audit vocabulary's word, shadowing the builtin here only
    outcome: str = "success",
    client_addr: str | None = None,
    at: datetime | None = None,
) -> None:
    """Insert one audit entry.

    Given a Connection, the entry joins the caller's transaction (so an import
    and its audit entry commit or roll back together); given an Engine, it is
    committed on its own.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown audit outcome {outcome!r}")
    values = {
        "at": as_naive_utc(at) if at is not None else utcnow(),
        "username": _clip("username", username),
        "action": action,
        "object": _clip("object", object),
        "outcome": outcome,
        "client_addr": _clip("client_addr", client_addr),
    }
    statement = insert(AuditEntry).values(**values)
    if isinstance(conn_or_engine, Engine):
        with conn_or_engine.begin() as conn:
            conn.execute(statement)
    else:
        conn_or_engine.execute(statement)


def search(
    engine: Engine,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    username: str | None = None,
    action: str | None = None,
    limit: int = 1000,
) -> pl.DataFrame:
    """Entries with ``since <= at < until``, newest first, at most ``limit`` rows.

    Columns: id, at, username, action, object, outcome, client_addr.
    """
    table = AuditEntry.__table__
    statement = select(table.c.id, *(table.c[name] for name in _COLUMNS))
    if since is not None:
        statement = statement.where(table.c.at >= as_naive_utc(since))
    if until is not None:
        statement = statement.where(table.c.at < as_naive_utc(until))
    if username:
        statement = statement.where(table.c.username == username)
    if action:
        statement = statement.where(table.c.action == action)
    limit = max(1, min(int(limit), MAX_SEARCH_ROWS))
    statement = statement.order_by(table.c.at.desc(), table.c.id.desc()).limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(statement).all()
    schema = {
        "id": pl.Int64,
        "at": pl.Datetime("us"),
        "username": pl.String,
        "action": pl.String,
        "object": pl.String,
        "outcome": pl.String,
        "client_addr": pl.String,
    }
    return pl.DataFrame([tuple(row) for row in rows], schema=schema, orient="row")


def purge_older_than(engine: Engine, days: int, *, now: datetime | None = None) -> int:
    """Delete entries older than ``days`` (at least :data:`RETENTION_DAYS`); returns how many."""
    if days < RETENTION_DAYS:
        raise ValueError(f"the audit log is kept at least {RETENTION_DAYS} days; refusing to purge after {days}")
    cutoff = (as_naive_utc(now) if now is not None else utcnow()) - timedelta(days=days)
    with engine.begin() as conn:
        result = conn.execute(delete(AuditEntry).where(AuditEntry.at < cutoff))
    return result.rowcount or 0
