"""``ruralsim validate`` and ``ruralsim calibrate`` end to end on a tiny province, and their bad input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from experiments.cli.main import app
from experiments.files import is_ruralsim_output
from experiments.fit.calibrate import FREE_PARAMETERS
from scenarios import load_scenario

TINY = ("--households", "800", "--counties", "3")


def invoke(*args: str):
    """The ``ruralsim`` command in this process (the Typer app the console script runs)."""
    return CliRunner().invoke(app, list(args))


@pytest.mark.slow
def test_validate_end_to_end(tmp_path):
    out = tmp_path / "val"
    js = tmp_path / "rows.json"
    targets = tmp_path / "t.csv"
    targets.write_text(
        "id,indicator,year,value,tolerance,unit,source,note\n"
        "wide,poverty_rate,2017,[0;1],0,share,test,must pass\n"
        "far,poverty_rate,2017-2018,0.9,0.01,share,test,must fail\n"
        "catch_up,income_pc_fpc_yuan,2017-2020,ratio>1,0,ratio,test,incomes grow\n"
        "gini,gini_final,,positive,,share,test,summary key\n")
    r = invoke("validate", "--targets", str(targets), "--seeds", "2", "--first-seed", "5", *TINY, "--json", str(js),
               "--out", str(out))
    assert r.exit_code == 0, r.output
    assert "3 of 4 targets pass (score 75%)" in r.stdout
    assert "warning: 2 replications are too few for the 90% interval" in r.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seeds"] == [5, 6] and manifest["format"] == "ruralsim-validation/1"
    html = (out / "validation.html").read_text()
    assert html.count('src="data:image/png;base64,') == 2 and 'src="figures/' not in html  # one self-contained file
    # indicators by their glossary names (model.indicators), the warning in a box
    assert "<td>Poverty rate</td>" in html and "Read with care" in html
    rows = json.loads(js.read_text())
    assert [(x["id"], x["pass"]) for x in rows] == [("wide", True), ("far", False), ("catch_up", True),
                                                    ("gini", True)]
    assert {"id", "indicator", "year", "simulated_mean", "pass", "sample", "gap"} <= set(rows[0])
    # the default scenario is the baseline: its history 2017-2020 is in sample, a summary of 2021 on is not;
    # no year after the last target's is simulated
    assert [x["sample"] for x in rows] == ["in", "in", "in", "out"]
    assert manifest["scenario"] == "baseline" and manifest["years"] == "2017-2021"
    assert "In sample (the history the calibration fits): 2 of 3 pass; out of sample (from 2021" in html
    assert rows[1]["year"] == "2017-2018" and 0 <= rows[1]["simulated_p05"] <= rows[1]["simulated_p95"] < 0.5
    for name in ("validation.md", "validation.html", "validation.csv", "figures/targets.png", "figures/series.png"):
        assert (out / name).is_file(), name
    md = (out / "validation.md").read_text()
    assert "Overall score: 3 of 4 targets pass" in md and "indicative only" in md
    # the same --out again: refused without --force, replaced with it (an earlier ruralsim output)
    again = ("validate", "--targets", str(targets), "--seeds", "2", "--first-seed", "7", *TINY, "--out", str(out))
    refused = invoke(*again)
    assert refused.exit_code == 2 and "use --force to replace it" in refused.stderr
    forced = invoke(*again, "--force")
    assert forced.exit_code == 0, forced.output
    assert json.loads((out / "manifest.json").read_text())["seeds"] == [7, 8]



def test_validate_errors_exit_2_and_write_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,indicator,year,value,tolerance,unit,source,note\nx,poverty_rate,2019,maybe,0.1,share,s,\n")
    r = invoke("validate", "--targets", str(bad), "--seeds", "2", *TINY, "--out", str(tmp_path / "o"))
    assert r.exit_code == 2 and r.stderr.startswith("error: invalid target file(s):")
    assert f"{bad}: line 2, column 'value': 'maybe' is not a number" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "o").exists()



def test_unknown_scenario_and_bad_options_exit_2(tmp_path):
    r = invoke("validate", "--scenario", "histrical", "--seeds", "2", "--out", str(tmp_path / "o"))
    assert r.exit_code == 2 and r.stderr.startswith("error: cannot validate scenario 'histrical'")
    assert "historical" in r.stderr  # the closest names are suggested
    r = invoke("validate", "--seeds", "1", "--out", str(tmp_path / "o"))
    assert r.exit_code == 2 and "--seeds 1" in r.stderr
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("")
    r = invoke("calibrate", "--budget", "16", "--out", str(tmp_path / "full"))
    assert r.exit_code == 2 and "already exists and is not an empty directory" in r.stderr
    assert not (tmp_path / "o").exists()



@pytest.mark.slow
def test_unknown_indicator_lists_the_known_ones(tmp_path):
    t = tmp_path / "t.csv"
    t.write_text("id,indicator,year,value,tolerance,unit,source,note\nx,povrty_rate,2019,0.1,0.1,share,s,\n")
    r = invoke("validate", "--targets", str(t), "--seeds", "2", *TINY, "--out", str(tmp_path / "o"))
    assert r.exit_code == 2, r.output
    assert "unknown indicator 'povrty_rate'; known annual columns:" in r.stderr
    assert "poverty_rate" in r.stderr and "known summary keys:" in r.stderr and "relapse_cum_share" in r.stderr
    assert not (tmp_path / "o").exists()



@pytest.mark.slow
def test_calibrate_end_to_end(tmp_path):
    out = tmp_path / "cal"
    r = invoke("calibrate", "--budget", "16", "--seeds", "1", "--first-seed", "3", *TINY,
               "--set", "shocks.disaster.p_county_year=0.05", "--out", str(out))
    assert r.exit_code == 0, r.output
    assert "after 16 candidates" in r.stdout
    assert json.loads((out / "calibration.json").read_text())["meta"]["seeds"] == [3]
    assert load_scenario(out / "calibrated.yaml").params.get("shocks.disaster.p_county_year") == 0.05
    for name in ("calibrated.yaml", "fit_report.md", "fit_report.html", "calibration.json", "figures/targets.png",
                 "figures/series.png", "figures/history.png"):
        assert (out / name).is_file(), name
    assert is_ruralsim_output(out)  # what --force may replace
    info = json.loads((out / "calibration.json").read_text())
    assert len(info["history"]) == 16 and info["distance"] == min(info["history"])
    assert sum(row["contribution"] for row in info["rows"]) == pytest.approx(info["distance"], rel=1e-9)
    params = load_scenario(out / "calibrated.yaml").params
    for p in FREE_PARAMETERS:
        value = params.get(p.path)
        value = value.at_year(2018) if hasattr(value, "at_year") else value
        assert p.lo <= value <= p.hi
        assert value == pytest.approx(info["fitted"][p.path], abs=(p.hi - p.lo) * 1e-3)
    report = (out / "fit_report.md").read_text()
    assert "| target | indicator | year | value | tolerance | simulated mean | 90% interval | weight | contribution |" \
        in report
    r2 = invoke("calibrate", "--budget", "3", "--out", str(tmp_path / "c2"))
    assert r2.exit_code == 2 and "error: --budget 3 is below two candidates" in r2.stderr
    free = FREE_PARAMETERS[0].path
    r3 = invoke("calibrate", "--set", f"{free}=0.1", "--out", str(tmp_path / "c3"))
    assert r3.exit_code == 2 and f"error: --set {free}: a free parameter of the calibration" in r3.stderr
    r4 = invoke("calibrate", "--seed", "3", "--out", str(tmp_path / "c4"))
    assert r4.exit_code == 2 and "--design-seed" in r4.stderr and not (tmp_path / "c4").exists()
