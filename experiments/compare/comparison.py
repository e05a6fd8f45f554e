"""Comparing policy paths fairly: ``ruralsim compare``.

Every scenario is run with the same seeds (replications), so that replication *i* of every
scenario meets the same illness, disasters, prices and job losses (common random numbers, see
``model.rng``). Differences are therefore taken *seed by seed* against a reference scenario, which
removes the shared noise from the comparison.

For every scalar outcome of a run (``model.metrics.SUMMARY_KEYS``, plus ``relapse_events_total``,
the household relapses of all years at province scale) the comparison reports, per scenario:

- the mean over replications with its 95% t interval;
- the paired difference from the reference (mean of the seed-by-seed differences) with its 95% t
  interval; for the yes/no outcome ``large_scale_relapse`` the difference interval is Newcombe's
  score interval for paired proportions (Newcombe 1998, method 10);
- for ``large_scale_relapse`` the probability with its Wilson score interval;
- how much pairing narrowed the interval of the difference: the ratio of the half-width an
  unpaired (Welch) comparison of the same runs would give to the paired half-width.

With ``--precision X`` replications are added in batches until the half-width of the paired
difference in ``relapse_cum_share`` is below X for every scenario against the reference, or a cap
is reached (:func:`run_until_precise`).

Runs go through the experiment runner (:mod:`experiments.batch.runner`): local worker processes by
default, each batch a result store under ``store/`` in the output directory, so a run that raises
is recorded with its traceback and a worker that dies has its run retried. A seed whose runs did not
all finish is left out of every scenario (pairs stay complete) and the report says so.

Outputs (written under a temporary name, then renamed): ``comparison.csv`` (tidy: scenario,
outcome, statistic, value), ``runs.csv`` (one row per run), ``annual_bands.csv``,
``county_relapse.csv``, ``three_excesses.csv``, ``manifest.json``, PNG figures and the
self-contained policy brief ``report.html`` (see :mod:`experiments.compare.report`).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.batch.store import json_default, timestamped_dir

#: Scenarios compared when none are named.
DEFAULT_SCENARIOS = ("transition", "continuation", "gradual_phaseout", "abrupt_withdrawal")
DEFAULT_REFERENCE = "transition"
#: Replications when neither --reps nor --precision is given (about a minute on 2 cores).
DEFAULT_REPS = 20
#: --precision: replications of the first batch, fewest added per batch, and the default cap.
PRECISION_START = 10
PRECISION_MIN_BATCH = 5
PRECISION_CAP = 200
#: Largest --reps accepted.
MAX_REPS = 10_000
#: Outcome whose paired-difference half-width --precision controls.
PRECISION_OUTCOME = "relapse_cum_share"
LEVEL = 0.95
#: Derived outcome: household relapses summed over the years (province scale, real households).
RELAPSE_EVENTS = "relapse_events_total"
BINARY_OUTCOME = "large_scale_relapse"
#: Headline outcomes of the report, in order.
HEADLINE = ("relapse_rate_peak", "relapse_cum_share", "large_scale_relapse", "poverty_rate_final",
            "fiscal_cost_total_yuan", "three_excesses_years")


class CompareError(ValueError):
    """Invalid options of a comparison: every problem found, one per item."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# --------------------------------------------------------------------------------------------
# Statistics (pure functions)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """A mean with its two-sided t interval.

    Attributes:
        n: Values used (finite ones).
        mean: Their mean.
        sd: Sample standard deviation (n - 1 denominator); NaN when n < 2.
        low, high: Interval bounds; NaN when n < 2.
        half_width: (high - low) / 2.
    """

    n: int
    mean: float
    sd: float
    low: float
    high: float
    half_width: float


def _t_quantile(df: float, level: float) -> float:
    from scipy.stats import t

    return float(t.ppf(0.5 + level / 2.0, df))


def _z_quantile(level: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(0.5 + level / 2.0))


def t_interval(values: Sequence[float] | np.ndarray, level: float = LEVEL) -> Interval:
    """Mean and two-sided Student t interval of ``values`` (non-finite values are ignored).

    ``mean ± t(level, n-1) · sd / √n``: exact for normal data, approximately right for means of
    other distributions when n is not tiny.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return Interval(0, math.nan, math.nan, math.nan, math.nan, math.nan)
    mean = float(x.mean())
    if n < 2:
        return Interval(1, mean, math.nan, math.nan, math.nan, math.nan)
    sd = float(x.std(ddof=1))
    half = _t_quantile(n - 1, level) * sd / math.sqrt(n)
    return Interval(n, mean, sd, mean - half, mean + half, half)


def wilson_interval(successes: int, n: int, level: float = LEVEL) -> tuple[float, float, float]:
    """Probability ``successes / n`` and its Wilson score interval ``(p, low, high)``.

    Unlike the normal approximation it stays inside [0, 1] and is sensible at 0 or n successes
    (Wilson 1927).
    """
    if n <= 0:
        return math.nan, math.nan, math.nan
    if not 0 <= successes <= n:
        raise ValueError(f"successes = {successes} must lie in [0, {n}]")
    z = _z_quantile(level)
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # at 0 or n successes the bound is exactly 0 or 1 (rounding would leave it a hair inside)
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return p, low, high


def newcombe_paired_interval(x: Sequence[bool], y: Sequence[bool],
                             level: float = LEVEL) -> tuple[float, float, float]:
    """Difference ``P(x) - P(y)`` of two paired yes/no outcomes and its interval.

    Newcombe's (1998) square-and-add method 10: the Wilson intervals of both proportions combined
    with the correlation of the pairs, whose estimate ``phi`` is shrunk towards zero by ``n / 2``
    when positive (as in Newcombe's worked example in Altman et al., *Statistics with Confidence*,
    2000, and in Fagerland, Lydersen & Laake 2014). It stays inside [-1, 1] and keeps a width when
    all pairs agree.
    """
    xa = np.asarray(x, dtype=bool)
    ya = np.asarray(y, dtype=bool)
    if xa.shape != ya.shape:
        raise ValueError("paired outcomes need the same length")
    n = len(xa)
    if n == 0:
        return math.nan, math.nan, math.nan
    a = int(np.sum(xa & ya))
    b = int(np.sum(xa & ~ya))
    c = int(np.sum(~xa & ya))
    d = n - a - b - c
    p1, l1, u1 = wilson_interval(a + b, n, level)
    p2, l2, u2 = wilson_interval(a + c, n, level)
    den = float(a + b) * float(c + d) * float(a + c) * float(b + d)
    cross = float(a) * d - float(b) * c
    if den <= 0 or 0 <= cross <= n / 2:
        phi = 0.0
    else:
        phi = (cross - n / 2 if cross > 0 else cross) / math.sqrt(den)
    delta = math.sqrt(max((p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2, 0.0))
    eps = math.sqrt(max((u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2, 0.0))
    diff = p1 - p2
    return diff, max(-1.0, diff - delta), min(1.0, diff + eps)


def welch_half_width(x: Sequence[float], y: Sequence[float], level: float = LEVEL) -> float:
    """Half-width of the unpaired (Welch) t interval of ``mean(x) - mean(y)``."""
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    n1, n2 = len(xa), len(ya)
    if n1 < 2 or n2 < 2:
        return math.nan
    v1, v2 = xa.var(ddof=1) / n1, ya.var(ddof=1) / n2
    se2 = v1 + v2
    if se2 <= 0:
        return 0.0
    df = se2 ** 2 / (v1 ** 2 / (n1 - 1) + v2 ** 2 / (n2 - 1))
    return _t_quantile(df, level) * math.sqrt(se2)


@dataclass(frozen=True)
class PairedDifference:
    """Seed-by-seed difference of a scenario from the reference.

    Attributes:
        n: Complete pairs used.
        mean: Mean of the differences.
        sd: Standard deviation of the differences.
        low, high: Its 95% interval (t; Newcombe for yes/no outcomes).
        half_width: Paired t half-width.
        unpaired_half_width: Welch half-width the same runs would give without pairing.
        pairing_ratio: unpaired / paired half-width (NaN when the paired one is zero).
    """

    n: int
    mean: float
    sd: float
    low: float
    high: float
    half_width: float
    unpaired_half_width: float
    pairing_ratio: float


def paired_difference(x: Sequence[float], y: Sequence[float], level: float = LEVEL,
                      binary: bool = False) -> PairedDifference:
    """Difference ``x - y`` of paired values (pairs with a non-finite member are dropped)."""
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    ok = np.isfinite(xa) & np.isfinite(ya)
    xa, ya = xa[ok], ya[ok]
    diff = t_interval(xa - ya, level)
    unpaired = welch_half_width(xa, ya, level)
    low, high = diff.low, diff.high
    if binary and len(xa):
        _, low, high = newcombe_paired_interval(xa > 0.5, ya > 0.5, level)
    if diff.half_width > 0:
        ratio = unpaired / diff.half_width
    else:
        ratio = math.nan
    return PairedDifference(diff.n, diff.mean, diff.sd, low, high, diff.half_width, unpaired, ratio)


def replications_needed(sd: float, target: float, n_now: int, level: float = LEVEL) -> int:
    """Replications for a paired t half-width below ``target`` given the differences' ``sd``.

    Solves ``t(level, n-1) · sd / √n < target`` using the quantile at the current ``n_now`` (a
    slight overestimate of t for the larger n, so the answer errs on the safe side).
    """
    if not math.isfinite(sd) or sd <= 0:
        return n_now
    q = _t_quantile(max(n_now - 1, 1), level)
    return max(n_now, int(math.ceil((q * sd / target) ** 2)) + 1)


# --------------------------------------------------------------------------------------------
# The stopping rule
# --------------------------------------------------------------------------------------------


@dataclass
class PrecisionResult:
    """Outcome of :func:`run_until_precise`.

    Attributes:
        runs: All runs done (rows: scenario, seed, outcomes).
        seeds: Seeds run, in order.
        reached: Whether every half-width fell below the target.
        half_widths: Final paired half-width of the precision outcome, per scenario.
        history: One entry per batch: seeds so far, complete pairs, largest half-width.
    """

    runs: pd.DataFrame
    seeds: list[int]
    reached: bool
    half_widths: dict[str, float]
    history: list[dict[str, Any]] = field(default_factory=list)


def run_until_precise(run_batch: Callable[[list[int]], pd.DataFrame], scenarios: Sequence[str], reference: str,
                      target: float, *, seed_base: int = 1, start: int = PRECISION_START,
                      cap: int = PRECISION_CAP, min_batch: int = PRECISION_MIN_BATCH,
                      outcome: str = PRECISION_OUTCOME, level: float = LEVEL,
                      on_batch: Callable[[dict[str, Any]], None] | None = None) -> PrecisionResult:
    """Add replications in batches until the paired half-width of ``outcome`` is below ``target``.

    After each batch the half-width of the paired difference from ``reference`` is computed for
    every other scenario over the complete pairs so far. The run stops when all are below
    ``target``, or when ``cap`` seeds have been run. The next batch is sized from the largest
    standard deviation of the differences (enough seeds to reach the target if it holds, at least
    ``min_batch``, never beyond ``cap``).

    Args:
        run_batch: Runs every scenario for the given seeds; returns rows with ``scenario``,
            ``seed`` and the outcome columns.
        scenarios: All scenarios (reference included).
        reference: The reference scenario.
        target: Required half-width (in the outcome's units; a share for ``relapse_cum_share``).
        seed_base: First seed.
        start: Seeds of the first batch.
        cap: Most seeds run in total.
        min_batch: Fewest seeds added by a later batch.
    """
    if target <= 0:
        raise ValueError("target must be > 0")
    others = [s for s in scenarios if s != reference]
    frames: list[pd.DataFrame] = []
    seeds: list[int] = []
    history: list[dict[str, Any]] = []
    next_total = max(min(start, cap), 2)
    while True:
        batch = list(range(seed_base + len(seeds), seed_base + next_total))
        frames.append(run_batch(batch))
        seeds += batch
        runs = pd.concat(frames, ignore_index=True)
        widths, sds, n_pairs = _half_widths(runs, scenarios, reference, others, outcome, level)
        worst = max(widths.values()) if widths else 0.0
        reached = n_pairs >= 2 and all(math.isfinite(w) and w < target for w in widths.values())
        entry = {"seeds": len(seeds), "complete_pairs": n_pairs, "max_half_width": worst,
                 "half_widths": dict(widths)}
        history.append(entry)
        if on_batch is not None:
            on_batch(entry)
        # no complete pair at all: some scenario fails every run, more seeds will not help
        if reached or len(seeds) >= cap or n_pairs == 0:
            return PrecisionResult(runs, seeds, reached, widths, history)
        finite_sds = [s for s in sds.values() if math.isfinite(s)]
        need = replications_needed(max(finite_sds), target, max(n_pairs, 2), level) if finite_sds else 0
        need = int(math.ceil(need * 1.1))  # a margin against an underestimated sd saves a batch
        # seeds lost to failed runs are made up for: aim at `need` complete pairs
        need += len(seeds) - n_pairs
        next_total = min(cap, max(len(seeds) + min_batch, need))


def _half_widths(runs: pd.DataFrame, scenarios: Sequence[str], reference: str, others: Sequence[str],
                 outcome: str, level: float) -> tuple[dict[str, float], dict[str, float], int]:
    seeds = complete_seeds(runs, scenarios)
    widths: dict[str, float] = {}
    sds: dict[str, float] = {}
    if not seeds:
        return {name: math.nan for name in others}, {name: math.nan for name in others}, 0
    table = runs[runs["seed"].isin(seeds)].pivot(index="seed", columns="scenario", values=outcome)
    for name in others:
        diff = t_interval(table[name].to_numpy(float) - table[reference].to_numpy(float), level)
        widths[name] = diff.half_width
        sds[name] = diff.sd
    return widths, sds, len(seeds)


# --------------------------------------------------------------------------------------------
# Analysis of finished runs
# --------------------------------------------------------------------------------------------


def complete_seeds(runs: pd.DataFrame, scenarios: Sequence[str]) -> list[int]:
    """Seeds for which every scenario has a finished run, sorted."""
    if runs.empty:
        return []
    have = runs.groupby("seed")["scenario"].apply(lambda s: set(s))
    wanted = set(scenarios)
    return sorted(int(seed) for seed, got in have.items() if wanted <= got)


def outcome_columns(runs: pd.DataFrame) -> list[str]:
    """Scalar outcomes present in the runs table, in the documented order."""
    from model.metrics import SUMMARY_KEYS

    return [k for k in (*SUMMARY_KEYS, RELAPSE_EVENTS) if k in runs.columns]


def analyse(runs: pd.DataFrame, scenarios: Sequence[str], reference: str, level: float = LEVEL) -> pd.DataFrame:
    """The tidy comparison table: one row per (scenario, outcome, statistic).

    Statistics per scenario and outcome: ``n``, ``mean``, ``sd``, ``ci_low``, ``ci_high``,
    ``half_width`` (t interval), ``median``, ``p10``, ``p90``; for ``large_scale_relapse`` also
    ``probability``, ``wilson_low``, ``wilson_high``; for every scenario but the reference
    ``diff_mean``, ``diff_sd``, ``diff_ci_low``, ``diff_ci_high``, ``diff_half_width`` (paired),
    ``unpaired_half_width`` and ``pairing_ratio``. For ``fiscal_cost_total_yuan`` the scenario
    rows also carry ``cost_per_relapse_averted`` (extra yuan per household relapse averted, ratio
    of the mean differences; NaN unless the scenario averts relapses at a cost, or saves money
    at the price of extra relapses).

    Only seeds complete in every scenario are used.
    """
    seeds = complete_seeds(runs, scenarios)
    used = runs[runs["seed"].isin(seeds)]
    rows: list[tuple[str, str, str, float]] = []
    outcomes = outcome_columns(used)
    wide = {o: used.pivot(index="seed", columns="scenario", values=o).astype(float) for o in outcomes}
    for name in scenarios:
        for outcome in outcomes:
            x = wide[outcome][name].to_numpy()
            iv = t_interval(x, level)
            finite = x[np.isfinite(x)]
            stats = {"n": iv.n, "mean": iv.mean, "sd": iv.sd, "ci_low": iv.low, "ci_high": iv.high,
                     "half_width": iv.half_width,
                     "median": float(np.median(finite)) if len(finite) else math.nan,
                     "p10": float(np.quantile(finite, 0.1)) if len(finite) else math.nan,
                     "p90": float(np.quantile(finite, 0.9)) if len(finite) else math.nan}
            binary = outcome == BINARY_OUTCOME
            if binary:
                k = int(np.sum(finite > 0.5))
                p, lo, hi = wilson_interval(k, len(finite), level)
                stats.update({"probability": p, "wilson_low": lo, "wilson_high": hi})
            if name != reference:
                d = paired_difference(x, wide[outcome][reference].to_numpy(), level, binary=binary)
                stats.update({"diff_mean": d.mean, "diff_sd": d.sd, "diff_ci_low": d.low, "diff_ci_high": d.high,
                              "diff_half_width": d.half_width, "unpaired_half_width": d.unpaired_half_width,
                              "pairing_ratio": d.pairing_ratio})
            rows += [(name, outcome, stat, float(value)) for stat, value in stats.items()]
        if name != reference and RELAPSE_EVENTS in wide and "fiscal_cost_total_yuan" in wide:
            averted = float(np.nanmean(wide[RELAPSE_EVENTS][reference] - wide[RELAPSE_EVENTS][name]))
            extra = float(np.nanmean(wide["fiscal_cost_total_yuan"][name] - wide["fiscal_cost_total_yuan"][reference]))
            ratio = extra / averted if averted != 0 and (averted > 0) == (extra > 0) else math.nan
            rows.append((name, "fiscal_cost_total_yuan", "cost_per_relapse_averted", ratio))
    return pd.DataFrame(rows, columns=["scenario", "outcome", "statistic", "value"])


def lookup(table: pd.DataFrame, scenario: str, outcome: str, statistic: str) -> float:
    """One value of the tidy comparison table (NaN when absent)."""
    hit = table[(table["scenario"] == scenario) & (table["outcome"] == outcome) & (table["statistic"] == statistic)]
    return float(hit["value"].iloc[0]) if len(hit) else math.nan


def annual_bands(annual: pd.DataFrame, seeds: Sequence[int],
                 columns: Sequence[str] = ("relapse_rate", "poverty_rate")) -> pd.DataFrame:
    """Median, 10% and 90% quantiles and mean over replications, per scenario, year and column."""
    used = annual[annual["seed"].isin(seeds)]
    rows = []
    for (scenario, year), group in used.groupby(["scenario", "year"], sort=False):
        for column in columns:
            v = group[column].to_numpy(float)
            rows.append({"scenario": scenario, "year": int(year), "outcome": column,
                         "p10": float(np.quantile(v, 0.1)), "median": float(np.median(v)),
                         "p90": float(np.quantile(v, 0.9)), "mean": float(v.mean()), "n": len(v)})
    return pd.DataFrame(rows, columns=["scenario", "year", "outcome", "p10", "median", "p90", "mean", "n"])


def county_relapse(counties: pd.DataFrame, seeds: Sequence[int]) -> pd.DataFrame:
    """Mean relapse rate over replications and share of replications with large-scale relapse,
    per scenario, county and year."""
    used = counties[counties["seed"].isin(seeds)]
    grouped = used.groupby(["scenario", "county", "county_type", "year"], sort=False)
    out = grouped.agg(relapse_rate_mean=("relapse_rate", "mean"),
                      large_scale_share=("large_scale", "mean"), n=("relapse_rate", "size")).reset_index()
    return out


def three_excesses_table(annual: pd.DataFrame, seeds: Sequence[int]) -> pd.DataFrame:
    """Share of replications in which the three excesses hold, per scenario and year."""
    used = annual[annual["seed"].isin(seeds)]
    out = used.groupby(["scenario", "year"], sort=False).agg(
        share=("three_excesses", "mean"), years_held=("three_excesses", "sum"), n=("three_excesses", "size"))
    return out.reset_index()


# --------------------------------------------------------------------------------------------
# Settings and running
# --------------------------------------------------------------------------------------------


@dataclass
class CompareSettings:
    """Everything a comparison needs (validated by :func:`prepare`).

    Attributes:
        scenarios: Scenario names or overlays, reference included.
        reference: The reference scenario.
        reps: Replications (None with ``precision``).
        precision: Target half-width of the paired difference in relapse_cum_share (a share).
        max_reps: Cap on replications with ``precision``.
        households, counties, years: Size and horizon (None: the scenario's value, by default the
            model's full province of 100,000 households in 20 counties over 10 years, so that county
            relapse rates, and with them large-scale relapse, are not inflated by the chance
            variation of small simulated counties).
        seed_base: First seed; seeds are seed_base, seed_base + 1, ...
        overrides: Extra dotted-path overrides for every scenario (``--set``).
        workers: Local worker processes (None: all CPUs); ``inprocess`` runs in this process.
    """

    scenarios: list[str]
    reference: str = DEFAULT_REFERENCE
    reps: int | None = None
    precision: float | None = None
    max_reps: int = PRECISION_CAP
    households: int | None = None
    counties: int | None = None
    years: int | None = None
    seed_base: int = 1
    overrides: dict[str, Any] = field(default_factory=dict)
    workers: int | None = None
    inprocess: bool = False

    @property
    def size_overrides(self) -> dict[str, Any]:
        out = dict(self.overrides)
        for path, value in (("population.n_households", self.households), ("population.n_counties", self.counties),
                            ("sim.n_years", self.years)):
            if value is not None:
                out[path] = value
        return out


def prepare(settings: CompareSettings) -> dict[str, Any]:
    """Check the settings and load every scenario; returns the loaded scenarios by name.

    Raises:
        CompareError: With every problem found (nothing has run).
    """
    from scenarios import ScenarioError, load_scenario

    problems: list[str] = []
    if settings.reps is not None and settings.precision is not None:
        problems.append(f"--reps {settings.reps} and --precision {settings.precision:g} cannot be combined: give "
                        "--reps N for a fixed number of replications, or --precision X to add replications until "
                        "the interval of the difference in cumulative relapse share is narrower than X")
    if settings.reps is not None and not 2 <= settings.reps <= MAX_REPS:
        problems.append(f"--reps {settings.reps}: allowed 2 to {MAX_REPS:,} (an interval needs at least 2 "
                        "replications)")
    if settings.precision is not None and not (math.isfinite(settings.precision) and 0 < settings.precision < 1):
        problems.append(f"--precision {settings.precision:g}: must be a share strictly between 0 and 1, the "
                        "half-width of the 95% interval of the difference in cumulative relapse share "
                        "(e.g. 0.005 for half a percentage point)")
    if settings.precision is None and settings.max_reps != PRECISION_CAP:
        problems.append(f"--max-reps {settings.max_reps} applies only with --precision; use --reps N for a fixed "
                        "number of replications")
    if not 2 <= settings.max_reps <= MAX_REPS:
        problems.append(f"--max-reps {settings.max_reps}: allowed 2 to {MAX_REPS:,}")
    if settings.precision is not None and settings.max_reps < PRECISION_START:
        problems.append(f"--max-reps {settings.max_reps}: must be at least {PRECISION_START}, the first batch "
                        "of --precision")
    if settings.workers is not None and settings.workers < 1:
        problems.append(f"--workers {settings.workers}: must be a whole number >= 1")
    if settings.workers is not None and settings.inprocess:
        problems.append("--workers and --in-process cannot be combined: choose worker processes or this process")
    most = settings.max_reps if settings.precision is not None else (settings.reps or DEFAULT_REPS)
    if settings.seed_base < 0 or settings.seed_base + most > 2**63 - 1:
        problems.append(f"--seed-base {settings.seed_base}: must be a whole number >= 0 (seeds run from it upward)")

    names = [s.strip() for s in settings.scenarios]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            problems.append(f"scenario {name!r} is named twice; name each scenario once")
        seen.add(name)

    loaded: dict[str, Any] = {}
    size = settings.size_overrides
    for name in dict.fromkeys(names):
        try:
            loaded[name] = load_scenario(name, size, origin="command line")
        except ScenarioError as exc:
            problems += exc.problems  # each names its file, scenario or 'command line' already
    reference = settings.reference.strip()
    if reference not in seen:
        try:
            load_scenario(reference)
            problems.append(f"--reference {reference!r} is not among the compared scenarios "
                            f"({', '.join(names)}); add it to the scenarios or choose one of them as --reference")
        except ScenarioError as exc:
            problems.append(f"--reference {reference!r} cannot be loaded: " + "; ".join(exc.problems))
    elif len(seen) < 2:
        problems.append(f"only the reference {reference!r} was given; name at least one other scenario to "
                        "compare with it")
    if problems:
        # the same problem (e.g. a bad --set) is found once per scenario: report it once
        raise CompareError(list(dict.fromkeys(problems)))
    settings.scenarios = names
    settings.reference = reference
    return loaded


@dataclass
class Comparison:
    """A finished comparison: settings, the runs, and the tables derived from them."""

    settings: CompareSettings
    scenarios: dict[str, Any]
    runs: pd.DataFrame
    annual: pd.DataFrame
    counties: pd.DataFrame
    seeds: list[int]
    table: pd.DataFrame
    failures: pd.DataFrame
    precision: PrecisionResult | None
    wall_time_s: float
    workers_text: str

    @property
    def n_reps(self) -> int:
        return len(self.seeds)

    @property
    def all_seeds(self) -> list[int]:
        return sorted(int(s) for s in self.runs["seed"].unique()) if len(self.runs) else []


class _Batches:
    """Runs batches of seeds through the experiment runner, one result store per batch."""

    def __init__(self, settings: CompareSettings, store_dir: Path, executor: Any,
                 progress: Callable[[int], None] | None):
        self.settings = settings
        self.store_dir = store_dir
        self.executor = executor
        self.progress = progress
        self.annual: list[pd.DataFrame] = []
        self.counties: list[pd.DataFrame] = []
        self.failures: list[pd.DataFrame] = []
        self.runs: list[pd.DataFrame] = []

    def __call__(self, seeds: list[int]) -> pd.DataFrame:
        from experiments.batch.runner import ExperimentSession
        from experiments.batch.spec import validate
        from experiments.batch.store import load

        number = len(self.runs) + 1
        data = {"name": f"compare-batch-{number}",
                "description": f"Batch {number} of a comparison of {', '.join(self.settings.scenarios)} "
                               f"(reference {self.settings.reference}).",
                "scenarios": list(self.settings.scenarios), "seeds": list(seeds),
                "keep": ["summary", "annual", "counties"]}
        if self.settings.size_overrides:
            data["parameters"] = dict(self.settings.size_overrides)
        spec = validate(data, label="compare")
        directory = self.store_dir / f"batch-{number:02d}"
        session = ExperimentSession(spec, directory)
        done_before = sum(len(r) for r in self.runs) + sum(len(f) for f in self.failures)

        def progress(done: int, failed: int, total: int) -> None:
            if self.progress is not None:
                self.progress(done_before + done + failed)

        session.run(self.executor, progress=progress)
        results = load(directory)
        runs = results.runs.copy()
        annual = results.annual
        if len(runs):
            events = annual.groupby("run_id")["n_relapse_households"].sum()
            runs[RELAPSE_EVENTS] = runs["run_id"].map(events).astype(float)
        self.runs.append(runs)
        self.annual.append(annual)
        self.counties.append(results.counties)
        self.failures.append(results.failures)
        return runs


def run_comparison(settings: CompareSettings, scenarios: dict[str, Any], work_dir: Path,
                   progress: Callable[[int, int | None], None] | None = None,
                   note: Callable[[str], None] | None = None) -> Comparison:
    """Run a prepared comparison; results stores go to ``work_dir / 'store'``.

    Args:
        settings: Checked by :func:`prepare`.
        scenarios: The loaded scenarios returned by :func:`prepare`.
        work_dir: An existing directory.
        progress: Called with (runs finished or failed so far, runs planned so far).
        note: Called with one-line messages (batches of --precision).
    """
    from experiments.batch.runner import make_executor

    t0 = time.perf_counter()
    names = settings.scenarios
    planned = [0]

    def tick(count: int) -> None:
        if progress is not None:
            progress(count, planned[0])

    executor = make_executor(settings.workers, inprocess=settings.inprocess)
    workers_text = ("this process" if settings.inprocess else
                    f"{executor.parallelism} local worker process{'es' if executor.parallelism != 1 else ''}")
    with executor:
        batches = _Batches(settings, work_dir / "store", executor, tick)
        precision = None
        if settings.precision is None:
            reps = settings.reps or DEFAULT_REPS
            planned[0] = reps * len(names)
            tick(0)
            batches(list(range(settings.seed_base, settings.seed_base + reps)))
        else:
            def planning(seeds: list[int], inner=batches) -> pd.DataFrame:
                planned[0] += len(seeds) * len(names)
                tick(sum(len(r) for r in inner.runs) + sum(len(f) for f in inner.failures))
                return inner(seeds)

            def on_batch(entry: dict[str, Any]) -> None:
                if note is not None:
                    note(f"{entry['seeds']} replications: largest half-width of the difference in cumulative "
                         f"relapse share {entry['max_half_width']:.4f} (target below {settings.precision:g})")

            precision = run_until_precise(planning, names, settings.reference, settings.precision,
                                          seed_base=settings.seed_base, cap=settings.max_reps, on_batch=on_batch)
    runs = pd.concat(batches.runs, ignore_index=True)
    annual = pd.concat(batches.annual, ignore_index=True)
    counties = pd.concat(batches.counties, ignore_index=True)
    failures = pd.concat([f for f in batches.failures if len(f)], ignore_index=True) \
        if any(len(f) for f in batches.failures) else pd.DataFrame(columns=["scenario", "seed", "error"])
    seeds = complete_seeds(runs, names)
    if len(seeds) < 2:
        first = failures.iloc[0] if len(failures) else None
        why = f"; the first failure, {first['scenario']} seed {first['seed']}: {first['error_type']}: " \
              f"{first['error']}" if first is not None else ""
        raise RuntimeError(f"only {len(seeds)} replication(s) finished for every scenario, at least 2 are "
                           f"needed ({len(failures)} run(s) failed{why})")
    table = analyse(runs, names, settings.reference)
    return Comparison(settings, scenarios, runs, annual, counties, seeds, table, failures, precision,
                      time.perf_counter() - t0, workers_text)


# --------------------------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------------------------

RUN_COLUMNS = ("scenario", "seed", "run_id")


def write_outputs(comparison: Comparison, directory: Path) -> list[Path]:
    """Write the tables, figures, manifest and report of ``comparison`` into ``directory``."""
    from experiments.compare.figures import write_figures
    from experiments.compare.report import write_report

    directory = Path(directory)
    written = []
    path = directory / "comparison.csv"
    comparison.table.to_csv(path, index=False)
    written.append(path)
    runs = comparison.runs
    columns = [*RUN_COLUMNS, *outcome_columns(runs), "wall_time_s", "worker"]
    runs_out = runs[[c for c in columns if c in runs.columns]].sort_values(["seed", "scenario"], kind="stable")
    runs_out = runs_out.assign(paired=runs_out["seed"].isin(comparison.seeds))
    path = directory / "runs.csv"
    runs_out.to_csv(path, index=False)
    written.append(path)
    for name, frame in (("annual_bands.csv", annual_bands(comparison.annual, comparison.seeds)),
                        ("county_relapse.csv", county_relapse(comparison.counties, comparison.seeds)),
                        ("three_excesses.csv", three_excesses_table(comparison.annual, comparison.seeds))):
        frame.to_csv(directory / name, index=False)
        written.append(directory / name)
    figures = write_figures(comparison, directory)
    written += list(figures.values())
    manifest = directory / "manifest.json"
    manifest.write_text(json.dumps(manifest_data(comparison), indent=2, default=json_default) + "\n",
                        encoding="utf-8")
    written.append(manifest)
    written.append(write_report(comparison, figures, directory / "report.html"))
    return written


def manifest_data(comparison: Comparison) -> dict[str, Any]:
    """What was compared, how, and with which code."""
    from model.results import environment

    s = comparison.settings
    env = environment()
    precision = comparison.precision
    return {
        "format": "ruralsim-comparison/1",
        "created": datetime.now().astimezone().isoformat(timespec="seconds"),
        "scenarios": list(s.scenarios), "reference": s.reference,
        "scenario_overrides": {n: _jsonable(sc.overrides) for n, sc in comparison.scenarios.items()},
        "size": _jsonable(s.size_overrides), "seed_base": s.seed_base,
        "seeds_run": comparison.all_seeds, "seeds_paired": comparison.seeds,
        "replications": comparison.n_reps, "level": LEVEL,
        "precision": None if precision is None else {
            "target_half_width": s.precision, "outcome": PRECISION_OUTCOME, "cap": s.max_reps,
            "reached": precision.reached, "half_widths": precision.half_widths, "batches": precision.history},
        "failed_runs": int(len(comparison.failures)),
        "executor": comparison.workers_text, "wall_time_s": round(comparison.wall_time_s, 2),
        "code": env["git"], "packages": env["packages"], "python": env["python"], "platform": env["platform"],
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "to_data"):
        return value.to_data()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return value.item()
    return value


def default_out_dir(now: datetime | None = None) -> Path:
    """``runs/compare-YYYYmmdd-HHMMSS`` (with a suffix if it exists already)."""
    return timestamped_dir("compare", now)


# --------------------------------------------------------------------------------------------
# Number formats shared by the terminal table and the report
# --------------------------------------------------------------------------------------------

#: Outcome → (plain label, kind). Kinds: pct (a share shown in %), yuan_bn, count, years, number.
OUTCOME_LABELS: dict[str, tuple[str, str]] = {
    "relapse_rate_peak": ("Highest yearly relapse rate", "pct"),
    "relapse_cum_share": ("Formerly poor households that relapsed at least once", "pct"),
    "new_poverty_cum_share": ("Never-registered households that became poor at least once", "pct"),
    "poverty_rate_final": ("Poverty rate in the last year", "pct"),
    "county_relapse_rate_max": ("Highest relapse rate of any county in any year", "pct"),
    "large_scale_relapse": ("Chance of large-scale relapse", "pct"),
    "large_scale_county_years": ("County-years of large-scale relapse", "number"),
    "income_growth_fpc_mean": ("Yearly income growth in formerly poor counties (average)", "pct"),
    "three_excesses_years": ("Years in which the three excesses hold", "number"),
    "relative_poverty_rate_final": ("Relative poverty rate in the last year", "pct"),
    "gini_final": ("Gini coefficient of income in the last year", "gini"),
    "fiscal_cost_total_yuan": ("Public spending over the whole period", "yuan_bn"),
    "monitored_share_peak": ("Highest share of households under monitoring", "pct"),
    "risk_eliminated_share_final": ("Monitored households whose risk was eliminated", "pct"),
    "enterprises_final": ("Rural enterprises at the end", "count"),
    "local_jobs_final": ("Local enterprise jobs at the end", "count"),
    RELAPSE_EVENTS: ("Household relapses over the whole period", "count"),
}


def format_value(outcome: str, value: float, diff: bool = False) -> str:
    """A value (or, with ``diff``, a difference) in the outcome's plain unit.

    Shares become percentages (differences in percentage points), yuan billions of yuan,
    counts whole numbers with thousands separators. Differences carry a sign.
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    kind = OUTCOME_LABELS.get(outcome, (outcome, "number"))[1]
    sign = "+" if diff else ""
    if kind == "pct":
        return f"{value * 100:{sign},.2f} pp" if diff else f"{value * 100:,.2f}%"
    if kind == "yuan_bn":
        return f"{value / 1e9:{sign},.2f} bn yuan"
    if kind == "count":
        return f"{value:{sign},.0f}"
    if kind == "gini":
        return f"{value:{sign}.3f}"
    return f"{value:{sign},.1f}"


def format_interval(outcome: str, low: float, high: float, diff: bool = False) -> str:
    """``[low to high]`` in the outcome's unit (the unit written once)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return ""
    lo, hi = format_value(outcome, low, diff), format_value(outcome, high, diff)
    for unit in (" pp", " bn yuan", "%"):
        if lo.endswith(unit) and hi.endswith(unit):
            lo = lo[: -len(unit)]
            break
    return f"[{lo} to {hi}]"


def headline_cells(table: pd.DataFrame, scenario: str, outcome: str) -> tuple[str, str, str, str]:
    """Value, its interval, difference from the reference and its interval, as report text."""
    if outcome == BINARY_OUTCOME:
        value = format_value(outcome, lookup(table, scenario, outcome, "probability"))
        interval = format_interval(outcome, lookup(table, scenario, outcome, "wilson_low"),
                                   lookup(table, scenario, outcome, "wilson_high"))
    else:
        value = format_value(outcome, lookup(table, scenario, outcome, "mean"))
        interval = format_interval(outcome, lookup(table, scenario, outcome, "ci_low"),
                                   lookup(table, scenario, outcome, "ci_high"))
    diff = lookup(table, scenario, outcome, "diff_mean")
    if not math.isfinite(diff):
        return value, interval, "", ""
    return (value, interval, format_value(outcome, diff, diff=True),
            format_interval(outcome, lookup(table, scenario, outcome, "diff_ci_low"),
                            lookup(table, scenario, outcome, "diff_ci_high"), diff=True))


def text_table(comparison: Comparison) -> str:
    """The headline table for the terminal."""
    table = comparison.table
    ref = comparison.settings.reference
    lines = []
    width = max(len(s) for s in comparison.settings.scenarios)
    for outcome in HEADLINE:
        label = OUTCOME_LABELS[outcome][0]
        unit = " (probability, Wilson interval)" if outcome == BINARY_OUTCOME else ""
        lines.append(f"{label}{unit}")
        for name in comparison.settings.scenarios:
            value, interval, diff, diff_iv = headline_cells(table, name, outcome)
            versus = f"   vs {ref}: {diff} {diff_iv}" if diff else "   (reference)"
            lines.append(f"  {name:<{width}}  {value:>16} {interval:<26}{versus}")
        lines.append("")
    return "\n".join(lines).rstrip()


# --------------------------------------------------------------------------------------------
# The command (called by experiments.cli.main)
# --------------------------------------------------------------------------------------------


def compare_command(scenarios: list[str] | None, reference: str, reps: int | None, precision: float | None,
                    max_reps: int, workers: int | None, inprocess: bool, years: int | None,
                    households: int | None, counties: int | None, seed_base: int, set_: list[str] | None,
                    out: Path | None) -> None:
    """``ruralsim compare``: check everything, run, write the outputs atomically, print the table.

    Exit codes as in :mod:`experiments.cli.main`: 2 bad input (nothing runs), 1 when runs failed (the
    outputs are still written from the complete pairs) or the comparison could not finish, 130
    when interrupted (nothing is written).
    """
    import typer

    from experiments.cli.main import _crash, _fail
    from scenarios import ScenarioError, parse_set

    try:
        overrides = parse_set(set_ or [])
    except ScenarioError as exc:
        _fail("invalid --set: " + "; ".join(exc.problems))
    settings = CompareSettings(scenarios=list(scenarios or DEFAULT_SCENARIOS), reference=reference, reps=reps,
                               precision=precision, max_reps=max_reps, households=households, counties=counties,
                               years=years, seed_base=seed_base, overrides=overrides, workers=workers,
                               inprocess=inprocess)
    try:
        loaded = prepare(settings)
    except CompareError as exc:
        if len(exc.problems) == 1:
            _fail(f"cannot compare: {exc.problems[0]}.".replace("..", "."))
        _fail("cannot compare (" + f"{len(exc.problems)} problems):\n" + "\n".join(f"  {p}" for p in exc.problems))

    out_dir = out if out is not None else default_out_dir()
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        _fail(f"--out {out_dir} already exists and is not an empty directory; choose another --out (the default "
              "is a new runs/compare-<date>-<time> directory).")
    params = next(iter(loaded.values())).params
    how = (f"{settings.reps or DEFAULT_REPS} replications" if settings.precision is None else
           f"replications until the difference in cumulative relapse share is known to within "
           f"{settings.precision:g} (at most {settings.max_reps})")
    typer.echo(f"Comparing {', '.join(settings.scenarios)} against {settings.reference}: {how}, "
               f"{params.population.n_households:,} households in {params.population.n_counties} counties, "
               f"{params.sim.n_years} years from {params.sim.start_year}, seeds from {settings.seed_base}.",
               err=True)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.with_name(f".{out_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    bar = _Bar()
    try:
        try:
            comparison = run_comparison(settings, loaded, tmp, progress=bar.update,
                                        note=lambda text: bar.write(text))
        finally:
            bar.close()
        write_outputs(comparison, tmp)
        if out_dir.exists():
            out_dir.rmdir()
        tmp.rename(out_dir)
    except KeyboardInterrupt:
        shutil.rmtree(tmp, ignore_errors=True)
        typer.echo("\nInterrupted; nothing was written.", err=True)
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort):
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    except Exception as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        _crash("the comparison stopped", exc)

    typer.echo(text_table(comparison))
    pairing = pairing_summary(comparison)
    if pairing:
        typer.echo(f"\n{pairing}")
    if comparison.precision is not None:
        typer.echo(f"\n{precision_sentence(comparison)}")
    typer.echo(f"\n{comparison.n_reps} paired replications in {comparison.wall_time_s:.1f} s on "
               f"{comparison.workers_text}. Report: {out_dir / 'report.html'}")
    if len(comparison.failures):
        _fail(f"{len(comparison.failures)} run(s) failed; their seeds were left out of every scenario so that the "
              f"comparison stays paired. Errors and tracebacks are in {out_dir / 'store'}/*/failures.jsonl.",
              code=1)


def pairing_summary(comparison: Comparison) -> str:
    """One sentence on how much common random numbers narrowed the intervals."""
    ratios = [lookup(comparison.table, s, PRECISION_OUTCOME, "pairing_ratio")
              for s in comparison.settings.scenarios if s != comparison.settings.reference]
    ratios = [r for r in ratios if math.isfinite(r)]
    if not ratios:
        return ""
    lo, hi = min(ratios), max(ratios)
    span = f"{lo:.1f} times" if abs(hi - lo) < 0.05 else f"{lo:.1f} to {hi:.1f} times"
    return (f"Pairing by seed made the intervals of the differences in cumulative relapse share {span} narrower "
            "than comparing independent runs would.")


def precision_sentence(comparison: Comparison) -> str:
    """Whether --precision was reached, and with how many replications."""
    p = comparison.precision
    s = comparison.settings
    if p is None:
        return ""
    worst = max(p.half_widths.values()) if p.half_widths else math.nan
    if p.reached:
        return (f"Precision reached after {len(p.seeds)} replications ({len(p.history)} batches): every difference "
                f"in cumulative relapse share is known to within ±{worst * 100:.2f} percentage points "
                f"(target below ±{s.precision * 100:.2f}).")
    return (f"Precision NOT reached: stopped at the cap of {len(p.seeds)} replications with a largest half-width of "
            f"±{worst * 100:.2f} percentage points (target below ±{s.precision * 100:.2f}); raise --max-reps or "
            "relax --precision.")


class _Bar:
    """Runs done of runs planned, with ETA: tqdm on a terminal, a line every 15 s otherwise."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self.tty = sys.stderr.isatty()
        self.bar = tqdm(total=0, desc="compare", unit="run", file=sys.stderr, dynamic_ncols=True,
                        disable=not self.tty, smoothing=0.1)
        self.started = time.monotonic()
        self.last = self.started

    def update(self, done: int, total: int | None) -> None:
        if total is not None and total != self.bar.total:
            self.bar.total = total
            self.bar.refresh()
        self.bar.update(done - self.bar.n)
        now = time.monotonic()
        if not self.tty and total and (now - self.last >= 15 or done == total):
            self.last = now
            rate = done / max(now - self.started, 1e-9)
            eta = f"{(total - done) / rate:.0f} s" if rate > 0 else "?"
            print(f"compare: {done} of {total} runs, ETA {eta}", file=sys.stderr, flush=True)

    def write(self, text: str) -> None:
        if self.tty:
            self.bar.write(text, file=sys.stderr)
        else:
            print(text, file=sys.stderr, flush=True)

    def close(self) -> None:
        self.bar.close()
