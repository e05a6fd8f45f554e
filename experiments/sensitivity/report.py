"""Figures and the self-contained ``report.html`` of a sensitivity study.

Figures (PNG, matplotlib's object-oriented API on the Agg canvas, no pyplot state):

- ``indices.png``: per output, the method's indices with their 95% intervals (Sobol': S1 and ST;
  Morris: mu* ; delta: delta and S1), parameters sorted by the main index, levers marked; a panel
  whose intervals are wider than the indices says so in red (:func:`~experiments.sensitivity.study.wide_intervals`).
- ``morris.png`` (Morris only): mu* against sigma per output; points far above the diagonal
  interact or act non-linearly.
- ``convergence.png``: the main index of each parameter as the sample grows (nested prefixes),
  with its interval as a band.

The report is written for planners: which levers matter most for the risk of large-scale
relapse, in plain words, then the tables, figures and how the numbers were made.
"""

from __future__ import annotations

import math
import textwrap
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from experiments.fonts import figure_fonts
from experiments.i18n import indicator_label, parameter_label, resolve, tr
from experiments.report import number, percent, render
from experiments.sensitivity.study import (
    DELTA_RESAMPLES,
    INDEX_COLUMNS,
    MAIN_INDEX,
    NUM_RESAMPLES,
    Study,
    interval_warnings,
    wide_intervals,
)

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
    "policy.social_protection.dibao_line_scale": "dibao line",
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


def plain(name: str, lang: str | None = None) -> str:
    """A parameter's or output's name in plain words (Chinese: the catalogue's or the glossary's name)."""
    if resolve(lang) == "zh":
        label = parameter_label(name, "zh", default="")
        return label or indicator_label(name, "zh")
    return PLAIN.get(name, name)


def _title(output: str, lang: str | None) -> str:
    return f"{plain(output, lang)} ({output})" if resolve(lang) == "zh" else output


# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------


def indices_figure(indices: pd.DataFrame, method: str, outputs: list[str], lang: str | None = None) -> Figure:
    """Bars of the indices with 95% intervals, one panel per output."""
    shown = [c for c in INDEX_COLUMNS[method] if not c.endswith("_conf") and f"{c}_conf" in INDEX_COLUMNS[method]]
    n_params = indices["parameter"].nunique()
    cols = min(len(outputs), 2)
    rows = math.ceil(len(outputs) / cols)
    fig = Figure(figsize=(6.5 * cols, (0.32 * n_params + 2.2) * rows), layout="constrained")
    main = MAIN_INDEX[method]
    wide = wide_intervals(indices, method)
    any_wide = False
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
        ax.set_title(_title(output, lang), fontsize=9)
        ax.legend(fontsize=7, loc="lower right")
        flagged = wide[(wide["output"] == output) & ((wide["wide"] > 0) | (wide["outside"] > 0))]
        if len(flagged):
            any_wide = True
            counts = tr("disc.sep", lang).join(
                tr("sens.fig.wide_count", lang, wide=int(r["wide"]), total=int(r["total"]),
                   index=r["index"].replace("_", " ")) for _, r in flagged.iterrows())
            ax.set_xlabel(textwrap.fill(tr("sens.fig.wide", lang, counts=counts), 40 if resolve(lang) == "zh" else 80),
                          color=LEVER_COLOUR, fontsize=7)
    title = tr("sens.fig.indices", lang, method=method)
    if any_wide:
        title += "\n" + tr("sens.fig.wide_title", lang)
    fig.suptitle(title, fontsize=9, color=LEVER_COLOUR if any_wide else "black")
    return fig


def morris_figure(indices: pd.DataFrame, outputs: list[str], lang: str | None = None) -> Figure:
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
        ax.set_xlabel(tr("sens.fig.mu", lang), fontsize=8)
        ax.set_ylabel(tr("sens.fig.sigma", lang), fontsize=8)
        ax.set_title(_title(output, lang), fontsize=9)
    fig.suptitle(tr("sens.fig.morris", lang), fontsize=9)
    fig.tight_layout()
    return fig


def convergence_figure(convergence: pd.DataFrame, outputs: list[str], lang: str | None = None) -> Figure:
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
        ax.set_xlabel(tr("sens.fig.n", lang), fontsize=8)
        ax.set_ylabel(t["index"].iloc[0] if len(t) else "", fontsize=8)
        ax.set_title(_title(output, lang), fontsize=9)
        if k == 0:
            ax.legend(fontsize=5, ncol=2)
    fig.suptitle(tr("sens.fig.convergence", lang), fontsize=9)
    fig.tight_layout()
    return fig


def write_figures(study: Study, directory: Path, lang: str | None = None) -> dict[str, Path]:
    """Draw the figures of ``study`` into ``directory`` in ``lang`` (None: the language in force);
    returns name -> path."""
    lang = resolve(lang)
    outputs = list(study.problem.outputs)
    out = {}
    with figure_fonts(lang):
        figures = {"indices": indices_figure(study.indices, study.method, outputs, lang)}
        if study.method == "morris":
            figures["morris"] = morris_figure(study.indices, outputs, lang)
        if len(study.convergence):
            figures["convergence"] = convergence_figure(study.convergence, outputs, lang)
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


def _effect_words(row: pd.Series, method: str, lang: str | None = None) -> str:
    main = MAIN_INDEX[method]
    value, conf = float(row[main]), float(row[f"{main}_conf"])
    if method == "sobol":
        s1 = float(row["S1"])
        return tr("sens.effect.sobol", lang, total=percent(value, 1), conf=percent(conf, 1),
                  first=percent(max(s1, 0.0), 1))
    if method == "morris":
        return tr("sens.effect.morris", lang, value=value, conf=conf)
    return tr("sens.effect.delta", lang, value=value, conf=conf)


def _direction(row: pd.Series, lang: str | None = None) -> str:
    rho = float(row.get("spearman", math.nan))
    if not math.isfinite(rho) or abs(rho) < 0.1:
        return tr("sens.direction.none", lang)
    return tr("sens.direction.up", lang) if rho > 0 else tr("sens.direction.down", lang)


def lever_findings(study: Study, output: str = FOCUS_OUTPUT, lang: str | None = None) -> list[str]:
    """Sentences on which policy levers matter most for ``output`` (and how the uncertainties compare),
    in ``lang`` (None: the language in force)."""
    if output not in study.problem.outputs:
        output = study.problem.outputs[0]
    main = MAIN_INDEX[study.method]
    levers = ranking(study, output, "lever")
    uncs = ranking(study, output, "uncertainty")
    noise = study.noise[output]
    what = plain(output, lang)
    out: list[str] = []
    if not np.isfinite(study.indices.loc[study.indices["output"] == output, main].to_numpy(dtype=float)).any():
        return [tr("sens.no_variation", lang, what=what, value=study.means[output].mean())]
    if len(levers):
        top = levers.iloc[0]
        out.append(tr("sens.top_lever", lang, name=plain(top["parameter"], lang), path=top["parameter"], what=what,
                      effect=_effect_words(top, study.method, lang), direction=_direction(top, lang)))
        for _, row in levers.iloc[1:3].iterrows():
            if not float(row[main]) > float(row[f"{main}_conf"]):
                continue
            out.append(tr("sens.next_lever", lang, name=plain(row["parameter"], lang), path=row["parameter"],
                          effect=_effect_words(row, study.method, lang), direction=_direction(row, lang)))
        small = [plain(r["parameter"], lang) for _, r in levers.iterrows()
                 if math.isfinite(float(r[main])) and float(r[main]) <= float(r[f"{main}_conf"])]
        if small:
            out.append(tr("sens.small", lang, names=("、" if resolve(lang) == "zh" else ", ").join(small)))
    else:
        out.append(tr("sens.no_levers", lang))
    if len(uncs):
        top_u = uncs.iloc[0]
        compare = ""
        if len(levers) and math.isfinite(float(top_u[main])) and math.isfinite(float(levers.iloc[0][main])):
            bigger = float(top_u[main]) > float(levers.iloc[0][main])
            compare = tr("sens.unc_bigger", lang) if bigger else tr("sens.unc_smaller", lang)
        out.append(tr("sens.unc_top", lang, name=plain(top_u["parameter"], lang), main=main,
                      value=float(top_u[main]), compare=compare))
    ns = noise.get("noise_share_of_mean", math.nan)
    if math.isfinite(ns):
        out.append(tr("sens.noise", lang, runs=percent(noise["noise_share"], 1), means=percent(ns, 1),
                      tail=tr("sens.noise_high", lang) if ns > 0.3 else tr("sens.period", lang)))
    else:
        out.append(tr("sens.one_rep", lang))
    if math.isfinite(ns) and ns > 0.5:
        out += _steadier_output(study, output, lang)
    return out


def _steadier_output(study: Study, noisy: str, lang: str | None = None) -> list[str]:
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
    return [tr("sens.steadier", lang, noisy=plain(noisy, lang), best=plain(best, lang), best_name=best,
               share=percent(study.noise[best]["noise_share_of_mean"], 1), lever=plain(top["parameter"], lang),
               effect=_effect_words(top, study.method, lang), direction=_direction(top, lang))]


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def build_report(study: Study, figures: dict[str, Path], lang: str | None = None) -> str:
    """The HTML text of the report (template ``sensitivity.html.j2``; in Chinese ``sensitivity.zh.html.j2``)."""
    lang = resolve(lang)
    p = study.problem
    main = MAIN_INDEX[study.method]
    summary = []
    for o in p.outputs:
        t = ranking(study, o)
        top = t.iloc[0] if len(t) and math.isfinite(float(t.iloc[0][main])) else None
        summary.append({"output": o, "plain": plain(o, lang), "mean": float(np.nanmean(study.means[o])),
                        "top": None if top is None else top["parameter"],
                        "index": None if top is None else float(top[main]), "noise": study.noise[o]})
    columns = ["output", "parameter", "kind", *INDEX_COLUMNS[study.method], "spearman"]
    index_rows = [[number(r[c]) if isinstance(r[c], float) else r[c] for c in columns]
                  for _, r in study.indices.iterrows()]
    parameters = []
    for q in p.parameters:
        lo, hi = (math.ceil(q.lo), math.floor(q.hi)) if q.integer else (q.lo, q.hi)
        meaning = (q.doc or plain(q.name)) if lang != "zh" else (plain(q.name, lang) or q.doc)
        kind = q.kind if lang != "zh" else tr(f"sens.kind.{q.kind}", lang)
        parameters.append([q.name, kind, f"{number(lo)} – {number(hi)}", meaning])
    ev = study.evaluation
    now = datetime.now()
    return render("sensitivity.html.j2", lang=lang, study=study, problem=p, ev=ev, main=main,
                  findings=lever_findings(study, lang=lang),
                  warnings=interval_warnings(study.indices, study.method, lang), summary=summary,
                  figures=figures, index_columns=columns, index_rows=index_rows,
                  parameters=parameters, design=_design_words(study, lang),
                  size=", ".join(f"{v:,} {k}" for k, v in p.size.items()),
                  resamples=DELTA_RESAMPLES if study.method == "delta" else NUM_RESAMPLES,
                  produced=f"{now.year}年{now.month}月{now.day}日" if lang == "zh" else now.strftime("%d %B %Y"),
                  glossary_link=True)


def write_report(study: Study, figures: dict[str, Path], path: Path, lang: str | None = None) -> Path:
    """Write ``report.html`` (and ``glossary.html`` beside it) in ``lang`` (None: the language in force)."""
    from experiments.glossary import write_glossary

    path = Path(path)
    path.write_text(build_report(study, figures, lang), encoding="utf-8")
    write_glossary(path.parent, lang)
    return path


def _design_words(study: Study, lang: str | None = None) -> str:
    d = len(study.problem.parameters)
    if study.method == "sobol":
        return tr("sens.design.sobol", lang, n=study.n, d2=d + 2)
    if study.method == "morris":
        return tr("sens.design.morris", lang, n=study.n, d1=d + 1)
    return tr("sens.design.delta", lang, n=study.n)
