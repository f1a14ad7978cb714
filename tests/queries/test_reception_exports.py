"""The plan's Excel sheet and iCalendar file, parsed back (fastexcel, icalendar) and held against its JSON."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import fastexcel
import icalendar
import polars as pl
import pytest
from reception_county import build_reception_county, d

from queries import reception_exports as exports
from queries.receptions import PLAN_SCHEMA, plan_sessions

STAMP = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
DATE_TEXT = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日(（暂定）)?$")


@pytest.fixture
def plan(sqlite_engine) -> pl.DataFrame:
    """Mid-December 2026 to January 2027: announced days and provisional ones, timed and all-day sessions."""
    build_reception_county(sqlite_engine)
    return plan_sessions(sqlite_engine, d(2026, 12, 1), d(2027, 1, 31))


def _sheet(content: bytes) -> pl.DataFrame:
    frame = fastexcel.read_excel(content).load_sheet(0, header_row=1).to_polars()
    return frame.filter(pl.col("星期").is_not_null())  # the note under the table has no weekday


def test_plan_covers_both_kinds_of_day(plan):
    # December 2026: 15th (Tue) certain; the rotation's 28th (Mon) falls after 24 December: provisional
    # until the 2027 notice. January 2027: all provisional.
    assert plan.select("date", "provisional").rows() == [
        (d(2026, 12, 15), False), (d(2026, 12, 15), False), (d(2026, 12, 28), True),
        (d(2027, 1, 15), True), (d(2027, 1, 15), True), (d(2027, 1, 28), True)]


def test_json_records(plan):
    records = exports.plan_json(plan)
    assert all(tuple(r) == exports.JSON_KEYS for r in records)
    assert records[0] == {"date": "2026-12-15", "leader": "陈书记", "title": "县委书记", "place": "县群众来访接待中心",
                          "kind": "monthly", "provisional": False}
    assert [r["date"] for r in records] == sorted(r["date"] for r in records)


def test_excel_sheet_reads_back_as_the_json(plan):
    content = exports.plan_xlsx(plan, exports.schedule_title(2027, 1))
    reader = fastexcel.read_excel(content)
    assert reader.sheet_names == ["接访安排表"]
    title = reader.load_sheet(0, header_row=None, n_rows=1).to_polars().row(0)[0]
    assert title == "县领导接访安排表（2027年1月）"
    sheet = _sheet(content)
    assert tuple(sheet.columns) == exports.SHEET_HEADERS
    records = exports.plan_json(plan)
    assert sheet.height == len(records)
    for row, record, linked in zip(sheet.iter_rows(named=True), records, plan["linked_places"], strict=True):
        year, month, day, mark = DATE_TEXT.match(row["日期"]).groups()
        when = date(int(year), int(month), int(day))
        assert when.isoformat() == record["date"]
        assert (mark is not None) == record["provisional"]
        assert row["星期"] == exports.WEEKDAYS_ZH[when.weekday()]
        assert (row["接访领导"], row["职务"], row["接访地点"], row["联系乡镇"]) == (
            record["leader"], record["title"], record["place"], linked)
    full = fastexcel.read_excel(content).load_sheet(0, header_row=1).to_polars()
    assert full["日期"].to_list()[-1].startswith("注：")  # the provisional days are explained


def test_excel_neutralises_formula_like_text(plan):
    hostile = plan.with_columns(
        pl.Series("place", ["=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "\tx", "县群众来访接待中心"]))
    sheet = _sheet(exports.plan_xlsx(hostile, "=title"))
    assert sheet["接访地点"].to_list() == ["'=HYPERLINK(\"http://x\")", "'+1", "'-1", "'@SUM(A1)", "'\tx",
                                       "县群众来访接待中心"]
    assert exports.safe_cell("=1+1") == "'=1+1" and exports.safe_cell("甲镇") == "甲镇"
    assert exports.safe_cell(None) == ""


def test_no_note_without_a_provisional_day(plan):
    certain = plan.filter(~pl.col("provisional"))
    full = fastexcel.read_excel(exports.plan_xlsx(certain, "t")).load_sheet(0, header_row=1).to_polars()
    assert full.height == certain.height


def test_icalendar_reads_back_as_the_json(plan):
    cal = icalendar.Calendar.from_ical(exports.plan_ics(plan, stamp=STAMP))
    events = list(cal.walk("VEVENT"))
    records = exports.plan_json(plan)
    assert len(events) == len(records)
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    for event, record, row in zip(events, records, plan.iter_rows(named=True), strict=True):
        assert event.decoded("DTSTAMP") == STAMP
        start = event.decoded("DTSTART")
        summary, description = str(event["SUMMARY"]), str(event["DESCRIPTION"])
        assert record["leader"] in summary and record["place"] in summary
        assert str(event["LOCATION"]) == record["place"]
        assert record["title"] in description
        assert ("（暂定）" in summary) == record["provisional"]
        assert str(event["STATUS"]) == ("TENTATIVE" if record["provisional"] else "CONFIRMED")
        if row["start_time"] is None:
            # All-day: a date, not a datetime, ending the next day.
            assert type(start) is date and start.isoformat() == record["date"]
            assert event.decoded("DTEND") == start + timedelta(days=1)
        else:
            # Beijing time with its TZID.
            assert start.date().isoformat() == record["date"]
            assert start.time() == time(8, 30) and str(start.tzinfo) == "Asia/Shanghai"
            assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
            assert event.decoded("DTEND").time() == time(11, 30)


def test_uid_follows_the_rule_occurrence_when_moved(plan):
    row = plan.row(2, named=True)  # the rotation's 28 December 2026
    moved = dict(row, date=d(2026, 12, 29), session_id=42, status="moved", reason="x")
    assert exports.session_uid(row) == exports.session_uid(moved)
    assert exports.session_uid(dict(row, rule_date=None, session_id=7)).startswith("session7@")


def test_empty_plan_makes_valid_files():
    empty = pl.DataFrame(schema=PLAN_SCHEMA)
    assert exports.plan_json(empty) == []
    assert list(icalendar.Calendar.from_ical(exports.plan_ics(empty, stamp=STAMP)).walk("VEVENT")) == []
    content = exports.plan_xlsx(empty, "t")
    assert fastexcel.read_excel(content).sheet_names == ["接访安排表"]
