"""Global sensitivity analysis of a stochastic model: sampling, replications, indices.

One pipeline, whatever is evaluated::

    sample (SALib ProblemSpec: Sobol', Morris or Latin hypercube)
      -> evaluate every sample point R times with paired seeds 1..R   (an Evaluator)
      -> mean over the replications per point                          (per-point mean)
      -> SALib analysis with bootstrap confidence intervals            (indices table)
      -> run-to-run noise share, convergence on nested sub-samples

The evaluator is pluggable (:mod:`experiments.sensitivity.evaluators`): :class:`StoreEvaluator` runs
the model through the batch-experiment store (so runs parallelise, resume and survive faults),
:class:`FunctionEvaluator` calls a Python function (the Ishigami check in
:mod:`experiments.sensitivity.ishigami`). Everything else is shared.

Replications. The model is stochastic: at a given point ``x`` an outcome ``Y`` varies from seed to
seed. Indices are computed on the per-point mean over R replications, which estimates E[Y | x].
Seeds are *paired*: replication r of every point uses seed ``seed_base + r - 1``, so points meet the
same random shocks where the parameters allow (common random numbers). The run-to-run noise is
reported next to the indices:

- ``noise_share`` = E[Var(Y | x)] / Var(Y): the share of the variance of single runs that is
  run-to-run noise (estimated by the mean within-point sample variance over the total variance
  of all runs); 0 for a deterministic model;
- ``noise_share_of_mean`` = (E[Var(Y | x)] / R) / Var(mean_R(Y | x)): the share of the variance
  of the per-point means, which the indices decompose, that is still noise. Indices of outputs
  where it is large are unreliable (raise R).

For the yes/no outcome ``large_scale_relapse`` the per-point mean is the estimated probability of
large-scale relapse at that point, so its indices say what drives that probability.

Convergence. Indices are recomputed on nested prefixes of the sample: for Sobol' the first k of
the N base rows (each a block of D + 2 rows of the Saltelli design; a prefix of a Sobol' sequence is
itself a Sobol' design), for Morris the first k trajectories, for the delta method the first k
Latin-hypercube rows.
"""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments import catalogue
from experiments.files import write_json
from experiments.sensitivity.evaluators import Evaluation, Evaluator
from experiments.sensitivity.problem import Problem

METHODS = ("sobol", "morris", "delta")
#: Grid levels of the Morris design (Saltelli et al. 2008, ch. 3: 4 levels with a jump of 2 levels).
MORRIS_LEVELS = 4
#: Bootstrap resamples for the confidence intervals of every index.
NUM_RESAMPLES = 200
#: Bootstrap resamples of the delta method: SALib's kernel-density estimator costs about a second per
#: resample for a few hundred points, so the delta intervals use fewer resamples.
DELTA_RESAMPLES = 20
#: Confidence level of the intervals.
CONF_LEVEL = 0.95
#: Index columns written per method (after ``output`` and ``parameter``).
INDEX_COLUMNS = {
    "sobol": ("S1", "S1_conf", "ST", "ST_conf"),
    "morris": ("mu_star", "mu_star_conf", "sigma", "mu"),
    "delta": ("delta", "delta_conf", "S1", "S1_conf"),
}
#: The index that ranks parameters, per method.
MAIN_INDEX = {"sobol": "ST", "morris": "mu_star", "delta": "delta"}
#: Smallest sample size per method (Sobol': base rows; Morris: trajectories; delta: rows).
MIN_N = {"sobol": 4, "morris": 2, "delta": 20}


class SensitivityError(ValueError):
    """Options of a study that cannot work (the message says which and what is allowed)."""


# --------------------------------------------------------------------------------------------
# Sampling
# --------------------------------------------------------------------------------------------


def salib_spec(problem: Problem) -> Any:
    """SALib's ``ProblemSpec`` of ``problem`` (names, bounds, outputs)."""
    from SALib import ProblemSpec

    data = problem.salib_problem()
    return ProblemSpec({"names": data["names"], "bounds": data["bounds"], "outputs": data["outputs"]})


def sample(problem: Problem, method: str, n: int, seed: int = 1) -> np.ndarray:
    """The design of ``method`` with base size ``n`` (rows are points, columns parameters).

    Sobol': Saltelli's scheme on a scrambled Sobol' sequence, ``n (D + 2)`` rows (first and total
    order indices; ``n`` should be a power of 2). Morris: ``n`` trajectories of ``D + 1`` rows on a
    4-level grid. Delta: a Latin hypercube of ``n`` rows.
    """
    if method not in METHODS:
        raise SensitivityError(f"method {method!r}: allowed are {', '.join(METHODS)}")
    if n < MIN_N[method]:
        raise SensitivityError(f"--n {n}: the {method} method needs at least {MIN_N[method]}")
    sp = salib_spec(problem)
    if method == "sobol":
        sp.sample_sobol(n, calc_second_order=False, seed=seed)
    elif method == "morris":
        sp.sample_morris(n, num_levels=MORRIS_LEVELS, seed=seed)
    else:
        sp.sample_latin(n, seed=seed)
    return np.asarray(sp.samples, dtype=float)


def block_size(method: str, n_params: int) -> int:
    """Rows per unit of ``n``: a Saltelli block (D + 2), a Morris trajectory (D + 1), or 1."""
    return {"sobol": n_params + 2, "morris": n_params + 1, "delta": 1}[method]


# --------------------------------------------------------------------------------------------
# Replications: per-point means and noise
# --------------------------------------------------------------------------------------------


def point_means(values: np.ndarray) -> np.ndarray:
    """Mean over the finished replications of each point (NaN when none finished)."""
    finished = np.isfinite(values)
    count = finished.sum(axis=1)
    total = np.where(finished, values, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def noise_shares(values: np.ndarray) -> dict[str, float]:
    """Run-to-run noise of one output, from (points, replications) values (see module docstring).

    Returns:
        ``var_runs`` (variance of all single runs), ``var_noise`` (mean within-point variance),
        ``var_means`` (variance of the per-point means), ``noise_share`` and
        ``noise_share_of_mean``; the noise figures are NaN with fewer than 2 replications.
    """
    v = np.asarray(values, dtype=float)
    finished = np.isfinite(v)
    all_runs = v[finished]
    var_runs = float(np.var(all_runs, ddof=1)) if all_runs.size > 1 else math.nan
    means = point_means(v)
    means = means[np.isfinite(means)]
    var_means = float(np.var(means, ddof=1)) if means.size > 1 else math.nan
    count = finished.sum(axis=1)
    ok = count >= 2
    if not ok.any():
        return {"var_runs": var_runs, "var_noise": math.nan, "var_means": var_means, "noise_share": math.nan,
                "noise_share_of_mean": math.nan}
    within = np.array([np.var(row[np.isfinite(row)], ddof=1) for row in v[ok]])
    var_noise = float(within.mean())
    r_mean = float(count[count > 0].mean())
    share = var_noise / var_runs if var_runs > 0 else (0.0 if var_noise == 0 else math.nan)
    share_mean = (var_noise / r_mean) / var_means if var_means > 0 else (0.0 if var_noise == 0 else math.nan)
    return {"var_runs": var_runs, "var_noise": var_noise, "var_means": var_means,
            "noise_share": min(share, 1.0) if math.isfinite(share) else share,
            "noise_share_of_mean": min(share_mean, 1.0) if math.isfinite(share_mean) else share_mean}


# --------------------------------------------------------------------------------------------
# Analysis
# --------------------------------------------------------------------------------------------


def analyse_output(problem: Problem, method: str, X: np.ndarray, y: np.ndarray, seed: int = 1,
                   num_resamples: int = NUM_RESAMPLES) -> dict[str, np.ndarray]:
    """SALib indices (with bootstrap confidence intervals) of one output's per-point means.

    Returns NaN indices when the output does not vary over the sample (nothing to decompose).
    """
    d = len(problem.parameters)
    columns = INDEX_COLUMNS[method]
    y = np.asarray(y, dtype=float)
    if not np.isfinite(y).all():
        raise SensitivityError(f"{int((~np.isfinite(y)).sum())} sample point(s) have no finished run; complete "
                               "them (--resume, --retry-failed) before the analysis")
    if np.ptp(y) == 0:
        return {c: np.full(d, np.nan) for c in columns}
    from SALib.analyze import delta as delta_analyze
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze

    salib = {k: v for k, v in problem.salib_problem().items() if k != "outputs"}
    if method == "sobol":
        res = sobol_analyze.analyze(salib, y, calc_second_order=False, num_resamples=num_resamples,
                                    conf_level=CONF_LEVEL, seed=seed)
    elif method == "morris":
        res = morris_analyze.analyze(salib, X, y, num_resamples=num_resamples, conf_level=CONF_LEVEL,
                                     num_levels=MORRIS_LEVELS, seed=seed)
    else:
        with contextlib.redirect_stdout(io.StringIO()):  # SALib prints bin-merging notices as it goes
            res = dict(delta_analyze.analyze(salib, X, y, num_resamples=min(num_resamples, DELTA_RESAMPLES),
                                             conf_level=CONF_LEVEL, seed=seed))
        if "delta" not in res:  # SALib >= 1.6 names Borgonovo's (unadjusted) estimator 'delta_raw'
            res["delta"], res["delta_conf"] = res["delta_raw"], res["delta_raw_conf"]
    return {c: np.asarray(res[c], dtype=float) for c in columns}


def spearman_direction(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Spearman rank correlation of each parameter with the per-point means (the sign of its effect)."""
    from scipy.stats import spearmanr

    out = np.full(X.shape[1], np.nan)
    if np.ptp(y) == 0:
        return out
    for j in range(X.shape[1]):
        if np.ptp(X[:, j]) > 0:
            out[j] = float(spearmanr(X[:, j], y).statistic)
    return out


def indices_table(problem: Problem, method: str, X: np.ndarray, means: Mapping[str, np.ndarray],
                  noise: Mapping[str, Mapping[str, float]], seed: int = 1,
                  num_resamples: int = NUM_RESAMPLES) -> pd.DataFrame:
    """One row per (output, parameter): the method's indices, direction, kind and noise shares."""
    rows = []
    for output in problem.outputs:
        res = analyse_output(problem, method, X, means[output], seed, num_resamples)
        direction = spearman_direction(X, means[output])
        for j, p in enumerate(problem.parameters):
            row: dict[str, Any] = {"output": output, "parameter": p.name, "kind": p.kind}
            row.update({c: float(res[c][j]) for c in INDEX_COLUMNS[method]})
            row["spearman"] = float(direction[j])
            row["noise_share"] = noise[output]["noise_share"]
            row["noise_share_of_mean"] = noise[output]["noise_share_of_mean"]
            rows.append(row)
    return pd.DataFrame(rows)


def wide_intervals(indices: pd.DataFrame, method: str) -> pd.DataFrame:
    """Per output and index: how many parameters have a 95% interval wider than the index itself.

    An interval wider than the index (half-width above the index's absolute value) includes zero:
    the sample cannot tell that parameter's effect from none, and the index's value, whatever it
    reads, is mostly bootstrap noise. Columns: ``output``, ``index``, ``wide`` (parameters with
    such an interval), ``total`` (parameters with a finite index), ``largest_conf`` (the widest
    half-width), ``outside`` (estimates outside [0, 1], where a Sobol' or delta index cannot lie).
    """
    pairs = [c for c in INDEX_COLUMNS[method] if f"{c}_conf" in INDEX_COLUMNS[method]]
    rows = []
    for output, t in indices.groupby("output", sort=False):
        for col in pairs:
            value = t[col].to_numpy(dtype=float)
            conf = t[f"{col}_conf"].to_numpy(dtype=float)
            ok = np.isfinite(value) & np.isfinite(conf)
            if not ok.any():
                continue
            bounded = col in ("S1", "ST", "delta")
            outside = int(np.sum((value[ok] < 0) | (value[ok] > 1))) if bounded else 0
            rows.append({"output": output, "index": col, "wide": int(np.sum(conf[ok] > np.abs(value[ok]))),
                         "total": int(ok.sum()), "largest_conf": float(conf[ok].max()), "outside": outside})
    return pd.DataFrame(rows, columns=["output", "index", "wide", "total", "largest_conf", "outside"])


def interval_warnings(indices: pd.DataFrame, method: str, lang: str | None = None) -> list[str]:
    """Sentences for the outputs whose indices have intervals wider than themselves (see :func:`wide_intervals`),
    in ``lang`` (None: the language in force)."""
    from experiments.i18n import tr

    out = []
    for _, r in wide_intervals(indices, method).iterrows():
        if not r["wide"] and not r["outside"]:
            continue
        key = f"sens.index.{r['index']}"
        what = tr(key, lang) if key in catalogue.MESSAGES else r["index"]
        outside = ""
        if r["outside"]:
            outside = tr("warn.sens.outside_one" if r["outside"] == 1 else "warn.sens.outside_many", lang,
                         k=r["outside"])
        out.append(tr("warn.sens.wide", lang, output=r["output"], wide=r["wide"], total=r["total"], what=what,
                      conf=r["largest_conf"], outside=outside))
    return out


def convergence_sizes(method: str, n: int) -> list[int]:
    """Nested sample sizes for the convergence check (the full ``n`` last)."""
    if method == "sobol":
        sizes = [n // 8, n // 4, n // 2, n]
    else:
        sizes = [n // 4, n // 2, (3 * n) // 4, n]
    return sorted({k for k in sizes if k >= MIN_N[method]} | {n})


def convergence_table(problem: Problem, method: str, n: int, X: np.ndarray, means: Mapping[str, np.ndarray],
                      seed: int = 1, num_resamples: int = NUM_RESAMPLES) -> pd.DataFrame:
    """Indices recomputed on nested prefixes of the sample: output, parameter, n, index, value, conf."""
    block = block_size(method, len(problem.parameters))
    main = MAIN_INDEX[method]
    conf = f"{main}_conf"
    rows = []
    for k in convergence_sizes(method, n):
        m = k * block
        for output in problem.outputs:
            try:
                res = analyse_output(problem, method, X[:m], means[output][:m], seed, num_resamples)
            except (ValueError, ZeroDivisionError, IndexError):  # a prefix too small for this method
                continue
            for j, p in enumerate(problem.parameters):
                rows.append({"output": output, "parameter": p.name, "n": k, "index": main,
                             "value": float(res[main][j]), "conf": float(res[conf][j])})
    return pd.DataFrame(rows, columns=["output", "parameter", "n", "index", "value", "conf"])


# --------------------------------------------------------------------------------------------
# A whole study
# --------------------------------------------------------------------------------------------


@dataclass
class Study:
    """A finished sensitivity study.

    Attributes:
        problem: The problem analysed.
        method, n, reps, seed: Design, base size, replications, sampling seed.
        X: The design (unrounded sample rows).
        evaluation: Outputs of every (point, replication).
        means: Output -> per-point mean over the replications.
        noise: Output -> noise figures (:func:`noise_shares`).
        indices: The indices table (:func:`indices_table`).
        convergence: Indices on nested sub-samples (:func:`convergence_table`).
    """

    problem: Problem
    method: str
    n: int
    reps: int
    seed: int
    X: np.ndarray
    evaluation: Evaluation
    means: dict[str, np.ndarray]
    noise: dict[str, dict[str, float]]
    indices: pd.DataFrame
    convergence: pd.DataFrame
    wall_time_s: float = 0.0

    @property
    def warnings(self) -> list[str]:
        """Outputs whose indices the sample cannot tell from zero (:func:`interval_warnings`), in the language in
        force."""
        return interval_warnings(self.indices, self.method)

    def points_table(self) -> pd.DataFrame:
        """One row per sample point: values run, per-output mean and sd over replications."""
        rows = []
        for i, row in enumerate(self.X):
            rec: dict[str, Any] = {"point": i, **self.problem.point_values(row)}
            for o in self.problem.outputs:
                v = self.evaluation.values[o][i]
                v = v[np.isfinite(v)]
                rec[f"{o}_mean"] = float(v.mean()) if v.size else math.nan
                rec[f"{o}_sd"] = float(v.std(ddof=1)) if v.size > 1 else math.nan
                rec[f"{o}_reps"] = int(v.size)
            rows.append(rec)
        return pd.DataFrame(rows)

    def noise_table(self) -> pd.DataFrame:
        return pd.DataFrame([{"output": o, **self.noise[o]} for o in self.problem.outputs])


def run_study(problem: Problem, method: str, n: int, evaluator: Evaluator, reps: int | None = None,
              seed: int = 1, seed_base: int = 1, num_resamples: int = NUM_RESAMPLES,
              convergence: bool = True) -> Study:
    """Sample, evaluate with ``reps`` paired seeds, average, analyse (see the module docstring).

    Args:
        problem: What to vary and which outputs to analyse.
        method: ``sobol``, ``morris`` or ``delta``.
        n: Base sample size (Sobol' base rows, Morris trajectories, delta rows).
        evaluator: A :class:`StoreEvaluator`, :class:`FunctionEvaluator` or anything alike.
        reps: Replications per point (default: the problem's).
        seed: Seed of the design and of the bootstrap.
        seed_base: Seed of the first replication; replication r uses ``seed_base + r - 1``.
        convergence: Also recompute the indices on nested sub-samples (an empty table otherwise).
    """
    import time

    t0 = time.perf_counter()
    reps = problem.reps if reps is None else reps
    if reps < 1:
        raise SensitivityError(f"--seeds {reps}: at least 1 replication per point is needed")
    X = sample(problem, method, n, seed)
    seeds = list(range(seed_base, seed_base + reps))
    evaluation = evaluator(problem, X, seeds)
    means = {o: point_means(evaluation.values[o]) for o in problem.outputs}
    noise = {o: noise_shares(evaluation.values[o]) for o in problem.outputs}
    indices = indices_table(problem, method, X, means, noise, seed, num_resamples)
    conv = convergence_table(problem, method, n, X, means, seed, num_resamples) if convergence else \
        pd.DataFrame(columns=["output", "parameter", "n", "index", "value", "conf"])
    return Study(problem, method, n, reps, seed, X, evaluation, means, noise, indices, conv,
                 time.perf_counter() - t0)


def manifest_data(study: Study) -> dict[str, Any]:
    """What was analysed and how (written as ``manifest.json``)."""
    from model.results import environment

    env = environment()
    p = study.problem
    return {
        "format": "ruralsim-sensitivity/1", "problem": p.name, "problem_file": str(p.path) if p.path else None,
        "base": p.base, "size": dict(p.size), "method": study.method, "n": study.n, "reps": study.reps,
        "seeds": study.evaluation.seeds, "sample_seed": study.seed, "rows": int(len(study.X)),
        "parameters": [{"name": q.name, "kind": q.kind, "lo": q.lo, "hi": q.hi, "integer": q.integer,
                        "derived": q.derived} for q in p.parameters],
        "withdrawal": {"start_year": p.start_year, "levers": list(p.withdrawal_levers)},
        "outputs": list(p.outputs), "conf_level": CONF_LEVEL, "num_resamples": NUM_RESAMPLES,
        "failed_runs": study.evaluation.n_failed, "evaluation": study.evaluation.info,
        "wall_time_s": round(study.wall_time_s, 2), "code": env["git"], "python": env["python"],
    }


def write_tables(study: Study, directory: Path, fmt: str = "csv") -> list[Path]:
    """indices, convergence, noise and points tables (``fmt``: csv or parquet) and manifest.json in ``directory``."""
    from experiments.tables import write_table

    directory = Path(directory)
    out = []
    for name, frame in (("indices", study.indices), ("convergence", study.convergence),
                        ("noise", study.noise_table()), ("points", study.points_table())):
        out.append(write_table(frame, directory, name, fmt))
    path = directory / "manifest.json"
    write_json(path, manifest_data(study))
    out.append(path)
    return out

