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


@pytest.mark.slow
def test_ctrl_c_stops_the_app_without_a_traceback():
    """Ctrl-C is the documented way to stop the server: a clean end, exit 0."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    pytest.importorskip("solara")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).with_name("ruralsim")
    process = subprocess.Popen([str(exe), "app", "--port", str(port), "--households", "1000"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        os.killpg(process.pid, signal.SIGINT)  # what a terminal does on Ctrl-C
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, output
    assert "ruralsim app: stopped." in output
    assert "Traceback" not in output and "Abort" not in output
