"""End-to-end: ``ruralsim app`` served on 127.0.0.1 and driven in headless Chromium (Playwright) at
1366 x 768, the size of a classroom projector.

Moves a slider and resets, steps, presses "Withdraw support now" (the settings line follows),
checks that every label is present and that the page fits the screen (every element box inside
the viewport, no card scrolling inside), exports the series on screen as CSV and saves policy B as
a scenario: ``ruralsim check`` accepts it and ``ruralsim run`` of it reproduces B's first year.
Switches to Chinese (the page's own font has every glyph) and back, and visits the other tabs.
Saves screenshots (paths printed; with RURALSIM_UPDATE_SCREENSHOT=1 also ``docs/app_en.png`` and
``docs/app_zh.png``, the README's pictures). Needs Debian's ``chromium`` at /usr/bin/chromium:
skipped without it, except under CI (CI=true), where a missing browser fails the test.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from experiments.app.bench import free_port, stop_server, wait_until_served

CHROMIUM = Path("/usr/bin/chromium")
EXE = Path(sys.executable).with_name("ruralsim")
REPO = Path(__file__).resolve().parents[3]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SERVER_START_S = 120
UI_TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1366, "height": 768}
HOUSEHOLDS = 3000
#: Elements that must lie inside the viewport on the live view.
BOXED = (".rs-bar", ".rs-side", ".rs-act", ".rs-head", ".rs-charts img", ".rs-files", ".v-tab")

pytestmark = pytest.mark.slow


def _browser_or_skip() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{CHROMIUM} is missing under CI: .ci/run should have installed Debian's chromium")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); the browser test needs it")


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
    port = free_port()
    log = tmp_path_factory.mktemp("app") / "server.log"
    env = {**os.environ, "RURALSIM_LANG": "en"}
    with open(log, "w") as out:
        proc = subprocess.Popen([str(EXE), "app", "--host", "127.0.0.1", "--port", str(port), "--households",
                                 str(HOUSEHOLDS)], stdout=out, stderr=subprocess.STDOUT,
                                cwd=tmp_path_factory.getbasetemp(), env=env)
    url = f"http://127.0.0.1:{port}/"
    try:
        if not wait_until_served(url, proc, SERVER_START_S):
            pytest.fail(f"the app server did not start:\n{log.read_text()}")
        yield url, log
    finally:
        stop_server(proc)


def _click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def _month(k: int) -> str:
    year, month = divmod(k - 1, 12)
    return f"{2021 + year}-{month + 1:02d}"


def _idle(page) -> None:
    """Wait until the busy indicator has gone: every view then shows the same month."""
    page.wait_for_function("() => !document.querySelector('.rs-busy').innerText.trim()", timeout=UI_TIMEOUT_MS)


def _step(page, done: int, n: int = 1) -> int:
    for k in range(done + 1, done + n + 1):
        _click(page, "Step one month")
        page.locator("#rs-month", has_text=_month(k)).wait_for(timeout=UI_TIMEOUT_MS)
        _idle(page)
    return done + n


def _chart_sources(page) -> list[str]:
    return page.locator(".rs-charts img").evaluate_all("els => els.map(e => e.src.length + ':' + e.src.slice(-64))")


def _assert_fits(page) -> None:
    """Every box of :data:`BOXED` inside the 1366 x 768 viewport, and no card that scrolls inside."""
    for selector in BOXED:
        boxes = page.locator(selector).evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })")
        assert boxes, selector
        for left, top, right, bottom in boxes:
            assert left >= -0.5 and top >= -0.5, (selector, left, top)
            assert right <= VIEWPORT["width"] + 0.5 and bottom <= VIEWPORT["height"] + 0.5, (selector, right, bottom)
    overflowing = page.locator(".rs-card").evaluate_all(
        "els => els.filter(e => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1)"
        ".map(e => e.className + ': ' + e.innerText.slice(0, 40))")
    assert not overflowing, overflowing
    assert page.evaluate("document.documentElement.scrollHeight") <= VIEWPORT["height"] + 1


def _download(page, label: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.get_by_text(label, exact=True).click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_app_in_headless_chromium(server, tmp_path):
    from playwright.sync_api import sync_playwright

    url, log = server
    shots = Path(tempfile.mkdtemp(prefix="ruralsim-app-"))
    failed_requests: list[str] = []
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(shots / "profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport=VIEWPORT, accept_downloads=True)
        try:
            page = ctx.new_page()
            page.on("response", lambda r: failed_requests.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            page.on("requestfailed", lambda r: failed_requests.append(f"failed {r.url}"))
            page.set_default_timeout(UI_TIMEOUT_MS)
            page.goto(url)
            page.get_by_text("Policy B: act now").wait_for()
            assert page.locator("html").get_attribute("lang") is not None
            for label in ("Live view", "B − A", "One household", "Glossary"):
                page.get_by_role("tab", name=label).wait_for()
            for label in ("▶ Play", "Step one month", "Reset", "Withdraw support now", "Stop monitoring now", "中文"):
                page.get_by_role("button", name=label, exact=True).wait_for()
            for text in ("Export CSV", "Save B as scenario", "B monitoring coverage: 0.90 (share)",
                         "B withdraws support in: never", "Illness: 0.11 per household/yr", "A and B now"):
                page.get_by_text(text, exact=True).wait_for()
            for hidden in ("Render Interval", "Use Threads", "Information", "Page 0", "Model Parameters"):
                assert page.get_by_text(hidden).count() == 0, hidden

            # a slider shows its value; it applies on Reset
            slider = page.locator(".v-input", has=page.locator("..")).filter(
                has=page.locator("[role=slider]")).nth(3)  # seed, withdrawal year, taper, coverage
            box = slider.locator(".v-slider").bounding_box()
            page.mouse.click(box["x"] + 0.5 * box["width"], box["y"] + box["height"] / 2)
            page.get_by_text("B monitoring coverage: 0.50 (share)", exact=True).wait_for()
            _click(page, "Reset")
            page.get_by_text(re.compile(r"monitoring coverage 0\.50")).first.wait_for()

            # months advance, numbers and charts appear; the page fits the projector
            charts_before = _chart_sources(page)
            done = _step(page, 0, 2)
            assert _chart_sources(page) != charts_before
            _assert_fits(page)

            # withdraw support now: the note and the settings line follow
            _click(page, "Withdraw support now")
            page.get_by_text("B: targeted assistance withdrawn from 2021-03", exact=True).wait_for()
            page.get_by_text(re.compile(r"B: withdrawal now, from 2021-03")).wait_for()
            done = _step(page, done, 10)  # to December 2021: B's first year is complete
            _assert_fits(page)
            # December's accounting is on screen: the year-end rate and the county grid of 2021
            page.get_by_text("Relapse rate, last December", exact=True).wait_for()
            assert page.locator("tr", has_text="Relapse rate, last December").locator("td").nth(2).inner_text() \
                != "0.00%"
            page.screenshot(path=str(shots / "app_en.png"))

            # export the series on screen, save B as a scenario
            series = list(csv.DictReader(_download(page, "Export CSV", tmp_path).open(encoding="utf-8")))
            assert {r["policy"] for r in series} == {"A", "B"} and len(series) == 2 * done
            assert "relapse_rate_12m" in series[0]
            b_dec = next(r for r in series if r["policy"] == "B" and r["year"] == "2021" and r["month"] == "12")
            scenario = _download(page, "Save B as scenario", tmp_path)
            assert scenario.name == "policy_b.yaml"
            check = subprocess.run([str(EXE), "check", str(scenario)], capture_output=True, text=True)
            assert check.returncode == 0 and "OK" in check.stdout, check.stderr
            run_dir = tmp_path / "run_b"
            run = subprocess.run([str(EXE), "run", str(scenario), "--seed", "1", "--years", "1", "--format", "csv",
                                  "--out", str(run_dir)], capture_output=True, text=True)
            assert run.returncode == 0, run.stderr
            # the run simulates the baseline's history first: B's first year is its row of 2021
            annual = next(r for r in csv.DictReader((run_dir / "annual.csv").open(encoding="utf-8"))
                          if r["year"] == "2021")
            for col in ("relapse_rate", "poverty_rate"):
                assert float(annual[col]) == pytest.approx(float(b_dec[col]), rel=1e-9, abs=1e-12), col
            monthly = list(csv.DictReader((run_dir / "monthly.csv").open(encoding="utf-8")))
            assert float(monthly[-1]["n_monitored"]) == pytest.approx(float(b_dec["n_monitored"]), rel=1e-9)

            # Chinese, with the page's own font, then back to English
            _click(page, "中文")
            page.get_by_text("政策B：立即行动").wait_for()
            for text in ("实时观察", "一户人家", "词汇表", "A与B现状", "导出CSV", "将B保存为情景"):
                page.get_by_text(text, exact=True).first.wait_for()
            page.get_by_role("button", name="▶ 播放", exact=True).wait_for()
            assert page.evaluate("document.fonts.check('16px \"ruralsim CJK\"', '返贫率')")
            assert page.locator(".rs-root").get_attribute("lang") == "zh-CN"
            page.wait_for_timeout(500)
            _assert_fits(page)
            page.screenshot(path=str(shots / "app_zh.png"))
            _click(page, "English")
            page.get_by_text("Policy B: act now").wait_for()

            # the other tabs
            page.get_by_role("tab", name="B − A").click()
            page.get_by_text("A and B in lockstep").wait_for()
            page.get_by_role("tab", name="One household").click()
            page.get_by_text("A household, month by month").wait_for()
            page.get_by_text(re.compile(r"Under B, last \d+ months")).wait_for()
            page.screenshot(path=str(shots / "household.png"))
            page.get_by_role("tab", name="Glossary").click()
            page.get_by_text("Dibao (minimum living allowance) · 低保（农村最低生活保障）").wait_for()
        finally:
            ctx.close()
    print(f"app screenshots: {shots}")
    if os.environ.get("RURALSIM_UPDATE_SCREENSHOT") == "1":  # refresh the README's pictures
        for name in ("app_en.png", "app_zh.png"):
            shutil.copyfile(shots / name, REPO / "docs" / name)
    assert not failed_requests, failed_requests
    text = log.read_text()
    assert "Traceback" not in text, text
    assert "Could not load URL" not in text, "the app tried to fetch assets from outside this machine"
    assert "Cookies with samesite" not in text and "Warning" not in text, text
