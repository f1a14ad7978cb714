"""The hot-spot rule on counties built to contain exactly one hot spot, and none.

The built county: March 2025 – February 2026 is the history, March 2026 the
period under test.

| township | each history month | March 2026 | λ | P(X ≥ obs. given λ) | obs. ≥ λ + 5 | hot? |
| --- | --- | --- | --- | --- | --- | --- |
| 1 X | 10 | 40 (30 of them in park 1) | 10 | 7.3e-13 | yes | yes |
| 2 Y | 10 | 12 | 10 | 0.30 | no | no |
| 3 Z | 3 | 7 | 3 | 0.034 | no | no |
| 4 W | 3 cases in the whole year | 4 | 0.25 | 1.3e-4 | no (4 < 5.25) | no |

W shows why the excess condition is there: its p-value is tiny, but four
petitions in a quiet township are not a hot spot.
"""

from __future__ import annotations

import math
from datetime import date

import pytest
from factories import case_row, insert_cases
from sqlalchemy import event, insert

from data.models import Category, Park, Township
from queries import choropleth, hotspots
from queries.filters import CaseFilter, Scope, add_months

MARCH = CaseFilter.for_month(2026, 3)
HISTORY = [add_months(date(2026, 3, 1), -k) for k in range(12, 0, -1)]  # 2025-03 … 2026-02


def _month_cases(prefix: str, month: date, n: int, **values) -> list[dict]:
    # Spread over the first 28 days so that every month holds them all.
    return [case_row(f"{prefix}-{month:%Y%m}-{i}", received_on=month.replace(day=1 + i % 28), **values)
            for i in range(n)]


def _county(engine, *, spike: bool):
    with engine.begin() as conn:
        conn.execute(insert(Township), [{"id": i, "name": n, "kind": "town"}
                                        for i, n in ((1, "X镇"), (2, "Y镇"), (3, "Z乡"), (4, "W乡"))])
        conn.execute(insert(Park), [{"id": 1, "name": "X工业园区", "township_id": 1}])
        conn.execute(insert(Category), [{"id": 1, "code": "labour_social_security", "name": "劳动社保"},
                                         {"id": 2, "code": "land_acquisition", "name": "征地拆迁"}])
    rows: list[dict] = []
    for month in HISTORY:
        rows += _month_cases("X", month, 10, township_id=1, category_id=2)
        rows += _month_cases("Y", month, 10, township_id=2, category_id=2)
        rows += _month_cases("Z", month, 3, township_id=3, category_id=2)
    for month in HISTORY[:3]:
        rows += _month_cases("W", month, 1, township_id=4, category_id=2)
    march = date(2026, 3, 1)
    if spike:
        rows += _month_cases("X", march, 10, township_id=1, category_id=2)
        # 欠薪 in the park: the spike is labour cases.
        rows += _month_cases("XP", march, 30, township_id=1, park_id=1, category_id=1)
        rows += _month_cases("Y", march, 12, township_id=2, category_id=2)
        rows += _month_cases("Z", march, 7, township_id=3, category_id=2)
        rows += _month_cases("W", march, 4, township_id=4, category_id=2)
    else:
        rows += _month_cases("X", march, 10, township_id=1, category_id=2)
        rows += _month_cases("Y", march, 10, township_id=2, category_id=2)
        rows += _month_cases("Z", march, 3, township_id=3, category_id=2)
    insert_cases(engine, rows)
    return engine


@pytest.fixture
def spiked(engine):
    return _county(engine, spike=True)


@pytest.fixture
def flat(engine):
    return _county(engine, spike=False)


def _rows(frame) -> dict[int, dict]:
    return {row["id"]: row for row in frame.iter_rows(named=True)}


def test_exactly_one_hot_township(spiked):
    result = _rows(hotspots.hot_spots(spiked, MARCH, "township"))
    assert [i for i, row in result.items() if row["is_hot_spot"]] == [1]
    x, y, z, w = result[1], result[2], result[3], result[4]
    assert (x["observed"], x["expected"], x["history_months"]) == (40, pytest.approx(10.0), 12)
    assert x["p_value"] < 1e-12
    assert (y["observed"], y["expected"]) == (12, pytest.approx(10.0))
    assert y["p_value"] == pytest.approx(0.3032, abs=1e-4)
    assert (z["observed"], z["expected"]) == (7, pytest.approx(3.0))
    assert z["p_value"] == pytest.approx(0.0335, abs=1e-4)
    assert (w["observed"], w["expected"]) == (4, pytest.approx(0.25))
    assert w["p_value"] < hotspots.ALPHA  # significant, yet not 5 above what was expected
    assert not w["is_hot_spot"]


def test_hot_spots_come_first(spiked):
    assert hotspots.hot_spots(spiked, MARCH, "township")["id"][0] == 1
    assert hotspots.flagged(spiked, MARCH, "township")["name"].to_list() == ["X镇"]


def test_the_park_behind_the_spike_is_a_hot_spot(spiked):
    park = _rows(hotspots.hot_spots(spiked, MARCH, "park"))[1]
    # No park case in the history: λ = 0, and 30 cases is far above it.
    assert (park["observed"], park["expected"], park["is_hot_spot"]) == (30, 0.0, True)


def test_flagged_tests_only_what_can_be_hot_and_finds_the_same(spiked):
    """flagged skips the p-value of areas below λ + 5 (never hot): the same frame as testing all of them."""
    from polars.testing import assert_frame_equal

    for flt in [MARCH, CaseFilter.for_month(2026, 2), CaseFilter.for_month(2026, 3, category_ids=(1,)),
                CaseFilter(start=date(2026, 2, 10), end=date(2026, 3, 31))]:
        for level in ("township", "park"):
            every = hotspots.hot_spots(spiked, flt, level)
            assert_frame_equal(hotspots.flagged(spiked, flt, level), every.filter(every["is_hot_spot"]))
    # W: a p-value below ALPHA, but 4 < 0.25 + 5: never tested, never flagged; X still is.
    assert hotspots.hot_spots(spiked, MARCH, "township", only_flagged=True)["id"].to_list() == [1]


@pytest.mark.parametrize("flt", [MARCH, CaseFilter.for_month(2026, 3, scope=Scope(township_id=1)),
                                 CaseFilter.for_month(2026, 3, scope=Scope(township_id=2))],
                         ids=["county", "officer-1", "officer-2"])
def test_the_maps_one_call_finds_the_same_hot_spots(spiked, flt):
    # queries.choropleth.map_figures reads the areas in scope and the history months once for both levels.
    figures = choropleth.map_figures(spiked, flt)
    for level in ("township", "park"):
        alone = hotspots.hot_spots(spiked, flt, level)
        assert figures[level]["hot_spots"].equals(alone)
    hot = figures["township"]["hot_spots"].filter(figures["township"]["hot_spots"]["is_hot_spot"])["id"].to_list()
    assert hot == ([] if flt.scope.township_id == 2 else [1])


def test_flat_county_has_none(flat):
    for level in ("township", "park"):
        assert hotspots.flagged(flat, MARCH, level).is_empty()


def test_the_rule_follows_the_filter(spiked):
    # Without the labour cases the spike is gone.
    land_only = CaseFilter.for_month(2026, 3, category_ids=(2,))
    assert hotspots.flagged(spiked, land_only, "township").is_empty()
    # A township officer of Y sees only Y, which is not a hot spot.
    officer = CaseFilter.for_month(2026, 3, scope=Scope(township_id=2))
    result = hotspots.hot_spots(spiked, officer, "township")
    assert result["id"].to_list() == [2] and not result["is_hot_spot"][0]


def test_monthly_counts_in_one_grouped_statement(spiked):
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(spiked, "before_cursor_execute", record)
    try:
        counts = hotspots.monthly_counts(spiked, MARCH, "township")
    finally:
        event.remove(spiked, "before_cursor_execute", record)
    # One grouped statement (over cases here; over the monthly summary when it is current),
    # besides the summary's one-row freshness check (and PostgreSQL's SET LOCAL for the summary's reads).
    queries = [s for s in statements if not s.startswith("SET LOCAL ")]
    assert sum("GROUP BY" in s.upper() for s in queries) == 1 and len(queries) <= 2
    x = {row["bucket"]: row["received"] for row in counts.filter(counts["id"] == 1).iter_rows(named=True)}
    assert x == {0: 40, **{k: 10 for k in range(1, 13)}}


def test_history_shorter_than_a_year(spiked):
    # September 2025: history holds March–August 2025 only (6 months of data before it).
    september = CaseFilter.for_month(2025, 9)
    x = _rows(hotspots.hot_spots(spiked, september, "township"))[1]
    assert x["history_months"] == 6
    assert x["expected"] == pytest.approx(10.0)
    # The first month of data has no history at all: nothing can be flagged.
    first = hotspots.hot_spots(spiked, CaseFilter.for_month(2025, 3), "township")
    assert first["expected"].null_count() == first.height and not first["is_hot_spot"].any()


def test_a_longer_period_expects_more():
    two_months = CaseFilter(date(2026, 2, 1), date(2026, 3, 31))
    assert hotspots.period_months(two_months) == 2.0
    assert hotspots.period_months(CaseFilter(date(2026, 3, 1), date(2026, 3, 15))) == pytest.approx(
        15 / (365.25 / 12))


@pytest.mark.parametrize(
    ("k", "lam", "expected"),
    [
        (0, 3.0, 1.0),
        (1, 0.5, 1 - math.exp(-0.5)),
        # P(X >= 3 | 2) = 1 - e^-2 (1 + 2 + 2) = 1 - 5 e^-2
        (3, 2.0, 1 - 5 * math.exp(-2)),
        (1, 0.0, 0.0),
    ],
)
def test_poisson_tail_by_hand(k, lam, expected):
    assert hotspots.poisson_upper_tail(k, lam) == pytest.approx(expected, rel=1e-12)


def test_poisson_tail_far_out():
    # P(X = 40 | 10) = e^-10 10^40 / 40! = 5.564e-13; the terms after it add a third more: 7.3416e-13
    # (the value scipy.stats.poisson.sf(39, 10) gives).
    assert hotspots.poisson_upper_tail(40, 10.0) == pytest.approx(7.3416e-13, rel=1e-4)


def test_a_period_starting_mid_month(spiked):
    # 10–31 March 2026 (22 days). X's cases fall on days 1 + i % 28: of the 10 township cases
    # only day 10 is in, of the 30 park cases days 10–28 (19): observed 20. History: the same
    # 12 months (March's first nine days belong to neither), λ = 10 × 22 / (365.25 / 12).
    late_march = CaseFilter(date(2026, 3, 10), date(2026, 3, 31))
    x = _rows(hotspots.hot_spots(spiked, late_march, "township"))[1]
    assert x["observed"] == 20
    assert x["expected"] == pytest.approx(10 * 22 / (365.25 / 12))
    assert x["is_hot_spot"]
