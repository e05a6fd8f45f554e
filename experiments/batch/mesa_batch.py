"""Mesa interoperability: ``RuralModel`` under Mesa's own ``mesa.batch_run``.

``RuralModel(params, seed=...)`` takes a :class:`~model.params.Params` tree, while
``mesa.batch_run`` builds each model from flat keyword arguments and passes its random seed as
``rng`` (or as ``seed`` when the constructor has such an argument). :class:`RuralBatchModel`
bridges the two: a scenario name, the size shorthands and any dotted parameter path as keyword
arguments, and ``rng`` as the seed::

    import mesa
    from experiments.batch.mesa_batch import RuralBatchModel

    rows = mesa.batch_run(
        RuralBatchModel,
        parameters={"scenario": ["transition", "abrupt_withdrawal"], "households": 2_000,
                    "counties": 4, "years": 3, "shocks.illness.p_year": [0.08, 0.16]},
        rng=[1, 2, 3],               # three replications, on common random numbers
        number_processes=1,
    )

With the default ``data_collection_period=-1`` each run gives one row, at its last month;
``data_collection_period=1`` gives every month (the DataCollector reports monthly). Each row
carries the keyword arguments and the DataCollector's model reporters
(``poverty_rate``, ``relapse_rate``, ``monitored_households``, ``enterprises``). For large
designs, resumable stores and clusters use ``ruralsim experiment`` instead: it runs the same model
with the same parameters and seeds.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from model import RuralModel
from scenarios import load_scenario

_SIZE_PATHS = {"households": "population.n_households", "counties": "population.n_counties",
               "years": "sim.n_years"}


class RuralBatchModel(RuralModel):
    """``RuralModel`` built from flat keyword arguments, as ``mesa.batch_run`` passes them.

    Args:
        scenario: Scenario name, overlay (``a+b``) or YAML file.
        households: ``population.n_households``.
        counties: ``population.n_counties``.
        years: ``sim.n_years``.
        rng: The seed (an integer); None draws a fresh one, as Mesa models do.
        collect_monthly: Collect the monthly data (the DataCollector needs it; default True).
        **parameters: Further overrides by dotted path, e.g. ``**{"shocks.illness.p_year": 0.2}``.

    Raises:
        scenarios.ScenarioError: For an unknown scenario or an invalid parameter value (every
            problem listed).
        TypeError: When ``rng`` is not an integer seed.
    """

    def __init__(self, scenario: str = "transition", households: int | None = None, counties: int | None = None,
                 years: int | None = None, rng: Any = None, collect_monthly: bool = True, **parameters: Any):
        overrides = dict(parameters)
        for key, value in (("households", households), ("counties", counties), ("years", years)):
            if value is not None:
                overrides[_SIZE_PATHS[key]] = value
        loaded = load_scenario(scenario, overrides, origin="batch_run parameters")
        super().__init__(loaded.params, seed=_seed(rng), collect_monthly=collect_monthly)
        self.scenario_name = loaded.name


def _seed(rng: Any) -> int:
    if rng is None:
        return int(np.random.SeedSequence().generate_state(1)[0])
    if isinstance(rng, bool) or not isinstance(rng, int | np.integer) or rng < 0:
        raise TypeError(f"rng={rng!r}: RuralBatchModel needs a non-negative integer seed (common random "
                        "numbers across scenarios rely on it)")
    return int(rng)
