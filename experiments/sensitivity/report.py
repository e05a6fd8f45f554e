"""Figures and the self-contained ``report.html`` of a sensitivity study.

Figures (PNG, matplotlib's object-oriented API on the Agg canvas, no pyplot state):

- ``indices.png``: per output, the method's indices with their 95% intervals (Sobol': S1 and ST;
  Morris: mu* ; delta: delta and S1), parameters sorted by the main index, levers marked.
- ``morris.png`` (Morris only): mu* against sigma per output; points far above the diagonal
  interact or act non-linearly.
- ``convergence.png``: the main index of each parameter as the sample grows (nested prefixes),
  with its interval as a band.

The report is written for planners: which levers matter most for the risk of large-scale
relapse, in plain words, then the tables, figures and how the numbers were made.
"""

from __future__ import annotations

import base64
import html
import math
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from experiments.sensitivity.study import DELTA_RESAMPLES, INDEX_COLUMNS, MAIN_INDEX, NUM_RESAMPLES, Study

FOCUS_OUTPUT = "large_scale_relapse"
LEVER_COLOUR = "#c0392b"
UNCERTAINTY_COLOUR = "#2c6fbb"

#: Plain names of parameters and outputs used in the report (dotted paths otherwise).
PLAIN: dict[str, str] = {
    "withdrawal_year": "year targeted assistance starts to be withdrawn",
    "taper_years": "years over which it is tapered to zero",
    "assistance_level": "size of targeted assistance before withdrawal",
    "policy.monitoring.coverage": "reach of the monitoring mechanism",
    "policy.enterprise_support.intensity": "support for rural enterprises",
    "policy.dibao_line_2020_yuan": "dibao line",
    "shocks.illness.p_year": "chance of costly illness",
    "shocks.illness.cost_mean_yuan": "cost of an illness episode",
    "prices.log_price_sd_month": "price volatility",
    "shocks.disaster.p_county_year": "chance of a county disaster",
    "labour.p_migrant_loss_month": "migrant job losses",
    "income.operating_noise_sd": "farm income noise",
    "enterprises.margin_mean": "enterprise margins",
    "large_scale_relapse": "probability of large-scale relapse",
    "relapse_rate_peak": "highest yearly relapse rate",
    "county_relapse_rate_max": "highest county relapse rate",
    "relapse_cum_share": "share of formerly poor households that relapse",
    "fiscal_cost_total_yuan": "public spending",
}


def plain(name: str) -> str:
    return PLAIN.get(name, name)


# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------


def indices_figure(indices: pd.DataFrame, method: str, outputs: list[str]) -> Figure:
    """Bars of the indices with 95% intervals, one panel per output."""
    shown = [c for c in INDEX_COLUMNS[method] if not c.endswith("_conf") and f"{c}_conf" in INDEX_COLUMNS[method]]
    n_params = indices["parameter"].nunique()
    fig = Figure(figsize=(6.5 * min(len(outputs), 2), 0.35 * n_params + 1.6) if len(outputs) > 1
                 else (7, 0.35 * n_params + 1.6))
    cols = min(len(outputs), 2)
    rows = math.ceil(len(outputs) / cols)
    fig.set_size_inches(6.5 * cols, (0.32 * n_params + 1.4) * rows)
    main = MAIN_INDEX[method]
    for k, output in enumerate(outputs):
        ax = fig.add_subplot(rows, cols, k + 1)
        t = indices[indices["output"] == output].sort_values(main, na_position="first")
        y = np.arange(len(t))
        height = 0.8 / len(shown)
        for m, col in enumerate(shown):
            vals = t[col].to_numpy(dtype=float)
            conf = np.nan_to_num(t[f"{col}_conf"].to_numpy(dtype=float))
            ax.barh(y + (m - (len(shown) - 1) / 2) * height, np.nan_to_num(vals), height=height, xerr=conf,
                    label=col.replace("_", " "), alpha=0.85 if m == len(shown) - 1 else 0.55, capsize=2)
        ax.set_yticks(y, [f"{'◆ ' if kind == 'lever' else ''}{p}" for p, kind in zip(t["parameter"], t["kind"],
                                                                                  strict=True)], fontsize=7)
        for tick, kind in zip(ax.get_yticklabels(), t["kind"], strict=True):
            tick.set_color(LEVER_COLOUR if kind == "lever" else UNCERTAINTY_COLOUR)
        ax.axvline(0, color="0.5", lw=0.6)
        ax.set_title(output, fontsize=9)
        ax.legend(fontsize=7, loc="lower right")
    fig.suptitle(f"{method} indices with 95% intervals (◆ red = policy lever, blue = uncertainty)", fontsize=9)
    fig.tight_layout()
    return fig


def morris_figure(indices: pd.DataFrame, outputs: list[str]) -> Figure:
    """mu* against sigma per output; the dashed line is sigma = mu*."""
    cols = min(len(outputs), 3)
    rows = math.ceil(len(outputs) / cols)
    fig = Figure(figsize=(4.2 * cols, 3.8 * rows))
    for k, output in enumerate(outputs):
        ax = fig.add_subplot(rows, cols, k + 1)
        t = indices[indices["output"] == output]
        colours = [LEVER_COLOUR if kind == "lever" else UNCERTAINTY_COLOUR for kind in t["kind"]]
        ax.errorbar(t["mu_star"], t["sigma"], xerr=np.nan_to_num(t["mu_star_conf"].to_numpy(dtype=float)),
                    fmt="none", ecolor="0.7", lw=0.8)
        ax.scatter(t["mu_star"], t["sigma"], c=colours, s=18, zorder=3)
        top = float(np.nanmax(np.r_[t["mu_star"].to_numpy(dtype=float), t["sigma"].to_numpy(dtype=float), 0]))
        if top > 0:
            ax.plot([0, top], [0, top], ls="--", color="0.6", lw=0.8)
        for _, r in t.nlargest(4, "mu_star").iterrows():
            ax.annotate(r["parameter"].split(".")[-1], (r["mu_star"], r["sigma"]), fontsize=6,
                        xytext=(3, 2), textcoords="offset points")
        ax.set_xlabel("mu* (mean absolute elementary effect)", fontsize=8)
        ax.set_ylabel("sigma (spread of effects)", fontsize=8)
        ax.set_title(output, fontsize=9)
    fig.suptitle("Morris screening: red = policy lever, blue = uncertainty", fontsize=9)
    fig.tight_layout()
    return fig


def convergence_figure(convergence: pd.DataFrame, outputs: list[str]) -> Figure:
    """Main index per parameter against the sample size, with interval bands."""
    cols = min(len(outputs), 3)
    rows = math.ceil(len(outputs) / cols)
    fig = Figure(figsize=(4.4 * cols, 3.6 * rows))
    from matplotlib import colormaps

    cmap = colormaps["tab20"]
    for k, output in enumerate(outputs):
        ax = fig.add_subplot(rows, cols, k + 1)
        t = convergence[convergence["output"] == output]
        for j, (param, g) in enumerate(t.groupby("parameter", sort=False)):
            g = g.sort_values("n")
            colour = cmap(j % cmap.N)
            ax.plot(g["n"], g["value"], marker="o", ms=3, color=colour, lw=1, label=param.split(".")[-1])
            ax.fill_between(g["n"], g["value"] - g["conf"], g["value"] + g["conf"], color=colour, alpha=0.12)
        if len(t) and t["n"].nunique() > 1:
            ax.set_xscale("log", base=2)
        ax.set_xlabel("sample size N", fontsize=8)
        ax.set_ylabel(t["index"].iloc[0] if len(t) else "", fontsize=8)
        ax.set_title(output, fontsize=9)
        if k == 0:
            ax.legend(fontsize=5, ncol=2)
    fig.suptitle("Convergence of the indices on nested sub-samples (band: 95% interval)", fontsize=9)
    fig.tight_layout()
    return fig


def write_figures(study: Study, directory: Path) -> dict[str, Path]:
    """Draw the figures of ``study`` into ``directory``; returns name -> path."""
    outputs = list(study.problem.outputs)
    figures = {"indices": indices_figure(study.indices, study.method, outputs)}
    if study.method == "morris":
        figures["morris"] = morris_figure(study.indices, outputs)
    if len(study.convergence):
        figures["convergence"] = convergence_figure(study.convergence, outputs)
    out = {}
    for name, fig in figures.items():
        path = Path(directory) / f"{name}.png"
        fig.savefig(path, dpi=110)
        out[name] = path
    return out


# --------------------------------------------------------------------------------------------
# Plain-words findings
# --------------------------------------------------------------------------------------------


def ranking(study: Study, output: str, kind: str | None = None) -> pd.DataFrame:
    """Rows of ``output`` sorted by the main index (largest first), optionally of one kind."""
    t = study.indices[study.indices["output"] == output]
    if kind is not None:
        t = t[t["kind"] == kind]
    return t.sort_values(MAIN_INDEX[study.method], ascending=False, na_position="last")


def _effect_words(row: pd.Series, method: str) -> str:
    main = MAIN_INDEX[method]
    value, conf = float(row[main]), float(row[f"{main}_conf"])
    if method == "sobol":
        s1 = float(row["S1"])
        return (f"with its interactions it accounts for about {_pct(value)} of the variation "
                f"(95% interval ±{_pct(conf)}), {_pct(max(s1, 0.0))} on its own")
    if method == "morris":
        return f"mean absolute elementary effect mu* = {value:.3g} (±{conf:.2g})"
    return f"moment-independent delta = {value:.3f} (±{conf:.3f})"


def _direction(row: pd.Series) -> str:
    rho = float(row.get("spearman", math.nan))
    if not math.isfinite(rho) or abs(rho) < 0.1:
        return "no clear direction across the sample"
    return "raising it raises the risk" if rho > 0 else "raising it lowers the risk"


def lever_findings(study: Study, output: str = FOCUS_OUTPUT) -> list[str]:
    """Sentences on which policy levers matter most for ``output`` (and how the uncertainties compare)."""
    if output not in study.problem.outputs:
        output = study.problem.outputs[0]
    main = MAIN_INDEX[study.method]
    levers = ranking(study, output, "lever")
    uncs = ranking(study, output, "uncertainty")
    noise = study.noise[output]
    what = plain(output)
    out: list[str] = []
    if not np.isfinite(study.indices.loc[study.indices["output"] == output, main].to_numpy(dtype=float)).any():
        return [f"The {what} did not vary over the sample (it was {study.means[output].mean():.3g} at every "
                "point), so the sample cannot tell which levers move it; widen the ranges, change the run size "
                "or the threshold, or add replications."]
    if len(levers):
        top = levers.iloc[0]
        out.append(f"Of the policy levers, the {plain(top['parameter'])} ({top['parameter']}) matters most for the "
                   f"{what}: {_effect_words(top, study.method)}; {_direction(top)}.")
        for _, row in levers.iloc[1:3].iterrows():
            if not float(row[main]) > float(row[f"{main}_conf"]):
                continue
            out.append(f"Next: the {plain(row['parameter'])} ({row['parameter']}), {_effect_words(row, study.method)}; "
                       f"{_direction(row)}.")
        small = [plain(r["parameter"]) for _, r in levers.iterrows()
                 if math.isfinite(float(r[main])) and float(r[main]) <= float(r[f"{main}_conf"])]
        if small:
            out.append(f"The effect of the {', '.join(small)} cannot be told apart from zero with this sample.")
    else:
        out.append("The problem has no policy levers.")
    if len(uncs):
        top_u = uncs.iloc[0]
        compare = ""
        if len(levers) and math.isfinite(float(top_u[main])) and math.isfinite(float(levers.iloc[0][main])):
            bigger = float(top_u[main]) > float(levers.iloc[0][main])
            compare = (" — more than any lever, so the risk depends on circumstances planners do not control"
                       if bigger else " — less than the most important lever")
        out.append(f"Among the uncertainties, the {plain(top_u['parameter'])} matters most "
                   f"({main} = {float(top_u[main]):.3g}){compare}.")
    ns = noise.get("noise_share_of_mean", math.nan)
    if math.isfinite(ns):
        out.append(f"Run-to-run chance makes up {_pct(noise['noise_share'])} of the variation between single runs "
                   f"and {_pct(ns)} of the variation between the point averages the indices decompose"
                   + (" — high: add replications (--reps) before trusting small differences." if ns > 0.3 else "."))
    else:
        out.append("With one replication per point the run-to-run noise cannot be separated from the parameters' "
                   "effects; use --reps 2 or more.")
    if math.isfinite(ns) and ns > 0.5:
        out += _steadier_output(study, output)
    return out


def _steadier_output(study: Study, noisy: str) -> list[str]:
    """When the focus output is mostly noise: the top lever of the least noisy relapse output."""
    main = MAIN_INDEX[study.method]
    candidates = [o for o in study.problem.outputs if o != noisy and "relapse" in o
                  and math.isfinite(study.noise[o].get("noise_share_of_mean", math.nan))]
    if not candidates:
        return []
    best = min(candidates, key=lambda o: study.noise[o]["noise_share_of_mean"])
    levers = ranking(study, best, "lever")
    if not len(levers) or not math.isfinite(float(levers.iloc[0][main])):
        return []
    top = levers.iloc[0]
    return [f"The {plain(noisy)} is mostly chance at this sample size, so its indices are inflated by noise. The "
            f"{plain(best)} ({best}) is steadier (noise share of the point means "
            f"{_pct(study.noise[best]['noise_share_of_mean'])}): for it the {plain(top['parameter'])} is the lever "
            f"that matters most, {_effect_words(top, study.method)}; {_direction(top)}."]


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def build_report(study: Study, figures: dict[str, Path]) -> str:
    p = study.problem
    method = study.method
    size = ", ".join(f"{v:,} {k}" for k, v in p.size.items())
    ev = study.evaluation
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Sensitivity: {_e(p.name)}</title>", f"<style>{_CSS}</style></head><body>",
        f"<h1>What drives the risk of large-scale relapse? ({_e(p.name)})</h1>",
        f'<p class="sub">Global sensitivity analysis ({_e(method)}), produced '
        f"{_e(datetime.now().strftime('%d %B %Y'))} by ruralsim.</p>",
        "<h2>The question</h2>", f"<p>{_e(p.description)}</p>",
        "<h2>Which levers matter most for large-scale relapse risk</h2><ul>",
        *[f"<li>{_e(s)}</li>" for s in lever_findings(study)], "</ul>",
        "<h2>All outputs</h2>", _summary_table(study),
        "<h2>Figures</h2>", *[_img(path, name) for name, path in figures.items()],
        "<h2>Index table</h2>", _index_table(study),
        "<h2>Parameters varied</h2>", _parameter_table(study),
        "<h2>How the numbers were made</h2>",
        f"<p>Each of {len(study.X):,} sample points ({_e(_design_words(study))}) was run {study.reps} times "
        f"with the paired seeds {ev.seeds[0]}–{ev.seeds[-1]} (every point meets the same random histories), "
        f"starting from the scenario <b>{_e(p.base) or 'none'}</b>{' with ' + _e(size) if size else ''}. "
        "The indices decompose the variation of the per-point average over the replications; for large-scale "
        "relapse that average is the estimated probability of large-scale relapse at that point. Intervals are "
        f"95% bootstrap intervals ({DELTA_RESAMPLES if method == 'delta' else NUM_RESAMPLES} resamples). "
        "Run-to-run noise: the share of the "
        "variance of single runs that is chance (noise share), and the share of the variance of the point "
        f"averages that still is (noise share of the mean). Failed runs: {ev.n_failed}. "
        f"Wall time {study.wall_time_s:,.0f} s ({_e(ev.info.get('executor', ev.info.get('evaluator', '')))}, "
        f"parallelism {ev.info.get('parallelism', 1)}).</p>",
        "</body></html>",
    ]
    return "\n".join(parts)


def write_report(study: Study, figures: dict[str, Path], path: Path) -> Path:
    path = Path(path)
    path.write_text(build_report(study, figures), encoding="utf-8")
    return path


def _design_words(study: Study) -> str:
    d = len(study.problem.parameters)
    if study.method == "sobol":
        return f"Saltelli design on a Sobol' sequence, N = {study.n} base rows x (D + 2 = {d + 2})"
    if study.method == "morris":
        return f"{study.n} Morris trajectories of D + 1 = {d + 1} points on a 4-level grid"
    return f"Latin hypercube of {study.n} points"


def _summary_table(study: Study) -> str:
    main = MAIN_INDEX[study.method]
    rows = ["<table><tr><th>Output</th><th>Average over the sample</th><th>Most important parameter</th>"
            f"<th>{main}</th><th>Noise share (runs)</th><th>Noise share (point means)</th></tr>"]
    for o in study.problem.outputs:
        t = ranking(study, o)
        top = t.iloc[0] if len(t) and math.isfinite(float(t.iloc[0][main])) else None
        noise = study.noise[o]
        rows.append(f"<tr><td>{_e(plain(o))}<br><small>{_e(o)}</small></td>"
                    f"<td>{_num(float(np.nanmean(study.means[o])))}</td>"
                    f"<td>{_e(top['parameter']) if top is not None else 'did not vary'}</td>"
                    f"<td>{_num(float(top[main])) if top is not None else ''}</td>"
                    f"<td>{_pct(noise['noise_share'])}</td><td>{_pct(noise['noise_share_of_mean'])}</td></tr>")
    rows.append("</table>")
    return "\n".join(rows)


def _index_table(study: Study) -> str:
    cols = ["output", "parameter", "kind", *INDEX_COLUMNS[study.method], "spearman"]
    head = "".join(f"<th>{_e(c)}</th>" for c in cols)
    body = []
    for _, r in study.indices.iterrows():
        cells = "".join(f"<td>{_num(r[c]) if isinstance(r[c], float) else _e(r[c])}</td>" for c in cols)
        body.append(f"<tr>{cells}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _parameter_table(study: Study) -> str:
    rows = ["<table><tr><th>Parameter</th><th>Kind</th><th>Range</th><th>Meaning</th></tr>"]
    for q in study.problem.parameters:
        lo, hi = (math.ceil(q.lo), math.floor(q.hi)) if q.integer else (q.lo, q.hi)
        rows.append(f"<tr><td>{_e(q.name)}</td><td>{_e(q.kind)}</td><td>{_num(lo)} – {_num(hi)}</td>"
                    f"<td>{_e(q.doc or plain(q.name))}</td></tr>")
    rows.append("</table>")
    if study.problem.withdrawal_levers:
        rows.append(f"<p>The derived levers (withdrawal year, taper, assistance level) set dated schedules of: "
                    f"{_e(', '.join(study.problem.withdrawal_levers))}.</p>")
    return "\n".join(rows)


def _img(path: Path, name: str) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f'<figure><img alt="{_e(name)}" src="data:image/png;base64,{data}"><figcaption>{_e(name)}</figcaption>' \
           "</figure>"


def _e(text: Any) -> str:
    return html.escape(str(text))


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%" if isinstance(x, float | int) and math.isfinite(x) else "n/a"


def _num(x: Any) -> str:
    if isinstance(x, float | int) and not isinstance(x, bool):
        if not math.isfinite(x):
            return "n/a"
        return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"
    return _e(x)


_CSS = """body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222;
line-height:1.45}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}.sub{color:#666}
table{border-collapse:collapse;font-size:.82em;margin:.5em 0}
td,th{border:1px solid #ddd;padding:3px 6px;text-align:left}
th{background:#f4f4f4}img{max-width:100%}figure{margin:1em 0}figcaption{color:#666;font-size:.85em}"""
