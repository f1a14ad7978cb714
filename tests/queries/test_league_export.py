"""The league table's .xlsx: the figures as numbers, and no text that a spreadsheet could run as a formula."""

from __future__ import annotations

import io
import zipfile

import fastexcel
import polars as pl
import pytest
from outcomes_county import MARCH, RULES, build_outcomes_county
from sqlalchemy import update

from data.models import Unit
from queries import outcomes
from queries.league_export import league_workbook, neutralise

DANGEROUS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_neutralise_prefixes_formula_starts(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["人社局", "A=B", "", None, 12])
def test_neutralise_leaves_other_text(text):
    assert neutralise(text) == ("" if text is None else str(text))


def _sheet(data: bytes) -> pl.DataFrame:
    return fastexcel.read_excel(data).load_sheet(0, dtypes="string").to_polars()


def test_workbook_of_the_unit_league(sqlite_engine):
    county = build_outcomes_county(sqlite_engine)
    with county.begin() as conn:
        conn.execute(update(Unit).where(Unit.id == 3).values(name="=HYPERLINK(\"http://x\",\"y\")"))
    frame = outcomes.league_table(county, MARCH, RULES, "unit", min_denominator=3)
    data = league_workbook(frame, "unit", min_denominator=3)
    sheet = _sheet(data)
    assert sheet.columns[:4] == ["排名", "责任单位", "信访量", "按期办结率"]
    rows = sheet.rows()
    # 住建局 first (on time 2 of 3), 人社局 (1 of 3), then the unit with one case, not ranked.
    assert rows[0][:3] == ("1", "住建局", "2") and rows[1][:3] == ("2", "人社局", "4")
    assert rows[2][:2] == ("不排名", "'=HYPERLINK(\"http://x\",\"y\")")
    assert rows[0][4:6] == ("2", "3")  # numerator and denominator beside the rate
    assert rows[2][6] == "—"  # no case in its resolution cohort
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = "".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".xml"))
    assert "<f>" not in xml  # no formula anywhere


def test_workbook_rates_are_percent_numbers(sqlite_engine):
    county = build_outcomes_county(sqlite_engine)
    frame = outcomes.league_table(county, MARCH, RULES, "unit", min_denominator=3)
    sheet = fastexcel.read_excel(league_workbook(frame, "unit", lang="en")).load_sheet(0).to_polars()
    assert sheet.columns[1] == "Responsible unit"
    on_time = dict(zip(sheet["Responsible unit"].to_list(), sheet["On-time rate"].to_list(), strict=False))
    assert on_time["住建局"] == pytest.approx(2 / 3)
