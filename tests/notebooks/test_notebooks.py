"""The notebooks are stored with their outputs, and those outputs are what a fresh run gives.

Each notebook is run from top to bottom in a fresh kernel (nbclient) and its outputs compared, cell
by cell, with the stored ones: texts and tables exactly, once the parts that change from run to run
are masked (memory addresses, pandas' table ids, temporary paths); figures by size and pixels (at
most 2% of the pixels may differ, which allows for font rendering between matplotlib builds; the
numbers a figure shows also appear as text in every notebook). A stale output or a failing cell
fails the test; ``uv run python notebooks/refresh.py NAME`` stores fresh outputs.
"""

from __future__ import annotations

import base64
import io
import re
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NAMES = ["01_classroom_withdrawal", "02_planner_comparison", "03_researcher_sensitivity", "04_inside_a_household"]
#: Each notebook must finish well within a minute on the 2-core test machine.
TIMEOUT_S = 120
CELL_TIMEOUT_S = 90
#: Largest share of a figure's pixels that may differ from the stored figure.
PIXEL_SHARE = 0.02
VOLATILE = (
    (re.compile(r"0x[0-9a-f]{6,16}"), "0x…"),                     # memory addresses in reprs
    (re.compile(r"T_[0-9a-f]{5}"), "T_…"),                        # ids of pandas' styled tables
    (re.compile(r"/tmp/[^\s'\"<>)]+"), "/tmp/…"),                 # temporary directories
)


@pytest.fixture(scope="module", autouse=True)
def compiled_model():
    """A tiny year of the model here first: on a fresh checkout it compiles the kernels into their
    cache, so that no notebook cell spends its time limit compiling."""
    from model import Params, RuralModel

    m = RuralModel(Params().with_overrides({"population.n_households": 300, "population.n_counties": 2,
                                            "sim.n_years": 1}), seed=1)
    while m.running:
        m.step()


def mask(text: str) -> str:
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def outputs(cell) -> list[tuple[str, object]]:
    """A code cell's outputs as comparable items: streams joined, texts masked, figures decoded."""
    items: list[tuple[str, object]] = []
    for out in cell.outputs:
        if out.output_type == "stream":
            if items and items[-1][0] == f"stream:{out.name}":
                items[-1] = (items[-1][0], items[-1][1] + out.text)
            else:
                items.append((f"stream:{out.name}", out.text))
        elif out.output_type == "error":
            items.append(("error", f"{out.ename}: {out.evalue}"))
        else:
            for mime, data in sorted(out.get("data", {}).items()):
                if mime == "image/png":
                    items.append((mime, base64.b64decode(data)))
                else:
                    items.append((mime, "".join(data) if isinstance(data, list) else data))
    return [(kind, mask(value) if isinstance(value, str) else value) for kind, value in items]


def pixels(png: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def differences(stored, fresh) -> list[str]:
    """Where the stored outputs of a notebook differ from a fresh run's (empty: none)."""
    found = []
    code = [(i, c) for i, c in enumerate(stored.cells) if c.cell_type == "code"]
    fresh_code = [c for c in fresh.cells if c.cell_type == "code"]
    for (i, old), new in zip(code, fresh_code, strict=True):
        a, b = outputs(old), outputs(new)
        if [k for k, _ in a] != [k for k, _ in b]:
            found.append(f"cell {i}: outputs {[k for k, _ in a]} stored, {[k for k, _ in b]} now")
            continue
        for (kind, x), (_, y) in zip(a, b, strict=True):
            if kind == "image/png":
                px, py = pixels(x), pixels(y)
                if px.shape != py.shape:
                    found.append(f"cell {i}: a figure of {px.shape[1]}x{px.shape[0]} pixels stored, "
                                 f"{py.shape[1]}x{py.shape[0]} now")
                elif (share := float(np.mean(np.abs(px - py).max(axis=2) > 16))) > PIXEL_SHARE:
                    found.append(f"cell {i}: {share:.1%} of a figure's pixels differ")
            elif x != y:
                line = next((k for k, (p, q) in enumerate(zip(x.splitlines(), y.splitlines(), strict=False))
                             if p != q), None)
                where = "" if line is None else (f" at line {line + 1}: stored {x.splitlines()[line]!r}, now "
                                                 f"{y.splitlines()[line]!r}")
                found.append(f"cell {i}: {kind} differs{where}")
    return found


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_stored_with_outputs(name: str):
    book = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nbformat.validate(book)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), f"{name}: run it top to bottom"
    assert sum(bool(c.outputs) for c in code) > len(code) / 2, f"{name}: stored without outputs"
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not any("execution" in c.metadata for c in code), f"{name}: timings stored"
    assert sum(c.cell_type == "markdown" for c in book.cells) >= 4, "explanations between the cells"


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_stored_outputs_are_what_a_fresh_run_gives(name: str, tmp_path: Path):
    path = NOTEBOOKS / f"{name}.ipynb"
    stored = nbformat.read(path, as_version=4)
    fresh = nbformat.read(path, as_version=4)
    client = NotebookClient(fresh, timeout=CELL_TIMEOUT_S, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(tmp_path)}})
    t0 = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - t0
    print(f"{path.name}: {seconds:.1f} s")
    assert seconds < TIMEOUT_S
    errors = [o for c in fresh.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{path.name}: {errors[0].ename}: {errors[0].evalue}"
    stale = differences(stored, fresh)
    assert not stale, (f"{path.name} is stored with stale outputs ({'; '.join(stale[:5])}); run "
                       f"`uv run python notebooks/refresh.py {name}` and commit the notebook")


def test_the_comparison_notices_a_changed_number_and_masks_what_changes_between_runs():
    book = nbformat.read(NOTEBOOKS / "02_planner_comparison.ipynb", as_version=4)
    same = nbformat.read(NOTEBOOKS / "02_planner_comparison.ipynb", as_version=4)
    assert differences(book, same) == []
    stream = next(o for c in same.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "stream")
    stream.text = stream.text.replace("%", "‰", 1)
    assert differences(book, same)
    assert mask("<Styler at 0x7f26673c65d0> #T_8f3a1_row0 /tmp/compare-x1y2/report.html") == \
        "<Styler at 0x…> #T_…_row0 /tmp/…"
