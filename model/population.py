"""Synthetic province at the end of the year before ``sim.start_year``.

Counties come in three types (key counties for national rural revitalisation, other formerly poor
counties, never-designated counties). Each county has 1-3 characteristic industries ("one county,
one industry"); each village one product drawn from its county's industries ("one village, one
product").

Households are calibrated to the 2020 figures in ``data/`` (keys in ``data/SOURCES.md``):
per-capita income of registered households (F1), of formerly poor counties (C9) and of other
counties (D); the shares of registered and non-registered persons below the monitoring threshold
(A15) fix the dispersion of log income; the composition of income follows E1. Key counties are
poorer than the other formerly poor counties (``population.income_ratio_key``).

The social-security bottom line is in place at start: a share of registered and of other persons
(``population.dibao_coverage_*``, H11, H13) is on dibao, or on extreme-poverty support (tekun) where
the household cannot work. These households are chosen with odds that follow the monthly take-up
of households with and without labour capacity; their counted income before dibao is a share of
their line (``population.dibao_counted_income_share``) and dibao tops it up to the line, so their
total income is the line plus what the income test does not count. The other households' incomes are
drawn per capita from log-normal distributions truncated at the poverty line (the official end-2020
state: nobody below it), with means set so that the group means above hold with the dibao
households included. Incomes are then split into mechanistic components so that the simulated
dynamics start from these levels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from .households import HouseholdSet
from .params import Params
from .prices import PriceBase
from .processes.income import EMP_LOCAL, EMP_MIGRANT, EMP_NONE, EMP_POST
from .processes.monitoring import CAT_MARGINAL, CAT_NONE, CAT_UNSTABLE, MON_ACTIVE, MON_NONE

KEY, OTHER_FP, NONPOOR = 0, 1, 2
COUNTY_TYPE_NAMES = ("key", "formerly_poor", "never_poor")


@dataclass
class Province:
    """Static geography of the synthetic province."""

    county_type: np.ndarray          # int8 per county
    county_industries: np.ndarray    # int8 (n_counties, 3), -1 padded
    village_county: np.ndarray       # int16 per village
    village_product: np.ndarray      # int8 per village: industry index
    county_weight: np.ndarray        # float32: real households per simulated household
    county_n_households: np.ndarray  # int64 simulated households per county
    income_pc_2020_yuan: float       # person-weighted mean over all counties
    income_pc_fpc_2020_yuan: float   # person-weighted mean over formerly poor counties
    income_pc_nonfpc_2020_yuan: float  # person-weighted mean over never-poor counties

    @property
    def n_counties(self) -> int:
        return len(self.county_type)

    @property
    def n_villages(self) -> int:
        return len(self.village_county)

    @property
    def fp_county(self) -> np.ndarray:
        """Formerly poor counties (key or other)."""
        return self.county_type != NONPOOR


def county_types(n: int, key_share: float, other_share: float) -> np.ndarray:
    """County type codes: the first ``round(key_share·n)`` are key counties, then other formerly
    poor ones, the rest never designated."""
    n_key = int(round(key_share * n))
    n_other = min(int(round(other_share * n)), n - n_key)
    out = np.full(n, NONPOOR, dtype=np.int8)
    out[:n_key] = KEY
    out[n_key:n_key + n_other] = OTHER_FP
    return out


def lognormal_sigma_for_share(mean: float, threshold: float, share: float) -> float:
    """Log-normal dispersion at which ``share`` of the mass lies below ``threshold`` given ``mean``.

    Solves ``Φ((ln T − ln m + σ²/2)/σ) = share`` for σ (the smaller root).
    """
    if not 0 < share < 0.5 or threshold >= mean:
        raise ValueError(f"cannot place {share} of a mean-{mean:g} distribution below {threshold:g}")
    z = special.ndtri(share)
    a = np.log(threshold / mean)
    # σ²/2 − zσ + a = 0 with z < 0, a < 0 → σ = z + sqrt(z² − 2a)
    return float(z + np.sqrt(z * z - 2 * a))


def truncated_lognormal(mean: float, sigma: float, lower: float, u: np.ndarray) -> np.ndarray:
    """Inverse-CDF draws of a log-normal with the given mean, truncated below at ``lower``."""
    mu = np.log(mean) - 0.5 * sigma**2
    f_lo = special.ndtr((np.log(lower) - mu) / sigma)
    return np.maximum(np.exp(mu + sigma * special.ndtri(f_lo + u * (1 - f_lo))), lower)


def truncated_mean(mean: float, sigma: float, lower: float) -> float:
    """Mean of the log-normal above after truncation at ``lower``."""
    mu = np.log(mean) - 0.5 * sigma**2
    z = (np.log(lower) - mu) / sigma
    return float(mean * special.ndtr(sigma - z) / special.ndtr(-z))


def _untruncated_mean_for(target: float, sigma: float, lower: float) -> float:
    """The untruncated mean whose truncated mean equals ``target``."""
    return float(optimize.brentq(lambda m: truncated_mean(m, sigma, lower) - target,
                                 lower * 0.2, target * 1.5))


@dataclass
class StartSupport:
    """The bottom line at start: who is on dibao or tekun, their line and counted income, and the
    transfers the dibao income test does not count (yuan/person/year, prices of the start state)."""

    on_dibao: np.ndarray         # bool per household
    line_pc: np.ndarray          # the household's line: dibao line, or the tekun standard without labour
    counted_pc: np.ndarray       # counted income before dibao of households on dibao (0 for the others)
    disregarded_pc: np.ndarray   # policy and transition subsidies

    @property
    def total_pc(self) -> np.ndarray:
        """Per-capita income of households on dibao (line plus the disregarded transfers; the
        disregarded part of wages is added once wages are known)."""
        return self.line_pc + self.disregarded_pc


def dibao_line_at_start(params: Params) -> float:
    """The province's dibao line in force at the end of the year before the start (yuan/person/year)."""
    sp = params.policy.social_protection
    year = params.sim.start_year - 1
    return float(sp.dibao_line_yuan.at_year(year, 12) * sp.dibao_line_scale.at_year(year, 12))


def pension_month_at_start(params: Params, cpi: float) -> float:
    """Residents' basic pension per person aged 60+ at the end of the year before the start (yuan a month):
    the central minimum in force plus the local top-up at the start state's prices."""
    sp = params.policy.social_protection
    year = params.sim.start_year - 1
    return float((sp.pension_minimum_month_yuan.at_year(year, 12)
                  + params.transfers.pension_topup_month_2020_yuan * cpi) * sp.public_transfers.at_year(year, 12))


def dibao_group(fp: np.ndarray, weak: np.ndarray, persons: np.ndarray, coverage_fp: float, coverage_other: float,
                odds_weak: float, u: np.ndarray) -> np.ndarray:
    """Households on dibao or tekun at start: among registered households the lowest-score ones up to
    ``coverage_fp`` of registered persons, among the others up to ``coverage_other`` of their persons.
    The score is ``u / odds_weak`` for households without labour capacity (``weak``) and ``u`` for
    the others, so a household without labour capacity is ``odds_weak`` times as likely to be chosen."""
    out = np.zeros(len(fp), dtype=bool)
    score = u / np.where(weak, max(odds_weak, 1e-9), 1.0)
    for group, coverage in ((fp, coverage_fp), (~fp, coverage_other)):
        rows = np.flatnonzero(group)
        if rows.size == 0 or coverage <= 0:
            continue
        order = rows[np.argsort(score[rows], kind="stable")]
        cum = np.cumsum(persons[order])
        k = int(np.searchsorted(cum, coverage * cum[-1], side="left")) + 1
        out[order[:min(k, order.size)]] = True
    return out


def start_support(params: Params, fp: np.ndarray, labour: np.ndarray, members: np.ndarray, persons: np.ndarray,
                  base: PriceBase, u_group: np.ndarray, u_counted: np.ndarray) -> StartSupport:
    """Who is on dibao or tekun at start and with what counted income (module docstring)."""
    pop = params.population
    tr = params.transfers
    line = dibao_line_at_start(params)
    group = dibao_group(fp, labour < 0.5, persons, pop.dibao_coverage_registered, pop.dibao_coverage_other,
                        tr.dibao_take_up_weak / max(tr.dibao_take_up_able, 1e-9), u_group)
    line_pc = line * np.where(labour < tr.tekun_labour_max, tr.tekun_line_ratio, 1.0)
    mu = min(max(pop.dibao_counted_income_share, 1e-3), 1.0)
    # u ** (1/mu - 1) has mean mu on [0, 1]
    counted = np.where(group, line_pc * u_counted ** (1.0 / mu - 1.0), 0.0)
    disregarded = (params.transfers.policy_subsidy_pc_year_2020_yuan * base.cpi
                   + np.where(fp, params.transfers.transition_subsidy_pc_year_2020_yuan * base.cpi, 0.0))
    del members
    return StartSupport(group, line_pc, counted, disregarded)


def _scaled_by_county_type(mean: float, ratio_key: float, key: np.ndarray, persons: np.ndarray,
                           sel: np.ndarray) -> tuple[float, float]:
    """Means of the key and the other households of ``sel`` whose ratio is ``ratio_key`` and whose
    person-weighted mean is ``mean``."""
    p_key = persons[sel & key].sum()
    p_all = persons[sel].sum()
    other = mean * p_all / max(p_key * ratio_key + (p_all - p_key), 1e-9)
    return other * ratio_key, other


def _draw_by_county_type(y: np.ndarray, sel: np.ndarray, key: np.ndarray, persons: np.ndarray, mean: float,
                         sigma: float, lower: float, ratio_key: float, u: np.ndarray) -> None:
    """Truncated log-normal draws into ``y[sel]`` with the key households' mean ``ratio_key`` times the
    others' and the person-weighted mean ``mean`` (before truncation is accounted for per group)."""
    m_key, m_other = _scaled_by_county_type(mean, ratio_key, key, persons, sel)
    for part, m in ((sel & key, m_key), (sel & ~key, m_other)):
        if part.any():
            m = max(m, lower * 1.05)
            y[part] = truncated_lognormal(_untruncated_mean_for(m, sigma, lower), sigma, lower, u[part])


def _rest_mean(target: float, group: np.ndarray, rest: np.ndarray, y_group: np.ndarray, persons: np.ndarray) -> float:
    """Mean the ``rest`` households need so that ``group | rest`` has person-weighted mean ``target``
    given the incomes ``y_group`` of ``group``."""
    p_g = persons[group].sum()
    p_r = persons[rest].sum()
    return (target * (p_g + p_r) - (y_group[group] * persons[group]).sum()) / max(p_r, 1e-9)


def income_targets_2016(params: Params, fp: np.ndarray, ctype_hh: np.ndarray, persons: np.ndarray,
                        u: np.ndarray, support: StartSupport) -> np.ndarray:
    """Per-capita income targets of the end-2016 province (yuan/person/year, 2016 prices).

    Registered households follow a log-normal with mean ``history.income_pc_registered_2016_yuan``
    whose share of persons below the 2016 line makes the province-wide headcount
    ``history.headcount_2016`` (the poor are all registered and so concentrated in the designated
    counties). Other households are drawn above the line, as in the end-2020 province: in poor
    counties with the mean that makes the county mean ``history.income_pc_fpc_2016_yuan`` (C5) and
    ``population.marginal_share_nonregistered`` below 1.5 × the line (the monitoring range, B5); in
    never-poor counties with mean ``history.income_pc_nonpoor_2016_yuan`` (D).
    """
    h = params.history
    pop = params.population
    line = h.poverty_line_yuan.at_year(params.sim.start_year - 1)
    y = np.empty(len(u), dtype=np.float64)
    g = support.on_dibao
    y[g] = support.total_pc[g]
    # the poor are registered households not on dibao (dibao lifts its households above the line)
    share_reg = h.headcount_2016 * persons.sum() / max(persons[fp & ~g].sum(), 1e-9)
    if not 0 < share_reg < 0.5:
        raise ValueError(f"history.headcount_2016 = {h.headcount_2016:g} needs {share_reg:.1%} of registered "
                         "persons below the line; allowed below 50% (raise the registered shares "
                         "population.fp_share_* or lower the headcount)")
    reg = fp & ~g
    m_reg = max(_rest_mean(h.income_pc_registered_2016_yuan, fp & g, reg, y, persons), line * 1.05)
    sig_fp = lognormal_sigma_for_share(m_reg, line, share_reg)
    key = ctype_hh == KEY
    m_key, m_other = _scaled_by_county_type(m_reg, pop.income_ratio_key, key, persons, reg)
    for part, m in ((reg & key, m_key), (reg & ~key, m_other)):
        mu_fp = np.log(m) - 0.5 * sig_fp**2
        y[part] = np.exp(mu_fp + sig_fp * special.ndtri(np.clip(u[part], 1e-12, 1 - 1e-12)))
    in_fpc = ctype_hh != NONPOOR
    thr = 1.5 * line
    sel = ~fp & ~g & in_fpc
    if sel.any():
        target_o = max(_rest_mean(h.income_pc_fpc_2016_yuan, in_fpc & ~sel, sel, y, persons), thr * 1.05)
        sig_o = lognormal_sigma_for_share(target_o, thr, pop.marginal_share_nonregistered)
        _draw_by_county_type(y, sel, key, persons, target_o, sig_o, line, pop.income_ratio_key, u)
    sel = ~fp & ~g & ~in_fpc
    if sel.any():
        target_n = max(_rest_mean(h.income_pc_nonpoor_2016_yuan, ~in_fpc & ~sel, sel, y, persons), line * 1.05)
        m_n = _untruncated_mean_for(target_n, pop.income_sigma_nonpoor, line)
        y[sel] = truncated_lognormal(m_n, pop.income_sigma_nonpoor, line, u[sel])
    return y


def build(params: Params, rng: np.random.Generator,
          base: PriceBase | None = None) -> tuple[Province, HouseholdSet, np.ndarray, np.ndarray]:
    """Build the province and its households (end of the year before ``sim.start_year``: the
    end-2020 calibration, or the end-2016 one for historical runs).

    ``base`` gives the start state's price levels relative to 2020 (:func:`model.prices.price_base`);
    income components are stored at 2020 prices. Returns the province, the households and each
    household's market income target and total income target (yuan/year, prices of the start
    state), which :func:`split_market_income` divides once employment at start is known.
    """
    base = base if base is not None else PriceBase()
    pop = params.population
    inc = params.income
    n_c = pop.n_counties
    n_h = pop.n_households
    if n_h < n_c:
        raise ValueError(f"population.n_households ({n_h}) must be at least population.n_counties ({n_c})")

    ctype = county_types(n_c, pop.key_county_share, pop.other_fp_county_share)

    # industries: each county 1-3 of the provincial list; each village one of its county's
    n_ind = params.prices.n_industries
    n_county_ind = rng.integers(1, 4, size=n_c)
    county_ind = np.full((n_c, 3), -1, dtype=np.int8)
    for c in range(n_c):  # per county, not per household: n_counties ≤ a few thousand
        k = min(n_county_ind[c], n_ind)
        county_ind[c, :k] = rng.choice(n_ind, size=k, replace=False)
    n_v_c = pop.villages_per_county
    village_county = np.repeat(np.arange(n_c, dtype=np.int16), n_v_c)
    n_avail = (county_ind >= 0).sum(axis=1)
    pick = (rng.random(n_c * n_v_c) * n_avail[village_county]).astype(np.int64)
    village_product = county_ind[village_county, pick].astype(np.int8)

    # households per county (equal split) and weights
    per_county = np.full(n_c, n_h // n_c, dtype=np.int64)
    per_county[: n_h % n_c] += 1
    weight_c = (pop.real_households_per_county / per_county).astype(np.float32)

    hh = HouseholdSet(n_h)
    hh.county[:] = np.repeat(np.arange(n_c, dtype=np.int16), per_county)
    hh.village[:] = hh.county.astype(np.int32) * n_v_c + rng.integers(0, n_v_c, size=n_h)
    hh.weight[:] = weight_c[hh.county]
    t = ctype[hh.county]

    # demography
    members = np.minimum(1 + rng.poisson(pop.members_mean - 1.0, size=n_h), 9)
    hh.members[:] = members
    n_eld = rng.binomial(members, pop.elderly_share)
    rest = members - n_eld
    p_school = min(pop.school_child_share / max(1e-9, 1 - pop.elderly_share), 1.0)
    n_school = rng.binomial(rest, p_school)
    working = rest - n_school
    hh.n_elderly[:] = n_eld
    hh.n_school[:] = n_school
    del rest, n_school  # population-sized temporaries are freed as soon as they are used up

    # registration (fixed) depends on county type
    fp_share = np.array([pop.fp_share_key, pop.fp_share_other, pop.fp_share_nonpoor])[t]
    fp = rng.random(n_h) < fp_share
    hh.formerly_poor[:] = fp
    del fp_share

    # health and labour capacity
    hh.chronic[:] = rng.random(n_h) < 1.0 - (1.0 - pop.chronic_share) ** np.maximum(n_eld + working, 1)
    p_dis = np.where(fp, pop.disabled_share_fp, pop.disabled_share_other)
    hh.disabled[:] = rng.random(n_h) < p_dis
    del p_dis
    labour = working.astype(np.float32) - 1.0 * hh.disabled - 0.3 * (hh.chronic & (working > 0))
    # elderly still contribute a little labour
    labour = np.clip(labour + 0.25 * n_eld, 0.0, None)
    del working
    hh.labour_units[:] = labour
    hh.education[:] = rng.choice(3, size=n_h, p=np.array(pop.education_shares) / sum(pop.education_shares))

    # the bottom line at start, then per-capita income targets (2020, or 2016 for historical runs)
    line = params.poverty_line_2020_yuan
    thr = params.policy.monitoring.threshold_yuan.at_year(params.sim.start_year)
    persons = members * hh.weight
    support = start_support(params, fp, labour, members, persons, base, rng.random(n_h), rng.random(n_h))
    hh.dibao[:] = support.on_dibao
    u = rng.random(n_h)
    y = np.empty(n_h, dtype=np.float64)
    historical = params.sim.historical
    if historical:
        y = income_targets_2016(params, fp, t, persons, u, support)
    in_fpc = t != NONPOOR
    if not historical:
        _income_targets_2020(params, fp, t, persons, u, y, line, thr, support)
    del u, persons, t

    # split household income into mechanistic components (start prices, yuan/year; stored at 2020
    # prices, as the kernel indexes them). The dibao income test counts everything but the subsidies
    # (and part of wages, settled once wages are known: :func:`finish_start_incomes`)
    y_h = y * members
    pension = 12.0 * pension_month_at_start(params, base.cpi) * n_eld
    counted = np.where(support.on_dibao, support.counted_pc, y - support.disregarded_pc) * members
    private = inc.private_transfer_share * counted
    prop = inc.property_share * counted
    hh.private_transfer_year[:] = private / base.wage
    hh.property_year[:] = prop / base.wage
    market = np.maximum(counted - pension - private - prop, 0.05 * counted)
    del pension, private, prop, counted, support
    return _finish(params, rng, hh, pv_parts=(ctype, county_ind, village_county, village_product, weight_c,
                                               per_county), y=y, y_h=y_h, market=market, labour=labour,
                   n_eld=n_eld, fp=fp, in_fpc=in_fpc, line=line, thr=thr, base=base)


def _income_targets_2020(params: Params, fp: np.ndarray, ctype_hh: np.ndarray, persons: np.ndarray, u: np.ndarray,
                         y: np.ndarray, line: float, thr: float, support: StartSupport) -> None:
    """Per-capita income targets of the end-2020 province into ``y`` (module docstring)."""
    pop = params.population
    g = support.on_dibao
    y[g] = support.total_pc[g]
    key = ctype_hh == KEY
    in_fpc = ctype_hh != NONPOOR
    # registered households not on dibao: the mean that makes the registered mean F1, the spread that
    # puts the unstable share (A15) of all registered persons below the threshold
    reg = fp & ~g
    if reg.any():
        m_reg = max(_rest_mean(pop.income_pc_registered_2020_yuan, fp & g, reg, y, persons), thr * 1.05)
        share = min(pop.unstable_share_registered * persons[fp].sum() / max(persons[reg].sum(), 1e-9), 0.49)
        sig_fp = lognormal_sigma_for_share(m_reg, thr, share)
        _draw_by_county_type(y, reg, key, persons, m_reg, sig_fp, line, pop.income_ratio_key, u)
    # other households in formerly poor counties: the mean that makes the county mean C9
    sel = ~fp & ~g & in_fpc
    if sel.any():
        target_o = max(_rest_mean(pop.income_pc_fpc_2020_yuan, in_fpc & ~sel, sel, y, persons), thr * 1.05)
        sig_o = lognormal_sigma_for_share(target_o, thr, pop.marginal_share_nonregistered)
        _draw_by_county_type(y, sel, key, persons, target_o, sig_o, line, pop.income_ratio_key, u)
    # other households in never-poor counties: the mean that makes their county mean D (registered
    # and dibao households included, as in the end-2016 province)
    sel = ~fp & ~g & ~in_fpc
    if sel.any():
        target_n = max(_rest_mean(pop.income_pc_nonpoor_2020_yuan, ~in_fpc & ~sel, sel, y, persons), line * 1.05)
        m_n = _untruncated_mean_for(target_n, pop.income_sigma_nonpoor, line)
        y[sel] = truncated_lognormal(m_n, pop.income_sigma_nonpoor, line, u[sel])


def _finish(params: Params, rng: np.random.Generator, hh: HouseholdSet, pv_parts, y, y_h, market, labour, n_eld,
            fp, in_fpc, line, thr, base: PriceBase):
    """Employment, social protection, finances and monitoring at start; the province record."""
    inc = params.income
    n_h = hh.n
    ctype, county_ind, village_county, village_product, weight_c, per_county = pv_parts
    members = hh.members.astype(np.int64)
    persons = members * hh.weight

    # employment at start: migrants (steady state of finding/loss), local jobs are assigned once
    # enterprises exist (model set-up), the rest farm only
    lab = params.labour
    has_lab = labour >= 0.5
    hh.migrant_willing[:] = has_lab & (rng.random(n_h) < lab.migrant_propensity)
    p_emp = lab.p_migrant_find_month / (lab.p_migrant_find_month + lab.p_migrant_loss_month)
    migrant = hh.migrant_willing & (rng.random(n_h) < p_emp)
    hh.emp_type[:] = np.where(migrant, EMP_MIGRANT, EMP_NONE)
    hh.n_workers[:] = np.where(has_lab, 1 + ((labour >= 2.0) & (rng.random(n_h) < 0.5)), 0)

    # wage multipliers: schooling × individual level (re-solved by split_market_income)
    skill = np.array(inc.skill_premium, dtype=np.float64)[hh.education]
    sd = inc.wage_dispersion_sd
    hh.wage_mult[:] = skill * np.exp(sd * rng.standard_normal(n_h) - 0.5 * sd * sd)
    market_target = market

    # social protection and finances
    tr = params.transfers
    hh.insured[:] = rng.random(n_h) < tr.insured_share
    hh.housing_safe[:] = True
    hh.savings_yuan[:] = params.finance.initial_savings_share * y_h * rng.random(n_h) * 2
    hh.income_est_pc[:] = y
    hh.base_est_pc[:] = y
    hh.net_income_pc[:] = y


    if params.sim.historical:
        # end-2016: no monitoring yet (it starts in 2021); households below the line are poor
        hh.poor[:] = y < params.history.poverty_line_yuan.at_year(params.sim.start_year - 1)
    else:
        # monitoring at start: households below the threshold are already identified (A15)
        below = y < thr
        hh.mon_state[:] = np.where(below, MON_ACTIVE, MON_NONE)
        hh.mon_category[:] = np.where(below, np.where(fp, CAT_UNSTABLE, CAT_MARGINAL), CAT_NONE)
        hh.ever_monitored[:] = below

    w_p = persons
    mean_all = float((y * w_p).sum() / w_p.sum())
    fpc_p = w_p[in_fpc].sum()
    mean_fpc = float((y * w_p)[in_fpc].sum() / fpc_p) if fpc_p > 0 else float("nan")
    nf_p = w_p[~in_fpc].sum()
    mean_nfpc = float((y * w_p)[~in_fpc].sum() / nf_p) if nf_p > 0 else float("nan")
    province = Province(
        county_type=ctype,
        county_industries=county_ind,
        village_county=village_county,
        village_product=village_product,
        county_weight=weight_c,
        county_n_households=per_county,
        income_pc_2020_yuan=mean_all,
        income_pc_fpc_2020_yuan=mean_fpc,
        income_pc_nonfpc_2020_yuan=mean_nfpc,
    )
    return province, hh, market_target.astype(np.float64, copy=False), y_h.astype(np.float64, copy=False)


def split_market_income(params: Params, hh: HouseholdSet, market_year: np.ndarray, income_year: np.ndarray,
                        fp_county: np.ndarray | None = None, base: PriceBase | None = None) -> np.ndarray:
    """Split each household's 2020 market income target into wages and operating income.

    Called once employment at start is known (migrants, local enterprise jobs, public posts).
    Migrant-willing households expect the steady-state share of months in work; the wage level of
    wage-earning households is solved with one common factor so that the wage share of market income
    matches E1 on average; the remainder is operating income, of which registered households hold
    the industrial-assistance gain (I11) at full support (in a historical run the share of it
    built by the end of 2016, ``history.industry_potential_share_2016``). Amounts are at the start
    state's prices (``base``, :func:`model.prices.price_base`) and stored at 2020 prices.

    Returns each household's expected wage income of a year at start (yuan, start prices).
    """
    base = base if base is not None else PriceBase()
    inc = params.income
    lab = params.labour
    fp = hh.formerly_poor
    labour = hh.labour_units
    occupancy = lab.p_migrant_find_month / (lab.p_migrant_find_month + lab.p_migrant_loss_month)
    migrant_like = hh.migrant_willing & (hh.emp_type != EMP_LOCAL) & (hh.emp_type != EMP_POST)
    local = hh.emp_type == EMP_LOCAL
    post = hh.emp_type == EMP_POST
    workers = np.maximum(hh.n_workers, 1).astype(np.float64)
    post_wage = 12.0 * inc.wage_public_post_month_2020_yuan * base.cpi * post
    unit = np.where(migrant_like, occupancy * 12.0 * inc.wage_migrant_month_2020_yuan * base.wage * workers,
                    np.where(local, 12.0 * inc.wage_local_month_2020_yuan * base.wage * workers, 0.0))
    earners = unit > 0
    raw = unit * hh.wage_mult
    # one common wage-level factor, solved on formerly poor counties so that wages are the E1 share
    # of their income; no household earns more than 90% of its market target from wages
    fpc = np.isin(hh.county, np.flatnonzero(fp_county)) if fp_county is not None else np.ones(hh.n, bool)
    w = hh.weight.astype(np.float64)
    target_total = inc.wage_share_fpc * (income_year * w)[fpc].sum()
    cap = 0.9 * np.maximum(market_year - post_wage, 0.0)
    factor = 1.0
    for _ in range(50):
        wage = np.minimum(raw * factor, cap)
        got = ((wage + post_wage) * w)[fpc].sum()
        if got <= 0 or abs(got / target_total - 1.0) < 1e-6:
            break
        factor *= target_total / got
    del raw, cap, w, fpc
    with np.errstate(divide="ignore", invalid="ignore"):
        mult = np.where(earners, wage / np.where(unit > 0, unit, 1.0), hh.wage_mult * factor)
    hh.wage_mult[:] = np.clip(mult, 0.05, 10.0)
    del mult, unit, earners
    op_total = np.maximum(market_year - wage - post_wage, 0.02 * market_year)
    wage_year = wage + post_wage
    del wage, post_wage

    gain = params.assistance.industry_gain_pc_year_2021_yuan * hh.members
    if params.sim.historical:
        gain = gain * (params.history.industry_potential_share_2016 * base.productivity)
    potential = np.minimum(gain, 0.6 * op_total)
    hh.industry_stock[:] = fp.astype(np.float32)
    op_base = op_total - np.where(fp, potential, 0.0)
    # realised operating income is scaled by the farm-labour factor: divide it out at start
    workers_eff = np.where(hh.emp_type != EMP_NONE, np.minimum(hh.n_workers, labour), 0.0)
    workers_eff = np.where(migrant_like, occupancy * np.minimum(hh.n_workers, labour), workers_eff)
    lab_factor = 0.5 + 0.5 * np.clip(labour - 0.5 * workers_eff, 0.0, 1.0)
    hh.op_base_year[:] = op_base / lab_factor / base.productivity
    hh.industry_potential_year[:] = potential / lab_factor / base.productivity
    return wage_year


def finish_start_incomes(params: Params, hh: HouseholdSet, province: Province, market_year: np.ndarray,
                         wage_year: np.ndarray, base: PriceBase | None = None) -> None:
    """Settle the start state's incomes once wages are known: the counted income of the dibao
    income test (everything but the subsidies and a share of wages), the dibao top-up of households
    on dibao, their total income, the income estimates the kernel starts from (``income_est_pc``,
    ``base_est_pc``, ``net_income_pc``) and the province's mean incomes.

    Args:
        market_year: market income (wages and operating income) of each household (start prices).
        wage_year: its expected wage part (:func:`split_market_income`).
    """
    base = base if base is not None else PriceBase()
    tr = params.transfers
    members = hh.members.astype(np.float64)
    pension = 12.0 * pension_month_at_start(params, base.cpi) * hh.n_elderly
    private = hh.private_transfer_year * base.wage
    prop = hh.property_year * base.wage
    counted = market_year - tr.dibao_earned_disregard * wage_year + private + prop + pension
    scale = params.policy.social_protection.public_transfers.at_year(params.sim.start_year - 1, 12)
    line_pc = dibao_line_at_start(params) * np.where(hh.labour_units < tr.tekun_labour_max, tr.tekun_line_ratio, 1.0)
    on = hh.dibao & (counted < line_pc * members)
    hh.dibao[:] = on
    dibao = np.where(on, np.maximum(line_pc * members - counted, 0.0) * scale, 0.0)
    year = params.sim.start_year - 1
    transition = params.policy.transition_subsidy.intensity.at_year(year, 12)
    subsidies = (tr.policy_subsidy_pc_year_2020_yuan * base.cpi * scale
                 + np.where(hh.formerly_poor, tr.transition_subsidy_pc_year_2020_yuan * base.cpi * transition, 0.0)
                 ) * members
    total = counted + tr.dibao_earned_disregard * wage_year + dibao + subsidies
    hh.base_est_pc[:] = counted / members
    hh.income_est_pc[:] = total / members
    hh.net_income_pc[:] = total / members
    persons = members * hh.weight
    y = total / members
    fpc = province.fp_county[hh.county]
    province.income_pc_2020_yuan = float((y * persons).sum() / persons.sum())
    if fpc.any():
        province.income_pc_fpc_2020_yuan = float((y * persons)[fpc].sum() / persons[fpc].sum())
    if (~fpc).any():
        province.income_pc_nonfpc_2020_yuan = float((y * persons)[~fpc].sum() / persons[~fpc].sum())
