"""``ruralsim app``: serve the classroom app (two policies in lockstep, live charts)."""

from __future__ import annotations

import typer

from experiments.app.server import AppOptionsError, serve
from experiments.cli.console import fail


def app_command(host: str, port: int, households: int) -> None:
    try:
        serve(host, port, households)
    except AppOptionsError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
