"""How long a month of the classroom app takes, on the server and in the browser.

``uv run python -m experiments.app.bench`` (options: ``--households``, ``--months``, ``--no-browser``,
``--json PATH``) measures, at the app's default size (100,000 households per province):

- **server**: in this process, a month of the pair (:meth:`LockstepModel.step`) and every view of
  the live tab that the page computes for it (the four monthly charts, the headline table, and at
  a year-end the county grid and the three excesses), as the page keeps them;
- **browser**: ``ruralsim app`` served on 127.0.0.1 and driven in headless Chromium (Playwright,
  Debian's ``/usr/bin/chromium``) at 1366 x 768: from the click on "Step one month" to the
  screen showing the new month, every view of it loaded and the busy indicator gone, measured in
  the page's own clock (two animation frames after the last change, so the frame is painted).

Months are reported after the first (which draws every chart's axes), ordinary months and
Decembers (the year-end accounting of both provinces, the county grid and the three excesses)
apart, against the target of 0.5 s per month. The machine's load changes the figures: the
load average is printed beside them.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from experiments.files import write_json

#: The target: a month step, after the first, shown in the browser within this many seconds.
TARGET_S = 0.5
CHROMIUM = Path("/usr/bin/chromium")
VIEWPORT = {"width": 1366, "height": 768}
SERVER_START_S = 300

#: In the page: click Step, then wait until the month shown is ``expected``, the busy indicator
#: has gone and every chart image is loaded; resolves with the milliseconds two frames later.
_STEP_JS = """async (expected) => {
  const button = [...document.querySelectorAll('button')].find(b => b.innerText.trim() === 'Step one month');
  const t0 = performance.now();
  button.click();
  return await new Promise(resolve => {
    function check() {
      const month = document.querySelector('#rs-month').innerText;
      const busy = document.querySelector('.rs-busy').innerText.trim();
      const images = [...document.querySelectorAll('.rs-charts img')];
      if (month.includes(expected) && !busy && images.every(e => e.complete)) {
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
        return;
      }
      requestAnimationFrame(check);
    }
    requestAnimationFrame(check);
  });
}"""
_READY_JS = ("() => !document.querySelector('.rs-busy').innerText.trim() && [...document.querySelectorAll('button')]"
             ".some(b => b.innerText.trim() === 'Step one month' && !b.disabled)")


def month_text(k: int, start_year: int = 2021) -> str:
    """The ``k``-th month of a run (1 = January of ``start_year``) as the page shows it: ``2021-12``."""
    year, month = divmod(k - 1, 12)
    return f"{start_year + year}-{month + 1:02d}"


def server_months(households: int, months: int, lang: str = "en") -> list[dict[str, Any]]:
    """Seconds of each month on the server: the pair's step and the live tab's views."""
    import numpy as np

    from experiments.app import charts as figs
    from experiments.app.lockstep import LockstepModel, warm_up
    from experiments.app.page import LIVE_CHARTS, headline_rows, settings_text

    warm_up(households=households)  # as the server does when it starts
    m = LockstepModel(households=households)
    sim = m.a.params.sim
    charts = [c(sim.n_years, lang=lang) for c in LIVE_CHARTS]
    types = np.array(["key", "formerly poor", "never poor"])[m.a.province.county_type]
    county = figs.CountyGridChart(types, m.a.params.metrics.large_scale.county_threshold, lang=lang)
    excesses = figs.ThreeExcessesChart(sim.first_outcome_year, sim.n_years, lang=lang)
    for chart in charts:  # the page draws every chart when it opens
        chart.update(m.series())
    out = []
    for k in range(1, months + 1):
        years_done = len(m.a.annual_rows)
        t0 = time.perf_counter()
        m.step()
        t1 = time.perf_counter()
        series = m.series()
        for chart in charts:
            chart.update(series)
        if len(m.a.annual_rows) != years_done:
            year, rate_a = m.county_relapse("A")
            county.update({"A": rate_a, "B": m.county_relapse("B")[1]}, year)
            excesses.update(m.annual_frame())
        headline_rows(m, lang)
        settings_text(m, lang)
        t2 = time.perf_counter()
        out.append({"month": month_text(k, sim.first_outcome_year), "step_s": t1 - t0, "views_s": t2 - t1,
                    "total_s": t2 - t0})
    return out


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_server(proc: subprocess.Popen) -> None:
    """Stop an app server: terminate, and kill it if it has not exited within 20 s."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def wait_until_served(url: str, proc: subprocess.Popen, timeout_s: float) -> bool:
    """Poll ``url`` until it answers 200 (True), or until ``proc`` has exited or ``timeout_s`` passed (False)."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(0.5)


def browser_months(households: int, months: int) -> list[dict[str, Any]]:
    """Seconds of each month in headless Chromium, from the click on Step to the month on screen."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    exe = Path(sys.executable).with_name("ruralsim")
    env = {**os.environ, "RURALSIM_LANG": "en"}
    proc = subprocess.Popen([str(exe), "app", "--host", "127.0.0.1", "--port", str(port), "--households",
                             str(households)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/"
    try:
        if not wait_until_served(url, proc, SERVER_START_S):
            raise RuntimeError(f"the app server did not start on {url}")
        out = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
            try:
                page = browser.new_page(viewport=VIEWPORT)
                page.set_default_timeout(SERVER_START_S * 1000)
                page.goto(url)
                page.get_by_text("Policy B: act now").wait_for()
                for k in range(1, months + 1):
                    page.wait_for_function(_READY_JS)
                    page.wait_for_timeout(300)  # a teacher's pause: the server is idle when Step is clicked
                    ms = page.evaluate(_STEP_JS, month_text(k))
                    out.append({"month": month_text(k), "total_s": ms / 1000})
            finally:
                browser.close()
        return out
    finally:
        stop_server(proc)


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Ordinary months and Decembers after the first month: median and max seconds, and whether
    every one of them is within :data:`TARGET_S`."""
    later = rows[1:]
    ordinary = [r["total_s"] for r in later if not r["month"].endswith("-12")]
    december = [r["total_s"] for r in later if r["month"].endswith("-12")]
    out: dict[str, Any] = {"first_s": rows[0]["total_s"] if rows else None}
    for name, values in (("ordinary", ordinary), ("december", december)):
        if values:
            out[f"{name}_median_s"] = statistics.median(values)
            out[f"{name}_max_s"] = max(values)
            out[f"{name}_n"] = len(values)
    out["within_target"] = bool(later) and max(r["total_s"] for r in later) < TARGET_S
    return out


def format_summary(name: str, s: dict[str, Any]) -> str:
    parts = [f"{name:8s}"]
    for kind in ("ordinary", "december"):
        if f"{kind}_n" in s:
            parts.append(f"{kind} {s[f'{kind}_median_s']:.3f} s median, {s[f'{kind}_max_s']:.3f} max "
                         f"({s[f'{kind}_n']})")
    parts.append(f"first {s['first_s']:.3f} s")
    parts.append(f"every month after the first < {TARGET_S} s: {'yes' if s['within_target'] else 'NO'}")
    return "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m experiments.app.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=100_000, help="households per province")
    parser.add_argument("--months", type=int, default=36, help="months to step (36: three Decembers)")
    parser.add_argument("--no-browser", action="store_true", help="measure on the server only")
    parser.add_argument("--json", type=Path, help="also write every month's figures here")
    args = parser.parse_args(argv)
    if args.months < 2 or args.households < 100:
        parser.error("--months must be at least 2 and --households at least 100")
    result: dict[str, Any] = {"households": args.households, "months": args.months,
                              "load_average_before": os.getloadavg()[0], "target_s": TARGET_S}
    server = server_months(args.households, args.months)
    result["server"] = {"months": server, "summary": summary(server)}
    print(format_summary("server", result["server"]["summary"]), flush=True)
    if args.no_browser:
        pass
    elif not CHROMIUM.exists():
        print(f"browser: not measured ({CHROMIUM} is missing: apt-get install chromium)")
    else:
        browser = browser_months(args.households, args.months)
        result["browser"] = {"months": browser, "summary": summary(browser)}
        print(format_summary("browser", result["browser"]["summary"]))
    result["load_average_after"] = os.getloadavg()[0]
    print(f"load average {result['load_average_before']:.1f} before, {result['load_average_after']:.1f} after; "
          f"{os.cpu_count()} cores")
    if args.json:
        write_json(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
