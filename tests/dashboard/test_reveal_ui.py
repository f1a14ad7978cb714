"""The personal-data panel under case lists: masked first, one logged click to reveal, only for permitted roles."""

from __future__ import annotations

import pytest
from page_helpers import shown
from scoped_county import T1, build_scoped_county
from streamlit.testing.v1 import AppTest

from dashboard import gate
from data import audit
from data.db import make_engine, migrate
from services.auth import UserInfo

OFFICE = UserInfo(id=1, username="office1", role="office", township_id=None)
TOWNSHIP1 = UserInfo(id=2, username="officer1", role="township", township_id=T1)
PROJECTION = UserInfo(id=3, username="wall", role="projection", township_id=None)


def panel_script():
    from dashboard import reveal_ui

    reveal_ui.render_reveal(["T1-A", "T1-B", "T2-A"], key="test")


@pytest.fixture(scope="module")
def county_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('reveal') / 'county.sqlite'}"
    engine = make_engine(url)
    migrate(engine)
    build_scoped_county(engine)
    engine.dispose()
    return url


@pytest.fixture
def app(county_url, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_URL", county_url)

    def make(user, projection=False) -> AppTest:
        at = AppTest.from_function(panel_script, default_timeout=30)
        at.session_state[gate.USER_KEY] = user
        at.session_state["ui.projection"] = projection
        return at

    return make


def table_values(table) -> list:
    """The values column as read: st.table cells are Markdown, the values escaped (text.markup)."""
    return [shown(v) for v in table.value.iloc[:, 1].tolist()]


def test_office_sees_masked_then_reveals_with_a_logged_click(app, county_url):
    at = app(OFFICE)
    at.run()
    assert not at.exception
    assert len(at.expander) == 1 and len(at.table) == 0
    at.selectbox[0].select("T1-A")
    at.run()
    assert table_values(at.table[0]) == ["张*", "3509**********1234", "138****5678", "示范县东岭镇****"]
    at.button[0].click()
    at.run()
    assert table_values(at.table[1]) == ["张三", "350981199001011234", "13812345678", "示范县东岭镇东街1号"]
    assert [s.value for s in at.success] == ["已显示完整信息，本次查看已记入审计日志。"]
    engine = make_engine(county_url)
    try:
        rows = audit.search(engine, action="reveal_personal_data", username="office1")
    finally:
        engine.dispose()
    assert rows.select("object", "outcome").rows()[0] == ("T1-A", "success")
    # The next rerun shows the masked form again: the full data is not kept in the session.
    at.run()
    assert len(at.table) == 1 and table_values(at.table[0])[0] == "张*"
    assert "w.reveal.test.case" in list(at.session_state)
    assert all("张三" not in str(at.session_state[k]) for k in at.session_state)


def test_case_without_personal_data_says_so(app):
    at = app(OFFICE)
    at.run()
    at.selectbox[0].select("T1-B")
    at.run()
    assert len(at.table) == 0 and [c.value for c in at.caption][-1] == "该信访件没有信访人信息。"


@pytest.mark.parametrize(("user", "projection"), [(TOWNSHIP1, False), (PROJECTION, True), (OFFICE, True), (None, False)])
def test_panel_is_not_drawn_for_roles_that_may_not_reveal_or_on_the_wall_screen(app, user, projection):
    at = app(user, projection)
    at.run()
    assert not at.exception
    assert len(at.expander) == 0 and len(at.selectbox) == 0 and len(at.button) == 0
