"""Files the import tests build themselves: case exports (.xlsx, .xls, .csv) and boundary layers."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import geopandas as gpd
from shapely.geometry import Polygon, box
from sqlalchemy import insert

from data.models import Park, Township

HEADER = [
    "信访件编号", "登记日期", "信访形式", "是否初信初访", "是否重复信访", "信访人", "身份证号码", "联系电话",
    "问题属地", "所属园区", "问题类别", "人数", "受理日期", "首次见面日期", "反馈日期", "办结日期", "是否延期",
    "化解情况", "信访部门满意度", "责任单位满意度", "责任单位", "包案领导", "内容摘要",
]
# GB 11643 check characters worked out by hand: 11010519491231002X is the standard's example.
VALID_ID = "11010519491231002X"
BAD_ID = "110105194912310021"


def case(number: str, received: object = "2024-03-05", **fields) -> dict:
    """One export row as header → cell; unspecified cells are empty."""
    row = {"信访件编号": number, "登记日期": received, "信访形式": "来信", "问题属地": "城关镇"}
    row.update(fields)
    return row


def grid(cases: list[dict], header: list[str] = HEADER) -> list[list[object]]:
    return [list(header)] + [[c.get(h, "") for h in header] for c in cases]


def write_xlsx(path: Path, rows: list[list[object]], title: str | None = None, blank_rows: int = 0) -> Path:
    """Dates and datetimes become date cells, numbers number cells, the rest strings; a title line on top."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("导出")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    r0 = 0
    if title:
        sheet.merge_range(0, 0, 0, 5, title)
        r0 = 1 + blank_rows
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if isinstance(value, (date, datetime)):
                value = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
                sheet.write_datetime(r0 + i, j, value, date_format)
            elif isinstance(value, bool):
                sheet.write_boolean(r0 + i, j, value)
            elif isinstance(value, (int, float)):
                sheet.write_number(r0 + i, j, value)
            elif value not in ("", None):
                sheet.write_string(r0 + i, j, str(value))
    book.close()
    return path


def write_xls(path: Path, rows: list[list[object]], title: str | None = None) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("导出")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    r0 = 1 if title else 0
    if title:
        sheet.write(0, 0, title)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if isinstance(value, date):
                sheet.write(r0 + i, j, value, date_style)
            elif value not in ("", None):
                sheet.write(r0 + i, j, value)
    book.save(str(path))
    return path


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8", title: str | None = None) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if title:
        writer.writerow([title])
    for row in rows:
        writer.writerow(["" if v is None else str(v) for v in row])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


TOWNSHIPS = ("城关镇", "松山街道", "松港街道", "溪南乡")


def add_places(engine, townships=TOWNSHIPS, parks=("松城工业园区",)) -> dict[str, int]:
    """Townships and parks without boundaries, ids by name."""
    ids = {}
    with engine.begin() as conn:
        for name in townships:
            ids[name] = conn.execute(insert(Township).values(name=name, kind="town")).inserted_primary_key[0]
        for name in parks:
            ids[name] = conn.execute(insert(Park).values(name=name)).inserted_primary_key[0]
    return ids


# Boundaries: four townships in a 2 × 2 grid near 119.5°E 26.5°N (a clean coverage), and a bow-tie.
def township_layer(with_bowtie: bool = False) -> gpd.GeoDataFrame:
    cells = [box(119.50, 26.50, 119.60, 26.60), box(119.60, 26.50, 119.70, 26.60),
             box(119.50, 26.60, 119.60, 26.70), box(119.60, 26.60, 119.70, 26.70)]
    names = ["城关镇", "松山街道", "松港街道", "溪南乡"]
    codes = ["350981100", "350981001", "350981002", "350981200"]
    if with_bowtie:
        cells[3] = Polygon([(119.60, 26.60), (119.70, 26.70), (119.70, 26.60), (119.60, 26.70)])
    return gpd.GeoDataFrame({"XZQDM": codes, "XZQMC": names}, geometry=cells, crs=4490)


def park_layer() -> gpd.GeoDataFrame:
    # 80 % inside 城关镇 (119.50–119.60), 20 % in 松山街道.
    return gpd.GeoDataFrame({"园区名称": ["松城工业园区"]}, geometry=[box(119.56, 26.52, 119.61, 26.55)], crs=4490)


def zip_shapefile(shp: Path, target: Path, folder: str = "") -> Path:
    with zipfile.ZipFile(target, "w") as zf:
        for sidecar in shp.parent.glob(shp.stem + ".*"):
            zf.write(sidecar, f"{folder}{sidecar.name}")
    return target


# A county-sized export, for measuring memory and time (not for unit tests: 1,000,000 rows take minutes).
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文辉玉兰春梅海燕"
_WORDS = ("土地征收补偿", "拖欠农民工工资", "物业管理纠纷", "邻里宅基地争议", "环境污染噪声扰民", "医疗保险报销",
          "房屋质量问题", "城市管理执法", "村务公开", "低保申请", "道路施工影响出行", "企业改制遗留问题")


def _id_number(rng) -> str:
    body = f"350981{rng.randint(1950, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def write_large_export(path: Path, n_rows: int, seed: int = 0) -> Path:
    """An .xlsx export of ``n_rows`` plausible cases, all 23 columns, written in constant memory.

    Every row is valid against :func:`add_places` (townships :data:`TOWNSHIPS`), with unique case
    numbers, so an import stores them all. Dates are date cells, 人数 a number, the rest strings.
    """
    import random

    import xlsxwriter

    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("导出")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_string(0, 0, "信访事项导出（2023-01-01 至 2025-12-31）")
    for j, name in enumerate(HEADER):
        sheet.write_string(1, j, name)
    channels = ("来信", "来访", "网上信访", "电话")
    units = [f"县{w}局" for w in "公安 民政 人社 住建 自然资源 生态环境 交通 水利 农业农村 卫健 市场监管 城管".split()]
    leaders = [rng.choice(_SURNAMES) + rng.choice(_GIVEN) + rng.choice(_GIVEN) for _ in range(20)]
    start = date(2023, 1, 1).toordinal()
    for i in range(n_rows):
        r = i + 2
        received = date.fromordinal(start + rng.randrange(1000))
        accepted = date.fromordinal(received.toordinal() + rng.randrange(4))
        concluded = date.fromordinal(accepted.toordinal() + rng.randrange(60))
        cells = [
            f"XF{received.year}{i:08d}", received, rng.choice(channels), rng.choice(("是", "否")),
            rng.choice(("否", "否", "是")), rng.choice(_SURNAMES) + rng.choice(_GIVEN) + rng.choice(_GIVEN),
            _id_number(rng), f"1{rng.choice('3589')}{rng.randrange(10**9):09d}", rng.choice(TOWNSHIPS), "",
            rng.choice(_WORDS)[:4], rng.randint(1, 5), accepted, accepted, concluded, concluded, "否",
            rng.choice(("已化解", "未化解")), rng.choice(("满意", "基本满意", "不满意")),
            rng.choice(("满意", "基本满意")), rng.choice(units), rng.choice(leaders),
            "反映" + "、".join(rng.sample(_WORDS, 2)) + "问题，请求依法处理。",
        ]
        for j, value in enumerate(cells):
            if isinstance(value, date):
                sheet.write_datetime(r, j, datetime(value.year, value.month, value.day), date_format)
            elif isinstance(value, int):
                sheet.write_number(r, j, value)
            elif value:
                sheet.write_string(r, j, value)
    book.close()
    return path


# --- hostile files (issue 15): each tiny or quick to build, each once took the server down ---------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="导出" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def hand_made_xlsx(rows: dict[int, dict[str, str]], dimension: str | None = None) -> bytes:
    """A workbook written byte by byte: ``{row: {column letters: text}}`` as inline strings.

    Only the cells given exist, so a cell at XFD1048576 costs a few bytes: the
    file stays tiny whatever range it claims.
    """
    cells = []
    for r in sorted(rows):
        inner = "".join(f'<c r="{col}{r}" t="inlineStr"><is><t>{text}</t></is></c>' for col, text in rows[r].items())
        cells.append(f'<row r="{r}">{inner}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + f'<sheetData>{"".join(cells)}</sheetData></worksheet>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def sparse_workbook(last_cell: str = "XFD1048576", dimension: str | None = "A1:XFD1048576") -> bytes:
    """Headers, one case and one cell at the sheet's last address: ~1 kB that asked calamine for 512 GiB."""
    header = {"A": "信访件编号", "B": "登记日期", "C": "信访形式", "D": "问题属地"}
    data = {"A": "XF1", "B": "2024-03-05", "C": "来信", "D": "城关镇"}
    letters = last_cell.rstrip("0123456789")
    return hand_made_xlsx({1: header, 2: data, int(last_cell[len(letters):]): {letters: "x"}}, dimension)


def csv_with_long_field(chars: int = 140_000) -> bytes:
    """A CSV whose one summary cell is over the csv module's 131,072-character cap."""
    return ("信访件编号,登记日期,信访形式,内容摘要\nXF1,2024-03-05,来信," + "长" * chars + "\n").encode("utf-8")


def wide_csv(columns: int = 100_000) -> bytes:
    """A header of the known columns followed by 100,000 more: 2 GB once, as lists of cells."""
    header = ["信访件编号", "登记日期", "信访形式"] + [f"x{j}" for j in range(columns - 3)]
    return (",".join(header) + "\nXF1,2024-03-05,来信\n").encode("utf-8")


def zip_with_long_name(path: Path, chars: int = 6_000) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a" * (chars - 4) + ".shp", b"x")
    return path


def zip_of_many_entries(path: Path, entries: int = 200_000) -> Path:
    """200,000 empty files: every one was extracted before the archive was refused."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(entries):
            zf.writestr(f"{i}.txt", b"")
    return path


def scribble_layer(vertices: int = 2_000, seed: int = 0) -> gpd.GeoDataFrame:
    """One township whose ring visits random points: it crosses itself ~28,000 times at 2,000 vertices."""
    import numpy as np

    rng = np.random.default_rng(seed)
    ring = rng.random((vertices, 2)) * 0.1 + (119.5, 26.5)
    return gpd.GeoDataFrame({"XZQDM": ["350981100"], "XZQMC": ["城关镇"]}, geometry=[Polygon(ring)], crs=4490)
