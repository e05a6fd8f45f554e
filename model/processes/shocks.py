"""Shock incidence: illness, disability, accidents, disasters, education costs."""

from __future__ import annotations

import numpy as np


def monthly_probability(p_year: np.ndarray | float) -> np.ndarray | float:
    """Convert an annual probability to a monthly one: ``1 − (1 − p)^(1/12)``."""
    return 1.0 - np.power(1.0 - np.clip(p_year, 0.0, 1.0), 1.0 / 12.0)


def illness_probability_month(
    p_year: float,
    chronic: np.ndarray,
    has_elderly: np.ndarray,
    chronic_multiplier: float,
    elderly_multiplier: float,
) -> np.ndarray:
    """Monthly probability of a costly illness episode per household (annual risk capped at 1)."""
    rr = np.where(chronic, chronic_multiplier, 1.0) * np.where(has_elderly, elderly_multiplier, 1.0)
    return monthly_probability(np.minimum(p_year * rr, 1.0))


def lognormal_cost(mean: float, sigma: float, z: np.ndarray) -> np.ndarray:
    """Costs with the given arithmetic mean from standard normal draws ``z``."""
    mu = np.log(max(mean, 1e-9)) - 0.5 * sigma**2
    return np.exp(mu + sigma * z).astype(np.float32)


def illness_labour_loss(labour_units: np.ndarray, members: np.ndarray, carer_labour: float) -> np.ndarray:
    """Labour units lost while a member is ill.

    The sick person is working-age with probability ``labour/members`` (expected loss of that
    share of one unit) and another member cares part-time; the loss never exceeds the labour held.
    """
    share_working = np.clip(labour_units / np.maximum(members, 1), 0.0, 1.0)
    return np.minimum(labour_units, share_working + carer_labour).astype(np.float32)


def disaster_crop_loss(hit_village: np.ndarray, severity: np.ndarray) -> np.ndarray:
    """Share of operating income lost per month in hit villages (0 elsewhere), clipped to [0, 1]."""
    return np.where(hit_village, np.clip(severity, 0.0, 1.0), 0.0).astype(np.float32)
