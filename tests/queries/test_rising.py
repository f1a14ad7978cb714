"""The rising rule on the seasonal county (tests/trends_county.py): one planted rise, the moving festival peak, calm months."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from factories import case_row, insert_cases
from sqlalchemy import insert
from trends_county import LABOUR, LAND, PARK, XISHAN, build_seasonal_county, peak_in, refresh

from data.models import Category, Township
from queries import rising
from queries.filters import CaseFilter, Scope, add_months


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    # One database for every month tested: building it takes a few seconds (SQLite is enough here:
    # the counts come from the engine, whose dialects tests/queries/test_summary.py holds equal).
    from conftest import fresh_sqlite_engine

    engine_iter = fresh_sqlite_engine(tmp_path_factory.mktemp("seasonal"))
    engine = next(engine_iter)
    build_seasonal_county(engine)
    yield engine
    engine_iter.close()


def month(y: int, m: int) -> CaseFilter:
    return CaseFilter.for_month(y, m)


def test_the_fixture_plants_a_peak_that_moves_between_january_and_february():
    # The reason a calendar-month baseline fails: February's share of the peak by year.
    assert [peak_in(date(y, 2, 1)) for y in (2023, 2024, 2025, 2026)] == [0, 12, 0, 22]
    assert [peak_in(date(y, 1, 1)) for y in (2023, 2024, 2025, 2026)] == [30, 45, 40, 38]


def test_festival_shares_follow_the_festival_not_the_month():
    # 2026-02-17: the 42 days before run 01-06 .. 02-16: 26 in January, 16 in February; the week 02-17..23.
    assert rising.festival_shares(date(2026, 1, 1)) == pytest.approx((26 / 42, 0.0))
    assert rising.festival_shares(date(2026, 2, 1)) == pytest.approx((16 / 42, 1.0))
    # 2025-01-29: 12-18 .. 01-28: 14 days in December 2024, 28 in January; the week 01-29..02-04 splits 3 / 4.
    assert rising.festival_shares(date(2024, 12, 1)) == pytest.approx((14 / 42, 0.0))
    assert rising.festival_shares(date(2025, 1, 1)) == pytest.approx((28 / 42, 3 / 7))
    assert rising.festival_shares(date(2025, 2, 1)) == pytest.approx((0.0, 4 / 7))
    assert rising.festival_shares(date(2025, 10, 1)) == (0.0, 0.0)


def test_only_the_planted_rise_is_flagged(county):
    result = rising.rising_issues(county, month(2026, 2))
    assert result.method == "seasonal" and result.history_months == 36
    assert result.rule_zh == rising.RULE_ZH and result.rule_en == rising.RULE_EN
    flagged = result.rising
    assert set(flagged["series_id"].to_list()) == {f"c{LAND}", f"c{LAND}/t{XISHAN}"}
    planted = flagged.filter(pl.col("series_id") == f"c{LAND}/t{XISHAN}").row(0, named=True)
    assert planted["category"] == "征地拆迁" and planted["township"] == "西山乡" and planted["park"] is None
    assert planted["received"] == 33
    assert 6 < planted["expected"] < 11  # about its ordinary 8
    assert planted["received"] > planted["upper"] and planted["strength"] > 3
    # January (12) was above its expected level too, December (6) was not: rising for two months.
    assert planted["rising_months"] == 2
    # Strongest first: the township's own series before the county's, diluted by 东岭镇's calm 6.
    assert flagged["series_id"].to_list()[0] == f"c{LAND}/t{XISHAN}"


@pytest.mark.parametrize(("when", "received"), [((2026, 2), 10 + 22), ((2026, 1), 10 + 38), ((2025, 1), 10 + 40)])
def test_the_ordinary_festival_peak_in_the_park_is_expected(county, when, received):
    result = rising.rising_issues(county, month(*when))
    park = result.issues.filter(pl.col("series_id") == f"c{LABOUR}/p{PARK}").row(0, named=True)
    assert park["received"] == received
    assert not park["is_rising"]
    # Expected, not merely tolerated: the level follows the festival (a calendar-only model expects
    # 23 in February 2026 and 25 in January 2026, and passes only by widening its band).
    assert park["expected"] == pytest.approx(received, abs=4)


def test_a_calendar_month_rule_would_have_flagged_the_park_in_february_2026():
    # The previous Februaries held 10, 10 + 12 and 10: mean 14; P(X ≥ 32 | 14) is far below ALPHA.
    from queries.hotspots import poisson_upper_tail

    assert poisson_upper_tail(32, (10 + 22 + 10) / 3) < rising.ALPHA


@pytest.mark.parametrize("when", [(2025, 1), (2025, 2), (2026, 1), (2025, 10)])
def test_calm_months_flag_nothing(county, when):
    result = rising.rising_issues(county, month(*when))
    assert result.method == "seasonal"
    assert result.rising.height == 0, result.rising


def test_evidence_holds_the_series_and_the_band(county):
    result = rising.rising_issues(county, month(2026, 2))
    evidence = result.evidence.filter(pl.col("series_id") == f"c{LAND}/t{XISHAN}").sort("month")
    assert evidence.height == 36 + 1
    assert evidence["month"][0] == add_months(date(2026, 2, 1), -36) and evidence["month"][-1] == date(2026, 2, 1)
    assert evidence["is_target"].to_list() == [False] * 36 + [True]
    assert evidence["received"][-3:].to_list() == [6, 12, 33]
    assert (evidence["lower"] <= evidence["expected"]).all() and (evidence["expected"] <= evidence["upper"]).all()


def test_a_township_officer_sees_their_own_township_only(county):
    result = rising.rising_issues(county, CaseFilter.for_month(2026, 2, scope=Scope(township_id=XISHAN,
                                                                                     see_accusations=False)))
    # With one township in view its series are the categories'; no park lies in 西山乡.
    assert set(result.issues["level"].to_list()) == {"category"}
    assert result.rising["series_id"].to_list() == [f"c{LAND}"]
    assert result.rising["received"].to_list() == [33]


def _short_county(engine, first: date, last: date, spike: int):
    with engine.begin() as conn:
        conn.execute(insert(Township), [{"id": 1, "name": "甲镇", "kind": "town"}])
        conn.execute(insert(Category), [{"id": 1, "code": "land_acquisition", "name": "征地拆迁"}])
    rows, m = [], first
    while m <= last:
        n = spike if m == last else 10
        rows += [case_row(f"Q-{m:%Y%m}-{i}", received_on=m.replace(day=1 + i % 28), township_id=1, category_id=1)
                 for i in range(n)]
        m = add_months(m, 1)
    insert_cases(engine, rows)
    refresh(engine)


def test_short_history_says_so_and_uses_the_simple_rule(sqlite_engine):
    # 12 months of 10 from 2025-03, then 30 in 2026-03: mean 10, P(X ≥ 30 | 10) ≈ 7e-7 < 0.001, 30 ≥ 10 + 5.
    _short_county(sqlite_engine, date(2025, 3, 1), date(2026, 3, 1), spike=30)
    result = rising.rising_issues(sqlite_engine, month(2026, 3))
    assert result.method == "simple" and result.history_months == 12
    assert result.rule_zh == rising.SIMPLE_RULE_ZH and "24" in result.rule_zh
    assert result.rule_en == rising.SIMPLE_RULE_EN
    row = result.rising.row(0, named=True)
    assert (row["series_id"], row["received"], row["expected"], row["model"]) == ("c1", 30, 10.0, "simple")
    assert result.rising.height == 1  # one township: its series are the category's


def test_short_history_calm_month_flags_nothing(sqlite_engine):
    _short_county(sqlite_engine, date(2025, 3, 1), date(2026, 3, 1), spike=14)  # 14 < upper edge (21)
    result = rising.rising_issues(sqlite_engine, month(2026, 3))
    assert result.method == "simple" and result.rising.height == 0


def test_almost_no_history_tests_nothing(sqlite_engine):
    _short_county(sqlite_engine, date(2026, 2, 1), date(2026, 3, 1), spike=40)
    result = rising.rising_issues(sqlite_engine, month(2026, 3))
    assert result.method == "none" and result.history_months == 1
    assert result.issues.height == 0 and result.rule_zh == rising.NONE_RULE_ZH
