"""The dynamic monitoring-and-assistance mechanism (household side)."""

from __future__ import annotations

import numpy as np

#: Monitoring states.
MON_NONE, MON_ACTIVE, MON_ELIMINATED = 0, 1, 2
#: Monitoring categories.
CAT_NONE, CAT_UNSTABLE, CAT_MARGINAL, CAT_HARDSHIP = 0, 1, 2, 3
#: Assistance bits.
AID_INDUSTRIAL, AID_EMPLOYMENT, AID_SOCIAL, AID_MEDICAL = 1, 2, 4, 8


def at_risk(income_est_pc: np.ndarray, threshold: float, hardship: np.ndarray) -> np.ndarray:
    """At risk: estimated per-capita income below the threshold, or a sudden-hardship expense."""
    return (income_est_pc < threshold) | hardship


def detection_probability(coverage: float, p_screen: np.ndarray, p_self: float) -> np.ndarray:
    """Monthly chance an at-risk household is identified: reached by coverage and either screened
    or self-reported: ``coverage × (1 − (1 − p_screen)(1 − p_self))``."""
    return coverage * (1.0 - (1.0 - np.clip(p_screen, 0.0, 1.0)) * (1.0 - p_self))


def categorise(formerly_poor: np.ndarray, hardship: np.ndarray) -> np.ndarray:
    """Category of newly identified households: sudden hardship when triggered by an expense,
    otherwise unstable formerly poor or marginal."""
    cat = np.where(formerly_poor, CAT_UNSTABLE, CAT_MARGINAL)
    return np.where(hardship, CAT_HARDSHIP, cat).astype(np.int8)


def assistance_bits(labour_units: np.ndarray, op_base_year: np.ndarray, ill: np.ndarray) -> np.ndarray:
    """Assistance assigned by need and labour capacity.

    Labour ≥ 1 with a farm base → industrial; labour ≥ 0.5 → employment; labour < 0.5 → social
    security; a current illness adds medical assistance.
    """
    bits = np.zeros(labour_units.shape, dtype=np.int8)
    bits |= np.where((labour_units >= 1.0) & (op_base_year > 0), AID_INDUSTRIAL, 0).astype(np.int8)
    bits |= np.where(labour_units >= 0.5, AID_EMPLOYMENT, 0).astype(np.int8)
    bits |= np.where(labour_units < 0.5, AID_SOCIAL, 0).astype(np.int8)
    bits |= np.where(ill, AID_MEDICAL, 0).astype(np.int8)
    return bits


def stable_months_update(stable_months: np.ndarray, monitored: np.ndarray, above: np.ndarray) -> np.ndarray:
    """Consecutive months a monitored household has been above the threshold (0 when not)."""
    out = np.where(monitored & above, stable_months + 1, 0)
    return np.minimum(out, 127).astype(np.int8)


def eliminate(monitored: np.ndarray, stable_months: np.ndarray, months_needed: int,
              labour_units: np.ndarray) -> np.ndarray:
    """Households whose risk is marked eliminated: stable long enough and with labour capacity
    (households without labour capacity stay monitored)."""
    return monitored & (stable_months >= months_needed) & (labour_units >= 0.5)
