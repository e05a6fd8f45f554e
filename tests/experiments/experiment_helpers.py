"""Helpers of the experiment tests: tiny experiment files and table comparison."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd

#: Tiny runs (about 0.1 s each) so that whole experiments fit in a test.
TINY = "households: 1500\ncounties: 3\nyears: 2\n"
#: Columns that say where and how fast a run went, not what it computed.
WHERE_COLUMNS = ["wall_time_s", "worker"]


def write_experiment(directory: Path, body: str, name: str = "tiny", size: str = TINY) -> Path:
    """Write an experiment file ``<name>.yaml`` with the tiny size unless ``body`` sets its own."""
    path = directory / f"{name}.yaml"
    text = f"name: {name}\ndescription: A tiny experiment for the tests.\n" + textwrap.dedent(body).strip() + "\n"
    if size:
        text += size
    path.write_text(text, encoding="utf-8")
    return path


def outcome_tables(directory: Path) -> dict[str, pd.DataFrame]:
    """Runs, annual and counties tables of an experiment without the where/how-fast columns."""
    from experiments import load

    results = load(directory)
    return {"runs": results.runs.drop(columns=WHERE_COLUMNS), "annual": results.annual,
            "counties": results.counties}


def assert_same_results(a: Path, b: Path) -> None:
    """The two experiment directories hold exactly the same outcomes (sorted by run)."""
    ta, tb = outcome_tables(a), outcome_tables(b)
    for name in ta:
        assert len(ta[name]) > 0, name
        pd.testing.assert_frame_equal(ta[name], tb[name], check_exact=True, obj=name)
