"""What a query may see: the viewer's scope and the sidebar's dimension filters, as SQL clauses.

The one place the privacy rule of DOMAIN.md is written: a township officer sees
their township only, and complaints about officials (纪检监察, or a case marked
as accusing an official) reach only those allowed to see them. Every query of
cases, the monthly summary's and the personal-data reveal's included, applies
these clauses.
"""

from __future__ import annotations

from sqlalchemy import not_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from data.models import Case, Category
from queries.filters import DIMENSIONS, CaseFilter, Scope

_case_columns = Case.__table__.c


def scope_clauses(scope: Scope, columns=_case_columns) -> list[ColumnElement]:
    """What the viewer may see. Applied to every case query, whatever the filter asks for.

    ``columns`` is the cases table's columns, or those of a summary table that
    carries the same dimension columns (:mod:`queries.summary`).
    """
    clauses: list[ColumnElement] = []
    if scope.township_id is not None:
        clauses.append(columns.township_id == scope.township_id)
    if not scope.see_accusations:
        accusation_categories = select(Category.id).where(Category.is_accusation)
        clauses.append(not_(columns.accuses_official))
        clauses.append(or_(columns.category_id.is_(None), columns.category_id.not_in(accusation_categories)))
    return clauses


def dimension_clauses(flt: CaseFilter, columns=_case_columns) -> list[ColumnElement]:
    """The sidebar's dimension filters (not the period) plus the scope."""
    clauses: list[ColumnElement] = []
    for dimension in DIMENSIONS:
        values = getattr(flt, dimension.filter_field)
        if values:
            clauses.append(columns[dimension.column].in_(values))
    return clauses + scope_clauses(flt.scope, columns)
