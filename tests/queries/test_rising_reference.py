"""The fast rising rule (numpy IRLS, every series at once) against the statsmodels reference, series by series.

:mod:`queries.rising` fits its Poisson regressions itself, for every series
of a month together; ``tests/rising_reference.py`` is the rule as first
written, one statsmodels GLM pair and one scipy band per series. Two
evaluations of one definition, held equal here as the summary is held equal
to the raw statement: the regressions' estimates, covariances and fitted
values; every series' expected level, band, tail probability, model and flag,
at several months of seeded random counties (seasonal, sparse, over-dispersed,
with festival peaks that move and planted rises) and of the hand-made
seasonal county; and whole results of ``rising_issues`` on demo counties and
on the hand-made one, county-wide and for a township officer.
"""

from __future__ import annotations

import warnings
from datetime import date

import numpy as np
import polars as pl
import pytest
import rising_reference as ref
from trends_county import LABOUR, LAND, PARK, XISHAN, build_seasonal_county

from queries import rising
from queries.filters import CaseFilter, Scope, add_months

RTOL = 1e-6
MONTHS = [add_months(date(2026, 6, 1), -k) for k in range(rising.HISTORY_MONTHS + rising.LOOKBACK_MONTHS, -1, -1)]


def _close(a, b, rtol=RTOL, atol=1e-9):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.all(np.isclose(a, b, rtol=rtol, atol=atol) | (np.isnan(a) & np.isnan(b))))


# --- the regressions themselves --------------------------------------------------------------------


def _statsmodels_fit(y, x, identity):
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM

    family = families.Poisson(families.links.Identity()) if identity else families.Poisson()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = GLM(y, x, family=family).fit(scale="X2")
        except (ValueError, np.linalg.LinAlgError, FloatingPointError, ZeroDivisionError):
            return None
    if not np.all(np.isfinite(result.params)) or not np.all(np.isfinite(result.bse)):
        return None
    return result


def _random_designs(rng, s, n, identity):
    x_all, _ = rising._design(MONTHS[-n - 1:], MONTHS[-1], 2 if n >= 36 else 1)
    if identity:  # stage two: a positive seasonal column and the pre-festival share
        shape = rng.normal(0, 0.3, size=(s, 1)) * x_all[None, :-1, 2] + rng.normal(0, 0.2, size=(s, n))
        pre = x_all[None, :-1, -2].repeat(s, axis=0)
        x = np.stack([np.exp(shape), pre], axis=2)
        mean = x[:, :, 0] * rng.gamma(1.0, 8.0, size=(s, 1)) + pre * rng.choice([0, 0, 5, 60], size=(s, 1))
    else:
        x = np.broadcast_to(x_all[:-1], (s, n, x_all.shape[1])).copy()
        beta = np.concatenate([rng.normal(1.5, 1.2, size=(s, 1)), rng.normal(0, 0.3, size=(s, x.shape[2] - 1))],
                              axis=1)
        mean = np.exp(np.einsum("snp,sp->sn", x, beta))
    y = rng.poisson(mean * rng.gamma(4.0, 0.25, size=mean.shape)).astype(float)
    return y, x


@pytest.mark.parametrize("identity", [False, True])
@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("n", [24, 30, 36])
def test_the_regressions_are_statsmodels_own(seed, identity, n):
    rng = np.random.default_rng(1000 * seed + n)
    y, x = _random_designs(rng, 40, n, identity)
    y[0] = 0.0  # nothing at all: statsmodels fails on it, and so must the fit
    y[1, :-1] = 0.0  # one case in the last month
    y[2] = 0.0
    y[2, 5] = 200.0  # one huge month
    fits = rising._poisson_fits(y, x, identity=identity)
    agreed = 0
    for k in range(len(y)):
        expected = _statsmodels_fit(y[k], x[k], identity)
        assert bool(fits.ok[k]) == (expected is not None), k
        if expected is None:
            continue
        assert bool(fits.converged[k]) == expected.converged, k
        if not expected.converged:
            continue  # 100 steps towards infinity (a perfect fit): where each stops is rounding
        agreed += 1
        assert _close(fits.params[k], expected.params), k
        # Entries near zero are differences of larger terms: compared against the largest.
        cov, mu = expected.cov_params(), expected.fittedvalues
        assert _close(fits.cov[k], cov, atol=1e-9 * np.abs(cov).max()), k
        assert _close(fits.mu[k], mu, atol=1e-9 * np.abs(mu).max()), k
        assert _close(fits.pearson_chi2[k], expected.pearson_chi2), k
        assert fits.df_resid[k] == expected.df_resid
    assert agreed >= 30  # the comparison compared something


# --- every series' baseline at several months of random counties -------------------------------------


def random_county_counts(seed: int) -> dict:
    """A county's monthly counts (over MONTHS) as rising._counts returns them, drawn at random.

    3–6 categories; 2–5 townships, some with a park; each township × category
    an over-dispersed count around its own level, trend and season, some
    categories with a wage-arrears peak before each Spring Festival (largest
    in the parks), some series nearly empty, some with a planted rise. The
    categories are the sums of their townships and a few cases with none;
    and one new category, seen in one township in the last month only.
    """
    rng = np.random.default_rng(seed)
    n_categories, n_townships = int(rng.integers(3, 7)), int(rng.integers(2, 6))
    parks = {t: p for p, t in enumerate((t for t in range(1, n_townships + 1) if rng.random() < 0.5), start=1)}
    pre = np.array([rising.festival_shares(m)[0] for m in MONTHS])
    angle = 2 * np.pi * np.array([m.month - 1 for m in MONTHS]) / 12
    trend = np.arange(len(MONTHS)) / 12.0

    def draw(level, peak):
        season = rng.normal(0, 0.25) * np.sin(angle) + rng.normal(0, 0.25) * np.cos(angle)
        mean = level * np.exp(season + rng.normal(0, 0.1) * trend) + peak * pre
        mean = mean * rng.gamma(rng.choice([3.0, 20.0, 1e6]), 1.0, size=len(MONTHS)) / rng.choice([3.0, 20.0, 1e6])
        y = rng.poisson(mean).astype(float)
        if rng.random() < 0.2:  # a planted rise in a recent month
            y[-1 - int(rng.integers(0, 14))] += rng.integers(8, 40)
        return y

    counts = {}
    for c in range(1, n_categories + 1):
        peak = rng.choice([0.0, 0.0, 20.0, 60.0])
        total = rng.poisson(0.5, size=len(MONTHS)).astype(float)  # cases with no township
        for t in range(1, n_townships + 1):
            level = rng.choice([0.05, 0.5, 3.0, 8.0, 25.0])
            y = draw(level, peak * 0.1)
            if t in parks:
                in_park = draw(rng.choice([0.5, 4.0, 10.0]), peak)
                counts[rising._Series(f"c{c}/p{parks[t]}", "park", c, t, parks[t])] = in_park
                y = y + in_park
            counts[rising._Series(f"c{c}/t{t}", "township", c, t, None)] = y
            total = total + y
        counts[rising._Series(f"c{c}", "category", c, None, None)] = total
    # A new issue: one township's cases of a category never seen before, this month only (no history: "empty").
    new, t = n_categories + 1, int(rng.integers(1, n_townships + 1))
    y = np.zeros(len(MONTHS))
    y[-1] = rng.integers(3, 12)
    counts[rising._Series(f"c{new}/t{t}", "township", new, t, None)] = y
    counts[rising._Series(f"c{new}", "category", new, None, None)] = y.copy()
    return {s: y for s, y in counts.items() if y.sum() > 0}


def assert_same_baseline(fast, slow, label):
    assert (fast is None) == (slow is None), label
    if fast is None:
        return
    assert fast.model == slow.model, label
    assert _close(fast.expected, slow.expected), (label, fast.expected, slow.expected)
    assert (fast.lower, fast.upper) == (slow.lower, slow.upper), (label, fast, slow)
    assert _close(fast.p_value, slow.p_value, atol=1e-300), (label, fast.p_value, slow.p_value)
    assert _close(fast.fitted, slow.fitted), label
    assert np.array_equal(fast.fitted_lower, slow.fitted_lower), label
    assert np.array_equal(fast.fitted_upper, slow.fitted_upper), label


@pytest.mark.parametrize("seed", range(8))
def test_every_baseline_and_flag_equals_the_reference_on_random_counties(seed):
    counts = random_county_counts(seed)
    target = len(MONTHS) - 1
    # First data at the axis' start (36 months of history), 28 months back (one seasonal wave), 14 (simple).
    for first_data in (0, target - 28, target - 14):
        fast = rising._Baselines(counts, MONTHS, first_data)
        slow = ref._Baselines(counts, MONTHS, first_data)
        series = sorted(counts, key=lambda s: s.series_id)
        for i in (target, target - 1, target - 7):
            fast.prepare(series, i)
            for s in series:
                a, b = fast.at(s, i), slow.at(s, i)
                assert_same_baseline(a, b, (seed, first_data, i, s.series_id))
                observed = int(counts[s][i])
                if a is not None:
                    assert rising.is_rise(observed, a) == ref.is_rise(observed, b), (seed, i, s.series_id)
        if first_data == 0:  # months rising, asked of every series (the rule asks it of rises only)
            runs = fast.rising_months(series, target)
            assert runs == {s.series_id: slow.rising_months(s, target) for s in series}


def test_the_random_counties_hold_what_they_are_for():
    # Seasonal fits, fallbacks to the mean, empty histories and rises all occur among the seeds.
    models, rises = set(), 0
    for seed in range(8):
        counts = random_county_counts(seed)
        target = len(MONTHS) - 1
        fast = rising._Baselines(counts, MONTHS, 0)
        for s in counts:
            b = fast.at(s, target)
            models.add(b.model)
            rises += rising.is_rise(int(counts[s][target]), b)
    assert {"seasonal", "mean", "empty"} <= models
    assert rises >= 3


# --- whole results, from the database ------------------------------------------------------------------


def assert_same_result(fast: rising.RisingResult, slow: rising.RisingResult):
    assert (fast.method, fast.history_months, fast.rule_zh) == (slow.method, slow.history_months, slow.rule_zh)
    assert fast.issues["series_id"].to_list() == slow.issues["series_id"].to_list()
    exact = ["series_id", "level", "category", "township", "park", "month", "received", "lower", "upper",
             "rising_months", "is_rising", "model"]
    assert fast.issues.select(exact).equals(slow.issues.select(exact))
    for column in ("expected", "p_value", "strength", "excess"):
        assert _close(fast.issues[column].to_numpy(), slow.issues[column].to_numpy(), atol=1e-300), column
    key = ["series_id", "month"]
    a, b = fast.evidence.sort(key), slow.evidence.sort(key)
    assert a.select(*key, "received", "lower", "upper", "is_target").equals(
        b.select(*key, "received", "lower", "upper", "is_target"))
    assert _close(a["expected"].to_numpy(), b["expected"].to_numpy())


@pytest.fixture(scope="module")
def seasonal_county(tmp_path_factory):
    from conftest import fresh_sqlite_engine

    engine_iter = fresh_sqlite_engine(tmp_path_factory.mktemp("seasonal_ref"))
    engine = next(engine_iter)
    build_seasonal_county(engine)
    yield engine
    engine_iter.close()


@pytest.mark.parametrize("when", [(2026, 2), (2026, 1), (2025, 1), (2025, 2), (2025, 10), (2024, 12)])
def test_the_hand_made_seasonal_county_equals_the_reference(seasonal_county, when):
    flt = CaseFilter.for_month(*when)
    fast = rising.rising_issues(seasonal_county, flt)
    assert_same_result(fast, ref.reference_rising_issues(seasonal_county, flt))
    # The festival peaks in the park, January or February, are never flagged (test_rising.py says why).
    park = fast.issues.filter(pl.col("series_id") == f"c{LABOUR}/p{PARK}")
    assert park.height == 1 and not park["is_rising"].item()
    if when == (2026, 2):
        assert set(fast.rising["series_id"].to_list()) == {f"c{LAND}", f"c{LAND}/t{XISHAN}"}


def test_a_township_officer_gets_the_reference_too(seasonal_county):
    flt = CaseFilter.for_month(2026, 2, scope=Scope(township_id=XISHAN, see_accusations=False))
    assert_same_result(rising.rising_issues(seasonal_county, flt), ref.reference_rising_issues(seasonal_county, flt))


@pytest.fixture(scope="module", params=[3, 5, 8])
def demo_county(request, tmp_path_factory):
    from conftest import fresh_sqlite_engine

    from services.demo import build_demo

    engine_iter = fresh_sqlite_engine(tmp_path_factory.mktemp(f"demo{request.param}"))
    engine = next(engine_iter)
    build_demo(engine, cases=12_000, seed=request.param, today=date(2026, 7, 10))
    yield engine
    engine_iter.close()


@pytest.mark.parametrize("when", [(2026, 6), (2026, 2), (2026, 1), (2025, 11)])
def test_demo_counties_equal_the_reference(demo_county, when):
    flt = CaseFilter.for_month(*when)
    fast = rising.rising_issues(demo_county, flt)
    assert fast.method == "seasonal" and fast.issues.height > 5
    assert_same_result(fast, ref.reference_rising_issues(demo_county, flt))
    township = CaseFilter.for_month(*when, township_ids=(int(fast.issues["township_id"].drop_nulls()[0]),))
    assert_same_result(rising.rising_issues(demo_county, township), ref.reference_rising_issues(demo_county, township))
