"""``ruralsim sensitivity`` end to end through the store (with --resume), its bad options and bad problem files."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from experiments.cli.main import app

SMALL = """
name: small
description: Does monitoring reach or illness drive relapse in a tiny province?
base: transition
households: 1500
counties: 2
years: 2
reps: 2
uncertainties:
  shocks.illness.p_year: {bounds: [0.06, 0.20]}
levers:
  policy.monitoring.coverage: {bounds: [0.3, 1.0]}
  withdrawal_year: {bounds: [2022, 2023]}
withdrawal:
  levers: [policy.assistance.industrial.intensity, policy.assistance.employment.intensity]
outputs: [relapse_rate_peak, relapse_cum_share, large_scale_relapse]
"""


@pytest.fixture
def small_problem(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(textwrap.dedent(SMALL))
    return path


@pytest.mark.slow
def test_cli_morris_end_to_end_through_the_store_and_resume(tmp_path, small_problem):
    """2 Morris trajectories x 4 points x 2 paired seeds = 16 model runs in this process."""
    out = tmp_path / "sa"
    args = ["sensitivity", str(small_problem), "--method", "morris", "--n", "2", "--in-process", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    indices = pd.read_csv(out / "indices.csv")
    assert list(indices.columns[:7]) == ["output", "parameter", "kind", "mu_star", "mu_star_conf", "sigma", "mu"]
    assert len(indices) == 3 * 3 and {"noise_share", "noise_share_of_mean"} <= set(indices.columns)
    relapse = indices[indices["output"] == "relapse_rate_peak"]
    assert (relapse["mu_star"] >= 0).all() and relapse["mu_star"].max() > 0
    # an output that does not vary gets no indices (NaN), not made-up ones
    for _, g in indices.groupby("output"):
        assert g["mu_star"].notna().all() or g["mu_star"].isna().all()
    html = (out / "report.html").read_text()
    assert "Which levers matter most for large-scale relapse risk" in html and "data:image/png;base64," in html
    for name in ("indices.png", "morris.png", "convergence.png", "points.csv", "noise.csv", "manifest.json"):
        assert (out / name).is_file(), name
    manifest = json.loads((out / "store" / "manifest.json").read_text())
    assert manifest["counts"] == {"runs": 16, "done": 16, "failed": 0, "remaining": 0}
    assert manifest["spec"]["seeds"] == [1, 2]  # the same paired seeds at every point
    points = pd.read_csv(out / "points.csv")
    assert (points["large_scale_relapse_reps"] == 2).all()
    assert points["large_scale_relapse_mean"].between(0, 1).all()  # P(large-scale relapse) per point

    # the same study again: exists -> bad input; with --resume nothing reruns and the indices are identical
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 2 and again.stderr.startswith("error:") and "--resume" in again.stderr
    resumed = CliRunner().invoke(app, [*args, "--resume"])
    assert resumed.exit_code == 0, resumed.output
    assert "(0 new, 0 failed)" in resumed.output
    pd.testing.assert_frame_equal(pd.read_csv(out / "indices.csv"), indices)
    # resuming with another design is refused as bad input, the store is left as it was
    other = CliRunner().invoke(app, [*args, "--resume", "--seeds", "3"])
    assert other.exit_code == 2 and other.stderr.startswith("error:") and "another experiment" in other.stderr


def test_cli_sensitivity_bad_options_exit_2(tmp_path, small_problem):
    cases = [(["--method", "sobol", "--n", "6"], "power of 2"),
             (["--method", "fast"], "allowed are sobol, morris, delta"),
             (["--workers", "2", "--in-process"], "cannot be combined"),
             (["--households", "10"], "--households 10"),
             (["--resume"], "holds no study to resume"),
             (["--set", "shocks.illness.p_year=0.1"], "--set shocks.illness.p_year: the problem samples it"),
             (["--format", "xlsx"], "--format 'xlsx'"),
             (["--first-seed", "-2"], "--first-seed -2"),
             (["--force", "--resume"], "--force and --resume")]
    for extra, fragment in cases:
        result = CliRunner().invoke(app, ["sensitivity", str(small_problem), "--out", str(tmp_path / "x"), *extra])
        assert result.exit_code == 2, (extra, result.output)
        assert result.stderr.startswith("error:") and fragment in result.stderr, result.stderr
        assert "Traceback" not in result.output


def test_cli_bad_problem_exits_2_with_one_error_paragraph(tmp_path, small_problem):
    path = small_problem
    path.write_text(path.read_text().replace("[0.06, 0.20]", "[0.06, 2.0]"))
    for command in ("sensitivity", "discover"):
        result = CliRunner().invoke(app, [command, str(path), "--out", str(tmp_path / "o")])
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("error:")
        assert "Traceback" not in result.output
        assert str(path) in result.stderr and "outside the allowed range [0, 1]" in result.stderr
        assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_cli_shared_options_reach_the_study(tmp_path, small_problem):
    """--seeds, --first-seed, --set, --format and --force on a tiny Morris study (2 x 4 points x 1 seed)."""
    out = tmp_path / "sa"
    args = ["sensitivity", str(small_problem), "--method", "morris", "--n", "2", "--in-process", "--out", str(out),
            "--seeds", "1", "--first-seed", "5", "--set", "shocks.disaster.p_county_year=0.05", "--format", "parquet"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (out / "indices.parquet").is_file() and not (out / "indices.csv").exists()
    spec = json.loads((out / "store" / "manifest.json").read_text())["spec"]
    assert spec["seeds"] == [5] and spec["parameters"] == {"shocks.disaster.p_county_year": 0.05}
    forced = CliRunner().invoke(app, [*args[:-2], "--force"])
    assert forced.exit_code == 0, forced.output
    assert (out / "indices.csv").is_file()
