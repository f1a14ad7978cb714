"""Figures of the monthly trends page (月度趋势), built from the frames of queries/trends, rising and hot_words.

Each builder takes a Polars frame as those queries return it and a language,
and returns a Plotly figure; nothing here queries or imports Streamlit. The
font is Noto Sans CJK SC (Debian's fonts-noto-cjk), so the Chinese text of a
chart renders the same on screen and in an exported PNG, offline.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

FONT_FAMILY = "Noto Sans CJK SC"
# Okabe–Ito: colours that projector viewers and colour-blind readers tell apart.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
OTHER_COLOUR = "#999999"

# The page's strings for these charts; the lead moves them into the translation table on merge.
STRINGS: dict[str, dict[str, str]] = {
    "received": {"zh": "信访量", "en": "Received"},
    "year_earlier": {"zh": "{label}（上年同期）", "en": "{label} (a year earlier)"},
    "month": {"zh": "月份", "en": "Month"},
    "rate": {"zh": "比率", "en": "Rate"},
    "sparse": {"zh": "{label}（样本不足）", "en": "{label} (too few cases)"},
    "expected": {"zh": "预期水平", "en": "Expected level"},
    "band": {"zh": "预期区间", "en": "Expected band"},
    "this_month": {"zh": "本月", "en": "This month"},
    "count": {"zh": "本月（人）", "en": "This month (petitioners)"},
    "previous": {"zh": "前三月平均", "en": "Mean of the 3 months before"},
    "first_time_resolution_rate": {"zh": "初信初访化解率", "en": "First-time resolution rate"},
    "on_time_rate": {"zh": "按期办结率", "en": "On-time rate (statutory)"},
    "on_time_rate_3_7_21": {"zh": "3-7-21 达标率", "en": "3-7-21 rate"},
    "satisfaction_rate_office": {"zh": "满意率（信访部门）", "en": "Satisfaction (petition office)"},
    "satisfaction_rate_unit": {"zh": "满意率（责任单位）", "en": "Satisfaction (responsible unit)"},
}


def text(key: str, lang: str = "zh", **values) -> str:
    return STRINGS[key][lang].format(**values)


def _layout(fig: go.Figure, title: str | None, y_title: str, lang: str) -> go.Figure:
    fig.update_layout(
        title=title, font={"family": FONT_FAMILY, "size": 16}, template="plotly_white",
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        margin={"l": 60, "r": 20, "t": 60 if title else 20, "b": 80},
        xaxis_title=text("month", lang), yaxis_title=y_title,
    )
    fig.update_xaxes(tickformat="%Y-%m", dtick="M1" if fig.layout.xaxis.dtick is None else None)
    return fig


def _colour(i: int, key: str) -> str:
    return OTHER_COLOUR if key == "other" else PALETTE[i % len(PALETTE)]


def received_series_figure(series: pl.DataFrame, *, title: str | None = None, lang: str = "zh",
                           year_earlier: bool = True, labels: dict[str, str] | None = None) -> go.Figure:
    """Lines of :func:`queries.trends.received_series`: one per split, the year earlier dotted.

    ``labels`` maps a split's label to the text shown (a channel's code to its name, say).
    """
    fig = go.Figure()
    splits = series.unique("key", maintain_order=True).sort("rank")
    for i, (key, label) in enumerate(zip(splits["key"].to_list(), splits["label"].to_list(), strict=True)):
        rows = series.filter(pl.col("key") == key).sort("month")
        shown = (labels or {}).get(label, label)
        colour = _colour(i, key)
        fig.add_trace(go.Scatter(x=rows["month"].to_list(), y=rows["received"].to_list(), name=shown,
                                 mode="lines+markers", line={"color": colour, "width": 3}, legendgroup=key))
        if year_earlier:
            fig.add_trace(go.Scatter(x=rows["month"].to_list(), y=rows["received_year_earlier"].to_list(),
                                     name=text("year_earlier", lang, label=shown), mode="lines",
                                     line={"color": colour, "width": 1.5, "dash": "dot"}, legendgroup=key,
                                     showlegend=False))
    fig.update_yaxes(rangemode="tozero")
    return _layout(fig, title, text("received", lang), lang)


def rates_figure(rates: pl.DataFrame, *, title: str | None = None, lang: str = "zh") -> go.Figure:
    """Lines of :func:`queries.trends.rate_series` in percent.

    A sparse month (denominator under the threshold) breaks the line (a gap)
    and is drawn as a hollow marker; a month with no denominator is a gap
    with no marker (the rate is "—"). Hovering shows numerator/denominator.
    """
    fig = go.Figure()
    names = rates.unique("rate", maintain_order=True)["rate"].to_list()
    for i, rate in enumerate(names):
        rows = rates.filter(pl.col("rate") == rate).sort("month")
        colour = PALETTE[i % len(PALETTE)]
        label = text(rate, lang) if rate in STRINGS else rate
        solid = [None if s or v is None else 100 * v for v, s in zip(rows["value"], rows["sparse"], strict=True)]
        hollow = [100 * v if s and v is not None else None for v, s in zip(rows["value"], rows["sparse"], strict=True)]
        parts = [f"{n}/{d}" for n, d in zip(rows["numerator"], rows["denominator"], strict=True)]
        months = rows["month"].to_list()
        fig.add_trace(go.Scatter(x=months, y=solid, name=label, mode="lines+markers", connectgaps=False,
                                 line={"color": colour, "width": 3}, customdata=parts, legendgroup=rate,
                                 hovertemplate="%{x|%Y-%m}: %{y:.1f}% (%{customdata})<extra></extra>"))
        if any(v is not None for v in hollow):
            fig.add_trace(go.Scatter(x=months, y=hollow, name=text("sparse", lang, label=label), mode="markers",
                                     marker={"color": "white", "size": 10, "line": {"color": colour, "width": 2}},
                                     customdata=parts, legendgroup=rate, showlegend=False,
                                     hovertemplate="%{x|%Y-%m}: %{y:.1f}% (%{customdata})<extra></extra>"))
    fig.update_yaxes(ticksuffix="%")
    return _layout(fig, title, text("rate", lang), lang)


def rising_evidence_figure(evidence: pl.DataFrame, *, title: str | None = None, lang: str = "zh") -> go.Figure:
    """One rising issue's evidence (rows of ``RisingResult.evidence`` for one series).

    Bars: the monthly counts, this month highlighted; a line: the expected
    level; a shaded band: the expected band (the rise is a bar above it).
    """
    rows = evidence.sort("month")
    months = rows["month"].to_list()
    colours = ["#D55E00" if t else "#56B4E9" for t in rows["is_target"].to_list()]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=months + months[::-1], y=rows["upper"].to_list() + rows["lower"].to_list()[::-1],
                             fill="toself", fillcolor="rgba(0,114,178,0.15)", line={"width": 0},
                             name=text("band", lang), hoverinfo="skip"))
    fig.add_trace(go.Bar(x=months, y=rows["received"].to_list(), marker_color=colours, name=text("received", lang)))
    fig.add_trace(go.Scatter(x=months, y=rows["expected"].to_list(), mode="lines", name=text("expected", lang),
                             line={"color": "#0072B2", "width": 2}))
    fig.update_yaxes(rangemode="tozero")
    fig = _layout(fig, title, text("received", lang), lang)
    fig.update_xaxes(dtick="M3")
    return fig


def hot_words_figure(words: pl.DataFrame, *, title: str | None = None, lang: str = "zh") -> go.Figure:
    """Horizontal bars of :func:`queries.hot_words.hot_words`: this month against the three months before."""
    rows = words.reverse()  # the most risen at the top
    fig = go.Figure()
    fig.add_trace(go.Bar(y=rows["word"].to_list(), x=rows["previous"].to_list(), orientation="h",
                         name=text("previous", lang), marker_color="#BBBBBB"))
    fig.add_trace(go.Bar(y=rows["word"].to_list(), x=rows["count"].to_list(), orientation="h",
                         name=text("count", lang), marker_color="#D55E00"))
    fig.update_layout(barmode="group", font={"family": FONT_FAMILY, "size": 16}, template="plotly_white",
                      title=title, legend={"orientation": "h", "y": -0.1},
                      margin={"l": 100, "r": 20, "t": 60 if title else 20, "b": 60},
                      height=max(300, 40 * words.height + 120))
    return fig
