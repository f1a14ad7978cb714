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
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
