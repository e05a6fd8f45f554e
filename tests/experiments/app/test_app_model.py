"""The classroom pair (experiments.app.lockstep) and the app's page object."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from experiments.app.lockstep import (
    FOLLOWED,
    INDICATORS,
    TARGETED_LEVERS,
    LockstepModel,
    PolicyControls,
    WorldControls,
    app_scenarios,
    policy_overrides,
    taper_factors,
    world_overrides,
)
from scenarios import load_scenario

SMALL = {"households": 3000, "counties": 3, "years": 2}


def test_taper_factors_exact():
    assert taper_factors(2024, 0) == {2024: 0.0}
    assert taper_factors(2026, 2) == {2026: 2 / 3, 2027: 1 / 3, 2028: 0.0}
    with pytest.raises(ValueError, match="taper_years"):
        taper_factors(2024, -1)


def test_policy_overrides_follow_the_scenario_then_taper():
    p = load_scenario("transition").params
    out = policy_overrides(p, PolicyControls(withdrawal_year=2024, taper_years=1, coverage=0.6,
                                             assistance_size=1.5, enterprise_support=0.5))
    ind = out["policy.assistance.industrial.intensity"]
    assert [ind[y] for y in range(2021, 2027)] == [1.5, 1.5, 1.5, 0.75, 0.0, 0.0]
    ts = out["policy.transition_subsidy.intensity"]  # not scaled by assistance size; 0.8 from 2024
    assert ts[2023] == 1.0 and ts[2024] == pytest.approx(0.4) and ts[2025] == 0.0
    pref = out["policy.medical.preferential_rate"]  # halfway from 0.8 to the inclusive 0.55 in 2024
    assert pref[2023] == 0.8 and pref[2024] == pytest.approx(0.675) and pref[2025] == pytest.approx(0.55)
    assert out["policy.enterprise_support.intensity"][2030] == 0.5
    assert out["policy.monitoring.coverage"] == 0.6
    # never withdrawing with neutral controls reproduces the scenario's schedules exactly
    same = p.with_overrides(policy_overrides(p, PolicyControls(withdrawal_year=2031)))
    for path in (*TARGETED_LEVERS, "policy.medical.preferential_rate", "policy.enterprise_support.intensity"):
        assert all(same.get(path).at_year(y) == p.get(path).at_year(y) for y in range(2021, 2031)), path


def test_world_overrides_exact():
    assert world_overrides(2021, WorldControls()) == {"shocks.illness.p_year": 0.11}
    out = world_overrides(2021, WorldControls(0.2, 0.5, -0.4))
    assert out["shocks.disaster.stress"] == {2021: 0.0, "2023-06": 0.5, "2023-09": 0.0}
    assert out["macro.price_level"] == {2021: 1.0, 2023: pytest.approx(0.6)}


def test_lockstep_pair_is_identical_until_support_is_withdrawn():
    m = LockstepModel(seed=3, **SMALL)
    assert len(m.followed) == sum(FOLLOWED.values())
    for _ in range(4):
        m.step()
    d = m.difference_frame()
    assert (d.drop(columns="t").abs().to_numpy() == 0).all()  # same seed, same policy: no difference
    note = m.withdraw_support_now()
    assert note == "B: targeted assistance withdrawn from 2021-05" and m.actions == [note]
    for _ in range(8):
        m.step()
    d = m.difference_frame()
    assert (d.iloc[:4].drop(columns="t").to_numpy() == 0).all()  # the past is kept
    late = d.iloc[-1]
    # registered households lose income and relapse more; monitoring then catches more of them (B monitors
    # more). From the calibrated end-2020 province few are near the line: none more may be below it this month
    assert late["income_formerly_poor_yuan"] < -200 and late["relapse_cum_share"] > 0
    assert late["below_line_fp_share"] >= 0
    assert late["n_monitored"] > 0
    # others lose at most a tenth as much (spillovers through local jobs and enterprises)
    assert late["income_others_yuan"] == pytest.approx(0.0, abs=0.1 * abs(late["income_formerly_poor_yuan"]))
    view = m.household_view(int(m.followed[0]))
    assert len(view["history"]["A"]) == len(view["history"]["B"]) == 12
    assert view["attributes"]["group"] == "formerly poor"
    m.follow(5)
    m.step()
    assert len(m.household_view(5)["history"]["B"]) == 1
    year, rates = m.county_relapse("B")
    assert year == 2021 and rates.shape == (3,) and np.isfinite(rates).all()
    # the charts' arrays, kept month by month (20 months: the arrays grew past their first 16),
    # are the monthly table's columns
    for _ in range(7):
        m.step()
    series, frame = m.series(), m.monthly_frame()
    for policy in ("A", "B"):
        rows = frame[frame["policy"] == policy]
        assert len(series[policy]["t"]) == len(rows) == 20
        for col in INDICATORS:
            assert np.array_equal(series[policy][col], rows[col].to_numpy(dtype=float), equal_nan=True), col


def test_app_page_and_parameters_match_the_model():
    from experiments.app import page as app

    assert callable(app.page)
    sig = inspect.signature(LockstepModel.__init__).parameters
    assert set(app.initial_kwargs()) <= set(sig)
    assert "transition" in app_scenarios()
    assert not any(s.startswith("stress_") for s in app_scenarios())


def test_policy_b_saved_as_a_scenario_reproduces_b(tmp_path):
    """'Save B as scenario': the file is a valid scenario, and a run of it with the pair's seed gives B's
    first year exactly (controls, world, both mid-run actions and the province's size carried over)."""
    import yaml

    from experiments.app.page import SCENARIO_FILE, scenario_yaml
    from model import run
    from scenarios import check_file, load_scenario

    m = LockstepModel(households=1500, counties=3, years=2, seed=4, coverage=0.6, taper_years=1,
                      withdrawal_year=2022, illness_rate=0.15, disaster=0.3)
    for _ in range(3):
        m.step()
    m.withdraw_support_now()
    for _ in range(2):
        m.step()
    m.stop_monitoring_now()
    for _ in range(7):
        m.step()
    path = tmp_path / SCENARIO_FILE
    path.write_bytes(scenario_yaml(m))
    assert check_file(path) == []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["extends"] == "transition" and data["parameters"]["population.n_households"] == 1500
    assert list(data["policy"]["monitoring.enabled"].items())[-1] == ("2021-06", 0.0)  # stopped from June
    result = run(load_scenario(str(path)).params, seed=4)
    b = m.b.annual_frame()
    for col in ("relapse_rate", "poverty_rate", "monitored_share", "fiscal_cost_yuan"):
        assert result.annual[col].iloc[0] == b[col].iloc[0], col


def test_the_page_counts_the_three_excesses_from_its_first_year_only():
    """The pair lives through the baseline's history before the page opens; the years it counts
    (and the chart's slots) start in the first outcome year."""
    m = LockstepModel(households=1500, counties=3, years=2, seed=2)
    assert m.three_excesses("A") == (0, 0)
    for _ in range(12):
        m.step()
    held, years = m.three_excesses("A")
    assert years == 1 and held in (0, 1)
    assert len(m.a.annual_frame()) > 1  # the history's years are in the model's own table
