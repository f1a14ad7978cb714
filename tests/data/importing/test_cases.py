"""The case import on SQLite and PostgreSQL: every row's fate, the overlap rules, the rollback."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from datetime import date

import fastexcel
import pytest
from import_builders import BAD_ID, VALID_ID, add_places, case, grid, write_csv, write_xlsx
from sqlalchemy import func, select
from workbook_helpers import cell_holding, formula_cells, read_rows

from data.db import data_version
from data.importing import cases as cases_module
from data.importing.readers import UnreadableFile
from data.importing.reasons import batch_error_workbook
from data.models import Case, Category, ImportBatch, Leader, Petitioner, QuarantinedRow, Unit
from services.imports import import_cases

TODAY = date(2024, 4, 1)


def run(engine, path, **kw):
    return import_cases(engine, path, today=TODAY, **kw)


def count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def cases_by_number(engine) -> dict[str, Case]:
    with engine.connect() as conn:
        return {r.case_number: r for r in conn.execute(select(Case))}


MESSY = [
    case("XF001", "2024-03-05"),                                     # row 3: stored
    case("", "2024-03-05"),                                          # row 4: no case number
    case("XF002", "三月五日"),                                        # row 5: unreadable date
    case("XF003", "2024-02-30"),                                     # row 6: impossible date
    case("XF004", "2024-12-01"),                                     # row 7: received in the future
    case("XF005", "2024-03-10", 办结日期="2024-03-01"),               # row 8: concluded before received
    case("XF006", 问题属地="东海镇"),                                  # row 9: unknown township
    case("XF007", 所属园区="西城工业园"),                              # row 10: unknown park
    case("XF008", 信访形式="传真"),                                   # row 11: unknown channel
    case("XF100", "2024-03-05"),                                     # row 12: same number,
    case("XF100", "2024-03-06"),                                     # row 13: different contents
    case("XF200", "2024-03-07", 信访人="张三"),                        # row 14: stored
    case("XF200", "2024-03-07", 信访人="张三 "),                       # row 15: exact duplicate (stray space)
    {},                                                              # row 16: blank, not a row
    case("XF300", 信访人="李四", 身份证号码=BAD_ID, 联系电话="13812345678"),   # row 17: stored, flagged
    case("XF301", 信访人="王五", 身份证号码=VALID_ID, 联系电话="1381234"),     # row 18: stored, flagged
]


@pytest.fixture
def messy(tmp_path, engine):
    add_places(engine)
    return write_xlsx(tmp_path / "messy.xlsx", grid(MESSY), title="2024年3月信访件")


def test_every_row_ends_in_exactly_one_place(engine, messy):
    summary = run(engine, messy)
    assert summary.counts() == {"rows": 15, "imported": 4, "updated": 0, "unchanged": 0, "duplicates": 1,
                                "quarantined": 10, "flagged": 2}
    assert summary.rows == summary.imported + summary.updated + summary.unchanged + summary.duplicates \
        + summary.quarantined
    assert set(cases_by_number(engine)) == {"XF001", "XF200", "XF300", "XF301"}


def test_each_quarantine_reason_with_row_and_column(engine, messy):
    summary = run(engine, messy)
    got = [(q.row_number, q.column, q.key) for q in summary.quarantine]
    assert got == [
        (4, "信访件编号", "missing_case_number"),
        (5, "登记日期", "date_unreadable"),
        (6, "登记日期", "date_impossible"),
        (7, "登记日期", "received_in_future"),
        (8, "办结日期", "concluded_before_received"),
        (9, "问题属地", "unknown_township"),
        (10, "所属园区", "unknown_park"),
        (11, "信访形式", "unknown_channel"),
        (12, "信访件编号", "duplicate_conflict"),
        (13, "信访件编号", "duplicate_conflict"),
    ]
    reasons = {q.row_number: q.reason("zh") for q in summary.quarantine}
    assert reasons[5] == "日期无法识别：“三月五日”（可写作 2024-03-05、2024/3/5、2024年3月5日）"
    assert reasons[6] == "日期不存在：“2024-02-30”"
    assert reasons[7] == "登记日期 2024-12-01 晚于今天"
    assert reasons[8] == "办结日期 2024-03-01 早于登记日期 2024-03-10"
    assert reasons[9].startswith("未知乡镇（街道）：“东海镇”")
    assert reasons[12] == "信访件编号“XF100”在本文件第 12、13 行重复出现，内容不同"
    assert {q.row_number: q.reason("en") for q in summary.quarantine}[4] == "no case number"
    with engine.connect() as conn:
        stored = conn.execute(
            select(QuarantinedRow.row_number, QuarantinedRow.reason, QuarantinedRow.raw)
            .order_by(QuarantinedRow.row_number)
        ).all()
    assert [r.row_number for r in stored] == [4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert stored[1].reason == reasons[5]
    raw = json.loads(stored[1].raw)
    assert raw["信访件编号"] == "XF002" and raw["登记日期"] == "三月五日"


def test_unknown_place_suggests_but_never_matches(engine, tmp_path):
    add_places(engine)
    path = write_xlsx(tmp_path / "f.xlsx", grid([case("A", 问题属地="松山镇"), case("B", 问题属地="城关")]))
    summary = run(engine, path)
    assert summary.imported == 1  # 城关 → 城关镇 (the only place with that stem)
    assert summary.quarantine[0].reason("zh") == "未知乡镇（街道）：“松山镇”，是否为：松山街道？"


def test_flags_for_id_number_and_phone(engine, messy):
    run(engine, messy)
    with engine.connect() as conn:
        people = {r.case_id: r for r in conn.execute(select(Petitioner))}
        ids = {r.case_number: r.id for r in conn.execute(select(Case.id, Case.case_number))}
    assert people[ids["XF300"]].id_number_invalid is True
    assert people[ids["XF300"]].phone_invalid is False
    assert people[ids["XF301"]].id_number_invalid is False
    assert people[ids["XF301"]].phone_invalid is True
    assert people[ids["XF200"]].name == "张三"
    assert ids["XF001"] not in people  # no personal data in the file: no petitioner row


def test_quarantine_download_is_masked_and_text_only(engine, tmp_path):
    add_places(engine)
    path = write_xlsx(tmp_path / "f.xlsx", grid([
        case("XF9", "2024-13-01", 信访人="张三丰", 身份证号码="350981199001011234", 联系电话="13812345678",
             内容摘要="=HYPERLINK(\"http://x\",\"y\")"),
    ]))
    summary = run(engine, path)
    assert summary.quarantined == 1
    data = batch_error_workbook(engine, summary.batch_id)
    sheet = fastexcel.read_excel(data).load_sheet(0, dtypes="string").to_polars()
    row = sheet.row(0, named=True)
    assert row["信访人"] == "张**"
    assert row["身份证号码"] == "3509**********1234"
    assert row["联系电话"] == "138****5678"
    assert row["原因"] == "日期不存在：“2024-13-01”"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = "".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".xml"))
    for secret in ("张三丰", "350981199001011234", "13812345678"):
        assert secret not in xml
    assert "<f>" not in xml  # the formula-looking summary is a string, not a formula
    # The summary object's own workbook (the page's download) is masked the same way.
    assert "张三丰" not in str(summary.quarantine_records())
    assert summary.quarantine_records()[0]["raw"]["信访人"] == "张**"


@pytest.mark.parametrize("which", ["stored batch", "page download"])
def test_error_workbook_writes_formulas_as_inert_text(engine, tmp_path, which):
    add_places(engine)
    hyperlink = '=HYPERLINK("http://evil.invalid","y")'
    path = write_xlsx(tmp_path / "f.xlsx", grid([
        case("XF9", "2024-13-01", 内容摘要=hyperlink, 责任单位="+1+2", 包案领导="@SUM(A1)"),
    ]))
    summary = run(engine, path)
    data = batch_error_workbook(engine, summary.batch_id) if which == "stored batch" else summary.error_workbook("zh")
    assert formula_cells(data) == []
    for value in (hyperlink, "+1+2", "@SUM(A1)"):
        cell = cell_holding(data, value)
        # A string cell with Excel's quote prefix: shown as typed, and still text after an edit.
        assert cell["type"] == "s" and cell["quote_prefix"], (value, cell)
    (row,) = read_rows(data)
    assert (row["内容摘要"], row["责任单位"], row["包案领导"]) == (hyperlink, "+1+2", "@SUM(A1)")


def test_personal_data_never_logged(engine, messy, caplog):
    caplog.set_level(logging.DEBUG)
    run(engine, messy)
    assert "张三" not in caplog.text and BAD_ID not in caplog.text


def test_summary_text_is_stored_verbatim(engine, tmp_path):
    add_places(engine)
    payload = "<img src=x onerror=alert(1)>"
    path = write_xlsx(tmp_path / "f.xlsx", grid([case("XSS", 内容摘要=payload)]))
    run(engine, path)
    assert cases_by_number(engine)["XSS"].summary == payload


def test_mixed_date_forms_full_width_and_stray_spaces(engine, tmp_path):
    add_places(engine)
    rows = [
        case("D1", date(2024, 3, 5)),
        case("D2", "2024/3/5"),
        case("D3", "2024.03.05"),
        case("D4", "20240305"),
        case("D5", "2024年3月5日"),
        case("D6", 45356),
        case("D7", "２０２４－０３－０５"),
        case("Ｄ８", " 2024 - 03 - 05 ", 信访形式=" 来 访 ", 问题属地="城关 镇", 是否初信初访="Ｙ", 人数="５"),
    ]
    summary = run(engine, write_xlsx(tmp_path / "f.xlsx", grid(rows), title="信访件登记表"))
    assert summary.imported == 8, [q.reason() for q in summary.quarantine]
    stored = cases_by_number(engine)
    assert {c.received_on for c in stored.values()} == {date(2024, 3, 5)}
    assert stored["D8"].channel == "visit" and stored["D8"].is_first_time is True and stored["D8"].headcount == 5


def test_gbk_csv(engine, tmp_path):
    add_places(engine)
    path = write_csv(tmp_path / "f.csv", grid([case("G1", "2024/3/5", 问题属地="溪南乡", 问题类别="劳动社保")]), "gbk")
    summary = run(engine, path)
    assert summary.imported == 1
    assert summary.created_categories == ["劳动社保"]


def test_open_lists_created_and_reused(engine, tmp_path):
    add_places(engine)
    rows = [case("C1", 问题类别="征地拆迁", 责任单位="县自然资源局", 包案领导="王县长"),
            case("C2", 问题类别="征地拆迁", 责任单位="县人社局", 包案领导="王县长、李副县长"),
            case("C3", 问题类别="纪检监察")]
    summary = run(engine, write_xlsx(tmp_path / "f.xlsx", grid(rows)))
    assert summary.created_categories == ["征地拆迁", "纪检监察"]
    assert summary.created_units == ["县人社局", "县自然资源局"]
    assert summary.created_leaders == ["王县长"]
    assert count(engine, Category) == 2 and count(engine, Unit) == 2 and count(engine, Leader) == 1
    stored = cases_by_number(engine)
    assert stored["C3"].accuses_official is True and stored["C1"].accuses_official is False
    again = run(engine, write_xlsx(tmp_path / "g.xlsx", grid([case("C4", 问题类别="征地拆迁")])))
    assert again.created_categories == [] and count(engine, Category) == 2


FEBRUARY = [case("A", "2024-02-01", 受理日期="2024-02-02"),
            case("B", "2024-02-10", 信访人="赵六", 联系电话="13900000000")]
MARCH = [case("A", "2024-02-01", 受理日期="2024-02-02"),
         case("B", "2024-02-10", 办结日期="2024-03-15", 化解情况="已化解", 信访部门满意度="满意",
              信访人="赵六", 联系电话="13900000001", 人数="3"),
         case("C", "2024-03-02")]


def test_later_export_updates_shared_cases_and_adds_new_ones(engine, tmp_path):
    add_places(engine)
    first = run(engine, write_xlsx(tmp_path / "feb.xlsx", grid(FEBRUARY)))
    assert (first.imported, first.updated, first.unchanged) == (2, 0, 0)
    version = data_version(engine)
    march = write_xlsx(tmp_path / "mar.xlsx", grid(MARCH))
    second = run(engine, march)
    assert second.counts() == {"rows": 3, "imported": 1, "updated": 1, "unchanged": 1, "duplicates": 0,
                               "quarantined": 0, "flagged": 0}
    assert data_version(engine) == version + 1
    b = cases_by_number(engine)["B"]
    assert (b.concluded_on, b.outcome, b.satisfaction_office) == (date(2024, 3, 15), "resolved", "satisfied")
    with engine.connect() as conn:
        assert conn.execute(select(Petitioner.phone).where(Petitioner.case_id == b.id)).scalar_one() == "13900000001"
    # The same file again changes nothing, and the data version stays.
    third = run(engine, march)
    assert third.counts() == {"rows": 3, "imported": 0, "updated": 0, "unchanged": 3, "duplicates": 0,
                              "quarantined": 0, "flagged": 0}
    assert data_version(engine) == version + 1
    assert count(engine, Case) == 3
    assert count(engine, ImportBatch) == 3


def test_empty_cell_never_erases_a_stored_value(engine, tmp_path):
    add_places(engine)
    run(engine, write_xlsx(tmp_path / "mar.xlsx", grid(MARCH)))
    # An older export: B not yet concluded, not rated, 人数 left blank.
    older = [case("B", "2024-02-10", 信访人="赵六", 联系电话="13900000001", 人数="")]
    summary = run(engine, write_xlsx(tmp_path / "feb.xlsx", grid(older)))
    assert summary.updated == 0 and summary.unchanged == 1
    b = cases_by_number(engine)["B"]
    assert b.concluded_on == date(2024, 3, 15) and b.outcome == "resolved" and b.headcount == 3


def test_failure_half_way_leaves_the_database_unchanged(engine, tmp_path, monkeypatch):
    add_places(engine)
    run(engine, write_xlsx(tmp_path / "feb.xlsx", grid(FEBRUARY)))
    before = (count(engine, Case), count(engine, Petitioner), count(engine, ImportBatch), count(engine, Category),
              data_version(engine))
    monkeypatch.setattr(cases_module, "CHUNK", 2)
    calls = {"n": 0}
    real = cases_module._execute_chunk

    def failing(conn, statement, rows):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        real(conn, statement, rows)

    monkeypatch.setattr(cases_module, "_execute_chunk", failing)
    rows = [case(f"N{i}", 问题类别="新类别", 信访人="某人") for i in range(7)] + MARCH
    with pytest.raises(RuntimeError, match="disk full"):
        run(engine, write_xlsx(tmp_path / "big.xlsx", grid(rows)))
    assert calls["n"] == 3  # two chunks were written before the failure
    after = (count(engine, Case), count(engine, Petitioner), count(engine, ImportBatch), count(engine, Category),
             data_version(engine))
    assert after == before
    assert cases_by_number(engine)["B"].concluded_on is None


def test_mapping_file(engine, tmp_path):
    add_places(engine)
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps({"columns": {"来件号": "信访件编号"}, "channels": {"信访局转": "来信"}},
                                  ensure_ascii=False), encoding="utf-8")
    path = write_csv(tmp_path / "f.csv", [["来件号", "信访日期", "信访方式", "乡镇"], ["M1", "2024-03-01", "信访局转", "城关镇"]])
    from data.importing.columns import load_mapping

    summary = run(engine, path, mapping=load_mapping(mapping))
    assert summary.imported == 1
    assert cases_by_number(engine)["M1"].channel == "letter"


def test_file_without_required_columns_is_unreadable(engine, tmp_path):
    path = write_csv(tmp_path / "f.csv", [["信访件编号", "问题属地"], ["X", "城关镇"]])
    with pytest.raises(UnreadableFile, match="登记日期、信访形式"):
        run(engine, path)
    assert count(engine, ImportBatch) == 0


def test_progress_reports_to_the_end(engine, messy):
    calls = []
    run(engine, messy, progress=lambda done, total, stage: calls.append((done, total, stage)))
    assert calls[0] == (0, 15, "check")
    assert calls[-1] == (15, 15, "done")
    assert all(0 <= d <= t for d, t, _ in calls)
