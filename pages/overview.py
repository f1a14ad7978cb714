"""总览 Overview: the selected month's headline figures, the 13-month trend, where petitions come from."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from dashboard import data_access, filters_ui, theme
from dashboard.charts.bars import ranked_bars
from dashboard.charts.series import counts_with_rate
from text.formatting import (
    change_direction,
    format_change,
    format_count,
    format_month_tick,
    format_period,
    format_rate,
)
from text.i18n import metric_help, metric_label, t
from text.markup import plotly_text

# The tiles: metric, kind ("count" or "rate"), and whether a rise is good news.
KPI_TILES = (
    ("received", "count", False),
    ("first_time_resolution_rate", "rate", True),
    ("on_time_rate", "rate", True),
    ("satisfaction_rate_office", "rate", True),
    ("overdue_open", "count", False),
    ("backlog", "count", False),
)
TOP_AREAS = 10


def _value(row: dict, name: str, kind: str) -> str:
    return format_rate(row[name]) if kind == "rate" else format_count(row[name])


def _yoy_markdown(current, earlier, kind: str, rise_is_good: bool) -> str:
    text = format_change(current, earlier, kind=kind)
    direction = change_direction(current, earlier, kind=kind)
    if not direction:  # None (no comparison) or no change
        return f"{t('change.yoy')} :gray-badge[{text}]"
    good = (direction > 0) == rise_is_good
    arrow = "↑" if direction > 0 else "↓"
    return f"{t('change.yoy')} :{'green' if good else 'red'}-badge[{arrow} {text}]"


def kpi_tiles(flt) -> None:
    rows = {row["period"]: row for row in data_access.headline_change(flt).iter_rows(named=True)}
    current, previous, earlier = rows["current"], rows["previous"], rows["year_earlier"]
    for column, (name, kind, rise_is_good) in zip(st.columns(len(KPI_TILES)), KPI_TILES, strict=True):
        direction = change_direction(current[name], previous[name], kind=kind)
        with column.container(border=True):
            st.metric(
                metric_label(name),
                _value(current, name, kind),
                delta=format_change(current[name], previous[name], kind=kind),
                # A missing or zero change is grey and arrowless ("—" or "0" is not a rise).
                delta_color=("normal" if rise_is_good else "inverse") if direction else "off",
                delta_arrow="auto" if direction else "off",
                delta_description=t("change.mom"),
                help=metric_help(name),
            )
            st.markdown(_yoy_markdown(current[name], earlier[name], kind, rise_is_good))


def trend_figure(trend, projection: bool) -> go.Figure:
    months = [format_month_tick(m, first=(i == 0)) for i, m in enumerate(trend["month"])]
    return counts_with_rate(
        months, trend["received"].to_list(), trend["first_time_resolution_rate"].to_list(),
        count_name=t("overview.trend.received"), rate_name=t("overview.trend.rate"), projection=projection,
    )


def top_areas_figure(top, projection: bool) -> go.Figure:
    # Township and park names come from imported files: Plotly would draw <a href>, <b>… in them.
    return ranked_bars([plotly_text(label) for label in top["label"]], top["received"].to_list(), projection,
                       axis_title=t("overview.top.received"), min_slots=6, row_height=32, projection_height=400)


def top_areas(flt, by: str, title_key: str, projection: bool) -> None:
    st.subheader(t(title_key))
    top = data_access.breakdown(flt, by).head(TOP_AREAS)
    if top.is_empty():
        st.caption(t("overview.top.empty"))
        return
    st.plotly_chart(
        top_areas_figure(top, projection), theme=theme.plotly_theme(projection),
        config=theme.plotly_config(projection), key=f"overview.top.{by}",
    )


def render() -> None:
    flt = filters_ui.active_filter()
    if flt is None:
        st.info(t("app.no_data"))
        return
    projection = filters_ui.projection_mode()
    st.title(f"{t('overview.heading')} · {format_period(flt.start, flt.end)}")
    previous, earlier = flt.previous_period(), flt.year_earlier()
    st.caption(
        t(
            "overview.compared",
            previous=format_period(previous.start, previous.end),
            earlier=format_period(earlier.start, earlier.end),
        )
    )
    kpi_tiles(flt)

    trend = data_access.monthly_trend(flt, 13)
    if projection:
        # One screen on the wall (1920×1080): the trend and both top-10 lists side by side.
        trend_col, township_col, park_col = st.columns([2, 1, 1])
    else:
        trend_col = st.container()
        township_col, park_col = st.columns(2)
    with trend_col:
        st.subheader(t("overview.trend.title"))
        st.plotly_chart(
            trend_figure(trend, projection), theme=theme.plotly_theme(projection),
            config=theme.plotly_config(projection), key="overview.trend",
        )
    with township_col:
        top_areas(flt, "township", "overview.top_townships.title", projection)
    with park_col:
        top_areas(flt, "park", "overview.top_parks.title", projection)

render()
