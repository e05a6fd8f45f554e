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
    r = ruralsim("bench", "--sizes", "1500,3k", "--years", "1", "--repeat", "2", "--counties", "3",
                 "--json", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Floor" in r.stdout and "3,000" in r.stdout
    rows = json.loads(out.read_text())
    assert [row["households"] for row in rows] == [1500, 3000]
    for row in rows:
        assert row["years"] == 1 and row["threads"] == 1 and row["reps"] == 2 and row["counties"] == 3
        assert 0 < row["hh_steps_per_s_min"] <= row["hh_steps_per_s_median"] <= row["hh_steps_per_s_max"]
        assert row["peak_rss_mb"] > 0 and row["state_bytes_per_household"] == 139.0
        shares = row["phase_share"]
        assert set(shares) == {"households", "enterprises", "governments", "accounting", "data_collection"}
        assert all(0.0 <= v <= 1.0 for v in shares.values()) and abs(sum(shares.values()) - 1.0) < 1e-9
        floor = row["floor"]
        assert floor["households"] == row["households"] and floor["bytes_per_household"] == 139.0
        assert floor["bare_pass_hh_steps_per_s"] > 0 and floor["draws_hh_steps_per_s"] > 0
        assert row["share_of_draw_floor"] == pytest.approx(
            row["hh_steps_per_s_median"] / floor["draws_hh_steps_per_s"], rel=1e-12)
        assert f"{row['share_of_draw_floor']:.1%} of the draws alone" in r.stdout
        assert row["machine"]["cores"] >= 1 and "numba" in row["machine"]["packages"]
        assert "commit" in row["machine"]["git"]
        startup = row["startup"]  # measured once, beside every row
        assert startup == rows[0]["startup"] and startup["households"] == 100_000 and startup["bytecode_cache"]
        assert 0 < startup["import_s_median"] and 0 < startup["build_s_median"]
        # every process is ready after its own import and build, so over an odd number of
        # processes the two medians add up to no more than the slowest start-up (medians of
        # parts need not add up to the median of wholes)
        assert startup["import_s_median"] + startup["build_s_median"] <= startup["startup_s_max"]
        assert startup["startup_s_median"] <= startup["startup_s_max"] <= startup["process_s_max"]
        assert startup["startup_s_median"] < startup["process_s_median"] <= startup["process_s_max"]
        assert startup["default_run"] == "ruralsim run transition"
        assert startup["process_s_median"] < startup["default_run_s_median"] <= startup["default_run_s_max"]
    assert f"from launch to 100,000 households built {rows[0]['startup']['startup_s_median']:.2f} s" in r.stdout
    assert "Default run (`ruralsim run transition`" in r.stdout and "target ≤ 5 s" in r.stdout


def test_bench_without_startup_has_no_startup(tmp_path: Path):
    out = tmp_path / "bench.json"
    r = ruralsim("bench", "--sizes", "1500", "--years", "1", "--repeat", "1", "--counties", "3", "--no-startup",
                 "--json", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Start-up" not in r.stdout and "startup" not in json.loads(out.read_text())[0]


def test_a_failing_startup_measure_keeps_the_rows(monkeypatch):
    from experiments import bench

    def fake_child(fn, *args):
        return {"households": args[0].households if fn is bench.run_case else args[0]}

    def broken(_scenario):
        raise RuntimeError("start-up measure: python -c … exited with 1: ImportError: no module")

    monkeypatch.setattr(bench, "_in_child", fake_child)
    monkeypatch.setattr(bench, "startup_case", broken)
    result = bench.run_bench([1500, 3000], 1, 1, 1, "transition")
    assert [r["households"] for r in result["rows"]] == [1500, 3000]
    assert result["startup"] == {"error": "start-up measure: python -c … exited with 1: ImportError: no module"}
    assert bench.format_startup(result["startup"]).startswith("Start-up not measured: start-up measure:")


@pytest.mark.parametrize(("sizes", "message"), [("2000,abc", "'abc' is not a number"),
                                                ("10", "10 households is below the minimum of 100")])
def test_bench_rejects_bad_sizes(tmp_path: Path, sizes: str, message: str):
    r = ruralsim("bench", "--sizes", sizes, cwd=tmp_path)
    assert r.returncode == 2
    assert "--sizes" in r.stderr and message in r.stderr and "Traceback" not in r.stderr


def test_bench_json_to_a_missing_directory_is_a_clear_error(tmp_path: Path):
    r = ruralsim("bench", "--sizes", "1500", "--years", "1", "--repeat", "1", "--counties", "3",
                 "--json", str(tmp_path / "no" / "such" / "bench.json"), cwd=tmp_path)
    assert r.returncode == 2
    assert "cannot write" in r.stderr and "does not exist" in r.stderr and "Traceback" not in r.stderr
    assert "bench: " not in r.stderr  # refused before measuring anything
