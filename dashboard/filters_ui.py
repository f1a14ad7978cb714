"""The global sidebar: language, projection mode and the case filters, mirrored in the URL.

Built once, in the entry script, so that every page shares it and its state
survives a page switch. State lives in namespaced session-state keys
(``ui.*``, ``flt.*``), initialised in :func:`init_state` and nowhere else.
Widgets use their own keys (``w.*``) and copy into the canonical keys when
changed: a widget's own state is dropped by Streamlit on any run that does not
draw it (projection mode hides the sidebar), the canonical keys are not.

The URL holds plain JSON-safe text (``?month=2026-10&township=3,5&lang=en&
projection=1``; a range is ``month=2026-01..2026-06``; the wall screen's
playlist is ``playlist=overview,map&every=30``); it is parsed, never
unpickled, and invalid parts are ignored and logged, never fatal: the URL is
read before the log-in gate, and the log-in form must always be reachable.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from datetime import date

import polars as pl
import streamlit as st

from config.clock import local_today
from dashboard import data_access
from data.models import CHANNEL_VALUES
from queries.filters import DIMENSIONS as FILTER_DIMENSIONS
from queries.filters import FULL_SCOPE, CaseFilter, Scope, add_months, month_end
from text.formatting import format_month
from text.i18n import DEFAULT_LANGUAGE, LANGUAGES, category_name, channel_name, set_language_source, t

# Canonical session-state keys.
LANGUAGE_KEY = "ui.lang"
PROJECTION_KEY = "ui.projection"
PERIOD_MODE_KEY = "flt.period_mode"  # "month" | "range"
MONTH_KEY = "flt.month"  # "YYYY-MM", or None for the default month
RANGE_KEY = "flt.range"  # ("YYYY-MM", "YYYY-MM"), or None for the default
ACTIVE_FILTER_KEY = "flt.active"  # the CaseFilter this run's page reads (None: no data)
URL_WRITTEN_KEY = "ui.url_written"  # the query string this module last wrote
INITIALISED_KEY = "ui.initialised"
PLAYLIST_KEY = "ui.playlist"  # page names the wall screen cycles through; () when not playing
INTERVAL_KEY = "ui.every"  # seconds each page of the playlist stays on the screen
DEFAULT_INTERVAL = 30
INTERVAL_RANGE = (10, 3600)

# Dimension filters: URL parameter, canonical key, CaseFilter field.
DIMENSIONS = tuple((d.name, f"flt.{d.name}", d.filter_field) for d in FILTER_DIMENSIONS if d.in_sidebar)
URL_PARAMS = ("month", "township", "park", "category", "channel", "unit", "lang", "projection", "playlist", "every")

STATE_DEFAULTS: dict[str, object] = {
    LANGUAGE_KEY: DEFAULT_LANGUAGE,
    PROJECTION_KEY: False,
    PERIOD_MODE_KEY: "month",
    MONTH_KEY: None,
    RANGE_KEY: None,
    **{key: () for _, key, _ in DIMENSIONS},
    PLAYLIST_KEY: (),
    INTERVAL_KEY: DEFAULT_INTERVAL,
}

log = logging.getLogger("dashboard.filters_ui")



def session_language() -> str | None:
    """The language this session chose, read by text.i18n; None outside a script run."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    return st.session_state.get(LANGUAGE_KEY)


# Every page's text follows the session's language (text/ never imports Streamlit itself).
set_language_source(session_language)

# ASCII digits only: "²" or "٣" pass str.isdigit() but not int().
_MONTH = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)
_RANGE = re.compile(r"^(\d{4}-\d{2})\.\.(\d{4}-\d{2})$", re.ASCII)
# An id of the reference tables; nine digits keep int() far from its 4,300-digit limit.
_ID = re.compile(r"^\d{1,9}$", re.ASCII)
_PAGE_NAME = re.compile(r"^[a-z_]{1,40}$", re.ASCII)
_SECONDS = re.compile(r"^\d{1,5}$", re.ASCII)
# Longer values are nobody's bookmark: ignored whole, not parsed.
MAX_PARAM_LENGTH = 1000
MAX_IDS = 200


# --- pure: URL <-> state (tested without Streamlit) -----------------------------


def _valid_month(text: str) -> str | None:
    match = _MONTH.match(text)
    if match and 1 <= int(match.group(2)) <= 12 and int(match.group(1)) >= 1900:
        return text
    return None


def _ids(text: str) -> tuple[int, ...]:
    parts = [part.strip() for part in text.split(",")[:MAX_IDS]]
    return tuple(sorted({int(part) for part in parts if _ID.match(part)}))


def _playlist(text: str) -> tuple[str, ...]:
    names = [part.strip() for part in text.split(",")[:20]]
    if any(not _PAGE_NAME.match(name) for name in names):
        _ignored("playlist", text)
    return tuple(dict.fromkeys(name for name in names if _PAGE_NAME.match(name)))


def _ignored(param: str, text: object) -> None:
    log.info("ignored URL parameter %s=%r", param, str(text)[:40])


def parse_query(params: Mapping[str, str]) -> dict[str, object]:
    """The canonical state a URL asks for; parameters absent or invalid are left out (and logged)."""
    good: dict[str, str] = {}
    for param, text in params.items():
        if isinstance(text, str) and len(text) <= MAX_PARAM_LENGTH:
            good[param] = text
        else:
            _ignored(param, text)
    try:
        return _parse_query(good)
    except Exception:  # a case the checks below missed: ignore the URL, never break the front door
        log.exception("ignored the URL parameters %r", {k: v[:40] for k, v in good.items()})
        return {}


def _parse_query(params: Mapping[str, str]) -> dict[str, object]:
    state: dict[str, object] = {}
    lang = params.get("lang")
    if lang in LANGUAGES:
        state[LANGUAGE_KEY] = lang
    elif lang is not None:
        _ignored("lang", lang)
    projection = params.get("projection")
    if projection in ("0", "1"):
        state[PROJECTION_KEY] = projection == "1"
    elif projection is not None:
        _ignored("projection", projection)
    month = (params.get("month") or "").strip()
    if _valid_month(month):
        state[PERIOD_MODE_KEY] = "month"
        state[MONTH_KEY] = month
    elif (match := _RANGE.match(month)) and _valid_month(match.group(1)) and _valid_month(match.group(2)):
        first, last = sorted((match.group(1), match.group(2)))
        state[PERIOD_MODE_KEY] = "range"
        state[RANGE_KEY] = (first, last)
    elif month:
        _ignored("month", month)
    for param, key, _ in DIMENSIONS:
        text = params.get(param)
        if text is None:
            continue
        state[key] = normalise(param, text.split(",")) if param == "channel" else _ids(text)
        if text and not state[key]:
            _ignored(param, text)
    if (text := params.get("playlist")) is not None:
        state[PLAYLIST_KEY] = _playlist(text)
    if (text := params.get("every")) is not None:
        seconds = int(text) if _SECONDS.match(text) else 0
        if INTERVAL_RANGE[0] <= seconds <= INTERVAL_RANGE[1]:
            state[INTERVAL_KEY] = seconds
        else:
            _ignored("every", text)
    return state


def normalise(param: str, values) -> tuple:
    """One order per dimension (channels as listed in the model, ids ascending), so equal filters are equal."""
    if param == "channel":
        chosen = set(values)
        return tuple(ch for ch in CHANNEL_VALUES if ch in chosen)
    return tuple(sorted({int(v) for v in values}))


def to_query(state: Mapping[str, object]) -> dict[str, str]:
    """The URL parameters for a canonical state: only what differs from the defaults, and the month."""
    params: dict[str, str] = {}
    if state.get(PERIOD_MODE_KEY) == "range" and state.get(RANGE_KEY):
        first, last = state[RANGE_KEY]
        params["month"] = f"{first}..{last}"
    elif state.get(MONTH_KEY):
        params["month"] = str(state[MONTH_KEY])
    for param, key, _ in DIMENSIONS:
        values = state.get(key) or ()
        if values:
            params[param] = ",".join(str(v) for v in values)
    if state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE) != DEFAULT_LANGUAGE:
        params["lang"] = str(state[LANGUAGE_KEY])
    if state.get(PROJECTION_KEY):
        params["projection"] = "1"
    if state.get(PLAYLIST_KEY):
        params["playlist"] = ",".join(state[PLAYLIST_KEY])
        if state.get(INTERVAL_KEY, DEFAULT_INTERVAL) != DEFAULT_INTERVAL:
            params["every"] = str(state[INTERVAL_KEY])
    return params


def month_key(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def month_start(key: str) -> date:
    year, month = key.split("-")
    return date(int(year), int(month), 1)


def month_options(period: tuple[date, date]) -> list[str]:
    """Every month of the data period, oldest first."""
    first, last = period
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(month_key(current))
        current = add_months(current, 1)
    return months


def default_month(period: tuple[date, date], today: date) -> str:
    """The last complete calendar month that has data, clamped to the data period.

    The joint-meeting office reviews last month at the start of this one, so a
    month still running is never the default.
    """
    first, last = period
    last_complete = add_months(today, -1)
    chosen = min(last.replace(day=1), last_complete)
    return month_key(max(chosen, first.replace(day=1)))


def build_filter(state: Mapping[str, object], options: list[str], default: str, scope: Scope) -> CaseFilter:
    """The CaseFilter for a canonical state; a month outside ``options`` falls back to the default."""
    if state.get(PERIOD_MODE_KEY) == "range" and state.get(RANGE_KEY):
        first, last = (m if m in options else default for m in state[RANGE_KEY])
        first, last = sorted((first, last))
    else:
        month = state.get(MONTH_KEY)
        first = last = month if month in options else default
    start, end_month = month_start(first), month_start(last)
    dims = {field: tuple(state.get(key) or ()) for _, key, field in DIMENSIONS}
    return CaseFilter(start=start, end=month_end(end_month.year, end_month.month), scope=scope, **dims)


# --- Streamlit: state, widgets, URL ------------------------------------------------


def current_state() -> dict[str, object]:
    """The canonical state of this session (what :func:`to_query` mirrors in the URL)."""
    return {key: st.session_state.get(key, default) for key, default in STATE_DEFAULTS.items()}


_state = current_state


def _our_params() -> dict[str, str]:
    return {k: v for k, v in st.query_params.to_dict().items() if k in URL_PARAMS}


def init_state() -> None:
    """Initialise every canonical key once per session, and again when the URL was changed from outside.

    A URL this module did not write (a bookmark, a shared link, an in-app link
    with parameters) sets the whole view; a URL without any of our parameters
    (say, after a page switch) leaves the current view alone.
    """
    if not st.session_state.get(INITIALISED_KEY):
        for key, default in STATE_DEFAULTS.items():
            st.session_state.setdefault(key, default)
        st.session_state[INITIALISED_KEY] = True
        st.session_state[URL_WRITTEN_KEY] = None
    params = _our_params()
    if params and params != st.session_state.get(URL_WRITTEN_KEY):
        for key, default in STATE_DEFAULTS.items():
            st.session_state[key] = default
        st.session_state.update(parse_query(params))


def write_url() -> None:
    """Mirror the canonical state in the URL, touching only our parameters, only when changed."""
    wanted = to_query(_state())
    current = _our_params()
    if wanted != current:
        for key in set(current) - set(wanted):
            del st.query_params[key]
        for key, value in wanted.items():
            if current.get(key) != value:
                st.query_params[key] = value
    st.session_state[URL_WRITTEN_KEY] = wanted


def projection_mode() -> bool:
    return bool(st.session_state.get(PROJECTION_KEY, False))


def active_filter() -> CaseFilter | None:
    """The filter the sidebar built for this run; None when the database holds no case."""
    return st.session_state.get(ACTIVE_FILTER_KEY)


def _copy(widget_key: str, canonical_key: str, convert: Callable = lambda v: v) -> None:
    st.session_state[canonical_key] = convert(st.session_state[widget_key])


def _bind(widget_key: str, canonical_key: str, value) -> dict:
    """Seed a widget from its canonical key; return the kwargs that copy it back on change."""
    st.session_state[widget_key] = value
    return {"key": widget_key, "on_change": _copy, "args": (widget_key, canonical_key)}


def _set_projection(on: bool) -> None:
    st.session_state[PROJECTION_KEY] = on


def render_exit_projection() -> None:
    """Projection hides the sidebar; this small button is the way out (as is ?projection=0).

    Drawn in the wall screen's switcher row (dashboard/wall.py), for every role but the wall screen's own.
    """
    st.button(
        t("ui.projection.exit"), key="w.ui.exit_projection", on_click=_set_projection, args=(False,),
        type="tertiary", icon=":material/close_fullscreen:",
    )


def render_display_controls() -> None:
    """Language and projection switches (sidebar); nothing in projection mode, which has no sidebar."""
    if projection_mode():
        return
    with st.sidebar:
        st.radio(
            t("ui.language"), LANGUAGES, horizontal=True, format_func=lambda lang: t(f"ui.language.{lang}"),
            **_bind("w.ui.lang", LANGUAGE_KEY, st.session_state[LANGUAGE_KEY]),
        )
        st.toggle(
            t("ui.projection"), help=t("ui.projection.help"),
            **_bind("w.ui.projection", PROJECTION_KEY, st.session_state[PROJECTION_KEY]),
        )


def _clear_dimensions() -> None:
    for _, key, _ in DIMENSIONS:
        st.session_state[key] = ()


def _names(frame, label: Callable[[dict], str]) -> dict:
    return {row["id"]: label(row) for row in frame.iter_rows(named=True)}


def _in_scope(frame: pl.DataFrame, township_column: str, scope: Scope) -> pl.DataFrame:
    if scope.township_id is None:
        return frame
    return frame.filter(pl.col(township_column) == scope.township_id)


def build_and_render_filters(scope: Scope = FULL_SCOPE, today: date | None = None) -> CaseFilter | None:
    """Draw the filters (unless in projection mode), store and return this run's CaseFilter.

    ``scope`` is what the signed-in person may see (issue 5); it goes into the
    filter and so into every cache key.
    """
    period = data_access.data_period()
    if period is None:
        st.session_state[ACTIVE_FILTER_KEY] = None
        return None
    options = month_options(period)
    default = default_month(period, today or local_today())
    reference = {
        # A township officer picks from their own township only (the query layer enforces it anyway).
        "flt.township": _names(_in_scope(data_access.townships(), "id", scope), lambda r: r["name"]),
        "flt.park": _names(_in_scope(data_access.parks(), "township_id", scope), lambda r: r["name"]),
        "flt.category": _names(
            # Complaints about officials are not even a choice for someone who may not see them.
            data_access.categories().filter(pl.lit(scope.see_accusations) | ~pl.col("is_accusation")),
            lambda r: category_name(r["code"], r["name"]),
        ),
        "flt.unit": _names(data_access.units(), lambda r: r["name"]),
        "flt.channel": {ch: channel_name(ch) for ch in CHANNEL_VALUES},
    }
    # Drop what does not exist (a stale bookmark) and clamp the period to the data.
    for _, key, _ in DIMENSIONS:
        st.session_state[key] = tuple(v for v in st.session_state[key] if v in reference[key])
    state = _state()
    flt = build_filter(state, options, default, scope)
    if state[PERIOD_MODE_KEY] == "range":
        st.session_state[RANGE_KEY] = (month_key(flt.start), month_key(flt.end))
    else:
        st.session_state[MONTH_KEY] = month_key(flt.start)

    if not projection_mode():
        # Widgets' callbacks ran before this run started: ``flt`` already holds their values.
        _render_filter_widgets(options, reference)
    st.session_state[ACTIVE_FILTER_KEY] = flt
    return flt


def _render_filter_widgets(options: list[str], reference: dict[str, dict]) -> None:
    newest_first = list(reversed(options))
    with st.sidebar:
        st.subheader(t("filters.header"))
        st.radio(
            t("filters.period_mode"), ("month", "range"), horizontal=True,
            format_func=lambda mode: t(f"filters.period_mode.{mode}"),
            **_bind("w.flt.period_mode", PERIOD_MODE_KEY, st.session_state[PERIOD_MODE_KEY]),
        )
        if st.session_state[PERIOD_MODE_KEY] == "range":
            current = st.session_state[RANGE_KEY] or (st.session_state[MONTH_KEY],) * 2
            kwargs = _bind("w.flt.range", RANGE_KEY, tuple(current))
            kwargs["args"] = ("w.flt.range", RANGE_KEY, tuple)
            st.select_slider(
                t("filters.month_range"), options=options, format_func=lambda m: format_month(month_start(m)),
                **kwargs,
            )
        else:
            current = st.session_state[MONTH_KEY]
            st.selectbox(
                t("filters.month"), newest_first, format_func=lambda m: format_month(month_start(m)),
                **_bind("w.flt.month", MONTH_KEY, current),
            )
        for param, key, _ in DIMENSIONS:
            names = reference[key]
            kwargs = _bind(f"w.{key}", key, list(st.session_state[key]))
            kwargs["args"] = (f"w.{key}", key, lambda values, param=param: normalise(param, values))
            st.multiselect(
                t(f"filters.{param}"), list(names), format_func=lambda v, names=names: names.get(v, str(v)),
                placeholder=t("filters.all"), **kwargs,
            )
        if any(st.session_state[key] for _, key, _ in DIMENSIONS):
            st.button(t("filters.reset"), key="w.flt.reset", on_click=_clear_dimensions, type="tertiary")
