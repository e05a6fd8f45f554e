"""Rules that link several parameters and that a run needs to start at all.

Every parameter has its own range (:mod:`model.params`), but some combinations of values in range
leave the initial province impossible to build: more counties than households, schooling shares
that are all zero, or income levels that the calibration of the initial incomes
(:mod:`model.population`) cannot reach. :func:`problems` finds them from the parameters alone, so
that they are reported as bad input with the parameters and values involved, before anything
runs or is written.

The income rules repeat the calibration of :func:`model.population.build` (the same formulas, in
the standard library rather than SciPy, so that validating parameters stays light) at the
shares of registered persons by county type: a log-normal dispersion exists only for a mean above
the threshold with a share strictly between 0 and one half below it, and the mean before truncation
at the poverty line is found by bracketing between 0.2 times the line and 1.5 times the target,
which fails when the bracket holds no sign change or the truncated mean cannot be computed there.
Counties hold equal numbers of persons, so the expected shares follow from the county types. The
mean that the non-registered households of formerly poor counties must have depends on the shares
and incomes actually drawn: it must be reachable within :data:`DRAW_MARGIN` standard errors of its
expectation at the run's size (a few yuan at the default 100,000 households, hundreds in a province
of a few hundred). A province at the very edge may still fail at a particular size and seed; the
model then says so when it builds it.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

_STANDARD_NORMAL = NormalDist()
#: Ratio of the income above which the mean before truncation is sought, as in the population.
_BRACKET = (0.2, 1.5)
#: Floor of the non-registered mean in formerly poor counties, in multiples of the threshold.
_NON_REGISTERED_FLOOR = 1.05
#: Standard errors of the drawn population's shares and means that a rule must allow for.
DRAW_MARGIN = 2.0
#: Variance inflation of person-weighted shares by household size (1 + Poisson variance / mean², sizes 1 + Poisson).
_SIZE_INFLATION = 1.25


def _ndtr(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def sigma_for_share(mean: float, threshold: float, share: float) -> float | None:
    """Log-normal dispersion that puts ``share`` of a mean-``mean`` distribution below ``threshold``
    (as :func:`model.population.lognormal_sigma_for_share`); None when there is none."""
    if not 0 < share < 0.5 or not 0 < threshold < mean:
        return None
    z = _STANDARD_NORMAL.inv_cdf(share)
    a = math.log(threshold / mean)
    return z + math.sqrt(z * z - 2 * a)


def _truncated_mean_gap(mean: float, sigma: float, lower: float, target: float) -> float:
    """Mean above ``lower`` of the log-normal with ``mean`` and ``sigma``, minus ``target`` (NaN
    where it cannot be computed, as in the population's calibration)."""
    mu = math.log(mean) - 0.5 * sigma * sigma
    z = (math.log(lower) - mu) / sigma
    upper, below = _ndtr(sigma - z), _ndtr(-z)
    if below == 0.0:
        return math.nan if upper == 0.0 else math.inf
    return mean * upper / below - target


def calibratable(target: float, sigma: float | None, lower: float) -> bool:
    """Whether a log-normal of dispersion ``sigma`` truncated at ``lower`` can be given the mean
    ``target`` (as :func:`model.population._untruncated_mean_for` finds it)."""
    if sigma is None or not (lower > 0 and sigma > 0 and target > 0):
        return False
    ends = [_truncated_mean_gap(k * x, sigma, lower, target) for k, x in zip(_BRACKET, (lower, target), strict=True)]
    if not all(math.isfinite(f) for f in ends):
        return False
    return ends[0] * ends[1] <= 0


def non_registered_means(county_mean: float, registered_mean: float, registered_sigma: float | None,
                          share: float, households: float, floor: float) -> list[float]:
    """The mean the non-registered households of formerly poor counties must have, so that the
    county mean is ``county_mean`` (floored at ``floor``, as in the population): at the expected
    registered share and mean, and :data:`DRAW_MARGIN` standard errors either side of it for
    ``households`` households drawn in those counties."""
    center = (county_mean - registered_mean * share) / (1 - share)
    cv2 = math.expm1(registered_sigma ** 2) if registered_sigma is not None else 0.0
    var_share = _SIZE_INFLATION * share * (1 - share) / households
    var_mean = _SIZE_INFLATION * registered_mean ** 2 * cv2 / max(households * share, 1.0)
    sd = math.sqrt(((county_mean - registered_mean) / (1 - share) ** 2) ** 2 * var_share
                   + (share / (1 - share)) ** 2 * var_mean)
    return [max(center + k * DRAW_MARGIN * sd, floor) for k in (0, -1, 1)]


def _county_counts(n: int, key_share: float, other_share: float) -> tuple[int, int, int]:
    """Key, other formerly poor and never-poor counties (as :func:`model.population.county_types`)."""
    n_key = int(round(key_share * n))
    n_other = min(int(round(other_share * n)), n - n_key)
    return n_key, n_other, n - n_key - n_other


def problems(params: Any) -> list[str]:
    """Every rule linking several parameters that ``params`` (a :class:`~model.params.Params`)
    breaks; each message names the parameters, their values and what is needed."""
    pop = params.population
    out: list[str] = []
    if pop.n_households < pop.n_counties:
        out.append(f"population.n_households = {pop.n_households:,} is below population.n_counties = "
                   f"{pop.n_counties:,}; every county needs at least one household (raise the households or "
                   "lower the counties)")
        return out  # the income rules below assume a province that can be built
    if sum(pop.education_shares) <= 0:
        out.append(f"population.education_shares = {tuple(pop.education_shares)}: at least one share must be above 0")
    counts = _county_counts(pop.n_counties, pop.key_county_share, pop.other_fp_county_share)
    out += _dibao_line_problems(params)
    if params.sim.start_year < 2021:
        out += _problems_2016(params, *counts)
    else:
        out += _problems_2020(params, *counts)
    return out


#: The dibao line in force at the start may be at most this multiple of registered households' mean income.
DIBAO_LINE_MAX_RATIO = 2.0


def _dibao_line_problems(params: Any) -> list[str]:
    """Dibao households live near the line and belong to the registered households whose mean income is
    given; far above that mean, the others cannot be given incomes that keep it."""
    sp = params.policy.social_protection
    year = params.sim.start_year - 1
    line = sp.dibao_line_yuan.at_year(year, 12)
    scale = sp.dibao_line_scale.at_year(year, 12)
    if year < 2020:
        name, mean = "history.income_pc_registered_2016_yuan", params.history.income_pc_registered_2016_yuan
    else:
        name, mean = "population.income_pc_registered_2020_yuan", params.population.income_pc_registered_2020_yuan
    if line * scale <= DIBAO_LINE_MAX_RATIO * mean:
        return []
    return [f"the dibao line in force at the end of {year} (policy.social_protection.dibao_line_yuan = {line:,.0f} "
            f"x dibao_line_scale = {scale:g}, i.e. {line * scale:,.0f}) must be at most {DIBAO_LINE_MAX_RATIO:g} "
            f"times registered households' mean income ({name} = {mean:,.0f}); lower the line or its scale"]


def _registered_share(pop: Any, n_key: int, n_other: int) -> float:
    """Expected share of registered persons in formerly poor counties (equal persons per county)."""
    return (n_key * pop.fp_share_key + n_other * pop.fp_share_other) / (n_key + n_other)


def _problems_2020(params: Any, n_key: int, n_other: int, n_never: int) -> list[str]:
    pop = params.population
    out: list[str] = []
    line = params.poverty_line_2020_yuan
    year = params.sim.start_year
    thr = params.policy.monitoring.threshold_yuan.at_year(year)
    reg = pop.income_pc_registered_2020_yuan
    where_thr = f"the monitoring threshold (policy.monitoring.threshold_yuan = {thr:,.0f} in {year})"
    sigma = sigma_for_share(reg, thr, pop.unstable_share_registered)
    if not 0 < pop.unstable_share_registered < 0.5:
        out.append(f"population.unstable_share_registered = {pop.unstable_share_registered:g}: the initial incomes "
                   f"of registered households put this share of them below {where_thr}; it must be above 0 and "
                   "below 0.5")
    elif not reg > thr:
        out.append(f"population.income_pc_registered_2020_yuan = {reg:,.0f} must be above {where_thr}")
    elif not calibratable(reg, sigma, line):
        out.append(f"the initial incomes of registered households cannot be drawn: a mean of {reg:,.0f} "
                   f"(population.income_pc_registered_2020_yuan) with population.unstable_share_registered = "
                   f"{pop.unstable_share_registered:g} below {where_thr} and nobody below the poverty line "
                   f"(poverty_line_2020_yuan = {line:,.0f}) is impossible; raise the mean or lower the line")
    fp_share = _registered_share(pop, n_key, n_other) if n_key + n_other else 1.0
    if fp_share < 1:
        share = pop.marginal_share_nonregistered
        households = pop.n_households * (n_key + n_other) / pop.n_counties
        means = non_registered_means(pop.income_pc_fpc_2020_yuan, reg, sigma, fp_share, households,
                                      _NON_REGISTERED_FLOOR * thr)
        if not 0 < share < 0.5:
            out.append(f"population.marginal_share_nonregistered = {share:g}: the initial incomes of other households "
                       f"in formerly poor counties put this share of them below {where_thr}; it must be above 0 "
                       "and below 0.5")
        elif not all(calibratable(m, sigma_for_share(m, thr, share), line) for m in means):
            out.append(f"the initial incomes of non-registered households in formerly poor counties cannot be drawn: "
                       f"with population.income_pc_fpc_2020_yuan = {pop.income_pc_fpc_2020_yuan:,.0f} and "
                       f"registered households at {reg:,.0f} (population.income_pc_registered_2020_yuan), the others "
                       f"would average about {means[0]:,.0f} (between {min(means):,.0f} and {max(means):,.0f} at "
                       f"{pop.n_households:,} households), too close to {where_thr} for "
                       f"population.marginal_share_nonregistered = {share:g} of them to lie below it with nobody "
                       f"below the poverty line ({line:,.0f}); raise the county mean or lower the registered mean")
    if n_never and pop.fp_share_nonpoor < 1:
        out += _never_poor(pop.income_pc_nonpoor_2020_yuan, "population.income_pc_nonpoor_2020_yuan",
                           pop.income_sigma_nonpoor, line, f"poverty_line_2020_yuan = {line:,.0f}")
    return out


def _problems_2016(params: Any, n_key: int, n_other: int, n_never: int) -> list[str]:
    pop, h = params.population, params.history
    out: list[str] = []
    year = params.sim.start_year - 1
    line = h.poverty_line_yuan.at_year(year)
    where_line = f"the poverty line of {year} (history.poverty_line_yuan = {line:,.0f})"
    if not line > 0:
        return [f"history.poverty_line_yuan = {line:g} in {year}: a historical run needs a line above 0"]
    n = n_key + n_other + n_never
    registered = (n_key * pop.fp_share_key + n_other * pop.fp_share_other + n_never * pop.fp_share_nonpoor) / n
    low = registered - DRAW_MARGIN * math.sqrt(_SIZE_INFLATION * registered * (1 - registered) / pop.n_households)
    reg = h.income_pc_registered_2016_yuan
    sigma = None
    if registered <= 0:
        out.append("a historical run needs registered households: population.fp_share_key, fp_share_other and "
                   "fp_share_nonpoor are all 0")
    elif not (low > 0 and h.headcount_2016 / low < 0.5):
        out.append(f"history.headcount_2016 = {h.headcount_2016:g} needs {h.headcount_2016 / registered:.1%} of "
                   f"registered persons below the line, as they are {registered:.1%} of all persons "
                   f"(population.fp_share_*; at least {max(low, 0):.1%} at {pop.n_households:,} households); "
                   "allowed below 50% (raise the registered shares or lower the headcount)")
    elif not reg > line:
        out.append(f"history.income_pc_registered_2016_yuan = {reg:,.0f} must be above {where_line}")
    else:
        sigma = sigma_for_share(reg, line, h.headcount_2016 / registered)
    thr = 1.5 * line
    fp_share = _registered_share(pop, n_key, n_other) if n_key + n_other else 1.0
    if fp_share < 1:
        share_m = pop.marginal_share_nonregistered
        households = pop.n_households * (n_key + n_other) / n
        means = non_registered_means(h.income_pc_fpc_2016_yuan, reg, sigma, fp_share, households,
                                      _NON_REGISTERED_FLOOR * thr)
        if not 0 < share_m < 0.5:
            out.append(f"population.marginal_share_nonregistered = {share_m:g}: the initial incomes of other "
                       f"households in poor counties put this share of them below 1.5 times {where_line}; it must "
                       "be above 0 and below 0.5")
        elif not all(calibratable(m, sigma_for_share(m, thr, share_m), line) for m in means):
            out.append(f"the initial incomes of non-registered households in poor counties cannot be drawn: with "
                       f"history.income_pc_fpc_2016_yuan = {h.income_pc_fpc_2016_yuan:,.0f} and registered "
                       f"households at {reg:,.0f} (history.income_pc_registered_2016_yuan), the others would "
                       f"average about {means[0]:,.0f} (between {min(means):,.0f} and {max(means):,.0f} at "
                       f"{pop.n_households:,} households), too close to 1.5 times {where_line} for "
                       f"population.marginal_share_nonregistered = {share_m:g} of them to lie below it with nobody "
                       "below the line; raise the county mean or lower the registered mean")
    if n_never and pop.fp_share_nonpoor < 1:
        out += _never_poor(h.income_pc_nonpoor_2016_yuan, "history.income_pc_nonpoor_2016_yuan",
                           pop.income_sigma_nonpoor, line, f"history.poverty_line_yuan = {line:,.0f} in {year}")
    return out


def _never_poor(mean: float, name: str, sigma: float, line: float, line_text: str) -> list[str]:
    if calibratable(mean, sigma, line):
        return []
    return [f"{name} = {mean:,.0f} cannot be the mean income of never-poor counties with nobody below the poverty "
            f"line ({line_text}) at population.income_sigma_nonpoor = {sigma:g}; raise the mean or lower the line"]
