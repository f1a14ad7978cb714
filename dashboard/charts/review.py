"""Figures of the monthly review (月度研判), shared by its page and its Word report.

Each builder takes a :class:`queries.review.Review` and a language and
returns a Plotly figure; nothing here queries or imports Streamlit. The
theme's CJK font (Noto Sans CJK SC first) renders the Chinese text the same
on screen and in the report's PNG images, offline.
"""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.charts.bars import ranked_bars
from dashboard.charts.series import counts_with_rate
from queries.review import Review
from text.formatting import format_month_tick
from text.i18n import translate

TOP_BARS = 10


def issue_label(row: dict, lang: str) -> str:
    """"东岭镇 · 劳动社保": where, then what."""
    return f"{row['township'] or '—'} · {row['category'] or '—'}"


def trend_figure(review: Review, lang: str = "zh", *, projection: bool = False) -> go.Figure:
    """13 months of cases received (bars) and the first-time resolution rate (line), ending with the month."""
    trend = review.trend
    months = [format_month_tick(m, first=(i == 0), lang=lang) for i, m in enumerate(trend["month"])]
    return counts_with_rate(
        months, trend["received"].to_list(), trend["first_time_resolution_rate"].to_list(),
        count_name=translate("review.chart.received", lang), rate_name=translate("review.chart.rate", lang),
        projection=projection,
    )


def top_issues_figure(review: Review, lang: str = "zh", *, projection: bool = False) -> go.Figure:
    """The issues (township × category) with most cases this month."""
    top = review.top_by_volume(TOP_BARS)
    labels = [issue_label(row, lang) for row in top.iter_rows(named=True)]
    fig = ranked_bars(labels, top["received"].to_list(), projection, axis_title=translate("review.chart.received", lang),
                      min_slots=6, row_height=34)
    fig.update_layout(title=translate("review.chart.top_issues", lang), margin={"t": 60})
    return fig


def overdue_by_unit_figure(review: Review, lang: str = "zh", *, projection: bool = False) -> go.Figure:
    """The responsible units with most overdue open cases at the month's end."""
    top = review.by_unit.filter(review.by_unit["overdue_open"] > 0).head(TOP_BARS)
    labels = [name or translate("review.none_named", lang) for name in top["name"].to_list()]
    fig = ranked_bars(labels, top["overdue_open"].to_list(), projection,
                      axis_title=translate("review.chart.overdue", lang), min_slots=6, row_height=34)
    fig.update_layout(title=translate("review.chart.overdue_by_unit", lang), margin={"t": 60})
    return fig


def report_figures(review: Review, lang: str = "zh") -> dict[str, go.Figure]:
    """The report's charts, by name, in the order they appear (light theme, for paper).

    Room is made for the names on the axes and the axis titles: a picture
    has no hover, so nothing may be cut off.
    """
    figures = {
        "trend": trend_figure(review, lang),
        "top_issues": top_issues_figure(review, lang),
        "overdue_by_unit": overdue_by_unit_figure(review, lang),
    }
    for fig in figures.values():
        # plotly.js's own look (black text, a grey grid on white) whoever builds them: importing Streamlit
        # makes its placeholder template plotly's default (the same pictures as this), so the command,
        # which no longer imports it, would otherwise draw with plotly.py's default template instead.
        fig.update_layout(template="none")
        fig.update_layout(title=None)  # the report's caption names the figure
        fig.update_yaxes(automargin=True)
        fig.update_xaxes(automargin=True)
        fig.update_layout(margin={"l": 20, "r": 50, "t": 20, "b": 30}, font={"size": 15}, paper_bgcolor="white",
                          plot_bgcolor="white")
    figures["trend"].update_layout(height=420, margin={"t": 60})
    return figures
