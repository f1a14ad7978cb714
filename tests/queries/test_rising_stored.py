"""Rising issues stored by the write path: the same result as computed, read only while it holds.

The write path (services/writes.py) stores the rising issues of the latest
13 months for the county (with and without complaints about officials) and of
the latest two for each township as its officer sees it, stamped with the data version, the
rule's format and the geography; ``rising_issues`` reads such a view instead
of computing it, and computes whatever is not stored or no longer holds.
"""

from __future__ import annotations

import logging
from datetime import date

import polars as pl
import pytest
from factories import case_row
from sqlalchemy import func, insert, select, update
from trends_county import DONGLING, LAND, PARK, XISHAN, build_seasonal_county

from config.settings import DeadlineRules
from data.db import bump_data_version, data_version
from data.models import Case, Park, Unit, rising_views
from queries import rising, summary
from queries.filters import CaseFilter, Scope
from services.writes import OTHER, Actor, write

ACTOR = Actor("wang.office")
RULES = DeadlineRules()
SCOPES = [Scope(), Scope(see_accusations=False), Scope(township_id=DONGLING, see_accusations=False),
          Scope(township_id=XISHAN, see_accusations=False)]


def _through_the_write_path(engine, **kwargs):
    """A case write (here adding none), which stores the views as every import does."""
    with write(engine, actor=ACTOR, action="import", target="cases:test", rules=RULES, **kwargs):
        pass


def _seasonal(tmp_path):
    from conftest import fresh_sqlite_engine

    engine_iter = fresh_sqlite_engine(tmp_path)
    engine = next(engine_iter)
    build_seasonal_county(engine, first_month=date(2023, 1, 1))  # 38 months: the festival peaks of 2023-2026
    _through_the_write_path(engine)
    return engine_iter, engine


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    engine_iter, engine = _seasonal(tmp_path_factory.mktemp("stored"))
    yield engine
    engine_iter.close()


@pytest.fixture
def own_county(tmp_path):
    """The same county for a test that writes to it."""
    engine_iter, engine = _seasonal(tmp_path)
    yield engine
    engine_iter.close()


def test_the_write_path_stores_13_months_for_the_county_and_two_for_each_township(county):
    with county.connect() as conn:
        stored = conn.execute(select(rising_views.c.month_number, rising_views.c.scope_township_id,
                                     rising_views.c.see_accusations, rising_views.c.method)).all()
    # The last case is of February 2026: February 2025 to February 2026 for the county (twice: with and
    # without complaints about officials), February and January for each township's officer.
    county_months = {summary.number_of_month(date(2025, 2, 1)) + k for k in range(13)}
    township_months = {summary.number_of_month(date(2026, 2, 1)), summary.number_of_month(date(2026, 1, 1))}
    expected = {(m, s.township_id, s.see_accusations, "seasonal")
                for s in SCOPES for m in (county_months if s.township_id is None else township_months)}
    assert expected == set(stored)
    assert len(stored) == 2 * 13 + 2 * 2


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("when", [(2026, 2), (2026, 1)])
def test_a_stored_view_is_the_computed_result(county, scope, when):
    _stored_equals_computed(county, scope, when)


@pytest.mark.parametrize("scope", SCOPES[:2])
@pytest.mark.parametrize("when", [(2025, 12), (2025, 2)])  # the 13th month back is the last stored
def test_an_earlier_county_view_is_the_computed_result(county, scope, when):
    _stored_equals_computed(county, scope, when)


def _stored_equals_computed(county, scope, when):
    flt = CaseFilter.for_month(*when, scope=scope)
    stored = rising.stored_rising_issues(county, flt)
    computed = rising.rising_issues(county, flt, source="summary")
    assert stored is not None
    assert (stored.month, stored.method, stored.history_months, stored.rule_zh, stored.rule_en) == (
        computed.month, computed.method, computed.history_months, computed.rule_zh, computed.rule_en)
    assert stored.issues.schema == computed.issues.schema and stored.issues.equals(computed.issues)
    assert stored.evidence.schema == computed.evidence.schema and stored.evidence.equals(computed.evidence)
    assert stored.issues.height > 0 and stored.evidence.height > stored.issues.height


def test_the_planted_rise_comes_from_the_store(county, monkeypatch):
    def no_computing(*_args, **_kwargs):
        raise AssertionError("computed, not read")

    monkeypatch.setattr(rising, "_computed", no_computing)
    result = rising.rising_issues(county, CaseFilter.for_month(2026, 2))
    assert set(result.rising["series_id"].to_list()) == {f"c{LAND}", f"c{LAND}/t{XISHAN}"}
    assert result.rising.filter(pl.col("series_id") == f"c{LAND}/t{XISHAN}")["township"].item() == "西山乡"


def test_without_evidence_the_stored_view_is_the_same_issues(county):
    flt = CaseFilter.for_month(2026, 2)  # the planted rise
    assert rising.stored_rising_issues(county, flt, evidence=False) is not None
    light = rising.rising_issues(county, flt, evidence=False)
    full = rising.rising_issues(county, flt, source="summary")
    assert light.issues.equals(full.issues) and light.rising.height == 2
    assert (light.method, light.rule_zh) == (full.method, full.rule_zh)
    assert light.evidence.is_empty() and light.evidence.schema == full.evidence.schema
    computed = rising.rising_issues(county, flt, source="summary", evidence=False)
    assert computed.issues.equals(full.issues) and computed.evidence.is_empty()


@pytest.mark.parametrize("flt", [
    CaseFilter.for_month(2025, 1),  # 14 months before the last case's
    CaseFilter.for_month(2025, 12, scope=Scope(township_id=XISHAN, see_accusations=False)),  # an officer's earlier
    CaseFilter.for_month(2026, 2, township_ids=(XISHAN,)),  # the office's choice of a township in the sidebar
    CaseFilter.for_month(2026, 2, category_ids=(LAND,)),
    CaseFilter.for_month(2026, 2, scope=Scope(township_id=XISHAN, see_accusations=True)),  # no such viewer
], ids=["month", "officer's earlier month", "township filter", "category filter", "unknown scope"])
def test_what_is_not_stored_is_computed(county, flt):
    assert rising.stored_rising_issues(county, flt) is None
    assert rising.rising_issues(county, flt).issues.height > 0


def test_an_edit_that_changes_no_case_carries_the_views_forward(own_county):
    before = data_version(own_county)
    with write(own_county, actor=ACTOR, action="edit_dispatch", target="x", rules=RULES, kind=OTHER) as change:
        change.conn.execute(insert(Unit).values(code="u9", name="县住建局"))
    assert data_version(own_county) == before + 1
    assert rising.stored_rising_issues(own_county, CaseFilter.for_month(2026, 2)) is not None


def test_moving_a_park_to_another_township_makes_the_views_stale(own_county):
    with write(own_county, actor=ACTOR, action="import", target="park:p.geojson", rules=RULES, kind=OTHER) as change:
        change.conn.execute(update(Park).where(Park.id == PARK).values(township_id=XISHAN))
    assert rising.stored_rising_issues(own_county, CaseFilter.for_month(2026, 2)) is None
    # Computed instead: 西山乡's officer now sees the park's series.
    xishan = CaseFilter.for_month(2026, 2, scope=Scope(township_id=XISHAN, see_accusations=False))
    assert rising.stored_rising_issues(own_county, xishan) is None
    assert "park" not in rising.rising_issues(own_county, xishan).issues["level"].to_list()  # its cases are 东岭镇's


def test_a_change_behind_the_write_paths_back_makes_them_stale(own_county):
    with own_county.begin() as conn:
        conn.execute(insert(Case), [case_row("LATE-1", received_on=date(2026, 2, 3), township_id=XISHAN,
                                             category_id=LAND)])
        bump_data_version(conn)
    flt = CaseFilter.for_month(2026, 2)
    assert rising.stored_rising_issues(own_county, flt) is None
    # The next write through the path stores them again, with the new case.
    _through_the_write_path(own_county)
    stored = rising.stored_rising_issues(own_county, flt)
    assert stored.issues.filter(pl.col("series_id") == f"c{LAND}/t{XISHAN}")["received"].item() == 33 + 1


def test_a_failure_to_store_them_keeps_the_write(engine, monkeypatch, caplog):
    def half_way(conn):
        conn.execute(insert(rising_views).values(month_number=1, scope_township_id=None, see_accusations=True,
                                                 method="seasonal", history_months=36))
        raise RuntimeError("half-way")

    monkeypatch.setattr(rising, "store_views", half_way)
    before = data_version(engine)
    with caplog.at_level(logging.ERROR, logger="services.writes"):
        with write(engine, actor=ACTOR, action="import", target="cases:f.xlsx", rules=RULES) as change:
            change.conn.execute(insert(Case), [case_row("A1", received_on=date(2026, 3, 2), township_id=None)])
    assert data_version(engine) == before + 1  # the cases and the summary are written
    with engine.connect() as conn:
        assert summary.current_stamp(conn, RULES)["data_version"] == before + 1
        assert conn.execute(select(func.count()).select_from(Case)).scalar_one() == 1
        assert conn.execute(select(func.count()).select_from(rising_views)).scalar_one() == 0  # rolled back
    assert "not precomputed" in caplog.text
