import json

import pytest

from data.importing.columns import ColumnMapping, MappingFileError, load_mapping, resolve_columns


@pytest.mark.parametrize(
    ("header", "field"),
    [("信访件编号", "case_number"), ("编号", "case_number"), ("信访日期", "received_on"),
     ("来信来访日期", "received_on"), ("乡镇", "township"), ("所属乡镇", "township"),
     ("问题属地（乡镇）", "township"), ("园区", "park"), ("承办单位", "unit"), ("办理单位", "unit"),
     (" 信访件编号* ", "case_number"), ("登记日期：", "received_on"), ("ＮＡＭＥ", None), ("备注", None)],
)
def test_default_headers_and_synonyms(header, field):
    assert ColumnMapping.default().field_for(header) == field


def test_resolve_lists_unrecognised_and_missing():
    resolved = resolve_columns(["编号", "乡镇", "备注", "乡镇 (2)"], ColumnMapping.default())
    assert resolved.by_field == {"case_number": "编号", "township": "乡镇"}
    assert resolved.unrecognised == ["备注"]
    assert resolved.ignored_duplicates == ["乡镇 (2)"]
    assert resolved.missing_required == ["received_on", "channel"]


def test_mapping_file_json_and_toml(tmp_path):
    js = tmp_path / "m.json"
    js.write_text(json.dumps({"columns": {"来件号": "信访件编号", "收件时间": "received_on"},
                              "channels": {"走访": "来访"}}, ensure_ascii=False), encoding="utf-8")
    mapping = load_mapping(js)
    assert mapping.field_for("来件号") == "case_number"
    assert mapping.field_for("收件时间") == "received_on"
    assert mapping.field_for("信访件编号") == "case_number"  # defaults still apply
    assert mapping.channels == {"走访": "来访"}
    toml = tmp_path / "m.toml"
    toml.write_text('[columns]\n"镇街" = "township"\n', encoding="utf-8")
    assert load_mapping(toml).field_for("镇街") == "township"


@pytest.mark.parametrize(
    ("content", "message"),
    [('{"columns": {"x": "nonsense"}}', "unknown field"), ("{not json", "not valid JSON"),
     ('{"colums": {}}', "unknown sections")],
)
def test_bad_mapping_file(tmp_path, content, message):
    path = tmp_path / "m.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(MappingFileError, match=message):
        load_mapping(path)
