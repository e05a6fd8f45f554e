"""Regression: a seeded run's summary outcomes are fixed.

Speed work must not change results. If a deliberate model change moves these numbers, regenerate
``regression_summary.json`` with ``uv run python tests/model/test_regression.py`` and explain the change
in the commit message.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numba
import pytest

import model
from scenarios import load_scenario

EXPECTED = Path(__file__).with_name("regression_summary.json")
CASE = {"population.n_households": 6000, "population.n_counties": 6, "sim.n_years": 4}
SEED = 11


def seeded_summary(threads: int, parallel: bool) -> dict:
    before = numba.get_num_threads()
    numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    try:
        return model.run(load_scenario("transition", CASE).params, seed=SEED, collect_monthly=False,
                         parallel=parallel).summary
    finally:
        numba.set_num_threads(before)


@pytest.mark.parametrize(("threads", "parallel"), [(1, False), (1, True), (2, True)])
def test_summary_is_fixed(threads, parallel):
    """The same numbers serially and on 1 or 2 threads of the parallel code path."""
    expected = json.loads(EXPECTED.read_text())
    got = seeded_summary(threads, parallel)
    assert set(got) == set(expected)
    for key, value in expected.items():
        if isinstance(value, bool) or isinstance(value, int):
            assert got[key] == value, key
        else:
            assert math.isclose(got[key], value, rel_tol=1e-9, abs_tol=1e-12), (key, got[key], value)


if __name__ == "__main__":
    EXPECTED.write_text(json.dumps(seeded_summary(1, False), indent=2, sort_keys=True) + "\n")
    print(f"wrote {EXPECTED}")
