"""The monthly trends page in Streamlit's AppTest, on the seasonal county of tests/trends_county.py.

February 2026 (the county's last month), worked by hand from the county's table:

| cases received      | Feb 2026 | Jan 2026 | Feb 2025 |
| ------------------- | -------: | -------: | -------: |
| 劳动社保 (park 10 + 西山乡 6 + the festival peak 22 / 38 / 0) | 38 | 54 | 16 |
| 征地拆迁 (东岭镇 6 + 西山乡 33 / 12 / 8)                      | 39 | 18 | 14 |
| 东岭工业园区 (10 + the peak)                                   | 32 | 48 | 10 |

Rising: 征地拆迁 in 西山乡 (33) and county-wide (39), nothing else (tests/queries/test_rising.py).
Hot words: the 33 planted summaries "西山乡村民反映征地补偿款未到位，要求尽快发放。" (33 petitioners,
none in the three months before: rise 33) and the 22 pre-festival ones "园区企业职工反映春节前拖欠工资。"
(22 this month; 38, 0 and 0 before: mean 12.7, rise 9.3). The planted cases' petitioners have names, ID
numbers and phones, which the page never shows.
"""

from __future__ import annotations

import json

import polars as pl
import pytest
from sqlalchemy import insert, select
from trends_county import XISHAN, build_seasonal_county

from data.db import make_engine, migrate
from data.models import AuditEntry, Case, Petitioner
from queries import hot_words, rising, trends
from queries.filters import CaseFilter
from text.formatting import format_rate

FEBRUARY = CaseFilter.for_month(2026, 2)
PLANTED = [f"DX-202602-{i}" for i in range(33)]
PETITIONER_NAME = "王建国"


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('trends') / 'county.sqlite'}"
    engine = make_engine(url)
    try:
        migrate(engine)
        build_seasonal_county(engine)
        with engine.begin() as conn:
            ids = dict(conn.execute(select(Case.case_number, Case.id).where(Case.case_number.in_(PLANTED))).all())
            conn.execute(insert(Petitioner), [
                {"case_id": ids[number], "name": f"{PETITIONER_NAME}{i}", "id_number": f"35090019800101{i:04d}",
                 "phone": f"138{i:08d}"} for i, number in enumerate(PLANTED)
            ])
    finally:
        engine.dispose()
    return url


@pytest.fixture
def trends_page(open_page, db_url):
    def open_(section: str = "received", *, role: str = "office", township_id: int | None = None,
              state: dict | None = None, month: str = "2026-02", **query):
        return open_page(db_url, "trends", role=role, township_id=township_id,
                         state={"trends.section": section, **(state or {})}, month=month, **query)

    return open_


def table_rows(at, index: int = 0) -> list[list[str]]:
    frame = at.table[index].value
    return [list(map(str, row)) for row in frame.itertuples(index=False)]


def charts(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def texts(at) -> str:
    """Every text the page shows (for "never shown" checks)."""
    parts = [e.value for kind in ("markdown", "caption", "subheader", "title", "info", "success", "warning")
             for e in getattr(at, kind)]
    parts += [frame.value.to_csv() for frame in at.table] + [frame.value.to_csv() for frame in at.dataframe]
    parts += [chart.proto.spec for chart in at.get("plotly_chart")]
    return "\n".join(parts)


def engine_for(db_url):
    return make_engine(db_url)


# --- cases received: the 环比/同比 table ---------------------------------------------------------


def test_changes_table_by_category_worked_by_hand(trends_page, db_url):
    at = trends_page()
    assert at.title[0].value == "月度趋势 · 2026年2月"
    assert [s.value for s in at.subheader][:2] == ["信访量（按问题类别）", "2026年2月环比、同比"]
    assert "登记" in at.subheader[0].help  # the definition of 信访总量, a hover away
    assert at.table[0].value.columns.tolist() == ["问题类别", "本月（件）", "上月（件）", "环比", "上年同月（件）", "同比"]
    assert table_rows(at) == [
        ["劳动社保", "38", "54", "-16", "16", "+22"],
        ["征地拆迁", "39", "18", "+21", "14", "+25"],
        ["合计", "77", "72", "+5", "30", "+47"],
    ]
    # The engine agrees (queries.trends, the same months).
    engine = engine_for(db_url)
    try:
        changes = trends.series_changes(trends.received_series(engine, FEBRUARY, "category"))
    finally:
        engine.dispose()
    assert [[r["received"], r["received_previous"], r["received_year_earlier"]] for r in changes.iter_rows(named=True)] \
        == [[38, 54, 16], [39, 18, 14]]
    # The chart: 24 months ending February 2026, one bar series per category, the year earlier alongside.
    (figure,) = charts(at)
    bars = [trace for trace in figure["data"] if trace["type"] == "bar"]
    assert [b["name"] for b in bars] == ["劳动社保", "征地拆迁"]
    assert bars[0]["x"][0] == "2024-03" and bars[0]["x"][-1] == "2026-02" and bars[0]["y"][-1] == 38
    assert figure["data"][-1]["y"][-1] == 16 + 14  # the year earlier's total


def test_split_by_park_and_small_multiples(trends_page):
    at = trends_page(state={"trends.split": "park", "trends.style": "multiples"})
    assert table_rows(at) == [["东岭工业园区", "32", "48", "-16", "10", "+22"], ["合计", "32", "48", "-16", "10", "+22"]]
    assert any("不在工业园区的信访件不计入" in c.value for c in at.caption)
    (figure,) = charts(at)
    assert [a["text"] for a in figure["layout"]["annotations"]] == ["东岭工业园区"]


def test_the_split_control_changes_the_table(trends_page):
    at = trends_page()
    at.segmented_control(key="w.trends.split").set_value("park").run()
    assert not at.exception
    assert table_rows(at)[0] == ["东岭工业园区", "32", "48", "-16", "10", "+22"]
    assert at.session_state["trends.split"] == "park"


def test_a_township_officer_sees_their_own_township_only(trends_page):
    at = trends_page(role="township", township_id=XISHAN)
    # 西山乡: 征地拆迁 8 a month (6, 12, 33 at the end), 劳动社保 6 a month.
    assert table_rows(at) == [
        ["征地拆迁", "33", "12", "+21", "8", "+25"],
        ["劳动社保", "6", "6", "0", "6", "0"],
        ["合计", "39", "18", "+21", "14", "+25"],
    ]
    # No split by township for someone who sees one township.
    assert "乡镇（街道）" not in at.segmented_control(key="w.trends.split").options
    rising_tab = trends_page("rising", role="township", township_id=XISHAN)
    assert table_rows(rising_tab)[0][:4] == ["1", "征地拆迁", "西山乡", "33"]
    assert len(table_rows(rising_tab)) == 1
    words = trends_page("hot_words", role="township", township_id=XISHAN)
    shown = charts(words)[0]["data"][0]["y"]
    assert set(shown) == {"到位", "发放", "征地", "补偿款"}  # the park's pre-festival words are 东岭镇's


# --- rates -----------------------------------------------------------------------------------------


def test_rate_tiles_show_the_engines_rates_with_their_denominators(trends_page, db_url):
    at = trends_page("rates")
    engine = engine_for(db_url)
    try:
        rates = trends.rate_series(engine, FEBRUARY)
    finally:
        engine.dispose()
    latest = {r["rate"]: r for r in rates.filter(pl.col("month") == rates["month"].max()).iter_rows(named=True)}
    assert [m.label for m in at.metric] == ["初信初访化解率", "按期办结率", "3-7-21 达标率", "满意率", "责任单位满意率"]
    assert [m.value for m in at.metric] == [format_rate(latest[r]["value"]) for r in trends.TREND_RATES]
    # By hand: no first-time case and no conclusion anywhere, so those rates are "—", never 0%;
    # every case is open, so each one due in February counts against the statutory on-time rate: 0.0%.
    assert [m.value for m in at.metric] == ["—", "0.0%", "—", "—", "—"]
    on_time = latest["on_time_rate"]
    assert on_time["numerator"] == 0 and on_time["denominator"] > 0
    assert f"分子/分母：0/{on_time['denominator']} 件" in [c.value for c in at.caption]
    assert "法定办结期限" in at.metric[1].help
    (figure,) = charts(at)
    line = figure["data"][1]
    assert line["name"] == "按期办结率" and line["customdata"][-1] == f"0/{on_time['denominator']} 件"


# --- rising issues -------------------------------------------------------------------------------


def test_rising_list_strongest_first_with_its_evidence_and_rule(trends_page, db_url):
    at = trends_page("rising")
    engine = engine_for(db_url)
    try:
        result = rising.rising_issues(engine, FEBRUARY)
    finally:
        engine.dispose()
    expected = {r["series_id"]: r for r in result.rising.iter_rows(named=True)}
    township, county = expected["c2/t2"], expected["c2"]
    assert table_rows(at) == [
        ["1", "征地拆迁", "西山乡", "33", f"{township['expected']:.1f}",
         f"{township['lower']:.0f}–{township['upper']:.0f}", "2", "2026年1月", f"{township['strength']:.1f}"],
        ["2", "征地拆迁", "全县", "39", f"{county['expected']:.1f}",
         f"{county['lower']:.0f}–{county['upper']:.0f}", "2", "2026年1月", f"{county['strength']:.1f}"],
    ]
    assert any("2026年2月有2项异常上升" in m.value for m in at.markdown)
    assert any(rising.RULE_ZH in c.value for c in at.caption)
    # One evidence chart per rising issue: its 36 months of history and February, the band around them.
    figures = charts(at)
    assert len(figures) == 2
    bars = next(trace for trace in figures[0]["data"] if trace["type"] == "bar")
    assert len(bars["x"]) == 37 and bars["x"][-1] == "2026-02" and bars["y"][-3:] == [6, 12, 33]
    assert any("自2026年1月起连续2个月高于预期" in c.value for c in at.caption)


def _short_county(url: str, months: int, spike: int) -> None:
    """One township, one category: 10 cases a month for ``months`` months from April 2025, then ``spike``."""
    from factories import case_row, insert_cases
    from trends_county import refresh

    from data.models import Category, Township
    from queries.filters import add_months

    engine = make_engine(url)
    try:
        migrate(engine)
        with engine.begin() as conn:
            conn.execute(insert(Township), [{"id": 1, "name": "甲镇", "kind": "town"}])
            conn.execute(insert(Category), [{"id": 1, "code": "land_acquisition", "name": "征地拆迁"}])
        rows, first = [], add_months(CaseFilter.for_month(2026, 3).start, -months)
        for k in range(months + 1):
            month = add_months(first, k)
            n = spike if k == months else 10
            rows += [case_row(f"Q-{month:%Y%m}-{i}", received_on=month.replace(day=1 + i % 28), township_id=1,
                              category_id=1) for i in range(n)]
        insert_cases(engine, rows)
        refresh(engine)
    finally:
        engine.dispose()


@pytest.mark.parametrize(("months", "method"), [(12, "simple"), (2, "none")])
def test_too_little_history_says_so_and_states_the_rule_used(open_page, tmp_path, months, method):
    url = f"sqlite:///{tmp_path / 'short.sqlite'}"
    _short_county(url, months, spike=30)
    at = open_page(url, "trends", state={"trends.section": "rising"}, month="2026-03")
    rule = rising.rule_text(method, "zh")
    assert any(rule in c.value for c in at.caption)
    if method == "simple":
        # 12 months of 10 and then 30: mean 10, P(X ≥ 30) ≈ 7e-7 (tests/queries/test_rising.py).
        assert any("历史数据只有12个月（不足24个月）" in w.value for w in at.warning)
        assert table_rows(at)[0][:5] == ["1", "征地拆迁", "甲镇", "30", "10.0"]
    else:
        assert any("历史数据只有2个月" in i.value for i in at.info)
        assert not at.table


# --- hot words -----------------------------------------------------------------------------------


def test_hot_words_and_the_cases_behind_one_masked(trends_page, db_url):
    at = trends_page("hot_words")
    (figure,) = charts(at)
    bar = figure["data"][0]
    # The planted words rose by 33 (33 petitioners, none before); the festival's by 22 − 38/3.
    assert bar["y"][:4] == ["到位", "发放", "征地", "补偿款"] and bar["x"][:4] == [33.0] * 4
    assert set(bar["y"][4:]) == {"企业", "拖欠工资", "春节", "职工"}
    assert bar["x"][4] == pytest.approx(22 - 38 / 3)
    assert bar["text"][0] == "+33.0（本月33人）"
    engine = engine_for(db_url)
    try:
        words = hot_words.hot_words(engine, FEBRUARY)
        behind = hot_words.hot_word_cases(engine, FEBRUARY, "补偿款")
    finally:
        engine.dispose()
    assert bar["y"] == words["word"].to_list()
    at.selectbox(key="w.trends.word").select("补偿款").run()
    assert not at.exception
    (cases,) = at.dataframe
    assert cases.value.columns.tolist() == ["信访件编号", "登记日期"]  # number and date, nothing else
    assert sorted(cases.value["信访件编号"]) == sorted(PLANTED) == sorted(behind["case_number"].to_list())
    assert sorted(set(cases.value["登记日期"])) == [f"2026-02-{day:02d}" for day in range(1, 29)]
    assert any("“补偿款”：本月33件" in c.value for c in at.caption)
    shown = texts(at)
    assert PETITIONER_NAME not in shown and "350900" not in shown and "138000" not in shown


# --- roles, projection and language ------------------------------------------------------------


@pytest.mark.parametrize(("role", "township_id"), [("office", None), ("leader", None), ("township", XISHAN)])
def test_roles_that_may_export_get_downloads_and_case_lists(trends_page, role, township_id):
    received = trends_page(role=role, township_id=township_id)
    assert [b.label for b in received.download_button] == ["数据（Excel）"]
    assert "生成图片（PNG）" in [b.label for b in received.button]
    words = trends_page("hot_words", role=role, township_id=township_id)
    assert [s.key for s in words.selectbox if s.key == "w.trends.word"] == ["w.trends.word"]


@pytest.mark.parametrize(("role", "query"), [("projection", {}), ("office", {"projection": "1"})])
def test_projection_has_no_downloads_and_no_case_lists(trends_page, role, query):
    for section in ("received", "rates", "rising", "hot_words"):
        at = trends_page(section, role=role, **query)
        assert len(at.download_button) == 0, section
        assert "生成图片（PNG）" not in [b.label for b in at.button], section
        assert not [s for s in at.selectbox if s.key == "w.trends.word"], section
        assert charts(at), section  # the figures are there
    # The numbers are the same on the wall.
    assert table_rows(trends_page(role=role, **query))[-1] == ["合计", "77", "72", "+5", "30", "+47"]


def test_english(trends_page):
    at = trends_page(lang="en")
    assert at.title[0].value == "Monthly trends · February 2026"
    assert at.subheader[0].value == "Cases received by Issue category"
    assert at.table[0].value.columns.tolist() == ["Issue category", "This month", "Month before", "vs prev.",
                                                  "A year earlier", "vs last year"]
    # Categories in English by their code; the figures unchanged.
    assert table_rows(at)[0] == ["Labour and social security", "38", "54", "-16", "16", "+22"]
    rising_tab = trends_page("rising", lang="en")
    assert table_rows(rising_tab)[0][1:3] == ["Land acquisition and demolition", "西山乡"]
    assert any(rising.RULE_EN in c.value for c in rising_tab.caption)
    assert [b.label for b in trends_page("rates", lang="en").download_button] == ["Data (Excel)"]


def test_the_tabs_follow_the_session_and_only_the_open_one_is_computed(trends_page, monkeypatch):
    from dashboard import data_access

    called = []
    monkeypatch.setattr(data_access, "rising_issues", lambda flt: called.append(flt) or None)
    at = trends_page("received")
    assert called == []  # the rising tab is closed: nothing computed for it
    assert [s.value for s in at.subheader][0] == "信访量（按问题类别）"


# --- downloads go into the audit log ----------------------------------------------------------------


def _deferred(monkeypatch) -> dict[str, object]:
    """The functions Streamlit would call when the browser fetches a download, by file name."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    found: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        found[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return found


def _downloads(db_url) -> list[tuple[str, str, str]]:
    engine = engine_for(db_url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(
                select(AuditEntry.username, AuditEntry.action, AuditEntry.object)
                .where(AuditEntry.action == "download").order_by(AuditEntry.id)).all()]
    finally:
        engine.dispose()


def test_an_excel_download_writes_an_audit_entry(trends_page, db_url, monkeypatch):
    import io

    import fastexcel

    deferred = _deferred(monkeypatch)
    before = _downloads(db_url)
    trends_page(role="township", township_id=XISHAN)
    name = "trends-received-category-2024-03_2026-02-stacked.xlsx"
    assert list(deferred) == [name]
    assert _downloads(db_url) == before  # drawing the button downloads nothing
    data = deferred[name]()  # what the server runs when the browser asks for the file
    assert _downloads(db_url) == [*before, ("test-township-2", "download", name)]
    sheet = fastexcel.read_excel(io.BytesIO(data).getvalue()).load_sheet(0).to_polars()
    assert sheet.columns == ["月份", "问题类别", "信访量", "上年同期"]
    # The township's own figures only: 征地拆迁 33 in February 2026 (the county's is 39).
    assert sheet.filter(pl.col("问题类别") == "征地拆迁")["信访量"].to_list()[-1] == 33


@pytest.mark.browser
def test_a_png_is_made_on_the_click_and_its_download_is_audited(trends_page, db_url, monkeypatch):
    deferred = _deferred(monkeypatch)
    at = trends_page("rates")
    assert [b.label for b in at.download_button] == ["数据（Excel）"]  # no picture made yet
    next(b for b in at.button if b.label == "生成图片（PNG）").click().run()
    assert not at.exception and not at.error
    assert [b.label for b in at.download_button] == ["数据（Excel）", "下载图片（PNG）"]
    name = "trends-rates-2024-03_2026-02.png"
    before = _downloads(db_url)
    png = deferred[name]()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert _downloads(db_url) == [*before, ("test-office", "download", name)]
    # A rerun keeps the picture (made once per view), offering it again without Chromium.
    at.run()
    assert [b.label for b in at.download_button] == ["数据（Excel）", "下载图片（PNG）"]



def test_a_month_whose_year_earlier_precedes_the_data_has_no_yoy(trends_page):
    # The county begins in January 2022: June 2022 has its May (16 and 14, as every calm month) but no
    # year earlier, so 同比 is "—" (never "+16"), and so is the total's.
    at = trends_page(month="2022-06")
    assert table_rows(at) == [
        ["劳动社保", "16", "16", "0", "—", "—"],
        ["征地拆迁", "14", "14", "0", "—", "—"],
        ["合计", "30", "30", "0", "—", "—"],
    ]
    bars = [trace for trace in charts(at)[0]["data"] if trace["type"] == "bar"]
    assert bars[0]["x"] == ["2022-01", "2022-02", "2022-03", "2022-04", "2022-05", "2022-06"]
