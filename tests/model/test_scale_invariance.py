"""Large-scale relapse does not depend on how many households are simulated (slow).

20 paired seeds of ``transition`` and ``abrupt_withdrawal`` (20 counties, 2021-2028) at 20,000 and
100,000 households: for each scenario the 95% intervals of the probability of large-scale relapse
(the mean of the runs' probabilities) overlap across the two sizes, as do those of the mean yearly
province relapse rate. The README shows the same study at 20,000 to 200,000 households
(``experiments/scale_invariance.yaml``).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from scipy import stats

pytestmark = pytest.mark.slow

SEEDS = range(1, 21)
SIZES = (20_000, 100_000)
SCENARIOS = ("transition", "abrupt_withdrawal")


def _run(args):
    import numba

    import model
    from scenarios import load_scenario

    numba.set_num_threads(1)
    scenario, n, seed = args
    p = load_scenario(scenario, {"population.n_households": n, "population.n_counties": 20, "sim.n_years": 8}).params
    r = model.run(p, seed=seed, collect_monthly=False, parallel=False)
    return r.summary["large_scale_relapse"], float(r.annual.relapse_rate.mean())


def _interval(x):
    x = np.asarray(x, dtype=float)
    half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
    return x.mean() - half, x.mean() + half


@pytest.fixture(scope="module")
def results():
    jobs = [(s, n, seed) for s in SCENARIOS for n in SIZES for seed in SEEDS]
    # forkserver: the test process already runs numba's threads, which fork would copy unsafely
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("forkserver")) as pool:
        out = list(pool.map(_run, jobs))
    table = {}
    for (s, n, _), res in zip(jobs, out, strict=True):
        table.setdefault((s, n), []).append(res)
    return {k: np.array(v) for k, v in table.items()}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_probability_and_rates_agree_across_sizes(results, scenario):
    small, large = results[(scenario, SIZES[0])], results[(scenario, SIZES[1])]
    for col in (0, 1):  # probability of large-scale relapse; mean yearly relapse rate
        lo_s, hi_s = _interval(small[:, col])
        lo_l, hi_l = _interval(large[:, col])
        assert lo_s <= hi_l and lo_l <= hi_s, (scenario, col, (lo_s, hi_s), (lo_l, hi_l))
    assert np.all((small[:, 0] >= 0) & (small[:, 0] <= 1))
