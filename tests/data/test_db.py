from sqlalchemy import inspect

from data.db import bump_data_version, data_version, migrate


def test_migrate_creates_schema_and_is_idempotent(engine):
    migrate(engine)  # a second run must change nothing and not fail
    tables = set(inspect(engine).get_table_names())
    assert {"cases", "petitioners", "townships", "parks", "audit_log"} <= tables


def test_bump_data_version_increments(engine):
    before = data_version(engine)
    with engine.begin() as conn:
        bump_data_version(conn)
    assert data_version(engine) == before + 1
