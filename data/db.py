"""Engines and schema migrations.

The caller names the database (the app shell resolves ``--db URL``, else
``DASHBOARD_DB_URL``, else dashboard.toml, else a SQLite file under the
project's ``var/``: config.settings.resolve_database_url). The same code runs
on SQLite and PostgreSQL; nothing here imports Streamlit or reads settings.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select, update
from sqlalchemy.engine import make_url

from data.models import DataVersion

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r"^revision(?:: str)? = ['\"](\w+)['\"]", re.M)
_DOWN_REVISION = re.compile(r"^down_revision\b.*?= ['\"](\w+)['\"]", re.M)


class DatabaseUnavailable(RuntimeError):
    """The database URL is malformed or the server cannot be reached."""


def _normalise(url: str) -> str:
    # "postgresql://" would pick psycopg2, which is not installed: use psycopg 3.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    """A new engine for the database at ``url``."""
    resolved = _normalise(url)
    try:
        parsed = make_url(resolved)
    except Exception as exc:  # sqlalchemy raises ArgumentError with a long text
        raise DatabaseUnavailable(f"not a database URL: {resolved!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            # WAL lets the dashboard read while an import writes.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=10)


@lru_cache(maxsize=8)
def shared_engine(url: str) -> Engine:
    """One engine per URL per process (connection pools are meant to be shared)."""
    return make_engine(url)


def check_connection(engine: Engine) -> None:
    """Raise :class:`DatabaseUnavailable` with one clear line if the database cannot be reached."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as exc:
        raise DatabaseUnavailable(
            f"cannot reach the database at {engine.url.render_as_string(hide_password=True)}: "
            f"{type(exc).__name__}"
        ) from exc


def alembic_config(engine: Engine):
    from alembic.config import Config  # Alembic (0.3 s to import) only when the schema must change

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest migration's revision id, read from the version files (without importing Alembic)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        revision = _REVISION.search(text)
        if revision:
            revisions.add(revision.group(1))
        parents.update(_DOWN_REVISION.findall(text))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads, expected one: {sorted(heads)}")
    return heads.pop()


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one_or_none()
        except Exception:  # no alembic_version table: a new database
            return None


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (safe to call on every start)."""
    check_connection(engine)
    if _current_revision(engine) != head_revision():
        from alembic import command

        command.upgrade(alembic_config(engine), "head")
    with engine.begin() as conn:
        if conn.execute(select(DataVersion.id)).first() is None:
            conn.execute(DataVersion.__table__.insert().values(id=1, version=0, is_demo=False))


def data_version(engine: Engine) -> int:
    """The counter that every write bumps; caches are keyed by it."""
    with engine.connect() as conn:
        return conn.execute(select(DataVersion.version).where(DataVersion.id == 1)).scalar_one_or_none() or 0


def is_demo(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(select(DataVersion.is_demo).where(DataVersion.id == 1)).scalar_one_or_none())


def bump_data_version(conn, *, demo: bool | None = None) -> None:
    """Invalidate every cache keyed by the data version; call inside the writing transaction."""
    values: dict = {"version": DataVersion.version + 1}
    if demo is not None:
        values["is_demo"] = demo
    conn.execute(update(DataVersion).where(DataVersion.id == 1).values(**values))


class InTransaction:
    """An engine-like handle on a connection inside a transaction: ``connect()`` hands that connection back.

    For a reader that takes an Engine (``with engine.connect() as conn``) and
    must run inside the write path's transaction, after the writer's changes
    and before they are committed (queries.rising.store_views reads the summary
    it has just rebuilt). Leaving the ``with`` block neither commits nor closes.
    """

    def __init__(self, conn) -> None:
        self.conn = conn
        self.dialect = conn.dialect

    @contextmanager
    def connect(self):
        yield self.conn
