"""Scenario discovery: PRIM finds a known box; too rare/common cases are reported; the study on a toy evaluator."""

from __future__ import annotations

import re
import sys

import numpy as np
import pandas as pd
import pytest

from experiments.sensitivity.discovery import (
    MARK_PROBABILITY,
    DiscoveryError,
    box_words,
    exceedance_key,
    find_boxes,
    limit_words,
    prim_module,
    run_discovery,
    too_rare_or_common,
)
from experiments.sensitivity.evaluators import FunctionEvaluator
from experiments.sensitivity.problem import Parameter, Problem
from model.metrics import EXCEEDANCE_KEYS


def synthetic(n: int = 400, seed: int = 7) -> tuple[pd.DataFrame, np.ndarray]:
    """Cases exactly where a < 0.3 and the (integer) withdrawal year is 2024 or earlier."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame({"a": rng.uniform(0, 1, n), "b": rng.uniform(0, 1, n),
                      "withdrawal_year": rng.integers(2022, 2031, n)})
    return x, ((x["a"] < 0.3) & (x["withdrawal_year"] <= 2024)).to_numpy()


def test_prim_finds_the_known_box():
    """400 points, seed 7: the limits are recovered within 0.05 (a) and exactly (the year)."""
    x, y = synthetic()
    boxes = find_boxes(x, y, max_boxes=1)
    assert len(boxes) == 1
    box = boxes[0]
    assert set(box.limits) == {"a", "withdrawal_year"}  # b is not restricted
    assert box.limits["a"][0] is None and box.limits["a"][1] == pytest.approx(0.3, abs=0.05)
    assert box.limits["withdrawal_year"] == (None, 2024.0)
    assert box.coverage >= 0.8 and box.density >= 0.9
    assert box.mass == pytest.approx(box.n / len(y)) and box.k == round(box.density * box.n)
    assert {"coverage", "density", "mass", "res_dim"} <= set(box.trajectory.columns)


def test_box_in_plain_words():
    x, y = synthetic()
    box = find_boxes(x, y, max_boxes=1)[0]
    problem = Problem("t", "", "", (Parameter("a", 0, 1, "uncertainty"), Parameter("b", 0, 1, "uncertainty"),
                                    Parameter("withdrawal_year", 2021.5, 2030.5, "lever", integer=True,
                                              derived=True)), ("large_scale_relapse",))
    words = box_words(box, problem, float(y.mean()))
    assert words.startswith(f"Large-scale relapse in {box.density * 100:.0f}% of runs")
    assert "support starts to be withdrawn in 2024 or earlier" in words
    assert re.search(r"when the a is at most 0\.(2[5-9]\d*|3\d*) and ", words), words
    assert limit_words("shocks.illness.p_year", 0.14, None) == "the chance of costly illness is at least 0.14"


def test_too_rare_and_too_common_are_said_not_crashed():
    assert "too rare" in too_rare_or_common(np.array([True] * 3 + [False] * 200))
    assert "too common" in too_rare_or_common(np.array([True] * 200 + [False] * 3))
    assert too_rare_or_common(np.array([True] * 20 + [False] * 20)) == ""


def _toy_problem() -> Problem:
    return Problem("toy", "toy", "", (Parameter("a", 0, 1, "uncertainty"), Parameter("b", 0, 1, "lever")),
                   ("large_scale_relapse",), reps=2)


def test_run_discovery_marks_runs_by_threshold():
    """Same pipeline as the model (sample -> evaluate -> mark -> PRIM) on a function with a known
    region: a run is marked when its probability of large-scale relapse at the threshold is at least
    one half; another threshold re-marks with the exceedance curve's point."""

    def toy(x, rng):
        rate = 0.08 if x[0] > 0.6 and x[1] < 0.5 else 0.02
        rate += 0.001 * rng.standard_normal()
        # probability that the county rate reaches k% (a steep curve around the run's rate)
        curve = {key: float(1.0 / (1.0 + np.exp((k / 100 - rate) / 0.002))) for k, key in
                 enumerate(EXCEEDANCE_KEYS, start=1)}
        return {"county_relapse_rate_max": rate, "large_scale_relapse": curve["large_scale_p_05"], **curve}

    d = run_discovery(_toy_problem(), 200, FunctionEvaluator(toy), threshold=0.05, max_boxes=1)
    assert d.reason == ""
    assert len(d.runs) == 400 and d.runs["large_scale_relapse"].sum() == int(d.y.sum())
    assert ((d.runs["p_large_scale"] >= MARK_PROBABILITY) == d.runs["large_scale_relapse"]).all()
    box = d.boxes[0]
    assert box.limits["a"][0] == pytest.approx(0.6, abs=0.05) and box.limits["b"][1] == pytest.approx(0.5, abs=0.05)
    # at 3% the same runs are marked as at 5% (every rate is near 2% or 8%)
    d3 = run_discovery(_toy_problem(), 200, FunctionEvaluator(toy), threshold=0.03, max_boxes=1)
    assert (d3.y == d.y).all() and d3.threshold == 0.03
    # a threshold above every rate: nothing to discover, said plainly
    none = run_discovery(_toy_problem(), 50, FunctionEvaluator(toy), threshold=0.10)
    assert none.boxes == [] and "too rare" in none.reason
    # a threshold the exceedance curve has no point for
    assert exceedance_key(0.5) is None and exceedance_key(0.035) is None and exceedance_key(0.1) == "large_scale_p_10"
    with pytest.raises(ValueError, match="whole percent"):
        run_discovery(_toy_problem(), 10, FunctionEvaluator(toy), threshold=0.5)


def test_missing_ema_workbench_gives_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "ema_workbench", None)
    monkeypatch.setitem(sys.modules, "ema_workbench.analysis", None)
    with pytest.raises(DiscoveryError, match="optional dependency ema_workbench.*--extra discovery"):
        prim_module()
