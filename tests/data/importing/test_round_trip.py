"""Round trip: import boundaries and a hand-built export, then the month report gives the hand-computed figures."""

from __future__ import annotations

from datetime import date

import pytest
from import_builders import park_layer, township_layer, write_xlsx

from config.settings import DeadlineRules
from geo.boundaries import read_boundaries
from queries.filters import CaseFilter
from queries.report import month_report
from services.imports import import_boundaries, import_cases

H = ["信访件编号", "登记日期", "信访形式", "是否初信初访", "是否重复信访", "问题属地", "所属园区", "问题类别", "人数",
     "受理日期", "首次见面日期", "反馈日期", "办结日期", "是否延期", "化解情况", "信访部门满意度", "责任单位满意度"]
# Statutory due = accepted + 60 (+30 extended), or received + 15 + 60 without acceptance; 3-7-21 from receipt.
ROWS = [
    # March cases
    ["R01", "2024-03-02", "来信", "是", "", "城关镇", "松城工业园区", "劳动社保", "", "2024-03-03", "2024-03-04",
     "2024-03-08", "2024-03-20", "", "已化解", "满意", "满意"],                      # 3-7-21 on time
    ["R02", "2024/3/5", "来访", "是", "", "城关", "", "征地拆迁", "6", "2024-03-06", "2024-03-10", "2024-03-11",
     "2024-03-25", "", "已化解", "基本满意", "不满意"],                              # met late; group visit
    ["R03", "2024.03.08", "网上信访", "否", "是", "松山街道", "", "劳动社保", "", "", "", "", "", "", "", "", ""],
    ["R04", "20240310", "电话", "是", "", "松山街道", "", "城乡建设", "", "2024-03-11", "", "", "2024-03-28", "",
     "未化解", "不满意", "满意"],                                                   # never met: 3-7-21 late
    ["R05", "2024年3月12日", "来访", "否", "", "松港街道", "", "征地拆迁", "5", "", "", "", "", "", "", "", ""],
    ["R06", "45366", "领导接访", "是", "", "溪南乡", "", "劳动社保", "", "2024-03-15", "2024-03-16", "2024-03-20",
     "2024-03-30", "", "已化解", "未评价", ""],                                     # 45366 = 2024-03-15
    ["R07", "２０２４－０３－２０", "来信", "是", "", "溪南", "", "城乡建设", "", "", "", "", "", "", "", "", ""],
    ["R08", " 2024-03-25 ", "来访", "是", "", "城关镇", "松城工业园", "劳动社保", "2", "", "", "", "", "", "", "",
     ""],
    ["R09", "2024-03-31", "来信", "否", "", "松山街道", "", "劳动社保", "", "", "", "", "", "", "", "", ""],
    # February cases
    ["P01", "2024-02-05", "来信", "是", "", "城关镇", "", "", "", "2024-02-06", "2024-02-07", "2024-02-10",
     "2024-03-05", "", "已化解", "满意", "满意"],                                   # 21-day deadline in February
    ["P02", "2024-02-12", "来访", "是", "", "松山街道", "", "", "", "2024-02-13", "2024-02-14", "2024-02-18",
     "2024-03-01", "", "已化解", "基本满意", "基本满意"],                            # deadline 03-04: on time
    ["P03", "2024-02-20", "电话", "是", "", "松港街道", "", "", "", "2024-02-21", "", "", "", "", "", "", ""],
    # Older cases
    ["Q01", "2023-12-01", "来信", "否", "", "城关镇", "", "", "", "", "", "", "", "", "", "", ""],  # due 02-14
    ["Q02", "2024-01-05", "来信", "否", "", "城关镇", "", "", "", "2024-01-05", "", "", "", "是", "", "", ""],  # due 04-04
    ["Q03", "2024-01-10", "来访", "否", "", "溪南乡", "", "", "", "2024-01-10", "", "", "2024-03-08", "", "已化解",
     "", ""],                                                                       # due 03-10, on time
    ["Q04", "2024-01-20", "来信", "否", "", "溪南乡", "", "", "", "2024-01-22", "", "", "", "", "", "", ""],  # due 03-22
]


def test_boundaries_and_export_give_the_hand_computed_month_report(engine, tmp_path):
    township_layer().to_crs(4528).to_file(tmp_path / "乡镇.shp", encoding="GBK")
    import_boundaries(engine, read_boundaries(tmp_path / "乡镇.shp"), filename="乡镇.shp")
    park_layer().to_file(tmp_path / "园区.geojson")
    import_boundaries(engine, read_boundaries(tmp_path / "园区.geojson", layer="park"), filename="园区.geojson")
    path = write_xlsx(tmp_path / "export.xlsx", [H, *ROWS], title="2024年3月信访事项导出")
    summary = import_cases(engine, path, today=date(2024, 4, 1))
    assert summary.counts() == {"rows": 16, "imported": 16, "updated": 0, "unchanged": 0, "duplicates": 0,
                                "quarantined": 0, "flagged": 0}, [q.reason() for q in summary.quarantine]

    report = month_report(engine, CaseFilter.for_month(2024, 3), DeadlineRules())
    assert report["received"] == 9  # R01–R09
    assert report["by_channel"] == {"letter": 3, "visit": 3, "online": 1, "phone": 1, "leader_reception": 1}
    assert report["by_township"] == {"城关镇": 3, "松山街道": 3, "溪南乡": 2, "松港街道": 1}
    assert report["by_park"] == {"松城工业园区": 2}
    assert report["by_category"] == {"劳动社保": 5, "征地拆迁": 2, "城乡建设": 2}
    assert report["first_time"] == 6  # R01 R02 R04 R06 R07 R08
    assert report["group_visits"] == 2  # R02 (6), R05 (5)
    assert report["repeat_share"] == pytest.approx(1 / 9)  # R03
    assert report["concluded"] == 7  # R01 R02 R04 R06 P01 P02 Q03
    assert report["resolution_rate"] == pytest.approx(3 / 4)  # of R01 R02 R04 R06, R04 unresolved
    assert report["first_time_resolution_rate"] == pytest.approx(3 / 4)
    assert report["on_time_rate"] == pytest.approx(1 / 2)  # due in March: Q03 on time, Q04 open
    assert report["on_time_rate_3_7_21"] == pytest.approx(2 / 5)  # R01 R02 R04 P02 P03: R01, P02 on time
    assert report["overdue_open"] == 2  # Q01 (due 02-14), Q04 (due 03-22)
    assert report["backlog"] == 1  # Q01: received before 2024-01-01
    assert report["satisfaction_rate_office"] == pytest.approx(4 / 5)  # rated R01 R02 R04 P01 P02; R04 not
    assert report["satisfaction_rate_unit"] == pytest.approx(4 / 5)  # R02 not satisfied
    assert report["rating_rate"] == pytest.approx(5 / 7)
