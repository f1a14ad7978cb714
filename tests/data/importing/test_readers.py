import zipfile
from datetime import date

import pytest
from import_builders import HEADER, case, grid, write_csv, write_xls, write_xlsx

from data.importing.readers import UnreadableFile, read_table, sniff_format


def test_xlsx_title_line_and_blank_line_above_the_header(tmp_path):
    rows = grid([case("XF1", date(2024, 3, 5)), case("XF2", 45356), case("XF3", "2024年3月6日")])
    path = write_xlsx(tmp_path / "t.xlsx", rows, title="某某县2024年3月信访事项登记表", blank_rows=1)
    table = read_table(path)
    # Row 1 title, row 2 blank, row 3 header, data from row 4.
    assert table.header_row == 3
    assert table.row_numbers == [4, 5, 6]
    assert table.headers[:3] == ["信访件编号", "登记日期", "信访形式"]
    assert table.frame["信访件编号"].to_list() == ["XF1", "XF2", "XF3"]
    # A date cell reads as ISO text, a serial number as its digits: both parse later.
    assert table.frame["登记日期"].to_list() == ["2024-03-05 00:00:00", "45356", "2024年3月6日"]
    assert table.file_format == "xlsx"


def test_xls_written_by_xlwt(tmp_path):
    rows = grid([case("XF1", date(2024, 3, 5)), case("XF2", "2024/3/6")])
    table = read_table(write_xls(tmp_path / "t.xls", rows, title="导出"))
    assert table.file_format == "xls"
    assert table.header_row == 2
    assert table.frame["登记日期"].to_list() == ["2024-03-05 00:00:00", "2024/3/6"]


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-8-sig"])
def test_csv_in_gbk_or_utf8(tmp_path, encoding):
    rows = grid([case("XF1", "2024-03-05", 问题属地="溪南乡", 内容摘要="反映，“欠薪”问题\n第二行")])
    table = read_table(write_csv(tmp_path / "t.csv", rows, encoding, title="信访登记表"))
    assert table.header_row == 2
    assert table.frame["问题属地"].to_list() == ["溪南乡"]
    assert table.frame["内容摘要"].to_list() == ["反映，“欠薪”问题\n第二行"]
    assert table.encoding == ("GBK" if encoding == "gbk" else "UTF-8")


def test_tab_separated_text(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("信访件编号\t登记日期\t信访形式\nXF1\t2024-03-05\t来信\n", encoding="utf-8")
    assert read_table(path).frame.row(0) == ("XF1", "2024-03-05", "来信")


def test_content_decides_not_the_name(tmp_path):
    rows = grid([case("XF1")])
    xlsx = write_xlsx(tmp_path / "t.xlsx", rows)
    disguised = tmp_path / "export.csv"
    disguised.write_bytes(xlsx.read_bytes())
    assert read_table(disguised).file_format == "xlsx"
    assert sniff_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8) == "xls"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"<html><table><tr><td>1</td></tr></table></html>", "web page"),
        (b"\x00\x01\x02\x03binary", "neither an Excel workbook nor a text"),
        (b"a,b,c\n1,2,3\n", "no header row found"),
    ],
)
def test_unreadable_files_say_why(tmp_path, content, message):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=message):
        read_table(path)


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hi")
    with pytest.raises(UnreadableFile, match="not an Excel workbook"):
        read_table(path)


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableFile, match="no such file"):
        read_table(tmp_path / "nope.xlsx")


def test_header_is_every_default_name():
    assert len(HEADER) == 23
