"""Market income rules (model/processes/income.py): exact values computed by hand.

The rules are scalar functions compiled as NumPy ufuncs: they take scalars or arrays.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.processes.income import (
    EMP_LOCAL,
    EMP_MIGRANT,
    EMP_NONE,
    EMP_POST,
    effective_workers,
    farm_labour_factor,
    operating_income,
    wage_income,
)

# wage per worker-month: local, migrant, public-welfare post
WAGE_LOCAL, WAGE_MIGRANT, WAGE_POST = 2600.0, 4000.0, 600.0


def test_employment_codes():
    assert (EMP_NONE, EMP_LOCAL, EMP_MIGRANT, EMP_POST) == (0, 1, 2, 3)


def test_effective_workers_is_min_of_workers_and_labour_clipped_at_zero():
    n_workers = np.array([0, 1, 2, 3, 2], dtype=np.int8)
    labour = np.array([1.5, 0.5, 1.25, -0.25, 2.75], dtype=np.float32)
    # min(0, 1.5) = 0; min(1, 0.5) = 0.5; min(2, 1.25) = 1.25; min(3, −0.25) = −0.25 -> 0;
    # min(2, 2.75) = 2
    np.testing.assert_array_equal(effective_workers(n_workers, labour), [0.0, 0.5, 1.25, 0.0, 2.0])
    assert effective_workers(3, 0.75) == 0.75


def test_wage_income_by_job_type():
    emp = np.array([EMP_NONE, EMP_LOCAL, EMP_MIGRANT, EMP_POST, EMP_POST], dtype=np.int8)
    workers = np.array([1.0, 1.0, 2.0, 1.0, 0.5])
    mult = np.array([1.5, 1.25, 0.75, 2.0, 2.0])
    out = wage_income(emp, workers, mult, WAGE_LOCAL, WAGE_MIGRANT, WAGE_POST)
    # none: 0
    # local: 1 × 2600 × 1.25 = 3250
    # migrant: 2 × 4000 × 0.75 = 6000
    # post: flat pay, multiplier ignored: 1 × 600 = 600 and 0.5 × 600 = 300
    np.testing.assert_array_equal(out, [0.0, 3250.0, 6000.0, 600.0, 300.0])


def test_farm_labour_factor_half_fixed_half_scaling_with_farm_labour():
    labour = np.array([0.0, 1.0, 2.0, 3.0, 0.5, 1.5])
    workers = np.array([0.0, 1.0, 2.0, 0.0, 1.0, 1.0])
    # farm labour = clip(labour − 0.5 · workers, 0, 1) = [0, 0.5, 1, 1 (3 clipped), 0, 1]
    # factor = 0.5 + 0.5 · farm
    np.testing.assert_array_equal(farm_labour_factor(labour, workers),
                                  [0.5, 0.75, 1.0, 1.0, 0.5, 1.0])


def _operating(price, contracted, premium=0.1, loss=0.25):
    n = len(price)
    return operating_income(
        np.full(n, 12_000.0),                 # op_base_year
        np.full(n, 2_400.0),                  # industry_gain_year
        np.asarray(price, dtype=np.float64),  # price_rel
        np.full(n, 1.25),                     # productivity
        np.full(n, 0.75),                     # labour_factor
        np.full(n, 1.0),                      # noise
        np.full(n, loss),                     # disaster_loss
        np.asarray(contracted, dtype=bool),   # contracted
        premium,                              # contract_premium
    )


def test_operating_income_without_contract():
    # (12000 + 2400) / 12 = 1200; × price 0.8 = 960; × productivity 1.25 = 1200;
    # × labour factor 0.75 = 900; × noise 1 × (1 − 0.25) = 675
    assert _operating([0.8], [False])[0] == pytest.approx(675.0, rel=1e-12)


def test_operating_income_contract_guarantees_price_and_adds_premium():
    out = _operating([0.8, 1.5], [True, True])
    # price 0.8 is raised to 1: 1200 × 1 × 1.25 × 0.75 × 0.75 × 1.1 = 928.125
    # price 1.5 is kept:       1200 × 1.5 × 1.25 × 0.75 × 0.75 × 1.1 = 1392.1875
    np.testing.assert_allclose(out, [928.125, 1392.1875], rtol=1e-12)


def test_operating_income_total_disaster_loss_is_zero_income():
    np.testing.assert_array_equal(_operating([1.0, 1.2], [False, True], loss=1.0), [0.0, 0.0])


@settings(deadline=None)  # the first call compiles the numba ufunc
@given(
    st.lists(st.tuples(st.integers(0, 3), st.floats(0, 3), st.floats(0.05, 10)), min_size=1,
             max_size=30)
)
def test_wage_income_properties(rows):
    emp = np.array([r[0] for r in rows], dtype=np.int8)
    workers = np.array([r[1] for r in rows])
    mult = np.array([r[2] for r in rows])
    out = wage_income(emp, workers, mult, WAGE_LOCAL, WAGE_MIGRANT, WAGE_POST)
    # nobody without a job earns a wage; post pay does not depend on the skill multiplier
    assert np.all(out[emp == EMP_NONE] == 0)
    post = emp == EMP_POST
    np.testing.assert_array_equal(out[post], workers[post] * WAGE_POST)
    # every other job pays workers × wage × multiplier
    mig = emp == EMP_MIGRANT
    np.testing.assert_allclose(out[mig], workers[mig] * WAGE_MIGRANT * mult[mig], rtol=1e-12)
    assert np.all(out >= 0)


def test_industrial_investment_replaces_depreciation_and_builds_toward_the_target():
    from model.processes.income import assets_next, industrial_investment

    d, b = 0.01, 0.25
    # at the target: only the month's depreciation is replaced, the stock stays
    assert industrial_investment(1.0, 1.0, d, b) == pytest.approx(0.01)
    assert assets_next(1.0, industrial_investment(1.0, 1.0, d, b), d) == pytest.approx(1.0)
    # below: a quarter of the gap on top; above (target cut to 0.5): replacement of the target only
    assert industrial_investment(1.0, 0.2, d, b) == pytest.approx(0.01 + 0.8 * 0.25)
    assert industrial_investment(0.5, 1.0, d, b) == pytest.approx(0.005)
    # support withdrawn: nothing invested, the assets depreciate at 1/life a year
    assert industrial_investment(0.0, 1.0, d, b) == 0.0
    stock = 1.0
    for _ in range(120):
        stock = assets_next(stock, 0.0, 1.0 / 120.0)
    assert stock == pytest.approx((1 - 1 / 120) ** 120)  # about e^-1 after one asset life
