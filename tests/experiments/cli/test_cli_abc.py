"""``compare --parameter-uncertainty`` and ``calibrate --method abc`` end to end (tiny province,
this process), and their bad input."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from experiments.batch.store import load
from experiments.cli.main import app
from experiments.fit.ensemble import SHIPPED_ENSEMBLE, draw_index, read_ensemble

cli = CliRunner()
TINY = ("--households", "800", "--counties", "3", "--years", "2")
pytestmark = pytest.mark.usefixtures("one_thread_per_run")


def test_compare_with_parameter_uncertainty_pairs_draws_and_splits_the_spread(tmp_path):
    out = tmp_path / "out"
    r = cli.invoke(app, ["compare", "transition", "abrupt_withdrawal", *TINY, "--seeds", "4", "--in-process",
                         "--parameter-uncertainty", "--out", str(out)])
    assert r.exit_code == 0, r.output
    ens = read_ensemble(SHIPPED_ENSEMBLE)
    expected = {seed: ens.particles[draw_index(ens, seed)] for seed in range(1, 5)}
    runs = pd.read_csv(out / "runs.csv")
    for scenario in ("transition", "abrupt_withdrawal"):  # the same draw for every scenario of a replication
        part = runs[runs["scenario"] == scenario].set_index("seed")["parameter_set"]
        assert part.to_dict() == expected
    assert expected[1] == expected[2] and expected[3] == expected[4]
    # every run ran the parameter values of its set
    for store in (out / "store").iterdir():
        stored = load(store).runs
        for row in stored.to_dict("records"):
            for path, value in ens.overrides(draw_index(ens, row["seed"])).items():
                assert row[path] == pytest.approx(value), (path, row["seed"])
    table = pd.read_csv(out / "parameter_uncertainty.csv")
    level = table[(table["scenario"] == "transition") & (table["outcome"] == "relapse_cum_share")].iloc[0]
    assert level["quantity"] == "level" and level["n"] == 4 and level["n_sets"] == len(set(expected.values()))
    assert set(table["quantity"]) == {"level", "difference"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["parameter_uncertainty"]["draws"] == {str(k): v for k, v in expected.items()}
    assert manifest["parameter_uncertainty"]["parameter_sets"] == len(ens)
    html = (out / "report.html").read_text()
    assert "Parameter uncertainty and chance" in html and "chance sd " in html


def test_a_bad_ensemble_exits_2_naming_file_line_column_and_value(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("particle,labour.migrant_propensity,weight\n0,1.5,1\n1,0.5,one\n", encoding="utf-8")
    out = tmp_path / "out"
    r = cli.invoke(app, ["compare", "transition", "abrupt_withdrawal", *TINY, "--seeds", "2", "--ensemble", str(bad),
                         "--out", str(out)])
    assert r.exit_code == 2, r.output
    assert f"{bad}: line 2, column 'labour.migrant_propensity': '1.5' is not a number in the parameter's valid " \
           "range [0, 1]" in r.stderr
    assert f"{bad}: line 3, column 'weight': 'one' is not a finite number >= 0" in r.stderr
    assert "Traceback" not in r.output and not out.exists()
    missing = cli.invoke(app, ["compare", "transition", "abrupt_withdrawal", "--ensemble", str(tmp_path / "no.csv"),
                               "--out", str(out)])
    assert missing.exit_code == 2 and "no.csv: no such ensemble file" in missing.stderr
    clash = cli.invoke(app, ["compare", "transition", "abrupt_withdrawal", *TINY, "--parameter-uncertainty",
                             "--set", "labour.migrant_propensity=0.5", "--out", str(out)])
    assert clash.exit_code == 2 and "--set labour.migrant_propensity: drawn from" in clash.stderr


@pytest.mark.slow
def test_calibrate_abc_writes_a_reproducible_ensemble(tmp_path):
    args = ["calibrate", "--method", "abc", "--population", "5", "--generations", "2", "--budget", "20",
            "--seeds", "1", "--households", "500", "--counties", "3", "--design-seed", "3", "--yes"]
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        r = cli.invoke(app, [*args, "--out", str(out)])
        assert r.exit_code == 0, r.output
    ens = read_ensemble(first / "ensemble.csv")
    assert len(ens) == 5 and ens.manifest["population"] == "5" and ens.manifest["seeds"] == "1"
    assert ens.manifest["targets"].startswith("experiments/targets/in_sample.csv") or "in_sample.csv" in \
        ens.manifest["targets"]
    again = read_ensemble(second / "ensemble.csv")
    assert again.values.tolist() == ens.values.tolist() and again.weights.tolist() == ens.weights.tolist()
    report = (first / "fit_report.md").read_text()
    for heading in ("Fitted parameters (the ensemble)", "Generations", "In-sample targets: the ensemble",
                    "Checks not fitted (after 2020)", "registered_income_2020", "exiters_poor_again_2023"):
        assert heading in report
    meta = json.loads((first / "manifest.json").read_text())
    assert meta["method"] == "abc" and meta["population"] == 5 and meta["evaluated"] <= 20
    assert (first / "fit_report.html").read_text().count("<table>") == 4


def test_calibrate_abc_bad_options_exit_2(tmp_path):
    r = cli.invoke(app, ["calibrate", "--method", "abc", "--population", "50", "--budget", "10",
                         "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "--budget 10: allowed --population (50)" in r.stderr
    r = cli.invoke(app, ["calibrate", "--method", "bayes", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "--method 'bayes': allowed de or abc" in r.stderr
