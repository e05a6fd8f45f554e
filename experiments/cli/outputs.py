"""``ruralsim outputs [NAME]``: the glossary of outputs, policy levers and terms, in the language in force."""

from __future__ import annotations

import typer

from experiments.cli.console import fail
from experiments.glossary import closest, describe, listing
from experiments.i18n import tr


def outputs(name: str | None) -> None:
    """Print the whole glossary, or one entry; an unknown name exits 2 with the closest names."""
    if name is None:
        typer.echo(listing())
        return
    try:
        typer.echo(describe(name))
    except KeyError:
        near = closest(name)
        hint = tr("cli.did_you_mean", names=", ".join(near)) if near else ""
        fail(tr("cli.unknown_output", name=name, hint=hint))
