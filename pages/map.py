"""分布地图 Map: where petitions come from, by township and industrial park, with hot spots and a click panel."""

from __future__ import annotations

import polars as pl
import streamlit as st
from streamlit_folium import st_folium

from config.settings import load_settings
from dashboard import data_access, downloads_ui, filters_ui, gate, reveal_ui
from dashboard.charts import svg
from geo import maps
from queries import hotspots
from queries.areas import MEASURES, averages
from services import access
from text.formatting import format_month_short, format_period, format_rate
from text.i18n import DASH, category_name, current_language, t
from text.markup import markdown_text

# Session state of this page (namespaced "map."), initialised in _init_state only.
MEASURE_KEY = "map.measure"
SELECTED_KEY = "map.selected"  # "township:3" / "park:1", or None
MAP_KEY = "map.folium"  # streamlit-folium copies the map's last return value here
MEASURE_WIDGET = "w.map.measure"
AREA_WIDGET = "w.map.area"

# The click panel's tiles, per level: a park has no residents, so no per-10,000 figure.
PANEL_MEASURES = {
    "township": ("received", "per_10k", "overdue_open", "change_mom", "change_yoy", "first_time_share"),
    "park": ("received", "first_time_share", "overdue_open", "change_mom", "change_yoy", "backlog"),
}
CASE_COLUMNS = ("case_number", "received_on", "park", "category", "unit", "owner_leader", "due_on", "days_open")
TOP_CATEGORIES = 8


def _init_state() -> None:
    st.session_state.setdefault(MEASURE_KEY, "received")
    st.session_state.setdefault(SELECTED_KEY, None)


def _copy(widget_key: str, canonical_key: str) -> None:
    st.session_state[canonical_key] = st.session_state[widget_key]


def _on_map_change() -> None:
    # Only a click on one of our areas changes the selection (a click on a reception point does not).
    clicked = maps.clicked_area(st.session_state.get(MAP_KEY))
    if clicked is not None:
        st.session_state[SELECTED_KEY] = f"{clicked[0]}:{clicked[1]}"


def _selected() -> tuple[str, int] | None:
    value = st.session_state.get(SELECTED_KEY)
    if not value:
        return None
    level, _, area_id = value.partition(":")
    return level, int(area_id)


def _measure_selector() -> None:
    st.session_state[MEASURE_WIDGET] = st.session_state[MEASURE_KEY]
    st.selectbox(
        t("map.measure"), MEASURES, format_func=lambda m: t(f"map.measure.{m}"),
        key=MEASURE_WIDGET, on_change=_copy, args=(MEASURE_WIDGET, MEASURE_KEY),
        help=t(f"map.measure.{st.session_state[MEASURE_KEY]}.help"),
    )


def _format_average(value: float | None, measure: str) -> str:
    if value is None:
        return DASH
    if measure == "first_time_share":
        return format_rate(value)
    if measure in maps.CHANGE_MEASURES:
        return f"{value:+,.1f}"
    return f"{value:,.1f}"


def _area_chooser(township_measures: pl.DataFrame, park_measures: pl.DataFrame) -> None:
    """The same choice as a click on the map, for the keyboard and for the person at the laptop."""
    names: dict[str, str] = {}
    for level, frame in (("township", township_measures), ("park", park_measures)):
        for row in frame.iter_rows(named=True):
            names[f"{level}:{row['id']}"] = f"{row['name']} · {t(f'map.level.{level}')}"
    current = st.session_state[SELECTED_KEY]
    st.session_state[AREA_WIDGET] = current if current in names else None
    st.selectbox(
        t("map.panel.area"), list(names), format_func=lambda key: names[key], key=AREA_WIDGET,
        on_change=_copy, args=(AREA_WIDGET, SELECTED_KEY), placeholder=t("map.panel.choose"),
    )


# The panel's two small charts are inline SVG and HTML (dashboard/charts/svg.py), as on the overview:
# building them as Plotly figures took 25-35 ms of each click on the server (validation of every
# property), and a browser opening the map loads no Plotly at all.
def category_chart(categories: pl.DataFrame, projection: bool) -> str:
    all_categories = data_access.categories()
    codes = dict(zip(all_categories["id"], all_categories["code"], strict=True))
    top = categories.head(TOP_CATEGORIES)
    # Category names come from imported files: svg.ranked_bars escapes them as HTML.
    labels = [category_name(codes.get(key), label) for key, label in zip(top["key"], top["label"], strict=True)]
    return svg.ranked_bars(labels, top["received"].to_list(), projection)


def trend_sparkline(trend: pl.DataFrame, projection: bool) -> str:
    return svg.sparkline([format_month_short(m) for m in trend["month"]], trend["received"].to_list(), projection)


def may_list_cases(projection: bool) -> bool:
    """Case lists (overdue, backlog) for a role with ``view_case_list``, never on the wall screen."""
    user = gate.signed_in_user()
    return (user is not None and not projection and user.role != "projection"
            and access.can(user.role, "view_case_list"))


def _case_table(cases: pl.DataFrame, level: str, which: str, flt, area_id: int) -> None:
    if cases.is_empty():
        st.caption(t("map.panel.no_cases"))
        return
    columns = [c for c in CASE_COLUMNS if not (level == "park" and c == "park")]
    shown = cases.select(columns).rename({c: t(f"map.case.{c}") for c in columns})
    # st.dataframe draws every cell as plain text (no Markdown, no HTML). An Arrow table is sent as it
    # is; a Polars frame would go through pandas first (10-25 ms of a click for the two lists of 200).
    st.dataframe(shown.to_arrow(), hide_index=True, width="stretch", height=min(36 * (cases.height + 1) + 4, 300))
    period = downloads_ui.describe_filter(flt)
    downloads_ui.table_download(
        shown, what=f"map.{which}:{level}={area_id}:{period}",
        file_stem=f"{t(f'map.panel.{which}')}-{t(f'map.level.{level}')}{area_id}-{period.split(':')[0]}",
        key=f"w.map.download.{which}",
    )


def _leaders(panel: dict) -> None:
    st.markdown(f"**{t('map.panel.leaders')}**")
    leaders = panel["leaders"]
    if leaders.is_empty():
        st.caption(t("map.panel.no_leader"))
    for row in leaders.iter_rows(named=True):
        last = row["last_received_on"]
        when = t("map.panel.leader_last", date=last.isoformat()) if last else t("map.panel.leader_never")
        st.markdown(f"- {markdown_text(row['name'])}（{markdown_text(row['title'])}）· {when}")
    last = panel["last_reception"]
    if last is None:
        st.caption(t("map.panel.no_reception"))
    else:
        st.caption(t(
            "map.panel.last_reception", date=last["held_on"].isoformat(), leader=markdown_text(last["leader"]),
            title=markdown_text(last["title"]), kind=t(f"map.session.{last['kind']}"),
            place=markdown_text(last["place"]),
            people=last["petitioners_received"],
        ))


def _panel(flt, selected, measures: dict[str, pl.DataFrame], projection: bool) -> None:
    if selected is None:
        st.info(t("map.panel.prompt"), icon=":material/touch_app:")
        return
    level, area_id = selected
    row = next((r for r in measures[level].iter_rows(named=True) if r["id"] == area_id), None)
    if row is None:
        st.info(t("map.panel.prompt"), icon=":material/touch_app:")
        return
    st.subheader(f"{markdown_text(row['name'])} · {t(f'map.level.{level}')}")
    if not row["in_filter"]:
        st.info(t("map.panel.outside_filter"))
        return
    average = averages(measures[level])
    average_label = t(f"map.panel.average.{level}")
    tiles = PANEL_MEASURES[level]
    per_row = 2 if projection else 3  # projection's large type needs wider tiles
    for start in range(0, len(tiles), per_row):
        for column, measure in zip(st.columns(per_row), tiles[start:start + per_row], strict=True):
            with column.container(border=True):
                st.metric(t(f"map.measure.{measure}"), maps.format_value(row[measure], measure),
                          help=t(f"map.measure.{measure}.help"))
                st.caption(f"{average_label} {_format_average(average[measure], measure)}")
    st.caption(t("map.panel.average.help"))

    list_cases = may_list_cases(projection)
    panel = data_access.area_panel(flt, level, area_id, with_cases=list_cases)
    if panel is None:  # the filter changed between the two reads
        st.info(t("map.panel.outside_filter"))
        return
    st.markdown(f"**{t('map.panel.trend')}**")
    st.markdown(trend_sparkline(panel["trend"], projection), unsafe_allow_html=True)
    st.markdown(f"**{t('map.panel.categories')}**")
    if panel["categories"].is_empty():
        st.caption(t("map.panel.no_cases"))
    else:
        st.markdown(category_chart(panel["categories"], projection), unsafe_allow_html=True)
    _leaders(panel)
    if not list_cases:
        # The projection account and the wall screen: figures only. The lists were not even read.
        return
    overdue_tab, backlog_tab = st.tabs([
        f"{t('map.panel.overdue')} ({panel['overdue'].height})",
        f"{t('map.panel.backlog')} ({panel['backlog'].height})",
    ])
    with overdue_tab:
        _case_table(panel["overdue"], level, "overdue", flt, area_id)
    with backlog_tab:
        _case_table(panel["backlog"], level, "backlog", flt, area_id)
    # One listed case's petitioner: masked, shown in full with a logged click (office and leaders, never projected).
    reveal_ui.render_reveal(
        list(dict.fromkeys(panel["overdue"]["case_number"].to_list() + panel["backlog"]["case_number"].to_list())),
        key="map",
    )


def _hot_spot_list(hot: dict[str, pl.DataFrame], flt) -> None:
    st.subheader(t("map.hotspots.title"))
    # A few rows, picked in Python: on every rerun, each Polars filter or select costs more than the rows.
    flagged = [
        (row["name"], t(f"map.level.{level}"), row["observed"], row["expected"], f"{row['p_value']:.1e}")
        for level, frame in hot.items() for row in frame.iter_rows(named=True) if row["is_hot_spot"]
    ]
    if not flagged:
        st.caption(t("map.hotspots.none"))
    else:
        expected = t("map.hotspots.expected")
        shown = pl.DataFrame(flagged, orient="row", schema={
            t("map.hotspots.area"): pl.String, t("map.hotspots.level"): pl.String,
            t("map.hotspots.observed"): pl.Int64, expected: pl.Float64, t("map.hotspots.p_value"): pl.String,
        }).with_columns(pl.col(expected).round(1))
        st.dataframe(shown.to_arrow(), hide_index=True, width="stretch")
        period = downloads_ui.describe_filter(flt)
        downloads_ui.table_download(shown, what=f"map.hotspots:{period}",
                                    file_stem=f"{t('map.hotspots.title')}-{period.split(':')[0]}",
                                    key="w.map.download.hotspots")
    st.caption(t("map.hotspots.rule", months=hotspots.HISTORY_MONTHS, alpha=hotspots.ALPHA,
                 excess=hotspots.MIN_EXCESS))


def _hot_ids(hot: pl.DataFrame) -> frozenset[int]:
    return frozenset(row["id"] for row in hot.iter_rows(named=True) if row["is_hot_spot"])


def render() -> None:
    flt = filters_ui.active_filter()
    if flt is None:
        st.info(t("app.no_data"))
        return
    _init_state()
    projection = filters_ui.projection_mode()
    st.title(f"{t('map.heading')} · {format_period(flt.start, flt.end)}")
    geojson = data_access.map_geojson()
    if not geojson["township"]["features"]:
        st.info(t("map.no_boundaries"))
        return
    # The measure is read before the map is built: a change made in its widget
    # (drawn further down, beside the map) is already in the canonical key.
    measure = st.session_state[MEASURE_KEY]

    figures = data_access.map_figures(flt)
    measures = {level: figures[level]["measures"] for level in ("township", "park")}
    hot = {level: figures[level]["hot_spots"] for level in ("township", "park")}
    layers = maps.MapLayers(
        townships=geojson["township"], parks=geojson["park"],
        township_measures=measures["township"], park_measures=measures["park"],
        points=data_access.reception_points(),
        hot_townships=_hot_ids(hot["township"]),
        hot_parks=_hot_ids(hot["park"]),
    )
    settings = load_settings()
    fmap = maps.build_map(layers, measure, lang=current_language(), projection=projection,
                          tile_url=settings.tile_url, tile_attribution=settings.tile_attribution)
    selected = _selected()

    # Projection: no sidebar, so the map takes a larger share of a wider page.
    map_column, panel_column = st.columns([2, 1] if projection else [3, 2], gap="medium")
    with map_column:
        st_folium(
            fmap,
            key=MAP_KEY,
            height=760 if projection else 700,
            use_container_width=True,
            # Only a click reruns the page: panning and zooming stay in the browser.
            returned_objects=["last_active_drawing"],
            # st_folium renders the map itself; render=True would render the whole figure first, a second time.
            render=False,
            # The selection outline is swapped into the running map, which is not re-mounted.
            feature_group_to_add=maps.selection_layer(geojson[selected[0]], selected[1]) if selected else None,
            on_change=_on_map_change,
        )
        _hot_spot_list(hot, flt)
    with panel_column:
        measure_column, area_column = st.columns(2)
        with measure_column:
            _measure_selector()
        with area_column:
            _area_chooser(measures["township"], measures["park"])
        _panel(flt, selected, measures, projection)


render()
