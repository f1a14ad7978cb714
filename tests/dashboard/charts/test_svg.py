"""The overview's charts as inline SVG and HTML: positions worked out by hand, names escaped, one Markdown block."""

from __future__ import annotations

import re

import pytest

from dashboard import theme
from dashboard.charts import svg


@pytest.mark.parametrize(
    ("top", "step"),
    [
        (13.5, 5.0),  # 13.5 / 4 = 3.375 -> 5
        (100, 25.0),  # 25 -> 2.5 × 10
        (4185, 2000.0),  # 1046 -> 2 × 1000
        (3, 1.0),  # never below one case
        (0, 1.0),
    ],
)
def test_nice_step(top, step):
    assert svg.nice_step(top) == step


def _trend(**kwargs) -> str:
    args = {"months": ["12月<br>2025年", "1月<br>2026年", "2月"], "counts": [10, 0, 5], "rates": [0.9, None, 0.8],
            "count_name": "信访总量（件）", "rate_name": "化解率", "projection": False}
    return svg.trend_chart(**{**args, **kwargs})


def test_trend_bars_by_hand():
    html = _trend()
    # Axis top: 10 × 1.35 = 13.5. Slot 100 / 3 %: bar i at (i + 0.125) × slot, 0.75 × slot wide.
    bars = re.findall(r'<rect x="([\d.]+)%" width="([\d.]+)%" y="([\d.]+)%" height="([\d.]+)%"', html)
    assert bars == [
        ("4.17", "25", "25.93", "74.07"),  # 10 / 13.5 = 74.07 % of the height
        ("37.5", "25", "100", "0"),  # a month with no case: a bar of no height, not a gap
        ("70.83", "25", "62.96", "37.04"),  # 5 / 13.5
    ]
    assert "<title>12月 2025年: 10</title>" in html and "<title>2月: 5</title>" in html
    # Count ticks every 5 (13.5 / 4 = 3.4 -> 5): 0, 5, 10; the rate's 0-100 % in steps of 20.
    assert re.findall(r'text-anchor="end" dominant-baseline="middle" fill-opacity="0.8">([\d,]+)<', html) == \
        ["0", "5", "10"]
    assert re.findall(r">(\d+)%</text>", html) == ["0", "20", "40", "60", "80", "100"]


def test_trend_rate_line_breaks_at_a_missing_month_and_is_never_zero():
    html = _trend()
    rate = theme.count_colour(False), theme.rate_colour(False)
    # Two points (90 % and 80 % on a 0-105 axis), no segment: the month between has no rate.
    assert re.findall(r'<circle cx="([\d.]+)%" cy="([\d.]+)%"', html) == [("16.67", "14.29"), ("83.33", "23.81")]
    assert f'stroke="{rate[1]}"' not in html
    assert "<title>12月 2025年: 90.0%</title>" in html and "1月 2026年: 0.0%" not in html
    joined = _trend(rates=[0.9, 0.85, 0.8])
    assert len(re.findall(f'<line [^>]*stroke="{rate[1]}"', joined)) == 2


def test_trend_month_ticks_put_the_year_on_a_line_of_its_own():
    html = _trend()
    assert '<tspan x="16.67%" dy="1.4em">12月</tspan><tspan x="16.67%" dy="1.25em" style="font-size:0.85em">2025年' \
           '</tspan>' in html
    assert '<tspan x="83.33%" dy="1.4em">2月</tspan></text>' in html
    assert "<br>" not in html


def test_trend_is_one_markdown_html_block_with_its_names_escaped():
    html = _trend(count_name="<b>件</b>", rate_name="$x$ `y`", months=["<i>1</i>", "2", "3"])
    # A <div> first: Markdown reads the line as an HTML block, not as a paragraph it would parse.
    assert "\n" not in html and html.startswith('<div><svg data-chart="trend"') and html.endswith("</svg></div>")
    assert "<b>" not in html and "<i>" not in html and "$" not in html and "`" not in html
    assert "&#60;b&#62;件&#60;&#47;b&#62;" in html and "&#36;x&#36; &#96;y&#96;" in html


def test_trend_projection_is_larger_and_lighter():
    normal, wall = _trend(), _trend(projection=True)
    assert 'height="380"' in normal and "font-size:13px" in normal and theme.count_colour(False) in normal
    assert 'height="400"' in wall and "font-size:19px" in wall and theme.count_colour(True) in wall


def test_ranked_bars_keep_the_order_given_and_scale_to_the_largest():
    html = svg.ranked_bars(["东岭镇", "城关镇"], [12, 7], False, caption="件数")
    names = re.findall(r'text-overflow:ellipsis;max-width:14em">([^<]*)</div>', html)
    assert names == ["东岭镇", "城关镇"]
    # The largest bar is 80 % of the width (room for its figure), 7 of 12 is 46.67 %.
    assert re.findall(r"width:([\d.]+)%;min-width", html) == ["80", "46.67"]
    assert re.findall(r'tabular-nums">([\d,]+)</span>', html) == ["12", "7"]
    assert 'title="东岭镇: 12"' in html and html.endswith("件数</div>")


def test_ranked_bars_keep_room_for_six_rows_and_escape_names():
    html = svg.ranked_bars(["<img src=x onerror=alert(1)>"], [1234], True, min_slots=6)
    assert html.count("<div></div><div></div>") == 5  # 1 row and 5 empty ones
    assert "<img" not in html and "&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62;" in html
    assert "1,234" in html and "grid-auto-rows:40px" in html and "\n" not in html


def test_sparkline_points_by_hand():
    html = svg.sparkline(["2026-01", "2026-02", "2026-03"], [4, 0, 9], projection=False)
    # Axis top 9 × 1.3 = 11.7; three months at 0, 50 and 100 % of the width.
    points = re.findall(r'<circle cx="([\d.]+)%" cy="([\d.]+)%"', html)
    assert points == [("0", "65.81"), ("50", "100"), ("100", "23.08")]  # 4 / 11.7 = 34.19 %; 9 / 11.7 = 76.92 %
    # The line and its fill, in the stretched 0-100 box; the fill closes on the zero line.
    assert '<polyline points="0,65.81 50,100 100,23.08"' in html
    assert '<polygon points="0,100 0,65.81 50,100 100,23.08 100,100"' in html
    assert "<title>2026&#45;02: 0</title>" in html  # the month escaped as every text from outside
    # Only the last month's figure is written, at its point.
    assert re.findall(r'font-weight="600">([\d,]+)</text>', html) == ["9"]


def test_sparkline_a_missing_month_breaks_the_line_and_thousands_are_grouped():
    html = svg.sparkline(["1", "2", "3", "4"], [1200, None, 1300, 1000], projection=True)
    assert len(re.findall("<polyline", html)) == 2 and "<title>2: " not in html
    assert re.findall(r'font-weight="600">([\d,]+)</text>', html) == ["1,000"]
    assert 'height="200"' in html and theme.count_colour(True) in html


def test_sparkline_labels_every_third_of_thirteen_months_and_escapes_them():
    months = [f"<b>{i}</b>" for i in range(13)]
    html = svg.sparkline(months, list(range(13)), projection=False)
    assert "<b>" not in html and "\n" not in html and html.startswith('<div><svg data-chart="sparkline"')
    ticks = re.findall(r'dy="1.3em" text-anchor="(\w+)" fill-opacity="0.8">&#60;b&#62;(\d+)&#60;', html)
    assert ticks == [("start", "0"), ("middle", "3"), ("middle", "6"), ("middle", "9"), ("end", "12")]


def test_count_lines_by_hand():
    html = svg.count_lines(["1月<br>2026年", "2月", "3月"], [("积案", [0, 4, None]), ("超<b>期", [2, 5, 5])],
                           False, axis_title="件数")
    assert html.startswith("<div><svg") and "\n" not in html and "<b>" not in html
    # Axis top 5 × 1.25 = 6.25; centres at (i + 0.5) × 100 / 3 %. 4 -> 36 %, 0 -> 100 %, 5 -> 20 %, 2 -> 68 %.
    segments = re.findall(r'<line x1="([\d.]+)%" y1="([\d.]+)%" x2="([\d.]+)%" y2="([\d.]+)%" stroke="#', html)
    assert segments == [
        ("16.67", "100", "50", "36"),  # the backlog: March missing, no segment to it
        ("16.67", "68", "50", "20"), ("50", "20", "83.33", "20"),
    ]
    assert 'stroke-dasharray="8 6"' in html.split("16.67%\" y1=\"68%")[1][:200]  # the second line dashed
    assert re.findall(r"<title>([^<]*)</title>", html) == [
        "1月 2026年 积案: 0", "2月 积案: 4", "1月 2026年 超&#60;b&#62;期: 2", "2月 超&#60;b&#62;期: 5",
        "3月 超&#60;b&#62;期: 5"]
    # The last month's figure above the line's end: the second line only (the first has no March).
    assert re.findall(r'font-weight="600">([^<]*)</text>', html) == ["5"]
    assert html.count('<text x="-8"') == 1 + 4  # the axis title; ticks 0 2 4 6 (6.25 / 4 = 1.56 -> a step of 2)


def test_count_lines_write_the_higher_last_figure_above_and_the_other_below():
    html = svg.count_lines(["1月", "2月"], [("积案", [1, 2]), ("超期未结", [3, 4])], True, axis_title="件数")
    labels = re.findall(r'dy="([-\d.]+em)" text-anchor="middle" fill="[^"]+" font-weight="600">([^<]*)</text>', html)
    assert labels == [("1.7em", "2"), ("-0.9em", "4")]
