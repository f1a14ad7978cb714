"""Date arithmetic that SQLite and PostgreSQL spell differently.

SQLite stores a ``Date`` as ISO text and adds days with ``date(x, 'N days')``;
PostgreSQL adds an integer to a date. Both results compare correctly with
bound ``datetime.date`` values and with date columns of the same database.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement, cast, literal


class add_days(FunctionElement):  # noqa: N801 - reads like the SQL function it stands for
    """``date_expr + days`` as a date; ``days`` may be an int or an integer expression."""

    type = Date()
    inherit_cache = True
    name = "add_days"

    def __init__(self, date_expr: ColumnElement, days: int | ColumnElement):
        if isinstance(days, int):
            days = literal(days, Integer)
        super().__init__(date_expr, days)


@compiles(add_days, "sqlite")
def _add_days_sqlite(element, compiler, **kw):
    date_expr, days = list(element.clauses)
    date_sql = compiler.process(date_expr, **kw)
    days_sql = compiler.process(cast(days, String), **kw)
    return f"date({date_sql}, {days_sql} || ' days')"


@compiles(add_days, "postgresql")
def _add_days_postgresql(element, compiler, **kw):
    date_expr, days = list(element.clauses)
    date_sql = compiler.process(date_expr, **kw)
    days_sql = compiler.process(days, **kw)
    return f"(CAST({date_sql} AS DATE) + CAST({days_sql} AS INTEGER))"


def as_date(value) -> date | None:
    """A date read back from either database as a ``datetime.date``.

    SQLite hands back ISO text (sometimes with a time part) for an aggregate or
    a computed date, where PostgreSQL hands back a date: the one place that
    knows it.
    """
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


class days_between(FunctionElement):  # noqa: N801 - reads like the SQL function it stands for
    """``later - earlier`` in whole days, as an integer (NULL when either date is NULL)."""

    type = Integer()
    inherit_cache = True
    name = "days_between"

    def __init__(self, later: ColumnElement, earlier: ColumnElement):
        super().__init__(later, earlier)


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(x, **kw) for x in element.clauses)
    # julianday() of two ISO dates differs by a whole number: CAST is exact, never a rounding.
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


@compiles(days_between, "postgresql")
def _days_between_postgresql(element, compiler, **kw):
    later, earlier = (compiler.process(x, **kw) for x in element.clauses)
    return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"
