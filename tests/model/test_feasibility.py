"""Rules linking several parameters (model/feasibility.py): what the model cannot build is refused
when the parameters are validated, with the parameters and values named."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import optimize

from model import feasibility
from model.params import Params, ParamsError, parameter_table
from model.population import lognormal_sigma_for_share, truncated_mean

SMALL = {"population.n_households": 300, "population.n_counties": 3, "sim.n_years": 1}


def refused(overrides: dict) -> list[str]:
    with pytest.raises(ParamsError) as info:
        Params().with_overrides(overrides, origin="test")
    return info.value.problems


def test_more_counties_than_households_is_refused_with_both_values():
    problems = refused({"population.n_households": 100, "population.n_counties": 3000})
    assert problems == ["test: population.n_households = 100 is below population.n_counties = 3,000; every county "
                        "needs at least one household (raise the households or lower the counties)"]


def test_as_many_households_as_counties_is_fine():
    Params().with_overrides({"population.n_households": 3000, "population.n_counties": 3000})


def test_schooling_shares_all_zero_is_refused():
    problems = refused({"population.education_shares": (0.0, 0.0, 0.0)})
    assert any("population.education_shares" in p and "at least one share must be above 0" in p for p in problems)


def test_registered_income_at_the_threshold_names_both_parameters():
    problems = refused({"population.income_pc_registered_2020_yuan": 6000})
    assert problems == ["test: population.income_pc_registered_2020_yuan = 6,000 must be above the monitoring "
                        "threshold (policy.monitoring.threshold_yuan = 6,000 in 2021)"]
    # a lower threshold makes the same income possible
    Params().with_overrides({"population.income_pc_registered_2020_yuan": 6000,
                             "policy.monitoring.threshold_yuan": 5000})


def test_values_checked_one_at_a_time_leave_the_rules_out():
    Params().with_overrides({"population.n_counties": 3000, "population.n_households": 100}, cross_field=False)


def test_defaults_and_historical_start_keep_every_rule():
    assert feasibility.problems(Params()) == []
    assert feasibility.problems(Params().with_overrides({"sim.start_year": 2017})) == []


@pytest.mark.parametrize("mean, threshold, share", [(10_740, 6_000, 0.02), (13_300, 6_000, 0.015), (7_211, 3_151, 0.17),
                                                    (50_000, 6_000, 0.3), (6_300, 6_000, 0.015)])
def test_dispersion_is_the_populations(mean, threshold, share):
    assert feasibility.sigma_for_share(mean, threshold, share) == pytest.approx(
        lognormal_sigma_for_share(mean, threshold, share), rel=1e-12)


def _population_can_calibrate(target: float, sigma: float, lower: float) -> bool:
    """What model.population does: brentq over [0.2 lower, 1.5 target] of the truncated mean."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            optimize.brentq(lambda m: truncated_mean(m, sigma, lower) - target, lower * 0.2, target * 1.5)
    except ValueError:
        return False
    return True


def test_calibration_rule_agrees_with_the_populations_solver():
    """Over a grid of targets, dispersions and lines reaching both ways of failing (no sign change,
    a truncated mean that cannot be computed) the rule and the solver agree."""
    cases = 0
    for target in (4_100, 5_000, 6_300, 8_000, 13_000, 30_000, 60_000):
        for sigma in (0.01, 0.02, 0.03, 0.05, 0.1, 0.45, 1.0, 2.0, 3.0):
            for lower in (1_000, 4_000, 6_000, 20_000):
                assert feasibility.calibratable(target, sigma, lower) == _population_can_calibrate(
                    target, sigma, lower), (target, sigma, lower)
                cases += 1
    assert cases == 252


def _extremes():
    """Every bounded parameter at its low end, its high end and its middle, on a small province."""
    for row in parameter_table():
        if row["path"] in ("population.n_households", "population.n_counties", "sim.n_years", "sim.start_year"):
            continue
        default = row["default"]
        if isinstance(default, bool) or row["lo"] is None or row["hi"] is None:
            continue
        for value in (row["lo"], row["hi"], (row["lo"] + row["hi"]) / 2):
            if isinstance(default, tuple):
                value = tuple(value for _ in default)
            elif isinstance(default, int):
                value = int(value)
            elif row["lever"]:
                value = float(value)
            yield row["path"], value


def test_what_the_model_cannot_build_is_refused():
    """Each parameter at its ends and middle, in a run from 2021 and a historical run from 2017:
    every province the model fails to build is refused by validation, and validation refuses only
    a few more (those whose drawn shares put them within two standard errors of a limit at this
    small size)."""
    from model.model import RuralModel

    built_but_refused, cases = [], 0
    for start in (2021, 2017):
        for path, value in _extremes():
            overrides = {**SMALL, "sim.start_year": start, path: value}
            try:
                params = Params().with_overrides(overrides, cross_field=False)
            except ParamsError:
                continue  # a value the parameter itself does not allow
            problems = feasibility.problems(params)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    RuralModel(params, seed=1)
                built = True
            except Exception:
                built = False
            cases += 1
            assert built or problems, f"the model cannot build {path} = {value} from {start}, yet it passes"
            if built and problems:
                built_but_refused.append((start, path, value))
    assert cases > 800
    assert len(built_but_refused) <= 0.005 * cases, built_but_refused


def test_refused_provinces_name_their_parameters():
    for overrides, names in [
        ({"population.income_pc_fpc_2020_yuan": 4000}, ["population.income_pc_fpc_2020_yuan",
                                                        "population.income_pc_registered_2020_yuan"]),
        ({"poverty_line_2020_yuan": 20_000}, ["poverty_line_2020_yuan"]),
        ({"sim.start_year": 2017, "history.headcount_2016": 0.3}, ["history.headcount_2016", "population.fp_share_"]),
        ({"sim.start_year": 2017, "history.poverty_line_yuan": 0}, ["history.poverty_line_yuan"]),
    ]:
        problems = refused(overrides)
        assert problems, overrides
        for name in names:
            assert any(name in p for p in problems), (name, problems)


def test_nonregistered_mean_band_grows_as_the_province_shrinks():
    """The band of the non-registered mean is a few yuan at 100,000 households and hundreds at 300."""
    def band(households):
        means = feasibility.non_registered_means(12_588, 10_740, 0.9, 0.28, households, 6_300)
        return max(means) - min(means)

    assert band(70_000) < 0.1 * band(210)
    assert math.isclose(band(70_000) / band(700), math.sqrt(700 / 70_000), rel_tol=1e-9)
    assert np.isfinite(band(1))
