"""Governments: central, provincial and county, as ``mesa.Agent`` subclasses.

- :class:`CentralGovernment` holds the dated national policy schedule and resolves it, month by
  month, into the :class:`Levers` in force (with price indexation of yuan amounts).
- :class:`ProvincialGovernment` allocates the assistance fund across counties each January (extra
  weight for key counties) and evaluates counties each December (the responsibility system):
  relapse raises a county's monitoring effort next year.
- :class:`CountyGovernment` runs the monitoring-and-assistance mechanism and rural construction.
  County state is held in :class:`CountyAccounts` arrays so the mechanism runs for all counties at
  once; each agent reads its own row.

Decisions read and write household arrays through the functions here, never by looping over
households in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np

from .params import Params
from .policy import month_index
from .population import KEY

#: Spending categories of government accounts (real yuan, weighted).
SPEND_CATEGORIES = (
    "pension", "dibao", "transition_subsidy", "public_posts", "industrial_assistance",
    "employment_assistance", "medical_insurance", "medical_assistance", "education_support",
    "housing_renovation", "enterprise_support", "rural_construction",
)
#: Categories paid into household income as public transfers.
TRANSFER_CATEGORIES = ("pension", "dibao", "transition_subsidy")
SPEND = {name: i for i, name in enumerate(SPEND_CATEGORIES)}


@dataclass(frozen=True)
class Levers:
    """Policy and macro values in force in one month (yuan amounts already price-indexed)."""

    year: int
    month: int
    monitoring_enabled: bool
    coverage: float
    threshold_yuan: float
    responsive: bool
    industrial: float
    employment: float
    social: float
    transition_subsidy: float
    medical_inclusive: float
    medical_preferential: float
    enterprise_support: float
    campaign: float
    key_county_extra: float
    dibao_line_yuan: float
    dibao_for_all: bool
    central_fund: float
    gdp_growth_real: float
    inflation: float
    urban_income_growth: float
    migrant_demand: float
    price_level: float
    illness_multiplier: float
    disaster_stress: float


class CentralGovernment(mesa.Agent):
    """The national policy schedule and the price index used to index yuan amounts."""

    def __init__(self, model: mesa.Model, params: Params):
        super().__init__(model)
        self.params = params
        self.cpi = 1.0  # consumer price index, 1 in the year before the start

    def advance_prices(self, inflation_year: float) -> None:
        """Compound one month of inflation into the price index."""
        self.cpi *= (1.0 + inflation_year) ** (1.0 / 12.0)

    def levers(self, year: int, month: int) -> Levers:
        """Resolve every dated lever for ``month`` of ``year``."""
        m = month_index(year, month)
        pol = self.params.policy
        mac = self.params.macro
        thr = pol.monitoring.threshold_yuan.at(m)
        # the threshold was set in yuan for 2021 and 2022 (B5, B7); later years are price-indexed
        cpi_2022 = self.model.cpi_at_start_of(2022)
        thr_index = self.cpi / cpi_2022 if year > 2022 and cpi_2022 else 1.0
        return Levers(
            year=year, month=month,
            monitoring_enabled=pol.monitoring.enabled.at(m) >= 0.5,
            coverage=pol.monitoring.coverage.at(m),
            threshold_yuan=thr * thr_index,
            responsive=pol.monitoring.responsive_assistance.at(m) >= 0.5,
            industrial=pol.assistance.industrial.intensity.at(m),
            employment=pol.assistance.employment.intensity.at(m),
            social=pol.assistance.social.intensity.at(m),
            transition_subsidy=pol.transition_subsidy.intensity.at(m),
            medical_inclusive=pol.medical.inclusive_rate.at(m),
            medical_preferential=pol.medical.preferential_rate.at(m),
            enterprise_support=pol.enterprise_support.intensity.at(m),
            campaign=pol.campaign.intensity.at(m),
            key_county_extra=pol.key_county_extra.at(m),
            dibao_line_yuan=pol.dibao_line_2020_yuan.at(m) * self.cpi,
            dibao_for_all=pol.dibao_for_all_eligible.at(m) >= 0.5,
            central_fund=pol.central_fund.at(m),
            gdp_growth_real=mac.gdp_growth_real.at(m),
            inflation=mac.inflation.at(m),
            urban_income_growth=mac.urban_income_growth.at(m),
            migrant_demand=mac.migrant_demand.at(m),
            price_level=mac.price_level.at(m),
            illness_multiplier=mac.illness_multiplier.at(m),
            disaster_stress=self.params.shocks.disaster.stress.at(m),
        )


class CountyAccounts:
    """Per-county arrays: budgets, spending, monitoring effort, rural construction."""

    def __init__(self, n_counties: int):
        self.budget_yuan = np.zeros(n_counties)            # assistance budget this year
        self.remaining_yuan = np.zeros(n_counties)         # not yet spent this year
        self.budget_factor = np.ones(n_counties)           # share of planned assistance affordable
        self.effort = np.zeros(n_counties)                 # extra screening effort (responsibility)
        self.construction_stock_yuan = np.zeros(n_counties)  # cumulative per simulated household
        self.construction_effect = np.zeros(n_counties)    # lagged productivity gain (share)
        self.spend_year = np.zeros((n_counties, len(SPEND_CATEGORIES)))
        self.spend_total = np.zeros((n_counties, len(SPEND_CATEGORIES)))

    def record(self, category: str, county: np.ndarray, amount_real_yuan: np.ndarray, n: int) -> None:
        """Add weighted spending of one category, aggregated by county."""
        add = np.bincount(county, weights=amount_real_yuan, minlength=n)
        self.spend_year[:, SPEND[category]] += add
        self.spend_total[:, SPEND[category]] += add

    def record_county(self, category: str, amount_by_county: np.ndarray) -> None:
        self.spend_year[:, SPEND[category]] += amount_by_county
        self.spend_total[:, SPEND[category]] += amount_by_county


class ProvincialGovernment(mesa.Agent):
    """Allocates funds across counties and holds counties responsible for relapse."""

    def __init__(self, model: mesa.Model, params: Params):
        super().__init__(model)
        self.params = params

    def allocate(self, lv: Levers, fp_households_real: np.ndarray, county_type: np.ndarray,
                 cpi: float) -> np.ndarray:
        """Assistance budgets of the year by county (yuan): the fund per registered household,
        scaled by the central-fund lever and prices, split by registered households with extra
        weight (and any extra funds) for key counties."""
        g = self.params.government
        total = g.county_fund_per_fp_household_year_yuan * fp_households_real.sum() * lv.central_fund * cpi
        key = county_type == KEY
        w = fp_households_real * np.where(key, g.key_county_weight * (1.0 + lv.key_county_extra), 1.0)
        if w.sum() <= 0:
            return np.zeros_like(w)
        return total * w / w.sum()

    def evaluate(self, accounts: CountyAccounts, county_relapse_rate: np.ndarray) -> None:
        """December evaluation: effort decays, and rises with each county's relapse rate."""
        m = self.params.monitoring
        accounts.effort = accounts.effort * (1.0 - m.pressure_decay) + m.pressure_gain * 100.0 * county_relapse_rate


class CountyGovernment(mesa.Agent):
    """One county's government; state is row ``county`` of :class:`CountyAccounts`."""

    def __init__(self, model: mesa.Model, county: int, county_type: str):
        super().__init__(model)
        self.county = int(county)
        self.county_type = county_type

    @property
    def budget_yuan(self) -> float:
        return float(self.model.accounts.budget_yuan[self.county])

    @property
    def remaining_yuan(self) -> float:
        return float(self.model.accounts.remaining_yuan[self.county])

    @property
    def effort(self) -> float:
        return float(self.model.accounts.effort[self.county])

    @property
    def spending_yuan(self) -> dict[str, float]:
        row = self.model.accounts.spend_year[self.county]
        return {name: float(row[i]) for i, name in enumerate(SPEND_CATEGORIES)}
