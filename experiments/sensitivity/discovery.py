"""Scenario discovery: under what conditions does large-scale relapse happen? (``ruralsim discover``)

1. A Latin hypercube of ``n`` points over the problem's uncertainties and levers (SALib's latin
   sampler), each run ``reps`` times with paired seeds through the batch-experiment store.
2. Every *run* is marked: large-scale relapse when it is more likely than not in that run
   (:data:`MARK_PROBABILITY`): the run's probability that some formerly poor county-year has a
   relapse rate of at least the threshold, with at least ``metrics.large_scale.min_persons``
   persons relapsing (``model.metrics``: estimated per county-year from the simulated relapses,
   so it does not depend on how many households are simulated). By default the threshold is
   the base scenario's ``metrics.large_scale.county_threshold`` and the probability is the
   ``large_scale_relapse`` outcome; ``--threshold`` (1% to 10% in whole percents, the points of
   the exceedance curve ``large_scale_p_01`` … ``large_scale_p_10``) re-marks the same runs at
   another threshold without running them again.
3. PRIM (Friedman & Fisher 1999, as implemented in ``ema_workbench``, an optional extra imported
   only here) peels the parameter space towards the runs with large-scale relapse. From the
   peeling trajectory the box chosen is the densest one that still covers at least
   ``min_coverage`` of all such runs; restrictions of that box that are not significant (quasi-p
   above :data:`QP_MAX`, Bryant & Lempert 2010) are dropped; a second box is searched among the
   runs outside the first.

A box is reported with its limits per restricted parameter, **coverage** (share of all runs with
large-scale relapse that fall inside), **density** (share of runs inside that have it) and
**mass** (share of all runs inside), and in plain words. When large-scale relapse is too rare or
too common in the sample for PRIM (fewer than :data:`MIN_CASES` runs with or without it) the
report says so instead of inventing a box.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.fonts import figure_fonts
from experiments.i18n import resolve, tr
from experiments.report import number, percent, render
from experiments.sensitivity.problem import Problem
from experiments.sensitivity.report import plain
from model.metrics import EXCEEDANCE_KEYS

#: PRIM needs at least this many runs with, and this many without, large-scale relapse.
MIN_CASES = 10
#: Defaults of the box search: chosen box covers at least this share of the cases.
MIN_COVERAGE = 0.5
#: PRIM's peeling step (share of runs peeled per step) and smallest box mass (Friedman & Fisher 1999;
#: ema_workbench defaults).
PEEL_ALPHA = 0.05
MASS_MIN = 0.05
MAX_BOXES = 2
#: Largest quasi-p-value of a restriction kept in a box (one-sided binomial test, Bryant & Lempert 2010).
QP_MAX = 0.05
#: A run is marked large-scale when its probability of large-scale relapse is at least this.
MARK_PROBABILITY = 0.5
MARK_OUTPUTS = ("large_scale_relapse", "county_relapse_rate_max", *EXCEEDANCE_KEYS)


def exceedance_key(threshold: float) -> str | None:
    """The outcome holding the probability of large-scale relapse at ``threshold`` (a whole percent
    from 1% to 10%), or None when the exceedance curve has no such point."""
    k = round(threshold * 100)
    if 1 <= k <= 10 and math.isclose(threshold * 100, k, abs_tol=1e-9):
        return f"large_scale_p_{k:02d}"
    return None


class DiscoveryError(RuntimeError):
    """Scenario discovery cannot run (e.g. the optional dependency is missing)."""


@dataclass
class Box:
    """One PRIM box.

    Attributes:
        limits: Restricted parameter -> (low, high) inclusive limits (None = not restricted on that side).
        coverage, density, mass: See the module docstring.
        n, k: Runs inside the box, and those with large-scale relapse.
        trajectory: The peeling trajectory (coverage, density, mass, res_dim, n, k, id per step).
        chosen: Index of the chosen box on the trajectory.
    """

    limits: dict[str, tuple[float | None, float | None]]
    coverage: float
    density: float
    mass: float
    n: int
    k: int
    trajectory: pd.DataFrame
    chosen: int


@dataclass
class Discovery:
    """A finished discovery: the runs, their marks and the boxes (empty with a reason)."""

    problem: Problem
    runs: pd.DataFrame
    y: np.ndarray
    threshold: float
    boxes: list[Box]
    reason: str = ""
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def base_rate(self) -> float:
        return float(self.y.mean()) if len(self.y) else math.nan


def prim_module() -> Any:
    try:
        with warnings.catch_warnings():  # its optional parallel back-ends announce themselves on import
            warnings.simplefilter("ignore", UserWarning)
            from ema_workbench.analysis import prim
    except ImportError:
        raise DiscoveryError("scenario discovery needs the optional dependency ema_workbench: install it with "
                             "'uv sync --extra discovery' (or pip install 'ruralsim[discovery]')") from None
    logging.getLogger("EMA").setLevel(logging.WARNING)
    return prim


def too_rare_or_common(y: np.ndarray, min_cases: int = MIN_CASES, lang: str | None = "en") -> str:
    """Why PRIM cannot run on ``y`` (empty string when it can), in ``lang`` (None: the language in force)."""
    k, n = int(np.sum(y)), len(y)
    if k < min_cases:
        return tr("disc.too_rare", lang, k=k, n=n, share=percent(k / max(n, 1)), min_cases=min_cases)
    if n - k < min_cases:
        return tr("disc.too_common", lang, k=k, n=n, share=percent(k / max(n, 1)), min_cases=min_cases)
    return ""


def find_boxes(x: pd.DataFrame, y: np.ndarray, min_coverage: float = MIN_COVERAGE, max_boxes: int = MAX_BOXES,
               peel_alpha: float = PEEL_ALPHA, mass_min: float = MASS_MIN) -> list[Box]:
    """PRIM boxes of the cases ``y`` (bool per row of ``x``; integer columns are peeled as integers)."""
    prim = prim_module()
    y = np.asarray(y, dtype=bool)
    alg = prim.Prim(x.reset_index(drop=True), y.astype(int), peel_alpha=peel_alpha, mass_min=mass_min)
    init = alg.box_init
    boxes: list[Box] = []
    for _ in range(max_boxes):
        with warnings.catch_warnings():  # ema_workbench pastes half-integers into integer columns (pandas warns)
            warnings.simplefilter("ignore", FutureWarning)
            found = alg.find_box()
        if found is None:
            break
        traj = found.peeling_trajectory.reset_index(drop=True)
        ok = traj[traj["coverage"] >= min_coverage]
        if len(ok) == 0:
            ok = traj.iloc[[0]]
        best = int(ok.sort_values(["density", "coverage"], ascending=[False, False]).index[0])
        found.select(best)
        # Restrictions that are not significant (Bryant & Lempert 2010 quasi-p > QP_MAX on every
        # restricted side) are dropped: PRIM's small peels leave such nearly-full ranges behind.
        weak = [dim for dim, qps in found.p_values[best].items()
                if all(q < 0 or q > QP_MAX for q in qps) and any(q >= 0 for q in qps)]
        strong = [dim for dim, qps in found.p_values[best].items() if dim not in weak and any(q >= 0 for q in qps)]
        if weak and strong:
            for dim in weak:
                found.drop_restriction(dim)  # each adds the wider box to the trajectory and selects it
            best = len(found.peeling_trajectory) - 1
        lims = found.box_lims[best]
        limits: dict[str, tuple[float | None, float | None]] = {}
        for col in x.columns:
            lo, hi = lims[col].iloc[0], lims[col].iloc[1]
            lo0, hi0 = init[col].iloc[0], init[col].iloc[1]
            if lo != lo0 or hi != hi0:
                lo_v, hi_v = float(lo), float(hi)
                if pd.api.types.is_integer_dtype(x[col]):  # pasting may leave half steps: the whole numbers inside
                    lo_v, hi_v = float(math.ceil(lo_v - 1e-9)), float(math.floor(hi_v + 1e-9))
                limits[col] = (None if lo == lo0 else lo_v, None if hi == hi0 else hi_v)
        row = found.peeling_trajectory.reset_index(drop=True).loc[best]
        if not limits:
            break  # the whole space: nothing to say beyond the base rate
        boxes.append(Box(limits, float(row["coverage"]), float(row["density"]), float(row["mass"]),
                         int(row["n"]), int(row["k"]), traj, int(best)))
        if float(row["coverage"]) >= 0.999:
            break
    return boxes


# --------------------------------------------------------------------------------------------
# Plain words
# --------------------------------------------------------------------------------------------


def limit_words(name: str, lo: float | None, hi: float | None, integer: bool = False,
                lang: str | None = None) -> str:
    """``'the withdrawal year is 2023 or earlier'`` style description of one restriction."""
    what = plain(name, lang)
    if integer:  # limits of whole-number parameters may fall between two values (PRIM pastes half steps)
        lo = None if lo is None else float(math.ceil(lo - 1e-9))
        hi = None if hi is None else float(math.floor(hi + 1e-9))
    fmt = (lambda v: f"{int(v)}") if integer else _fmt
    lo_text = None if lo is None else fmt(lo)
    hi_text = None if hi is None else fmt(hi)
    if name == "withdrawal_year":
        if lo is None:
            return tr("disc.withdraw_before", lang, hi=hi_text)
        if hi is None:
            return tr("disc.withdraw_after", lang, lo=lo_text)
        return tr("disc.withdraw_between", lang, lo=lo_text, hi=hi_text)
    if lo is None:
        return tr("disc.at_most", lang, what=what, hi=hi_text)
    if hi is None:
        return tr("disc.at_least", lang, what=what, lo=lo_text)
    return tr("disc.between", lang, what=what, lo=lo_text, hi=hi_text)


def box_words(box: Box, problem: Problem, base_rate: float, lang: str | None = None) -> str:
    """One sentence: density, the conditions, coverage and mass (in ``lang``, None: the language in force)."""
    integer = {p.name: p.integer for p in problem.parameters}
    conditions = [limit_words(k, lo, hi, integer.get(k, False), lang) for k, (lo, hi) in box.limits.items()]
    joined = (conditions[0] if len(conditions) == 1
              else tr("disc.sep", lang).join(conditions[:-1]) + tr("disc.and", lang) + conditions[-1])
    return tr("disc.box", lang, density=percent(box.density), base=percent(base_rate), conditions=joined,
              mass=percent(box.mass), coverage=percent(box.coverage))


# --------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------


def discovery_problem(problem: Problem) -> Problem:
    """The problem with the outputs the marking needs."""
    return dataclasses.replace(problem, outputs=MARK_OUTPUTS)


def run_discovery(problem: Problem, n: int, evaluator: Any, reps: int | None = None, seed: int = 1,
                  seed_base: int = 1, threshold: float | None = None, min_coverage: float = MIN_COVERAGE,
                  max_boxes: int = MAX_BOXES) -> Discovery:
    """Sample, run through ``evaluator``, mark the runs, find the boxes."""
    from SALib.sample import latin

    prob = discovery_problem(problem)
    reps = problem.reps if reps is None else reps
    salib = {k: v for k, v in prob.salib_problem().items() if k != "outputs"}
    X = np.asarray(latin.sample(salib, n, seed=seed), dtype=float)
    seeds = list(range(seed_base, seed_base + reps))
    evaluation = evaluator(prob, X, seeds)
    key = "large_scale_relapse"
    if threshold is None:
        threshold = default_threshold(problem)
    elif not math.isclose(threshold, default_threshold(problem), abs_tol=1e-12):
        key = exceedance_key(threshold)
        if key is None:
            raise ValueError(f"threshold {threshold:g}: allowed the base scenario's threshold or a whole percent "
                             "from 0.01 to 0.10")
    rows = []
    for i, row in enumerate(X):
        values = prob.point_values(row)
        for r, s in enumerate(seeds):
            p = evaluation.values[key][i, r]
            if not math.isfinite(p):
                continue  # failed run
            rate = evaluation.values["county_relapse_rate_max"][i, r]
            rows.append({"point": i, "seed": s, **values, "county_relapse_rate_max": float(rate),
                         "p_large_scale": float(p), "large_scale_relapse": bool(p >= MARK_PROBABILITY)})
    runs = pd.DataFrame(rows)
    y = runs["large_scale_relapse"].to_numpy(dtype=bool) if len(runs) else np.zeros(0, dtype=bool)
    x = _x_frame(prob, runs)
    reason = too_rare_or_common(y)
    boxes = [] if reason else find_boxes(x, y, min_coverage=min_coverage, max_boxes=max_boxes)
    if not reason and not boxes:
        reason = tr("disc.no_box", "en")
    info = dict(evaluation.info)
    info.update({"n": n, "reps": reps, "seeds": seeds, "sample_seed": seed, "failed_runs": evaluation.n_failed,
                 "min_coverage": min_coverage})
    return Discovery(problem, runs, y, float(threshold), boxes, reason, info)


def default_threshold(problem: Problem) -> float:
    """The base scenario's large-scale threshold (``metrics.large_scale.county_threshold``)."""
    from scenarios import load_scenario

    if not problem.base:
        return 0.05
    return float(load_scenario(problem.base).params.metrics.large_scale.county_threshold)


def _x_frame(problem: Problem, runs: pd.DataFrame) -> pd.DataFrame:
    cols = {}
    for p in problem.parameters:
        values = runs[p.name] if len(runs) else pd.Series([], dtype=float)
        cols[p.name] = values.round().astype("int64") if p.integer else values.astype("float64")
    return pd.DataFrame(cols)


# --------------------------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------------------------


def boxes_table(d: Discovery) -> pd.DataFrame:
    """One row per (box, restricted parameter): limits, coverage, density, mass, runs."""
    rows = []
    for b, box in enumerate(d.boxes, start=1):
        for name, (lo, hi) in box.limits.items():
            rows.append({"box": b, "parameter": name, "low": lo, "high": hi, "coverage": box.coverage,
                         "density": box.density, "mass": box.mass, "n_runs": box.n, "n_large_scale": box.k})
    return pd.DataFrame(rows, columns=["box", "parameter", "low", "high", "coverage", "density", "mass", "n_runs",
                                       "n_large_scale"])


def tradeoff_figure(d: Discovery, lang: str | None = "en") -> Any:
    """The peeling trajectories: density against coverage, coloured by restricted dimensions."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.2, 4.4))
    ax = fig.add_subplot(1, 1, 1)
    for b, box in enumerate(d.boxes, start=1):
        t = box.trajectory
        sc = ax.scatter(t["coverage"], t["density"], c=t["res_dim"], cmap="viridis", s=16,
                        marker="o" if b == 1 else "s", label=tr("disc.fig.peeling", lang, b=b))
        ax.scatter([box.coverage], [box.density], s=120, facecolors="none", edgecolors="red", lw=1.5)
        ax.annotate(tr("disc.fig.box", lang, b=b), (box.coverage, box.density), xytext=(6, -10),
                    textcoords="offset points", fontsize=8, color="red")
    if d.boxes:
        fig.colorbar(sc, ax=ax, label=tr("disc.fig.restricted", lang))
    ax.axhline(d.base_rate, color="0.5", ls="--", lw=0.8, label=tr("disc.fig.whole", lang))
    ax.set_xlabel(tr("disc.fig.coverage", lang))
    ax.set_ylabel(tr("disc.fig.density", lang))
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=7, loc="lower left")
    ax.set_title(tr("disc.fig.title", lang), fontsize=9)
    fig.tight_layout()
    return fig


def build_report(d: Discovery, figure: Path | None, lang: str | None = None) -> str:
    """The HTML text of the report (template ``discovery.html.j2``; in Chinese ``discovery.zh.html.j2``)."""
    lang = resolve(lang)
    rows = [[r["box"], {"plain": plain(r["parameter"], lang), "path": r["parameter"]},
             number(r["low"]) if pd.notna(r["low"]) else "–", number(r["high"]) if pd.notna(r["high"]) else "–",
             percent(r["coverage"]), percent(r["density"]), percent(r["mass"])] for _, r in boxes_table(d).iterrows()]
    reason = (too_rare_or_common(d.y, lang=lang) or tr("disc.no_box", lang)) if d.reason else ""
    return render("discovery.html.j2", lang=lang, d=d, problem=d.problem, figure=figure, rows=rows, reason=reason,
                  boxes=[box_words(box, d.problem, d.base_rate, lang) for box in d.boxes], glossary_link=True,
                  min_coverage=d.info.get("min_coverage", MIN_COVERAGE), peel_alpha=PEEL_ALPHA, mass_min=MASS_MIN)


def write_outputs(d: Discovery, directory: Path, fmt: str = "csv", lang: str | None = None) -> list[Path]:
    """The runs, boxes and peeling tables (``fmt``: csv or parquet), the trade-off figure, manifest.json,
    report.html and glossary.html in ``directory`` (the report and the figure in ``lang``, None: the
    language in force; the manifest in English)."""
    from experiments.glossary import write_glossary
    from experiments.tables import write_table

    directory = Path(directory)
    lang = resolve(lang)
    out = [write_table(d.runs, directory, "runs", fmt), write_table(boxes_table(d), directory, "boxes", fmt)]
    for b, box in enumerate(d.boxes, start=1):
        out.append(write_table(box.trajectory, directory, f"peeling_box{b}", fmt))
    figure = None
    if d.boxes:
        figure = directory / "tradeoff.png"
        with figure_fonts(lang):
            tradeoff_figure(d, lang).savefig(figure, dpi=110)
        out.append(figure)
    manifest = {"format": "ruralsim-discovery/1", "problem": d.problem.name, "base": d.problem.base,
                "size": dict(d.problem.size), "threshold": d.threshold, "runs": int(len(d.y)),
                "large_scale_runs": int(d.y.sum()), "reason_no_box": d.reason or None,
                "boxes": [{"limits": {k: list(v) for k, v in b.limits.items()}, "coverage": b.coverage,
                           "density": b.density, "mass": b.mass, "words": box_words(b, d.problem, d.base_rate, "en")}
                          for b in d.boxes], **{k: v for k, v in d.info.items() if k != "seeds"},
                "seeds": d.info.get("seeds")}
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")
    out.append(directory / "manifest.json")
    (directory / "report.html").write_text(build_report(d, figure, lang), encoding="utf-8")
    out.append(directory / "report.html")
    out.append(write_glossary(directory, lang))
    return out


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"
