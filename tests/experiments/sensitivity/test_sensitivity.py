"""Sensitivity pipeline: Ishigami reproduction, replication statistics; the command is under tests/experiments/cli."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.sensitivity.evaluators import FunctionEvaluator
from experiments.sensitivity.ishigami import S1, ST, VARIANCE, ishigami, ishigami_problem, noisy_ishigami
from experiments.sensitivity.study import (
    block_size,
    convergence_sizes,
    interval_warnings,
    noise_shares,
    point_means,
    run_study,
    sample,
    wide_intervals,
)


def test_analytic_ishigami_values():
    assert ishigami(np.array([0.0, 0.0, 0.0])) == 0.0
    assert ishigami(np.array([np.pi / 2, np.pi / 2, 1.0])) == pytest.approx(1 + 7 + 0.1)
    assert VARIANCE == pytest.approx(13.8446, abs=1e-4)
    assert S1 == pytest.approx((0.3139, 0.4424, 0.0), abs=1e-4)
    assert ST == pytest.approx((0.5576, 0.4424, 0.2437), abs=1e-4)


def test_ishigami_sobol_reproduces_analytic_indices():
    """N = 1024 base rows (5,120 evaluations), sample seed 1, one replication: within 0.03 absolute."""
    study = run_study(ishigami_problem(), "sobol", 1024, FunctionEvaluator(noisy_ishigami(0.0)), reps=1)
    t = study.indices.set_index("parameter")
    assert t["S1"].to_numpy() == pytest.approx(S1, abs=0.03)
    assert t["ST"].to_numpy() == pytest.approx(ST, abs=0.03)
    # the reported 95% intervals contain the analytic values
    assert (np.abs(t["S1"].to_numpy() - S1) <= t["S1_conf"].to_numpy()).all()
    assert (np.abs(t["ST"].to_numpy() - ST) <= t["ST_conf"].to_numpy()).all()
    assert np.isnan(study.noise["y"]["noise_share"])  # one replication: noise cannot be estimated
    assert sorted(study.convergence["n"].unique()) == [128, 256, 512, 1024]


def test_noisy_ishigami_means_over_replications_and_noise_share():
    """Noise sd 1, R = 4 paired seeds, N = 1024, seed 1: indices within 0.05, noise shares within 0.01."""
    study = run_study(ishigami_problem(), "sobol", 1024, FunctionEvaluator(noisy_ishigami(1.0)), reps=4)
    t = study.indices.set_index("parameter")
    assert t["S1"].to_numpy() == pytest.approx(S1, abs=0.05)
    assert t["ST"].to_numpy() == pytest.approx(ST, abs=0.05)
    noise = study.noise["y"]
    assert noise["noise_share"] == pytest.approx(1 / (VARIANCE + 1), abs=0.01)
    assert noise["noise_share_of_mean"] == pytest.approx(0.25 / (VARIANCE + 0.25), abs=0.01)
    assert t["noise_share"].nunique() == 1  # reported next to every index of the output


def test_morris_screens_out_nothing_that_matters_on_ishigami():
    """20 trajectories, seed 1: every input of Ishigami has an effect; x3 acts only through x1 (sigma > 0)."""
    study = run_study(ishigami_problem(), "morris", 20, FunctionEvaluator(noisy_ishigami(0.0)), reps=1)
    t = study.indices.set_index("parameter")
    assert (t["mu_star"] > 0.5).all()
    assert t.loc["x3", "sigma"] > 1.0
    assert len(study.X) == 20 * block_size("morris", 3)


@pytest.mark.slow
def test_delta_method_ranks_ishigami_inputs(capsys):
    """500 Latin-hypercube points, seed 1: Borgonovo's delta puts x2 first (analytic about 0.39, 0.21, 0.13
    for x2, x1, x3; Plischke, Borgonovo & Smith 2013); the estimator is biased at this size, so only the
    ranking of x2 and the bounds are checked."""
    study = run_study(ishigami_problem(), "delta", 500, FunctionEvaluator(noisy_ishigami(0.0)), reps=1,
                      convergence=False)
    t = study.indices.set_index("parameter")
    assert t["delta"].idxmax() == "x2"
    assert t["delta"].between(0, 1).all() and (t["delta_conf"] > 0).all()
    assert t["S1"].to_numpy() == pytest.approx(S1, abs=0.15)
    assert "Notice" not in capsys.readouterr().out


def test_point_means_and_noise_shares_exact():
    values = np.array([[1.0, 3.0], [5.0, 7.0], [np.nan, 9.0]])
    assert point_means(values).tolist() == [2.0, 6.0, 9.0]
    shares = noise_shares(values[:2])
    assert shares["var_noise"] == pytest.approx(2.0)
    assert shares["var_runs"] == pytest.approx(np.var([1, 3, 5, 7], ddof=1))
    assert shares["noise_share"] == pytest.approx(2.0 / np.var([1, 3, 5, 7], ddof=1))
    assert shares["noise_share_of_mean"] == pytest.approx((2.0 / 2) / 8.0)
    assert noise_shares(np.array([[1.0, 1.0], [2.0, 2.0]]))["noise_share"] == 0.0


def test_function_evaluator_is_order_independent_and_seeded():
    problem = ishigami_problem()
    X = sample(problem, "delta", 20, seed=3)
    ev = FunctionEvaluator(noisy_ishigami(0.5))
    a = ev(problem, X, [1, 2]).values["y"]
    b = ev(problem, X[::-1], [1, 2]).values["y"][::-1]
    assert np.array_equal(a, b)
    assert not np.array_equal(a[:, 0], a[:, 1])  # different seeds, different noise


def test_convergence_sizes_are_nested_prefixes():
    assert convergence_sizes("sobol", 32) == [4, 8, 16, 32]
    assert convergence_sizes("morris", 8) == [2, 4, 6, 8]
    assert convergence_sizes("sobol", 4) == [4]


def _indices(s1, s1_conf, st, st_conf) -> pd.DataFrame:
    return pd.DataFrame({"output": "y", "parameter": ["a", "b", "c"], "kind": ["lever", "uncertainty", "lever"],
                         "S1": s1, "S1_conf": s1_conf, "ST": st, "ST_conf": st_conf})


def test_intervals_wider_than_their_indices_are_counted_and_worded():
    t = _indices([-0.12, 1.42, 0.30], [0.44, 1.30, 0.05], [0.29, 1.45, 0.40], [0.10, 0.75, 0.05])
    wide = wide_intervals(t, "sobol").set_index("index")
    assert wide.loc["S1", "wide"] == 1 and wide.loc["S1", "outside"] == 2 and wide.loc["S1", "total"] == 3
    assert wide.loc["S1", "largest_conf"] == pytest.approx(1.30)
    assert wide.loc["ST", "wide"] == 0 and wide.loc["ST", "outside"] == 1
    words = interval_warnings(t, "sobol")
    assert words[0].startswith("y: 1 of 3 first-order indices (S1) have 95% intervals wider than the index itself "
                               "(up to ±1.3)")
    assert "2 estimates lie outside [0, 1]" in words[0] and "raise --n" in words[0]
    assert interval_warnings(_indices([0.5, 0.3, 0.1], [0.05] * 3, [0.6, 0.3, 0.1], [0.05] * 3), "sobol") == []


def test_the_index_figure_carries_the_warning():
    from experiments.sensitivity.report import indices_figure

    t = _indices([-0.12, 1.42, 0.30], [0.44, 1.30, 0.05], [0.29, 1.45, 0.40], [0.10, 0.75, 0.05])
    fig = indices_figure(t, "sobol", ["y"])
    assert "warning: interval wider than the index for 1 of 3 S1" in fig.axes[0].get_xlabel()
    assert "warning: some intervals are wider than their indices" in fig.get_suptitle()
    calm = indices_figure(_indices([0.5, 0.3, 0.1], [0.05] * 3, [0.6, 0.3, 0.1], [0.05] * 3), "sobol", ["y"])
    assert "warning" not in calm.axes[0].get_xlabel() and "warning" not in calm.get_suptitle()
