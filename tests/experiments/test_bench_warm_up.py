"""The bench compiles every kernel a measured run calls before it starts the clock."""

from __future__ import annotations

import sys

import numpy as np
from numba.core.registry import CPUDispatcher

import model
from experiments.bench import warm_up
from scenarios import load_scenario


def _signatures() -> dict[str, int]:
    """Number of compiled signatures of every compiled function of the simulation."""
    out = {}
    for name, mod in list(sys.modules.items()):
        if name == "model" or name.startswith("model."):
            for attr, value in vars(mod).items():
                if isinstance(value, CPUDispatcher):
                    out[f"{name}.{attr}"] = len(value.signatures)
    return out


def test_measured_run_compiles_nothing_after_warm_up():
    params = load_scenario("transition", {"population.n_households": 20_000, "population.n_counties": 4,
                                          "sim.n_years": 2}).params
    warm_up(params, 20_000)
    before = _signatures()
    m = model.RuralModel(params, seed=1, parallel=False)
    while m.running:
        m.step()
    # the run exercised the paths a small warm-up may miss: enterprises closed (their links released)
    assert not np.all(m.enterprise_registry.view("alive"))
    after = _signatures()
    assert {k: (before.get(k, 0), v) for k, v in after.items() if v != before.get(k, 0)} == {}
