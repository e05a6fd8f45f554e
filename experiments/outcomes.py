"""The range of every scalar outcome of a run, declared once: what an interval of it may span.

Every outcome of ``model.metrics.SUMMARY_KEYS`` (and the derived ones of the commands) has a
declared range and kind, and the statistics pick an interval from it, never from the values seen:

- ``binary``: yes/no per run (0 or 1): a probability over runs, Wilson's score interval, and
  Newcombe's for the paired difference of two (:mod:`experiments.compare.statistics`);
- ``bounded``: a continuous value within ``[lo, hi]`` (shares, rates, probabilities: ``[0, 1]``):
  a t interval on the logit scale, which stays inside the range;
- ``nonnegative``: at least ``lo`` with no upper bound (counts, money): a t interval on the log
  scale, which stays above it;
- ``real``: no bound (growth rates): the ordinary t interval.

An upper bound may depend on the run's size: ``"years"`` (the simulated years) or
``"county_years"`` (years x counties), resolved by :func:`outcome_range`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class OutcomeRange:
    """Kind and bounds of an outcome (``hi`` may name a size: ``years``, ``county_years``)."""

    kind: str
    lo: float = -math.inf
    hi: float | str = math.inf


BINARY = OutcomeRange("binary", 0.0, 1.0)
SHARE = OutcomeRange("bounded", 0.0, 1.0)
NONNEGATIVE = OutcomeRange("nonnegative", 0.0)
REAL = OutcomeRange("real")
KINDS = ("binary", "bounded", "nonnegative", "real")

#: Outcome -> its range. The keys are ``model.metrics.SUMMARY_KEYS`` and the derived outcomes of
#: the commands (a test checks that every summary key is here).
RANGES: dict[str, OutcomeRange] = {
    "relapse_rate_peak": SHARE,
    "relapse_cum_share": SHARE,
    "new_poverty_cum_share": SHARE,
    "poverty_rate_final": SHARE,
    "county_relapse_rate_max": SHARE,
    "large_scale_relapse": BINARY,
    "large_scale_county_years": OutcomeRange("bounded", 0.0, "county_years"),
    "large_scale_threshold": SHARE,
    "income_growth_fpc_mean": REAL,
    "three_excesses_years": OutcomeRange("bounded", 0.0, "years"),
    "relative_poverty_rate_final": SHARE,
    "gini_final": SHARE,
    "fiscal_cost_total_yuan": NONNEGATIVE,
    # households under monitoring per formerly poor household: monitoring also reaches marginal households
    "monitored_share_peak": NONNEGATIVE,
    "risk_eliminated_share_final": SHARE,
    "enterprises_final": NONNEGATIVE,
    "local_jobs_final": NONNEGATIVE,
    "relapse_events_total": NONNEGATIVE,
}

#: Outcomes named by pattern: the probability of large-scale relapse at another threshold.
PATTERNS: tuple[tuple[re.Pattern[str], OutcomeRange], ...] = (
    (re.compile(r"^large_scale_p_\d+$"), SHARE),
)


#: Outcome → (plain label, how it is shown): pct (a share in %), yuan_bn, count, gini, number.
LABELS: dict[str, tuple[str, str]] = {
    "relapse_rate_peak": ("Highest yearly relapse rate", "pct"),
    "relapse_cum_share": ("Formerly poor households that relapsed at least once", "pct"),
    "new_poverty_cum_share": ("Never-registered households that became poor at least once", "pct"),
    "poverty_rate_final": ("Poverty rate in the last year", "pct"),
    "county_relapse_rate_max": ("Highest relapse rate of any county in any year", "pct"),
    "large_scale_relapse": ("Chance of large-scale relapse", "pct"),
    "large_scale_county_years": ("County-years of large-scale relapse", "number"),
    "income_growth_fpc_mean": ("Yearly income growth in formerly poor counties (average)", "pct"),
    "three_excesses_years": ("Years in which the three excesses hold", "number"),
    "relative_poverty_rate_final": ("Relative poverty rate in the last year", "pct"),
    "gini_final": ("Gini coefficient of income in the last year", "gini"),
    "fiscal_cost_total_yuan": ("Public spending over the whole period", "yuan_bn"),
    "monitored_share_peak": ("Highest share of households under monitoring", "pct"),
    "risk_eliminated_share_final": ("Monitored households whose risk was eliminated", "pct"),
    "enterprises_final": ("Rural enterprises at the end", "count"),
    "local_jobs_final": ("Local enterprise jobs at the end", "count"),
    "large_scale_threshold": ("County relapse rate that counts as large-scale", "pct"),
    "relapse_events_total": ("Household relapses over the whole period", "count"),
}



class UnknownOutcomeError(KeyError):
    """An outcome with no declared range (the message lists the declared ones)."""

    def __str__(self) -> str:
        return str(self.args[0])


def declared(outcome: str) -> OutcomeRange:
    """The declared range of ``outcome`` (bounds by size unresolved).

    Raises:
        UnknownOutcomeError: When ``outcome`` has none; declare it in :data:`RANGES`.
    """
    if outcome in RANGES:
        return RANGES[outcome]
    for pattern, found in PATTERNS:
        if pattern.match(outcome):
            return found
    raise UnknownOutcomeError(f"outcome {outcome!r} has no declared range; declared are "
                              f"{', '.join(RANGES)} and large_scale_p_NN")


def outcome_range(outcome: str, years: int | None = None, counties: int | None = None) -> OutcomeRange:
    """The range of ``outcome`` with bounds by size resolved (an unknown size leaves the bound open)."""
    found = declared(outcome)
    if isinstance(found.hi, str):
        sizes = {"years": years, "county_years": None if years is None or counties is None else years * counties}
        size = sizes[found.hi]
        if size is None:
            return OutcomeRange("nonnegative" if found.lo == 0 else "real", found.lo)
        return OutcomeRange(found.kind, found.lo, float(size))
    return found


def is_share(outcome: str) -> bool:
    """Whether ``outcome`` is a share, rate or probability of [0, 1]."""
    found = declared(outcome)
    return found.lo == 0.0 and found.hi == 1.0
