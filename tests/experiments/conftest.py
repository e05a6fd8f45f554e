"""Fixtures of the experiment tests (helpers live in experiment_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from experiment_helpers import write_experiment


@pytest.fixture
def tiny_two_by_six(tmp_path: Path) -> Path:
    """Two scenarios x six seeds = 12 tiny runs, keeping annual and county tables."""
    return write_experiment(tmp_path, """
        scenarios: [transition, abrupt_withdrawal]
        replications: 6
        keep: [summary, annual, counties]
    """)
