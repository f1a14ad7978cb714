"""领导接访 Leader receptions (issue 11): the month's calendar and agenda, each leader's record, where to go next,
and the office's edits (record a held session, move or cancel a planned one, plan a visit, set the rules).

Thin: the plan, the records and the suggestions come from queries/receptions.py
through dashboard/data_access.py, their text and tables from
dashboard/reception_views.py; every edit goes through services/receptions.py
(the one write path: versioned and audited). Projection mode (the wall
screen) shows the month's calendar and the leaders' records only: no case
list, no edit control, no download, and no petitioner anywhere on this page.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import polars as pl
import streamlit as st

from config.clock import local_today
from dashboard import data_access, filters_ui, gate
from dashboard import reception_views as views
from data.reception_calendar import plan_day
from data.receptions import OPEN_STATUSES, SESSION_KINDS, ScheduleError, UnknownCaseNumbers
from queries.filters import add_months
from queries.reception_exports import schedule_title
from queries.receptions import CASE_BASES, DEFAULT_QUIET_DAYS, DEFAULT_SUGGESTION_MONTHS, sessions_by_day
from services import access
from services import receptions as schedule
from services.writes import Actor
from text.formatting import (
    format_change,
    format_count,
    format_month,
    format_period,
    format_rate,
)
from text.i18n import DASH, metric_help, t
from text.markup import markdown_text

# Session state of this page (namespaced "receptions."), initialised in _init_state only.
MONTH_KEY = "receptions.month"  # "YYYY-MM": the calendar's and the agenda's month
FLASH_KEY = "receptions.flash"  # the outcome of the last edit, shown once after the rerun
TAB_KEY = "w.receptions.tab"
MONTH_WIDGET = "w.receptions.month"
BASIS_WIDGET = "w.receptions.basis"

TABS = ("calendar", "agenda", "records", "next", "record", "rules")
OFFICE_TABS = ("record",)  # drawn only for a role that may edit the schedule
RULE_KINDS = ("monthly", "rotation", "none")
SHIFTS = ("next_working_day", "previous_working_day", "keep")
# How far the month picker reaches: back to the first case (or two years), ahead a year (next year's plan).
MONTHS_BACK, MONTHS_AHEAD = 24, 12
WHERE_FIELD = {"point": "reception_point_id", "township": "township_id", "park": "park_id"}


def _init_state(today: date) -> None:
    st.session_state.setdefault(MONTH_KEY, views.month_key(today))


def _copy(widget_key: str, canonical_key: str) -> None:
    st.session_state[canonical_key] = st.session_state[widget_key]


def _after_edit(message: str) -> None:
    # The data version is cached for a few seconds: forget it, so the rerun shows the edit at once.
    data_access.after_write()
    st.session_state[FLASH_KEY] = message
    st.rerun()


def _actor(user) -> Actor:
    return Actor(user.username, gate.client_addr())


def _refused(exc: ScheduleError) -> None:
    st.error(t("receptions.edit.refused", reason=markdown_text(exc)))


def _leader_names() -> dict[int, str]:
    return {r["leader_id"]: f"{r['name']}（{r['title']}）" for r in data_access.reception_leaders().iter_rows(named=True)}


# --- the month and the filters of the calendar and the agenda ---------------------------------


def _chosen_month(today: date, projection: bool) -> date:
    period = data_access.data_period()
    options = views.month_options(today, period[0] if period else None, MONTHS_BACK, MONTHS_AHEAD)
    if st.session_state[MONTH_KEY] not in options:
        st.session_state[MONTH_KEY] = views.month_key(today)
    if not projection:
        st.session_state[MONTH_WIDGET] = st.session_state[MONTH_KEY]
        st.selectbox(t("receptions.month"), list(reversed(options)), key=MONTH_WIDGET,
                     format_func=lambda key: views.month_label(key, today), on_change=_copy,
                     args=(MONTH_WIDGET, MONTH_KEY), help=t("receptions.month.help"))
    return views.month_start(st.session_state[MONTH_KEY])


def _session_filters(plan: pl.DataFrame, leader_col, place_col,
                     kind_col) -> tuple[tuple[int, ...], tuple[str, ...], tuple[str, ...]]:
    names = _leader_names()
    # This month's places, and any already chosen (kept while the month changes).
    places = sorted(set(plan["place"].drop_nulls().to_list())
                    | set(st.session_state.get("w.receptions.places", [])))
    leader_ids = leader_col.multiselect(t("receptions.filter.leader"), list(names), key="w.receptions.leaders",
                                        format_func=lambda i: names.get(i, str(i)), placeholder=t("filters.all"))
    chosen = place_col.multiselect(t("receptions.filter.place"), places, key="w.receptions.places",
                                   placeholder=t("filters.all"))
    kinds = kind_col.multiselect(t("receptions.filter.kind"), SESSION_KINDS, key="w.receptions.kinds",
                                 format_func=views.kind_label, placeholder=t("filters.all"))
    return tuple(sorted(leader_ids)), tuple(sorted(chosen)), tuple(k for k in SESSION_KINDS if k in kinds)


# --- calendar and agenda ------------------------------------------------------------------------


def _calendar(month: date, plan: pl.DataFrame, today: date) -> None:
    """A Monday-to-Sunday grid of the month, each day with its sessions (leader · place)."""
    by_day = sessions_by_day(plan)
    for index, column in enumerate(st.columns(7, gap="small")):
        column.markdown(f"**{t(f'receptions.weekday.{index}')}**")
    for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(month.year, month.month):
        for column, day in zip(st.columns(7, gap="small"), week, strict=True):
            # "stretch": every day of a week as tall as its busiest, so the grid stays a grid.
            with column.container(border=True, height="stretch"):
                st.markdown(views.day_markdown(day, month, by_day.get(day, []), today))
    st.caption(t("receptions.calendar.legend"))


def _provisional_notice(plan: pl.DataFrame) -> None:
    if plan.height and plan["provisional"].any():
        st.warning(t("receptions.provisional.notice"), icon=":material/event_busy:")


def _agenda(plan: pl.DataFrame) -> None:
    if plan.is_empty():
        st.caption(t("receptions.agenda.empty"))
        return
    shown = views.agenda_frame(plan)
    titles = {name: t(f"receptions.agenda.col.{name}") for name in shown.columns}
    config = {titles[name]: st.column_config.NumberColumn(help=metric_help(name))
              for name in ("petitioners_received", "cases_taken")}
    st.dataframe(shown.rename(titles), hide_index=True, width="stretch", column_config=config, placeholder="",
                 height=min(35 * (shown.height + 1) + 3, 600))


def _downloads(user, plan: pl.DataFrame, month: date) -> None:
    """The month's sheet (接访安排表) and calendar file, made on the click and audited as an export."""
    if plan.is_empty():
        return
    engine, actor = data_access.engine(), _actor(user)
    title = schedule_title(month.year, month.month)
    for column, fmt in zip(st.columns([1, 1, 3])[:2], schedule.EXPORT_FORMATS, strict=True):
        filename = t(f"receptions.download.{fmt}.file", month=views.month_key(month))

        def make(fmt=fmt, filename=filename) -> bytes:
            # Runs on the click, in a thread of its own: no Streamlit call, everything bound here.
            return schedule.export_plan(engine, plan, fmt, title=title, filename=filename, actor=actor)

        column.download_button(t(f"receptions.download.{fmt}"), data=make, file_name=filename,
                               mime=schedule.EXPORT_FORMATS[fmt], key=f"w.receptions.download.{fmt}",
                               on_click="ignore", icon=":material/download:", help=t("receptions.download.help"))


def _adjust_form(user, plan: pl.DataFrame) -> None:
    """Office only: move or cancel a session not yet held, with its reason (kept on the plan and in the files)."""
    rows = {views.occurrence_key(r): r
            for r in plan.filter(pl.col("status").is_in(OPEN_STATUSES)).iter_rows(named=True)}
    with st.expander(t("receptions.adjust.heading"), icon=":material/edit_calendar:"):
        if not rows:
            st.caption(t("receptions.adjust.none"))
            return
        with st.form("receptions.adjust"):
            key = st.selectbox(t("receptions.adjust.session"), list(rows), key="w.receptions.adjust.session",
                               format_func=lambda k: views.occurrence_label(rows[k]))
            new_date = st.date_input(t("receptions.adjust.new_date"), value=None, key="w.receptions.adjust.date")
            reason = st.text_input(t("receptions.adjust.reason"), key="w.receptions.adjust.reason", max_chars=200)
            move_col, cancel_col, _ = st.columns([1, 1, 3])
            move = move_col.form_submit_button(t("receptions.adjust.move"), type="primary")
            cancel = cancel_col.form_submit_button(t("receptions.adjust.cancel"))
    if not (move or cancel):
        return
    row = rows[key]
    if not (reason or "").strip():
        st.error(t("receptions.adjust.reason_required"))
        return
    if move and new_date is None:
        st.error(t("receptions.adjust.date_required"))
        return
    engine, rules = data_access.engine(), data_access.deadline_rules()
    try:
        if move:
            schedule.move_session(engine, row, new_date, reason, actor=_actor(user), rules=rules)
        else:
            schedule.cancel_session(engine, row, reason, actor=_actor(user), rules=rules)
    except ScheduleError as exc:
        _refused(exc)
        return
    _after_edit(t("receptions.adjust.moved" if move else "receptions.adjust.cancelled",
                  leader=markdown_text(row["leader"]), date=row["date"].isoformat(), new_date=str(new_date)))


# --- each leader's record -------------------------------------------------------------------------


def _county_rates(records: pl.DataFrame, flt) -> None:
    row = records.row(0, named=True) if records.height else {f"county_{r}": None for r in views.RECORD_RATES}
    where = t("receptions.records.county" if flt.scope.township_id is None else "receptions.records.township")
    for column, rate in zip(st.columns(4), views.RECORD_RATES, strict=False):
        with column.container(border=True):
            st.metric(f"{where}{t(f'metric.{rate}.label')}", format_rate(row[f"county_{rate}"]),
                      help=metric_help(rate))


def _records_table(records: pl.DataFrame, basis: str, projection: bool) -> None:
    if projection:
        # A data grid draws on a canvas the stylesheet cannot enlarge: on the wall, an HTML table of the
        # columns a meeting reads, under the county's rates.
        frame, _ = views.records_frame(records, basis, views.PROJECTION_RECORD_COLUMNS)
        st.table(views.escaped_table(frame), border="horizontal")
        return
    frame, helps = views.records_frame(records, basis)
    st.dataframe(frame, hide_index=True, width="stretch", height=35 * (frame.height + 1) + 3,
                 column_config={title: st.column_config.Column(help=text) for title, text in helps.items()})


def _leader_detail(flt, records: pl.DataFrame, basis: str) -> None:
    names = {r["leader_id"]: f"{r['name']}（{r['title']}）" for r in records.iter_rows(named=True)}
    if not names:
        return
    st.subheader(t("receptions.records.detail"))
    leader_id = st.selectbox(t("receptions.records.leader"), list(names), format_func=names.get,
                             key="w.receptions.detail.leader")
    row = records.filter(pl.col("leader_id") == leader_id).row(0, named=True)
    tiles = [(name, format_count(row[name]), None) for name in ("sessions_held", "petitioners_received")]
    tiles.append(("received", format_count(row[f"{basis}_received"]), None))
    tiles += [(rate, format_rate(row[f"{basis}_{rate}"]),
               format_change(row[f"{basis}_{rate}"], row[f"county_{rate}"], kind="rate"))
              for rate in views.RECORD_RATES]
    tiles += [(name, format_count(row[f"{basis}_{name}"]), None) for name in ("overdue_open", "backlog")]
    _, helps = views.records_frame(records.head(0), basis)
    for column, (name, value, change) in zip(st.columns(len(tiles)), tiles, strict=True):
        title = views.column_title(name, basis)
        with column.container(border=True):
            shown = change not in (None, DASH)
            st.metric(title, value, delta=change if shown else None, delta_arrow="off", delta_color="off",
                      delta_description=t("receptions.records.versus") if shown else None, help=helps[title])
    st.markdown(f"**{t('receptions.records.backlog', name=markdown_text(names[leader_id]))}**")
    backlog = data_access.leader_backlog(flt, leader_id)
    if backlog.is_empty():
        st.caption(t("receptions.records.backlog.none"))
        return
    titles = {name: t(f"receptions.backlog.col.{name}") for name in backlog.columns}
    st.dataframe(views.backlog_frame(backlog).rename(titles), hide_index=True, width="stretch", placeholder="",
                 column_config={titles["days_open"]: st.column_config.NumberColumn(help=t("receptions.backlog.age"))},
                 height=min(35 * (backlog.height + 1) + 3, 400))


def _records(flt, projection: bool) -> None:
    if flt is None:
        st.info(t("app.no_data"))
        return
    st.caption(t("receptions.records.caption", period=format_period(flt.start, flt.end)))
    records = data_access.leader_records(flt)
    basis = "owned"
    _county_rates(records, flt)
    if not projection:
        basis = st.segmented_control(t("receptions.records.basis"), CASE_BASES, default="owned", required=True,
                                     format_func=lambda b: t(f"receptions.records.basis.{b}"), key=BASIS_WIDGET,
                                     help=t("receptions.records.basis.help")) or "owned"
    _records_table(records, basis, projection)
    if not projection:
        _leader_detail(flt, records, basis)


# --- where to go next ---------------------------------------------------------------------------------


def _where_next(user, flt, today: date, may_edit: bool) -> None:
    if flt is None:
        st.info(t("app.no_data"))
        return
    # The rule in plain words, above what it ranks.
    st.info(t("receptions.next.rule", months=DEFAULT_SUGGESTION_MONTHS, quiet_days=DEFAULT_QUIET_DAYS),
            icon=":material/rule:")
    st.caption(t("receptions.next.as_of", date=flt.end.isoformat()))
    suggestions = data_access.visit_suggestions(flt)
    if suggestions.is_empty():
        st.caption(t("receptions.next.none"))
        return
    shown = views.suggestions_frame(suggestions)
    titles = {name: t(f"receptions.next.col.{name}") for name in shown.columns}
    help_text = t("receptions.next.received.help", months=DEFAULT_SUGGESTION_MONTHS)
    st.dataframe(shown.rename(titles), hide_index=True, width="stretch", placeholder="",
                 column_config={titles["received"]: st.column_config.NumberColumn(help=help_text)})
    if may_edit:
        _plan_visit_form(user, suggestions, today)


def _plan_visit_form(user, suggestions: pl.DataFrame, today: date) -> None:
    """Office only: one click turns a suggestion (the most urgent first) into a planned visit (下访)."""
    ordered = suggestions.sort(["due", "received"], descending=[True, True])
    rows = {f"{r['level']}:{r['id']}": r for r in ordered.iter_rows(named=True)}
    names = _leader_names()
    st.subheader(t("receptions.next.plan"))
    with st.form("receptions.plan_visit"):
        area_col, leader_col, date_col = st.columns(3)
        key = area_col.selectbox(t("receptions.next.area"), list(rows), key="w.receptions.visit.area",
                                 format_func=lambda k: views.place_label(rows[k]))
        leader_id = leader_col.selectbox(
            t("receptions.next.leader"), [None, *names], key="w.receptions.visit.leader",
            format_func=lambda i: t("receptions.next.leader.linked") if i is None else names[i])
        # The next working day (by the published holiday notice, or weekends alone where there is none).
        first_day = plan_day(today + timedelta(days=1), "next_working_day").day
        on = date_col.date_input(t("receptions.next.date"), value=first_day, key="w.receptions.visit.date")
        submitted = st.form_submit_button(t("receptions.next.submit"), type="primary", icon=":material/event:")
    if not submitted:
        return
    row = rows[key]
    leader_id = leader_id if leader_id is not None else row["linked_leader_id"]
    if leader_id is None:
        st.error(t("receptions.next.no_linked"))
        return
    try:
        schedule.schedule_visit(data_access.engine(), actor=_actor(user), rules=data_access.deadline_rules(),
                                leader_id=leader_id, on=on, level=row["level"], area_id=row["id"])
    except ScheduleError as exc:
        _refused(exc)
        return
    _after_edit(t("receptions.next.done", leader=markdown_text(names.get(leader_id, leader_id)),
                  place=markdown_text(row["name"]), date=on.isoformat()))


# --- record a held session -------------------------------------------------------------------------------


def _record_form(user, today: date) -> None:
    """Office only: a session that took place, with the cases taken at it (every number must exist)."""
    st.caption(t("receptions.record.caption"))
    names = _leader_names()
    places = {f"{r['level']}:{r['id']}": r for r in data_access.reception_places().iter_rows(named=True)}
    if not names or not places:
        st.info(t("receptions.record.no_reference"))
        return
    with st.form("receptions.record"):
        day_col, leader_col, kind_col = st.columns(3)
        held_on = day_col.date_input(t("receptions.record.date"), value=today, max_value=today,
                                     key="w.receptions.record.date")
        leader_id = leader_col.selectbox(t("receptions.record.leader"), list(names), format_func=names.get,
                                         key="w.receptions.record.leader")
        kind = kind_col.selectbox(t("receptions.record.kind"), SESSION_KINDS, format_func=views.kind_label,
                                  key="w.receptions.record.kind")
        place_col, people_col = st.columns([2, 1])
        place_key = place_col.selectbox(t("receptions.record.place"), list(places), key="w.receptions.record.place",
                                        format_func=lambda k: views.place_label(places[k]))
        people = people_col.number_input(t("receptions.record.people"), min_value=0, max_value=10_000, value=0,
                                         step=1, key="w.receptions.record.people",
                                         help=metric_help("petitioners_received"))
        numbers_text = st.text_area(t("receptions.record.cases"), key="w.receptions.record.cases",
                                    help=t("receptions.record.cases.help"), height=80)
        submitted = st.form_submit_button(t("receptions.record.submit"), type="primary", icon=":material/save:")
    if not submitted:
        return
    place = places[place_key]
    where = dict.fromkeys(WHERE_FIELD.values()) | {WHERE_FIELD[place["level"]]: place["id"]}
    numbers = schedule.split_case_numbers(numbers_text)
    try:
        schedule.record_held_session(
            data_access.engine(), actor=_actor(user), rules=data_access.deadline_rules(), held_on=held_on,
            leader_id=leader_id, kind=kind, place=place["name"], petitioners_received=int(people),
            case_numbers=numbers, **where,
        )
    except UnknownCaseNumbers as exc:
        # The one message a clerk needs: which number, and that nothing was stored.
        st.error(t("receptions.record.unknown", numbers="、".join(markdown_text(n) for n in exc.numbers)))
        return
    except ScheduleError as exc:
        _refused(exc)
        return
    _after_edit(t("receptions.record.done", leader=markdown_text(names[leader_id]), date=held_on.isoformat(),
                  people=int(people), cases=len(numbers)))


# --- the rules ----------------------------------------------------------------------------------------------


def _rules(user, may_edit: bool) -> None:
    rules = data_access.reception_rules()
    st.caption(t("receptions.rule.caption"))
    shown = views.rules_frame(rules)
    st.dataframe(shown.rename({name: t(f"receptions.rule.col.{name}") for name in shown.columns}),
                 hide_index=True, width="stretch")
    if may_edit and rules.height:
        _rule_form(user, rules)


def _rule_form(user, rules: pl.DataFrame) -> None:
    """Office only: set one leader's rule (monthly at a place, rotation over township points, or none)."""
    st.subheader(t("receptions.rule.edit"))
    current = {row["leader_id"]: row for row in rules.iter_rows(named=True)}
    names = {i: f"{r['name']}（{r['title']}）" for i, r in current.items()}
    leader_id = st.selectbox(t("receptions.rule.leader"), list(names), format_func=names.get,
                             key="w.receptions.rule.leader")
    rule = current[leader_id]
    points = data_access.reception_places().filter(pl.col("level") == "point")
    point_names = dict(zip(points["id"], points["name"], strict=True))
    township_points = {r["id"]: r["name"] for r in points.iter_rows(named=True) if r["point_kind"] != "county_centre"}
    # Keyed by leader: choosing another leader shows that leader's rule in fresh widgets.
    prefix = f"w.receptions.rule.{leader_id}"
    with st.form(f"receptions.rule.{leader_id}"):
        kind = st.radio(t("receptions.rule.kind"), RULE_KINDS, index=RULE_KINDS.index(rule["kind"]), horizontal=True,
                        format_func=lambda k: t(f"receptions.rule.kind.{k}"), key=f"{prefix}.kind")
        day_col, shift_col, from_col = st.columns(3)
        day = day_col.number_input(t("receptions.rule.day"), min_value=1, max_value=31, step=1,
                                   value=int(rule["day_of_month"] or 15), key=f"{prefix}.day",
                                   help=t("receptions.rule.day.help"))
        shift = shift_col.radio(t("receptions.rule.shift"), SHIFTS, index=SHIFTS.index(rule["shift"] or SHIFTS[0]),
                                format_func=lambda s: t(f"receptions.rule.shift.{s}"), key=f"{prefix}.shift")
        starts_on = from_col.date_input(t("receptions.rule.from"), value=rule["starts_on"], key=f"{prefix}.from",
                                        help=t("receptions.rule.from.help"))
        place_col, points_col = st.columns(2)
        ids = list(point_names)
        place = place_col.selectbox(
            t("receptions.rule.place"), ids, format_func=point_names.get, key=f"{prefix}.place",
            index=ids.index(rule["reception_point_id"]) if rule["reception_point_id"] in point_names else None,
            help=t("receptions.rule.place.help"))
        stops = points_col.multiselect(
            t("receptions.rule.points"), list(township_points), format_func=township_points.get,
            default=[p for p in rule["point_ids"] if p in township_points], key=f"{prefix}.points",
            help=t("receptions.rule.points.help"))
        start_col, end_col = st.columns(2)
        start_time = start_col.time_input(t("receptions.rule.start_time"), value=rule["start_time"], step=900,
                                          key=f"{prefix}.start")
        end_time = end_col.time_input(t("receptions.rule.end_time"), value=rule["end_time"], step=900,
                                      key=f"{prefix}.end")
        submitted = st.form_submit_button(t("receptions.rule.submit"), type="primary", icon=":material/save:")
    if not submitted:
        return
    if kind == "monthly" and place is None:
        st.error(t("receptions.rule.need_place"))
        return
    if kind == "rotation" and not stops:
        st.error(t("receptions.rule.need_points"))
        return
    try:
        schedule.set_rule(data_access.engine(), leader_id, kind, actor=_actor(user), rules=data_access.deadline_rules(),
                          day_of_month=int(day), reception_point_id=place if kind == "monthly" else None,
                          point_ids=tuple(stops) if kind == "rotation" else (), shift=shift, starts_on=starts_on,
                          ends_on=rule["ends_on"], start_time=start_time, end_time=end_time)
    except ScheduleError as exc:
        _refused(exc)
        return
    _after_edit(t("receptions.rule.done", leader=markdown_text(names[leader_id])))


# --- the page -------------------------------------------------------------------------------------------------


def render() -> None:
    user = gate.signed_in_user()
    if user is None:
        return
    today = local_today()
    _init_state(today)
    flt = filters_ui.active_filter()
    scope = access.scope_for(user)  # a township officer sees the sessions and cases of their township
    projection = filters_ui.projection_mode() or user.role == "projection"
    # Edit controls and downloads: never on the wall screen, whatever the role.
    may_edit = access.can(user.role, "edit_schedule") and not projection
    may_export = access.can(user.role, "export") and not projection
    if projection:
        month = _chosen_month(today, projection=True)
        plan = data_access.reception_plan(month, add_months(month, 0, last_day=True), scope, include_cancelled=True)
        st.title(f"{t('receptions.heading')} · {format_month(month)}")
        _provisional_notice(plan)
        _calendar(month, plan, today)
        st.subheader(t("receptions.tab.records"))
        _records(flt, projection=True)
        return

    st.title(t("receptions.heading"))
    if message := st.session_state.pop(FLASH_KEY, None):
        st.success(message)
    month_col, *filter_cols = st.columns(4)
    with month_col:
        month = _chosen_month(today, projection=False)
    month_end = add_months(month, 0, last_day=True)
    # Cancelled sessions stay on the calendar, the agenda and in the files, with their reason.
    leader_ids, places, kinds = _session_filters(
        data_access.reception_plan(month, month_end, scope, include_cancelled=True), *filter_cols)
    plan = data_access.reception_plan(month, month_end, scope, include_cancelled=True, leader_ids=leader_ids,
                                      places=places, kinds=kinds)
    _provisional_notice(plan)

    names = [name for name in TABS if may_edit or name not in OFFICE_TABS]
    # Only the open tab runs (on_change="rerun"): a tab's queries wait until someone opens it.
    tabs = dict(zip(names, st.tabs([t(f"receptions.tab.{n}") for n in names], key=TAB_KEY, on_change="rerun"),
                    strict=True))
    with tabs["calendar"]:
        if tabs["calendar"].open:
            st.subheader(format_month(month))
            _calendar(month, plan, today)
            if may_export:
                _downloads(user, plan, month)
    with tabs["agenda"]:
        if tabs["agenda"].open:
            _agenda(plan)
            if may_export:
                _downloads(user, plan, month)
            if may_edit:
                _adjust_form(user, plan)
    with tabs["records"]:
        if tabs["records"].open:
            _records(flt, projection=False)
    with tabs["next"]:
        if tabs["next"].open:
            _where_next(user, flt, today, may_edit)
    if "record" in tabs:
        with tabs["record"]:
            if tabs["record"].open:
                _record_form(user, today)
    with tabs["rules"]:
        if tabs["rules"].open:
            _rules(user, may_edit)


render()
