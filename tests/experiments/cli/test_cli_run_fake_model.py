"""``ruralsim run`` plumbing with a stand-in for ``model.run`` (the real model is tested elsewhere).

Covers what the CLI itself owns: overrides reach the model, the output directory is written
atomically, ``--force`` replaces, a model failure exits 1 with a short message and leaves nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import model
from experiments.cli.main import app
from experiments.cli.run import format_summary

runner = CliRunner()


class FakeResult:
    def __init__(self, params, seed):
        years = np.arange(2021, 2021 + params.sim.n_years)
        self.annual = pd.DataFrame({"year": years, "poverty_rate": 0.02, "relapse_rate": 0.005,
                                    "income_pc_mean_yuan": 17_000.0, "monitored_share": 0.06})
        self.monthly = pd.DataFrame({"year": np.repeat(years, 12),
                                     "month": np.tile(np.arange(1, 13), len(years)),
                                     "n_monitored": 10})
        self.counties = pd.DataFrame({"year": [2021], "county": [0], "relapse_rate": [0.01]})
        self.summary = {"relapse_rate_peak": 0.0123, "large_scale_relapse": False,
                        "fiscal_cost_total_yuan": 1.5e9, "enterprises_final": 412}
        self.meta = {"seed": seed, "n_years": params.sim.n_years}

    def to_dir(self, path: Path, fmt: str = "parquet") -> None:
        path.mkdir(parents=True, exist_ok=True)
        for name in ("annual", "monthly", "counties"):
            table = getattr(self, name)
            if fmt == "csv":
                table.to_csv(path / f"{name}.csv", index=False)
            else:
                table.to_parquet(path / f"{name}.parquet")
        (path / "summary.json").write_text(json.dumps(self.summary))
        (path / "manifest.json").write_text(json.dumps(self.meta))


@pytest.fixture
def calls(monkeypatch):
    seen: list[dict] = []

    def fake_run(params, seed=1, progress=None):
        for month in range(1, 13):
            if progress is not None:
                progress(month, 12)
        seen.append({"params": params, "seed": seed})
        return FakeResult(params, seed)

    monkeypatch.setattr(model, "run", fake_run, raising=False)
    return seen


def test_run_writes_everything_atomically(tmp_path, calls):
    out = tmp_path / "runs" / "t"
    result = runner.invoke(app, ["run", "abrupt_withdrawal", "--seed", "7", "--years", "3",
                                 "--households", "500", "--counties", "4",
                                 "--set", "shocks.illness.p_year=0.2", "--out", str(out),
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    (call,) = calls
    params = call["params"]
    assert call["seed"] == 7
    assert (params.sim.n_years, params.population.n_households,
            params.population.n_counties) == (3, 500, 4)
    assert params.shocks.illness.p_year == pytest.approx(0.2)
    assert params.policy.monitoring.enabled.at_year(2022) == 0.0
    names = {p.name for p in out.iterdir()}
    assert names == {"annual.csv", "monthly.csv", "counties.csv", "summary.json", "manifest.json",
                     "poverty_relapse.png", "income.png", "monitoring.png"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenario"] == "abrupt_withdrawal"
    assert manifest["scenario_chain"] == ["historical", "calibrated", "baseline", "transition", "abrupt_withdrawal"]
    assert list(out.parent.iterdir()) == [out]  # no temporary directory left behind
    assert "relapse_rate_peak" in result.stdout and "1.23%" in result.stdout


def test_default_output_directory(tmp_path, calls, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["run", "transition", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "runs" / "transition-seed3" / "annual.parquet").is_file()


def test_force_replaces_an_existing_run(tmp_path, calls):
    out = tmp_path / "out"
    assert runner.invoke(app, ["run", "transition", "--out", str(out)]).exit_code == 0
    assert json.loads((out / "manifest.json").read_text())["format"] == "ruralsim-run/1"
    (out / "stale.txt").write_text("old")
    result = runner.invoke(app, ["run", "transition", "--out", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert not (out / "stale.txt").exists()
    assert (out / "summary.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_force_never_replaces_a_directory_that_is_not_a_ruralsim_output(tmp_path, calls):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    (out / "manifest.json").write_text('{"name": "some other tool"}')
    result = runner.invoke(app, ["run", "transition", "--out", str(out), "--force"])
    assert result.exit_code == 2
    assert "holds files that are not an earlier ruralsim output" in result.stderr
    assert calls == []  # refused before the model ran
    assert (out / "keep.txt").read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_empty_output_directory_is_used_without_force(tmp_path, calls):
    out = tmp_path / "out"
    out.mkdir()
    assert runner.invoke(app, ["run", "transition", "--out", str(out)]).exit_code == 0
    assert (out / "summary.json").is_file()


def test_model_failure_exits_1_with_a_short_message_and_writes_nothing(tmp_path, monkeypatch):
    def broken_run(params, seed=1, progress=None):
        raise RuntimeError("household arrays out of sync\nmore detail")

    monkeypatch.setattr(model, "run", broken_run, raising=False)
    monkeypatch.delenv("RURALSIM_DEBUG", raising=False)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", "transition", "--out", str(out)])
    assert result.exit_code == 1
    assert "error: the model failed" in result.stderr
    assert "RuntimeError: household arrays out of sync" in result.stderr
    assert "Traceback" not in result.output
    assert not tmp_path.joinpath("out").exists()
    assert list(tmp_path.iterdir()) == []


def test_failure_while_writing_leaves_no_half_written_directory(tmp_path, calls, monkeypatch):
    def broken_to_dir(self, path, fmt="parquet"):
        (path / "annual.parquet").write_text("partial")
        raise OSError("disk full")

    out = tmp_path / "out"
    assert runner.invoke(app, ["run", "transition", "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setattr(FakeResult, "to_dir", broken_to_dir)
    result = runner.invoke(app, ["run", "transition", "--out", str(out), "--force"])
    assert result.exit_code == 1
    assert "disk full" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # the earlier run is kept whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_format_summary_is_a_readable_table():
    text = format_summary({"relapse_rate_peak": 0.0123, "large_scale_relapse": True,
                           "fiscal_cost_total_yuan": 1_234_567.8, "enterprises_final": 412,
                           "three_excesses_years": 3.0, "gini_final": 0.3712},
                          title="transition, seed 1")
    lines = text.splitlines()
    assert lines[0] == "Summary (transition, seed 1)"
    rows = {line.split()[-1]: line for line in lines[2:]}
    assert rows["relapse_rate_peak"].startswith("Highest yearly relapse rate")
    assert rows["relapse_rate_peak"].split()[-2] == "1.23%"
    assert rows["large_scale_relapse"].split()[-2] == "yes"
    assert rows["fiscal_cost_total_yuan"].split()[-2] == "1,234,568"
    assert rows["gini_final"].split()[-2] == "0.3712"
