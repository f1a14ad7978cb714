"""Rising issues (异常上升): categories, and categories in a township or park, above their own expected level.

The rule, stated in :data:`RULE_ZH` / :data:`RULE_EN` for the page:

* Each **series** is one category's monthly ``received`` (within the filter
  and scope), and the same category in each township and in each industrial
  park. Only a series with at least :data:`MIN_EXCESS` cases in the month can
  be flagged, so only those are tested.
* Its **expected level** for the month comes from its own previous months
  (up to :data:`HISTORY_MONTHS`), in two stages (Poisson GLMs):

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

How it is computed, and why so: the counts are the metrics engine's
:func:`~queries.metrics.received_by_month_split`, read from the monthly
summary in one statement (every category, county-wide, per township and per
park), never from the cases. The regressions are fitted for every series of
a month at once by :func:`_poisson_fits`, a numpy transcription of
statsmodels' IRLS (the same start, steps, stopping rule, covariance and
Pearson-χ² scale): statsmodels fitted one series at a time at about 2 ms of
Python overhead a fit, two fits a series, which made a month at a million
cases seconds. ``tests/queries/test_rising_reference.py`` holds the estimates,
bands, flags and evidence equal (to 1e-6) to statsmodels' own fits
(``tests/rising_reference.py``, the rule as first written) on random and
hand-made counties. The bands are scipy's negative binomial and Poisson
quantiles, one call for all series. Only series with enough cases this month
are tested. And the views pages open on (the latest two months, for the
county and for each township officer) are computed once per write, by
:func:`store_views` in the write path, and read back by :func:`rising_issues`
while they hold (``tests/queries/test_rising_stored.py``).
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import numpy as np
import polars as pl
from sqlalchemy import Connection, Engine, insert, select, update

from data.db import InTransaction
from data.models import DataVersion, rising_stamp, rising_view_evidence, rising_view_issues, rising_views
from data.reception_calendar import spring_festival
from queries import metrics, reference
from queries.filters import DIMENSIONS, CaseFilter, Scope, add_months
from queries.summary import number_of_month
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
    # "seasonal"; "mean" (the seasonal model could not be fitted: the simple rule's level);
    # "simple" (short history); "empty" (no case in the history).
    model: str
    # In-sample expected level and band of the history months (for the evidence chart).
    fitted: np.ndarray
    fitted_lower: np.ndarray
    fitted_upper: np.ndarray
    # A category's trend + seasons + festival week (stage one), which its townships and parks take.
    shape: Shape | None = None


@dataclass(frozen=True)
class Shape:
    """A category's log-scale shape over the history months and the target, and the target's variance."""

    values: np.ndarray
    variance: float


def _band(mean: np.ndarray, variance: np.ndarray, observed: np.ndarray | None = None):
    """(lower, upper, p_value) of counts with this mean and variance: negative binomial, Poisson if not over-dispersed.

    lower and upper are the α and 1 − α quantiles; p_value is P(count ≥ observed).
    Element by element, so one call serves every series and month at once.
    """
    from scipy import stats  # scipy's distributions, called unfrozen: freezing one costs a millisecond

    mean = np.maximum(np.asarray(mean, dtype=float), 1e-9)
    variance = np.maximum(np.asarray(variance, dtype=float), mean)
    over = variance > mean * (1 + 1e-9)
    # NB(n, p): mean n(1 − p)/p, variance mean/p.
    p = np.where(over, mean / variance, 0.5)
    n = np.where(over, mean * p / (1 - p), 1.0)

    def either(nb, po, *values):
        # Each distribution where it applies: scipy's quantiles are the time here (one call per kind).
        out = np.empty(mean.shape)
        out[over] = nb(*(np.broadcast_to(v, mean.shape)[over] for v in values), n[over], p[over])
        out[~over] = po(*(np.broadcast_to(v, mean.shape)[~over] for v in values), mean[~over])
        return out

    lower = either(stats.nbinom.ppf, stats.poisson.ppf, ALPHA)
    upper = either(stats.nbinom.ppf, stats.poisson.ppf, 1 - ALPHA)
    p_value = None
    if observed is not None:
        p_value = either(stats.nbinom.sf, stats.poisson.sf, np.asarray(observed, dtype=float) - 1)
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


# --- Poisson regressions, every series at once ----------------------------------------------------

_EPS = np.finfo(float).eps
_MAX_ITERATIONS = 100
_TOLERANCE = 1e-8


@dataclass(frozen=True)
class _Fits:
    """Poisson GLM fits of S series with Pearson-χ² scale: what statsmodels' ``GLM(y, x, family).fit(scale="X2")`` gives.

    ``ok`` is False where statsmodels would raise or give a non-finite
    estimate or standard error (the series then has no fit).
    """

    ok: np.ndarray  # (S,)
    params: np.ndarray  # (S, p)
    cov: np.ndarray  # (S, p, p): the estimates' covariance, scaled
    mu: np.ndarray  # (S, n): fitted values
    pearson_chi2: np.ndarray  # (S,)
    df_resid: np.ndarray  # (S,)
    converged: np.ndarray  # (S,): the deviance settled within the iterations allowed


def _poisson_fits(y: np.ndarray, x: np.ndarray, *, identity: bool = False) -> _Fits:
    """Poisson regressions of each row of ``y`` (S, n) on its design ``x`` (S, n, p), log link or identity link.

    Why not statsmodels: its GLM costs about 2 ms of Python per fit, and two
    fits per series made the rising issues seconds at a million cases; these
    are a few small matrix products for all series together. The algorithm is
    statsmodels' IRLS step for step (GLM._fit_irls of statsmodels 0.15), so
    that ``tests/queries/test_rising_reference.py`` can hold the results equal
    to statsmodels' own: start at μ = (y + ȳ)/2; each iteration solves the
    weighted least squares of the working response z = η + g'(μ)(y − μ) with
    weights 1 / (g'(μ)² V(μ)), V(μ) = |μ|, by the pseudo-inverse; stop when
    the scaled deviance changes by at most 1e-8 (at most 100 iterations); the
    estimates and their unscaled covariance are the pseudo-inverse solution
    of the last step, the scale Pearson's χ² over the residual degrees of
    freedom at the last μ. A series fails where statsmodels would raise:
    a NaN first deviance, or non-finite weights or working response.
    """
    y = np.asarray(y, dtype=float)
    s, n, p = x.shape
    df_resid = (n - np.linalg.matrix_rank(x)).astype(float)

    def fitted(eta):
        return eta if identity else np.exp(eta)

    def scale_of(yy, mu, df):  # Pearson's χ² / df_resid, V(μ) = |μ|
        return np.sum((yy - mu) ** 2 / np.abs(mu), axis=1) / df

    def deviance(yy, mu, scale):
        return np.sum(2 * (yy * np.log(np.clip(yy / mu, _EPS, None)) - (yy - mu)), axis=1) / scale

    with np.errstate(all="ignore"):
        mu = (y + y.mean(axis=1, keepdims=True)) / 2.0
        eta = mu.copy() if identity else np.log(np.clip(mu, _EPS, None))
        scale = scale_of(y, mu, df_resid)
        dev = deviance(y, mu, scale)
        ok = ~np.isnan(dev)
        active = ok.copy()
        converged = np.zeros(s, dtype=bool)
        weights = np.ones_like(y)
        working = np.zeros_like(y)
        for _ in range(_MAX_ITERATIONS):
            rows = np.flatnonzero(active)
            if not rows.size:
                break
            yy, m, xx = y[rows], mu[rows], x[rows]
            derivative = np.ones_like(m) if identity else 1.0 / np.clip(m, _EPS, None)
            w = 1.0 / (derivative**2 * np.abs(m))
            z = eta[rows] + derivative * (yy - m)
            half = np.sqrt(w)
            finite = np.all(np.isfinite(half), axis=1) & np.all(np.isfinite(z), axis=1)
            ok[rows[~finite]] = False
            active[rows[~finite]] = False
            rows, yy, xx, half, w, z = rows[finite], yy[finite], xx[finite], half[finite], w[finite], z[finite]
            if not rows.size:
                break
            beta = np.einsum("spn,sn->sp", np.linalg.pinv(half[:, :, None] * xx), half * z)
            new_eta = np.einsum("snp,sp->sn", xx, beta)
            new_mu = fitted(new_eta)
            # statsmodels divides the new deviance by the scale of the step before, then updates the scale.
            new_dev = deviance(yy, new_mu, scale[rows])
            new_scale = scale_of(yy, new_mu, df_resid[rows])
            settled = np.isclose(dev[rows], new_dev, rtol=0.0, atol=_TOLERANCE)
            weights[rows], working[rows] = w, z
            eta[rows], mu[rows], scale[rows], dev[rows] = new_eta, new_mu, new_scale, new_dev
            converged[rows[settled]] = True
            active[rows[settled]] = False
        # The last step once more, as statsmodels ends: the estimates and (X'WX)⁻¹ from its pseudo-inverse.
        half = np.sqrt(weights)
        pinv = np.linalg.pinv(half[:, :, None] * x)
        params = np.einsum("spn,sn->sp", pinv, half * working)
        cov = np.einsum("spn,sqn->spq", pinv, pinv) * scale[:, None, None]
        mu = fitted(np.einsum("snp,sp->sn", x, params))
        pearson_chi2 = np.sum((y - mu) ** 2 / np.abs(mu), axis=1)
        se = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
        ok &= np.all(np.isfinite(params), axis=1) & np.all(np.isfinite(se), axis=1)
    return _Fits(ok, params, cov, mu, pearson_chi2, df_resid, converged)


# --- the two stages, every series of a month at once -------------------------------------------------


def seasonal_shapes(y_hist: np.ndarray, months_hist: list[date], target: date) -> list[Shape | None]:
    """Each category's trend, seasons and festival week on the log scale, over the history months and the target.

    Stage one, for each row of ``y_hist`` (S, n): a log-link Poisson
    regression on every term (the pre-festival shares included, so that the
    peak does not bend the seasons); the shape keeps all but the level and the
    pre-festival peak, which stage two fits for each series. None where it
    cannot be fitted.
    """
    y_hist = np.asarray(y_hist, dtype=float).reshape(-1, len(months_hist))
    harmonics = 2 if len(months_hist) >= 36 else 1
    x_all, names = _design([*months_hist, target], target, harmonics)
    x_hist = x_all[:-1]
    fits = _poisson_fits(y_hist, np.broadcast_to(x_hist, (len(y_hist), *x_hist.shape)))
    keep = [i for i, n in enumerate(names) if n != "const" and not n.startswith("festival_pre")]
    with np.errstate(all="ignore"):
        shape = fits.params[:, keep] @ x_all[:, keep].T
        # How uncertain the target's shape is against the history's (weighted by the history's counts):
        # the level is fitted to the history, so this difference is what the prediction carries.
        weights = fits.mu
        contrast = x_all[-1, keep] - (weights @ x_hist[:, keep]) / np.maximum(weights.sum(axis=1), 1e-9)[:, None]
        variance = np.einsum("sk,skl,sl->s", contrast, fits.cov[:, keep][:, :, keep], contrast)
    out: list[Shape | None] = []
    for k in range(len(y_hist)):
        # A shape that explodes (a category with a handful of cases) is no shape.
        if not fits.ok[k] or not np.all(np.abs(shape[k]) < 5):
            out.append(None)
        else:
            out.append(Shape(shape[k], max(float(variance[k]), 0.0)))
    return out


@dataclass(frozen=True)
class _Level:
    """A baseline before its band: the expected level and its variance, the in-sample fit and its variance."""

    model: str
    expected: float
    variance: float
    fitted: np.ndarray
    fitted_variance: np.ndarray
    shape: Shape | None = None


def _seasonal_levels(y_hist: np.ndarray, months_hist: list[date], target: date,
                     shapes: list[Shape]) -> list[_Level | None]:
    """Stage two for each row of ``y_hist`` with its shape: level × e^shape + Σ peak_j × share_j, identity link.

    The pre-festival cases *add* to the ordinary ones in proportion to how
    much of the window falls in the month (a multiplicative term
    under-predicts a month that holds part of a large peak). Each peak is at
    least 0: a negative one is dropped and the model refitted. None where the
    model cannot be fitted (no fit, a level ≤ 0, a non-finite or non-positive
    expected level).
    """
    s, n = len(y_hist), len(months_hist)
    shares = np.array([festival_shares(m) for m in [*months_hist, target]], dtype=float)[:, :-1]
    x_all = np.concatenate([np.exp(np.stack([shape.values for shape in shapes]))[:, :, None],
                            np.broadcast_to(shares, (s, *shares.shape))], axis=2)
    shape_variance = np.array([shape.variance for shape in shapes])
    out: list[_Level | None] = [None] * s
    pending = {k: tuple(range(x_all.shape[2])) for k in range(s)}
    while pending:
        by_columns: dict[tuple[int, ...], list[int]] = {}
        for k, columns in pending.items():
            by_columns.setdefault(columns, []).append(k)
        pending = {}
        for columns, rows in by_columns.items():
            x = x_all[np.ix_(rows, range(n + 1), columns)]
            fits = _poisson_fits(y_hist[rows], x[:, :-1], identity=True)
            for r, k in enumerate(rows):
                if not fits.ok[r] or fits.params[r, 0] <= 0:
                    continue
                negative = [j for j, b in zip(columns[1:], fits.params[r, 1:], strict=True) if b < 0]
                if negative:
                    pending[k] = tuple(j for j in columns if j not in negative)
                    continue
                out[k] = _level_from_fit(fits, r, x[r, :-1], x[r, -1], float(shape_variance[k]))
    return out


def _level_from_fit(fits: _Fits, r: int, x_hist: np.ndarray, x_target: np.ndarray,
                    shape_variance: float) -> _Level | None:
    params, cov = fits.params[r], fits.cov[r]
    dispersion = 1.0
    if fits.df_resid[r] > 0:
        dispersion = max(1.0, float(fits.pearson_chi2[r]) / float(fits.df_resid[r]))
    mean = float(x_target @ params)
    # The estimate's own uncertainty widens the band: stage two's (x' Σ x, Σ already scaled by the
    # dispersion), and the seasons' from stage one (delta method on the ordinary part, level × e^shape).
    ordinary = float(x_target[0] * params[0])
    se2 = float(x_target @ cov @ x_target) + ordinary * ordinary * shape_variance
    if not (math.isfinite(mean) and math.isfinite(se2)) or mean <= 0:
        return None
    fitted = np.maximum(x_hist @ params, 1e-9)
    return _Level("seasonal", mean, dispersion * mean + se2, fitted, dispersion * fitted)


def _simple_level(y_hist: np.ndarray, model: str = "simple") -> _Level | None:
    """The mean of the last (up to 12) months, Poisson: no seasons. None when they hold no case."""
    recent = y_hist[-SIMPLE_HISTORY_MONTHS:]
    if recent.sum() == 0:
        return None
    mean = float(recent.mean())
    fitted = np.full(len(y_hist), mean)
    return _Level(model, mean, mean, fitted, fitted)


def _with_bands(levels: list[_Level | None], observed: np.ndarray, n: int,
                empty_model: list[str] | None = None) -> list[Baseline]:
    """The baselines of ``levels``, every band from one call (a None level: no case in the history)."""
    found = [k for k, level in enumerate(levels) if level is not None]
    out: list[Baseline] = []
    if found:
        lower, upper, p_value = _band(np.array([levels[k].expected for k in found]),
                                      np.array([levels[k].variance for k in found]),
                                      np.asarray(observed, dtype=float)[found])
        fitted = np.stack([levels[k].fitted for k in found])
        fitted_lower, fitted_upper, _ = _band(fitted, np.stack([levels[k].fitted_variance for k in found]))
    where = {k: i for i, k in enumerate(found)}
    for k, level in enumerate(levels):
        if level is None:
            empty = _empty(n, int(observed[k]))
            out.append(empty if empty_model is None else replace(empty, model=empty_model[k]))
            continue
        i = where[k]
        out.append(Baseline(level.expected, float(lower[i]), float(upper[i]), float(p_value[i]), level.model,
                            level.fitted, fitted_lower[i], fitted_upper[i], level.shape))
    return out


def seasonal_baselines(y_hist: np.ndarray, months_hist: list[date], target: date, observed: np.ndarray,
                       shapes: list[Shape | None] | None = None) -> list[Baseline]:
    """The seasonal expected level of ``target`` for each row of ``y_hist`` (S, n; one count per month of ``months_hist``).

    ``shapes`` are the categories' (:func:`seasonal_shapes`), one per row;
    where it is None (or ``shapes`` is), the series is taken for a category
    and its own shape is fitted first, and kept on its baseline for its
    townships and parks (a shape that cannot be fitted is flat). A model that
    cannot be fitted falls back to the mean of the last months (model
    "mean"); a history with no case gives model "empty".
    """
    y_hist = np.asarray(y_hist, dtype=float).reshape(-1, len(months_hist))
    observed = np.asarray(observed)
    s, n = y_hist.shape
    given = list(shapes) if shapes is not None else [None] * s
    some = [k for k in range(s) if y_hist[k].sum() > 0]
    own = [k for k in some if given[k] is None]
    fitted_shapes = dict(zip(own, seasonal_shapes(y_hist[own], months_hist, target), strict=True)) if own else {}
    flat = Shape(np.zeros(n + 1), 0.0)
    used = {k: given[k] if given[k] is not None else (fitted_shapes[k] or flat) for k in some}
    levels: list[_Level | None] = [None] * s
    models = ["empty"] * s
    if some:
        for k, level in zip(some, _seasonal_levels(y_hist[some], months_hist, target, [used[k] for k in some]),
                            strict=True):
            if level is None:
                levels[k], models[k] = _simple_level(y_hist[k], "mean"), "mean"
            else:
                levels[k] = replace(level, shape=used[k] if k in fitted_shapes else None)
    return _with_bands(levels, observed, n, models)


def seasonal_baseline(y_hist: np.ndarray, months_hist: list[date], target: date, observed: int, *,
                      shape: Shape | None = None) -> Baseline:
    """:func:`seasonal_baselines` of one series."""
    return seasonal_baselines(np.asarray(y_hist, dtype=float)[None, :], months_hist, target,
                              np.array([observed]), [shape])[0]


def simple_baselines(y_hist: np.ndarray, observed: np.ndarray) -> list[Baseline]:
    """The mean of the last (up to 12) months of each row, with a Poisson band: no seasons."""
    y_hist = np.atleast_2d(np.asarray(y_hist, dtype=float))
    return _with_bands([_simple_level(row) for row in y_hist], np.asarray(observed), y_hist.shape[1])


def simple_baseline(y_hist: np.ndarray, observed: int) -> Baseline:
    """:func:`simple_baselines` of one series."""
    return simple_baselines(np.asarray(y_hist, dtype=float)[None, :], np.array([observed]))[0]


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


def _counts(engine: Engine, flt: CaseFilter, months: list[date], source: str) -> dict[_Series, np.ndarray]:
    """Every series' monthly ``received`` over ``months`` (the engine's figures), zeros included.

    One statement (:func:`~queries.metrics.received_by_month_split`): the
    categories, the categories in each township in view and in each park in
    view, each a GROUP BY of the monthly summary.
    """
    period = flt.with_period(months[0], add_months(months[-1], 0, last_day=True))
    townships = _townships_in_view(engine, flt)
    # With one township in view, the categories' series are that township's: named so, not repeated.
    only = townships[0] if len(townships) == 1 else None
    parks = dict(_parks_in_view(engine, flt))
    splits = [(None, None), ("township", townships if only is None else []), ("park", list(parks))]
    frame = metrics.received_by_month_split(engine, period, "category", splits, source=source)
    if frame.is_empty():
        return {}
    # One row per series (split, category, member), one column per month of the axis.
    frame = frame.with_columns(
        ((pl.col("month").dt.year() - months[0].year) * 12 + pl.col("month").dt.month() - months[0].month)
        .alias("at"),
        pl.struct("split", "key", "member").rank("dense").cast(pl.Int64).alias("row") - 1,
    )
    table = np.zeros((int(frame["row"].max()) + 1, len(months)))
    table[frame["row"].to_numpy(), frame["at"].to_numpy()] = frame["received"].to_numpy()
    found: dict[_Series, np.ndarray] = {}
    for row, split, c, member in frame.select("row", "split", "key", "member").unique("row").iter_rows():
        if split == 0:
            series = _Series(f"c{c}", "category", c, only, None)
        elif split == 1:
            series = _Series(f"c{c}/t{member}", "township", c, member, None)
        else:
            series = _Series(f"c{c}/p{member}", "park", c, parks[member], member)
        found[series] = table[row]
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
    """Baselines of every series at any month of the axis, each computed once, a month's series together."""

    def __init__(self, counts: dict[_Series, np.ndarray], months: list[date], first_data: int):
        self.counts = counts
        self.months = months
        self.first_data = first_data  # index of the first month with data (may be negative)
        self.categories = {s.category_id: s for s in counts if s.level == "category"}
        self._cache: dict[tuple[str, int], Baseline | None] = {}

    def history(self, i: int) -> int:
        return max(0, min(HISTORY_MONTHS, i - self.first_data, i))

    def at(self, series: _Series, i: int) -> Baseline | None:
        self.prepare([series], i)
        return self._cache[(series.series_id, i)]

    def prepare(self, many: list[_Series], i: int) -> None:
        """Compute the baselines of ``many`` at month ``i`` that are not known yet, all in one go.

        Categories first: their shapes are their townships' and parks'. A
        township or park whose category has no shape (its model fell back to
        the mean, or it had no case) fits its own shape.
        """
        todo = list({s.series_id: s for s in many if (s.series_id, i) not in self._cache}.values())
        if not todo:
            return
        n = self.history(i)
        method = method_for(n)
        if method == "none":
            self._cache.update({(s.series_id, i): None for s in todo})
            return
        if method == "simple":
            self._store(todo, i, simple_baselines(self._history(todo, i, n), self._observed(todo, i)))
            return
        parents = sorted({self.categories[s.category_id] for s in todo
                          if s.level != "category" and s.category_id in self.categories}, key=lambda s: s.series_id)
        categories = [s for s in todo if s.level == "category"]
        categories += [p for p in parents if (p.series_id, i) not in self._cache and p not in categories]
        others = [s for s in todo if s.level != "category"]
        months_hist, target = self.months[i - n:i], self.months[i]
        for group in (categories, others):
            if not group:
                continue
            shapes = []
            for s in group:
                parent = self._cache.get((self.categories[s.category_id].series_id, i)) if (
                    s.level != "category" and s.category_id in self.categories) else None
                shapes.append(parent.shape if parent is not None else None)
            self._store(group, i, seasonal_baselines(self._history(group, i, n), months_hist, target,
                                                     self._observed(group, i), shapes))

    def _history(self, many: list[_Series], i: int, n: int) -> np.ndarray:
        return np.stack([self.counts[s][i - n:i] for s in many]).reshape(len(many), n)

    def _observed(self, many: list[_Series], i: int) -> np.ndarray:
        return np.array([int(self.counts[s][i]) for s in many])

    def _store(self, many: list[_Series], i: int, found: list[Baseline]) -> None:
        self._cache.update({(s.series_id, i): b for s, b in zip(many, found, strict=True)})

    def rising_months(self, many: list[_Series], i: int) -> dict[str, int]:
        """Per series: this month and the months just before it whose count was above their own expected level."""
        run = {s.series_id: 1 for s in many}
        live = list(many)
        for k in range(1, LOOKBACK_MONTHS + 1):
            j = i - k
            if j < 0 or not live:
                break
            self.prepare(live, j)
            still = []
            for s in live:
                baseline = self._cache[(s.series_id, j)]
                if baseline is not None and self.counts[s][j] > baseline.expected:
                    run[s.series_id] += 1
                    still.append(s)
            live = still
        return run


def rising_issues(engine: Engine, flt: CaseFilter, *, source: str = "auto", evidence: bool = True) -> RisingResult:
    """Rising issues in the month of ``flt.end`` (the rule: module docstring, :data:`RULE_ZH`).

    The filter's dimensions and scope apply to every count: a township
    officer's categories are those of their township, and they see only
    their township's parks. With ``source`` "auto", a view the write path
    stored (:func:`store_views`) is read when it is current; otherwise, and
    with "summary" or "raw" (where the counts come from), it is computed.
    ``evidence=False`` leaves the evidence out (an empty frame): the monthly
    review draws no chart of it, and a stored view's evidence is thousands of
    rows (most of the time of reading one).
    """
    if source == "auto":
        stored = stored_rising_issues(engine, flt, evidence=evidence)
        if stored is not None:
            return stored
    return _computed(engine, flt, source, evidence=evidence)


def _computed(engine: Engine, flt: CaseFilter, source: str, *, evidence: bool = True) -> RisingResult:
    month = flt.end.replace(day=1)
    n_history = history_months(engine, month)
    method = method_for(n_history)
    # The axis: the history of the month itself, and of the months "rising" looks back over.
    months = [add_months(month, -k) for k in range(HISTORY_MONTHS + LOOKBACK_MONTHS, -1, -1)]
    target = len(months) - 1
    counts = _counts(engine, flt, months, source) if method != "none" else {}
    period = reference.data_period(engine)
    first_data = target - (_months_between(period[0].replace(day=1), month) if period else 0)
    baselines = _Baselines(counts, months, first_data)
    # Only a series with MIN_EXCESS cases this month can be MIN_EXCESS above any expected level.
    tested = sorted((s for s, y in counts.items() if y[target] >= MIN_EXCESS), key=lambda s: s.series_id)
    baselines.prepare(tested, target)
    found = [(s, baselines.at(s, target)) for s in tested]
    found = [(s, b) for s, b in found if b is not None]
    rising = {s.series_id for s, b in found if is_rise(int(counts[s][target]), b)}
    runs = baselines.rising_months([s for s, _ in found if s.series_id in rising], target)
    issues = []
    for series, baseline in found:
        observed = int(counts[series][target])
        issues.append({
            "series_id": series.series_id, "level": series.level, "category_id": series.category_id,
            "township_id": series.township_id, "park_id": series.park_id, "received": observed,
            "expected": baseline.expected, "lower": baseline.lower, "upper": baseline.upper,
            "p_value": baseline.p_value, "strength": -math.log10(max(baseline.p_value, 1e-300)),
            "excess": observed - baseline.expected, "rising_months": runs.get(series.series_id),
            "is_rising": series.series_id in rising, "model": baseline.model,
        })
    found_evidence = _evidence(found, counts, months, target) if evidence else pl.DataFrame(schema=_EVIDENCE_SCHEMA)
    return _result(month, method, n_history, issues, found_evidence, _names(_reference_frames(engine)))


def _result(month: date, method: str, n_history: int, issues: list[dict], evidence: pl.DataFrame,
            names: dict[str, dict[int, str]]) -> RisingResult:
    """The result of issue rows (ids only) and their evidence: names attached, rises first by strength."""
    rows = [{**issue, "month": month, "category": names["category"].get(issue["category_id"]),
             "township": names["township"].get(issue["township_id"]), "park": names["park"].get(issue["park_id"])}
            for issue in issues]
    frame = pl.DataFrame(rows, schema=_ISSUE_SCHEMA, orient="row") if rows else pl.DataFrame(schema=_ISSUE_SCHEMA)
    frame = frame.sort(["is_rising", "strength", "excess", "series_id"], descending=[True, True, True, False])
    rule_zh, rule_en = _rule(method)
    return RisingResult(month=month, method=method, history_months=n_history, issues=frame, evidence=evidence,
                        rule_zh=rule_zh, rule_en=rule_en)


def _evidence(found: list[tuple[_Series, Baseline]], counts: dict[_Series, np.ndarray], months: list[date],
              target: int) -> pl.DataFrame:
    """Per series: each history month and the target with its count, expected level and band, as one frame."""
    if not found:
        return pl.DataFrame(schema=_EVIDENCE_SCHEMA)
    lengths = [len(b.fitted) + 1 for _, b in found]
    columns = {
        "series_id": np.repeat([s.series_id for s, _ in found], lengths),
        "month": [m for n in lengths for m in months[target - n + 1:]],
        "received": np.concatenate([counts[s][target - n + 1:] for (s, _), n in zip(found, lengths, strict=True)]),
    }
    for name, fitted in (("expected", "fitted"), ("lower", "fitted_lower"), ("upper", "fitted_upper")):
        columns[name] = np.concatenate([np.append(np.asarray(getattr(b, fitted), dtype=float), getattr(b, name))
                                        for _, b in found])
    columns["is_target"] = np.concatenate([np.arange(n) == n - 1 for n in lengths])
    return pl.DataFrame(columns).with_columns(pl.col("received").cast(pl.Int64), pl.col("month").cast(pl.Date)
                                              ).select(list(_EVIDENCE_SCHEMA))


def _reference_frames(engine: Engine) -> dict[str, pl.DataFrame]:
    return {"category": reference.categories(engine), "township": reference.townships(engine),
            "park": reference.parks(engine)}


def _names(frames: dict[str, pl.DataFrame]) -> dict[str, dict[int, str]]:
    return {level: dict(zip(frame["id"].to_list(), frame["name"].to_list(), strict=True))
            for level, frame in frames.items()}


# --- precomputed views (written by the write path, read by rising_issues) ---------------------------

# Bumped whenever the rule, or what the stored rows hold, changes: views stored in another format are stale.
RISING_FORMAT = 1
# The views stored: the month of the last case and the one before it, so that the default month of the
# pages and of the review (the last complete month that has data, dashboard/filters_ui.default_month) is
# among them whether the last case is from this month or an earlier one. Each month costs 1-2 s at a
# million cases in the write path; other months are computed when asked (0.1-0.3 s).
PRECOMPUTED_MONTHS = 2
# The county's two views (the office and leaders; the wall screen without complaints about officials)
# are stored further back: the monthly review is stepped back month by month through the last year, and
# each month computed on the click was 80-220 ms of a 300 ms budget at a million cases. Every township
# officer's scope for these months too would cost a write ~20 times as much; they are computed when asked.
COUNTY_PRECOMPUTED_MONTHS = 13
_ISSUE_COLUMNS = ("series_id", "level", "category_id", "township_id", "park_id", "received", "expected", "lower",
                  "upper", "p_value", "strength", "excess", "rising_months", "is_rising", "model")


def _geography(frames: dict[str, pl.DataFrame]) -> str:
    """What the views depend on besides the cases: the townships, each park's township, the accusation categories.

    A boundary import (a write that changes no case, so carries the views
    forward) may move a park to another township: the digest then differs
    and the stored views are not read.
    """
    parts = [sorted(frames["township"]["id"].to_list()),
             sorted(zip(frames["park"]["id"].to_list(), frames["park"]["township_id"].to_list(), strict=True),
                    key=lambda r: r[0]),
             sorted(zip(frames["category"]["id"].to_list(), frames["category"]["is_accusation"].to_list(),
                        strict=True))]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def stored_scopes(engine: Engine) -> list[Scope]:
    """The scopes whose views are stored: the county (with and without complaints about officials), each township."""
    townships = reference.townships(engine)["id"].to_list()
    return [Scope(), Scope(see_accusations=False), *(Scope(township_id=t, see_accusations=False) for t in townships)]


def _view_key(table, month_number: int, scope: Scope) -> list:
    return [table.c.month_number == month_number, table.c.scope_township_id.is_not_distinct_from(scope.township_id),
            table.c.see_accusations == scope.see_accusations]


def store_views(conn: Connection) -> dict:
    """Compute and store the rising issues of the latest months for every stored scope, in the caller's transaction.

    Called by the write path (services/writes.py) after the summary is
    rebuilt and the data version bumped, like the summary itself; the views
    are read only while that data version, :data:`RISING_FORMAT` and the
    geography hold. Unfiltered views only: a sidebar filter is computed when
    asked. Returns the stamp.
    """
    started = time.perf_counter()
    engine = InTransaction(conn)
    for table in (rising_view_evidence, rising_view_issues, rising_views, rising_stamp):
        conn.execute(table.delete())
    frames = _reference_frames(engine)
    period = reference.data_period(engine)
    last = None if period is None else period[1].replace(day=1)
    months = [] if last is None else [add_months(last, -k) for k in range(max(PRECOMPUTED_MONTHS,
                                                                               COUNTY_PRECOMPUTED_MONTHS))]
    scopes = stored_scopes(engine)
    for k, month in enumerate(months):
        for scope in scopes:
            if k >= (PRECOMPUTED_MONTHS if scope.township_id is not None else COUNTY_PRECOMPUTED_MONTHS):
                continue
            result = _computed(engine, CaseFilter.for_month(month.year, month.month, scope=scope), "auto")
            key = {"month_number": number_of_month(month), "scope_township_id": scope.township_id,
                   "see_accusations": scope.see_accusations}
            conn.execute(insert(rising_views).values(**key, method=result.method,
                                                     history_months=result.history_months))
            if result.issues.height:
                conn.execute(insert(rising_view_issues),
                             [{**key, **row} for row in result.issues.select(_ISSUE_COLUMNS).iter_rows(named=True)])
            if result.evidence.height:
                evidence = result.evidence.select(
                    "series_id", (pl.col("month").dt.year() * 12 + pl.col("month").dt.month() - 1)
                    .alias("evidence_month"), "received", "expected", "lower", "upper", "is_target")
                conn.execute(insert(rising_view_evidence), [{**key, **row} for row in evidence.iter_rows(named=True)])
    version = conn.execute(select(DataVersion.version).where(DataVersion.id == 1)).scalar_one_or_none() or 0
    stamp = {"id": 1, "data_version": version, "rule_format": RISING_FORMAT, "geography": _geography(frames),
             "built_at": datetime.now(UTC).replace(tzinfo=None), "seconds": time.perf_counter() - started}
    conn.execute(insert(rising_stamp).values(**stamp))
    return stamp


def carry_forward_views(conn: Connection) -> None:
    """After a write that changed no case, in its transaction, after the bump: the stored views still hold.

    As the summary's :func:`~queries.summary.carry_forward`; a boundary import
    that moved a park is caught by the geography digest when read.
    """
    current = select(DataVersion.version).where(DataVersion.id == 1).scalar_subquery()
    conn.execute(update(rising_stamp).where(rising_stamp.c.id == 1, rising_stamp.c.data_version == current - 1)
                 .values(data_version=current))


def stored_rising_issues(engine: Engine, flt: CaseFilter, *, evidence: bool = True) -> RisingResult | None:
    """The stored view of ``flt``'s month and scope (:func:`store_views`), or None when there is none that holds.

    Only a filter without dimension filters has one (a township officer's
    scope is a stored view; an office's choice of a township in the sidebar is
    not). The same result :func:`rising_issues` computes, read from rows
    (``evidence=False``: without the evidence, an empty frame).
    """
    if any(getattr(flt, d.filter_field) for d in DIMENSIONS):
        return None
    month = flt.end.replace(day=1)
    n = number_of_month(month)
    current = select(DataVersion.version).where(DataVersion.id == 1).scalar_subquery()
    with engine.connect() as conn:
        stamp = conn.execute(select(rising_stamp.c.geography).where(
            rising_stamp.c.id == 1, rising_stamp.c.data_version == current,
            rising_stamp.c.rule_format == RISING_FORMAT)).first()
        view = None if stamp is None else conn.execute(
            select(rising_views.c.method, rising_views.c.history_months)
            .where(*_view_key(rising_views, n, flt.scope))).first()
        if view is None:
            return None
        issues = [dict(r) for r in conn.execute(select(*(rising_view_issues.c[c] for c in _ISSUE_COLUMNS))
                                                .where(*_view_key(rising_view_issues, n, flt.scope))).mappings()]
        rows = [] if not evidence else conn.execute(
            select(*(rising_view_evidence.c[c] for c in ("series_id", "evidence_month", "received", "expected",
                                                          "lower", "upper", "is_target")))
            .where(*_view_key(rising_view_evidence, n, flt.scope))).all()
    frames = _reference_frames(engine)
    if _geography(frames) != stamp.geography:
        return None
    number = pl.col("evidence_month")
    evidence_frame = (
        pl.DataFrame(rows, schema={"series_id": pl.String, "evidence_month": pl.Int64, "received": pl.Int64,
                                   "expected": pl.Float64, "lower": pl.Float64, "upper": pl.Float64,
                                   "is_target": pl.Boolean}, orient="row")
        .with_columns(pl.date(number // 12, number % 12 + 1, 1).alias("month"))
        .sort("series_id", "month").select(list(_EVIDENCE_SCHEMA))
    )
    return _result(month, view.method, view.history_months, issues, evidence_frame, _names(frames))
