"""Fixtures of the experiment tests (helpers live in experiment_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from experiment_helpers import write_experiment

from experiments.batch.executors import THREADS_ENV


@pytest.fixture
def tiny_two_by_six(tmp_path: Path) -> Path:
    """Two scenarios x six seeds = 12 tiny runs, keeping annual and county tables."""
    return write_experiment(tmp_path, """
        scenarios: [transition, abrupt_withdrawal]
        replications: 6
        keep: [summary, annual, counties]
    """)


@pytest.fixture(scope="module")
def one_thread_per_run():
    """Runs in this process use one numba thread (as each local worker does); restored afterwards."""
    import numba

    before = numba.get_num_threads()
    patch = pytest.MonkeyPatch()
    patch.setenv(THREADS_ENV, "1")
    numba.set_num_threads(1)
    yield
    patch.undo()
    numba.set_num_threads(before)
