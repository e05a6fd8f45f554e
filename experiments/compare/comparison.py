"""Comparing policy paths fairly: ``ruralsim compare``.

Every scenario is run with the same seeds (replications), so that replication *i* of every
scenario meets the same illness, disasters, prices and job losses (common random numbers, see
``model.rng``). Differences are therefore taken *seed by seed* against a reference scenario, which
removes the shared noise from the comparison.

For every scalar outcome of a run (``model.metrics.SUMMARY_KEYS``, plus ``relapse_events_total``,
the household relapses of all years at province scale) the comparison reports, per scenario:

- the mean over replications with its 95% interval, which stays inside the outcome's declared
  range (:mod:`experiments.outcomes`): Wilson's for yes/no outcomes such as
  ``large_scale_relapse`` (the mean is then the probability), a logit-scale t interval for shares,
  rates and probabilities, a log-scale one for counts and money
  (:func:`experiments.compare.statistics.outcome_interval`);
- the paired difference from the reference (mean of the seed-by-seed differences) with its 95% t
  interval, kept within the range a difference can take; for yes/no outcomes the difference
  interval is Newcombe's score interval for paired proportions (Newcombe 1998, method 10);
- how much pairing narrowed the interval of the difference: the ratio of the half-width an
  unpaired (Welch) comparison of the same runs would give to the paired half-width.

With ``--precision X`` replications are added in batches until the half-width of the paired
difference in ``relapse_cum_share`` is below X for every scenario against the reference, or a cap
is reached (:func:`run_until_precise`).

Runs go through the experiment runner (:mod:`experiments.batch.runner`): local worker processes by
default, each batch a result store under ``store/`` in the output directory, so a run that raises
is recorded with its traceback and a worker that dies has its run retried. A seed whose runs did not
all finish is left out of every scenario (pairs stay complete) and the report says so.

Outputs (:mod:`experiments.compare.outputs`, written under a temporary name, then renamed):
``comparison.csv`` (tidy: scenario, outcome, statistic, value), ``runs.csv`` (one row per run), ``annual_bands.csv``,
``county_relapse.csv``, ``three_excesses.csv``, ``manifest.json``, PNG figures and the
self-contained policy brief ``report.html`` (see :mod:`experiments.compare.report`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.compare.excesses import three_excesses_probability
from experiments.compare.statistics import (
    LEVEL,
    outcome_interval,
    paired_difference,
    replication_warnings,
    replications_needed,
    t_interval,
)
from experiments.outcomes import outcome_range
from scenarios import ProblemsError

#: Scenarios compared when none are named.
DEFAULT_SCENARIOS = ("transition", "continuation", "gradual_phaseout", "abrupt_withdrawal")
DEFAULT_REFERENCE = "transition"
#: Replications when neither --seeds nor --precision is given (about a minute on 2 cores).
DEFAULT_REPS = 20
#: --precision: replications of the first batch, fewest added per batch, and the default cap.
PRECISION_START = 10
PRECISION_MIN_BATCH = 5
PRECISION_CAP = 200
#: Largest --seeds accepted.
MAX_REPS = 10_000
#: Outcome whose paired-difference half-width --precision controls.
PRECISION_OUTCOME = "relapse_cum_share"
#: Derived outcome: household relapses summed over the years (province scale, real households).
RELAPSE_EVENTS = "relapse_events_total"
#: The probability of large-scale relapse (per run, a probability: model.metrics), the report's headline risk.
BINARY_OUTCOME = "large_scale_relapse"
#: Headline outcomes of the report, in order.
HEADLINE = ("relapse_rate_peak", "relapse_cum_share", "large_scale_relapse", "poverty_rate_final",
            "fiscal_cost_total_yuan", "three_excesses_years")
#: Every statistic of the tidy comparison table (see :func:`analyse`).
STATISTICS = ("n", "mean", "sd", "ci_low", "ci_high", "half_width", "median", "p10", "p90", "probability",
              "wilson_low", "wilson_high", "diff_mean", "diff_sd", "diff_ci_low", "diff_ci_high", "diff_half_width",
              "unpaired_half_width", "pairing_ratio", "cost_per_relapse_averted")


class CompareError(ProblemsError):
    """Invalid options of a comparison: every problem found, one per item."""


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


def analyse(runs: pd.DataFrame, scenarios: Sequence[str], reference: str, level: float = LEVEL,
            sizes: dict[str, tuple[int, int]] | None = None) -> pd.DataFrame:
    """The tidy comparison table: one row per (scenario, outcome, statistic).

    Statistics per scenario and outcome: ``n``, ``mean``, ``sd``, ``ci_low``, ``ci_high``,
    ``half_width`` (the interval of the mean, inside the outcome's declared range:
    :func:`~experiments.compare.statistics.outcome_interval`), ``median``, ``p10``, ``p90``; for
    yes/no outcomes (``large_scale_relapse``) the mean is the probability, also given as
    ``probability``, ``wilson_low``, ``wilson_high``; for every scenario but the reference
    ``diff_mean``, ``diff_sd``, ``diff_ci_low``, ``diff_ci_high``, ``diff_half_width`` (paired),
    ``unpaired_half_width`` and ``pairing_ratio``. For ``fiscal_cost_total_yuan`` the scenario
    rows also carry ``cost_per_relapse_averted`` (extra yuan per household relapse averted, ratio
    of the mean differences; NaN unless the scenario averts relapses at a cost, or saves money
    at the price of extra relapses). The names are :data:`STATISTICS`.

    ``sizes`` gives each scenario's (years, counties), which bound counts of years and county-years.
    Only seeds complete in every scenario are used.
    """
    seeds = complete_seeds(runs, scenarios)
    used = runs[runs["seed"].isin(seeds)]
    rows: list[tuple[str, str, str, float]] = []
    outcomes = outcome_columns(used)
    wide = {o: used.pivot(index="seed", columns="scenario", values=o).astype(float) for o in outcomes}
    for name in scenarios:
        years, counties = (sizes or {}).get(name, (None, None))
        for outcome in outcomes:
            declared = outcome_range(outcome, years, counties)
            x = wide[outcome][name].to_numpy()
            iv = outcome_interval(x, declared, level)
            finite = x[np.isfinite(x)]
            stats = {"n": iv.n, "mean": iv.mean, "sd": iv.sd, "ci_low": iv.low, "ci_high": iv.high,
                     "half_width": iv.half_width,
                     "median": float(np.median(finite)) if len(finite) else math.nan,
                     "p10": float(np.quantile(finite, 0.1)) if len(finite) else math.nan,
                     "p90": float(np.quantile(finite, 0.9)) if len(finite) else math.nan}
            if declared.kind == "binary":
                stats.update({"probability": iv.mean, "wilson_low": iv.low, "wilson_high": iv.high})
            if name != reference:
                d = paired_difference(x, wide[outcome][reference].to_numpy(), level, declared=declared)
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
    """One value of the tidy comparison table; NaN when the statistic does not apply (the difference of
    the reference from itself, the probability of an outcome that is not yes/no).

    Raises:
        KeyError: For a statistic, scenario or outcome the table does not know, with the valid names.
    """
    if statistic not in STATISTICS:
        raise KeyError(f"unknown statistic {statistic!r}; the statistics are {', '.join(STATISTICS)}")
    for column, value in (("scenario", scenario), ("outcome", outcome)):
        known = table[column].unique()
        if value not in known:
            raise KeyError(f"unknown {column} {value!r}; the table has {', '.join(map(str, known))}")
    hit = table[(table["scenario"] == scenario) & (table["outcome"] == outcome) & (table["statistic"] == statistic)]
    return float(hit["value"].iloc[0]) if len(hit) else math.nan


def warnings_for(n_reps: int, outcomes: Sequence[str], lang: str | None = None) -> list[str]:
    """What ``n_reps`` paired replications are too few for (the intervals, the probability of a yes/no
    outcome among ``outcomes``, the 10%-90% bands), as sentences in ``lang`` (None: the language in force)."""
    from experiments.outcomes import declared

    wanted = ["interval", "quantiles"]
    # a yes/no outcome, or a probability per run (large-scale relapse), averages to a probability
    if any(declared(o).kind == "binary" or o == BINARY_OUTCOME or o.startswith("large_scale_p_") for o in outcomes):
        wanted.insert(1, "probability")
    return replication_warnings(n_reps, wanted, lang)


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
                      relapse_rate_est_mean=("relapse_rate_est", "mean"),
                      relapsing_persons_est_mean=("relapsing_persons_est", "mean"),
                      p_large_scale_mean=("p_large_scale", "mean"),
                      large_scale_share=("large_scale", "mean"), n=("relapse_rate", "size")).reset_index()
    return out


def exceedance_curve(table: pd.DataFrame, scenarios: Sequence[str]) -> pd.DataFrame:
    """The probability of large-scale relapse against the county-year threshold (1% to 10%), per
    scenario: the mean of the runs' probabilities at each threshold (``large_scale_p_NN``) with its
    interval (inside [0, 1])."""
    from model.metrics import EXCEEDANCE_KEYS, EXCEEDANCE_THRESHOLDS

    known = set(table["outcome"].unique())
    rows = []
    for name in scenarios:
        for threshold, key in zip(EXCEEDANCE_THRESHOLDS, EXCEEDANCE_KEYS, strict=True):
            if key not in known:
                continue
            rows.append({"scenario": name, "threshold": threshold,
                         **{stat: lookup(table, name, key, stat) for stat in ("mean", "ci_low", "ci_high", "n")}})
    return pd.DataFrame(rows, columns=["scenario", "threshold", "mean", "ci_low", "ci_high", "n"])


def three_excesses_table(annual: pd.DataFrame, seeds: Sequence[int]) -> pd.DataFrame:
    """Probability (share of replications, with Wilson's interval) that the three excesses hold, per
    scenario and year, and which of the three comparisons decides it
    (:func:`experiments.compare.excesses.three_excesses_probability`)."""
    return three_excesses_probability(annual, seeds)


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
        ensemble: With ``--parameter-uncertainty``, the parameter ensemble
            (:class:`experiments.fit.ensemble.Ensemble`): each replication runs the set drawn for its
            seed (:func:`experiments.fit.ensemble.draw_index`) in every scenario.
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
    ensemble: Any = None

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
        problems.append(f"--seeds {settings.reps} and --precision {settings.precision:g} cannot be combined: give "
                        "--seeds N for a fixed number of replications, or --precision X to add replications until "
                        "the interval of the difference in cumulative relapse share is narrower than X")
    if settings.reps is not None and not 2 <= settings.reps <= MAX_REPS:
        problems.append(f"--seeds {settings.reps}: allowed 2 to {MAX_REPS:,} (an interval needs at least 2 "
                        "replications)")
    if settings.precision is not None and not (math.isfinite(settings.precision) and 0 < settings.precision < 1):
        problems.append(f"--precision {settings.precision:g}: must be a share strictly between 0 and 1, the "
                        "half-width of the 95% interval of the difference in cumulative relapse share "
                        "(e.g. 0.005 for half a percentage point)")
    if settings.precision is None and settings.max_reps != PRECISION_CAP:
        problems.append(f"--max-seeds {settings.max_reps} applies only with --precision; use --seeds N for a fixed "
                        "number of replications")
    if not 2 <= settings.max_reps <= MAX_REPS:
        problems.append(f"--max-seeds {settings.max_reps}: allowed 2 to {MAX_REPS:,}")
    if settings.precision is not None and settings.max_reps < PRECISION_START:
        problems.append(f"--max-seeds {settings.max_reps}: must be at least {PRECISION_START}, the first batch "
                        "of --precision")
    if settings.workers is not None and settings.workers < 1:
        problems.append(f"--workers {settings.workers}: must be a whole number >= 1")
    if settings.workers is not None and settings.inprocess:
        problems.append("--workers and --in-process cannot be combined: choose worker processes or this process")
    most = settings.max_reps if settings.precision is not None else (settings.reps or DEFAULT_REPS)
    if settings.seed_base < 0 or settings.seed_base + most > 2**63 - 1:
        problems.append(f"--first-seed {settings.seed_base}: must be a whole number >= 0 (seeds run from it upward)")

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
    if settings.ensemble is not None and not problems:
        problems += _ensemble_problems(settings, loaded, most)
    if problems:
        # the same problem (e.g. a bad --set) is found once per scenario: report it once
        raise CompareError(list(dict.fromkeys(problems)))
    settings.scenarios = names
    settings.reference = reference
    return loaded


def _ensemble_problems(settings: CompareSettings, loaded: dict[str, Any], most: int) -> list[str]:
    """Every parameter set the replications may draw must build every scenario; no --set of a drawn parameter."""
    from experiments.fit.ensemble import draws
    from model.params import ParamsError

    ens = settings.ensemble
    label = ens.source or "the ensemble"
    clash = [p for p in ens.paths if p in settings.overrides]
    if clash:
        return [f"--set {', '.join(clash)}: drawn from {label} with --parameter-uncertainty; leave it out of --set"]
    problems = []
    wanted = sorted(set(draws(ens, range(settings.seed_base, settings.seed_base + most)).values()))
    for name, scenario in loaded.items():
        for index in wanted:
            try:
                scenario.params.with_overrides(ens.overrides(index), origin=f"{label}, particle {ens.particles[index]}")
            except ParamsError as exc:
                problems += [f"scenario {name!r}: {p}" for p in exc.problems]
    return problems


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
    uncertainty: pd.DataFrame | None = None

    @property
    def n_reps(self) -> int:
        return len(self.seeds)

    @property
    def warnings(self) -> list[str]:
        """What the replications are too few for, in the language in force (empty when they are enough)."""
        return warnings_for(self.n_reps, outcome_columns(self.runs))

    @property
    def all_seeds(self) -> list[int]:
        return sorted(int(s) for s in self.runs["seed"].unique()) if len(self.runs) else []


class _Batches:
    """Runs batches of seeds through the experiment runner, one result store per batch."""

    def __init__(self, settings: CompareSettings, store_dir: Path, executor: Any,
                 progress: Callable[[int], None] | None, first_years: dict[str, int] | None = None):
        self.settings = settings
        # each scenario's outcome years start here (a history before them is not compared)
        self.first_years = first_years or {}
        self.store_dir = store_dir
        self.executor = executor
        self.progress = progress
        self.annual: list[pd.DataFrame] = []
        self.counties: list[pd.DataFrame] = []
        self.failures: list[pd.DataFrame] = []
        self.runs: list[pd.DataFrame] = []

    def __call__(self, seeds: list[int]) -> pd.DataFrame:
        ens = self.settings.ensemble
        if ens is None:
            return self._batch(seeds, {}, "")
        from experiments.fit.ensemble import draws

        # one store per drawn parameter set: a set's overrides apply to all its seeds and scenarios
        by_set: dict[int, list[int]] = {}
        for seed, index in draws(ens, seeds).items():
            by_set.setdefault(index, []).append(seed)
        frames = []
        for index, group in by_set.items():
            runs = self._batch(group, ens.overrides(index), f"-set{ens.particles[index]}")
            frames.append(runs.assign(parameter_set=ens.particles[index]))
            self.runs[-1] = frames[-1]
        return pd.concat(frames, ignore_index=True)

    def _batch(self, seeds: list[int], parameters: dict[str, Any], suffix: str) -> pd.DataFrame:
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
        if parameters:
            # a drawn parameter set replaces the fitted parameters over the whole run, the baseline's
            # 2017-2020 history included (a dated path in 'parameters' would change from 2021 only)
            data["history_parameters"] = dict(parameters)
        spec = validate(data, label="compare")
        directory = self.store_dir / f"batch-{number:02d}{suffix}"
        session = ExperimentSession(spec, directory)
        done_before = sum(len(r) for r in self.runs) + sum(len(f) for f in self.failures)

        def progress(done: int, failed: int, total: int) -> None:
            if self.progress is not None:
                self.progress(done_before + done + failed)

        session.run(self.executor, progress=progress)
        results = load(directory)
        runs = results.runs.copy()
        annual = self._outcome_years(results.annual)
        if len(runs):
            events = annual.groupby("run_id")["n_relapse_households"].sum()
            runs[RELAPSE_EVENTS] = runs["run_id"].map(events).astype(float)
        self.runs.append(runs)
        self.annual.append(annual)
        self.counties.append(self._outcome_years(results.counties))
        self.failures.append(results.failures)
        return runs

    def _outcome_years(self, frame: pd.DataFrame) -> pd.DataFrame:
        if not len(frame) or not self.first_years:
            return frame
        first = frame["scenario"].map(self.first_years).fillna(frame["year"].min())
        return frame[frame["year"] >= first].reset_index(drop=True)


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
    from experiments.batch.executors import make_executor

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
        batches = _Batches(settings, work_dir / "store", executor, tick,
                           {n: scenarios[n].params.sim.first_outcome_year for n in names})
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
    sizes = {n: (scenarios[n].params.sim.n_years, scenarios[n].params.population.n_counties) for n in names}
    table = analyse(runs, names, settings.reference, sizes=sizes)
    uncertainty = None
    if settings.ensemble is not None:
        from experiments.compare.uncertainty import uncertainty_table

        uncertainty = uncertainty_table(runs, names, settings.reference, outcome_columns(runs), seeds)
    return Comparison(settings, scenarios, runs, annual, counties, seeds, table, failures, precision,
                      time.perf_counter() - t0, workers_text, uncertainty)
