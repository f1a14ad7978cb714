"""月度研判 Monthly review: last month's analysis, the dispatch list (交办单), the Word report and the briefing.

In projection mode the page is the briefing alone: one message per slide,
arrow keys or a timer to turn them, nothing personal and nothing to edit.
"""

from __future__ import annotations

import time
from datetime import date

import polars as pl
import streamlit as st

from config.clock import local_today
from dashboard import data_access, filters_ui, gate, review_docs, theme
from dashboard.briefing import briefing_slides
from dashboard.charts import review as review_charts
from data import audit
from queries import review as review_queries
from queries.filters import month_end
from services import access
from services import dispatch as dispatch_service
from services.writes import Actor
from text.formatting import format_month, format_period
from text.i18n import DASH, category_name, current_language, t
from text.markup import markdown_text

# Session state of this page (namespaced "review."), initialised in _init_state only.
SLIDE_KEY = "review.slide"
AUTO_KEY = "review.auto"
INTERVAL_KEY = "review.interval"
SLIDE_AT_KEY = "review.slide_at"  # when the slide last changed (time.monotonic)
MESSAGE_KEY = "review.message"  # (kind, text) of the last dispatch edit, shown once
TAB_KEY = "w.review.tab"  # the open tab (its label); only that tab runs
INTERVALS = (10, 20, 30, 60)
OWN_ISSUE = "own"


def _init_state() -> None:
    st.session_state.setdefault(SLIDE_KEY, 0)
    st.session_state.setdefault(AUTO_KEY, False)
    st.session_state.setdefault(INTERVAL_KEY, 20)
    st.session_state.setdefault(SLIDE_AT_KEY, time.monotonic())
    st.session_state.setdefault(MESSAGE_KEY, None)


def _table(table: review_docs.Table, *, key: str) -> None:
    """A review table as the report prints it (counts with thousands separators); st.dataframe shows text, never HTML."""
    if not table.rows:
        st.caption(t(f"review.empty.{table.key}"))
        return
    shown = [[DASH if v is None else (f"{v:,}" if isinstance(v, int) else str(v)) for v in row] for row in table.rows]
    frame = pl.DataFrame(shown, schema={h: pl.String for h in table.headers}, orient="row")
    # As an Arrow table: Streamlit sends it as it is (a Polars frame goes through pandas, ~3 ms a table here).
    st.dataframe(frame.to_arrow(), hide_index=True, width="stretch", height="content", key=key)


# --- the analysis -----------------------------------------------------------------------------------


def _rising(review: review_queries.Review, lang: str) -> None:
    _table(review_docs.rising_table(review, lang), key="review.table.rising")
    with st.expander(t("review.rule")):
        st.caption(markdown_text(review.rising_rule_zh if lang == "zh" else review.rising_rule_en))


def analysis(review: review_queries.Review, lang: str) -> None:
    """The analysis tab (the review with its rising issues)."""
    with st.container(border=True):
        st.markdown(f"**{t('review.section.summary')}**")
        st.markdown(markdown_text(review_docs.summary_paragraph(review, lang)))
    st.subheader(t("review.section.headline"))
    left, right = st.columns([2, 3])
    with left:
        _table(review_docs.headline_table(review, lang), key="review.table.headline")
    with right:
        st.plotly_chart(review_charts.trend_figure(review, lang), theme=theme.plotly_theme(False),
                        config=theme.plotly_config(False), key="review.chart.trend")

    st.subheader(t("review.section.issues"))
    volume, rise = st.columns(2)
    with volume:
        st.markdown(f"**{t('review.section.top_volume')}**")
        _table(review_docs.top_issue_table(review, lang, "volume"), key="review.table.top_volume")
    with rise:
        st.markdown(f"**{t('review.section.top_rise')}**")
        _table(review_docs.top_issue_table(review, lang, "rise"), key="review.table.top_rise")
    st.caption(t("review.doc.issue_note"))

    st.subheader(t("review.section.signals"))
    rising, spots = st.columns(2)
    with rising:
        st.markdown(f"**{t('review.section.rising')}**")
        _rising(review, lang)
    with spots:
        st.markdown(f"**{t('review.section.hot_spots')}**")
        _table(review_docs.hot_spot_table(review, lang), key="review.table.hot_spots")
        with st.expander(t("review.rule")):
            st.caption(markdown_text(review_docs.hot_spot_rule(lang)))

    st.subheader(t("review.section.states"))
    units, leaders = st.columns(2)
    with units:
        st.markdown(f"**{t('review.section.by_unit')}**")
        _table(review_docs.states_table(review, lang, "unit"), key="review.table.by_unit")
    with leaders:
        st.markdown(f"**{t('review.section.by_leader')}**")
        _table(review_docs.states_table(review, lang, "leader"), key="review.table.by_leader")

    st.subheader(t("review.section.receptions"))
    _table(review_docs.receptions_table(review, lang), key="review.table.receptions")
    st.caption(t("review.doc.receptions_note"))


# --- the dispatch list (交办单) ------------------------------------------------------------------------


def _say(kind: str, text: str) -> None:
    st.session_state[MESSAGE_KEY] = (kind, text)


def _draft(row: dict, review: review_queries.Review, lang: str) -> str:
    return t("review.dispatch.draft", month=format_month(review.month, lang), township=row["township"],
             category=row["category"], n=row["received"], change=review_docs._signed(row["change_mom"]),
             open=row["open"], overdue=row["overdue_open"])


def _issue_options(review: review_queries.Review) -> dict[str, dict]:
    """The ranking's rows a clerk may pick as an item: "v1" (most cases), "r1" (largest rise), …"""
    options: dict[str, dict] = {}
    for prefix, frame in (("v", review.top_by_volume()), ("r", review.top_by_rise())):
        for i, row in enumerate(frame.iter_rows(named=True), start=1):
            options[f"{prefix}{i}"] = row
    return options


def _on_pick(options: dict[str, dict], review: review_queries.Review, lang: str) -> None:
    # Pre-fill the form from the ranking (a callback runs before the widgets are drawn).
    picked = st.session_state.get("w.review.pick")
    row = options.get(picked)
    if row is None:
        return
    st.session_state["w.review.issue"] = _draft(row, review, lang)
    st.session_state["w.review.category"] = row["category_id"]
    st.session_state["w.review.township"] = row["township_id"]


def _pick_label(key: str, options: dict[str, dict]) -> str:
    if key == OWN_ISSUE:
        return t("review.dispatch.own")
    row = options[key]
    if key.startswith("v"):
        return t("review.dispatch.pick_volume", rank=key[1:], issue=review_charts.issue_label(row, current_language()),
                 n=row["received"])
    return t("review.dispatch.pick_rise", rank=key[1:], issue=review_charts.issue_label(row, current_language()),
             n=row["change_mom"])


def _reference_names(scope_see_accusations: bool, township_id: int | None) -> tuple[dict, dict, dict]:
    units = {r["id"]: r["name"] for r in data_access.units().iter_rows(named=True)}
    categories = {r["id"]: category_name(r["code"], r["name"]) for r in data_access.categories().iter_rows(named=True)
                  if scope_see_accusations or not r["is_accusation"]}
    townships = {r["id"]: r["name"] for r in data_access.townships().iter_rows(named=True)
                 if township_id is None or r["id"] == township_id}
    return units, categories, townships


def _write(edit, *args, **kwargs) -> None:
    """Run one dispatch edit (services/dispatch.py) and say how it went; a refusal is one line."""
    try:
        edit(data_access.engine(), *args, **kwargs)
        data_access.after_write()  # the lists are cached by data version: read the new one at once
        _say("success", t("review.dispatch.saved"))
    except ValueError as exc:  # DispatchError: one line the clerk can act on
        _say("error", t("review.dispatch.refused", reason=str(exc)))


# Writes run in the widgets' callbacks: before the section is drawn again, so the lists it then
# reads already hold the change (no second run needed, in a fragment or not).


def _on_add(actor: Actor, role: str, month: date) -> None:
    state = st.session_state
    issue, unit_id = (state.get("w.review.issue") or "").strip(), state.get("w.review.unit")
    if unit_id is None or not issue:
        _say("warning", t("review.dispatch.incomplete"))
        return
    _write(dispatch_service.add_item, actor=actor, role=role, month=month, issue=issue, unit_id=unit_id,
           due_on=state["w.review.due"], note=(state.get("w.review.note") or "").strip() or None,
           category_id=state.get("w.review.category"), township_id=state.get("w.review.township"))
    if st.session_state[MESSAGE_KEY][0] == "success":
        st.session_state[MESSAGE_KEY] = ("success", t("review.dispatch.added"))
        for key in ("w.review.issue", "w.review.note", "w.review.pick"):
            st.session_state.pop(key, None)


def _add_form(review: review_queries.Review, actor: Actor, role: str, lang: str) -> None:
    options = _issue_options(review)
    units, categories, townships = _reference_names(review.flt.scope.see_accusations, review.flt.scope.township_id)
    handed = review.handed_month
    st.session_state.setdefault("w.review.due", month_end(handed.year, handed.month))
    st.selectbox(t("review.dispatch.pick"), [OWN_ISSUE, *options], key="w.review.pick",
                 format_func=lambda k: _pick_label(k, options), on_change=_on_pick, args=(options, review, lang))
    with st.form("review.add", clear_on_submit=False, border=True):
        st.text_area(t("review.col.issue"), key="w.review.issue", max_chars=500)
        left, middle, right = st.columns(3)
        left.selectbox(t("review.col.unit"), list(units), index=None, format_func=units.get,
                       placeholder=t("review.dispatch.choose_unit"), key="w.review.unit")
        middle.date_input(t("review.col.due_on"), key="w.review.due", min_value=handed)
        right.text_input(t("review.col.note"), key="w.review.note", max_chars=500)
        left2, right2 = st.columns(2)
        left2.selectbox(t("review.col.category"), [None, *categories], key="w.review.category",
                        format_func=lambda k: t("review.dispatch.any") if k is None else categories[k])
        right2.selectbox(t("review.col.township"), [None, *townships], key="w.review.township",
                         format_func=lambda k: t("review.scope.county") if k is None else townships[k])
        st.form_submit_button(t("review.dispatch.add"), type="primary", icon=":material/add_task:",
                              on_click=_on_add, args=(actor, role, handed))


def _item_label(row: dict) -> str:
    issue = row["issue"] if len(row["issue"]) <= 40 else row["issue"][:40] + "…"
    return f"#{row['id']} {row['unit'] or DASH} · {issue}"


def _on_done(actor: Actor, role: str, item_id: int) -> None:
    _write(dispatch_service.mark_done, item_id, st.session_state["w.review.closed_on"], actor=actor, role=role)


def _on_edit(actor: Actor, role: str, row: dict) -> None:
    state, key = st.session_state, f"w.review.edit.{row['id']}"
    _write(dispatch_service.edit_item, row["id"], actor=actor, role=role, issue=state[f"{key}.issue"],
           unit_id=state[f"{key}.unit"], due_on=state[f"{key}.due"],
           note=(state.get(f"{key}.note") or "").strip() or None,
           category_id=row["category_id"], township_id=row["township_id"])


def _manage(review: review_queries.Review, actor: Actor, role: str, today: date) -> None:
    items = {row["id"]: row for frame in (review.dispatch_current, review.dispatch_previous)
             for row in frame.iter_rows(named=True)}
    if not items:
        return
    chosen = st.selectbox(t("review.dispatch.item"), list(items), format_func=lambda i: _item_label(items[i]),
                          key="w.review.item")
    row = items[chosen]
    day, done, reopen, withdraw = st.columns([2, 1, 1, 1], vertical_alignment="bottom")
    day.date_input(t("review.dispatch.closed_on"), value=today, key="w.review.closed_on", max_value=today)
    done.button(t("review.dispatch.mark_done"), key="w.review.done", icon=":material/task_alt:",
                on_click=_on_done, args=(actor, role, chosen))
    reopen.button(t("review.dispatch.reopen"), key="w.review.reopen", icon=":material/undo:",
                  on_click=_write, args=(dispatch_service.reopen, chosen), kwargs={"actor": actor, "role": role})
    withdraw.button(t("review.dispatch.withdraw"), key="w.review.withdraw", icon=":material/block:",
                    on_click=_write, args=(dispatch_service.withdraw, chosen), kwargs={"actor": actor, "role": role})
    with st.expander(t("review.dispatch.edit")):
        units, _, _ = _reference_names(review.flt.scope.see_accusations, review.flt.scope.township_id)
        key = f"w.review.edit.{chosen}"
        with st.form(key, border=False):
            st.text_area(t("review.col.issue"), value=row["issue"], max_chars=500, key=f"{key}.issue")
            left, middle, right = st.columns(3)
            unit_ids = list(units)
            left.selectbox(t("review.col.unit"), unit_ids, format_func=units.get, key=f"{key}.unit",
                           index=unit_ids.index(row["unit_id"]) if row["unit_id"] in units else 0)
            middle.date_input(t("review.col.due_on"), value=row["due_on"] or today, min_value=row["month"],
                              key=f"{key}.due")
            right.text_input(t("review.col.note"), value=row["note"] or "", max_chars=500, key=f"{key}.note")
            st.form_submit_button(t("review.dispatch.save"), icon=":material/save:", on_click=_on_edit,
                                  args=(actor, role, row))


def _slip_download(figures: review_queries.Review, review: review_queries.Review, user, lang: str,
                   today: date) -> None:
    units = dict(zip(review.dispatch_current["unit_id"].to_list(), review.dispatch_current["unit"].to_list(),
                     strict=True))
    units = {k: v for k, v in units.items() if k is not None}
    if not units:
        return
    unit_id = st.selectbox(t("review.dispatch.slip_unit"), list(units), format_func=units.get, key="w.review.slip")
    name = f"jiaoban-{review.handed_month:%Y-%m}-{unit_id}.docx"
    engine = data_access.engine()
    client = gate.client_addr()  # read now: the callable runs on another thread, outside this run
    def build() -> bytes:
        # Read when clicked, so the slip holds the list as it is then; audited like every download.
        fresh = review_queries.with_dispatch(figures, engine, today)
        audit.record(engine, username=user.username, action="download", object=f"review:{name}",
                     client_addr=client)
        return review_docs.dispatch_docx(fresh, unit_id, made_on=today, lang=lang)

    st.download_button(t("review.dispatch.slip"), data=build, file_name=name, on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       icon=":material/print:", key="w.review.slip_download")


@st.fragment
def dispatch_section(figures: review_queries.Review, user, lang: str, today: date) -> None:
    # A fragment: an edit reruns this section only, not the month's figures above.
    review = data_access.with_dispatch(figures, today)  # the lists as they are now
    message = st.session_state.get(MESSAGE_KEY)
    if message:
        getattr(st, message[0])(markdown_text(message[1]))
        st.session_state[MESSAGE_KEY] = None
    st.subheader(t("review.section.dispatch_previous"))
    counts = review_queries.dispatch_counts(review.dispatch_previous)
    if counts["total"]:
        st.markdown(t("review.dispatch.counts", **counts))
    _table(review_docs.dispatch_table(review, lang, "previous"), key="review.table.dispatch_previous")
    st.subheader(t("review.section.dispatch_current"))
    st.caption(t("review.dispatch.current_caption", month=format_month(review.handed_month, lang),
                 as_of=str(review.current_as_of)))
    _table(review_docs.dispatch_table(review, lang, "current"), key="review.table.dispatch_current")
    if access.can(user.role, "export"):
        _slip_download(figures, review, user, lang, today)
    if access.can(user.role, "edit_dispatch"):
        actor = Actor(user.username, gate.client_addr())
        st.subheader(t("review.dispatch.add_heading"))
        _add_form(review, actor, user.role, lang)
        st.subheader(t("review.dispatch.manage_heading"))
        _manage(review, actor, user.role, today)


# --- the report in one click ------------------------------------------------------------------------


def exports(figures: review_queries.Review, user, lang: str, today: date) -> None:
    """The one-click downloads of the review's figures (with their rising issues; the lists are read on click)."""
    st.markdown(t("review.export.lead"))
    engine = data_access.engine()
    is_demo = data_access.data_state().is_demo
    stem = review_docs.file_stem(figures)
    client = gate.client_addr()  # read now: the callables run on another thread, outside this run

    def docx() -> bytes:
        review = review_queries.with_dispatch(figures, engine, today)
        audit.record(engine, username=user.username, action="download", object=f"review:{stem}.docx",
                     client_addr=client)
        return review_docs.review_docx(review, made_on=today, charts=review_docs.report_charts(review, lang),
                                       is_demo=is_demo, lang=lang)

    def xlsx() -> bytes:
        review = review_queries.with_dispatch(figures, engine, today)
        audit.record(engine, username=user.username, action="download", object=f"review:{stem}.xlsx",
                     client_addr=client)
        return review_docs.review_xlsx(review, lang=lang)

    word, excel = st.columns(2)
    word.download_button(t("review.export.docx"), data=docx, file_name=f"{stem}.docx", on_click="ignore",
                         mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                         icon=":material/description:", type="primary", key="w.review.docx")
    excel.download_button(t("review.export.xlsx"), data=xlsx, file_name=f"{stem}.xlsx", on_click="ignore",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          icon=":material/table_view:", key="w.review.xlsx")
    st.caption(t("review.export.cli", month=f"{figures.month:%Y-%m}"))


# --- the briefing ---------------------------------------------------------------------------------------


def _go(step: int, n: int) -> None:
    st.session_state[SLIDE_KEY] = (st.session_state[SLIDE_KEY] + step) % n
    st.session_state[SLIDE_AT_KEY] = time.monotonic()


def _set_auto() -> None:
    st.session_state[AUTO_KEY] = st.session_state["w.review.auto"]
    st.session_state[SLIDE_AT_KEY] = time.monotonic()


def _set_interval() -> None:
    st.session_state[INTERVAL_KEY] = st.session_state["w.review.interval"]


def _slides(slides, auto: bool, interval: int) -> None:
    n = len(slides)
    if st.session_state[AUTO_KEY] != auto or st.session_state[INTERVAL_KEY] != interval:
        st.rerun()  # the timer is set where the fragment is defined: a full run sets it anew
    if auto and time.monotonic() - st.session_state[SLIDE_AT_KEY] >= interval - 0.5:
        _go(1, n)
    slide = slides[st.session_state[SLIDE_KEY] % n]
    with st.container(key="review-slide"):
        st.markdown(f"## {markdown_text(slide.title)}")
        st.markdown(f"# {markdown_text(slide.message)}")
        if slide.points:
            st.markdown("\n".join(f"- {markdown_text(point)}" for point in slide.points))
    with st.container(key="review-pager", horizontal=True, vertical_alignment="center"):
        st.button(t("review.briefing.previous"), key="w.review.previous", on_click=_go, args=(-1, n),
                  shortcut="Left", icon=":material/arrow_back:", type="tertiary")
        st.caption(t("review.briefing.position", i=st.session_state[SLIDE_KEY] % n + 1, n=n))
        st.button(t("review.briefing.next"), key="w.review.next", on_click=_go, args=(1, n),
                  shortcut="Right", icon=":material/arrow_forward:", type="tertiary")
        st.session_state["w.review.auto"] = st.session_state[AUTO_KEY]
        st.toggle(t("review.briefing.auto"), key="w.review.auto", on_change=_set_auto)
        st.session_state["w.review.interval"] = st.session_state[INTERVAL_KEY]
        st.selectbox(t("review.briefing.interval"), INTERVALS, key="w.review.interval", on_change=_set_interval,
                     format_func=lambda s: t("review.briefing.seconds", n=s), label_visibility="collapsed",
                     width=160)


def briefing(review: review_queries.Review, lang: str) -> None:
    theme.apply_briefing()
    slides = briefing_slides(review, lang)
    auto, interval = bool(st.session_state[AUTO_KEY]), int(st.session_state[INTERVAL_KEY])
    st.fragment(_slides, run_every=interval if auto else None)(slides, auto, interval)


# --- the page --------------------------------------------------------------------------------------------


def render() -> None:
    _init_state()
    user = gate.signed_in_user()
    # The navigation lists this page for permitted roles only; the check here holds even if it did not.
    if user is None or not access.can(user.role, "view_review"):
        st.error(t("access.denied"))
        return
    flt = filters_ui.active_filter()
    if flt is None:
        st.info(t("app.no_data"))
        return
    lang = current_language()
    today = local_today()
    with st.spinner(t("review.loading")):
        base = data_access.review_base(flt)
        # The rising issues of the county's last 13 months are stored by the write path (a few
        # milliseconds to read); another month or a sidebar filter is fitted here (0.1-0.3 s).
        figures = data_access.review_figures(base)
    if filters_ui.projection_mode():
        briefing(data_access.with_dispatch(figures, today), lang)
        return
    st.title(markdown_text(review_docs.review_title(figures, lang)))
    previous, earlier = figures.flt.previous_period(), figures.flt.year_earlier()
    st.caption(t("review.caption", previous=format_period(previous.start, previous.end),
                 earlier=format_period(earlier.start, earlier.end), handed=format_month(figures.handed_month)))
    if flt.start != figures.flt.start:
        st.info(t("review.range_note", month=format_month(figures.month)))
    # Only the open tab runs (as on the receptions page): a month change with the analysis open does
    # not draw the dispatch list's forms and tables too (a third of the page's drawing).
    analysis_tab, dispatch_tab, export_tab = st.tabs(
        [t("review.tab.analysis"), t("review.tab.dispatch"), t("review.tab.export")], key=TAB_KEY,
        on_change="rerun")
    with analysis_tab:
        if analysis_tab.open:
            # Its summary says how the dispatch lists stand: read here, the dispatch tab reads its own.
            analysis(data_access.with_dispatch(figures, today), lang)
    with dispatch_tab:
        if dispatch_tab.open:
            dispatch_section(figures, user, lang, today)
    with export_tab:
        if export_tab.open:
            if access.can(user.role, "export"):
                exports(figures, user, lang, today)
            st.button(t("review.briefing.start"), key="w.review.start_briefing", icon=":material/slideshow:",
                      on_click=_start_briefing)


def _start_briefing() -> None:
    st.session_state[SLIDE_KEY] = 0
    st.session_state[filters_ui.PROJECTION_KEY] = True


render()
