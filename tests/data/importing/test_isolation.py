"""Untrusted files are parsed in a child process: whatever the child does, the caller gets one line (issue 15)."""

import os

import pytest
from import_builders import csv_with_long_field, sparse_workbook, wide_csv

from data.importing.isolation import run_isolated
from data.importing.limits import UploadLimits
from data.importing.readers import UnreadableFile, read_case_file

# Each refusal below is decided before parsing. The child gets 60 s: a file that
# were parsed instead of refused would time out with another message and fail
# the test, so "refused within seconds" is shown without timing anything.
QUICK = UploadLimits(child_seconds=60)


def misbehave(how: str, limits: UploadLimits = QUICK, source: bytes = b"data") -> str:
    with pytest.raises(UnreadableFile) as info:
        with run_isolated("data.importing.isolation:misbehave", source, "三月导出.xlsx", {"how": how},
                          limits=limits, error=UnreadableFile):
            pass
    return str(info.value)


def one_line_naming_the_file(message: str) -> None:
    assert "\n" not in message
    assert "三月导出.xlsx" in message
    assert "/tmp" not in message and "upload-" not in message and "Traceback" not in message


def test_a_reader_that_aborts_costs_one_line_and_the_caller_carries_on():
    message = misbehave("abort")
    one_line_naming_the_file(message)
    assert "SIGABRT" in message
    assert os.getpid()  # still here; and the next file is read as usual:
    assert read_case_file(b"\xef\xbb\xbf\xe4\xbf\xa1\xe8\xae\xbf\xe4\xbb\xb6\xe7\xbc\x96\xe5\x8f\xb7\nXF1\n",
                          "ok.csv").frame.height == 1


def test_a_reader_that_eats_memory_stops_at_the_limit():
    message = misbehave("memory", UploadLimits(child_memory_bytes=768 * 2**20, child_seconds=60))
    one_line_naming_the_file(message)
    assert "内存上限" in message


def test_a_reader_that_hangs_is_killed_at_the_time_limit():
    message = misbehave("hang", UploadLimits(child_seconds=3))
    one_line_naming_the_file(message)
    assert message.startswith("读取 三月导出.xlsx 超时（超过 3 秒）")


def test_an_unexpected_error_shows_no_server_path():
    message = misbehave("raise")
    one_line_naming_the_file(message)
    assert "KeyError" in message


def test_the_sparse_workbook_is_refused_in_the_child():
    with pytest.raises(UnreadableFile) as info:
        read_case_file(sparse_workbook(), "sparse.xlsx", limits=QUICK)
    assert str(info.value).startswith("工作表声明的范围 A1:XFD1048576 超出上限（最多 200 列、1,100,000 行）")


def test_a_field_over_128_kb_is_refused_with_the_limit():
    with pytest.raises(UnreadableFile) as info:
        read_case_file(csv_with_long_field(140_000), "长字段.csv", limits=QUICK)
    message = str(info.value)
    assert "\n" not in message and "/tmp" not in message
    assert message.startswith("第 2 行有一个单元格长 超过 131,072 个字符，超出上限（最多 32,767 个字符）")


def test_a_field_just_over_our_limit_names_its_length():
    with pytest.raises(UnreadableFile, match="第 2 行有一个单元格长 40,000 个字符"):
        read_case_file(csv_with_long_field(40_000), "长字段.csv", limits=QUICK)


def test_a_hundred_thousand_columns_are_refused_on_the_first_row():
    with pytest.raises(UnreadableFile) as info:
        read_case_file(wide_csv(100_000), "宽.csv", limits=QUICK)
    assert str(info.value).startswith("第 1 行有 100,000 列，超出上限（最多 200 列）：请删除多余的列或分成几个文件")


def test_too_many_rows(tmp_path):
    rows = "信访件编号,登记日期,信访形式\n" + "XF1,2024-03-05,来信\n" * 20
    with pytest.raises(UnreadableFile, match="文件超过 10 行：请分成几个文件"):
        read_case_file(rows.encode(), "多.csv", limits=UploadLimits(max_rows=10, child_seconds=60))


def test_a_file_over_the_size_limit_is_refused_before_the_child():
    with pytest.raises(UnreadableFile, match="超出上限（最多 0 MB）"):
        read_case_file(b"x" * 1000, "big.csv", limits=UploadLimits(max_file_bytes=10))
