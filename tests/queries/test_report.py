"""The month report's JSON shape is a contract other tools read: test its keys and values."""

from __future__ import annotations

import json

import pytest
from hand_county import RULES

from queries.filters import CaseFilter
from queries.report import month_report

EXPECTED_KEYS = [
    "period", "received", "by_channel", "by_township", "by_park", "by_category", "first_time", "group_visits",
    "repeat_share", "concluded", "resolution_rate", "first_time_resolution_rate", "on_time_rate",
    "on_time_rate_3_7_21", "overdue_open", "backlog", "satisfaction_rate_office", "satisfaction_rate_unit",
    "rating_rate",
]


def test_report_keys_and_values(county):
    report = month_report(county, CaseFilter.for_month(2026, 3), RULES)
    assert list(report) == EXPECTED_KEYS
    assert report["period"] == {"start": "2026-03-01", "end": "2026-03-31"}
    assert report["received"] == 5
    assert report["by_channel"] == {"letter": 2, "visit": 2, "online": 1, "phone": 0, "leader_reception": 0}
    assert report["by_township"] == {"甲镇": 3, "乙乡": 2}
    assert report["by_park"] == {"东湖工业园区": 1}
    assert report["on_time_rate"] == pytest.approx(0.5)
    assert report["on_time_rate_3_7_21"] == pytest.approx(1 / 3)
    assert report["overdue_open"] == 2 and report["backlog"] == 1
    json.dumps(report)  # serialisable as it stands


def test_report_of_empty_month_has_nulls(county):
    report = month_report(county, CaseFilter.for_month(2019, 5), RULES)
    assert report["received"] == 0
    assert report["resolution_rate"] is None and report["rating_rate"] is None
    assert json.loads(json.dumps(report))["on_time_rate"] is None


def test_report_rows_by_leader(engine):
    from outcomes_county import MARCH as OUTCOMES_MARCH
    from outcomes_county import build_outcomes_county

    from queries.report import month_report_rows

    county = build_outcomes_county(engine)
    out = month_report_rows(county, OUTCOMES_MARCH, "leader", RULES)
    assert out["period"] == {"start": "2026-03-01", "end": "2026-03-31"}
    rows = {row["name"]: row for row in out["rows"]}
    assert list(rows) == ["王书记", "李县长", "赵副县长"]  # protocol order
    # 王书记 owns P3 B1 B2 B4: overdue B1 B2, backlog B1 B2, concluded in March B4.
    assert (rows["王书记"]["overdue_open"], rows["王书记"]["backlog"], rows["王书记"]["concluded"]) == (2, 2, 1)
    assert (rows["李县长"]["overdue_open"], rows["李县长"]["on_time_rate"]) == (2, 0.0)  # P5 B3; P5 late
    assert rows["赵副县长"]["on_time_rate"] == 1.0  # P8
    assert list(rows["王书记"])[0] == "name" and list(rows["王书记"])[1:] == EXPECTED_KEYS
    with pytest.raises(ValueError):
        month_report_rows(county, OUTCOMES_MARCH, "park", RULES)
