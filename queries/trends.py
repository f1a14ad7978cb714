"""Monthly trends (月度趋势): received cases split by one dimension, and rates, month by month.

Every figure is the metrics engine's (:mod:`queries.metrics`), read from the
monthly summary when it is current: ``received`` by month and dimension is
:func:`~queries.metrics.received_by_month`, the rates and their numerators
and denominators are :func:`~queries.metrics.monthly_trend`. Nothing here
defines a metric; this module picks the months, the top splits, and lines up
环比 (the previous month) and 同比 (the same month a year earlier) as
METRICS.md defines "change": a difference of counts, or of percentage points
for rates.

The months of a series are whole calendar months ending with the month of
``flt.end``: the last ``months`` of them (default 24), or, with
``months=None``, every month the filter's period touches; never a month
before the database's first case (a county that began recording in January
2024 has no "0 cases" in 2023, it has no figure). Likewise a month whose year
earlier lies before the first case has no year-earlier figure (None), so its
同比 is "—", not the month's whole count. The filter's scope travels into
every query, so a township officer sees only their township.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Engine

from config.settings import DeadlineRules
from queries import metrics, reference
from queries.filters import CaseFilter, add_months

DEFAULT_MONTHS = 24
DEFAULT_TOP = 5
# Key and label of the split that sums every value outside the top N.
OTHER_KEY = "other"
OTHER_LABEL = "其他"
# A month whose denominator is below this is "sparse": a chart draws a gap or a hollow marker.
MIN_DENOMINATOR = 10
# The rates of the trends page, each (numerator, denominator) as the engine defines it.
TREND_RATES = (
    "first_time_resolution_rate",
    "on_time_rate",
    "on_time_rate_3_7_21",
    "satisfaction_rate_office",
    "satisfaction_rate_unit",
)

_SERIES_SCHEMA = {
    "month": pl.Date, "key": pl.String, "label": pl.String, "rank": pl.Int64,
    "received": pl.Int64, "received_year_earlier": pl.Int64,
}


def series_months(flt: CaseFilter, months: int | None = DEFAULT_MONTHS) -> list[date]:
    """First days of the months of a series: the last ``months`` ending with ``flt.end``'s month.

    ``months=None``: every month from ``flt.start``'s to ``flt.end``'s.
    """
    last = flt.end.replace(day=1)
    if months is None:
        first = flt.start.replace(day=1)
        count = (last.year - first.year) * 12 + last.month - first.month + 1
    else:
        if months < 1:
            raise ValueError(f"months must be at least 1, not {months}")
        count = months
    return [add_months(last, -k) for k in range(count - 1, -1, -1)]


def _first_data_month(engine: Engine) -> date | None:
    period = reference.data_period(engine)
    return period[0].replace(day=1) if period else None


def _recorded_months(engine: Engine, month_list: list[date]) -> tuple[list[date], date | None]:
    """The months of ``month_list`` from the first month with a case on, and that first month."""
    first = _first_data_month(engine)
    kept = [m for m in month_list if first is not None and m >= first]
    # Never empty: a window wholly before the data keeps its last month (all zeros).
    return kept or month_list[-1:], first


def _labels(engine: Engine, by: str) -> dict[str, str]:
    """key (as text) -> display name; a channel's label is its code (the page translates it)."""
    if by == "channel":
        return {}
    table = {"township": reference.townships, "park": reference.parks,
             "category": reference.categories, "unit": reference.units}[by](engine)
    return {str(i): name for i, name in zip(table["id"].to_list(), table["name"].to_list(), strict=True)}


def received_series(
    engine: Engine,
    flt: CaseFilter,
    by: str,
    *,
    months: int | None = DEFAULT_MONTHS,
    top: int = DEFAULT_TOP,
    source: str = "auto",
) -> pl.DataFrame:
    """``received`` per month for the top ``top`` values of ``by`` and one "其他" split.

    ``by`` is one of :data:`queries.metrics.BREAKDOWN_DIMENSIONS` (channel,
    township, park, category, unit). The top values are those with the most
    cases over the series' months (ties by label); ``other`` sums every other
    value. Cases with no value on the dimension (no park, say) count in no
    split, as METRICS.md's breakdowns define.

    Columns: ``month`` (first day), ``key`` (the id as text, the channel, or
    ``"other"``), ``label``, ``rank`` (1 = most cases; the other split last),
    ``received`` and ``received_year_earlier`` (the same month a year
    earlier; None when that is before the database's first case). Every
    (month, split) has a row, zeros included; no month before the first case.
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    month_list, first_data = _recorded_months(engine, series_months(flt, months))
    first, last = month_list[0], month_list[-1]
    # One statement for the series and the year before it.
    window = flt.with_period(add_months(first, -12), add_months(last, 0, last_day=True))
    counts = metrics.received_by_month(engine, window, by, source=source).with_columns(pl.col("key").cast(pl.String))
    labels = _labels(engine, by)
    in_range = counts.filter(pl.col("month") >= first)
    totals = (
        in_range.group_by("key").agg(pl.col("received").sum())
        .with_columns(pl.col("key").replace_strict(labels, default=pl.col("key")).alias("label"))
        .sort(["received", "label"], descending=[True, False])
    )
    top_keys = totals["key"].head(top).to_list()
    has_other = totals.height > top
    splits = pl.DataFrame(
        {
            "key": top_keys + ([OTHER_KEY] if has_other else []),
            "label": [labels.get(k, k) for k in top_keys] + ([OTHER_LABEL] if has_other else []),
            "rank": list(range(1, len(top_keys) + 1 + (1 if has_other else 0))),
        },
        schema={"key": pl.String, "label": pl.String, "rank": pl.Int64},
    )
    grouped = (
        counts.with_columns(
            pl.when(pl.col("key").is_in(top_keys)).then(pl.col("key")).otherwise(pl.lit(OTHER_KEY)).alias("key")
        )
        .group_by("key", "month")
        .agg(pl.col("received").sum())
    )
    grid = splits.join(pl.DataFrame({"month": month_list}, schema={"month": pl.Date}), how="cross")
    year_earlier = grouped.with_columns(pl.col("month").dt.offset_by("12mo")).rename(
        {"received": "received_year_earlier"}
    )
    return (
        grid.join(grouped, on=["key", "month"], how="left")
        .join(year_earlier, on=["key", "month"], how="left")
        .with_columns(
            pl.col("received").fill_null(0),
            # A year earlier before the first case is unknown, not zero.
            pl.when(pl.col("month").dt.offset_by("-12mo") >= pl.lit(first_data or last))
            .then(pl.col("received_year_earlier").fill_null(0))
            .otherwise(None)
            .alias("received_year_earlier"),
        )
        .select(list(_SERIES_SCHEMA))
        .cast(_SERIES_SCHEMA)
        .sort("rank", "month")
    )


def series_changes(series: pl.DataFrame) -> pl.DataFrame:
    """环比 and 同比 of the latest month of a :func:`received_series` frame, per split.

    Columns: ``key``, ``label``, ``rank``, ``month``, ``received``,
    ``received_previous`` (the month before; None when the series has a
    single month), ``received_year_earlier``, ``change_mom`` and
    ``change_yoy`` (differences of counts).
    """
    latest = series["month"].max()
    previous = series.filter(pl.col("month") == pl.col("month").max().dt.offset_by("-1mo")).select(
        "key", pl.col("received").alias("received_previous")
    )
    return (
        series.filter(pl.col("month") == latest)
        .join(previous, on="key", how="left")
        .with_columns(
            (pl.col("received") - pl.col("received_previous")).alias("change_mom"),
            (pl.col("received") - pl.col("received_year_earlier")).alias("change_yoy"),
        )
        .select("key", "label", "rank", "month", "received", "received_previous", "received_year_earlier",
                "change_mom", "change_yoy")
        .sort("rank")
    )


def received_changes(
    engine: Engine, flt: CaseFilter, by: str, *, top: int = DEFAULT_TOP, source: str = "auto"
) -> pl.DataFrame:
    """The table of 环比 and 同比 for ``flt.end``'s month, per split (see :func:`series_changes`)."""
    return series_changes(received_series(engine, flt, by, months=2, top=top, source=source))


def rate_series(
    engine: Engine,
    flt: CaseFilter,
    *,
    months: int | None = DEFAULT_MONTHS,
    rates: tuple[str, ...] = TREND_RATES,
    min_denominator: int = MIN_DENOMINATOR,
    rules: DeadlineRules | None = None,
    source: str = "auto",
) -> pl.DataFrame:
    """Each rate, each month, with its numerator and denominator, and the same month a year earlier.

    Long format, one row per (rate, month): ``rate`` (a key of
    :data:`queries.metrics.RATE_PARTS`), ``month``, ``numerator``,
    ``denominator``, ``value`` (None where the denominator is zero: shown as
    "—"), ``sparse`` (denominator below ``min_denominator``: too few cases
    to read the rate; a chart draws a gap or a hollow marker), and the year
    earlier's ``numerator_year_earlier``, ``denominator_year_earlier``,
    ``value_year_earlier``. Sorted by the order of ``rates``, then month.
    """
    unknown = [r for r in rates if r not in metrics.RATE_PARTS]
    if unknown:
        raise ValueError(f"unknown rates {unknown}; expected names from metrics.RATE_PARTS")
    month_list, first_data = _recorded_months(engine, series_months(flt, months))
    # One statement: the series' months and the twelve before them.
    span = len(month_list) + 12
    trend = metrics.monthly_trend(engine, flt, span, rules, source=source)
    frames = []
    for order, rate in enumerate(rates):
        numerator, denominator = metrics.RATE_PARTS[rate]
        frames.append(trend.select(
            pl.lit(order).alias("order"),
            pl.lit(rate).alias("rate"),
            "month",
            pl.col(numerator).cast(pl.Int64).alias("numerator"),
            pl.col(denominator).cast(pl.Int64).alias("denominator"),
            pl.col(rate).cast(pl.Float64).alias("value"),
        ))
    long = pl.concat(frames)
    earlier = long.filter(pl.col("month") >= pl.lit(first_data or month_list[-1])).select(
        "rate",
        pl.col("month").dt.offset_by("12mo"),
        pl.col("numerator").alias("numerator_year_earlier"),
        pl.col("denominator").alias("denominator_year_earlier"),
        pl.col("value").alias("value_year_earlier"),
    )
    return (
        long.filter(pl.col("month") >= month_list[0])
        .join(earlier, on=["rate", "month"], how="left")
        .with_columns((pl.col("denominator") < min_denominator).alias("sparse"))
        .sort("order", "month")
        .select("rate", "month", "numerator", "denominator", "value", "sparse",
                "numerator_year_earlier", "denominator_year_earlier", "value_year_earlier")
    )


def rate_changes(rates: pl.DataFrame) -> pl.DataFrame:
    """环比 and 同比 of each rate in the latest month of a :func:`rate_series` frame, in percentage points.

    Columns: ``rate``, ``month``, ``value``, ``value_previous``,
    ``value_year_earlier``, ``change_mom_pp`` and ``change_yoy_pp``
    ((this − that) × 100; None when either rate is None), ``sparse``.
    """
    latest = rates["month"].max()
    previous = rates.filter(pl.col("month") == pl.col("month").max().dt.offset_by("-1mo")).select(
        "rate", pl.col("value").alias("value_previous")
    )
    return (
        rates.filter(pl.col("month") == latest)
        .join(previous, on="rate", how="left", maintain_order="left")
        .with_columns(
            ((pl.col("value") - pl.col("value_previous")) * 100).alias("change_mom_pp"),
            ((pl.col("value") - pl.col("value_year_earlier")) * 100).alias("change_yoy_pp"),
        )
        .select("rate", "month", "value", "value_previous", "value_year_earlier", "change_mom_pp",
                "change_yoy_pp", "sparse")
    )
