"""``ruralsim odd``: regenerate the parameter table of docs/ODD.md from Params (``--check``: verify it)."""

from __future__ import annotations

import typer

from experiments.cli.console import fail
from experiments.odd import DEFAULT_PATH, resolve_path, update_odd


def odd(check: bool) -> None:
    path = resolve_path(DEFAULT_PATH)
    try:
        changed = update_odd(path, check=check)
    except (OSError, ValueError) as exc:
        fail(f"cannot update the ODD parameter table in {path}: {exc}")
    if check and changed:
        fail(f"the parameter table in {path} is out of date; run `uv run ruralsim odd` to regenerate it.", code=1)
    typer.echo(f"{path}: parameter table {'updated' if changed else 'up to date'}.")
