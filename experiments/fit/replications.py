"""Replications of one scenario for validation and calibration, and their target table.

Replication ``i`` uses seed ``seed_base + i``, so every candidate of a calibration and every
scenario of a validation sees the same random histories (common random numbers). Runs are
in-process and sequential: results do not depend on how many cores are free.
"""

from __future__ import annotations

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


def replicate(params: model.Params, seeds: Sequence[int], targets: Sequence[Target] | None = None,
              progress: Callable[[int, int], None] | None = None) -> Replications:
    """Run ``params`` once per seed. With ``targets``, their indicators are checked against the
    first run's tables before the others run (an unknown indicator fails fast)."""
    annual, summary = [], []
    for k, seed in enumerate(seeds):
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


def load_params(scenario: str, overrides: Mapping[str, Any]) -> model.Params:
    return load_scenario(scenario, dict(overrides)).params
