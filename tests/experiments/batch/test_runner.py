"""The runner with the real model at a tiny size: executors agree, faults are survived.

Runs take about 0.1 s; most of a test's time is worker processes importing the model.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from experiment_helpers import assert_same_results, write_experiment

import experiments
from experiments.batch.executors import FAULTS_ENV, InProcessExecutor, LocalExecutor
from experiments.batch.runner import ExperimentSession, run_experiment
from experiments.batch.spec import load_experiment
from experiments.batch.store import ExperimentStore

N_RUNS = 12


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    """Two scenarios x six seeds of tiny runs, keeping annual and county tables."""
    return write_experiment(tmp_path_factory.mktemp("spec"), """
        scenarios: [transition, abrupt_withdrawal]
        replications: 6
        keep: [summary, annual, counties]
    """)


@pytest.fixture(scope="module")
def reference(tiny: Path, tmp_path_factory) -> Path:
    """The tiny experiment run in-process, undisturbed."""
    out = tmp_path_factory.mktemp("reference") / "exp"
    report = run_experiment(tiny, out, inprocess=True)
    assert report.done == N_RUNS and report.failed == 0
    return out


def faults(monkeypatch, **given) -> None:
    monkeypatch.setenv(FAULTS_ENV, json.dumps({"parent_pid": os.getpid(), **given}))


def test_in_process_and_two_local_workers_give_identical_results(tiny: Path, reference: Path, tmp_path: Path):
    report = run_experiment(tiny, tmp_path / "local", workers=2)
    assert (report.done, report.failed, report.remaining) == (N_RUNS, 0, 0)
    assert_same_results(reference, tmp_path / "local")
    runs = experiments.load(tmp_path / "local").runs
    assert runs["worker"].nunique() == 2  # both workers took part
    assert experiments.load(reference).runs["worker"].nunique() == 1


def test_failing_runs_are_recorded_and_the_experiment_continues(tiny: Path, reference: Path, tmp_path: Path,
                                                                monkeypatch):
    out = tmp_path / "exp"
    faults(monkeypatch, **{"raise": [3, 8]})
    report = run_experiment(tiny, out, workers=2)
    assert (report.done, report.failed) == (N_RUNS - 2, 2)
    results = experiments.load(out)
    assert sorted(results.failures["run_index"]) == [3, 8]
    assert set(results.failures["error_type"]) == {"RuntimeError"}
    assert "injected failure in run 3" in results.failures["traceback"][0]
    assert "Traceback (most recent call last)" in results.failures["traceback"][0]
    manifest = json.loads((out / "failures.jsonl").read_text().splitlines()[0])
    assert {"run_id", "scenario", "seed", "overrides", "error"} <= set(manifest)
    # a plain resume leaves failed runs alone; --retry-failed redoes them
    monkeypatch.delenv(FAULTS_ENV)
    assert run_experiment(tiny, out, inprocess=True, resume=True).new_done == 0
    report = run_experiment(tiny, out, inprocess=True, retry_failed=True)
    assert (report.new_done, report.done, report.failed) == (2, N_RUNS, 0)
    assert experiments.load(out).failures.empty
    assert_same_results(reference, out)


def test_dead_workers_have_their_runs_retried_up_to_a_limit(tiny: Path, reference: Path, tmp_path: Path,
                                                            monkeypatch):
    """Run 4 kills its worker once (then succeeds), run 9 every time (given up after 2 deaths)."""
    out = tmp_path / "exp"
    faults(monkeypatch, exit_once=[4], exit=[9], marker_dir=str(tmp_path))
    spec = load_experiment(tiny)
    with LocalExecutor(workers=2, max_worker_deaths=2) as executor:
        report = ExperimentSession(spec, out).run(executor)
        assert executor.worker_deaths >= 3
    assert (tmp_path / "crashed-4").exists()
    assert (report.done, report.failed) == (N_RUNS - 1, 1)
    results = experiments.load(out)
    failure = results.failures.iloc[0]
    assert failure["run_index"] == 9 and failure["error_type"] == "WorkerDied" and failure["attempts"] == 2
    assert 4 in set(results.runs["run_index"])
    reference_runs = experiments.load(reference).runs.drop(columns=["wall_time_s", "worker"])
    got = results.runs.drop(columns=["wall_time_s", "worker"])
    expected = reference_runs[reference_runs["run_index"] != 9].reset_index(drop=True)
    assert got.equals(expected)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sessions"][0]["worker_deaths"] == executor.worker_deaths
    assert manifest["status"] == "complete with failures"


def test_resume_after_interruption_and_damage_loses_and_duplicates_nothing(tiny: Path, reference: Path,
                                                                           tmp_path: Path):
    out = tmp_path / "exp"
    spec = load_experiment(tiny)

    def stop_after_five(done: int, failed: int, total: int) -> None:
        if done == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), InProcessExecutor() as executor:
        ExperimentSession(spec, out).run(executor, progress=stop_after_five)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert manifest["counts"] == {"runs": N_RUNS, "done": 5, "failed": 0, "remaining": 7}
    store = ExperimentStore(out)
    parts = store.part_files()
    assert len(parts) == 5
    # a hard kill could leave a truncated part and a temporary file; a part may be lost
    parts[0].unlink()
    parts[1].write_bytes(parts[1].read_bytes()[:100])
    (store.runs_dir / ".abc.parquet.tmp-1").write_bytes(b"half")

    session = ExperimentSession(spec, out, resume=True)
    assert len(session.todo) == N_RUNS - 3
    assert [p for p, _ in session.corrupt] == [parts[1]]
    with InProcessExecutor() as executor:
        report = session.run(executor)
    assert (report.done, report.failed, report.new_done) == (N_RUNS, 0, N_RUNS - 3)
    runs = experiments.load(out).runs
    plan = experiments.load(out).missing
    assert plan.empty and runs["run_id"].is_unique and len(runs) == N_RUNS
    assert sorted(p.name for p in store.runs_dir.iterdir()) == sorted(f"{r}.parquet" for r in runs["run_id"])
    assert_same_results(reference, out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert [s["status"] for s in manifest["sessions"]] == ["interrupted", "complete"]
    assert manifest["status"] == "complete"


def test_copying_a_finished_part_does_not_duplicate_a_run(tiny: Path, reference: Path, tmp_path: Path):
    out = tmp_path / "exp"
    shutil.copytree(reference, out)
    store = ExperimentStore(out)
    first = store.part_files()[0]
    shutil.copy(first, store.runs_dir / "0000000000000000.parquet")  # a stray file under a foreign name
    session = ExperimentSession(load_experiment(tiny), out, resume=True)
    assert session.todo == [] and len(session.corrupt) == 1
