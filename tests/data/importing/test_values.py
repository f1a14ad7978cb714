from datetime import date

import polars as pl
import pytest

from data.importing import values as V


@pytest.mark.parametrize(
    ("text", "expected", "problem"),
    [
        ("2024-03-05", date(2024, 3, 5), None),
        ("2024/3/5", date(2024, 3, 5), None),
        ("2024.03.05", date(2024, 3, 5), None),
        ("20240305", date(2024, 3, 5), None),
        ("2024年3月5日", date(2024, 3, 5), None),
        ("2024年03月05日 14:30", date(2024, 3, 5), None),
        ("2024-03-05 00:00:00", date(2024, 3, 5), None),  # a date cell read as text
        ("45356", date(2024, 3, 5), None),  # Excel serial: 1899-12-30 + 45356 days
        ("45356.5", date(2024, 3, 5), None),
        ("２０２４－０３－０５", date(2024, 3, 5), None),  # full-width digits and dash
        ("  2024 / 3 / 5 ", date(2024, 3, 5), None),  # stray spaces
        ("2024\u30003\u30005", None, "unreadable"),
        ("2024-02-30", None, "impossible"),
        ("2023-02-29", None, "impossible"),
        ("2024-02-29", date(2024, 2, 29), None),
        ("1900-01-01", None, "impossible"),
        ("12345", None, "impossible"),  # a serial for 1933
        ("三月五日", None, "unreadable"),
        ("2024-3", None, "unreadable"),
        ("", None, None),
        (None, None, None),
    ],
)
def test_parse_dates(text, expected, problem):
    value, problems = V.parse_dates(pl.Series("d", [text], dtype=pl.Utf8))
    assert value[0] == expected
    assert problems[0] == problem


@pytest.mark.parametrize(
    ("text", "expected", "bad"),
    [("是", True, False), ("否", False, False), ("Y", True, False), ("n", False, False), ("1", True, False),
     ("0", False, False), ("√", True, False), ("", False, False), (None, False, False), ("ｙｅｓ", True, False),
     (" 是 ", True, False), ("不详", False, True)],
)
def test_parse_yes_no(text, expected, bad):
    value, problem = V.parse_yes_no(pl.Series("y", [text], dtype=pl.Utf8))
    assert value[0] is expected
    assert (problem[0] is not None) is bad


@pytest.mark.parametrize(
    ("text", "expected", "problem"),
    [("来信", "letter", None), ("来 访", "visit", None), ("网上信访", "online", None), ("电话", "phone", None),
     ("领导接访", "leader_reception", None), ("visit", "visit", None), ("传真", None, "unknown"),
     ("", None, "missing"), ("走访", "visit", None)],
)
def test_parse_channel(text, expected, problem):
    value, problems = V.parse_channel(pl.Series("c", [text], dtype=pl.Utf8))
    assert value[0] == expected
    assert problems[0] == problem


def test_parse_channel_extra_words_from_a_mapping_file():
    value, problem = V.parse_channel(pl.Series("c", ["12345热线转办", "传真"]), {"12345热线转办": "电话", "传真": "letter"})
    assert value.to_list() == ["phone", "letter"]
    assert problem.to_list() == [None, None]


def test_parse_satisfaction_and_outcome():
    value, problem = V.parse_satisfaction(pl.Series(["满意", "基本满意", "不满意", "未评价", "", "很好"]))
    assert value.to_list() == ["satisfied", "basically_satisfied", "dissatisfied", None, None, None]
    assert problem.to_list() == [None, None, None, None, None, "unknown"]
    value, problem = V.parse_outcome(pl.Series(["已化解", "未化解", None, "处理中"]))
    assert value.to_list() == ["resolved", "unresolved", None, None]
    assert problem.to_list() == [None, None, None, "unknown"]


def test_parse_headcount():
    value, problem = V.parse_headcount(pl.Series(["5", "5人", "６", "", "五", "0"]))
    assert value.to_list()[:4] == [5, 5, 6, None]  # blank: 1 on a new case, never erases a stored count
    assert problem.to_list() == [None, None, None, None, "unknown", "unknown"]


@pytest.mark.parametrize(
    ("value", "valid"),
    [("11010519491231002X", True), ("11010519491231002x", True), ("110105194912310021", False),
     ("110105491231002", True), ("11010519491231002", False), ("ABCDEFGHIJKLMNOPQR", False), (None, True)],
)
def test_id_number_checksum(value, valid):
    assert V.id_number_valid(value.upper() if value else value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [("13812345678", True), ("+8613812345678", True), ("0593-7654321", True), ("7654321", True),
     ("13812345678/0593-7654321", True), ("1381234567", False), ("12345678901", False), ("abc", False)],
)
def test_phone_plausible(value, valid):
    assert V.phone_valid(value) is valid


def test_phone_from_a_number_cell_loses_its_decimal_tail():
    assert V.normalise_phone(pl.Series(["13812345678.0", "138 1234 5678"])).to_list() == ["13812345678"] * 2
