"""Serving the classroom app: checks the options, then runs Solara's server on this machine.

The server runs offline: Solara's usage telemetry, its version check and Font Awesome (fetched
from a CDN) are switched off, the app draws with matplotlib on the server (no JavaScript chart
libraries to fetch) and carries its own Chinese font. The terminal stays quiet: the server logs
warnings only, and Solara's note on session cookies (repeated at every page load on an address
other than "localhost") is silenced.
"""

from __future__ import annotations

import os
import socket
import threading
import warnings

#: Solara settings for an offline, private server (environment variables read by Solara).
SOLARA_ENV = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_ASSETS_FONTAWESOME_ENABLED": "False",
    "SOLARA_THEME_SHOW_BANNER": "False",
}
APP_MODULE = "experiments.app.page"
#: Environment variable holding the app's default province size.
HOUSEHOLDS_ENV = "RURALSIM_APP_HOUSEHOLDS"
#: Largest province the app builds (two of them are held in memory).
MAX_HOUSEHOLDS = 1_000_000


class AppOptionsError(ValueError):
    """Invalid ``ruralsim app`` options."""


def check_options(host: str, port: int, households: int) -> None:
    """Raise :class:`AppOptionsError` naming the bad option, its value and what is allowed."""
    if not 0 <= port <= 65535:
        raise AppOptionsError(f"--port is {port}; allowed 0-65535 (0: any free port)")
    if not 100 <= households <= MAX_HOUSEHOLDS:
        raise AppOptionsError(f"--households is {households}; allowed 100-{MAX_HOUSEHOLDS:,}")
    try:
        infos = socket.getaddrinfo(host, port or None, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise AppOptionsError(f"--host {host!r} is not an address of this machine ({exc.strerror})") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as exc:
            raise AppOptionsError(f"cannot listen on {host}:{port} ({exc.strerror}); "
                                  f"choose another --port or --host") from None


def serve(host: str, port: int, households: int) -> None:
    """Run the app's server until Ctrl-C, the documented way to stop it (blocks; returns then)."""
    check_options(host, port, households)
    for key, value in SOLARA_ENV.items():
        os.environ.setdefault(key, value)
    os.environ[HOUSEHOLDS_ENV] = str(households)
    # Solara warns on every page load served on an address other than "localhost" that cookies fall
    # back to samesite=lax: the right setting for an app that is not embedded in another site
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    import click
    from solara.__main__ import run as solara_run

    from experiments.app.lockstep import warm_up

    # the first December would otherwise wait seconds for what the year-end accounting loads
    threading.Thread(target=warm_up, kwargs={"households": households}, name="ruralsim-warm-up", daemon=True).start()

    print(f"ruralsim app: http://{host}:{port}/ (Ctrl-C stops)", flush=True)
    try:
        solara_run.main(args=[APP_MODULE, "--host", host, "--port", str(port), "--production", "--no-open",
                              "--no-check-version", "--log-level", "warning"],
                        prog_name="ruralsim app", standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):  # Solara's command turns Ctrl-C into Abort
        pass
    print("ruralsim app: stopped.", flush=True)
