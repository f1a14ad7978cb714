"""Shared fixtures: fresh migrated databases on SQLite and on a real PostgreSQL server.

PostgreSQL tests need ``DASHBOARD_TEST_PG_URL`` (an admin URL such as
``postgresql://postgres@127.0.0.1:54329/postgres``; ``make test`` starts a
server and sets it). Without it they are skipped on a developer machine and
fail in CI (``CI=true``), where skipping would hide a broken dialect.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from data.db import make_engine, migrate

PG_ADMIN_URL_ENV = "DASHBOARD_TEST_PG_URL"


def _pg_admin_url() -> str:
    url = os.environ.get(PG_ADMIN_URL_ENV)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{PG_ADMIN_URL_ENV} is not set in CI: PostgreSQL tests must run there")
        pytest.skip(f"{PG_ADMIN_URL_ENV} not set: no PostgreSQL server to test against")
    return url


def _with_database(admin_url: str, name: str) -> str:
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{name}"


def fresh_postgres_engine() -> Iterator[Engine]:
    """A new empty database on the test server, migrated; dropped afterwards."""
    admin_url = _pg_admin_url()
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(_with_database(admin_url, name))
    try:
        migrate(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def fresh_sqlite_engine(tmp_path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'test.sqlite'}")
    try:
        migrate(engine)
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request, tmp_path) -> Iterator[Engine]:
    """A fresh, migrated, empty database: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        yield from fresh_sqlite_engine(tmp_path)
    else:
        yield from fresh_postgres_engine()


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:
    """A fresh, migrated, empty SQLite database (for tests where the dialect does not matter)."""
    yield from fresh_sqlite_engine(tmp_path)
