"""Benchmark the case import: build an export of N rows, import it into a scratch SQLite database, print rows/s.

    .venv/bin/python benchmarks/bench_import.py [--rows 200000] [--format xlsx|csv] [--db URL]

Prints figures only; nothing asserts a time (the machine is shared). The
export is realistic: a title line, mixed date forms, Chinese text, personal
data, ~1 % bad rows and ~1 % exact duplicates. A second run of the same file
(everything "unchanged") is timed too, as monthly overlapping exports are.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from data.db import make_engine, migrate  # noqa: E402
from data.models import Park, Township  # noqa: E402
from services.imports import import_cases  # noqa: E402

TOWNSHIPS = ["城关镇", "松山街道", "松港街道", "溪南乡", "长春镇", "牙城镇", "水门乡", "三沙镇", "盐田乡", "北壁乡"]
HEADER = ["信访件编号", "登记日期", "信访形式", "是否初信初访", "是否重复信访", "信访人", "身份证号码", "联系电话",
          "问题属地", "所属园区", "问题类别", "人数", "受理日期", "办结日期", "化解情况", "信访部门满意度",
          "责任单位满意度", "责任单位", "包案领导", "内容摘要"]
CHANNELS = ["来信", "来访", "网上信访", "电话", "领导接访"]
CATEGORIES = ["征地拆迁", "劳动社保", "城乡建设", "农业农村", "自然资源", "生态环境", "教育", "卫生健康"]


def rows(n: int, seed: int = 7):
    rng = random.Random(seed)
    start = date(2023, 1, 1)
    for i in range(n):
        received = start + timedelta(days=rng.randrange(700))
        form = rng.randrange(4)
        text = [received.isoformat(), received.strftime("%Y/%-m/%-d"), received.strftime("%Y年%-m月%-d日"),
                str((received - date(1899, 12, 30)).days)][form]
        concluded = received + timedelta(days=rng.randrange(5, 90)) if rng.random() < 0.7 else None
        if concluded and concluded > date(2024, 12, 1):
            concluded = None
        row = [f"XF{i:07d}", text, rng.choice(CHANNELS), rng.choice(["是", "否"]), rng.choice(["是", "否", ""]),
               "张三", "11010519491231002X", "138" + f"{rng.randrange(10**8):08d}", rng.choice(TOWNSHIPS),
               "松城工业园区" if rng.random() < 0.1 else "", rng.choice(CATEGORIES), str(rng.randint(1, 8)),
               received.isoformat(), concluded.isoformat() if concluded else "",
               rng.choice(["已化解", "未化解"]) if concluded else "", rng.choice(["满意", "基本满意", "不满意", "未评价"]),
               rng.choice(["满意", "基本满意", "不满意", ""]), f"县第{rng.randrange(30)}局", f"领导{rng.randrange(20)}",
               "反映" + rng.choice(CATEGORIES) + "问题，要求解决。"]
        if rng.random() < 0.01:
            row[1] = "2024-02-30"  # quarantined
        yield row
        if rng.random() < 0.01:
            yield row  # exact duplicate


def write_export(path: Path, n: int, fmt: str) -> None:
    if fmt == "csv":
        import csv

        with open(path, "w", newline="", encoding="gbk") as fh:
            writer = csv.writer(fh)
            writer.writerow(["某县信访事项导出"])
            writer.writerow(HEADER)
            writer.writerows(rows(n))
        return
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_string(0, 0, "某县信访事项导出")
    sheet.write_row(1, 0, HEADER)
    for i, row in enumerate(rows(n), start=2):
        sheet.write_row(i, 0, row)
    book.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--db", help="database URL (default: a scratch SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / f"export.{args.format}"
        t0 = time.perf_counter()
        write_export(export, args.rows, args.format)
        print(f"wrote {export.name}: {export.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f} s")
        engine = make_engine(args.db or f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        migrate(engine)
        with engine.begin() as conn:
            conn.execute(insert(Township), [{"name": n, "kind": "town"} for n in TOWNSHIPS])
            conn.execute(insert(Park), [{"name": "松城工业园区"}])
        last = [0.0]

        def progress(done: int, total: int, stage: str) -> None:
            now = time.perf_counter()
            if now - last[0] > 2 or stage == "done":
                last[0] = now
                print(f"  {stage:<6} {done}/{total}  {now - t1:.1f} s", file=sys.stderr)

        for label in ("first import", "same file again"):
            t1 = time.perf_counter()
            summary = import_cases(engine, export, progress=progress, today=date(2025, 1, 1))
            elapsed = time.perf_counter() - t1
            print(f"{label}: {summary.rows} rows in {elapsed:.1f} s = {summary.rows / elapsed:,.0f} rows/s "
                  f"{summary.counts()}")
        engine.dispose()


if __name__ == "__main__":
    main()
