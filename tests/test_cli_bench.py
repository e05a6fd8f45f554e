"""End-to-end: ``ruralsim bench`` runs the full model and reports speed, memory and the floor."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
EXE = Path(sys.executable).with_name("ruralsim")


def ruralsim(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(EXE), *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "COLUMNS": "120"})


def test_bench_reports_rows_floor_and_machine(tmp_path: Path):
    out = tmp_path / "bench.json"
    r = ruralsim("bench", "--sizes", "1500,3k", "--years", "1", "--reps", "2", "--counties", "3",
                 "--json", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Floor" in r.stdout and "3,000" in r.stdout
    rows = json.loads(out.read_text())
    assert [row["households"] for row in rows] == [1500, 3000]
    for row in rows:
        assert row["years"] == 1 and row["threads"] == 1 and row["reps"] == 2 and row["counties"] == 3
        assert 0 < row["hh_steps_per_s_min"] <= row["hh_steps_per_s_median"] <= row["hh_steps_per_s_max"]
        assert row["peak_rss_mb"] > 0 and row["state_bytes_per_household"] == 129.0
        shares = row["phase_share"]
        assert set(shares) == {"households", "enterprises", "governments", "accounting", "data_collection"}
        assert all(0.0 <= v <= 1.0 for v in shares.values()) and abs(sum(shares.values()) - 1.0) < 1e-9
        floor = row["floor"]
        assert floor["households"] == row["households"] and floor["bytes_per_household"] == 129.0
        assert floor["bare_pass_hh_steps_per_s"] > 0 and floor["draws_hh_steps_per_s"] > 0
        assert row["share_of_draw_floor"] == pytest.approx(
            row["hh_steps_per_s_median"] / floor["draws_hh_steps_per_s"], rel=1e-12)
        assert f"{row['share_of_draw_floor']:.1%} of the draws alone" in r.stdout
        assert row["machine"]["cores"] >= 1 and "numba" in row["machine"]["packages"]
        assert "commit" in row["machine"]["git"]


@pytest.mark.parametrize(("sizes", "message"), [("2000,abc", "'abc' is not a number"),
                                                ("10", "10 households is below the minimum of 100")])
def test_bench_rejects_bad_sizes(tmp_path: Path, sizes: str, message: str):
    r = ruralsim("bench", "--sizes", sizes, cwd=tmp_path)
    assert r.returncode == 2
    assert "--sizes" in r.stderr and message in r.stderr and "Traceback" not in r.stderr


def test_bench_json_to_a_missing_directory_is_a_clear_error(tmp_path: Path):
    r = ruralsim("bench", "--sizes", "1500", "--years", "1", "--reps", "1", "--counties", "3",
                 "--json", str(tmp_path / "no" / "such" / "bench.json"), cwd=tmp_path)
    assert r.returncode == 2
    assert "cannot write" in r.stderr and "does not exist" in r.stderr and "Traceback" not in r.stderr
    assert "bench: " not in r.stderr  # refused before measuring anything
