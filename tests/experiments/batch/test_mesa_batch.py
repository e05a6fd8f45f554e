"""``RuralModel`` under Mesa's own ``mesa.batch_run``, through the flat-keyword adapter."""

from __future__ import annotations

import inspect

import mesa
import pandas as pd
import pytest

from experiments.batch.mesa_batch import RuralBatchModel
from scenarios import ScenarioError

REPORTERS = ("poverty_rate", "relapse_rate", "monitored_households", "enterprises")


def test_batch_run_two_values_by_two_seeds():
    # batch_run passes the seed as ``rng`` unless the constructor has a ``seed`` argument
    assert "rng" in inspect.signature(RuralBatchModel).parameters
    assert "seed" not in inspect.signature(RuralBatchModel).parameters
    rows = mesa.batch_run(
        RuralBatchModel,
        parameters={"scenario": "abrupt_withdrawal", "households": 1500, "counties": 3, "years": 2,
                    "shocks.illness.p_year": [0.08, 0.2]},
        rng=[1, 2], number_processes=1, display_progress=False)
    df = pd.DataFrame(rows)
    assert len(df) == 4  # one row per run: the last collected month
    assert sorted(zip(df["shocks.illness.p_year"], df["rng"], strict=True)) == [(0.08, 1), (0.08, 2), (0.2, 1),
                                                                                  (0.2, 2)]
    assert set(REPORTERS) <= set(df.columns)
    assert (df["Step"] == 72).all()  # months of the baseline's history 2017-2020, then 2 years
    assert df["poverty_rate"].between(0, 1).all() and (df["enterprises"] > 0).all()
    # the same seed gives the same run: the batch row equals a direct model run
    direct = RuralBatchModel(scenario="abrupt_withdrawal", households=1500, counties=3, years=2, rng=2,
                             **{"shocks.illness.p_year": 0.2})
    while direct.running:
        direct.step()
    row = df[(df["rng"] == 2) & (df["shocks.illness.p_year"] == 0.2)].iloc[0]
    assert row["relapse_rate"] == direct.datacollector.get_model_vars_dataframe()["relapse_rate"].iloc[-1]
    assert direct.params.shocks.illness.p_year == 0.2 and direct.scenario_name == "abrupt_withdrawal"


def test_monthly_collection_and_iterations():
    rows = mesa.batch_run(RuralBatchModel, parameters={"households": 1500, "counties": 3, "years": 1},
                          rng=[7], data_collection_period=1, number_processes=1, display_progress=False)
    assert [r["Step"] for r in rows] == list(range(1, 12 * 5 + 1))  # the history 2017-2020, then 2021
    with pytest.warns(DeprecationWarning):  # Mesa's older spelling still works: fresh seeds each time
        rows = mesa.batch_run(RuralBatchModel, parameters={"households": 1500, "counties": 3, "years": 1},
                              iterations=2, number_processes=1, display_progress=False)
    assert len(rows) == 2


def test_bad_keyword_arguments_are_clear_errors():
    with pytest.raises(ScenarioError, match="did you mean 'shocks.illness.p_year'"):
        RuralBatchModel(households=1500, counties=3, years=1, rng=1, **{"shocks.ilness.p_year": 0.2})
    with pytest.raises(ScenarioError, match="unknown scenario"):
        RuralBatchModel(scenario="transitoin", rng=1)
    with pytest.raises(TypeError, match="needs a non-negative integer seed"):
        RuralBatchModel(households=1500, counties=3, years=1, rng=-3)
