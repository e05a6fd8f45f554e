"""Run every notebook from top to bottom and store it with its outputs, so that they show when the
repository is browsed on the web.

    uv run python notebooks/refresh.py                  # all of them
    uv run python notebooks/refresh.py 02_planner_comparison

Run it after a change that alters what a notebook shows (the model, a report, a notebook's code):
``tests/notebooks/test_notebooks.py`` re-runs the notebooks and fails while a stored output is
stale. Outputs carry no timings; figures are drawn at a fixed size and resolution.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent
CELL_TIMEOUT_S = 300


def execute(path: Path, workdir: Path) -> nbformat.NotebookNode:
    """The notebook at ``path`` run in a fresh kernel in ``workdir``, without timing metadata."""
    book = nbformat.read(path, as_version=4)
    NotebookClient(book, timeout=CELL_TIMEOUT_S, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(workdir)}}).execute()
    for cell in book.cells:
        cell.metadata.pop("execution", None)
    book.metadata.get("widgets", {}).clear()
    return book


def main(names: list[str]) -> None:
    paths = [NOTEBOOKS / f"{n.removesuffix('.ipynb')}.ipynb" for n in names] or sorted(NOTEBOOKS.glob("*.ipynb"))
    for path in paths:
        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            book = execute(path, Path(tmp))
        errors = [o for c in book.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        if errors:
            sys.exit(f"{path.name}: a cell failed ({errors[0].ename}: {errors[0].evalue}); not stored")
        nbformat.write(book, path)
        print(f"{path.name}: stored with outputs ({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
