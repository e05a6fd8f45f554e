"""Dask distributed: a real scheduler and two workers as separate processes on 127.0.0.1.

One worker is killed (SIGKILL) in the middle of the experiment; the scheduler reschedules its runs
on the other, and the stored results are complete and identical to an in-process run.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from experiment_helpers import assert_same_results, write_experiment

import experiments
from experiments.batch.executors import FAULTS_ENV, THREADS_ENV

pytest.importorskip("distributed")

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    # Its own process group, so that killing it also kills anything it started.
    return subprocess.Popen(args, stdout=log.open("w"), stderr=subprocess.STDOUT, env=env, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait(timeout=30)


def wait_for_workers(address: str, n: int) -> None:
    from distributed import Client

    with Client(address, timeout=30, set_as_default=False) as client:
        client.wait_for_workers(n, timeout=60)


@pytest.mark.slow
def test_dask_cluster_survives_a_killed_worker_and_matches_the_local_run(tmp_path: Path):
    spec = write_experiment(tmp_path, """
        scenarios: [transition, abrupt_withdrawal]
        replications: 8
        keep: [summary, annual, counties]
    """)
    address = f"tcp://127.0.0.1:{free_port()}"
    # Each run sleeps a little so that the kill lands mid-experiment; one numba thread per worker.
    env = {**os.environ, FAULTS_ENV: json.dumps({"sleep_s": 0.15}), THREADS_ENV: "1", "NUMBA_NUM_THREADS": "1"}
    processes: list[subprocess.Popen] = []
    try:
        processes.append(start([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port",
                                address.rsplit(":", 1)[1], "--no-dashboard"], tmp_path / "scheduler.log", env))
        for i in range(2):
            processes.append(start([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--nworkers", "1",
                                    "--no-nanny", "--no-dashboard", "--host", "127.0.0.1", "--name", f"w{i}",
                                    "--preload", "experiments.batch.executors"],
                                   tmp_path / f"worker{i}.log", env))
        # The command starts while the cluster comes up: it waits for a worker by itself.
        out = tmp_path / "dask"
        command = subprocess.Popen([str(BIN / "ruralsim"), "experiment", str(spec), "--scheduler", address,
                                    "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        processes.append(command)
        wait_for_workers(address, 2)
        deadline = time.monotonic() + 120
        while (time.monotonic() < deadline and command.poll() is None
               and len(list((out / "runs").glob("*.parquet"))) < 4):
            time.sleep(0.05)
        n_before_kill = len(list((out / "runs").glob("*.parquet")))
        stop(processes[1])  # worker w0, mid-experiment
        stdout, stderr = command.communicate(timeout=180)
        assert command.returncode == 0, stderr
        assert 4 <= n_before_kill < 16
        assert "16 of 16 runs finished, 0 failed" in stdout
        # announced as soon as a first worker is there (the second may still be starting)
        assert re.search(re.escape(address) + r" \((1 worker thread|2 worker threads) now\)", stderr), stderr
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["sessions"][0]["executor"] == "dask" and manifest["status"] == "complete"
        runs = experiments.load(out).runs
        assert runs["run_id"].is_unique and len(runs) == 16
        assert runs["worker"].nunique() >= 2  # the parent's pilot and at least the surviving worker
    finally:
        for process in reversed(processes):
            stop(process)

    reference = tmp_path / "reference"
    experiments.run_experiment(spec, reference, workers=2)
    assert_same_results(reference, out)


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path):
    spec = write_experiment(tmp_path, "scenarios: [transition]\nreplications: 1\n")
    result = subprocess.run([str(BIN / "ruralsim"), "experiment", str(spec), "--out", str(tmp_path / "out"),
                             "--scheduler", f"tcp://127.0.0.1:{free_port()}"],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert result.returncode == 2, result.stderr
    assert "error: cannot reach the Dask scheduler at tcp://127.0.0.1:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
