"""The fused monthly household kernel and the December accounting pass.

Steps 3-8 of the model's step order run here in one pass over households, compiled with numba:
shocks, labour transitions, market income, public transfers and cost sharing, consumption and
credit, and the household side of monitoring and assistance. The kernel is parallel over counties
(households are stored in contiguous county blocks) and sums each county's flows sequentially, so
results do not depend on the number of threads. Step 13's December pass over households
(:func:`household_december`) follows the same pattern.

Household draws are counter based (:mod:`model.rng`): a household sees the same shocks whatever
the policy (common random numbers) and whatever the thread count. The draws every household-month
needs are made for a block of households at a time (:func:`model.rng.block_draws`); rarer draws
are made only where a rule reads them. The month's matching and the release of closed
enterprises' links are in :mod:`model.matching`.
"""
from __future__ import annotations

import functools
from collections import namedtuple

import numpy as np
from numba import njit, prange

from .households import EMPLOYER_CLOSED, MON_EMPLOYMENT, SEEK_CONTRACT, SEEK_JOB, SEEK_POST, by_county
from .processes import finance, income, labour, monitoring, poverty, shocks, transfers
from .processes.income import EMP_LOCAL, EMP_MIGRANT, EMP_NONE, EMP_POST
from .processes.monitoring import (
    AID_EMPLOYMENT,
    AID_INDUSTRIAL,
    AID_MEDICAL,
    AID_SOCIAL,
    AID_TEMPORARY,
    CAT_NONE,
    MON_ACTIVE,
    MON_ELIMINATED,
    MON_NONE,
    YEAR_ASSISTED_JAN,
    YEAR_HARDSHIP,
    YEAR_MONITORED_JAN,
)
from .rng import (
    D_ACCIDENT,
    D_DISABILITY,
    D_ILLNESS,
    D_LABOUR,
    D_NOISE,
    DRAW_BLOCK,
    SLOT_MIGRANT_FIND,
    block_draws,
    normal,
    uniform,
)

# --------------------------------------------------------------------------------------------
# Inputs and outputs
# --------------------------------------------------------------------------------------------

#: Columns of the per-county monthly sums the kernel returns. The first ten are spending
#: categories in the order of ``governments.SPEND_CATEGORIES``; all sums are weighted (real
#: households or yuan) except those marked ``N_`` (simulated households).
COLUMNS = (
    "pension", "dibao", "transition_subsidy", "policy_subsidy", "public_posts", "industrial_assistance",
    "employment_assistance", "medical_insurance", "medical_assistance", "education_support",
    "housing_renovation", "temporary_assistance",
    "n_monitored", "n_newly_identified", "n_assisted", "n_migrant", "n_local_job", "n_public_post",
    "n_dibao", "income_est_fp_sum", "fp_weight", "N_post_holders", "N_monitored_employment_nonfp",
    # what the county's assistance would cost this month at intensity 1 (its plan, governments.py)
    "need_industrial", "need_employment",
    # public and private transfers received by registered households (their income composition)
    "pension_fp", "dibao_fp", "subsidy_fp", "private_fp", "temporary_fp", "n_tekun",
    # identification: months from the last shock (weighted sum) of households identified within a
    # year of one, those households, and those identified from a shared-data record
    "months_to_identification_sum", "n_identified_after_shock", "n_identified_by_data",
)
COL = {name: i for i, name in enumerate(COLUMNS)}
N_SPEND_COLUMNS = 12

#: Scalar inputs of one month (policy levers in force, indexed prices, parameters).
MonthInputs = namedtuple("MonthInputs", [
    "month_abs", "september", "january", "months_left", "cpi",
    # keys of the random streams
    "k_illness", "k_disability", "k_accident", "k_housing", "k_operating", "k_labour", "k_monitoring",
    "k_behaviour",
    # shocks
    "p_illness_year", "chronic_multiplier", "elderly_multiplier", "illness_cost_mean", "illness_cost_sigma",
    "illness_months", "carer_labour", "p_disability_month", "p_accident_month", "accident_cost_mean",
    "accident_cost_sigma", "accident_months", "p_housing_damage", "disaster_loss_months", "hardship_months",
    "education_cost_pc",
    # labour
    "p_migrant_loss", "p_migrant_find", "find_boost", "p_local_separation", "p_post_end",
    # income
    "wage_local", "wage_migrant", "wage_post", "productivity_index", "wage_index", "operating_sd",
    "contract_premium", "depreciation_month", "build_rate", "asset_cost", "industrial", "interest_supported",
    "interest_market", "transition_subsidy_on", "remittance",
    # transfers
    "pension_pp_month", "transition_pc_month", "subsidy_pc_month", "public_scale", "dibao_line", "dibao_for_all",
    "dibao_take_up_weak", "dibao_take_up_able", "earned_disregard", "asset_limit_pc", "tekun_ratio",
    "tekun_labour_max", "dibao_grace_months", "medical_inclusive", "medical_preferential",
    "medical_assistance_share", "education_support_share", "p_repair_self", "p_repair_assisted",
    "renovation_cost",
    # consumption and credit
    "consumption_share", "passthrough", "credit_supported", "credit_other",
    # monitoring
    "monitoring_enabled", "responsive", "coverage", "threshold", "poverty_line", "p_screen", "p_self_report",
    "hardship_share", "stable_months_needed", "smoothing", "employment",
    # assistance cost
    "cost_employment",
    # early warning (shared data) and the assistance that follows identification
    "data_sharing", "cov_medical", "cov_disaster", "cov_job_loss", "cov_closure", "cov_dibao", "delay_medical",
    "delay_disaster", "delay_job_loss", "delay_closure", "delay_dibao", "aid_wait_months", "targeted",
    "temporary_cap_pc",
])


# --------------------------------------------------------------------------------------------
# The kernel
# --------------------------------------------------------------------------------------------


def household_month(h, q, *args):
    """:func:`_household_month_parallel` with counties scheduled dynamically (see
    :func:`model.households.by_county`).

    ``q`` (``MonthInputs``) goes to the parallel loop as one structured record
    (:func:`month_record`): numba's parallel lowering of a loop that uses both the household tuple
    and every scalar of ``q`` compiles many times slower than one that unpacks a record per county
    (measurements in ``benchmarks/CODE_NOTES.md``)."""
    return by_county(_household_month_parallel, h, month_record(q), *args)


@functools.cache
def _month_record_dtype(types: tuple[type, ...]) -> np.dtype:
    return np.dtype([(name, np.dtype(t)) for name, t in zip(MonthInputs._fields, types, strict=True)], align=True)


def month_record(q: MonthInputs) -> np.ndarray:
    """``q`` as a one-element structured array with a field of the same type per field of ``q``
    (Python ``int``/``float``/``bool`` as int64/float64/bool), for :func:`month_inputs_from_record`."""
    return np.array([tuple(q)], dtype=_month_record_dtype(tuple(type(v) for v in q)))


@njit(cache=True)
def month_inputs_from_record(r):
    """The ``MonthInputs`` of a :func:`month_record` element (same values and types)."""
    return MonthInputs(r.month_abs, r.september, r.january, r.months_left, r.cpi, r.k_illness, r.k_disability,
        r.k_accident, r.k_housing, r.k_operating, r.k_labour, r.k_monitoring, r.k_behaviour, r.p_illness_year,
        r.chronic_multiplier, r.elderly_multiplier, r.illness_cost_mean, r.illness_cost_sigma, r.illness_months,
        r.carer_labour, r.p_disability_month, r.p_accident_month, r.accident_cost_mean, r.accident_cost_sigma,
        r.accident_months, r.p_housing_damage, r.disaster_loss_months, r.hardship_months, r.education_cost_pc,
        r.p_migrant_loss, r.p_migrant_find, r.find_boost, r.p_local_separation, r.p_post_end, r.wage_local,
        r.wage_migrant, r.wage_post, r.productivity_index, r.wage_index, r.operating_sd, r.contract_premium,
        r.depreciation_month, r.build_rate, r.asset_cost, r.industrial, r.interest_supported, r.interest_market,
        r.transition_subsidy_on, r.remittance, r.pension_pp_month, r.transition_pc_month, r.subsidy_pc_month,
        r.public_scale, r.dibao_line, r.dibao_for_all, r.dibao_take_up_weak, r.dibao_take_up_able, r.earned_disregard,
        r.asset_limit_pc, r.tekun_ratio, r.tekun_labour_max, r.dibao_grace_months, r.medical_inclusive,
        r.medical_preferential, r.medical_assistance_share, r.education_support_share, r.p_repair_self,
        r.p_repair_assisted, r.renovation_cost, r.consumption_share, r.passthrough, r.credit_supported, r.credit_other,
        r.monitoring_enabled, r.responsive, r.coverage, r.threshold, r.poverty_line, r.p_screen, r.p_self_report,
        r.hardship_share, r.stable_months_needed, r.smoothing, r.employment, r.cost_employment, r.data_sharing,
        r.cov_medical, r.cov_disaster, r.cov_job_loss, r.cov_closure, r.cov_dibao, r.delay_medical, r.delay_disaster,
        r.delay_job_loss, r.delay_closure, r.delay_dibao, r.aid_wait_months, r.targeted, r.temporary_cap_pc)


def household_december(*args):
    """:func:`_household_december_parallel` with counties scheduled dynamically."""
    return by_county(_household_december_parallel, *args)


@njit(parallel=True, cache=True)
def _household_month_parallel(h, q_record, county_start, price_rel, village_product, village_loss, intensity,
                              effort, construction_effect, normal_table, out, employees):
    """Advance every household one month; add each county's flows into ``out[county, COLUMN]``.

    Args:
        h: ``HHArrays`` of household state (modified in place).
        q_record: :func:`month_record` of the month's ``MonthInputs`` (unpacked per county).
        county_start: first household row of each county (length n_counties + 1).
        price_rel: relative price by (county, industry).
        village_product: industry of each village.
        village_loss: share of operating income lost per month by villages hit this month (0 if not).
        intensity, effort, construction_effect: per-county state (the county's assistance intensity
            this month, its monitoring effort and rural construction's productivity gain).
        normal_table: quantiles for normal draws.
        out: (n_counties, len(COLUMNS)) float64, zeroed by the caller.
        employees: households employed per enterprise row (zeroed by the caller); an enterprise's
            workers all live in its county, so each count is written by one thread only.
    """
    for c in prange(county_start.shape[0] - 1):
        county_month(h, month_inputs_from_record(q_record[0]), c, county_start[c], county_start[c + 1], price_rel,
                     village_product, village_loss, intensity[c], effort[c], construction_effect[c],
                     normal_table, out, employees)


@njit(cache=True)
def household_month_serial(h, q, county_start, price_rel, village_product, village_loss, intensity, effort,
                           construction_effect, normal_table, out, employees):
    """:func:`household_month` on one thread (small provinces: no parallel start-up cost)."""
    for c in range(county_start.shape[0] - 1):
        county_month(h, q, c, county_start[c], county_start[c + 1], price_rel, village_product, village_loss,
                     intensity[c], effort[c], construction_effect[c], normal_table, out, employees)


@njit(inline="always", cache=True)
def _record(flag_months, coverage, delay, key, i, month, slot):
    """A shared-data record of an event: with probability ``coverage`` the platform records it, and
    the record reaches the county after ``delay`` months (``flag_months`` = delay + 1, the earliest
    of the household's pending records). The coverage draw is made only where an event happened."""
    if coverage <= 0.0 or uniform(key, i, month, slot) >= coverage:
        return flag_months
    due = delay + 1
    if flag_months == 0 or due < flag_months:
        return due
    return flag_months


@njit(inline="always", cache=True)
def _illness_month(q, chronic, has_elderly):
    return shocks.illness_probability_month(q.p_illness_year, chronic, has_elderly, q.chronic_multiplier,
                                            q.elderly_multiplier)


@njit(cache=True)
def county_month(h, q, c, start, stop, price_rel, village_product, village_loss, intensity_c, effort_c,
                 construction_c, normal_table, out, employees):
    """One county's households for one month (sequential, so its sums are reproducible).

    A separate function (not the body of the parallel loop) so that writes to the arrays of the
    ``h`` namedtuple reach the caller's arrays.
    """
    p_screen = q.p_screen * (1.0 + effort_c)
    productivity = q.productivity_index * (1.0 + construction_c)
    # the monthly illness probability takes one of four values (chronic illness, members 60+):
    # computed once here rather than by a power function for every household
    p_ill_none = _illness_month(q, False, False)
    p_ill_elderly = _illness_month(q, False, True)
    p_ill_chronic = _illness_month(q, True, False)
    p_ill_both = _illness_month(q, True, True)
    # the county's sums are kept in locals and added to ``out`` once: a store to ``out`` inside the
    # loop could alias the household arrays, so every field read after it would be reloaded
    sum_pension = sum_dibao = sum_transition_subsidy = 0.0
    sum_public_posts = sum_industrial_assistance = sum_employment_assistance = 0.0
    sum_medical_insurance = sum_medical_assistance = sum_education_support = 0.0
    sum_housing_renovation = sum_n_monitored = sum_n_newly_identified = 0.0
    sum_n_assisted = sum_n_migrant = sum_n_local_job = 0.0
    sum_n_public_post = sum_n_dibao = sum_income_est_fp_sum = 0.0
    sum_fp_weight = sum_N_post_holders = sum_N_monitored_employment_nonfp = 0.0
    sum_policy_subsidy = sum_need_industrial = sum_need_employment = 0.0
    sum_pension_fp = sum_dibao_fp = sum_subsidy_fp = sum_private_fp = sum_temporary_fp = sum_n_tekun = 0.0
    sum_temporary = sum_months_to_identification = sum_n_identified_after_shock = sum_n_identified_by_data = 0.0
    draws = np.empty((5, DRAW_BLOCK))
    u_ill, u_dis, u_acc, noises, u_lab = draws[D_ILLNESS], draws[D_DISABILITY], draws[D_ACCIDENT], draws[D_NOISE], \
        draws[D_LABOUR]
    for b0 in range(start, stop, DRAW_BLOCK):
        b1 = min(b0 + DRAW_BLOCK, stop)
        block_draws(q.k_illness, q.k_disability, q.k_accident, q.k_operating, q.k_labour, q.operating_sd, h.emp_type,
                    b0, b1 - b0, q.month_abs, normal_table, draws)
        # an unsigned row index: for a signed one numba adds code to every array access that wraps a
        # negative index around (and keeps each array's length live for it), some hundred accesses a
        # household
        for i in range(np.uint64(b0), np.uint64(b1)):
            j = i - np.uint64(b0)
            w = h.weight[i]
            members = float(h.members[i])
            fp = h.formerly_poor[i]
            monitored = h.mon_state[i] == MON_ACTIVE
            # fields read several times are kept in locals (written through to the arrays): a store
            # to any household array could alias them, so each read after one would be a reload
            n_elderly = h.n_elderly[i]
            lu = h.labour_units[i]
            aid = h.aid_bits[i]
            op_base = h.op_base_year[i]
            # assistance of an identified household starts after its wait (days_to_assistance)
            wait = h.aid_wait[i]
            if wait > 0:
                wait -= 1
                h.aid_wait[i] = wait
            aid_eff = aid if wait == 0 else 0
            yf = h.year_flags[i]
            if q.january:
                yf = YEAR_MONITORED_JAN if monitored else 0
                if monitored and aid_eff != 0:
                    yf |= YEAR_ASSISTED_JAN
            # records of this month's events on the monitoring platform (0: none)
            fm = h.flag_months[i]
            shocked = False
            closed = (h.seek_flags[i] & EMPLOYER_CLOSED) != 0
            # ---- 3. shocks -------------------------------------------------------------------
            hm = h.hardship_months[i]
            if hm > 0:
                h.hardship_months[i] = hm - 1
                hm = h.hardship_months[i]
            med_cost = 0.0
            if h.chronic[i]:
                p_ill = p_ill_both if n_elderly > 0 else p_ill_chronic
            else:
                p_ill = p_ill_elderly if n_elderly > 0 else p_ill_none
            ill = h.ill_months[i]
            if ill == 0 and u_ill[j] < p_ill:
                shocked = True
                z = normal(q.k_illness, i, q.month_abs, 1, normal_table)
                med_cost += shocks.lognormal_cost(q.illness_cost_mean, q.illness_cost_sigma, z)
                h.ill_months[i] = q.illness_months
                ill = h.ill_months[i]
            if not h.disabled[i] and u_dis[j] < q.p_disability_month:
                h.disabled[i] = True
                h.labour_units[i] = max(lu - 1.0, 0.0)
                lu = h.labour_units[i]
            if u_acc[j] < q.p_accident_month:
                shocked = True
                z = normal(q.k_accident, i, q.month_abs, 1, normal_table)
                med_cost += shocks.lognormal_cost(q.accident_cost_mean, q.accident_cost_sigma, z)
                h.ill_months[i] = max(ill, q.accident_months)
                ill = h.ill_months[i]
            ill_now = ill > 0
            lost = shocks.illness_labour_loss(lu, members, q.carer_labour) if ill_now else 0.0
            h.labour_lost[i] = lost
            v = h.village[i]
            if village_loss[v] > 0.0:
                shocked = True
                fm = _record(fm, q.data_sharing * q.cov_disaster, q.delay_disaster, q.k_monitoring, i, q.month_abs, 2)
                h.disaster_loss[i] = max(h.disaster_loss[i], village_loss[v])
                h.disaster_months[i] = q.disaster_loss_months
                if h.housing_safe[i] and uniform(q.k_housing, i, q.month_abs, 0) < q.p_housing_damage:
                    h.housing_safe[i] = False
                    h.hardship_months[i] = q.hardship_months  # a destroyed house is a sudden hardship
                    hm = h.hardship_months[i]
                    yf |= YEAR_HARDSHIP
            # ---- 4. labour transitions ---------------------------------------------------------
            avail = max(lu - lost, 0.0)
            emp_start = h.emp_type[i]
            emp = emp_start
            # the block's labour draw is the one slot the starting job allows; a household whose local
            # job or post ends this month draws its finding draw (SLOT_MIGRANT_FIND) here. 1.0 stands
            # in for an unread draw
            if emp == EMP_LOCAL and labour.separated(emp, EMP_LOCAL, lu, u_lab[j], q.p_local_separation):
                emp = EMP_NONE
                h.employer[i] = -1
            elif emp == EMP_POST and labour.separated(emp, EMP_POST, lu, u_lab[j], q.p_post_end):
                emp = EMP_NONE
            boost = 1.0 + q.find_boost * q.employment * intensity_c if (aid_eff & AID_EMPLOYMENT) != 0 else 1.0
            willing = h.migrant_willing[i]
            u_loss = u_lab[j] if emp == EMP_MIGRANT else 1.0
            u_find = 1.0
            if emp == EMP_NONE and willing and avail >= 0.5:
                u_find = u_lab[j] if emp_start == EMP_NONE else uniform(q.k_labour, i, q.month_abs, SLOT_MIGRANT_FIND)
            emp = labour.migrant_transition(emp, avail, willing, u_loss, u_find, q.p_migrant_loss,
                                            min(q.p_migrant_find * boost, 1.0))
            if emp_start == EMP_MIGRANT and emp == EMP_NONE:
                shocked = True
                fm = _record(fm, q.data_sharing * q.cov_job_loss, q.delay_job_loss, q.k_monitoring, i, q.month_abs, 3)
            if closed or (emp_start == EMP_LOCAL and emp == EMP_NONE):
                # a local job lost to a closure or a separation
                shocked = True
                fm = _record(fm, q.data_sharing * q.cov_closure, q.delay_closure, q.k_monitoring, i, q.month_abs, 4)
            if emp == EMP_POST and willing and avail >= 0.5:
                # a post holder willing to work away keeps looking, and leaves the post for a migrant job
                u_post = uniform(q.k_labour, i, q.month_abs, SLOT_MIGRANT_FIND)
                if u_post < min(q.p_migrant_find * boost, 1.0):
                    emp = EMP_MIGRANT
            h.emp_type[i] = emp
            # ---- 5. market income --------------------------------------------------------------
            workers_eff = income.effective_workers(h.n_workers[i] if emp != EMP_NONE else 0, avail)
            wage = income.wage_income(emp, workers_eff, h.wage_mult[i], q.wage_local, q.wage_migrant, q.wage_post)
            # industrial assistance builds productive assets, which depreciate (1/life a year)
            supported = fp or (monitored and (aid_eff & AID_INDUSTRIAL) != 0)
            stock = h.industry_stock[i]
            invest = 0.0
            if supported:
                # registered households keep the assets of the campaign (target 1); a monitored household
                # is supported to what its shortfall needs (``support_target``). The county funds a
                # share ``intensity_c`` of the programme at the 2020 level (replacement plus build-up)
                level = q.industrial if fp else q.industrial * h.support_target[i]
                need_industrial = income.industrial_investment(level, stock, q.depreciation_month, q.build_rate)
                invest = need_industrial * intensity_c
                sum_need_industrial += need_industrial * q.asset_cost * w
            stock = income.assets_next(stock, invest, q.depreciation_month)
            h.industry_stock[i] = stock
            price = price_rel[h.county[i], village_product[v]]
            op = income.operating_income(op_base, h.industry_potential_year[i] * stock,
                                         price, productivity, income.farm_labour_factor(avail, workers_eff),
                                         noises[j], h.disaster_loss[i], h.contract[i] >= 0, q.contract_premium)
            rate = q.interest_supported if fp and q.transition_subsidy_on else q.interest_market
            debt_start = h.debt_yuan[i]
            op -= debt_start * rate / 12.0
            if h.disaster_months[i] > 0:
                h.disaster_months[i] -= 1
                if h.disaster_months[i] == 0:
                    h.disaster_loss[i] = 0.0
            prop = h.property_year[i] / 12.0 * q.wage_index
            private = h.private_transfer_year[i] / 12.0 * q.wage_index * q.remittance
            # ---- 6. public transfers and cost sharing ------------------------------------------
            pens = transfers.pension(n_elderly, q.pension_pp_month)
            trans = q.transition_pc_month * members if fp else 0.0
            subsidy = q.subsidy_pc_month * members
            # the income test: counted income (estimated over recent months) below the household's
            # line (dibao, or the tekun standard without labour capacity), savings under the asset
            # limit; households with labour capacity face the labour screen (lower take-up)
            line = transfers.household_line(q.dibao_line, lu, q.tekun_labour_max, q.tekun_ratio)
            base_est = h.base_est_pc[i]
            on_dibao = h.dibao[i]
            u_take = 1.0
            take_up = 0.0
            assets_ok = False
            if not on_dibao and base_est < line:
                social_aid = (aid_eff & AID_SOCIAL) != 0
                assets_ok = h.savings_yuan[i] <= q.asset_limit_pc * members or social_aid
                if social_aid and q.responsive:
                    take_up = 1.0
                elif lu < 0.5 or q.dibao_for_all:
                    take_up = q.dibao_take_up_weak
                else:
                    take_up = q.dibao_take_up_able
                u_take = uniform(q.k_behaviour, i, q.month_abs, 0)
            above = 0
            if on_dibao and base_est >= line:
                above = min(h.dibao_above_months[i] + 1, 127)
            h.dibao_above_months[i] = above
            on_dibao = transfers.dibao_enrolled(on_dibao, base_est, line, above, q.dibao_grace_months, assets_ok,
                                                u_take, take_up)
            if not on_dibao:
                h.dibao_above_months[i] = 0
            if on_dibao and not h.dibao[i]:
                fm = _record(fm, q.data_sharing * q.cov_dibao, q.delay_dibao, q.k_monitoring, i, q.month_abs, 5)
            h.dibao[i] = on_dibao
            dibao = transfers.dibao_topup(on_dibao, base_est, members, line, q.public_scale)
            oop_med = 0.0
            reimb = 0.0
            med_aid = 0.0
            if med_cost > 0.0:
                rate_med = max(q.medical_inclusive, q.medical_preferential) if fp else q.medical_inclusive
                assisted = on_dibao or (monitored and q.responsive and wait == 0)
                insured = h.insured[i]
                reimb = transfers.medical_reimbursed(med_cost, insured, rate_med)
                med_aid = transfers.medical_assistance(med_cost, insured, rate_med, assisted,
                                                       q.medical_assistance_share)
                oop_med = med_cost - reimb - med_aid
            edu_support = 0.0
            oop_edu = 0.0
            if q.september and h.n_school[i] > 0:
                cost = h.n_school[i] * q.education_cost_pc
                supported = (fp and q.transition_subsidy_on) or on_dibao
                edu_support = transfers.education_support(h.n_school[i], q.education_cost_pc, supported,
                                                          q.education_support_share)
                oop_edu = cost - edu_support
            renovated = False
            if not h.housing_safe[i]:
                renov_ok = monitored and q.responsive and wait == 0
                p_rep = q.p_repair_assisted * min(intensity_c, 1.0) if renov_ok else q.p_repair_self
                if uniform(q.k_behaviour, i, q.month_abs, 1) < p_rep:
                    h.housing_safe[i] = True
                    renovated = renov_ok
            public = pens + trans + subsidy + dibao
            rigid = oop_med + oop_edu
            disposable = wage + op + prop + private + public
            net = disposable - rigid
            # ---- 7. consumption, savings, microcredit ----------------------------------------
            est = h.income_est_pc[i]
            est_month = est * members / 12.0
            cons = finance.consumption(est_month, disposable, q.consumption_share, q.passthrough)
            savings = h.savings_yuan[i] + net - cons
            limit = q.credit_supported if fp or monitored else q.credit_other
            borrow = finance.borrowing(savings, debt_start, limit)
            debt = debt_start + borrow
            savings += borrow
            unmet = savings < -1.0
            if unmet:
                savings = 0.0
            repay = finance.repayment(savings, debt, 3.0 * cons)
            h.debt_yuan[i] = debt - repay
            h.savings_yuan[i] = savings - repay
            if (unmet and (oop_edu > 0.0 or oop_med > 0.0)) or (med_cost > 0.0 and not h.insured[i]):
                h.guarantee_failure[i] = True  # care or schooling that could not be paid
            # accumulators, income estimates, hardship
            h.y_wage[i] += wage
            h.y_operating[i] += op
            h.y_property[i] += prop
            h.y_transfer_public[i] += public
            h.y_transfer_private[i] += private
            h.y_rigid[i] += rigid
            # cadres assess recent income; a rigid expense counts through the sudden-hardship rule
            h.income_est_pc[i] = est + q.smoothing * (disposable * 12.0 / members - est)
            est = h.income_est_pc[i]
            counted = transfers.counted_income(wage, op, prop, private, pens, q.earned_disregard)
            h.base_est_pc[i] = base_est + q.smoothing * (counted * 12.0 / members - base_est)
            if rigid > q.hardship_share * max(est * members, 1.0):
                h.hardship_months[i] = q.hardship_months
                hm = h.hardship_months[i]
                h.pending_oop_yuan[i] = oop_med
                shocked = True
                yf |= YEAR_HARDSHIP
                if oop_med > 0.0:
                    fm = _record(fm, q.data_sharing * q.cov_medical, q.delay_medical, q.k_monitoring, i, q.month_abs,
                                 1)
            elif hm == 0:
                h.pending_oop_yuan[i] = 0.0
            if ill > 0:
                h.ill_months[i] = ill - 1
            hardship = hm > 0
            if shocked:
                h.shock_month[i] = q.month_abs
            # ---- 8. monitoring and assistance (household side) --------------------------------
            new = False
            # a record reaches the county once its delay has passed: cadres then verify the household
            matured = False
            if fm > 0:
                fm -= 1
                matured = fm == 0
            h.flag_months[i] = fm
            # cadres project the year's net income from what the household has had so far and its
            # present situation, not from its past months alone
            ytd_net = (h.y_wage[i] + h.y_operating[i] + h.y_property[i] + h.y_transfer_public[i]
                       + h.y_transfer_private[i] - h.y_rigid[i])
            projected = monitoring.projected_net_income_pc(ytd_net, net, est * members / 12.0, q.months_left, members)
            if not q.monitoring_enabled:
                if monitored:
                    h.mon_state[i] = MON_NONE
                    h.mon_category[i] = CAT_NONE
                    h.aid_bits[i] = 0
                    aid = h.aid_bits[i]
                    monitored = False
            else:
                # a shared-data record has cadres verify the household on its projected income for
                # the year; screening visits and self-reporting see its recent income
                found = False
                by_data = False
                if not monitored and matured and monitoring.at_risk(projected, q.threshold, hardship):
                    found = True
                    by_data = True
                elif not monitored and monitoring.at_risk(est, q.threshold, hardship):
                    p_det = monitoring.detection_probability(q.coverage, p_screen, q.p_self_report)
                    found = uniform(q.k_monitoring, i, q.month_abs, 0) < p_det
                if not monitored:
                    if found:
                        new = True
                        monitored = True
                        category = monitoring.category(fp, hardship)
                        h.mon_state[i] = MON_ACTIVE
                        h.mon_category[i] = category
                        h.ever_monitored[i] = True
                        h.stable_months[i] = 0
                        shock = h.shock_month[i]
                        if shock > 0 and q.month_abs - shock <= 12:
                            sum_months_to_identification += (q.month_abs - shock) * w
                            sum_n_identified_after_shock += w
                        if by_data:
                            sum_n_identified_by_data += w
                        if q.responsive:
                            # social security for a household that would otherwise end the year poor and
                            # whose counted income is below its line (the income test)
                            below_line = base_est < line and projected < q.poverty_line
                            aid = monitoring.assistance_bits(category, lu, op_base, ill_now, below_line,
                                                             projected < q.threshold, q.targeted)
                            h.aid_bits[i] = aid
                            wait = q.aid_wait_months
                            h.aid_wait[i] = wait
                            aid_eff = aid if wait == 0 else 0
                            if not fp:
                                h.support_target[i] = monitoring.support_target(
                                    projected, q.threshold, members, h.industry_potential_year[i] * productivity)
                            if (aid & AID_TEMPORARY) != 0:
                                # temporary assistance: the year's shortfall, paid at once
                                temp = monitoring.temporary_assistance(projected, q.threshold, members,
                                                                       q.temporary_cap_pc)
                                h.y_transfer_public[i] += temp
                                h.savings_yuan[i] += temp
                                sum_temporary += temp * w
                                if fp:
                                    sum_temporary_fp += temp * w
                            if hardship and (aid & AID_MEDICAL) != 0:
                                # medical assistance settles the pending bills retroactively
                                refund = h.pending_oop_yuan[i] * q.medical_assistance_share
                                h.y_rigid[i] -= refund
                                h.pending_oop_yuan[i] -= refund
                                med_aid += refund
                if monitored:
                    if not q.responsive:
                        h.aid_bits[i] = 0
                        aid = h.aid_bits[i]
                        aid_eff = 0
                    above = est >= q.threshold and projected >= q.threshold and not hardship
                    h.stable_months[i] = monitoring.stable_months_next(h.stable_months[i], True, above)
                    if monitoring.eliminated(True, h.stable_months[i], q.stable_months_needed, lu):
                        h.mon_state[i] = MON_ELIMINATED
                        h.mon_category[i] = CAT_NONE
                        h.aid_bits[i] = 0
                        aid = h.aid_bits[i]
                        h.ever_eliminated[i] = True
                        monitored = False
                        aid_eff = 0
            # ---- flags for the month's matching -------------------------------------------------
            h.year_flags[i] = yf
            mon_emp = monitored and (aid_eff & AID_EMPLOYMENT) != 0
            flags = 0
            if emp == EMP_NONE and avail >= 0.5:
                # local jobs are for those who stay: a household willing to work away looks for
                # migrant work, which pays more
                if not willing:
                    flags |= SEEK_JOB
                if fp or mon_emp:
                    flags |= SEEK_POST
            if h.contract[i] < 0 and op_base > 0:
                flags |= SEEK_CONTRACT
            if mon_emp:
                flags |= MON_EMPLOYMENT
            h.seek_flags[i] = flags
            employer = h.employer[i]
            if employer >= 0:
                employees[employer] += 1
            # ---- county sums -------------------------------------------------------------------
            post = emp == EMP_POST
            ind_cost = invest * q.asset_cost
            emp_aided = (aid_eff & AID_EMPLOYMENT) != 0 or post
            emp_cost = q.cost_employment * q.employment * intensity_c if emp_aided else 0.0
            if emp_aided:
                sum_need_employment += q.cost_employment * q.employment * w
            sum_pension += pens * w
            sum_dibao += dibao * w
            sum_transition_subsidy += trans * w
            sum_policy_subsidy += subsidy * w
            sum_public_posts += wage * w if post else 0.0
            sum_industrial_assistance += ind_cost * w
            sum_employment_assistance += emp_cost * w
            sum_medical_insurance += reimb * w
            sum_medical_assistance += med_aid * w
            sum_education_support += edu_support * w
            sum_housing_renovation += q.renovation_cost * w if renovated else 0.0
            if monitored:
                sum_n_monitored += w
            if new:
                sum_n_newly_identified += w
            if aid_eff != 0:
                sum_n_assisted += w
            if emp == EMP_MIGRANT:
                sum_n_migrant += w
            elif emp == EMP_LOCAL:
                sum_n_local_job += w
            elif post:
                sum_n_public_post += w
                sum_N_post_holders += 1.0
            if on_dibao:
                sum_n_dibao += w
                if lu < q.tekun_labour_max:
                    sum_n_tekun += w
            if fp:
                sum_income_est_fp_sum += est * w
                sum_fp_weight += w
                sum_pension_fp += pens * w
                sum_dibao_fp += dibao * w
                sum_subsidy_fp += (trans + subsidy) * w
                sum_private_fp += private * w
            elif monitored and (aid_eff & AID_EMPLOYMENT) != 0:
                sum_N_monitored_employment_nonfp += 1.0
    totals = (sum_pension, sum_dibao, sum_transition_subsidy, sum_policy_subsidy, sum_public_posts,
              sum_industrial_assistance, sum_employment_assistance, sum_medical_insurance, sum_medical_assistance,
              sum_education_support, sum_housing_renovation, sum_temporary, sum_n_monitored, sum_n_newly_identified,
              sum_n_assisted, sum_n_migrant, sum_n_local_job, sum_n_public_post, sum_n_dibao,
              sum_income_est_fp_sum, sum_fp_weight, sum_N_post_holders, sum_N_monitored_employment_nonfp,
              sum_need_industrial, sum_need_employment, sum_pension_fp, sum_dibao_fp, sum_subsidy_fp,
              sum_private_fp, sum_temporary_fp, sum_n_tekun, sum_months_to_identification, sum_n_identified_after_shock,
              sum_n_identified_by_data)
    for k, total in enumerate(totals):
        out[c, k] += total


# --------------------------------------------------------------------------------------------
# December accounting (step 13)
# --------------------------------------------------------------------------------------------

#: Columns of the per-county December sums (weighted: real households or persons or yuan).
DEC_COLUMNS = (
    "persons", "persons_poor", "persons_fp", "persons_poor_fp", "households", "fp_households",
    "nonfp_households", "relapses", "new_poor", "monitored", "ever_eliminated", "ever_monitored",
    "disposable", "net_fp", "wage", "operating", "property", "transfer_public", "transfer_private",
    "guarantee_failures", "local_jobs", "N_fp",
    "wage_fp", "operating_fp", "property_fp", "transfer_public_fp", "transfer_private_fp", "persons_dibao",
    "persons_dibao_fp", "N_relapses", "relapse_persons",
    # stock and flow of the formerly poor's poverty (households)
    "persistent_fp", "escapes_fp", "prev_poor_fp", "relapses_spending_only", "relapses_guarantee_only",
    "relapses_monitored_jan", "relapses_assisted_jan", "hardship_fp", "relapses_hardship",
)
DEC = {name: i for i, name in enumerate(DEC_COLUMNS)}
(DEC_PERSONS, DEC_PERSONS_POOR, DEC_PERSONS_FP, DEC_PERSONS_POOR_FP, DEC_HOUSEHOLDS, DEC_FP_HOUSEHOLDS,
 DEC_NONFP_HOUSEHOLDS, DEC_RELAPSES, DEC_NEW_POOR, DEC_MONITORED, DEC_EVER_ELIMINATED, DEC_EVER_MONITORED,
 DEC_DISPOSABLE, DEC_NET_FP, DEC_WAGE, DEC_OPERATING, DEC_PROPERTY, DEC_TRANSFER_PUBLIC, DEC_TRANSFER_PRIVATE,
 DEC_GUARANTEE_FAILURES, DEC_LOCAL_JOBS, DEC_N_FP, DEC_WAGE_FP, DEC_OPERATING_FP, DEC_PROPERTY_FP,
 DEC_TRANSFER_PUBLIC_FP, DEC_TRANSFER_PRIVATE_FP, DEC_PERSONS_DIBAO, DEC_PERSONS_DIBAO_FP, DEC_N_RELAPSES,
 DEC_RELAPSE_PERSONS, DEC_PERSISTENT_FP, DEC_ESCAPES_FP, DEC_PREV_POOR_FP, DEC_RELAPSES_SPENDING_ONLY,
 DEC_RELAPSES_GUARANTEE_ONLY, DEC_RELAPSES_MONITORED_JAN, DEC_RELAPSES_ASSISTED_JAN, DEC_HARDSHIP_FP,
 DEC_RELAPSES_HARDSHIP) = range(len(DEC_COLUMNS))


@njit(parallel=True, cache=True)
def _household_december_parallel(h, county_start, line, deduct_rigid, check_guarantees, net_pc, disp_pc, out):
    """Annual accounting for every household: per-capita net and disposable income (written to
    ``net_pc``/``disp_pc``), poverty, relapse and new poverty, per-county sums into
    ``out[county, DEC_COLUMN]``; then the year's accumulators are reset."""
    for c in prange(county_start.shape[0] - 1):
        county_december(h, c, county_start[c], county_start[c + 1], line, deduct_rigid, check_guarantees,
                        net_pc, disp_pc, out)


@njit(cache=True)
def household_december_serial(h, county_start, line, deduct_rigid, check_guarantees, net_pc, disp_pc, out):
    """:func:`household_december` on one thread."""
    for c in range(county_start.shape[0] - 1):
        county_december(h, c, county_start[c], county_start[c + 1], line, deduct_rigid, check_guarantees,
                        net_pc, disp_pc, out)


@njit(cache=True)
def county_december(h, c, start, stop, line, deduct_rigid, check_guarantees, net_pc, disp_pc, out):
    for i in range(np.uint64(start), np.uint64(stop)):  # unsigned: no negative-index wraparound code
        w = float(h.weight[i])
        members = float(h.members[i])
        pw = w * members
        fp = h.formerly_poor[i]
        disposable = (float(h.y_wage[i]) + h.y_operating[i] + h.y_property[i] + h.y_transfer_public[i]
                      + h.y_transfer_private[i])
        npc = poverty.net_income_pc(disposable, float(h.y_rigid[i]), members, deduct_rigid)
        net_pc[i] = npc
        disp_pc[i] = disposable / members
        # safe housing is judged on the house's state at year-end
        failure = h.guarantee_failure[i] or not h.housing_safe[i]
        poor = poverty.is_poor(npc, line, failure, check_guarantees)
        was_poor = h.poor[i]
        rel = poverty.relapse(fp, poor, was_poor)
        newp = poverty.new_poverty(fp, poor, was_poor)
        yf = h.year_flags[i]
        if fp:
            if was_poor:
                out[c, DEC_PREV_POOR_FP] += w
                if poor:
                    out[c, DEC_PERSISTENT_FP] += w
                else:
                    out[c, DEC_ESCAPES_FP] += w
            if (yf & YEAR_HARDSHIP) != 0:
                out[c, DEC_HARDSHIP_FP] += w
        if rel:
            # why: income below the line before rigid spending, only after it, or neither (a
            # three-guarantees failure alone)
            if npc >= line:
                out[c, DEC_RELAPSES_GUARANTEE_ONLY] += w
            elif disposable / members >= line:
                out[c, DEC_RELAPSES_SPENDING_ONLY] += w
            if (yf & YEAR_MONITORED_JAN) != 0:
                out[c, DEC_RELAPSES_MONITORED_JAN] += w
            if (yf & YEAR_ASSISTED_JAN) != 0:
                out[c, DEC_RELAPSES_ASSISTED_JAN] += w
            if (yf & YEAR_HARDSHIP) != 0:
                out[c, DEC_RELAPSES_HARDSHIP] += w
        if rel:
            h.ever_relapsed[i] = True
        if newp:
            h.ever_new_poor[i] = True
        out[c, DEC_PERSONS] += pw
        out[c, DEC_HOUSEHOLDS] += w
        if poor:
            out[c, DEC_PERSONS_POOR] += pw
        if fp:
            out[c, DEC_PERSONS_FP] += pw
            out[c, DEC_FP_HOUSEHOLDS] += w
            out[c, DEC_NET_FP] += npc * pw
            out[c, DEC_N_FP] += 1.0
            out[c, DEC_WAGE_FP] += h.y_wage[i] * w
            out[c, DEC_OPERATING_FP] += h.y_operating[i] * w
            out[c, DEC_PROPERTY_FP] += h.y_property[i] * w
            out[c, DEC_TRANSFER_PUBLIC_FP] += h.y_transfer_public[i] * w
            out[c, DEC_TRANSFER_PRIVATE_FP] += h.y_transfer_private[i] * w
            if h.dibao[i]:
                out[c, DEC_PERSONS_DIBAO_FP] += pw
            if poor:
                out[c, DEC_PERSONS_POOR_FP] += pw
        else:
            out[c, DEC_NONFP_HOUSEHOLDS] += w
        if h.dibao[i]:
            out[c, DEC_PERSONS_DIBAO] += pw
        if rel:
            out[c, DEC_RELAPSES] += w
            out[c, DEC_N_RELAPSES] += 1.0
            out[c, DEC_RELAPSE_PERSONS] += pw
        if newp:
            out[c, DEC_NEW_POOR] += w
        if h.mon_state[i] == MON_ACTIVE:
            out[c, DEC_MONITORED] += w
        if h.ever_eliminated[i]:
            out[c, DEC_EVER_ELIMINATED] += w
        if h.ever_monitored[i]:
            out[c, DEC_EVER_MONITORED] += w
        out[c, DEC_DISPOSABLE] += disposable * w
        out[c, DEC_WAGE] += h.y_wage[i] * w
        out[c, DEC_OPERATING] += h.y_operating[i] * w
        out[c, DEC_PROPERTY] += h.y_property[i] * w
        out[c, DEC_TRANSFER_PUBLIC] += h.y_transfer_public[i] * w
        out[c, DEC_TRANSFER_PRIVATE] += h.y_transfer_private[i] * w
        if failure:
            out[c, DEC_GUARANTEE_FAILURES] += w
        if h.emp_type[i] == EMP_LOCAL:
            out[c, DEC_LOCAL_JOBS] += w * h.n_workers[i]
        h.poor[i] = poor
        h.net_income_pc[i] = npc
        h.y_wage[i] = 0.0
        h.y_operating[i] = 0.0
        h.y_property[i] = 0.0
        h.y_transfer_public[i] = 0.0
        h.y_transfer_private[i] = 0.0
        h.y_rigid[i] = 0.0
        h.guarantee_failure[i] = False


@njit(cache=True)
def persons_below_by_county(x, pw, threshold, county_start):
    """Weighted persons with ``x < threshold``, per county (summed in a fixed order)."""
    n_counties = county_start.shape[0] - 1
    out = np.zeros(n_counties)
    for c in range(n_counties):
        total = 0.0
        for i in range(county_start[c], county_start[c + 1]):
            if x[i] < threshold:
                total += pw[i]
        out[c] = total
    return out


@njit(cache=True)
def village_crop_loss(hit, severity):
    """:func:`shocks.disaster_crop_loss` of every village (float64): compiled here rather than
    called as a ufunc from Python, whose array wrapper would be rebuilt in every process."""
    out = np.empty(hit.shape[0])
    for v in range(hit.shape[0]):
        out[v] = shocks.disaster_crop_loss(hit[v], severity[v])
    return out


@njit(cache=True)
def start_assistance(category, labour_units, op_base_year, income_est_pc, threshold, members,
                     industrial_gain_year, formerly_poor):
    """Assistance bits (int8) and support target (float64) of households identified before the
    first month (:func:`monitoring.assistance_bits` with income at risk and targeting on, and
    :func:`monitoring.support_target` for households not registered, 0 for registered ones):
    compiled here rather than called as ufuncs from Python."""
    n = category.shape[0]
    bits = np.empty(n, dtype=np.int8)
    target = np.zeros(n)
    for i in range(n):
        bits[i] = monitoring.assistance_bits(category[i], labour_units[i], op_base_year[i],
                                             False, False, True, True)
        if not formerly_poor[i]:
            target[i] = monitoring.support_target(income_est_pc[i], threshold, float(members[i]),
                                                  float(industrial_gain_year[i]))
    return bits, target


@njit(cache=True)
def industrial_need(level, stock, depreciation_month, build_rate):
    """:func:`income.industrial_investment` of every household (float64; 0 where ``level`` ≤ 0),
    for the January plan before the first month."""
    out = np.empty(level.shape[0])
    for i in range(level.shape[0]):
        out[i] = income.industrial_investment(level[i], float(stock[i]), depreciation_month, build_rate)
    return out
