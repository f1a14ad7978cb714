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
    def make(role: str, township_id: int | None = None, projection: bool = False) -> AppTest:
        # What a click on 东岭镇 stores.
        query = {"month": "2026-03", **({"projection": "1"} if projection else {})}
        return open_page(db_url, "map", role=role, township_id=township_id, timeout=120,
                         state={"map.selected": f"township:{T1}"}, errors_allowed=True, **query)

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


def test_no_reveal_for_township_officers(open_panel):
    at = open_panel("township", T1)
    assert len(at.tabs) >= 2  # the overdue and backlog lists are there...
    keys = {el.key for el in at.selectbox} | {el.key for el in at.button}
    assert "w.reveal.map.case" not in keys and "w.reveal.map.go" not in keys  # ...but no way to reveal


def _downloads(at: AppTest) -> list[str]:
    return [el.proto.label for el in at.get("download_button")]


@pytest.mark.parametrize(("role", "township_id"), [("office", None), ("leader", None), ("township", T1)])
def test_roles_with_case_lists_get_them_and_an_audited_download(open_panel, role, township_id):
    at = open_panel(role, township_id)
    labels = [tab.label for tab in at.tabs]
    assert labels[:2] == ["超期未结件 (1)" if role == "township" else "超期未结件 (2)",
                          "积案 (1)" if role == "township" else "积案 (2)"]
    assert at.dataframe[0].value["信访件编号"].tolist() == (["T1-OLD"] if role == "township" else ["T1-OLD", "T1-OLD-ACC"])
    # Overdue, backlog and the hot spot list (when it lists any): each with the app's own Excel download.
    assert _downloads(at)[:2] == ["下载 Excel（将被记录）"] * 2


@pytest.mark.parametrize("role", ["projection", "office"])
def test_the_wall_screen_shows_no_case_list_and_no_download(open_panel, role):
    """The projection account may not list cases; the office on the wall screen does not either."""
    at = open_panel(role, projection=role == "office")
    assert [m.label for m in at.metric][:1] == ["信访总量（件）"]  # the panel is there, figures only
    assert len(at.tabs) == 0
    shown = " ".join(str(df.value) for df in at.dataframe)
    assert "T1-OLD" not in shown
    assert _downloads(at) == []
    keys = {el.key for el in at.selectbox} | {el.key for el in at.button}
    assert "w.reveal.map.case" not in keys
