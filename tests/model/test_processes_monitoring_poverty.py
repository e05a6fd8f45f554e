"""Monitoring mechanism and December poverty accounting (model/processes/monitoring.py, poverty.py)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.processes.monitoring import (
    AID_EMPLOYMENT,
    AID_INDUSTRIAL,
    AID_MEDICAL,
    AID_SOCIAL,
    AID_TEMPORARY,
    CAT_HARDSHIP,
    CAT_MARGINAL,
    CAT_UNSTABLE,
    assistance_bits,
    at_risk,
    category,
    detection_probability,
    eliminated,
    stable_months_next,
)
from model.processes.poverty import is_poor, net_income_pc, new_poverty, relapse

# ---------------------------------------------------------------------------------------------
# monitoring
# ---------------------------------------------------------------------------------------------


def test_at_risk_below_threshold_or_hardship():
    income = np.array([5999.0, 6000.0, 7000.0, 8000.0])
    hardship = np.array([False, False, False, True])
    # strictly below 6,000 or a hardship expense
    np.testing.assert_array_equal(at_risk(income, 6000.0, hardship), [True, False, False, True])


def test_detection_probability_exact():
    p_screen = np.array([0.33, 0.0, 1.5, 1.0])
    out = detection_probability(0.9, p_screen, 0.1)
    # 0.9 × (1 − 0.67 × 0.9) = 0.9 × 0.397 = 0.3573
    # no screening: 0.9 × 0.1 = 0.09
    # screening probability 1.5 is clipped to 1: 0.9 × 1 = 0.9, the same as 1.0
    np.testing.assert_allclose(out, [0.3573, 0.09, 0.9, 0.9], rtol=1e-12)


@settings(deadline=None)  # the first call compiles the numba ufunc
@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
def test_detection_probability_is_a_probability_bounded_by_coverage(coverage, p_screen, p_self):
    p = float(detection_probability(coverage, np.array([p_screen]), p_self)[0])
    assert 0.0 <= p <= coverage + 1e-15
    assert p >= coverage * max(p_screen, p_self) - 1e-15


def test_category():
    fp = np.array([True, False, True, False])
    hardship = np.array([False, False, True, True])
    out = category(fp, hardship)
    np.testing.assert_array_equal(out, [CAT_UNSTABLE, CAT_MARGINAL, CAT_HARDSHIP, CAT_HARDSHIP])


def test_assistance_bits():
    U, M_, H = CAT_UNSTABLE, CAT_MARGINAL, CAT_HARDSHIP
    rows = [
        # category, labour, farm base, ill, below line, income risk, targeted -> bits
        (U, 1.5, 1000.0, False, False, True, True, AID_INDUSTRIAL | AID_EMPLOYMENT),  # labour and a farm
        (M_, 1.5, 0.0, False, False, True, True, AID_EMPLOYMENT),                   # no farm base
        (U, 0.5, 1000.0, False, False, True, True, AID_EMPLOYMENT),                 # half a unit
        (U, 0.25, 1000.0, True, False, True, True, AID_SOCIAL | AID_MEDICAL),        # no labour, ill
        (U, 1.5, 1000.0, False, True, True, True, AID_INDUSTRIAL | AID_EMPLOYMENT | AID_SOCIAL),  # below its line
        # sudden hardship: medical and temporary first; its labour's package only with income at risk
        (H, 1.5, 1000.0, False, False, False, True, AID_MEDICAL | AID_TEMPORARY),
        (H, 1.5, 1000.0, False, False, True, True, AID_MEDICAL | AID_TEMPORARY | AID_INDUSTRIAL | AID_EMPLOYMENT),
        (H, 0.0, 0.0, False, False, True, True, AID_MEDICAL | AID_TEMPORARY | AID_SOCIAL),
        # not targeted: by labour alone, whatever the category; no temporary assistance
        (H, 1.5, 1000.0, False, True, False, False, AID_INDUSTRIAL | AID_EMPLOYMENT),
        (U, 0.25, 1000.0, True, False, True, False, AID_SOCIAL | AID_MEDICAL),
    ]
    cols = list(zip(*rows, strict=True))
    out = assistance_bits(*(np.array(c) for c in cols[:7]))
    np.testing.assert_array_equal(out, cols[7])


def test_stable_months_next_counts_and_resets():
    stable = np.array([3, 5, 0, 126], dtype=np.int8)
    monitored = np.array([True, True, False, True])
    above = np.array([True, False, True, True])
    # monitored and above: +1; below: reset to 0; not monitored: 0
    np.testing.assert_array_equal(stable_months_next(stable, monitored, above), [4, 0, 0, 127])


def test_stable_months_next_saturates_at_127_with_int8_state():
    # the model stores stable_months as int8 (households.py); a household without labour capacity
    # stays monitored indefinitely and keeps counting, so the counter must saturate at 127
    stable = np.array([127, 127], dtype=np.int8)
    out = stable_months_next(stable, np.array([True, True]), np.array([True, False]))
    np.testing.assert_array_equal(out, [127, 0])
    assert stable_months_next(np.int8(127), True, True) == 127


def test_eliminated():
    monitored = np.array([True, True, True, False, True])
    stable = np.array([6, 5, 8, 10, 7], dtype=np.int8)
    labour = np.array([0.5, 1.0, 0.4, 1.0, 2.0])
    # needs monitored, ≥ 6 stable months and labour ≥ 0.5
    out = eliminated(monitored, stable, 6, labour)
    np.testing.assert_array_equal(out, [True, False, False, False, True])


# ---------------------------------------------------------------------------------------------
# poverty
# ---------------------------------------------------------------------------------------------


def test_net_income_pc_with_and_without_rigid_deduction():
    disposable = np.array([12_000.0, 9_000.0, 5_000.0])
    rigid = np.array([3_000.0, 0.0, 6_000.0])
    members = np.array([3, 2, 0])
    # deducted: (12000 − 3000)/3 = 3000; 9000/2 = 4500; (5000 − 6000)/max(0, 1) = −1000
    out = net_income_pc(disposable, rigid, members, True)
    np.testing.assert_array_equal(out, [3000.0, 4500.0, -1000.0])
    # not deducted: 12000/3 = 4000; 4500; 5000/1 = 5000
    np.testing.assert_array_equal(net_income_pc(disposable, rigid, members, False),
                                  [4000.0, 4500.0, 5000.0])


def test_is_poor():
    net = np.array([3999.0, 4000.0, 5000.0, 100.0])
    failure = np.array([False, False, True, True])
    # below the line (strictly), or a three-guarantees failure when checked
    np.testing.assert_array_equal(is_poor(net, 4000.0, failure, True), [True, False, True, True])
    np.testing.assert_array_equal(is_poor(net, 4000.0, failure, False),
                                  [True, False, False, True])


# every combination of (formerly poor, poor now, poor a year before)
COMBOS = list(itertools.product([False, True], repeat=3))


@pytest.mark.parametrize("fp, now, prev", COMBOS)
def test_relapse_and_new_poverty_truth_table(fp, now, prev):
    r = relapse(np.array([fp]), np.array([now]), np.array([prev]))[0]
    n = new_poverty(np.array([fp]), np.array([now]), np.array([prev]))[0]
    assert bool(r) == (fp and now and not prev)
    assert bool(n) == ((not fp) and now and not prev)
    # a household is never both a relapse and a new poverty case
    assert not (r and n)


def test_relapse_and_new_poverty_vectorised():
    fp, now, prev = (np.array(c) for c in zip(*COMBOS, strict=True))
    # COMBOS order: (F,F,F) (F,F,T) (F,T,F) (F,T,T) (T,F,F) (T,F,T) (T,T,F) (T,T,T)
    np.testing.assert_array_equal(relapse(fp, now, prev), [0, 0, 0, 0, 0, 0, 1, 0])
    np.testing.assert_array_equal(new_poverty(fp, now, prev), [0, 0, 1, 0, 0, 0, 0, 0])


def test_support_target_follows_the_shortfall():
    from model.processes.monitoring import support_target

    # 1,000 yuan a person below a 6,000 threshold, 3 persons: 3,000 of a 6,000 gain -> half the assets
    assert support_target(5000.0, 6000.0, 3, 6000.0) == pytest.approx(0.5)
    assert support_target(1000.0, 6000.0, 3, 6000.0) == pytest.approx(1.0)  # at most the full gain
    assert support_target(7000.0, 6000.0, 3, 6000.0) == 0.0  # above the threshold (a hardship case)
    assert support_target(5000.0, 6000.0, 3, 0.0) == 0.0  # nothing to build


def test_projected_income_and_temporary_assistance():
    from model.processes.monitoring import projected_net_income_pc, temporary_assistance

    # 6,000 had so far this year, 6 months left at the mean of 400 (this month) and 600 (recent): 9,000 / 3
    assert projected_net_income_pc(6000.0, 400.0, 600.0, 6, 3) == pytest.approx(3000.0)
    assert projected_net_income_pc(6000.0, 400.0, 600.0, 0, 3) == pytest.approx(2000.0)  # December
    # shortfall 1,000 a person below a 6,000 threshold, capped at 600 a person, 3 persons
    assert temporary_assistance(5000.0, 6000.0, 3, 600.0) == pytest.approx(1800.0)
    assert temporary_assistance(5500.0, 6000.0, 3, 600.0) == pytest.approx(1500.0)
    assert temporary_assistance(6500.0, 6000.0, 3, 600.0) == 0.0
