"""The rising rule as it was first written: one statsmodels GLM pair and one scipy band per series.

A frozen reference, kept for ``tests/queries/test_rising_reference.py``: the
module under test (:mod:`queries.rising`) fits every series at once with its
own numpy IRLS, and that test holds its estimates, bands, flags and evidence
equal to these, series by series, the way the summary is held equal to the
raw statement. The code below is ``queries/rising.py`` as of commit 58ebace
(main before this work: counts read one township and one park at a time, 19
statements; each series fitted by ``statsmodels.genmod.GLM``), unchanged but
for imports and its own copies of ``_names`` and ``_month_index``. Do not
"improve" it: it is the definition the fast code must meet.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import polars as pl
from sqlalchemy import Engine

from queries import metrics, reference
from queries.filters import CaseFilter, add_months
from queries.rising import (
    _EVIDENCE_SCHEMA,
    _ISSUE_SCHEMA,
    ALPHA,
    HISTORY_MONTHS,
    LOOKBACK_MONTHS,
    MIN_EXCESS,
    SEASONAL_MIN_HISTORY,
    SIMPLE_HISTORY_MONTHS,
    SIMPLE_MIN_HISTORY,
    RisingResult,
    _months_between,
    _parks_in_view,
    _rule,
    _Series,
    _townships_in_view,
    festival_shares,
    history_months,
)


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



# --- the counts (19 statements) ---


def _month_index(months: list[date]) -> dict[date, int]:
    return {m: i for i, m in enumerate(months)}


def _counts(engine: Engine, flt: CaseFilter, months: list[date], source: str) -> dict[_Series, np.ndarray]:
    """Every series' monthly ``received`` over ``months`` (the engine's figures), zeros included."""
    period = flt.with_period(months[0], add_months(months[-1], 0, last_day=True))
    index = _month_index(months)
    found: dict[_Series, np.ndarray] = {}

    def add(frame: pl.DataFrame, make) -> None:
        for key, month, received in frame.iter_rows():
            series = make(int(key))
            found.setdefault(series, np.zeros(len(months)))[index[month]] = received

    townships = _townships_in_view(engine, flt)
    # With one township in view, the categories' series are that township's: named so, not repeated.
    only = townships[0] if len(townships) == 1 else None
    add(metrics.received_by_month(engine, period, "category", source=source),
        lambda c: _Series(f"c{c}", "category", c, only, None))
    if only is None:
        for t in townships:
            add(metrics.received_by_month(engine, replace(period, township_ids=(t,)), "category", source=source),
                lambda c, t=t: _Series(f"c{c}/t{t}", "township", c, t, None))
    for p, t in _parks_in_view(engine, flt):
        add(metrics.received_by_month(engine, replace(period, park_ids=(p,)), "category", source=source),
            lambda c, p=p, t=t: _Series(f"c{c}/p{p}", "park", c, t, p))
    return found


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


def reference_rising_issues(engine: Engine, flt: CaseFilter, *, source: str = "auto") -> RisingResult:
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
