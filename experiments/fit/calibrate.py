"""``ruralsim calibrate``: fit the free parameters of the historical run to the 2017-2020 patterns.

- **Free parameters** (:data:`FREE_PARAMETERS`): dotted paths whose search bounds are their valid
  ranges in ``Params`` (``model.params.bounds``), narrowed where the full range is not a plausible
  value (the reason is stated next to each).
- **Targets**: the fittable rows (levels and intervals with a tolerance and a weight) of the target
  files, by default the shipped in-sample targets (headcount path to zero by 2020, poor-county
  income path and real growth, the income ratio to never-poor counties, income composition and
  the transfer share, registered labour working away, relocation).
- **Distance**: ``Σ w_i ((mean_i − target_i) / tolerance_i)² / Σ w_i`` over those targets
  (:func:`experiments.fit.targets.distance`; 0 inside an interval), ``mean_i`` over ``--seeds``
  replications. Every candidate runs on the same seeds (common random numbers), so differences
  between candidates are not noise between random histories.
- **Optimiser**: scipy's differential evolution (Latin-hypercube start, deterministic given
  ``--seed``), with its population and generations sized so that at most ``--budget`` candidates
  are evaluated.

Output (``--out``): ``calibrated.yaml`` (a scenario extending the fitted scenario with the fitted
values; ``ruralsim run runs/.../calibrated.yaml`` or ``extends:`` it), ``fit_report.md`` and
``fit_report.html`` (target, simulated mean and 90% interval, weight, contribution to the
distance), ``calibration.json``, ``manifest.json`` (what was fitted and how) and ``figures/``.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy import optimize

import model
from experiments.fit.figures import history_figure, series_figure, targets_figure
from experiments.fit.replications import (
    Replications,
    load_params,
    replicate,
    simulated_years,
    size_overrides,
    target_rows,
)
from experiments.fit.targets import Target, TargetError, distance, read_all
from experiments.report import markdown_table, number, render
from model.params import ParamsError, bounds

DEFAULT_SCENARIO = "historical"
#: Distance given to a candidate whose parameters cannot build a province.
INFEASIBLE_DISTANCE = 1e6


@dataclass(frozen=True)
class FreeParameter:
    """A calibrated parameter: dotted path, search range (within its ``Params`` range) and why."""

    path: str
    lo: float
    hi: float
    reason: str


def _free(path: str, lo: float | None = None, hi: float | None = None, reason: str = "full valid range"):
    p_lo, p_hi = bounds(path)
    lo = p_lo if lo is None else max(lo, p_lo)
    hi = p_hi if hi is None else min(hi, p_hi)
    return FreeParameter(path, lo, hi, reason)


#: The declared free parameters of the historical run.
FREE_PARAMETERS: tuple[FreeParameter, ...] = (
    _free("tackling.project_gain_pc_year_2020_yuan", 0.0, 1500.0,
          "campaign projects: above 1,500 a year the 2017-2020 gain would exceed the I11 level several times"),
    _free("tackling.labour_export_share", reason="organised labour export: any share is possible"),
    _free("income.productivity_growth_year", 0.0, 0.10,
          "real operating-income trend: 0-10% brackets the 2017-2019 real growth of poor counties (C6-C8)"),
    _free("income.private_transfer_share", 0.05, 0.35,
          "transfers not modelled: the E1 transfer share (0.273) caps what they can be"),
    _free("labour.migrant_propensity", 0.2, 0.9, "households willing to migrate: F5/F6 put it near 0.55"),
    _free("tackling.bottom_line_share", reason="no figure in the reference data (data/): any share is possible"),
    _free("policy.tackling.relocation_share", 0.0, 0.3,
          "relocation per year of register households; constant here, the campaign ends with 2020"),
    _free("history.income_pc_registered_2016_yuan", 3_500.0, 8_000.0,
          "registered income at the end of 2016, fitted to F1 (the only registered-income figure in data/): "
          "from just above the 2016 line (~44% of registered persons were still below it, A6) to registered "
          "income growing no faster than poor-area income (F1 x C5/C9 = 7,211) with a margin"),
)


def fittable(targets: Sequence[Target]) -> list[Target]:
    return [t for t in targets if t.fittable]


def horizon_years(params: model.Params, targets: Sequence[Target]) -> int:
    """Years to simulate so that the last target year is covered (no further)."""
    last = max((t.years[1] for t in targets if t.years is not None), default=params.sim.start_year)
    return max(1, min(params.sim.n_years, last - params.sim.first_outcome_year + 1))


class Objective:
    """The distance of a candidate over common random numbers, with a record of every evaluation."""

    def __init__(self, base: model.Params, free: Sequence[FreeParameter], targets: Sequence[Target],
                 seeds: Sequence[int], budget: int, progress=None):
        self.base, self.free, self.targets, self.seeds = base, list(free), list(targets), list(seeds)
        self.budget = budget
        self.progress = progress
        self.history: list[tuple[list[float], float]] = []
        self._indicators_checked = False
        self.best: tuple[list[float], float, list[dict[str, Any]], Replications | None] = ([], math.inf, [], None)

    def params_for(self, x: Sequence[float]) -> model.Params:
        return self.base.with_overrides({p.path: float(v) for p, v in zip(self.free, x, strict=True)},
                                        origin="calibration candidate")

    def evaluate(self, x: Sequence[float]) -> tuple[float, list[dict[str, Any]], Replications | None]:
        try:
            params = self.params_for(x)
            reps = replicate(params, self.seeds, None if self._indicators_checked else self.targets)
        except (ParamsError, ValueError) as exc:
            if isinstance(exc, TargetError):
                raise
            return INFEASIBLE_DISTANCE, [], None
        self._indicators_checked = True
        rows = target_rows(self.targets, reps)
        d, _ = distance(self.targets, [r["simulated_mean"] for r in rows])
        return d, rows, reps

    def __call__(self, x: np.ndarray) -> float:
        if len(self.history) >= self.budget:
            return INFEASIBLE_DISTANCE  # never reached: the optimiser is sized to the budget
        d, rows, reps = self.evaluate(x)
        self.history.append(([float(v) for v in x], d))
        if d < self.best[1]:
            self.best = ([float(v) for v in x], d, rows, reps)
        if self.progress is not None:
            self.progress(len(self.history), self.budget, d, self.best[1])
        return d


def calibration_params(scenario: str, target_paths: Sequence[Path], households: int | None,
                       counties: int | None, overrides: dict[str, Any] | None = None
                       ) -> tuple[model.Params, list[Target]]:
    """The parameters every candidate starts from (the scenario with ``overrides``, at the size
    asked, simulated up to the last target year) and the fittable targets (raises
    :class:`TargetError` when there are none, or when a target lies outside the scenario's years)."""
    base = load_params(scenario, {**(overrides or {}), **size_overrides(households, counties, None)})
    targets = fittable(read_all(target_paths, years=simulated_years(base)))
    if not targets:
        raise TargetError(["no fittable targets: give levels or intervals with a tolerance > 0 and weight > 0"])
    return base.with_overrides({"sim.n_years": horizon_years(base, targets)}), targets


def de_sizes(budget: int, n_free: int) -> tuple[int, int]:
    """``(popsize, maxiter)`` of differential evolution so that its ``max(5, popsize·n)`` members
    times ``maxiter + 1`` generations stay within ``budget``: populations of 2-5 members per
    parameter (scipy uses at least 5), as many generations as the budget allows."""
    smallest = max(5, 2 * n_free)
    if budget < smallest:
        raise ValueError(f"--budget {budget} is below two candidates per free parameter (at least {smallest})")
    pop = int(min(5, max(2, budget // (4 * n_free))))
    members = max(5, pop * n_free)
    return pop, budget // members - 1


def calibrate(scenario: str, target_paths: Sequence[Path], budget: int, seeds: int, households: int | None,
              counties: int | None, seed: int = 1, free: Sequence[FreeParameter] = FREE_PARAMETERS,
              progress=None, seed_base: int = 1, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run the calibration; returns the fitted values, distance, rows and history (no files).

    ``seed`` is the optimiser's; the replications of every candidate use the seeds ``seed_base`` to
    ``seed_base + seeds - 1``; ``overrides`` are dotted-path overrides of every run (``--set``)."""
    base, targets = calibration_params(scenario, target_paths, households, counties, overrides)
    pop, maxiter = de_sizes(budget, len(free))
    obj = Objective(base, free, targets, range(seed_base, seed_base + seeds), budget, progress)
    t0 = time.perf_counter()
    res = optimize.differential_evolution(
        obj, [(p.lo, p.hi) for p in free], popsize=pop, maxiter=maxiter, init="latinhypercube",
        seed=seed, polish=False, tol=0.0, atol=0.0, updating="deferred")
    x, d, rows, reps = obj.best
    if reps is None:
        raise ValueError(f"none of the {len(obj.history)} candidates could build a province; narrow the free "
                         "parameters' ranges")
    _, contrib = distance(targets, [r["simulated_mean"] for r in rows])
    for r, c, t in zip(rows, contrib, targets, strict=True):
        r["weight"] = t.weight
        r["contribution"] = c
    return {
        "scenario": scenario, "free": list(free), "fitted": dict(zip([p.path for p in free], x, strict=True)),
        "overrides": dict(overrides or {}),
        "distance": d, "rows": rows, "targets": targets, "reps": reps, "history": [h[1] for h in obj.history],
        "meta": {"budget": budget, "evaluated": len(obj.history), "seeds": list(obj.seeds), "seed": seed,
                 "households": base.population.n_households, "counties": base.population.n_counties,
                 "years": f"{base.sim.start_year}-{base.sim.end_year}",
                 "popsize": pop, "maxiter": maxiter, "optimiser_message": str(res.message),
                 "wall_time_s": time.perf_counter() - t0, "targets": [str(p) for p in target_paths]},
    }


def _round(value: float, lo: float, hi: float) -> float:
    """Fitted values to 4 significant digits of the search range."""
    step = 10 ** (math.floor(math.log10(max(hi - lo, 1e-12))) - 3)
    return float(round(round(value / step) * step, 10))


def scenario_yaml(result: dict[str, Any]) -> str:
    meta = result["meta"]
    # the --set overrides the fit ran with belong to the fitted scenario too
    fitted = {**result.get("overrides", {}),
              **{p.path: _round(result["fitted"][p.path], p.lo, p.hi) for p in result["free"]}}
    params = {k: v for k, v in fitted.items() if not k.startswith("policy.")}
    policy = {k.removeprefix("policy."): v for k, v in fitted.items() if k.startswith("policy.")}
    doc = {
        "name": "calibrated",
        "extends": result["scenario"],
        "description": (
            f"'{result['scenario']}' with the parameters fitted by 'ruralsim calibrate' "
            f"({datetime.now():%Y-%m-%d}) to {len(result['targets'])} in-sample targets of 2017-2020: "
            f"{meta['evaluated']} candidates by differential evolution, {len(meta['seeds'])} replications each "
            f"on common random numbers, {meta['households']:,} households; weighted distance "
            f"{result['distance']:.3g} (squared gaps in tolerance units)."),
        "parameters": params,
    }
    if policy:
        doc["policy"] = policy
    return yaml.safe_dump(doc, sort_keys=False, width=100, allow_unicode=True)


def write_outputs(result: dict[str, Any], out: Path, lang: str | None = None) -> None:
    """``calibrated.yaml``, the fit report (Markdown, HTML; headings, tables and figures in ``lang``,
    None: the language in force), ``calibration.json`` and figures."""
    from experiments.i18n import resolve, tr

    lang = resolve(lang)
    meta = result["meta"]
    (out / "calibrated.yaml").write_text(scenario_yaml(result), encoding="utf-8")
    fig_dir = out / "figures"
    fig_dir.mkdir()
    figs = [f for f in (
        targets_figure(result["targets"], result["rows"], fig_dir / "targets.png",
                       tr("fit.cal_best", lang, distance=result["distance"]), lang),
        series_figure(result["targets"], result["reps"].annual_long(), fig_dir / "series.png",
                      tr("fit.cal_series", lang), lang)
        if result["reps"] is not None else None,
        history_figure(result["history"], fig_dir / "history.png", lang),
    ) if f is not None]
    p_header = tr("fit.p_header", lang).split("|")
    p_rows = [[p.path, f"[{number(p.lo, 4)}, {number(p.hi, 4)}]", number(result["fitted"][p.path], 4), p.reason]
              for p in result["free"]]
    t_header = tr("fit.t_header", lang).split("|")
    t_rows = [[r["id"], r["indicator"], r["year"], r["value"],
               number(r["tolerance"], 4) + (tr("fit.relative", lang) if r["relative_tolerance"] else ""),
               number(r["simulated_mean"], 4), f"{number(r['simulated_p05'], 4)} – {number(r['simulated_p95'], 4)}",
               number(r["weight"], 4), f"{r['contribution']:.4f}"] for r in result["rows"]]
    intro = tr("fit.cal_intro", lang, scenario=result["scenario"], households=meta["households"],
               counties=meta["counties"], years=meta["years"], popsize=meta["popsize"], maxiter=meta["maxiter"],
               evaluated=meta["evaluated"], budget=meta["budget"], n=len(meta["seeds"]))
    title = tr("fit.cal_title", lang, scenario=result["scenario"], distance=result["distance"])
    md = [f"# {title}", "", intro, "", f"## {tr('fit.fitted', lang)}", "", markdown_table(p_header, p_rows), "",
          f"## {tr('fit.targets', lang)}", "", markdown_table(t_header, t_rows), ""]
    md += [f"![{f.stem}](figures/{f.name})" for f in figs]
    (out / "fit_report.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    (out / "fit_report.html").write_text(
        render("calibration.html.j2", lang=lang, title=title, intro=intro, parameter_header=p_header,
               parameter_rows=p_rows, target_header=t_header, target_rows=t_rows, figures=figs), encoding="utf-8")
    # what was fitted and how; its format marks an earlier ruralsim output that --force may replace
    (out / "manifest.json").write_text(json.dumps({"format": "ruralsim-calibration/1", "scenario": result["scenario"],
                                                   **meta}, indent=2, default=str), encoding="utf-8")
    clean = [{k: v for k, v in r.items()} for r in result["rows"]]
    (out / "calibration.json").write_text(json.dumps({
        "fitted": result["fitted"], "distance": result["distance"], "history": result["history"],
        "free": [p.__dict__ for p in result["free"]], "rows": clean, "meta": meta}, indent=2, default=str),
        encoding="utf-8")
