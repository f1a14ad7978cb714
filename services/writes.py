"""The one write path: every change to the county's data goes through :func:`write`.

A writer (the demo builder, the case import, the boundary import, and the
schedule, session and dispatch edits) does its inserts and updates on the
connection it is handed, and nothing else. The write path then, in the same
transaction:

1. bumps the data version, so every cache keyed by it (dashboard/data_access.py)
   is stale within seconds;
2. keeps the monthly summary (queries/summary.py) true: rebuilt when cases
   changed, carried forward to the new version when they did not (a schedule
   edit must not cost a 20-second rebuild at a million cases);
3. likewise the stored rising issues of the latest months (queries/rising.py,
   ``store_views``: a few seconds at a million cases), whose failure never
   fails the write (the pages then compute them when asked);
4. keeps the words of case summaries (queries/case_words.py, for hot words)
   true the same way: the months of the cases the writer names
   (``Change.only_cases``) are cut again, or everything when it names none;
5. writes the audit record (who, what, on which object, from where).

If the writer raises, its changes roll back and the attempt is still audited,
with outcome "failure", in a transaction of its own: the page and the command
line record the same thing the same way.
"""

from __future__ import annotations

import getpass
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from config.settings import DeadlineRules
from data import audit
from data.db import bump_data_version
from queries import case_words, rising, summary

log = logging.getLogger(__name__)

# What a write changed, which decides what the write path must keep true.
CASES = "cases"  # cases (or what they point to) changed: the summary is rebuilt
OTHER = "other"  # boundaries, schedules, dispatch items: the summary is carried forward
CHANGE_KINDS = (CASES, OTHER)


@dataclass(frozen=True)
class Actor:
    """Who writes, for the audit record: a signed-in user, or a command-line user."""

    username: str
    client_addr: str | None = None

    @classmethod
    def command_line(cls) -> Actor:
        """The person at the terminal (``cli:<login name>``)."""
        try:
            return cls(f"cli:{getpass.getuser()}")
        except Exception:  # no user name in a bare container
            return cls("cli")


@dataclass
class Change:
    """Handed to the writer: its connection, and what it reports back."""

    conn: Connection
    target: str  # the audit record's object: a file name, a case number, never personal data
    kind: str = CASES
    changed: bool = True
    case_ids: set[int] | None = None  # None: any case may have changed

    def nothing_changed(self) -> None:
        """The writer stored nothing new (a file imported twice): no version bump, only the audit."""
        self.changed = False

    def only_cases(self, case_ids) -> None:
        """The writer inserted or updated only these cases (their petitioners included) and deleted none.

        Lets the write path cut again only the months they are in, not every
        summary; a writer that does not call it gets everything rebuilt.
        """
        self.case_ids = (self.case_ids or set()) | set(case_ids)


@contextmanager
def write(
    engine: Engine,
    *,
    actor: Actor,
    action: str,
    target: str,
    rules: DeadlineRules,
    kind: str = CASES,
    demo: bool | None = None,
    bulk_load: bool = False,
    report: Callable[[str, float], None] | None = None,
) -> Iterator[Change]:
    """One transaction: the writer's changes, then the version bump, the summary and the audit record.

    ``rules`` are the deadline rules the dashboard reads with (the summary is
    stamped with them). ``demo`` sets or clears the demo flag of the data.
    ``bulk_load`` (the demo builder) turns SQLite's row-by-row foreign-key
    checks off for the transaction; the writer then checks every key at once.
    ``report(stage, fraction)`` hears of the summary rebuild ("summarising"),
    of the words ("cutting words") and of the rising issues' views ("rising
    issues"), which take seconds at a million cases.
    """
    if kind not in CHANGE_KINDS:
        raise ValueError(f"unknown change kind {kind!r}; expected one of {CHANGE_KINDS}")
    change: Change | None = None
    try:
        with _transaction(engine, bulk_load) as conn:
            change = Change(conn=conn, target=target, kind=kind)
            yield change
            if change.changed:
                bump_data_version(conn, demo=demo)
                if change.kind == CASES:
                    if report is not None:
                        report("summarising", 0.0)
                    summary.refresh_summary(conn, rules)
                    if report is not None:
                        report("summarising", 1.0)
                    case_words.refresh(conn, change.case_ids, report)
                    if report is not None:
                        report("rising issues", 0.0)
                    _store_rising_views(conn)
                    if report is not None:
                        report("rising issues", 1.0)
                else:
                    summary.carry_forward(conn)
                    case_words.carry_forward(conn)
                    rising.carry_forward_views(conn)
            audit.record(conn, username=actor.username, action=action, object=change.target,
                         client_addr=actor.client_addr)
    except BaseException:
        failed_target = change.target if change is not None else target
        try:
            audit.record(engine, username=actor.username, action=action, object=failed_target,
                         outcome="failure", client_addr=actor.client_addr)
        except Exception:  # the database itself is down: the caller reports the first error
            log.exception("could not audit the failed %s of %s", action, failed_target)
        raise


def _store_rising_views(conn: Connection) -> None:
    """Precompute the rising issues' default views; on failure store none and keep the write.

    In a savepoint: a failure rolls back only these rows (on PostgreSQL an
    error would otherwise abort the whole transaction), and the views are then
    computed when a page asks, as for any stale view.
    """
    try:
        with conn.begin_nested():
            rising.store_views(conn)
    except Exception:
        log.exception("the rising issues were not precomputed; pages will compute them when asked")


@contextmanager
def _transaction(engine: Engine, bulk_load: bool) -> Iterator[Connection]:
    with engine.connect() as conn:
        sqlite_bulk = bulk_load and conn.dialect.name == "sqlite"
        if sqlite_bulk:
            # Row-by-row foreign-key checks (and, on a rebuild, deleting a
            # million rows one at a time) cost more than the whole load. The
            # pragma only takes effect outside a transaction.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                yield conn
        finally:
            if sqlite_bulk:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
