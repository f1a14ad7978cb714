import pytest

from data.masking import mask_address, mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("张三", "张*"),
        ("张三丰", "张**"),
        ("欧阳娜娜", "欧***"),
        (" 李四 ", "李*"),
        ("王", "*"),
        ("", None),
        ("   ", None),
        (None, None),
        ("John Smith", "J*********"),
    ],
)
def test_mask_name(value, expected):
    assert mask_name(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("350981199001011234", "3509**********1234"),
        ("35098119900101123X", "3509**********123X"),
        # 15-character (pre-1999) numbers get the same ten stars.
        ("350981900101123", "3509**********1123"),
        ("12345678901", "***********"),
        ("1234", "****"),
        (None, None),
        ("", None),
        (350981199001011234, "3509**********1234"),
    ],
)
def test_mask_id_number(value, expected):
    assert mask_id_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "138****5678"),
        (13812345678, "138****5678"),
        ("0797-1234567", "079*****4567"),
        ("1234567", "*****67"),
        ("12345", "*****"),
        (None, None),
        (" ", None),
    ],
)
def test_mask_phone(value, expected):
    assert mask_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("示范县城关镇东街12号", "示范县城关镇****"),
        ("城关镇", "***"),
        (None, None),
    ],
)
def test_mask_address(value, expected):
    assert mask_address(value) == expected


def test_masked_values_never_contain_the_hidden_middle():
    assert "11990010" not in mask_id_number("350981199001011234")
    assert "1234" not in mask_phone("13812345678")[:7]
