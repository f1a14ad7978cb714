"""Roles, permissions and the scope rule, proved against every query function in queries/.

The scope is applied by the query layer (queries/metrics.py); these tests
check from the outside that a township officer's filter yields only their
township, whatever township the filter asks for (the scope wins), and that
complaints about officials reach only the office and county leaders.
"""

import importlib
import inspect
import pkgutil
from dataclasses import replace
from datetime import date

import polars as pl
import pytest
from scoped_county import (
    ACCUSATION,
    LABOUR,
    MARCH,
    OVERDUE_AT_MARCH_END,
    PARK_NAMES,
    RECEIVED_MARCH,
    T1,
    T2,
    TOWNSHIP_NAMES,
    build_scoped_county,
)

import queries
from config.settings import DeadlineRules
from data.db import bump_data_version
from queries import (
    areas,
    case_words,
    choropleth,
    hot_words,
    hotspots,
    metrics,
    outcomes,
    report,
    review,
    rising,
    summary,
    trends,
)
from queries.filters import CaseFilter, Scope, add_months
from services import access
from services.auth import UserInfo

SCOPES = {
    "full": Scope(),
    "township1": Scope(township_id=T1, see_accusations=False),
    "township2": Scope(township_id=T2, see_accusations=False),
    "no_accusations": Scope(township_id=None, see_accusations=False),
}


@pytest.fixture
def county(engine):
    build_scoped_county(engine)
    return engine


@pytest.fixture(params=["raw", "summary"])
def county_source(request, county):
    """The county and the metrics source to force: the cases table, or the monthly summary tables."""
    if request.param == "summary":
        with county.begin() as conn:
            bump_data_version(conn)
            summary.refresh_summary(conn)
    return county, request.param

RULES = DeadlineRules()


def flt(scope_name: str, **kwargs) -> CaseFilter:
    return replace(MARCH, scope=SCOPES[scope_name], **kwargs)


# --- roles and permissions ------------------------------------------------------

EXPECTED_PERMISSIONS = {
    # action: (leader, office, township, projection)
    "view_figures": (True, True, True, True),
    # The monthly review: a township officer's is their township's, the wall screen's is the briefing.
    "view_review": (True, True, True, True),
    "view_case_list": (True, True, True, False),
    "reveal_personal_data": (True, True, False, False),
    "export": (True, True, True, False),
    "export_personal_data": (False, True, False, False),
    "import": (False, True, False, False),
    "edit_schedule": (False, True, False, False),
    "edit_dispatch": (False, True, False, False),
    "admin_users": (False, True, False, False),
    "view_audit": (False, True, False, False),
}


@pytest.mark.parametrize("action", sorted(EXPECTED_PERMISSIONS))
def test_permission_table(action):
    roles = ("leader", "office", "township", "projection")
    assert tuple(access.can(role, action) for role in roles) == EXPECTED_PERMISSIONS[action]
    assert access.can(None, action) is False
    assert access.can("admin", action) is False


def test_every_action_is_in_the_expected_table():
    assert set(access.ACTIONS) == set(EXPECTED_PERMISSIONS)


def test_unknown_action_raises_instead_of_guessing():
    with pytest.raises(ValueError):
        access.can("office", "reveal_personal_date")


def test_require_raises_access_denied():
    access.require("office", "import")
    with pytest.raises(access.AccessDenied):
        access.require("township", "import")


def _user(role, township_id=None):
    return UserInfo(id=1, username="u", role=role, township_id=township_id)


@pytest.mark.parametrize(
    ("role", "township_id", "expected"),
    [
        ("leader", None, Scope(None, True)),
        ("office", None, Scope(None, True)),
        ("township", 7, Scope(7, False)),
        ("projection", None, Scope(None, False)),
    ],
)
def test_scope_for_each_role(role, township_id, expected):
    assert access.scope_for(_user(role, township_id)) == expected


def test_township_officer_without_a_township_is_refused():
    with pytest.raises(access.AccessDenied):
        access.scope_for(_user("township", None))


def test_unknown_role_is_refused():
    with pytest.raises(access.AccessDenied):
        access.scope_for(_user("superuser"))


def test_filters_with_different_scopes_are_different_cache_keys():
    a, b = flt("full"), flt("township1")
    assert a != b and hash(a) != hash(b)


@pytest.mark.parametrize(
    ("requested", "scope", "expected"),
    [
        ((), Scope(), ()),
        ((1, 2), Scope(), (1, 2)),
        ((), Scope(3, False), (3,)),
        ((2, 3), Scope(3, False), (3,)),
        ((2,), Scope(3, False), None),
    ],
)
def test_effective_township_ids(requested, scope, expected):
    assert access.effective_township_ids(requested, scope) == expected


# --- the scope in every query -------------------------------------------------------

# Every query function taking a CaseFilter, and the test below that proves it honours the scope.
SCOPE_TESTED = {
    "queries.metrics.headline",
    "queries.metrics.headline_change",
    "queries.metrics.monthly_trend",
    "queries.metrics.breakdown",
    "queries.metrics.area_figures",
    "queries.metrics.area_figures_change",
    "queries.metrics.open_case_list",
    "queries.report.month_report",
    "queries.areas.areas_in_scope",
    "queries.areas.area_measures",
    "queries.areas.area_trend",
    "queries.areas.area_categories",
    "queries.areas.area_open_cases",
    "queries.hotspots.monthly_counts",
    "queries.hotspots.hot_spots",
    "queries.hotspots.flagged",
    "queries.choropleth.map_figures",
    "queries.areas.area_panel",
    # The monthly summary answers metrics' figures: proved through metrics(..., source="summary") above.
    "queries.summary.period_counts",
    "queries.summary.breakdown_rows",
    "queries.metrics.received_by_month",
    "queries.summary.received_by_month_rows",
    "queries.metrics.received_by_month_split",
    "queries.summary.received_by_month_split_rows",
    # Proved in tests/queries/test_receptions.py (a township officer's scope, complaints about officials hidden).
    "queries.receptions.leader_records",
    "queries.receptions.visit_suggestions",
    # The outcomes page (tests below, on the scoped county).
    "queries.outcomes.pipeline",
    "queries.outcomes.deadline_rates",
    "queries.outcomes.deadline_cases",
    "queries.outcomes.deadline_lists",
    "queries.outcomes.deadline_counts",
    "queries.outcomes.backlog_by",
    "queries.outcomes.backlog_age_bands",
    "queries.outcomes.backlog_trend",
    "queries.outcomes.outcome_rates",
    "queries.outcomes.period_rates",
    "queries.outcomes.resolution_levels",
    "queries.outcomes.league_table",
    "queries.outcomes.case_detail",
    "queries.outcomes.grouping_values",
    "queries.metrics.grouped_figures",
    "queries.metrics.grouped_counts",
    "queries.report.month_report_rows",
    # The trends page (tests below; the township scope also in tests/queries/test_rising.py and test_hot_words.py).
    "queries.trends.received_series",
    "queries.trends.received_changes",
    "queries.trends.rate_series",
    "queries.rising.rising_issues",
    "queries.rising.stored_rising_issues",
    "queries.hot_words.hot_words",
    "queries.hot_words.hot_word_cases",
    # The monthly review: a township officer's top issues, states, receptions and dispatch lists, and no
    # complaint about an official, in tests/queries/test_review.py.
    "queries.review.top_issues",
    "queries.review.states_by",
    "queries.review.month_end_states",  # below
    "queries.review.reception_outcomes",
    "queries.review.dispatch_list",
    "queries.review.dispatch_lists",
    "queries.review.review_figures",
    "queries.review.review_base",
    "queries.review.rising_part",  # queries.rising.rising_issues, tested below
    "queries.review.build_review",
}


def _query_functions_taking_a_filter() -> set[str]:
    found = set()
    for info in pkgutil.iter_modules(queries.__path__):
        module = importlib.import_module(f"queries.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            params = inspect.signature(fn).parameters
            if "flt" in params and "engine" in params:
                found.add(f"{module.__name__}.{name}")
    return found


def test_every_query_taking_a_filter_has_a_scope_test():
    missing = _query_functions_taking_a_filter() - SCOPE_TESTED
    assert not missing, (
        f"query functions without a scope test: {sorted(missing)}; "
        "add a case to tests/dashboard/test_access.py proving a township scope and the accusation rule"
    )


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_headline(county_source, scope_name):
    county, source = county_source
    row = metrics.headline(county, flt(scope_name), source=source).row(0, named=True)
    assert row["received"] == RECEIVED_MARCH[scope_name]
    assert row["overdue_open"] == len(OVERDUE_AT_MARCH_END[scope_name])
    assert row["backlog"] == len(OVERDUE_AT_MARCH_END[scope_name])
    assert row["concluded"] == {"full": 1, "township1": 1, "township2": 0, "no_accusations": 1}[scope_name]


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_headline_change(county_source, scope_name):
    county, source = county_source
    frame = metrics.headline_change(county, flt(scope_name), source=source)
    assert frame["period"].to_list() == ["current", "previous", "year_earlier"]
    assert frame["received"].to_list() == [RECEIVED_MARCH[scope_name], 0, 0]


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_monthly_trend(county_source, scope_name):
    county, source = county_source
    frame = metrics.monthly_trend(county, flt(scope_name), source=source)
    by_month = dict(zip(frame["month"].to_list(), frame["received"].to_list(), strict=True))
    october = {"full": 3, "township1": 1, "township2": 1, "no_accusations": 2}[scope_name]
    assert by_month[MARCH.start] == RECEIVED_MARCH[scope_name]
    assert by_month[MARCH.start.replace(year=2025, month=10)] == october
    assert sum(by_month.values()) == RECEIVED_MARCH[scope_name] + october
    assert frame.filter(frame["month"] == MARCH.start)["overdue_open"].item() == len(OVERDUE_AT_MARCH_END[scope_name])


BREAKDOWNS = {
    "township": {
        "full": {TOWNSHIP_NAMES[T1]: 4, TOWNSHIP_NAMES[T2]: 4},
        "township1": {TOWNSHIP_NAMES[T1]: 2},
        "township2": {TOWNSHIP_NAMES[T2]: 3},
        "no_accusations": {TOWNSHIP_NAMES[T1]: 2, TOWNSHIP_NAMES[T2]: 3},
    },
    "category": {
        "full": {"劳动社保": 6, "纪检监察": 2},
        "township1": {"劳动社保": 2},
        "township2": {"劳动社保": 3},
        "no_accusations": {"劳动社保": 5},
    },
    "park": {
        "full": {PARK_NAMES[1]: 1, PARK_NAMES[2]: 1},
        "township1": {PARK_NAMES[1]: 1},
        "township2": {PARK_NAMES[2]: 1},
        "no_accusations": {PARK_NAMES[1]: 1, PARK_NAMES[2]: 1},
    },
    "channel": {
        "full": {"letter": 5, "visit": 1, "phone": 1, "online": 1},
        "township1": {"letter": 1, "visit": 1},
        "township2": {"letter": 1, "phone": 1, "online": 1},
        "no_accusations": {"letter": 2, "visit": 1, "phone": 1, "online": 1},
    },
    "unit": {
        "full": {"县人社局": 2},
        "township1": {"县人社局": 1},
        "township2": {"县人社局": 1},
        "no_accusations": {"县人社局": 2},
    },
}


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
@pytest.mark.parametrize("by", sorted(BREAKDOWNS))
def test_breakdown(county_source, by, scope_name):
    county, source = county_source
    frame = metrics.breakdown(county, flt(scope_name), by, source=source)
    assert dict(zip(frame["label"].to_list(), frame["received"].to_list(), strict=True)) == BREAKDOWNS[by][scope_name]


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_area_figures_by_township(county_source, scope_name):
    county, source = county_source
    frame = metrics.area_figures(county, flt(scope_name), "township", source=source)
    received = {name: n for name, n in zip(frame["name"].to_list(), frame["received"].to_list(), strict=True) if n}
    assert received == BREAKDOWNS["township"][scope_name]
    if scope_name.startswith("township"):
        assert frame.height == 1  # another township is not even listed


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_area_figures_by_park(county_source, scope_name):
    county, source = county_source
    frame = metrics.area_figures(county, flt(scope_name), "park", source=source)
    received = {name: n for name, n in zip(frame["name"].to_list(), frame["received"].to_list(), strict=True) if n}
    assert received == BREAKDOWNS["park"][scope_name]


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
@pytest.mark.parametrize("level", ["township", "park"])
def test_area_figures_change(county_source, level, scope_name):
    county, source = county_source
    frame = metrics.area_figures_change(county, flt(scope_name), level, source=source)
    assert frame["period"].unique(maintain_order=True).to_list() == ["current", "previous", "year_earlier"]
    current = frame.filter(frame["period"] == "current")
    received = {i: n for i, n in zip(current["id"].to_list(), current["received"].to_list(), strict=True) if n}
    assert received == AREA_RECEIVED[(level, scope_name)]
    # October 2025 holds cases: it is November's previous month and October 2026's year earlier.
    october = {"full": 3, "township1": 1, "township2": 1, "no_accusations": 2}[scope_name]
    for month, period in ((date(2025, 11, 1), "previous"), (date(2026, 10, 1), "year_earlier")):
        f = flt(scope_name, start=month, end=add_months(month, 0, last_day=True))
        rows = metrics.area_figures_change(county, f, level, source=source)
        compared = rows.filter(rows["period"] == period).drop("period")
        if level == "township":
            assert compared["received"].sum() == october
        expected = metrics.area_figures(county, f.previous_period() if period == "previous" else f.year_earlier(),
                                        level, source=source)
        assert compared.equals(expected)
        if scope_name.startswith("township") and level == "township":
            assert compared["id"].to_list() == [SCOPES[scope_name].township_id]  # no other township listed


def test_area_figures_by_park_lists_only_the_townships_parks(county):
    frame = metrics.area_figures(county, flt("township1"), "park")
    assert frame["name"].to_list() == [PARK_NAMES[1]]


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
@pytest.mark.parametrize("which", ["overdue", "backlog"])
def test_open_case_list(county, which, scope_name):
    frame = metrics.open_case_list(county, flt(scope_name), which)
    assert frame["case_number"].to_list() == OVERDUE_AT_MARCH_END[scope_name]


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_month_report(county, scope_name):
    result = report.month_report(county, flt(scope_name))
    assert result["received"] == RECEIVED_MARCH[scope_name]
    assert result["by_township"] == BREAKDOWNS["township"][scope_name]
    assert result["by_category"] == BREAKDOWNS["category"][scope_name]
    assert result["by_park"] == BREAKDOWNS["park"][scope_name]
    assert result["overdue_open"] == len(OVERDUE_AT_MARCH_END[scope_name])


# --- the map's queries (queries/areas.py, queries/hotspots.py) ---------------------------

AREA_RECEIVED = {  # (level, scope) -> {area id: received in March}, from the fixture's table
    ("township", "full"): {1: 4, 2: 4},
    ("township", "township1"): {1: 2},
    ("township", "township2"): {2: 3},
    ("township", "no_accusations"): {1: 2, 2: 3},
    ("park", "full"): {1: 1, 2: 1},
    ("park", "township1"): {1: 1},
    ("park", "township2"): {2: 1},
    ("park", "no_accusations"): {1: 1, 2: 1},
}


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
@pytest.mark.parametrize("level", ["township", "park"])
def test_areas_in_scope(county, level, scope_name):
    frame = areas.areas_in_scope(county, flt(scope_name), level)
    expected_ids = {"township1": [1], "township2": [2]}.get(scope_name, [1, 2])
    assert sorted(frame["id"].to_list()) == expected_ids


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
@pytest.mark.parametrize("level", ["township", "park"])
def test_area_measures(county, level, scope_name):
    frame = areas.area_measures(county, flt(scope_name), level)
    assert dict(zip(frame["id"].to_list(), frame["received"].to_list(), strict=True)) == AREA_RECEIVED[
        (level, scope_name)
    ]


@pytest.mark.parametrize("scope_name", ["township1", "no_accusations", "full"])
def test_area_click_panel_queries(county, scope_name):
    f = flt(scope_name)
    own = areas.area_trend(county, f, "township", T1)
    october = {"township1": 1, "no_accusations": 1, "full": 2}[scope_name]
    assert own["received"].sum() == AREA_RECEIVED[("township", scope_name)][T1] + october
    categories = areas.area_categories(county, f, "township", T1)
    assert dict(zip(categories["label"].to_list(), categories["received"].to_list(), strict=True)) == (
        {"劳动社保": 2} if scope_name != "full" else {"劳动社保": 3, "纪检监察": 1}
    )
    overdue = areas.area_open_cases(county, f, "township", T1, "overdue")
    assert overdue["case_number"].to_list() == (["T1-OLD"] if scope_name != "full" else ["T1-OLD", "T1-OLD-ACC"])


@pytest.mark.parametrize("scope_name", ["township1", "full"])
def test_area_panel(county, scope_name):
    panel = areas.area_panel(county, flt(scope_name), "township", T1)
    assert panel["trend"]["received"].sum() == {"township1": 2 + 1, "full": 4 + 2}[scope_name]
    assert panel["overdue"]["case_number"].to_list() == (
        ["T1-OLD"] if scope_name == "township1" else ["T1-OLD", "T1-OLD-ACC"]
    )
    assert panel["backlog"]["case_number"].to_list() == panel["overdue"]["case_number"].to_list()
    assert set(panel["categories"]["label"].to_list()) == (
        {"劳动社保"} if scope_name == "township1" else {"劳动社保", "纪检监察"}
    )
    other = areas.area_panel(county, flt("township1"), "township", T2)
    assert other is None or (other["trend"]["received"].sum() == 0 and other["overdue"].height == 0
                             and other["backlog"].height == 0 and other["categories"].height == 0)


def test_area_click_panel_of_another_township_is_empty_for_a_township_officer(county):
    f = flt("township1")
    assert areas.area_trend(county, f, "township", T2)["received"].sum() == 0
    assert areas.area_categories(county, f, "township", T2).height == 0
    for which in ("overdue", "backlog"):
        assert areas.area_open_cases(county, f, "township", T2, which).height == 0
    assert areas.area_open_cases(county, f, "park", 2, "overdue").height == 0


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_received_by_month(county_source, scope_name):
    county, source = county_source
    frame = metrics.received_by_month(county, flt(scope_name), "township", source=source)
    assert {r["key"]: r["received"] for r in frame.iter_rows(named=True)} == AREA_RECEIVED[("township", scope_name)]


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_received_by_month_split(county_source, scope_name):
    county, source = county_source
    frame = metrics.received_by_month_split(county, flt(scope_name), "category",
                                            [(None, None), ("township", None), ("park", None)], source=source)
    march = frame.filter(frame["month"] == MARCH.start)
    got = {(r["split"], r["key"], r["member"]): r["received"] for r in march.iter_rows(named=True)}
    # (split, category, township or park): the scope's townships and parks only, no complaint about an
    # official unless allowed (T1-ACC-CAT and T2-ACC by category, T1-ACC-FLAG by flag).
    assert got == {
        "full": {(0, LABOUR, None): 6, (0, ACCUSATION, None): 2, (1, LABOUR, T1): 3, (1, ACCUSATION, T1): 1,
                 (1, LABOUR, T2): 3, (1, ACCUSATION, T2): 1, (2, LABOUR, 1): 1, (2, LABOUR, 2): 1},
        "township1": {(0, LABOUR, None): 2, (1, LABOUR, T1): 2, (2, LABOUR, 1): 1},
        "township2": {(0, LABOUR, None): 3, (1, LABOUR, T2): 3, (2, LABOUR, 2): 1},
        "no_accusations": {(0, LABOUR, None): 5, (1, LABOUR, T1): 2, (1, LABOUR, T2): 3, (2, LABOUR, 1): 1,
                           (2, LABOUR, 2): 1},
    }[scope_name]


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_hotspot_monthly_counts(county_source, scope_name):
    county, _ = county_source  # with a current summary, whole months are counted from it
    frame = hotspots.monthly_counts(county, flt(scope_name), "township")
    march = {r["id"]: r["received"] for r in frame.filter(frame["bucket"] == 0).iter_rows(named=True)}
    assert march == AREA_RECEIVED[("township", scope_name)]
    # October 2025 is the fifth month before March 2026.
    october = {r["id"]: r["received"] for r in frame.filter(frame["bucket"] == 5).iter_rows(named=True)}
    assert october == {"full": {1: 2, 2: 1}, "township1": {1: 1}, "township2": {2: 1},
                       "no_accusations": {1: 1, 2: 1}}[scope_name]


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_hot_spots_and_flagged(county_source, scope_name):
    county, _ = county_source
    frame = hotspots.hot_spots(county, flt(scope_name), "township")
    assert dict(zip(frame["id"].to_list(), frame["observed"].to_list(), strict=True)) == AREA_RECEIVED[
        ("township", scope_name)
    ]
    assert set(hotspots.flagged(county, flt(scope_name), "township")["id"].to_list()) <= set(
        AREA_RECEIVED[("township", scope_name)]
    )


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_map_figures(county, scope_name):
    # The map's one call per filter: each level's measures and hot spots keep the scope.
    figures = choropleth.map_figures(county, flt(scope_name))
    for level in ("township", "park"):
        measures, hot = figures[level]["measures"], figures[level]["hot_spots"]
        assert dict(zip(measures["id"].to_list(), measures["received"].to_list(), strict=True)) == AREA_RECEIVED[
            (level, scope_name)
        ]
        assert dict(zip(hot["id"].to_list(), hot["observed"].to_list(), strict=True)) == AREA_RECEIVED[
            (level, scope_name)
        ]


# --- the scope wins over the filter ---------------------------------------------------


def test_township_scope_asking_for_another_township_gets_nothing(county):
    asks_for_t2 = flt("township1", township_ids=(T2,))
    assert metrics.headline(county, asks_for_t2)["received"].item() == 0
    assert metrics.headline(county, asks_for_t2)["overdue_open"].item() == 0
    assert metrics.headline_change(county, asks_for_t2)["received"].to_list() == [0, 0, 0]
    assert metrics.monthly_trend(county, asks_for_t2)["received"].sum() == 0
    for by in BREAKDOWNS:
        assert metrics.breakdown(county, asks_for_t2, by).height == 0
    for level in ("township", "park"):
        assert metrics.area_figures(county, asks_for_t2, level)["received"].sum() == 0
    for which in ("overdue", "backlog"):
        assert metrics.open_case_list(county, asks_for_t2, which).height == 0
    result = report.month_report(county, asks_for_t2)
    assert result["received"] == 0 and result["by_township"] == {} and result["by_category"] == {}


def test_township_scope_asking_for_both_townships_gets_its_own(county):
    both = flt("township1", township_ids=(T1, T2))
    assert metrics.headline(county, both)["received"].item() == RECEIVED_MARCH["township1"]
    frame = metrics.breakdown(county, both, "township")
    assert frame["label"].to_list() == [TOWNSHIP_NAMES[T1]]


def test_township_scope_asking_for_an_accusation_category_gets_nothing(county):
    from scoped_county import ACCUSATION

    asks = flt("township1", category_ids=(ACCUSATION,))
    assert metrics.headline(county, asks)["received"].item() == 0
    # The office asking the same sees both townships' complaints about officials.
    assert metrics.headline(county, flt("full", category_ids=(ACCUSATION,)))["received"].item() == 2


# --- the trends page (queries/trends.py, rising.py, hot_words.py) ------------------------------


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
@pytest.mark.parametrize("by", ["township", "category"])
def test_trend_series_and_changes(county_source, by, scope_name):
    county, source = county_source
    series = trends.received_series(county, flt(scope_name), by, months=6, source=source)
    march = series.filter(series["month"] == MARCH.start)
    assert dict(zip(march["label"].to_list(), march["received"].to_list(), strict=True)) == BREAKDOWNS[by][scope_name]
    changes = trends.received_changes(county, flt(scope_name), by, source=source)
    assert dict(zip(changes["label"].to_list(), changes["received"].to_list(), strict=True)) == BREAKDOWNS[by][scope_name]


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_trend_rates(county_source, scope_name):
    county, source = county_source
    rates = trends.rate_series(county, flt(scope_name), months=1, source=source)
    headline = metrics.headline(county, flt(scope_name), source=source).row(0, named=True)
    for row in rates.iter_rows(named=True):
        numerator, denominator = metrics.RATE_PARTS[row["rate"]]
        assert (row["numerator"], row["denominator"]) == (headline[numerator], headline[denominator])


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_rising_issues_stay_in_scope(county_source, scope_name):
    county, _ = county_source
    result = rising.rising_issues(county, flt(scope_name))
    allowed = set(BREAKDOWNS["category"][scope_name])
    assert set(result.issues["category"].to_list()) <= allowed
    if scope_name.startswith("township"):
        assert set(result.issues["level"].to_list()) <= {"category", "park"}
        assert set(result.issues["township"].drop_nulls().to_list()) <= {TOWNSHIP_NAMES[SCOPES[scope_name].township_id]}


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_stored_rising_issues_are_each_viewers_own(county, scope_name):
    with county.begin() as conn:  # as the write path does after the summary
        bump_data_version(conn)
        summary.refresh_summary(conn)
        rising.store_views(conn)
    stored = rising.stored_rising_issues(county, flt(scope_name))
    assert stored is not None
    computed = rising.rising_issues(county, flt(scope_name), source="summary")
    assert stored.issues.equals(computed.issues) and stored.evidence.equals(computed.evidence)
    # The county's labour cases (6, of which one accuses an official) make the one series tested.
    assert stored.issues["series_id"].to_list() == {"full": [f"c{LABOUR}"], "no_accusations": [f"c{LABOUR}"],
                                                    "township1": [], "township2": []}[scope_name]
    assert stored.issues["received"].to_list() == {"full": [6], "no_accusations": [5]}.get(scope_name, [])
    # Another township's officer asking for this one gets nothing stored (a filter is computed, in scope).
    if scope_name.startswith("township"):
        other = T2 if SCOPES[scope_name].township_id == T1 else T1
        assert rising.stored_rising_issues(county, flt(scope_name, township_ids=(other,))) is None


def _with_summaries(county):
    with county.begin() as conn:
        conn.exec_driver_sql("UPDATE cases SET summary = '反映拖欠工资问题'")


@pytest.mark.parametrize("source", ["raw", "stored"])
@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_hot_words_count_only_cases_in_scope(county, scope_name, source):
    _with_summaries(county)
    if source == "stored":  # the words cut at write time (word_counts, case_words), as after any import
        with county.begin() as conn:
            bump_data_version(conn)
            case_words.refresh(conn)
        with county.connect() as conn:
            assert hot_words.stored_words_current(conn)
    words = hot_words.hot_words(county, flt(scope_name), min_count=1)
    # Every case in scope says 拖欠工资 once, each its own petitioner (no petitioner row but three).
    count = words.filter(words["word"] == "拖欠工资")["count"].item()
    assert count == RECEIVED_MARCH[scope_name]
    cases = hot_words.hot_word_cases(county, flt(scope_name), "拖欠工资")
    assert cases.height == RECEIVED_MARCH[scope_name]


# --- the outcomes page's queries (queries/outcomes.py) and the report by group --------------

MARCH_END = date(2026, 3, 31)
# Received in March and concluded by its end (化解率's cohort): T1-A only, hidden from 西山乡's officer.
RESOLUTION_COHORT = {"full": 1, "township1": 1, "township2": 0, "no_accusations": 1}


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_outcomes_pipeline_and_deadlines(county, scope_name):
    f = flt(scope_name)
    pipeline = outcomes.pipeline(county, f, at=MARCH_END)
    assert pipeline.filter(pl.col("step") == "received")["taken"].item() == RECEIVED_MARCH[scope_name]
    overdue = OVERDUE_AT_MARCH_END[scope_name]
    cases = outcomes.deadline_cases(county, f, RULES, "overdue", at=MARCH_END)
    assert sorted(cases["case_number"].to_list()) == sorted(overdue)
    assert outcomes.deadline_rates(county, f, RULES)["overdue_open"] == len(overdue)
    counts = outcomes.deadline_counts(county, f, RULES, at=MARCH_END)
    assert counts[("overdue", "statutory")] == len(overdue)
    lists = outcomes.deadline_lists(county, f, RULES, at=MARCH_END)
    assert lists["counts"] == counts


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_outcomes_backlog(county, scope_name):
    f = flt(scope_name)
    backlog = len(OVERDUE_AT_MARCH_END[scope_name])  # the old cases are both overdue and backlog
    by_township = outcomes.backlog_by(county, f, RULES, by="township")
    assert by_township["backlog"].sum() == backlog
    assert set(by_township.filter(pl.col("backlog") > 0)["name"]) <= set(BREAKDOWNS["township"][scope_name])
    assert outcomes.backlog_age_bands(county, f, RULES)["backlog"].sum() == backlog
    assert outcomes.backlog_trend(county, f, RULES, months=3)["backlog"].to_list()[-1] == backlog


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_outcomes_rates_levels_and_league(county, scope_name):
    f = flt(scope_name)
    assert outcomes.outcome_rates(county, f, RULES)["resolution_base"] == RESOLUTION_COHORT[scope_name]
    assert outcomes.period_rates(county, f, RULES)["resolution_base"] == RESOLUTION_COHORT[scope_name]
    assert outcomes.resolution_levels(county, f)["resolved"].sum() == RESOLUTION_COHORT[scope_name]
    league = outcomes.league_table(county, f, RULES, "township")
    shown = {name: n for name, n in zip(league["name"], league["received"], strict=True) if n}
    assert shown == BREAKDOWNS["township"][scope_name]
    names = set(outcomes.grouping_values(county, f, "township")["name"])
    assert names == set(BREAKDOWNS["township"][scope_name])


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_outcomes_case_detail(county, scope_name):
    f = flt(scope_name)
    visible = {number for number in ("T1-ACC-CAT", "T2-A", "T1-A")
               if outcomes.case_detail(county, f, number, RULES) is not None}
    assert visible == {
        "full": {"T1-ACC-CAT", "T2-A", "T1-A"},
        "township1": {"T1-A"},
        "township2": {"T2-A"},
        "no_accusations": {"T2-A", "T1-A"},
    }[scope_name]


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_grouped_figures_and_report_rows(county, scope_name):
    f = flt(scope_name)
    assert metrics.grouped_figures(county, f, "township_id", RULES)["received"].sum() == RECEIVED_MARCH[scope_name]
    rows = report.month_report_rows(county, f, "township", RULES)["rows"]
    assert {row["name"]: row["received"] for row in rows if row["received"]} == BREAKDOWNS["township"][scope_name]


@pytest.mark.parametrize("scope_name", sorted(SCOPES))
def test_grouped_state_counts_and_the_reviews_month_end_states(county, scope_name):
    f = flt(scope_name)
    overdue = len(OVERDUE_AT_MARCH_END[scope_name])
    counts = metrics.grouped_counts(county, f, ("unit_id", "owner_leader_id"), ("overdue_open", "backlog"), RULES)
    assert counts["overdue_open"].sum() == overdue
    states = review.month_end_states(county, f, RULES)
    at_march_end = states.filter(pl.col("idx") == 0)
    assert at_march_end["overdue_open"].sum() == overdue
    assert at_march_end["backlog"].sum() == overdue  # the old cases are both overdue and backlog
