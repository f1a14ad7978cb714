"""The case outcomes page (办理成效) in AppTest, on the hand-worked county of tests/outcomes_county.py.

Every number on the page is checked against the figures worked out by hand in
that file (and in tests/queries/test_outcomes.py), as the page shows them:
the text of each table cell (pandas Styler's display values), each tile and
its caption. March 2026, judged at its last day (today is later). Roles: the
office and county leaders see every case, a township officer their own
township, the wall screen (role or mode) no case list, no download, no
personal data.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from html.parser import HTMLParser

import pandas as pd
import pyarrow as pa
import pytest
from outcomes_county import RULES, build_outcomes_county
from sqlalchemy import insert, select

from config.settings import load_settings
from dashboard import downloads_ui
from data import audit
from data.db import bump_data_version, make_engine, migrate
from data.models import AuditEntry, Case, Petitioner
from queries.summary import refresh_summary
from text.markup import markdown_text

MONTH = "2026-03"
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('outcomes') / 'county.sqlite'}"
    engine = make_engine(url)
    migrate(engine)
    build_outcomes_county(engine)
    with engine.begin() as conn:
        ids = dict(conn.execute(select(Case.case_number, Case.id)).all())
        conn.execute(insert(Petitioner), [
            {"case_id": ids["P5"], "name": "王五", "id_number": "350981199001015678", "phone": "13912345678",
             "address": "示范县乙乡南街5号"},
        ])
        bump_data_version(conn)
        refresh_summary(conn, RULES)
    engine.dispose()
    return url


@pytest.fixture
def open_outcomes(db_url, open_page):
    def open_(role: str = "office", township_id: int | None = None, **query):
        return open_page(db_url, "outcomes", role=role, township_id=township_id, month=MONTH, **query)

    return open_


# --- reading the page as it is shown ---------------------------------------------------------


def _arrow(element):
    return element.proto.arrow_data


def _text(value, number_format: str | None = None) -> str:
    """A raw cell as the browser writes it, with its column's number format (dashboard/tables.py)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, datetime | pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if number_format == "%d":
        return str(int(value))
    if number_format in ("%.1f", "%.1f%%"):
        return number_format % value
    return str(value)


def _cells(element) -> pd.DataFrame:
    """The display values of a styled table, or the raw values of another written with its column formats."""
    arrow = _arrow(element)
    if arrow.styler.display_values:
        return pa.ipc.open_stream(arrow.styler.display_values).read_all().to_pandas()
    config = json.loads(element.proto.columns) if hasattr(element.proto, "columns") else {}
    frame = element.value.copy()
    for name in frame.columns:
        number_format = config.get(name, {}).get("type_config", {}).get("format")
        frame[name] = [_text(v, number_format) for v in frame[name]]
    return frame


class HtmlTable(HTMLParser):
    """A table the page writes as HTML (dashboard.tables.html_table): its headings, hover help, cells, grey."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.labels: list[str] = []
        self.helps: dict[str, str | None] = {}
        self.rows: list[list[str]] = []
        self.grey_rows: set[int] = set()
        self.grey_cells: set[tuple[int, int]] = set()
        self._text: list[str] | None = None
        self._help: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and self.labels:
            if attrs.get("data-grey") == "row":
                self.grey_rows.add(len(self.rows))
            self.rows.append([])
        elif tag in ("th", "td"):
            self._text, self._help = [], attrs.get("title")
            if attrs.get("data-grey") == "cell":
                self.grey_cells.add((len(self.rows) - 1, len(self.rows[-1])))

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "th":
            self.labels.append("".join(self._text))
            self.helps[self.labels[-1]] = self._help
        elif tag == "td":
            self.rows[-1].append("".join(self._text))
        if tag in ("th", "td"):
            self._text = None


def league_table(at) -> HtmlTable:
    """The league at the desk: an HTML table marked "outcomes.league"."""
    (found,) = [m.value for m in at.markdown if "<table" in m.value and "outcomes&#46;league" in m.value]
    return HtmlTable(found)


def shown(element) -> list[list[str]]:
    """A table's cells as the page writes them, row by row."""
    if isinstance(element, HtmlTable):
        return element.rows
    return [[str(v) for v in row] for row in _cells(element).itertuples(index=False)]


def labels(element) -> list[str]:
    """The column headings of a desk table (st.dataframe's column configuration)."""
    if isinstance(element, HtmlTable):
        return element.labels
    config = json.loads(element.proto.columns)
    return [config[name]["label"] for name in _cells(element).columns]


def helps(element) -> dict[str, str]:
    if isinstance(element, HtmlTable):
        return element.helps
    config = json.loads(element.proto.columns)
    return {c["label"]: c.get("help") for c in config.values() if "label" in c}


def grey_rows(element) -> set[int]:
    """Rows drawn greyed in every cell (dashboard.tables.GREY)."""
    if isinstance(element, HtmlTable):
        return element.grey_rows
    styles = _arrow(element).styler.styles
    rows: dict[int, set[int]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", styles):
        if "font-style: italic" not in body:
            continue
        for row, col in re.findall(r"_row(\d+)_col(\d+)", selectors):
            rows.setdefault(int(row), set()).add(int(col))
    columns = len(shown(element)[0]) if shown(element) else 0
    return {row for row, cols in rows.items() if len(cols) == columns}


def metrics(at) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


def table_by_first_heading(at, heading: str):
    (found,) = [d for d in at.dataframe if labels(d)[0] == heading]
    return found


# --- the office, in Chinese ------------------------------------------------------------------


def test_office_sees_every_figure_worked_out_by_hand(open_outcomes):
    at = open_outcomes()
    assert at.title[0].value == "办理成效 · 2026年3月"
    pipeline, overdue, due_soon, backlog, levels = at.dataframe[:5]
    league = league_table(at)

    # Pipeline: received P2 F1-F5 ACC; accepted [0 1 1 1 1 2]; meetings P1 2, P2 -2, F1 1, F3 0, F4 1, F5 1;
    # feedback [2 3 3 4]; concluded 11, 10 durations [3 7 11 14 53 56 58 58 64 174]. Stuck at 03-31:
    # acceptance P2 P4 B5, meeting F2, feedback F4, conclusion P3 P5 B1 B2 B3 ACC.
    assert labels(pipeline) == ["环节", "本期办理", "间隔天数（中位数）", "间隔天数（90%分位）", "当前滞留"]
    assert shown(pipeline) == [
        ["收到", "7", "—", "—", "—"],
        ["受理", "6", "1.0", "1.5", "3"],
        ["见面", "6", "1.0", "1.5", "1"],
        ["反馈", "4", "3.0", "3.7", "1"],
        ["办结", "11", "54.5", "75.0", "6"],
    ]
    assert "上一步" in helps(pipeline)["间隔天数（中位数）"]

    # Deadlines, both rule sets side by side: statutory due in March P5 P7 P10 late, P6 P8 P9 P11 on time;
    # 21-day date in March P1 F3 F5 met, F2 late. Overdue now: B1 B2 B3 B5 P5 (statutory), F2 (meeting).
    # Due within 7 days: P4 (statutory, 04-05), F4 and P2 (feedback, 04-02 and 04-06).
    assert metrics(at)[:6] == [
        ("按期办结率", "57.1%"), ("当前超期", "5"), ("7日内到期", "1"),
        ("3-7-21 达标率", "75.0%"), ("当前超期", "1"), ("7日内到期", "2"),
    ]
    captions = [c.value for c in at.caption]
    assert "4 / 7 件" in captions and "3 / 4 件" in captions
    assert labels(overdue) == ["信访件编号", "时限规则", "待办环节", "乡镇（街道）", "责任单位", "包案领导", "收到日期",
                               "期限", "超期天数"]
    assert shown(overdue) == [
        ["B2", "法定", "办结", "甲镇", "住建局", "王书记", "2025-03-01", "2025-06-01", "303"],  # extended: +30
        ["B5", "法定", "办结", "丙街道", "自然资源局", "—", "2025-06-10", "2025-08-24", "219"],  # no acceptance date
        ["B1", "法定", "办结", "甲镇", "住建局", "王书记", "2025-11-15", "2026-01-15", "75"],
        ["B3", "法定", "办结", "乙乡", "人社局", "李县长", "2025-12-20", "2026-02-20", "39"],
        ["P5", "法定", "办结", "乙乡", "人社局", "李县长", "2026-01-05", "2026-03-07", "24"],
        ["F2", "3-7-21", "见面", "乙乡", "住建局", "—", "2026-03-05", "2026-03-08", "23"],
    ]
    assert [row[0] for row in shown(due_soon)] == ["F4", "P4", "P2"]
    assert [row[-1] for row in shown(due_soon)] == ["2", "5", "6"]  # days left
    assert [t.label for t in at.tabs] == ["超期清单（6）", "7日内到期（3）"]

    # Backlog by owner leader: 王书记 B1 (136 days) and B2 (395 days) in two age bands, B4 cleared;
    # 李县长 B3 joined, overdue P5 and B3; B5 with no owner leader (294 days).
    assert metrics(at)[6:11] == [("积案", "4"), ("超期未结", "5"), ("上期末积案", "4"), ("本期化解积案", "1"),
                                 ("本期新增积案", "1")]
    assert labels(backlog) == ["包案领导", "积案", "超期未结", "上期末积案", "本期化解积案", "本期新增积案",
                               "91–180天", "181–365天", "超过365天"]
    assert shown(backlog) == [
        ["王书记", "2", "2", "3", "1", "0", "1", "0", "1"],
        ["李县长", "1", "2", "0", "0", "1", "1", "0", "0"],
        ["赵副县长", "0", "0", "0", "0", "0", "0", "0", "0"],
        ["（未确定包案领导）", "1", "1", "1", "0", "0", "0", "1", "0"],
    ]
    # The backlog's last 12 month ends, 2025-04 to 2026-03: at 2025-06-30 B2 alone; at 02-28 B1 B2 B4 B5,
    # overdue B1-B5; at 03-31 B1 B2 B3 B5, overdue B1 B2 B3 B5 P5.
    assert "**近12个月（月末）**" in [m.value for m in at.markdown]
    (trend,) = [m.value for m in at.markdown if 'data-chart="lines"' in m.value]
    # Each point's hover text: "<month> <line>: <count>", the backlog's twelve first.
    points = re.findall(r"<title>([^<]*) (积案|超期未结): (\d+)</title>", trend)
    backlog_line = [int(n) for _, name, n in points if name == "积案"]
    overdue_line = [int(n) for _, name, n in points if name == "超期未结"]
    assert len(backlog_line) == len(overdue_line) == 12
    assert (backlog_line[0], backlog_line[2], backlog_line[-2:]) == (0, 1, [4, 4])
    assert (overdue_line[2], overdue_line[-2:]) == (1, [5, 5])

    # Outcomes: received and concluded in March F1 (visit, resolved in the village), F3 (letter,
    # unresolved), F5 (online, resolved, level not recorded); ratings of the 11 concluded in March.
    assert metrics(at)[11:] == [
        ("化解率", "66.7%"), ("初信初访化解率", "66.7%"), ("初信化解率", "50.0%"), ("初访化解率", "100.0%"),
        ("信访部门满意率", "71.4%"), ("责任单位满意率", "60.0%"), ("参评率", "63.6%"),
    ]
    for fraction in ("2 / 3 件", "1 / 2 件", "1 / 1 件", "5 / 7 件", "3 / 5 件", "7 / 11 件"):
        assert fraction in captions
    assert shown(levels) == [["村（社区）", "1", "50.0%"], ["乡镇（街道）", "0", "0.0%"], ["县", "0", "0.0%"],
                             ["未记录", "1", "50.0%"]]

    # League of units, default threshold 10: no denominator reaches it, nobody is ranked, all grey.
    assert labels(league)[:5] == ["排名", "责任单位", "信访量", "按期办结率", "按期办结率（分母）"]
    assert shown(league) == [
        ["不排名", "人社局", "4", "33.3%", "3", "50.0%", "2", "66.7%", "3", "50.0%", "2", "2"],
        ["不排名", "住建局", "2", "66.7%", "3", "100.0%", "1", "75.0%", "4", "66.7%", "3", "2"],
        ["不排名", "自然资源局", "1", "100.0%", "1", "—", "0", "—", "0", "—", "0", "1"],
    ]
    assert grey_rows(league) == {0, 1, 2}
    assert "分母少于 10 件的比率不排名（灰色）；“—”表示分母为零。" in captions
    # Every figure carries its definition a hover away.
    assert all(m.help for m in at.metric)
    assert "法定办结期限" in at.metric[0].help
    assert len(at.get("download_button")) == 1


def test_every_tile_and_heading_in_english(open_outcomes):
    at = open_outcomes(lang="en")
    assert at.title[0].value == "Case outcomes · March 2026"
    assert [label for label, _ in metrics(at)][:6] == [
        "On-time rate", "Overdue now", "Due within 7 days", "3-7-21 on-time rate", "Overdue now", "Due within 7 days",
    ]
    assert [value for _, value in metrics(at)] == [
        "57.1%", "5", "1", "75.0%", "1", "2", "4", "5", "4", "1", "1", "66.7%", "66.7%", "50.0%", "100.0%", "71.4%",
        "60.0%", "63.6%",
    ]
    pipeline, overdue = at.dataframe[:2]
    assert [row[0] for row in shown(pipeline)] == ["Received", "Accepted", "First meeting", "Feedback", "Concluded"]
    assert shown(overdue)[-1][1:3] == ["3-7-21", "First meeting"]
    assert labels(at.dataframe[3])[-1] == "over 365 days"
    assert shown(league_table(at))[0][0] == "not ranked"
    assert "4 of 7" in [c.value for c in at.caption]
    assert [t.label for t in at.tabs] == ["Overdue (6)", "Due within 7 days (3)"]


@pytest.fixture
def threshold_3(monkeypatch):
    monkeypatch.setenv("DASHBOARD_LEAGUE_MIN_DENOMINATOR", "3")
    load_settings.cache_clear()
    yield
    load_settings.cache_clear()


def test_the_league_ranks_among_rows_above_the_configured_threshold(open_outcomes, threshold_3):
    at = open_outcomes()
    league = league_table(at)
    # On time: 住建局 P8 P9 of P8 P9 P10 (2/3) first, 人社局 P6 of P5 P6 P7 (1/3) second; 自然资源局 1/1
    # is under 3: greyed, not ranked, listed last whatever its 100%.
    assert [row[:5] for row in shown(league)] == [
        ["1", "住建局", "2", "66.7%", "3"],
        ["2", "人社局", "4", "33.3%", "3"],
        ["不排名", "自然资源局", "1", "100.0%", "1"],
    ]
    assert grey_rows(league) == {2}
    # In a ranked row, a rate whose own denominator is under 3 is greyed alone: 住建局's 化解率 (1),
    # 人社局's 化解率 (2) and 责任单位满意率 (2); their 按期办结率 (3) and 信访部门满意率 (4, 3) are not.
    assert shown(league)[0][5:10] == ["100.0%", "1", "75.0%", "4", "66.7%"]
    assert shown(league)[1][5:10] == ["50.0%", "2", "66.7%", "3", "50.0%"]
    assert league.grey_cells == {(0, 5), (1, 5), (1, 9)}
    assert "按期" in helps(league)["按期办结率"]
    assert "分母少于 3 件" in " ".join(c.value for c in at.caption)
    # By owner leader: 王书记 nothing due in March, 李县长 P5 (0/1), 赵副县长 P8 (1/1): nobody has 3.
    at.segmented_control(key="w.outcomes.by").set_value("leader").run()
    assert not at.exception
    league = league_table(at)
    assert labels(league)[1] == "包案领导"
    assert [row[:5] for row in shown(league)] == [
        ["不排名", "王书记", "0", "—", "0"], ["不排名", "李县长", "0", "0.0%", "1"], ["不排名", "赵副县长", "0", "100.0%", "1"],
    ]
    # By township, ranked by office satisfaction: 甲镇 3/3 and 丙街道 1/3; 乙乡 1/1 not ranked.
    at.segmented_control(key="w.outcomes.by").set_value("township").run()
    at.selectbox(key="w.outcomes.rank_by").set_value("satisfaction_rate_office").run()
    league = league_table(at)
    assert [[row[0], row[1], row[7], row[8]] for row in shown(league)] == [
        ["1", "甲镇", "100.0%", "3"], ["2", "丙街道", "33.3%", "3"], ["不排名", "乙乡", "100.0%", "1"],
    ]


# --- a case's detail ----------------------------------------------------------------------------


def _detail(at, number: str):
    # What a row selected in a list, or a number typed in the picker, stores (AppTest can do neither:
    # it neither selects dataframe rows nor types a new option; the browser test does).
    at.session_state["outcomes.case"] = number
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_case_without_acceptance_date_in_detail(open_outcomes):
    at = _detail(open_outcomes(), "P10")
    fields = dict(zip(*(list(col) for col in at.table[0].value.T.values), strict=True))
    assert fields["信访件编号"] == "P10" and fields["责任单位"] == "住建局" and fields["包案领导"] == "—"
    assert fields["已办理天数"] == "已办结"
    steps = at.dataframe[-1]
    # Acceptance never recorded (15-day deadline 01-16); concluded 03-20 after its deadline 01-01+15+60 = 03-17.
    assert shown(steps) == [
        ["收到", "2026-01-01", "—", "0", "—", "—", "—", "—"],
        ["受理", "—", "—", "—", "2026-01-16", "无记录", "—", "—"],
        ["办结", "2026-03-20", "—", "78", "2026-03-17", "逾期完成", "—", "—"],
    ]


def test_the_extended_case_and_a_first_time_case_in_detail(open_outcomes):
    at = _detail(open_outcomes(), "P3")
    # Extended: 01-12 + 60 + 30 = 04-12; concluded 04-03, after the month but within its deadline.
    assert shown(at.dataframe[-1])[-1] == ["办结", "2026-04-03", "81", "83", "2026-04-12", "按期", "—", "—"]
    fields = dict(zip(*(list(col) for col in at.table[0].value.T.values), strict=True))
    assert fields["已延期"] == "是" and fields["包案领导"] == "王书记" and fields["已办理天数"] == "80"
    at = _detail(at, "F2")
    assert [row[5:] for row in shown(at.dataframe[-1])] == [
        ["—", "—", "—"],
        ["按期", "—", "—"],
        ["—", "2026-03-08", "已超期"],
        ["—", "2026-03-12", "已超期"],
        ["未到期", "2026-03-26", "已超期"],
    ]


def test_an_unknown_case_number_says_so(open_outcomes):
    at = _detail(open_outcomes(), XSS)
    assert [w.value for w in at.warning if "没有找到" in w.value] == ["没有找到该信访件，或它不在您的查看范围内。"]
    assert all(XSS not in m.value for m in at.markdown)


def test_office_reveals_the_detailed_case_and_it_is_logged(open_outcomes, db_url):
    at = _detail(open_outcomes(), "P5")
    (expander,) = [e for e in at.expander if "P5" in e.label]
    masked = at.table[-1].value.iloc[:, 1].tolist()
    # The reveal table's cells are Markdown: the masking stars arrive escaped, and show as stars.
    assert masked == [markdown_text(v) for v in ("王*", "3509**********5678", "139****5678", "示范县乙乡南****")]
    at.button(key="w.reveal.outcomes.go").click().run()
    assert [s.value for s in at.success] == ["已显示完整信息，本次查看已记入审计日志。"]
    engine = make_engine(db_url)
    try:
        rows = audit.search(engine, action="reveal_personal_data", username="test-office")
    finally:
        engine.dispose()
    assert ("P5", "success") in rows.select("object", "outcome").rows()


# --- other roles ----------------------------------------------------------------------------------


def test_a_county_leader_sees_the_lists_and_may_reveal(open_outcomes):
    at = open_outcomes(role="leader")
    assert [row[0] for row in shown(at.dataframe[1])] == ["B2", "B5", "B1", "B3", "P5", "F2"]
    at = _detail(at, "P5")
    assert any("P5" in e.label for e in at.expander)  # the reveal panel
    assert len(at.get("download_button")) == 1


def test_a_township_officer_sees_their_own_township_only(open_outcomes):
    # 乙乡 (2): P2 P5 P8 P9 B3 F2; the URL asking for 甲镇 changes nothing.
    at = open_outcomes(role="township", township_id=2, township="1")
    pipeline, overdue, due_soon, backlog, levels = at.dataframe[:5]
    # Received P2 F2; accepted F2 (1 day); met P2 (2 days before its acceptance); concluded P8 (58), P9 (56).
    # Stuck at 03-31: acceptance P2, meeting F2, conclusion P5 B3.
    assert shown(pipeline) == [
        ["收到", "2", "—", "—", "—"],
        ["受理", "1", "1.0", "1.0", "1"],
        ["见面", "1", "-2.0", "-2.0", "1"],
        ["反馈", "0", "—", "—", "0"],
        ["办结", "2", "57.0", "57.8", "2"],
    ]
    assert [row[0] for row in shown(overdue)] == ["B3", "P5", "F2"]
    assert [row[0] for row in shown(due_soon)] == ["P2"]
    assert shown(backlog)[:2] == [["王书记", "0", "0", "0", "0", "0", "0", "0", "0"],
                                  ["李县长", "1", "2", "0", "0", "1", "1", "0", "0"]]
    at.segmented_control(key="w.outcomes.by").set_value("township").run()
    assert [row[1] for row in shown(league_table(at))] == ["乙乡"]
    # Another township's case cannot be opened, and nobody here may reveal personal data.
    at = _detail(at, "P1")
    assert any("没有找到" in w.value for w in at.warning)
    at = _detail(at, "P5")
    assert not any("P5" in e.label for e in at.expander)
    assert "w.reveal.outcomes.go" not in {b.key for b in at.button}


@pytest.mark.parametrize(("role", "query"), [("projection", {}), ("office", {"projection": "1"})])
def test_the_wall_screen_shows_figures_but_no_case_and_no_download(open_outcomes, role, query):
    at = open_outcomes(role=role, **query)
    # No case list, no case number, no detail, no reveal, no download: large-type tables only.
    assert len(at.dataframe) == 0 and len(at.tabs) == 0
    assert len(at.get("download_button")) == 0 and len(at.expander) == 0
    keys = {w.key for w in at.selectbox} | {w.key for w in at.button}
    assert "w.outcomes.case" not in keys and "w.reveal.outcomes.go" not in keys
    pipeline, backlog, levels, league = at.table
    everything = " ".join(" ".join(" ".join(r) for r in shown(t)) for t in at.table)
    assert not re.search(r"\b[PBF]\d+\b|ACC", everything)
    # The rates, the pipeline, backlog by leader and the league stay (the wall-screen role may not see
    # complaints about officials: ACC left out).
    hidden = role == "projection"
    assert shown(pipeline)[0] == ["收到", "6" if hidden else "7", "—", "—", "—"]
    assert shown(backlog)[0] == ["王书记", "2", "2", "3", "1", "0", "1", "0", "1"]
    assert [row[1] for row in shown(league)] == ["人社局", "住建局", "自然资源局"]
    assert ("按期办结率", "57.1%") in metrics(at)


# --- the download ---------------------------------------------------------------------------------


def test_a_download_writes_an_audit_entry(db_url):
    """The page's button hands Streamlit downloads_ui.delivered(...): each call makes the file and logs it."""
    import fastexcel

    from queries import outcomes
    from queries.filters import CaseFilter
    from queries.league_export import league_workbook

    engine = make_engine(db_url)
    try:
        frame = outcomes.league_table(engine, CaseFilter.for_month(2026, 3), RULES, "unit")
        make = downloads_ui.delivered(engine, "test-office", "10.0.0.7", "league:league-unit-2026-03.xlsx",
                                      lambda: league_workbook(frame, "unit"))
        with engine.connect() as conn:
            before = conn.execute(select(AuditEntry.id).where(AuditEntry.action == "download")).all()
        data = make()
        # The rows, then a blank row and the note on the threshold.
        assert fastexcel.read_excel(data).load_sheet(0).to_polars()["责任单位"].to_list()[:3] == [
            "人社局", "住建局", "自然资源局"]
        entries = audit.search(engine, action="download")
        assert entries.height == len(before) + 1
        assert entries.select("username", "object", "outcome", "client_addr").rows()[0] == (
            "test-office", "league:league-unit-2026-03.xlsx", "success", "10.0.0.7")

        def broken() -> bytes:
            raise RuntimeError("disk full")

        with pytest.raises(RuntimeError):
            downloads_ui.delivered(engine, "test-office", "local", "league:x.xlsx", broken)()
        assert audit.search(engine, action="download").row(0, named=True)["outcome"] == "failure"
    finally:
        engine.dispose()


def test_the_owner_leader_filter_of_this_page(open_outcomes):
    # 李县长 (2) owns P4, P5 and B3: overdue P5 and B3, due soon P4; B3 joined the backlog.
    at = open_outcomes(state={"outcomes.leaders": (2,)})
    assert list(at.multiselect(key="w.outcomes.leaders").value) == [2]
    assert [row[0] for row in shown(at.dataframe[1])] == ["B3", "P5"]
    assert [row[0] for row in shown(at.dataframe[2])] == ["P4"]
    assert metrics(at)[6:11] == [("积案", "1"), ("超期未结", "2"), ("上期末积案", "0"), ("本期化解积案", "0"),
                                 ("本期新增积案", "1")]
    at.multiselect(key="w.outcomes.leaders").set_value([]).run()
    assert len(shown(at.dataframe[1])) == 6
