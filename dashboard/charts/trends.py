"""Figures of the monthly trends page (月度趋势), built from the frames of queries/trends, rising and hot_words.

Each builder takes a Polars frame as those queries return it and returns a
Plotly figure; nothing here queries or imports Streamlit. Text comes from the
translation table (``trends.chart.*``) in ``lang`` (default: the session's).
Names that come from data (categories, townships, words) are escaped before
Plotly sees them: Plotly renders a subset of HTML in its text (``<a href>``
among it), so a name like ``<a href=…>`` would otherwise become a link.

Fonts: the CJK family list of :mod:`dashboard.theme`, Noto Sans CJK SC first
(Debian's fonts-noto-cjk), so the Chinese text renders the same on the screen
and in an exported PNG, offline.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from dashboard import theme
from queries.trends import MIN_DENOMINATOR
from text.i18n import current_language, translate
from text.markup import plotly_text

# Okabe–Ito: colours that projector viewers and colour-blind readers tell apart.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
OTHER_COLOUR = "#999999"
TARGET_COLOUR = "#D55E00"
HISTORY_COLOUR = "#56B4E9"
MULTIPLES_COLUMNS = 3



def _t(key: str, lang: str, **values) -> str:
    return translate(f"trends.chart.{key}", lang, **values)


def _month_labels(months) -> list[str]:
    return [f"{m.year:04d}-{m.month:02d}" for m in months]


def _month_axis(fig: go.Figure, count: int, **selector) -> None:
    """A category axis of "YYYY-MM" labels; beyond 13 months every third is labelled, the latest always."""
    step = 1 if count <= 13 else 3
    fig.update_xaxes(type="category", tickangle=-45 if count > 13 else 0, dtick=step,
                     tick0=(count - 1) % step, **selector)


def _ink(projection: bool) -> str:
    """Black on paper, white on the dark wall screen."""
    return "#f4f7fb" if projection else "#222222"


def _finish(fig: go.Figure, *, title: str | None, projection: bool, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "y": 0.98, "yanchor": "top"} if title else None,
        template="plotly_white",
        height=height,
        # Legend entries in the order the traces were added (the split ranked first, first).
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "traceorder": "normal"},
        margin={"l": 10, "r": 10, "t": (110 if title else 40), "b": 10},
        bargap=0.2,
    )
    theme.style_figure(fig, projection)
    return fig


def _colour(i: int, key: str) -> str:
    return OTHER_COLOUR if key == "other" else PALETTE[i % len(PALETTE)]


def _splits(series: pl.DataFrame, labels: Mapping[str, str] | None) -> list[tuple[str, str]]:
    """(key, shown label) of each split, in rank order; labels from data are escaped."""
    splits = series.unique("key", maintain_order=True).sort("rank")
    return [(key, plotly_text((labels or {}).get(key, label)))
            for key, label in zip(splits["key"].to_list(), splits["label"].to_list(), strict=True)]


def received_series_figure(series: pl.DataFrame, *, style: str = "stacked", labels: Mapping[str, str] | None = None,
                           title: str | None = None, lang: str | None = None,
                           projection: bool = False) -> go.Figure:
    """:func:`queries.trends.received_series` as stacked bars or small multiples, the year earlier alongside.

    ``style``: "stacked" (one bar a month, a segment per split, and a dotted
    line of the year earlier's total) or "multiples" (one small chart per
    split: its bars and a dotted line of the same months a year earlier).
    ``labels`` maps a split's key to the text shown (a channel's code to its
    name, a category to its English name).
    """
    if style not in ("stacked", "multiples"):
        raise ValueError(f"unknown style {style!r}")
    lang = lang or current_language()
    if style == "multiples":
        return _multiples(series, labels, title, lang, projection)
    fig = go.Figure()
    months = sorted(series["month"].unique().to_list())
    x = _month_labels(months)
    for i, (key, shown) in enumerate(_splits(series, labels)):
        rows = series.filter(pl.col("key") == key).sort("month")
        fig.add_trace(go.Bar(x=x, y=rows["received"].to_list(), name=shown, marker_color=_colour(i, key),
                             hovertemplate=f"%{{x}} · {shown}: %{{y:,}}<extra></extra>"))
    # A month whose year earlier is unknown (before the first case) has no total: a gap, not 0.
    earlier = (series.group_by("month")
               .agg(pl.when(pl.col("received_year_earlier").is_not_null().any())
                    .then(pl.col("received_year_earlier").sum()).alias("received_year_earlier"))
               .sort("month"))
    fig.add_trace(go.Scatter(x=x, y=earlier["received_year_earlier"].to_list(), name=_t("year_earlier_total", lang),
                             mode="lines+markers", line={"color": _ink(projection), "width": 2, "dash": "dot"},
                             marker={"size": 5}, connectgaps=False, hovertemplate="%{x}: %{y:,}<extra></extra>"))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text=_t("received", lang), rangemode="tozero", tickformat=",d")
    _month_axis(fig, len(x))
    return _finish(fig, title=title, projection=projection, height=520 if projection else 440)


def _multiples(series: pl.DataFrame, labels, title: str | None, lang: str, projection: bool) -> go.Figure:
    splits = _splits(series, labels)
    columns = min(MULTIPLES_COLUMNS, max(1, len(splits)))
    rows = max(1, math.ceil(len(splits) / columns))
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=[shown for _, shown in splits],
                        shared_xaxes=True, vertical_spacing=0.16 / rows + 0.06, horizontal_spacing=0.05)
    months = sorted(series["month"].unique().to_list())
    x = _month_labels(months)
    for i, (key, shown) in enumerate(splits):
        row, col = i // columns + 1, i % columns + 1
        data = series.filter(pl.col("key") == key).sort("month")
        fig.add_trace(go.Bar(x=x, y=data["received"].to_list(), name=_t("received", lang),
                             marker_color=_colour(i, key), showlegend=False,
                             hovertemplate=f"%{{x}} · {shown}: %{{y:,}}<extra></extra>"), row=row, col=col)
        # One legend entry says what every panel's dotted line is.
        fig.add_trace(go.Scatter(x=x, y=data["received_year_earlier"].to_list(),
                                 name=_t("year_earlier_line", lang), mode="lines", legendgroup="year_earlier",
                                 line={"color": _ink(projection), "width": 1.5, "dash": "dot"}, showlegend=i == 0,
                                 hovertemplate=f"%{{x}} · {_t('year_earlier', lang, label=shown)}: %{{y:,}}"
                                               "<extra></extra>"), row=row, col=col)
    fig.update_yaxes(rangemode="tozero", tickformat=",d")
    _month_axis(fig, len(x))
    fig.update_xaxes(showticklabels=False)
    for col in range(1, columns + 1):
        # Month labels under the bottom chart of each column only.
        fig.update_xaxes(showticklabels=True, row=rows, col=col)
    fig = _finish(fig, title=title, projection=projection, height=rows * (330 if projection else 260) + 80)
    fig.update_annotations(font={"size": 22 if projection else 15})
    return fig


def rates_figure(rates: pl.DataFrame, *, labels: Mapping[str, str] | None = None, title: str | None = None,
                 lang: str | None = None, projection: bool = False,
                 min_denominator: int = MIN_DENOMINATOR) -> go.Figure:
    """Lines of :func:`queries.trends.rate_series` in percent.

    A sparse month (denominator under the threshold) breaks the line (a gap)
    and is drawn as a hollow marker; a month with no denominator is a gap
    with no marker (the rate is "—"). Hovering shows numerator/denominator.
    ``labels`` maps a rate to its name (default: the metric's label).
    """
    lang = lang or current_language()
    fig = go.Figure()
    names = rates.unique("rate", maintain_order=True)["rate"].to_list()
    months = sorted(rates["month"].unique().to_list())
    x = _month_labels(months)
    for i, rate in enumerate(names):
        rows = rates.filter(pl.col("rate") == rate).sort("month")
        colour = PALETTE[i % len(PALETTE)]
        label = plotly_text((labels or {}).get(rate) or translate(f"metric.{rate}.label", lang))
        values, sparse = rows["value"].to_list(), rows["sparse"].to_list()
        solid = [None if s or v is None else 100 * v for v, s in zip(values, sparse, strict=True)]
        hollow = [100 * v if s and v is not None else None for v, s in zip(values, sparse, strict=True)]
        parts = [translate("trends.rates.parts", lang, numerator=n, denominator=d)
                 for n, d in zip(rows["numerator"], rows["denominator"], strict=True)]
        hover = f"{label}<br>%{{x}}: %{{y:.1f}}% (%{{customdata}})<extra></extra>"
        fig.add_trace(go.Scatter(x=x, y=solid, name=label, mode="lines+markers", connectgaps=False,
                                 line={"color": colour, "width": 3}, marker={"size": 7}, customdata=parts,
                                 legendgroup=rate, hovertemplate=hover))
        if any(v is not None for v in hollow):
            fig.add_trace(go.Scatter(x=x, y=hollow, name=_t("sparse", lang, label=label), mode="markers",
                                     marker={"color": "rgba(0,0,0,0)", "size": 11,
                                             "line": {"color": colour, "width": 2}},
                                     customdata=parts, legendgroup=rate, showlegend=False, hovertemplate=hover))
    if rates["sparse"].any():
        # What a hollow marker means, once in the legend (the picture travels without the page's caption).
        fig.add_trace(go.Scatter(x=[x[0]], y=[None], mode="markers", name=_t("sparse_legend", lang, n=min_denominator),
                                 marker={"color": "rgba(0,0,0,0)", "size": 11, "line": {"color": _ink(projection),
                                                                                          "width": 2}},
                                 hoverinfo="skip"))
    fig.update_yaxes(title_text=_t("rate", lang), ticksuffix="%")
    _month_axis(fig, len(x))
    return _finish(fig, title=title, projection=projection, height=560 if projection else 460)


def rising_evidence_figure(evidence: pl.DataFrame, *, title: str | None = None, lang: str | None = None,
                           projection: bool = False) -> go.Figure:
    """One rising issue's evidence (rows of ``RisingResult.evidence`` for one series).

    Bars: the monthly counts, this month highlighted; a line: the expected
    level; a shaded band between the band's lower and upper edges (a rise is
    a bar above it).
    """
    lang = lang or current_language()
    rows = evidence.sort("month")
    x = _month_labels(rows["month"].to_list())
    # The band: its two edges as thin dashed lines over a faint fill (Plotly draws bars under every
    # line, so a strong fill would tint the bars it covers).
    edge = {"color": "#5aa9ff" if projection else "#0072B2", "width": 1, "dash": "dash"}
    fill = "rgba(90,169,255,0.12)" if projection else "rgba(0,114,178,0.07)"
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=rows["lower"].to_list(), mode="lines", line=edge, showlegend=False,
                             legendgroup="band",
                             hovertemplate=f"%{{x}} · {_t('band', lang)}: ≥ %{{y:,.0f}}<extra></extra>"))
    fig.add_trace(go.Scatter(x=x, y=rows["upper"].to_list(), mode="lines", line=edge, fill="tonexty",
                             fillcolor=fill, name=_t("band", lang), legendgroup="band",
                             hovertemplate=f"%{{x}} · {_t('band', lang)}: ≤ %{{y:,.0f}}<extra></extra>"))
    colours = [TARGET_COLOUR if target else HISTORY_COLOUR for target in rows["is_target"].to_list()]
    fig.add_trace(go.Bar(x=x, y=rows["received"].to_list(), marker_color=colours, name=_t("received", lang),
                         hovertemplate="%{x}: %{y:,}<extra></extra>"))
    fig.add_trace(go.Scatter(x=x, y=rows["expected"].to_list(), mode="lines", name=_t("expected", lang),
                             line={"color": _ink(projection), "width": 2},
                             hovertemplate=f"%{{x}} · {_t('expected', lang)}: %{{y:,.1f}}<extra></extra>"))
    fig.update_yaxes(title_text=_t("received", lang), rangemode="tozero")
    _month_axis(fig, len(x))
    return _finish(fig, title=title, projection=projection, height=420 if projection else 340)


def hot_words_figure(words: pl.DataFrame, *, title: str | None = None, lang: str | None = None,
                     projection: bool = False) -> go.Figure:
    """Ranked horizontal bars of :func:`queries.hot_words.hot_words`: how much each word rose, most on top.

    The bar is the rise (petitioners this month minus the mean of the three
    months before), the order the list's; beside it this month's count, and
    both figures on hover.
    """
    lang = lang or current_language()
    shown = [plotly_text(w) for w in words["word"].to_list()]
    counts, previous = words["count"].to_list(), words["previous"].to_list()
    beside = [_t("word_text", lang, rise=f"{r:+.1f}", count=c) for r, c in zip(words["rise"], counts, strict=True)]
    hover = [_t("word_hover", lang, count=c, previous=f"{p:.1f}") for c, p in zip(counts, previous, strict=True)]
    fig = go.Figure(go.Bar(
        y=shown, x=words["rise"].to_list(), orientation="h", name=_t("rise", lang), marker_color=TARGET_COLOUR,
        text=beside, textposition="outside", cliponaxis=False, customdata=hover,
        hovertemplate="%{y}: %{customdata}<extra></extra>",
    ))
    # The most risen at the top.
    fig.update_yaxes(type="category", autorange="reversed")
    fig.update_xaxes(title_text=_t("rise", lang), rangemode="tozero")
    per_word = 44 if projection else 30
    fig = _finish(fig, title=title, projection=projection, height=max(300, per_word * words.height + 110))
    fig.update_layout(showlegend=False, margin={"r": 120})
    return fig
