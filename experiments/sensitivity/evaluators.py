"""Evaluators: what runs the sample points of a sensitivity or discovery study, R times each.

An evaluator is called as ``evaluator(problem, X, seeds)`` and returns an :class:`Evaluation`: every
output at every (point, replication). :class:`StoreEvaluator` runs the model through the
batch-experiment store (so runs parallelise, resume and survive faults); :class:`FunctionEvaluator`
calls a Python function (the Ishigami check in :mod:`experiments.sensitivity.ishigami`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from experiments.files import canonical_json
from experiments.locks import OutputLock
from experiments.sensitivity.problem import Problem


@dataclass
class Evaluation:
    """Outputs of every (point, replication).

    Attributes:
        values: Output name -> array of shape (points, replications); NaN where a run failed.
        seeds: The seed of each replication (column).
        n_failed: Runs that failed.
        info: What evaluated them (for the manifest and report).
    """

    values: dict[str, np.ndarray]
    seeds: list[int]
    n_failed: int = 0
    info: dict[str, Any] = field(default_factory=dict)


class Evaluator(Protocol):
    """Evaluates sample points with paired seeds: ``evaluator(problem, X, seeds) -> Evaluation``."""

    def __call__(self, problem: Problem, X: np.ndarray, seeds: Sequence[int]) -> Evaluation: ...


class FunctionEvaluator:
    """Evaluates a Python function ``func(x, rng) -> {output: value}`` (or a number for one output).

    ``x`` holds the values actually run (integer parameters rounded). ``rng`` is a NumPy generator
    seeded from the replication's seed and the point's values, so the same point and seed give the
    same draw wherever and in whatever order they are evaluated.
    """

    def __init__(self, func: Callable[[np.ndarray, np.random.Generator], Any]):
        self.func = func

    def __call__(self, problem: Problem, X: np.ndarray, seeds: Sequence[int]) -> Evaluation:
        values = {o: np.full((len(X), len(seeds)), np.nan) for o in problem.outputs}
        for i, row in enumerate(X):
            x = np.array(list(problem.point_values(row).values()), dtype=float)
            point_key = np.frombuffer(hashlib.sha256(x.tobytes()).digest()[:16], dtype=np.uint32)
            for r, seed in enumerate(seeds):
                rng = np.random.default_rng(np.random.SeedSequence([int(seed), *point_key.tolist()]))
                out = self.func(x, rng)
                if not isinstance(out, Mapping):
                    out = {problem.outputs[0]: out}
                for o in problem.outputs:
                    values[o][i, r] = float(out[o])
        return Evaluation(values, [int(s) for s in seeds], 0, {"evaluator": getattr(self.func, "__name__", "function")})


class StoreEvaluator:
    """Runs the model at every point through the batch-experiment store.

    The points become the ``samples:`` of one experiment (scenario ``problem.base``, seeds as
    given, run size from the problem), run by :class:`~experiments.batch.runner.ExperimentSession` into
    ``directory``: local worker processes, this process or a Dask cluster; ``resume`` completes an
    interrupted study. Identical points (integer parameters can make two rows identical) run once.

    Args:
        directory: The experiment store (created, or resumed).
        workers, scheduler, inprocess: The executor (see :func:`experiments.batch.executors.make_executor`).
        resume, retry_failed: As for ``ruralsim experiment``.
        progress: Called as ``progress(done, failed, total)`` after each run.
        name: Experiment name recorded in the store's manifest.
        on_start: Called as ``on_start(runs_total, runs_to_do)`` once the store is open (so that
            a refused store is reported before anything is announced).
        on_recover: Called with a sentence when the store's lock, left by a process that was killed,
            is taken over (default: a warning).
    """

    def __init__(self, directory: str | Path, workers: int | None = None, scheduler: str | None = None,
                 inprocess: bool = False, resume: bool = False, retry_failed: bool = False,
                 progress: Callable[[int, int, int], None] | None = None, name: str = "sensitivity",
                 on_start: Callable[[int, int], None] | None = None,
                 on_recover: Callable[[str], None] | None = None):
        self.directory = Path(directory)
        self.workers = workers
        self.scheduler = scheduler
        self.inprocess = inprocess
        self.resume = resume
        self.retry_failed = retry_failed
        self.progress = progress
        self.name = name
        self.on_start = on_start
        self.on_recover = on_recover
        self.report: Any = None

    def spec_data(self, problem: Problem, points: list[dict[str, Any]], seeds: Sequence[int]) -> dict[str, Any]:
        """The experiment (as data) that runs ``points`` with ``seeds``."""
        data: dict[str, Any] = {
            "name": self.name,
            "description": f"Sample of problem {problem.name!r}: {len(points)} points x {len(seeds)} paired seeds.",
            "scenarios": [problem.base], "samples": points, "seeds": [int(s) for s in seeds], "keep": ["summary"],
        }
        data.update(problem.size)
        if problem.fixed:
            data["parameters"] = dict(problem.fixed)
        return data

    def __call__(self, problem: Problem, X: np.ndarray, seeds: Sequence[int]) -> Evaluation:
        from experiments.batch.executors import make_executor
        from experiments.batch.runner import ExperimentSession, warn_recovered
        from experiments.batch.spec import validate
        from experiments.batch.store import load

        rows = [problem.overrides(row) for row in X]
        keys = [canonical_json(r) for r in rows]
        unique: dict[str, int] = {}
        points: list[dict[str, Any]] = []
        for key, row in zip(keys, rows, strict=True):
            if key not in unique:
                unique[key] = len(points)
                points.append(row)
        spec = validate(self.spec_data(problem, points, seeds), label=f"problem {problem.name!r}")
        with OutputLock(self.directory, f"{self.name} (store)", on_recover=self.on_recover or warn_recovered):
            session = ExperimentSession(spec, self.directory, resume=self.resume, retry_failed=self.retry_failed)
            if self.on_start is not None:
                self.on_start(len(session.runs), len(session.todo))
            with make_executor(self.workers, self.scheduler, inprocess=self.inprocess) as executor:
                self.report = session.run(executor, progress=self.progress)
                executor_text = executor.name
                parallelism = executor.parallelism
        runs = load(self.directory).runs
        n_points = len(points)
        by_point = {o: np.full((n_points, len(seeds)), np.nan) for o in problem.outputs}
        if len(runs):
            index = runs["run_index"].to_numpy()
            point, rep = index % n_points, index // n_points
            for o in problem.outputs:
                by_point[o][point, rep] = runs[o].to_numpy(dtype=float)
        where = np.array([unique[k] for k in keys], dtype=int)
        values = {o: v[where] for o, v in by_point.items()}
        n_failed = len(session.runs) - len(runs)
        info = {"evaluator": "model through the experiment store", "store": str(self.directory),
                "executor": executor_text, "parallelism": parallelism, "runs": len(session.runs),
                "unique_points": n_points, "wall_time_s": round(self.report.wall_time_s, 2),
                "new_runs": self.report.new_done}
        return Evaluation(values, [int(s) for s in seeds], n_failed, info)
