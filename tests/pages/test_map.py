"""The map page in Streamlit's AppTest, on the demo county (3,000 cases up to today).

AppTest cannot click inside the map's iframe (the browser test does that):
here the area is chosen with the panel's selector, which sets the same state
as a click. Expected figures come from the metrics engine itself.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data.db import make_engine
from queries import areas, hotspots, metrics
from queries.areas import MEASURES
from services.demo import build_demo
from text.formatting import format_count


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('map') / 'demo.sqlite'}"
    engine = make_engine(url)
    try:
        build_demo(engine, cases=3000, seed=3)
    finally:
        engine.dispose()
    return url


@pytest.fixture
def open_map(db_url, open_page):
    def make(role: str = "office", township_id: int | None = None, selected: str | None = None, **query) -> AppTest:
        # A click on the map stores the area in "map.selected".
        state = {"map.selected": selected} if selected is not None else None
        return open_page(db_url, "map", role=role, township_id=township_id, state=state, timeout=120, **query)

    return make


def _engine_figures(db_url, flt, level, area_id) -> dict:
    engine = make_engine(db_url)
    try:
        figures = metrics.area_figures(engine, flt, level)
        previous = metrics.area_figures(engine, flt.previous_period(), level)
    finally:
        engine.dispose()
    current = figures.filter(figures["id"] == area_id).row(0, named=True)
    before = previous.filter(previous["id"] == area_id).row(0, named=True)
    return {"received": current["received"], "overdue_open": current["overdue_open"],
            "change_mom": current["received"] - before["received"]}


def _metric(at: AppTest, label: str) -> str:
    (value,) = [m.value for m in at.metric if m.label == label]
    return value


def test_the_page_renders_with_the_rule_and_a_prompt(open_map):
    at = open_map()
    assert at.title[0].value.startswith("信访分布地图")
    captions = " ".join(c.value for c in at.caption)
    assert "单侧泊松检验" in captions and f"< {hotspots.ALPHA}" in captions
    assert any("点击地图" in i.value for i in at.info)
    assert at.selectbox(key="w.map.measure").value == "received"


def test_the_panel_shows_the_chosen_townships_figures(open_map, db_url):
    at = open_map()
    at.selectbox(key="w.map.area").select("township:4").run()
    assert not at.exception
    flt = at.session_state["flt.active"]
    expected = _engine_figures(db_url, flt, "township", 4)
    assert _metric(at, "信访总量（件）") == format_count(expected["received"])
    assert _metric(at, "超期未结（件）") == format_count(expected["overdue_open"])
    change = expected["change_mom"]
    assert _metric(at, "环比增减（件）") == (f"+{change:,}" if change > 0 else f"{change:,}")
    engine = make_engine(db_url)
    try:
        name = areas.boundaries(engine, "township").filter(areas.pl.col("id") == 4)["name"][0]
        leaders = areas.area_leaders(engine, "township", 4, flt.end)
    finally:
        engine.dispose()
    assert any(name in h.value for h in at.subheader)
    # The linked leader (挂点) is named in the panel.
    shown = " ".join(m.value for m in at.markdown)
    assert all(leader in shown for leader in leaders["name"])
    # The case lists carry no personal data: only the listed columns.
    for frame in (df.value for df in at.dataframe):
        assert not {"name", "id_number", "phone", "address", "姓名", "身份证号", "电话"} & set(frame.columns)


def test_a_park_panel_has_no_per_10k_figure(open_map):
    at = open_map()
    at.selectbox(key="w.map.area").select("park:1").run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "每万人信访量" not in labels and "积案（件）" in labels


@pytest.mark.parametrize("measure", MEASURES)
def test_every_measure_draws(open_map, measure):
    at = open_map()
    at.selectbox(key="w.map.measure").select(measure).run()
    assert not at.exception
    assert at.session_state["map.measure"] == measure


def test_english_and_projection(open_map):
    # Chosen before the run: AppTest formats an English run's options in Chinese on a second run.
    at = open_map(selected="township:2", lang="en", projection="1")
    assert at.title[0].value.startswith("Where petitions come from")
    assert "Cases received" in [m.label for m in at.metric]
    assert "Per 10,000 residents" in [m.label for m in at.metric]


def test_a_township_officer_sees_only_their_township(open_map, db_url):
    at = open_map(role="township", township_id=2)
    options = at.selectbox(key="w.map.area").options
    engine = make_engine(db_url)
    try:
        parks_there = areas.boundaries(engine, "park").filter(areas.pl.col("township_id") == 2)["id"].to_list()
    finally:
        engine.dispose()
    assert len(options) == 1 + len(parks_there)


def test_the_hot_spot_list_shows_the_flagged_areas_of_both_levels(open_map, db_url):
    from queries import reference
    from queries.filters import CaseFilter, add_months

    engine = make_engine(db_url)
    try:
        last = reference.data_period(engine)[1].replace(day=1)
        for back in range(1, 25):
            month = add_months(last, -back)
            flagged = {level: hotspots.flagged(engine, CaseFilter.for_month(month.year, month.month), level)
                       for level in ("township", "park")}
            if all(not frame.is_empty() for frame in flagged.values()):
                break
        else:
            pytest.fail("the demo county has no month with a hot township and a hot park")
    finally:
        engine.dispose()
    at = open_map(month=f"{month.year:04d}-{month.month:02d}")
    (table,) = [df.value for df in at.dataframe]  # no area chosen: the hot spots are the only table
    assert list(table.columns) == ["地区", "类型", "本期（件）", "预期（件）", "P 值"]
    expected = [(row["name"], label, row["observed"], row["expected"], f"{row['p_value']:.1e}")
                for level, label in (("township", "乡镇（街道）"), ("park", "工业园区"))
                for row in flagged[level].iter_rows(named=True)]
    shown = list(table.itertuples(index=False, name=None))
    assert [(name, level, observed, p) for name, level, observed, _, p in shown] == \
        [(name, level, observed, p) for name, level, observed, _, p in expected]
    # The expected count is shown to one decimal.
    assert [row[3] for row in shown] == [pytest.approx(row[3], abs=0.05) for row in expected]
