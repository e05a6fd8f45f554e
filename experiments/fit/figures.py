"""Figures of validation and calibration reports (matplotlib's object API, no display needed).

- :func:`targets_figure`: every level or interval target on one scale — the simulated mean and
  90% interval over replications in units of the target's tolerance band (the band is ±1).
- :func:`series_figure`: each annual indicator with targets — the replications' mean and 90% band
  by year, the targets with their tolerance.
- :func:`history_figure`: a calibration's distance per evaluated candidate and the best so far.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from experiments.fit.targets import INTERVAL_TAIL, Target
from experiments.fonts import figure_fonts
from experiments.i18n import indicator_label, resolve, tr


def _band(t: Target) -> tuple[float, float] | None:
    """Centre and half-width of the pass band of a level or interval target."""
    tol = t.absolute_tolerance
    if t.kind == "level":
        return (t.lo, tol) if tol > 0 else None
    if t.kind == "interval":
        half = (t.hi - t.lo) / 2 + tol
        return ((t.lo + t.hi) / 2, half) if half > 0 else None
    return None


def targets_figure(targets: Sequence[Target], rows: Sequence[Mapping[str, Any]], path: Path,
                   title: str, lang: str | None = None) -> Path | None:
    """Standardised position of each level/interval target's simulation inside its band."""
    items = []
    for t, r in zip(targets, rows, strict=True):
        band = _band(t)
        if band is None or not math.isfinite(r["simulated_mean"]):
            continue
        c, h = band
        items.append((f"{t.id}", (r["simulated_mean"] - c) / h, (r["simulated_p05"] - c) / h,
                      (r["simulated_p95"] - c) / h, r["pass"]))
    if not items:
        return None
    with figure_fonts(lang):
        return _targets_figure(items, path, title, lang)


def _targets_figure(items: list, path: Path, title: str, lang: str | None) -> Path:
    fig = Figure(figsize=(8, 0.32 * len(items) + 1.4))
    ax = fig.add_subplot()
    y = np.arange(len(items))[::-1]
    ax.axvspan(-1, 1, color="#d9efd9", zorder=0, label=tr("fit.fig.band", lang))
    ax.axvline(0, color="#4a4", lw=0.8)
    for yi, (_, m, lo, hi, ok) in zip(y, items, strict=True):
        color = "#2a7" if ok else "#c33"
        ax.plot([lo, hi], [yi, yi], color=color, lw=2)
        ax.plot([m], [yi], "o", color=color)
    ax.set_yticks(y, [i[0] for i in items], fontsize=8)
    ax.set_xlabel(tr("fit.fig.position", lang))
    ax.set_title(title, fontsize=10)
    lim = max(3.0, min(10.0, max(abs(v) for i in items for v in i[1:4] if math.isfinite(v)) * 1.1))
    ax.set_xlim(-lim, lim)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path


def series_figure(targets: Sequence[Target], annual_long: pd.DataFrame, path: Path, title: str,
                  lang: str | None = None) -> Path | None:
    """Annual indicators with targets: mean and 90% band over replications, targets as bars."""
    names = []
    for t in targets:
        if t.years is not None and t.indicator in annual_long.columns and t.indicator not in names:
            names.append(t.indicator)
    if not names:
        return None
    with figure_fonts(lang):
        return _series_figure(targets, annual_long, names, path, title, lang)


def _series_figure(targets: Sequence[Target], annual_long: pd.DataFrame, names: list[str], path: Path, title: str,
                   lang: str | None) -> Path:
    n = len(names)
    cols = min(3, n)
    rows_n = math.ceil(n / cols)
    fig = Figure(figsize=(4.2 * cols, 2.8 * rows_n))
    for k, name in enumerate(names):
        ax = fig.add_subplot(rows_n, cols, k + 1)
        g = annual_long.assign(**{name: annual_long[name].astype(float)}).groupby("year")[name]
        years = np.array(sorted(annual_long["year"].unique()))
        mean = g.mean().reindex(years).to_numpy(dtype=float)
        lo = g.quantile(INTERVAL_TAIL).reindex(years).to_numpy(dtype=float)
        hi = g.quantile(1 - INTERVAL_TAIL).reindex(years).to_numpy(dtype=float)
        ax.fill_between(years, lo, hi, color="#9bc", alpha=0.5, lw=0)
        ax.plot(years, mean, color="#247", lw=1.5)
        for t in targets:
            if t.indicator != name or t.years is None or t.kind not in ("level", "interval"):
                continue
            a, b = t.years
            tol = t.absolute_tolerance
            if t.kind == "level":
                ax.errorbar([(a + b) / 2], [t.lo], yerr=[[tol], [tol]], fmt="s", color="#c60", ms=4, capsize=3)
            else:
                ax.fill_between([a - 0.3, b + 0.3], t.lo - tol, t.hi + tol, color="#c60", alpha=0.2, lw=0)
        ax.set_title(f"{indicator_label(name, lang)}\n{name}" if resolve(lang) == "zh" else name, fontsize=9)
        ax.tick_params(labelsize=7)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path


def history_figure(history: Sequence[float], path: Path, lang: str | None = None) -> Path | None:
    """Distance of each evaluated candidate (dots) and the best so far (line)."""
    if not history:
        return None
    d = np.asarray(history, dtype=float)
    with figure_fonts(lang):
        fig = Figure(figsize=(6, 3.2))
        ax = fig.add_subplot()
        ax.plot(np.arange(1, len(d) + 1), d, ".", color="#999", label=tr("fit.fig.candidate", lang))
        ax.plot(np.arange(1, len(d) + 1), np.minimum.accumulate(d), color="#247", label=tr("fit.fig.best", lang))
        ax.set_yscale("log")
        ax.set_xlabel(tr("fit.fig.evaluated", lang))
        ax.set_ylabel(tr("fit.fig.distance", lang))
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(path, dpi=110)
    return path
