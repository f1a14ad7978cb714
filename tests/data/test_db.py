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


def test_a_county_database_of_an_earlier_schema_upgrades_with_its_links_kept(tmp_path):
    """An upgrade alters tables that cases point at (SQLite copies and drops them): nothing may break."""
    from alembic import command
    from factories import case_row
    from sqlalchemy import text

    from data.db import alembic_config, head_revision, make_engine, migrate
    from data.models import Case

    engine = make_engine(f"sqlite:///{tmp_path / 'county.sqlite'}")
    try:
        command.upgrade(alembic_config(engine), "0004")  # the schema of the first county installations
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO leaders (id, name, title, rank) VALUES (1, '陈书记', '县委书记', 1)"))
            conn.execute(text(
                "INSERT INTO reception_sessions (id, leader_id, held_on, kind, place, petitioners_received, "
                "cases_taken) VALUES (7, 1, '2026-03-16', 'monthly_15th', '县群众来访接待中心', 3, 1)"
            ))
            conn.execute(Case.__table__.insert(), [case_row("A1", reception_session_id=7, owner_leader_id=1)])
        migrate(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head_revision()
            assert conn.execute(text("SELECT reception_session_id FROM cases")).scalar_one() == 7
            assert conn.execute(text("PRAGMA foreign_key_check")).first() is None
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1  # switched back on
    finally:
        engine.dispose()


def test_the_migrations_build_the_indexes_the_models_declare(engine):
    """Queries are written for these indexes (queries/outcomes.py reads open cases from one): same set."""
    from data.models import Case

    # (PostgreSQL also reports the unique constraint on the case number as an index.)
    built = {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("cases") if not ix.get("unique")}
    declared = {ix.name: [c.name for c in ix.columns] for ix in Case.__table__.indexes}
    assert built == declared
    assert built["ix_cases_open_steps"][:2] == ["concluded_on", "received_on"]
    from data.models import summary_events

    built = {ix["name"]: ix["column_names"] for ix in inspect(engine).get_indexes("summary_events")}
    assert built == {ix.name: [c.name for c in ix.columns] for ix in summary_events.indexes}
    assert built["ix_summary_events_park"] == ["park_id", "month_number"]
