"""Hot spots (热点): townships and parks whose count this period is far above their own history.

The rule, stated the same way on the map page (i18n key ``map.hotspots.rule``):

* the **expected** count λ of an area is the mean of its monthly ``received``
  counts over the :data:`HISTORY_MONTHS` calendar months before the period
  (same filters as the map), times the length of the period in months;
* the area is a **hot spot** when the one-sided Poisson test gives
  P(X ≥ observed | λ) < :data:`ALPHA` **and** observed ≥ λ + :data:`MIN_EXCESS`,
  so that a jump from 0 to 2 in a quiet township does not raise a flag.

Months before the first case in the database are not history (a county that
started recording eight months ago has eight months of history); an area with
no history month at all is never flagged. The monthly counts per area come
from the metrics engine (:func:`queries.metrics.received_by_month`: one
grouped statement per level, or the monthly summary); the test is computed
here with :func:`math.lgamma` (no statistics library needed for a Poisson tail).
"""

from __future__ import annotations

import math
from datetime import timedelta

import polars as pl
from sqlalchemy import Engine

from queries import areas, metrics, reference
from queries.filters import CaseFilter, add_months, whole_months

HISTORY_MONTHS = 12
ALPHA = 0.01
MIN_EXCESS = 5
# Average month length, for a period that is not whole calendar months.
DAYS_PER_MONTH = 365.25 / 12


def poisson_upper_tail(k: int, lam: float) -> float:
    """P(X ≥ k) for X ~ Poisson(λ), accurate far into the tail (where the test decides).

    Above the mean the terms P(X = i), i ≥ k, shrink at least geometrically,
    so they are summed directly in log space; at or below the mean the tail is
    1 − P(X < k).
    """
    if k <= 0:
        return 1.0
    if lam <= 0:
        return 0.0

    def log_pmf(i: int) -> float:
        return -lam + i * math.log(lam) - math.lgamma(i + 1)

    if k > lam:
        total, i = 0.0, k
        while True:
            term = math.exp(log_pmf(i))
            total += term
            if term <= total * 1e-17 or term == 0.0:
                return min(1.0, total)
            i += 1
    below = math.fsum(math.exp(log_pmf(i)) for i in range(k))
    return max(0.0, 1.0 - below)


def period_months(flt: CaseFilter) -> float:
    """The period's length in months: whole calendar months count as such, any other range by days."""
    months = whole_months(flt.start, flt.end)
    return float(months) if months else flt.days / DAYS_PER_MONTH


def _bucketed(engine: Engine, flt: CaseFilter, level: str) -> dict[tuple[int, int], int]:
    """(area id, bucket) -> received; see :func:`monthly_counts`."""
    areas._check_level(level)
    first_month = flt.start.replace(day=1)
    history_start = add_months(first_month, -HISTORY_MONTHS)
    if flt.start == first_month:
        by_month = metrics.received_by_month(engine, flt.with_period(history_start, flt.end), level)
    else:
        # A period starting mid-month: the days before it in its month belong to neither.
        by_month = pl.concat([
            metrics.received_by_month(engine, flt.with_period(history_start, first_month - timedelta(days=1)), level),
            metrics.received_by_month(engine, flt, level),
        ])
    first = first_month.year * 12 + first_month.month
    counts: dict[tuple[int, int], int] = {}
    for key, month, received in by_month.iter_rows():
        bucket = max(first - (month.year * 12 + month.month), 0)
        counts[key, bucket] = counts.get((key, bucket), 0) + received
    return counts


def monthly_counts(engine: Engine, flt: CaseFilter, level: str) -> pl.DataFrame:
    """``received`` per area and bucket.

    Bucket 0 is the filter's period; bucket k (1…:data:`HISTORY_MONTHS`) is
    the k-th calendar month before the period's first month. Columns ``id``,
    ``bucket``, ``received``; a bucket with no case has no row. The counts are
    the metrics engine's :func:`~queries.metrics.received_by_month`: one
    grouped statement over the 12 months and the period (or the monthly
    summary, when it is current), with the filter and its scope applied.
    """
    rows = sorted((area_id, bucket, n) for (area_id, bucket), n in _bucketed(engine, flt, level).items())
    return pl.DataFrame(rows, schema={"id": pl.Int64, "bucket": pl.Int64, "received": pl.Int64}, orient="row")


def _history_month_count(engine: Engine, flt: CaseFilter) -> int:
    """How many of the history months lie on or after the first month with data."""
    period = reference.data_period(engine)
    if period is None:
        return 0
    first_data_month = period[0].replace(day=1)
    first_month = flt.start.replace(day=1)
    return sum(1 for k in range(1, HISTORY_MONTHS + 1) if add_months(first_month, -k) >= first_data_month)


def hot_spots(
    engine: Engine, flt: CaseFilter, level: str, *, only_flagged: bool = False,
    scoped: list[tuple] | None = None, history_months: int | None = None,
) -> pl.DataFrame:
    """Every area the viewer may see and the filter includes, tested against its own history.

    Columns: ``id``, ``name``, ``observed`` (received in the period),
    ``expected`` (λ; None without history), ``history_months``, ``p_value``
    (P(X ≥ observed | λ); None without history), ``is_hot_spot``. Hot spots
    first, then by p-value. ``only_flagged`` returns the hot spots alone
    (:func:`flagged`). ``scoped`` (the areas in scope, ``queries.areas._scoped_areas``) and
    ``history_months`` (:func:`_history_month_count`) are read here unless the caller has them already.
    """
    # A few dozen areas: plain Python, where each Polars operation would cost more than the arithmetic.
    if scoped is None:
        scoped = areas._scoped_areas(engine, flt, level)
    in_scope = [(area_id, name) for area_id, name, _, _, in_filter in scoped if in_filter]
    counts = _bucketed(engine, flt, level)
    if history_months is None:
        history_months = _history_month_count(engine, flt)
    scale = period_months(flt)
    rows = []
    for area_id, name in in_scope:
        observed = counts.get((area_id, 0), 0)
        history_total = sum(counts.get((area_id, k), 0) for k in range(1, history_months + 1))
        if only_flagged and (history_months == 0 or observed < history_total / history_months * scale + MIN_EXCESS):
            # Never a hot spot (the second condition of the rule fails): its p-value is not wanted. At or
            # below the mean the tail sums as many terms as cases observed (thousands in a township).
            continue
        if history_months == 0:
            expected = p_value = None
            hot = False
        else:
            expected = history_total / history_months * scale
            p_value = poisson_upper_tail(observed, expected)
            hot = p_value < ALPHA and observed >= expected + MIN_EXCESS
        rows.append((area_id, name, observed, expected, history_months, p_value, hot))
    # Hot spots first, then by p-value (none last), then by id.
    rows.sort(key=lambda r: (not r[6], r[5] is None, r[5] or 0.0, r[0]))
    schema = {
        "id": pl.Int64, "name": pl.String, "observed": pl.Int64, "expected": pl.Float64,
        "history_months": pl.Int64, "p_value": pl.Float64, "is_hot_spot": pl.Boolean,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def flagged(engine: Engine, flt: CaseFilter, level: str) -> pl.DataFrame:
    """Only the hot spots (same columns as :func:`hot_spots`)."""
    return hot_spots(engine, flt, level, only_flagged=True).filter(pl.col("is_hot_spot"))

