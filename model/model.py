"""``RuralModel``: households, enterprises and governments of one province, monthly.

One step is one month. The step order (``step()`` follows it line by line):

1. **Calendar and policy** — the central government resolves the dated levers in force (dated
   standards grown after their data); prices, wages and productivity are indexed. In January each
   county states its caseload's need, the province allocates the connection fund by need, and each
   county sets its construction line aside and plans its assistance intensity; in a historical run
   the 2016-2020 campaign's January instruments act, and in January 2021 the transition period
   starts (:mod:`model.campaign`); from 2021 each January's organised labour export.
2. **Markets and regional shocks** — county-industry log prices (AR(1) with county and
   industry-wide shocks), the migrant-demand index, county and village disasters.
3. **Household shocks** — drawn for *all* households whatever the policy (common random numbers):
   illness, disability, accidents, disaster losses and housing damage; the monitoring platform
   records some of them (shared data).
4. **Labour transitions** — local separations, ends of public-welfare posts, migrant job loss and
   finding (employment assistance raises finding; post holders may leave for migrant work).
5. **Market income** — wages, operating income (productive assets built by industrial assistance
   and depreciating, contract premium and guaranteed price, disaster losses, rural-construction
   productivity), property income and remittances, microcredit interest.
6. **Public transfers and cost sharing** — pensions, policy and transition subsidies, dibao and
   tekun (income test, take-up, gradual exit, top-up), medical reimbursement and assistance,
   September education costs and support, housing renovation.
7. **Consumption, savings and microcredit** — incomplete smoothing; borrowing covers shortfalls up
   to a credit limit; rigid needs that cannot be paid are three-guarantees failures.
8. **Monitoring and assistance (households)** — shared-data records, screening and
   self-reporting identify at-risk households in three categories; the category decides
   assistance (temporary and medical assistance for sudden hardship, social security below the
   line); assistance starts after its wait; risk elimination.
   Steps 3-8 run fused per household in :func:`model.kernel.household_month`.
9. **Government accounts** — county spending by category, the platform's cost, the assistance
   intensity re-planned for the months left; rural construction.
10. **Enterprises** — profit from prices and support, exits (age hazard raised by losses; exits end
    jobs and contracts), entries (when expected profit with support is positive).
11. **Matching** — vacancies filled by local seekers (labour capacity first; campaign rules
    reserve hires for registered households), public-welfare posts, contract farming. New jobs
    pay from the next month.
12. **Monthly data collection**.
13. **December accounting** — annual per-capita net income, poverty, relapse (stock, flow and
    cause) and new poverty; annual and county metrics, the county relapse estimates; county
    evaluation by the province; while the poverty register is kept (historical runs), the exit
    procedure and dynamic registration.
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
    ASSISTANCE_CATEGORIES,
    SPEND,
    SPEND_CATEGORIES,
    TRANSFER_CATEGORIES,
    CentralGovernment,
    CountyAccounts,
    CountyGovernment,
    Levers,
    ProvincialGovernment,
    planned_intensity,
)
from .params import Params, ParamsError, parameter_table
from .policy import month_index
from .prices import price_base, wage_index_at
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
        self._price_base = price_base(p)
        self.province, self.households, market_2020, income_2020 = population.build(
            p, self.streams.population, self._price_base)
        hh = self.households
        pv = self.province
        self.n_counties = pv.n_counties
        self.n_villages = pv.n_villages
        self.n_industries = p.prices.n_industries
        self.year = p.sim.start_year
        self.month = 0  # set at the start of each step
        self.end_month = p.sim.total_years * 12
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
        self._key_county = pv.county_type == population.KEY

        # markets
        self.log_price = np.zeros((self.n_counties, self.n_industries))
        self.price_rel = np.ones((self.n_counties, self.n_industries))
        self.main_industry = int(np.bincount(pv.village_product.astype(np.int64),
                                             minlength=self.n_industries).argmax())
        # 2020 figures are annual means (mid-2020 levels); January 2021 is half a year later
        lv0 = self.central.levers(self.year, 1)
        base = self._price_base
        self.wage_index = wage_index_at(p, self.year, 1)
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
        # the start state's jobs, posts and contracts follow the levers in force at the end of the year
        # before the start, so that scenarios that differ from the start year on start alike
        lv_before = self.central.levers(self.year - 1, 12)
        self.levers = lv_before
        self._matching(lv_before, None, p_match=1.0)
        wage_2020 = population.split_market_income(p, hh, market_2020, income_2020, pv.fp_county, self._price_base)
        population.finish_start_incomes(p, hh, pv, market_2020, wage_2020, self._price_base)
        del wage_2020
        if not p.sim.historical:
            # the households identified at the end of 2020 are assisted from the first month
            campaign.assist_identified(hh, hh.mon_state == monitoring.MON_ACTIVE,
                                       float(p.policy.monitoring.threshold_yuan.at_year(p.sim.start_year)))
        self._income_2020_hh_c = (np.bincount(hh.county, weights=hh.income_est_pc * hh.members,
                                              minlength=self.n_counties)
                                  / np.maximum(self._hh_per_county, 1))
        # the campaign's register (historical runs): registered households still below the line
        self.register = campaign.Register(hh.n)
        if p.sim.historical:
            self.register.on_register[:] = hh.formerly_poor & hh.poor
        # contract farming needs the operating base, known once income is split
        self._matching(lv_before, None, p_match=1.0)
        lv = self.central.levers(self.year, 1)
        self.levers = lv
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
        self.wage_index = wage_index_at(self.params, self.year, cal_month)
        self.productivity_index *= ((1.0 + self.params.income.productivity_growth_year)
                                    * (1.0 + lv.inflation)) ** (1 / 12)
        if cal_month == 1 and self.month > 0:
            self._budget_for_year(lv)
        if cal_month == 1 and self.params.sim.historical and self.year <= 2021:
            self._campaign_january(lv)
        if cal_month == 1:
            self._labour_export(lv)
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
        """January: each county states the year's need (its caseload at intensity 1, from the last
        month); the province allocates the year's fund, sized by supported households (registered
        and monitored), by need; each county sets its construction line aside and plans its
        assistance intensity (:mod:`model.governments`)."""
        acc = self.accounts
        hh = self.households
        monitored_other = (hh.mon_state == monitoring.MON_ACTIVE) & ~hh.formerly_poor
        supported = self._fp_real + np.bincount(hh.county, weights=hh.weight * monitored_other,
                                                minlength=self.n_counties)
        if self.month == 0:
            acc.need_month_yuan = self._need_from_state(lv)
        acc.planned_need_yuan = acc.need_month_yuan * 12.0
        acc.budget_yuan, acc.construction_budget_yuan = self.province_gov.allocate(
            lv, supported, acc.planned_need_yuan, self.province.county_type, self.central.cpi)
        acc.remaining_yuan = acc.budget_yuan.copy()
        acc.spend_year[:] = 0.0
        acc.shortfall_yuan = np.maximum(acc.planned_need_yuan - acc.budget_yuan, 0.0)
        acc.intensity = planned_intensity(acc.remaining_yuan, acc.need_month_yuan, 12,
                                          self.params.government.max_intensity)
        acc.intensity_sum[:] = 0.0
        acc.disaster_exposure[:] = 0.0
        acc.months = 0
        self._flows_year = np.zeros(len(kernel.COLUMNS))

    def _need_from_state(self, lv: Levers) -> np.ndarray:
        """What each county's assistance costs a month at intensity 1, from the households' state
        (before the first month; later the kernel sums it): investment to keep or build the assets
        of supported households, employment services (yuan)."""
        hh = self.households
        p = self.params
        a = p.assistance
        cpi = self.central.cpi
        monitored = hh.mon_state == monitoring.MON_ACTIVE
        supported = hh.formerly_poor | (monitored & ((hh.aid_bits & monitoring.AID_INDUSTRIAL) > 0))
        level = np.where(hh.formerly_poor, 1.0, hh.support_target) * lv.industrial
        invest = kernel.industrial_need(np.where(supported, level, 0.0), hh.industry_stock,
                                        1.0 / (12.0 * a.industrial_asset_life_years),
                                        1.0 / a.industrial_build_months)
        aided = (monitored & ((hh.aid_bits & monitoring.AID_EMPLOYMENT) > 0)) | (hh.emp_type == income.EMP_POST)
        per_household = (invest * a.industrial_asset_value_yuan * cpi
                         + aided * a.cost_employment_month_yuan * cpi * lv.employment)
        return np.bincount(hh.county, weights=per_household * hh.weight, minlength=self.n_counties)

    def _labour_export(self, lv: Levers) -> None:
        """January after 2020: organised labour export makes a share (``policy.labour_export_share``)
        of registered households with labour whose members do not work away willing to. One draw
        for every household every January, whatever the share (common random numbers)."""
        u = self.streams.export.random(self.households.n)
        if lv.labour_export <= 0:
            return
        hh = self.households
        able = hh.formerly_poor & ~hh.migrant_willing & (hh.labour_units >= 0.5)
        hh.migrant_willing[able & (u < lv.labour_export)] = True

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
        p_month = np.where(self._key_county,
                           shocks.monthly_probability.py_func(min(d.p_county_year * d.key_county_multiplier, 1.0)),
                           shocks.monthly_probability.py_func(d.p_county_year))
        p_county = 1.0 - (1.0 - p_month) * (1.0 - lv.disaster_stress)
        county_hit = u_c < p_county
        village_hit = county_hit[self.province.village_county] & (u_v < d.village_hit_share)
        sd = d.crop_loss_sigma
        severity = d.crop_loss_mean * np.exp(sd * z_v - 0.5 * sd * sd)
        loss = kernel.village_crop_loss(village_hit, severity)
        # the county's disaster exposure of the year (mean share of a village's operating income lost
        # a month, summed over the months): a covariate of the county relapse estimate
        self.accounts.disaster_exposure += (np.bincount(self._village_county, weights=loss, minlength=self.n_counties)
                                            / self.params.population.villages_per_county)
        return loss

    def _month_inputs(self, lv: Levers, cal_month: int) -> kernel.MonthInputs:
        p = self.params
        sh = p.shocks
        inc = p.income
        tr = p.transfers
        a = p.assistance
        lab = p.labour
        fin = p.finance
        ds = p.monitoring.sharing
        cpi = self.central.cpi
        keys = {f"k_{name}": rng.stream_key(self.seed, sid) for name, sid in (
            ("illness", rng.S_ILLNESS), ("disability", rng.S_DISABILITY), ("accident", rng.S_ACCIDENT),
            ("housing", rng.S_HOUSING), ("operating", rng.S_OPERATING), ("labour", rng.S_LABOUR),
            ("monitoring", rng.S_MONITORING), ("behaviour", rng.S_BEHAVIOUR))}
        return kernel.MonthInputs(
            month_abs=int(self.params.sim.start_year * 12 + self.month), september=cal_month == 9,
            january=cal_month == 1, months_left=int(12 - cal_month), cpi=float(cpi),
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
            depreciation_month=float(1.0 / (12.0 * a.industrial_asset_life_years)),
            build_rate=float(1.0 / a.industrial_build_months),
            asset_cost=float(a.industrial_asset_value_yuan * cpi), industrial=float(lv.industrial),
            interest_supported=float(fin.interest_supported_year), interest_market=float(fin.interest_market_year),
            transition_subsidy_on=bool(lv.transition_subsidy > 0), remittance=float(lv.remittance_index),
            pension_pp_month=float((lv.pension_minimum_month_yuan + tr.pension_topup_month_2020_yuan * cpi)
                                   * lv.public_transfers),
            transition_pc_month=float(tr.transition_subsidy_pc_year_2020_yuan * cpi * lv.transition_subsidy / 12.0),
            subsidy_pc_month=float(tr.policy_subsidy_pc_year_2020_yuan * cpi * lv.public_transfers / 12.0),
            public_scale=float(lv.public_transfers), dibao_line=float(lv.dibao_line_yuan),
            dibao_for_all=bool(lv.dibao_for_all), dibao_take_up_weak=float(tr.dibao_take_up_weak),
            dibao_take_up_able=float(tr.dibao_take_up_able), earned_disregard=float(tr.dibao_earned_disregard),
            asset_limit_pc=float(tr.dibao_asset_limit_years * lv.dibao_line_yuan),
            tekun_ratio=float(tr.tekun_line_ratio), tekun_labour_max=float(tr.tekun_labour_max),
            dibao_grace_months=int(tr.dibao_grace_months), medical_inclusive=float(lv.medical_inclusive),
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
            poverty_line=float(self.poverty_line_yuan()),
            p_screen=float(p.monitoring.p_screen_month), p_self_report=float(p.monitoring.p_self_report_month),
            hardship_share=float(p.monitoring.hardship_expense_share),
            stable_months_needed=int(p.monitoring.stable_months_to_eliminate),
            smoothing=float(1.0 / p.monitoring.income_smoothing_months), employment=float(lv.employment),
            cost_employment=float(a.cost_employment_month_yuan * cpi),
            data_sharing=float(lv.data_sharing if lv.monitoring_enabled else 0.0),
            cov_medical=float(ds.coverage_medical), cov_disaster=float(ds.coverage_disaster),
            cov_job_loss=float(ds.coverage_job_loss), cov_closure=float(ds.coverage_closure),
            cov_dibao=float(ds.coverage_dibao), delay_medical=int(ds.delay_medical_months),
            delay_disaster=int(ds.delay_disaster_months), delay_job_loss=int(ds.delay_job_loss_months),
            delay_closure=int(ds.delay_closure_months), delay_dibao=int(ds.delay_dibao_months),
            aid_wait_months=int(p.monitoring.days_to_assistance // 30), targeted=bool(lv.targeted),
            temporary_cap_pc=float(p.monitoring.temporary_assistance_months * lv.dibao_line_yuan / 12.0),
        )

    def _households_month(self, lv: Levers, cal_month: int, village_loss: np.ndarray) -> np.ndarray:
        """Steps 3-8 for all households; returns the per-county sums (``kernel.COLUMNS``)."""
        acc = self.accounts
        out = np.zeros((self.n_counties, len(kernel.COLUMNS)))
        self._employees = np.zeros(self.enterprise_registry.n, dtype=np.int64)
        month_fn = kernel.household_month if self._parallel else kernel.household_month_serial
        month_fn(
            self._hh_tuple, self._month_inputs(lv, cal_month), self._county_start, self.price_rel,
            self._village_product, village_loss, acc.intensity, acc.effort,
            acc.construction_effect, rng.NORMAL_TABLE, out, self._employees)
        return out

    def _accounts(self, sums: np.ndarray, cal_month: int) -> None:
        """Record the month's spending by county and re-plan the assistance intensity for the months
        left: what is left of the assistance line over the caseload's need at intensity 1 (the
        kernel's ``need_*`` sums, plus the month's housing renovation)."""
        acc = self.accounts
        n_spend = kernel.N_SPEND_COLUMNS
        acc.spend_year[:, :n_spend] += sums[:, :n_spend]
        acc.spend_total[:, :n_spend] += sums[:, :n_spend]
        col = kernel.COL
        acc.intensity_sum += acc.intensity
        acc.months += 1
        lv = self.levers
        if lv.monitoring_enabled and lv.data_sharing > 0:
            acc.record_county("monitoring_platform", self._real_hh * lv.data_sharing * self.central.cpi
                              * self.params.monitoring.sharing.platform_cost_yuan_per_household_year / 12.0)
        self._flows_year += sums.sum(axis=0)
        acc.remaining_yuan -= sum(sums[:, col[k]] for k in ASSISTANCE_CATEGORIES)
        acc.need_month_yuan = (sums[:, col["need_industrial"]] + sums[:, col["need_employment"]]
                               + sums[:, col["housing_renovation"]])
        if cal_month < 12:
            acc.intensity = planned_intensity(acc.remaining_yuan, acc.need_month_yuan, 12 - cal_month,
                                              self.params.government.max_intensity)

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
        # jobs_cap counts simulated households: real jobs are that many times the county's weight
        cost = cost * self.province.county_weight[county]
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
        hh.seek_flags[:] = (np.where(job & ~hh.migrant_willing, households.SEEK_JOB, 0)
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
        posts = np.floor(a.public_post_share_fp * lv.employment * (self._fp_n + mon_n) + 0.5).astype(np.int64)
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
        """Rural construction: each county's construction line, spent evenly over the year,
        accumulates as a stock per household; its productivity effect follows with a lag, larger in
        key counties (their infrastructure deficit, ``government.key_county_construction_return``)."""
        g = self.params.government
        acc = self.accounts
        monthly = acc.construction_budget_yuan / 12.0
        acc.record_county("rural_construction", monthly)
        acc.construction_stock_yuan += monthly / np.maximum(self._real_hh, 1.0)
        elasticity = g.construction_elasticity * np.where(self._key_county, g.key_county_construction_return, 1.0)
        target = elasticity * acc.construction_stock_yuan / np.maximum(self._income_2020_hh_c, 1.0)
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
                     "n_public_post", "n_dibao", "n_tekun"):
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
        # the public transfers registered households received, by kind, as shares of their income
        income_fp = sum(d[:, kernel.DEC[f"{k}_fp"]].sum() for k in ("wage", "operating", "property",
                                                                      "transfer_public", "transfer_private"))
        for name in ("pension", "dibao", "subsidy", "temporary"):
            row[f"{name}_share_fp"] = metrics.safe_div(self._flows_year[kernel.COL[f"{name}_fp"]], income_fp)
        fpc = self.province.fp_county
        intensity = acc.intensity_sum / max(acc.months, 1)
        weights = np.maximum(acc.budget_yuan[fpc], 1e-9)
        row["assistance_intensity_fpc"] = float(np.average(intensity[fpc], weights=weights)) if fpc.any() else np.nan
        row["assistance_shortfall_yuan"] = float(acc.shortfall_yuan.sum())
        row.update(metrics.identification_outcomes(self._flows_year, kernel.COL, p.monitoring.days_to_assistance))
        self.annual_rows.append(row)
        self.last_annual = row

        counties = metrics.county_outcomes(d, kernel.DEC)
        assistance_spent = sum(acc.spend_year[:, SPEND[k]] for k in ASSISTANCE_CATEGORIES)
        self.county_rows.append(pd.DataFrame({
            "year": self.year,
            "county": np.arange(nc),
            "county_type": np.array(population.COUNTY_TYPE_NAMES)[self.province.county_type],
            **counties,
            "disaster_exposure": acc.disaster_exposure.copy(),
            "monitoring_effort": acc.effort.copy(),
            "budget_yuan": acc.budget_yuan.copy(),
            "construction_budget_yuan": acc.construction_budget_yuan.copy(),
            "assistance_need_yuan": acc.planned_need_yuan.copy(),
            "shortfall_yuan": acc.shortfall_yuan.copy(),
            "assistance_spent_yuan": assistance_spent,
            "assistance_intensity": intensity,
            **{f"spend_{name}_yuan": acc.spend_year[:, k].copy() for k, name in enumerate(SPEND_CATEGORIES)},
        }))
        # the year's relapse estimates, from the county-years so far; the province holds counties
        # responsible for relapse (their real rates: the estimate)
        ls = p.metrics.large_scale
        # a year of the transition period is estimated from the transition period's county-years only
        # (the campaign years of a historical run are another regime)
        rows = pd.concat(self.county_rows, ignore_index=True)
        first = p.sim.first_outcome_year
        if self.year >= first:
            rows = rows[rows["year"] >= first]
        estimated = metrics.county_relapse_estimates(rows, ls.county_threshold, ls.min_persons,
                                                     population.COUNTY_TYPE_NAMES[population.NONPOOR])
        this_year = estimated.iloc[-nc:].reset_index(drop=True)
        self.county_rows[-1] = this_year
        self.province_gov.evaluate(acc, this_year["relapse_rate_est"].to_numpy())
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
        """One row per county and year so far, with each year's relapse estimates
        (:func:`metrics.county_relapse_estimates`, made that December)."""
        if not self.county_rows:
            return pd.DataFrame(columns=["year", "county", "county_type", "relapse_rate", "poverty_rate",
                                         "income_pc_yuan", *metrics.ESTIMATE_COLUMNS])
        return pd.concat(self.county_rows, ignore_index=True)

    def monthly_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.monthly_rows)

    def summary(self) -> dict[str, Any]:
        hh = self.households
        w = hh.weight.astype(np.float64)
        fp = hh.formerly_poor
        first = self.params.sim.first_outcome_year
        annual, counties = self.annual_frame(), self.county_frame()
        return metrics.summarise(
            annual[annual["year"] >= first], counties[counties["year"] >= first],
            self.params.metrics.large_scale.county_threshold,
            relapse_cum_share=metrics.safe_div((w * hh.ever_relapsed).sum(), (w * fp).sum()),
            new_poverty_cum_share=metrics.safe_div((w * hh.ever_new_poor).sum(), (w * ~fp).sum()),
        )



@functools.cache
def _lever_paths() -> frozenset[str]:
    """Dotted paths of the dated levers (schedules), which may change during a run."""
    return frozenset(row["path"] for row in parameter_table() if row["lever"])
