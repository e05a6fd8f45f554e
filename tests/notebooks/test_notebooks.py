"""The notebooks run from top to bottom (nbclient), are stored without outputs, and stay small."""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NAMES = ["01_classroom_withdrawal", "02_planner_comparison", "03_researcher_sensitivity", "04_inside_a_household"]
#: Each notebook must finish well within a minute on the 2-core test machine.
TIMEOUT_S = 120
CELL_TIMEOUT_S = 90


@pytest.fixture(scope="module", autouse=True)
def compiled_model():
    """A tiny year of the model here first: on a fresh checkout it compiles the kernels into their
    cache, so that no notebook cell spends its time limit compiling."""
    from model import Params, RuralModel

    m = RuralModel(Params().with_overrides({"population.n_households": 300, "population.n_counties": 2,
                                            "sim.n_years": 1}), seed=1)
    while m.running:
        m.step()


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name: str, tmp_path: Path):
    path = NOTEBOOKS / f"{name}.ipynb"
    book = nbformat.read(path, as_version=4)
    nbformat.validate(book)
    for cell in book.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{path.name} is stored with outputs"
    assert sum(c.cell_type == "markdown" for c in book.cells) >= 4, "explanations between the cells"
    client = NotebookClient(book, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    t0 = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - t0
    print(f"{path.name}: {seconds:.1f} s")
    assert seconds < TIMEOUT_S
    errors = [o for c in book.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
