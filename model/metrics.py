"""The one place where outcomes are defined.

Definitions (DESIGN §3):

- **poverty_rate**: persons in poor households ÷ all persons (weighted), at December.
- **relapse_rate**: formerly-poor households that relapse in the year ÷ formerly-poor households.
- **new_poverty_rate**: never-registered households newly poor ÷ never-registered households.
- **large-scale relapse**: a county-year whose relapse rate ≥ ``metrics.large_scale.county_threshold``.
- **three excesses**: formerly-poor-county per-capita income growth exceeds nominal GDP growth,
  urban per-capita income growth and the rural per-capita income growth of all simulated counties.
- **relative poverty**: per-capita net income below ``metrics.relative_poverty_share`` × the rural
  median (persons).
- **monitored_share**: households under monitoring at year-end ÷ formerly-poor households;
  **risk_eliminated_share**: households ever marked eliminated ÷ households ever monitored.
- **gini**: Gini of per-capita disposable income over persons.
- **fiscal_cost_yuan**: all public spending recorded in the government accounts in the year.

Income levels are person-weighted means of per-capita disposable income (yuan/person/year).
"""

from __future__ import annotations

import numpy as np
from numba import njit

SUMMARY_KEYS = (
    "relapse_rate_peak", "relapse_cum_share", "new_poverty_cum_share", "poverty_rate_final",
    "county_relapse_rate_max", "large_scale_relapse", "large_scale_county_years",
    "income_growth_fpc_mean", "three_excesses_years", "relative_poverty_rate_final", "gini_final",
    "fiscal_cost_total_yuan", "monitored_share_peak", "risk_eliminated_share_final",
    "enterprises_final", "local_jobs_final",
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
    }


def county_outcomes(d: np.ndarray, col: dict[str, int], threshold: float) -> dict[str, np.ndarray]:
    """Per-county outcomes: relapse rate, poverty rate, per-capita income and large-scale relapse
    (a county with formerly-poor households whose relapse rate reaches ``threshold``)."""
    relapse_rate = county_rate(d[:, col["relapses"]], d[:, col["fp_households"]])
    return {
        "relapse_rate": relapse_rate,
        "poverty_rate": county_rate(d[:, col["persons_poor"]], d[:, col["persons"]]),
        "income_pc_yuan": county_rate(d[:, col["disposable"]], d[:, col["persons"]]),
        "large_scale": (d[:, col["N_fp"]] > 0) & (relapse_rate >= threshold),
    }


def summarise(annual, counties, threshold: float, relapse_cum_share: float,
              new_poverty_cum_share: float) -> dict:
    """Scalar outcomes of a run (keys in ``SUMMARY_KEYS``) from its annual and county tables."""
    last = annual.iloc[-1]
    ls = counties["large_scale"]
    growths = annual["income_growth_fpc"].dropna()
    return {
        "relapse_rate_peak": float(annual["relapse_rate"].max()),
        "relapse_cum_share": float(relapse_cum_share),
        "new_poverty_cum_share": float(new_poverty_cum_share),
        "poverty_rate_final": float(last["poverty_rate"]),
        "county_relapse_rate_max": float(counties["relapse_rate"].max()) if len(counties) else 0.0,
        "large_scale_relapse": bool(ls.any()),
        "large_scale_county_years": int(ls.sum()),
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
    }
