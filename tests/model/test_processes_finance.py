"""Consumption, microcredit and repayment rules (model/processes/finance.py)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.processes.finance import borrowing, consumption, repayment

money = st.floats(-1e6, 1e6, allow_nan=False)
stock = st.floats(0, 1e6, allow_nan=False)


def test_consumption_exact():
    est = np.array([1000.0, 1000.0, 1000.0, 100.0])
    disposable = np.array([1000.0, 1400.0, 600.0, -2000.0])
    # 0.9 × smoothed + 0.25 × surprise:
    # 900 + 0.25 × 0 = 900; 900 + 0.25 × 400 = 1000; 900 + 0.25 × (−400) = 800;
    # 90 + 0.25 × (−2100) = −435 -> never negative: 0
    np.testing.assert_allclose(consumption(est, disposable, 0.9, 0.25), [900, 1000, 800, 0],
                               rtol=1e-12)


def test_borrowing_exact():
    savings = np.array([100.0, -300.0, -300.0, -300.0, -300.0])
    debt = np.array([0.0, 0.0, 900.0, 1000.0, 1500.0])
    # no deficit -> 0; deficit 300 within room 1000 -> 300; room 1000 − 900 = 100 -> 100;
    # no room left -> 0; debt above the limit -> 0
    np.testing.assert_array_equal(borrowing(savings, debt, 1000.0), [0, 300, 100, 0, 0])


def test_repayment_exact():
    savings = np.array([500.0, 1500.0, 1500.0, 3000.0])
    debt = np.array([800.0, 800.0, 100.0, 0.0])
    # buffer 1000: savings 500 ≤ buffer -> 0; half of 500 above it = 250 -> 250;
    # debt 100 < 250 -> 100; no debt -> 0
    np.testing.assert_array_equal(repayment(savings, debt, 1000.0), [0, 250, 100, 0])


@settings(deadline=None)  # the first call compiles the numba ufunc
@given(money, stock, stock)
def test_borrowing_covers_at_most_the_deficit_and_the_credit_room(savings, debt, limit):
    b = float(borrowing(savings, debt, limit))
    assert b >= 0
    assert b <= max(-savings, 0.0)
    # never beyond the credit limit (to rounding of limit − debt)
    assert debt + b <= max(limit, debt) * (1 + 1e-12)


@settings(deadline=None)  # the first call compiles the numba ufunc
@given(money, stock, stock)
def test_repayment_never_exceeds_debt_or_leaves_savings_below_the_buffer(savings, debt, buffer):
    r = float(repayment(savings, debt, buffer))
    assert 0 <= r <= debt
    assert r == 0 or savings - r >= buffer
