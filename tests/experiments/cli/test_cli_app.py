"""``ruralsim app``: bad options exit 2 with one error paragraph before anything is served."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner


@pytest.mark.parametrize("args, message", [
    (["--port", "70000"], "error: --port is 70000; allowed 0-65535"),
    (["--households", "10"], "error: --households is 10; allowed 100-1,000,000"),
])
def test_app_command_bad_options(args, message):
    from experiments.cli.main import app as cli

    r = CliRunner().invoke(cli, ["app", *args])
    assert r.exit_code == 2
    assert message in r.output
    assert "Traceback" not in r.output
