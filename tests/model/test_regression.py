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


def seeded_summary(threads: int) -> dict:
    before = numba.get_num_threads()
    numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    try:
        return model.run(load_scenario("transition", CASE).params, seed=SEED, collect_monthly=False).summary
    finally:
        numba.set_num_threads(before)


@pytest.mark.parametrize("threads", [1, 2])
def test_summary_is_fixed(threads):
    expected = json.loads(EXPECTED.read_text())
    got = seeded_summary(threads)
    assert set(got) == set(expected)
    for key, value in expected.items():
        if isinstance(value, bool) or isinstance(value, int):
            assert got[key] == value, key
        else:
            assert math.isclose(got[key], value, rel_tol=1e-9, abs_tol=1e-12), (key, got[key], value)


if __name__ == "__main__":
    EXPECTED.write_text(json.dumps(seeded_summary(1), indent=2, sort_keys=True) + "\n")
    print(f"wrote {EXPECTED}")
