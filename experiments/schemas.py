"""The JSON Schemas of the input files, written to ``docs/schemas/`` and kept up to date.

Each schema is generated next to its validator: scenarios (:mod:`scenarios.schema`), experiments
(:mod:`experiments.batch.schema`), problems (:mod:`experiments.sensitivity.problem_schema`) and
target rows (:mod:`experiments.fit.target_schema`). ``ruralsim schemas`` writes them;
``ruralsim schemas --check`` (and the tests) fail when a written one is out of date. Point an editor
at them, e.g. with a first line ``# yaml-language-server: $schema=../docs/schemas/scenario.schema.json``
in a scenario file, to get completion and checks as you type.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: The project root, and where the schemas are written.
ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "docs" / "schemas"


def annual_columns() -> list[str]:
    """The columns of a run's annual table (from a one-year run of 300 households)."""
    import model

    params = model.Params().with_overrides({"population.n_households": 300, "population.n_counties": 2,
                                            "sim.n_years": 1})
    return [c for c in model.run(params, seed=1, collect_monthly=False).annual.columns if c != "year"]


def builders() -> dict[str, Callable[[], dict[str, Any]]]:
    """File kind -> function building its schema."""
    from experiments.batch.schema import experiment_schema
    from experiments.fit.target_schema import target_schema
    from experiments.sensitivity.problem_schema import problem_schema
    from scenarios.schema import scenario_schema

    return {"scenario": scenario_schema, "experiment": experiment_schema, "problem": problem_schema,
            "target": lambda: target_schema(annual_columns())}


def schema_text(schema: dict[str, Any]) -> str:
    """A schema as the file holds it (indented JSON, keys in the schema's order, a final newline)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def update_schemas(directory: Path = SCHEMA_DIR, check: bool = False) -> list[Path]:
    """Write every schema to ``directory/<kind>.schema.json`` (with ``check``, only compare); returns the
    files that were (or, with ``check``, would be) changed."""
    from experiments.files import atomic_write

    changed = []
    for kind, build in builders().items():
        path = Path(directory) / f"{kind}.schema.json"
        text = schema_text(build())
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        changed.append(path)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, text.encode("utf-8"))
    return changed
