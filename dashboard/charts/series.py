"""Monthly series: counts as bars with a rate as a line, and counts as lines (the map panel's sparkline is
dashboard.charts.svg.sparkline)."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from dashboard import theme


def counts_with_rate(
    months: Sequence[str],
    counts: Sequence[int | None],
    rates: Sequence[float | None],
    *,
    count_name: str,
    rate_name: str,
    projection: bool,
) -> go.Figure:
    """Bars of a monthly count and a line of a rate (fractions; None is a gap, never 0%) on a second axis."""
    percents = [None if r is None else r * 100 for r in rates]
    # Bars fill the lower three quarters and the rate (usually 80–100%) runs above them, not through them.
    top = max([v for v in counts if v is not None] or [0])
    # The layout make_subplots(specs=[[{"secondary_y": True}]]) builds, written out: one validation pass
    # instead of one per update (20–40 ms less per chart, on the overview and the review at every rerun).
    fig = go.Figure(
        data=[
            go.Bar(x=list(months), y=list(counts), name=count_name, marker_color=theme.count_colour(projection),
                   hovertemplate="%{x}: %{y:,}<extra></extra>", xaxis="x", yaxis="y"),
            go.Scatter(x=list(months), y=percents, name=rate_name, mode="lines+markers",
                       line={"color": theme.rate_colour(projection), "width": 3}, connectgaps=False,
                       hovertemplate="%{x}: %{y:.1f}%<extra></extra>", xaxis="x", yaxis="y2"),
        ],
        layout={
            "xaxis": {"anchor": "y", "domain": [0.0, 0.94], "type": "category"},
            "yaxis": {"anchor": "x", "domain": [0.0, 1.0], "title": {"text": count_name},
                      "range": [0, max(top, 1) * 1.35]},
            "yaxis2": {"anchor": "x", "overlaying": "y", "side": "right", "title": {"text": rate_name},
                       "range": [0, 105], "tick0": 0, "dtick": 20, "ticksuffix": "%", "showgrid": False},
            "height": 400 if projection else 380,
            "margin": {"l": 10, "r": 10, "t": 40, "b": 10},  # room for the toolbar above the plot
            "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
            "bargap": 0.25,
        },
    )
    theme.style_figure(fig, projection)
    return fig


def count_lines(
    months: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | None]]],
    projection: bool,
    *,
    axis_title: str,
) -> go.Figure:
    """Two (or more) monthly counts as lines, the last month's figure written at each line's end.

    The first line is drawn solid with circles in the count colour, the second
    dashed with squares in the rate colour: told apart by colour-blind eyes and
    on a washed-out projector alike.
    """
    styles = (
        (theme.count_colour(projection), "solid", "circle"),
        (theme.rate_colour(projection), "dash", "square"),
    )
    fig = go.Figure()
    top = 0
    for (name, counts), (colour, dash, symbol) in zip(series, styles, strict=False):
        counts = list(counts)
        top = max([top, *(c for c in counts if c is not None)])
        fig.add_trace(go.Scatter(
            x=list(months), y=counts, name=name, mode="lines+markers+text",
            line={"color": colour, "width": 4 if projection else 3, "dash": dash},
            marker={"symbol": symbol, "size": 10 if projection else 8},
            text=[None] * (len(counts) - 1) + [f"{counts[-1]:,}" if counts and counts[-1] is not None else None],
            textposition="top center", textfont={"color": colour}, cliponaxis=False,
            hovertemplate="%{x}: %{y:,}<extra>%{fullData.name}</extra>",
        ))
    # Month ticks upright (the year only under the first and under January): read at a glance.
    fig.update_xaxes(type="category", tickangle=0)
    fig.update_yaxes(title_text=axis_title, rangemode="tozero", range=[0, max(top, 1) * 1.25], tickformat=",d")
    fig.update_layout(
        height=400 if projection else 340,
        margin={"l": 10, "r": 20, "t": 40, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    )
    theme.style_figure(fig, projection)
    return fig
