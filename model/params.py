"""The typed, validated parameter tree.

Every field carries a unit, a default, a valid range (``ge``/``le``; they double as SALib bounds),
a one-line meaning and a source: a key into the repository's list of reference sources,
``data/SOURCES.md`` (``src:H1``), or a stated reason (``reason: ...``). Dated policy levers are
:class:`~model.policy.Schedule` values whose every value must lie in the lever's range.

Paths are dotted (``shocks.illness.p_year``); :meth:`Params.with_overrides` applies a mapping of
dotted paths all at once and either returns a new validated ``Params`` or raises
:class:`ParamsError` listing every problem, applying nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from .messages import quote, shorten
from .policy import Schedule


def param(default: Any, unit: str, lo: float | None, hi: float | None, doc: str, source: str) -> Any:
    """A static parameter with unit, range, meaning and source."""
    return Field(
        default,
        ge=lo,
        le=hi,
        description=doc,
        json_schema_extra={"unit": unit, "source": source, "lo": lo, "hi": hi},
    )


def _bounded(lo: float, hi: float):
    def check(s: Schedule) -> Schedule:
        for v in s.values():
            if not lo <= v <= hi:
                raise ValueError(f"schedule value {v:g} is out of range")
        return s

    return AfterValidator(check)


def lever(default: Any, unit: str, lo: float, hi: float, doc: str, source: str) -> Any:
    """A dated policy lever (a schedule) with unit, range, meaning and source."""
    return Field(
        default_factory=lambda: Schedule.parse(default),
        description=doc,
        json_schema_extra={"unit": unit, "source": source, "lo": lo, "hi": hi, "lever": True},
    )


def lever_type(lo: float, hi: float) -> Any:
    return Annotated[Schedule, _bounded(lo, hi)]


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    @field_validator("*", mode="after")
    @classmethod
    def _tuples_in_range(cls, value, info):
        """Tuple parameters (shares, multipliers by class) are checked element by element."""
        if isinstance(value, tuple):
            extra = cls.model_fields[info.field_name].json_schema_extra or {}
            lo, hi = extra.get("lo"), extra.get("hi")
            for v in value:
                if (lo is not None and v < lo) or (hi is not None and v > hi):
                    raise ValueError(f"element {v:g} is out of range")
        return value


# --------------------------------------------------------------------------------------------
# Simulation frame and population
# --------------------------------------------------------------------------------------------


#: First year of a historical run: the province starts from its end-2016 state (``history``).
HISTORICAL_START_YEAR = 2017
#: First year of the transition period (2021-2025): the first year a run's outcomes are about.
TRANSITION_START_YEAR = 2021


class Sim(_Node):
    start_year: int = param(2021, "year", 2017, 2040,
                            "First simulated year (state is end of the year before); 2017 starts a historical run "
                            "from the end-2016 province, 2018-2020 are not allowed.",
                            "reason: the transition period starts 1 January 2021; 2016 is the only earlier "
                            "calibrated state (C5, A6)")
    n_years: int = param(10, "years", 1, 40,
                         "Horizon: years simulated from the first year of the transition period (2021) on, "
                         "or from the start year when it is later; a run that starts before 2021 also "
                         "simulates the years before 2021 (its history).",
                         "reason: transition period 2021-2025 plus five years after it")

    @field_validator("start_year", mode="after")
    @classmethod
    def _calibrated_start(cls, value: int) -> int:
        if HISTORICAL_START_YEAR < value < 2021:
            raise ValueError(f"start year {value} has no calibrated initial state; allowed "
                             f"{HISTORICAL_START_YEAR} (from end-2016) or 2021-2040 (from end-2020)")
        return value

    @property
    def historical(self) -> bool:
        """A run that starts before the transition period (from the end-2016 province)."""
        return self.start_year < 2021

    @property
    def first_outcome_year(self) -> int:
        """The first year the run's outcomes are about: the transition period's start, 2021, or the
        start year when later (the years before it are history)."""
        return max(self.start_year, TRANSITION_START_YEAR)

    @property
    def end_year(self) -> int:
        """The last simulated year."""
        return self.first_outcome_year + self.n_years - 1

    @property
    def total_years(self) -> int:
        """Simulated years, history included."""
        return self.end_year - self.start_year + 1


class Population(_Node):
    n_households: int = param(100_000, "simulated households", 100, 100_000_000,
                              "Simulated households in the province.",
                              "reason: 5,000 households a county, of them about 1,250 formerly poor in "
                              "a formerly poor county (fp_share_other), estimate a county relapse rate "
                              "near 1% to within about 0.6 points (95%), well inside the 5% large-scale "
                              "threshold")
    n_counties: int = param(20, "counties", 1, 3000, "Counties in the province.",
                            "reason: a scaled-down province: the 832 formerly poor counties (A12) lie "
                            "in 22 provinces, about 38 each, and the 160 key counties in ten western "
                            "provinces, 16 each; 20 counties keep county rates estimable at the default "
                            "size (n_households)")
    key_county_share: float = param(0.20, "share of counties", 0.0, 1.0,
                                    "Key counties for national rural revitalisation (poorest formerly poor).",
                                    "reason: the 160 key counties are about a fifth (0.19) of the 832 "
                                    "formerly poor counties (A12); all lie in western provinces like the "
                                    "one modelled")
    other_fp_county_share: float = param(0.50, "share of counties", 0.0, 1.0,
                                         "Other formerly poor counties (the rest were never designated poor).",
                                         "reason: with the key counties, 0.7 of the counties were "
                                         "designated poor, as in western provinces (Guizhou 66 of 88 "
                                         "counties, Yunnan 88 of 129, Sichuan 88 of 183: 0.5-0.75)")
    villages_per_county: int = param(25, "villages", 1, 2000,
                                     "Simulated villages per county (one product each).",
                                     "reason: ~200 simulated households per village at the default size")
    real_households_per_county: float = param(80_000, "households", 1_000, 1_000_000,
                                              "Real rural households a county represents (sets weights).",
                                              "reason: ~250M rural residents in 832 counties, 3.5 persons each "
                                              "(A12, D)")
    fp_share_key: float = param(0.35, "share of households", 0.0, 1.0,
                                "Registered formerly-poor households in key counties.",
                                "reason: 99M poverty-freed among ~300M residents of 832 counties (B1, A12); "
                                "key counties poorest")
    fp_share_other: float = param(0.25, "share of households", 0.0, 1.0,
                                  "Registered formerly-poor households in other formerly poor counties.",
                                  "reason: as fp_share_key, national mean about 0.3")
    fp_share_nonpoor: float = param(0.04, "share of households", 0.0, 1.0,
                                    "Registered formerly-poor households in never-designated counties.",
                                    "reason: a minority of registered poor lived outside the 832 counties")
    members_mean: float = param(3.3, "persons/household", 1.0, 8.0, "Mean household size.",
                                "reason: rural household size 3.2-3.5 (2020 census)")
    elderly_share: float = param(0.22, "share of persons", 0.0, 0.8, "Persons aged 60+.",
                                 "reason: 23.8% of rural residents aged 60+ (2020 census)")
    school_child_share: float = param(0.16, "share of persons", 0.0, 0.6, "Children in school.",
                                      "reason: rural persons aged 6-18 about 16% (2020 census)")
    chronic_share: float = param(0.343, "share of persons", 0.0, 1.0, "Chronic disease prevalence.", "src:H6")
    disabled_share_fp: float = param(0.12, "share of households", 0.0, 1.0,
                                     "Formerly-poor households with a disabled member.",
                                     "reason: disability a registered cause for ~1/8 of poor households (G1)")
    disabled_share_other: float = param(0.04, "share of households", 0.0, 1.0,
                                        "Other households with a disabled member.",
                                        "reason: 2006 survey, ~6% of persons disabled, concentrated in few households")
    income_pc_registered_2020_yuan: float = param(10_740, "yuan/person/year", 4_000, 50_000,
                                                  "Mean per-capita net income of registered households, 2020.",
                                                  "src:F1")
    income_pc_fpc_2020_yuan: float = param(12_588, "yuan/person/year", 4_000, 50_000,
                                           "Mean per-capita income in formerly poor counties, 2020.", "src:C9")
    income_pc_nonpoor_2020_yuan: float = param(17_131, "yuan/person/year", 4_000, 80_000,
                                               "Mean per-capita income in never-poor counties, 2020.",
                                               "src:D (national rural mean)")
    unstable_share_registered: float = param(0.02, "share of registered persons", 0.0, 0.3,
                                             "Registered persons below the monitoring threshold at start.",
                                             "src:A15 (2.0M of 99M)")
    marginal_share_nonregistered: float = param(0.015, "share of other persons", 0.0, 0.3,
                                                "Non-registered persons below the monitoring threshold at start.",
                                                "src:A15 (3.0M, derived over ~200M non-registered residents)")
    income_ratio_key: float = param(0.88, "ratio", 0.5, 1.0,
                                    "Mean per-capita income of key counties relative to the other formerly poor "
                                    "counties (registered and other households alike), at start.",
                                    "reason: the 160 key counties were chosen as the poorest fifth of the formerly "
                                    "poor counties; whole contiguous destitute areas stood at 0.99 of the poor-area "
                                    "mean in 2020 (C19), and the poorest fifth of a county distribution whose spread "
                                    "is about 0.2 lies well below its mean; no published figure for the 160 counties")
    dibao_coverage_registered: float = param(0.196, "share of registered persons", 0.0, 0.6,
                                             "Registered persons on dibao or extreme-poverty support at start.",
                                             "src:H11 (19.36M of the ~99M poverty-freed)")
    dibao_coverage_other: float = param(0.052, "share of other persons", 0.0, 0.5,
                                        "Non-registered rural persons on dibao or extreme-poverty support at start.",
                                        "src:H13 (36.2M rural dibao and 4.5M rural tekun recipients in 2020, less "
                                        "the 19.4M registered (H11), over ~411M other rural residents)")
    dibao_counted_income_share: float = param(0.4, "share of the dibao line", 0.0, 1.0,
                                              "Mean counted income (before dibao) of recipients at start, as a "
                                              "share of their line; dibao tops up the rest.",
                                              "src:H13 (average rural benefit about 60% of the average line)")
    income_sigma_nonpoor: float = param(0.45, "log-points", 0.05, 1.5,
                                        "Dispersion of log income among non-registered households.",
                                        "reason: rural median/mean 0.887 (D) implies sigma ~0.49")
    education_shares: tuple[float, float, float] = Field(
        (0.45, 0.42, 0.13),
        description="Shares of households whose main worker has primary / middle / high+ schooling.",
        json_schema_extra={"unit": "shares", "source": "reason: 2020 census, rural labour force",
                           "lo": 0.0, "hi": 1.0},
    )


# --------------------------------------------------------------------------------------------
# Income, labour, prices
# --------------------------------------------------------------------------------------------


class Income(_Node):
    wage_migrant_month_2020_yuan: float = param(4_072, "yuan/worker/month", 1_000, 20_000,
                                                "Migrant worker wage, 2020.",
                                                "reason: NBS migrant worker monitoring report 2020")
    wage_local_month_2020_yuan: float = param(2_600, "yuan/worker/month", 500, 20_000,
                                              "Local enterprise / workshop wage, 2020.",
                                              "reason: about 0.65 of the migrant wage (county wage surveys)")
    wage_public_post_month_2020_yuan: float = param(600, "yuan/worker/month", 100, 5_000,
                                                    "Public-welfare post pay, 2020.",
                                                    "reason: posts pay 400-800 yuan/month (J9 reports)")
    skill_premium: tuple[float, float, float] = Field(
        (0.85, 1.0, 1.25), description="Wage multiplier by schooling (primary, middle, high+).",
        json_schema_extra={"unit": "multiplier", "source": "reason: Mincer returns ~5-8% a year",
                           "lo": 0.1, "hi": 5.0})
    wage_dispersion_sd: float = param(0.2, "log-points", 0.0, 1.5,
                                      "Dispersion of household wage levels within a schooling class (at start).",
                                      "reason: wages differ within a schooling class by skill, sector and place; "
                                      "a household's level averages over its workers, and earners' levels are "
                                      "re-solved to the E1 wage share at start")
    wage_share_fpc: float = param(0.353, "share of income", 0.0, 0.9,
                                  "Wage share of income in formerly poor counties at start.", "src:E1")
    property_share: float = param(0.014, "share of income", 0.0, 0.2, "Property income share.", "src:E1")
    private_transfer_share: float = param(0.175, "share of income", 0.0, 0.5,
                                          "Remittances from members working away and other private transfers, "
                                          "as a share of household income at start.",
                                          "reason: no published split of the poor-area transfer share (E1: 0.273 "
                                          "in 2019) into public and private parts; starting value for the fit, "
                                          "with public transfers (pensions, dibao, subsidies) sized to data")
    operating_noise_sd: float = param(0.15, "log-points/month", 0.0, 1.0,
                                      "Idiosyncratic monthly noise in operating income.",
                                      "reason: farm income CV 0.3-0.5 a year (JR1998 transient share)")
    productivity_growth_year: float = param(0.04, "share/year", -0.05, 0.15,
                                            "Real trend growth of operating income per household.",
                                            "reason: real income growth of poor areas 8-9%/year 2017-2019 "
                                            "(C6-C8) with wages growing faster")
    contract_premium: float = param(0.10, "share of operating income", 0.0, 0.5,
                                    "Premium for output sold under an enterprise contract.",
                                    "reason: order-farming premia 5-15% (I7 benefit linkage)")
    expenditure_deduction: bool = Field(True, description=(
        "Deduct rigid out-of-pocket medical and education spending from net income, as the "
        "monitoring rules do."), json_schema_extra={"unit": "flag", "source": "reason: 2021 monitoring "
                                                    "guidance counts rigid expenditure", "lo": None, "hi": None})


class Labour(_Node):
    p_migrant_loss_month: float = param(0.02, "probability/month", 0.0, 0.5,
                                        "Migrant job loss at normal demand.",
                                        "reason: ~22% annual turnover of migrant jobs")
    p_migrant_find_month: float = param(0.25, "probability/month", 0.0, 1.0,
                                        "Migrant job finding for a willing worker at normal demand.",
                                        "reason: search spells of about four months; 86% back at work "
                                        "within 2.5 months of the 2020 shock (J6)")
    p_local_separation_month: float = param(0.01, "probability/month", 0.0, 0.5,
                                            "Separation from a local enterprise job.",
                                            "reason: annual separation ~12%")
    p_local_match_month: float = param(0.30, "probability/month", 0.0, 1.0,
                                       "Chance a vacancy is filled in a month when seekers exist.",
                                       "reason: local labour markets clear within a season")
    migrant_propensity: float = param(0.55, "share of labour households", 0.0, 1.0,
                                      "Households whose workers will migrate.",
                                      "src:F6 (30.19M of ~50M registered labourers work away)")
    p_public_post_loss_month: float = param(0.02, "probability/month", 0.0, 0.5,
                                            "End of a public-welfare post term.",
                                            "reason: posts are annual contracts")


class Prices(_Node):
    log_price_sd_month: float = param(0.04, "log-points/month", 0.0, 0.5,
                                      "County-industry price shock.",
                                      "reason: monthly farm-gate price volatility 3-6%")
    industry_shock_sd_month: float = param(0.03, "log-points/month", 0.0, 0.5,
                                           "Industry-wide (all counties) price shock.",
                                           "reason: common market component of farm prices")
    mean_reversion_month: float = param(0.05, "share/month", 0.0, 1.0,
                                        "Pull of log price back to trend.",
                                        "reason: commodity cycles of 1-2 years")
    n_industries: int = param(8, "industries", 1, 50, "Characteristic industries in the province.",
                              "reason: 2-3 per county (I6) drawn from a provincial list")


# --------------------------------------------------------------------------------------------
# Shocks
# --------------------------------------------------------------------------------------------


class Illness(_Node):
    p_year: float = param(0.11, "probability/household/year", 0.0, 1.0,
                          "Costly illness episode (catastrophic-expenditure incidence).", "src:H1")
    chronic_multiplier: float = param(1.6, "multiplier", 1.0, 5.0, "Relative risk with chronic illness.",
                                      "reason: NHSS 2018 utilisation of chronic patients")
    elderly_multiplier: float = param(1.4, "multiplier", 1.0, 5.0, "Relative risk with members 60+.",
                                      "reason: inpatient rates rise with age (H4)")
    cost_mean_yuan: float = param(14_000, "yuan/episode", 0.0, 200_000, "Mean cost before reimbursement.",
                                  "reason: inpatient cost ~9-10k yuan in county hospitals, more for serious cases")
    cost_sigma: float = param(0.8, "log-points", 0.0, 3.0, "Dispersion of episode cost.",
                              "reason: right-skewed hospital bills")
    duration_months: int = param(3, "months", 1, 24, "Months of lost labour per episode.",
                                 "reason: recovery and care after hospitalisation")
    carer_labour: float = param(0.5, "labour units", 0.0, 1.0, "Labour lost to caring.",
                                "reason: one member cares half-time")


class Disability(_Node):
    p_year: float = param(0.004, "probability/household/year", 0.0, 0.2,
                          "Onset of a persistent disability.", "reason: ~0.4% of households a year")


class Accident(_Node):
    p_year: float = param(0.01, "probability/household/year", 0.0, 0.5, "Accident.",
                          "reason: injury incidence ~1%/year")
    cost_mean_yuan: float = param(5_000, "yuan/event", 0.0, 100_000, "Mean cost of an accident.",
                                  "reason: outpatient + short stay")
    cost_sigma: float = param(0.8, "log-points", 0.0, 3.0, "Dispersion of accident cost.",
                              "reason: right-skewed medical bills, as for illness (shocks.illness.cost_sigma)")
    labour_months: int = param(2, "months", 1, 24, "Months of lost labour after an accident.",
                               "reason: outpatient care and a short stay; shorter than the recovery after "
                               "an illness episode (shocks.illness.duration_months)")


class Disaster(_Node):
    p_county_year: float = param(0.12, "probability/county/year", 0.0, 1.0,
                                 "Significant natural disaster in a county.",
                                 "src:J2 (10-22M of ~168M ha affected a year)")
    village_hit_share: float = param(0.5, "share of villages", 0.0, 1.0,
                                     "Share of a hit county's villages affected.",
                                     "reason: disasters are regional")
    crop_loss_mean: float = param(0.35, "share of operating income", 0.0, 1.0,
                                  "Mean loss of a hit village's operating income over the loss period.",
                                  "src:J2 (direct loss per affected area)")
    crop_loss_sigma: float = param(0.5, "log-points", 0.0, 2.0,
                                   "Dispersion of a hit village's loss around crop_loss_mean (log-normal).",
                                   "reason: losses differ from village to village with exposure; 0.5 puts nine "
                                   "in ten hit villages between 0.4 and 2 times the mean (no village-level "
                                   "figure in J2)")
    loss_months: int = param(6, "months", 1, 24, "Months over which crop losses are spread.",
                             "reason: one growing season")
    p_housing_damage: float = param(0.05, "probability/household", 0.0, 1.0,
                                    "Hit household's house becomes unsafe.",
                                    "reason: a few percent of houses damaged in hit villages")
    key_county_multiplier: float = param(1.5, "multiplier", 1.0, 5.0,
                                         "Disaster probability of key counties relative to the others.",
                                         "reason: the key counties lie in the western mountains and plateaus "
                                         "(Yunnan, Guizhou, Gansu, Tibet, Xinjiang), most exposed to floods, "
                                         "landslides and drought; no county-level figure in J2")
    stress: lever_type(0.0, 1.0) = lever(0.0, "probability/county/month", 0.0, 1.0,
                                         "Extra monthly probability that each county is hit (stress test).",
                                         "reason: stress-test overlay")


class Education(_Node):
    cost_per_child_yuan: float = param(1_000, "yuan/child/year", 0.0, 50_000,
                                       "Lumpy September costs per child in school (averaged over stages).",
                                       "reason: compulsory schooling is free; boarding, high-school and "
                                       "college fees average ~1,000 over all children in school")


class Shocks(_Node):
    illness: Illness = Illness()
    disability: Disability = Disability()
    accident: Accident = Accident()
    disaster: Disaster = Disaster()
    education: Education = Education()


# --------------------------------------------------------------------------------------------
# Transfers, assistance, monitoring, enterprises, government
# --------------------------------------------------------------------------------------------


class Transfers(_Node):
    pension_topup_month_2020_yuan: float = param(57, "yuan/person/month (2020 prices)", 0.0, 3_000,
                                                 "Local top-up and personal-account part of the residents' basic "
                                                 "pension on top of the central minimum (price-indexed).",
                                                 "src:H14 (central minimum 93 in 2020; about 150 paid in formerly poor "
                                                 "provinces against 174 on average nationally)")
    policy_subsidy_pc_year_2020_yuan: float = param(300, "yuan/person/year (2020 prices)", 0.0, 5_000,
                                                    "Policy subsidies every rural household receives (farmland "
                                                    "protection, ecological compensation), price-indexed.",
                                                    "reason: farmland fertility subsidy of 100-150 yuan a mu on 2-3 mu "
                                                    "a person plus ecological payments; starting value for the fit")
    transition_subsidy_pc_year_2020_yuan: float = param(600, "yuan/person/year", 0.0, 10_000,
                                                        "Preferential subsidies of registered households.",
                                                        "reason: insurance premium, housing and living subsidies")
    dibao_take_up_weak: float = param(0.05, "probability/month", 0.0, 1.0,
                                      "Monthly chance an income-eligible household without labour capacity "
                                      "(< 0.5 units) applies for dibao and is enrolled.",
                                      "reason: 'all who qualify are covered' for those unable to work; with the "
                                      "labour screen it keeps coverage near its 2020 level (H11, H13) as lines "
                                      "rise (H12); no published take-up rate")
    dibao_take_up_able: float = param(0.003, "probability/month", 0.0, 1.0,
                                      "Monthly chance an income-eligible household with labour capacity applies "
                                      "and passes the labour screen.",
                                      "reason: rules expect able-bodied members to work first; set with "
                                      "dibao_take_up_weak to keep coverage near its 2020 level")
    dibao_earned_disregard: float = param(0.2, "share of wage income", 0.0, 1.0,
                                          "Part of wage income not counted in the dibao income test.",
                                          "reason: 2021 rules let provinces deduct necessary work costs from "
                                          "counted income (10-30% of earnings)")
    dibao_asset_limit_years: float = param(2.0, "years of the dibao line per person", 0.0, 20.0,
                                           "Savings per person above which a household may not enter dibao.",
                                           "reason: provincial asset tests cap financial assets at about 1-3 "
                                           "years of the local line per person")
    tekun_line_ratio: float = param(1.3, "multiple of the dibao line", 1.0, 3.0,
                                    "Basic living standard of extreme-poverty support (tekun) for households "
                                    "without any labour capacity.", "src:H15")
    tekun_labour_max: float = param(0.25, "labour units", 0.0, 1.0,
                                    "Labour capacity below which a household counts as unable to work (tekun).",
                                    "reason: tekun supports persons without labour capacity, income and "
                                    "supporters; an elderly member contributes 0.25 units at start")

    dibao_grace_months: int = param(12, "months", 0, 36,
                                    "Months an enrolled household whose counted income has reached its line keeps "
                                    "dibao (gradual exit); it leaves when its income has stayed at or above the "
                                    "line longer.",
                                    "reason: 2021 civil-affairs rules give households lifted above the line by work "
                                    "a gradual-exit period of 6-12 months")
    education_support_share: float = param(0.7, "share of cost", 0.0, 1.0,
                                           "Education cost covered for registered and dibao households.",
                                           "reason: tuition waivers and living subsidies")
    insured_share: float = param(0.995, "share of households", 0.0, 1.0, "Basic medical insurance enrolment.",
                                 "reason: coverage above 99% of the registered population (NRRA)")
    medical_assistance_share: float = param(0.5, "share of remaining cost", 0.0, 1.0,
                                            "Medical assistance for dibao and monitored households.",
                                            "reason: assistance covers about half of the rest")


class Assistance(_Node):
    industry_gain_pc_year_2021_yuan: float = param(2_200, "yuan/person/year", 0.0, 20_000,
                                                   "Operating income from industrial assistance at full intensity.",
                                                   "src:I11")
    industrial_asset_life_years: float = param(10.0, "years", 1.0, 40.0,
                                               "Mean life of the productive assets industrial assistance builds "
                                               "(livestock, orchards, greenhouses, equipment, skills); they "
                                               "depreciate at 1/life a year unless replaced.",
                                               "src:AS1 (income and asset gains of asset-transfer programmes "
                                               "persist 7-10 years after the transfer)")
    industrial_build_months: float = param(6.0, "months", 1.0, 60.0,
                                           "Time constant with which a supported household's assets are built "
                                           "up to the county's intensity.",
                                           "reason: a project (animals, seedlings, a greenhouse) yields within "
                                           "a season")
    industrial_asset_value_yuan: float = param(30_000, "yuan/household (2020 prices)", 0.0, 500_000,
                                               "Cost of the assets that yield the full industrial gain for one "
                                               "household (replacement costs value/life a year).",
                                               "reason: the I11 gain (2,200 yuan a person, ~7,300 a household) at "
                                               "a 25% annual return; replacement at a 10-year life costs ~3,000 a "
                                               "year, 55-60% of the connection fund per registered household (I12)")
    public_post_share_fp: float = param(0.15, "share of registered households", 0.0, 1.0,
                                        "Registered households holding a public-welfare post at full intensity.",
                                        "src:J9 (4.95M posts, ~30M registered households)")

    cost_employment_month_yuan: float = param(50, "yuan/household/month", 0.0, 5_000,
                                              "Cost of employment services on top of post wages.",
                                              "reason: training and transport subsidies")
    find_boost: float = param(1.0, "multiplier", 0.0, 10.0,
                              "Extra migrant job-finding for households in employment assistance.",
                              "reason: job-matching services double finding rates")


class DataSharing(_Node):
    """The monitoring platform's shared departmental records: for each source, the share of events it
    records and the months before the record reaches the county (at full data sharing). A recorded
    event has cadres verify the household (its projected income for the year, or its hardship)."""

    coverage_medical: float = param(0.9, "share of events", 0.0, 1.0,
                                    "Large medical bills (out of pocket above the hardship share) recorded by "
                                    "medical insurance.",
                                    "reason: insurance settles almost all inpatient bills (insured_share); no "
                                    "published share reaching the platform")
    delay_medical_months: int = param(0, "months", 0, 12, "Delay of medical-insurance records.",
                                      "reason: settlement data are monthly")
    coverage_disaster: float = param(0.8, "share of events", 0.0, 1.0,
                                     "Households hit by a disaster recorded by emergency management.",
                                     "reason: damage is registered by village for relief; some is missed")
    delay_disaster_months: int = param(0, "months", 0, 12, "Delay of disaster records.",
                                       "reason: relief registration within the month")
    coverage_job_loss: float = param(0.3, "share of events", 0.0, 1.0,
                                     "Migrant job losses recorded by human resources departments.",
                                     "reason: migrant work is followed by phone and employer reports; most "
                                     "losses in the informal sector go unrecorded")
    delay_job_loss_months: int = param(1, "months", 0, 12, "Delay of job-loss records.",
                                       "reason: monthly employment follow-up")
    coverage_closure: float = param(0.6, "share of events", 0.0, 1.0,
                                    "Local job losses (separations and enterprise closures) recorded from "
                                    "employers' reports and the enterprise registry.",
                                    "reason: workshops and paired firms report the registered workers they employ "
                                    "to draw their subsidies; closures of small firms and cooperatives are "
                                    "reported late or not at all")
    delay_closure_months: int = param(1, "months", 0, 12, "Delay of local job-loss records.",
                                      "reason: monthly employment reports")
    coverage_dibao: float = param(1.0, "share of events", 0.0, 1.0,
                                  "Dibao enrolments recorded by civil affairs.",
                                  "reason: civil affairs data are shared first")
    delay_dibao_months: int = param(0, "months", 0, 12, "Delay of dibao records.",
                                    "reason: enrolment lists are monthly")
    platform_cost_yuan_per_household_year: float = param(
        2.0, "yuan/real household/year (2020 prices)", 0.0, 100.0,
        "Cost of the platform and of verifying its flags, per rural household, at full data sharing.",
        "reason: provincial platforms cost tens of millions of yuan a year for 10-30 million rural households; "
        "verification visits are part of cadres' work")


class Monitoring(_Node):
    p_screen_month: float = param(0.33, "probability/month", 0.0, 1.0,
                                  "Chance a household is screened in a month (quarterly visits).",
                                  "reason: village cadres screen quarterly; data comparison monthly")
    p_self_report_month: float = param(0.10, "probability/month", 0.0, 1.0,
                                       "Chance an at-risk household reports itself.",
                                       "reason: app and hotline self-reporting since 2021")
    hardship_expense_share: float = param(0.5, "share of annual income", 0.0, 5.0,
                                          "Rigid expense that marks sudden hardship.",
                                          "reason: provincial rules use ~50% of annual income")
    hardship_months: int = param(3, "months", 1, 24,
                                 "Months a sudden-hardship expense stays visible to screening (and refundable "
                                 "by medical assistance once the household is identified).",
                                 "reason: screening visits are quarterly (p_screen_month), so an expense of "
                                 "the last three months is seen")
    stable_months_to_eliminate: int = param(6, "months", 1, 36,
                                            "Months above the threshold before risk is marked eliminated.",
                                            "reason: 'stable for at least half a year' rules")
    income_smoothing_months: float = param(6.0, "months", 1.0, 24.0,
                                           "Averaging window of the income estimate used in screening.",
                                           "reason: cadres assess recent income")
    pressure_gain: float = param(0.5, "effort per relapse-rate point", 0.0, 10.0,
                                 "Rise in county monitoring effort per 1% county relapse rate.",
                                 "reason: responsibility system penalises relapse")
    pressure_decay: float = param(0.5, "share/year", 0.0, 1.0, "Yearly decay of extra effort.",
                                  "reason: attention fades without new relapse")
    days_to_assistance: float = param(15.0, "days", 0.0, 365.0,
                                      "Time from identification to the start of assistance.",
                                      "src:F13 (assistance within about half a month of identification)")
    temporary_assistance_months: float = param(3.0, "months of the dibao line per person", 0.0, 24.0,
                                               "Most temporary assistance a sudden-hardship household gets at "
                                               "once; it covers its shortfall below the threshold up to this.",
                                               "reason: temporary assistance rules pay one-off amounts of a few "
                                               "months of the local dibao standard (1-6 months common)")
    sharing: DataSharing = DataSharing()


class Finance(_Node):
    """Consumption, savings and microcredit of households."""

    consumption_share: float = param(0.8, "share of smoothed income", 0.0, 1.5,
                                     "Consumption out of smoothed monthly income.",
                                     "reason: rural residents spent 13,713 of 17,131 yuan per capita in 2020 "
                                     "(0.80; NBS 2020 communiqué, income D)")
    consumption_passthrough: float = param(0.40, "share of the income surprise", 0.0, 1.0,
                                           "Share of an income surprise (income minus smoothed income) passed "
                                           "to consumption.",
                                           "src:JR1999 (poorest third of rural southern China; richest third "
                                           "about 0.10)")
    credit_limit_supported_yuan: float = param(50_000.0, "yuan/household (2020 prices)", 0.0, 500_000.0,
                                               "Microcredit limit of registered or monitored households.",
                                               "reason: poverty-alleviation microcredit lends registered "
                                               "households up to 50,000 yuan without collateral (2014 "
                                               "guideline), open to monitored households from 2021")
    credit_limit_other_yuan: float = param(20_000.0, "yuan/household (2020 prices)", 0.0, 500_000.0,
                                           "Microcredit limit of other households.",
                                           "reason: unsecured small loans to credit-rated farm households by "
                                           "rural credit cooperatives are commonly 10,000-30,000 yuan")
    interest_supported_year: float = param(0.0, "share/year", 0.0, 0.3,
                                           "Interest on microcredit for registered households while transition "
                                           "subsidies last.",
                                           "reason: poverty-alleviation microcredit is lent at the benchmark "
                                           "rate with the interest paid by the budget (2014 guideline)")
    interest_market_year: float = param(0.06, "share/year", 0.0, 0.3,
                                        "Interest on microcredit for other households (and registered ones "
                                        "once subsidies end).",
                                        "reason: the one-year loan prime rate was 3.85% at the end of 2020; "
                                        "loans to farm households carry a risk margin of about two points")
    initial_savings_share: float = param(0.3, "share of annual household income", 0.0, 3.0,
                                         "Mean liquid savings at the start (each household uniform between none "
                                         "and twice the mean).",
                                         "reason: about four months of income; a rural saving rate of 0.2 "
                                         "(consumption_share) builds it in a year and a half")


class Housing(_Node):
    """Repair and assisted renovation of unsafe houses."""

    renovation_cost_yuan: float = param(20_000.0, "yuan/house (2020 prices)", 0.0, 200_000.0,
                                        "Fiscal cost of an assisted renovation of an unsafe house.",
                                        "reason: the central subsidy for renovating registered households' "
                                        "dilapidated houses averaged 14,000 yuan a household (2017-2020), "
                                        "topped up by provinces and counties")
    p_repair_self_month: float = param(0.15, "probability/month", 0.0, 1.0,
                                       "Monthly chance a household repairs an unsafe house by itself.",
                                       "reason: a damaged house is mostly repaired before the next season: "
                                       "0.15 a month repairs about half within four months")
    p_repair_assisted_month: float = param(0.5, "probability/month", 0.0, 1.0,
                                           "Monthly chance an unsafe house is renovated with assistance "
                                           "(monitored households while assistance responds), at a full county "
                                           "budget.",
                                           "reason: assistance is due within about half a month of "
                                           "identification (F13); renovation works take one to two months")


class Enterprises(_Node):
    households_per_real_village: float = param(300, "households/village", 50, 5_000,
                                               "Real households per administrative village (sets densities).",
                                               "reason: 128,000 poor villages (A12), ~300 households each")
    leading_per_county: float = param(3.0, "enterprises/county", 0.0, 100.0,
                                      "Leading agricultural enterprises per county.",
                                      "reason: 2-3 leading industries per county (I6)")
    coops_per_village: float = param(0.5, "enterprises/village", 0.0, 20.0, "Cooperatives per village.",
                                     "reason: farmer cooperatives linked to poverty-freed households (I7)")
    workshops_per_village_fp: float = param(0.25, "enterprises/village", 0.0, 10.0,
                                            "Poverty-alleviation workshops per village in formerly poor counties.",
                                            "reason: ~32,000 workshops across 128,000 poor villages (A12)")
    paired_per_village_fp: float = param(0.7, "enterprises/village", 0.0, 10.0,
                                         "Outside firms paired with villages by the campaign.",
                                         "src:I4 (88,100 firms helping 102,700 villages)")
    jobs_real: tuple[float, float, float, float] = Field(
        (80.0, 8.0, 30.0, 25.0), description="Local jobs (real) per enterprise: leading, coop, workshop, paired.",
        json_schema_extra={"unit": "jobs", "source": "reason: workshops 20-50 jobs; coops few", "lo": 0, "hi": 10_000})
    contracts_real: tuple[float, float, float, float] = Field(
        (400.0, 40.0, 0.0, 60.0), description="Contract-farming households (real) per enterprise.",
        json_schema_extra={"unit": "households", "source": "src:I7 (75% linked to new entities)",
                           "lo": 0, "hi": 100_000})
    wage_cost_share: float = param(0.4, "share of cost", 0.05, 1.0,
                                   "Wages as a share of an enterprise's monthly costs (costs, and so support "
                                   "paid, follow from jobs).",
                                   "reason: labour-intensive processing, workshops and cooperatives; wages about "
                                   "two fifths of costs (no figure in data/)")
    profit_smoothing_weight: float = param(0.2, "share/month", 0.01, 1.0,
                                           "Weight of the new month in an enterprise's smoothed profit "
                                           "(exit is likelier while it is negative).",
                                           "reason: owners judge losses over the last few months (mean lag "
                                           "(1 - w)/w = 4 months)")
    margin_mean: float = param(0.04, "share of cost", -0.5, 0.5, "Mean operating margin without support.",
                               "reason: thin margins of rural agribusiness")
    margin_sd: float = param(0.08, "share of cost", 0.0, 1.0, "Dispersion of margins across enterprises.",
                             "reason: heterogeneous firms")
    support_share: float = param(0.05, "share of cost", 0.0, 0.5,
                                 "Policy support (subsidy, cheap credit, land) at full intensity.",
                                 "reason: interest subsidies and grants worth ~5% of costs")
    hazard_by_age: tuple[float, float, float, float] = Field(
        (0.016, 0.063, 0.095, 0.08), description="Exit hazard per year at ages 1, 2, 3, 4+ years.",
        json_schema_extra={"unit": "probability/year", "source": "src:I1", "lo": 0.0, "hi": 1.0})
    loss_hazard_multiplier: float = param(3.0, "multiplier", 1.0, 20.0, "Hazard multiplier while losing money.",
                                          "reason: losses precede exit (I2)")
    entry_rate_year: float = param(0.08, "entries/existing enterprise/year", 0.0, 1.0,
                                   "Entry rate when expected profit with support is positive.",
                                   "reason: balances I1 exits in steady state")
    campaign_entry_multiplier: float = param(1.5, "multiplier", 1.0, 10.0,
                                             "Extra paired-firm entry at full campaign intensity.",
                                             "reason: the campaign recruits firms (I4)")
    fp_hiring_share: float = param(0.3, "share of hires", 0.0, 1.0,
                                   "Hires reserved for registered households under campaign rules.",
                                   "reason: workshop rules on hiring poverty-freed labour")
    key_county_density: float = param(0.7, "multiplier", 0.0, 2.0,
                                      "Enterprises per village or county in key counties relative to other "
                                      "counties of their type (remoteness).",
                                      "reason: remote mountain counties far from markets attract fewer firms; "
                                      "no published count")


class Government(_Node):
    fund_per_supported_household_year_yuan: float = param(
        5_500, "yuan/supported household/year (2020 prices)", 0.0, 100_000,
        "Connection fund reaching the counties per registered or monitored household.",
        "src:I12, I8 (central connection funds of 156.1bn in 2021 and 177bn in 2025 over ~30M registered "
        "households: 5,200-5,900 yuan a year; provincial and county matching funds, not counted, add to them)")
    key_county_weight: float = param(1.5, "multiplier", 1.0, 10.0,
                                     "Provincial allocation weight of key counties per yuan of need.",
                                     "reason: central and provincial funds are tilted toward the 160 key "
                                     "counties; no published ratio")
    max_intensity: float = param(2.0, "share of the 2020 level", 1.0, 5.0,
                                 "Most assistance a county can deliver per supported household in a year, "
                                 "relative to the 2020 level, however large its budget.",
                                 "reason: project pipelines and implementing capacity limit how fast extra "
                                 "funds become projects")
    key_county_construction_return: float = param(1.5, "multiplier", 1.0, 5.0,
                                                  "Productivity return to rural construction in key counties "
                                                  "relative to the others (their infrastructure deficit).",
                                                  "src:FZ2002 (returns to rural roads and other public "
                                                  "investment highest in the poorer western regions)")
    construction_lag_months: float = param(24, "months", 1, 120, "Lag of construction effects.",
                                           "reason: projects take 1-3 years to pay off")
    construction_elasticity: float = param(1.0, "productivity gain per (stock / household income)", 0.0, 5.0,
                                           "Productivity gain per unit of construction stock over income.",
                                           "reason: rural roads and irrigation return roughly their cost "
                                           "in output over their life")


class LargeScale(_Node):
    county_threshold: float = param(0.05, "share of formerly poor households", 0.0, 1.0,
                                    "County-year relapse rate that counts as large-scale relapse.",
                                    "reason: no official figure (SOURCES trap 5); 5% is 2.5x the "
                                    "unstable share (A15) relapsing in one year")
    min_persons: float = param(1_000, "real persons", 0.0, 1_000_000,
                               "Persons relapsing in a county-year below which the county-year is not "
                               "large-scale, whatever its rate.",
                               "reason: no official figure; 1,000 persons is about 1% of the ~119,000 "
                               "poverty-freed persons of an average formerly poor county (99M over 832, A12) "
                               "and excludes counties with few registered households")


class Metrics(_Node):
    large_scale: LargeScale = LargeScale()
    relative_poverty_share: float = param(0.40, "share of rural median", 0.0, 1.0,
                                          "Relative poverty line as a share of the rural median.",
                                          "reason: common proposal of 40% of the median")
    three_guarantees_check: bool = Field(True, description="Count a three-guarantees failure as poor.",
                                         json_schema_extra={"unit": "flag", "source": "reason: exit "
                                                            "standard 'two no-worries, three guarantees'",
                                                            "lo": None, "hi": None})


# --------------------------------------------------------------------------------------------
# Macro paths (exogenous, dated)
# --------------------------------------------------------------------------------------------


class Macro(_Node):
    gdp_growth_real: lever_type(-0.2, 0.3) = lever(
        {2016: 0.067, 2017: 0.069, 2018: 0.066, 2019: 0.061, 2020: 0.023,
         2021: 0.081, 2022: 0.030, 2023: 0.052, 2024: 0.050, 2025: 0.050, 2026: 0.045, 2028: 0.042},
        "share/year", -0.2, 0.3, "Real GDP growth (initial releases; 2025+ assumed).", "src:D")
    inflation: lever_type(-0.1, 0.3) = lever(
        {2016: 0.020, 2017: 0.016, 2018: 0.021, 2019: 0.029, 2020: 0.025,
         2021: 0.009, 2022: 0.020, 2023: 0.002, 2024: 0.002, 2025: 0.01, 2026: 0.015},
        "share/year", -0.1, 0.3, "Consumer price inflation (2025+ assumed).",
        "reason: NBS CPI 2016-2024; 1-1.5% assumed after")
    urban_income_growth: lever_type(-0.2, 0.3) = lever(
        {2016: 0.0776, 2017: 0.082, 2018: 0.078, 2019: 0.080, 2020: 0.0348,
         2021: 0.0814, 2022: 0.0395, 2023: 0.0515, 2024: 0.0457, 2025: 0.045},
        "share/year", -0.2, 0.3, "Nominal urban per-capita income growth (2025+ assumed).",
        "src:D (urban_income_pc 2015-2016, 2019-2024; 2017-2019 real growth plus CPI, compounding "
        "to the 2016-2019 levels)")
    migrant_wage_month_yuan: lever_type(500, 100_000) = lever(
        {2016: 3_275, 2017: 3_485, 2018: 3_721, 2019: 3_962, 2020: 4_072, 2021: 4_432, 2022: 4_615, 2023: 4_780,
         2024: 4_961}, "yuan/worker/month (current prices)", 500, 100_000,
        "Average monthly income of migrant workers by year; wages of rural households (migrant and local) "
        "follow it, interpolated between mid-years; after its last year they grow with urban income "
        "(wage_elasticity). Wages are indexed on it, so it must be positive; the floor of 500 is a seventh "
        "of the 2016 level.", "src:J11 (the 2021 rebound of +8.8% after the 2020 shock)")
    wage_elasticity: float = param(1.0, "elasticity", 0.0, 2.0, "Rural wage growth per urban income growth.",
                                   "reason: migrant wages track urban incomes")
    migrant_demand: lever_type(0.0, 2.0) = lever(
        {2016: 1.0, "2020-02": 0.40, "2020-03": 0.62, "2020-04": 0.86, "2020-05": 0.95, "2020-06": 1.0,
         "2020-10": 1.075, 2021: 1.0}, "index (2019 = 1)", 0.0, 2.0,
        "Demand for migrant labour (job finding x, loss /); the 2020 path is the COVID shock.",
        "src:J6 (poor migrants back at work: 0.40 end-Feb, 0.62 mid-Mar, 0.86 mid-Apr, 0.95 end-Apr, "
        "1.075 end-Sep 2020)")
    price_level: lever_type(0.0, 5.0) = lever(1.0, "index", 0.0, 5.0,
                                              "Dated multiplier on the main characteristic industry's price.",
                                              "reason: stress-test overlay (price collapse)")
    remittance_index: lever_type(0.0, 3.0) = lever(1.0, "index (trend = 1)", 0.0, 3.0,
                                                  "Dated multiplier on remittances and private transfers "
                                                  "(they otherwise grow with wages).",
                                                  "reason: stress-test lever; 1 follows wages")
    illness_multiplier: lever_type(0.0, 10.0) = lever(1.0, "multiplier", 0.0, 10.0,
                                                      "Dated multiplier on illness incidence.",
                                                      "reason: stress-test overlay (wave of illness)")


# --------------------------------------------------------------------------------------------
# Policy levers (dated)
# --------------------------------------------------------------------------------------------


class MonitoringPolicy(_Node):
    enabled: lever_type(0, 1) = lever(1.0, "flag (0/1)", 0, 1, "Dynamic monitoring mechanism on.",
                                      "reason: in force since 2021")
    coverage: lever_type(0, 1) = lever(0.9, "share", 0, 1, "Share of at-risk households screening can reach.",
                                       "reason: mechanism reaches most villages; gaps remain")
    threshold_yuan: lever_type(0, 30_000) = lever({2021: 6_000, 2022: 6_600}, "yuan/person/year", 0, 30_000,
                                                  "Monitoring threshold; indexed with prices after 2022.",
                                                  "src:B5, B7")
    responsive_assistance: lever_type(0, 1) = lever(1.0, "flag (0/1)", 0, 1,
                                                    "Monitored households receive assistance.",
                                                    "reason: 'monitoring plus assistance'")
    data_sharing: lever_type(0, 1) = lever({2021: 0.5, 2023: 1.0}, "share of full sharing", 0, 1,
                                           "Inter-departmental data sharing of the monitoring platform: multiplies "
                                           "each source's coverage (monitoring.sharing).",
                                           "reason: the national monitoring platform opened in 2021; departmental "
                                           "data comparison was extended in 2022-2023 (F13)")
    targeted: lever_type(0, 1) = lever(1.0, "flag (0/1)", 0, 1,
                                       "Assistance by category (1): unstable and marginal households with labour "
                                       "get industrial and employment assistance, those without social "
                                       "security, sudden-hardship households medical and temporary assistance "
                                       "first; 0: by labour capacity alone, the same package for every "
                                       "category.", "reason: the 2021 monitoring guidance; 0 for comparison")


class IntensityLever(_Node):
    intensity: lever_type(0.0, 2.0) = lever(1.0, "share of 2020 level", 0.0, 2.0,
                                            "Intensity of this assistance relative to 2020.",
                                            "reason: 2020 level = 1")


class AssistancePolicy(_Node):
    industrial: IntensityLever = IntensityLever()
    employment: IntensityLever = IntensityLever()
    social: IntensityLever = IntensityLever()


class MedicalPolicy(_Node):
    inclusive_rate: lever_type(0.0, 1.0) = lever(0.55, "share of cost", 0.0, 1.0,
                                                 "Reimbursement for everybody (basic + critical illness).",
                                                 "reason: rural residents' effective reimbursement ~55%")
    preferential_rate: lever_type(0.0, 1.0) = lever(0.80, "share of cost", 0.0, 1.0,
                                                    "Reimbursement for registered households (tilted policy).",
                                                    "reason: 'three guarantees' medical policies held ~80-90%")


class TacklingPolicy(_Node):
    """Dated levers of the 2016-2020 campaign; zero (neutral) by default and after 2020."""

    registration: lever_type(0, 1) = lever(0.0, "flag (0/1)", 0, 1,
                                           "Poverty register kept: December exit procedure and registration "
                                           "of newly poor households.",
                                           "reason: the register of the campaign closed at the end of 2020 (A10)")
    targeted_assistance: lever_type(0.0, 2.0) = lever(0.0, "share of campaign level", 0.0, 2.0,
                                                      "Intensity of intensive targeted assistance to registered "
                                                      "households (projects, organised labour export, the "
                                                      "bottom-line guarantee).",
                                                      "reason: campaign level = 1 in 2016-2020, none after")
    relocation_share: lever_type(0.0, 1.0) = lever(0.0, "share of registered-poor households/year", 0.0, 1.0,
                                                   "Registered-poor households relocated from inhospitable areas "
                                                   "each January.",
                                                   "reason: scenario lever; historical value from A13")


class SocialProtectionPolicy(_Node):
    """Dated standards of the social-security bottom line (nominal yuan): data where published, then grown
    by ``standard_growth_year``."""

    dibao_line_yuan: lever_type(0, 50_000) = lever(
        {2016: 3_744, 2017: 4_301, 2018: 4_833, 2019: 5_336, 2020: 5_962, 2021: 6_362, 2022: 6_985, 2023: 7_484},
        "yuan/person/year (current prices)", 0, 50_000,
        "Average rural dibao line at the end of each year (in a year it moves from the year before's value in "
        "January to its own in December; after its last year: grown by standard_growth_year).",
        "src:H12 (national average rural standard at year-end)")
    pension_minimum_month_yuan: lever_type(0, 5_000) = lever(
        {2016: 70, 2018: 88, 2020: 93, 2022: 98, 2023: 103, 2024: 123, 2025: 143},
        "yuan/person/month (current prices)", 0, 5_000,
        "Central minimum of the residents' basic pension (after its last year: grown by standard_growth_year).",
        "src:H14")
    standard_growth_year: lever_type(-0.1, 0.3) = lever(0.05, "share/year", -0.1, 0.3,
                                                        "Nominal growth of the dibao line and the pension minimum "
                                                        "after the last year of their data.",
                                                        "reason: standards followed rural consumption, which grew "
                                                        "about 5-8% a year nominally in 2021-2024 (D)")
    dibao_line_scale: lever_type(0.0, 3.0) = lever(1.0, "multiple of the average line", 0.0, 3.0,
                                                   "The province's dibao line relative to the national average.",
                                                   "reason: scenario lever; western provinces' lines are near "
                                                   "the average")
    public_transfers: lever_type(0.0, 2.0) = lever(1.0, "share of the rules' amounts", 0.0, 2.0,
                                                   "Multiplier on pensions, dibao and tekun benefits and policy "
                                                   "subsidies (0 withdraws them: a stress test).",
                                                   "reason: stress-test lever; 1 pays the rules' amounts")


class RuralConstructionPolicy(_Node):
    share: lever_type(0.0, 1.0) = lever(0.35, "share of the connection fund", 0.0, 1.0,
                                        "Share of each county's connection fund set aside each January for rural "
                                        "construction (small infrastructure and public services).",
                                        "src:I12 (at least 55% to industry from 2022, 60% from 2023; the rest, "
                                        "about 0.3-0.45, to employment services and small infrastructure)")
    intensity: lever_type(0.0, 5.0) = lever(1.0, "share of the planned line", 0.0, 5.0,
                                            "Multiplier on the construction line, financed on top of the fund "
                                            "(extra infrastructure money).",
                                            "reason: scenario lever; 1 = the fund's share")


class Policy(_Node):
    monitoring: MonitoringPolicy = MonitoringPolicy()
    assistance: AssistancePolicy = AssistancePolicy()
    transition_subsidy: IntensityLever = IntensityLever()
    medical: MedicalPolicy = MedicalPolicy()
    enterprise_support: IntensityLever = IntensityLever()
    campaign: IntensityLever = IntensityLever()
    key_county_extra: lever_type(0.0, 5.0) = lever(0.0, "share of the key counties' allocation", 0.0, 5.0,
                                                   "Extra funds for key counties as a share of their allocation, "
                                                   "financed on top of the provincial fund.",
                                                   "reason: scenario lever")
    social_protection: SocialProtectionPolicy = SocialProtectionPolicy()
    rural_construction: RuralConstructionPolicy = RuralConstructionPolicy()

    central_fund: lever_type(0.0, 3.0) = lever(1.0, "share of 2020 level", 0.0, 3.0,
                                               "Central connection fund relative to 2020.", "src:I8")
    labour_export_share: lever_type(0.0, 1.0) = lever(
        {2021: 0.05, 2023: 0.044, 2024: 0.0}, "share of registered labour households not working away/year",
        0.0, 1.0,
        "Organised labour export after 2020: each January this share of registered households with labour "
        "whose members do not work away is organised to (they become willing to migrate).",
        "src:J10 (poverty-freed labour working away grew 4.2% in 2021 and 2022, 3.6% in 2023 and fell in "
        "2024; with 55% of labour households willing, about 1.2 times the growth converts)")
    dibao_for_all_eligible: lever_type(0, 1) = lever(0.0, "flag (0/1)", 0, 1,
                                                     "Dibao enrolment by the income test alone: households with "
                                                     "labour capacity take up as those without (no labour screen).",
                                                     "reason: scenario lever (inclusive shift)")
    tackling: TacklingPolicy = TacklingPolicy()


# --------------------------------------------------------------------------------------------
# Historical runs: the end-2016 province and the "tackling key problems" campaign (2016-2020)
# --------------------------------------------------------------------------------------------


class History(_Node):
    """Initial state of a historical run (``sim.start_year`` 2017): the province at the end of 2016."""

    income_pc_fpc_2016_yuan: float = param(8_452, "yuan/person/year", 2_000, 50_000,
                                           "Mean per-capita income in formerly poor (then poor) counties, 2016.",
                                           "src:C5")
    income_pc_nonpoor_2016_yuan: float = param(12_363, "yuan/person/year", 2_000, 80_000,
                                               "Mean per-capita income in never-poor counties, 2016.",
                                               "src:D (national rural mean 2016)")
    income_pc_registered_2016_yuan: float = param(7_211, "yuan/person/year", 2_000, 50_000,
                                                  "Mean per-capita net income of registered households, 2016.",
                                                  "reason: F1 (10,740 in 2020) scaled by poor-area income "
                                                  "2016/2020 (C5/C9 = 0.671), the upper end for registered "
                                                  "households whose income grew faster than their counties'; "
                                                  "fitted to F1 in the baseline (scenarios/calibrated.yaml)")
    headcount_2016: float = param(0.045, "share of persons", 0.001, 0.3,
                                  "Persons below the 2016 line, province-wide; all of them registered.",
                                  "src:A6 (national rural headcount, applied to the province)")
    industry_potential_share_2016: float = param(0.43, "share of full project potential", 0.0, 1.0,
                                                 "Industrial-project income potential registered households "
                                                 "hold at the end of 2016.",
                                                 "reason: projects built evenly over the campaign 2014-2020 "
                                                 "(3 of 7 years done; I11 is the full potential)")
    poverty_line_yuan: lever_type(0, 20_000) = lever(
        {2016: 3_151, 2017: 3_343, 2018: 3_547, 2019: 3_764, 2020: 4_000}, "yuan/person/year (current)",
        0, 20_000, "National poverty line in force in each year before 2021.",
        "src:B2, B3 (2,800 in 2014 to 4,000 in 2020, geometric path)")


class Tackling(_Node):
    """Static parameters of the campaign mechanisms (used only while its levers are on)."""

    project_gain_pc_year_2020_yuan: float = param(314, "yuan/person/year (2020 prices)", 0.0, 3_000,
                                                  "Industrial-project income potential added per registered "
                                                  "person per campaign year at full targeted assistance.",
                                                  "reason: I11 (2,200 by 2021) built evenly over 2014-2020")
    labour_export_share: float = param(0.15, "share/year", 0.0, 1.0,
                                       "Registered-poor households with labour not yet working away whose "
                                       "workers are organised to work away, per campaign year.",
                                       "src:F5, F6 (27.3M to 30.2M registered labourers away 2019-2020, "
                                       "~3M a year of ~20M not away)")
    bottom_line_share: float = param(0.1, "share/year", 0.0, 1.0,
                                     "Register households with labour brought under the dibao guarantee each "
                                     "campaign year (those without labour capacity always are).",
                                     "reason: the guarantee covered those industry and jobs could not lift; "
                                     "no share in the reference data (data/), so it is calibrated (starting value)")
    exit_income_margin: float = param(1.0, "multiple of the poverty line", 1.0, 3.0,
                                      "Year-end per-capita net income a registered-poor household needs to exit "
                                      "(with the three guarantees met).",
                                      "reason: exit standard: net income above the line, two no-worries and "
                                      "three guarantees")
    relocation_farm_loss: float = param(0.3, "share of operating income", 0.0, 1.0,
                                        "Operating income a relocated household gives up (land left behind).",
                                        "reason: relocated households keep part of their land use via "
                                        "follow-up industry support")


# --------------------------------------------------------------------------------------------
# The tree
# --------------------------------------------------------------------------------------------


class Params(_Node):
    """All parameters of one run."""

    sim: Sim = Sim()
    population: Population = Population()
    income: Income = Income()
    labour: Labour = Labour()
    prices: Prices = Prices()
    shocks: Shocks = Shocks()
    transfers: Transfers = Transfers()
    assistance: Assistance = Assistance()
    monitoring: Monitoring = Monitoring()
    finance: Finance = Finance()
    housing: Housing = Housing()
    enterprises: Enterprises = Enterprises()
    government: Government = Government()
    macro: Macro = Macro()
    metrics: Metrics = Metrics()
    policy: Policy = Policy()
    history: History = History()
    tackling: Tackling = Tackling()
    poverty_line_2020_yuan: float = param(4_000, "yuan/person/year", 1_000, 20_000,
                                          "Poverty line in 2020 (2,300 at 2010 prices, indexed).", "src:B3")

    def with_overrides(self, overrides: Mapping[str, Any], origin: str = "overrides",
                       cross_field: bool = True) -> Params:
        """A new ``Params`` with dotted-path overrides applied all at once (or none at all).

        With ``cross_field`` (the default) the result must also keep the rules that link several
        parameters (:func:`model.feasibility.problems`: more households than counties, initial
        incomes that can be drawn); leave them out only to check values one at a time.
        """
        data = self.model_dump(mode="python")
        problems: list[str] = []
        for path, value in overrides.items():
            err = check_path(path)
            if err:
                problems.append(f"{origin}: {err}")
                continue
            node = data
            parts = path.split(".")
            for part in parts[:-1]:
                node = node[part]
            node[parts[-1]] = value
        try:
            result = Params.model_validate(data)
        except ValidationError as exc:
            problems += format_validation_errors(exc, origin)
        if not problems and cross_field:
            from .feasibility import problems as cross_field_problems

            problems += [f"{origin}: {p}" for p in cross_field_problems(result)]
        if problems:
            raise ParamsError(problems)
        return result

    def get(self, path: str) -> Any:
        """Value at a dotted path."""
        node: Any = self
        for part in path.split("."):
            node = getattr(node, part)
        return node

    def to_data(self) -> dict[str, Any]:
        """Plain nested data (schedules as numbers or mappings)."""
        return self.model_dump(mode="json")


class ParamsError(ValueError):
    """Invalid parameters: every problem found, one per line (a line that quotes a huge value keeps
    its start and end)."""

    def __init__(self, problems: list[str]):
        self.problems = [shorten(str(p)) for p in problems]
        super().__init__("\n".join(self.problems))



# --------------------------------------------------------------------------------------------
# Introspection: dotted names, metadata, suggestions
# --------------------------------------------------------------------------------------------


def _walk(cls: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, field in cls.model_fields.items():
        path = f"{prefix}{name}"
        ann = field.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            yield from _walk(ann, path + ".")
        else:
            yield path, field


def parameter_table() -> list[dict[str, Any]]:
    """One row per leaf parameter: path, unit, default, lo, hi, lever, doc, source."""
    default = Params()
    rows = []
    for path, field in _walk(Params):
        extra = field.json_schema_extra or {}
        value = default.get(path)
        if isinstance(value, Schedule):
            value = value.to_data()
        rows.append({
            "path": path,
            "unit": extra.get("unit", ""),
            "default": value,
            "lo": extra.get("lo"),
            "hi": extra.get("hi"),
            "lever": bool(extra.get("lever", False)),
            "doc": field.description or "",
            "source": extra.get("source", ""),
        })
    return rows


def leaf_paths() -> list[str]:
    return [p for p, _ in _walk(Params)]


def _node_paths() -> set[str]:
    out: set[str] = set()
    for p in leaf_paths():
        parts = p.split(".")
        for i in range(1, len(parts)):
            out.add(".".join(parts[:i]))
    return out


def closest_paths(path: str, n: int = 3) -> list[str]:
    """Valid dotted paths closest to a misspelt one."""
    candidates = leaf_paths()
    best = difflib.get_close_matches(path, candidates, n=n, cutoff=0.5)
    if not best:
        last = path.split(".")[-1]
        best = [c for c in candidates if c.split(".")[-1] == last][:n]
    return best


def check_path(path: str) -> str | None:
    """None when ``path`` names a parameter, else a message with the closest valid names."""
    if path in leaf_paths():
        return None
    if path in _node_paths():
        return f"'{path}' is a group, not a parameter; set one of its fields (e.g. '{path}.…')"
    hints = closest_paths(path)
    hint = f"; did you mean {', '.join(repr(h) for h in hints)}?" if hints else ""
    return f"unknown parameter '{path}'{hint}"


def bounds(path: str) -> tuple[float, float]:
    """Valid range of a numeric parameter or lever (used for SALib problems)."""
    for p, field in _walk(Params):
        if p == path:
            extra = field.json_schema_extra or {}
            lo, hi = extra.get("lo"), extra.get("hi")
            if lo is None or hi is None:
                raise ParamsError([f"parameter '{path}' has no numeric range"])
            return float(lo), float(hi)
    raise ParamsError([check_path(path) or path])


def format_validation_errors(exc: ValidationError, origin: str) -> list[str]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"] if not str(x).startswith("function-"))
        msg = err["msg"]
        inp = err.get("input")
        extra = ""
        try:
            lo, hi = bounds(loc)
            extra = f" (allowed range [{lo:g}, {hi:g}])"
        except Exception:
            pass
        if err["type"] == "extra_forbidden":
            hints = closest_paths(loc)
            msg = "unknown parameter" + (f"; did you mean {', '.join(map(repr, hints))}?" if hints else "")
            extra = ""
        out.append(f"{origin}: {loc} = {quote(inp)}: {msg}{extra}")
    return out
