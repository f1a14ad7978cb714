"""The shared chart builders: what a reader sees of the numbers they are given."""

from __future__ import annotations

from dashboard.charts.bars import ranked_bars
from dashboard.charts.series import counts_with_rate


def test_ranked_bars_keep_the_order_given_largest_on_top_and_write_each_count():
    fig = ranked_bars(["东岭镇", "城关镇"], [12, 7], projection=False)
    bar = fig.data[0]
    assert list(bar.y) == ["东岭镇", "城关镇"] and list(bar.x) == [12, 7] and list(bar.text) == ["12", "7"]
    assert fig.layout.yaxis.autorange == "reversed"  # the first (largest) at the top
    assert fig.layout.xaxis.visible is False


def test_ranked_bars_keep_room_for_six_and_whole_number_ticks_when_small():
    fig = ranked_bars(["园区"], [3], projection=False, axis_title="件数", min_slots=6, row_height=32)
    assert tuple(fig.layout.yaxis.range) == (5.5, -0.5)
    assert fig.layout.xaxis.dtick == 1 and fig.layout.xaxis.title.text == "件数"
    assert fig.layout.height == 32 * 6 + 70


def test_a_rate_with_no_denominator_is_a_gap_not_zero():
    fig = counts_with_rate(["1月", "2月", "3月"], [10, 0, 5], [0.9, None, 0.8],
                           count_name="信访总量", rate_name="化解率", projection=True)
    line = fig.data[1]
    assert list(line.y) == [90.0, None, 80.0] and line.connectgaps is False
    assert fig.layout.yaxis.range == (0, 10 * 1.35)


def test_counts_and_rate_share_the_months_with_the_rate_on_a_right_hand_axis_above_the_bars():
    fig = counts_with_rate(["1月", "2月"], [40, 30], [0.95, 0.9], count_name="信访总量", rate_name="化解率",
                           projection=False)
    bars, line = fig.data
    assert (bars.type, bars.yaxis, line.type, line.yaxis) == ("bar", "y", "scatter", "y2")
    rate_axis = fig.layout.yaxis2
    assert (rate_axis.overlaying, rate_axis.side, rate_axis.range, rate_axis.ticksuffix) == ("y", "right", (0, 105), "%")
    assert rate_axis.showgrid is False and rate_axis.title.text == "化解率"
    assert fig.layout.yaxis.title.text == "信访总量" and fig.layout.xaxis.type == "category"
    # The right-hand axis's labels need room: the plot ends short of the right edge, as make_subplots leaves it.
    assert tuple(fig.layout.xaxis.domain) == (0.0, 0.94)
    assert fig.layout.font.family.startswith('"Noto Sans CJK SC"') and fig.layout.height == 380
