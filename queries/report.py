"""The month report: the figures of ``python -m dashboard report``, as a stable JSON shape.

Other tools read this JSON, so its keys are fixed (issue 2 §4): rates are
unrounded fractions, ``None`` (JSON null) where the denominator is zero.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Engine

from config.settings import DeadlineRules
from data.models import CHANNEL_VALUES
from queries import metrics, outcomes
from queries.filters import CaseFilter

REPORT_SCALARS = (
    "received", "first_time", "group_visits", "repeat_share", "concluded", "resolution_rate",
    "first_time_resolution_rate", "on_time_rate", "on_time_rate_3_7_21", "overdue_open", "backlog",
    "satisfaction_rate_office", "satisfaction_rate_unit", "rating_rate",
)


def month_report(engine: Engine, flt: CaseFilter, rules: DeadlineRules | None = None) -> dict:
    """Every figure of the report for the filter's period, in the documented key order."""
    figures = metrics.headline(engine, flt, rules).row(0, named=True)
    by_channel = {channel: 0 for channel in CHANNEL_VALUES}
    for row in metrics.breakdown(engine, flt, "channel").iter_rows(named=True):
        by_channel[row["key"]] = row["received"]

    def by_label(dimension: str) -> dict[str, int]:
        return {row["label"]: row["received"] for row in metrics.breakdown(engine, flt, dimension).iter_rows(named=True)}

    report = {
        "period": {"start": flt.start.isoformat(), "end": flt.end.isoformat()},
        "received": figures["received"],
        "by_channel": by_channel,
        "by_township": by_label("township"),
        "by_park": by_label("park"),
        "by_category": by_label("category"),
    }
    report.update({key: figures[key] for key in REPORT_SCALARS if key != "received"})
    return report


# --by: the dimension -> the CaseFilter field it restricts.
REPORT_BY = {"unit": "unit_ids", "leader": "leader_ids", "township": "township_ids", "category": "category_ids"}


def month_report_rows(engine: Engine, flt: CaseFilter, by: str, rules: DeadlineRules | None = None) -> dict:
    """The report once per unit, owner leader, township or category: ``{"period", "rows": [{"name", ...}]}``.

    Each row is ``{"name": ..., **month_report(...)}`` for the filter narrowed
    to that one value (a value the filter already leaves out has no row), in
    display order (leaders in protocol order). Cases with no value on the
    dimension are in no row, so the rows add up to the county only where
    every case has one.
    """
    if by not in REPORT_BY:
        raise ValueError(f"by must be one of {tuple(REPORT_BY)}, not {by!r}")
    field = REPORT_BY[by]
    chosen = getattr(flt, field)
    rows = []
    for value_id, name in outcomes.grouping_values(engine, flt, by).iter_rows():
        if chosen and value_id not in chosen:
            continue
        rows.append({"name": name, **month_report(engine, replace(flt, **{field: (value_id,)}), rules)})
    return {"period": {"start": flt.start.isoformat(), "end": flt.end.isoformat()}, "rows": rows}
