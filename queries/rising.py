"""Rising issues (异常上升): categories, and categories in a township or park, above their own expected level.

The rule, stated in :data:`RULE_ZH` / :data:`RULE_EN` for the page:

* Each **series** is one category's monthly ``received`` (within the filter
  and scope), and the same category in each township and in each industrial
  park. Only a series with at least :data:`MIN_EXCESS` cases in the month can
  be flagged, so only those are tested.
* Its **expected level** for the month comes from its own previous months
  (up to :data:`HISTORY_MONTHS`), in two stages (statsmodels Poisson GLMs):

  1. a category's **shape**: a log-link regression on a level, a slow trend,
     the calendar season (a yearly wave, and a half-yearly one from 36
     months on), the share of the :data:`FESTIVAL_WINDOW_DAYS` days before
     Spring Festival that falls in the month, and the share of the festival
     week itself. The festival moves between late January and mid February,
     so its terms follow the festival's date, not the calendar month;
  2. each series (the category itself, or the category in a township or
     park) then fits ``level × e^shape + peak × pre-festival share``, an
     identity-link regression: the pre-festival wage-arrears (欠薪) cases add
     to the ordinary ones in proportion to how much of the window falls in
     the month, and every series has its own peak (a park's is far larger
     than the county's). So the peak that comes every year is expected, in
     January one year and February the next.

* The month is a **rise** when its count is above the upper edge of the
  expected level's band — the (1 − :data:`ALPHA`) quantile of a negative
  binomial with the expected mean and a variance that adds the model's
  over-dispersion and the uncertainty of both stages' estimates — **and** at least
  :data:`MIN_EXCESS` above the expected level.
* **Strength** is −log10 of the probability of a count at least as high:
  rises are ranked by it. **Months rising**: this month and the months just
  before it, each above the level expected for it from the months before it.

With fewer than :data:`SEASONAL_MIN_HISTORY` months of history the seasons
cannot be estimated: the result says so (``method == "simple"``) and the
expected level is the mean of the last (up to 12) months, tested with a
Poisson tail like the hot spots; under :data:`SIMPLE_MIN_HISTORY` months
nothing is tested (``method == "none"``).

Speed: the counts are the metrics engine's
:func:`~queries.metrics.received_by_month_split`, read from the monthly
summary in one statement (every category, county-wide, per township and per
park), never from the cases; a fit is a few milliseconds, and only series
with enough cases this month are fitted.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import polars as pl
from sqlalchemy import Engine

from data.reception_calendar import spring_festival
from queries import metrics, reference
from queries.filters import CaseFilter, add_months
from text.i18n import translate

HISTORY_MONTHS = 36
SEASONAL_MIN_HISTORY = 24
SIMPLE_MIN_HISTORY = 3
SIMPLE_HISTORY_MONTHS = 12
ALPHA = 0.001
MIN_EXCESS = 5
# 欠薪 petitions peak in the weeks before Spring Festival (DOMAIN.md): six weeks.
FESTIVAL_WINDOW_DAYS = 42
FESTIVAL_WEEK_DAYS = 7
# How far back "months rising" looks.
LOOKBACK_MONTHS = 12
LEVELS = ("category", "township", "park")
METHODS = ("seasonal", "simple", "none")

# The rule in plain words for the page and the command line; the text lives in the one
# translation table (text/i18n.py, "rising.rule.*"), filled in with these constants.
_RULE_VALUES = {
    "history": HISTORY_MONTHS, "weeks": FESTIVAL_WINDOW_DAYS // 7, "alpha": f"{100 * ALPHA:g}%",
    "excess": MIN_EXCESS, "needed": SEASONAL_MIN_HISTORY, "recent": SIMPLE_HISTORY_MONTHS,
}


def rule_text(method: str, lang: str) -> str:
    """The rule of ``method`` ("seasonal", "simple" or "none") in plain words, in ``lang``."""
    values = dict(_RULE_VALUES, needed=SIMPLE_MIN_HISTORY) if method == "none" else _RULE_VALUES
    return translate(f"rising.rule.{method}", lang, **values)


RULE_ZH, RULE_EN = rule_text("seasonal", "zh"), rule_text("seasonal", "en")
SIMPLE_RULE_ZH, SIMPLE_RULE_EN = rule_text("simple", "zh"), rule_text("simple", "en")
NONE_RULE_ZH, NONE_RULE_EN = rule_text("none", "zh"), rule_text("none", "en")

_ISSUE_SCHEMA = {
    "series_id": pl.String, "level": pl.String,
    "category_id": pl.Int64, "category": pl.String,
    "township_id": pl.Int64, "township": pl.String,
    "park_id": pl.Int64, "park": pl.String,
    "month": pl.Date, "received": pl.Int64, "expected": pl.Float64,
    "lower": pl.Float64, "upper": pl.Float64, "p_value": pl.Float64, "strength": pl.Float64,
    "excess": pl.Float64, "rising_months": pl.Int64, "is_rising": pl.Boolean, "model": pl.String,
}
_EVIDENCE_SCHEMA = {
    "series_id": pl.String, "month": pl.Date, "received": pl.Int64,
    "expected": pl.Float64, "lower": pl.Float64, "upper": pl.Float64, "is_target": pl.Boolean,
}


# --- the Spring Festival regressors ----------------------------------------------------------


@lru_cache(maxsize=512)
def festival_shares(month: date) -> tuple[float, float]:
    """(share of the pre-festival window, share of the festival week) that fall in ``month``.

    The window is the :data:`FESTIVAL_WINDOW_DAYS` days before the first day
    of the lunar new year; the week is that day and the six after it. Each
    share is the number of its days in the month over its length, so a
    window split between January and February puts part of its weight in
    each (the moving-holiday regressor of X-13ARIMA-SEATS, as used for the
    Chinese New Year by Lin & Liu, 2003). The festivals of the month's year
    and the next both count: a window can begin in December.
    """
    first = month.replace(day=1)
    last = add_months(first, 0, last_day=True)
    pre = week = 0
    for year in (month.year, month.year + 1):
        festival = spring_festival(year)
        pre += _overlap(first, last, festival - timedelta(days=FESTIVAL_WINDOW_DAYS), festival - timedelta(days=1))
        week += _overlap(first, last, festival, festival + timedelta(days=FESTIVAL_WEEK_DAYS - 1))
    return pre / FESTIVAL_WINDOW_DAYS, week / FESTIVAL_WEEK_DAYS


def _overlap(a0: date, a1: date, b0: date, b1: date) -> int:
    return max(0, (min(a1, b1) - max(a0, b0)).days + 1)


# --- one series' baseline -------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """The expected level of one month from the months before it, and its band."""

    expected: float
    lower: float
    upper: float
    p_value: float  # P(count ≥ observed) under the expected level
    model: str  # "seasonal", "simple", or "empty" (no case in the history)
    # In-sample expected level and band of the history months (for the evidence chart).
    fitted: np.ndarray
    fitted_lower: np.ndarray
    fitted_upper: np.ndarray
    # A category's trend + seasons + festival week (stage one), which its townships and parks take.
    shape: Shape | None = None


def _band(mean: np.ndarray, variance: np.ndarray, observed: np.ndarray | None = None):
    """(lower, upper, p_value) of counts with this mean and variance: negative binomial, Poisson if not over-dispersed.

    lower and upper are the α and 1 − α quantiles; p_value is P(count ≥ observed).
    """
    from scipy import stats  # scipy's distributions, called unfrozen: freezing one costs a millisecond

    mean = np.maximum(np.asarray(mean, dtype=float), 1e-9)
    variance = np.maximum(np.asarray(variance, dtype=float), mean)
    over = variance > mean * (1 + 1e-9)
    # NB(n, p): mean n(1 − p)/p, variance mean/p.
    p = np.where(over, mean / variance, 0.5)
    n = np.where(over, mean * p / (1 - p), 1.0)

    def either(nb, po):
        return np.where(over, nb, po)

    lower = either(stats.nbinom.ppf(ALPHA, n, p), stats.poisson.ppf(ALPHA, mean))
    upper = either(stats.nbinom.ppf(1 - ALPHA, n, p), stats.poisson.ppf(1 - ALPHA, mean))
    p_value = None
    if observed is not None:
        k = np.asarray(observed, dtype=float) - 1
        p_value = either(stats.nbinom.sf(k, n, p), stats.poisson.sf(k, mean))
    return lower, upper, p_value


def _design(months: list[date], target: date, harmonics: int) -> tuple[np.ndarray, list[str]]:
    """Columns: const, trend (years before the target), the seasonal waves, pre-festival shares, festival week."""
    number = np.array([m.year * 12 + m.month - 1 for m in months], dtype=float)
    trend = (number - (target.year * 12 + target.month - 1)) / 12.0
    angle = 2 * math.pi * np.array([m.month - 1 for m in months], dtype=float) / 12.0
    columns = {"const": np.ones(len(months)), "trend": trend}
    for k in range(1, harmonics + 1):
        columns[f"sin{k}"] = np.sin(k * angle)
        columns[f"cos{k}"] = np.cos(k * angle)
    shares = np.array([festival_shares(m) for m in months], dtype=float)
    for j in range(shares.shape[1] - 1):
        columns[f"festival_pre{j}"] = shares[:, j]
    columns["festival_week"] = shares[:, -1]
    names = list(columns)
    return np.column_stack([columns[n] for n in names]), names


def _glm(y: np.ndarray, x: np.ndarray, *, identity: bool = False):
    """A Poisson GLM (log link, or identity) with Pearson-χ² scale; None when it yields no finite fit."""
    # The GLM module itself, not statsmodels.api: the api imports every model statsmodels has
    # (2.7 s against 0.4 s on this machine), paid by the first rising-issues request of a server.
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM

    family = families.Poisson(families.links.Identity()) if identity else families.Poisson()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence, perfect-prediction and link warnings: checked below
        try:
            result = GLM(y, x, family=family).fit(scale="X2")
        except (ValueError, np.linalg.LinAlgError, FloatingPointError, ZeroDivisionError):
            return None
    if not np.all(np.isfinite(result.params)) or not np.all(np.isfinite(result.bse)):
        return None
    return result


@dataclass(frozen=True)
class Shape:
    """A category's log-scale shape over the history months and the target, and the target's variance."""

    values: np.ndarray
    variance: float


def seasonal_shape(y_hist: np.ndarray, months_hist: list[date], target: date) -> Shape | None:
    """A category's trend, seasons and festival week on the log scale, over the history months and the target.

    Stage one: a log-link Poisson regression on every term (the pre-festival
    shares included, so that the peak does not bend the seasons); the shape
    keeps all but the level and the pre-festival peak, which stage two fits
    for each series. None when it cannot be fitted.
    """
    harmonics = 2 if len(y_hist) >= 36 else 1
    x_all, names = _design([*months_hist, target], target, harmonics)
    result = _glm(np.asarray(y_hist, dtype=float), x_all[:-1])
    if result is None:
        return None
    keep = [i for i, n in enumerate(names) if n != "const" and not n.startswith("festival_pre")]
    shape = x_all[:, keep] @ result.params[keep]
    # A shape that explodes (a category with a handful of cases) is no shape.
    if not np.all(np.abs(shape) < 5):
        return None
    # How uncertain the target's shape is against the history's (weighted by the history's counts):
    # the level is fitted to the history, so this difference is what the prediction carries.
    weights = np.asarray(result.fittedvalues, dtype=float)
    contrast = x_all[-1, keep] - (weights @ x_all[:-1, keep]) / max(weights.sum(), 1e-9)
    variance = float(contrast @ np.asarray(result.cov_params())[np.ix_(keep, keep)] @ contrast)
    return Shape(shape, max(variance, 0.0))


def seasonal_baseline(
    y_hist: np.ndarray, months_hist: list[date], target: date, observed: int, *, shape: Shape | None = None
) -> Baseline:
    """The seasonal expected level of ``target`` from the history ``y_hist`` (one count per month of ``months_hist``).

    Stage two: expected(month) = level × exp(shape(month)) + Σ peak_j ×
    share_j(month), an identity-link Poisson regression: the pre-festival
    cases *add* to the ordinary ones in proportion to how much of the
    window falls in the month (a multiplicative term under-predicts a month
    that holds part of a large peak). Each peak is at least 0; a negative
    one is dropped and the model refitted. ``shape`` is the category's
    (:func:`seasonal_shape`); without it the series is a category and its
    own shape is fitted first. A model that cannot be fitted falls back to
    the mean of the last months.
    """
    y_hist = np.asarray(y_hist, dtype=float)
    if y_hist.sum() == 0:
        return _empty(len(y_hist), observed)
    own_shape = shape is None
    if own_shape:
        shape = seasonal_shape(y_hist, months_hist, target)
    if shape is None:
        shape = Shape(np.zeros(len(y_hist) + 1), 0.0)
    shares = np.array([festival_shares(m) for m in [*months_hist, target]], dtype=float)[:, :-1]
    x_all = np.column_stack([np.exp(shape.values), shares])
    columns = list(range(x_all.shape[1]))
    baseline = None
    while columns:
        x = x_all[:, columns]
        result = _glm(y_hist, x[:-1], identity=True)
        if result is None or result.params[0] <= 0:
            break
        negative = [j for j, b in zip(columns[1:], result.params[1:], strict=True) if b < 0]
        if negative:
            columns = [j for j in columns if j not in negative]
            continue
        baseline = _from_glm(result, x[:-1], x[-1], observed, shape.variance)
        break
    if baseline is None:
        return replace(simple_baseline(y_hist, observed), model="mean")
    return replace(baseline, shape=shape if own_shape else None)


def _from_glm(result, x_hist: np.ndarray, x_target: np.ndarray, observed: int,
              shape_variance: float) -> Baseline | None:
    dispersion = 1.0
    if result.df_resid > 0:
        dispersion = max(1.0, float(result.pearson_chi2) / float(result.df_resid))
    mean = float(x_target @ result.params)
    # The estimate's own uncertainty widens the band: stage two's (x' Σ x, Σ already scaled by the
    # dispersion), and the seasons' from stage one (delta method on the ordinary part, level × e^shape).
    ordinary = float(x_target[0] * result.params[0])
    se2 = float(x_target @ result.cov_params() @ x_target) + ordinary * ordinary * shape_variance
    if not (math.isfinite(mean) and math.isfinite(se2)) or mean <= 0:
        return None
    lower, upper, p_value = _band(np.array([mean]), np.array([dispersion * mean + se2]), np.array([observed]))
    fitted = np.maximum(x_hist @ result.params, 1e-9)
    fitted_lower, fitted_upper, _ = _band(fitted, dispersion * fitted)
    return Baseline(mean, float(lower[0]), float(upper[0]), float(p_value[0]), "seasonal",
                    fitted, fitted_lower, fitted_upper)


def simple_baseline(y_hist: np.ndarray, observed: int) -> Baseline:
    """The mean of the last (up to 12) months, with a Poisson band: no seasons."""
    y_hist = np.asarray(y_hist, dtype=float)
    recent = y_hist[-SIMPLE_HISTORY_MONTHS:]
    if recent.sum() == 0:
        return _empty(len(y_hist), observed)
    mean = float(recent.mean())
    lower, upper, p_value = _band(np.array([mean]), np.array([mean]), np.array([observed]))
    fitted = np.full(len(y_hist), mean)
    fitted_lower, fitted_upper, _ = _band(fitted, fitted)
    return Baseline(mean, float(lower[0]), float(upper[0]), float(p_value[0]), "simple",
                    fitted, fitted_lower, fitted_upper)


def _empty(n: int, observed: int) -> Baseline:
    """No case in the whole history: expected 0, and any case at all is unexpected."""
    zeros = np.zeros(n)
    return Baseline(0.0, 0.0, 0.0, 1.0 if observed <= 0 else 0.0, "empty", zeros, zeros, zeros)


def is_rise(observed: int, baseline: Baseline) -> bool:
    """Above the band's upper edge and at least MIN_EXCESS above the expected level."""
    return observed > baseline.upper and observed >= baseline.expected + MIN_EXCESS


def method_for(history_months: int) -> str:
    if history_months >= SEASONAL_MIN_HISTORY:
        return "seasonal"
    if history_months >= SIMPLE_MIN_HISTORY:
        return "simple"
    return "none"


# --- the counts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Series:
    series_id: str
    level: str
    category_id: int
    township_id: int | None
    park_id: int | None


def _month_index(months: list[date]) -> dict[date, int]:
    return {m: i for i, m in enumerate(months)}


def _counts(engine: Engine, flt: CaseFilter, months: list[date], source: str) -> dict[_Series, np.ndarray]:
    """Every series' monthly ``received`` over ``months`` (the engine's figures), zeros included.

    One statement (:func:`~queries.metrics.received_by_month_split`): the
    categories, the categories in each township in view and in each park in
    view, each a GROUP BY of the monthly summary.
    """
    period = flt.with_period(months[0], add_months(months[-1], 0, last_day=True))
    index = _month_index(months)
    townships = _townships_in_view(engine, flt)
    # With one township in view, the categories' series are that township's: named so, not repeated.
    only = townships[0] if len(townships) == 1 else None
    parks = dict(_parks_in_view(engine, flt))
    splits = [(None, None), ("township", townships if only is None else []), ("park", list(parks))]
    frame = metrics.received_by_month_split(engine, period, "category", splits, source=source)
    found: dict[_Series, np.ndarray] = {}
    for split, c, member, month, received in frame.iter_rows():
        if split == 0:
            series = _Series(f"c{c}", "category", c, only, None)
        elif split == 1:
            series = _Series(f"c{c}/t{member}", "township", c, member, None)
        else:
            series = _Series(f"c{c}/p{member}", "park", c, parks[member], member)
        found.setdefault(series, np.zeros(len(months)))[index[month]] = received
    return found


def _townships_in_view(engine: Engine, flt: CaseFilter) -> list[int]:
    ids = reference.townships(engine)["id"].to_list()
    if flt.scope.township_id is not None:
        ids = [i for i in ids if i == flt.scope.township_id]
    if flt.township_ids:
        ids = [i for i in ids if i in flt.township_ids]
    return ids


def _parks_in_view(engine: Engine, flt: CaseFilter) -> list[tuple[int, int | None]]:
    parks = reference.parks(engine)
    rows = list(zip(parks["id"].to_list(), parks["township_id"].to_list(), strict=True))
    if flt.scope.township_id is not None:
        rows = [r for r in rows if r[1] == flt.scope.township_id]
    if flt.township_ids:
        rows = [r for r in rows if r[1] in flt.township_ids]
    if flt.park_ids:
        rows = [r for r in rows if r[0] in flt.park_ids]
    return rows


def _months_between(first: date, month: date) -> int:
    return (month.year - first.year) * 12 + month.month - first.month


def history_months(engine: Engine, month: date) -> int:
    """How many months before ``month`` hold data (from the first month with a case), at most HISTORY_MONTHS.

    Months before the first case in the database are not history: a county
    that started recording a year ago has twelve months of it.
    """
    period = reference.data_period(engine)
    if period is None:
        return 0
    return max(0, min(HISTORY_MONTHS, _months_between(period[0].replace(day=1), month)))


# --- the result ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RisingResult:
    """Every tested series of the month, and what the page says about the rule.

    ``issues``: one row per tested series (a series with at least MIN_EXCESS
    cases this month), rises first by strength (columns: ``series_id``,
    ``level`` (category / township / park), ``category_id``, ``category``,
    ``township_id``, ``township``, ``park_id``, ``park``, ``month``,
    ``received``, ``expected``, ``lower``, ``upper``, ``p_value``,
    ``strength``, ``excess``, ``rising_months`` (None unless a rise),
    ``is_rising``, ``model``). ``evidence``: per tested series, each history
    month and the month itself with ``received``, ``expected``, ``lower`` and
    ``upper`` (the band), for a chart. ``method`` is "seasonal", "simple"
    (short history: the seasons are not known) or "none"; ``rule_zh`` and
    ``rule_en`` state the rule that was used.
    """

    month: date
    method: str
    history_months: int
    issues: pl.DataFrame
    evidence: pl.DataFrame
    rule_zh: str
    rule_en: str

    @property
    def rising(self) -> pl.DataFrame:
        return self.issues.filter(pl.col("is_rising"))


def _rule(method: str) -> tuple[str, str]:
    return {"seasonal": (RULE_ZH, RULE_EN), "simple": (SIMPLE_RULE_ZH, SIMPLE_RULE_EN),
            "none": (NONE_RULE_ZH, NONE_RULE_EN)}[method]


class _Baselines:
    """Baselines of every series at any month of the axis, each computed once."""

    def __init__(self, counts: dict[_Series, np.ndarray], months: list[date], first_data: int):
        self.counts = counts
        self.months = months
        self.first_data = first_data  # index of the first month with data (may be negative)
        self.categories = {s.category_id: s for s in counts if s.level == "category"}
        self._cache: dict[tuple[str, int], Baseline | None] = {}

    def history(self, i: int) -> int:
        return max(0, min(HISTORY_MONTHS, i - self.first_data, i))

    def at(self, series: _Series, i: int) -> Baseline | None:
        key = (series.series_id, i)
        if key not in self._cache:
            self._cache[key] = self._compute(series, i)
        return self._cache[key]

    def _compute(self, series: _Series, i: int) -> Baseline | None:
        n = self.history(i)
        method = method_for(n)
        if method == "none":
            return None
        y = self.counts[series][i - n:i]
        observed = int(self.counts[series][i])
        if method == "simple":
            return simple_baseline(y, observed)
        shape = None
        if series.level != "category":
            category = self.categories.get(series.category_id)
            parent = self.at(category, i) if category is not None else None
            shape = parent.shape if parent is not None else None
            # None: no seasons known, flat; the festival peak is still the series' own.
        return seasonal_baseline(y, self.months[i - n:i], self.months[i], observed, shape=shape)

    def rising_months(self, series: _Series, i: int) -> int:
        """This month and the months just before it whose count was above their own expected level."""
        run = 1
        for k in range(1, LOOKBACK_MONTHS + 1):
            j = i - k
            if j < 0:
                break
            baseline = self.at(series, j)
            if baseline is None or not self.counts[series][j] > baseline.expected:
                break
            run += 1
        return run


def rising_issues(engine: Engine, flt: CaseFilter, *, source: str = "auto") -> RisingResult:
    """Rising issues in the month of ``flt.end`` (the rule: module docstring, :data:`RULE_ZH`).

    The filter's dimensions and scope apply to every count: a township
    officer's categories are those of their township, and they see only
    their township's parks.
    """
    month = flt.end.replace(day=1)
    n_history = history_months(engine, month)
    method = method_for(n_history)
    rule_zh, rule_en = _rule(method)
    # The axis: the history of the month itself, and of the months "rising" looks back over.
    months = [add_months(month, -k) for k in range(HISTORY_MONTHS + LOOKBACK_MONTHS, -1, -1)]
    target = len(months) - 1
    counts = _counts(engine, flt, months, source) if method != "none" else {}
    period = reference.data_period(engine)
    first_data = target - (_months_between(period[0].replace(day=1), month) if period else 0)
    baselines = _Baselines(counts, months, first_data)
    names = _names(engine)
    issues, evidence = [], []
    for series, y in sorted(counts.items(), key=lambda kv: kv[0].series_id):
        observed = int(y[target])
        if observed < MIN_EXCESS:
            continue  # cannot be MIN_EXCESS above any expected level
        baseline = baselines.at(series, target)
        if baseline is None:
            continue
        rising = is_rise(observed, baseline)
        issues.append({
            "series_id": series.series_id, "level": series.level,
            "category_id": series.category_id, "category": names["category"].get(series.category_id),
            "township_id": series.township_id, "township": names["township"].get(series.township_id),
            "park_id": series.park_id, "park": names["park"].get(series.park_id),
            "month": month, "received": observed, "expected": baseline.expected,
            "lower": baseline.lower, "upper": baseline.upper, "p_value": baseline.p_value,
            "strength": -math.log10(max(baseline.p_value, 1e-300)),
            "excess": observed - baseline.expected,
            "rising_months": baselines.rising_months(series, target) if rising else None,
            "is_rising": rising, "model": baseline.model,
        })
        n = len(baseline.fitted)
        for j in range(n):
            i = target - n + j
            evidence.append((series.series_id, months[i], int(y[i]), float(baseline.fitted[j]),
                             float(baseline.fitted_lower[j]), float(baseline.fitted_upper[j]), False))
        evidence.append((series.series_id, month, observed, baseline.expected, baseline.lower, baseline.upper,
                         True))
    frame = pl.DataFrame(issues, schema=_ISSUE_SCHEMA, orient="row") if issues else pl.DataFrame(
        schema=_ISSUE_SCHEMA)
    frame = frame.sort(["is_rising", "strength", "excess", "series_id"], descending=[True, True, True, False])
    return RisingResult(
        month=month, method=method, history_months=n_history, issues=frame,
        evidence=pl.DataFrame(evidence, schema=_EVIDENCE_SCHEMA, orient="row"),
        rule_zh=rule_zh, rule_en=rule_en,
    )


def _names(engine: Engine) -> dict[str, dict[int, str]]:
    out = {}
    for level, table in (("category", reference.categories), ("township", reference.townships),
                         ("park", reference.parks)):
        frame = table(engine)
        out[level] = dict(zip(frame["id"].to_list(), frame["name"].to_list(), strict=True))
    return out
