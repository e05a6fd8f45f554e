"""Figures of the classroom app (matplotlib ``Figure`` objects, no pyplot: safe in server threads).

Every function takes the tables of :class:`experiments.app_model.LockstepModel` and returns a
figure; policy A (the reference) is drawn grey and dashed, policy B (your policy) in colour.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

COLOUR = {"A": "#7f7f7f", "B": "#d6452a"}
STYLE = {"A": "--", "B": "-"}
LABEL = {"A": "A (reference)", "B": "B (your policy)"}
GROUP_COLOUR = {"formerly poor": "#d6452a", "marginal": "#e69f00", "others": "#0072b2"}
SIZE = (6.0, 3.1)
#: Resolution: drawing the PNGs is what a month costs in the browser loop (72 dpi: about a quarter
#: less than 90, and sharp enough in a half-width grid cell).
DPI = 72


def month_label(t: float, _pos: object = None) -> str:
    """Axis label of a decimal time ``year + (month - 0.5) / 12``: ``2023-04``."""
    year = int(np.floor(t))
    month = min(max(int(np.floor((t - year) * 12)) + 1, 1), 12)
    return f"{year}-{month:02d}"


def _figure(n_cols: int = 1, size: tuple[float, float] = SIZE) -> tuple[Figure, list]:
    # fixed margins: constrained layout costs more than drawing the figure
    fig = Figure(figsize=size, dpi=DPI)
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.12, top=0.88, wspace=0.28)
    axes = fig.subplots(1, n_cols, squeeze=False)[0]
    for ax in axes:
        ax.xaxis.set_major_formatter(FuncFormatter(month_label))
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.yaxis.set_major_locator(MaxNLocator(5))
    return fig, list(axes)


def _empty(ax, text: str = "press Step or Play") -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#777777")
    ax.set_xticks([])
    ax.set_yticks([])


def _policy_lines(ax, monthly: pd.DataFrame, column: str, scale: float = 1.0, label_prefix: str = "") -> None:
    for name in ("A", "B"):
        f = monthly[monthly["policy"] == name]
        ax.plot(f["t"], f[column] * scale, STYLE[name], color=COLOUR[name], lw=1.6,
                label=f"{label_prefix}{LABEL[name]}")


def rates_figure(monthly: pd.DataFrame) -> Figure:
    """Relapse and poverty: the official year-end rates and the monthly early signal."""
    fig, (ax1, ax2) = _figure(2)
    if monthly.empty:
        _empty(ax1)
        _empty(ax2)
        return fig
    _policy_lines(ax1, monthly, "relapse_rate", 100)
    ax1.set_title("Relapse rate at year-end, %", fontsize=10)
    _policy_lines(ax2, monthly, "below_line_fp_share", 100)
    ax2.set_title("Formerly poor below the line now, %", fontsize=10)
    for ax in (ax1, ax2):
        ax.set_ylim(bottom=0)
        ax.tick_params(labelsize=8)
    ax1.legend(fontsize=7, loc="upper left")
    return fig


def monitoring_figure(monthly: pd.DataFrame) -> Figure:
    """Households under monitoring and households receiving assistance (real households)."""
    fig, (ax,) = _figure()
    if monthly.empty:
        _empty(ax)
        return fig
    for name in ("A", "B"):
        f = monthly[monthly["policy"] == name]
        ax.plot(f["t"], f["n_monitored"] / 1000, STYLE[name], color=COLOUR[name], lw=1.6,
                label=f"monitored, {name}")
        ax.plot(f["t"], f["n_assisted"] / 1000, STYLE[name], color=COLOUR[name], lw=0.9, alpha=0.6,
                label=f"assisted, {name}")
    ax.set_title("Monitored (thick) and assisted (thin) households, thousands", fontsize=10)
    ax.set_ylim(bottom=0)
    ax.tick_params(labelsize=8)
    ax.legend(fontsize=7, ncol=2)
    return fig


def income_figure(monthly: pd.DataFrame) -> Figure:
    """Mean smoothed income per person by group, yuan/year."""
    fig, (ax,) = _figure()
    if monthly.empty:
        _empty(ax)
        return fig
    for group, colour in GROUP_COLOUR.items():
        col = f"income_{group.replace(' ', '_')}_yuan"
        for name in ("A", "B"):
            f = monthly[monthly["policy"] == name]
            ax.plot(f["t"], f[col] / 1000, STYLE[name], color=colour, lw=1.5 if name == "B" else 1.0,
                    label=group if name == "B" else None)
    ax.set_title("Income per person by group, thousand yuan/year (B solid, A dashed)", fontsize=10)
    ax.tick_params(labelsize=8)
    ax.legend(fontsize=7)
    return fig


def enterprise_figure(monthly: pd.DataFrame) -> Figure:
    """Enterprises and local jobs (real counts)."""
    fig, (ax1, ax2) = _figure(2)
    if monthly.empty:
        _empty(ax1)
        _empty(ax2)
        return fig
    _policy_lines(ax1, monthly, "enterprises", 1e-3)
    ax1.set_title("Enterprises, thousands", fontsize=10)
    _policy_lines(ax2, monthly, "n_local_job", 1e-3)
    ax2.set_title("Local jobs, thousands", fontsize=10)
    for ax in (ax1, ax2):
        ax.tick_params(labelsize=8)
    ax1.legend(fontsize=7)
    return fig


def county_grid_figure(rates: dict[str, np.ndarray], county_types: np.ndarray, threshold: float,
                       year: int | None) -> Figure:
    """Counties as a grid of squares coloured by relapse rate at the last year-end, A beside B;
    a black frame marks large-scale relapse (rate at or above ``threshold``)."""
    fig, axes = _figure(2)
    n = len(county_types)
    cols = int(np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / cols))
    values = np.concatenate([rates["A"], rates["B"]])
    top = max(2 * threshold, float(np.nanmax(values)) if np.isfinite(values).any() else 0.0)
    norm = Normalize(0.0, top)
    for ax, name in zip(axes, ("A", "B"), strict=True):
        grid = np.full(rows * cols, np.nan)
        grid[:n] = rates[name]
        im = ax.imshow(grid.reshape(rows, cols), cmap="Reds", norm=norm)
        for c in range(n):
            r, k = divmod(c, cols)
            v = rates[name][c]
            text = f"{c}{county_types[c][0].upper()}\n" + ("–" if not np.isfinite(v) else f"{100 * v:.1f}%")
            ax.text(k, r, text, ha="center", va="center", fontsize=6.5,
                    color="white" if np.isfinite(v) and norm(v) > 0.6 else "black")
            if np.isfinite(v) and v >= threshold:
                ax.add_patch(_frame(k, r))
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(LABEL[name], fontsize=9)
    when = f"{year}" if year is not None else "no year-end yet"
    fig.suptitle(f"County relapse rate at year-end ({when}); frame: large-scale (≥{100 * threshold:.0f}%)",
                 fontsize=9)
    fig.subplots_adjust(left=0.02, right=0.86, bottom=0.04, top=0.84, wspace=0.08)
    fig.colorbar(im, cax=fig.add_axes((0.89, 0.12, 0.025, 0.66)), format=lambda x, _: f"{100 * x:.0f}%")
    return fig


def _frame(x: float, y: float):
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.48, y - 0.48), 0.96, 0.96, fill=False, lw=1.8, ec="black")


def three_excesses_figure(annual: pd.DataFrame) -> Figure:
    """Income growth of formerly poor counties against GDP, urban and rural income growth (B)."""
    fig, (ax,) = _figure()
    b = annual[annual["policy"] == "B"] if not annual.empty else annual
    if b.empty:
        _empty(ax, "shown from the first December")
        return fig
    x = np.arange(len(b))
    series = (("income_growth_fpc", "formerly poor counties", "#d6452a"), ("gdp_growth", "GDP", "#555555"),
              ("urban_income_growth", "urban income", "#0072b2"),
              ("rural_income_growth", "rural income", "#009e73"))
    width = 0.2
    for k, (col, label, colour) in enumerate(series):
        ax.bar(x + (k - 1.5) * width, 100 * b[col].to_numpy(dtype=float), width, color=colour, label=label)
    ticks = [f"{int(y)}{' ✓' if bool(t) else ''}" for y, t in zip(b["year"], b["three_excesses"], strict=True)]
    ax.set_xticks(x, ticks, fontsize=8)
    ax.set_title("Three excesses (B): growth, %/year; ✓ = all three exceeded", fontsize=10)
    ax.tick_params(labelsize=8)
    ax.legend(fontsize=7, ncol=2)
    return fig


#: Panels of the difference figure: column, title, scale.
DIFFERENCES = (("relapse_cum_share", "Formerly poor ever relapsed, points", 100),
               ("below_line_fp_share", "Formerly poor below the line now, points", 100),
               ("n_monitored", "Monitored households, thousands", 1e-3),
               ("income_formerly_poor_yuan", "Income of formerly poor, yuan/person/year", 1.0))


def difference_figure(diff: pd.DataFrame) -> Figure:
    """B minus A, month by month: the effect of policy on the same households and shocks."""
    fig = Figure(figsize=(6.0, 4.6), dpi=DPI)
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.08, top=0.88, wspace=0.3, hspace=0.45)
    axes = fig.subplots(2, 2).ravel()
    for ax, (col, title, scale) in zip(axes, DIFFERENCES, strict=True):
        ax.xaxis.set_major_formatter(FuncFormatter(month_label))
        ax.xaxis.set_major_locator(MaxNLocator(4))
        if diff.empty:
            _empty(ax)
        else:
            y = diff[col].to_numpy(dtype=float) * scale
            ax.axhline(0, color="#999999", lw=0.8)
            ax.fill_between(diff["t"], 0, y, color=COLOUR["B"], alpha=0.25)
            ax.plot(diff["t"], y, color=COLOUR["B"], lw=1.5)
            ax.tick_params(labelsize=7)
        ax.set_title(title, fontsize=9)
    fig.suptitle("Difference B − A (same seed: same households, same shocks)", fontsize=10)
    return fig


#: Income components of the household figure: watch-table column, label, colour.
COMPONENTS = (("wage_yuan", "wages", "#0072b2"), ("operating_yuan", "farm and business", "#009e73"),
              ("public_transfer_yuan", "public transfers", "#e69f00"),
              ("private_transfer_yuan", "private transfers", "#cc79a7"), ("property_yuan", "property", "#56b4e9"))


def household_figure(history: dict[str, pd.DataFrame], line_pc_year: float, members: int) -> Figure:
    """One household month by month under B (bars by income component, rigid spending below
    zero) with A's net income as a dashed line; shading marks illness (red) and monitoring (blue)."""
    fig, (ax,) = _figure(size=(6.0, 3.4))
    b, a = history["B"], history["A"]
    if b.empty:
        _empty(ax, "followed from the next month")
        return fig
    x = np.arange(len(b))
    bottom = np.zeros(len(b))
    for col, label, colour in COMPONENTS:
        v = b[col].to_numpy(dtype=float)
        ax.bar(x, v, 0.8, bottom=bottom, color=colour, label=label)
        bottom += v
    ax.bar(x, -b["rigid_spending_yuan"].to_numpy(dtype=float), 0.8, color="#444444", label="medical & school costs")
    for i, row in b.iterrows():
        if row["ill_months"] > 0 or row["labour_lost"] > 0:
            ax.axvspan(i - 0.5, i + 0.5, color="#d6452a", alpha=0.12, lw=0)
        if row["mon_state"] == 1:
            ax.plot(i, 0, marker="s", color="#1f4e9c", ms=3)
    net_a = (a[[c for c, _, _ in COMPONENTS]].sum(axis=1) - a["rigid_spending_yuan"]).to_numpy(dtype=float)
    ax.plot(np.arange(len(a)), net_a, "--", color=COLOUR["A"], lw=1.2, label="net income under A")
    ax.axhline(line_pc_year * members / 12, color="black", lw=0.8, ls=":", label="poverty line (month)")
    labels = [f"{int(y)}-{int(m):02d}" if m in (1, 7) else "" for y, m in zip(b["year"], b["month"], strict=True)]
    ax.set_xticks(x, labels, fontsize=7, rotation=0)
    ax.set_title("Household income by month under B, yuan (red: illness, blue squares: monitored)", fontsize=9)
    ax.tick_params(labelsize=7)
    fig.subplots_adjust(bottom=0.3)
    ax.legend(fontsize=6, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False)
    return fig
