"""The sidebar's pure parts: URL <-> state, the default month, the filter built from a state."""

import logging
from datetime import date

import pytest

from dashboard.filters_ui import (
    INTERVAL_KEY,
    LANGUAGE_KEY,
    MONTH_KEY,
    PERIOD_MODE_KEY,
    PLAYLIST_KEY,
    PROJECTION_KEY,
    RANGE_KEY,
    STATE_DEFAULTS,
    build_filter,
    default_month,
    month_options,
    parse_query,
    to_query,
)
from queries.filters import CaseFilter, Scope


def test_parse_a_full_url():
    state = parse_query(
        {"month": "2026-10", "township": "5,3,3", "park": "2", "category": "7", "channel": "visit,letter",
         "unit": "4", "lang": "en", "projection": "1"}
    )
    assert state == {
        LANGUAGE_KEY: "en", PROJECTION_KEY: True, PERIOD_MODE_KEY: "month", MONTH_KEY: "2026-10",
        "flt.township": (3, 5), "flt.park": (2,), "flt.category": (7,), "flt.channel": ("letter", "visit"),
        "flt.unit": (4,),
    }


def test_parse_ignores_what_it_does_not_understand():
    state = parse_query({"month": "2026-13", "township": "x,2,-1", "channel": "fax", "lang": "fr", "projection": "yes"})
    assert state == {"flt.township": (2,), "flt.channel": ()}


def test_parse_a_range_in_either_order():
    assert parse_query({"month": "2026-06..2026-01"}) == {PERIOD_MODE_KEY: "range", RANGE_KEY: ("2026-01", "2026-06")}


def test_to_query_round_trips_and_leaves_defaults_out():
    state = {**STATE_DEFAULTS, MONTH_KEY: "2026-10", "flt.township": (3, 5)}
    assert to_query(state) == {"month": "2026-10", "township": "3,5"}
    full = {**STATE_DEFAULTS, **parse_query({"month": "2026-01..2026-06", "channel": "online", "lang": "en",
                                             "projection": "1"})}
    assert to_query(full) == {"month": "2026-01..2026-06", "channel": "online", "lang": "en", "projection": "1"}


def test_default_month_is_the_last_complete_month_with_data():
    period = (date(2023, 12, 3), date(2026, 11, 20))
    assert default_month(period, today=date(2026, 11, 28)) == "2026-10"  # November is still running
    assert default_month(period, today=date(2027, 3, 1)) == "2026-11"  # the data stopped in November
    # Data that starts this month: clamp to the data period rather than show an empty month.
    assert default_month((date(2026, 11, 2), date(2026, 11, 20)), today=date(2026, 11, 28)) == "2026-11"


def test_month_options_cover_the_data_period():
    assert month_options((date(2025, 11, 30), date(2026, 2, 1))) == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_build_filter():
    options = ["2026-08", "2026-09", "2026-10"]
    scope = Scope(township_id=3, see_accusations=False)
    state = {**STATE_DEFAULTS, MONTH_KEY: "2026-09", "flt.channel": ("visit",)}
    assert build_filter(state, options, "2026-10", scope) == CaseFilter(
        start=date(2026, 9, 1), end=date(2026, 9, 30), channels=("visit",), scope=scope
    )
    # A month outside the data falls back to the default; a range is clamped the same way.
    assert build_filter({**STATE_DEFAULTS, MONTH_KEY: "2020-01"}, options, "2026-10", Scope()).start == date(2026, 10, 1)
    ranged = {**STATE_DEFAULTS, PERIOD_MODE_KEY: "range", RANGE_KEY: ("2026-08", "2031-01")}
    flt = build_filter(ranged, options, "2026-10", Scope())
    assert (flt.start, flt.end) == (date(2026, 8, 1), date(2026, 10, 31))


@pytest.mark.parametrize(
    "params",
    [
        {"township": "²"},  # str.isdigit() is True, int() raises
        {"township": "9" * 5000},  # past int()'s 4,300-digit limit
        {"township": "１２"},  # full-width digits
        {"park": "3," * 3000},  # over the length limit: ignored whole
        {"month": "２０２６-０３"},
        {"month": "2026-03.." + "9" * 5000},
        {"every": "9" * 5000},
        {"playlist": "<script>,map"},
    ],
)
def test_parse_never_raises_and_ignores_bad_values(params, caplog):
    caplog.set_level(logging.INFO, logger="dashboard.filters_ui")
    state = parse_query(params)
    dimension_keys = {"flt.township", "flt.park"}
    assert all(state.get(key, ()) == () for key in dimension_keys)
    assert MONTH_KEY not in state and RANGE_KEY not in state
    assert INTERVAL_KEY not in state
    assert state.get(PLAYLIST_KEY, ("map",)) == ("map",)
    assert "ignored URL parameter" in caplog.text


def test_ids_keep_the_good_among_the_bad():
    assert parse_query({"township": "3,²,007,1234567890,5"})["flt.township"] == (3, 5, 7)


def test_parse_and_write_the_playlist():
    state = parse_query({"playlist": "overview,map,overview", "every": "60"})
    assert state == {PLAYLIST_KEY: ("overview", "map"), INTERVAL_KEY: 60}
    assert to_query({**STATE_DEFAULTS, **state}) == {"playlist": "overview,map", "every": "60"}
    # The default time is left out; no playlist, no time; out of range, ignored.
    assert to_query({**STATE_DEFAULTS, PLAYLIST_KEY: ("map",)}) == {"playlist": "map"}
    assert to_query({**STATE_DEFAULTS, INTERVAL_KEY: 60}) == {}
    assert parse_query({"every": "5"}) == {} and parse_query({"every": "3601"}) == {}
