"""PNG figures of one run: poverty and relapse, income by group, monitoring flows.

Figures are drawn with matplotlib's object-oriented API (``matplotlib.figure.Figure``, rendered by
the Agg canvas), so they never touch pyplot's global state or need a display. Each figure uses the
columns it finds; a column that is absent is left out, and a figure with no data is not written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from experiments.fonts import figure_fonts
from experiments.i18n import tr

# the series of each figure; their labels are the catalogue's "fig.run.<column>"
_RATES = ("poverty_rate", "relapse_rate", "new_poverty_rate")
_INCOMES = ("income_pc_mean_yuan", "income_pc_fpc_yuan", "income_pc_registered_yuan")
_MONITORING_SHARES = ("monitored_share", "risk_eliminated_share")
_MONITORING_COUNTS = ("n_monitored", "n_newly_identified")


def run_figures(result: Any, out_dir: Path, lang: str | None = None) -> list[Path]:
    """Write the figures of one run as PNG files, in ``lang`` (None: the language in force).

    Args:
        result: A ``model.RunResult`` (anything with ``annual`` and ``monthly`` DataFrames and an
            optional ``meta`` dict).
        out_dir: Existing directory to write into.

    Returns:
        Paths of the files written: ``poverty_relapse.png``, ``income.png``, ``monitoring.png``
        (each only when its data are present).
    """
    out_dir = Path(out_dir)
    annual = _frame(getattr(result, "annual", None))
    monthly = _frame(getattr(result, "monthly", None))
    title = _title(getattr(result, "meta", None))
    with figure_fonts(lang):
        written = _draw_all(out_dir, annual, monthly, title, lang)
    return written


def _draw_all(out_dir: Path, annual: pd.DataFrame, monthly: pd.DataFrame, title: str, lang: str | None) -> list[Path]:
    written = []
    for name, draw in (
        ("poverty_relapse.png", lambda: _poverty_relapse(annual, title, lang)),
        ("income.png", lambda: _income(annual, title, lang)),
        ("monitoring.png", lambda: _monitoring(annual, monthly, title, lang)),
    ):
        fig = draw()
        if fig is None:
            continue
        path = out_dir / name
        fig.savefig(path, dpi=120)
        written.append(path)
    return written


def _poverty_relapse(annual: pd.DataFrame, title: str, lang: str | None) -> Figure | None:
    series = _present(annual, _RATES, lang)
    if not series or "year" not in annual:
        return None
    fig = Figure(figsize=(7, 4.2), layout="constrained")
    ax = fig.add_subplot()
    for column, label in series:
        ax.plot(annual["year"], annual[column], marker="o", label=label)
    ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
    ax.set_ylim(bottom=0)
    _years_axis(ax, lang)
    ax.set_ylabel(tr("fig.run.share_ylabel", lang))
    ax.set_title(tr("fig.run.poverty_title", lang, title=title))
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return fig


def _income(annual: pd.DataFrame, title: str, lang: str | None) -> Figure | None:
    series = _present(annual, _INCOMES, lang)
    if not series or "year" not in annual:
        return None
    fig = Figure(figsize=(7, 4.2), layout="constrained")
    ax = fig.add_subplot()
    for column, label in series:
        ax.plot(annual["year"], annual[column], marker="o", label=label)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    _years_axis(ax, lang)
    ax.set_ylabel(tr("fig.run.income_ylabel", lang))
    ax.set_title(tr("fig.run.income_title", lang, title=title))
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return fig


def _monitoring(annual: pd.DataFrame, monthly: pd.DataFrame, title: str, lang: str | None) -> Figure | None:
    shares = _present(annual, _MONITORING_SHARES, lang) if "year" in annual else []
    counts = _present(monthly, _MONITORING_COUNTS, lang)
    time = _monthly_time(monthly) if counts else None
    if time is None:
        counts = []
    if not shares and not counts:
        return None
    n_panels = int(bool(shares)) + int(bool(counts))
    fig = Figure(figsize=(7, 3.4 * n_panels), layout="constrained")
    axes = fig.subplots(n_panels, 1, squeeze=False)[:, 0]
    panel = 0
    if shares:
        ax = axes[panel]
        for column, label in shares:
            ax.plot(annual["year"], annual[column], marker="o", label=label)
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
        ax.set_ylim(bottom=0)
        _years_axis(ax, lang)
        ax.set_title(tr("fig.run.monitoring_title", lang, title=title))
        ax.legend(frameon=False)
        ax.grid(alpha=0.3)
        panel += 1
    if counts:
        ax = axes[panel]
        for column, label in counts:
            ax.plot(time, monthly[column], label=label)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set_ylabel(tr("fig.run.households", lang))
        ax.set_xlabel(tr("fig.year", lang))
        ax.set_title(tr("fig.run.flows_title", lang))
        ax.legend(frameon=False)
        ax.grid(alpha=0.3)
    return fig


def _frame(obj: Any) -> pd.DataFrame:
    return obj if isinstance(obj, pd.DataFrame) else pd.DataFrame()


def _present(df: pd.DataFrame, columns: tuple[str, ...], lang: str | None) -> list[tuple[str, str]]:
    return [(c, tr(f"fig.run.{c}", lang)) for c in columns if c in df and df[c].notna().any()]


def _monthly_time(monthly: pd.DataFrame) -> pd.Series | None:
    """Fractional years for the monthly table, from whatever time columns it has."""
    if {"year", "month"} <= set(monthly.columns):
        return monthly["year"] + (monthly["month"] - 1) / 12
    if "date" in monthly:
        dates = pd.to_datetime(monthly["date"])
        return dates.dt.year + (dates.dt.month - 1) / 12
    if "month_abs" in monthly:
        return monthly["month_abs"] / 12
    if len(monthly):
        return pd.Series(range(len(monthly)), index=monthly.index, dtype=float)
    return None


def _years_axis(ax: Any, lang: str | None) -> None:
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel(tr("fig.year", lang))


def _title(meta: Any) -> str:
    if not isinstance(meta, dict):
        return ""
    scenario, seed = meta.get("scenario"), meta.get("seed")
    parts = [str(scenario)] if scenario else []
    if seed is not None:
        parts.append(tr("fig.run.seed", seed=seed))
    return f" — {', '.join(parts)}" if parts else ""
