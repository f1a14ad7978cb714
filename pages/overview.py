"""总览 Overview: the selected month's headline figures, the 13-month trend, where petitions come from."""

from __future__ import annotations

import streamlit as st

from dashboard import data_access, filters_ui
from dashboard.charts import svg
from text.formatting import (
    change_direction,
    format_change,
    format_count,
    format_month_tick,
    format_period,
    format_rate,
)
from text.i18n import metric_help, metric_label, t

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


# The overview draws its charts as inline SVG and HTML (dashboard/charts/svg.py), not with Plotly:
# a new browser spent 1.5-2.6 s evaluating Plotly's chunk and drawing them (README, "Performance").
def trend_chart(trend, projection: bool) -> str:
    months = [format_month_tick(m, first=(i == 0)) for i, m in enumerate(trend["month"])]
    return svg.trend_chart(
        months, trend["received"].to_list(), trend["first_time_resolution_rate"].to_list(),
        count_name=t("overview.trend.received"), rate_name=t("overview.trend.rate"), projection=projection,
    )


def top_areas_chart(top, projection: bool) -> str:
    # Township and park names come from imported files: svg.ranked_bars escapes them as HTML.
    # On the wall both lists keep ten rows' height, so their captions line up.
    return svg.ranked_bars(top["label"].to_list(), top["received"].to_list(), projection,
                           caption=t("overview.top.received"), min_slots=TOP_AREAS if projection else 6)


def top_areas(flt, by: str, title_key: str, projection: bool) -> None:
    st.subheader(t(title_key))
    top = data_access.breakdown(flt, by).head(TOP_AREAS)
    if top.is_empty():
        st.caption(t("overview.top.empty"))
        return
    st.markdown(top_areas_chart(top, projection), unsafe_allow_html=True)


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
        st.markdown(trend_chart(trend, projection), unsafe_allow_html=True)
    with township_col:
        top_areas(flt, "township", "overview.top_townships.title", projection)
    with park_col:
        top_areas(flt, "park", "overview.top_parks.title", projection)

render()
