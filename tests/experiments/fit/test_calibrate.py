"""Calibration: optimiser sizing, declared parameters, the scenario file (the commands end to end are in
``tests/experiments/cli/test_cli_validate_calibrate.py``)."""

from __future__ import annotations

import pytest
import yaml

from experiments.fit.calibrate import FREE_PARAMETERS, de_sizes, scenario_yaml
from model.params import bounds
from scenarios import load_scenario


def test_optimiser_never_exceeds_the_budget():
    for budget in (14, 15, 27, 60, 200, 1000):
        for n in (1, 3, 7):
            if budget < 2 * n:
                continue
            pop, maxiter = de_sizes(budget, n)
            assert 2 <= pop <= 5 and maxiter >= 0
            assert max(5, pop * n) * (maxiter + 1) <= max(budget, 5), (budget, n)
    assert de_sizes(60, 7) == (2, 3)
    with pytest.raises(ValueError, match="below two candidates per free parameter"):
        de_sizes(10, 7)


def test_free_parameters_lie_within_their_params_ranges():
    paths = [p.path for p in FREE_PARAMETERS]
    assert len(paths) == len(set(paths)) >= 5
    for p in FREE_PARAMETERS:
        lo, hi = bounds(p.path)
        assert lo <= p.lo < p.hi <= hi, p.path
        assert p.reason


def test_fitted_values_become_a_scenario_that_extends_the_fitted_one(tmp_path):
    free = FREE_PARAMETERS
    result = {"scenario": "historical", "free": list(free), "distance": 1.25, "targets": [1, 2],
              "fitted": {p.path: (p.lo + p.hi) / 3 for p in free},
              "meta": {"evaluated": 14, "seeds": [1, 2], "households": 1200}}
    f = tmp_path / "calibrated.yaml"
    f.write_text(scenario_yaml(result))
    doc = yaml.safe_load(f.read_text())
    assert doc["extends"] == "historical" and "policy.tackling.relocation_share" not in doc["parameters"]
    params = load_scenario(f).params
    assert params.sim.start_year == 2017
    assert params.tackling.labour_export_share == pytest.approx(1 / 3, abs=1e-3)
    assert params.policy.tackling.relocation_share.at_year(2018) == pytest.approx(0.1, abs=1e-3)
