"""``RuralModel``: households, enterprises and governments of one province, monthly.

One step is one month. The step order (``step()`` follows it line by line):

1. **Calendar and policy** — the central government resolves the dated levers in force; prices,
   wages and productivity are indexed. In January the province allocates county budgets; in a
   historical run the 2016-2020 campaign's January instruments act, and in January 2021 the
   transition period starts (:mod:`model.campaign`).
2. **Markets and regional shocks** — county-industry log prices (AR(1) with county and
   industry-wide shocks), the migrant-demand index, county and village disasters.
3. **Household shocks** — drawn for *all* households whatever the policy (common random numbers):
   illness, disability, accidents, disaster losses and housing damage.
4. **Labour transitions** — local separations, ends of public-welfare posts, migrant job loss and
   finding (employment assistance raises finding).
5. **Market income** — wages, operating income (industrial support stock, contract premium and
   guaranteed price, disaster losses, rural-construction productivity), property and private
   transfers, microcredit interest.
6. **Public transfers and cost sharing** — pensions, dibao (enrolment and top-up), transition
   subsidies, medical reimbursement and assistance, September education costs and support,
   housing renovation.
7. **Consumption, savings and microcredit** — incomplete smoothing; borrowing covers shortfalls up
   to a credit limit; rigid needs that cannot be paid are three-guarantees failures.
8. **Monitoring and assistance (households)** — screening and self-reporting identify at-risk
   households in three categories; assistance by need and labour capacity; retroactive medical
   assistance for sudden hardship; risk elimination.
   Steps 3-8 run fused per household in :func:`model.kernel.household_month`.
9. **Government accounts** — county spending by category, budgets and the budget factor; rural
   construction.
10. **Enterprises** — profit from prices and support, exits (age hazard raised by losses; exits end
    jobs and contracts), entries (when expected profit with support is positive).
11. **Matching** — vacancies filled by local seekers (labour capacity first; campaign rules
    reserve hires for registered households), public-welfare posts, contract farming. New jobs
    pay from the next month.
12. **Monthly data collection**.
13. **December accounting** — annual per-capita net income, poverty, relapse and new poverty;
    county evaluation by the province; annual and county metrics; while the poverty register is
    kept (historical runs), the exit procedure and dynamic registration.
"""

from __future__ import annotations

import difflib
import functools
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import mesa
import numba
import numpy as np
import pandas as pd

from . import campaign, enterprises, households, kernel, matching, metrics, population, rng
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
from .params import Params, ParamsError, parameter_table
from .policy import month_index
from .processes import income, labour, monitoring, shocks

#: Smallest province (households) whose compiled steps run on several threads: below it, starting
#: the threads each month costs more than they save (measurements in benchmarks/CODE_NOTES.md).
#: An implementation switch, not a parameter: results are identical either way.
PARALLEL_MIN_HOUSEHOLDS = 50_000
#: Household accumulators whose month-on-month change is a watched household's income of the
#: month (yuan, whole household): name in the watch table -> household field.
WATCH_FLOWS = {"wage_yuan": "y_wage", "operating_yuan": "y_operating", "property_yuan": "y_property",
               "public_transfer_yuan": "y_transfer_public", "private_transfer_yuan": "y_transfer_private",
               "rigid_spending_yuan": "y_rigid"}
#: Household state recorded for watched households at the end of each month.
WATCH_STATE = ("emp_type", "n_workers", "ill_months", "labour_lost", "disaster_months", "housing_safe",
               "dibao", "mon_state", "mon_category", "aid_bits", "industry_stock", "income_est_pc",
               "savings_yuan", "debt_yuan", "hardship_months", "poor", "net_income_pc", "ever_relapsed")


class RuralModel(mesa.Model):
    """A province of households, enterprises and governments. See the module docstring for the
    numbered step order."""

    def __init__(self, params: Params | None = None, seed: int = 1, collect_monthly: bool = True,
                 parallel: bool | None = None):
        """Build the province.

        Args:
            params: parameters (defaults when None).
            seed: root seed of every random stream.
            collect_monthly: keep the monthly table.
            parallel: run the compiled steps on numba's threads; None decides by size
                (``PARALLEL_MIN_HOUSEHOLDS``). Results are identical either way.
        """
        super().__init__(rng=int(seed))
        self.params = params if params is not None else Params()
        self.seed = int(seed)
        self.streams = rng.Streams(self.seed)
        self.collect_monthly = collect_monthly
        p = self.params
        self.timings: dict[str, float] = {k: 0.0 for k in (
            "setup", "markets", "households", "governments", "enterprises", "labour",
            "accounting", "data_collection")}
        t0 = time.perf_counter()

        # prices of the start state relative to 2020 (identity from 2021; re-based for historical runs)
        self._price_base = campaign.price_base(p)
        self.province, self.households, market_2020, income_2020 = population.build(
            p, self.streams.population, self._price_base)
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
        self._fp_n = np.bincount(hh.county, weights=hh.formerly_poor, minlength=self.n_counties)
        self._real_hh = np.bincount(hh.county, weights=hh.weight, minlength=self.n_counties)
        self._hh_per_county = np.bincount(hh.county, minlength=self.n_counties).astype(np.float64)
        self._income_2020_hh_c = (np.bincount(hh.county, weights=hh.income_est_pc * hh.members,
                                              minlength=self.n_counties)
                                  / np.maximum(self._hh_per_county, 1))

        # markets
        self.log_price = np.zeros((self.n_counties, self.n_industries))
        self.price_rel = np.ones((self.n_counties, self.n_industries))
        self.main_industry = int(np.bincount(pv.village_product.astype(np.int64),
                                             minlength=self.n_industries).argmax())
        # 2020 figures are annual means (mid-2020 levels); January 2021 is half a year later
        lv0 = self.central.levers(self.year, 1)
        base = self._price_base
        self.wage_index = base.wage * (1.0 + lv0.urban_income_growth * p.macro.wage_elasticity) ** 0.5
        self.productivity_index = base.productivity * ((1.0 + p.income.productivity_growth_year)
                                                       * (1.0 + lv0.inflation)) ** 0.5
        self.central.cpi = base.cpi * (1.0 + lv0.inflation) ** 0.5
        self.migrant_demand = 1.0

        # shocks: illness risk normalised so the mean incidence equals shocks.illness.p_year (H1)
        ill = p.shocks.illness
        rr = (np.where(hh.chronic, ill.chronic_multiplier, 1.0)
              * np.where(hh.n_elderly > 0, ill.elderly_multiplier, 1.0))
        self._illness_norm = float(np.average(rr, weights=hh.weight))
        # households are stored in contiguous county blocks: the kernel runs county by county
        if np.any(np.diff(hh.county) < 0):
            raise ValueError("households must be sorted by county")
        self._county_start = np.searchsorted(hh.county, np.arange(self.n_counties + 1)).astype(np.int64)
        self._hh_tuple = hh.as_tuple()
        # threads pay off only for large provinces; results are the same either way
        if parallel is None:
            parallel = hh.n >= PARALLEL_MIN_HOUSEHOLDS and numba.get_num_threads() > 1
        self._parallel = bool(parallel)
        self._village_product = pv.village_product.astype(np.int64)
        self._village_county = pv.village_county.astype(np.int64)
        self._employees: np.ndarray | None = None  # per enterprise, counted by the month's kernel

        # enterprises
        self.enterprise_registry = enterprises.EnterpriseRegistry(capacity=1024)
        self.enterprise_agents: dict[int, enterprises.Enterprise] = {}
        self._village_start = (np.arange(self.n_counties) * p.population.villages_per_county).astype(np.int64)
        self._enterprise_base_counts = enterprises.initial_counts(p, pv.county_type, pv.county_weight)
        counts = self.streams.enterprise.poisson(self._enterprise_base_counts)
        county = np.repeat(np.repeat(np.arange(self.n_counties), 4), counts.ravel())
        kind = np.repeat(np.tile(np.arange(4), self.n_counties), counts.ravel())
        self._add_enterprises(county, kind, initial=True)

        # initial local jobs, contracts and public-welfare posts
        lv = self.central.levers(self.year, 1)
        self.levers = lv
        self._matching(lv, None, p_match=1.0)
        population.split_market_income(p, hh, market_2020, income_2020, pv.fp_county, self._price_base)
        # the campaign's register (historical runs): registered households still below the line
        self.register = campaign.Register(hh.n)
        if p.sim.historical:
            self.register.on_register[:] = hh.formerly_poor & hh.poor
        # contract farming needs the operating base, known once income is split
        self._matching(lv, None, p_match=1.0)
        self._employees = None

        # year state
        self._budget_for_year(lv)
        self.annual_rows: list[dict[str, Any]] = []
        self.county_rows: list[pd.DataFrame] = []
        self.monthly_rows: list[dict[str, Any]] = []
        self._prev_income = {"fpc": pv.income_pc_fpc_2020_yuan, "all": pv.income_pc_2020_yuan}
        self._prev_ratio = metrics.safe_div(pv.income_pc_fpc_2020_yuan, pv.income_pc_nonfpc_2020_yuan)
        self.datacollector = mesa.DataCollector(model_reporters={
            "poverty_rate": lambda m: m.last_annual.get("poverty_rate", 0.0),
            "relapse_rate": lambda m: m.last_annual.get("relapse_rate", 0.0),
            "monitored_households": lambda m: m.last_month.get("n_monitored", 0.0),
            "enterprises": lambda m: m.last_month.get("enterprises", 0.0),
        })
        self.last_annual: dict[str, Any] = {}
        self.last_month: dict[str, Any] = {}
        self.policy_changes: list[dict[str, Any]] = []
        self._watch_rows = np.empty(0, dtype=np.int64)
        self._watch_log: list[dict[str, np.ndarray]] = []
        self.running = True
        self.timings["setup"] = time.perf_counter() - t0

    # ----------------------------------------------------------------------------------------
    # helpers
    # ----------------------------------------------------------------------------------------

    def poverty_line_yuan(self) -> float:
        """The poverty line of the current year (yuan/person/year): the dated line in force before
        2021 (``history.poverty_line_yuan``), then ``poverty_line_2020_yuan`` indexed with prices."""
        if self.year <= 2020:
            return float(self.params.history.poverty_line_yuan.at_year(self.year))
        return self.params.poverty_line_2020_yuan * self.central.cpi

    def _campaign_january(self, lv: Levers) -> None:
        """January of a historical run up to 2020: campaign instruments while they are on (the
        campaign ends with 2020 whatever its levers say later); in 2021 the start of the transition
        period (:mod:`model.campaign`)."""
        tk = self.params.policy.tackling
        if self.year == 2021:
            campaign.start_transition(self.households, self.register, lv.threshold_yuan)
            return
        targeted = tk.targeted_assistance.at_year(self.year)
        relocation = tk.relocation_share.at_year(self.year)
        campaign.january(self.households, self.register, self.params, targeted, relocation, self.streams.campaign)

    def _campaign_december(self, net_pc: np.ndarray, line: float) -> None:
        """Exit procedure and dynamic registration; registered counts follow new registrations."""
        hh = self.households
        if campaign.december(hh, self.register, net_pc, line, self.params.tackling.exit_income_margin, self.year):
            self._fp_real = np.bincount(hh.county, weights=hh.weight * hh.formerly_poor, minlength=self.n_counties)
            self._fp_n = np.bincount(hh.county, weights=hh.formerly_poor, minlength=self.n_counties)

    def cpi_at_start_of(self, year: int) -> float:
        """Consumer price index at the start of ``year`` (1 at the start of ``sim.start_year``)."""
        if year <= self.params.sim.start_year:
            return 1.0
        return self._cpi_history.get(year, self.central.cpi)

    @property
    def fp_county_mask(self) -> np.ndarray:
        return self.province.fp_county

    @property
    def next_month_abs(self) -> int:
        """Absolute month index (``year * 12 + month - 1``) of the next month :meth:`step` simulates."""
        return month_index(self.params.sim.start_year) + self.month

    def change_policy(self, changes: dict[str, float], from_month_abs: int | None = None) -> Params:
        """Change dated levers during a run ("withdraw support now").

        From ``from_month_abs`` (default: the next month to simulate) each lever in ``changes``
        takes the value given; its schedule before that month is kept and its later change points
        are dropped (:meth:`model.policy.Schedule.with_value_from`). Only dated levers (policy,
        macro paths, the disaster stress) can change: static parameters shaped the province at
        set-up. Nothing is simulated again, so the months already run keep their outcomes.

        Args:
            changes: dotted lever path -> value in force from ``from_month_abs``.
            from_month_abs: absolute month index; not before the next month to simulate.

        Returns:
            The new parameters (also ``self.params``). Each change is appended to
            ``self.policy_changes``.

        Raises:
            ParamsError: listing every bad path, month or value; nothing changes then.
        """
        start = self.next_month_abs if from_month_abs is None else int(from_month_abs)
        problems = []
        if start < self.next_month_abs:
            problems.append(f"change_policy: month {start} is before the next month to simulate "
                            f"({self.next_month_abs}); the past cannot change")
        levers = _lever_paths()
        overrides = {}
        for path, value in changes.items():
            if path not in levers:
                hints = difflib.get_close_matches(path, sorted(levers), n=3, cutoff=0.5)
                hint = f"; did you mean {', '.join(map(repr, hints))}?" if hints else ""
                problems.append(f"change_policy: '{path}' is not a dated lever (only schedules such as "
                                f"'policy.assistance.industrial.intensity' change during a run){hint}")
                continue
            try:
                overrides[path] = self.params.get(path).with_value_from(start, value)
            except ValueError as exc:
                problems.append(f"change_policy: {path} = {value!r}: {exc}")
        if problems:
            raise ParamsError(problems)
        # the province is built: rules of the initial state (model.feasibility) no longer apply
        new = self.params.with_overrides(overrides, origin="change_policy", cross_field=False)
        self.params = new
        self.central.params = new
        self.province_gov.params = new
        year, month = divmod(start, 12)
        for path, value in changes.items():
            self.policy_changes.append({"year": year, "month": month + 1, "lever": path, "value": float(value)})
        return new

    def watch(self, indices) -> None:
        """Follow households month by month (for teaching and the app): from the next month on,
        each step records, for every watched household, the month's income by component (the
        change of the year's accumulators, yuan) and its state (shocks, monitoring, assistance,
        poverty). Reading only: results are the same with or without watching.

        Args:
            indices: household rows; replaces any earlier watch list (the records so far stay).
        """
        rows = np.unique(np.asarray(indices, dtype=np.int64))
        if rows.size and (rows[0] < 0 or rows[-1] >= self.households.n):
            raise IndexError(f"watched households must be in 0..{self.households.n - 1}")
        self._watch_rows = rows

    def watched_frame(self) -> pd.DataFrame:
        """One row per watched household and month: ``year``, ``month``, ``household``, the income
        components of the month (``WATCH_FLOWS``, yuan per household) and the state at the end of
        the month (``WATCH_STATE``; ``poor`` and ``net_income_pc`` are of the last December)."""
        cols = ["year", "month", "household", *WATCH_FLOWS, *WATCH_STATE]
        if not self._watch_log:
            return pd.DataFrame(columns=cols)
        parts = [pd.DataFrame(rec) for rec in self._watch_log]
        return pd.concat(parts, ignore_index=True)[cols]

    def _watch_before(self) -> dict[str, np.ndarray] | None:
        if not self._watch_rows.size:
            return None
        hh = self.households
        return {name: getattr(hh, field)[self._watch_rows].astype(np.float64) for name, field in WATCH_FLOWS.items()}

    def _watch_after_households(self, before: dict[str, np.ndarray] | None) -> dict[str, np.ndarray] | None:
        if before is None:
            return None
        hh = self.households
        return {name: getattr(hh, field)[self._watch_rows] - before[name] for name, field in WATCH_FLOWS.items()}

    def _watch_record(self, flows: dict[str, np.ndarray] | None, cal_month: int) -> None:
        if flows is None:
            return
        hh = self.households
        rows = self._watch_rows
        rec: dict[str, np.ndarray] = {"year": np.full(rows.size, self.year), "month": np.full(rows.size, cal_month),
                                      "household": rows.copy(), **flows}
        for name in WATCH_STATE:
            rec[name] = getattr(hh, name)[rows].copy()
        self._watch_log.append(rec)

    def _add_enterprises(self, county: np.ndarray, kind: np.ndarray, initial: bool = False) -> None:
        if len(county) == 0:
            return
        pv = self.province
        cols = enterprises.new_enterprise_columns(
            self.params, self.streams.enterprise, county, kind, self._village_start,
            self.params.population.villages_per_county, pv.village_product, pv.county_industries,
            pv.county_weight)
        if initial:
            # existing firms have ages spread over the hazard profile
            cols["age_months"] = self.streams.enterprise.integers(0, 120, size=len(county)).astype(np.int16)
        rows = self.enterprise_registry.add(**cols)
        for r in rows:
            self.enterprise_agents[int(r)] = enterprises.Enterprise(self, int(r))

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
        if cal_month == 1 and self.params.sim.historical and self.year <= 2021:
            self._campaign_january(lv)
        # 2. markets and regional shocks
        self._markets(lv)
        village_loss = self._disasters(lv)
        t = self._tick("markets", t)
        # 3-8. households (fused kernel)
        watch_before = self._watch_before()
        sums = self._households_month(lv, cal_month, village_loss)
        watch_flows = self._watch_after_households(watch_before)
        t = self._tick("households", t)
        # 9. government accounts, budgets, rural construction
        self._accounts(sums, cal_month)
        self._construction()
        t = self._tick("governments", t)
        # 10. enterprises
        self._enterprises(lv)
        t = self._tick("enterprises", t)
        # 11. matching: local jobs, public-welfare posts, contracts
        self._matching(lv, sums, p_match=self.params.labour.p_local_match_month)
        t = self._tick("labour", t)
        # 12. monthly data collection
        if self.collect_monthly:
            self._collect_month(lv, cal_month, sums)
        t = self._tick("data_collection", t)
        # 13. December accounting
        if cal_month == 12:
            self._december(lv)
            t = self._tick("accounting", t)
        self._watch_record(watch_flows, cal_month)
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
        stream = self.streams.prices
        z_ci = stream.standard_normal((self.n_counties, self.n_industries))
        z_i = stream.standard_normal(self.n_industries)
        self.log_price += (-pr.mean_reversion_month * self.log_price
                           + pr.log_price_sd_month * z_ci + pr.industry_shock_sd_month * z_i[None, :])
        self.price_rel = np.exp(self.log_price)
        self.price_rel[:, self.main_industry] *= lv.price_level
        self.migrant_demand = lv.migrant_demand

    # 2-8. ------------------------------------------------------------------------------------

    def _disasters(self, lv: Levers) -> np.ndarray:
        """County disasters (plus any stress test) hit a share of their villages; returns the share
        of operating income each village loses per month (0 where not hit)."""
        d = self.params.shocks.disaster
        stream = self.streams.disaster
        u_c = stream.random(self.n_counties)
        u_v = stream.random(self.n_villages)
        z_v = stream.standard_normal(self.n_villages)
        p_county = 1.0 - (1.0 - shocks.monthly_probability.py_func(d.p_county_year)) * (1.0 - lv.disaster_stress)
        county_hit = u_c < p_county
        village_hit = county_hit[self.province.village_county] & (u_v < d.village_hit_share)
        sd = d.crop_loss_sigma
        severity = d.crop_loss_mean * np.exp(sd * z_v - 0.5 * sd * sd)
        return kernel.village_crop_loss(village_hit, severity)

    def _month_inputs(self, lv: Levers, cal_month: int) -> kernel.MonthInputs:
        p = self.params
        sh = p.shocks
        inc = p.income
        tr = p.transfers
        a = p.assistance
        lab = p.labour
        fin = p.finance
        cpi = self.central.cpi
        keys = {f"k_{name}": rng.stream_key(self.seed, sid) for name, sid in (
            ("illness", rng.S_ILLNESS), ("disability", rng.S_DISABILITY), ("accident", rng.S_ACCIDENT),
            ("housing", rng.S_HOUSING), ("operating", rng.S_OPERATING), ("labour", rng.S_LABOUR),
            ("monitoring", rng.S_MONITORING), ("behaviour", rng.S_BEHAVIOUR))}
        return kernel.MonthInputs(
            month_abs=int(self.params.sim.start_year * 12 + self.month), september=cal_month == 9, cpi=float(cpi),
            **keys,
            p_illness_year=float(sh.illness.p_year * lv.illness_multiplier / self._illness_norm),
            chronic_multiplier=float(sh.illness.chronic_multiplier),
            elderly_multiplier=float(sh.illness.elderly_multiplier),
            illness_cost_mean=float(sh.illness.cost_mean_yuan * cpi), illness_cost_sigma=float(sh.illness.cost_sigma),
            illness_months=int(sh.illness.duration_months), carer_labour=float(sh.illness.carer_labour),
            p_disability_month=float(shocks.monthly_probability.py_func(sh.disability.p_year)),
            p_accident_month=float(shocks.monthly_probability.py_func(sh.accident.p_year)),
            accident_cost_mean=float(sh.accident.cost_mean_yuan * cpi),
            accident_cost_sigma=float(sh.accident.cost_sigma), accident_months=int(sh.accident.labour_months),
            p_housing_damage=float(sh.disaster.p_housing_damage), disaster_loss_months=int(sh.disaster.loss_months),
            hardship_months=int(p.monitoring.hardship_months),
            education_cost_pc=float(sh.education.cost_per_child_yuan * cpi),
            p_migrant_loss=float(min(lab.p_migrant_loss_month / max(lv.migrant_demand, 0.05), 1.0)),
            p_migrant_find=float(lab.p_migrant_find_month * lv.migrant_demand), find_boost=float(a.find_boost),
            p_local_separation=float(lab.p_local_separation_month), p_post_end=float(lab.p_public_post_loss_month),
            wage_local=float(inc.wage_local_month_2020_yuan * self.wage_index),
            wage_migrant=float(inc.wage_migrant_month_2020_yuan * self.wage_index),
            wage_post=float(inc.wage_public_post_month_2020_yuan * cpi),
            productivity_index=float(self.productivity_index), wage_index=float(self.wage_index),
            operating_sd=float(inc.operating_noise_sd), contract_premium=float(inc.contract_premium),
            support_rate=float(1.0 / a.support_adjust_months), industrial=float(lv.industrial),
            interest_supported=float(fin.interest_supported_year), interest_market=float(fin.interest_market_year),
            transition_subsidy_on=bool(lv.transition_subsidy > 0),
            pension_pp_month=float(tr.pension_month_2020_yuan * cpi),
            transition_pc_month=float(tr.transition_subsidy_pc_year_2020_yuan * cpi * lv.transition_subsidy / 12.0),
            dibao_line=float(lv.dibao_line_yuan), dibao_entry_bonus=float(tr.dibao_entry_bonus * lv.social),
            dibao_for_all=bool(lv.dibao_for_all), dibao_take_up=float(tr.dibao_take_up),
            dibao_exit_margin=float(tr.dibao_exit_margin), medical_inclusive=float(lv.medical_inclusive),
            medical_preferential=float(lv.medical_preferential),
            medical_assistance_share=float(tr.medical_assistance_share * min(lv.social, 1.0)),
            education_support_share=float(tr.education_support_share * min(max(lv.transition_subsidy, lv.social), 1.0)),
            p_repair_self=float(p.housing.p_repair_self_month),
            p_repair_assisted=float(p.housing.p_repair_assisted_month),
            renovation_cost=float(p.housing.renovation_cost_yuan * cpi),
            consumption_share=float(fin.consumption_share), passthrough=float(fin.consumption_passthrough),
            credit_supported=float(fin.credit_limit_supported_yuan * cpi),
            credit_other=float(fin.credit_limit_other_yuan * cpi),
            monitoring_enabled=bool(lv.monitoring_enabled), responsive=bool(lv.responsive),
            coverage=float(lv.coverage), threshold=float(lv.threshold_yuan),
            p_screen=float(p.monitoring.p_screen_month), p_self_report=float(p.monitoring.p_self_report_month),
            hardship_share=float(p.monitoring.hardship_expense_share),
            stable_months_needed=int(p.monitoring.stable_months_to_eliminate),
            smoothing=float(1.0 / p.monitoring.income_smoothing_months), employment=float(lv.employment),
            cost_industrial=float(a.cost_industrial_month_yuan * cpi),
            cost_employment=float(a.cost_employment_month_yuan * cpi),
        )

    def _households_month(self, lv: Levers, cal_month: int, village_loss: np.ndarray) -> np.ndarray:
        """Steps 3-8 for all households; returns the per-county sums (``kernel.COLUMNS``)."""
        acc = self.accounts
        out = np.zeros((self.n_counties, len(kernel.COLUMNS)))
        self._employees = np.zeros(self.enterprise_registry.n, dtype=np.int64)
        month_fn = kernel.household_month if self._parallel else kernel.household_month_serial
        month_fn(
            self._hh_tuple, self._month_inputs(lv, cal_month), self._county_start, self.price_rel,
            self._village_product, village_loss, acc.budget_factor, acc.effort,
            acc.construction_effect, rng.NORMAL_TABLE, out, self._employees)
        return out

    def _accounts(self, sums: np.ndarray, cal_month: int) -> None:
        """Record the month's spending by county and update the budget factor: the share of the
        planned assistance (industrial, employment, posts) the rest of the year's budget can pay."""
        acc = self.accounts
        n_spend = kernel.N_SPEND_COLUMNS
        acc.spend_year[:, :n_spend] += sums[:, :n_spend]
        acc.spend_total[:, :n_spend] += sums[:, :n_spend]
        col = kernel.COL
        spent = sums[:, col["industrial_assistance"]] + sums[:, col["employment_assistance"]] \
            + sums[:, col["public_posts"]]
        acc.remaining_yuan -= spent
        months_left = 12 - cal_month + 1
        assist_budget = np.maximum(acc.remaining_yuan * (1.0 - self.params.government.construction_share), 0.0)
        planned = np.maximum(spent, 1e-9) * months_left
        acc.budget_factor = np.clip(assist_budget / planned, 0.0, 1.0)

    # 10. --------------------------------------------------------------------------------------

    def _enterprises(self, lv: Levers) -> None:
        reg = self.enterprise_registry
        e = self.params.enterprises
        stream = self.streams.enterprise
        n = reg.n
        alive = reg.view("alive")
        county = reg.view("county").astype(np.int64)
        industry = reg.view("industry").astype(np.int64)
        price = self.price_rel[county, industry]
        support = e.support_share * lv.enterprise_support
        pr = enterprises.profit_rate(reg.view("margin"), price, support)
        ema = reg.view("profit_ema")
        ema[:] = (1 - e.profit_smoothing_weight) * ema + e.profit_smoothing_weight * pr
        reg.view("age_months")[:] += alive.astype(np.int16)
        # support paid (cost of firms: wages are enterprises.wage_cost_share of costs)
        wage_local = self.params.income.wage_local_month_2020_yuan * self.wage_index
        cost = reg.view("jobs_cap") * wage_local / e.wage_cost_share
        self.accounts.record("enterprise_support", county[alive], (cost * support * reg.view("weight"))[alive],
                             self.n_counties)
        # exits
        u = stream.random(n)
        h = enterprises.hazard_month(reg.view("age_months"), e.hazard_by_age, ema < 0, e.loss_hazard_multiplier)
        exit_ = alive & (u < h)
        if exit_.any():
            rows = np.flatnonzero(exit_)
            alive[rows] = False
            self._release_links(rows)
            reg.contracts_used[rows] = 0
            if self._employees is not None:
                self._employees[rows] = 0
            for r in rows:
                agent = self.enterprise_agents.pop(int(r), None)
                if agent is not None:
                    agent.remove()
        # entries: rate scales with expected profit of an entrant (with support) relative to the
        # profit of an average entrant under full support; the campaign raises paired-firm entry
        mean_price = self.price_rel.mean(axis=1)
        expected = e.margin_mean + (mean_price - 1.0) + support
        scale = np.clip(expected / max(e.margin_mean + e.support_share, 1e-6), 0.0, 2.0)
        rate = self._enterprise_base_counts * (e.entry_rate_year / 12.0) * scale[:, None]
        rate[:, enterprises.PAIRED] *= 1.0 + (e.campaign_entry_multiplier - 1.0) * lv.campaign
        new = stream.poisson(rate)
        if new.any():
            c = np.repeat(np.repeat(np.arange(self.n_counties), 4), new.ravel())
            k = np.repeat(np.tile(np.arange(4), self.n_counties), new.ravel())
            self._add_enterprises(c, k)

    def _release_links(self, rows: np.ndarray) -> None:
        """Households employed by, or contracted to, the enterprises ``rows`` lose those links."""
        gone = np.zeros(self.enterprise_registry.n + 1, dtype=bool)  # the last entry is read by the link -1
        gone[rows] = True
        matching.release_links(self._hh_tuple, self._county_start, gone, parallel=self._parallel)

    def compile_kernels(self) -> None:
        """Compile (or load from the cache) the kernels that only rare events call — the release of
        a closing enterprise's links — so that a timed run pays for none of them. Changes nothing."""
        self._release_links(np.empty(0, dtype=np.int64))

    def _flags_from_state(self) -> None:
        """Matching flags computed from state (before the first month; later the kernel sets them)."""
        hh = self.households
        avail = hh.labour_units - hh.labour_lost
        job = (hh.emp_type == income.EMP_NONE) & (avail >= 0.5)
        mon_emp = (hh.mon_state == monitoring.MON_ACTIVE) & ((hh.aid_bits & monitoring.AID_EMPLOYMENT) > 0)
        hh.seek_flags[:] = (np.where(job, households.SEEK_JOB, 0)
                            | np.where(job & (hh.formerly_poor | mon_emp), households.SEEK_POST, 0)
                            | np.where((hh.contract < 0) & (hh.op_base_year > 0), households.SEEK_CONTRACT, 0)
                            | np.where(mon_emp, households.MON_EMPLOYMENT, 0))

    def _matching(self, lv: Levers, sums: np.ndarray | None, p_match: float) -> None:
        """Step 11: the month's open slots — enterprise vacancies, public-welfare posts, contract
        farming — go to the best candidates of their group (see :func:`matching.select_top_k`)."""
        hh = self.households
        reg = self.enterprise_registry
        n_ind = self.n_industries
        nc = self.n_counties
        if sums is None:
            self._flags_from_state()
        key = rng.stream_key(self.seed, rng.S_MATCHING)
        # set-up (sums is None) matches in December of the year before the start
        month = int(self.params.sim.start_year * 12 + (self.month if sums is not None else -1))
        # local enterprise jobs: labour capacity first, campaign reserve for registered households
        slots = self._job_slots(p_match)
        won, slot = self._select(households.SEEK_JOB, matching.GROUP_COUNTY, matching.PRIO_JOB, slots,
                                 reg.county[slots].astype(np.int64), nc,
                                 self.params.enterprises.fp_hiring_share * lv.campaign, key, month,
                                 matching.SLOT_JOBS)
        hh.emp_type[won] = income.EMP_LOCAL
        hh.employer[won] = slot
        hh.n_workers[won] = np.maximum(hh.n_workers[won], 1)
        hh.seek_flags[won] &= np.uint8(~(households.SEEK_JOB | households.SEEK_POST) & 0xFF)
        np.add.at(self._employees, slot, 1)
        # public-welfare posts: monitored households in employment assistance first
        open_posts = self._post_slots(lv, sums)
        posts = np.repeat(np.arange(nc), open_posts)
        won, _ = self._select(households.SEEK_POST, matching.GROUP_COUNTY, matching.PRIO_POST, posts, posts, nc, 0.0,
                              key, month, matching.SLOT_POSTS)
        hh.emp_type[won] = income.EMP_POST
        hh.n_workers[won] = 1
        hh.seek_flags[won] &= np.uint8(~(households.SEEK_JOB | households.SEEK_POST) & 0xFF)
        # contract farming: at random among households growing the product, village or county wide
        v_rows, v_group, c_rows, c_group = self._contract_slots(p_match)
        for rows, group, kind, n_groups, slot_no in (
                (v_rows, v_group, matching.GROUP_VILLAGE, self.n_villages, matching.SLOT_VILLAGE_CONTRACTS),
                (c_rows, c_group, matching.GROUP_COUNTY_INDUSTRY, nc * n_ind, matching.SLOT_COUNTY_CONTRACTS)):
            won, slot = self._select(households.SEEK_CONTRACT, kind, matching.PRIO_RANDOM, rows, group, n_groups, 0.0,
                                     key, month, slot_no)
            hh.contract[won] = slot
            hh.seek_flags[won] &= np.uint8(~households.SEEK_CONTRACT & 0xFF)
            np.add.at(reg.contracts_used, slot, 1)

    def _select(self, bit: int, group_kind: int, prio_kind: int, slots: np.ndarray, slot_group: np.ndarray,
                n_groups: int, reserve: float, key, month: int, draw_slot: int) -> tuple[np.ndarray, np.ndarray]:
        """Winners and the slots they take: the k-th best candidate of a group takes the group's
        k-th slot (slots in input order)."""
        hh = self.households
        if len(slots) == 0:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty
        k = np.bincount(slot_group, minlength=n_groups).astype(np.int64)
        rows, groups, ranks = matching.select_top_k(
            hh.seek_flags, bit, group_kind, self._county_start, hh.county, hh.village, self._village_product,
            self.n_industries, k, prio_kind, hh.labour_units, hh.labour_lost, hh.formerly_poor, float(reserve), key,
            month, draw_slot, parallel=self._parallel, village_county=self._village_county)
        order = np.argsort(slot_group, kind="stable")
        start = np.concatenate(([0], np.cumsum(k)[:-1]))
        return rows, slots[order[start[groups] + ranks]]

    def _job_slots(self, p_match: float) -> np.ndarray:
        """Enterprise rows, one per vacancy filled this month (each open job is filled with
        ``p_match``, raised by rural construction's better access)."""
        reg = self.enterprise_registry
        hh = self.households
        n = reg.n
        employed = np.zeros(n, dtype=np.int64)
        if self._employees is None:  # set-up: count once
            employed[:] = np.bincount(hh.employer[hh.employer >= 0], minlength=n)[:n]
        else:  # counted by the month's kernel; enterprises that entered since have none
            employed[: len(self._employees)] = self._employees
        self._employees = employed
        vac = np.where(reg.view("alive"), np.maximum(reg.view("jobs_cap") - employed, 0), 0)
        access = 1.0 + self.accounts.construction_effect[reg.view("county").astype(np.int64)]
        vac = self.streams.labour.binomial(vac, np.minimum(p_match * access, 1.0))
        return np.repeat(np.arange(n), vac)

    def _post_slots(self, lv: Levers, sums: np.ndarray | None) -> np.ndarray:
        """Public-welfare posts per county: a share of registered households (J9) scaled by the
        employment-assistance lever and the county's budget factor, plus posts for monitored
        households in employment assistance. Surplus holders lose posts at random. Returns the
        open posts per county."""
        hh = self.households
        a = self.params.assistance
        nc = self.n_counties
        c = hh.county
        if sums is None:
            mon_emp = (hh.mon_state == monitoring.MON_ACTIVE) & ((hh.aid_bits & monitoring.AID_EMPLOYMENT) > 0)
            mon_n = np.bincount(c, weights=mon_emp & ~hh.formerly_poor, minlength=nc)
            held = np.bincount(c, weights=hh.emp_type == income.EMP_POST, minlength=nc).astype(np.int64)
        else:
            mon_n = sums[:, kernel.COL["N_monitored_employment_nonfp"]]
            held = np.rint(sums[:, kernel.COL["N_post_holders"]]).astype(np.int64)
        posts = np.floor(a.public_post_share_fp * lv.employment * self.accounts.budget_factor
                         * (self._fp_n + mon_n) + 0.5).astype(np.int64)
        surplus = held - posts
        if (surplus > 0).any():
            holders = matching.rows_with_value(hh.emp_type, income.EMP_POST, self._county_start, surplus > 0)
            cuts = np.repeat(np.arange(nc), np.maximum(surplus, 0))
            si, _ = labour.match_within_groups(c[holders], self.streams.labour.random(len(holders)), cuts, nc)
            hh.emp_type[holders[si]] = income.EMP_NONE
            held = np.minimum(held, posts)
        return np.maximum(posts - held, 0)

    def _contract_slots(self, p_match: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Open contract-farming slots filled this month: village-level ones (cooperatives,
        workshops, paired firms take households of their village growing their product) and
        county-level ones (leading firms take households of the county growing their industry).
        Returns ``(village_rows, village_groups, county_rows, county_industry_groups)``."""
        reg = self.enterprise_registry
        n = reg.n
        empty = np.empty(0, dtype=np.int64)
        open_ = np.where(reg.view("alive"), np.maximum(reg.view("contracts_cap") - reg.view("contracts_used"), 0), 0)
        if open_.sum() == 0:
            return empty, empty, empty, empty
        open_ = self.streams.enterprise.binomial(open_, p_match)
        rows = np.repeat(np.arange(n), open_)
        village_level = reg.kind[rows] != enterprises.LEADING
        v_slot = reg.village[rows].astype(np.int64)
        v_ok = village_level & (self.province.village_product[np.maximum(v_slot, 0)] == reg.industry[rows])
        c_slot = reg.county[rows].astype(np.int64) * self.n_industries + reg.industry[rows]
        return rows[v_ok], v_slot[v_ok], rows[~village_level], c_slot[~village_level]

    def _construction(self) -> None:
        """Rural construction: the construction share of each county's budget accumulates as a
        stock per household; its productivity effect follows with a lag."""
        g = self.params.government
        acc = self.accounts
        monthly = acc.budget_yuan * g.construction_share / 12.0
        acc.record_county("rural_construction", monthly)
        acc.remaining_yuan -= monthly
        acc.construction_stock_yuan += monthly / np.maximum(self._real_hh, 1.0)
        target = g.construction_elasticity * acc.construction_stock_yuan / np.maximum(self._income_2020_hh_c, 1.0)
        acc.construction_effect += (target - acc.construction_effect) / g.construction_lag_months

    # 12. --------------------------------------------------------------------------------------

    def _collect_month(self, lv: Levers, cal_month: int, sums: np.ndarray) -> None:
        """One row of the monthly table from the kernel's county sums (no pass over households):
        counts are of real households at the end of the month's household step."""
        tot = sums.sum(axis=0)
        col = kernel.COL
        reg = self.enterprise_registry
        alive = reg.view("alive")
        row = {"year": self.year, "month": cal_month}
        for name in ("n_monitored", "n_newly_identified", "n_assisted", "n_migrant", "n_local_job",
                     "n_public_post", "n_dibao"):
            row[name] = float(tot[col[name]])
        row["income_est_pc_fp_yuan"] = metrics.safe_div(tot[col["income_est_fp_sum"]], tot[col["fp_weight"]])
        row["enterprises"] = float(reg.view("weight")[alive].sum())
        row["migrant_demand"] = lv.migrant_demand
        row["price_main_industry"] = float(self.price_rel[:, self.main_industry].mean())
        row["cpi"] = self.central.cpi
        row["fiscal_cost_month_yuan"] = float(tot[: kernel.N_SPEND_COLUMNS].sum())
        self.monthly_rows.append(row)
        self.last_month = row
        self.datacollector.collect(self)

    # 13. --------------------------------------------------------------------------------------

    def _december(self, lv: Levers) -> None:
        """Annual accounting (definitions in :mod:`model.metrics`): one kernel pass over households
        gives per-county sums; the province's rows and the county table follow from them."""
        hh = self.households
        p = self.params
        nc = self.n_counties
        line = self.poverty_line_yuan()
        net_pc = np.empty(hh.n, dtype=np.float32)
        disp_pc = np.empty(hh.n, dtype=np.float32)
        d = np.zeros((nc, len(kernel.DEC_COLUMNS)))
        december_fn = kernel.household_december if self._parallel else kernel.household_december_serial
        december_fn(self._hh_tuple, self._county_start, float(line),
                                  bool(p.income.expenditure_deduction), bool(p.metrics.three_guarantees_check),
                                  net_pc, disp_pc, d)
        if p.sim.historical:
            campaign.track_exiters(hh, self.register, self.year)
            if p.policy.tackling.registration.at_year(self.year, 12) >= 0.5:
                self._campaign_december(net_pc, line)
        pw = hh.weight.astype(np.float64) * hh.members
        net_order, disp_order = self._sorted_orders(net_pc, disp_pc)
        median = metrics.weighted_quantile(net_pc, pw, 0.5, net_order)
        rel_poor = kernel.persons_below_by_county(net_pc, pw, p.metrics.relative_poverty_share * median,
                                                  self._county_start).sum()
        acc = self.accounts
        reg = self.enterprise_registry
        row = {"year": self.year}
        row.update(metrics.annual_outcomes(
            d, kernel.DEC, self.province.fp_county, self._prev_income,
            {"gdp_growth_real": lv.gdp_growth_real, "inflation": lv.inflation,
             "urban_income_growth": lv.urban_income_growth},
            rel_poor, metrics.weighted_gini(disp_pc, pw, disp_order)))
        row.update({
            "fiscal_cost_yuan": float(acc.spend_year.sum()),
            "transfer_spending_yuan": float(sum(acc.spend_year[:, SPEND[k]].sum() for k in TRANSFER_CATEGORIES)),
            "enterprises": float(reg.view("weight")[reg.view("alive")].sum()),
            "poverty_line_yuan": line,
            "monitoring_threshold_yuan": lv.threshold_yuan,
            "income_growth_fpc_real": (1.0 + row["income_growth_fpc"]) / (1.0 + lv.inflation) - 1.0,
            "income_ratio_fpc_nonfpc": metrics.safe_div(row["income_pc_fpc_yuan"], row["income_pc_nonfpc_yuan"]),
            # (1 + growth in formerly poor counties) / (1 + growth in never-poor counties) - 1
            "income_growth_premium_fpc": metrics.growth(
                metrics.safe_div(row["income_pc_fpc_yuan"], row["income_pc_nonfpc_yuan"]), self._prev_ratio),
            **campaign.annual_columns(hh, self.register, pw),
        })
        for k, name in enumerate(SPEND_CATEGORIES):
            row[f"spend_{name}_yuan"] = float(acc.spend_year[:, k].sum())
        self.annual_rows.append(row)
        self.last_annual = row

        counties = metrics.county_outcomes(d, kernel.DEC, p.metrics.large_scale.county_threshold)
        self.county_rows.append(pd.DataFrame({
            "year": self.year,
            "county": np.arange(nc),
            "county_type": np.array(population.COUNTY_TYPE_NAMES)[self.province.county_type],
            **counties,
            "monitoring_effort": acc.effort.copy(),
            "budget_yuan": acc.budget_yuan.copy(),
        }))
        # the province holds counties responsible for relapse
        self.province_gov.evaluate(acc, counties["relapse_rate"])
        self._prev_income = {"fpc": row["income_pc_fpc_yuan"], "all": row["income_pc_mean_yuan"]}
        self._prev_ratio = row["income_ratio_fpc_nonfpc"]

    def _sorted_orders(self, net_pc: np.ndarray, disp_pc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Stable ascending orders of per-capita net and disposable income (for the median and
        the Gini). In a parallel run the two sorts, which release the GIL, run side by side."""
        if not self._parallel or numba.get_num_threads() < 2:
            return metrics.argsort_f32(net_pc), metrics.argsort_f32(disp_pc)
        with ThreadPoolExecutor(max_workers=1) as pool:
            disp = pool.submit(metrics.argsort_f32, disp_pc)
            net = metrics.argsort_f32(net_pc)
            return net, disp.result()

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
        return metrics.summarise(
            self.annual_frame(), self.county_frame(), self.params.metrics.large_scale.county_threshold,
            relapse_cum_share=metrics.safe_div((w * hh.ever_relapsed).sum(), (w * fp).sum()),
            new_poverty_cum_share=metrics.safe_div((w * hh.ever_new_poor).sum(), (w * ~fp).sum()),
        )



@functools.cache
def _lever_paths() -> frozenset[str]:
    """Dotted paths of the dated levers (schedules), which may change during a run."""
    return frozenset(row["path"] for row in parameter_table() if row["lever"])
