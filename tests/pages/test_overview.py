"""The overview page in Streamlit's AppTest, on a small hand-made county (tests/overview_county.py)."""

from __future__ import annotations

from datetime import date

import overview_county
import pytest
from auth_helpers import sign_in
from page_helpers import APP, run_ok
from streamlit.testing.v1 import AppTest

from data.db import make_engine
from queries.filters import CaseFilter, add_months, month_end
from queries.report import month_report
from text.formatting import format_count, format_rate

TILES = (
    ("received", "count", "信访总量", "Cases received"),
    ("first_time_resolution_rate", "rate", "初信初访化解率", "First-time resolution"),
    ("on_time_rate", "rate", "按期办结率", "On-time rate"),
    ("satisfaction_rate_office", "rate", "满意率", "Satisfaction"),
    ("overdue_open", "count", "超期未结", "Overdue open"),
    ("backlog", "count", "积案", "Backlog"),
)
TODAY = date.today()
DEFAULT_MONTH = add_months(TODAY, -1)  # the last complete month; the fixture has data up to today


def month_param(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('overview') / 'county.sqlite'}"
    overview_county.build(url, demo=True, today=TODAY)
    return url


@pytest.fixture
def app(db_url, open_page):
    def make(**query) -> AppTest:
        # An office account: sees every township and category. Not run yet.
        return open_page(db_url, None, run=False, **query)

    return make


def expected_tiles(db_url: str, flt: CaseFilter) -> list[str]:
    engine = make_engine(db_url)
    try:
        report = month_report(engine, flt)
    finally:
        engine.dispose()
    return [format_rate(report[n]) if kind == "rate" else format_count(report[n]) for n, kind, _, _ in TILES]


def test_tiles_show_the_report_figures_of_the_last_complete_month(app, db_url):
    at = run_ok(app())
    assert [m.label for m in at.metric] == [zh for *_, zh, _ in TILES]
    flt = CaseFilter.for_month(DEFAULT_MONTH.year, DEFAULT_MONTH.month)
    assert [m.value for m in at.metric] == expected_tiles(db_url, flt)
    # By hand: the fixture puts 20 + 3k cases in the month k months back.
    received = at.metric[0]
    assert received.value == "23"
    assert received.delta == "-3"  # 环比: 23 against 26
    assert any("同比" in md.value and "-36" in md.value for md in at.markdown)  # 23 against 59
    assert at.query_params["month"] == month_param(DEFAULT_MONTH)
    assert any("演示数据" in w.value for w in at.warning)
    # The definitions are a hover away.
    assert "法定办结期限" in at.metric[2].help


def test_language_switch_flips_labels_and_the_url(app):
    at = run_ok(app())
    at.radio(key="w.ui.lang").set_value("en")
    run_ok(at)
    assert [m.label for m in at.metric] == [en for *_, en in TILES]
    assert at.query_params["lang"] == "en"
    assert at.multiselect(key="w.flt.township").label == "Township / sub-district"


def test_projection_by_url_hides_the_sidebar_and_offers_a_way_out(app, db_url):
    at = run_ok(app(projection="1"))
    assert len(at.sidebar.multiselect) == 0 and len(at.sidebar.radio) == 0 and len(at.sidebar.toggle) == 0
    assert len(at.metric) == 6
    exit_button = at.button(key="w.ui.exit_projection")
    assert exit_button.label == "退出投屏"
    exit_button.click()
    run_ok(at)
    assert len(at.sidebar.multiselect) == 5
    assert "projection" not in at.query_params


def test_projection_toggle_keeps_the_filters(app):
    at = run_ok(app(township="2"))
    at.toggle(key="w.ui.projection").set_value(True)
    run_ok(at)
    assert len(at.sidebar.multiselect) == 0
    assert at.query_params["projection"] == "1" and at.query_params["township"] == "2"
    at.button(key="w.ui.exit_projection").click()
    run_ok(at)
    assert at.multiselect(key="w.flt.township").value == [2]


def test_url_parameters_set_the_filters(app, db_url):
    month = add_months(TODAY, -3)
    at = run_ok(app(month=month_param(month), township="3,1", channel="visit,letter,nonsense", park="99"))
    assert at.selectbox(key="w.flt.month").value == month_param(month)
    assert at.multiselect(key="w.flt.township").value == [1, 3]
    assert at.multiselect(key="w.flt.channel").value == ["letter", "visit"]
    assert at.multiselect(key="w.flt.park").value == []  # no park 99: dropped
    flt = CaseFilter.for_month(month.year, month.month, township_ids=(1, 3), channels=("letter", "visit"))
    assert [m.value for m in at.metric] == expected_tiles(db_url, flt)
    # The URL is rewritten in canonical form.
    assert at.query_params["township"] == "1,3"
    assert at.query_params["channel"] == "letter,visit"
    assert "park" not in at.query_params


def test_a_filter_change_updates_the_tiles_and_the_url(app, db_url):
    at = run_ok(app())
    at.multiselect(key="w.flt.category").set_value([2])
    run_ok(at)
    assert at.query_params["category"] == "2"
    flt = CaseFilter.for_month(DEFAULT_MONTH.year, DEFAULT_MONTH.month, category_ids=(2,))
    assert [m.value for m in at.metric] == expected_tiles(db_url, flt)


def test_a_month_range_from_the_url(app, db_url):
    first, last = add_months(TODAY, -4), add_months(TODAY, -2)
    at = run_ok(app(month=f"{month_param(first)}..{month_param(last)}"))
    assert at.radio(key="w.flt.period_mode").value == "range"
    assert at.select_slider(key="w.flt.range").value == (month_param(first), month_param(last))
    assert at.metric[0].value == str(sum(overview_county.cases_in_month(k) for k in (2, 3, 4)))  # 26+29+32
    flt = CaseFilter(start=first, end=month_end(last.year, last.month))
    assert [m.value for m in at.metric] == expected_tiles(db_url, flt)


def test_a_month_outside_the_data_falls_back_to_the_default(app):
    at = run_ok(app(month="1999-01", township="x,2"))
    assert at.selectbox(key="w.flt.month").value == month_param(DEFAULT_MONTH)
    assert at.multiselect(key="w.flt.township").value == [2]


def test_an_empty_database_says_how_to_fill_it(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    from data.db import migrate

    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    monkeypatch.setenv("DASHBOARD_DB_URL", url)
    at = AppTest.from_file(APP, default_timeout=60)
    sign_in(at, url)
    run_ok(at)
    assert any("python -m dashboard demo" in i.value for i in at.info)
    assert len(at.metric) == 0


def test_an_unreachable_database_shows_one_clear_message(monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB_URL", "postgresql://nobody@127.0.0.1:1/none")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["无法连接数据库，请稍后重试或联系管理员。"]


def test_an_unexpected_error_shows_a_short_message_not_a_traceback(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'county.sqlite'}"  # a database of its own: no cached figures
    overview_county.build(url, today=TODAY)
    monkeypatch.setenv("DASHBOARD_DB_URL", url)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("queries.metrics.headline_change", broken)
    at = AppTest.from_file(APP, default_timeout=60)
    sign_in(at, url)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["页面出现意外错误，已记录，请刷新页面或联系管理员。"]
