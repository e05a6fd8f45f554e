"""Governments: central, provincial and county, as ``mesa.Agent`` subclasses.

- :class:`CentralGovernment` holds the dated national policy schedule and resolves it, month by
  month, into the :class:`Levers` in force (with price indexation of yuan amounts).
- :class:`ProvincialGovernment` allocates the connection fund across counties each January, by need
  (registered and monitored households, extra weight and any extra funds for key counties), and
  evaluates counties each December (the responsibility system): relapse raises a county's
  monitoring effort next year.
- :class:`CountyGovernment` plans its year: in January it sets aside the rural-construction line
  (a dated share of its fund) and plans its assistance line against what its caseload needs at
  the 2020 level of assistance; the *intensity* it can afford (assistance delivered per supported
  household relative to 2020, at most ``government.max_intensity``) is re-planned every month from
  what is left and what the caseload needs, so a county spends its line over the year instead of
  running dry in autumn, and a budget that is truly short shows as a lower intensity for every
  supported household and a shortfall in the county table. Public-welfare posts are paid from
  employment funds and the bottom-line transfers (pensions, dibao, tekun, medical insurance and
  assistance, education support) from social-security funds: they are entitlements, recorded but
  not rationed. County state is held in :class:`CountyAccounts` arrays so the mechanism runs for
  all counties at once; each agent reads its own row.

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
from .prices import standard_at, year_end_standard_at

#: Spending categories of government accounts (real yuan, weighted); the first twelve are the
#: household kernel's (``kernel.COLUMNS``), in its order.
SPEND_CATEGORIES = (
    "pension", "dibao", "transition_subsidy", "policy_subsidy", "public_posts", "industrial_assistance",
    "employment_assistance", "medical_insurance", "medical_assistance", "education_support",
    "housing_renovation", "temporary_assistance", "enterprise_support", "rural_construction",
    "monitoring_platform",
)
#: Categories paid into household income as public transfers.
TRANSFER_CATEGORIES = ("pension", "dibao", "transition_subsidy", "policy_subsidy", "temporary_assistance")
#: Categories the county pays from its assistance line (the rest are entitlements or other lines).
ASSISTANCE_CATEGORIES = ("industrial_assistance", "employment_assistance", "housing_renovation")
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
    data_sharing: float
    targeted: bool
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
    pension_minimum_month_yuan: float
    public_transfers: float
    dibao_for_all: bool
    central_fund: float
    labour_export: float
    construction_share: float
    construction_intensity: float
    gdp_growth_real: float
    inflation: float
    urban_income_growth: float
    migrant_demand: float
    price_level: float
    remittance_index: float
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
        sp = pol.social_protection
        # the threshold was set in yuan for 2021 and 2022 (B5, B7); later years are price-indexed
        cpi_2022 = self.model.cpi_at_start_of(2022)
        thr_index = self.cpi / cpi_2022 if year > 2022 and cpi_2022 else 1.0
        return Levers(
            year=year, month=month,
            monitoring_enabled=pol.monitoring.enabled.at(m) >= 0.5,
            coverage=pol.monitoring.coverage.at(m),
            threshold_yuan=thr * thr_index,
            responsive=pol.monitoring.responsive_assistance.at(m) >= 0.5,
            data_sharing=pol.monitoring.data_sharing.at(m),
            targeted=pol.monitoring.targeted.at(m) >= 0.5,
            industrial=pol.assistance.industrial.intensity.at(m),
            employment=pol.assistance.employment.intensity.at(m),
            social=pol.assistance.social.intensity.at(m),
            transition_subsidy=pol.transition_subsidy.intensity.at(m),
            medical_inclusive=pol.medical.inclusive_rate.at(m),
            medical_preferential=pol.medical.preferential_rate.at(m),
            enterprise_support=pol.enterprise_support.intensity.at(m),
            campaign=pol.campaign.intensity.at(m),
            key_county_extra=pol.key_county_extra.at(m),
            dibao_line_yuan=year_end_standard_at(sp.dibao_line_yuan, sp.standard_growth_year, year, month)
            * sp.dibao_line_scale.at(m),
            pension_minimum_month_yuan=standard_at(sp.pension_minimum_month_yuan, sp.standard_growth_year, year, month),
            public_transfers=sp.public_transfers.at(m),
            dibao_for_all=pol.dibao_for_all_eligible.at(m) >= 0.5,
            central_fund=pol.central_fund.at(m),
            labour_export=pol.labour_export_share.at(m) if year >= 2021 else 0.0,
            construction_share=pol.rural_construction.share.at(m),
            construction_intensity=pol.rural_construction.intensity.at(m),
            gdp_growth_real=mac.gdp_growth_real.at(m),
            inflation=mac.inflation.at(m),
            urban_income_growth=mac.urban_income_growth.at(m),
            migrant_demand=mac.migrant_demand.at(m),
            price_level=mac.price_level.at(m),
            remittance_index=mac.remittance_index.at(m),
            illness_multiplier=mac.illness_multiplier.at(m),
            disaster_stress=self.params.shocks.disaster.stress.at(m),
        )


class CountyAccounts:
    """Per-county arrays: the year's fund and its lines, the assistance plan, spending, monitoring
    effort, rural construction (yuan are current, real-scale amounts)."""

    def __init__(self, n_counties: int):
        self.budget_yuan = np.zeros(n_counties)            # assistance line of the year
        self.construction_budget_yuan = np.zeros(n_counties)  # rural-construction line of the year
        self.remaining_yuan = np.zeros(n_counties)         # assistance line not yet spent this year
        self.intensity = np.ones(n_counties)               # planned assistance per supported household (2020 = 1)
        self.need_month_yuan = np.zeros(n_counties)        # this month's caseload at intensity 1
        self.planned_need_yuan = np.zeros(n_counties)      # January: the year's caseload at intensity 1
        self.shortfall_yuan = np.zeros(n_counties)         # January: planned need the line cannot pay
        self.intensity_sum = np.zeros(n_counties)          # sum of monthly intensities (annual mean)
        self.disaster_exposure = np.zeros(n_counties)      # this year's disaster losses (share of income)
        self.months = 0                                    # months planned this year
        self.effort = np.zeros(n_counties)                 # extra screening effort (responsibility)
        self.construction_stock_yuan = np.zeros(n_counties)  # cumulative per real household
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

    def allocate(self, lv: Levers, supported_real: np.ndarray, need_yuan: np.ndarray, county_type: np.ndarray,
                 cpi: float) -> tuple[np.ndarray, np.ndarray]:
        """The year's lines by county (yuan): ``(assistance, construction)``.

        The province's connection fund is ``government.fund_per_supported_household_year_yuan`` per
        supported household (registered or monitored, ``supported_real``), scaled by prices, the
        central-fund lever and the dated level of industrial assistance (the centre funds the
        programme it sets: a taper of industrial assistance tapers the fund). It is split by need:
        by what each county's caseload costs at the 2020 level of assistance (``need_yuan``, the
        counties' January plans; by supported households where no county needs anything), key
        counties weighted by
        ``government.key_county_weight``; key counties get ``policy.key_county_extra`` of their
        allocation on top, from outside the fund. Each county sets the dated construction share of
        its allocation aside for rural construction (times the construction-intensity lever, the
        extra financed on top) and keeps the rest for assistance."""
        g = self.params.government
        total = (g.fund_per_supported_household_year_yuan * supported_real.sum() * lv.central_fund * lv.industrial
                 * cpi)
        key = county_type == KEY
        basis = need_yuan if need_yuan.sum() > 0 else supported_real
        w = basis * np.where(key, g.key_county_weight, 1.0)
        if w.sum() <= 0:
            zero = np.zeros_like(w)
            return zero, zero.copy()
        allocation = total * w / w.sum() * np.where(key, 1.0 + lv.key_county_extra, 1.0)
        construction = allocation * lv.construction_share * lv.construction_intensity
        return allocation * (1.0 - lv.construction_share), construction

    def evaluate(self, accounts: CountyAccounts, county_relapse_rate: np.ndarray) -> None:
        """December evaluation: effort decays, and rises with each county's relapse rate."""
        m = self.params.monitoring
        accounts.effort = accounts.effort * (1.0 - m.pressure_decay) + m.pressure_gain * 100.0 * county_relapse_rate


def planned_intensity(remaining_yuan: np.ndarray, need_month_yuan: np.ndarray, months_left: int,
                      max_intensity: float) -> np.ndarray:
    """The intensity a county can keep up for the rest of the year: what is left of its assistance
    line over what its caseload needs at intensity 1 in the months left, within ``[0, max_intensity]``
    (the cap where nothing is needed)."""
    need = need_month_yuan * max(months_left, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(need > 0, np.maximum(remaining_yuan, 0.0) / need, max_intensity)
    return np.clip(s, 0.0, max_intensity)


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
    def intensity(self) -> float:
        """Assistance per supported household this month relative to the 2020 level."""
        return float(self.model.accounts.intensity[self.county])

    @property
    def spending_yuan(self) -> dict[str, float]:
        row = self.model.accounts.spend_year[self.county]
        return {name: float(row[i]) for i, name in enumerate(SPEND_CATEGORIES)}
