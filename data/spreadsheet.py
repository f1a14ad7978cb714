"""Excel workbooks the app hands out, every cell inert: a value from data never becomes a formula.

xlsxwriter's ``write_string`` stores text as a shared string, which Excel,
LibreOffice and WPS show and never evaluate; a text starting like a formula
(``=HYPERLINK(…)``, ``+1+2``, ``@SUM(…)``, text.markup.FORMULA_START) also
gets Excel's quote prefix, the cell style behind a typed apostrophe, so it
stays text when someone edits the cell and presses Enter. The text itself is
kept exactly. Numbers, dates and booleans are written as such.

Nothing here imports Streamlit.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from text.markup import is_formula_like

# No automatic conversion of any kind: every cell is written by its type below.
WORKBOOK_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                    "strings_to_numbers": False}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel refuses these in a sheet's name, and more than 31 characters.
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")


class CellWriter:
    """Writes one value into a worksheet cell by its type; the formats are made once per workbook."""

    def __init__(self, book) -> None:
        self.quoted = book.add_format({"quote_prefix": True})
        self.bold = book.add_format({"bold": True})
        self.bold_quoted = book.add_format({"bold": True, "quote_prefix": True})
        self.day = book.add_format({"num_format": "yyyy-mm-dd"})
        self.moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})

    def text(self, sheet, row: int, col: int, value, *, bold: bool = False) -> None:
        """``value`` as a text cell, quote-prefixed when it looks like a formula."""
        value = "" if value is None else str(value)
        if is_formula_like(value):
            sheet.write_string(row, col, value, self.bold_quoted if bold else self.quoted)
        else:
            sheet.write_string(row, col, value, self.bold if bold else None)

    def value(self, sheet, row: int, col: int, value) -> None:
        """Any value: None blank, numbers and dates typed, everything else as :meth:`text`."""
        if value is None:
            return
        if isinstance(value, bool):
            sheet.write_boolean(row, col, value)
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value)
        elif isinstance(value, datetime):
            sheet.write_datetime(row, col, value.replace(tzinfo=None), self.moment)
        elif isinstance(value, date):
            sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), self.day)
        else:
            self.text(sheet, row, col, value)


def _display_width(value) -> int:
    """Columns a value takes in Excel: a CJK character is two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def table_workbook(headers: Sequence[str], rows: Iterable[Sequence], sheet_name: str = "Sheet1") -> bytes:
    """An .xlsx of one sheet: a bold header row, then ``rows``; every string inert (module docstring)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    cells = CellWriter(book)
    sheet = book.add_worksheet(_SHEET_NAME_FORBIDDEN.sub("_", sheet_name)[:31] or "Sheet1")
    for j, header in enumerate(headers):
        cells.text(sheet, 0, j, header, bold=True)
    width = [_display_width(h) for h in headers]
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            cells.value(sheet, i, j, value)
            width[j] = max(width[j], _display_width(value) if value is not None else 0)
    for j, w in enumerate(width):
        sheet.set_column(j, j, min(60, max(11, w + 2)))  # a date needs 10
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
