"""The figures behind the map and its click panel, against the hand-worked county.

The county (tests/hand_county.py): township 1 甲镇 and township 2 乙乡, park 1
in township 1, cases A–M. March 2026 per township, worked out by hand from the
comments there:

| | 甲镇 (1) | 乙乡 (2) | park 1 |
| --- | --- | --- | --- |
| received in March | A B J = 3 | C D = 2 | A = 1 |
| received in February (环比) | 0 | K = 1 | 0 |
| received in March 2025 (同比) | 0 | 0 | 0 |
| first-time | A B = 2 | D = 1 | A = 1 |
| overdue open at 03-31 | E (due 02-14) = 1 | G (due 03-04) = 1 | 0 |
| backlog at 03-31 (received before 2025-12-31) | E = 1 | 0 | 0 |

This file adds populations (30,000 and 8,000), leaders, links, reception
points and sessions.
"""

from __future__ import annotations

from datetime import date

import pytest
from hand_county import MARCH, RULES
from sqlalchemy import insert, update

from data.models import Leader, LeaderLink, Park, ReceptionPoint, ReceptionSession, Township
from queries import areas, choropleth, hotspots, metrics
from queries.filters import CaseFilter, Scope

SQUARE = '{"type": "Polygon", "coordinates": [[[119.0, 26.0], [119.1, 26.0], [119.1, 26.1], [119.0, 26.0]]]}'
SQUARE_FULL = '{"type": "Polygon", "coordinates": [[[119.2, 26.0], [119.3, 26.0], [119.3, 26.1], [119.2, 26.0]]]}'


@pytest.fixture
def mapped_county(county):
    with county.begin() as conn:
        conn.execute(update(Township).where(Township.id == 1).values(
            population=30_000, boundary=SQUARE_FULL, boundary_display=SQUARE, centroid_lon=119.05, centroid_lat=26.05))
        # Township 2 has only the original boundary: the map falls back to it.
        conn.execute(update(Township).where(Township.id == 2).values(population=8_000, boundary=SQUARE_FULL))
        conn.execute(update(Park).where(Park.id == 1).values(boundary_display=SQUARE))
        conn.execute(insert(Leader), [
            {"id": 1, "name": "县委书记甲", "title": "县委书记", "rank": 1},
            {"id": 2, "name": "副县长乙", "title": "副县长", "rank": 5},
            {"id": 3, "name": "县长丙", "title": "县长", "rank": 2},
        ])
        conn.execute(insert(LeaderLink), [
            {"leader_id": 2, "township_id": 1, "park_id": None},
            {"leader_id": 3, "township_id": 1, "park_id": None},
            {"leader_id": 1, "township_id": None, "park_id": 1},
        ])
        conn.execute(insert(ReceptionPoint), [
            # The county centre lies in 甲镇 but serves the whole county.
            {"id": 1, "name": "县群众接访中心", "kind": "county_centre", "township_id": 1, "lon": 119.9, "lat": 26.9},
            {"id": 2, "name": "甲镇接访点", "kind": "township_point", "township_id": 1, "lon": 119.05, "lat": 26.05},
            {"id": 3, "name": "乙乡接访点", "kind": "township_point", "township_id": 2, "lon": None, "lat": None},
        ])
        session = {"petitioners_received": 3, "cases_taken": 1, "township_id": None, "park_id": None,
                   "reception_point_id": None}
        conn.execute(insert(ReceptionSession), [
            # At 甲镇's reception point (no township_id on the session itself): counts for 甲镇.
            {**session, "leader_id": 2, "held_on": date(2026, 3, 10), "kind": "township_point", "place": "甲镇接访点",
             "reception_point_id": 2},
            {**session, "leader_id": 3, "held_on": date(2026, 2, 15), "kind": "outreach", "place": "甲镇",
             "township_id": 1},
            # A follow-up visit (回访) is not a reception; one after the period is not yet.
            {**session, "leader_id": 2, "held_on": date(2026, 3, 20), "kind": "follow_up", "place": "甲镇",
             "township_id": 1},
            {**session, "leader_id": 2, "held_on": date(2026, 4, 15), "kind": "township_point", "place": "甲镇",
             "township_id": 1},
            {**session, "leader_id": 1, "held_on": date(2026, 3, 5), "kind": "outreach", "place": "东湖工业园区",
             "park_id": 1},
            # At the county centre: not a reception in 甲镇, although the centre lies there.
            {**session, "leader_id": 1, "held_on": date(2026, 3, 16), "kind": "monthly_15th", "place": "县群众接访中心",
             "reception_point_id": 1},
        ])
    return county


def _by_id(frame) -> dict[int, dict]:
    return {row["id"]: row for row in frame.iter_rows(named=True)}


def test_township_measures_by_hand(mapped_county):
    m = _by_id(areas.area_measures(mapped_county, MARCH, "township", RULES))
    assert set(m) == {1, 2}
    one, two = m[1], m[2]
    assert (one["received"], two["received"]) == (3, 2)
    assert one["per_10k"] == pytest.approx(3 * 10_000 / 30_000)  # 1.0
    assert two["per_10k"] == pytest.approx(2 * 10_000 / 8_000)  # 2.5
    assert (one["received_previous"], one["change_mom"]) == (0, 3)
    assert (two["received_previous"], two["change_mom"]) == (1, 1)  # K in February
    assert (one["change_yoy"], two["change_yoy"]) == (3, 2)
    assert one["first_time_share"] == pytest.approx(2 / 3)
    assert two["first_time_share"] == pytest.approx(1 / 2)
    assert (one["overdue_open"], two["overdue_open"]) == (1, 1)
    assert (one["backlog"], two["backlog"]) == (1, 0)
    assert one["in_filter"] and two["in_filter"]


def test_park_measures_have_no_population(mapped_county):
    m = _by_id(areas.area_measures(mapped_county, MARCH, "park", RULES))
    assert m[1]["received"] == 1
    assert m[1]["population"] is None and m[1]["per_10k"] is None
    assert m[1]["first_time_share"] == pytest.approx(1.0)


@pytest.mark.parametrize("level", ["township", "park"])
@pytest.mark.parametrize(
    "flt",
    [MARCH, CaseFilter.for_month(2026, 2), CaseFilter(date(2026, 1, 1), date(2026, 3, 31)),
     CaseFilter.for_month(2026, 3, scope=Scope(see_accusations=False)),
     CaseFilter.for_month(2026, 3, category_ids=(1,))],
    ids=["march", "february", "q1", "no-accusations", "category-1"],
)
def test_choropleth_figures_equal_the_metrics_engine(mapped_county, level, flt):
    measures = _by_id(areas.area_measures(mapped_county, flt, level, RULES))
    for name, period in (("received", flt), ("received_previous", flt.previous_period()),
                         ("received_year_earlier", flt.year_earlier())):
        engine_figures = _by_id(metrics.area_figures(mapped_county, period, level, RULES))
        assert {i: row[name] for i, row in measures.items()} == {i: engine_figures[i]["received"] for i in measures}
    engine_now = _by_id(metrics.area_figures(mapped_county, flt, level, RULES))
    for i, row in measures.items():
        for name in ("first_time", "overdue_open", "backlog"):
            assert row[name] == engine_now[i][name]


def test_scope_narrows_the_areas(mapped_county):
    officer = CaseFilter.for_month(2026, 3, scope=Scope(township_id=2))
    townships = areas.area_measures(mapped_county, officer, "township", RULES)
    assert townships["id"].to_list() == [2]
    assert townships["received"].to_list() == [2]
    # The only park lies in township 1: a township-2 officer's map has none.
    assert areas.area_measures(mapped_county, officer, "park", RULES).is_empty()


def test_areas_outside_the_sidebar_filter_are_marked(mapped_county):
    only_two = CaseFilter.for_month(2026, 3, township_ids=(2,))
    m = _by_id(areas.area_measures(mapped_county, only_two, "township", RULES))
    assert (m[1]["in_filter"], m[1]["received"]) == (False, 0)
    assert (m[2]["in_filter"], m[2]["received"]) == (True, 2)
    # A park filter leaves only the township holding the park.
    by_park = _by_id(areas.area_measures(mapped_county, CaseFilter.for_month(2026, 3, park_ids=(1,)), "township",
                                         RULES))
    assert (by_park[1]["in_filter"], by_park[2]["in_filter"]) == (True, False)


@pytest.mark.parametrize(
    "flt",
    [MARCH, CaseFilter(date(2026, 1, 1), date(2026, 3, 31)),
     CaseFilter.for_month(2026, 3, scope=Scope(township_id=2)),
     CaseFilter.for_month(2026, 3, scope=Scope(township_id=1, see_accusations=False)),
     CaseFilter.for_month(2026, 3, township_ids=(2,)), CaseFilter.for_month(2026, 3, park_ids=(1,))],
    ids=["march", "q1", "officer-2", "officer-1-no-accusations", "township-2", "park-1"],
)
def test_map_figures_are_the_measures_and_hot_spots_one_by_one(mapped_county, flt):
    # One cache entry per filter change for the whole map: the same frames as each function on its own.
    figures = choropleth.map_figures(mapped_county, flt, RULES)
    assert set(figures) == {"township", "park"}
    for level in ("township", "park"):
        assert figures[level]["measures"].equals(areas.area_measures(mapped_county, flt, level, RULES))
        assert figures[level]["hot_spots"].equals(hotspots.hot_spots(mapped_county, flt, level))
    if flt.scope.township_id == 2:
        # The officer of township 2 gets neither township 1 nor its park.
        assert figures["township"]["measures"]["id"].to_list() == [2]
        assert figures["park"]["measures"].is_empty() and figures["park"]["hot_spots"].is_empty()


def test_averages_by_hand(mapped_county):
    avg = areas.averages(areas.area_measures(mapped_county, MARCH, "township", RULES))
    assert avg["received"] == pytest.approx(2.5)
    assert avg["per_10k"] == pytest.approx(5 * 10_000 / 38_000)  # the county's rate, not a mean of 1.0 and 2.5
    assert avg["first_time_share"] == pytest.approx(3 / 5)
    assert avg["change_mom"] == pytest.approx(2.0)
    assert avg["overdue_open"] == pytest.approx(1.0)


def test_averages_leave_out_areas_outside_the_filter_and_without_residents():
    frame = areas.pl.DataFrame(
        [(1, True, 10, 2, 1, -3, 4, 1, 100_000), (2, True, 5, 0, 5, 1, 0, 0, 0), (3, False, 99, 99, 99, 99, 99, 99, 10)],
        schema=["id", "in_filter", "received", "first_time", "change_mom", "change_yoy", "overdue_open", "backlog",
                "population"], orient="row")
    avg = areas.averages(frame)
    # Areas 1 and 2 only: (10 + 5) / 2, (1 + 5) / 2, (-3 + 1) / 2 ...
    assert (avg["received"], avg["change_mom"], avg["change_yoy"], avg["overdue_open"], avg["backlog"]) == \
        (7.5, 3.0, -1.0, 2.0, 0.5)
    assert avg["per_10k"] == pytest.approx(10 * 10_000 / 100_000)  # area 2 has no residents: not in the rate
    assert avg["first_time_share"] == pytest.approx(2 / 15)
    assert all(value is None for value in areas.averages(frame.filter(~frame["in_filter"])).values())


def test_boundaries_prefer_the_display_copy(mapped_county):
    b = _by_id(areas.boundaries(mapped_county, "township"))
    assert b[1]["boundary"] == SQUARE
    assert b[2]["boundary"] == SQUARE_FULL
    assert b[1]["population"] == 30_000
    parks = _by_id(areas.boundaries(mapped_county, "park"))
    assert parks[1]["township_id"] == 1 and parks[1]["population"] is None


def test_reception_points_need_coordinates(mapped_county):
    assert areas.reception_points(mapped_county)["name"].to_list() == ["县群众接访中心", "甲镇接访点"]


def test_click_panel_for_township_one(mapped_county):
    trend = areas.area_trend(mapped_county, MARCH, "township", 1)
    assert trend.height == 13
    assert trend["month"][-1] == date(2026, 3, 1)
    assert trend["received"][-1] == 3  # A B J
    assert trend["received"][-2] == 0  # nothing from 甲镇 in February (K is 乙乡's)
    assert trend["received"][-4] == 1  # E, December 2025
    mix = areas.area_categories(mapped_county, MARCH, "township", 1)
    assert dict(zip(mix["label"], mix["received"], strict=True)) == {"劳动社保": 1, "纪检监察": 1}  # A, J (B has none)
    overdue = areas.area_open_cases(mapped_county, MARCH, "township", 1, "overdue", RULES)
    assert overdue["case_number"].to_list() == ["E"]
    assert "name" not in overdue.columns and "phone" not in overdue.columns
    backlog = areas.area_open_cases(mapped_county, MARCH, "township", 2, "backlog", RULES)
    assert backlog.is_empty()


@pytest.mark.parametrize(("level", "area_id"), [("township", 1), ("township", 2), ("park", 1)])
@pytest.mark.parametrize(
    "flt",
    [MARCH, CaseFilter(date(2026, 3, 1), date(2026, 3, 17)), CaseFilter(date(2026, 1, 1), date(2026, 3, 31)),
     CaseFilter.for_month(2026, 3, scope=Scope(see_accusations=False)),
     CaseFilter.for_month(2026, 3, scope=Scope(township_id=2)), CaseFilter.for_month(2026, 3, category_ids=(1,))],
    ids=["march", "mid-march", "q1", "no-accusations", "officer-2", "category-1"],
)
@pytest.mark.parametrize("source", ["auto", "raw"])
def test_the_panels_trend_is_the_engines_monthly_trend(mapped_county, level, area_id, flt, source, monkeypatch):
    if source == "raw":
        # The summary cannot answer: both read the cases table.
        monkeypatch.setattr(metrics.summary, "received_by_month_rows", lambda *a, **k: None)
        monkeypatch.setattr(metrics.summary, "period_counts", lambda *a, **k: None)
    trend = areas.area_trend(mapped_county, flt, level, area_id)
    narrowed = areas.area_filter(flt, level, area_id)
    engine_trend = metrics.monthly_trend(mapped_county, narrowed, 13, RULES)
    assert trend["month"].to_list() == engine_trend["month"].to_list()
    assert trend["received"].to_list() == engine_trend["received"].to_list()


def test_click_panel_keeps_the_scope(mapped_county):
    hidden = CaseFilter.for_month(2026, 3, scope=Scope(see_accusations=False))
    mix = areas.area_categories(mapped_county, hidden, "township", 1)
    assert dict(zip(mix["label"], mix["received"], strict=True)) == {"劳动社保": 1}
    officer = CaseFilter.for_month(2026, 3, scope=Scope(township_id=2))
    assert areas.area_trend(mapped_county, officer, "township", 1)["received"].sum() == 0


def test_area_outside_the_filter_has_no_panel(mapped_county):
    only_two = CaseFilter.for_month(2026, 3, township_ids=(2,))
    assert areas.area_filter(only_two, "township", 1) is None
    assert areas.area_trend(mapped_county, only_two, "township", 1) is None
    narrowed = areas.area_filter(CaseFilter.for_month(2026, 3, category_ids=(1,)), "park", 1)
    assert (narrowed.park_ids, narrowed.category_ids) == ((1,), (1,))


def test_linked_leaders_and_their_last_reception(mapped_county):
    leaders = areas.area_leaders(mapped_county, "township", 1, MARCH.end)
    # Protocol order: 县长 (rank 2) before 副县长 (rank 5).
    assert leaders["name"].to_list() == ["县长丙", "副县长乙"]
    # 县长丙: outreach 02-15. 副县长乙: 03-10 at the township point (the 03-20 follow-up and 04-15 do not count).
    assert leaders["last_received_on"].to_list() == [date(2026, 2, 15), date(2026, 3, 10)]
    park = areas.area_leaders(mapped_county, "park", 1, MARCH.end)
    assert park.select("name", "last_received_on").rows() == [("县委书记甲", date(2026, 3, 5))]
    assert areas.area_leaders(mapped_county, "township", 2, MARCH.end).is_empty()


def test_last_reception_in_an_area(mapped_county):
    last = areas.last_reception(mapped_county, "township", 1, MARCH.end)
    assert (last["held_on"], last["leader"], last["kind"]) == (date(2026, 3, 10), "副县长乙", "township_point")
    assert areas.last_reception(mapped_county, "township", 1, date(2026, 2, 28))["held_on"] == date(2026, 2, 15)
    assert areas.last_reception(mapped_county, "park", 1, MARCH.end)["leader"] == "县委书记甲"
    assert areas.last_reception(mapped_county, "township", 2, MARCH.end) is None


def test_unknown_level_is_refused(mapped_county):
    with pytest.raises(ValueError):
        areas.area_measures(mapped_county, MARCH, "village", RULES)


def test_panel_bundles_the_area_figures(mapped_county):
    panel = areas.area_panel(mapped_county, MARCH, "township", 1, RULES)
    assert panel["trend"]["received"][-1] == 3
    assert panel["overdue"]["case_number"].to_list() == ["E"]
    assert panel["backlog"]["case_number"].to_list() == ["E"]
    assert panel["leaders"]["name"].to_list() == ["县长丙", "副县长乙"]
    assert panel["last_reception"]["held_on"] == date(2026, 3, 10)
    assert areas.area_panel(mapped_county, CaseFilter.for_month(2026, 3, township_ids=(2,)), "township", 1,
                            RULES) is None


def test_only_held_sessions_count_as_receptions(mapped_county):
    # Issue 11 (migration 0005): a cancelled or still-planned session later in March received nobody.
    with mapped_county.begin() as conn:
        conn.execute(insert(ReceptionSession), [
            {"leader_id": 3, "held_on": date(2026, 3, 25), "kind": "township_point", "place": "甲镇接访点",
             "reception_point_id": 2, "township_id": None, "park_id": None, "petitioners_received": 0,
             "cases_taken": 0, "status": status, "reason": "改期"}
            for status in ("cancelled", "planned")
        ])
    assert areas.last_reception(mapped_county, "township", 1, MARCH.end)["held_on"] == date(2026, 3, 10)
    leaders = areas.area_leaders(mapped_county, "township", 1, MARCH.end)
    assert leaders["last_received_on"].to_list() == [date(2026, 2, 15), date(2026, 3, 10)]
