"""Shock incidence and public transfers (model/processes/shocks.py, transfers.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.processes.shocks import (
    disaster_crop_loss,
    illness_labour_loss,
    illness_probability_month,
    lognormal_cost,
    monthly_probability,
)
from model.processes.transfers import (
    counted_income,
    dibao_enrolled,
    dibao_topup,
    education_support,
    household_line,
    medical_assistance,
    medical_reimbursed,
    pension,
)

unit = st.floats(0.0, 1.0)

# ---------------------------------------------------------------------------------------------
# shocks
# ---------------------------------------------------------------------------------------------


def test_monthly_probability_exact_values():
    # 1 − (1 − p)^(1/12): p = 1 − 0.9^12 gives 0.1 a month; 0 and 1 are fixed points
    assert monthly_probability(1.0 - 0.9**12) == pytest.approx(0.1, rel=1e-12)
    assert monthly_probability(0.0) == 0.0
    assert monthly_probability(1.0) == 1.0
    # out-of-range annual probabilities are clipped to [0, 1]
    np.testing.assert_array_equal(monthly_probability(np.array([-0.2, 1.5])), [0.0, 1.0])


@settings(deadline=None)  # the first call compiles the numba ufunc
@given(unit)
def test_monthly_probability_compounds_back_to_the_annual_one(p_year):
    # twelve independent months with the monthly chance give the annual chance
    p_month = monthly_probability(p_year)
    assert 0.0 <= p_month <= p_year + 1e-15
    assert 1.0 - (1.0 - p_month) ** 12 == pytest.approx(p_year, abs=1e-12)


def test_illness_probability_month_multipliers_and_cap():
    chronic = np.array([False, True, False, True])
    elderly = np.array([False, False, True, True])
    # chronic multiplier 2, elderly multiplier 3
    out = illness_probability_month(0.1, chronic, elderly, 2.0, 3.0)
    # annual risks 0.1, 0.1×2 = 0.2, 0.1×3 = 0.3, 0.1×2×3 = 0.6
    expected = [1 - 0.9 ** (1 / 12), 1 - 0.8 ** (1 / 12), 1 - 0.7 ** (1 / 12), 1 - 0.4 ** (1 / 12)]
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    # 0.25 × 2 × 3 = 1.5 is capped at 1: the episode is certain within the month
    capped = illness_probability_month(0.25, np.array([True]), np.array([True]), 2.0, 3.0)
    assert capped[0] == 1.0


def test_lognormal_cost_exact_values():
    # mu = ln(1000) − 1/2 with sigma = 1: z = 0 -> 1000 e^−0.5, z = 1 -> 1000 e^0.5,
    # z = −1 -> 1000 e^−1.5
    out = lognormal_cost(1000.0, 1.0, np.array([0.0, 1.0, -1.0]))
    np.testing.assert_allclose(out, [1000 * math.exp(-0.5), 1000 * math.exp(0.5),
                                     1000 * math.exp(-1.5)], rtol=1e-12)
    # sigma = 0: every cost is the mean
    np.testing.assert_allclose(lognormal_cost(750.0, 0.0, np.array([-2.0, 0.0, 3.0])), 750.0,
                               rtol=1e-12)


def test_lognormal_cost_has_the_requested_mean():
    # statistical: one seed, 400,000 draws; sigma 0.8 gives a coefficient of variation of
    # sqrt(e^0.64 − 1) = 0.947, so the standard error of the mean is 0.15%; tolerance 1% (> 6 s.e.)
    z = np.random.default_rng(20210101).standard_normal(400_000)
    costs = lognormal_cost(14_000.0, 0.8, z)
    assert costs.mean() == pytest.approx(14_000.0, rel=0.01)


def test_illness_labour_loss():
    labour = np.array([2.0, 0.5, 0.0, 3.0, 1.0])
    members = np.array([4, 1, 2, 0, 4])
    # share working = clip(labour / max(members, 1), 0, 1) = [0.5, 0.5, 0, 1 (3/1 clipped), 0.25]
    # loss = min(labour, share + 0.5) = [1, 0.5, 0, 1.5, 0.75]
    out = illness_labour_loss(labour, members, 0.5)  # carer labour 0.5
    np.testing.assert_array_equal(out, [1.0, 0.5, 0.0, 1.5, 0.75])


def test_disaster_crop_loss():
    hit = np.array([True, False, True, True])
    severity = np.array([0.3, 0.9, 1.4, -0.1])
    # only hit villages lose; severity clipped to [0, 1]
    np.testing.assert_allclose(disaster_crop_loss(hit, severity), [0.3, 0.0, 1.0, 0.0], rtol=1e-12)


# ---------------------------------------------------------------------------------------------
# transfers
# ---------------------------------------------------------------------------------------------


def test_pension_per_elderly_member():
    np.testing.assert_array_equal(pension(np.array([0, 1, 2, 3]), 150.0), [0.0, 150.0, 300.0, 450.0])


def test_dibao_topup():
    enrolled = np.array([True, True, False, True])
    counted_pc = np.array([3000.0, 7000.0, 1000.0, 4800.0])
    members = np.array([3, 2, 4, 1])
    # gap to the 6,000 line × members / 12 × scale:
    # (6000 − 3000) × 3 / 12 = 750; above the line -> 0; not enrolled -> 0; 1200 × 1 / 12 = 100
    out = dibao_topup(enrolled, counted_pc, members, 6000.0, 1.0)
    np.testing.assert_array_equal(out, [750.0, 0.0, 0.0, 100.0])
    # the stress lever scales every benefit (0 withdraws them)
    np.testing.assert_array_equal(dibao_topup(enrolled, counted_pc, members, 6000.0, 0.5), [375.0, 0.0, 0.0, 50.0])
    np.testing.assert_array_equal(dibao_topup(enrolled, counted_pc, members, 6000.0, 0.0), [0.0, 0.0, 0.0, 0.0])


def test_household_line_is_the_tekun_standard_without_labour():
    # 0.2 labour units is below the 0.25 of a household unable to work: 1.3 × the dibao line
    np.testing.assert_allclose(household_line(6000.0, np.array([0.0, 0.2, 0.25, 2.0]), 0.25, 1.3),
                               [7800.0, 7800.0, 6000.0, 6000.0])


def test_counted_income_disregards_part_of_wages():
    # 1,000 wage with 20% disregarded, 500 operating, 10 property, 90 private, 300 pension: 800 + 900
    assert counted_income(1000.0, 500.0, 10.0, 90.0, 300.0, 0.2) == pytest.approx(1700.0)
    assert counted_income(1000.0, 0.0, 0.0, 0.0, 0.0, 0.0) == pytest.approx(1000.0)


def test_dibao_enrolled_enter_stay_leave():
    # line 6,000; a gradual exit of 12 months; take-up 0.8
    rows = [
        # enrolled, counted income, months at or above the line, assets ok, u, expected
        (False, 4000.0, 0, True, 0.5, True),     # below the line, assets ok, applies: enters
        (False, 4000.0, 0, False, 0.5, False),   # fails the asset test
        (False, 4000.0, 0, True, 0.8, False),    # does not apply (0.8 is not < 0.8)
        (False, 6000.0, 0, True, 0.0, False),    # at the line, not below it
        (True, 9000.0, 5, False, 0.9, True),     # enrolled, above the line for 5 months: gradual exit
        (True, 9000.0, 12, True, 0.0, True),     # the twelfth month: stays
        (True, 9000.0, 13, True, 0.0, False),    # the thirteenth: leaves
        (True, 5000.0, 0, True, 0.9, True),      # enrolled and below the line: stays
    ]
    out = dibao_enrolled(
        np.array([r[0] for r in rows]),  # enrolled
        np.array([r[1] for r in rows]),  # counted_pc_year
        6000.0,                          # line_pc_year
        np.array([r[2] for r in rows]),  # months_above
        12,                              # grace_months
        np.array([r[3] for r in rows]),  # assets_ok
        np.array([r[4] for r in rows]),  # u_take_up
        0.8,                             # take_up
    )
    np.testing.assert_array_equal(out, [r[5] for r in rows])


def _medical(cost, insured, rate, assisted, share):
    reimbursed = medical_reimbursed(cost, insured, rate)
    assistance = medical_assistance(cost, insured, rate, assisted, share)
    # the kernel books the rest as out-of-pocket
    return reimbursed, assistance, cost - reimbursed - assistance


def test_medical_cost_sharing_exact():
    cost = np.array([1000.0, 1000.0, 1000.0, 1000.0, 0.0])
    insured = np.array([True, True, False, False, True])
    assisted = np.array([True, False, True, False, True])
    reimbursed, assistance, oop = _medical(cost, insured, np.full(5, 0.6), assisted, 0.5)
    # insured: 1000 × 0.6 = 600 reimbursed; rest 400; assisted: 400 × 0.5 = 200; oop 200
    # insured, not assisted: 600, 0, 400
    # uninsured, assisted: 0, 1000 × 0.5 = 500, 500
    # neither: 0, 0, 1000; zero cost: 0, 0, 0
    np.testing.assert_allclose(reimbursed, [600, 600, 0, 0, 0], rtol=1e-12)
    np.testing.assert_allclose(assistance, [200, 0, 500, 0, 0], rtol=1e-12)
    np.testing.assert_allclose(oop, [200, 400, 500, 1000, 0], rtol=1e-12)


@settings(deadline=None)  # the first call compiles the numba ufunc
@given(st.lists(st.tuples(st.floats(0, 1e6), st.booleans(), unit, st.booleans()), min_size=1,
                max_size=20), unit)
def test_medical_cost_sharing_components_add_up(rows, share):
    cost = np.array([r[0] for r in rows])
    insured = np.array([r[1] for r in rows])
    rate = np.array([r[2] for r in rows])
    assisted = np.array([r[3] for r in rows])
    reimbursed, assistance, oop = _medical(cost, insured, rate, assisted, share)
    # reimbursed + assistance + out-of-pocket == cost, each part within [0, cost]
    np.testing.assert_allclose(reimbursed + assistance + oop, cost, rtol=1e-12, atol=1e-9)
    tol = cost * 1e-12 + 1e-9
    for part in (reimbursed, assistance, oop):
        assert np.all(part >= -tol)
        assert np.all(part <= cost + tol)
    assert np.all(reimbursed[~insured] == 0)
    assert np.all(assistance[~assisted] == 0)
    # assistance is the share of what insurance leaves
    np.testing.assert_allclose(assistance[assisted], (cost - reimbursed)[assisted] * share,
                               rtol=1e-12, atol=1e-9)


def test_education_support_exact():
    n_school = np.array([0, 1, 3, 2])
    supported = np.array([True, True, False, True])
    support = education_support(n_school, 1000.0, supported, 0.7)
    # cost 0, 1000, 3000, 2000; support 70 % where supported: 0, 700, 0, 1400
    np.testing.assert_allclose(support, [0, 700, 0, 1400], rtol=1e-12)
    # out-of-pocket = cost − support: 0, 300, 3000, 600
    np.testing.assert_allclose(n_school * 1000.0 - support, [0, 300, 3000, 600], rtol=1e-12)


@settings(deadline=None)  # the first call compiles the numba ufunc
@given(st.lists(st.tuples(st.integers(0, 6), st.booleans()), min_size=1, max_size=20),
       st.floats(0, 50_000), unit)
def test_education_support_within_cost(rows, cost_per_child, share):
    n_school = np.array([r[0] for r in rows])
    supported = np.array([r[1] for r in rows])
    support = education_support(n_school, cost_per_child, supported, share)
    cost = n_school * cost_per_child
    assert np.all(support >= 0)
    assert np.all(support <= cost * (1 + 1e-12))
    assert np.all(support[~supported] == 0)
