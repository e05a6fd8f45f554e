"""PNG figures of a comparison (``ruralsim compare``).

Drawn with matplotlib's object-oriented API (``matplotlib.figure.Figure`` on the Agg canvas), so
no display and no pyplot state are involved. Each function takes plain tables and returns a
Figure; :func:`write_figures` draws all of them for a :class:`~experiments.compare.comparison.Comparison`.

- ``fan_charts.png``: median and 10-90% band over replications of the yearly relapse and poverty
  rates, one colour per scenario.
- ``county_heatmap.png``: relapse rate by county and year (mean over replications), one panel per
  scenario; cells at or above the large-scale threshold are marked.
- ``large_scale_probability.png``: probability of large-scale relapse with Wilson intervals.
- ``three_excesses.png``: share of replications in which the three excesses hold, by year.
- ``cost_vs_averted.png``: extra public spending against household relapses averted, both as
  paired differences from the reference with their intervals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from experiments.compare.comparison import (
    Comparison,
    annual_bands,
    county_relapse,
    exceedance_curve,
    lookup,
    three_excesses_table,
)
from experiments.fonts import figure_fonts
from experiments.i18n import resolve, scenario_label, tr

FIGURES = ("fan_charts", "county_heatmap", "large_scale_probability", "exceedance_curve", "three_excesses",
           "cost_vs_averted")
_TYPE_LETTER = {"key": "K", "formerly_poor": "F", "never_poor": "N"}
_TYPE_ORDER = {"key": 0, "formerly_poor": 1, "never_poor": 2}


def colours(scenarios: Sequence[str]) -> dict[str, Any]:
    """One distinct colour per scenario (the same in every figure)."""
    from matplotlib import colormaps

    cmap = colormaps["tab10" if len(scenarios) <= 10 else "tab20"]
    return {name: cmap(i % cmap.N) for i, name in enumerate(scenarios)}


def fan_charts(bands: pd.DataFrame, scenarios: Sequence[str], lang: str | None = None) -> Figure:
    """Median and 10-90% band of the relapse rate and the poverty rate per scenario and year."""
    colour = colours(scenarios)
    fig = Figure(figsize=(11, 4.4), layout="constrained")
    axes = fig.subplots(1, 2)
    panels = (("relapse_rate", tr("fig.relapse_rate_title", lang)),
              ("poverty_rate", tr("fig.poverty_rate_title", lang)))
    for ax, (outcome, title) in zip(axes, panels, strict=True):
        for name in scenarios:
            d = bands[(bands["scenario"] == name) & (bands["outcome"] == outcome)].sort_values("year")
            if d.empty:
                continue
            ax.fill_between(d["year"], d["p10"], d["p90"], color=colour[name], alpha=0.18, linewidth=0)
            ax.plot(d["year"], d["median"], color=colour[name], marker="o", markersize=3,
                    label=scenario_label(name, lang, short=True))
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
        ax.set_ylim(bottom=0)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel(tr("fig.year_december", lang))
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
    axes[0].legend(frameon=False, fontsize=8)
    fig.suptitle(tr("fig.fan_suptitle", lang), fontsize=9)
    return fig


def county_heatmap(county: pd.DataFrame, scenarios: Sequence[str], threshold: float,
                   lang: str | None = None) -> Figure:
    """Relapse rate by county (rows) and year (columns), mean over replications, per scenario.

    Cells whose mean is at or above ``threshold`` carry a black dot; the colour scale is shared
    and has a boundary at the threshold.
    """
    n = len(scenarios)
    ncols = 2 if n in (2, 4) else min(n, 3)
    nrows = math.ceil(n / ncols)
    counties = county.drop_duplicates("county")[["county", "county_type"]]
    counties = counties.assign(order=counties["county_type"].map(_TYPE_ORDER).fillna(9))
    counties = counties.sort_values(["order", "county"])
    years = sorted(county["year"].unique())
    vmax = max(float(county["relapse_rate_mean"].max()) if len(county) else 0.0, threshold * 1.25, 1e-6)
    # a stepped scale: shades of blue below the threshold, of red at and above it
    below = np.linspace(0, threshold, 6)
    above = np.linspace(threshold, vmax, 5)[1:]
    bounds = np.concatenate([below, above])
    from matplotlib import colormaps

    shades = [colormaps["Blues"](x) for x in np.linspace(0.08, 0.75, len(below) - 1)]
    shades += [colormaps["Reds"](x) for x in np.linspace(0.45, 0.95, len(above))]
    cmap = ListedColormap(shades)
    norm = BoundaryNorm(bounds, cmap.N)
    height = max(2.2, 0.22 * len(counties) + 1.2)
    fig = Figure(figsize=(4.2 * ncols + 1.2, height * nrows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    image = None
    labels = [f"{_TYPE_LETTER.get(t, '?')}{c + 1}" for c, t in zip(counties["county"], counties["county_type"],
                                                                     strict=True)]
    for ax, name in zip(axes, scenarios, strict=False):
        d = county[county["scenario"] == name]
        grid = d.pivot(index="county", columns="year", values="relapse_rate_mean")
        grid = grid.reindex(index=counties["county"], columns=years)
        image = ax.imshow(grid.to_numpy(float), aspect="auto", cmap=cmap, norm=norm, interpolation="nearest")
        hot = np.argwhere(grid.to_numpy(float) >= threshold)
        if len(hot):
            ax.scatter(hot[:, 1], hot[:, 0], s=6, color="black")
        ax.set_title(scenario_label(name, lang, short=True), fontsize=9)
        ax.set_xticks(range(len(years)), [str(y)[-2:] for y in years], fontsize=7)
        ax.set_yticks(range(len(labels)), labels, fontsize=6)
        ax.set_xlabel(tr("fig.year_short", lang), fontsize=7)
    for ax in axes[n:]:
        ax.set_visible(False)
    if image is not None:
        bar = fig.colorbar(image, ax=list(axes[:n]), shrink=0.85, format=PercentFormatter(xmax=1.0, decimals=1))
        bar.set_label(tr("fig.heatmap_bar", lang, threshold=threshold), fontsize=8)
        bar.ax.tick_params(labelsize=7)
    fig.suptitle(tr("fig.heatmap_title", lang), fontsize=9)
    return fig


def large_scale_probability(rows: pd.DataFrame, threshold: float, lang: str | None = None) -> Figure:
    """Probability of large-scale relapse per scenario (the mean of the runs' probabilities) with its
    95% interval.

    ``rows``: scenario, mean, ci_low, ci_high, n (in display order).
    """
    colour = colours(list(rows["scenario"]))
    fig = Figure(figsize=(7.5, 0.55 * len(rows) + 1.6), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(rows))[::-1]
    for yi, (_, r) in zip(y, rows.iterrows(), strict=True):
        ax.errorbar(r["mean"], yi, xerr=_err(r["mean"], r["ci_low"], r["ci_high"]),
                    fmt="o", color=colour[r["scenario"]], capsize=4)
        ax.annotate(tr("fig.runs_n", lang, n=int(r["n"])), (r["ci_high"], yi), xytext=(6, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(y, [scenario_label(n, lang, short=True) for n in rows["scenario"]])
    ax.set_xlim(-0.02, 1.15)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0))
    ax.set_xlabel(tr("fig.ls_xlabel", lang, threshold=threshold))
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(tr("fig.ls_title", lang), fontsize=10)
    return fig


def exceedance_curve_figure(curve: pd.DataFrame, scenarios: Sequence[str], threshold: float,
                            lang: str | None = None) -> Figure:
    """The probability of large-scale relapse against the county-year threshold, one line per
    scenario with its 95% band; the threshold in force marked."""
    colour = colours(list(scenarios))
    styles = ("-", "--", "-.", ":")
    fig = Figure(figsize=(7.5, 4.2), layout="constrained")
    ax = fig.add_subplot()
    for k, name in enumerate(scenarios):
        c = curve[curve["scenario"] == name]
        if c.empty:
            continue
        ax.plot(c["threshold"], c["mean"], styles[k % len(styles)], marker="o", ms=3, color=colour[name],
                label=scenario_label(name, lang, short=True))
        ax.fill_between(c["threshold"], c["ci_low"], c["ci_high"], color=colour[name], alpha=0.15, lw=0)
    ax.axvline(threshold, color="0.4", lw=0.8, ls=":")
    ax.set_ylim(-0.02, 1.02)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
    ax.set_xlabel(tr("fig.exc_xlabel", lang))
    ax.set_ylabel(tr("fig.exc_ylabel", lang))
    ax.set_title(tr("fig.exc_title", lang, threshold=threshold), fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def three_excesses(te: pd.DataFrame, scenarios: Sequence[str], lang: str | None = None) -> Figure:
    """Share of replications in which the three excesses hold, scenario by year, with counts."""
    years = sorted(te["year"].unique())
    grid = te.pivot(index="scenario", columns="year", values="share").reindex(index=list(scenarios), columns=years)
    held = te.pivot(index="scenario", columns="year", values="years_held").reindex(index=list(scenarios),
                                                                                  columns=years)
    n = te.pivot(index="scenario", columns="year", values="n").reindex(index=list(scenarios), columns=years)
    fig = Figure(figsize=(max(6.0, 0.75 * len(years) + 2.5), 0.5 * len(scenarios) + 1.8), layout="constrained")
    ax = fig.add_subplot()
    image = ax.imshow(grid.to_numpy(float), aspect="auto", cmap="Greens", vmin=0, vmax=1)
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            share = grid.iat[i, j]
            if not np.isfinite(share):
                continue
            ax.text(j, i, f"{int(held.iat[i, j])}/{int(n.iat[i, j])}", ha="center", va="center", fontsize=7,
                    color="white" if share > 0.6 else "black")
    ax.set_xticks(range(len(years)), [str(y) for y in years], fontsize=8)
    ax.set_yticks(range(len(scenarios)), [scenario_label(n, lang, short=True) for n in scenarios], fontsize=8)
    bar = fig.colorbar(image, ax=ax, format=PercentFormatter(xmax=1.0))
    bar.set_label(tr("fig.share_of_reps", lang), fontsize=8)
    ax.set_title(tr("fig.te_title", lang), fontsize=9)
    return fig


def cost_vs_averted(rows: pd.DataFrame, reference: str, lang: str | None = None) -> Figure:
    """Extra public spending (y) against household relapses averted (x), paired differences.

    ``rows``: scenario, averted, averted_low, averted_high, cost, cost_low, cost_high (yuan).
    """
    colour = colours([reference, *rows["scenario"]])
    scale = 1e8 if resolve(lang) == "zh" else 1e9  # 亿元 in Chinese, billions in English
    fig = Figure(figsize=(7.5, 5.2), layout="constrained")
    ax = fig.add_subplot()
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.axvline(0, color="grey", linewidth=0.8)
    ax.plot([0], [0], marker="s", color=colour[reference], linestyle="none")
    ax.annotate(tr("fig.reference_mark", lang, name=scenario_label(reference, lang, short=True)), (0, 0),
                xytext=(-6, 6), textcoords="offset points", fontsize=8, ha="right")
    for _, r in rows.iterrows():
        ax.errorbar(r["averted"], r["cost"] / scale,
                    xerr=_err(r["averted"], r["averted_low"], r["averted_high"]),
                    yerr=_err(r["cost"] / scale, r["cost_low"] / scale, r["cost_high"] / scale),
                    fmt="o", color=colour[r["scenario"]], capsize=3)
        ax.annotate(scenario_label(r["scenario"], lang, short=True), (r["averted"], r["cost"] / scale), xytext=(6, 6),
                    textcoords="offset points", fontsize=8)
    ax.margins(x=0.15, y=0.1)  # room for the labels
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel(tr("fig.averted_xlabel", lang, ref=reference))
    ax.set_ylabel(tr("fig.cost_ylabel", lang, ref=reference))
    ax.set_title(tr("fig.cost_title", lang), fontsize=10)
    ax.grid(alpha=0.3)
    return fig


def _err(value: float, low: float, high: float) -> list[list[float]]:
    """Error-bar lengths below and above ``value`` (0 where an interval is missing)."""
    below, above = value - low, high - value
    return [[max(below, 0.0) if math.isfinite(below) else 0.0], [max(above, 0.0) if math.isfinite(above) else 0.0]]


def write_figures(comparison: Comparison, directory: Path, lang: str | None = None) -> dict[str, Path]:
    """Draw every figure of ``comparison`` into ``directory`` in ``lang`` (None: the language in force);
    returns name → path."""
    with figure_fonts(lang):
        return _write_figures(comparison, Path(directory), resolve(lang))


def _write_figures(comparison: Comparison, directory: Path, lang: str) -> dict[str, Path]:
    s = comparison.settings
    names = list(s.scenarios)
    table = comparison.table
    threshold = float(comparison.scenarios[s.reference].params.metrics.large_scale.county_threshold)
    figures: dict[str, Figure] = {
        "fan_charts": fan_charts(annual_bands(comparison.annual, comparison.seeds), names, lang),
        "county_heatmap": county_heatmap(county_relapse(comparison.counties, comparison.seeds), names, threshold,
                                         lang),
    }
    ls = pd.DataFrame([{"scenario": n, **{k: lookup(table, n, "large_scale_relapse", k)
                                          for k in ("mean", "ci_low", "ci_high", "n")}} for n in names])
    figures["large_scale_probability"] = large_scale_probability(ls, threshold, lang)
    figures["exceedance_curve"] = exceedance_curve_figure(exceedance_curve(table, names), names, threshold, lang)
    figures["three_excesses"] = three_excesses(three_excesses_table(comparison.annual, comparison.seeds), names,
                                               lang)
    rows = []
    for n in names:
        if n == s.reference:
            continue
        ev = {k: lookup(table, n, "relapse_events_total", k) for k in ("diff_mean", "diff_ci_low", "diff_ci_high")}
        cost = {k: lookup(table, n, "fiscal_cost_total_yuan", k) for k in ("diff_mean", "diff_ci_low", "diff_ci_high")}
        # relapses averted = reference minus scenario: the interval flips
        rows.append({"scenario": n, "averted": -ev["diff_mean"], "averted_low": -ev["diff_ci_high"],
                     "averted_high": -ev["diff_ci_low"], "cost": cost["diff_mean"], "cost_low": cost["diff_ci_low"],
                     "cost_high": cost["diff_ci_high"]})
    figures["cost_vs_averted"] = cost_vs_averted(pd.DataFrame(rows), s.reference, lang)
    out = {}
    for name, fig in figures.items():
        path = directory / f"{name}.png"
        fig.savefig(path, dpi=110)
        out[name] = path
    return out
