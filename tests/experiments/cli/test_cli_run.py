"""End-to-end: the real model through the installed ``ruralsim`` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

EXE = Path(sys.executable).with_name("ruralsim")


def ruralsim(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "120"}
    return subprocess.run([str(EXE), *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


def test_run_writes_everything(tmp_path: Path):
    out = tmp_path / "res"
    r = ruralsim("run", "abrupt_withdrawal", "--households", "3000", "--counties", "5", "--years", "3",
                 "--seed", "4", "--set", "shocks.illness.p_year=0.15", "--out", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "relapse_cum_share" in r.stdout
    for name in ("manifest.json", "summary.json", "annual.parquet", "monthly.parquet", "counties.parquet",
                 "poverty_relapse.png", "income.png", "monitoring.png"):
        assert (out / name).is_file(), name
    annual = pd.read_parquet(out / "annual.parquet")
    # three years from 2021, after the baseline's history 2017-2020
    assert list(annual["year"]) == [2017, 2018, 2019, 2020, 2021, 2022, 2023]
    counties = pd.read_parquet(out / "counties.parquet")
    assert len(counties) == 5 * 7
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 4
    assert manifest["params"]["shocks"]["illness"]["p_year"] == 0.15
    # no monitoring in the history, on in 2021, withdrawn in 2022
    assert manifest["params"]["policy"]["monitoring"]["enabled"] == {"2017": 0.0, "2021": 1.0, "2022": 0.0}
    summary = json.loads((out / "summary.json").read_text())
    assert 0.0 <= summary["relapse_cum_share"] <= 1.0
    # nothing half-written is left beside the output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]


def test_run_csv_and_refuses_existing_output(tmp_path: Path):
    out = tmp_path / "res"
    args = ("run", "transition", "--households", "2000", "--counties", "4", "--years", "2", "--format", "csv",
            "--out", str(out))
    assert ruralsim(*args, cwd=tmp_path).returncode == 0
    assert (out / "annual.csv").is_file() and (out / "counties.csv").is_file()
    again = ruralsim(*args, cwd=tmp_path)
    assert again.returncode == 2
    assert again.stderr.startswith("error:") and "Traceback" not in again.stderr
    assert (out / "annual.csv").is_file()  # the earlier result is kept


def test_same_seed_same_files(tmp_path: Path):
    args = ("run", "transition", "--households", "2000", "--counties", "4", "--years", "2", "--format", "csv")
    assert ruralsim(*args, "--out", str(tmp_path / "a"), cwd=tmp_path).returncode == 0
    assert ruralsim(*args, "--out", str(tmp_path / "b"), cwd=tmp_path).returncode == 0
    for name in ("annual.csv", "monthly.csv", "counties.csv", "summary.json"):
        assert (tmp_path / "a" / name).read_text() == (tmp_path / "b" / name).read_text(), name
