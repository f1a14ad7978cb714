"""Counties for the trends page's tests: a small one worked by hand, and a seasonal one with a planted rise.

**The small county** (``build_small_county``): townships 1 甲镇 and 2 乙乡;
categories 1 劳动社保, 2 征地拆迁, 3 教育. Cases received:

| month   | 甲镇 劳动社保 | 甲镇 征地拆迁 | 乙乡 劳动社保 | 乙乡 征地拆迁 | 乙乡 教育 | no township, 教育 |
| ------- | ---: | ---: | ---: | ---: | ---: | ---: |
| 2025-03 | 1 | 0 | 5 | 0 | 0 | 0 |
| 2026-02 | 2 | 0 | 0 | 3 | 0 | 0 |
| 2026-03 | 4 | 2 | 1 | 0 | 1 | 1 |

so by category: 劳动社保 6 / 2 / 5, 征地拆迁 0 / 3 / 2, 教育 0 / 0 / 2
(2025-03 / 2026-02 / 2026-03); by township: 甲镇 1 / 2 / 6, 乙乡 5 / 3 / 2.

**The seasonal county** (``build_seasonal_county``): townships 1 东岭镇 (with
park 1 东岭工业园区) and 2 西山乡; categories 1 劳动社保, 2 征地拆迁; cases
from January 2022 to ``last_month``:

* 劳动社保 in the park: 10 a month, plus the wage-arrears peak: 60 cases
  spread evenly over the 42 days before each Spring Festival (2022-02-01,
  2023-01-22, 2024-02-10, 2025-01-29, 2026-02-17). So February holds 0
  of them in 2023 and 2025, 12 in 2024 and 22 in 2026; January 30, 45, 40
  and 38 in 2023–2026; December 30 in 2022, 3 in 2023, 20 in 2024, 0 in 2025;
* 劳动社保 in 西山乡: 6 a month;
* 征地拆迁 in 东岭镇: 6 a month;
* 征地拆迁 in 西山乡: 8 a month, but 6 in December 2025, 12 in January 2026,
  and, planted, 33 in February 2026 (the rise; its summaries say 征地补偿款未到位).

A calendar-month baseline would flag February 2026 in the park (32 against
Februaries of 10, 22 and 10): the peak moved with the festival, not the
month. Only 征地拆迁 (county-wide and in 西山乡) rises in February 2026;
January 2025, February 2025, January 2026 and October 2025 are calm.
"""

from __future__ import annotations

from datetime import date, timedelta

from factories import case_row, insert_cases
from sqlalchemy import insert

from data.db import bump_data_version
from data.models import Category, Park, Township
from queries import case_words
from queries.filters import add_months
from queries.summary import refresh_summary

LABOUR, LAND, EDUCATION = 1, 2, 3
JIA, YI = 1, 2
DONGLING, XISHAN, PARK = 1, 2, 1
FESTIVALS = {2022: date(2022, 2, 1), 2023: date(2023, 1, 22), 2024: date(2024, 2, 10),
             2025: date(2025, 1, 29), 2026: date(2026, 2, 17)}
PEAK_CASES = 60


def refresh(engine) -> None:
    """Make the monthly summary and the words of hot words current, as every writer does."""
    with engine.begin() as conn:
        bump_data_version(conn)
        refresh_summary(conn)
        case_words.refresh(conn)


def build_small_county(engine):
    with engine.begin() as conn:
        conn.execute(insert(Township), [{"id": JIA, "name": "甲镇", "kind": "town"},
                                        {"id": YI, "name": "乙乡", "kind": "township"}])
        conn.execute(insert(Category), [{"id": LABOUR, "code": "labour_social_security", "name": "劳动社保"},
                                         {"id": LAND, "code": "land_acquisition", "name": "征地拆迁"},
                                         {"id": EDUCATION, "code": "education", "name": "教育"}])
    table = {  # (month, township, category) -> cases
        (date(2025, 3, 1), JIA, LABOUR): 1, (date(2025, 3, 1), YI, LABOUR): 5,
        (date(2026, 2, 1), JIA, LABOUR): 2, (date(2026, 2, 1), YI, LAND): 3,
        (date(2026, 3, 1), JIA, LABOUR): 4, (date(2026, 3, 1), JIA, LAND): 2,
        (date(2026, 3, 1), YI, LABOUR): 1, (date(2026, 3, 1), YI, EDUCATION): 1,
        (date(2026, 3, 1), None, EDUCATION): 1,
    }
    rows = []
    for (month, township, category), n in table.items():
        rows += [case_row(f"S-{month:%Y%m}-{township}-{category}-{i}", received_on=month.replace(day=2 + i),
                          township_id=township, category_id=category) for i in range(n)]
    insert_cases(engine, rows)
    return engine


def _monthly(prefix: str, month: date, n: int, **values) -> list[dict]:
    # Spread over the first 28 days, so that every month holds them all.
    return [case_row(f"{prefix}-{month:%Y%m}-{i}", received_on=month.replace(day=1 + i % 28), **values)
            for i in range(n)]


def _land_in_xishan(month: date) -> int:
    return {date(2025, 12, 1): 6, date(2026, 1, 1): 12, date(2026, 2, 1): 33}.get(month, 8)


def build_seasonal_county(engine, last_month: date = date(2026, 2, 1), first_month: date = date(2022, 1, 1)):
    with engine.begin() as conn:
        conn.execute(insert(Township), [{"id": DONGLING, "name": "东岭镇", "kind": "town"},
                                        {"id": XISHAN, "name": "西山乡", "kind": "township"}])
        conn.execute(insert(Park), [{"id": PARK, "name": "东岭工业园区", "township_id": DONGLING}])
        conn.execute(insert(Category), [{"id": LABOUR, "code": "labour_social_security", "name": "劳动社保"},
                                         {"id": LAND, "code": "land_acquisition", "name": "征地拆迁"}])
    rows: list[dict] = []
    month = first_month
    while month <= last_month:
        rows += _monthly("LP", month, 10, township_id=DONGLING, park_id=PARK, category_id=LABOUR)
        rows += _monthly("LX", month, 6, township_id=XISHAN, category_id=LABOUR)
        rows += _monthly("DD", month, 6, township_id=DONGLING, category_id=LAND)
        planted = month == date(2026, 2, 1)
        rows += _monthly("DX", month, _land_in_xishan(month), township_id=XISHAN, category_id=LAND,
                         summary="西山乡村民反映征地补偿款未到位，要求尽快发放。" if planted else None)
        month = add_months(month, 1)
    month_end = add_months(last_month, 0, last_day=True)
    for year, festival in FESTIVALS.items():
        for i in range(PEAK_CASES):
            day = festival - timedelta(days=42) + timedelta(days=i * 42 // PEAK_CASES)
            if first_month <= day <= month_end:
                rows.append(case_row(f"PEAK-{year}-{i}", received_on=day, township_id=DONGLING, park_id=PARK,
                                     category_id=LABOUR, summary="园区企业职工反映春节前拖欠工资。"))
    insert_cases(engine, rows)
    refresh(engine)
    return engine


def peak_in(month: date) -> int:
    """How many of the wage-arrears peak's cases fall in ``month`` (for the docstring's table)."""
    n = 0
    for festival in FESTIVALS.values():
        for i in range(PEAK_CASES):
            day = festival - timedelta(days=42) + timedelta(days=i * 42 // PEAK_CASES)
            n += (day.year, day.month) == (month.year, month.month)
    return n
