"""Shock incidence: illness, disability, accidents, disasters."""

from __future__ import annotations

import math

from . import rule


@rule
def monthly_probability(p_year):
    """Monthly probability from an annual one: ``1 − (1 − p)^(1/12)`` (p clipped to [0, 1])."""
    p = min(max(p_year, 0.0), 1.0)
    return 1.0 - (1.0 - p) ** (1.0 / 12.0)


@rule
def illness_probability_month(p_year, chronic, has_elderly, chronic_multiplier, elderly_multiplier):
    """Monthly probability of a costly illness episode: the annual risk times the relative risks
    of chronic illness and of members aged 60+ (capped at 1), converted to a month."""
    rr = 1.0
    if chronic:
        rr *= chronic_multiplier
    if has_elderly:
        rr *= elderly_multiplier
    p = min(max(p_year * rr, 0.0), 1.0)
    return 1.0 - (1.0 - p) ** (1.0 / 12.0)


@rule
def lognormal_cost(mean, sigma, z):
    """A log-normal cost with arithmetic mean ``mean`` from a standard normal draw ``z``."""
    mu = math.log(max(mean, 1e-9)) - 0.5 * sigma * sigma
    return math.exp(mu + sigma * z)


@rule
def illness_labour_loss(labour_units, members, carer_labour):
    """Labour units lost while a member is ill: the sick person is working-age with probability
    ``labour / members`` (that share of one unit) and another member cares part-time; the loss
    never exceeds the labour held."""
    share_working = min(max(labour_units / max(members, 1), 0.0), 1.0)
    return min(labour_units, share_working + carer_labour)


@rule
def disaster_crop_loss(hit, severity):
    """Share of operating income lost per month in a hit village (clipped to [0, 1]); 0 elsewhere."""
    if not hit:
        return 0.0
    return min(max(severity, 0.0), 1.0)
