"""Alembic environment: the engine is handed over by data.db.migrate()."""

from alembic import context

from data.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:  # run from the alembic CLI: build one from the environment
        from config.settings import resolve_database_url
        from data.db import make_engine

        engine = make_engine(resolve_database_url())
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite alters a table by copying it and dropping the original ("batch"
            # mode); with foreign keys on, dropping a table that cases point at (a
            # county's reception_sessions) fails. The pragma only takes effect
            # outside a transaction; every key is checked once the schema is changed.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
        )
        try:
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if broken is not None:
                        raise RuntimeError(f"a migration left a broken foreign key: {tuple(broken)}")
            connection.commit()
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


run_migrations_online()
