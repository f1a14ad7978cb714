"""办理成效 Case outcomes: who is late, what was resolved, which unit and which leader owns the backlog.

Thin: every figure comes from queries/outcomes.py through data_access (cached
by filter, rules and data version); tables are drawn by dashboard/tables.py,
the backlog trend by dashboard/charts/svg.py. Case lists, a case's detail
and the Excel download are for roles that may see them, never on the wall
screen; the petitioner is revealed only through reveal_ui (logged).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from functools import partial

import polars as pl
import streamlit as st

from dashboard import data_access, downloads_ui, filters_ui, gate, reveal_ui, tables
from dashboard.charts import svg
from dashboard.tables import Column
from queries.league_export import league_workbook
from queries.outcomes import LEAGUE_RATES, STEPS
from services import access
from text.formatting import format_count, format_month_tick, format_period, format_rate
from text.i18n import DASH, category_name, channel_name, current_language, metric_help, metric_label, t
from text.markup import markdown_text

# Session state of this page (namespaced "outcomes."), initialised in _init_state only.
BY_KEY = "outcomes.by"
RANK_BY_KEY = "outcomes.rank_by"
CASE_KEY = "outcomes.case"
LEADERS_KEY = "outcomes.leaders"
LEAGUE_BY = ("unit", "leader", "township")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _init_state() -> None:
    st.session_state.setdefault(BY_KEY, "unit")
    st.session_state.setdefault(RANK_BY_KEY, "on_time_rate")
    st.session_state.setdefault(CASE_KEY, None)
    st.session_state.setdefault(LEADERS_KEY, ())


def _copy(widget_key: str, canonical_key: str, convert=lambda v: v) -> None:
    st.session_state[canonical_key] = convert(st.session_state[widget_key])


def _bind(widget_key: str, canonical_key: str, convert=lambda v: v) -> dict:
    """Seed a widget from its canonical key (kept while the widget is not drawn, as in projection)."""
    st.session_state[widget_key] = st.session_state[canonical_key]
    return {"key": widget_key, "on_change": _copy, "args": (widget_key, canonical_key, convert)}


def _fraction(numerator, denominator) -> str:
    return t("outcomes.fraction", n=format_count(numerator), d=format_count(denominator))


def _tile(column, label: str, value: str, help_text: str, caption: str | None = None) -> None:
    with column.container(border=True):
        st.metric(label, value, help=help_text)
        if caption:
            st.caption(caption)


def _words(prefix: str):
    return lambda value: t(f"{prefix}.{value}")


def _pick_case(case_numbers: list[str], row: int) -> None:
    st.session_state[CASE_KEY] = case_numbers[row]


# --- the owner-leader filter (包案领导: a filter of this page, not of the sidebar) ---------------


def _leader_filter(flt):
    if not filters_ui.projection_mode():
        names = dict(zip(data_access.leaders()["id"], data_access.leaders()["name"], strict=True))
        st.session_state[LEADERS_KEY] = tuple(v for v in st.session_state[LEADERS_KEY] if v in names)
        column, _ = st.columns([1, 2])
        column.multiselect(t("outcomes.leader_filter"), list(names), format_func=lambda v: names.get(v, str(v)),
                       placeholder=t("filters.all"), help=t("outcomes.leader_filter.help"),
                       **_bind("w.outcomes.leaders", LEADERS_KEY, lambda v: tuple(sorted(v))))
    leaders = tuple(st.session_state[LEADERS_KEY])
    return replace(flt, leader_ids=leaders) if leaders else flt


# --- 1. pipeline -------------------------------------------------------------------------------


def pipeline_section(flt, at, projection: bool) -> None:
    st.subheader(t("outcomes.pipeline.title"))
    frame = data_access.pipeline(flt).with_columns(
        pl.col("step").replace_strict({s: t(f"outcomes.step.{s}") for s in STEPS}).alias("step_label")
    )
    tables.show(frame, [
        Column("step_label", t("outcomes.col.step")),
        Column("taken", metric_label("step_taken"), "count", metric_help("step_taken")),
        Column("days_median", metric_label("step_days_median"), "number", metric_help("step_days_median")),
        Column("days_p90", metric_label("step_days_p90"), "number", metric_help("step_days_p90")),
        Column("stuck", metric_label("stuck"), "count", metric_help("stuck")),
    ], projection=projection, key="outcomes.pipeline")
    st.caption(t("outcomes.pipeline.caption", date=at.isoformat()))


# --- 2. deadlines ------------------------------------------------------------------------------


def _rule_set_tiles(rule_set: str, rates: dict, counts: dict, at) -> None:
    rules = data_access.deadline_rules()
    st.markdown(f"**{t(f'outcomes.rules.{rule_set}')}**")
    st.caption(t(f"outcomes.rules.{rule_set}.caption", acceptance=rules.acceptance_days,
                 conclusion=rules.conclusion_days, extension=rules.extension_days,
                 meeting=rules.first_meeting_days, feedback=rules.feedback_days,
                 first_conclusion=rules.first_conclusion_days))
    rate, numerator, denominator = {
        "statutory": ("on_time_rate", "on_time", "due_in_period"),
        "3_7_21": ("on_time_rate_3_7_21", "met_3_7_21", "due_21_in_period"),
    }[rule_set]
    suffix = "" if rule_set == "statutory" else "_3_7_21"
    a, b, c = st.columns(3)
    _tile(a, metric_label(rate), format_rate(rates[rate]), metric_help(rate),
          _fraction(rates[numerator], rates[denominator]))
    _tile(b, metric_label("overdue_now"), format_count(counts[("overdue", rule_set)]),
          metric_help(f"overdue_now{suffix}"), t("outcomes.at", date=at.isoformat()))
    _tile(c, metric_label("due_soon"), format_count(counts[("due_soon", rule_set)]), metric_help(f"due_soon{suffix}"),
          t("outcomes.until", start=at.isoformat(), end=(at + timedelta(days=7)).isoformat()))


def _case_list(frame: pl.DataFrame, which: str, total: int, key: str) -> None:
    if frame.is_empty():
        st.caption(t(f"outcomes.list.{which}.none"))
        return
    days = "days_over" if which == "overdue" else "days_left"
    numbers = frame["case_number"].to_list()
    tables.show(frame, [
        Column("case_number", t("outcomes.col.case_number")),
        Column("rule_set", t("outcomes.col.rule_set"), words=_words("outcomes.rule_set")),
        Column("step", t("outcomes.col.step_due"), words=_words("outcomes.step")),
        Column("township", t("outcomes.col.township")),
        Column("unit", t("outcomes.col.unit")),
        Column("owner_leader", t("outcomes.col.owner_leader")),
        Column("received_on", t("outcomes.col.received_on"), "date"),
        Column("due_on", t("outcomes.col.due_on"), "date"),
        Column(days, t(f"outcomes.col.{days}"), "days"),
    ], projection=False, key=key, on_select=_pick_case, select_args=(numbers,))
    if total > frame.height:
        st.caption(t("outcomes.list.truncated", shown=format_count(frame.height), total=format_count(total)))
    st.caption(t("outcomes.list.hint"))


def deadlines_section(flt, at, projection: bool, lists: bool) -> list[str]:
    """Rates and counts under both rule sets; the lists for those who may see them. Returns the listed cases."""
    st.subheader(t("outcomes.deadlines.title"))
    rates = data_access.deadline_rates(flt)
    counts = data_access.deadline_counts(flt)
    left, right = st.columns(2, gap="large")
    with left:
        _rule_set_tiles("statutory", rates, counts, at)
    with right:
        _rule_set_tiles("3_7_21", rates, counts, at)
    if not lists:
        return []
    shown = {which: data_access.deadline_cases(flt, which) for which in ("overdue", "due_soon")}
    totals = {which: sum(n for (w, _), n in counts.items() if w == which) for which in shown}
    st.caption(t("outcomes.deadlines.as_of", date=at.isoformat()))
    tabs = st.tabs([t(f"outcomes.list.{which}", n=format_count(totals[which])) for which in shown])
    for tab, (which, frame) in zip(tabs, shown.items(), strict=True):
        with tab:
            _case_list(frame, which, totals[which], key=f"outcomes.list.{which}")
    return list(dict.fromkeys(shown["overdue"]["case_number"].to_list() + shown["due_soon"]["case_number"].to_list()))


# --- 3. backlog by owner leader ------------------------------------------------------------------


def _band_labels() -> list[str]:
    rules = data_access.deadline_rules()
    edges = data_access.BACKLOG_BAND_EDGES
    lows = [rules.backlog_days + 1, *(e + 1 for e in edges)]
    labels = [t("outcomes.band.range", low=low, high=high) for low, high in zip(lows, edges, strict=False)]
    return [*labels, t("outcomes.band.over", days=edges[-1])]


def _backlog_table(flt) -> tuple[pl.DataFrame, list[str]]:
    by_leader = data_access.backlog_by(flt, "leader")
    bands = data_access.backlog_age_bands(flt, "leader")
    labels = _band_labels()
    band_columns = [f"band_{k}" for k in range(len(labels))]
    wide = by_leader
    for k, column in enumerate(band_columns):
        counts = bands.filter(pl.col("band") == k).select("id", pl.col("backlog").alias(column))
        wide = wide.join(counts, on="id", how="left", nulls_equal=True)
    wide = wide.with_columns(pl.col(band_columns).fill_null(0),
                             pl.col("name").fill_null(t("outcomes.no_leader")))
    return wide, labels


def backlog_section(flt, projection: bool) -> None:
    st.subheader(t("outcomes.backlog.title"))
    table, band_labels = _backlog_table(flt)
    previous_end = flt.start - timedelta(days=1)
    tiles = (("backlog", "backlog", t("outcomes.at", date=flt.end.isoformat())),
             ("overdue_open", "overdue_open", t("outcomes.at", date=flt.end.isoformat())),
             ("backlog_previous", "backlog_previous", t("outcomes.at", date=previous_end.isoformat())),
             ("cleared", "backlog_cleared", format_period(flt.start, flt.end)),
             ("joined", "backlog_joined", format_period(flt.start, flt.end)))
    for column, (name, metric, caption) in zip(st.columns(len(tiles)), tiles, strict=True):
        _tile(column, metric_label(metric), format_count(table[name].sum()), metric_help(metric), caption)
    left, right = st.columns([3, 2], gap="large")
    with left:
        tables.show(table, [
            Column("name", t("outcomes.col.owner_leader")),
            Column("backlog", metric_label("backlog"), "count", metric_help("backlog")),
            Column("overdue_open", metric_label("overdue_open"), "count", metric_help("overdue_open")),
            Column("backlog_previous", metric_label("backlog_previous"), "count", metric_help("backlog_previous")),
            Column("cleared", metric_label("backlog_cleared"), "count", metric_help("backlog_cleared")),
            Column("joined", metric_label("backlog_joined"), "count", metric_help("backlog_joined")),
            *(Column(f"band_{k}", label, "count", metric_help("backlog_age_band"))
              for k, label in enumerate(band_labels)),
        ], projection=projection, key="outcomes.backlog", max_height=800)
        st.caption(t("outcomes.backlog.caption"))
    with right:
        st.markdown(f"**{t('outcomes.trend.title')}**")
        trend = data_access.backlog_trend(flt)
        # The year under the first tick, unless January (the next tick) carries it anyway.
        months = [format_month_tick(m, first=(i == 0 and m.month != 12)) for i, m in enumerate(trend["month"])]
        # Inline SVG, not Plotly: building and sending the figure took 13-30 ms of every rerun.
        st.markdown(svg.count_lines(
            months, [(metric_label("backlog"), trend["backlog"].to_list()),
                     (metric_label("overdue_open"), trend["overdue_open"].to_list())],
            projection, axis_title=t("outcomes.trend.axis"),
        ), unsafe_allow_html=True)


# --- 4. outcomes ---------------------------------------------------------------------------------

OUTCOME_TILES = (
    # metric, numerator, denominator, label key (None: the metric's own)
    ("resolution_rate", "resolved", "resolution_base", None),
    ("first_time_resolution_rate", "first_time_resolved", "first_time_resolution_base", None),
    ("first_letter_resolution_rate", "first_letter_resolved", "first_letter_resolution_base", None),
    ("first_visit_resolution_rate", "first_visit_resolved", "first_visit_resolution_base", None),
    ("satisfaction_rate_office", "satisfied_office", "rated_office", "outcomes.satisfaction_office"),
    ("satisfaction_rate_unit", "satisfied_unit", "rated_unit", None),
    ("rating_rate", "rated_office", "concluded", None),
)


def outcomes_section(flt, projection: bool) -> None:
    st.subheader(t("outcomes.results.title"))
    rates = data_access.outcome_rates(flt)
    per_row = 4 if projection else 7  # projection's large figures need wider tiles
    for start in range(0, len(OUTCOME_TILES), per_row):
        row = OUTCOME_TILES[start:start + per_row]
        for column, (rate, numerator, denominator, label) in zip(st.columns(per_row), row, strict=False):
            _tile(column, t(label) if label else metric_label(rate), format_rate(rates[rate]), metric_help(rate),
                  _fraction(rates[numerator], rates[denominator]))
    levels = data_access.resolution_levels(flt).with_columns(
        pl.col("level").fill_null("none").alias("level")
    )
    left, _ = st.columns([2, 3])
    with left:
        st.markdown(f"**{t('outcomes.levels.title')}**")
        tables.show(levels, [
            Column("level", t("outcomes.col.level"), words=_words("outcomes.level")),
            Column("resolved", t("outcomes.col.resolved"), "count", metric_help("resolution_level")),
            Column("share", t("outcomes.col.share"), "rate", metric_help("resolution_level")),
        ], projection=projection, key="outcomes.levels")


# --- 5. league table ---------------------------------------------------------------------------

LEAGUE_PARTS = {
    "on_time_rate": "due_in_period",
    "resolution_rate": "resolution_base",
    "satisfaction_rate_office": "rated_office",
    "satisfaction_rate_unit": "rated_unit",
}


def league_section(flt, projection: bool, user) -> None:
    st.subheader(t("outcomes.league.title"))
    by_column, rank_column, _ = st.columns([2, 2, 3])
    with by_column:
        st.segmented_control(t("outcomes.league.by"), LEAGUE_BY, format_func=lambda v: t(f"league.name.{v}"),
                             required=True, **_bind("w.outcomes.by", BY_KEY))
    with rank_column:
        st.selectbox(t("outcomes.league.rank_by"), LEAGUE_RATES, format_func=lambda v: t(f"league.{v}"),
                     **_bind("w.outcomes.rank_by", RANK_BY_KEY))
    by, rank_by = st.session_state[BY_KEY], st.session_state[RANK_BY_KEY]
    threshold = data_access.league_min_denominator()
    frame = data_access.league_table(flt, by, rank_by)
    columns = [
        Column("rank", t("league.rank"), "rank", metric_help("league_rank")),
        Column("name", t(f"league.name.{by}")),
        Column("received", t("league.received"), "count", metric_help("received")),
    ]
    for rate, denominator in LEAGUE_PARTS.items():
        columns += [Column(rate, t(f"league.{rate}"), "rate", metric_help(rate)),
                    Column(denominator, t("outcomes.league.denominator", rate=t(f"league.{rate}")), "count",
                           t("outcomes.league.denominator.help"))]
    columns.append(Column("overdue_open", t("league.overdue_open"), "count", metric_help("overdue_open")))
    small = {rate: [d is None or d < threshold for d in frame[den].to_list()] for rate, den in LEAGUE_PARTS.items()}
    greyed = [not r for r in frame["ranked"].to_list()]
    if projection:
        tables.show(frame, columns, projection=True, key="outcomes.league", greyed=greyed, grey_cells=small)
    else:
        # At the desk an HTML table, in the order of the ranking chosen above: greyed rows and cells
        # without a pandas Styler, which cost 13-40 ms of every rerun for these 20 rows.
        st.markdown(tables.html_table(frame, columns, projection=False, mark="outcomes.league", greyed=greyed,
                                      grey_cells=small), unsafe_allow_html=True)
    st.caption(t("league.note", n=threshold))
    if projection or user is None or not access.can(user.role, "export"):
        return
    month = f"{flt.start:%Y-%m}" + ("" if (flt.start.year, flt.start.month) == (flt.end.year, flt.end.month)
                                     else f"_{flt.end:%Y-%m}")
    file_name = f"league-{by}-{month}.xlsx"
    st.download_button(
        t("outcomes.league.download"), icon=":material/download:", file_name=file_name, mime=XLSX,
        # Made on the click, not on every rerun; no file leaves without its audit entry.
        data=downloads_ui.delivered(
            data_access.engine(), user.username, gate.client_addr(), f"league:{file_name}",
            partial(league_workbook, frame, by, lang=current_language(), min_denominator=threshold),
        ),
        on_click="ignore", key="w.outcomes.download",
    )


# --- 6. one case -------------------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return t("outcomes.yes") if value else t("outcomes.no")


def case_section(flt, listed: list[str]) -> None:
    st.subheader(t("outcomes.case.title"))
    current = st.session_state[CASE_KEY]
    options = list(dict.fromkeys([*listed, *([current] if current else [])]))
    st.session_state["w.outcomes.case"] = current
    st.selectbox(t("outcomes.case.pick"), options, index=None, placeholder=t("outcomes.case.placeholder"),
                 accept_new_options=True, key="w.outcomes.case", on_change=_copy,
                 args=("w.outcomes.case", CASE_KEY, lambda v: (v or "").strip() or None))
    number = st.session_state[CASE_KEY]
    if not number:
        st.caption(t("outcomes.case.hint"))
        return
    detail = data_access.case_detail(flt, number)
    if detail is None:
        st.warning(t("outcomes.case.not_found"))
        return
    fields = [
        ("case_number", detail["case_number"]),
        ("received_on", detail["received_on"].isoformat()),
        ("channel", channel_name(detail["channel"])),
        ("first_time", _yes_no(detail["is_first_time"])),
        ("township", detail["township"] or DASH),
        ("park", detail["park"] or DASH),
        ("category", category_name(None, detail["category"]) if detail["category"] else DASH),
        ("unit", detail["unit"] or DASH),
        ("owner_leader", detail["owner_leader"] or DASH),
        ("extension", _yes_no(detail["extension_granted"])),
        ("outcome", t(f"outcomes.outcome.{detail['outcome']}") if detail["outcome"] else DASH),
        ("level", t(f"outcomes.level.{detail['resolution_level']}") if detail["resolution_level"] else DASH),
        ("satisfaction_office", t(f"outcomes.satisfaction.{detail['satisfaction_office']}")
         if detail["satisfaction_office"] else DASH),
        ("satisfaction_unit", t(f"outcomes.satisfaction.{detail['satisfaction_unit']}")
         if detail["satisfaction_unit"] else DASH),
        ("days_open", format_count(detail["days_open"]) if detail["open_at"] else t("outcomes.case.closed")),
    ]
    left, right = st.columns([1, 2], gap="large")
    with left:
        # st.table renders its cells as Markdown: names and numbers from imported files are escaped.
        st.table({t("outcomes.case.field"): [t(f"outcomes.case.{k}") for k, _ in fields],
                  t("outcomes.case.value"): [markdown_text(v) for _, v in fields]})
    with right:
        steps = detail["steps"]
        late = ("late", "overdue", "missing")
        tables.show(steps, [
            Column("step", t("outcomes.col.step"), words=_words("outcomes.step")),
            Column("on", t("outcomes.col.on"), "date"),
            Column("days_from_previous", t("outcomes.col.days_from_previous"), "days"),
            Column("days_from_received", t("outcomes.col.days_from_received"), "days"),
            Column("statutory_due_on", t("outcomes.col.statutory_due_on"), "date"),
            Column("statutory_status", t("outcomes.col.statutory_status"), words=_words("outcomes.status")),
            Column("due_3_7_21_on", t("outcomes.col.due_3_7_21_on"), "date"),
            Column("status_3_7_21", t("outcomes.col.status_3_7_21"), words=_words("outcomes.status")),
        ], projection=False, key="outcomes.case_steps", warn_cells={
            "statutory_status": [s in late for s in steps["statutory_status"].to_list()],
            "status_3_7_21": [s in late for s in steps["status_3_7_21"].to_list()],
        })
        st.caption(t("outcomes.case.caption"))
        # The petitioner: masked, shown in full with a logged click (office and leaders; never projected).
        reveal_ui.render_reveal_case(detail["case_number"], key="outcomes")


def render() -> None:
    flt = filters_ui.active_filter()
    if flt is None:
        st.info(t("app.no_data"))
        return
    _init_state()
    projection = filters_ui.projection_mode()
    user = gate.signed_in_user()
    # Case numbers, due dates and units are for the desk of a role that may list cases: never on the wall.
    lists = not projection and user is not None and access.can(user.role, "view_case_list")
    st.title(f"{t('outcomes.heading')} · {format_period(flt.start, flt.end)}")
    flt = _leader_filter(flt)
    at = data_access.as_of(flt)
    pipeline_section(flt, at, projection)
    listed = deadlines_section(flt, at, projection, lists)
    backlog_section(flt, projection)
    outcomes_section(flt, projection)
    league_section(flt, projection, user)
    if lists:
        case_section(flt, listed)


render()
