"""``ruralsim calibrate --method abc``: an ensemble of parameter sets by ABC-SMC (pyabc).

Instead of one best point (differential evolution, :mod:`experiments.fit.calibrate`), approximate
Bayesian computation by sequential Monte Carlo (Toni et al. 2009; Klinger, Rickert & Hasenauer
2018, the ``pyabc`` package) gives weighted parameter sets whose spread says how well the
2017-2020 targets pin the parameters down.

- **Priors**: independent uniforms over the free parameters' search ranges
  (:data:`experiments.fit.calibrate.FREE_PARAMETERS`, each with its stated reason).
- **Distance**: the project's distance in tolerance units
  (:func:`experiments.fit.targets.distance`), of the mean over ``--seeds`` replications on common
  random numbers, as in the point fit; a candidate whose parameters cannot build a province gets
  :data:`~experiments.fit.calibrate.INFEASIBLE_DISTANCE`.
- **Schedule**: generation 0 takes ``--population`` particles from the prior (no threshold);
  each later generation's threshold is the weighted median distance of the one before (pyabc's
  ``QuantileEpsilon``, alpha 0.5), perturbed by a multivariate normal kernel fitted to the last
  population. The fit stops after ``--generations`` generations or when ``--budget`` simulated
  candidates are used up (the last generation is then the last complete one).
- **Reproducible**: one process, pyabc's single-core sampler, NumPy's global generator seeded
  with ``--design-seed``: the same options give the same particles.

The result: the last population's particles (parameter values, importance weights, distance,
per-target means), written as an ensemble file (:mod:`experiments.fit.ensemble`); the report adds
the in-sample table of the ensemble (weighted mean of each target over particles, the 90% range
over particles, the share of particle weight within tolerance) and the out-of-sample checks
(targets after 2020 that are never fitted: run on parameter sets drawn from the ensemble).
"""

from __future__ import annotations

import json
import logging
import math
import random
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

import model
from experiments.fit.calibrate import INFEASIBLE_DISTANCE, FreeParameter, calibration_params
from experiments.fit.ensemble import Ensemble, draw_index, ensemble_text
from experiments.fit.replications import replicate, target_rows
from experiments.fit.targets import Target, TargetError, distance, passes, read_all
from experiments.report import markdown_table, number, render
from model.params import ParamsError
from scenarios.inputs import file_label

#: Parameter sets drawn from the ensemble for the out-of-sample checks.
CHECK_DRAWS = 20


def _quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(w[order])
    k = int(np.searchsorted(cum, q * cum[-1] - 1e-12))
    return float(x[order[min(k, len(order) - 1)]])


class _Simulator:
    """The model pyabc calls: target means of one candidate, and a count of evaluations."""

    def __init__(self, base: model.Params, free: Sequence[FreeParameter], targets: Sequence[Target],
                 seeds: Sequence[int], budget: int, progress: Callable[[int, int, float], None] | None):
        self.base, self.free, self.targets, self.seeds = base, list(free), list(targets), list(seeds)
        self.budget, self.progress = budget, progress
        self.evaluated = 0
        self.checked = False
        self.names = [f"p{i}" for i in range(len(self.free))]

    def __call__(self, par: Any) -> dict[str, float]:
        x = {p.path: float(par[n]) for p, n in zip(self.free, self.names, strict=True)}
        self.evaluated += 1
        try:
            params = self.base.with_overrides(x, origin="ABC candidate")
            reps = replicate(params, self.seeds, None if self.checked else self.targets)
        except (ParamsError, ValueError) as exc:
            if isinstance(exc, TargetError):
                raise
            stats = {t.id: math.nan for t in self.targets}
            stats["infeasible"] = 1.0
            return stats
        self.checked = True
        stats = {r["id"]: float(r["simulated_mean"]) for r in target_rows(self.targets, reps)}
        stats["infeasible"] = 0.0
        return stats

    def distance(self, x: dict[str, float], _observed: dict[str, float]) -> float:
        if x.get("infeasible", 0.0) > 0:
            d = INFEASIBLE_DISTANCE
        else:
            d, _ = distance(self.targets, [x[t.id] for t in self.targets])
        if self.progress is not None:
            self.progress(self.evaluated, self.budget, d)
        return d


def run_abc(scenario: str, target_paths: Sequence[Path], population: int, generations: int, budget: int,
            seeds: int, households: int | None, counties: int | None, seed: int = 1,
            free: Sequence[FreeParameter] | None = None, progress=None, seed_base: int = 1,
            overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run ABC-SMC; returns the last population and what it took (no files)."""
    import pyabc
    from pyabc.sampler import SingleCoreSampler

    from experiments.fit.calibrate import FREE_PARAMETERS

    free = list(FREE_PARAMETERS if free is None else free)
    base, targets = calibration_params(scenario, target_paths, households, counties, overrides)
    sim = _Simulator(base, free, targets, range(seed_base, seed_base + seeds), budget, progress)
    prior = pyabc.Distribution(**{n: pyabc.RV("uniform", p.lo, p.hi - p.lo)
                                  for n, p in zip(sim.names, free, strict=True)})
    for name in ("ABC", "pyabc", "Sampler", "Epsilon", "History", "Distance", "Acceptor", "Transitions"):
        logging.getLogger(name).setLevel(logging.WARNING)
    # pyabc draws from NumPy's global generator: seeding it makes the fit reproducible
    np.random.seed(seed % 2**32)  # noqa: NPY002
    random.seed(seed)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ruralsim-abc-") as tmp:
        abc = pyabc.ABCSMC(sim, prior, sim.distance, population_size=population,
                           eps=pyabc.QuantileEpsilon(initial_epsilon=math.inf, alpha=0.5),
                           sampler=SingleCoreSampler(check_max_eval=True))
        observed = {t.id: float((t.lo + t.hi) / 2) for t in targets}
        observed["infeasible"] = 0.0
        abc.new(f"sqlite:///{Path(tmp) / 'abc.db'}", observed)
        with warnings.catch_warnings():
            # pyabc compares the first finite threshold with the infinite one of generation 0
            warnings.filterwarnings("ignore", "invalid value encountered in scalar subtract", RuntimeWarning)
            history = abc.run(max_nr_populations=generations, max_total_nr_simulations=budget)
        t_last = history.max_t
        pop = history.get_population(t_last)
        particles = pop.particles
        pops = history.get_all_populations()
        gens = [{"generation": int(r.t), "epsilon": float(r.epsilon), "simulations": int(r.samples),
                 "particles": int(r.particles)}
                for r in pops.itertuples() if int(r.t) >= 0]
        nr_sims = int(history.total_nr_simulations)
    wall = time.perf_counter() - t0
    if not particles:
        raise ValueError("ABC-SMC produced no particles; raise --budget or --population")
    values = np.array([[float(p.parameter[n]) for n in sim.names] for p in particles])
    weights = np.array([float(p.weight) for p in particles])
    weights = weights / weights.sum()
    dists = np.array([float(p.distance) for p in particles])
    stats = [{t.id: float(p.sum_stat[t.id]) for t in targets} for p in particles]
    return {
        "scenario": scenario, "free": free, "targets": targets, "base": base,
        "paths": [p.path for p in free], "values": values, "weights": weights, "distances": dists,
        "stats": stats, "generations": gens, "overrides": dict(overrides or {}),
        "meta": {"algorithm": "ABC-SMC (pyabc " + pyabc.__version__ + ")", "population": population,
                 "generations_asked": generations, "generations": len(gens), "budget": budget,
                 "evaluated": nr_sims, "seeds": list(sim.seeds), "seed": seed,
                 "households": base.population.n_households, "counties": base.population.n_counties,
                 "years": f"{base.sim.start_year}-{base.sim.end_year}", "final_epsilon": gens[-1]["epsilon"],
                 "wall_time_s": wall, "targets": [file_label(p) for p in target_paths],
                 "date": f"{datetime.now():%Y-%m-%d}"},
    }


def as_ensemble(result: dict[str, Any]) -> Ensemble:
    return Ensemble(tuple(result["paths"]), result["values"], result["weights"],
                    tuple(range(len(result["weights"]))), result["distances"], {}, "")


def ensemble_table(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The in-sample table of the ensemble: per target, the weighted mean over particles of the
    particles' means, the 90% range over particles, whether the weighted mean passes, and the share
    of particle weight whose own mean passes."""
    w = result["weights"]
    rows = []
    for t in result["targets"]:
        x = np.array([s[t.id] for s in result["stats"]], dtype=float)
        ok = np.isfinite(x)
        mean = float(np.dot(w[ok], x[ok]) / w[ok].sum()) if ok.any() else math.nan
        rows.append({"id": t.id, "indicator": t.indicator, "year": t.year_text, "value": t.value_text,
                     "tolerance": t.tolerance, "relative_tolerance": t.relative, "mean": mean,
                     "p05": _quantile(x[ok], w[ok], 0.05) if ok.any() else math.nan,
                     "p95": _quantile(x[ok], w[ok], 0.95) if ok.any() else math.nan,
                     "pass": bool(passes(t, mean)),
                     "weight_within": float(sum(wi for wi, xi in zip(w, x, strict=True) if passes(t, xi)))})
    return rows


def check_draws(ensemble: Ensemble, n: int) -> list[int]:
    """``n`` parameter sets of the ensemble for the checks: the draws of seeds 1, 3, 5, ... (one per
    draw group, :func:`experiments.fit.ensemble.draw_index`)."""
    return [draw_index(ensemble, 2 * k + 1) for k in range(n)]


def out_of_sample(result: dict[str, Any], check_paths: Sequence[Path], draws: int = CHECK_DRAWS,
                  progress: Callable[[int, int], None] | None = None) -> list[dict[str, Any]]:
    """Run the checks (targets never fitted, e.g. after 2020) on parameter sets drawn from the
    ensemble, each over the fit's seeds; per target the mean over all those runs, the 90% range of
    the per-set means, and pass/fail of the mean."""
    base: model.Params = result["base"]
    first = base.sim.start_year
    checks = read_all(check_paths)
    last = max((t.years[1] for t in checks if t.years is not None), default=base.sim.end_year)
    horizon = max(1, last - base.sim.first_outcome_year + 1)
    ens = as_ensemble(result)
    picks = check_draws(ens, min(draws, max(1, len(ens))))
    per_set: dict[str, list[float]] = {t.id: [] for t in checks}
    for k, index in enumerate(picks):
        params = base.with_overrides({**ens.overrides(index), "sim.n_years": horizon}, origin="ensemble check")
        reps = replicate(params, result["meta"]["seeds"], checks if k == 0 else None)
        for row in target_rows(checks, reps):
            per_set[row["id"]].append(row["simulated_mean"])
        if progress is not None:
            progress(k + 1, len(picks))
    rows = []
    for t in checks:
        x = np.asarray(per_set[t.id], dtype=float)
        mean = float(x.mean())
        rows.append({"id": t.id, "indicator": t.indicator, "year": t.year_text, "value": t.value_text,
                     "tolerance": t.tolerance, "relative_tolerance": t.relative, "mean": mean,
                     "p05": float(np.quantile(x, 0.05)), "p95": float(np.quantile(x, 0.95)),
                     "pass": bool(passes(t, mean)), "source": t.source, "sets": len(picks),
                     "years": f"{first}-{first + (base.sim.first_outcome_year - first) + horizon - 1}"})
    return rows


def ensemble_file_text(result: dict[str, Any]) -> str:
    meta = result["meta"]
    manifest = {
        "fit": f"{meta['algorithm']} of scenario '{result['scenario']}' by 'ruralsim calibrate --method abc'",
        "date": meta["date"],
        "targets": ", ".join(meta["targets"]) + f" ({len(result['targets'])} fittable targets)",
        "distance": "sum of w*((mean - target)/tolerance)^2 / sum of w over the targets (0 inside an interval)",
        "final_epsilon": f"{meta['final_epsilon']:.6g}",
        "households": str(meta["households"]), "counties": str(meta["counties"]), "years": meta["years"],
        "seeds": " ".join(map(str, meta["seeds"])), "design_seed": str(meta["seed"]),
        "population": str(meta["population"]), "generations": str(meta["generations"]),
        "simulations": str(meta["evaluated"]), "wall_time_s": f"{meta['wall_time_s']:.0f}",
        "priors": "; ".join(f"{p.path} uniform [{p.lo:g}, {p.hi:g}]" for p in result["free"]),
    }
    if result["overrides"]:
        manifest["overrides"] = json.dumps(result["overrides"], sort_keys=True, default=str)
    return ensemble_text(result["paths"], result["values"], result["weights"], result["distances"], manifest)


def write_outputs(result: dict[str, Any], out: Path, checks: list[dict[str, Any]] | None = None,
                  lang: str | None = None) -> None:
    """``ensemble.csv``, ``fit_report.md``/``.html`` (priors, posterior summary, generations,
    in-sample table of the ensemble, checks), ``abc.json`` and ``manifest.json``."""
    from experiments.i18n import resolve, tr

    lang = resolve(lang)
    meta = result["meta"]
    (out / "ensemble.csv").write_text(ensemble_file_text(result), encoding="utf-8")
    ens = as_ensemble(result)
    mean, sd, lo, hi = ens.mean(), ens.sd(), ens.quantile(0.05), ens.quantile(0.95)
    p_header = tr("abc.p_header", lang).split("|")
    p_rows = [[p.path, f"[{number(p.lo, 4)}, {number(p.hi, 4)}]", number(mean[p.path], 4), number(sd[p.path], 3),
               f"{number(lo[p.path], 4)} – {number(hi[p.path], 4)}", p.reason] for p in result["free"]]
    t_header = tr("abc.t_header", lang).split("|")

    def tol(r):
        return number(r["tolerance"] or 0, 4) + (tr("fit.relative", lang) if r["relative_tolerance"] else "")

    yes, no = tr("abc.yes", lang), tr("abc.no", lang)
    table = ensemble_table(result)
    t_rows = [[r["id"], r["indicator"], r["year"], r["value"], tol(r), number(r["mean"], 4),
               f"{number(r['p05'], 4)} – {number(r['p95'], 4)}", yes if r["pass"] else no,
               f"{r['weight_within']:.0%}"] for r in table]
    g_header = tr("abc.g_header", lang).split("|")
    g_rows = [[g["generation"], f"{g['epsilon']:.4g}", g["simulations"], g["particles"],
               f"{g['particles'] / g['simulations']:.2f}" if g["simulations"] else ""] for g in result["generations"]]
    intro = tr("abc.intro", lang, scenario=result["scenario"], households=meta["households"],
               counties=meta["counties"], years=meta["years"], population=meta["population"],
               generations=meta["generations"], evaluated=meta["evaluated"], budget=meta["budget"],
               n=len(meta["seeds"]), minutes=meta["wall_time_s"] / 60, ess=ens.effective_size)
    title = tr("abc.title", lang, scenario=result["scenario"], epsilon=meta["final_epsilon"])
    md = [f"# {title}", "", intro, "", f"## {tr('abc.posterior', lang)}", "", markdown_table(p_header, p_rows), "",
          f"## {tr('abc.generations', lang)}", "", markdown_table(g_header, g_rows), "",
          f"## {tr('abc.in_sample', lang)}", "", markdown_table(t_header, t_rows), ""]
    c_rows = []
    if checks:
        c_header = tr("abc.c_header", lang).split("|")
        c_rows = [[r["id"], r["indicator"], r["year"], r["value"], tol(r), number(r["mean"], 4),
                   f"{number(r['p05'], 4)} – {number(r['p95'], 4)}", yes if r["pass"] else no] for r in checks]
        md += [f"## {tr('abc.checks', lang)}", "", tr("abc.checks_intro", lang, sets=checks[0]["sets"],
                                                        n=len(meta["seeds"])), "",
               markdown_table(c_header, c_rows), ""]
    (out / "fit_report.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    sections = [(tr("abc.posterior", lang), p_header, p_rows), (tr("abc.generations", lang), g_header, g_rows),
                (tr("abc.in_sample", lang), t_header, t_rows)]
    if checks:
        sections.append((tr("abc.checks", lang), c_header, c_rows))
    (out / "fit_report.html").write_text(
        render("ensemble.html.j2", lang=lang, title=title, intro=intro, sections=sections), encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps({"format": "ruralsim-calibration/1", "method": "abc",
                                                   "scenario": result["scenario"], **meta}, indent=2, default=str),
                                       encoding="utf-8")
    (out / "abc.json").write_text(json.dumps({
        "paths": result["paths"], "generations": result["generations"], "in_sample": table,
        "checks": checks or [], "meta": meta,
        "posterior": {"mean": mean, "sd": sd, "p05": lo, "p95": hi, "effective_size": ens.effective_size},
    }, indent=2, default=str), encoding="utf-8")
