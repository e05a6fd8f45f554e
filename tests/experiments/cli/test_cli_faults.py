"""Faults around the real command: two processes on one output directory (the lock), a parent killed
hard (its workers go with it), workers that die or are stopped (no 'leaked semaphore' report), and a
damaged plan.parquet (rebuilt on --resume). Each runs the installed ``ruralsim`` in its own process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from experiment_helpers import write_experiment

import experiments
from experiments.batch.executors import FAULTS_ENV
from experiments.batch.store import StoreError
from experiments.locks import lock_path

EXE = Path(sys.executable).with_name("ruralsim")


def start(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([str(EXE), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})}, start_new_session=True)


def wait_for(condition, timeout: float = 120.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def finish(process: subprocess.Popen, timeout: float = 300) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return process.returncode, out, err


def descendants(pid: int) -> set[int]:
    """Every process whose chain of parents leads to ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")


# --------------------------------------------------------------------------------------------
# The lock: two processes on one --out
# --------------------------------------------------------------------------------------------


def test_two_experiments_on_one_out_lose_and_mislabel_nothing(tmp_path: Path):
    spec_a = write_experiment(tmp_path, "scenarios: [transition, abrupt_withdrawal]\nseeds: 3\n", name="a")
    spec_b = write_experiment(tmp_path, "scenarios: [transition, continuation]\nseeds: 2\n", name="b")
    out = tmp_path / "out"
    first = start("experiment", str(spec_a), "--out", str(out), "--in-process", env={FAULTS_ENV: '{"sleep_s": 0.5}'})
    wait_for(lambda: (out / "manifest.json").exists() or first.poll() is not None, what="the first experiment")
    second = subprocess.run([str(EXE), "experiment", str(spec_b), "--out", str(out), "--in-process"],
                            capture_output=True, text=True, timeout=120)
    code, _, err = finish(first)
    assert code == 0, err
    assert second.returncode == 2, second.stderr
    assert second.stderr.startswith(f"error: {out} is in use by another ruralsim process: ruralsim experiment "
                                    f"(pid {first.pid} on host ")
    assert "Traceback" not in second.stderr
    results = experiments.load(out)
    assert results.manifest["name"] == "a"
    assert len(results.runs) == 6 and set(results.runs["scenario"]) == {"transition", "abrupt_withdrawal"}
    assert results.missing.empty and results.failures.empty
    assert not lock_path(out).exists()


def test_two_resumes_at_once_do_each_run_once(tmp_path: Path):
    spec = write_experiment(tmp_path, "scenarios: [transition, abrupt_withdrawal]\nseeds: 3\n")
    out = tmp_path / "out"
    experiments.run_experiment(spec, out, inprocess=True)
    parts = sorted((out / "runs").glob("*.parquet"))
    for part in parts[:4]:
        part.unlink()
    first = start("experiment", str(spec), "--out", str(out), "--resume", "--in-process",
                  env={FAULTS_ENV: '{"sleep_s": 0.5}'})
    wait_for(lambda: lock_path(out).exists() or first.poll() is not None, what="the first resume")
    second = subprocess.run([str(EXE), "experiment", str(spec), "--out", str(out), "--resume", "--in-process"],
                            capture_output=True, text=True, timeout=120)
    code, stdout, err = finish(first)
    assert code == 0, err
    assert "6 of 6 runs finished, 0 failed (4 new" in stdout
    assert second.returncode == 2 and "is in use by another ruralsim process" in second.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert [s["status"] for s in manifest["sessions"]] == ["complete", "complete"]  # no stale 'running' session
    assert sum(s["new_done"] for s in manifest["sessions"]) == 6 + 4


def test_two_runs_at_once_keep_the_first(tmp_path: Path):
    out = tmp_path / "out"
    first = start("run", "transition", "--seed", "1", *("--households", "3000", "--years", "3"), "--out", str(out))
    wait_for(lambda: lock_path(out).exists() or first.poll() is not None, what="the first run")
    second = subprocess.run([str(EXE), "run", "transition", "--seed", "2", "--households", "3000", "--out", str(out)],
                            capture_output=True, text=True, timeout=120)
    code, stdout, err = finish(first)
    assert code == 0, err and "Wrote" in stdout
    assert second.returncode == 2, second.stderr
    assert "Wrote" not in second.stdout
    assert json.loads((out / "manifest.json").read_text())["seed"] == 1


# --------------------------------------------------------------------------------------------
# Processes: a parent killed hard, workers that die or are stopped
# --------------------------------------------------------------------------------------------


@needs_proc
@pytest.mark.slow
def test_workers_do_not_outlive_a_parent_killed_hard(tmp_path: Path):
    spec = write_experiment(tmp_path, "scenarios: [transition, abrupt_withdrawal]\nseeds: 6\n")
    out = tmp_path / "out"
    parent = start("experiment", str(spec), "--out", str(out), "--workers", "2", env={FAULTS_ENV: '{"sleep_s": 5}'})
    try:
        # the pilot sleeps in the parent; then the forkserver starts two workers, each busy for 5 s a run
        wait_for(lambda: len(descendants(parent.pid)) >= 4 or parent.poll() is not None, timeout=180,
                 what="the worker processes")
        family = descendants(parent.pid)
        assert len(family) >= 4  # resource tracker, forkserver, two workers
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(p) for p in family):
            time.sleep(0.1)
        assert not [p for p in family if alive(p)], "processes left behind 10 s after their parent died"
    finally:
        for pid in descendants(parent.pid):
            os.kill(pid, signal.SIGKILL)
        if parent.poll() is None:
            parent.kill()
        parent.communicate()
    assert lock_path(out).exists()  # a hard kill leaves its lock; the next command takes it over
    resumed = subprocess.run([str(EXE), "experiment", str(spec), "--out", str(out), "--resume", "--in-process"],
                             capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"Took over the lock of {out} from ruralsim experiment (pid {parent.pid}" in resumed.stderr


def test_dying_workers_leave_no_leaked_semaphore_report(tmp_path: Path):
    spec = write_experiment(tmp_path, "scenarios: [transition, abrupt_withdrawal]\nseeds: 3\n")
    faults = {"exit_once": [1, 3], "marker_dir": str(tmp_path)}
    code, stdout, err = finish(start("experiment", str(spec), "--out", str(tmp_path / "out"), "--workers", "2",
                                     env={FAULTS_ENV: json.dumps(faults)}))
    assert code == 0, err
    assert "6 of 6 runs finished, 0 failed" in stdout
    assert (tmp_path / "crashed-1").exists() and (tmp_path / "crashed-3").exists()
    assert "leaked" not in err and "Traceback" not in err and "Warning" not in err


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_stopped_experiment_cleans_up(tmp_path: Path, signum: int):
    spec = write_experiment(tmp_path, "scenarios: [transition, abrupt_withdrawal]\nseeds: 6\n")
    out = tmp_path / "out"
    process = start("experiment", str(spec), "--out", str(out), "--workers", "2", env={FAULTS_ENV: '{"sleep_s": 0.4}'})
    wait_for(lambda: len(list((out / "runs").glob("*.parquet"))) >= 3 or process.poll() is not None,
             what="three finished runs")
    family = descendants(process.pid)
    os.killpg(process.pid, signum)  # as a terminal (Ctrl-C) or a batch system (SIGTERM) does
    code, _, err = finish(process, timeout=60)
    assert code == 130, err
    assert "Interrupted" in err and "--resume" in err
    assert "Traceback" not in err and "leaked" not in err
    time.sleep(1)
    assert not [p for p in family if alive(p)]
    assert not lock_path(out).exists()
    assert json.loads((out / "manifest.json").read_text())["status"] == "interrupted"


# --------------------------------------------------------------------------------------------
# A damaged plan.parquet
# --------------------------------------------------------------------------------------------


def test_a_damaged_plan_is_found_and_rebuilt_on_resume(tmp_path: Path):
    spec = write_experiment(tmp_path, "scenarios: [transition, abrupt_withdrawal]\nseeds: 2\n")
    out = tmp_path / "out"
    experiments.run_experiment(spec, out, inprocess=True)
    good = (out / "plan.parquet").read_bytes()
    (out / "plan.parquet").write_bytes(good[: len(good) // 2])
    with pytest.raises(StoreError, match="plan.parquet cannot be read .*--resume to rebuild it"):
        experiments.load(out)
    result = subprocess.run([str(EXE), "experiment", str(spec), "--out", str(out), "--resume"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"{out / 'plan.parquet'} cannot be read" in result.stderr and "rebuilt from the experiment file" in \
        result.stderr
    assert "Nothing to do" in result.stdout
    assert (out / "plan.parquet").read_bytes() == good
    assert len(experiments.load(out).runs) == 4


def test_a_plan_of_other_runs_is_rebuilt_and_missing_runs_are_done(tmp_path: Path):
    spec = write_experiment(tmp_path, "scenarios: [transition, abrupt_withdrawal]\nseeds: 2\n")
    other = write_experiment(tmp_path, "scenarios: [transition]\nseeds: 1\n", name="other")
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    experiments.run_experiment(spec, out, inprocess=True)
    experiments.run_experiment(other, elsewhere, inprocess=True)
    good = (out / "plan.parquet").read_bytes()
    (out / "plan.parquet").write_bytes((elsewhere / "plan.parquet").read_bytes())
    next(iter(sorted((out / "runs").glob("*.parquet")))).unlink()
    report = experiments.run_experiment(spec, out, inprocess=True, resume=True)
    assert (report.new_done, report.done) == (1, 4)
    assert (out / "plan.parquet").read_bytes() == good


def test_resume_with_only_failed_runs_left_exits_1(tmp_path: Path):
    spec = write_experiment(tmp_path, "scenarios: [transition]\nseeds: 2\n")
    out = tmp_path / "out"
    failing = subprocess.run([str(EXE), "experiment", str(spec), "--out", str(out), "--in-process"],
                             capture_output=True, text=True, timeout=120,
                             env={**os.environ, FAULTS_ENV: '{"raise": [0, 1]}'})
    assert failing.returncode == 1
    resumed = subprocess.run([str(EXE), "experiment", str(spec), "--out", str(out), "--resume"],
                             capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 1
    assert resumed.stderr.splitlines()[-1] == (f"error: nothing left to run in {out}: 0 run(s) of tiny finished and 2 "
                                               f"failed; their errors are in {out / 'failures.jsonl'}. Rerun with "
                                               "--retry-failed to redo them.")
