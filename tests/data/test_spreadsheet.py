"""Workbooks the app hands out: every string inert, formula-looking ones quote-prefixed, read back exact."""

from __future__ import annotations

from datetime import date

from workbook_helpers import cell_holding, formula_cells, read_rows, stored_cells

from data.spreadsheet import table_workbook

FORMULAS = ('=HYPERLINK("http://evil.invalid","y")', "+1+2", "-1+2", "@SUM(A1)", "\t=1+1")


def test_formula_looking_text_is_stored_as_quote_prefixed_text_and_reads_back_exact():
    rows = [[value, i, date(2026, 3, i + 1)] for i, value in enumerate(FORMULAS)]
    data = table_workbook(["名称", "件数", "日期"], rows, "表")
    assert formula_cells(data) == []
    for value in FORMULAS:
        cell = cell_holding(data, value)
        assert cell["type"] == "s" and cell["quote_prefix"], (value, cell)
    back = read_rows(data)
    assert [r["名称"] for r in back] == list(FORMULAS)
    assert [r["件数"] for r in back] == ["0", "1", "2", "3", "4"]  # numbers stay numbers (read as text here)


def test_ordinary_text_numbers_dates_and_blanks():
    data = table_workbook(["乡镇", "件数", "日期"], [["东岭镇", 12, date(2026, 3, 5)], ["西山乡", None, None]])
    cells = stored_cells(data)
    assert cells["A2"] == {"type": "s", "formula": False, "quote_prefix": False, "text": "东岭镇"}
    assert cells["B2"]["type"] is None and cells["B2"]["text"] == "12"  # a number cell
    assert cells["C2"]["text"] == "46086"  # 2026-03-05 as an Excel serial date
    assert "B3" not in cells and "C3" not in cells  # None is a blank cell
    assert cells["A1"]["text"] == "乡镇"


def test_a_hostile_header_is_inert_too_and_a_bad_sheet_name_is_repaired():
    data = table_workbook(["=1+1", "ok"], [["a", "b"]], sheet_name="a/b:c[1]*?")
    assert formula_cells(data) == []
    assert cell_holding(data, "=1+1")["quote_prefix"]
    assert list(read_rows(data)[0]) == ["=1+1", "ok"]
