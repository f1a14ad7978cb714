"""The streaming .xlsx reader: the same cells as calamine, in bounded memory, limits before parsing."""

import io
import zipfile
from datetime import date

import fastexcel
import polars as pl
import pytest
from import_builders import case, grid, hand_made_xlsx, sparse_workbook, write_xlsx

from data.importing.limits import DEFAULT_LIMITS, UploadLimits
from data.importing.readers import UnreadableFile, read_table
from data.importing.xlsx_stream import SheetTooLarge, Workbook, column_index, column_letters, read_sheet


def sheet(data: bytes, limits: UploadLimits = DEFAULT_LIMITS) -> tuple[pl.DataFrame, list[int]]:
    zf = zipfile.ZipFile(io.BytesIO(data))
    book = Workbook.open(zf, limits)
    return read_sheet(book, book.sheets[0][1])


def test_column_letters_both_ways():
    assert [column_index(x) for x in ("A", "Z", "AA", "XFD")] == [0, 25, 26, 16383]
    assert [column_letters(i) for i in (0, 25, 26, 16383)] == ["A", "Z", "AA", "XFD"]


@pytest.mark.parametrize("constant_memory", [False, True])  # shared strings, then inline strings
def test_same_cells_as_calamine(tmp_path, constant_memory):
    rows = grid([case("XF1", date(2024, 3, 5), 人数=3, 信访人="张三"), case("XF2", "2024-02-30", 人数=2.5),
                 case("XF3", 是否延期=True, 内容摘要="A&B <公司> \"引号\"")])
    path = write_xlsx(tmp_path / "f.xlsx", rows, title="三月导出", blank_rows=1)
    if constant_memory:
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        ws = book.add_worksheet("导出")
        fmt = book.add_format({"num_format": "yyyy-mm-dd"})
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if isinstance(value, date):
                    ws.write_datetime(i, j, value, fmt)
                elif value not in ("", None):
                    ws.write(i, j, value)
        book.close()
    expected = fastexcel.read_excel(path.read_bytes()).load_sheet(
        0, header_row=None, dtypes="string", skip_rows=0).to_polars()
    expected.columns = [f"c{j}" for j in range(expected.width)]
    expected = expected.with_columns(pl.all().replace("", None))
    expected_rows = [i + 1 for i, r in enumerate(expected.iter_rows()) if any(v is not None for v in r)]
    expected = expected.filter(pl.any_horizontal(pl.all().is_not_null()))
    got, row_numbers = sheet(path.read_bytes())
    assert row_numbers == expected_rows
    assert got.select(expected.columns).equals(expected)
    # Spot checks worked by hand: a date cell, an integer, a fraction, a boolean, escaped text.
    header = got.row(0 if constant_memory else 1)
    assert "信访件编号" in header
    values = dict(zip(rows[0], got.row(row_numbers.index(row_numbers[-3])), strict=False))
    assert values["登记日期"] == "2024-03-05 00:00:00" and values["人数"] == "3"
    assert got.row(-2)[rows[0].index("人数")] == "2.5"
    assert got.row(-1)[rows[0].index("是否延期")] == "true"
    assert got.row(-1)[rows[0].index("内容摘要")] == "A&B <公司> \"引号\""


def test_rows_are_numbered_as_in_the_sheet_even_with_gaps():
    data = hand_made_xlsx({3: {"A": "信访件编号", "B": "登记日期"}, 7: {"A": "XF1", "C": "x"}})
    frame, rows = sheet(data)
    assert rows == [3, 7]
    assert frame.rows() == [("信访件编号", "登记日期", None), ("XF1", None, "x")]


def test_sparse_workbook_is_refused_by_its_declared_range():
    data = sparse_workbook()
    assert len(data) < 5_000  # the whole attack: under 5 kB
    with pytest.raises(UnreadableFile) as info:
        read_table(data, "sparse.xlsx")
    assert str(info.value).startswith(
        "工作表声明的范围 A1:XFD1048576 超出上限（最多 200 列、1,100,000 行）：请删除多余的列或分成几个文件")
    assert "\n" not in str(info.value)


def test_sparse_workbook_without_a_dimension_is_refused_at_the_cell():
    # The declared range can lie or be missing: the cells themselves are checked as they stream.
    data = sparse_workbook(dimension=None)
    with pytest.raises(UnreadableFile, match="工作表在 XFD1048576 有数据，超出上限"):
        read_table(data, "sparse.xlsx")
    with pytest.raises(SheetTooLarge, match="XFD1048576"):
        sheet(data)


def test_a_cell_just_inside_the_limits_is_read():
    limits = UploadLimits(max_rows=10, max_columns=5)
    frame, rows = sheet(sparse_workbook("E10", dimension="A1:E10"), limits)
    assert rows == [1, 2, 10] and frame.width == 5
    with pytest.raises(SheetTooLarge, match="A1:F10"):
        zf = zipfile.ZipFile(io.BytesIO(sparse_workbook("F10", dimension="A1:F10")))
        Workbook.open(zf, limits).check_dimensions()


def test_cells_without_references_are_refused_with_advice():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(hand_made_xlsx({1: {"A": "信访件编号"}}))) as src, \
            zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info.filename, body.replace(b' r="A1"', b"") if "sheet1" in info.filename else body)
    with pytest.raises(UnreadableFile, match="save it again"):
        read_table(buffer.getvalue(), "x.xlsx")
