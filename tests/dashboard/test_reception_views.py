"""The receptions page's text and tables (dashboard/reception_views.py), without a Streamlit run."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from reception_county import MARCH, RULES, build_reception_county

from dashboard import reception_views as views
from queries import receptions
from text.markup import markdown_text

D = date


def _session(**values) -> dict:
    return {"leader": "陈书记", "place": "县群众来访接待中心", "status": "planned", "provisional": False} | values


def test_a_day_of_the_calendar():
    march = D(2026, 3, 1)
    assert views.day_markdown(D(2026, 2, 28), march, [], D(2026, 3, 5)) == ":gray[28]"  # February's, in the grid
    assert views.day_markdown(D(2026, 3, 5), march, [], D(2026, 3, 5)) == "**5** :blue-badge[今天]"
    day = views.day_markdown(D(2026, 3, 16), march, [
        _session(status="held"), _session(leader="王县长", status="moved", provisional=True),
        _session(leader="李副县长", status="cancelled"),
    ], D(2026, 3, 5))
    assert day.split("  \n") == [
        "**16** :orange-badge[暂定]",
        ":green[✓] 陈书记 · 县群众来访接待中心",
        "王县长 · 县群众来访接待中心 :orange[（已调整）]",
        ":gray[~~李副县长 · 县群众来访接待中心~~ 已取消]",
    ]


def test_names_from_the_database_cannot_make_markup():
    line = views.session_line(_session(leader="![x](http://evil/a.png)", place="[点我](http://evil)\n# 大字"))
    # The markup module's escape (text/markup.py): punctuation escaped, autolinks broken by a word joiner.
    assert line == markdown_text("![x](http://evil/a.png)") + " · " + markdown_text("[点我](http://evil)\n# 大字")
    assert "![" not in line and "](" not in line and "\n" not in line
    table = views.escaped_table(pl.DataFrame({"领导": ["**王**"], "场次": [1]}))
    assert table.rows() == [(r"\*\*王\*\*", 1)]


def test_months_to_choose_from():
    today = D(2026, 12, 3)
    months = views.month_options(today, D(2023, 6, 20), back=24, ahead=12)
    # From the first case (June 2023, more than 24 months back) to December 2027.
    assert (months[0], months[-1], len(months)) == ("2023-06", "2027-12", 55)
    assert views.month_options(today, None, back=2, ahead=1) == ["2026-10", "2026-11", "2026-12", "2027-01"]
    assert views.month_label("2026-12", today) == "2026年12月（本月）"
    assert views.month_label("2027-01", today) == "2027年1月（下月）"
    assert views.month_label("2026-11", today) == "2026年11月"


@pytest.fixture
def county(sqlite_engine):
    return build_reception_county(sqlite_engine)


def test_records_table_rates_and_their_difference_from_the_county(county):
    frame, helps = views.records_frame(receptions.leader_records(county, MARCH, RULES), "owned")
    rows = {row["领导"]: row for row in frame.iter_rows(named=True)}
    # The deputy concluded nothing: no rate, and no difference ("—", never 0%).
    assert (rows["李副县长"]["化解率"], rows["李副县长"]["化解率较全县"]) == ("—", "—")
    assert (rows["王县长"]["满意率"], rows["王县长"]["满意率较全县"]) == ("0.0%", "-60.0 个百分点")
    # Every column but the names has its definition.
    assert set(helps) == set(frame.columns) - {"领导", "职务"}
    assert helps["新收包案件"] == "期间内收到、由该领导包案的信访件数。"
    taken, _ = views.records_frame(receptions.leader_records(county, MARCH, RULES), "taken",
                                   views.PROJECTION_RECORD_COLUMNS)
    assert taken.columns == ["领导", "已接访场次", "接待群众", "接访受理件", "新收受理件", "化解率", "满意率", "超期未结",
                             "积案"]


def test_rules_in_words(county):
    rules = views.rules_frame(receptions.reception_rules(county))
    assert rules.rows() == [
        ("陈书记", "县委书记", "每月定点接访", "每月15日", "县群众来访接待中心", "顺延至下一个工作日", "2025-01-01",
         "08:30–11:30"),
        ("王县长", "县长", "每月定点接访", "每月15日", "县群众来访接待中心", "顺延至下一个工作日", "2025-01-01",
         "08:30–11:30"),
        ("李副县长", "副县长", "乡镇接访点轮转", "每月28日", "甲镇群众接访点 → 乙乡群众接访点", "顺延至下一个工作日",
         "2025-01-01", "—"),
    ]


def test_agenda_rows(county):
    plan = receptions.plan_sessions(county, D(2027, 5, 1), D(2027, 5, 31))
    agenda = views.agenda_frame(plan)
    assert agenda["date"].to_list() == ["2027-05-17（暂定）", "2027-05-17（暂定）", "2027-05-28（暂定）"]
    assert agenda["weekday"].to_list() == ["星期一", "星期一", "星期五"]
    assert agenda["kind"].to_list() == ["定期接访", "定期接访", "乡镇接访点接访"]
    assert agenda["petitioners_received"].to_list() == [None, None, None]  # planned: nothing recorded yet
