"""The trends page's chart builders: what a reader sees of the frames they are given."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from dashboard.charts import trends as charts

MONTHS = [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]


def _series(year_earlier=(4, None, 6)) -> pl.DataFrame:
    # Two splits, three months; 其他's year earlier unknown in January (before the first case).
    return pl.DataFrame({
        "month": MONTHS * 2, "key": ["1"] * 3 + ["other"] * 3, "label": ["<a href=x>劳动社保</a>"] * 3 + ["其他"] * 3,
        "rank": [1] * 3 + [2] * 3, "received": [10, 12, 30, 5, 6, 7],
        "received_year_earlier": [8, None, 20, *year_earlier],
    }, schema_overrides={"received_year_earlier": pl.Int64})


def test_stacked_bars_one_segment_per_split_and_the_year_earlier_total_with_its_gap():
    fig = charts.received_series_figure(_series(), lang="zh")
    bars = [trace for trace in fig.data if trace.type == "bar"]
    assert [list(b.y) for b in bars] == [[10, 12, 30], [5, 6, 7]]
    assert fig.layout.barmode == "stack"
    assert list(bars[0].x) == ["2025-12", "2026-01", "2026-02"]
    line = fig.data[-1]
    # 8 + 4, unknown (never 0), 20 + 6.
    assert line.name == "上年同期合计" and list(line.y) == [12, None, 26] and line.line.dash == "dot"
    # A name from data is text, not markup: Plotly would render <a href> as a link.
    assert bars[0].name == "&lt;a href=x&gt;劳动社保&lt;/a&gt;"
    assert fig.layout.legend.traceorder == "normal"


def test_small_multiples_one_panel_per_split_with_its_own_year_earlier():
    fig = charts.received_series_figure(_series(), style="multiples", labels={"other": "Other"}, lang="en")
    assert [a.text for a in fig.layout.annotations] == ["&lt;a href=x&gt;劳动社保&lt;/a&gt;", "Other"]
    bars = [trace for trace in fig.data if trace.type == "bar"]
    lines = [trace for trace in fig.data if trace.type == "scatter"]
    assert [list(b.y) for b in bars] == [[10, 12, 30], [5, 6, 7]]
    assert [list(line.y) for line in lines] == [[8, None, 20], [4, None, 6]]
    assert [bars[0].xaxis, bars[1].xaxis] == ["x", "x2"]
    # One legend entry says what the dotted lines are.
    assert [line.showlegend for line in lines] == [True, False] and lines[0].name == "Dotted: a year earlier"


def test_an_unknown_style_is_refused():
    with pytest.raises(ValueError):
        charts.received_series_figure(_series(), style="pie")


def _rates() -> pl.DataFrame:
    return pl.DataFrame({
        "rate": ["on_time_rate"] * 3, "month": MONTHS, "numerator": [45, 3, 0], "denominator": [50, 4, 0],
        "value": [0.9, 0.75, None], "sparse": [False, True, True],
    })


def test_a_sparse_month_is_a_hollow_marker_off_the_line_and_no_denominator_is_a_gap():
    fig = charts.rates_figure(_rates(), lang="zh")
    line, hollow, legend = fig.data
    assert list(line.y) == [90.0, None, None] and line.connectgaps is False
    assert list(hollow.y) == [None, 75.0, None] and hollow.mode == "markers"
    assert hollow.marker.color == "rgba(0,0,0,0)"  # hollow: only the ring is drawn
    # Each point carries its numerator and denominator to the hover.
    assert list(line.customdata) == ["45/50 件", "3/4 件", "0/0 件"] and "%{customdata}" in line.hovertemplate
    assert line.name == "按期办结率" and legend.name == "空心点：分母不足10件"


def test_rates_without_a_sparse_month_draw_no_hollow_trace():
    dense = _rates().head(1)
    fig = charts.rates_figure(dense, lang="en")
    assert len(fig.data) == 1 and fig.data[0].name == "On-time rate"


def test_evidence_bars_the_band_and_the_expected_level():
    evidence = pl.DataFrame({
        "series_id": ["c2"] * 3, "month": MONTHS, "received": [8, 12, 33], "expected": [8.0, 8.5, 8.2],
        "lower": [2.0, 2.0, 2.0], "upper": [16.0, 16.0, 17.0], "is_target": [False, False, True],
    })
    fig = charts.rising_evidence_figure(evidence, lang="zh")
    lower, upper, bars, expected = fig.data
    assert list(bars.y) == [8, 12, 33] and list(bars.marker.color) == [charts.HISTORY_COLOUR,
                                                                       charts.HISTORY_COLOUR, charts.TARGET_COLOUR]
    assert list(lower.y) == [2.0, 2.0, 2.0] and list(upper.y) == [16.0, 16.0, 17.0] and upper.fill == "tonexty"
    assert list(expected.y) == [8.0, 8.5, 8.2] and expected.name == "预期水平"


def test_hot_words_are_ranked_bars_of_the_rise_most_risen_on_top():
    words = pl.DataFrame({"word": ["噪声", "补偿"], "count": [6, 9], "previous": [1.0, 5.0], "rise": [5.0, 4.0]})
    fig = charts.hot_words_figure(words, lang="zh")
    (bar,) = fig.data
    assert list(bar.y) == ["噪声", "补偿"] and list(bar.x) == [5.0, 4.0] and bar.orientation == "h"
    assert fig.layout.yaxis.autorange == "reversed"
    assert list(bar.text) == ["+5.0（本月6人）", "+4.0（本月9人）"]
    assert list(bar.customdata) == ["本月6人，前三个月平均1.0人", "本月9人，前三个月平均5.0人"]


def test_projection_is_dark_with_large_type():
    fig = charts.hot_words_figure(pl.DataFrame({"word": ["噪声"], "count": [6], "previous": [1.0], "rise": [5.0]}),
                                  projection=True)
    assert fig.layout.paper_bgcolor == "#0b1526" and fig.layout.font.size == 20
