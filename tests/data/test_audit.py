from datetime import datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import DBAPIError

from data import audit
from data.db import alembic_config
from data.models import AuditEntry

T0 = datetime(2026, 3, 1, 8, 0, 0)


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


def test_record_and_search_filters(engine):
    audit.record(engine, username="alice", action="login", object="alice", outcome="success",
                 client_addr="10.0.0.1", at=T0)
    audit.record(engine, username="bob", action="login", object="bob", outcome="failure",
                 client_addr="10.0.0.2", at=T0 + timedelta(minutes=1))
    audit.record(engine, username="alice", action="reveal_personal_data", object="XF-2026-0001",
                 outcome="success", client_addr="10.0.0.1", at=T0 + timedelta(hours=1))

    everything = audit.search(engine)
    assert everything.columns == ["id", "at", "username", "action", "object", "outcome", "client_addr"]
    # Newest first.
    assert everything["action"].to_list() == ["reveal_personal_data", "login", "login"]

    alice = audit.search(engine, username="alice")
    assert alice["object"].to_list() == ["XF-2026-0001", "alice"]
    logins = audit.search(engine, action="login")
    assert sorted(logins["username"].to_list()) == ["alice", "bob"]
    window = audit.search(engine, since=T0 + timedelta(seconds=30), until=T0 + timedelta(hours=1))
    assert window["username"].to_list() == ["bob"]
    assert audit.search(engine, limit=1).height == 1
    assert audit.search(engine, username="nobody").height == 0


def test_record_joins_the_callers_transaction(engine):
    with pytest.raises(RuntimeError), engine.begin() as conn:
        audit.record(conn, username="office1", action="import", object="cases.xlsx", at=T0)
        raise RuntimeError("the import failed")
    assert _count(engine) == 0
    with engine.begin() as conn:
        audit.record(conn, username="office1", action="import", object="cases.xlsx", at=T0)
    assert _count(engine) == 1


def test_record_refuses_unknown_actions_and_outcomes(sqlite_engine):
    with pytest.raises(ValueError):
        audit.record(sqlite_engine, username="a", action="delete_everything")
    with pytest.raises(ValueError):
        audit.record(sqlite_engine, username="a", action="login", outcome="maybe")


def test_record_clips_long_values(sqlite_engine):
    audit.record(sqlite_engine, username="u" * 100, action="export", object="x" * 1000, at=T0)
    row = audit.search(sqlite_engine).row(0, named=True)
    assert len(row["username"]) == 64
    assert len(row["object"]) == 256


def test_aware_times_are_stored_as_utc(sqlite_engine):
    from datetime import timezone

    beijing = timezone(timedelta(hours=8))
    audit.record(sqlite_engine, username="a", action="login", at=datetime(2026, 3, 1, 16, 0, tzinfo=beijing))
    assert audit.search(sqlite_engine)["at"].to_list() == [datetime(2026, 3, 1, 8, 0)]


def test_audit_log_refuses_update(engine):
    audit.record(engine, username="alice", action="login", at=audit.utcnow())
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET username = 'mallory'"))
    assert audit.search(engine)["username"].to_list() == ["alice"]


def test_audit_log_refuses_delete_of_recent_rows(engine):
    now = audit.utcnow()
    audit.record(engine, username="alice", action="login", at=now - timedelta(days=183))
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log"))
    assert _count(engine) == 1


@pytest.fixture
def pg_engine():
    from tests.conftest import fresh_postgres_engine

    yield from fresh_postgres_engine()


@pytest.mark.postgres
def test_audit_log_refuses_truncate_on_postgresql(pg_engine):
    audit.record(pg_engine, username="alice", action="login")
    with pytest.raises(DBAPIError, match="append-only"), pg_engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_log"))
    assert _count(pg_engine) == 1


def test_purge_deletes_only_rows_past_retention(engine):
    now = audit.utcnow()
    audit.record(engine, username="old", action="login", at=now - timedelta(days=400))
    audit.record(engine, username="older", action="login", at=now - timedelta(days=200))
    audit.record(engine, username="recent", action="login", at=now - timedelta(days=100))
    assert audit.purge_older_than(engine, 365) == 1
    assert sorted(audit.search(engine)["username"].to_list()) == ["older", "recent"]
    assert audit.purge_older_than(engine, 184) == 1
    assert audit.search(engine)["username"].to_list() == ["recent"]


def test_purge_refuses_less_than_184_days(sqlite_engine):
    audit.record(sqlite_engine, username="a", action="login", at=audit.utcnow() - timedelta(days=200))
    with pytest.raises(ValueError, match="184"):
        audit.purge_older_than(sqlite_engine, 183)
    assert _count(sqlite_engine) == 1


def test_migration_0002_downgrades_and_upgrades(sqlite_engine):
    cfg = alembic_config(sqlite_engine)
    command.downgrade(cfg, "0001")
    with sqlite_engine.begin() as conn:
        conn.execute(insert(AuditEntry).values(at=T0, action="login", outcome="success"))
        conn.execute(text("UPDATE audit_log SET username = 'x'"))  # allowed without the trigger
    command.upgrade(cfg, "head")
    with pytest.raises(DBAPIError), sqlite_engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET username = 'y'"))
