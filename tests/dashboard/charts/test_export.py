"""Chart exports: a PNG rendered by Kaleido on Debian's Chromium, and an Excel workbook with formulas neutralised."""

from __future__ import annotations

import io
import struct
from datetime import date

import polars as pl
import pytest

from dashboard.charts import export
from dashboard.charts import trends as charts


def _series() -> pl.DataFrame:
    months = [date(2025, m, 1) for m in range(1, 13)]
    return pl.DataFrame({
        "month": months * 2, "key": ["1"] * 12 + ["other"] * 12, "label": ["劳动社保"] * 12 + ["其他"] * 12,
        "rank": [1] * 12 + [2] * 12, "received": list(range(10, 22)) + list(range(5, 17)),
        "received_year_earlier": list(range(8, 20)) + list(range(4, 16)),
    })


@pytest.mark.browser
def test_png_renders_with_chinese_title():
    fig = charts.received_series_figure(_series(), title="月度趋势：信访量")
    # Debian's Noto Sans CJK first (the machine that renders the PNG), then what a desk's browser may have.
    assert fig.layout.font.family.startswith('"Noto Sans CJK SC"')
    png = export.figure_png(fig, width=800, height=450)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    assert (width, height) == (800, 450)
    assert 10_000 < len(png) < 2_000_000


def test_a_missing_browser_is_one_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    with pytest.raises(export.ExportError, match="no Chromium"):
        export.figure_png(charts.received_series_figure(_series()))


def test_excel_neutralises_formula_like_text():
    import fastexcel

    frame = _series().with_columns(pl.lit("=HYPERLINK(\"http://x\")").alias("note")).head(2)
    data = export.frame_xlsx(frame, sheet="趋势", headers={"received": "信访量"})
    sheet = fastexcel.read_excel(io.BytesIO(data).getvalue()).load_sheet(0).to_polars()
    assert sheet.columns[4] == "信访量"
    assert sheet["note"].to_list() == ["'=HYPERLINK(\"http://x\")"] * 2
    assert sheet["信访量"].to_list() == [10, 11]
    assert export.neutralised("+1") == "'+1" and export.neutralised("-2") == "'-2" and export.neutralised("ok") == "ok"
