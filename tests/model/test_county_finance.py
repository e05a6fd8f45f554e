"""County finance that plans: dated standards, the provincial allocation by need, the county's
intensity plan, and the accounts of a run (model/governments.py, model/model.py)."""

from __future__ import annotations

import numpy as np
import pytest

import model
from model.governments import Levers, ProvincialGovernment, planned_intensity
from model.params import Params
from model.policy import Schedule
from model.prices import standard_at, year_end_standard_at
from scenarios import load_scenario


def test_standard_grows_after_its_data():
    data = Schedule.parse({2020: 100.0, 2023: 200.0})
    growth = Schedule.parse({2021: 0.05, 2025: 0.10})
    assert standard_at(data, growth, 2022) == 100.0
    assert standard_at(data, growth, 2023, 6) == 200.0
    assert standard_at(data, growth, 2024) == pytest.approx(200.0 * 1.05)
    assert standard_at(data, growth, 2026) == pytest.approx(200.0 * 1.05 * 1.10 * 1.10)


def test_default_dibao_line_and_pension_follow_the_data_then_grow():
    p = Params().policy.social_protection
    assert standard_at(p.dibao_line_yuan, p.standard_growth_year, 2020, 12) == 5_962
    # a year-end standard moves through the year: half-way in June
    assert year_end_standard_at(p.dibao_line_yuan, p.standard_growth_year, 2021, 6) == pytest.approx(5_962 + 0.5 * 400)
    assert standard_at(p.dibao_line_yuan, p.standard_growth_year, 2023) == 7_484
    assert standard_at(p.dibao_line_yuan, p.standard_growth_year, 2025) == pytest.approx(7_484 * 1.05**2)
    assert standard_at(p.pension_minimum_month_yuan, p.standard_growth_year, 2024) == 123
    assert standard_at(p.pension_minimum_month_yuan, p.standard_growth_year, 2026) == pytest.approx(143 * 1.05)


def test_planned_intensity_spreads_what_is_left_over_the_months():
    remaining = np.array([1200.0, 600.0, 0.0, -50.0, 500.0])
    need = np.array([100.0, 100.0, 100.0, 100.0, 0.0])
    # 6 months left: 1200 / 600 = 2 (at the cap), 600 / 600 = 1, nothing left -> 0, nothing needed -> cap
    np.testing.assert_allclose(planned_intensity(remaining, need, 6, 1.5), [1.5, 1.0, 0.0, 0.0, 1.5])


class _Stub:
    def __init__(self, params):
        self.params = params


def _levers(**kw) -> Levers:
    base = dict(year=2021, month=1, monitoring_enabled=True, coverage=0.9, threshold_yuan=6000.0, responsive=True,
                data_sharing=1.0, targeted=True,
                industrial=1.0, employment=1.0, social=1.0, transition_subsidy=1.0, medical_inclusive=0.55,
                medical_preferential=0.8, enterprise_support=1.0, campaign=1.0, key_county_extra=0.0,
                dibao_line_yuan=6362.0, pension_minimum_month_yuan=93.0, public_transfers=1.0, dibao_for_all=False,
                central_fund=1.0, labour_export=0.0, construction_share=0.25, construction_intensity=1.0,
                gdp_growth_real=0.08,
                inflation=0.01, urban_income_growth=0.08, migrant_demand=1.0, price_level=1.0, remittance_index=1.0,
                illness_multiplier=1.0, disaster_stress=0.0)
    base.update(kw)
    return Levers(**base)


def test_allocation_is_by_need_with_key_weight_and_extra_funds_on_top():
    p = Params().with_overrides({"government.fund_per_supported_household_year_yuan": 1000.0,
                                 "government.key_county_weight": 2.0})
    gov = ProvincialGovernment.__new__(ProvincialGovernment)
    gov.params = p
    supported = np.array([100.0, 100.0, 200.0])
    need = np.array([10.0, 10.0, 20.0])
    ctype = np.array([0, 1, 2])  # key, other formerly poor, never poor
    assist, build = gov.allocate(_levers(), supported, need, ctype, cpi=1.0)
    total = 1000.0 * 400  # fund per supported household × supported
    alloc = total * np.array([20.0, 10.0, 20.0]) / 50.0  # need × weight (key × 2)
    np.testing.assert_allclose(assist, alloc * 0.75)
    np.testing.assert_allclose(build, alloc * 0.25)
    # extra funds for key counties are added, others keep theirs; more construction money is extra too
    assist2, build2 = gov.allocate(_levers(key_county_extra=0.5, construction_intensity=2.0), supported, need, ctype,
                                   cpi=1.0)
    np.testing.assert_allclose(assist2, alloc * np.array([1.5, 1.0, 1.0]) * 0.75)
    np.testing.assert_allclose(build2, alloc * np.array([1.5, 1.0, 1.0]) * 0.25 * 2.0)
    # a taper of industrial assistance tapers the fund
    assist3, _ = gov.allocate(_levers(industrial=0.5), supported, need, ctype, cpi=1.0)
    np.testing.assert_allclose(assist3, assist * 0.5)


@pytest.fixture(scope="module")
def year_run():
    p = load_scenario("transition", {"population.n_households": 20_000, "population.n_counties": 10,
                                     "sim.n_years": 3}).params
    return model.run(p, seed=4, collect_monthly=True)


def test_counties_spend_their_assistance_line_over_the_year(year_run):
    """No county runs dry before the year ends: formerly poor counties spend their whole line
    (within 5%), evenly enough that the intensity of their last month is still above zero."""
    c = year_run.counties
    fpc = c[c.county_type != "never_poor"]
    ratio = fpc.assistance_spent_yuan / fpc.budget_yuan
    assert ratio.between(0.95, 1.05).all(), ratio.describe()
    assert (fpc.assistance_intensity > 0.2).all()
    assert (c.shortfall_yuan >= 0).all() and (c.construction_budget_yuan > 0).all()
    spend_cols = [k for k in c.columns if k.startswith("spend_") and k.endswith("_yuan")]
    from model.governments import SPEND_CATEGORIES

    assert len(spend_cols) == len(SPEND_CATEGORIES)
    np.testing.assert_allclose(
        c[["spend_industrial_assistance_yuan", "spend_employment_assistance_yuan",
           "spend_housing_renovation_yuan"]].sum(axis=1), c.assistance_spent_yuan)


def test_key_counties_have_their_traits(year_run):
    """Key counties start poorer than the other formerly poor counties (population.income_ratio_key)."""
    c = year_run.counties
    first = c[c.year == c.year.min()]
    key = first[first.county_type == "key"].income_pc_yuan.mean()
    other = first[first.county_type == "formerly_poor"].income_pc_yuan.mean()
    assert key / other == pytest.approx(0.88, abs=0.04)
