"""Pure outcome helpers of model/metrics.py: exact values computed by hand, plus properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from model import metrics
from model.metrics import (
    county_relapse,
    growth,
    safe_div,
    three_excesses,
    weighted_gini,
    weighted_quantile,
)

incomes = st.floats(0.0, 1e6, allow_nan=False)
int_weights = st.integers(1, 5)

# ---------------------------------------------------------------------------------------------
# safe_div, growth, three_excesses
# ---------------------------------------------------------------------------------------------


def test_safe_div():
    assert safe_div(3, 4) == 0.75
    assert isinstance(safe_div(3, 4), float)
    assert safe_div(1.0, 0.0) == 0.0
    assert safe_div(0, 0) == 0.0
    assert safe_div(np.float32(1.0), np.int64(8)) == 0.125


def test_growth():
    # 110 / 100 − 1 = 0.1; 90 / 120 − 1 = −0.25
    assert growth(110.0, 100.0) == pytest.approx(0.1, abs=1e-15)
    assert growth(90.0, 120.0) == -0.25
    assert growth(5.0, 5.0) == 0.0
    # no base: undefined
    assert math.isnan(growth(1.0, 0.0))
    assert math.isnan(growth(1.0, -2.0))


@pytest.mark.parametrize(
    "fpc, gdp, urban, rural, expected",
    [
        (0.10, 0.05, 0.06, 0.07, True),    # above all three
        (0.05, 0.05, 0.04, 0.04, False),   # equal to GDP growth is not an excess
        (0.06, 0.05, 0.07, 0.04, False),   # below urban
        (0.06, 0.05, 0.04, 0.065, False),  # below rural
        (0.06, 0.08, 0.04, 0.04, False),   # below GDP
        (float("nan"), 0.0, 0.0, 0.0, False),  # undefined growth is no excess
        (0.06, float("nan"), 0.0, 0.0, False),
    ],
)
def test_three_excesses(fpc, gdp, urban, rural, expected):
    out = three_excesses(fpc, gdp, urban, rural)
    assert out is expected


# ---------------------------------------------------------------------------------------------
# county_relapse
# ---------------------------------------------------------------------------------------------


def test_county_relapse_hand_example():
    relapsed = np.array([True, False, True, False, False])
    fp = np.array([True, True, True, False, True])
    weight = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    county = np.array([0, 0, 1, 1, 2])
    out = county_relapse(relapsed, fp, weight, county, n_counties=4)
    # county 0: relapsed weight 1 of formerly-poor weight 1 + 2 = 3 -> 1/3
    # county 1: 3 of 3 (the household of weight 4 is not formerly poor) -> 1
    # county 2: 0 of 5 -> 0; county 3: no formerly-poor households -> 0
    np.testing.assert_allclose(out, [1 / 3, 1.0, 0.0, 0.0], rtol=1e-15)
    assert out.shape == (4,)


# ---------------------------------------------------------------------------------------------
# weighted_quantile
# ---------------------------------------------------------------------------------------------


def test_weighted_quantile_unit_weights():
    x = np.array([4.0, 1.0, 3.0, 2.0])
    w = np.ones(4)
    # sorted 1, 2, 3, 4 with cumulative weights 1, 2, 3, 4; the quantile is the first value whose
    # cumulative weight reaches q × 4
    assert weighted_quantile(x, w, 0.5) == 2.0    # target 2 -> cw 2 reached at value 2
    assert weighted_quantile(x, w, 0.51) == 3.0   # target 2.04 -> value 3
    assert weighted_quantile(x, w, 0.25) == 1.0   # target 1 -> value 1
    assert weighted_quantile(x, w, 0.0) == 1.0
    assert weighted_quantile(x, w, 1.0) == 4.0


def test_weighted_quantile_weights():
    x = np.array([30.0, 10.0, 20.0])
    w = np.array([1.0, 1.0, 2.0])
    # sorted 10, 20, 30 with weights 1, 2, 1: cumulative 1, 3, 4
    assert weighted_quantile(x, w, 0.25) == 10.0  # target 1 -> 10
    assert weighted_quantile(x, w, 0.5) == 20.0   # target 2 -> 20
    assert weighted_quantile(x, w, 0.75) == 20.0  # target 3 -> 20
    assert weighted_quantile(x, w, 0.8) == 30.0   # target 3.2 -> 30


def test_weighted_quantile_empty_is_nan():
    assert math.isnan(weighted_quantile(np.array([]), np.array([]), 0.5))


@given(st.lists(st.tuples(incomes, int_weights), min_size=1, max_size=30), st.floats(0.0, 1.0))
def test_weighted_quantile_equals_quantile_of_replicated_data(rows, q):
    x = np.array([r[0] for r in rows])
    w = np.array([r[1] for r in rows], dtype=np.float64)
    value = weighted_quantile(x, w, q)
    assert value in x
    # integer weights mean repeated observations
    expanded = np.repeat(x, w.astype(np.int64))
    assert value == weighted_quantile(expanded, np.ones(len(expanded)), q)
    # definition: the smallest value whose cumulative weight reaches q × total
    target = q * w.sum()
    assert w[x <= value].sum() >= target
    if q > 0:
        assert w[x < value].sum() < target


# ---------------------------------------------------------------------------------------------
# weighted_gini
# ---------------------------------------------------------------------------------------------


def gini_mean_difference(x: np.ndarray, w: np.ndarray) -> float:
    """Reference: Σᵢ Σⱼ wᵢ wⱼ |xᵢ − xⱼ| / (2 W² μ)."""
    total_w = w.sum()
    mu = (w * x).sum() / total_w
    diff = np.abs(x[:, None] - x[None, :])
    return float((w[:, None] * w[None, :] * diff).sum() / (2 * total_w**2 * mu))


def test_gini_equal_incomes_is_zero():
    assert weighted_gini(np.full(7, 5_000.0), np.ones(7)) == pytest.approx(0.0, abs=1e-12)
    assert weighted_gini(np.full(3, 1.0), np.array([1.0, 5.0, 0.5])) == pytest.approx(0.0,
                                                                                       abs=1e-12)


@pytest.mark.parametrize("n", [1, 2, 3, 10, 1000])
def test_gini_one_person_holds_everything(n):
    x = np.zeros(n)
    x[-1] = 100.0
    # Lorenz curve 0 until the last person: area 1/(2n), Gini 1 − 1/n
    assert weighted_gini(x, np.ones(n)) == pytest.approx(1.0 - 1.0 / n, abs=1e-12)


def test_gini_hand_examples():
    # x = 1, 2, 3: Lorenz points (1/3, 1/6), (2/3, 1/2), (1, 1);
    # area = 1/3 × (1/12 + 1/3 + 3/4) = 7/18 -> Gini = 1 − 14/18 = 2/9
    assert weighted_gini(np.array([3.0, 1.0, 2.0]), np.ones(3)) == pytest.approx(2 / 9, abs=1e-12)
    # x = 1 (weight 2), 3 (weight 1): Lorenz (2/3, 2/5), (1, 1);
    # area = 2/3 × 1/5 + 1/3 × 7/10 = 11/30 -> Gini = 1 − 22/30 = 4/15
    assert weighted_gini(np.array([1.0, 3.0]), np.array([2.0, 1.0])) == pytest.approx(4 / 15,
                                                                                      abs=1e-12)
    # the same as the unweighted data 1, 1, 3: mean differences 2 × 2 × 2 / (2 × 9 × 5/3) = 4/15
    assert weighted_gini(np.array([1.0, 1.0, 3.0]), np.ones(3)) == pytest.approx(4 / 15,
                                                                                 abs=1e-12)


def test_gini_degenerate_inputs():
    assert math.isnan(weighted_gini(np.array([]), np.array([])))
    assert math.isnan(weighted_gini(np.array([1.0, 2.0]), np.array([0.0, 0.0])))
    # nobody has any income: no inequality to measure
    assert weighted_gini(np.zeros(4), np.ones(4)) == 0.0


@settings(max_examples=200)
@given(st.lists(st.tuples(incomes, int_weights), min_size=1, max_size=25))
def test_gini_properties(rows):
    x = np.array([r[0] for r in rows])
    w = np.array([r[1] for r in rows], dtype=np.float64)
    assume((x * w).sum() > 1e-3)
    g = weighted_gini(x, w)
    # equals the mean-difference definition
    assert g == pytest.approx(gini_mean_difference(x, w), abs=1e-9)
    # bounded by 1 − 1/(persons)
    assert -1e-12 <= g <= 1.0 - 1.0 / w.sum() + 1e-9
    # scale invariant in incomes and in weights
    assert weighted_gini(x * 3.5, w) == pytest.approx(g, abs=1e-9)
    assert weighted_gini(x, w * 0.25) == pytest.approx(g, abs=1e-9)
    # integer weights mean repeated observations
    expanded = np.repeat(x, w.astype(np.int64))
    assert weighted_gini(expanded, np.ones(len(expanded))) == pytest.approx(g, abs=1e-9)


def test_argsort_f32_equals_stable_sort():
    """The radix order equals NumPy's stable sort on float32 data with negatives and many ties."""
    rng = np.random.default_rng(3)
    x = np.round(rng.standard_normal(50_000) * 50).astype(np.float32)  # ~300 distinct values
    x[:100] = np.float32(1e30)
    x[100:200] = np.float32(-1e-30)
    np.testing.assert_array_equal(metrics.argsort_f32(x), np.argsort(x, kind="stable"))


def test_sorted_variants_match_unsorted():
    rng = np.random.default_rng(4)
    x = rng.lognormal(9, 0.5, 10_000).astype(np.float32)
    w = rng.random(10_000) * 3
    order = metrics.argsort_f32(x)
    assert metrics.weighted_quantile(x, w, 0.5, order) == metrics.weighted_quantile(x, w, 0.5)
    assert metrics.weighted_gini(x, w, order) == pytest.approx(metrics.weighted_gini(x, w), rel=1e-12)


@pytest.mark.parametrize("x", [
    np.array([], dtype=np.float32),
    np.array([2.5], dtype=np.float32),
    np.full(1000, 7.0, dtype=np.float32),                    # every pass skipped
    np.array([-0.0, 0.0, -0.0, 1.0, -1.0], dtype=np.float32),
    np.arange(70_000, dtype=np.float32)[::-1].copy(),
    np.linspace(1500, 1024, 70_000).astype(np.float32),      # top 10 bits shared: that pass skipped
    np.random.default_rng(2).permutation(np.arange(1, 3000)).astype(np.float32),  # low 11 bits all 0
])
def test_argsort_f32_edge_cases(x):
    order = metrics.argsort_f32(x)
    assert order.dtype == np.int32
    np.testing.assert_array_equal(order, np.argsort(x, kind="stable"))
