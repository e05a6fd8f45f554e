"""Parameter uncertainty against chance: ``compare --parameter-uncertainty``.

Each replication runs one parameter set drawn from the fitted ensemble
(:mod:`experiments.fit.ensemble`; the same set for every scenario of the replication, and the same
set for the two seeds ``2k-1`` and ``2k``). The spread of an outcome over replications then has two
sources: which parameter set a replication drew, and the chance of its random history. By the law
of total variance ``Var(Y) = E[Var(Y | θ)] + Var(E[Y | θ])``: the first term is the variance due to
chance (within a parameter set), the second the variance due to parameter uncertainty (between
sets). Grouping the replications by the parameter set they drew, the one-way random-effects
analysis of variance estimates both by the method of moments (unbalanced groups; Searle, Casella &
McCulloch 1992, ch. 3):

- within: ``MSW = Σ_g Σ_i (y_gi − ȳ_g)² / (N − G)`` estimates the chance variance ``σ²_chance``;
- between: ``MSB = Σ_g n_g (ȳ_g − ȳ)² / (G − 1)``, ``n0 = (N − Σ_g n_g² / N) / (G − 1)``;
  ``σ²_param = max(0, (MSB − MSW) / n0)``;
- the parameter share is ``σ²_param / (σ²_param + σ²_chance)``.

With ``N`` replications in ``G`` groups, ``σ²_chance`` needs a set drawn twice (``N > G``) and
``σ²_param`` two sets (``G ≥ 2``); otherwise they are NaN. The report gives, for every scenario and
headline outcome, and for the paired difference from the reference, the standard deviation due to
each source: how far one run strays from its set's expectation by chance, and how far the
expectations of the plausible parameter sets lie from each other. They are spreads, not intervals
(a ±1.96 σ range of a share could leave [0, 1]); the interval of each mean is in the main table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

COLUMNS = ("scenario", "outcome", "quantity", "n", "n_sets", "mean", "sd_total", "sd_chance", "sd_parameters",
           "parameter_share")


@dataclass(frozen=True)
class Decomposition:
    """The variance of an outcome over replications, split by source (module docstring)."""

    n: int
    n_sets: int
    mean: float
    var_chance: float
    var_parameters: float

    @property
    def var_total(self) -> float:
        return self.var_chance + self.var_parameters

    @property
    def parameter_share(self) -> float:
        total = self.var_total
        return self.var_parameters / total if total > 0 else math.nan


def decompose(values: Sequence[float], groups: Sequence[object]) -> Decomposition:
    """Split the variance of ``values`` into chance (within ``groups``) and parameters (between them);
    non-finite values are left out."""
    y = np.asarray(values, dtype=float)
    g = np.asarray(list(groups), dtype=object)
    keep = np.isfinite(y)
    y, g = y[keep], g[keep]
    n = len(y)
    if n == 0:
        return Decomposition(0, 0, math.nan, math.nan, math.nan)
    frame = pd.DataFrame({"y": y, "g": g})
    stats = frame.groupby("g", sort=False)["y"].agg(["size", "mean"])
    sizes = stats["size"].to_numpy(float)
    means = stats["mean"].to_numpy(float)
    n_sets = len(sizes)
    grand = float(y.mean())
    within = float(((y - frame["g"].map(stats["mean"]).to_numpy(float)) ** 2).sum())
    msw = within / (n - n_sets) if n > n_sets else math.nan
    if n_sets >= 2:
        msb = float((sizes * (means - grand) ** 2).sum()) / (n_sets - 1)
        n0 = (n - float((sizes ** 2).sum()) / n) / (n_sets - 1)
        var_param = max(0.0, (msb - msw) / n0) if math.isfinite(msw) else math.nan
    else:
        var_param = math.nan
    return Decomposition(n, n_sets, grand, msw, var_param)


def _row(scenario: str, outcome: str, quantity: str, d: Decomposition) -> dict:
    sd_c = math.sqrt(d.var_chance) if math.isfinite(d.var_chance) else math.nan
    sd_p = math.sqrt(d.var_parameters) if math.isfinite(d.var_parameters) else math.nan
    return {"scenario": scenario, "outcome": outcome, "quantity": quantity, "n": d.n, "n_sets": d.n_sets,
            "mean": d.mean, "sd_total": math.sqrt(d.var_total) if math.isfinite(d.var_total) else math.nan,
            "sd_chance": sd_c, "sd_parameters": sd_p, "parameter_share": d.parameter_share}


def uncertainty_table(runs: pd.DataFrame, scenarios: Sequence[str], reference: str, outcomes: Sequence[str],
                      seeds: Sequence[int]) -> pd.DataFrame:
    """Per scenario and outcome, the decomposition of the outcome (``quantity`` 'level') and, for every
    scenario but the reference, of its paired difference from the reference ('difference'). ``runs``
    needs ``scenario``, ``seed``, ``parameter_set`` and the outcome columns; only ``seeds`` count."""
    used = runs[runs["seed"].isin(seeds)]
    sets = used.drop_duplicates("seed").set_index("seed")["parameter_set"]
    rows = []
    for outcome in outcomes:
        if outcome not in used.columns:
            continue
        wide = used.pivot(index="seed", columns="scenario", values=outcome).astype(float).sort_index()
        groups = sets.reindex(wide.index).to_numpy()
        for name in scenarios:
            rows.append(_row(name, outcome, "level", decompose(wide[name].to_numpy(), groups)))
            if name != reference:
                diff = wide[name].to_numpy() - wide[reference].to_numpy()
                rows.append(_row(name, outcome, "difference", decompose(diff, groups)))
    return pd.DataFrame(rows, columns=list(COLUMNS))
