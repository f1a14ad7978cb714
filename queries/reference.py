"""Reference lists (townships, parks, categories, units, leaders) and the data period."""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Engine, func, select

from data.models import Case, Category, Leader, Park, Township, Unit
from queries.sql_dates import as_date


def _frame(engine: Engine, statement, schema: dict) -> pl.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(statement).all()
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


def townships(engine: Engine) -> pl.DataFrame:
    t = Township.__table__.c
    return _frame(
        engine,
        select(t.id, t.code, t.name, t.kind, t.population, t.centroid_lon, t.centroid_lat).order_by(t.code, t.name),
        {
            "id": pl.Int64, "code": pl.String, "name": pl.String, "kind": pl.String,
            "population": pl.Int64, "centroid_lon": pl.Float64, "centroid_lat": pl.Float64,
        },
    )


def parks(engine: Engine) -> pl.DataFrame:
    p = Park.__table__.c
    return _frame(
        engine,
        select(p.id, p.code, p.name, p.township_id, p.centroid_lon, p.centroid_lat).order_by(p.name),
        {
            "id": pl.Int64, "code": pl.String, "name": pl.String, "township_id": pl.Int64,
            "centroid_lon": pl.Float64, "centroid_lat": pl.Float64,
        },
    )


def categories(engine: Engine) -> pl.DataFrame:
    c = Category.__table__.c
    return _frame(
        engine,
        select(c.id, c.code, c.name, c.is_accusation).order_by(c.id),
        {"id": pl.Int64, "code": pl.String, "name": pl.String, "is_accusation": pl.Boolean},
    )


def units(engine: Engine) -> pl.DataFrame:
    u = Unit.__table__.c
    return _frame(engine, select(u.id, u.code, u.name).order_by(u.id), {"id": pl.Int64, "code": pl.String, "name": pl.String})


def leaders(engine: Engine) -> pl.DataFrame:
    lt = Leader.__table__.c
    return _frame(
        engine,
        select(lt.id, lt.name, lt.title, lt.rank).order_by(lt.rank, lt.id),
        {"id": pl.Int64, "name": pl.String, "title": pl.String, "rank": pl.Int64},
    )


def data_period(engine: Engine) -> tuple[date, date] | None:
    """The first and last ``received_on`` in the database, or None when there are no cases."""
    c = Case.__table__.c
    # Two scalar subqueries, not min() and max() in one SELECT: SQLite answers a
    # lone min() or max() from the index in microseconds, both together by
    # scanning it (half a second at a million cases).
    with engine.connect() as conn:
        first, last = conn.execute(
            select(select(func.min(c.received_on)).scalar_subquery(), select(func.max(c.received_on)).scalar_subquery())
        ).one()
    if first is None:
        return None
    return (as_date(first), as_date(last))
