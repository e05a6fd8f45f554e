"""The historical run: the end-2016 province, re-based prices, the campaign mechanisms, the start of
the transition period, and runs from 2021 untouched."""

from __future__ import annotations

import math

import numpy as np
import pytest

import model
from model import population, prices
from model.params import ParamsError
from model.rng import Streams
from scenarios import load_scenario

SMALL = {"population.n_households": 3000, "population.n_counties": 4}


def historical_params(**extra):
    return load_scenario("historical", {**SMALL, **extra}).params


def test_start_years_without_a_calibrated_state_are_refused():
    for year in (2018, 2019, 2020):
        with pytest.raises(ParamsError, match=f"start year {year} has no calibrated initial state"):
            model.Params().with_overrides({"sim.start_year": year})
    with pytest.raises(ParamsError, match="allowed range"):
        model.Params().with_overrides({"sim.start_year": 2016})
    assert model.Params().with_overrides({"sim.start_year": 2017}).sim.historical
    assert not model.Params().sim.historical


def test_price_base_is_identity_from_2021_and_deflates_to_2016():
    assert prices.price_base(model.Params()) == prices.PriceBase(1.0, 1.0, 1.0)
    p = model.Params().with_overrides({"sim.start_year": 2017})
    b = prices.price_base(p)
    assert b.cpi == pytest.approx(1 / (1.016 * 1.021 * 1.029 * 1.025), rel=1e-12)
    # wages at the end-2016 state: the 2016 migrant wage (3,275 at mid-2016) over the 2020 one (4,072)
    assert b.wage == pytest.approx(3275 / 4072, rel=1e-12)
    g = 1 + p.income.productivity_growth_year
    assert b.productivity == pytest.approx(b.cpi / g**4, rel=1e-12)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_2016_population_hits_its_targets(seed):
    """20,000 households, 3 seeds: poor-county income within 1% of C5, never-poor counties within 2%
    of D, the province-wide headcount within 0.4 points of A6, and every poor person registered."""
    p = model.Params().with_overrides({"sim.start_year": 2017, "population.n_households": 20_000})
    base = prices.price_base(p)
    pv, hh, _, _ = population.build(p, Streams(seed).population, base)
    pw = hh.members * hh.weight.astype(np.float64)
    line = p.history.poverty_line_yuan.at_year(2016)
    assert line == 3151
    assert pv.income_pc_fpc_2020_yuan == pytest.approx(8452, rel=0.01)
    assert pv.income_pc_nonfpc_2020_yuan == pytest.approx(12363, rel=0.02)
    poor = hh.income_est_pc < line
    assert (pw * poor).sum() / pw.sum() == pytest.approx(0.045, abs=0.004)
    assert np.all(hh.formerly_poor[poor])
    assert np.array_equal(hh.poor, poor)
    in_fpc = pv.county_type[hh.county] != population.NONPOOR
    assert (pw * poor)[in_fpc].sum() / (pw * poor).sum() > 0.9  # poor concentrated in designated counties
    assert not hh.mon_state.any() and not hh.ever_monitored.any()


def test_campaign_register_tracks_year_end_poverty_and_closes_in_2021():
    # a horizon of one year: 2021, after the four years of history 2017-2020
    r = model.run(historical_params(**{"sim.n_years": 1}), seed=5, collect_monthly=False)
    a = r.annual.set_index("year")
    assert list(a.index) == [2017, 2018, 2019, 2020, 2021]
    # exit margin 1 and dynamic registration: the register is exactly the year-end poor
    for y in range(2017, 2021):
        assert a.loc[y, "registered_poor_share"] == pytest.approx(a.loc[y, "poverty_rate"], abs=1e-12)
    assert a.loc[2021, "registered_poor_share"] == 0.0
    again = a["exiter_poor_again_share"]
    # a share of all households that have exited so far: new exiters join its denominator each year
    assert again.loc[2017] == 0.0 and again.between(0.0, 1.0).all() and 0 < again.loc[2021] < 1
    assert a.loc[2020, "poverty_line_yuan"] == 4000.0
    assert 0 < a.loc[2020, "relocated_share_fp"] == a.loc[2021, "relocated_share_fp"]
    # "since 2021" counters restart: one year of relapse is the cumulative relapse share
    assert r.summary["relapse_cum_share"] == pytest.approx(a.loc[2021, "relapse_rate"], abs=1e-12)
    assert a.loc[2020, "monitored_share"] == 0.0 < a.loc[2021, "monitored_share"]


def test_targeted_assistance_lowers_poverty_on_the_same_random_numbers():
    """Seed 7, 3,000 households: without the campaign's assistance (projects, labour export, the
    bottom-line guarantee) more persons are poor at the end of 2020."""
    years = {"sim.n_years": 1}
    on = model.run(historical_params(**years), seed=7, collect_monthly=False).annual.set_index("year")
    off = model.run(historical_params(**years, **{"policy.tackling.targeted_assistance": 0.0}), seed=7,
                    collect_monthly=False).annual.set_index("year")
    assert off.loc[2020, "poverty_rate"] > on.loc[2020, "poverty_rate"] + 0.005
    assert on.loc[2020, "migrant_share_fp_labour"] > off.loc[2020, "migrant_share_fp_labour"]
    again = model.run(historical_params(**years), seed=7, collect_monthly=False).annual.set_index("year")
    assert on.equals(again)


def test_runs_from_2021_have_no_campaign():
    p = load_scenario("transition", {**SMALL, "sim.n_years": 2, "sim.start_year": 2021}).params
    a = model.run(p, seed=1, collect_monthly=False).annual
    assert (a[["registered_poor_share", "relocated_share_fp", "exiter_poor_again_share"]] == 0).all().all()
    assert a["poverty_line_yuan"].iloc[0] == pytest.approx(4000 * (1.009 ** 1.5), rel=0.01)
    assert math.isclose(a["income_growth_fpc_real"].iloc[1],
                        (1 + a["income_growth_fpc"].iloc[1]) / 1.020 - 1, rel_tol=1e-12)
    ratio = a["income_pc_fpc_yuan"] / a["income_pc_nonfpc_yuan"]
    assert math.isclose(a["income_ratio_fpc_nonfpc"].iloc[1], ratio.iloc[1], rel_tol=1e-12)
    assert math.isclose(a["income_growth_premium_fpc"].iloc[1], ratio.iloc[1] / ratio.iloc[0] - 1, rel_tol=1e-9)
