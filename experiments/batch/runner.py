"""The one runner: run specs → results in the store, through an executor
(:mod:`experiments.batch.executors`).

An :class:`ExperimentSession` opens (or resumes) an experiment's store, runs a pilot to estimate
time and disk, and streams every run's result part into the store as runs finish; the parent
keeps no finished run's tables.

Faults: a run that raises is recorded in ``failures.jsonl`` and the experiment goes on; a run whose
worker died too often is recorded the same way (see the executors). Ctrl-C stops the workers,
keeps every finished part and marks the manifest interrupted; ``--resume`` completes the rest.
"""

from __future__ import annotations

import resource
import socket
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from experiments.batch.executors import (
    RunOutput,
    default_workers,
    execute_run,
    make_executor,
    set_run_threads,
    threads_per_worker,
)
from experiments.batch.spec import ExperimentSpec, RunSpec, load_experiment
from experiments.batch.store import ExperimentStore, StoreError
from experiments.locks import OutputLock

#: Above these, ``ruralsim experiment`` asks for confirmation (or ``--yes``).
CONFIRM_RUNS = 500
CONFIRM_SECONDS = 30 * 60
#: Seconds a new worker process takes to import the model (used in estimates).
WORKER_START_S = 3.0


# --------------------------------------------------------------------------------------------
# One experiment session (start, resume or retry)
# --------------------------------------------------------------------------------------------


@dataclass
class Estimate:
    """Time and disk expected for the runs still to do, from a pilot run.

    Attributes:
        runs: Runs to do.
        seconds: Expected wall time on the executor's parallelism.
        bytes: Expected disk for their parts.
        pilot_s: The pilot run's time.
    """

    runs: int
    seconds: float
    bytes: float
    pilot_s: float

    @property
    def needs_confirmation(self) -> bool:
        return self.runs > CONFIRM_RUNS or self.seconds > CONFIRM_SECONDS


@dataclass
class SessionReport:
    """Counts at the end of a session."""

    directory: Path
    total: int
    done: int
    failed: int
    new_done: int
    new_failed: int
    interrupted: bool = False
    wall_time_s: float = 0.0
    parent_peak_rss_mb: float = 0.0
    failed_ids: list[str] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return self.total - self.done - self.failed


class ExperimentSession:
    """Plans, starts and records one session of an experiment in its directory.

    Args:
        spec: The validated experiment.
        directory: Its result store.
        resume: Complete an existing directory of the same experiment.
        retry_failed: Also redo runs recorded as failed (implies ``resume``).

    Raises:
        StoreError: When the directory holds something else, another experiment, or the same
            experiment without ``resume``.
    """

    def __init__(self, spec: ExperimentSpec, directory: str | Path, resume: bool = False,
                 retry_failed: bool = False):
        self.spec = spec
        self.store = ExperimentStore(directory)
        self.directory = self.store.directory
        resume = resume or retry_failed
        self.runs = spec.expand()
        self.exists = self.store.exists
        finished: dict[str, Path] = {}
        self.corrupt: list[tuple[Path, str]] = []
        #: Why the store's plan.parquet must be rebuilt (unreadable, missing, another list), if it must.
        self.plan_problem: str | None = None
        failed: set[str] = set()
        if self.exists:
            manifest = self.store.read_manifest()
            if manifest.get("spec_hash") != spec.spec_hash:
                raise StoreError(f"{self.directory} holds another experiment ({manifest.get('name')!r}, spec hash "
                                 f"{str(manifest.get('spec_hash'))[:12]}) or this experiment file (or a scenario "
                                 f"it uses) has changed since it started; choose another --out")
            # Every page is read (checksums verified): a part is trusted only if all of it reads back.
            finished, self.corrupt = self.store.scan(verify=True)
            self.plan_problem = self.store.plan_problem([r.run_id for r in self.runs])
            failed = set(self.store.failures()) - set(finished)
            if not resume:
                raise StoreError(f"{self.directory} already holds this experiment ({len(finished)} of "
                                 f"{len(self.runs)} runs finished, {len(failed)} failed); use --resume to complete "
                                 "it, --retry-failed to redo its failures too, or choose another --out")
        elif self.directory.exists() and (not self.directory.is_dir() or any(self.directory.iterdir())):
            raise StoreError(f"{self.directory} exists and is not an experiment directory; choose another --out")
        planned = {r.run_id for r in self.runs}
        self.finished = {k for k in finished if k in planned}
        self.failed = {k for k in failed if k in planned}
        skip = self.finished if retry_failed else self.finished | self.failed
        self.todo = [r for r in self.runs if r.run_id not in skip]
        self.retry_failed = retry_failed

    def rebuild_plan(self) -> None:
        """Write plan.parquet again from the experiment (the manifest's spec hash matched it)."""
        self.store.write_plan(plan_table(self.runs))
        self.plan_problem = None

    # -- estimate ------------------------------------------------------------------------------

    def pilot(self, parallelism: int = 1) -> tuple[RunSpec, RunOutput] | None:
        """Run the costliest remaining run here and now; its result is kept (see :meth:`run`).

        A tiny warm-up run first takes the one-off costs (imports, compiled kernels) out of the
        timing, and the pilot uses the threads one worker of ``parallelism`` would get.
        """
        if not self.todo:
            return None
        spec = max(self.todo, key=lambda r: (r.cost, -r.run_index))
        try:
            import model

            small = {"population.n_households": 200, "population.n_counties": 1, "sim.n_years": 1}
            model.run(spec.params().with_overrides(small), seed=spec.seed, collect_monthly=False)
        except Exception:  # the pilot itself will show (and record) any real problem
            pass
        set_run_threads(threads_per_worker(parallelism))
        try:
            return spec, execute_run(spec)
        finally:
            set_run_threads(default_workers())

    def estimate(self, pilot: tuple[RunSpec, RunOutput], parallelism: int) -> Estimate:
        spec, output = pilot
        seconds_per_cost = output.wall_time_s / spec.cost
        rest = [r for r in self.todo if r.run_id != spec.run_id]
        cpu = sum(r.cost for r in rest) * seconds_per_cost
        # The work shared evenly over the workers, plus their start (imports) when there are any.
        seconds = cpu / max(parallelism, 1) + (WORKER_START_S if rest and parallelism > 1 else 0.0)
        part = len(output.data) if output.data else 50_000
        return Estimate(runs=len(self.todo), seconds=seconds, bytes=part * len(self.todo),
                        pilot_s=output.wall_time_s)

    # -- run -----------------------------------------------------------------------------------

    def run(self, executor: Any, pilot: tuple[RunSpec, RunOutput] | None = None,
            progress: Callable[[int, int, int], None] | None = None) -> SessionReport:
        """Run every run still to do through ``executor``, streaming parts to the store.

        Args:
            executor: An entered executor (see :func:`make_executor`).
            pilot: A run already done by :meth:`pilot` (stored, not redone).
            progress: Called as ``progress(done, failed, total)`` after each run.

        Returns:
            The session's counts (``interrupted`` when Ctrl-C stopped it; the exception is
            re-raised after the manifest is updated).
        """
        t0 = time.perf_counter()
        started = _now()
        manifest = self._open_store(executor, started)
        session = manifest["sessions"][-1]
        failed = set(self.failed)
        report = SessionReport(self.directory, len(self.runs), len(self.finished), len(failed), 0, 0)

        def record(spec: RunSpec, output: RunOutput) -> None:
            if output.ok:
                self.store.write_part(spec.run_id, output.data)
                self.finished.add(spec.run_id)
                failed.discard(spec.run_id)
                report.new_done += 1
            else:
                self.store.record_failure(spec.to_record(), {**(output.error or {}), "worker": output.worker},
                                          attempts=output.attempts)
                failed.add(spec.run_id)
                report.new_failed += 1
            report.done, report.failed = len(self.finished), len(failed)
            if progress is not None:
                progress(report.done, report.failed, report.total)

        todo = self.todo
        status = "complete"
        try:
            if pilot is not None:
                record(*pilot)
                todo = [r for r in todo if r.run_id != pilot[0].run_id]
            for spec, output in executor.results(todo):
                record(spec, output)
        except KeyboardInterrupt:
            status = "interrupted"
            report.interrupted = True
            raise
        except BaseException:
            status = "stopped by an error"
            raise
        finally:
            report.wall_time_s = time.perf_counter() - t0
            report.parent_peak_rss_mb = peak_rss_mb()
            report.failed_ids = sorted(failed)
            if status == "complete" and (failed or report.remaining):
                status = "complete with failures" if not report.remaining else "incomplete"
            session.update({"ended": _now(), "status": status, "new_done": report.new_done,
                            "new_failed": report.new_failed, "wall_time_s": round(report.wall_time_s, 3),
                            "parent_peak_rss_mb": round(report.parent_peak_rss_mb, 1),
                            "worker_deaths": getattr(executor, "worker_deaths", None)})
            manifest.update({"ended": session["ended"], "status": status,
                             "counts": {"runs": report.total, "done": report.done, "failed": report.failed,
                                        "remaining": report.remaining}})
            self.store.write_manifest(manifest)
        return report

    def _open_store(self, executor: Any, started: str) -> dict[str, Any]:
        from model.results import environment, package_versions

        env = environment()
        packages = package_versions(("ruralsim", "mesa", "numpy", "pandas", "pydantic", "scipy", "pyarrow",
                                     "numba", "dask", "distributed"))
        session = {"started": started, "ended": None, "status": "running", "executor": executor.name,
                   "parallelism": executor.parallelism, "git": env["git"], "host": socket.gethostname(),
                   "retry_failed": self.retry_failed, "to_do": len(self.todo)}
        if self.exists:
            manifest = self.store.read_manifest()
            self.store.remove_temporary()
            for path, _reason in self.corrupt:
                path.unlink(missing_ok=True)
            if self.plan_problem is not None:
                self.rebuild_plan()
            if manifest.get("code", {}).get("commit") != env["git"].get("commit"):
                session["note"] = "code version differs from the session that started the experiment"
        else:
            manifest = {
                "format": "ruralsim-experiment/1", "name": self.spec.name, "description": self.spec.description,
                "spec_hash": self.spec.spec_hash, "spec_file": str(self.spec.path) if self.spec.path else None,
                "spec_text": self.spec.text, "spec": self.spec.to_data(), "code": env["git"], "packages": packages,
                "python": env["python"], "platform": env["platform"], "seeds": list(self.spec.seeds),
                "created": started, "sessions": [],
            }
            self.store.create(manifest, plan_table(self.runs))
        manifest.setdefault("sessions", []).append(session)
        manifest.update({"started": manifest.get("started") or started, "ended": None, "status": "running",
                         "counts": {"runs": len(self.runs), "done": len(self.finished), "failed": len(self.failed),
                                    "remaining": len(self.runs) - len(self.finished) - len(self.failed)}})
        self.store.write_manifest(manifest)
        return manifest


def plan_table(runs: list[RunSpec]) -> Any:
    """Every planned run as an Arrow table: run_index, run_id, scenario, seed, parameter columns."""
    import pyarrow as pa

    columns: dict[str, list[Any]] = {"run_index": [], "run_id": [], "scenario": [], "seed": []}
    for path in (runs[0].columns if runs else {}):
        columns[path] = []
    for r in runs:
        columns["run_index"].append(r.run_index)
        columns["run_id"].append(r.run_id)
        columns["scenario"].append(r.scenario)
        columns["seed"].append(r.seed)
        for path, value in r.columns.items():
            columns[path].append(value)
    return pa.table(columns)


def run_experiment(experiment: str | Path | ExperimentSpec, out: str | Path, *, workers: int | None = None,
                   scheduler: str | None = None, local_cluster: int | None = None, inprocess: bool = False,
                   resume: bool = False, retry_failed: bool = False) -> SessionReport:
    """Run an experiment from Python (no pilot, no confirmation, no progress bar).

    Args:
        experiment: An experiment file, shipped name, or a loaded :class:`ExperimentSpec`.
        out: The result directory.
        workers: Local worker processes (the executor: see :func:`make_executor`).
        scheduler: A Dask scheduler's address.
        local_cluster: Workers of a local Dask cluster.
        inprocess: Run in this process.
        resume: Complete an interrupted experiment in ``out``, as on the command line.
        retry_failed: Also redo the runs that failed.

    Returns:
        The session's counts. Load the results with :func:`experiments.load`.

    Raises:
        experiments.locks.LockHeld: Another process is writing into ``out``.
    """
    spec = experiment if isinstance(experiment, ExperimentSpec) else load_experiment(experiment)
    with OutputLock(out, "run_experiment", on_recover=warn_recovered):
        session = ExperimentSession(spec, out, resume=resume, retry_failed=retry_failed)
        with make_executor(workers, scheduler, local_cluster, inprocess) as executor:
            return session.run(executor)


def warn_recovered(message: str) -> None:
    """Report a stale lock taken over (Python callers see a warning)."""
    warnings.warn(message, stacklevel=3)


def peak_rss_mb() -> float:
    """Peak resident memory of this process, MiB (Linux reports kibibytes, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
