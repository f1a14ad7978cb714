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
