"""The only module with Streamlit caches: every page reads the database through here.

Caches are keyed by small hashable values — the database URL, the data
version, a frozen :class:`~queries.filters.CaseFilter` (which carries the
viewer's scope, so cached results never cross scopes) and the frozen deadline
rules — never by a DataFrame: Streamlit hashes only a sample of a large frame,
so a changed frame could hit a stale entry.

The data version is read with a short TTL, so an import (which bumps it) makes
every page show new figures within seconds, while a rerun on a click costs no
query at all.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import polars as pl
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from config.clock import local_today
from config.settings import DeadlineRules, load_settings, resolve_database_url
from data import db
from data.db import DatabaseUnavailable
from queries import (
    areas,
    choropleth,
    hot_words,
    metrics,
    outcomes,
    receptions,
    reference,
    report,
    rising,
    trends,
)
from queries import review as review_queries
from queries.filters import CaseFilter, Scope

# Each query cache holds at most this many results: enough for every filter a
# meeting clicks through, bounded so a long-running server cannot grow without end.
MAX_ENTRIES = 256
# How stale the data version (and so every figure after an import) may be.
VERSION_TTL_SECONDS = 5


@dataclass(frozen=True)
class DataState:
    url: str
    version: int
    is_demo: bool


def database_url() -> str:
    return resolve_database_url()


def deadline_rules() -> DeadlineRules:
    return load_settings().deadlines


def league_min_denominator() -> int:
    """Below this denominator a league table's rate is greyed and not ranked (``league_min_denominator``)."""
    return load_settings().league_min_denominator


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    # A connection pool is a resource shared by every session, not data.
    return db.shared_engine(url)


def engine() -> Engine:
    return _engine(database_url())


def _unavailable(url: str, exc: Exception) -> DatabaseUnavailable:
    shown = _engine(url).url.render_as_string(hide_password=True)
    return DatabaseUnavailable(f"cannot read the database at {shown}: {type(exc).__name__}")


@st.cache_data(ttl=VERSION_TTL_SECONDS, show_spinner=False)
def _data_state(url: str) -> tuple[int, bool]:
    eng = _engine(url)
    try:
        return db.data_version(eng), db.is_demo(eng)
    except DBAPIError as exc:  # server down, wrong URL, schema missing
        raise _unavailable(url, exc) from exc


def data_state() -> DataState:
    """The URL, data version and demo flag; raises DatabaseUnavailable if the database cannot be read."""
    url = database_url()
    version, is_demo = _data_state(url)
    return DataState(url=url, version=version, is_demo=is_demo)


def _guarded(url: str, call):
    try:
        return call()
    except DBAPIError as exc:
        raise _unavailable(url, exc) from exc


# --- reference lists (keyed by URL and data version) -------------------------


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _reference(url: str, version: int, which: str) -> pl.DataFrame:
    return _guarded(url, lambda: getattr(reference, which)(_engine(url)))


def townships() -> pl.DataFrame:
    s = data_state()
    return _reference(s.url, s.version, "townships")


def parks() -> pl.DataFrame:
    s = data_state()
    return _reference(s.url, s.version, "parks")


def categories() -> pl.DataFrame:
    s = data_state()
    return _reference(s.url, s.version, "categories")


def units() -> pl.DataFrame:
    s = data_state()
    return _reference(s.url, s.version, "units")


def leaders() -> pl.DataFrame:
    s = data_state()
    return _reference(s.url, s.version, "leaders")


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _data_period(url: str, version: int) -> tuple[date, date] | None:
    return _guarded(url, lambda: reference.data_period(_engine(url)))


def data_period() -> tuple[date, date] | None:
    """First and last ``received_on``, or None when the database holds no case."""
    s = data_state()
    return _data_period(s.url, s.version)


# --- metrics (keyed by URL, data version, filter and rules) ------------------


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _headline_change(url: str, version: int, flt: CaseFilter, rules: DeadlineRules) -> pl.DataFrame:
    return _guarded(url, lambda: metrics.headline_change(_engine(url), flt, rules))


def headline_change(flt: CaseFilter) -> pl.DataFrame:
    """Rows "current", "previous" (环比) and "year_earlier" (同比) of every headline figure."""
    s = data_state()
    return _headline_change(s.url, s.version, flt, deadline_rules())


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _monthly_trend(url: str, version: int, flt: CaseFilter, months: int, rules: DeadlineRules) -> pl.DataFrame:
    return _guarded(url, lambda: metrics.monthly_trend(_engine(url), flt, months, rules))


def monthly_trend(flt: CaseFilter, months: int = 13) -> pl.DataFrame:
    s = data_state()
    return _monthly_trend(s.url, s.version, flt, months, deadline_rules())


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _breakdown(url: str, version: int, flt: CaseFilter, by: str) -> pl.DataFrame:
    return _guarded(url, lambda: metrics.breakdown(_engine(url), flt, by))


def breakdown(flt: CaseFilter, by: str) -> pl.DataFrame:
    """``received`` by channel, township, park, category or unit: key, label, received (most first)."""
    s = data_state()
    return _breakdown(s.url, s.version, flt, by)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _area_figures(url: str, version: int, flt: CaseFilter, level: str, rules: DeadlineRules) -> pl.DataFrame:
    return _guarded(url, lambda: metrics.area_figures(_engine(url), flt, level, rules))


def area_figures(flt: CaseFilter, level: str) -> pl.DataFrame:
    s = data_state()
    return _area_figures(s.url, s.version, flt, level, deadline_rules())


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _open_case_list(
    url: str, version: int, flt: CaseFilter, which: str, rules: DeadlineRules, limit: int
) -> pl.DataFrame:
    return _guarded(url, lambda: metrics.open_case_list(_engine(url), flt, which, rules, limit))


def open_case_list(flt: CaseFilter, which: str, limit: int = 200) -> pl.DataFrame:
    s = data_state()
    return _open_case_list(s.url, s.version, flt, which, deadline_rules(), limit)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _month_report(url: str, version: int, flt: CaseFilter, rules: DeadlineRules) -> dict:
    return _guarded(url, lambda: report.month_report(_engine(url), flt, rules))


def month_report(flt: CaseFilter) -> dict:
    """The figures of ``report --month`` for the filter (the same JSON shape)."""
    s = data_state()
    return _month_report(s.url, s.version, flt, deadline_rules())


# --- map page (issue 4): boundaries, per-area measures, hot spots, the click panel ---
# Boundaries are parsed, rounded and turned into GeoJSON once per data version;
# the figures are keyed by the filter like every other query here.


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _map_geojson(url: str, version: int) -> dict[str, dict]:
    # Folium and mapclassify (scipy, scikit-learn) load with the map page only, not at every server start.
    from geo import maps

    def build():
        eng = _engine(url)
        return maps.map_geojson(areas.boundaries(eng, "township"), areas.boundaries(eng, "park"),
                                areas.reception_points(eng))

    return _guarded(url, build)


def map_geojson() -> dict[str, dict]:
    """{"township": ..., "park": ...}: small FeatureCollections of the display boundaries, labels placed."""
    s = data_state()
    return _map_geojson(s.url, s.version)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _map_figures(url: str, version: int, flt: CaseFilter, rules: DeadlineRules) -> dict[str, dict]:
    return _guarded(url, lambda: choropleth.map_figures(_engine(url), flt, rules))


def map_figures(flt: CaseFilter) -> dict[str, dict]:
    """Both levels' measures and hot spots (queries.choropleth.map_figures): one cache entry per filter.

    ``{"township": {"measures": ..., "hot_spots": ...}, "park": {...}}``. One
    entry, not four: a filter change reads the areas in scope once per level,
    and every rerun hashes the filter once for them.
    """
    s = data_state()
    return _map_figures(s.url, s.version, flt, deadline_rules())


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _reception_points(url: str, version: int) -> pl.DataFrame:
    return _guarded(url, lambda: areas.reception_points(_engine(url)))


def reception_points() -> pl.DataFrame:
    s = data_state()
    return _reception_points(s.url, s.version)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _area_panel(url: str, version: int, flt: CaseFilter, level: str, area_id: int, rules: DeadlineRules,
                with_cases: bool):
    return _guarded(url, lambda: areas.area_panel(_engine(url), flt, level, area_id, rules, with_cases=with_cases))


def area_panel(flt: CaseFilter, level: str, area_id: int, *, with_cases: bool = True) -> dict | None:
    """The click panel's data for one area, or None if the filter leaves it out (queries.areas.area_panel).

    ``with_cases=False`` (a role without ``view_case_list``, projection mode)
    reads no case list at all, and is a cache entry of its own.
    """
    s = data_state()
    return _area_panel(s.url, s.version, flt, level, area_id, deadline_rules(), with_cases)


# --- leaders' receptions (issue 11): the plan, rules, records, where to go next ---
# The plan depends on the stored rules and sessions (both bump the data version
# when edited) and on the holiday calendar (fixed for the process); records and
# suggestions on the filter (and its scope) and the deadline rules as well.


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _reception_plan(url: str, version: int, start: date, end: date, scope: Scope,
                    include_cancelled: bool) -> pl.DataFrame:
    return _guarded(url, lambda: receptions.plan_sessions(_engine(url), start, end, scope,
                                                          include_cancelled=include_cancelled))


def reception_plan(start: date, end: date, scope: Scope, *, include_cancelled: bool = False,
                   leader_ids: tuple[int, ...] = (), places: tuple[str, ...] = (),
                   kinds: tuple[str, ...] = ()) -> pl.DataFrame:
    """The sessions from ``start`` to ``end`` in the viewer's scope (queries.receptions.plan_sessions), narrowed."""
    s = data_state()
    plan = _reception_plan(s.url, s.version, start, end, scope, include_cancelled)
    # A month holds a few dozen sessions: narrowing the cached plan costs nothing.
    return receptions.select_sessions(plan, leader_ids=leader_ids, places=places, kinds=kinds)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _reception_reference(url: str, version: int, which: str) -> pl.DataFrame:
    return _guarded(url, lambda: getattr(receptions, which)(_engine(url)))


def reception_rules() -> pl.DataFrame:
    """Each leader's schedule rule (queries.receptions.reception_rules)."""
    s = data_state()
    return _reception_reference(s.url, s.version, "reception_rules")


def reception_leaders() -> pl.DataFrame:
    """Every county leader in protocol order, with the places linked to them (挂点)."""
    s = data_state()
    return _reception_reference(s.url, s.version, "leaders")


def reception_places() -> pl.DataFrame:
    """Reception points, townships and parks: where a session can be held (queries.receptions.reception_places)."""
    s = data_state()
    return _reception_reference(s.url, s.version, "reception_places")


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _leader_records(url: str, version: int, flt: CaseFilter, rules: DeadlineRules) -> pl.DataFrame:
    return _guarded(url, lambda: receptions.leader_records(_engine(url), flt, rules))


def leader_records(flt: CaseFilter) -> pl.DataFrame:
    """Each leader's sessions and cases over the filter's period, against the county's rates."""
    s = data_state()
    return _leader_records(s.url, s.version, flt, deadline_rules())


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _leader_backlog(url: str, version: int, flt: CaseFilter, leader_id: int, rules: DeadlineRules,
                    limit: int) -> pl.DataFrame:
    return _guarded(url, lambda: receptions.leader_backlog(_engine(url), flt, leader_id, rules, limit))


def leader_backlog(flt: CaseFilter, leader_id: int, limit: int = 200) -> pl.DataFrame:
    """A leader's backlog cases (积案) at the period's end, oldest first; no personal data."""
    s = data_state()
    return _leader_backlog(s.url, s.version, flt, leader_id, deadline_rules(), limit)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _visit_suggestions(url: str, version: int, flt: CaseFilter, months: int, quiet_days: int) -> pl.DataFrame:
    return _guarded(url, lambda: receptions.visit_suggestions(_engine(url), flt, months, quiet_days))


def visit_suggestions(flt: CaseFilter, months: int = receptions.DEFAULT_SUGGESTION_MONTHS,
                      quiet_days: int = receptions.DEFAULT_QUIET_DAYS) -> pl.DataFrame:
    """Where a county leader should go next, as of the filter's end (queries.receptions.visit_suggestions)."""
    s = data_state()
    return _visit_suggestions(s.url, s.version, flt, months, quiet_days)


def after_write() -> None:
    """Forget the cached data version, so the rerun after an edit reads the new one at once (not within 5 s)."""
    _data_state.clear()


# --- monthly review (issue 13) ------------------------------------------------------
# The figures are keyed like every other query, and so are the dispatch lists:
# every dispatch edit goes through the write path, which bumps the data version,
# and the page calls after_write() once it has written, so the editor sees the
# edit at once (other sessions within the version's TTL, as after an import).


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _review_base(url: str, version: int, flt: CaseFilter, rules: DeadlineRules) -> review_queries.Review:
    return _guarded(url, lambda: review_queries.review_base(_engine(url), flt, rules))


def review_base(flt: CaseFilter) -> review_queries.Review:
    """Every figure of the review of the filter's (last) month but the rising issues and the dispatch lists."""
    s = data_state()
    return _review_base(s.url, s.version, review_queries.review_month_filter(flt), deadline_rules())


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _review_rising(url: str, version: int, flt: CaseFilter) -> dict:
    return _guarded(url, lambda: review_queries.rising_part(_engine(url), flt))


def review_figures(base: review_queries.Review) -> review_queries.Review:
    """``base`` with its rising issues (seconds at a million cases the first time a month is asked for)."""
    s = data_state()
    return review_queries.with_rising(base, _review_rising(s.url, s.version, base.flt))


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _dispatch_lists(url: str, version: int, flt: CaseFilter, today: date):
    return _guarded(url, lambda: review_queries.dispatch_lists(_engine(url), flt, today))


def with_dispatch(figures: review_queries.Review, today: date) -> review_queries.Review:
    """The review with its dispatch lists as of the data version (an edit bumps it: call after_write)."""
    s = data_state()
    previous, current, as_of = _dispatch_lists(s.url, s.version, figures.flt, today)
    return replace(figures, dispatch_previous=previous, dispatch_current=current, current_as_of=as_of)


# --- monthly trends page (issue 12): series, rates, rising issues, hot words -------------------
# Rising issues and hot words are about the month of ``flt.end`` alone, and a series of N months
# ends with it: the cache key holds that month, not the filter's whole period, so "2026-01..2026-06"
# and "2026-06" share one entry.


def _latest_month(flt: CaseFilter) -> CaseFilter:
    return flt.with_period(flt.end.replace(day=1), flt.end)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _received_series(url: str, version: int, flt: CaseFilter, by: str, months: int | None, top: int) -> pl.DataFrame:
    return _guarded(url, lambda: trends.received_series(_engine(url), flt, by, months=months, top=top))


def received_series(flt: CaseFilter, by: str, months: int | None = trends.DEFAULT_MONTHS,
                    top: int = trends.DEFAULT_TOP) -> pl.DataFrame:
    """``received`` per month split by ``by`` (queries.trends.received_series); ``months=None``: the filter's period."""
    s = data_state()
    return _received_series(s.url, s.version, _latest_month(flt) if months else flt, by, months, top)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _rate_series(url: str, version: int, flt: CaseFilter, months: int | None, rules: DeadlineRules) -> pl.DataFrame:
    return _guarded(url, lambda: trends.rate_series(_engine(url), flt, months=months, rules=rules))


def rate_series(flt: CaseFilter, months: int | None = trends.DEFAULT_MONTHS) -> pl.DataFrame:
    """Each trends rate per month with numerator, denominator and the sparse flag (queries.trends.rate_series)."""
    s = data_state()
    return _rate_series(s.url, s.version, _latest_month(flt) if months else flt, months, deadline_rules())


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _rising_issues(url: str, version: int, flt: CaseFilter):
    return _guarded(url, lambda: rising.rising_issues(_engine(url), flt))


def rising_issues(flt: CaseFilter) -> rising.RisingResult:
    """The rising issues of ``flt.end``'s month (queries.rising.rising_issues): seconds at a million cases."""
    s = data_state()
    return _rising_issues(s.url, s.version, _latest_month(flt))


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _hot_words(url: str, version: int, flt: CaseFilter, limit: int) -> pl.DataFrame:
    return _guarded(url, lambda: hot_words.hot_words(_engine(url), flt, limit=limit))


def hot_word_list(flt: CaseFilter, limit: int = hot_words.DEFAULT_LIMIT) -> pl.DataFrame:
    """The hot words of ``flt.end``'s month (queries.hot_words.hot_words): milliseconds from the words stored at
    write time; seconds at 1M only while those are stale (the summaries are then cut on the request)."""
    s = data_state()
    return _hot_words(s.url, s.version, _latest_month(flt), limit)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _hot_word_cases(url: str, version: int, flt: CaseFilter, word: str, limit: int) -> pl.DataFrame:
    return _guarded(url, lambda: hot_words.hot_word_cases(_engine(url), flt, word, limit=limit))


def hot_word_cases(flt: CaseFilter, word: str, limit: int = hot_words.CASE_LIST_LIMIT) -> pl.DataFrame:
    """The cases of ``flt.end``'s month behind ``word``: case id, number and date only."""
    s = data_state()
    return _hot_word_cases(s.url, s.version, _latest_month(flt), word, limit)


# --- outcomes page (issue 10): every figure of queries/outcomes.py ------------------
# The pipeline's stuck cases and the deadline lists are "now": judged at
# today, or at the period's end for a period that is over (see as_of). That
# date is part of each key, so a list cached yesterday is not shown today.

# 积案 age bands (days open at the period's end): 91-180, 181-365, over a year.
BACKLOG_BAND_EDGES = (180, 365)


def as_of(flt: CaseFilter) -> date:
    """The date the outcomes page's "now" figures are judged at: today, or the period's end if earlier."""
    return min(local_today(), flt.end)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _pipeline(url: str, version: int, flt: CaseFilter, at: date, rules: DeadlineRules) -> pl.DataFrame:
    # The steps and where a case is stuck depend on no deadline, but the summary that answers
    # the stuck cases is read only when it was built with the rules the dashboard uses.
    return _guarded(url, lambda: outcomes.pipeline(_engine(url), flt, at=at, rules=rules))


def pipeline(flt: CaseFilter) -> pl.DataFrame:
    """Steps received -> concluded: taken in the period, days between steps, stuck at :func:`as_of`."""
    s = data_state()
    return _pipeline(s.url, s.version, flt, as_of(flt), deadline_rules())


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _period_rates(url: str, version: int, flt: CaseFilter, rules: DeadlineRules) -> dict:
    # The deadline tiles and the outcome tiles read one headline: one cache entry, one set of statements.
    return _guarded(url, lambda: outcomes.period_rates(_engine(url), flt, rules))


def deadline_rates(flt: CaseFilter) -> dict:
    """Both on-time rates with numerators and denominators, and 超期未结 at the period's end."""
    s = data_state()
    rates = _period_rates(s.url, s.version, flt, deadline_rules())
    return {key: rates[key] for key in outcomes.DEADLINE_RATE_KEYS}


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _deadline_lists(
    url: str, version: int, flt: CaseFilter, rules: DeadlineRules, at: date, within_days: int
) -> dict:
    return _guarded(url, lambda: outcomes.deadline_lists(_engine(url), flt, rules, at=at, within_days=within_days))


def deadline_cases(flt: CaseFilter, which: str, within_days: int = 7) -> pl.DataFrame:
    """Cases overdue, or due within ``within_days``, at :func:`as_of` under both rule sets (no personal data)."""
    s = data_state()
    return _deadline_lists(s.url, s.version, flt, deadline_rules(), as_of(flt), within_days)[which]


def deadline_counts(flt: CaseFilter, within_days: int = 7) -> dict[tuple[str, str], int]:
    """(which, rule set) -> how many cases the deadline lists hold in all (they show the first 1,000)."""
    s = data_state()
    return _deadline_lists(s.url, s.version, flt, deadline_rules(), as_of(flt), within_days)["counts"]


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _backlog_by(url: str, version: int, flt: CaseFilter, rules: DeadlineRules, by: str) -> pl.DataFrame:
    return _guarded(url, lambda: outcomes.backlog_by(_engine(url), flt, rules, by))


def backlog_by(flt: CaseFilter, by: str = "leader") -> pl.DataFrame:
    """积案 and 超期未结 per owner leader (or ``by``) with the backlog's flows in the period."""
    s = data_state()
    return _backlog_by(s.url, s.version, flt, deadline_rules(), by)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _backlog_age_bands(
    url: str, version: int, flt: CaseFilter, rules: DeadlineRules, band_edges: tuple[int, ...], by: str | None
) -> pl.DataFrame:
    return _guarded(url, lambda: outcomes.backlog_age_bands(_engine(url), flt, rules, band_edges, by))


def backlog_age_bands(flt: CaseFilter, by: str | None = "leader") -> pl.DataFrame:
    """积案 at the period's end by age band (:data:`BACKLOG_BAND_EDGES`), per owner leader (or ``by``)."""
    s = data_state()
    return _backlog_age_bands(s.url, s.version, flt, deadline_rules(), BACKLOG_BAND_EDGES, by)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _backlog_trend(url: str, version: int, flt: CaseFilter, rules: DeadlineRules, months: int) -> pl.DataFrame:
    return _guarded(url, lambda: outcomes.backlog_trend(_engine(url), flt, rules, months))


def backlog_trend(flt: CaseFilter, months: int = 12) -> pl.DataFrame:
    """积案 and 超期未结 at the end of each of the last ``months`` months."""
    s = data_state()
    return _backlog_trend(s.url, s.version, flt, deadline_rules(), months)


def outcome_rates(flt: CaseFilter) -> dict:
    """化解率 (all, first-time, 初信, 初访), both 满意率 and 参评率, with their numerators and denominators."""
    s = data_state()
    rates = _period_rates(s.url, s.version, flt, deadline_rules())
    return {key: rates[key] for key in outcomes.OUTCOME_COLUMNS}


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _resolution_levels(url: str, version: int, flt: CaseFilter) -> pl.DataFrame:
    return _guarded(url, lambda: outcomes.resolution_levels(_engine(url), flt))


def resolution_levels(flt: CaseFilter) -> pl.DataFrame:
    """Where the resolved cases of the 化解率 cohort were resolved: village, township, county, not recorded."""
    s = data_state()
    return _resolution_levels(s.url, s.version, flt)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _league_table(
    url: str, version: int, flt: CaseFilter, rules: DeadlineRules, by: str, min_denominator: int, rank_by: str
) -> pl.DataFrame:
    return _guarded(url, lambda: outcomes.league_table(_engine(url), flt, rules, by, min_denominator=min_denominator,
                                                       rank_by=rank_by))


def league_table(flt: CaseFilter, by: str, rank_by: str = "on_time_rate") -> pl.DataFrame:
    """Units (or owner leaders, townships) side by side, ranked among rows with enough cases."""
    s = data_state()
    return _league_table(s.url, s.version, flt, deadline_rules(), by, league_min_denominator(), rank_by)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _case_detail(
    url: str, version: int, flt: CaseFilter, case_number: str, rules: DeadlineRules, at: date
) -> dict | None:
    return _guarded(url, lambda: outcomes.case_detail(_engine(url), flt, case_number, rules, at=at))


def case_detail(flt: CaseFilter, case_number: str) -> dict | None:
    """One case's steps against both rule sets (no personal data); None if not found or outside the scope."""
    s = data_state()
    return _case_detail(s.url, s.version, flt, case_number, deadline_rules(), as_of(flt))
