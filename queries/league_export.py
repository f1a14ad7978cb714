"""A league table (:func:`queries.outcomes.league_table`) as an .xlsx download, written with xlsxwriter.

Names come from imported files, so any text cell could start like a formula
(``=HYPERLINK(…)``, ``+1``, ``-1``, ``@SUM``, a tab or a carriage return).
Every text is written as a string cell, never parsed, and text with such a
first character gets a leading apostrophe (OWASP's advice for spreadsheet
exports), so it stays text even after the sheet is edited or saved as CSV.
No personal data: a league table has none.
"""

from __future__ import annotations

import io

import polars as pl

from text.i18n import DASH, translate

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

RATE_COLUMNS = (
    ("on_time_rate", "on_time", "due_in_period"),
    ("resolution_rate", "resolved", "resolution_base"),
    ("satisfaction_rate_office", "satisfied_office", "rated_office"),
    ("satisfaction_rate_unit", "satisfied_unit", "rated_unit"),
)


def neutralise(text: object) -> str:
    """``text`` as a string that no spreadsheet reads as a formula."""
    value = "" if text is None else str(text)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def league_workbook(frame: pl.DataFrame, by: str, *, lang: str = "zh", min_denominator: int = 10) -> bytes:
    """The .xlsx bytes of a league table: rank, name, received, each rate with its parts, overdue open.

    Rates are numbers formatted as percentages with one decimal; a rate with a
    zero denominator is "—", an unranked row says so in the rank column.
    """
    import xlsxwriter  # only when a download is asked for


    def s(key: str, **fmt) -> str:
        return translate(f"league.{key}", lang, **fmt)

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    sheet = book.add_worksheet(s("sheet"))
    bold = book.add_format({"bold": True, "text_wrap": True})
    percent = book.add_format({"num_format": "0.0%"})
    headers = [s("rank"), s(f"name.{by}"), s("received")]
    for rate, _, _ in RATE_COLUMNS:
        headers += [s(rate), s("numerator", rate=s(rate)), s("denominator", rate=s(rate))]
    headers.append(s("overdue_open"))
    for j, header in enumerate(headers):
        sheet.write_string(0, j, neutralise(header), bold)
    for i, row in enumerate(frame.iter_rows(named=True), start=1):
        if row.get("rank") is None:
            sheet.write_string(i, 0, s("not_ranked"))
        else:
            sheet.write_number(i, 0, int(row["rank"]))
        sheet.write_string(i, 1, neutralise(row["name"]))
        sheet.write_number(i, 2, int(row["received"]))
        j = 3
        for rate, numerator, denominator in RATE_COLUMNS:
            if row[rate] is None:
                sheet.write_string(i, j, DASH)
            else:
                sheet.write_number(i, j, float(row[rate]), percent)
            sheet.write_number(i, j + 1, int(row[numerator]))
            sheet.write_number(i, j + 2, int(row[denominator]))
            j += 3
        sheet.write_number(i, j, int(row["overdue_open"]))
    sheet.write_string(frame.height + 2, 0, neutralise(s("note", n=min_denominator)))
    sheet.freeze_panes(1, 2)
    sheet.set_column(1, 1, 20)
    book.close()
    return buffer.getvalue()
