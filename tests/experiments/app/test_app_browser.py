"""End-to-end: ``ruralsim app`` served on 127.0.0.1 and driven in headless Chromium (Playwright).

Moves a slider, resets, steps, presses "Withdraw support now" and checks that the numbers and the
charts change; saves a screenshot (path printed; with RURALSIM_UPDATE_SCREENSHOT=1 also
``docs/app_screenshot.png``, the README's picture).
Needs Debian's ``chromium`` at /usr/bin/chromium: skipped without it, except under CI (CI=true),
where a missing browser fails the test.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
EXE = Path(sys.executable).with_name("ruralsim")
REPO = Path(__file__).resolve().parents[3]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SERVER_START_S = 120
UI_TIMEOUT_MS = 60_000

pytestmark = pytest.mark.slow


def _browser_or_skip() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{CHROMIUM} is missing under CI: .ci/run should have installed Debian's chromium")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); the browser test needs it")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _compile_model() -> None:
    """Run a tiny province for a year here first: on a fresh checkout this compiles the model's
    kernels into their cache, which the server then loads instead of compiling while the page waits."""
    from model import Params, RuralModel

    m = RuralModel(Params().with_overrides({"population.n_households": 300, "population.n_counties": 2,
                                            "sim.n_years": 1}), seed=1)
    while m.running:
        m.step()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _browser_or_skip()
    _compile_model()
    port = _free_port()
    log = tmp_path_factory.mktemp("app") / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([str(EXE), "app", "--host", "127.0.0.1", "--port", str(port), "--households", "3000"],
                                stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path_factory.getbasetemp())
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + SERVER_START_S
    try:
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the app server did not start:\n{log.read_text()}")
            time.sleep(0.5)
        yield url, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _cell(page, row_label: str, column: int) -> str:
    """Text of one cell of the headline table (columns: label, A, B, B − A)."""
    row = page.locator("tr", has_text=row_label).first
    return row.locator("td").nth(column).inner_text()


def _number(text: str) -> float:
    return float(re.sub(r"[^0-9.+\-]", "", text.replace("−", "-")))


def _chart_sources(page) -> list[str]:
    return page.locator("img").evaluate_all("els => els.map(e => e.src.length + ':' + e.src.slice(-64))")


def _click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def _step(page, months_before: int, n: int = 1) -> None:
    for k in range(1, n + 1):
        _click(page, "Step")
        page.get_by_text(re.compile(rf"Month: 2021-{months_before + k:02d}")).wait_for(timeout=UI_TIMEOUT_MS)


def test_app_in_headless_chromium(server):
    from playwright.sync_api import sync_playwright

    url, log = server
    shots = Path(tempfile.mkdtemp(prefix="ruralsim-app-"))
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(shots / "profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1500, "height": 1300})
        try:
            page = ctx.new_page()
            page.set_default_timeout(UI_TIMEOUT_MS)
            page.goto(url)
            page.get_by_text("Policy B: act now").wait_for()
            page.get_by_text("Press Step or ▶").wait_for()

            # move a slider (B's monitoring coverage 0.90 -> the middle of its track, 0.50) and reset
            control = page.locator(".v-input", has_text="B: monitoring coverage")
            box = control.locator(".v-slider").bounding_box()
            page.mouse.click(box["x"] + 0.5 * box["width"], box["y"] + box["height"] / 2)
            value = float(control.locator("[role=slider]").get_attribute("aria-valuenow"))
            assert value == pytest.approx(0.5, abs=0.051)
            _click(page, "Reset")
            page.get_by_text(f"monitoring coverage {value:.2f}").first.wait_for()

            # step: the month advances, numbers appear and the charts are drawn
            charts_before = _chart_sources(page)
            _step(page, 0, 2)
            assert _cell(page, "Monitored households", 1) != ""
            charts_after = _chart_sources(page)
            assert len(charts_after) >= 6
            assert charts_after != charts_before
            income_gap_before = _number(_cell(page, "Income of formerly poor, yuan/person/year", 3))

            # withdraw support now: policy B changes from the next month, A does not
            _click(page, "Withdraw support now")
            page.get_by_text("B: targeted assistance withdrawn from 2021-03").first.wait_for()
            _step(page, 2, 2)
            # registered households lose the income that targeted assistance brought (hundreds of yuan)
            income_gap = _number(_cell(page, "Income of formerly poor, yuan/person/year", 3))
            assert income_gap < income_gap_before - 100, (income_gap_before, income_gap)
            assert _chart_sources(page) != charts_after

            path = shots / "app.png"
            page.screenshot(path=str(path), full_page=True)
            print(f"app screenshot: {path}")
            if os.environ.get("RURALSIM_UPDATE_SCREENSHOT") == "1":  # refresh the README's picture
                shutil.copyfile(path, REPO / "docs" / "app_screenshot.png")

            # the side-by-side page and the household inspector render
            page.get_by_role("tab", name="Page 1").click()
            page.get_by_text("A and B in lockstep").wait_for()
            page.get_by_role("tab", name="Page 2").click()
            page.get_by_text("A household, month by month").wait_for()
            page.get_by_text(re.compile(r"Under B, last \d+ months")).wait_for()
            page.screenshot(path=str(shots / "household.png"), full_page=True)
            print(f"household screenshot: {shots / 'household.png'}")
        finally:
            ctx.close()
    text = log.read_text()
    assert "Traceback" not in text, text
    assert "Could not load URL" not in text, "the app tried to fetch assets from outside this machine"
