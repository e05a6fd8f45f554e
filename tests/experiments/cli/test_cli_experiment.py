"""``ruralsim experiment``: bad input exits 2 before anything is written; the end-to-end paths."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from experiment_helpers import assert_same_results, write_experiment
from typer.testing import CliRunner

import experiments
from experiments.batch import runner as runner_module
from experiments.batch.executors import FAULTS_ENV
from experiments.cli.main import app

cli = CliRunner()
EXE = Path(sys.executable).with_name("ruralsim")


def invoke(*args: str):
    return cli.invoke(app, ["experiment", *args])


def assert_bad_input(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "error:" in result.stderr, result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_experiment(tmp_path, "scenarios: [transition, abrupt_withdrawal]\nreplications: 3\n")


# --------------------------------------------------------------------------------------------
# Bad input: exit 2, nothing written
# --------------------------------------------------------------------------------------------


def test_invalid_file_lists_every_problem(tmp_path: Path):
    path = write_experiment(tmp_path, "scenarios: [transition]\nreplications: 0\ngrid: {shocks.illness.p_yr: [1]}")
    result = invoke(str(path), "--out", str(tmp_path / "out"))
    assert_bad_input(result, "invalid experiment", "2 problems", "replications = 0",
                     "did you mean 'shocks.illness.p_year'")
    assert result.stderr.startswith("error:") and "\n\n" not in result.stderr.strip()
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("options", "fragment"), [
    (["--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"], "--workers and --scheduler cannot be combined"),
    (["--scheduler", "tcp://127.0.0.1:8786", "--local-cluster", "2"], "--scheduler and --local-cluster cannot"),
    (["--workers", "2", "--in-process"], "--workers and --in-process cannot be combined"),
    (["--workers", "0"], "--workers 0 must be a whole number >= 1"),
    (["--local-cluster", "-1"], "--local-cluster -1 must be"),
    (["--scheduler", "127.0.0.1:8786"], "is not a scheduler address; expected tcp://HOST:PORT"),
])
def test_incompatible_or_bad_options(tiny: Path, tmp_path: Path, options: list[str], fragment: str):
    assert_bad_input(invoke(str(tiny), "--out", str(tmp_path / "out"), *options), fragment)
    assert not (tmp_path / "out").exists()


def test_unknown_experiment_name():
    assert_bad_input(invoke("smok"), "no such experiment file", "smoke")


def test_large_experiment_needs_yes_without_a_terminal(tmp_path: Path):
    big = write_experiment(tmp_path, "scenarios: [transition]\nreplications: 501\n")
    result = invoke(str(big), "--out", str(tmp_path / "out"), "--in-process")
    assert_bad_input(result, "501 runs", "--yes")
    assert not (tmp_path / "out").exists()


def test_long_estimate_needs_yes_and_yes_starts(tiny: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(runner_module, "CONFIRM_SECONDS", 0.0)
    result = invoke(str(tiny), "--out", str(tmp_path / "out"), "--in-process")
    assert_bad_input(result, "the experiment needs about", "rerun with --yes")
    assert not (tmp_path / "out").exists()  # the pilot's result is not written unconfirmed
    result = invoke(str(tiny), "--out", str(tmp_path / "out"), "--in-process", "--yes")
    assert result.exit_code == 0, result.output
    assert "6 of 6 runs finished, 0 failed" in result.stdout


def test_existing_directory_needs_resume_and_the_same_experiment(tiny: Path, tmp_path: Path):
    out = str(tmp_path / "out")
    first = invoke(str(tiny), "--out", out, "--in-process")
    assert first.exit_code == 0, first.output
    assert "pilot run" in first.stderr and "estimated" in first.stderr and "on disk" in first.stderr
    assert_bad_input(invoke(str(tiny), "--out", out), "already holds this experiment (6 of 6 runs finished",
                     "--resume")
    again = invoke(str(tiny), "--out", out, "--resume")
    assert again.exit_code == 0 and "Nothing to do" in again.stdout
    write_experiment(tiny.parent, "scenarios: [transition, abrupt_withdrawal]\nreplications: 4\n")
    assert_bad_input(invoke(str(tiny), "--out", out, "--resume"), "holds another experiment", "has changed")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    assert_bad_input(invoke(str(tiny), "--out", str(tmp_path / "other")), "is not an experiment directory")


# --------------------------------------------------------------------------------------------
# Failures and retries through the command
# --------------------------------------------------------------------------------------------


def test_failed_runs_exit_1_and_retry_failed_completes(tiny: Path, tmp_path: Path, monkeypatch):
    out = str(tmp_path / "out")
    monkeypatch.setenv(FAULTS_ENV, json.dumps({"raise": [2]}))
    result = invoke(str(tiny), "--out", out, "--in-process")
    assert result.exit_code == 1, result.output
    assert "5 of 6 runs finished, 1 failed" in result.stdout
    for fragment in ("1 run(s) failed", "failures.jsonl", "--retry-failed"):
        assert fragment in result.stderr
    assert "Traceback" not in result.output
    monkeypatch.delenv(FAULTS_ENV)
    result = invoke(str(tiny), "--out", out, "--in-process", "--retry-failed")
    assert result.exit_code == 0, result.output
    assert "6 of 6 runs finished, 0 failed (1 new" in result.stdout
    assert experiments.load(out).failures.empty


# --------------------------------------------------------------------------------------------
# Ctrl-C on the real command, then --resume
# --------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_resume_completes(tmp_path: Path):
    spec = write_experiment(tmp_path, """
        scenarios: [transition, abrupt_withdrawal]
        replications: 8
        keep: [summary, annual, counties]
    """)
    out = tmp_path / "out"
    env = {**os.environ, FAULTS_ENV: json.dumps({"sleep_s": 0.3})}
    process = subprocess.Popen([str(EXE), "experiment", str(spec), "--out", str(out), "--workers", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 120
        while (time.monotonic() < deadline and process.poll() is None
               and len(list((out / "runs").glob("*.parquet"))) < 4):
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, stderr
    assert "Interrupted" in stderr and "--resume" in stderr and "Traceback" not in stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    n_parts = len(list((out / "runs").glob("*.parquet")))
    assert 4 <= n_parts < 16
    assert manifest["counts"]["done"] == n_parts
    assert not [p for p in (out / "runs").iterdir() if p.name.startswith(".")]

    resumed = subprocess.run([str(EXE), "experiment", str(spec), "--out", str(out), "--resume", "--workers", "2"],
                             capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert "16 of 16 runs finished, 0 failed" in resumed.stdout
    assert f"{16 - n_parts} new" in resumed.stdout
    reference = tmp_path / "reference"
    experiments.run_experiment(spec, reference, inprocess=True)
    assert_same_results(reference, out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert [s["status"] for s in manifest["sessions"]] == ["interrupted", "complete"]


# --------------------------------------------------------------------------------------------
# The shared options replace the file's values; --force starts afresh in a results directory only
# --------------------------------------------------------------------------------------------


def test_shared_options_replace_the_files_values_and_force_starts_afresh(tiny: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = invoke(str(tiny), "--out", str(out), "--in-process", "--seeds", "2", "--first-seed", "7",
                    "--households", "1000", "--set", "shocks.disaster.p_county_year=0.05")
    assert result.exit_code == 0, result.output
    runs = experiments.load(out).runs
    assert sorted(runs["seed"].unique()) == [7, 8] and len(runs) == 4
    assert set(runs["population.n_households"]) == {1000} and set(runs["shocks.disaster.p_county_year"]) == {0.05}
    again = invoke(str(tiny), "--out", str(out), "--in-process")
    assert_bad_input(again, "choose another --out")
    forced = invoke(str(tiny), "--out", str(out), "--in-process", "--force")
    assert forced.exit_code == 0, forced.output
    assert sorted(experiments.load(out).runs["seed"].unique()) == [1, 2, 3]
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("precious")
    refused = invoke(str(tiny), "--out", str(mine), "--in-process", "--force")
    assert_bad_input(refused, "holds files that are not an earlier ruralsim output", "--force replaces only those")
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]
    assert (mine / "notes.txt").read_text() == "precious"
