"""Pure helpers of the synthetic population (model/population.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from model.population import (
    KEY,
    NONPOOR,
    OTHER_FP,
    county_types,
    lognormal_sigma_for_share,
    truncated_lognormal,
    truncated_mean,
)


def lognorm_of_mean(mean: float, sigma: float):
    """scipy log-normal with arithmetic mean ``mean``: median e^mu, mu = ln(mean) − sigma²/2."""
    return stats.lognorm(s=sigma, scale=math.exp(math.log(mean) - 0.5 * sigma**2))


# ---------------------------------------------------------------------------------------------
# county_types
# ---------------------------------------------------------------------------------------------


def test_county_types_default_province():
    # 20 counties: round(0.2 × 20) = 4 key, round(0.5 × 20) = 10 other formerly poor, 6 never poor
    out = county_types(20, 0.2, 0.5)
    assert out.dtype == np.int8
    np.testing.assert_array_equal(out, [KEY] * 4 + [OTHER_FP] * 10 + [NONPOOR] * 6)


def test_county_types_other_share_is_capped_by_what_is_left():
    # 5 counties: round(0.6 × 5) = 3 key; round(0.6 × 5) = 3 other, capped at 5 − 3 = 2; 0 never poor
    np.testing.assert_array_equal(county_types(5, 0.6, 0.6), [KEY] * 3 + [OTHER_FP] * 2)


def test_county_types_extremes():
    np.testing.assert_array_equal(county_types(3, 0.0, 0.0), [NONPOOR] * 3)
    np.testing.assert_array_equal(county_types(3, 1.0, 0.5), [KEY] * 3)
    np.testing.assert_array_equal(county_types(1, 0.0, 1.0), [OTHER_FP])


@given(st.integers(1, 3000), st.floats(0, 1), st.floats(0, 1))
def test_county_types_counts(n, key_share, other_share):
    out = county_types(n, key_share, other_share)
    n_key = int(np.sum(out == KEY))
    n_other = int(np.sum(out == OTHER_FP))
    assert len(out) == n
    assert n_key == round(key_share * n)
    assert n_other == min(round(other_share * n), n - n_key)
    # types come in blocks: key, then other formerly poor, then never poor
    assert np.all(np.diff(out) >= 0)


# ---------------------------------------------------------------------------------------------
# lognormal_sigma_for_share
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mean, threshold, share",
    [(10_740, 6_000, 0.02), (12_588, 6_000, 0.015), (17_131, 4_000, 0.01), (5_000, 4_999, 0.4),
     (1.0, 0.1, 0.3)],
)
def test_sigma_places_the_share_below_the_threshold(mean, threshold, share):
    sigma = lognormal_sigma_for_share(mean, threshold, share)
    assert sigma > 0
    assert lognorm_of_mean(mean, sigma).cdf(threshold) == pytest.approx(share, rel=1e-9)
    # the root solves σ²/2 − zσ + ln(T/m) = 0 with z = Φ⁻¹(share)
    z = stats.norm.ppf(share)
    assert 0.5 * sigma**2 - z * sigma + math.log(threshold / mean) == pytest.approx(0.0, abs=1e-9)


def test_sigma_hand_example():
    # share Φ(−1) = 0.158655..., ln(T/m) = −1: σ²/2 + σ − 1 = 0 -> σ = −1 + √3
    sigma = lognormal_sigma_for_share(math.e, 1.0, stats.norm.cdf(-1.0))
    assert sigma == pytest.approx(math.sqrt(3) - 1, rel=1e-12)


@settings(deadline=None)
@given(st.floats(100, 1e5), st.floats(0.05, 0.95), st.floats(0.001, 0.45))
def test_sigma_share_property(mean, ratio, share):
    sigma = lognormal_sigma_for_share(mean, ratio * mean, share)
    assert lognorm_of_mean(mean, sigma).cdf(ratio * mean) == pytest.approx(share, rel=1e-7)


@pytest.mark.parametrize(
    "mean, threshold, share",
    [(10_000, 6_000, 0.0), (10_000, 6_000, 0.5), (10_000, 6_000, 0.7), (10_000, 6_000, -0.1),
     (6_000, 6_000, 0.02), (5_000, 6_000, 0.02)],
)
def test_sigma_impossible_inputs_raise(mean, threshold, share):
    with pytest.raises(ValueError, match="cannot place"):
        lognormal_sigma_for_share(mean, threshold, share)


# ---------------------------------------------------------------------------------------------
# truncated_mean and truncated_lognormal
# ---------------------------------------------------------------------------------------------

CASES = [(10_740.0, 0.5, 4_000.0), (12_000.0, 0.3, 4_000.0), (17_131.0, 0.45, 4_000.0),
         (6_000.0, 1.0, 4_000.0)]


@pytest.mark.parametrize("mean, sigma, lower", CASES)
def test_truncated_mean_matches_scipy_conditional_expectation(mean, sigma, lower):
    dist = lognorm_of_mean(mean, sigma)
    expected = dist.expect(lambda x: x, lb=lower, conditional=True)
    assert truncated_mean(mean, sigma, lower) == pytest.approx(expected, rel=1e-8)


def test_truncated_mean_hand_example():
    # mean e^(1/2) with σ = 1 (mu = 0), truncated at 1 = e^mu (z = 0):
    # E[X | X > 1] = e^(1/2) Φ(1) / Φ(0) = 2 e^(1/2) Φ(1)
    out = truncated_mean(math.exp(0.5), 1.0, 1.0)
    assert out == pytest.approx(2 * math.exp(0.5) * stats.norm.cdf(1.0), rel=1e-12)


def test_truncated_mean_limits():
    # a very low truncation point leaves the mean unchanged; truncation always raises it
    assert truncated_mean(10_000.0, 0.5, 1e-3) == pytest.approx(10_000.0, rel=1e-12)
    assert truncated_mean(10_000.0, 0.5, 4_000.0) > 10_000.0
    assert truncated_mean(10_000.0, 0.5, 8_000.0) > truncated_mean(10_000.0, 0.5, 4_000.0)


def test_truncated_lognormal_quantile_values():
    mean, sigma, lower = 10_740.0, 0.5, 4_000.0
    dist = lognorm_of_mean(mean, sigma)
    f_lo = dist.cdf(lower)
    u = np.array([0.1, 0.5, 0.9])
    # inverse CDF of the truncated law: F⁻¹(F(lower) + u (1 − F(lower)))
    expected = dist.ppf(f_lo + u * (1 - f_lo))
    np.testing.assert_allclose(truncated_lognormal(mean, sigma, lower, u), expected, rtol=1e-9)
    # u = 0 is the truncation point itself (to rounding)
    assert truncated_lognormal(mean, sigma, lower, np.array([0.0]))[0] == pytest.approx(lower,
                                                                                         rel=1e-12)


@pytest.mark.parametrize("mean, sigma, lower", CASES)
def test_truncated_lognormal_draws_are_above_lower_with_the_truncated_mean(mean, sigma, lower):
    # statistical: one seed (20201231), 100,000 draws; tolerance 4 standard errors of the mean
    u = np.random.default_rng(20201231).random(100_000)
    draws = truncated_lognormal(mean, sigma, lower, u)
    assert np.all(draws >= lower)
    assert np.all(np.isfinite(draws))
    standard_error = draws.std() / math.sqrt(len(draws))
    assert abs(draws.mean() - truncated_mean(mean, sigma, lower)) < 4 * standard_error
    # monotone in u (inverse-CDF sampling)
    order = np.argsort(u)
    assert np.all(np.diff(draws[order]) >= 0)
