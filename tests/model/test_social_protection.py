"""The social-security bottom line sized to data: dibao and tekun coverage, dated standards and the
composition of transfers (model/population.py, model/kernel.py, data keys H11-H15, E1, E8)."""

from __future__ import annotations

import numpy as np
import pytest

import model
from model import population
from model.params import Params


@pytest.fixture(scope="module")
def start():
    """The end-2020 province as a run starts from it (incomes settled once wages are known)."""
    from model.model import RuralModel

    p = Params().with_overrides({"population.n_households": 40_000})
    m = RuralModel(p, seed=1)
    return p, m.province, m.households


def test_start_coverage_matches_the_published_shares(start):
    """H11: 19.36M of ~99M registered persons on dibao or tekun (0.196); H13: 0.052 of the others."""
    p, _, hh = start
    pw = hh.members * hh.weight.astype(np.float64)
    fp = hh.formerly_poor
    assert (pw * (hh.dibao & fp)).sum() / (pw * fp).sum() == pytest.approx(0.196, abs=0.005)
    assert (pw * (hh.dibao & ~fp)).sum() / (pw * ~fp).sum() == pytest.approx(0.052, abs=0.005)
    # households without labour capacity are the likeliest to be covered (the labour screen)
    weak = hh.labour_units < 0.5
    assert hh.dibao[weak].mean() > 3 * hh.dibao[~weak].mean()


@pytest.fixture(scope="module")
def first_year():
    p = Params().with_overrides({"population.n_households": 40_000, "sim.n_years": 1})
    return model.run(p, seed=1).annual.iloc[0]


def test_coverage_after_a_year_stays_near_the_data(first_year):
    assert first_year["dibao_coverage_fp"] == pytest.approx(0.196, abs=0.03)
    # all rural persons: (36.2M dibao + 4.5M tekun) / ~510M rural residents = 0.08 (H13)
    assert first_year["dibao_coverage"] == pytest.approx(0.08, abs=0.02)


def test_first_year_income_composition(first_year):
    """Formerly poor counties within 3 points of E1 (35.3% wage, 36.0% operating, 1.4% property,
    27.3% transfers); registered households' work income within 3 points of E8 (67.9% in 2021), with
    public transfers sized by the rules (pensions, dibao and tekun, subsidies) and remittances the rest."""
    a = first_year
    assert a["wage_share_fpc"] == pytest.approx(0.353, abs=0.03)
    assert a["operating_share_fpc"] == pytest.approx(0.360, abs=0.03)
    assert a["property_share_fpc"] == pytest.approx(0.014, abs=0.005)
    assert a["transfer_share_fpc"] == pytest.approx(0.273, abs=0.03)
    assert a["wage_share_fp"] + a["operating_share_fp"] == pytest.approx(0.679, abs=0.03)
    public = a["transfer_public_share_fp"]
    assert public == pytest.approx(a["pension_share_fp"] + a["dibao_share_fp"] + a["subsidy_share_fp"]
                                   + a["temporary_share_fp"], rel=1e-6)
    assert public > 0.15 and min(a["pension_share_fp"], a["dibao_share_fp"], a["subsidy_share_fp"]) > 0.02


def test_households_on_dibao_reach_their_line(start):
    """At start, a covered household's counted income is topped up to its line: the dibao line, or
    1.3 times it (tekun) for a household that cannot work; its total adds the subsidies."""
    p, _, hh = start
    line = population.dibao_line_at_start(p)
    on = hh.dibao
    no_labour = hh.labour_units < p.transfers.tekun_labour_max
    own_line = np.where(no_labour, p.transfers.tekun_line_ratio, 1.0) * line
    # counted income before dibao is below the line; total income at least the household's line
    assert np.all(hh.base_est_pc[on] < own_line[on])
    assert np.all(hh.income_est_pc[on] >= own_line[on] - 1.0)
    assert (hh.income_est_pc[on & no_labour] >= 1.3 * line - 1.0).all() and (on & no_labour).any()


@pytest.fixture(scope="module")
def baseline_2020():
    """The 2020 province of the one baseline (the calibrated 2017-2020 history), 4 seeds."""
    from scenarios import load_scenario

    p = load_scenario("baseline", {"population.n_households": 20_000, "population.n_counties": 10,
                                   "sim.n_years": 1}).params
    rows = [model.run(p, seed=s, collect_monthly=False, parallel=False).annual.set_index("year").loc[2020]
            for s in (1, 2, 3, 4)]
    return {k: float(np.mean([r[k] for r in rows])) for k in rows[0].index if k != "year"}


def test_the_baseline_2020_province_has_the_published_coverage_and_composition(baseline_2020):
    """On the baseline (not only the synthetic 2020 province): registered persons on dibao or tekun
    within 0.04 of H11 (0.196; measured 0.173), registered income within 5% of F1 (10,740 yuan;
    measured 10,860), the transfer share of formerly poor counties within 3 points of E1
    (0.273; measured 0.269) and public transfers (0.14 of registered households' income) the larger
    part of their transfers."""
    a = baseline_2020
    assert a["dibao_coverage_fp"] == pytest.approx(0.196, abs=0.04)
    assert a["income_pc_registered_yuan"] == pytest.approx(10_740, rel=0.05)
    assert a["transfer_share_fpc"] == pytest.approx(0.273, abs=0.03)
    assert a["transfer_public_share_fp"] > a["transfer_private_share_fp"]
    assert min(a["pension_share_fp"], a["dibao_share_fp"], a["subsidy_share_fp"]) > 0.01
