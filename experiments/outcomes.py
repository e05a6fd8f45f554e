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

:data:`SHOWN` says how each outcome's value is shown (a percentage, billions of yuan, a count...);
its name in words comes from the glossary and the catalogue, in English and Chinese
(:func:`experiments.i18n.outcome_label`).
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
    # a run's probability that some formerly poor county-year is large-scale (model.metrics)
    "large_scale_relapse": SHARE,
    "large_scale_relapse_never_poor": SHARE,
    "large_scale_county_years": OutcomeRange("bounded", 0.0, "county_years"),
    "relapsing_persons_county_max": NONNEGATIVE,
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
    "dibao_coverage_fp_final": SHARE,
    # assistance per supported household relative to the 2020 level (capped by government.max_intensity)
    "assistance_intensity_min": NONNEGATIVE,
    "relapse_stock_rate_final": SHARE,
    "persistent_relapse_rate_mean": SHARE,
    "expected_escape_years": NONNEGATIVE,
    "relapse_spending_only_share_mean": SHARE,
    "months_to_identification_mean": NONNEGATIVE,
    "relapsers_monitored_share_mean": SHARE,
    "hardship_relapse_rate_mean": SHARE,
}

#: Outcomes named by pattern: the probability of large-scale relapse at another threshold.
PATTERNS: tuple[tuple[re.Pattern[str], OutcomeRange], ...] = (
    (re.compile(r"^large_scale_p_\d+$"), SHARE),
)


#: Outcome → how its value is shown: ``pct`` (a share, in %), ``yuan_bn`` (billions of yuan), ``count``
#: (a whole number), ``gini`` (a coefficient), ``number`` (one decimal). The outcome's name in words, in
#: English and Chinese, is not here but in the glossary and the catalogue
#: (:func:`experiments.i18n.outcome_label`), the one source of every label.
SHOWN: dict[str, str] = {
    "relapse_rate_peak": "pct",
    "relapse_cum_share": "pct",
    "new_poverty_cum_share": "pct",
    "poverty_rate_final": "pct",
    "county_relapse_rate_max": "pct",
    "large_scale_relapse": "pct",
    "large_scale_county_years": "number",
    "income_growth_fpc_mean": "pct",
    "three_excesses_years": "number",
    "relative_poverty_rate_final": "pct",
    "gini_final": "gini",
    "fiscal_cost_total_yuan": "yuan_bn",
    "monitored_share_peak": "pct",
    "risk_eliminated_share_final": "pct",
    "enterprises_final": "count",
    "local_jobs_final": "count",
    "large_scale_threshold": "pct",
    "relapse_events_total": "count",
    "large_scale_relapse_never_poor": "pct",
    "relapsing_persons_county_max": "count",
    "dibao_coverage_fp_final": "pct",
    "assistance_intensity_min": "number",
    "relapse_stock_rate_final": "pct",
    "persistent_relapse_rate_mean": "pct",
    "expected_escape_years": "number",
    "relapse_spending_only_share_mean": "pct",
    "months_to_identification_mean": "number",
    "relapsers_monitored_share_mean": "pct",
    "hardship_relapse_rate_mean": "pct",
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
