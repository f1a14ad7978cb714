"""The map's click panel lists cases: the personal-data panel under them is there for the office and leaders only."""

from __future__ import annotations

import json

import pytest
from scoped_county import T1, T2, build_scoped_county
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from data import audit
from data.db import make_engine, migrate
from data.models import Park, Township


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('map-reveal') / 'county.sqlite'}"
    engine = make_engine(url)
    migrate(engine)
    build_scoped_county(engine)
    with engine.begin() as conn:  # the map page needs boundaries: two squares side by side, a park in each
        for table, area_id, x0, size in ((Township, T1, 118.0, 0.1), (Township, T2, 118.1, 0.1),
                                         (Park, 1, 118.03, 0.02), (Park, 2, 118.13, 0.02)):
            ring = [[x0, 26.0], [x0 + size, 26.0], [x0 + size, 26.0 + size], [x0, 26.0 + size], [x0, 26.0]]
            conn.execute(update(table).where(table.id == area_id).values(
                boundary=json.dumps({"type": "Polygon", "coordinates": [ring]}),
                centroid_lon=x0 + size / 2, centroid_lat=26.0 + size / 2,
            ))
    engine.dispose()
    return url


@pytest.fixture
def open_panel(db_url, open_page):
    def make(role: str, township_id: int | None = None) -> AppTest:
        # What a click on 东岭镇 stores.
        return open_page(db_url, "map", role=role, township_id=township_id, timeout=120,
                         state={"map.selected": f"township:{T1}"}, errors_allowed=True, month="2026-03")

    return make


def test_office_reveals_a_listed_case_and_it_is_logged(open_panel, db_url):
    at = open_panel("office")
    picker = at.selectbox(key="w.reveal.map.case")
    assert picker.options == ["T1-OLD", "T1-OLD-ACC"]  # the overdue and backlog lists, once each
    picker.select("T1-OLD")
    at.run()
    at.button(key="w.reveal.map.go").click()
    at.run()
    assert [s.value for s in at.success] == ["已显示完整信息，本次查看已记入审计日志。"]
    engine = make_engine(db_url)
    try:
        rows = audit.search(engine, action="reveal_personal_data")
    finally:
        engine.dispose()
    assert rows.select("username", "object", "outcome").rows()[0] == ("test-office", "T1-OLD", "success")


@pytest.mark.parametrize(("role", "township_id"), [("township", T1), ("projection", None)])
def test_no_reveal_for_township_officers_or_the_wall_screen(open_panel, role, township_id):
    at = open_panel(role, township_id)
    assert len(at.tabs) >= 2  # the overdue and backlog lists are there...
    keys = {el.key for el in at.selectbox} | {el.key for el in at.button}
    assert "w.reveal.map.case" not in keys and "w.reveal.map.go" not in keys  # ...but no way to reveal
