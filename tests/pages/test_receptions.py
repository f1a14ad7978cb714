"""The receptions page (领导接访) in Streamlit's AppTest, on the hand-worked county of tests/reception_county.py.

The sidebar's period is March 2026 (``?month=2026-03``) and the calendar's
month is set to March 2026 too; every expected figure below is worked out
by hand in that module's docstring (and checked against the queries in
tests/queries/test_receptions.py). Each role sees its own: the office and a
county leader the whole county, a township officer 甲镇 (township 1) only,
the wall screen the calendar and the records without anything to click.
"""

from __future__ import annotations

from datetime import date

import pytest
from page_helpers import run_ok
from reception_county import DEPUTY, HEAD, SECRETARY, T1, build_reception_county
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from data import audit
from data.db import make_engine, migrate
from data.models import Case, ReceptionRule, ReceptionSession
from text.i18n import translate
from text.markup import markdown_text

MARCH = {"month": "2026-03"}
CALENDAR_MARCH = {"receptions.month": "2026-03"}
TABS = {"calendar": "月历", "agenda": "安排列表", "records": "领导接访包案情况", "next": "下一步去哪里",
        "record": "登记接访", "rules": "接访规则"}
CASE_NUMBERS = ("R1", "R2", "R3", "R4", "B1", "B2", "B3", "B4", "X1", "N1", "N2")
# The records table's columns, in order, and the hand-worked rows of March 2026 for the whole county:
# sessions (planned, held, cancelled, people, cases taken), then the cases each leader owns (包案).
RECORD_TITLES = ["领导", "职务", "计划场次", "已接访场次", "取消场次", "接待群众", "接访受理件", "新收包案件", "办结",
                 "化解率", "化解率较全县", "满意率", "满意率较全县", "未结", "超期未结", "积案"]
COUNTY_RECORDS = [
    # 陈书记: session 1 (6 people, R1 R2). Owns R1 R2 B1 B2 B4 X1: received R1 R2 X1, concluded R1 B2;
    # resolved R1 of R1 (100% against the county's 2/4); satisfied R1 B2 of 2 (100% against 3/5);
    # open at 31 March R2 B1 B4 X1, overdue B1 B4, backlog B1 B4.
    ["陈书记", "县委书记", 1, 1, 0, 6, 2, 3, 2, "100.0%", "+50.0 个百分点", "100.0%", "+40.0 个百分点", 4, 2, 2],
    # 王县长: the park visit (held, 4 people, R4) and the rule's 16 March (planned). Owns R4: unresolved,
    # office dissatisfied.
    ["王县长", "县长", 2, 1, 0, 4, 1, 1, 1, "0.0%", "-50.0 个百分点", "0.0%", "-60.0 个百分点", 0, 0, 0],
    # 李副县长: the 甲镇 point on 30 March (3 people, R3). Owns R3 (open) and B3 (open, overdue, backlog):
    # nothing concluded, so no rate ("—").
    ["李副县长", "副县长", 1, 1, 0, 3, 1, 1, 0, "—", "—", "—", "—", 2, 1, 1],
]
# A township officer of 甲镇: the county centre lies in no township, so the secretary's session is not
# theirs; his 甲镇 cases are R1 (received, resolved) and B2 (concluded); 甲镇's own rates: resolved R1 of
# R1 R4 N2 (33.3%), satisfied R1 B2 of R1 R4 B2 N2 (50.0%).
TOWNSHIP_RECORDS = [
    ["陈书记", "县委书记", 0, 0, 0, 0, 0, 1, 2, "100.0%", "+66.7 个百分点", "100.0%", "+50.0 个百分点", 0, 0, 0],
    ["王县长", "县长", 1, 1, 0, 4, 1, 1, 1, "0.0%", "-33.3 个百分点", "0.0%", "-50.0 个百分点", 0, 0, 0],
    ["李副县长", "副县长", 1, 1, 0, 3, 1, 1, 0, "—", "—", "—", "—", 2, 1, 1],
]


def _build(url: str) -> str:
    engine = make_engine(url)
    try:
        migrate(engine)
        build_reception_county(engine)
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    """The county, read only: tests that write use ``fresh_db``."""
    return _build(f"sqlite:///{tmp_path_factory.mktemp('receptions') / 'county.sqlite'}")


@pytest.fixture
def fresh_db(tmp_path):
    return _build(f"sqlite:///{tmp_path / 'county.sqlite'}")


@pytest.fixture
def open_receptions(open_page):
    def open_(url: str, tab: str = "calendar", role: str = "office", township_id: int | None = None,
              month: str = "2026-03", **query) -> AppTest:
        state = {"receptions.month": month, "w.receptions.tab": TABS[tab]}
        return open_page(url, "receptions", role=role, township_id=township_id, state=state,
                         timeout=120, **MARCH, **query)

    return open_


def _day(at: AppTest, day: int) -> str:
    """The Markdown of a day of the chosen month in the calendar grid."""
    (text,) = [m.value for m in at.markdown if m.value.startswith(f"**{day}**")]
    return text


def _sessions(url: str) -> list[tuple]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            s = ReceptionSession.__table__.c
            return [tuple(r) for r in conn.execute(
                select(s.held_on, s.leader_id, s.kind, s.place, s.township_id, s.status, s.reason,
                       s.petitioners_received, s.cases_taken).order_by(s.id)).all()]
    finally:
        engine.dispose()


def _audit(url: str, action: str) -> list[tuple]:
    engine = make_engine(url)
    try:
        return audit.search(engine, action=action).select("username", "object", "outcome").rows()
    finally:
        engine.dispose()


def _all_text(at: AppTest) -> str:
    """Every piece of text the page shows: Markdown, captions, headings, alerts, tables and data grids."""
    parts = [e.value for kind in ("markdown", "caption", "title", "subheader", "info", "warning", "success")
             for e in getattr(at, kind)]
    parts += [str(e.value) for e in at.table] + [e.value.to_csv() for e in at.dataframe]
    return "\n".join(str(p) for p in parts)


def _edit_controls(at: AppTest) -> dict[str, int]:
    return {
        "record tab": sum(tab.label == TABS["record"] for tab in at.tabs),
        "forms": len(at.get("form")),
        "submit buttons": len(at.get("form_submit_button")),
        "downloads": len(at.get("download_button")),
    }


# --- the calendar, for each role ------------------------------------------------------------------


def test_office_calendar_of_march(open_receptions, db_url):
    at = open_receptions(db_url)
    assert [tab.label for tab in at.tabs] == list(TABS.values())
    # 10 March: the head's park visit (held). 15 March is a Sunday: both monthly sessions on the 16th,
    # the secretary's held, the head's still planned. 28 March a Saturday: the deputy's on the 30th (held).
    assert _day(at, 10) == "**10**  \n:green[✓] 王县长 · 东湖工业园区"
    assert _day(at, 16) == "**16**  \n:green[✓] 陈书记 · 县群众来访接待中心  \n王县长 · 县群众来访接待中心"
    assert _day(at, 30) == "**30**  \n:green[✓] 李副县长 · 甲镇群众接访点"
    assert _day(at, 15) == "**15**"
    # A Monday-to-Sunday grid: March 2026 starts on a Sunday, so the grid opens with 23-28 February.
    weekdays = [m.value for m in at.markdown if m.value.startswith("**星期")]
    assert weekdays == ["**星期一**", "**星期二**", "**星期三**", "**星期四**", "**星期五**", "**星期六**", "**星期日**"]
    assert [m.value for m in at.markdown if m.value.startswith(":gray[")][:6] == [
        ":gray[23]", ":gray[24]", ":gray[25]", ":gray[26]", ":gray[27]", ":gray[28]"]
    assert not at.warning  # 2026 is announced: nothing provisional
    assert [b.label for b in at.get("download_button")] == ["下载接访安排表（Excel）", "下载日历文件（iCalendar）"]


def test_cancelled_and_moved_sessions_keep_their_reason(open_receptions, db_url):
    at = open_receptions(db_url, month="2026-04")
    # 15 April: the secretary's cancelled (shown struck through), the head's moved to the 20th.
    assert _day(at, 15) == "**15**  \n:gray[~~陈书记 · 县群众来访接待中心~~ 已取消]"
    assert _day(at, 20) == "**20**  \n王县长 · 县群众来访接待中心 :orange[（已调整）]"
    agenda = open_receptions(db_url, "agenda", month="2026-04").dataframe[0].value
    assert _column(agenda, "调整原因") == ["出席全市信访工作会议", "与省督导组座谈冲突", None]
    assert agenda["状态"].tolist() == ["已取消", "已调整", "计划"]


def test_an_unannounced_year_is_marked_provisional(open_receptions, db_url):
    at = open_receptions(db_url, month="2027-05")
    # No 2027 holiday notice: Saturday 15 May 2027 -> Monday 17th on weekends alone; Friday 28th stays.
    assert _day(at, 17).startswith("**17** :orange-badge[暂定]  \n陈书记")
    assert _day(at, 28).startswith("**28** :orange-badge[暂定]")
    assert "节假日安排尚未公布" in at.warning[0].value
    agenda = open_receptions(db_url, "agenda", month="2027-05").dataframe[0].value
    assert agenda["日期"].tolist() == ["2027-05-17（暂定）", "2027-05-17（暂定）", "2027-05-28（暂定）"]


def test_township_officer_sees_the_sessions_of_their_township(open_receptions, db_url):
    at = open_receptions(db_url, role="township", township_id=T1)
    # 甲镇: the park visit and the 甲镇 point; the county centre (16 March) serves the county, in no township.
    assert _day(at, 10) == "**10**  \n:green[✓] 王县长 · 东湖工业园区"
    assert _day(at, 16) == "**16**"
    assert _day(at, 30) == "**30**  \n:green[✓] 李副县长 · 甲镇群众接访点"


def test_calendar_filters_by_leader_place_and_kind(open_receptions, db_url):
    at = open_receptions(db_url)
    at.multiselect(key="w.receptions.leaders").set_value([HEAD])
    run_ok(at)
    assert _day(at, 16) == "**16**  \n王县长 · 县群众来访接待中心"
    assert _day(at, 30) == "**30**"
    at.multiselect(key="w.receptions.leaders").set_value([])
    at.multiselect(key="w.receptions.kinds").set_value(["visit"])
    run_ok(at)
    assert (_day(at, 10), _day(at, 16)) == ("**10**  \n:green[✓] 王县长 · 东湖工业园区", "**16**")
    at.multiselect(key="w.receptions.kinds").set_value([])
    at.multiselect(key="w.receptions.places").set_value(["甲镇群众接访点"])
    run_ok(at)
    assert (_day(at, 10), _day(at, 30)) == ("**10**", "**30**  \n:green[✓] 李副县长 · 甲镇群众接访点")


# --- each leader's record -----------------------------------------------------------------------------


def _records(at: AppTest) -> list[list]:
    frame = at.dataframe[0].value
    assert list(frame.columns) == RECORD_TITLES
    return [[None if v != v else v for v in row] for row in frame.astype(object).values.tolist()]


def _column(frame, title: str) -> list:
    """A data grid's column as a list, its missing values (NaN to pandas) as None."""
    return [None if v != v else v for v in frame[title].astype(object).tolist()]


@pytest.mark.parametrize("role", ["office", "leader"])
def test_records_for_the_whole_county(open_receptions, db_url, role):
    at = open_receptions(db_url, "records", role=role)
    # The county in March: resolved R1 N1 of R1 R4 N1 N2 (50.0%); satisfied R1 B2 N1 of R1 R4 B2 N1 N2 (60.0%).
    assert [(m.label, m.value) for m in at.metric[:2]] == [("全县化解率", "50.0%"), ("全县满意率", "60.0%")]
    assert at.metric[0].help == translate("metric.resolution_rate.help", "zh")
    assert _records(at) == COUNTY_RECORDS
    # One leader: the secretary's backlog, oldest first, with no personal data (no petitioner column).
    backlog = at.dataframe[1].value
    assert list(backlog.columns) == ["信访件编号", "登记日期", "已积压（天）", "乡镇（街道）", "工业园区", "责任单位"]
    assert backlog["信访件编号"].tolist() == ["B4", "B1"] and backlog["已积压（天）"].tolist() == [242, 181]
    tiles = {m.label: (m.value, m.delta) for m in at.metric[2:]}
    assert tiles["化解率"] == ("100.0%", "+50.0 个百分点")
    assert tiles["积案"] == ("2", "")  # a count: no comparison
    # Each figure's definition a hover away.
    assert at.metric[4].help == translate("metric.leader_received_owned.help", "zh")
    assert at.metric[5].help == translate("metric.leader_resolution_rate.help", "zh")


def test_records_of_the_cases_taken_at_sessions(open_receptions, db_url):
    at = open_receptions(db_url, "records")
    at.segmented_control(key="w.receptions.basis").set_value("taken")
    run_ok(at)
    frame = at.dataframe[0].value
    assert frame.columns[7] == "新收受理件"
    # Taken at session 1: R1 (resolved) and R2 (open); at session 3: R4 (unresolved); at session 2: R3.
    assert frame["新收受理件"].tolist() == [2, 1, 1]
    assert frame["化解率"].tolist() == ["100.0%", "0.0%", "—"]
    assert frame["未结"].tolist() == [1, 0, 1]


def test_records_for_a_township_officer(open_receptions, db_url):
    at = open_receptions(db_url, "records", role="township", township_id=T1)
    assert [(m.label, m.value) for m in at.metric[:2]] == [("本辖区化解率", "33.3%"), ("本辖区满意率", "50.0%")]
    assert _records(at) == TOWNSHIP_RECORDS
    # The secretary owns no backlog case in 甲镇 (B1 and B4 lie in 乙乡).
    assert any("没有该领导包案的积案" in c.value for c in at.caption)


def test_where_next_states_its_rule_and_ranks_the_places(open_receptions, db_url):
    at = open_receptions(db_url, "next")
    assert "近3个月" in at.info[0].value and "超过60天" in at.info[0].value
    frame = at.dataframe[0].value
    # January-March 2026: 甲镇 4 cases, 乙乡 3, the park 1; 乙乡 last received by a leader on
    # 2025-10-20 (162 days before 31 March): due.
    assert frame["名称"].tolist() == ["甲镇", "乙乡", "东湖工业园区"]
    assert frame["信访量"].tolist() == [4, 3, 1]
    assert frame["待走访"].tolist() == ["", "待走访", ""]
    assert frame["距今（天）"].tolist() == [1, 162, 21]


# --- edits: office only, through the one write path -------------------------------------------------


@pytest.mark.parametrize("role, township_id", [("leader", None), ("township", T1), ("projection", None)])
def test_edit_controls_only_for_the_office(open_receptions, db_url, role, township_id):
    office = {tab: _edit_controls(open_receptions(db_url, tab)) for tab in ("agenda", "next", "rules")}
    # The office: the record tab, and a form in the agenda (move or cancel), where-next (plan a visit)
    # and the rules; downloads beside the agenda.
    assert office["agenda"] == {"record tab": 1, "forms": 1, "submit buttons": 2, "downloads": 2}
    assert office["next"]["forms"] == 1 and office["rules"]["forms"] == 1
    for tab in ("agenda", "next", "rules"):
        other = _edit_controls(open_receptions(db_url, tab, role=role, township_id=township_id))
        assert (other["record tab"], other["forms"], other["submit buttons"]) == (0, 0, 0)
        # Downloads follow services.access's "export": county leaders and township officers, never the wall.
        assert other["downloads"] == (0 if role == "projection" or tab != "agenda" else 2)


def _fill_record(at: AppTest, *, day: date, leader: int, kind: str, place: str, people: int, cases: str) -> None:
    at.date_input(key="w.receptions.record.date").set_value(day)
    at.selectbox(key="w.receptions.record.leader").set_value(leader)
    at.selectbox(key="w.receptions.record.kind").set_value(kind)
    at.selectbox(key="w.receptions.record.place").set_value(place)
    at.number_input(key="w.receptions.record.people").set_value(people)
    at.text_area(key="w.receptions.record.cases").set_value(cases)
    at.form_submit_button[0].click()


def test_recording_a_session_stores_it_and_audits_it(open_receptions, fresh_db):
    before = _sessions(fresh_db)
    at = open_receptions(fresh_db, "record")
    _fill_record(at, day=date(2026, 3, 20), leader=DEPUTY, kind="visit", place="township:2", people=5,
                 cases="N1")
    run_ok(at)
    assert at.success[0].value == "已登记李副县长（副县长） 2026-03-20 的接访：接待群众5人次，受理信访件1件。"
    stored = _sessions(fresh_db)
    assert stored[:-1] == before
    assert stored[-1] == (date(2026, 3, 20), DEPUTY, "outreach", "乙乡", 2, "held", None, 5, 1)
    engine = make_engine(fresh_db)
    with engine.connect() as conn:
        session_id = conn.execute(select(func.max(ReceptionSession.id))).scalar_one()
        linked = conn.execute(select(Case.reception_session_id).where(Case.case_number == "N1")).scalar_one()
    engine.dispose()
    assert linked == session_id
    assert _audit(fresh_db, "edit_schedule") == [("test-office", "session:2026-03-20 held", "success")]
    # The page shows it at once (the cached data version was forgotten): on the calendar of March.
    at.session_state["w.receptions.tab"] = TABS["calendar"]
    run_ok(at)
    assert _day(at, 20) == "**20**  \n:green[✓] 李副县长 · 乙乡"


def test_an_unknown_case_number_is_named_and_nothing_is_stored(open_receptions, fresh_db):
    before = _sessions(fresh_db)
    at = open_receptions(fresh_db, "record")
    _fill_record(at, day=date(2026, 3, 20), leader=DEPUTY, kind="visit", place="township:2", people=5,
                 cases="N1，NOPE-9")
    run_ok(at, errors_allowed=True)
    assert [e.value for e in at.error] == [
        f"未找到信访件编号：{markdown_text('NOPE-9')}。请核对编号，本次接访记录未保存。"]
    assert not at.success
    assert _sessions(fresh_db) == before
    engine = make_engine(fresh_db)
    with engine.connect() as conn:
        assert conn.execute(select(Case.reception_session_id).where(Case.case_number == "N1")).scalar_one() is None
    engine.dispose()
    assert _audit(fresh_db, "edit_schedule") == [("test-office", "session:2026-03-20 held", "failure")]


def test_cancelling_a_planned_session_needs_and_keeps_its_reason(open_receptions, fresh_db):
    at = open_receptions(fresh_db, "agenda")
    # The head's 16 March, the rule's occurrence (nothing stored for it yet).
    key = f"{HEAD}|monthly|2026-03-15|None|2026-03-16"
    at.selectbox(key="w.receptions.adjust.session").set_value(key)
    at.form_submit_button[1].click()  # cancel, without a reason
    run_ok(at, errors_allowed=True)
    assert [e.value for e in at.error] == ["请填写调整原因。"]
    before = _sessions(fresh_db)
    at.text_input(key="w.receptions.adjust.reason").set_value("赴省参加会议")
    at.form_submit_button[1].click()
    run_ok(at)
    assert _sessions(fresh_db)[len(before):] == [
        (date(2026, 3, 16), HEAD, "monthly_15th", "县群众来访接待中心", None, "cancelled", "赴省参加会议", 0, 0)]
    assert at.dataframe[0].value["调整原因"].tolist()[2] == "赴省参加会议"
    assert _audit(fresh_db, "edit_schedule")[-1][2] == "success"


def test_a_suggestion_becomes_a_planned_visit_in_one_click(open_receptions, fresh_db):
    at = open_receptions(fresh_db, "next")
    # The most urgent first: 乙乡 (due), with its linked leader, the secretary, on the next working day.
    assert at.selectbox(key="w.receptions.visit.area").value == "township:2"
    day = at.date_input(key="w.receptions.visit.date").value
    at.form_submit_button[0].click()
    run_ok(at)
    assert _sessions(fresh_db)[-1] == (day, SECRETARY, "outreach", "乙乡", 2, "planned", None, 0, 0)
    assert "已安排陈书记（县委书记）" in at.success[0].value


def test_a_rule_edited_by_the_office(open_receptions, fresh_db):
    at = open_receptions(fresh_db, "rules")
    at.selectbox(key="w.receptions.rule.leader").set_value(DEPUTY)
    run_ok(at)
    at.radio(key=f"w.receptions.rule.{DEPUTY}.kind").set_value("none")
    at.form_submit_button[0].click()
    run_ok(at)
    assert at.dataframe[0].value["规则"].tolist() == ["每月定点接访", "每月定点接访", "不排"]
    engine = make_engine(fresh_db)
    with engine.connect() as conn:
        assert conn.execute(select(ReceptionRule.kind).where(ReceptionRule.leader_id == DEPUTY)).scalar_one() == "none"
    engine.dispose()
    assert _audit(fresh_db, "edit_schedule") == [("test-office", f"rule:leader {DEPUTY}", "success")]


# --- projection mode --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role, query", [("projection", {}), ("office", {"projection": "1"})])
def test_projection_shows_the_month_and_the_records_without_personal_data_or_controls(
        open_receptions, db_url, role, query):
    at = open_receptions(db_url, role=role, **query)
    assert at.title[0].value == "县领导接访 · 2026年3月"
    assert _day(at, 16) == "**16**  \n:green[✓] 陈书记 · 县群众来访接待中心  \n王县长 · 县群众来访接待中心"
    assert not at.tabs and not at.dataframe and not at.get("form") and not at.get("download_button")
    # The wall screen's own switcher (dashboard/wall.py) has a playlist menu; the page itself has no control.
    page_widgets = [w for w in (*at.selectbox, *at.multiselect) if not (w.key or "").startswith("w.wall.")]
    assert not page_widgets and not at.text_input and not at.text_area
    table = at.table[0].value
    assert list(table.columns) == ["领导", "已接访场次", "接待群众", "接访受理件", "新收包案件", "化解率", "满意率",
                                   "超期未结", "积案"]
    # The wall screen's own role may not see complaints about officials: X1 is not among the secretary's
    # cases received (2, not 3); an office account switched to projection mode keeps its own scope.
    received = 2 if role == "projection" else 3
    # st.table's cells are Markdown: the page escapes every text (100\.0\% shows as 100.0%).
    assert table.values.tolist() == [[markdown_text(v) if isinstance(v, str) else v for v in row] for row in [
        ["陈书记", 1, 6, 2, received, "100.0%", "100.0%", 2, 2],
        ["王县长", 1, 4, 1, 1, "0.0%", "0.0%", 0, 0],
        ["李副县长", 1, 3, 1, 1, "—", "—", 1, 1],
    ]]
    # No case number (let alone a petitioner) anywhere on the wall.
    shown = _all_text(at)
    assert not [number for number in CASE_NUMBERS if number in shown]


ENGLISH_TABS = ["Calendar", "Agenda", "Leaders' records", "Where next", "Record a session", "Schedule rules"]


def test_a_language_switch_keeps_the_page_working(open_receptions, db_url):
    at = open_receptions(db_url, "records")
    at.radio(key="w.ui.lang").set_value("en")
    run_ok(at)
    assert [tab.label for tab in at.tabs] == ENGLISH_TABS


@pytest.mark.parametrize("tab", ENGLISH_TABS)
def test_every_tab_in_english(open_page, db_url, tab):
    # (Opened in English from the start: AppTest formats a selectbox's value outside the run, in Chinese.)
    at = open_page(db_url, "receptions", state={"receptions.month": "2026-03", "w.receptions.tab": tab},
                   timeout=120, lang="en", **MARCH)
    assert [t.label for t in at.tabs] == ENGLISH_TABS
    assert at.title[0].value == "County leaders' receptions"
