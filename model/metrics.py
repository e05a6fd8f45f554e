"""The one place where outcomes are defined.

Definitions (DESIGN §3):

- **poverty_rate**: persons in poor households ÷ all persons (weighted), at December.
- **relapse_rate**: formerly-poor households that relapse in the year ÷ formerly-poor households.
- **new_poverty_rate**: never-registered households newly poor ÷ never-registered households.
- **large-scale relapse**: a county-year of a *formerly poor* county (key or other) whose relapse
  rate is at least ``metrics.large_scale.county_threshold`` and in which at least
  ``metrics.large_scale.min_persons`` real persons relapse. Never-poor counties are reported
  separately. A simulated county holds a sample of the real county's households, so its relapse
  rate carries binomial noise that shrinks with the number simulated; a threshold applied to the
  noisy rate would make the risk depend on the simulation's size. The model therefore estimates
  each county-year's *expected* relapse rate (:func:`county_relapse_estimates`): a binomial GLM of
  all county-years of the run on year and county-type effects and the county's disaster exposure
  (disasters drive most of the spread between counties) gives each county-year a fitted rate; a
  beta prior around it, whose spread is what the fit leaves once binomial noise is taken out
  (method of moments), is updated with the county's simulated relapses (empirical Bayes). Each
  December the fit uses the county-years up to that year, so a year's estimate never depends on
  later years (two scenarios identical until a year have identical estimates for it). The county-year's probability
  of large-scale relapse is the posterior probability that its rate reaches the threshold; a
  run's probability is ``1 − Π(1 − p)`` over its formerly poor county-years. With many simulated
  households the posterior is the county's own rate and the probability 0 or 1. The threshold is
  a convention, so ``large_scale_p_01`` … ``large_scale_p_10`` give the same probability at 1% to
  10% (the exceedance curve).
- **three excesses**: formerly-poor-county per-capita income growth exceeds nominal GDP growth,
  urban per-capita income growth and the rural per-capita income growth of all simulated counties.
- **relative poverty**: per-capita net income below ``metrics.relative_poverty_share`` × the rural
  median (persons).
- **monitored_share**: households under monitoring at year-end ÷ formerly-poor households;
  **risk_eliminated_share**: households ever marked eliminated ÷ households ever monitored.
- **gini**: Gini of per-capita disposable income over persons.
- **relapse as stock and flow** (formerly poor households, each year): ``relapse_stock_rate`` the
  share poor at year-end; ``persistent_relapse_rate`` poor this year and the last (two or more
  years running); the flow ``relapse_rate`` is the transient part (poor this year, not the last).
  Each relapse has one cause: ``relapse_spending_only_share`` of relapses are poor only because
  rigid medical and education spending is deducted (disposable income above the line),
  ``relapse_guarantee_only_share`` only by a three-guarantees failure (net income above the line),
  the rest by income loss. ``escape_rate`` is the share of last year's poor formerly poor
  households not poor this year (0 when none was poor). The summary's ``expected_escape_years`` is
  the inverse of the escape rate pooled over the run's years, the expected time to escape of a
  geometric spell (as in Markov escape-time measures of poverty traps); 0 when no formerly poor
  household was poor, infinite when none escaped.
- **monitoring that acts**: ``months_to_identification`` is the mean time from a household's last
  shock (illness, accident, disaster, job loss, a large medical bill) to its identification,
  over households identified within a year of one; ``months_to_assistance`` adds
  ``monitoring.days_to_assistance``; ``identified_by_data_share`` is the share identified from a
  shared-data record; ``relapsers_monitored_share`` and ``relapsers_assisted_share`` the shares of
  the year's relapsing households already monitored (assisted) in January of that year;
  ``hardship_relapse_rate`` relapse among formerly poor households with a sudden hardship that year.
- **fiscal_cost_yuan**: all public spending recorded in the government accounts in the year.

Income levels are person-weighted means of per-capita disposable income (yuan/person/year).
"""

from __future__ import annotations

import warnings

import numpy as np
from numba import njit

#: County-year relapse-rate thresholds of the exceedance curve (1% … 10%) and their summary keys.
EXCEEDANCE_THRESHOLDS = tuple(k / 100 for k in range(1, 11))
EXCEEDANCE_KEYS = tuple(f"large_scale_p_{k:02d}" for k in range(1, 11))

SUMMARY_KEYS = (
    "relapse_rate_peak", "relapse_cum_share", "new_poverty_cum_share", "poverty_rate_final",
    "county_relapse_rate_max", "large_scale_relapse", "large_scale_county_years",
    "large_scale_relapse_never_poor", "relapsing_persons_county_max",
    "income_growth_fpc_mean", "three_excesses_years", "relative_poverty_rate_final", "gini_final",
    "fiscal_cost_total_yuan", "monitored_share_peak", "risk_eliminated_share_final",
    "enterprises_final", "local_jobs_final", "dibao_coverage_fp_final", "assistance_intensity_min",
    "relapse_stock_rate_final", "persistent_relapse_rate_mean", "expected_escape_years",
    "relapse_spending_only_share_mean", "months_to_identification_mean", "relapsers_monitored_share_mean",
    "hardship_relapse_rate_mean",
    *EXCEEDANCE_KEYS,
)


def safe_div(a: float, b: float) -> float:
    return float(a) / float(b) if b > 0 else 0.0


@njit(cache=True)
def weighted_quantile(x, w, q, order=None):
    """Weighted quantile: the smallest ``x`` whose cumulative weight reaches ``q`` of the total.

    ``order`` may pass a precomputed stable ascending order of ``x`` (see :func:`argsort_f32`).
    """
    if x.shape[0] == 0:
        return np.nan
    if order is None:
        return _weighted_quantile_ordered(x, w, q, np.argsort(x, kind="mergesort"))
    return _weighted_quantile_ordered(x, w, q, order)


@njit(cache=True)
def _weighted_quantile_ordered(x, w, q, order):
    total = 0.0
    for i in range(w.shape[0]):
        total += w[i]
    target = q * total
    cum = 0.0
    for k in range(order.shape[0]):
        cum += w[order[k]]
        if cum >= target:
            return float(x[order[k]])
    return float(x[order[-1]])


@njit(cache=True)
def weighted_gini(x, w, order=None):
    """Gini coefficient of ``x`` with weights ``w`` (trapezoid rule on the Lorenz curve).

    ``order`` may pass a precomputed stable ascending order of ``x``.
    """
    if x.shape[0] == 0:
        return np.nan
    if order is None:
        return _weighted_gini_ordered(x, w, np.argsort(x, kind="mergesort"))
    return _weighted_gini_ordered(x, w, order)


@njit(cache=True)
def _weighted_gini_ordered(x, w, order):
    n = x.shape[0]
    # gather once in sorted order (one pass of random reads), then sum over contiguous arrays
    ws = np.empty(n)
    xws = np.empty(n)
    total_w = 0.0
    total_xw = 0.0
    for k in range(n):
        i = order[k]
        ws[k] = w[i]
        xws[k] = float(x[i]) * w[i]
        total_w += ws[k]
        total_xw += xws[k]
    if total_w <= 0:
        return np.nan
    if total_xw <= 0:
        return 0.0
    area = 0.0
    cw = 0.0
    cxw = 0.0
    for k in range(n):
        prev_l = cxw / total_xw
        cw_prev = cw
        cw += ws[k]
        cxw += xws[k]
        area += (cw - cw_prev) / total_w * (prev_l + cxw / total_xw) / 2.0
    return 1.0 - 2.0 * area


@njit(cache=True, nogil=True)
def argsort_f32(x):
    """Stable ascending order (int32) of a float32 array by LSD radix sort (three passes of 11, 11
    and 10 bits, O(n)); the same order as a stable comparison sort for finite values.

    One read pass builds the three digit histograms; a pass whose digit is the same for every key
    moves nothing and is skipped. Eleven-bit digits (2,048 buckets, whose write positions stay in
    the L2 cache) make three scatter passes instead of the four of byte digits: 0.70-0.89 times the
    time at 1,000,000-10,000,000 values. The order is int32 (a province has fewer than 2**31
    households), which halves what each scatter pass writes for it."""
    n = x.shape[0]
    if n >= 2**31:
        raise ValueError("argsort_f32: at most 2**31 - 1 values")
    bits = x.view(np.uint32)
    keys = np.empty(n, dtype=np.uint32)
    counts = np.zeros((3, 2049), dtype=np.int64)
    low11 = np.uint32(0x7FF)
    for i in range(n):
        b = bits[i]
        if b == np.uint32(0x80000000):  # -0.0 sorts with +0.0, as a comparison sort has it
            b = np.uint32(0)
        # flip so that unsigned order equals float order: negatives reversed, positives above
        k = ~b if (b & np.uint32(0x80000000)) != 0 else b | np.uint32(0x80000000)
        keys[i] = k
        counts[0, (k & low11) + 1] += 1
        counts[1, ((k >> np.uint32(11)) & low11) + 1] += 1
        counts[2, (k >> np.uint32(22)) + 1] += 1
    order = np.arange(n, dtype=np.int32)
    if n == 0:
        return order
    tmp_order = np.empty(n, dtype=np.int32)
    tmp_keys = np.empty(n, dtype=np.uint32)
    for p in range(3):
        shift = np.uint32(11 * p)
        start = counts[p]
        if start[((keys[0] >> shift) & low11) + 1] == n:
            continue  # one digit for all keys: a stable pass would leave the order as it is
        for d in range(2048):
            start[d + 1] += start[d]
        for i in range(n):
            k = keys[i]
            d = (k >> shift) & low11
            pos = start[d]
            tmp_order[pos] = order[i]
            tmp_keys[pos] = k
            start[d] = pos + 1
        order, tmp_order = tmp_order, order
        keys, tmp_keys = tmp_keys, keys
    return order


def growth(now: float, before: float) -> float:
    return now / before - 1.0 if before > 0 else float("nan")


def three_excesses(fpc: float, gdp: float, urban: float, rural: float) -> bool:
    """All three: formerly-poor-county income growth above GDP, urban and rural income growth."""
    return bool(fpc > gdp and fpc > urban and fpc > rural)


def county_rate(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Rates per county, 0 where the denominator is empty."""
    return np.divide(num, den, out=np.zeros(len(num)), where=den > 0)


def county_relapse(relapsed: np.ndarray, fp: np.ndarray, weight: np.ndarray, county: np.ndarray,
                   n_counties: int) -> np.ndarray:
    """Relapse rate per county from household rows (0 where a county has no formerly-poor
    households)."""
    num = np.bincount(county, weights=weight * relapsed, minlength=n_counties)
    den = np.bincount(county, weights=weight * fp, minlength=n_counties)
    return county_rate(num, den)


def annual_outcomes(d: np.ndarray, col: dict[str, int], fpc: np.ndarray, prev_income: dict[str, float],
                    macro: dict[str, float], relative_poor_persons: float, gini: float) -> dict[str, float]:
    """The year's province-wide outcomes from per-county December sums ``d[county, col[name]]``
    (weighted; see ``model.kernel.DEC_COLUMNS``).

    Args:
        d: per-county sums; ``fpc`` marks formerly poor counties.
        prev_income: last year's person-weighted per-capita income, keys ``fpc`` and ``all``.
        macro: this year's ``gdp_growth_real``, ``inflation`` and ``urban_income_growth``.
        relative_poor_persons: persons below the relative poverty line; ``gini`` as defined above.
    """
    def share(num: str, den: str, rows=slice(None)) -> float:
        return safe_div(d[rows, col[num]].sum(), d[rows, col[den]].sum())

    inc_all = share("disposable", "persons")
    inc_fpc = share("disposable", "persons", fpc)
    g_fpc = growth(inc_fpc, prev_income["fpc"])
    g_all = growth(inc_all, prev_income["all"])
    gdp_nominal = (1 + macro["gdp_growth_real"]) * (1 + macro["inflation"]) - 1
    comp = {k: d[fpc, col[k]].sum() for k in ("wage", "operating", "property", "transfer_public",
                                              "transfer_private")}
    comp_total = sum(comp.values())
    return {
        "poverty_rate": share("persons_poor", "persons"),
        "poverty_rate_fp": share("persons_poor_fp", "persons_fp"),
        "relapse_rate": share("relapses", "fp_households"),
        "new_poverty_rate": share("new_poor", "nonfp_households"),
        "n_relapse_households": float(d[:, col["relapses"]].sum()),
        "n_new_poor_households": float(d[:, col["new_poor"]].sum()),
        "monitored_share": share("monitored", "fp_households"),
        "risk_eliminated_share": share("ever_eliminated", "ever_monitored"),
        "income_pc_mean_yuan": inc_all,
        "income_pc_fpc_yuan": inc_fpc,
        "income_pc_nonfpc_yuan": share("disposable", "persons", ~fpc),
        "income_pc_registered_yuan": share("net_fp", "persons_fp"),
        "income_growth_fpc": g_fpc,
        "gdp_growth": gdp_nominal,
        "urban_income_growth": macro["urban_income_growth"],
        "rural_income_growth": g_all,
        "three_excesses": three_excesses(g_fpc, gdp_nominal, macro["urban_income_growth"], g_all),
        "wage_share_fpc": safe_div(comp["wage"], comp_total),
        "operating_share_fpc": safe_div(comp["operating"], comp_total),
        "property_share_fpc": safe_div(comp["property"], comp_total),
        "transfer_share_fpc": safe_div(comp["transfer_public"] + comp["transfer_private"], comp_total),
        "relative_poverty_rate": safe_div(relative_poor_persons, d[:, col["persons"]].sum()),
        "gini": gini,
        "transfer_received_yuan": float(d[:, col["transfer_public"]].sum()),
        "local_jobs": float(d[:, col["local_jobs"]].sum()),
        "guarantee_failure_rate": share("guarantee_failures", "households"),
        "dibao_coverage_fp": share("persons_dibao_fp", "persons_fp"),
        "dibao_coverage": share("persons_dibao", "persons"),
        **_composition_fp(d, col),
        **_relapse_stock_and_flow(d, col),
    }


def _relapse_stock_and_flow(d: np.ndarray, col: dict[str, int]) -> dict[str, float]:
    """The relapse outcomes of the module docstring that December sums give (households, weighted)."""
    def total(name: str) -> float:
        return float(d[:, col[name]].sum())

    fp = total("fp_households")
    relapses = total("relapses")
    escape = safe_div(total("escapes_fp"), total("prev_poor_fp"))
    return {
        "relapse_stock_rate": safe_div(total("persistent_fp") + relapses, fp),
        "persistent_relapse_rate": safe_div(total("persistent_fp"), fp),
        "relapse_spending_only_share": safe_div(total("relapses_spending_only"), relapses),
        "relapse_guarantee_only_share": safe_div(total("relapses_guarantee_only"), relapses),
        "escape_rate": escape,
        "n_poor_last_year_fp": total("prev_poor_fp"),
        "n_escapes_fp": total("escapes_fp"),
        "relapsers_monitored_share": safe_div(total("relapses_monitored_jan"), relapses),
        "relapsers_assisted_share": safe_div(total("relapses_assisted_jan"), relapses),
        "hardship_relapse_rate": safe_div(total("relapses_hardship"), total("hardship_fp")),
    }


def identification_outcomes(flows: np.ndarray, col: dict[str, int], days_to_assistance: float) -> dict[str, float]:
    """The year's identification outcomes from the kernel's monthly sums added over the year."""
    months = safe_div(flows[col["months_to_identification_sum"]], flows[col["n_identified_after_shock"]])
    return {
        "months_to_identification": months,
        "months_to_assistance": months + days_to_assistance / 30.0,
        "identified_by_data_share": safe_div(flows[col["n_identified_by_data"]], flows[col["n_newly_identified"]]),
    }


def _composition_fp(d: np.ndarray, col: dict[str, int]) -> dict[str, float]:
    """Shares of registered households' disposable income by source (December sums)."""
    parts = {k: float(d[:, col[f"{k}_fp"]].sum()) for k in ("wage", "operating", "property", "transfer_public",
                                                             "transfer_private")}
    total = sum(parts.values())
    return {f"{k}_share_fp": safe_div(v, total) for k, v in parts.items()}


#: Largest prior concentration (a + b) of the shrinkage: where the county-years show no spread
#: beyond binomial noise around the fitted rates, every county-year is shrunk (almost) to its fit.
MAX_PRIOR_CONCENTRATION = 1e7


def fitted_relapse_rates(x: np.ndarray, n: np.ndarray, year: np.ndarray, group: np.ndarray,
                         exposure: np.ndarray) -> np.ndarray:
    """Expected relapse rate of each county-year from county-level conditions: a binomial GLM (logit
    link, statsmodels) of the simulated relapses ``x`` of ``n`` formerly poor households on year
    effects, county-group effects and the county's disaster exposure that year. The counts get half
    a relapse and half a non-relapse each (Jeffreys) so that a year without any relapse keeps a
    finite effect; county-years with ``n == 0`` get rate 0."""
    import statsmodels.api as sm

    x = np.asarray(x, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    ok = n > 0
    out = np.zeros(len(x))
    if not ok.any():
        return out
    cols = [np.ones(ok.sum())]
    for labels in (np.asarray(year)[ok], np.asarray(group)[ok]):
        levels = np.unique(labels)
        cols += [(labels == v).astype(np.float64) for v in levels[1:]]
    e = np.asarray(exposure, dtype=np.float64)[ok]
    if np.ptp(e) > 0:
        cols.append(e)
    design = np.column_stack(cols)
    endog = np.column_stack([x[ok] + 0.5, n[ok] - x[ok] + 0.5])
    # the half counts keep every estimate finite; statsmodels still warns when a year has no
    # relapse at all (separation) or a level has no county (a singular design, solved by pinv)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = sm.GLM(endog, design, family=sm.families.Binomial()).fit()
    out[ok] = np.clip(fit.fittedvalues, 1e-9, 1.0 - 1e-9)
    return out


def beta_prior_around(fitted: np.ndarray, x: np.ndarray, n: np.ndarray, n_params: int) -> np.ndarray:
    """Concentration ``kappa`` of beta priors centred on ``fitted`` rates: the between-county-year
    variance ``tau2`` left once the binomial noise ``m(1 - m)/n`` of each simulated rate is taken
    out of the squared deviations from the fit (method of moments, ``K - n_params`` degrees of
    freedom, at least 0), ``kappa = m(1 - m)/tau2 - 1`` (at most ``MAX_PRIOR_CONCENTRATION``)."""
    x = np.asarray(x, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    ok = n > 0
    m = np.clip(fitted, 1e-12, 1.0 - 1e-12)
    rate = county_rate(x, n)
    dof = max(int(ok.sum()) - n_params, 1)
    excess = ((rate - m) ** 2 - m * (1.0 - m) / np.maximum(n, 1.0))[ok]
    tau2 = max(float(excess.sum()) / dof, 0.0)
    with np.errstate(divide="ignore"):
        kappa = np.where(tau2 > 0, m * (1.0 - m) / tau2 - 1.0, MAX_PRIOR_CONCENTRATION)
    return np.clip(kappa, 1e-3, MAX_PRIOR_CONCENTRATION)


def posterior_rates(x: np.ndarray, n: np.ndarray, prior_mean: np.ndarray, kappa: np.ndarray,
                    rate_thresholds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Beta-binomial posterior of each county-year's expected rate: ``(posterior_mean, p_at_least)``,
    the probability that the rate is at least each column of ``rate_thresholds`` (0 where ``n == 0``)."""
    from scipy.special import betaincc

    x = np.asarray(x, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    ok = n > 0
    a = np.maximum(prior_mean * kappa, 1e-12) + x
    b = np.maximum((1.0 - prior_mean) * kappa, 1e-12) + (n - x)
    post_mean = np.where(ok, a / (a + b), 0.0)
    t = np.clip(np.asarray(rate_thresholds, dtype=np.float64), 0.0, 1.0)
    p = betaincc(a[:, None], b[:, None], t)
    return post_mean, np.where(ok[:, None], p, 0.0)


def county_outcomes(d: np.ndarray, col: dict[str, int]) -> dict[str, np.ndarray]:
    """Per-county outcomes of a year from the December sums ``d``: the simulated relapse rate
    (weighted), poverty rate, per-capita income, and what the relapse estimate needs (formerly poor
    households real and simulated, simulated relapses, persons of formerly poor households)."""
    return {
        "relapse_rate": county_rate(d[:, col["relapses"]], d[:, col["fp_households"]]),
        "poverty_rate": county_rate(d[:, col["persons_poor"]], d[:, col["persons"]]),
        "income_pc_yuan": county_rate(d[:, col["disposable"]], d[:, col["persons"]]),
        "fp_households": d[:, col["fp_households"]],
        "fp_persons": d[:, col["persons_fp"]],
        "fp_households_simulated": d[:, col["N_fp"]],
        "relapses_simulated": d[:, col["N_relapses"]],
    }


#: Columns :func:`county_relapse_estimates` adds to a county table.
ESTIMATE_COLUMNS = ("relapse_rate_est", "relapsing_persons_est", "p_large_scale", "large_scale",
                    *(k.replace("large_scale_p_", "p_exceed_") for k in EXCEEDANCE_KEYS))


def county_relapse_estimates(counties, threshold: float, min_persons: float, never_poor: str = "never_poor"):
    """The county table with each county-year's estimated relapse (module docstring): the expected
    rate ``relapse_rate_est``, the expected real persons relapsing, the probability
    ``p_large_scale`` that the county-year is large-scale (rate at least ``threshold`` with at least
    ``min_persons`` persons relapsing), ``large_scale`` (that probability at least 0.5) and the
    probabilities ``p_exceed_01`` … ``p_exceed_10`` of the exceedance curve.

    The prior of a county-year is centred on its fitted rate (:func:`fitted_relapse_rates`: year
    and county-type effects, disaster exposure) with the spread the fit leaves
    (:func:`beta_prior_around`); formerly poor and never-poor counties are fitted separately.
    """
    out = counties.copy()
    n_rows = len(out)
    est = np.zeros(n_rows)
    prob = np.zeros((n_rows, 1 + len(EXCEEDANCE_THRESHOLDS)))
    if n_rows:
        x = out["relapses_simulated"].to_numpy(np.float64)
        n = out["fp_households_simulated"].to_numpy(np.float64)
        fp_persons = out["fp_persons"].to_numpy(np.float64)
        min_rate = np.where(fp_persons > 0, min_persons / np.maximum(fp_persons, 1e-12), np.inf)
        thresholds = np.maximum(np.array((threshold, *EXCEEDANCE_THRESHOLDS))[None, :], min_rate[:, None])
        ctype = out["county_type"].to_numpy()
        year = out["year"].to_numpy()
        exposure = (out["disaster_exposure"].to_numpy(np.float64) if "disaster_exposure" in out
                    else np.zeros(n_rows))
        never = ctype == never_poor
        for part in (~never, never):
            if not part.any():
                continue
            fitted = fitted_relapse_rates(x[part], n[part], year[part], ctype[part], exposure[part])
            # the design: an intercept, the other years and county types, the exposure
            n_params = len(np.unique(year[part])) + len(np.unique(ctype[part]))
            kappa = beta_prior_around(fitted, x[part], n[part], n_params)
            est[part], prob[part] = posterior_rates(x[part], n[part], fitted, kappa, thresholds[part])
    out["relapse_rate_est"] = est
    out["relapsing_persons_est"] = est * (out["fp_persons"].to_numpy(np.float64) if n_rows else 0.0)
    out["p_large_scale"] = prob[:, 0]
    out["large_scale"] = prob[:, 0] >= 0.5
    for k, key in enumerate(EXCEEDANCE_KEYS):
        out[key.replace("large_scale_p_", "p_exceed_")] = prob[:, k + 1]
    return out


def any_probability(p: np.ndarray) -> float:
    """Probability that at least one of independent events of probabilities ``p`` happens."""
    p = np.clip(np.asarray(p, dtype=np.float64), 0.0, 1.0)
    return float(1.0 - np.exp(np.log1p(-np.minimum(p, 1.0 - 1e-15)).sum())) if p.size else 0.0


def _expected_escape_years(annual) -> float:
    """The inverse of the escape rate pooled over the years (module docstring)."""
    poor = float(annual["n_poor_last_year_fp"].sum())
    if poor <= 0:
        return 0.0
    escapes = float(annual["n_escapes_fp"].sum())
    return poor / escapes if escapes > 0 else float("inf")


def summarise(annual, counties, threshold: float, relapse_cum_share: float,
              new_poverty_cum_share: float) -> dict:
    """Scalar outcomes of a run (keys in ``SUMMARY_KEYS``) from its annual and county tables."""
    last = annual.iloc[-1]
    fpc = counties["county_type"].to_numpy() != "never_poor" if len(counties) else np.zeros(0, dtype=bool)
    growths = annual["income_growth_fpc"].dropna()
    exceed = {key: any_probability(counties[key.replace("large_scale_p_", "p_exceed_")].to_numpy()[fpc])
              for key in EXCEEDANCE_KEYS}
    p_ls = counties["p_large_scale"].to_numpy() if len(counties) else np.zeros(0)
    return {
        "relapse_rate_peak": float(annual["relapse_rate"].max()),
        "relapse_cum_share": float(relapse_cum_share),
        "new_poverty_cum_share": float(new_poverty_cum_share),
        "poverty_rate_final": float(last["poverty_rate"]),
        "county_relapse_rate_max": float(counties["relapse_rate_est"].to_numpy()[fpc].max()) if fpc.any() else 0.0,
        "large_scale_relapse": any_probability(p_ls[fpc]),
        "large_scale_county_years": float(p_ls[fpc].sum()),
        "large_scale_relapse_never_poor": any_probability(p_ls[~fpc]),
        "relapsing_persons_county_max": (float(counties["relapsing_persons_est"].to_numpy()[fpc].max())
                                         if fpc.any() else 0.0),
        "large_scale_threshold": float(threshold),
        "income_growth_fpc_mean": float(growths.mean()) if len(growths) else float("nan"),
        "three_excesses_years": int(annual["three_excesses"].sum()),
        "relative_poverty_rate_final": float(last["relative_poverty_rate"]),
        "gini_final": float(last["gini"]),
        "fiscal_cost_total_yuan": float(annual["fiscal_cost_yuan"].sum()),
        "monitored_share_peak": float(annual["monitored_share"].max()),
        "risk_eliminated_share_final": float(last["risk_eliminated_share"]),
        "enterprises_final": float(last["enterprises"]),
        "local_jobs_final": float(last["local_jobs"]),
        "dibao_coverage_fp_final": float(last["dibao_coverage_fp"]),
        "assistance_intensity_min": float(annual["assistance_intensity_fpc"].min()),
        "relapse_stock_rate_final": float(last["relapse_stock_rate"]),
        "persistent_relapse_rate_mean": float(annual["persistent_relapse_rate"].mean()),
        "expected_escape_years": _expected_escape_years(annual),
        "relapse_spending_only_share_mean": float(annual["relapse_spending_only_share"].mean()),
        "months_to_identification_mean": float(annual["months_to_identification"].mean()),
        "relapsers_monitored_share_mean": float(annual["relapsers_monitored_share"].mean()),
        "hardship_relapse_rate_mean": float(annual["hardship_relapse_rate"].mean()),
        **exceed,
    }
