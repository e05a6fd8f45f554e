"""End-to-end behaviour of RuralModel: determinism, common random numbers, accounting identities,
invariants, calibration of the synthetic population, and policy directions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import model
from model.households import FIELDS
from model.model import RuralModel
from model.params import Params
from scenarios import load_scenario

SMALL = {"population.n_households": 4000, "population.n_counties": 5, "sim.n_years": 3}


def small_params(**extra) -> Params:
    return Params().with_overrides({**SMALL, **extra})


@pytest.fixture(scope="module")
def small_run() -> model.RunResult:
    return model.run(small_params(), seed=7)


def test_same_seed_same_tables(small_run):
    again = model.run(small_params(), seed=7)
    pd.testing.assert_frame_equal(small_run.annual, again.annual)
    pd.testing.assert_frame_equal(small_run.monthly, again.monthly)
    pd.testing.assert_frame_equal(small_run.counties, again.counties)
    assert small_run.summary == again.summary


def test_different_seed_differs(small_run):
    other = model.run(small_params(), seed=8)
    assert not small_run.annual["relapse_rate"].equals(other.annual["relapse_rate"]) or \
        not small_run.annual["income_pc_mean_yuan"].equals(other.annual["income_pc_mean_yuan"])


def test_common_random_numbers_before_withdrawal():
    """transition and abrupt_withdrawal share every lever in 2021, so with the same seed their
    2021 results are identical; from 2022 they differ."""
    over = {**SMALL}
    a = model.run(load_scenario("transition", over).params, seed=3)
    b = model.run(load_scenario("abrupt_withdrawal", over).params, seed=3)
    pd.testing.assert_frame_equal(a.annual[a.annual.year == 2021], b.annual[b.annual.year == 2021])
    pd.testing.assert_frame_equal(a.monthly[a.monthly.year == 2021], b.monthly[b.monthly.year == 2021])
    pd.testing.assert_frame_equal(a.counties[a.counties.year == 2021], b.counties[b.counties.year == 2021])
    assert not a.annual[a.annual.year == 2022].equals(b.annual[b.annual.year == 2022])


def test_shocks_identical_across_policies():
    """Shock draws do not depend on policy: the same households fall ill and are hit by disasters."""
    p1 = small_params()
    p2 = small_params(**{"policy.monitoring.enabled": 0, "policy.assistance.industrial.intensity": 0})
    m1, m2 = RuralModel(p1, seed=5), RuralModel(p2, seed=5)
    for _ in range(18):
        m1.step()
        m2.step()
        np.testing.assert_array_equal(m1.households.ill_months, m2.households.ill_months)
        np.testing.assert_array_equal(m1.households.disaster_months, m2.households.disaster_months)
        np.testing.assert_array_equal(m1.households.disabled, m2.households.disabled)


def test_accounting_identities(small_run):
    a = small_run.annual
    # government transfer spending equals transfers received by households
    np.testing.assert_allclose(a["transfer_spending_yuan"], a["transfer_received_yuan"], rtol=1e-6)
    # income components add up to income
    total = a["wage_share_fpc"] + a["operating_share_fpc"] + a["property_share_fpc"] + a["transfer_share_fpc"]
    np.testing.assert_allclose(total, 1.0, rtol=1e-9)
    # fiscal cost is the sum of the spending categories
    spend_cols = [c for c in a.columns if c.startswith("spend_")]
    np.testing.assert_allclose(a[spend_cols].sum(axis=1), a["fiscal_cost_yuan"], rtol=1e-9)


def test_weights_sum_to_population():
    p = small_params()
    m = RuralModel(p, seed=1)
    expected = p.population.n_counties * p.population.real_households_per_county
    assert m.households.weight.astype(np.float64).sum() == pytest.approx(expected, rel=1e-5)
    # every county represents the same number of real households
    per_county = np.bincount(m.households.county, weights=m.households.weight)
    np.testing.assert_allclose(per_county, p.population.real_households_per_county, rtol=1e-5)


def test_invariants(small_run):
    a, c = small_run.annual, small_run.counties
    assert not a.isna().any().any(), a.columns[a.isna().any()].tolist()
    assert not c.isna().any().any()
    share_cols = [k for k in a.columns if k.endswith(("_rate", "_share", "_share_fpc")) or k == "gini"]
    for k in share_cols:
        assert a[k].between(0, 1).all(), k
    assert c["relapse_rate"].between(0, 1).all() and c["poverty_rate"].between(0, 1).all()
    assert list(a["year"]) == [2021, 2022, 2023]
    assert len(small_run.monthly) == 36
    assert len(c) == 3 * 5
    # the contract's columns and summary keys exist
    for col in ("year", "poverty_rate", "relapse_rate", "new_poverty_rate", "monitored_share",
                "risk_eliminated_share", "income_pc_mean_yuan", "income_pc_fpc_yuan", "income_growth_fpc",
                "gdp_growth", "urban_income_growth", "rural_income_growth", "three_excesses",
                "wage_share_fpc", "transfer_share_fpc", "relative_poverty_rate", "gini", "fiscal_cost_yuan",
                "enterprises", "local_jobs"):
        assert col in a.columns, col
    for col in ("county", "county_type", "relapse_rate", "poverty_rate", "income_pc_yuan", "large_scale"):
        assert col in c.columns, col
    for key in model.metrics.SUMMARY_KEYS:
        assert key in small_run.summary, key
    assert 0 <= small_run.summary["relapse_cum_share"] <= 1


def test_household_state_stays_valid():
    m = RuralModel(small_params(), seed=2)
    for _ in range(24):
        m.step()
        hh = m.households
        for name in FIELDS:
            arr = getattr(hh, name)
            if arr.dtype.kind == "f":
                assert np.isfinite(arr).all(), name
        assert (hh.labour_units >= 0).all()
        assert ((hh.industry_stock >= -1e-6) & (hh.industry_stock <= 2.0 + 1e-6)).all()
        assert (hh.debt_yuan >= -1e-3).all() and (hh.savings_yuan >= -1.0).all()
        assert set(np.unique(hh.mon_state)) <= {0, 1, 2}
        # a household employed locally points to a living enterprise
        emp = hh.employer[hh.employer >= 0]
        assert m.enterprise_registry.alive[emp].all()
        assert (hh.emp_type[hh.employer >= 0] == 1).all()


def test_household_view():
    m = RuralModel(small_params(), seed=1)
    h = m.households[0]
    assert h.members == int(m.households.members[0])
    assert set(h.as_dict()) == set(FIELDS)
    with pytest.raises(IndexError):
        m.households[m.households.n]


def test_agents_are_mesa_agents():
    m = RuralModel(small_params(), seed=1)
    kinds = {type(a).__name__ for a in m.agents}
    assert {"Enterprise", "CentralGovernment", "ProvincialGovernment", "CountyGovernment"} <= kinds
    assert len(m.counties_gov) == 5
    e = next(iter(m.enterprise_agents.values()))
    assert e.kind in ("leading", "cooperative", "workshop", "paired_firm")


def test_population_hits_2020_targets():
    """The synthesised 2020 population matches the figures of data/ (40,000 households, seed 1):
    C9 income of formerly poor counties and F1 registered income within 1.5%; A15 shares below the
    monitoring threshold within 0.5 percentage points; nobody starts below the 2020 line."""
    p = Params().with_overrides({"population.n_households": 40_000, "sim.n_years": 1})
    m = RuralModel(p, seed=1)
    hh = m.households
    y = hh.income_est_pc.astype(np.float64)
    pw = hh.weight.astype(np.float64) * hh.members
    fp = hh.formerly_poor
    fpc = m.province.fp_county[hh.county]
    assert np.average(y[fpc], weights=pw[fpc]) == pytest.approx(12_588, rel=0.015)
    assert np.average(y[fp], weights=pw[fp]) == pytest.approx(10_740, rel=0.015)
    assert np.average(y[fp] < 6000, weights=pw[fp]) == pytest.approx(0.02, abs=0.005)
    other = ~fp & fpc
    assert np.average(y[other] < 6000, weights=pw[other]) == pytest.approx(0.015, abs=0.005)
    assert (y >= 4000).all()


def test_first_year_income_composition():
    """Simulated 2021 income composition of formerly poor counties is within 3 points of E1
    (35.3% wage, 36.0% operating, 1.4% property, 27.3% transfers) — 40,000 households, seed 1."""
    p = Params().with_overrides({"population.n_households": 40_000, "sim.n_years": 1})
    a = model.run(p, seed=1).annual.iloc[0]
    assert a["wage_share_fpc"] == pytest.approx(0.353, abs=0.03)
    assert a["operating_share_fpc"] == pytest.approx(0.360, abs=0.03)
    assert a["property_share_fpc"] == pytest.approx(0.014, abs=0.005)
    assert a["transfer_share_fpc"] == pytest.approx(0.273, abs=0.03)


def _paired(base: dict, variant: dict, key: str, seeds=range(1, 6), scenario="transition"):
    over = {"population.n_households": 20_000, "population.n_counties": 10, "sim.n_years": 6}
    out = []
    for s in seeds:
        a = model.run(load_scenario(scenario, {**over, **base}).params, seed=s, collect_monthly=False)
        b = model.run(load_scenario(scenario, {**over, **variant}).params, seed=s, collect_monthly=False)
        out.append((a.summary[key], b.summary[key]))
    return np.array(out)


@pytest.mark.slow
def test_abrupt_withdrawal_raises_relapse():
    """Paired over 5 seeds (20,000 households, 6 years): every seed relapses more after abrupt
    withdrawal than under continuation, and the mean gap exceeds 3 points."""
    over = {"population.n_households": 20_000, "population.n_counties": 10, "sim.n_years": 6}
    diffs = []
    for s in range(1, 6):
        cont = model.run(load_scenario("continuation", over).params, seed=s, collect_monthly=False)
        abr = model.run(load_scenario("abrupt_withdrawal", over).params, seed=s, collect_monthly=False)
        diffs.append(abr.summary["relapse_cum_share"] - cont.summary["relapse_cum_share"])
    diffs = np.array(diffs)
    assert (diffs > 0).all()
    assert diffs.mean() > 0.03


@pytest.mark.slow
def test_more_illness_does_not_lower_relapse():
    """Paired over 5 seeds: illness incidence 0.25 instead of 0.11 a year gives a mean cumulative
    relapse share at least as high (tolerance 0.2 points for noise)."""
    pairs = _paired({"shocks.illness.p_year": 0.11}, {"shocks.illness.p_year": 0.25}, "relapse_cum_share")
    assert pairs[:, 1].mean() >= pairs[:, 0].mean() - 0.002
    assert pairs[:, 1].mean() > pairs[:, 0].mean()


@pytest.mark.slow
def test_losing_enterprise_support_lowers_local_jobs():
    """Paired over 5 seeds: without enterprise support (from 2021) local jobs at the end are lower
    on average, and so is the number of enterprises."""
    pairs = _paired({}, {"policy.enterprise_support.intensity": 0.0}, "local_jobs_final")
    assert pairs[:, 1].mean() < pairs[:, 0].mean()
    ent = _paired({}, {"policy.enterprise_support.intensity": 0.0}, "enterprises_final")
    assert ent[:, 1].mean() < ent[:, 0].mean()
