"""Replications of one scenario for validation and calibration, and their target table.

Replication ``i`` uses seed ``seed_base + i``, so every candidate of a calibration and every
scenario of a validation sees the same random histories (common random numbers). Runs are
in-process and sequential: results do not depend on how many cores are free.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

import model
from experiments.fit.targets import Target, check_indicators, run_statistic, summarise_runs
from model.metrics import SUMMARY_KEYS
from scenarios import load_scenario

#: Directory of the shipped target files.
TARGET_DIR = Path(__file__).resolve().parents[1] / "targets"
IN_SAMPLE = TARGET_DIR / "in_sample.csv"
#: Targets after the history the calibration fits (2021 on), for validation only.
OUT_OF_SAMPLE = TARGET_DIR / "out_of_sample.csv"


@dataclass
class Replications:
    """Annual tables and summaries of the replications of one parameter set."""

    seeds: list[int]
    annual: list[pd.DataFrame]
    summary: list[dict[str, Any]]

    def statistics(self, target: Target) -> list[float]:
        """The target's per-run statistic for every replication."""
        return [run_statistic(target, a, s) for a, s in zip(self.annual, self.summary, strict=True)]

    def annual_long(self) -> pd.DataFrame:
        """All annual rows with a ``seed`` column."""
        return pd.concat([a.assign(seed=s) for a, s in zip(self.annual, self.seeds, strict=True)], ignore_index=True)


def size_overrides(households: int | None, counties: int | None, years: int | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if households is not None:
        out["population.n_households"] = int(households)
    if counties is not None:
        out["population.n_counties"] = int(counties)
    if years is not None:
        out["sim.n_years"] = int(years)
    return out


@dataclass
class Pilot:
    """One run timed to estimate a job, kept as its first replication.

    Attributes:
        seed: Its seed.
        result: The run's result.
        seconds: Its wall time, compiled kernels already loaded.
    """

    seed: int
    result: Any
    seconds: float


def pilot(params: model.Params, seed: int) -> Pilot:
    """Run ``params`` once with ``seed``, timed after a tiny run that loads the compiled kernels."""
    with contextlib.suppress(Exception):  # the timed run shows (and reports) any real problem
        small = {"population.n_households": max(200, params.population.n_counties), "sim.n_years": 1}
        model.run(params.with_overrides(small), seed=int(seed), collect_monthly=False)
    t0 = time.perf_counter()
    result = model.run(params, seed=int(seed), collect_monthly=False)
    return Pilot(int(seed), result, time.perf_counter() - t0)


def known_indicators(params: model.Params) -> tuple[list[str], list[str]]:
    """The annual columns and summary keys a run of ``params`` has (from a tiny run of one year)."""
    small = {"population.n_households": max(200, params.population.n_counties), "sim.n_years": 1}
    try:
        result = model.run(params.with_overrides(small), seed=1, collect_monthly=False)
    except Exception:  # a province too small to build here: the summary keys are still known
        return [], list(SUMMARY_KEYS)
    return list(result.annual.columns), sorted(set(result.summary) | set(SUMMARY_KEYS))


def replicate(params: model.Params, seeds: Sequence[int], targets: Sequence[Target] | None = None,
              progress: Callable[[int, int], None] | None = None, first: Pilot | None = None) -> Replications:
    """Run ``params`` once per seed (the first seed's run may be given, done: ``first``). With
    ``targets``, their indicators are checked against the first run's tables before the others run
    (an unknown indicator fails fast)."""
    annual, summary = [], []
    for k, seed in enumerate(seeds):
        if k == 0 and first is not None and first.seed == int(seed):
            r = first.result
        else:
            r = model.run(params, seed=int(seed), collect_monthly=False)
        if k == 0 and targets is not None:
            check_indicators(targets, r.annual.columns, set(r.summary) | set(SUMMARY_KEYS))
        annual.append(r.annual)
        summary.append(r.summary)
        if progress is not None:
            progress(k + 1, len(seeds))
    return Replications(list(map(int, seeds)), annual, summary)


def target_rows(targets: Sequence[Target], reps: Replications) -> list[dict[str, Any]]:
    """One row per target: mean, 90% interval over replications, tolerance, pass/fail."""
    return [summarise_runs(t, reps.statistics(t)) for t in targets]


def simulated_years(params: model.Params) -> tuple[int, int]:
    """First and last simulated year."""
    return params.sim.start_year, params.sim.end_year


def load_params(scenario: str, overrides: Mapping[str, Any]) -> model.Params:
    return load_scenario(scenario, dict(overrides)).params
