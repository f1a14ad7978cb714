"""``python -m dashboard receptions plan``: JSON shape on stdout, files with --out, one-line errors."""

from __future__ import annotations

import json

import fastexcel
import icalendar
import pytest
from reception_county import build_reception_county
from sqlalchemy import select

from dashboard.cli import main
from data.models import AuditEntry


@pytest.fixture
def db(sqlite_engine) -> str:
    build_reception_county(sqlite_engine)
    return str(sqlite_engine.url)


def test_plan_json_for_a_month(db, capsys):
    assert main(["receptions", "plan", "--year", "2026", "--month", "3", "--db", db]) == 0
    sessions = json.loads(capsys.readouterr().out)
    # tests/reception_county.py, March 2026: the park visit, both 15th-of-month sessions, the rotation's 30th.
    assert sessions == [
        {"date": "2026-03-10", "leader": "王县长", "title": "县长", "place": "东湖工业园区", "kind": "visit",
         "provisional": False},
        {"date": "2026-03-16", "leader": "陈书记", "title": "县委书记", "place": "县群众来访接待中心",
         "kind": "monthly", "provisional": False},
        {"date": "2026-03-16", "leader": "王县长", "title": "县长", "place": "县群众来访接待中心",
         "kind": "monthly", "provisional": False},
        {"date": "2026-03-30", "leader": "李副县长", "title": "副县长", "place": "甲镇群众接访点",
         "kind": "township_point", "provisional": False},
    ]


def test_plan_json_for_a_year_is_sorted_and_typed(db, capsys):
    assert main(["receptions", "plan", "--year", "2027", "--db", db]) == 0
    sessions = json.loads(capsys.readouterr().out)
    assert len(sessions) == 36  # three leaders, twelve months
    assert [s["date"] for s in sessions] == sorted(s["date"] for s in sessions)
    for s in sessions:
        assert set(s) == {"date", "leader", "title", "place", "kind", "provisional"}
        assert s["kind"] in ("monthly", "township_point", "visit", "appointment", "follow_up")
        assert s["provisional"] is True  # no 2027 notice in holidays 0.109


def test_xlsx_and_ics_are_written_to_out_and_audited(db, tmp_path, sqlite_engine, capsys):
    xlsx, ics = tmp_path / "plan.xlsx", tmp_path / "plan.ics"
    assert main(["receptions", "plan", "--year", "2026", "--month", "3", "--format", "xlsx", "--out", str(xlsx),
                 "--db", db]) == 0
    assert main(["receptions", "plan", "--year", "2026", "--month", "3", "--format", "ics", "--out", str(ics),
                 "--db", db]) == 0
    assert "4 sessions written to" in capsys.readouterr().out
    sheet = fastexcel.read_excel(xlsx.read_bytes()).load_sheet(0, header_row=1).to_polars()
    assert sheet["接访领导"].to_list() == ["王县长", "陈书记", "王县长", "李副县长"]
    assert len(list(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))) == 4
    with sqlite_engine.connect() as conn:
        objects = conn.execute(select(AuditEntry.object).where(AuditEntry.action == "export")).scalars().all()
    assert objects == ["receptions:plan.xlsx", "receptions:plan.ics"]


def test_json_to_a_file(db, tmp_path):
    out = tmp_path / "plan.json"
    assert main(["receptions", "plan", "--year", "2026", "--month", "4", "--out", str(out), "--db", db]) == 0
    assert [s["date"] for s in json.loads(out.read_text(encoding="utf-8"))] == ["2026-04-20", "2026-04-28"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2026", "--format", "xlsx"], "error: --format xlsx writes a file"),
        (["--year", "2026", "--format", "ics"], "error: --format ics writes a file"),
        (["--year", "2026", "--month", "13"], "error: --month must be from 1 to 12"),
        (["--year", "26"], "error: --year must be a four-digit year"),
    ],
)
def test_bad_arguments_are_one_line(db, capsys, args, message):
    assert main(["receptions", "plan", *args, "--db", db]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1
