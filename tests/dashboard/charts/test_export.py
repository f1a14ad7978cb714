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


def _bars_and_line():
    from dashboard.charts.series import counts_with_rate

    bars = charts.received_series_figure(_series(), title="月度趋势：信访量")
    line = counts_with_rate(["1月", "2月", "3月"], [12, 30, 7], [0.5, None, 0.25], count_name="信访量",
                            rate_name="化解率", projection=False)
    return [bars, line]


@pytest.mark.browser
def test_a_session_started_first_draws_the_same_pictures_as_a_fresh_page_each():
    figures = _bars_and_line()
    # One page per picture, the full plotly.js (kaleido's own way), against the session's way: one page for
    # all, the basic bundle, started before the figures were given.
    fresh = [export.figure_png(fig, width=900, height=500, scale=2) for fig in figures]
    session = export.PngSession(basic=True)
    try:
        assert export.basic_bundle() is not None  # the vendored bundle is there (make vendor), so it is used
        shared = session.render(figures, width=900, height=500, scale=2)
        session.close(wait=False)
    finally:
        session.close()
    assert shared == fresh
    assert struct.unpack(">II", shared[1][16:24]) == (1800, 1000)


def test_a_session_without_a_browser_says_so_when_asked_for_pictures(monkeypatch, tmp_path):
    session = export.PngSession(path=str(tmp_path / "no-chromium"), basic=True)
    with pytest.raises(export.ExportError, match="no Chromium"):
        session.render(_bars_and_line())
    session.close()  # nothing was started: closing is quiet
    session.close()


def test_the_basic_bundle_refuses_a_trace_it_cannot_draw(tmp_path):
    import plotly.graph_objects as go

    with export.PngSession(path=str(tmp_path / "no-chromium"), basic=True) as session:
        with pytest.raises(ValueError, match="heatmap"):
            session.submit([go.Figure(go.Heatmap(z=[[1, 2], [3, 4]]))])


def test_the_basic_bundle_is_used_only_at_plotlys_own_version(monkeypatch, tmp_path):
    from plotly.offline import get_plotlyjs_version

    bundle = tmp_path / "plotly-basic.min.js"
    monkeypatch.setattr(export, "PLOTLY_BASIC", bundle)
    assert export.basic_bundle() is None  # not vendored: the full plotly.js
    bundle.write_text(f"/**\n* plotly.js (basic - minified) v{get_plotlyjs_version()}\n*/\n")
    assert export.basic_bundle() == bundle
    bundle.write_text("/**\n* plotly.js (basic - minified) v3.0.0\n*/\n")
    assert export.basic_bundle() is None
