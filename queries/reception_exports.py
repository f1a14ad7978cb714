"""The reception plan as files: JSON records, the Excel sheet a county office posts, an iCalendar file for phones.

All three take the frame :func:`queries.receptions.plan_sessions` returns and
write its rows in its order, so they always agree with each other and with
the page. Nothing personal is in them: leaders are public officials, and the
plan carries no petitioner.

- Excel (接访安排表): a title, the columns 日期, 星期, 接访领导, 职务, 接访地点,
  联系乡镇, a provisional day marked "（暂定）" after its date and explained in
  a note under the table. Every text is written as text (never a formula),
  and a text that a spreadsheet would read as a formula (a leading = + - @,
  tab or carriage return) gets a leading apostrophe.
- iCalendar: one VEVENT per session, a stable UID (a rule's occurrence keeps
  its UID when moved, so a phone updates the event instead of adding one),
  DTSTAMP, times in Beijing time with TZID Asia/Shanghai and its VTIMEZONE,
  or an all-day event when the session has no times; the leader and place in
  the summary, location and description; a provisional day marked in the
  summary and description and sent as STATUS:TENTATIVE.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import polars as pl

from config.clock import LOCAL_TZ, LOCAL_TZ_NAME
from text.i18n import has, translate

BEIJING = LOCAL_TZ  # iCalendar events carry Beijing time (config/clock.py)
SHEET_HEADERS = ("日期", "星期", "接访领导", "职务", "接访地点", "联系乡镇")
WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
PROVISIONAL_MARK = "（暂定）"
CANCELLED_MARK = "（已取消）"
# What a spreadsheet reads as the start of a formula (OWASP's CSV injection list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
UID_DOMAIN = "reception.petition-dashboard"
JSON_KEYS = ("date", "leader", "title", "place", "kind", "provisional")

# The files' words live in the translation table (text/i18n.py, "receptions.export.*" and the
# session kinds "receptions.kind.*", which the page shows too); the files are written in Chinese.
EXPORT_TEXT = ("sheet", "title", "provisional_note", "calendar_name", "leader", "place", "linked", "moved")


def _t(key: str, lang: str = "zh") -> str:
    if key.startswith("kind."):
        return translate(f"receptions.{key}", lang)
    return translate(f"receptions.export.{key}", lang)


def safe_cell(value: object) -> str:
    """``value`` as text a spreadsheet will not run: a leading apostrophe before a formula-like start."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def schedule_title(year: int, month: int | None = None) -> str:
    """The sheet's title: 县领导接访安排表（2026年3月） or （2026年）."""
    period = f"{year}年{month}月" if month else f"{year}年"
    return f"{_t('title')}（{period}）"


# --- JSON -----------------------------------------------------------------------------------


def plan_json(plan: pl.DataFrame) -> list[dict]:
    """The plan as JSON-ready records, in the plan's (date) order.

    Each: ``{"date": "YYYY-MM-DD", "leader": name, "title": title, "place": …,
    "kind": "monthly" | "township_point" | "visit" | "appointment" |
    "follow_up", "provisional": bool}``.
    """
    return [
        {
            "date": row["date"].isoformat(),
            "leader": row["leader"],
            "title": row["title"],
            "place": row["place"],
            "kind": row["kind"],
            "provisional": bool(row["provisional"]),
        }
        for row in plan.iter_rows(named=True)
    ]


# --- Excel ----------------------------------------------------------------------------------


def date_text(day: date, provisional: bool = False, cancelled: bool = False) -> str:
    """2026年3月16日, with （暂定） for a provisional day and （已取消） for a cancelled session."""
    text = f"{day.year}年{day.month}月{day.day}日"
    return text + (PROVISIONAL_MARK if provisional else "") + (CANCELLED_MARK if cancelled else "")


def plan_xlsx(plan: pl.DataFrame, title: str) -> bytes:
    """The plan as the .xlsx sheet a county office posts (接访安排表); see the module's docstring."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    sheet = book.add_worksheet(_t("sheet"))
    title_format = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    header = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter",
                              "bg_color": "#D9D9D9"})
    cell = book.add_format({"border": 1, "valign": "vcenter", "text_wrap": True})
    note = book.add_format({"italic": True, "text_wrap": True, "valign": "top"})
    last_column = len(SHEET_HEADERS) - 1
    sheet.merge_range(0, 0, 0, last_column, safe_cell(title), title_format)
    sheet.set_row(0, 30)
    for j, label in enumerate(SHEET_HEADERS):
        sheet.write_string(1, j, label, header)
    row_index = 1
    for row_index, row in enumerate(plan.iter_rows(named=True), start=2):
        values = (
            date_text(row["date"], bool(row["provisional"]), row["status"] == "cancelled"),
            WEEKDAYS_ZH[row["date"].weekday()],
            row["leader"],
            row["title"],
            row["place"],
            row["linked_places"],
        )
        for j, value in enumerate(values):
            sheet.write_string(row_index, j, safe_cell(value), cell)
    if plan.height and plan["provisional"].any():
        sheet.merge_range(row_index + 2, 0, row_index + 2, last_column, _t("provisional_note"), note)
        sheet.set_row(row_index + 2, 36)
    for j, width in enumerate((20, 8, 10, 24, 26, 30)):
        sheet.set_column(j, j, width)
    sheet.freeze_panes(2, 0)
    # Posted on a notice board: landscape A4, as wide as one page, header row on every page.
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(1)
    book.close()
    return buffer.getvalue()


# --- iCalendar ------------------------------------------------------------------------------


def session_uid(row: dict, domain: str = UID_DOMAIN) -> str:
    """A UID that stays with the session: a rule's occurrence by leader, kind and nominal day, else the row id."""
    if row.get("rule_date") is not None:
        return f"leader{row['leader_id']}-{row['kind']}-{row['rule_date']:%Y%m%d}@{domain}"
    if row.get("session_id") is not None:
        return f"session{row['session_id']}@{domain}"
    return f"leader{row['leader_id']}-{row['kind']}-{row['date']:%Y%m%d}@{domain}"


def plan_ics(plan: pl.DataFrame, *, stamp: datetime | None = None, domain: str = UID_DOMAIN) -> bytes:
    """The plan as an iCalendar file (RFC 5545) a phone calendar opens; see the module's docstring.

    ``stamp`` (DTSTAMP, when the file was made) defaults to now, in UTC.
    """
    import icalendar

    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//petition-dashboard//receptions//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _t("calendar_name"))
    cal.add("x-wr-timezone", LOCAL_TZ_NAME)
    for row in plan.iter_rows(named=True):
        event = icalendar.Event()
        event.add("uid", session_uid(row, domain))
        event.add("dtstamp", stamp)
        day: date = row["date"]
        if row["start_time"] is not None:
            start = datetime.combine(day, row["start_time"], tzinfo=BEIJING)
            end_time = row["end_time"]
            end = (datetime.combine(day, end_time, tzinfo=BEIJING) if end_time is not None and end_time > row[
                "start_time"] else start + timedelta(hours=3))
            event.add("dtstart", start)
            event.add("dtend", end)
        else:
            event.add("dtstart", day)  # a date: an all-day event
            event.add("dtend", day + timedelta(days=1))
        provisional = bool(row["provisional"])
        mark = PROVISIONAL_MARK if provisional else ""
        kind = _t(f"kind.{row['kind']}") if has(f"receptions.kind.{row['kind']}") else row["kind"]
        event.add("summary", f"{row['leader']}（{row['title']}）{kind}：{row['place']}{mark}")
        event.add("location", row["place"])
        lines = [
            f"{_t('leader')}：{row['leader']}（{row['title']}）",
            f"{_t('place')}：{row['place']}",
        ]
        if row.get("linked_places"):
            lines.append(f"{_t('linked')}：{row['linked_places']}")
        if row["status"] == "moved" and row.get("reason"):
            lines.append(f"{_t('moved')}：{row['reason']}")
        if provisional:
            lines.append(_t("provisional_note"))
        event.add("description", "\n".join(lines))
        if row["status"] == "cancelled":
            event.add("status", "CANCELLED")
        else:
            event.add("status", "TENTATIVE" if provisional else "CONFIRMED")
        cal.add_component(event)
    if plan.height:
        # A VTIMEZONE for every TZID used, covering the plan's days (RFC 5545 §3.2.19).
        cal.add_missing_timezones(first_date=plan["date"].min() - timedelta(days=1),
                                  last_date=plan["date"].max() + timedelta(days=366))
    return cal.to_ical()


__all__ = [
    "JSON_KEYS",
    "PROVISIONAL_MARK",
    "SHEET_HEADERS",
    "EXPORT_TEXT",
    "WEEKDAYS_ZH",
    "date_text",
    "plan_ics",
    "plan_json",
    "plan_xlsx",
    "safe_cell",
    "schedule_title",
    "session_uid",
]
