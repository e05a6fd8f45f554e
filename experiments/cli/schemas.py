"""``ruralsim schemas``: write the JSON Schemas of the input files to docs/schemas (``--check``: verify them)."""

from __future__ import annotations

import typer

from experiments.cli.console import fail
from experiments.schemas import SCHEMA_DIR, update_schemas


def schemas(check: bool) -> None:
    try:
        changed = update_schemas(SCHEMA_DIR, check=check)
    except OSError as exc:
        fail(f"cannot write the schemas in {SCHEMA_DIR}: {exc}", code=1)
    names = ", ".join(p.name for p in changed)
    if check and changed:
        fail(f"out of date in {SCHEMA_DIR}: {names}; run `uv run ruralsim schemas` to regenerate them.", code=1)
    typer.echo(f"{SCHEMA_DIR}: {'updated ' + names if changed else 'up to date'}.")
