"""``RuralModel``: households, enterprises and governments of one province, monthly.

One step is one month. The step order (``step()`` follows it line by line):

1. **Calendar and policy** — the central government resolves the dated levers in force; prices,
   wages and productivity are indexed. In January the province allocates county budgets.
2. **Markets** — county-industry log prices (AR(1) with county and industry-wide shocks), the
   migrant-demand index.
3. **Shocks** — drawn for *all* households whatever the policy (common random numbers): illness,
   disability, accidents, county/village disasters, September education costs.
4. **Enterprises** — profit from prices and support, exits (age hazard raised by losses; exits end
   jobs and contracts), entries (when expected profit with support is positive), contract linking.
5. **Labour market** — migrant loss/finding, local separations, vacancies matched to seekers
   (preferring labour capacity; campaign rules reserve hires for registered households),
   public-welfare posts.
6. **Household income** — wages, operating income (industrial support stock, contract premium,
   disaster losses, rural-construction productivity), property and private transfers.
7. **Public transfers and cost sharing** — pensions, dibao (enrolment and top-up), transition
   subsidies, medical reimbursement and assistance, education support, housing renovation.
8. **Consumption, savings and microcredit** — incomplete smoothing; borrowing covers shortfalls up to
   a credit limit; unmet rigid needs are three-guarantees failures.
9. **Monitoring and assistance** — county governments screen, identify (three categories), assign
   assistance by need and labour capacity within budget, mark risk eliminated; rural construction.
10. **Monthly data collection**.
11. **December accounting** — annual per-capita net income, poverty, relapse and new poverty;
    county evaluation by the province; annual and county metrics.
"""

from __future__ import annotations

import time
from typing import Any

import mesa
import numpy as np
import pandas as pd

from . import enterprises as ent
from . import metrics as mx
from . import population
from .governments import (
    SPEND,
    SPEND_CATEGORIES,
    TRANSFER_CATEGORIES,
    CentralGovernment,
    CountyAccounts,
    CountyGovernment,
    Levers,
    ProvincialGovernment,
)
from .params import Params
from .processes import income as pin
from .processes import labour as plab
from .processes import monitoring as pmon
from .processes import poverty as ppov
from .processes import shocks as pshk
from .processes import transfers as ptr
from .rng import Streams

#: Propensity to consume out of smoothed monthly income (rural saving rate ~20-30%).
CONSUMPTION_SHARE = 0.8
#: Share of an income surprise passed to consumption (JR1999, poorest third).
CONSUMPTION_PASSTHROUGH = 0.40
#: Microcredit limits, yuan: registered or monitored households (poverty-alleviation microcredit
#: of up to 50,000) and others.
CREDIT_LIMIT_SUPPORTED = 50_000.0
CREDIT_LIMIT_OTHER = 20_000.0
#: Annual interest on microcredit: subsidised for registered households while transition
#: subsidies last, market rate otherwise.
INTEREST_SUPPORTED = 0.0
INTEREST_MARKET = 0.06
#: Cost of renovating an unsafe house, yuan (2020 prices).
HOUSING_RENOVATION_YUAN = 20_000.0
#: Monthly chance a household repairs an unsafe house itself, and with renovation assistance.
P_REPAIR_SELF, P_REPAIR_ASSISTED = 0.15, 0.5
#: Months a sudden-hardship expense stays visible to screening (and refundable by medical
#: assistance once the household is identified).
HARDSHIP_MONTHS = 3
#: Months of a migrant job lost after an accident.
ACCIDENT_MONTHS = 2


class RuralModel(mesa.Model):
    """A province of households, enterprises and governments. See the module docstring for the
    numbered step order."""

    def __init__(self, params: Params | None = None, seed: int = 1, collect_monthly: bool = True):
        super().__init__(rng=int(seed))
        self.params = params if params is not None else Params()
        self.seed = int(seed)
        self.streams = Streams(self.seed)
        self.collect_monthly = collect_monthly
        p = self.params
        self.timings: dict[str, float] = {k: 0.0 for k in (
            "setup", "markets", "shocks", "enterprises", "labour", "households", "governments",
            "accounting", "data_collection")}
        t0 = time.perf_counter()

        self.province, self.households, market_2020, income_2020 = population.build(p, self.streams.population)
        hh = self.households
        pv = self.province
        self.n_counties = pv.n_counties
        self.n_villages = pv.n_villages
        self.n_industries = p.prices.n_industries
        self.year = p.sim.start_year
        self.month = 0  # set at the start of each step
        self.end_month = p.sim.n_years * 12
        self._cpi_history: dict[int, float] = {}

        # governments
        self.central = CentralGovernment(self, p)
        self.province_gov = ProvincialGovernment(self, p)
        self.counties_gov = [CountyGovernment(self, c, population.COUNTY_TYPE_NAMES[t])
                             for c, t in enumerate(pv.county_type)]
        self.accounts = CountyAccounts(self.n_counties)
        self._fp_real = np.bincount(hh.county, weights=hh.weight * hh.formerly_poor,
                                    minlength=self.n_counties)
        self._hh_per_county = np.bincount(hh.county, minlength=self.n_counties).astype(np.float64)
        self._income_2020_hh_c = (np.bincount(hh.county, weights=hh.income_est_pc * hh.members,
                                              minlength=self.n_counties)
                                  / np.maximum(self._hh_per_county, 1))

        # markets
        self.log_price = np.zeros((self.n_counties, self.n_industries))
        self.main_industry = int(np.bincount(pv.village_product.astype(np.int64),
                                             minlength=self.n_industries).argmax())
        # 2020 figures are annual means (mid-2020 levels); January 2021 is half a year later
        lv0 = self.central.levers(self.year, 1)
        self.wage_index = (1.0 + lv0.urban_income_growth * p.macro.wage_elasticity) ** 0.5
        self.productivity_index = ((1.0 + p.income.productivity_growth_year) * (1.0 + lv0.inflation)) ** 0.5
        self.central.cpi = (1.0 + lv0.inflation) ** 0.5
        self.migrant_demand = 1.0

        # shocks: illness risk normalised so the mean incidence equals shocks.illness.p_year (H1)
        ill = p.shocks.illness
        rr = (np.where(hh.chronic, ill.chronic_multiplier, 1.0)
              * np.where(hh.n_elderly > 0, ill.elderly_multiplier, 1.0))
        self._illness_norm = float(np.average(rr, weights=hh.weight))
        self._disaster_months_left = np.zeros(self.n_villages, dtype=np.int16)

        # enterprises
        self.enterprise_registry = ent.EnterpriseRegistry(capacity=1024)
        self.enterprise_agents: dict[int, ent.Enterprise] = {}
        self._village_start = (np.arange(self.n_counties) * p.population.villages_per_county).astype(np.int64)
        self._ent_base_counts = ent.initial_counts(p, pv.county_type, pv.county_weight)
        counts = self.streams.enterprise.poisson(self._ent_base_counts)
        county = np.repeat(np.repeat(np.arange(self.n_counties), 4), counts.ravel())
        kind = np.repeat(np.tile(np.arange(4), self.n_counties), counts.ravel())
        self._add_enterprises(county, kind, initial=True)

        # initial local jobs, contracts and public-welfare posts
        lv = self.central.levers(self.year, 1)
        self.levers = lv
        self._fill_local_jobs(lv, p_match=1.0)
        self._link_contracts(p_match=1.0)
        self._assign_public_posts(lv)
        population.split_market_income(p, hh, market_2020, income_2020, pv.fp_county)

        # year state
        self._budget_for_year(lv)
        self.annual_rows: list[dict[str, Any]] = []
        self.county_rows: list[pd.DataFrame] = []
        self.monthly_rows: list[dict[str, Any]] = []
        self._prev_income_fpc = pv.income_pc_fpc_2020_yuan
        self._prev_income_all = pv.income_pc_2020_yuan
        self._prev_income_nonfpc = pv.income_pc_nonfpc_2020_yuan
        self._newly_identified = 0.0
        self.datacollector = mesa.DataCollector(model_reporters={
            "poverty_rate": lambda m: m.last_annual.get("poverty_rate", 0.0),
            "relapse_rate": lambda m: m.last_annual.get("relapse_rate", 0.0),
            "monitored_households": lambda m: m.last_month.get("n_monitored", 0.0),
            "enterprises": lambda m: m.last_month.get("enterprises", 0.0),
        })
        self.last_annual: dict[str, Any] = {}
        self.last_month: dict[str, Any] = {}
        self.running = True
        self.timings["setup"] = time.perf_counter() - t0

    # ----------------------------------------------------------------------------------------
    # helpers
    # ----------------------------------------------------------------------------------------

    def cpi_at_start_of(self, year: int) -> float:
        """Consumer price index at the start of ``year`` (1 at the start of ``sim.start_year``)."""
        if year <= self.params.sim.start_year:
            return 1.0
        return self._cpi_history.get(year, self.central.cpi)

    @property
    def fp_county_mask(self) -> np.ndarray:
        return self.province.fp_county

    def _add_enterprises(self, county: np.ndarray, kind: np.ndarray, initial: bool = False) -> None:
        if len(county) == 0:
            return
        pv = self.province
        cols = ent.new_enterprise_columns(
            self.params, self.streams.enterprise, county, kind, self._village_start,
            self.params.population.villages_per_county, pv.village_product, pv.county_industries,
            pv.county_weight)
        if initial:
            # existing firms have ages spread over the hazard profile
            cols["age_months"] = self.streams.enterprise.integers(0, 120, size=len(county)).astype(np.int16)
        rows = self.enterprise_registry.add(**cols)
        for r in rows:
            self.enterprise_agents[int(r)] = ent.Enterprise(self, int(r))

    # ----------------------------------------------------------------------------------------
    # the step
    # ----------------------------------------------------------------------------------------

    def step(self) -> None:
        """Advance one month (numbered order in the module docstring)."""
        if self.month >= self.end_month:
            self.running = False
            return
        t = time.perf_counter()
        # 1. calendar and policy
        cal_month = self.month % 12 + 1
        self.year = self.params.sim.start_year + self.month // 12
        if cal_month == 1:
            self._cpi_history[self.year] = self.central.cpi
        lv = self.central.levers(self.year, cal_month)
        self.levers = lv
        self.central.advance_prices(lv.inflation)
        self.wage_index *= (1.0 + lv.urban_income_growth * self.params.macro.wage_elasticity) ** (1 / 12)
        self.productivity_index *= ((1.0 + self.params.income.productivity_growth_year)
                                    * (1.0 + lv.inflation)) ** (1 / 12)
        if cal_month == 1 and self.month > 0:
            self._budget_for_year(lv)
        # 2. markets
        self._markets(lv)
        t = self._tick("markets", t)
        # 3. shocks
        shocks = self._shocks(lv, cal_month)
        t = self._tick("shocks", t)
        # 4. enterprises
        self._enterprises(lv)
        t = self._tick("enterprises", t)
        # 5. labour market
        self._labour(lv)
        t = self._tick("labour", t)
        # 6-8. household income, transfers, consumption and credit
        self._household_finances(lv, shocks, cal_month)
        t = self._tick("households", t)
        # 9. monitoring and assistance; rural construction
        self._monitoring(lv, shocks)
        self._construction()
        t = self._tick("governments", t)
        # 10. monthly data collection
        if self.collect_monthly:
            self._collect_month(lv, cal_month)
        t = self._tick("data_collection", t)
        # 11. December accounting
        if cal_month == 12:
            self._december(lv)
            t = self._tick("accounting", t)
        self.month += 1
        if self.month >= self.end_month:
            self.running = False

    def _tick(self, phase: str, t0: float) -> float:
        t1 = time.perf_counter()
        self.timings[phase] += t1 - t0
        return t1

    # 1. ---------------------------------------------------------------------------------------

    def _budget_for_year(self, lv: Levers) -> None:
        acc = self.accounts
        acc.budget_yuan = self.province_gov.allocate(lv, self._fp_real, self.province.county_type,
                                                     self.central.cpi)
        acc.remaining_yuan = acc.budget_yuan.copy()
        acc.spend_year[:] = 0.0
        acc.budget_factor[:] = 1.0

    # 2. ---------------------------------------------------------------------------------------

    def _markets(self, lv: Levers) -> None:
        pr = self.params.prices
        rng = self.streams.prices
        z_ci = rng.standard_normal((self.n_counties, self.n_industries))
        z_i = rng.standard_normal(self.n_industries)
        self.log_price += (-pr.mean_reversion_month * self.log_price
                           + pr.log_price_sd_month * z_ci + pr.industry_shock_sd_month * z_i[None, :])
        self.price_rel = np.exp(self.log_price)
        self.price_rel[:, self.main_industry] *= lv.price_level
        self.migrant_demand = lv.migrant_demand

    # 3. ---------------------------------------------------------------------------------------

    def _shocks(self, lv: Levers, cal_month: int) -> dict[str, np.ndarray]:
        p = self.params.shocks
        hh = self.households
        n = hh.n
        s = self.streams
        # a hardship stays visible to screening for HARDSHIP_MONTHS months
        hh.hardship_months[:] = np.maximum(hh.hardship_months.astype(np.int16) - 1, 0)
        # illness: onset, cost, labour lost for some months
        u_ill = s.illness.random(n)
        z_ill = s.illness.standard_normal(n)
        p_ill = pshk.illness_probability_month(
            p.illness.p_year * lv.illness_multiplier / self._illness_norm, hh.chronic, hh.n_elderly > 0,
            p.illness.chronic_multiplier, p.illness.elderly_multiplier)
        onset = (u_ill < p_ill) & (hh.ill_months == 0)
        med_cost = np.where(onset, pshk.lognormal_cost(p.illness.cost_mean_yuan * self.central.cpi,
                                                       p.illness.cost_sigma, z_ill), 0.0)
        hh.ill_months[onset] = p.illness.duration_months
        # disability: persistent loss of one labour unit
        u_dis = s.disability.random(n)
        new_dis = (u_dis < pshk.monthly_probability(p.disability.p_year)) & ~hh.disabled
        hh.disabled[new_dis] = True
        hh.labour_units[new_dis] = np.maximum(hh.labour_units[new_dis] - 1.0, 0.0)
        # accidents: cost and short labour loss
        u_acc = s.accident.random(n)
        z_acc = s.accident.standard_normal(n)
        acc = u_acc < pshk.monthly_probability(p.accident.p_year)
        med_cost = med_cost + np.where(acc, pshk.lognormal_cost(p.accident.cost_mean_yuan * self.central.cpi,
                                                                0.8, z_acc), 0.0)
        hh.ill_months[acc] = np.maximum(hh.ill_months[acc], ACCIDENT_MONTHS)
        ill_now = hh.ill_months > 0
        hh.labour_lost[:] = np.where(ill_now, pshk.illness_labour_loss(hh.labour_units, hh.members,
                                                                       p.illness.carer_labour), 0.0)
        # disasters: county events (plus any stress), villages hit, crop and housing losses
        d = p.disaster
        u_c = s.disaster.random(self.n_counties)
        u_v = s.disaster.random(self.n_villages)
        z_v = s.disaster.standard_normal(self.n_villages)
        u_house = s.disaster.random(n)
        p_county = 1.0 - (1.0 - pshk.monthly_probability(d.p_county_year)) * (1.0 - lv.disaster_stress)
        county_hit = u_c < p_county
        village_hit = county_hit[self.province.village_county] & (u_v < d.village_hit_share)
        severity = d.crop_loss_mean * np.exp(0.5 * z_v - 0.125)
        loss_v = pshk.disaster_crop_loss(village_hit, severity)
        hit_hh = village_hit[hh.village]
        hh.disaster_loss[:] = np.where(hit_hh, np.maximum(hh.disaster_loss, loss_v[hh.village]), hh.disaster_loss)
        hh.disaster_months[:] = np.where(hit_hh, d.loss_months, hh.disaster_months)
        damaged = hit_hh & (u_house < d.p_housing_damage) & hh.housing_safe
        hh.housing_safe[damaged] = False
        # a destroyed house is a sudden hardship that screening can see
        hh.hardship_months[damaged] = HARDSHIP_MONTHS
        # education: lumpy costs in September
        edu_cost_pc = self.params.shocks.education.cost_per_child_yuan * self.central.cpi
        return {"med_cost": med_cost.astype(np.float32), "edu_cost_pc": edu_cost_pc,
                "september": cal_month == 9, "ill_now": ill_now, "n_village_hit": int(village_hit.sum())}

    # 4. ---------------------------------------------------------------------------------------

    def _enterprises(self, lv: Levers) -> None:
        reg = self.enterprise_registry
        e = self.params.enterprises
        rng = self.streams.enterprise
        n = reg.n
        alive = reg.view("alive")
        county = reg.view("county").astype(np.int64)
        industry = reg.view("industry").astype(np.int64)
        price = self.price_rel[county, industry]
        support = e.support_share * lv.enterprise_support
        pr = ent.profit_rate(reg.view("margin"), price, support)
        ema = reg.view("profit_ema")
        ema[:] = (1 - ent.PROFIT_EMA_WEIGHT) * ema + ent.PROFIT_EMA_WEIGHT * pr
        reg.view("age_months")[:] += alive.astype(np.int16)
        # support paid (cost of firms: wages are WAGE_COST_SHARE of costs)
        wage_local = self.params.income.wage_local_month_2020_yuan * self.wage_index
        cost = reg.view("jobs_cap") * wage_local / ent.WAGE_COST_SHARE
        self.accounts.record("enterprise_support", county[alive], (cost * support * reg.view("weight"))[alive],
                             self.n_counties)
        # exits
        u = rng.random(n)
        h = ent.hazard_month(reg.view("age_months"), e.hazard_by_age, ema < 0, e.loss_hazard_multiplier)
        exit_ = alive & (u < h)
        if exit_.any():
            rows = np.flatnonzero(exit_)
            alive[rows] = False
            hh = self.households
            gone = np.zeros(reg.n + 1, dtype=bool)
            gone[rows] = True
            lost_job = (hh.employer >= 0) & gone[hh.employer]
            hh.emp_type[lost_job] = pin.EMP_NONE
            hh.employer[lost_job] = -1
            lost_contract = (hh.contract >= 0) & gone[hh.contract]
            hh.contract[lost_contract] = -1
            for r in rows:
                agent = self.enterprise_agents.pop(int(r), None)
                if agent is not None:
                    agent.remove()
        # entries: rate scales with expected profit of an entrant (with support) relative to the
        # profit of an average entrant under full support; the campaign raises paired-firm entry
        mean_price = self.price_rel.mean(axis=1)
        expected = e.margin_mean + (mean_price - 1.0) + support
        scale = np.clip(expected / max(e.margin_mean + e.support_share, 1e-6), 0.0, 2.0)
        rate = self._ent_base_counts * (e.entry_rate_year / 12.0) * scale[:, None]
        rate[:, ent.PAIRED] *= 1.0 + (e.campaign_entry_multiplier - 1.0) * lv.campaign
        new = rng.poisson(rate)
        if new.any():
            c = np.repeat(np.repeat(np.arange(self.n_counties), 4), new.ravel())
            k = np.repeat(np.tile(np.arange(4), self.n_counties), new.ravel())
            self._add_enterprises(c, k)
        self._link_contracts(p_match=self.params.labour.p_local_match_month)

    def _link_contracts(self, p_match: float) -> None:
        """Open contract slots are filled by farming households growing the enterprise's product:
        in its village (cooperatives, workshops, paired firms) or its county (leading firms)."""
        reg = self.enterprise_registry
        hh = self.households
        n = reg.n
        if n == 0:
            return
        alive = reg.view("alive")
        used = np.bincount(hh.contract[hh.contract >= 0], minlength=n)[:n]
        open_ = np.where(alive, np.maximum(reg.view("contracts_cap") - used, 0), 0)
        if open_.sum() == 0:
            return
        rng = self.streams.enterprise
        open_ = rng.binomial(open_, p_match)
        rows = np.repeat(np.arange(n), open_)
        if len(rows) == 0:
            return
        product = self.province.village_product[hh.village].astype(np.int64)
        seekers = np.flatnonzero((hh.contract < 0) & (hh.op_base_year > 0))
        kinds = reg.kind[rows]
        village_level = kinds != ent.LEADING
        n_ind = self.n_industries
        # village-level slots: group by village, seekers whose product matches
        for mask, group_of_slot, group_of_seeker, n_groups in (
            (village_level, reg.village[rows].astype(np.int64), hh.village[seekers].astype(np.int64),
             self.n_villages),
            (~village_level, reg.county[rows].astype(np.int64) * n_ind + reg.industry[rows],
             hh.county[seekers].astype(np.int64) * n_ind + product[seekers], self.n_counties * n_ind),
        ):
            slots = rows[mask]
            if len(slots) == 0:
                continue
            slot_group = group_of_slot[mask]
            if n_groups == self.n_villages:
                ok = self.province.village_product[slot_group] == reg.industry[slots]
                slots, slot_group = slots[ok], slot_group[ok]
            free = seekers[hh.contract[seekers] < 0]
            gfree = group_of_seeker[hh.contract[seekers] < 0]
            prio = rng.random(len(free))
            si, vi = plab.match_within_groups(gfree, prio, slot_group, n_groups)
            hh.contract[free[si]] = slots[vi]

    # 5. ---------------------------------------------------------------------------------------

    def _labour(self, lv: Levers) -> None:
        hh = self.households
        lab = self.params.labour
        s = self.streams.labour
        n = hh.n
        u_loss, u_find, u_sep, u_post = s.random(n), s.random(n), s.random(n), s.random(n)
        avail = hh.labour_units - hh.labour_lost
        # local and post separations
        sep = plab.separations(hh.emp_type, pin.EMP_LOCAL, avail, u_sep, lab.p_local_separation_month)
        hh.emp_type[sep] = pin.EMP_NONE
        hh.employer[sep] = -1
        post_end = plab.separations(hh.emp_type, pin.EMP_POST, avail, u_post, lab.p_public_post_loss_month)
        hh.emp_type[post_end] = pin.EMP_NONE
        # migrant flows; employment assistance raises finding
        boost = np.where((hh.aid_bits & pmon.AID_EMPLOYMENT) > 0,
                         1.0 + self.params.assistance.find_boost * lv.employment, 1.0)
        p_find = np.minimum(lab.p_migrant_find_month * lv.migrant_demand * boost, 1.0)
        p_loss = min(lab.p_migrant_loss_month / max(lv.migrant_demand, 0.05), 1.0)
        hh.emp_type[:] = plab.migrant_transitions(hh.emp_type, avail, hh.migrant_willing, u_loss, u_find,
                                                  p_loss, p_find)
        self._fill_local_jobs(lv, p_match=lab.p_local_match_month)
        self._assign_public_posts(lv)

    def _fill_local_jobs(self, lv: Levers, p_match: float) -> None:
        """Enterprise vacancies filled by local seekers in the county, preferring labour capacity;
        campaign rules give registered households priority for a share of hires."""
        reg = self.enterprise_registry
        hh = self.households
        n = reg.n
        if n == 0:
            return
        alive = reg.view("alive")
        employed = np.bincount(hh.employer[hh.employer >= 0], minlength=n)[:n]
        vac = np.where(alive, np.maximum(reg.view("jobs_cap") - employed, 0), 0)
        rng = self.streams.labour
        access = 1.0 + self.accounts.construction_effect[reg.view("county").astype(np.int64)]
        vac = rng.binomial(vac, np.minimum(p_match * access, 1.0))
        rows = np.repeat(np.arange(n), vac)
        avail = hh.labour_units - hh.labour_lost
        seekers = np.flatnonzero((hh.emp_type == pin.EMP_NONE) & (avail >= 0.5))
        if len(rows) == 0 or len(seekers) == 0:
            return
        reserve = self.params.enterprises.fp_hiring_share * lv.campaign
        prio = (avail[seekers] + rng.random(len(seekers))
                + np.where(hh.formerly_poor[seekers] & (rng.random(len(seekers)) < reserve), 10.0, 0.0))
        si, vi = plab.match_within_groups(hh.county[seekers].astype(np.int64), prio,
                                          reg.county[rows].astype(np.int64), self.n_counties)
        won = seekers[si]
        hh.emp_type[won] = pin.EMP_LOCAL
        hh.employer[won] = rows[vi]
        hh.n_workers[won] = np.maximum(hh.n_workers[won], 1)

    def _assign_public_posts(self, lv: Levers) -> None:
        """Public-welfare posts per county: a share of registered households (J9) scaled by the
        employment-assistance lever and the county's budget factor, plus posts for monitored
        households in employment assistance. Surplus holders lose posts; vacancies go to monitored
        households first, then registered ones, with at least half a labour unit."""
        hh = self.households
        a = self.params.assistance
        rng = self.streams.labour
        c = hh.county.astype(np.int64)
        nc = self.n_counties
        fp_n = np.bincount(c, weights=hh.formerly_poor, minlength=nc)
        mon_emp = (hh.mon_state == pmon.MON_ACTIVE) & ((hh.aid_bits & pmon.AID_EMPLOYMENT) > 0)
        mon_n = np.bincount(c, weights=mon_emp & ~hh.formerly_poor, minlength=nc)
        posts = np.floor(a.public_post_share_fp * lv.employment * self.accounts.budget_factor * (fp_n + mon_n)
                         + 0.5).astype(np.int64)
        holders = hh.emp_type == pin.EMP_POST
        held = np.bincount(c, weights=holders, minlength=nc).astype(np.int64)
        u = rng.random(hh.n)
        surplus = held - posts
        if (surplus > 0).any():
            idx = np.flatnonzero(holders)
            # drop the surplus at random within each county
            order = np.lexsort((u[idx], c[idx]))
            idx = idx[order]
            start = np.concatenate(([0], np.cumsum(np.bincount(c[idx], minlength=nc))[:-1]))
            rank = np.arange(len(idx)) - start[c[idx]]
            drop = idx[rank < np.maximum(surplus, 0)[c[idx]]]
            hh.emp_type[drop] = pin.EMP_NONE
            held = np.bincount(c, weights=hh.emp_type == pin.EMP_POST, minlength=nc).astype(np.int64)
        open_ = np.maximum(posts - held, 0)
        if open_.sum() == 0:
            return
        avail = hh.labour_units - hh.labour_lost
        eligible = (hh.emp_type == pin.EMP_NONE) & (avail >= 0.5) & (hh.formerly_poor | mon_emp)
        seekers = np.flatnonzero(eligible)
        prio = np.where(mon_emp[seekers], 2.0, 0.0) + u[seekers]
        slots = np.repeat(np.arange(nc), open_)
        si, _ = plab.match_within_groups(c[seekers], prio, slots, nc)
        won = seekers[si]
        hh.emp_type[won] = pin.EMP_POST
        hh.n_workers[won] = 1

    # 6-8. ------------------------------------------------------------------------------------

    def _household_finances(self, lv: Levers, shocks: dict[str, Any], cal_month: int) -> None:
        hh = self.households
        p = self.params
        inc = p.income
        tr = p.transfers
        s = self.streams
        n = hh.n
        cpi = self.central.cpi
        c = hh.county.astype(np.int64)
        acc = self.accounts
        bf = acc.budget_factor[c]

        # 6. market income
        avail = np.maximum(hh.labour_units - hh.labour_lost, 0.0)
        workers_eff = pin.effective_workers(np.where(hh.emp_type > 0, hh.n_workers, 0), avail)
        wage_by_type = np.array([0.0,
                                 inc.wage_local_month_2020_yuan * self.wage_index,
                                 inc.wage_migrant_month_2020_yuan * self.wage_index,
                                 inc.wage_public_post_month_2020_yuan * cpi], dtype=np.float32)
        wage = pin.wage_income_month(hh.emp_type, workers_eff, hh.wage_mult, wage_by_type)
        # industrial support stock moves toward its target (registered households under the
        # industrial lever, monitored households assigned industrial assistance)
        target_fp = np.where(hh.formerly_poor, lv.industrial * bf, 0.0)
        target_mon = np.where((hh.mon_state == pmon.MON_ACTIVE) & ((hh.aid_bits & pmon.AID_INDUSTRIAL) > 0),
                              lv.industrial * bf, 0.0)
        target = np.maximum(target_fp, target_mon)
        hh.industry_stock += ((target - hh.industry_stock) / p.assistance.support_adjust_months).astype(np.float32)
        z_op = s.operating.standard_normal(n)
        sd = inc.operating_noise_sd
        noise = np.exp(sd * z_op - 0.5 * sd * sd).astype(np.float32)
        price_h = self.price_rel[c, self.province.village_product[hh.village]]
        productivity = self.productivity_index * (1.0 + acc.construction_effect[c])
        op = pin.operating_income_month(
            hh.op_base_year, hh.industry_potential_year * hh.industry_stock, price_h, productivity,
            pin.farm_labour_factor(avail, workers_eff), noise, hh.disaster_loss, hh.contract >= 0,
            inc.contract_premium)
        supported = hh.formerly_poor | (hh.mon_state == pmon.MON_ACTIVE)
        rate = np.where(hh.formerly_poor & (lv.transition_subsidy > 0), INTEREST_SUPPORTED, INTEREST_MARKET)
        interest = hh.debt_yuan * rate / 12.0
        op = op - interest
        hh.disaster_months[:] = np.maximum(hh.disaster_months.astype(np.int16) - 1, 0)
        hh.disaster_loss[hh.disaster_months == 0] = 0.0
        prop = hh.property_year / 12.0 * self.wage_index
        private = hh.private_transfer_year / 12.0 * self.wage_index

        # 7. public transfers
        pension = ptr.pension_month(hh.n_elderly, tr.pension_month_2020_yuan * cpi)
        transition = np.where(hh.formerly_poor,
                              tr.transition_subsidy_pc_year_2020_yuan * cpi * lv.transition_subsidy / 12.0
                              * hh.members, 0.0).astype(np.float32)
        weak = hh.labour_units < 0.5
        social_aid = (hh.aid_bits & pmon.AID_SOCIAL) > 0
        # registered households with weak labour keep income disregards under the social lever
        line = lv.dibao_line_yuan
        eligible = weak | social_aid | lv.dibao_for_all
        line_for = np.where(hh.formerly_poor & weak, line * (1.0 + 0.25 * lv.social), line)
        u_take = s.behaviour.random(n)
        take_up = np.where(social_aid & lv.responsive, 1.0, tr.dibao_take_up)
        enter = ~hh.dibao & (hh.base_est_pc < line_for) & eligible & (u_take < take_up)
        leave = hh.dibao & (hh.base_est_pc > tr.dibao_exit_margin * line)
        hh.dibao[:] = (hh.dibao | enter) & ~leave
        dibao = ptr.dibao_topup_month(hh.dibao, hh.base_est_pc, hh.members, line)
        # medical cost sharing: preferential rate for registered households, assistance for dibao
        # and monitored households (when monitoring comes with assistance)
        med_rate = np.where(hh.formerly_poor, max(lv.medical_inclusive, lv.medical_preferential),
                            lv.medical_inclusive).astype(np.float32)
        med_assisted = hh.dibao | ((hh.mon_state == pmon.MON_ACTIVE) & lv.responsive)
        reimb, med_aid, oop_med = ptr.medical_cost_sharing(shocks["med_cost"], hh.insured, med_rate, med_assisted,
                                                           tr.medical_assistance_share * min(lv.social, 1.0))
        # education (September): support for registered and dibao households
        if shocks["september"]:
            edu_supported = (hh.formerly_poor & (lv.transition_subsidy > 0)) | hh.dibao
            edu_support, oop_edu = ptr.education_cost_sharing(
                hh.n_school, shocks["edu_cost_pc"], edu_supported,
                tr.education_support_share * min(max(lv.transition_subsidy, lv.social), 1.0))
        else:
            edu_support = np.zeros(n, dtype=np.float32)
            oop_edu = np.zeros(n, dtype=np.float32)
        # housing renovation for monitored households with assistance, self-repair otherwise
        u_rep = s.behaviour.random(n)
        renov_ok = (hh.mon_state == pmon.MON_ACTIVE) & lv.responsive
        repaired = ~hh.housing_safe & (u_rep < np.where(renov_ok, P_REPAIR_ASSISTED * bf, P_REPAIR_SELF))
        renov_paid = repaired & renov_ok
        hh.housing_safe[repaired] = True

        public = pension + transition + dibao
        rigid = oop_med + oop_edu
        disposable = wage + op + prop + private + public
        net = disposable - rigid

        # 8. consumption, savings, microcredit
        est_month = hh.income_est_pc * hh.members / 12.0
        consumption = np.maximum(CONSUMPTION_SHARE * est_month + CONSUMPTION_PASSTHROUGH * (disposable - est_month),
                                 0.0)
        hh.savings_yuan += (net - consumption).astype(np.float32)
        short = hh.savings_yuan < 0
        limit = np.where(supported, CREDIT_LIMIT_SUPPORTED, CREDIT_LIMIT_OTHER) * cpi
        room = np.maximum(limit - hh.debt_yuan, 0.0)
        borrow = np.where(short, np.minimum(-hh.savings_yuan, room), 0.0)
        hh.debt_yuan += borrow.astype(np.float32)
        hh.savings_yuan += borrow.astype(np.float32)
        unmet = hh.savings_yuan < -1.0
        hh.savings_yuan[unmet] = 0.0
        buffer = 3.0 * consumption
        repay = np.where(hh.savings_yuan > buffer, np.minimum(hh.debt_yuan, 0.5 * (hh.savings_yuan - buffer)), 0.0)
        hh.debt_yuan -= repay.astype(np.float32)
        hh.savings_yuan -= repay.astype(np.float32)
        # three guarantees: education or medical care that could not be paid, unsafe housing
        g3 = (unmet & ((oop_edu > 0) | (oop_med > 0))) | ((shocks["med_cost"] > 0) & ~hh.insured)
        hh.guarantee_failure |= g3

        # accumulators and income estimates
        hh.y_wage += wage
        hh.y_operating += op.astype(np.float32)
        hh.y_property += prop.astype(np.float32)
        hh.y_transfer_public += public
        hh.y_transfer_private += private.astype(np.float32)
        hh.y_rigid += rigid
        k = 1.0 / p.monitoring.income_smoothing_months
        members = hh.members.astype(np.float32)
        # cadres assess recent income; a rigid expense counts through the sudden-hardship rule
        hh.income_est_pc += (k * (disposable * 12.0 / members - hh.income_est_pc)).astype(np.float32)
        hh.base_est_pc += (k * ((disposable - dibao) * 12.0 / members - hh.base_est_pc)).astype(np.float32)
        new_hardship = rigid > p.monitoring.hardship_expense_share * np.maximum(hh.income_est_pc * members, 1.0)
        hh.pending_oop_yuan[:] = np.where(new_hardship, oop_med,
                                          np.where(hh.hardship_months > 0, hh.pending_oop_yuan, 0.0))
        hh.hardship_months[:] = np.where(new_hardship, HARDSHIP_MONTHS, hh.hardship_months)
        hh.hardship[:] = hh.hardship_months > 0
        hh.ill_months[:] = np.maximum(hh.ill_months.astype(np.int16) - 1, 0)

        # government accounts (weighted, by county)
        w = hh.weight
        nc = self.n_counties
        acc.record("pension", c, pension * w, nc)
        acc.record("dibao", c, dibao * w, nc)
        acc.record("transition_subsidy", c, transition * w, nc)
        acc.record("public_posts", c, np.where(hh.emp_type == pin.EMP_POST, wage, 0.0) * w, nc)
        acc.record("medical_insurance", c, reimb * w, nc)
        acc.record("medical_assistance", c, med_aid * w, nc)
        acc.record("education_support", c, edu_support * w, nc)
        acc.record("housing_renovation", c, renov_paid * (HOUSING_RENOVATION_YUAN * cpi) * w, nc)
        # assistance programmes are paid from the county budget
        a = p.assistance
        ind_cost = hh.industry_stock * (a.cost_industrial_month_yuan * cpi)
        emp_aid = (hh.aid_bits & pmon.AID_EMPLOYMENT) > 0
        emp_cost = np.where(emp_aid | (hh.emp_type == pin.EMP_POST), a.cost_employment_month_yuan * cpi
                            * lv.employment, 0.0)
        ind_c = np.bincount(c, weights=ind_cost * w, minlength=nc)
        emp_c = np.bincount(c, weights=emp_cost * w, minlength=nc)
        post_c = np.bincount(c, weights=np.where(hh.emp_type == pin.EMP_POST, wage, 0.0) * w, minlength=nc)
        acc.record_county("industrial_assistance", ind_c)
        acc.record_county("employment_assistance", emp_c)
        spent = ind_c + emp_c + post_c
        acc.remaining_yuan -= spent
        # budget factor: the share of planned assistance the rest of the year's budget can pay
        months_left = 12 - cal_month + 1
        assist_budget = np.maximum(acc.remaining_yuan * (1.0 - p.government.construction_share), 0.0)
        planned = np.maximum(spent, 1e-9) * months_left
        acc.budget_factor = np.clip(assist_budget / planned, 0.0, 1.0)
        self._month_flows = {"wage": wage, "op": op, "public": public, "rigid": rigid}

    # 9. ---------------------------------------------------------------------------------------

    def _monitoring(self, lv: Levers, shocks: dict[str, Any]) -> None:
        hh = self.households
        m = self.params.monitoring
        u = self.streams.monitoring.random(hh.n)
        active = hh.mon_state == pmon.MON_ACTIVE
        if not lv.monitoring_enabled:
            hh.mon_state[active] = pmon.MON_NONE
            hh.mon_category[active] = pmon.CAT_NONE
            hh.aid_bits[active] = 0
            self._newly_identified = 0.0
            return
        risk = pmon.at_risk(hh.income_est_pc, lv.threshold_yuan, hh.hardship)
        c = hh.county.astype(np.int64)
        p_det = pmon.detection_probability(lv.coverage, m.p_screen_month * (1.0 + self.accounts.effort[c]),
                                           m.p_self_report_month)
        new = risk & ~active & (u < p_det)
        hh.mon_state[new] = pmon.MON_ACTIVE
        hh.mon_category[new] = pmon.categorise(hh.formerly_poor[new], hh.hardship[new])
        hh.ever_monitored[new] = True
        hh.stable_months[new] = 0
        bits = pmon.assistance_bits(hh.labour_units[new], hh.op_base_year[new], shocks["ill_now"][new])
        hh.aid_bits[new] = bits if lv.responsive else 0
        if lv.responsive:
            # medical assistance settles the identified hardship's pending bills retroactively
            refund = np.where(new & hh.hardship, hh.pending_oop_yuan, 0.0) * (
                self.params.transfers.medical_assistance_share * min(lv.social, 1.0))
            hh.y_rigid -= refund.astype(np.float32)
            hh.pending_oop_yuan -= refund.astype(np.float32)
            self.accounts.record("medical_assistance", c, refund * hh.weight, self.n_counties)
        active = hh.mon_state == pmon.MON_ACTIVE
        if not lv.responsive:
            hh.aid_bits[active] = 0
        above = (hh.income_est_pc >= lv.threshold_yuan) & ~hh.hardship
        hh.stable_months[:] = pmon.stable_months_update(hh.stable_months, active, above)
        done = pmon.eliminate(active, hh.stable_months, m.stable_months_to_eliminate, hh.labour_units)
        hh.mon_state[done] = pmon.MON_ELIMINATED
        hh.mon_category[done] = pmon.CAT_NONE
        hh.aid_bits[done] = 0
        hh.ever_eliminated[done] = True
        self._newly_identified = float((hh.weight * new).sum())

    def _construction(self) -> None:
        """Rural construction: the construction share of each county's budget accumulates as a
        stock per household; its productivity effect follows with a lag."""
        g = self.params.government
        acc = self.accounts
        monthly = acc.budget_yuan * g.construction_share / 12.0
        acc.record_county("rural_construction", monthly)
        acc.remaining_yuan -= monthly
        real_hh = np.bincount(self.households.county, weights=self.households.weight,
                              minlength=self.n_counties)
        acc.construction_stock_yuan += monthly / np.maximum(real_hh, 1.0)
        target = g.construction_elasticity * acc.construction_stock_yuan / np.maximum(self._income_2020_hh_c, 1.0)
        acc.construction_effect += (target - acc.construction_effect) / g.construction_lag_months

    # 10. --------------------------------------------------------------------------------------

    def _collect_month(self, lv: Levers, cal_month: int) -> None:
        hh = self.households
        w = hh.weight
        reg = self.enterprise_registry
        alive = reg.view("alive")
        row = {
            "year": self.year, "month": cal_month,
            "n_monitored": float((w * (hh.mon_state == pmon.MON_ACTIVE)).sum()),
            "n_newly_identified": self._newly_identified,
            "n_assisted": float((w * (hh.aid_bits > 0)).sum()),
            "n_migrant": float((w * (hh.emp_type == pin.EMP_MIGRANT)).sum()),
            "n_local_job": float((w * (hh.emp_type == pin.EMP_LOCAL)).sum()),
            "n_public_post": float((w * (hh.emp_type == pin.EMP_POST)).sum()),
            "n_dibao": float((w * hh.dibao).sum()),
            "income_est_pc_fp_yuan": float(np.average(hh.income_est_pc[hh.formerly_poor],
                                                      weights=w[hh.formerly_poor]))
            if hh.formerly_poor.any() else 0.0,
            "enterprises": float(reg.view("weight")[alive].sum()),
            "migrant_demand": lv.migrant_demand,
            "price_main_industry": float(self.price_rel[:, self.main_industry].mean()),
            "cpi": self.central.cpi,
        }
        self.monthly_rows.append(row)
        self.last_month = row
        self.datacollector.collect(self)

    # 11. --------------------------------------------------------------------------------------

    def _december(self, lv: Levers) -> None:
        hh = self.households
        p = self.params
        w = hh.weight.astype(np.float64)
        members = hh.members.astype(np.float64)
        pw = w * members
        fp = hh.formerly_poor
        c = hh.county.astype(np.int64)
        nc = self.n_counties

        disposable = (hh.y_wage.astype(np.float64) + hh.y_operating + hh.y_property + hh.y_transfer_public
                      + hh.y_transfer_private)
        net_pc = ppov.net_income_pc_year(disposable, hh.y_rigid, members, p.income.expenditure_deduction)
        disp_pc = disposable / members
        line = p.poverty_line_2020_yuan * self.central.cpi
        # safe housing is judged on the house's state at year-end
        poor_now = ppov.poor_status(net_pc, line, hh.guarantee_failure | ~hh.housing_safe,
                                    p.metrics.three_guarantees_check)
        rel = ppov.relapse(fp, poor_now, hh.poor)
        newp = ppov.new_poverty(fp, poor_now, hh.poor)
        hh.ever_relapsed |= rel
        hh.ever_new_poor |= newp

        fpc_h = self.province.fp_county[c]
        inc_all = mx.safe_div((disp_pc * pw).sum(), pw.sum())
        inc_fpc = mx.safe_div((disp_pc * pw)[fpc_h].sum(), pw[fpc_h].sum())
        inc_nfpc = mx.safe_div((disp_pc * pw)[~fpc_h].sum(), pw[~fpc_h].sum())
        inc_reg = mx.safe_div((net_pc * pw)[fp].sum(), pw[fp].sum())
        g_fpc = mx.growth(inc_fpc, self._prev_income_fpc)
        g_all = mx.growth(inc_all, self._prev_income_all)
        gdp_nominal = (1 + lv.gdp_growth_real) * (1 + lv.inflation) - 1
        fp_w = (w * fp).sum()
        nfp_w = (w * ~fp).sum()
        median = mx.weighted_quantile(net_pc, pw, 0.5)
        rel_poor = net_pc < p.metrics.relative_poverty_share * median
        comp = {k: float((getattr(hh, k).astype(np.float64) * w)[fpc_h].sum()) for k in
                ("y_wage", "y_operating", "y_property", "y_transfer_public", "y_transfer_private")}
        comp_total = sum(comp.values())
        acc = self.accounts
        reg = self.enterprise_registry
        alive = reg.view("alive")
        local_jobs = float((w * (hh.emp_type == pin.EMP_LOCAL) * hh.n_workers).sum())
        row = {
            "year": self.year,
            "poverty_rate": mx.safe_div((pw * poor_now).sum(), pw.sum()),
            "poverty_rate_fp": mx.safe_div((pw * poor_now)[fp].sum(), pw[fp].sum()),
            "relapse_rate": mx.safe_div((w * rel).sum(), fp_w),
            "new_poverty_rate": mx.safe_div((w * newp).sum(), nfp_w),
            "n_relapse_households": float((w * rel).sum()),
            "n_new_poor_households": float((w * newp).sum()),
            "monitored_share": mx.safe_div((w * (hh.mon_state == pmon.MON_ACTIVE)).sum(), fp_w),
            "risk_eliminated_share": mx.safe_div((w * hh.ever_eliminated).sum(), (w * hh.ever_monitored).sum()),
            "income_pc_mean_yuan": inc_all,
            "income_pc_fpc_yuan": inc_fpc,
            "income_pc_nonfpc_yuan": inc_nfpc,
            "income_pc_registered_yuan": inc_reg,
            "income_growth_fpc": g_fpc,
            "gdp_growth": gdp_nominal,
            "urban_income_growth": lv.urban_income_growth,
            "rural_income_growth": g_all,
            "three_excesses": mx.three_excesses(g_fpc, gdp_nominal, lv.urban_income_growth, g_all),
            "wage_share_fpc": mx.safe_div(comp["y_wage"], comp_total),
            "operating_share_fpc": mx.safe_div(comp["y_operating"], comp_total),
            "property_share_fpc": mx.safe_div(comp["y_property"], comp_total),
            "transfer_share_fpc": mx.safe_div(comp["y_transfer_public"] + comp["y_transfer_private"], comp_total),
            "relative_poverty_rate": mx.safe_div((pw * rel_poor).sum(), pw.sum()),
            "gini": mx.weighted_gini(disp_pc, pw),
            "fiscal_cost_yuan": float(acc.spend_year.sum()),
            "transfer_spending_yuan": float(sum(acc.spend_year[:, SPEND[k]].sum() for k in TRANSFER_CATEGORIES)),
            "transfer_received_yuan": float((hh.y_transfer_public.astype(np.float64) * w).sum()),
            "enterprises": float(reg.view("weight")[alive].sum()),
            "local_jobs": local_jobs,
            "poverty_line_yuan": line,
            "monitoring_threshold_yuan": lv.threshold_yuan,
            "guarantee_failure_rate": mx.safe_div((w * (hh.guarantee_failure | ~hh.housing_safe)).sum(), w.sum()),
        }
        for k, name in enumerate(SPEND_CATEGORIES):
            row[f"spend_{name}_yuan"] = float(acc.spend_year[:, k].sum())
        self.annual_rows.append(row)
        self.last_annual = row

        # counties
        rr_c = mx.county_relapse(rel, fp, w, c, nc)
        pov_c = np.divide(np.bincount(c, weights=pw * poor_now, minlength=nc),
                          np.bincount(c, weights=pw, minlength=nc))
        inc_c = np.divide(np.bincount(c, weights=pw * disp_pc, minlength=nc),
                          np.bincount(c, weights=pw, minlength=nc))
        has_fp = np.bincount(c, weights=fp, minlength=nc) > 0
        thr = p.metrics.large_scale.county_threshold
        self.county_rows.append(pd.DataFrame({
            "year": self.year,
            "county": np.arange(nc),
            "county_type": np.array(population.COUNTY_TYPE_NAMES)[self.province.county_type],
            "relapse_rate": rr_c,
            "poverty_rate": pov_c,
            "income_pc_yuan": inc_c,
            "large_scale": has_fp & (rr_c >= thr),
            "monitoring_effort": acc.effort.copy(),
            "budget_yuan": acc.budget_yuan.copy(),
        }))
        # the province holds counties responsible for relapse
        self.province_gov.evaluate(acc, rr_c)

        self._prev_income_fpc, self._prev_income_all, self._prev_income_nonfpc = inc_fpc, inc_all, inc_nfpc
        hh.poor[:] = poor_now
        hh.net_income_pc[:] = net_pc
        for k in ("y_wage", "y_operating", "y_property", "y_transfer_public", "y_transfer_private", "y_rigid"):
            getattr(hh, k)[:] = 0.0
        hh.guarantee_failure[:] = False

    # ----------------------------------------------------------------------------------------

    def annual_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.annual_rows)

    def county_frame(self) -> pd.DataFrame:
        if not self.county_rows:
            return pd.DataFrame(columns=["year", "county", "county_type", "relapse_rate", "poverty_rate",
                                         "income_pc_yuan", "large_scale"])
        return pd.concat(self.county_rows, ignore_index=True)

    def monthly_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.monthly_rows)

    def summary(self) -> dict[str, Any]:
        hh = self.households
        w = hh.weight.astype(np.float64)
        fp = hh.formerly_poor
        return mx.summarise(
            self.annual_frame(), self.county_frame(), self.params.metrics.large_scale.county_threshold,
            relapse_cum_share=mx.safe_div((w * hh.ever_relapsed).sum(), (w * fp).sum()),
            new_poverty_cum_share=mx.safe_div((w * hh.ever_new_poor).sum(), (w * ~fp).sum()),
        )
