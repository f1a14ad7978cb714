"""``python -m dashboard report``: JSON on stdout, one clear line and a non-zero exit on error."""

from __future__ import annotations

import json
import subprocess
import sys

import polars as pl
import pytest
from hand_county import build_hand_county
from random_county import build_random_county, random_cases
from sqlalchemy import insert

from config.settings import PROJECT_ROOT, DeadlineRules
from dashboard.cli import main
from data.db import bump_data_version
from data.models import CHANNEL_VALUES, Leader, Township, Unit
from queries import metrics
from queries.filters import CaseFilter
from queries.summary import refresh_summary


def test_report_json_for_hand_county(sqlite_engine, capsys):
    build_hand_county(sqlite_engine)
    assert main(["report", "--month", "2026-03", "--db", str(sqlite_engine.url)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["received"] == 5 and report["overdue_open"] == 2
    assert report["first_time_resolution_rate"] == pytest.approx(0.5)


def test_report_table_shows_percentages_and_dash(sqlite_engine, capsys):
    build_hand_county(sqlite_engine)
    assert main(["report", "--month", "2026-03", "--format", "table", "--db", str(sqlite_engine.url)]) == 0
    out = capsys.readouterr().out
    assert "resolution_rate: 50.0%" in out
    assert "on_time_rate_3_7_21: 33.3%" in out
    assert "satisfaction_rate_office: 66.7%" in out


@pytest.mark.parametrize("month", ["2026-13", "March", "2026-3-1", ""])
def test_bad_month_is_one_line_and_nonzero(month, tmp_path, capsys):
    code = main(["report", "--month", month, "--db", f"sqlite:///{tmp_path / 'x.sqlite'}"])
    err = capsys.readouterr().err
    assert code != 0
    assert err.startswith("error: --month") and err.count("\n") == 1


def test_unreachable_database_is_one_line_without_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "report", "--month", "2026-03",
         "--db", "postgresql://nobody@127.0.0.1:1/none"],
        capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: cannot reach the database") and result.stderr.count("\n") == 1


EXPECTED_KEYS = [
    "period", "received", "by_channel", "by_township", "by_park", "by_category", "first_time", "group_visits",
    "repeat_share", "concluded", "resolution_rate", "first_time_resolution_rate", "on_time_rate",
    "on_time_rate_3_7_21", "overdue_open", "backlog", "satisfaction_rate_office", "satisfaction_rate_unit",
    "rating_rate",
]


# --- filters and --by (issue 10) -----------------------------------------------------------------------

# The unfiltered report of the hand county, as printed before filters existed: other tools read it.
HAND_MARCH_JSON = """{
  "period": {
    "start": "2026-03-01",
    "end": "2026-03-31"
  },
  "received": 5,
  "by_channel": {
    "letter": 2,
    "visit": 2,
    "online": 1,
    "phone": 0,
    "leader_reception": 0
  },
  "by_township": {
    "甲镇": 3,
    "乙乡": 2
  },
  "by_park": {
    "东湖工业园区": 1
  },
  "by_category": {
    "劳动社保": 2,
    "纪检监察": 1
  },
  "first_time": 3,
  "group_visits": 2,
  "repeat_share": 0.2,
  "concluded": 5,
  "resolution_rate": 0.5,
  "first_time_resolution_rate": 0.5,
  "on_time_rate": 0.5,
  "on_time_rate_3_7_21": 0.3333333333333333,
  "overdue_open": 2,
  "backlog": 1,
  "satisfaction_rate_office": 0.6666666666666666,
  "satisfaction_rate_unit": 0.5,
  "rating_rate": 0.6
}
"""

MONTH = "2025-03"
REPORT_MONTH = CaseFilter.for_month(2025, 3)
SCALARS = [k for k in EXPECTED_KEYS if not k.startswith("by_") and k != "period"]
COUNTS = ("received", "first_time", "group_visits", "concluded", "overdue_open", "backlog")


def _report(db_url, capsys, *args) -> dict:
    assert main(["report", "--month", MONTH, "--db", db_url, *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_unfiltered_json_is_byte_identical(sqlite_engine, capsys):
    build_hand_county(sqlite_engine)
    assert main(["report", "--month", "2026-03", "--db", str(sqlite_engine.url)]) == 0
    assert capsys.readouterr().out == HAND_MARCH_JSON


@pytest.fixture
def random_db(sqlite_engine):
    build_random_county(sqlite_engine, n=900, seed=5)
    with sqlite_engine.begin() as conn:
        bump_data_version(conn)
        refresh_summary(conn, DeadlineRules())
    return sqlite_engine


def _received_split(rows, where, key) -> dict:
    """received in March 2025 among ``rows`` matching ``where``, by ``key``: counted here in Python."""
    counts: dict = {}
    for r in rows:
        if REPORT_MONTH.start <= r["received_on"] <= REPORT_MONTH.end and where(r) and key(r) is not None:
            counts[key(r)] = counts.get(key(r), 0) + 1
    return counts


# option, its value, the case column it restricts, the id it names
NAMED = [
    ("--township", "镇2", "township_id", 2),
    ("--park", "园区1", "park_id", 1),
    ("--category", "类别3", "category_id", 3),
    ("--unit", "单位2", "unit_id", 2),
    ("--leader", "领导1", "owner_leader_id", 1),
]


@pytest.mark.parametrize(("option", "name", "column", "value_id"), NAMED)
def test_each_filter_against_the_unfiltered_engine(random_db, capsys, option, name, column, value_id):
    url = str(random_db.url)
    report = _report(url, capsys, option, name)
    assert list(report) == EXPECTED_KEYS
    # Every scalar equals the engine's figure for that value in one GROUP BY over the whole county (raw SQL).
    grouped = metrics.grouped_figures(random_db, REPORT_MONTH, column, DeadlineRules(), source="raw")
    expected = grouped.filter(pl.col("group_key") == value_id).row(0, named=True)
    for key in SCALARS:
        assert report[key] == pytest.approx(expected[key]) if expected[key] is not None else report[key] is None, key
    # The splits, counted in Python from the generated rows.
    rows = [r for r in random_cases(900, 5) if r[column] == value_id]
    assert report["by_channel"] == {ch: _received_split(rows, lambda r: True, lambda r: r["channel"]).get(ch, 0)
                                    for ch in CHANNEL_VALUES}
    assert report["by_township"] == {f"镇{k}": n for k, n in sorted(
        _received_split(rows, lambda r: True, lambda r: r["township_id"]).items())}
    assert sum(report["by_category"].values()) == sum(
        _received_split(rows, lambda r: True, lambda r: r["category_id"]).values())
    # And the unfiltered report's split agrees where it has one.
    if option in ("--township", "--park", "--category"):
        whole = _report(url, capsys)
        split = {"--township": "by_township", "--park": "by_park", "--category": "by_category"}[option]
        assert whole[split][name] == report["received"]


def test_channel_filter(random_db, capsys):
    url = str(random_db.url)
    report = _report(url, capsys, "--channel", " Visit ")
    whole = _report(url, capsys)
    assert report["received"] == whole["by_channel"]["visit"]
    assert report["by_channel"] == {ch: (report["received"] if ch == "visit" else 0) for ch in CHANNEL_VALUES}
    raw = metrics.headline(random_db, CaseFilter.for_month(2025, 3, channels=("visit",)), DeadlineRules(),
                           source="raw").row(0, named=True)
    for key in SCALARS:
        assert report[key] == pytest.approx(raw[key]) if raw[key] is not None else report[key] is None, key


def test_filters_combine(random_db, capsys):
    report = _report(str(random_db.url), capsys, "--township", "镇1", "--unit", "单位1", "--leader", "领导2")
    flt = CaseFilter.for_month(2025, 3, township_ids=(1,), unit_ids=(1,), leader_ids=(2,))
    raw = metrics.headline(random_db, flt, DeadlineRules(), source="raw").row(0, named=True)
    assert report["received"] == raw["received"] and report["backlog"] == raw["backlog"]


@pytest.mark.parametrize(("by", "column", "names"), [
    ("unit", "unit_id", ["单位1", "单位2", "单位3"]),
    ("leader", "owner_leader_id", ["领导1", "领导2", "领导3"]),
    ("township", "township_id", ["镇1", "镇2", "镇3", "镇4"]),
    ("category", "category_id", ["类别1", "类别2", "类别3"]),
])
def test_by_rows_are_the_engines_groups(random_db, capsys, by, column, names):
    out = _report(str(random_db.url), capsys, "--by", by)
    assert list(out) == ["period", "rows"] and out["period"] == {"start": "2025-03-01", "end": "2025-03-31"}
    assert [row["name"] for row in out["rows"]] == names
    grouped = metrics.grouped_figures(random_db, REPORT_MONTH, column, DeadlineRules(), source="raw")
    for i, row in enumerate(out["rows"], start=1):
        assert list(row) == ["name", *EXPECTED_KEYS]
        found = grouped.filter(pl.col("group_key") == i)
        expected = found.row(0, named=True) if found.height else {}
        for key in COUNTS:
            assert row[key] == expected.get(key, 0), (row["name"], key)


def test_by_unit_adds_up_to_the_county_when_every_case_has_a_unit(random_db, capsys):
    with random_db.begin() as conn:
        conn.exec_driver_sql("UPDATE cases SET unit_id = 3 WHERE unit_id IS NULL")
        bump_data_version(conn)
        refresh_summary(conn, DeadlineRules())
    url = str(random_db.url)
    whole = _report(url, capsys)
    rows = _report(url, capsys, "--by", "unit")["rows"]
    for key in COUNTS:
        assert sum(row[key] for row in rows) == whole[key], key
    for split in ("by_channel", "by_township", "by_category"):
        summed: dict = {}
        for row in rows:
            for name, n in row[split].items():
                summed[name] = summed.get(name, 0) + n
        assert {k: v for k, v in summed.items() if v} == {k: v for k, v in whole[split].items() if v}, split
    # Narrowed by a filter, the rows still add up to the filtered report.
    township = _report(url, capsys, "--township", "镇3")
    rows = _report(url, capsys, "--township", "镇3", "--by", "unit")["rows"]
    assert sum(row["received"] for row in rows) == township["received"]


def test_by_with_the_same_dimension_filtered_keeps_that_row(random_db, capsys):
    rows = _report(str(random_db.url), capsys, "--unit", "单位2", "--by", "unit")["rows"]
    assert [row["name"] for row in rows] == ["单位2"]


def test_by_as_a_table(random_db, capsys):
    assert main(["report", "--month", MONTH, "--db", str(random_db.url), "--by", "leader", "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("== 领导1 ==\nperiod: 2025-03-01 .. 2025-03-31") and "== 领导3 ==" in out


def _ambiguous_county(engine):
    build_hand_county(engine)
    with engine.begin() as conn:
        conn.execute(insert(Township), [{"id": 3, "name": "城关镇", "kind": "town"},
                                        {"id": 4, "name": "城关乡", "kind": "township"}])
        conn.execute(insert(Unit), [{"id": 1, "code": "U01", "name": "县人社局"}])
        conn.execute(insert(Leader), [{"id": 1, "name": "王启明", "title": "县委书记", "rank": 1}])
    return engine


@pytest.mark.parametrize(("args", "start"), [
    (["--township", "丙镇"], "error: --township: unknown township '丙镇'"),
    (["--township", "城关"], "error: --township: ambiguous township '城关': it fits 城关乡, 城关镇"),
    (["--park", "西湖"], "error: --park: unknown park '西湖'"),
    (["--unit", "人社局"], "error: --unit: unknown unit '人社局' (did you mean 县人社局?)"),
    (["--leader", "王明"], "error: --leader: unknown owner leader '王明'"),
    (["--category", "教育"], "error: --category: unknown category '教育'"),
    (["--channel", "fax"], "error: unknown channel 'fax'"),
])
def test_unknown_or_ambiguous_name_is_one_line(sqlite_engine, capsys, args, start):
    _ambiguous_county(sqlite_engine)
    code = main(["report", "--month", "2026-03", "--db", str(sqlite_engine.url), *args])
    captured = capsys.readouterr()
    assert code != 0 and captured.out == ""
    assert captured.err.startswith(start) and captured.err.count("\n") == 1


@pytest.mark.parametrize(("args", "received"), [
    (["--township", "　城关镇 "], 0),  # full-width space around: normalised
    (["--township", "城关乡"], 0),
    (["--township", "甲"], 3),  # 甲镇 without its suffix: the only 甲
    (["--township", "乙乡"], 2),
    (["--unit", "Ｕ０１"], 0),  # full-width code
    (["--leader", " 王启明"], 0),
    (["--category", "劳动社保"], 2),
    (["--park", "东湖"], 1),  # 东湖工业园区
])
def test_names_are_normalised(sqlite_engine, capsys, args, received):
    _ambiguous_county(sqlite_engine)
    assert main(["report", "--month", "2026-03", "--db", str(sqlite_engine.url), *args]) == 0
    assert json.loads(capsys.readouterr().out)["received"] == received
