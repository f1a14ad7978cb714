"""The monthly review page (月度研判) in AppTest, on tests/review_county.py, for every role.

The county's data ends in October 2026, so that is the default month whatever day the tests run;
the dispatch lists are read for the real today (the page's), so their expectations are computed
from the query layer with the same date.
"""

from __future__ import annotations

import pytest
from review_county import PETITIONER_NAME, build
from streamlit.testing.v1 import AppTest

from data.db import make_engine
from queries.filters import CaseFilter
from queries.report import month_report
from text.formatting import format_count, format_rate


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('review_page') / 'county.sqlite'}"
    build(url, demo=True)
    return url


def _report(db_url: str) -> dict:
    engine = make_engine(db_url)
    try:
        return month_report(engine, CaseFilter.for_month(2026, 10))
    finally:
        engine.dispose()


def _texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.title, *at.header, *at.subheader, *at.markdown, *at.caption, *at.info)]
    for frame in at.dataframe:
        parts.append(frame.value.to_string())
    return "\n".join(str(p) for p in parts)


# Each table by a column only it has (the two top-issue tables: the first is by volume).
TABLE_COLUMNS = {"headline": "指标", "top_volume": "问题类别", "dispatch_current": "来源", "dispatch_previous": "办结日期"}


def _table(at: AppTest, name: str):
    return next(f.value for f in at.dataframe if TABLE_COLUMNS[name] in f.value.columns)


# Only the open tab runs; the analysis is open by default.
DISPATCH_TAB = {"w.review.tab": "交办事项"}


def _open_dispatch(at: AppTest) -> AppTest:
    at.session_state["w.review.tab"] = DISPATCH_TAB["w.review.tab"]
    return at.run()


def test_office_sees_the_whole_review_and_the_edit_controls(open_page, db_url):
    at = open_page(db_url, "review")
    assert at.title[0].value == "2026年10月信访形势研判"
    report = _report(db_url)
    headline = _table(at, "headline")
    shown = dict(zip(headline["指标"], headline["本月"], strict=True))
    assert shown["信访总量"] == format_count(report["received"]) == "8"
    assert shown["按期办结率"] == format_rate(report["on_time_rate"])
    assert shown["超期未结"] == format_count(report["overdue_open"])
    top = _table(at, "top_volume")
    assert top["问题类别"].to_list()[:2] == ["劳动社保", "城乡建设"]
    text = _texts(at)
    assert "陈书记" in text and "县人社局" in text and "纪检监察" in text
    assert PETITIONER_NAME not in text
    # The dispatch tab is closed: its forms are not drawn. Opened, the office edits the list there:
    # the add form and the progress controls.
    assert not any(b.label == "加入交办单" for b in at.button)
    _open_dispatch(at)
    assert not at.exception
    assert "办结日期" in _table(at, "dispatch_previous").columns
    assert any(b.label == "加入交办单" for b in at.button)
    assert any(b.label == "登记办结" for b in at.button)
    assert any(s.label == "从排名中选取，或自拟" for s in at.selectbox)


def test_office_adds_an_item_from_the_ranking(open_page, db_url):
    at = open_page(db_url, "review", state=DISPATCH_TAB)
    picker = next(s for s in at.selectbox if s.key == "w.review.pick")
    picker.set_value("v1").run()
    assert "甲镇劳动社保类信访4件" in at.text_area(key="w.review.issue").value
    at.selectbox(key="w.review.unit").set_value(1)
    next(b for b in at.button if b.label == "加入交办单").click().run()
    assert not at.exception
    assert any("已加入交办单" in s.value for s in at.success)
    current = _table(at, "dispatch_current")
    assert current["交办事项"].str.contains("甲镇劳动社保类信访4件").any()


def test_leader_sees_the_review_without_edit_controls(open_page, db_url):
    at = open_page(db_url, "review", role="leader")
    assert at.title[0].value == "2026年10月信访形势研判"
    assert "陈书记" in _texts(at)
    _open_dispatch(at)
    assert "来源" in _table(at, "dispatch_current").columns  # the lists, read-only
    assert not any(b.label in ("加入交办单", "登记办结", "撤销") for b in at.button)


def test_township_officer_sees_their_townships_review(open_page, db_url):
    at = open_page(db_url, "review", role="township", township_id=1)
    assert at.title[0].value == "甲镇2026年10月信访形势研判"
    text = _texts(at)
    assert "乙乡" not in text and "纪检监察" not in text and "王县长" not in text
    _open_dispatch(at)
    assert "乙乡" not in _texts(at)
    assert not any(b.label == "加入交办单" for b in at.button)


def test_projection_shows_the_briefing_only(open_page, db_url):
    at = open_page(db_url, "review", role="projection")
    assert not at.dataframe and not at.tabs
    assert not any(b.label in ("加入交办单", "登记办结", "撤销", "重新打开") for b in at.button)
    assert not at.get("download_button")
    slide = [m.value for m in at.markdown]
    assert any(m.startswith("## ") and "月度研判" in m for m in slide)
    assert any("2026年10月信访形势研判" in m for m in slide)
    assert PETITIONER_NAME not in "\n".join(slide)
    assert {b.label for b in at.button} >= {"上一页", "下一页"}
    # The next slide: the month's received figure, without the complaint about an official (J1): 7, not 8.
    next(b for b in at.button if b.label == "下一页").click().run()
    assert any(m.value == "# 7 件" for m in at.markdown)
    assert not at.exception


def test_the_briefing_turns_back_from_the_first_slide_to_the_last(open_page, db_url):
    at = open_page(db_url, "review", role="projection")
    next(b for b in at.button if b.label == "上一页").click().run()
    assert any("第 " in c.value and " / " in c.value for c in at.caption)
    position = next(c.value for c in at.caption if c.value.startswith("第 "))
    i, n = position.split("页")[0].replace("第", "").split("/")
    assert int(i) == int(n)
