"""Ranked horizontal bars: the most first, the count written beside each bar."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from dashboard import theme


def ranked_bars(
    labels: Sequence[str],
    counts: Sequence[int],
    projection: bool,
    *,
    axis_title: str | None = None,
    min_slots: int = 0,
    row_height: int | None = None,
    projection_height: int | None = None,
) -> go.Figure:
    """One bar per label, largest on top, its count written outside the bar.

    ``axis_title`` shows the count axis with that title (else the axis is
    hidden); ``min_slots`` keeps room for that many bars, so that one or two
    bars do not become slabs; the height follows the number of bars
    (``row_height`` pixels each) unless ``projection_height`` fixes it on the wall.
    """
    counts = list(counts)
    fig = go.Figure(
        go.Bar(
            x=counts, y=list(labels), orientation="h", marker_color=theme.count_colour(projection),
            text=counts, textposition="outside", cliponaxis=False, hovertemplate="%{y}: %{x:,}<extra></extra>",
        )
    )
    slots = max(len(counts), min_slots)
    if min_slots:
        fig.update_yaxes(type="category", range=[slots - 0.5, -0.5])
    else:
        fig.update_yaxes(type="category", autorange="reversed")
    if axis_title is None:
        fig.update_xaxes(visible=False)
    else:
        # Counts are whole numbers: no 0.5 ticks when the largest is small.
        small = max(counts, default=0) <= 5
        fig.update_xaxes(title_text=axis_title, rangemode="tozero", tickformat=",d", dtick=1 if small else None)
    rows = row_height or (40 if projection else 28)
    height = max(140, rows * slots + (70 if axis_title else 30))
    if projection and projection_height:
        height = projection_height
    fig.update_layout(height=height, margin={"l": 10, "r": 40, "t": 36 if axis_title else 5, "b": 10 if axis_title else 5},
                      showlegend=False)
    theme.style_figure(fig, projection)
    return fig
