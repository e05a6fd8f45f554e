"""The result store on hand-made results (no model): parts, atomic writes, corruption, load."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from experiment_helpers import write_experiment

import experiments
from experiments.batch.executors import InProcessExecutor, RunOutput
from experiments.batch.runner import ExperimentSession
from experiments.batch.spec import load_experiment
from experiments.batch.store import ExperimentStore, StoreError, check_part, part_bytes


def fake_result(seed: int, years: int = 2, counties: int = 3) -> SimpleNamespace:
    year = np.arange(2021, 2021 + years)
    annual = pd.DataFrame({"year": year, "poverty_rate": 0.01 * seed + 0.001 * np.arange(years),
                           "three_excesses": [True] * years})
    county = pd.DataFrame({"year": np.repeat(year, counties), "county": np.tile(np.arange(counties), years),
                           "county_type": "key", "relapse_rate": 0.002 * seed})
    monthly = pd.DataFrame({"year": np.repeat(year, 12), "month": np.tile(np.arange(1, 13), years),
                            "n_monitored": 10.0 * seed})
    summary = {"relapse_rate_peak": np.float64(0.001 * seed), "large_scale_relapse": np.bool_(seed % 2 == 0),
               "large_scale_county_years": np.int64(seed), "enterprises_final": 12.0}
    return SimpleNamespace(annual=annual, counties=county, monthly=monthly, summary=summary)


@pytest.fixture
def spec_runs(tmp_path: Path):
    path = write_experiment(tmp_path, """
        scenarios: [transition, abrupt_withdrawal]
        grid:
          shocks.illness.p_year: [0.08, 0.12]
        replications: 2
        keep: [summary, annual, counties, monthly]
    """)
    spec = load_experiment(path)
    return spec, spec.expand()


def fill_store(spec, runs, out: Path, skip: tuple[int, ...] = ()) -> ExperimentStore:
    """Record fake results for every run except ``skip`` through a real session."""

    class FakeExecutor(InProcessExecutor):
        def results(self, specs):
            for r in specs:
                if r.run_index in skip:
                    continue
                yield r, RunOutput(r.run_id, part_bytes(r, fake_result(r.seed), 0.5, "host:1"), None, 0.5, "host:1")

    ExperimentSession(spec, out).run(FakeExecutor())
    return ExperimentStore(out)


def test_part_round_trip_and_tidy_tables(spec_runs, tmp_path: Path):
    spec, runs = spec_runs
    out = tmp_path / "exp"
    fill_store(spec, runs, out)
    results = experiments.load(out)
    assert len(results.runs) == 8
    assert list(results.runs["run_index"]) == list(range(8))
    row = results.runs.iloc[3]
    assert row["run_id"] == runs[3].run_id and row["scenario"] == runs[3].scenario and row["seed"] == runs[3].seed
    assert row["shocks.illness.p_year"] == runs[3].overrides["shocks.illness.p_year"]
    assert row["population.n_households"] == 1500
    assert results.runs["large_scale_relapse"].dtype == bool
    assert results.runs["large_scale_county_years"].dtype == np.int64
    assert results.runs["relapse_rate_peak"].tolist() == [0.001 * r.seed for r in runs]
    assert not any(c in results.runs for c in ("annual", "counties", "monthly"))
    # tables: one row per (run, year) / (run, year, county) / (run, month), tagged with the run
    assert len(results.annual) == 8 * 2 and len(results.counties) == 8 * 6 and len(results.monthly) == 8 * 24
    first = results.annual[results.annual["run_id"] == runs[5].run_id]
    assert first["year"].tolist() == [2021, 2022]
    assert first["poverty_rate"].tolist() == list(fake_result(runs[5].seed).annual["poverty_rate"])
    assert set(first["scenario"]) == {runs[5].scenario} and set(first["seed"]) == {runs[5].seed}
    assert results.counties["county_type"].eq("key").all()
    assert results.failures.empty and results.missing.empty and not results.corrupt


def test_load_reads_only_the_parts_asked_for(spec_runs, tmp_path: Path):
    spec, runs = spec_runs
    out = tmp_path / "exp"
    fill_store(spec, runs, out)
    only = experiments.load(out, scenarios=["abrupt_withdrawal"])
    assert set(only.runs["scenario"]) == {"abrupt_withdrawal"} and len(only.runs) == 4
    assert set(only.annual["scenario"]) == {"abrupt_withdrawal"}
    one = experiments.load(out, run_ids=[runs[2].run_id])
    assert one.runs["run_id"].tolist() == [runs[2].run_id]
    # a table is read on first use only: a damaged annual column does not stop the runs table
    results = experiments.load(out)
    assert "annual" not in results.__dict__
    assert len(results.runs) == 8 and "annual" not in results.__dict__


def test_unkept_table_is_a_clear_error(tmp_path: Path):
    spec = load_experiment(write_experiment(tmp_path, "scenarios: [transition]\nreplications: 2\nkeep: [summary]\n"))
    out = tmp_path / "exp"
    fill_store(spec, spec.expand(), out)
    with pytest.raises(KeyError, match="did not keep the 'annual' table"):
        _ = experiments.load(out).annual


def test_part_write_is_atomic(spec_runs, tmp_path: Path, monkeypatch):
    spec, runs = spec_runs
    store = ExperimentStore(tmp_path / "exp")
    store.runs_dir.mkdir(parents=True)
    data = part_bytes(runs[0], fake_result(1), 0.1)

    def failing_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        store.write_part(runs[0].run_id, data)
    monkeypatch.undo()
    assert list(store.runs_dir.iterdir()) == []  # neither the part nor its temporary file
    store.write_part(runs[0].run_id, data)
    assert [p.name for p in store.runs_dir.iterdir()] == [f"{runs[0].run_id}.parquet"]
    assert check_part(store.part_path(runs[0].run_id), verify=True) is None


def test_corrupt_parts_are_detected_and_count_as_missing(spec_runs, tmp_path: Path):
    spec, runs = spec_runs
    out = tmp_path / "exp"
    store = fill_store(spec, runs, out)
    truncated, garbage, renamed = (store.part_path(runs[i].run_id) for i in (1, 4, 6))
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size // 2])
    garbage.write_bytes(b"PAR1" + os.urandom(300))
    renamed.write_bytes(store.part_path(runs[0].run_id).read_bytes())  # a part under another run's name
    flipped = store.part_path(runs[7].run_id)
    meta = pq.read_metadata(flipped).row_group(0)
    chunk = max((meta.column(j) for j in range(meta.num_columns)), key=lambda c: c.total_compressed_size)
    raw = bytearray(flipped.read_bytes())
    raw[chunk.data_page_offset + chunk.total_compressed_size // 2] ^= 0xFF  # the footer stays intact
    flipped.write_bytes(bytes(raw))

    good, bad = store.scan()
    assert {p for p, _ in bad} == {truncated, garbage, renamed}
    assert "metadata names run" in dict(bad)[renamed]
    assert flipped.stem in good
    assert check_part(flipped, verify=True) is not None
    results = experiments.load(out)
    assert len(results.runs) == 5
    assert sorted(results.missing["run_index"]) == [1, 4, 6]
    # the flipped page is found when its table is read: that run is left out, with a warning
    with pytest.warns(UserWarning, match="unreadable part skipped"):
        name = next(t for t in ("annual", "counties", "monthly") if t in chunk.path_in_schema)
        table = getattr(results, name)
    assert runs[7].run_id not in set(table["run_id"]) and len(set(table["run_id"])) == 4
    assert flipped in {p for p, _ in results.corrupt}
    # a stray temporary file from a hard kill is ignored
    (store.runs_dir / f".{runs[1].run_id}.parquet.tmp-99").write_bytes(b"half")
    assert len(store.scan()[0]) == 5


def test_failures_latest_record_wins_and_torn_lines_are_skipped(spec_runs, tmp_path: Path):
    spec, runs = spec_runs
    out = tmp_path / "exp"
    store = fill_store(spec, runs, out, skip=(2, 3))
    store.record_failure(runs[2].to_record(), {"type": "RuntimeError", "message": "first", "traceback": "tb"})
    store.record_failure(runs[2].to_record(), {"type": "ValueError", "message": "second", "traceback": "tb"})
    with open(out / "failures.jsonl", "a") as fh:
        fh.write('{"run_id": "torn')
    failures = experiments.load(out).failures
    assert failures["run_id"].tolist() == [runs[2].run_id]
    assert failures["error"].tolist() == ["second"]
    assert json.loads(failures["overrides"][0])["shocks.illness.p_year"] == runs[2].overrides["shocks.illness.p_year"]
    assert experiments.load(out).missing["run_index"].tolist() == [3]


def test_manifest_records_spec_code_and_environment(spec_runs, tmp_path: Path):
    spec, runs = spec_runs
    out = tmp_path / "exp"
    fill_store(spec, runs, out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["spec_hash"] == spec.spec_hash
    assert manifest["spec"]["grid"] == {"shocks.illness.p_year": [0.08, 0.12]}
    assert "replications: 2" in manifest["spec_text"]
    assert manifest["seeds"] == [1, 2]
    assert set(manifest["code"]) == {"commit", "dirty"}
    assert {"numpy", "pyarrow", "mesa"} <= set(manifest["packages"])
    assert manifest["python"] and manifest["platform"]
    assert manifest["counts"] == {"runs": 8, "done": 8, "failed": 0, "remaining": 0}
    assert manifest["status"] == "complete"
    session = manifest["sessions"][0]
    assert session["started"] <= session["ended"] and session["executor"] == "inprocess"


def test_directory_that_is_not_an_experiment(tmp_path: Path):
    (tmp_path / "junk.txt").write_text("x")
    spec = load_experiment(write_experiment(tmp_path, "scenarios: [transition]\nreplications: 1\n"))
    with pytest.raises(StoreError, match="exists and is not an experiment directory"):
        ExperimentSession(spec, tmp_path)
    with pytest.raises(StoreError, match="not an experiment directory"):
        experiments.load(tmp_path)
